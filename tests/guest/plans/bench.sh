#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Performance table (informational).
cd /t || exit 1
./vrange_bench

# The ashmem ABI: vrange's node, then (where the kernel ships it, Debian
# 5.10) the reference ashmem_linux.ko in the same guest, with ratios.  The
# reference cannot be unloaded (no module_exit): it goes last.
./ashmem_bench --record /tmp/ashmem-ours.txt
if [ -f /ashmem_linux.ko ] && rmmod vrange && insmod /ashmem_linux.ko; then
	./ashmem_bench --record /tmp/ashmem-ref.txt
	./ashmem_bench --compare /tmp/ashmem-ours.txt /tmp/ashmem-ref.txt
fi
exit 0
