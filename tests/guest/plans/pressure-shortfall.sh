#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The reclaim issue's OOM cases: 200 MB unpinned in 25 calls of 8 MB, then
# in one call; a hog maps MemFree plus the shortfall in one mapping and
# touches it page by page.  No OOM kill is allowed: the unpinned pages
# cover every shortfall.  Then the same inside a memory cgroup with a
# 300 MB memory.max, the hog taking what the limit leaves plus the
# shortfall.  Purged/shortfall is reported for the reclaim table.
# The other patterns users have: 3200 unpins of 64 KiB, two hogs at
# once, a hog growing in 4 MB steps; two hogs inside the cgroup too.
cd /t || exit 1
./vrange_shortfall 200 25 8 16 32
./vrange_shortfall 200 1 16
./vrange_shortfall 200 3200 16
./vrange_shortfall --hogs 2 200 25 16
./vrange_shortfall --steps 4 200 25 16
./vrange_shortfall --memcg 300 200 25 8 16 32
./vrange_shortfall --memcg 300 --hogs 2 200 25 16

# The reference rows, only for the matrix (tests/vm/reclaim.sh): the same
# cells with MADV_FREE for the cache, then, where the kernel ships it
# (Debian 5.10), with the kernel's own ashmem_linux.ko, which cannot share
# /dev/ashmem with vrange's node and never unloads: so it comes last.
grep -q vrange_reference=1 /proc/cmdline || exit 0
./vrange_shortfall --cache madv_free 200 25 8 16 32
./vrange_shortfall --cache madv_free 200 1 16
./vrange_shortfall --cache madv_free --memcg 300 200 25 16
[ -f /ashmem_linux.ko ] || exit 0
if rmmod vrange && insmod /ashmem_linux.ko; then
	./vrange_shortfall --cache ashmem 200 25 8 16 32
	./vrange_shortfall --cache ashmem 200 1 16
	./vrange_shortfall --cache ashmem --memcg 300 200 25 16
else
	echo "not ok - swap vrange.ko for the reference ashmem_linux.ko"
fi
exit 0
