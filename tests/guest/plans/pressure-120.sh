#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# 120 MB unpinned, a 100 MB hog: the shrinker must make room.
cd /t || exit 1
./vrange_pressure 120 100
# The same inside a memory cgroup: 48 MB unpinned + a 40 MB hog under a
# 58 MB memory.max; reclaim in the cgroup must purge, not OOM-kill.
./vrange_pressure 48 40 --memcg
exit 0
