#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The tracepoints through tracefs: every event after real traffic, with a
# shrinker purge in a memory cgroup (skips on a kernel without events).
cd /t || exit 1
./vrange_trace
exit 0
