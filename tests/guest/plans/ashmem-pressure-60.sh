#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# pressure-60 through the ashmem ABI: no OOM kill on ours; on the
# reference (ashmem_linux.ko loaded) the outcome is recorded.
cd /t || exit 1
./ashmem_pressure 60 avail-16
exit 0
