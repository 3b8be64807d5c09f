#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Target-kernel helpers for the vrange VM harness.
#
# Usable two ways:
#   source tests/vm/kernels.sh        -> defines the vr_kernel_* functions
#   tests/vm/kernels.sh list          -> print the target kernel versions
#   tests/vm/kernels.sh packages      -> print headers + image package names
#   tests/vm/kernels.sh headers       -> unpack the missing headers (cache)
#   tests/vm/kernels.sh image KVER    -> print path of the cached vmlinuz
#   tests/vm/kernels.sh kdir KVER     -> print the kernel build dir (host view)
#   tests/vm/kernels.sh make KVER DIR ARGS... -> kbuild of M=DIR for KVER
#
# Environment:
#   VRANGE_KERNELS  space-separated kernel versions, overrides apt resolution
#   VRANGE_CACHE    image cache (default /var/cache/vrange)
#
# We test Debian's stock kernels across the supported range, each the newest
# of its series: 5.10 (bullseye), 6.1 and 6.12 (bookworm, this host's suite)
# and the current sid kernel (7.x).  They come three ways ("flavours"):
#   host      6.1, 6.12: headers and image from the host's apt lists,
#             fetched with apt-get download and dpkg -x'ed into the cache,
#             never installed (6.12's headers depend on its image, whose
#             postinst would touch the host's initramfs and boot loader);
#   bullseye  5.10: the same through a private apt setup (lists under
#             $VRANGE_CACHE/apt, /etc/apt untouched); the headers name
#             gcc-10, which bookworm lacks: built with CC=gcc (gcc-12);
#   sid       7.x: headers need gcc-16 and glibc >= 2.38, so they are
#             installed in a debootstrap'd sid chroot (cached) and the module
#             is built there, in a private mount namespace with /proc.
#   debug     the pseudo-kernel "debug" (VRANGE_KERNELS=debug, never in the
#             default list): Debian's linux-source-6.12 built with KASAN,
#             lockdep, DEBUG_VM, kmemleak... by debug-kernel.sh (cached);
#             `make check-debug` runs it.

VRANGE_CACHE="${VRANGE_CACHE:-/var/cache/vrange}"
# Pre-seeded .deb files (e.g. on the dev machines); used if present only.
VRANGE_SEED_DIR="${VRANGE_SEED_DIR:-/var/cache/vrange-kernels}"

VRANGE_MIRROR="${VRANGE_MIRROR:-http://deb.debian.org/debian}"

_vr_vm_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

vr_log() { echo "vrange-vm: $*" >&2; }

# host | bullseye | sid, from the version string.
vr_kernel_flavour() {
	case "$1" in
	debug) echo debug ;;
	5.10.*) echo bullseye ;;
	6.1.0-* | *+deb12-*) echo host ;;
	*) echo sid ;;
	esac
}

# Private apt for another suite: own sources.list, lists, cache and status.
_vr_apt_opts() {
	local d=$VRANGE_CACHE/apt/$1
	echo "-o Dir::Etc::SourceList=$d/sources.list" \
		"-o Dir::Etc::SourceParts=/nonexistent" \
		"-o Dir::State::Lists=$d/lists -o Dir::Cache=$d" \
		"-o Dir::State::Status=$d/status" \
		"-o Acquire::Check-Valid-Until=false -o APT::Sandbox::User=root"
}

# Fetch SUITE's package lists once a day; stale lists beat no lists.
_vr_apt_update() {
	local d=$VRANGE_CACHE/apt/$1
	mkdir -p "$d/lists/partial" "$d/archives/partial"
	echo "deb $VRANGE_MIRROR $1 main" >"$d/sources.list"
	touch "$d/status"
	if [ -n "$(find "$d/lists" -maxdepth 1 -name '*_Packages*' -mtime -1 \
		2>/dev/null)" ]; then
		return 0
	fi
	vr_log "apt-get update ($1, private lists in $d)"
	# shellcheck disable=SC2046
	apt-get $(_vr_apt_opts "$1") update >/dev/null 2>&1 ||
		vr_log "apt-get update for $1 failed; using cached lists"
}

# _vr_apt SUITE apt-get|apt-cache ARGS...
_vr_apt() {
	local suite=$1 cmd=$2
	shift 2
	# shellcheck disable=SC2046
	"$cmd" $(_vr_apt_opts "$suite") "$@"
}

# Newest package name matching an ERE over apt's package names, or nothing.
_vr_newest_pkg() {
	apt-cache search --names-only "$1" 2>/dev/null | awk '{print $1}' |
		sort -V | tail -n 1
}

# Fallback when apt lists are absent: newest unpacked or installed
# headers tree.
_vr_newest_installed() {
	local d
	{
		for d in "$VRANGE_CACHE"/headers/*/.extracted; do
			[ -f "$d" ] && basename "$(dirname "$d")"
		done
		for d in /usr/src/linux-headers-*; do
			[ -d "$d" ] && basename "$d" | sed 's/^linux-headers-//'
		done
	} | grep -E "^$1\$" | sort -V |
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
	_vr_kernel_list_bullseye
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
	_vr_kernel_list_sid
}

# Newest cached kernel of a flavour (offline fallback).
_vr_newest_cached() {
	local d
	for d in "$VRANGE_CACHE"/*/.extracted; do
		[ -f "$d" ] && basename "$(dirname "$d")"
	done | grep -E "^$1\$" | sort -V | tail -n 1 || true
}

_vr_kernel_list_bullseye() {
	local pkg kver
	_vr_apt_update bullseye
	pkg=$(_vr_apt bullseye apt-cache search --names-only \
		'^linux-image-5\.10\.0-[0-9]+-amd64-unsigned$' 2>/dev/null |
		awk '{print $1}' | sort -V | tail -n 1)
	kver=${pkg#linux-image-}
	kver=${kver%-unsigned}
	[ -n "$kver" ] || kver=$(_vr_newest_cached '5\.10\.0-[0-9]+-amd64')
	if [ -z "$kver" ]; then
		vr_log "cannot resolve a bullseye 5.10 kernel"
		return 1
	fi
	echo "$kver"
}

# The sid kernel: linux-binary-* (7.x packaging) or linux-image-*-unsigned.
_vr_kernel_list_sid() {
	local kver
	_vr_apt_update sid
	kver=$(_vr_apt sid apt-cache search --names-only \
		'^linux-(binary-[0-9.]+\+deb[0-9]+-amd64|image-[0-9.]+\+deb[0-9]+-amd64-unsigned)$' \
		2>/dev/null | awk '{print $1}' |
		sed -e 's/^linux-binary-//' -e 's/^linux-image-//' \
			-e 's/-unsigned$//' | sort -V | tail -n 1)
	[ -n "$kver" ] ||
		kver=$(_vr_newest_cached '[0-9.]+\+deb(1[4-9]|[2-9][0-9])-amd64')
	if [ -z "$kver" ]; then
		vr_log "cannot resolve a sid kernel"
		return 1
	fi
	echo "$kver"
}

vr_kernel_packages() {
	local k
	for k in "$@"; do
		[ "$k" = debug ] && continue # built from linux-source-6.12
		echo "linux-headers-$k"
		case $(vr_kernel_flavour "$k") in
		sid) echo "linux-binary-$k" ;;
		*) echo "linux-image-$k-unsigned" ;;
		esac
	done
}

# Make sure the build dir of each KVER exists (vr_kernel_kdir).
vr_kernel_headers() {
	local k
	for k in "$@"; do
		case $(vr_kernel_flavour "$k") in
		debug) "$_vr_vm_dir/debug-kernel.sh" >/dev/null || return 1 ;;
		sid) _vr_headers_sid "$k" || return 1 ;;
		*) _vr_headers_cache "$k" || return 1 ;;
		esac
	done
}

# Kernel build dir of KVER as seen from the host.
vr_kernel_kdir() {
	case $(vr_kernel_flavour "$1") in
	debug) echo "$("$_vr_vm_dir/debug-kernel.sh")/obj" ;;
	sid) echo "$(_vr_chroot)/usr/src/linux-headers-$1" ;;
	*) echo "$VRANGE_CACHE/headers/$1/usr/src/linux-headers-$1" ;;
	esac
}

# vr_kernel_make KVER DIR MAKE-ARGS...: make -C <kdir> M=DIR MAKE-ARGS.
vr_kernel_make() {
	local k=$1 m=$2 root
	shift 2
	case $(vr_kernel_flavour "$k") in
	debug) make -C "$(vr_kernel_kdir "$k")" M="$m" "$@" ;;
	bullseye)
		# The headers name gcc-10 (bullseye's); gcc-12 builds 5.10.
		make -C "$(vr_kernel_kdir "$k")" M="$m" CC=gcc "$@"
		;;
	sid)
		# M is bind-mounted at the same path inside the chroot; objtool
		# needs /proc.  The namespace takes both mounts with it.
		root=$(_vr_chroot)
		m=$(cd "$m" && pwd -P)
		mkdir -p "$root$m"
		# shellcheck disable=SC2016 # expanded by the inner sh
		unshare -m --propagation private sh -ec '
			mount -t proc proc "$1/proc"
			mount --bind "$2" "$1$2"
			r=$1 k=$3 m=$2
			shift 3
			exec chroot "$r" make -C "/usr/src/linux-headers-$k" \
				M="$m" "$@"' sh "$root" "$m" "$k" "$@"
		;;
	*) make -C "$(vr_kernel_kdir "$k")" M="$m" "$@" ;;
	esac
}

# apt-get or apt-cache for KVER's suite: the host's apt for bookworm's
# kernels, the private one for bullseye's.
_vr_apt_for() {
	local k=$1
	shift
	case $(vr_kernel_flavour "$k") in
	bullseye) _vr_apt bullseye "$@" ;;
	*) "$1" -o APT::Sandbox::User=root "${@:2}" ;;
	esac
}

# Headers of a bookworm or bullseye kernel, unpacked into the cache:
# apt-get download + dpkg -x of linux-headers-KVER, its -common and its
# linux-kbuild, the candidate versions of the apt lists.  Never installed:
# bookworm's 6.12 headers depend on the 6.12 image, whose postinst would
# update the host's initramfs and boot loader, and bullseye's need gcc-10.
# Other Depends (the image, gcc-N, linux-base) are not needed to build.
_vr_headers_cache() {
	local k=$1 h=$VRANGE_CACHE/headers/$1 debs=$VRANGE_CACHE/debs
	local p v f deps=() files=()
	[ -f "$h/.extracted" ] && return 0
	mkdir -p "$debs"
	[ "$(vr_kernel_flavour "$k")" = bullseye ] && _vr_apt_update bullseye
	mapfile -t deps < <(_vr_apt_for "$k" apt-cache show --no-all-versions \
		"linux-headers-$k" 2>/dev/null | sed -n 's/^Depends: //p' |
		tr ',' '\n' | sed -nE \
		's/^ *(linux-(headers-[^ ]*-common|kbuild-[^ ]*)).*/\1/p')
	deps=("linux-headers-$k" "${deps[@]}")
	if [ ${#deps[@]} -ne 3 ]; then
		vr_log "no headers, -common and kbuild packages for $k"
		return 1
	fi
	for p in "${deps[@]}"; do
		v=$(_vr_apt_for "$k" apt-cache show --no-all-versions "$p" \
			2>/dev/null | sed -n 's/^Version: //p')
		[ -n "$v" ] || { vr_log "no $p package"; return 1; }
		f=$(_vr_newest_deb "$debs" "${p}_$v")
		if [ -z "$f" ]; then
			vr_log "downloading $p $v"
			(cd "$debs" &&
				_vr_apt_for "$k" apt-get download "$p=$v" >&2) ||
				return 1
			f=$(_vr_newest_deb "$debs" "${p}_$v")
		fi
		[ -n "$f" ] || { vr_log "no $p $v in $debs"; return 1; }
		files+=("$f")
	done
	# Unpacked beside, then renamed: another run may be reading $h.
	mkdir -p "$VRANGE_CACHE/headers"
	(
		flock 9
		[ -f "$h/.extracted" ] && exit 0
		rm -rf "$h.tmp"
		mkdir -p "$h.tmp"
		for p in "${files[@]}"; do
			dpkg -x "$p" "$h.tmp" || exit 1
		done
		# Its Makefile includes the common tree by absolute /usr/src
		# path.
		sed -i "s|^include /usr/src/|include $h/usr/src/|" \
			"$h.tmp/usr/src/linux-headers-$k/Makefile"
		touch "$h.tmp/.extracted"
		rm -rf "$h"
		mv "$h.tmp" "$h"
	) 9>"$VRANGE_CACHE/headers/.lock"
}

# The sid chroot, made once with debootstrap (cached).
_vr_chroot() { echo "$VRANGE_CACHE/chroot/sid"; }

_vr_chroot_run() {
	# shellcheck disable=SC2016 # expanded by the inner sh
	unshare -m --propagation private sh -ec '
		mount -t proc proc "$1/proc"
		r=$1
		shift
		exec chroot "$r" "$@"' sh "$(_vr_chroot)" "$@"
}

_vr_headers_sid() {
	local k=$1 root tmp
	root=$(_vr_chroot)
	[ -e "$root/usr/src/linux-headers-$k/Makefile" ] && return 0
	mkdir -p "$VRANGE_CACHE/chroot"
	(
		flock 9
		if [ ! -x "$root/usr/bin/apt-get" ]; then
			tmp=$root.tmp
			rm -rf "$tmp"
			vr_log "debootstrap sid into $root (once)"
			debootstrap --variant=minbase --include=make,kmod sid \
				"$tmp" "$VRANGE_MIRROR" >&2 || exit 1
			echo 'Acquire::Check-Valid-Until "false";' \
				>"$tmp/etc/apt/apt.conf.d/99vrange"
			mv "$tmp" "$root"
		fi
		vr_log "installing linux-headers-$k in the sid chroot"
		_vr_chroot_run sh -ec "export DEBIAN_FRONTEND=noninteractive
			apt-get update -q >/dev/null
			apt-get install -y -q --no-install-recommends \
				linux-headers-$k dwarves" >&2
	) 9>"$VRANGE_CACHE/chroot/.lock"
}

# Extracted image tree for KVER in the cache; downloads on first use.
# Prints the directory holding boot/ and lib/modules/.
vr_kernel_image() {
	local k=$1 dir deb
	if [ "$(vr_kernel_flavour "$k")" = debug ]; then
		"$_vr_vm_dir/debug-kernel.sh"
		return
	fi
	dir="$VRANGE_CACHE/$k"
	if [ -f "$dir/.extracted" ] && [ -f "$dir/.modules" ] &&
		[ -f "$dir/boot/vmlinuz-$k" ]; then
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
		# apt-get download writes to cwd; the subshell keeps ours.
		case $(vr_kernel_flavour "$k") in
		host)
			vr_log "downloading linux-image-$k-unsigned"
			(cd "$VRANGE_CACHE/debs" &&
				apt-get download "linux-image-$k-unsigned" >&2)
			;;
		*)
			local suite pkg
			suite=$(vr_kernel_flavour "$k")
			_vr_apt_update "$suite"
			pkg=linux-image-$k-unsigned
			_vr_apt "$suite" apt-cache show "linux-binary-$k" \
				>/dev/null 2>&1 && pkg=linux-binary-$k
			vr_log "downloading $pkg ($suite)"
			(cd "$VRANGE_CACHE/debs" &&
				_vr_apt "$suite" apt-get download "$pkg" >&2)
			;;
		esac
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
	_vr_sid_modules "$k" "$deb" "$dir" || return 1
	# 7.x's linux-binary puts the image under usr/lib/modules/KVER/.
	if [ ! -f "$dir/boot/vmlinuz-$k" ]; then
		local v
		v=$(find "$dir" -name 'vmlinuz*' -type f | head -n 1)
		[ -n "$v" ] && mkdir -p "$dir/boot" &&
			ln -sfn "../${v#"$dir"/}" "$dir/boot/vmlinuz-$k"
	fi
	[ -f "$dir/boot/vmlinuz-$k" ] || {
		vr_log "$deb has no boot/vmlinuz-$k"
		return 1
	}
	touch "$dir/.extracted"
	echo "$dir"
}

# 7.x splits the image (linux-binary) from its modules (linux-modules):
# extract those too, for zram in the pressure-swap plan.  $dir/.modules
# says it was done (older caches lack it and are extracted again).
_vr_sid_modules() {
	local k=$1 deb=$2 dir=$3 mods
	case $(basename "$deb") in
	linux-binary-*) ;;
	*) touch "$dir/.modules"; return 0 ;;
	esac
	mods=$(_vr_find_modules_deb "$VRANGE_CACHE/debs" "$k")
	[ -n "$mods" ] || mods=$(_vr_find_modules_deb "$VRANGE_SEED_DIR" "$k")
	if [ -z "$mods" ]; then
		vr_log "downloading linux-modules-$k (sid)"
		(cd "$VRANGE_CACHE/debs" &&
			_vr_apt sid apt-get download "linux-modules-$k" >&2) ||
			return 1
		mods=$(_vr_find_modules_deb "$VRANGE_CACHE/debs" "$k")
	fi
	[ -n "$mods" ] || return 1
	vr_log "extracting $(basename "$mods")"
	dpkg -x "$mods" "$dir" && touch "$dir/.modules"
}

# The newest DIR/NAME_*.deb over the NAMEs given.
_vr_newest_deb() {
	local dir=$1 name f
	shift
	for name; do
		for f in "$dir/${name}_"*.deb; do
			[ -f "$f" ] && echo "$f"
		done
	done | sort -V | tail -n 1
}

_vr_find_deb() {
	_vr_newest_deb "$1" "linux-image-$2-unsigned" "linux-binary-$2"
}

_vr_find_modules_deb() {
	_vr_newest_deb "$1" "linux-modules-$2"
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
	kdir) vr_kernel_kdir "$2" ;;
	make)
		shift
		vr_kernel_make "$@"
		;;
	*)
		echo "usage: $0 list|packages|headers|image KVER|kdir KVER|make KVER DIR ARGS" >&2
		exit 2
		;;
	esac
fi
