#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Reclaim while a closed region's ~200,000 intervals are freed by the
# worker: their batches head the purge LRU, so the shrinker has to take
# them off it to reach a live region's cache behind them, without
# touching their set, before a hog is OOM-killed.
cd /t || exit 1
./vrange_dying
