#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash
#
# /init of the vrange test initramfs (busybox only, no /lib/modules).
#
# Sets up the minimal environment the tests need, loads /vrange.ko and runs
# /t/plans/$plan.sh; `plan=NAME` on the kernel command line reaches us as an
# environment variable. Everything goes to the console (ttyS0), which the
# host captures and scans. The host treats a log without @@VRANGE-DONE as a
# crash or timeout, so print it last, right before powering off.
#
# Optional command-line knobs (also passed to us as env vars):
#   vrange_noinsmod=1   do not load the module (plan loads it itself)
#   vrange_args="..."   module parameters for insmod (no spaces: one param)

/bin/busybox mkdir -p /bin /sbin /usr/bin /usr/sbin
/bin/busybox --install -s
export PATH=/t:/sbin:/usr/sbin:/bin:/usr/bin
export HOME=/tmp

mkdir -p /proc /sys /dev /tmp /run
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t cgroup2 cgroup2 /sys/fs/cgroup 2>/dev/null
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts 2>/dev/null
mount -t tmpfs tmpfs /dev/shm 2>/dev/null

# All kernel messages (incl. KERN_DEBUG) to the console, so the host sees
# WARN/BUG/KFENCE reports interleaved with the test output.
echo 8 >/proc/sys/kernel/printk

# The console is our only channel; make sure stdio goes there.
[ -c /dev/console ] && exec </dev/console >/dev/console 2>&1

plan="${plan:-}"
echo "# vrange guest: kernel $(uname -r), plan '${plan}'," \
	"$(grep -c ^processor /proc/cpuinfo) cpus," \
	"$(awk '/MemTotal/ {print $2 " kB"}' /proc/meminfo)"

if [ "${vrange_noinsmod:-0}" = 1 ]; then
	echo "ok - insmod # SKIP vrange_noinsmod=1"
elif [ ! -f /vrange.ko ]; then
	echo "not ok - insmod: /vrange.ko missing from initramfs"
elif insmod /vrange.ko ${vrange_args:+"$vrange_args"}; then
	echo "ok - insmod"
else
	echo "not ok - insmod (exit $?)"
fi

cd /t 2>/dev/null || cd /
if [ -z "$plan" ]; then
	echo "not ok - no plan= on the kernel command line"
elif [ ! -f "/t/plans/$plan.sh" ]; then
	echo "not ok - plan $plan: /t/plans/$plan.sh not found"
else
	sh "/t/plans/$plan.sh"
	rc=$?
	# A plan that dies half-way must not look like a clean run.
	[ "$rc" -eq 0 ] || echo "not ok - plan $plan exited with status $rc"
fi

# Let late kernel messages (e.g. deferred WARNs) reach the console.
sync
sleep 1
echo "@@VRANGE-DONE"
poweroff -f
# Not reached unless poweroff failed; init exiting panics, and with
# panic=-1 + -no-reboot that ends QEMU too.
exit 1
