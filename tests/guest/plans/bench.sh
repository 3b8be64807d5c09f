#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Performance table (informational).
cd /t || exit 1
./vrange_bench
exit 0
