#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vrange VM test runner: build the module for each target kernel, pack an
# initramfs with it and the guest tests, boot each plan under QEMU (TCG) and
# judge the console logs. See tests/vm/README.md for the interface.
#
#   tests/vm/run.sh [--suite check|bench|demo] [--plans "p1 p2"]
#                   [--kernels "kver1 kver2"]
#
# Ends with one line "N passed, N failed"; exits 1 if anything failed.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source-path=SCRIPTDIR
# shellcheck source=kernels.sh
. "$here/kernels.sh"

SRC_DIR=${VRANGE_SRC_DIR:-$repo}
GUEST_DIR=${VRANGE_GUEST_DIR:-$repo/tests/guest}
BUILD=${VRANGE_BUILD_DIR:-$repo/build}
BOOTS=${VRANGE_BOOTS:-$here/boots.conf}
JOBS=${VRANGE_JOBS:-$(nproc)}
QEMU=${VRANGE_QEMU:-qemu-system-x86_64}

suite=check
plans=""
kernels=""

usage() {
	sed -n '8,9p' "$0" | sed 's/^# \{0,1\}//'
	exit "${1:-2}"
}

while [ $# -gt 0 ]; do
	case "$1" in
	--suite) suite=${2:?}; shift 2 ;;
	--suite=*) suite=${1#*=}; shift ;;
	--plans) plans=${2:?}; shift 2 ;;
	--plans=*) plans=${1#*=}; shift ;;
	--kernels) kernels=${2:?}; shift 2 ;;
	--kernels=*) kernels=${1#*=}; shift ;;
	-h | --help) usage 0 ;;
	*) echo "run.sh: unknown argument $1" >&2; usage >&2 ;;
	esac
done

# Boot table rows without comments: "plan mem cpus timeout [args...]".
boot_rows() { sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$BOOTS"; }

if [ -z "$plans" ]; then
	case "$suite" in
	# known-gap plans test features still to be built: run them by name;
	# report plans are for tests/vm/report.sh.
	check) plans=$(boot_rows | awk '$1 !~ /^bench/ && $1 != "demo" && $1 !~ /^(known-gap|report)-/ {print $1}') ;;
	bench) plans="bench bench-icount" ;;
	demo) plans=demo ;;
	*) echo "run.sh: unknown suite $suite" >&2; exit 2 ;;
	esac
fi

if [ -z "$kernels" ]; then
	kernels=$(vr_kernel_list)
	# The demo is for people watching: one boot, on the newer kernel.
	if [ "$suite" = demo ]; then
		demo_k=$(tr -s ' ' '\n' <<<"$kernels" | grep '^6\.12\.' |
			tail -n 1) || true
		kernels=${demo_k:-$(tr -s ' ' '\n' <<<"$kernels" | tail -n 1)}
	fi
fi

mkdir -p "$BUILD"
# Keep build products out of git without touching the top-level .gitignore.
[ -f "$BUILD/.gitignore" ] || echo '*' >"$BUILD/.gitignore"

total_pass=0
total_fail=0

# report NAME PASS FAIL [DETAIL-LINES]: one result block, added to totals.
report() {
	echo "== $1: $2 passed, $3 failed"
	[ -z "${4:-}" ] || printf '%s\n' "$4"
	total_pass=$((total_pass + $2))
	total_fail=$((total_fail + $3))
}

# ---- the judge itself: cheap, and a broken scanner would hide bugs --------
if st=$("$here/selftest.sh" 2>&1); then
	report "harness selftest" 1 0
else
	report "harness selftest" 0 1 "$(grep -v '^ok ' <<<"$st" | sed 's/^/  /')"
fi

# ---- guest binaries: kernel independent, built once -----------------------
guest_out=$BUILD/guest
guest_ok=1
rm -rf "$guest_out"
mkdir -p "$guest_out/plans"
if [ -f "$GUEST_DIR/Makefile" ]; then
	echo "# building guest tests from $GUEST_DIR"
	if ! make -C "$GUEST_DIR" -j"$JOBS" OUT="$guest_out" \
		>"$BUILD/guest-build.log" 2>&1; then
		report "guest build" 0 1 "$(tail -n 30 "$BUILD/guest-build.log")"
		guest_ok=0
	fi
else
	echo "# no $GUEST_DIR/Makefile: no guest binaries"
fi
if [ -d "$GUEST_DIR/plans" ]; then
	cp -r "$GUEST_DIR"/plans/. "$guest_out/plans/" 2>/dev/null || true
fi

# ---- per kernel ------------------------------------------------------------

# What the out-of-tree build needs: Kbuild runs scripts/probe.sh, and lib/
# may hold shared code. Only sources are copied: in-tree build leftovers
# (*.o, .cmd, probed.h) made for another kernel must not leak in.
SRC_PATHS=(Kbuild module include lib scripts)

copy_sources() {
	local dst=$1 p have=()
	for p in "${SRC_PATHS[@]}"; do
		[ -e "$SRC_DIR/$p" ] && have+=("$p")
	done
	[ ${#have[@]} -gt 0 ] || return 0
	if git -C "$SRC_DIR" rev-parse --show-toplevel >/dev/null 2>&1 &&
		[ "$(git -C "$SRC_DIR" rev-parse --show-toplevel)" = "$(cd "$SRC_DIR" && pwd -P)" ]; then
		# Tracked + untracked-but-not-ignored: uncommitted work is
		# tested too, the repo's .gitignore filters build products.
		git -C "$SRC_DIR" ls-files -z -co --exclude-standard -- "${have[@]}" |
			tar -C "$SRC_DIR" --null -T - -cf - | tar -C "$dst" -xf -
	else
		tar -C "$SRC_DIR" -cf - --exclude='*.o' --exclude='*.ko' \
			--exclude='*.cmd' --exclude='*.mod' --exclude='*.mod.c' \
			--exclude=modules.order --exclude=Module.symvers \
			--exclude=probed.h "${have[@]}" | tar -C "$dst" -xf -
	fi
}

# build_module KVER: build/<kver>/src/vrange.ko; returns 1 if unusable.
build_module() {
	local k=$1 kb=$BUILD/$1 src=$BUILD/$1/src f n warns
	rm -rf "$src"
	mkdir -p "$src"
	copy_sources "$src"
	if [ ! -f "$src/Kbuild" ]; then
		report "$k build" 0 1 "  not ok - no Kbuild in $SRC_DIR"
		return 1
	fi
	echo "# building vrange.ko for $k"
	if ! vr_kernel_make "$k" "$src" -j"$JOBS" modules \
		>"$kb/build.log" 2>&1; then
		report "$k build" 0 1 "  not ok - module build failed; log tail:
$(tail -n 30 "$kb/build.log" | sed 's/^/    | /')"
		return 1
	fi
	# Warnings are errors for us, but the module is still booted so
	# that one warning does not hide the test results.
	warns=$(grep -i 'warning:' "$kb/build.log" || true)
	if [ -n "$warns" ]; then
		n=$(printf '%s\n' "$warns" | wc -l)
		report "$k build" 0 "$n" "$(printf '%s\n' "$warns" |
			sed 's/^/  not ok - /')"
	fi
	if [ ! -f "$src/vrange.ko" ]; then
		report "$k build" 0 1 "  not ok - build produced no vrange.ko"
		return 1
	fi
	[ -n "$warns" ] || report "$k build" 1 0
	# Which kernel API forms the probes found (module/compat/probed.h).
	echo "# $k probes: $(sed -n 's/^#define HAVE_\(.*\) 1$/\1/p; s|^/\* HAVE_\(.*\) is not set \*/$|!\1|p' \
		"$src/module/compat/probed.h" 2>/dev/null | tr 'A-Z\n' 'a-z ')"
}

# copy_module KDIR NAME DEST: NAME.ko of the image in KDIR, decompressed,
# after the modules it depends on; DEST/load-order lists them in order.
copy_module() {
	local kdir=$1 name=$2 dest=$3 f dep
	grep -qx "$name" "$dest/load-order" 2>/dev/null && return 0
	f=$(find "$kdir" -name "$name.ko" -o -name "$name.ko.xz" |
		head -n 1)
	[ -n "$f" ] || return 1
	for dep in $(modinfo -F depends "$f" | tr ',' ' '); do
		copy_module "$kdir" "$dep" "$dest" || return 1
	done
	case $f in
	*.xz) xz -dc "$f" >"$dest/$name.ko" ;;
	*) cp "$f" "$dest/$name.ko" ;;
	esac
	echo "$name" >>"$dest/load-order"
}

# Plans whose boots.conf row says vrange_udev=1 boot with systemd-udevd:
# build/guest-udev.cpio.gz (kernel independent, made once) holds the
# host's udevadm (systemd-udevd is the same binary), the libraries ldd
# lists for it and dist/udev's rules in /usr/lib/udev/rules.d, where
# Debian's udev reads them.  Appended to a kernel's initramfs.gz it makes
# initramfs-udev.gz (the kernel unpacks concatenated archives in order),
# so the other plans' initramfs stays as it is.
udev_overlay=$BUILD/guest-udev.cpio.gz
udev_plan() { boot_rows | awk -v p="$1" '$1 == p' | grep -qw 'vrange_udev=1'; }

make_udev_overlay() {
	local root=$BUILD/guest-udev udevadm lib
	rm -rf "$root" "$udev_overlay"
	udevadm=$(command -v udevadm) || return 1
	mkdir -p "$root/usr/bin" "$root/usr/lib/systemd" \
		"$root/usr/lib/udev/rules.d"
	cp -L "$udevadm" "$root/usr/bin/udevadm"
	ln -s ../../bin/udevadm "$root/usr/lib/systemd/systemd-udevd"
	for lib in $(ldd "$udevadm" | grep -o '/[^ ]*'); do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
	cp "$SRC_DIR"/dist/udev/*.rules "$root/usr/lib/udev/rules.d/"
	(cd "$root" && find . -print0 | sort -z |
		cpio --null -o -H newc -R 0:0 --quiet) | gzip -1 >"$udev_overlay"
}

need_udev=0
for plan in $plans; do
	udev_plan "$plan" && need_udev=1
done
if [ "$need_udev" = 1 ] && [ "$guest_ok" = 1 ] && ! make_udev_overlay; then
	report "udev overlay" 0 1 "  not ok - no udevadm on this host (apt install udev)"
fi

# make_initramfs KVER: build/<kver>/initramfs.gz
make_initramfs() {
	local k=$1 root=$BUILD/$1/initramfs
	rm -rf "$root"
	mkdir -p "$root"/{bin,dev,proc,sys,tmp,run,t}
	cp /bin/busybox "$root/bin/busybox"
	ln -s busybox "$root/bin/sh"
	cp "$here/guest-init.sh" "$root/init"
	chmod 755 "$root/init"
	cp "$BUILD/$k/src/vrange.ko" "$root/vrange.ko"
	# The kernel's own ashmem driver where it ships one (Debian 5.10):
	# the reference the ashmem-ref* plans load themselves.
	find "$kdir/lib/modules" -name 'ashmem_linux.ko' \
		-exec cp {} "$root/ashmem_linux.ko" \; 2>/dev/null || true
	# zram and what it needs, for swap in the pressure-swap plan (where
	# the image package ships modules; 7.x's linux-binary does not).
	mkdir -p "$root/modules"
	copy_module "$kdir" zram "$root/modules" ||
		rm -rf "$root/modules"
	cp -a "$guest_out/." "$root/t/"
	# The kernel opens /dev/console for init before devtmpfs is mounted.
	if [ "$(id -u)" -eq 0 ]; then
		mknod -m 600 "$root/dev/console" c 5 1
	fi
	(cd "$root" && find . -print0 | sort -z |
		cpio --null -o -H newc -R 0:0 --quiet) |
		gzip -1 >"$BUILD/$k/initramfs.gz"
	rm -f "$BUILD/$k/initramfs-udev.gz"
	if [ -f "$udev_overlay" ]; then
		cat "$BUILD/$k/initramfs.gz" "$udev_overlay" \
			>"$BUILD/$k/initramfs-udev.gz"
	fi
}

# boot KVER PLAN: boots once, logs to build/<kver>/<plan>.log, reports.
boot() {
	local k=$1 plan=$2 row mem cpus tmo extra log t0 t1 rc secs out
	local pass fail
	row=$(boot_rows | awk -v p="$plan" '$1 == p' | head -n 1)
	if [ -z "$row" ]; then
		report "$k $plan" 0 1 "  not ok - plan $plan not in $BOOTS"
		return
	fi
	if [ ! -f "$guest_out/plans/$plan.sh" ]; then
		report "$k $plan" 0 1 "  not ok - $GUEST_DIR/plans/$plan.sh missing"
		return
	fi
	read -r _ mem cpus tmo extra <<<"$row"
	# "qemu=ARG" words are QEMU's arguments, the rest the kernel's.
	local qemu_args=() word kargs=
	for word in $extra; do
		case $word in
		qemu=*) qemu_args+=("${word#qemu=}") ;;
		*) kargs+=" $word" ;;
		esac
	done
	extra=${kargs# }
	log=$BUILD/$k/$plan.log
	local initrd=$BUILD/$k/initramfs.gz
	if udev_plan "$plan"; then
		initrd=$BUILD/$k/initramfs-udev.gz
		[ -f "$initrd" ] || initrd=$BUILD/$k/initramfs.gz
	fi
	local numa=() smp=$cpus nodes node_mb n
	# "NxM": N memory nodes of M MB, one socket (and CPU) each, so that
	# no two nodes share a cache the kernel would warn about.
	if [[ $mem =~ ^([0-9]+)x([0-9]+)$ ]]; then
		nodes=${BASH_REMATCH[1]} node_mb=${BASH_REMATCH[2]}
		mem=$((nodes * node_mb)) smp=$nodes,sockets=$nodes
		for ((n = 0; n < nodes; n++)); do
			numa+=(-object "memory-backend-ram,id=m$n,size=${node_mb}M"
			       -numa "node,nodeid=$n,cpus=$n,memdev=m$n")
		done
	fi
	local cmd=("$QEMU" -accel tcg -cpu max -m "$mem" -smp "$smp" "${numa[@]}"
		"${qemu_args[@]}"
		-nographic -nodefaults -serial stdio -monitor none -no-reboot
		-kernel "$vmlinuz" -initrd "$initrd"
		-append "console=ttyS0 panic=-1 kfence.sample_interval=10 slub_debug=FZPU loglevel=7 plan=$plan ${extra:-} ${VRANGE_APPEND:-}")
	local attempt
	for attempt in 1 2; do
		echo "# booting $k plan=$plan (${mem} MB, $cpus cpus, timeout ${tmo}s)"
		t0=$(date +%s.%N)
		set +e
		if [ "$suite" = demo ]; then
			# People watch the demo: stream the console as it happens.
			timeout -k 10 "$tmo" "${cmd[@]}" </dev/null 2>&1 | tee "$log"
			rc=${PIPESTATUS[0]}
		else
			timeout -k 10 "$tmo" "${cmd[@]}" </dev/null >"$log" 2>&1
			rc=$?
		fi
		set -e
		t1=$(date +%s.%N)
		secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", b - a}')
		out=$("$here/scan-log.sh" "$log")
		read -r _ pass fail <<<"$(tail -n 1 <<<"$out")"
		out=$(sed '$d' <<<"$out")
		# A kernel that dies before the guest's init runs has not met
		# vrange (the module is not even loaded): under TCG, Debian's
		# kernel rarely takes an "Oops: int3" while it patches its own
		# text at boot.  Boot such a guest once more, and say so.
		if [ "$attempt" = 1 ] && [ "$fail" -gt 0 ] &&
		   ! grep -q '^# vrange guest:' "$log"; then
			mv "$log" "$log.early-crash"
			echo "# $k $plan: the kernel died before the guest init ran" \
				"($(grep -m 1 -E 'Oops|panic|BUG' "$log.early-crash" |
				sed 's/^\[ *[0-9.]*\] //')); booting again," \
				"first log in $log.early-crash"
			continue
		fi
		break
	done
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		out="  # timed out after ${tmo}s${out:+
$out}"
	elif [ "$rc" -ne 0 ]; then
		out="  # qemu exited with status $rc${out:+
$out}"
	fi
	report "$k $plan" "$pass" "$fail" "  # boot took ${secs}s, log $log${out:+
$out}"
}

for k in $kernels; do
	mkdir -p "$BUILD/$k"
	if ! vr_kernel_headers "$k"; then
		report "$k setup" 0 1 "  not ok - cannot install linux-headers-$k"
		continue
	fi
	if ! kdir=$(vr_kernel_image "$k"); then
		report "$k setup" 0 1 "  not ok - cannot get linux-image-$k-unsigned"
		continue
	fi
	vmlinuz=$kdir/boot/vmlinuz-$k
	build_module "$k" || continue
	[ "$guest_ok" = 1 ] || continue
	make_initramfs "$k"
	for plan in $plans; do
		boot "$k" "$plan"
	done
done

echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
