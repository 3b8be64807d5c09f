#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Reclaim while a closed region's ~200,000 intervals are freed by the
# worker: their batches head the purge LRU, so the shrinker has to take
# them off it to reach a live region's cache behind them, without
# touching their set, before a hog is OOM-killed.
# vrange_dying_unpins=N on the kernel command line makes fewer (the
# debug kernel frees 170,000 in 15 s and takes minutes to make them).
cd /t || exit 1
max=$(sed -n 's/.*vrange_dying_unpins=\([0-9]*\).*/\1/p' /proc/cmdline)
./vrange_dying $max
