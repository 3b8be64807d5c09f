#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# 48 MB unpinned + a 40 MB hog inside a memory cgroup with a 58 MB
# memory.max: reclaim in the cgroup must purge its unpinned ranges (the
# memcg-aware shrinker) instead of OOM-killing inside the cgroup.
cd /t || exit 1
./vrange_pressure 48 40 --memcg
# A removed cgroup's ranges purged by its parent; an owner moved between
# unpins.
./vrange_memcg
exit 0
