#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The reference: where the kernel ships ashmem_linux.ko (Debian 5.10), in
# one guest: load it, then vrange.ko must come up without its node (one
# log line, no sysfs splat); run the conformance suite (64/32-bit), the
# libcutils API and the pressure runs against the reference; then swap to
# vrange's node and run the same, and print the side-by-side table.
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
./ashmem_pressure 60 150

rmmod vrange && rmmod ashmem_linux && insmod /vrange.ko &&
	[ -c /dev/ashmem ] && [ ! -d /sys/module/ashmem_linux ]
say $? "swap: vrange.ko alone registers /dev/ashmem"

./ashmem_conformance --record /tmp/ours.res
./ashmem_conformance32 --record /tmp/ours32.res
./ashmem_libcutils
./ashmem_pressure 120 100
./ashmem_pressure 60 150
./ashmem_conformance --table /tmp/ref.res /tmp/ref32.res /tmp/ours.res \
	/tmp/ours32.res
rmmod vrange
say $? "rmmod vrange after the reference comparison"
exit 0
