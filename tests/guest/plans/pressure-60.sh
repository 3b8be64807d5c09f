#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# 60 MB unpinned, a 150 MB hog: purge everything unpinned if needed.
cd /t || exit 1
./vrange_pressure 60 150
exit 0
