#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# 120 MB unpinned, a 100 MB hog: the shrinker must make room.
cd /t || exit 1
./vrange_pressure 120 100
exit 0
