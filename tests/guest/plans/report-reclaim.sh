#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `make report` (tests/vm/report.sh), not `make check`: the pressure-swap
# run of vrange_swap (150 MB pinned working set, 160 MB of cache unpinned
# in 20 calls, a 200 MB hog, 1 GB of zram swap where the kernel has
# zram.ko) with vrange_sampler logging memory, vrange's counters, swap and
# events to the console every 100 ms; tests/vm/plot-reclaim.sh plots it.
cd /t || exit 1
. /t/plans/lib/zram.sh
zram_swap_on
./vrange_sampler 100 &
sampler=$!
sleep 1
./vrange_swap vrange 150 160 20 200
sleep 1
kill "$sampler"
wait "$sampler"
swapoff /dev/zram0 2>/dev/null
exit 0
