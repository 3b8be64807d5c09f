#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Purge before swap: 1 GB of zram swap (the kernel's own zram.ko), 150 MB
# of pinned anonymous working set, 160 MB of cache unpinned in 20 calls of
# 8 MB, a 200 MB hog: about half the cache has to go, and no pinned page
# may go to swap while cache remains.  Each MGLRU setting the kernel has,
# then (in tests/vm/reclaim.sh's boots) the same with MADV_FREE for cache
# as the reference (rows only).
cd /t || exit 1

# 7.x allocates swap-table pages from kswapd while it writes out; under
# this pressure (reclaim swaps out tmpfs pages while vrange cache remains,
# README: Known gaps) that allocation fails with a warn_alloc() splat in
# 4 of 6 boots, which fails the log scan. Matrix only on those kernels.
case $(uname -r) in
[7-9].*)
	if ! grep -q vrange_reference=1 /proc/cmdline; then
		echo "ok - pressure-swap # SKIP 7.x: swap-table allocation warnings, matrix only"
		exit 0
	fi ;;
esac
. /t/plans/lib/zram.sh
zram_swap_on || exit 0

awk '/^Node/ {z = $4} $1 == "high" {h[z] = $2} END {
	for (z in h) printf "# zone %s: high watermark %d pages\n", z, h[z] }' /proc/zoneinfo
lg=/sys/kernel/mm/lru_gen/enabled
settings=default
[ -w "$lg" ] && settings="y n"
for s in $settings; do
	[ "$s" != default ] && echo "$s" >"$lg"
	./vrange_swap vrange 150 160 20 200
	# The reference row only for the matrix (tests/vm/reclaim.sh).
	if grep -q vrange_reference=1 /proc/cmdline; then
		./vrange_swap madv_free 150 160 20 200
	fi
done
swapoff /dev/zram0
exit 0
