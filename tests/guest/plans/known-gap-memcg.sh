#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# 48 MB unpinned + a 40 MB hog inside a memory cgroup with a 58 MB
# memory.max: reclaim in the cgroup must purge, not OOM-kill.  This needs
# a memcg-aware shrinker, which is not built yet, so this plan is outside
# "make check": run it with tests/vm/run.sh --plans known-gap-memcg.
cd /t || exit 1
./vrange_pressure 48 40 --memcg
exit 0
