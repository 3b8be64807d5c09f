#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (once) the debug kernel of `make check-debug`: Debian's
# linux-source-6.12 with `allnoconfig` + tests/vm/debug.config (KASAN,
# lockdep, DEBUG_VM, KFENCE, kmemleak... and just what a QEMU initramfs
# boot needs). Prints the cache directory on stdout:
#
#   $VRANGE_CACHE/debug-<key>/
#       src/                 the kernel sources (O= build: read only)
#       obj/                 the build tree: .config, Module.symvers,
#                            arch/x86/boot/bzImage; `make -C obj M=...`
#       boot/vmlinuz-debug   -> ../obj/arch/x86/boot/bzImage
#       build.log, build-seconds, kernelrelease, .done
#
# <key> = source package version + sha256 of debug.config and of this
# script's build recipe, so a changed fragment means a new kernel and
# everything else is a cache hit.
#
#   tests/vm/debug-kernel.sh [--print-key]
#
# Environment: VRANGE_CACHE (/var/cache/vrange), VRANGE_DEBUG_JOBS (2).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE=${VRANGE_CACHE:-/var/cache/vrange}
JOBS=${VRANGE_DEBUG_JOBS:-2}
FRAG=$here/debug.config
PKG=linux-source-6.12
# Bump when the recipe below changes in a way that changes the output.
RECIPE=1

log() { echo "vrange-debug: $*" >&2; }

mkdir -p "$CACHE/debs"
newest_deb() {
	find "$CACHE/debs" -maxdepth 1 -name "${PKG}_*.deb" | sort -V | tail -n 1
}
deb=$(newest_deb)
if [ -z "$deb" ]; then
	log "downloading $PKG"
	(cd "$CACHE/debs" && apt-get download "$PKG" >&2)
	deb=$(newest_deb)
fi
version=$(dpkg-deb -f "$deb" Version)
hash=$( (echo "recipe $RECIPE"; cat "$FRAG") | sha256sum | cut -c1-12)
key=$version-$hash
key=${key//[^A-Za-z0-9.+-]/_}
dir=$CACHE/debug-$key

if [ "${1:-}" = --print-key ]; then
	echo "$key"
	exit 0
fi
if [ -f "$dir/.done" ]; then
	echo "$dir"
	exit 0
fi

exec 9>"$CACHE/.debug-kernel.lock"
flock 9
if [ -f "$dir/.done" ]; then
	echo "$dir"
	exit 0
fi

for t in flex bison bc; do
	command -v "$t" >/dev/null || {
		log "$t missing (scripts/install-deps.sh or apt install flex bison bc libelf-dev)"
		exit 1
	}
done

rm -rf "$dir"
mkdir -p "$dir/src" "$dir/obj" "$dir/boot"
t0=$(date +%s)
log "unpacking $(basename "$deb") into $dir/src"
dpkg-deb --fsys-tarfile "$deb" |
	tar -xO --wildcards '*/linux-source-6.12.tar.xz' |
	xz -dc | tar -x -C "$dir/src" --strip-components=1

kmake() { nice -n 10 make -C "$dir/src" O="$dir/obj" ARCH=x86_64 "$@"; }

log "configuring (allnoconfig + $(basename "$FRAG"))"
kmake KCONFIG_ALLCONFIG="$FRAG" allnoconfig >"$dir/build.log" 2>&1
# Every "=y" (and string/number) line of the fragment must have survived:
# an unmet dependency silently turns an option off otherwise.
missing=$(grep -E '^CONFIG_[A-Z0-9_]+=' "$FRAG" | while read -r line; do
	grep -qxF "$line" "$dir/obj/.config" || echo "$line"
done)
if [ -n "$missing" ]; then
	log "options of $(basename "$FRAG") not in the final .config:"
	printf '%s\n' "$missing" | sed 's/^/  /' >&2
	exit 1
fi

log "building with -j$JOBS (log: $dir/build.log)"
if ! kmake -j"$JOBS" all >>"$dir/build.log" 2>&1; then
	tail -n 40 "$dir/build.log" >&2
	exit 1
fi
t1=$(date +%s)
echo $((t1 - t0)) >"$dir/build-seconds"
kmake -s kernelrelease >"$dir/kernelrelease" 2>/dev/null
ln -sfn ../obj/arch/x86/boot/bzImage "$dir/boot/vmlinuz-debug"
# Objects the module build does not need: keep the cache small.
find "$dir/obj" -name '*.o' ! -path '*/scripts/*' ! -path '*/tools/*' \
	! -name 'vmlinux.o' -delete
rm -f "$dir/obj/vmlinux.o"
touch "$dir/.done"
# One debug kernel at a time (~2 GB each): drop those of older fragments,
# only now, so that a run still using the old one was not disturbed.
for old in "$CACHE"/debug-*/; do
	[ -d "$old" ] && [ "${old%/}" != "$dir" ] && rm -rf "$old"
done
log "kernel $(cat "$dir/kernelrelease") built in $((t1 - t0)) s"
echo "$dir"
