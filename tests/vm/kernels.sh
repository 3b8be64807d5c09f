#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Target-kernel helpers for the vrange VM harness.
#
# Usable two ways:
#   source tests/vm/kernels.sh        -> defines the vr_kernel_* functions
#   tests/vm/kernels.sh list          -> print the target kernel versions
#   tests/vm/kernels.sh packages      -> print headers + image package names
#   tests/vm/kernels.sh headers       -> apt-get install the missing headers
#   tests/vm/kernels.sh image KVER    -> print path of the cached vmlinuz
#
# Environment:
#   VRANGE_KERNELS  space-separated kernel versions, overrides apt resolution
#   VRANGE_CACHE    image cache (default /var/cache/vrange)
#
# We test on two Debian 12 kernels: the newest 6.1 ABI (the stock bookworm
# kernel) and the newest 6.12 backport-in-stable, so that the module is
# exercised on both an old and a current mm/ implementation.

VRANGE_CACHE="${VRANGE_CACHE:-/var/cache/vrange}"
# Pre-seeded .deb files (e.g. on the dev machines); used if present only.
VRANGE_SEED_DIR="${VRANGE_SEED_DIR:-/var/cache/vrange-kernels}"

vr_log() { echo "vrange-vm: $*" >&2; }

# Newest package name matching an ERE over apt's package names, or nothing.
_vr_newest_pkg() {
	apt-cache search --names-only "$1" 2>/dev/null | awk '{print $1}' |
		sort -V | tail -n 1
}

# Fallback when apt lists are absent: newest installed headers tree.
_vr_newest_installed() {
	local d
	for d in /usr/src/linux-headers-*; do
		[ -d "$d" ] && basename "$d"
	done | sed -n "s/^linux-headers-//p" | grep -E "^$1\$" | sort -V |
		tail -n 1 || true
}

# Print the target kernel versions, one per line.
vr_kernel_list() {
	if [ -n "${VRANGE_KERNELS:-}" ]; then
		# Word splitting is the point: the list is space-separated.
		# shellcheck disable=SC2086
		printf '%s\n' $VRANGE_KERNELS
		return 0
	fi
	local re pkg kver
	for re in '6\.1\.0-[0-9]+-amd64' '6\.12\.[0-9]+\+deb12-amd64'; do
		# Both the headers and the unsigned image must exist for a
		# version to be usable, so resolve from the image name and
		# check the headers exist too.
		pkg=$(_vr_newest_pkg "^linux-image-${re}-unsigned\$")
		kver=${pkg#linux-image-}
		kver=${kver%-unsigned}
		if [ -n "$pkg" ] &&
			apt-cache show "linux-headers-$kver" >/dev/null 2>&1; then
			echo "$kver"
			continue
		fi
		kver=$(_vr_newest_installed "$re")
		if [ -z "$kver" ]; then
			vr_log "cannot resolve a kernel matching $re" \
				"(run scripts/install-deps.sh or set VRANGE_KERNELS)"
			return 1
		fi
		vr_log "apt metadata missing; using installed headers $kver"
		echo "$kver"
	done
}

vr_kernel_packages() {
	local k
	for k in "$@"; do
		echo "linux-headers-$k"
		echo "linux-image-$k-unsigned"
	done
}

# Make sure /lib/modules/KVER/build exists for each KVER.
vr_kernel_headers() {
	local k missing=()
	for k in "$@"; do
		[ -e "/lib/modules/$k/build/Makefile" ] ||
			missing+=("linux-headers-$k")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	vr_log "installing ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y \
		--no-install-recommends "${missing[@]}" >&2
}

# Extracted image tree for KVER in the cache; downloads on first use.
# Prints the directory holding boot/ and lib/modules/.
vr_kernel_image() {
	local k=$1 dir deb
	dir="$VRANGE_CACHE/$k"
	if [ -f "$dir/.extracted" ] && [ -f "$dir/boot/vmlinuz-$k" ]; then
		echo "$dir"
		return 0
	fi
	mkdir -p "$VRANGE_CACHE/debs"
	deb=$(_vr_find_deb "$VRANGE_CACHE/debs" "$k")
	if [ -z "$deb" ] && [ -n "$(_vr_find_deb "$VRANGE_SEED_DIR" "$k")" ]; then
		cp "$(_vr_find_deb "$VRANGE_SEED_DIR" "$k")" "$VRANGE_CACHE/debs/"
		deb=$(_vr_find_deb "$VRANGE_CACHE/debs" "$k")
	fi
	if [ -z "$deb" ]; then
		vr_log "downloading linux-image-$k-unsigned"
		# apt-get download writes to cwd; the subshell keeps ours.
		(cd "$VRANGE_CACHE/debs" &&
			apt-get download "linux-image-$k-unsigned" >&2)
		deb=$(_vr_find_deb "$VRANGE_CACHE/debs" "$k")
	fi
	if [ -z "$deb" ]; then
		vr_log "no image package for $k"
		return 1
	fi
	vr_log "extracting $(basename "$deb")"
	rm -rf "$dir"
	mkdir -p "$dir"
	dpkg -x "$deb" "$dir"
	[ -f "$dir/boot/vmlinuz-$k" ] || {
		vr_log "$deb has no boot/vmlinuz-$k"
		return 1
	}
	touch "$dir/.extracted"
	echo "$dir"
}

_vr_find_deb() {
	local f
	for f in "$1/linux-image-$2-unsigned_"*.deb; do
		[ -f "$f" ] && echo "$f"
	done | sort -V | tail -n 1
}

# Executed (not sourced): small CLI around the functions above.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -euo pipefail
	case "${1:-list}" in
	list) vr_kernel_list ;;
	packages)
		ks=$(vr_kernel_list)
		# shellcheck disable=SC2086
		vr_kernel_packages $ks
		;;
	headers)
		ks=$(vr_kernel_list)
		# shellcheck disable=SC2086
		vr_kernel_headers $ks
		;;
	image)
		d=$(vr_kernel_image "$2")
		echo "$d/boot/vmlinuz-$2"
		;;
	*)
		echo "usage: $0 list|packages|headers|image KVER" >&2
		exit 2
		;;
	esac
fi
