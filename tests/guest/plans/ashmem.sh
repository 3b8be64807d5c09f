#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The ashmem node of vrange: conformance (64- and 32-bit), the libcutils
# API over /dev/ashmem and over the /dev/vrange fallback (ashmem=0), 64-bit
# sizes through libvrange (64- and 32-bit), and a clean unload.  Runs
# after the harness did "insmod /vrange.ko".
cd /t || exit 1

if [ -c /dev/ashmem ] && [ -d /sys/class/misc/ashmem ]; then
	echo "ok - /dev/ashmem registered by vrange.ko"
else
	echo "not ok - /dev/ashmem registered by vrange.ko"
fi
./ashmem_conformance --record /tmp/ours.res
./ashmem_conformance32 --record /tmp/ours32.res
./ashmem_libcutils
./libvrange_sizes
./libvrange_sizes32
./ashmem_conformance --table /tmp/none /tmp/none /tmp/ours.res \
	/tmp/ours32.res

if rmmod vrange && insmod /vrange.ko ashmem=0 && [ ! -e /dev/ashmem ] &&
	[ -c /dev/vrange ]; then
	echo "ok - ashmem=0: no /dev/ashmem, /dev/vrange works"
else
	echo "not ok - ashmem=0: no /dev/ashmem, /dev/vrange works"
fi
./ashmem_libcutils
./libvrange_sizes
./libvrange_sizes32
if rmmod vrange; then
	echo "ok - rmmod vrange after the ashmem tests"
else
	echo "not ok - rmmod vrange after the ashmem tests"
fi
exit 0
