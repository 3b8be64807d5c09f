#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# 60 MB unpinned, a 150 MB hog: purge everything unpinned if needed.
# Then LRU under gentle pressure: 2 x 48 MB unpinned (older A, newer B)
# and a hog that grows only until the first purge: A must go, B must stay.
cd /t || exit 1
./vrange_pressure 60 150
./vrange_pressure 96 200 --gentle
exit 0
