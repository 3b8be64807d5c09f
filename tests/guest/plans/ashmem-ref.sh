#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The reference: where the kernel ships ashmem_linux.ko (Debian 5.10), in
# one guest: load it, then vrange.ko must come up without its node (one
# log line, no sysfs splat); run the conformance suite (64/32-bit), the
# libcutils API and the pressure runs against the reference.
# Booted with vrange_noinsmod=1.
cd /t || exit 1

if [ ! -f /ashmem_linux.ko ]; then
	echo "ok - reference ashmem # SKIP this kernel ships no ashmem_linux.ko"
	exit 0
fi
say() { if [ "$1" = 0 ]; then echo "ok - $2"; else echo "not ok - $2"; fi; }

insmod /ashmem_linux.ko
say $? "insmod the kernel's own ashmem_linux.ko"
insmod /vrange.ko
say $? "insmod vrange.ko while ashmem_linux.ko owns /dev/ashmem"
n=$(dmesg | grep -c 'vrange: a misc device named ashmem exists already')
say "$([ "$n" = 1 ] && echo 0 || echo 1)" \
	"vrange logs one line about the existing ashmem device ($n)"
[ -c /dev/vrange ] && [ -d /sys/module/ashmem_linux ]
say $? "/dev/vrange works beside the reference /dev/ashmem"

./ashmem_conformance --record /tmp/ref.res
./ashmem_conformance32 --record /tmp/ref32.res
./ashmem_libcutils
./ashmem_pressure 120 100
./ashmem_pressure 60 avail-16

# The staging driver has no module_exit: it stays until reboot, so our
# node is compared in the "ashmem" plan of the same kernel (a second boot)
# and tests/guest/ashmem_table.sh puts the logs side by side.
if rmmod ashmem_linux 2>/dev/null; then
	echo "# ashmem_linux.ko unloaded"
else
	echo "# ashmem_linux.ko cannot be unloaded (no module_exit)"
fi
rmmod vrange
say $? "rmmod vrange beside the reference"
exit 0
