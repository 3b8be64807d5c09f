#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# DKMS install/remove of the vrange module from this source tree (behind
# `make dkms-install` and `make dkms-remove`), as root.
#
#   scripts/dkms.sh install [KVER...]  copy the module sources to
#       /usr/src/vrange-VERSION, dkms add, then dkms build + install for
#       each KVER (default: every kernel with /lib/modules/KVER/build);
#       installs the udev rule (modes, the /dev/ashmem<boot_id> link)
#       and the modules-load.d file
#   scripts/dkms.sh remove             dkms remove --all, delete the sources
#                                      and the udev/modules-load.d files
#   scripts/dkms.sh stage DIR          copy the module sources to DIR only
#   scripts/dkms.sh version            print PACKAGE_NAME/PACKAGE_VERSION
#
# A kernel outside dkms.conf's BUILD_EXCLUSIVE_* is reported and skipped.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
conf() { sed -n "s/^$1=\"\\(.*\\)\"\$/\\1/p" "$repo/dkms.conf"; }
name=$(conf PACKAGE_NAME)
ver=$(conf PACKAGE_VERSION)
src=/usr/src/$name-$ver
UDEV_DIR=${UDEV_DIR:-/etc/udev/rules.d}
MODLOAD_DIR=${MODLOAD_DIR:-/etc/modules-load.d}

# What a module build needs: no library, tests or build products.
MODULE_PATHS=(dkms.conf Kbuild module include scripts)

stage() {
	local dst=$1
	mkdir -p "$dst"
	if [ "$(git -C "$repo" rev-parse --show-toplevel 2>/dev/null)" = "$(cd "$repo" && pwd -P)" ]; then
		git -C "$repo" ls-files -z -co --exclude-standard -- \
			"${MODULE_PATHS[@]}" |
			tar -C "$repo" --null -T - -cf - | tar -C "$dst" -xf -
	else
		tar -C "$repo" -cf - --exclude='*.o' --exclude='*.ko' \
			--exclude='*.cmd' --exclude='*.mod' --exclude='*.mod.c' \
			--exclude='probed.h*' "${MODULE_PATHS[@]}" |
			tar -C "$dst" -xf -
	fi
	chmod +x "$dst/scripts/"*.sh
}

need_root() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "dkms.sh: $1 needs root" >&2
		exit 1
	fi
	command -v dkms >/dev/null || {
		echo "dkms.sh: dkms is not installed (apt install dkms)" >&2
		exit 1
	}
}

registered() { [ -n "$(dkms status "$name/$ver" 2>/dev/null)" ]; }

do_install() {
	local k rc failed=0 kernels=("$@")
	need_root install
	if registered; then
		dkms remove "$name/$ver" --all >/dev/null
	fi
	rm -rf "$src"
	stage "$src"
	dkms add "$name/$ver"
	if [ ${#kernels[@]} -eq 0 ]; then
		for k in /lib/modules/*/build/Makefile; do
			[ -f "$k" ] || continue
			k=${k#/lib/modules/}
			kernels+=("${k%/build/Makefile}")
		done
	fi
	for k in "${kernels[@]}"; do
		echo "== $name/$ver for $k"
		set +e
		dkms build "$name/$ver" -k "$k"
		rc=$?
		set -e
		if [ "$rc" -eq 77 ]; then
			# dkms already said why (BUILD_EXCLUSIVE).
			echo "dkms.sh: $k is not supported by $name; skipped"
			continue
		fi
		if [ "$rc" -ne 0 ] || ! dkms install "$name/$ver" -k "$k"; then
			echo "dkms.sh: build or install for $k failed" >&2
			failed=1
		fi
	done
	install -D -m 644 "$repo/dist/udev/60-vrange.rules" \
		"$UDEV_DIR/60-vrange.rules"
	install -D -m 644 "$repo/dist/modules-load/vrange.conf" \
		"$MODLOAD_DIR/vrange.conf"
	udevadm control --reload >/dev/null 2>&1 || true
	# A module that is loaded already gets its /dev/ashmem<boot_id> link.
	udevadm trigger --action=add --subsystem-match=misc \
		--sysname-match=ashmem >/dev/null 2>&1 || true
	dkms status "$name/$ver"
	return "$failed"
}

do_remove() {
	need_root remove
	if registered; then
		dkms remove "$name/$ver" --all
	fi
	rm -rf "$src"
	rm -f "$UDEV_DIR/60-vrange.rules" "$MODLOAD_DIR/vrange.conf"
	udevadm control --reload >/dev/null 2>&1 || true
}

case "${1:-}" in
install) shift; do_install "$@" ;;
remove) do_remove ;;
stage) stage "${2:?usage: dkms.sh stage DIR}" ;;
version) echo "$name/$ver" ;;
*)
	sed -n '4,15p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
	;;
esac
