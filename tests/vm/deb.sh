#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# t NAME CMD evals CMD: single quotes and variables used only there are
# on purpose.
# shellcheck disable=SC2016,SC2034
#
# The Debian packages for real, as root (part of `make check`): build them
# (scripts/deb.sh), run lintian on them (any E: or W: tag fails), install
# vrange-dkms, libvrange0, libvrange-dev and vrange-tools with apt into a
# debootstrap'd Debian 12 chroot (cached base, thrown-away overlay per
# run) together with the headers of a Debian kernel under test, and check
# there that dkms built and installed the module for it, the udev and
# modules-load.d files and the manual pages are in place, vrangectl runs,
# and a program builds against libvrange with pkg-config.  Ends with
# "N passed, N failed".
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source-path=SCRIPTDIR source=kernels.sh
. "$here/kernels.sh"
BUILD=${VRANGE_BUILD_DIR:-$repo/build}/debtest
base=$VRANGE_CACHE/chroot/bookworm
archives=$VRANGE_CACHE/chroot/bookworm-archives
# shellcheck source-path=SCRIPTDIR source=tap.sh
. "$here/tap.sh"

[ "$(id -u)" -eq 0 ] || { t "deb test needs root" false; finish; }
k=
for x in ${VRANGE_DEB_KERNEL:-$(vr_kernel_list)}; do
	[ "$(vr_kernel_flavour "$x")" = host ] && { k=$x; break; }
done
[ -n "$k" ] || { t "a bookworm kernel to build for" false; finish; }

rm -rf "$BUILD"
mkdir -p "$BUILD"
t "make deb (scripts/deb.sh)" \
	'"$repo/scripts/deb.sh" "$BUILD/debs" >"$BUILD/deb.log" 2>&1'
for p in vrange-dkms libvrange0 libvrange-dev vrange-tools; do
	t "$p built" 'ls "$BUILD/debs/${p}_"*.deb >/dev/null 2>&1'
done

# Every .deb of the build (the .changes lists them, -dbgsym included).
# Overrides, each with its reason, are in debian/*.lintian-overrides.
lintian --fail-on error,warning --tag-display-limit 0 \
	"$BUILD"/debs/*.changes >"$BUILD/lintian.log" 2>&1
lintian_rc=$?
grep -E '^[A-Z]: ' "$BUILD/lintian.log" | sed 's/^/# lintian: /'
t "lintian: no error or warning on the packages (log $BUILD/lintian.log)" \
	'[ "$lintian_rc" -eq 0 ] && ! grep -qE "^[EW]: " "$BUILD/lintian.log"'

mkdir -p "$VRANGE_CACHE/chroot" "$archives/partial"
(
	flock 9
	[ -x "$base/usr/bin/apt-get" ] && exit 0
	rm -rf "$base.tmp"
	debootstrap --variant=minbase bookworm "$base.tmp" "$VRANGE_MIRROR" &&
		echo 'Acquire::Check-Valid-Until "false";' \
			>"$base.tmp/etc/apt/apt.conf.d/99vrange" &&
		mv "$base.tmp" "$base"
) 9>"$VRANGE_CACHE/chroot/.bookworm.lock" >"$BUILD/debootstrap.log" 2>&1
t "Debian 12 chroot (debootstrap, cached in $base)" '[ -x "$base/usr/bin/apt-get" ]'
[ -x "$base/usr/bin/apt-get" ] || finish

# Inside: install, then report with TAP lines of its own.
cat >"$BUILD/inside.sh" <<'EOS'
#!/bin/sh
k=$1
export DEBIAN_FRONTEND=noninteractive
t() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fi; }
apt-get update -q >/dev/null 2>&1
t "apt-get install vrange-dkms libvrange0 libvrange-dev vrange-tools linux-headers-$k" \
	'apt-get install -y -q --no-install-recommends /debs/vrange-dkms_*.deb \
		/debs/libvrange0_*.deb /debs/libvrange-dev_*.deb \
		/debs/vrange-tools_*.deb \
		linux-headers-$k pkgconf gcc libc6-dev >/tmp/apt.log 2>&1'
tail -n 15 /tmp/apt.log | sed 's/^/# /'
echo "# dkms status: $(dkms status 2>/dev/null | tr '\n' ' ')"
t "dkms status: vrange installed for $k" \
	'dkms status vrange -k $k 2>/dev/null | grep -q ": installed"'
t "module in /lib/modules/$k/updates/dkms" \
	'ls /lib/modules/$k/updates/dkms/vrange.ko* >/dev/null 2>&1'
t "udev rule installed" '[ -f /lib/udev/rules.d/60-vrange.rules ]'
t "udev reads it (/usr/lib/udev/rules.d) and it makes /dev/ashmem<boot_id>" \
	'grep -q "SYMLINK+=\"ashmem%c\"" /usr/lib/udev/rules.d/60-vrange.rules'
t "modules-load.d file installed" '[ -f /usr/lib/modules-load.d/vrange.conf ]'
# Each page in the package it belongs to, every man3 link resolving.
owns() { dpkg -L "$1" 2>/dev/null | grep -qx "$2"; }
t "vrange(4), ashmem(4) in vrange-dkms" \
	'owns vrange-dkms /usr/share/man/man4/vrange.4.gz &&
	 owns vrange-dkms /usr/share/man/man4/ashmem.4.gz'
# man FUNCTION works for every function the library exports.
man3_ok() {
	nm -D --defined-only /usr/lib/*/libvrange.so.0 |
		awk '$2 == "T" { print $3 }' >/tmp/fns
	[ -s /tmp/fns ] || return 1
	while read -r fn; do
		owns libvrange-dev "/usr/share/man/man3/$fn.3.gz" &&
			[ -f "/usr/share/man/man3/$fn.3.gz" ] || return 1
	done </tmp/fns
}
t "libvrange(3) and a man3 page per exported function in libvrange-dev" \
	'owns libvrange-dev /usr/share/man/man3/libvrange.3.gz && man3_ok'
t "vrangectl(8) and /usr/bin/vrangectl in vrange-tools" \
	'owns vrange-tools /usr/share/man/man8/vrangectl.8.gz &&
	 owns vrange-tools /usr/bin/vrangectl'
t "vrangectl --version" 'vrangectl --version >/tmp/ctl.out 2>&1'
# No /dev in this chroot, so no /dev/vrange: the module is "not loaded".
t "vrangectl stat without /dev/vrange: exit 1, points at modprobe vrange" \
	'vrangectl stat >/tmp/ctl.out 2>&1; [ $? -eq 1 ] &&
	 grep -q "modprobe vrange" /tmp/ctl.out'
sed 's/^/# vrangectl: /' /tmp/ctl.out
cat >/tmp/use.c <<'EOC'
#include <libvrange.h>
int main(void) { return vrange_create("x", 4096) >= 0 ? 0 : 1; }
EOC
t "a program builds against libvrange (pkg-config vrange)" \
	'gcc -o /tmp/use /tmp/use.c $(pkg-config --cflags --libs vrange)'
t "it links to libvrange.so.0" 'ldd /tmp/use | grep -q "libvrange.so.0 =>"'
t "apt-get purge vrange-dkms removes the module" \
	'apt-get purge -y -q vrange-dkms >/dev/null 2>&1 &&
	 ! ls /lib/modules/$k/updates/dkms/vrange.ko* >/dev/null 2>&1 &&
	 [ -z "$(dkms status vrange 2>/dev/null)" ]'
EOS
chmod +x "$BUILD/inside.sh"
mkdir -p "$BUILD/upper" "$BUILD/work" "$BUILD/root"
echo "# installing into an overlay of $base (log $BUILD/inside.log)"
unshare -m --propagation private sh -ec '
	b=$1 r=$2/root
	mount -t overlay overlay -o "lowerdir=$b,upperdir=$2/upper,workdir=$2/work" "$r"
	mount -t proc proc "$r/proc"
	mount --bind "$3" "$r/var/cache/apt/archives"
	mkdir -p "$r/debs"
	mount --bind "$2/debs" "$r/debs"
	cp "$2/inside.sh" "$r/inside.sh"
	cp /etc/resolv.conf "$r/etc/resolv.conf" 2>/dev/null || true
	# The newest kernels are in the point-release and security suites.
	m=$5
	printf "deb %s bookworm main\ndeb %s bookworm-updates main\ndeb %s-security bookworm-security main\n" \
		"$m" "$m" "$m" >"$r/etc/apt/sources.list"
	chroot "$r" /inside.sh "$4"
' sh "$base" "$BUILD" "$archives" "$k" "$VRANGE_MIRROR" >"$BUILD/inside.log" 2>&1
grep -E '^(ok|not ok|#) ' "$BUILD/inside.log"
p=$(grep -c '^ok ' "$BUILD/inside.log")
n=$(grep -c '^not ok ' "$BUILD/inside.log")
[ "$p" -gt 0 ] || n=$((n + 1))
pass=$((pass + p))
fail=$((fail + n))
rm -rf "$BUILD/upper" "$BUILD/work"
finish
