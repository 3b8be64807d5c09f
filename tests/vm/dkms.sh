#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# t NAME CMD evals CMD: single quotes and variables used only there are
# on purpose.
# shellcheck disable=SC2016,SC2034
#
# The DKMS flow for real, as root (part of `make check`):
#   scripts/dkms.sh install  = dkms add + build -k + install -k for each
#                              bookworm kernel under test, against the
#                              headers unpacked in the cache (kernels.sh);
#   on the host: dkms status, the file in /lib/modules/KVER/updates/dkms,
#                its signature by the DKMS MOK key (/var/lib/dkms/mok.*);
#   in a guest booted on KVER: modprobe (depmod-made modules.dep) loads
#                that very file, smoke test, modprobe -r (dkms-plan.sh);
#   scripts/dkms.sh remove   = dkms remove --all; everything is gone.
# Ends with "N passed, N failed".  Serialised by /tmp/vrange-dkms.lock.
#
# The host keeps none of it: the flow runs in a private mount namespace
# where /usr/lib/modules (a /lib/modules/KVER/build link to the cache's
# headers, updates/dkms, depmod's files), /usr/src (the sources),
# /var/lib/dkms (dkms's tree, the MOK key it makes on a first build) and
# /etc (the udev and modules-load.d files) are tmpfs overlays, thrown
# away with the namespace even if the test dies; the outer run checks
# that those trees are as they were.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source-path=SCRIPTDIR source=kernels.sh
. "$here/kernels.sh"
BUILD=${VRANGE_BUILD_DIR:-$repo/build}/dkms
GUEST_DIR=${VRANGE_GUEST_DIR:-$repo/tests/guest}
QEMU=${VRANGE_QEMU:-qemu-system-x86_64}
# shellcheck source-path=SCRIPTDIR source=tap.sh
. "$here/tap.sh"
OVERLAID=(/usr/lib/modules /usr/src /var/lib/dkms /etc)

# What the flow may write on the host (/etc only where it writes: other
# programs change the rest of it), as one line per path.
host_state() {
	find /usr/lib/modules /usr/src /var/lib/dkms /etc/udev/rules.d \
		/etc/modules-load.d -printf '%p %y %s %T@ %l\n' 2>/dev/null | sort
}

if [ -z "${VRANGE_DKMS_NS:-}" ]; then
	if [ "$(id -u)" -ne 0 ] || ! command -v dkms >/dev/null; then
		t "dkms test needs root and dkms" false
		finish
	fi
	exec 8>/tmp/vrange-dkms.lock
	flock 8
	rm -rf "$BUILD"
	mkdir -p "$BUILD"
	host_state >"$BUILD/host.before"
	VRANGE_DKMS_NS=1 unshare -m --propagation private "$0" "$@" |
		tee "$BUILD/inner.log"
	read -r pass fail < <(tail -n 1 "$BUILD/inner.log" |
		sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p')
	sed -i '$d' "$BUILD/inner.log"
	[ -n "${pass:-}" ] || { pass=0; fail=1; }
	host_state >"$BUILD/host.after"
	diff "$BUILD/host.before" "$BUILD/host.after" | head -n 20 |
		sed 's/^/  # /'
	t "the host's /lib/modules, /usr/src, /var/lib/dkms and udev and modules-load.d files are as before" \
		'cmp -s "$BUILD/host.before" "$BUILD/host.after"'
	finish
fi

# Inside the namespace: an overlay on each tree, upper layers in a tmpfs.
ns=$BUILD/ns
mkdir -p "$ns"
mount -t tmpfs vrange-dkms "$ns" || { t "tmpfs for the overlays" false; finish; }
for d in "${OVERLAID[@]}"; do
	mkdir -p "$ns/upper$d" "$ns/work$d"
	t "overlay on $d" 'mount -t overlay overlay \
		-o "lowerdir=$d,upperdir=$ns/upper$d,workdir=$ns/work$d" "$d"'
done
[ "$fail" -eq 0 ] || finish

# The bookworm kernels (5.10's headers name gcc-10, 7.x's need sid's
# libc), with /lib/modules/KVER/build pointing at their cached headers.
kernels=()
for k in ${VRANGE_DKMS_KERNELS:-$(vr_kernel_list)}; do
	[ "$(vr_kernel_flavour "$k")" = host ] || continue
	if ! vr_kernel_headers "$k" >"$BUILD/headers-$k.log" 2>&1; then
		t "$k: headers in the cache (log $BUILD/headers-$k.log)" false
		continue
	fi
	mkdir -p "/lib/modules/$k"
	rm -rf "/lib/modules/$k/build"
	ln -s "$(vr_kernel_kdir "$k")" "/lib/modules/$k/build"
	kernels+=("$k")
done
if [ ${#kernels[@]} -eq 0 ]; then
	t "a bookworm kernel to build for" false
	finish
fi
nv=$("$repo/scripts/dkms.sh" version)

echo "# dkms install of $nv for ${kernels[*]} (log $BUILD/install.log)"
t "scripts/dkms.sh install ${kernels[*]}" \
	'"$repo/scripts/dkms.sh" install "${kernels[@]}" >"$BUILD/install.log" 2>&1'
grep -E 'Error|error:|warning:' "$BUILD/install.log" | sed 's/^/  # /'

make -C "$GUEST_DIR" OUT="$BUILD/guest" >"$BUILD/guest-build.log" 2>&1 ||
	t "guest tests build" false

# The MOK certificate dkms signs with, as modinfo prints its serial.
serial=$(openssl x509 -inform DER -in /var/lib/dkms/mok.pub -noout \
	-serial 2>/dev/null | sed 's/^serial=//; s/../&:/g; s/:$//')

for k in "${kernels[@]}"; do
	t "dkms status: $nv installed for $k" \
		'dkms status "$nv" -k "$k" 2>/dev/null | grep -q ": installed"'
	f=$(ls /lib/modules/"$k"/updates/dkms/vrange.ko* 2>/dev/null | head -n 1)
	t "$k: module in /lib/modules/$k/updates/dkms ($(basename "${f:-none}"))" \
		'[ -n "$f" ]'
	[ -n "$f" ] || continue
	t "$k: signed by the DKMS MOK key ($(modinfo -F signer "$f"))" \
		'[ -n "$serial" ] && [ "$(modinfo -F sig_key "$f")" = "$serial" ]'

	# Initramfs: busybox + kmod (modprobe), the installed file, depmod.
	root=$BUILD/$k/root
	mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,run,t/plans,etc} \
		"$root/lib/modules/$k/updates/dkms"
	cp /bin/busybox "$root/bin/busybox"
	ln -s busybox "$root/bin/sh"
	cp "$here/guest-init.sh" "$root/init"
	chmod 755 "$root/init"
	cp /usr/bin/kmod "$root/sbin/kmod"
	for l in modprobe modinfo depmod lsmod rmmod insmod; do
		ln -sf kmod "$root/sbin/$l"
	done
	ldd /usr/bin/kmod | grep -o '/[^ ]*' | while read -r lib; do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
	cp "$f" "$root/lib/modules/$k/updates/dkms/"
	depmod -b "$root" "$k" 2>/dev/null
	t "$k: depmod lists updates/dkms/$(basename "$f") in modules.dep" \
		'grep -q "^updates/dkms/$(basename "$f"):" "$root/lib/modules/$k/modules.dep"'
	cp -a "$BUILD/guest/." "$root/t/"
	cp "$here/dkms-plan.sh" "$root/t/plans/dkms.sh"
	mknod -m 600 "$root/dev/console" c 5 1
	(cd "$root" && find . -print0 | sort -z |
		cpio --null -o -H newc -R 0:0 --quiet) | gzip -1 >"$BUILD/$k/initramfs.gz"

	kdir=$(vr_kernel_image "$k") || { t "$k: image" false; continue; }
	log=$BUILD/$k/dkms.log
	echo "# booting $k plan=dkms"
	timeout -k 10 300 "$QEMU" -accel tcg -cpu max -m 512 -smp 2 \
		-nographic -nodefaults -serial stdio -monitor none -no-reboot \
		-kernel "$kdir/boot/vmlinuz-$k" -initrd "$BUILD/$k/initramfs.gz" \
		-append "console=ttyS0 panic=-1 loglevel=7 plan=dkms vrange_noinsmod=1 vrange_sha=$(sha256sum "$f" | cut -d' ' -f1)" \
		</dev/null >"$log" 2>&1
	out=$("$here/scan-log.sh" "$log")
	read -r _ p n <<<"$(tail -n 1 <<<"$out")"
	echo "== $k dkms boot: $p passed, $n failed (log $log)"
	sed '$d' <<<"$out"
	pass=$((pass + p))
	fail=$((fail + n))
done

# Clean refusal outside the supported range and without shmem/MMU: dkms
# exits 77 with its BUILD_EXCLUSIVE message instead of a compiler error.
kb=/lib/modules/${kernels[0]}/build
excl() {
	local out rc
	out=$(dkms build "$nv" -k "$1" --kernelsourcedir "$2" 2>&1)
	rc=$?
	[ "$rc" -eq 77 ] && grep -q BUILD_EXCLUSIVE <<<"$out"
}
t "dkms refuses 4.19 with a BUILD_EXCLUSIVE message" 'excl 4.19.0-27-amd64 "$kb"'
t "dkms refuses 7.3 with a BUILD_EXCLUSIVE message" 'excl 7.3.1-1-amd64 "$kb"'
mkdir -p "$BUILD/noshmem"
grep -v '^CONFIG_SHMEM=' "$kb/.config" >"$BUILD/noshmem/.config"
t "dkms refuses a kernel without CONFIG_SHMEM" \
	'excl 6.1.0-99-noshmem "$BUILD/noshmem"'

t "scripts/dkms.sh remove" \
	'"$repo/scripts/dkms.sh" remove >"$BUILD/remove.log" 2>&1'
t "dkms status is empty for $nv after remove" '[ -z "$(dkms status "$nv" 2>/dev/null)" ]'
t "no vrange.ko left in /lib/modules/*/updates/dkms" \
	'! ls /lib/modules/*/updates/dkms/vrange.ko* >/dev/null 2>&1'
finish
