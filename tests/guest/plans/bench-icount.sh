#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The bench's cycles counted in instructions: booted with QEMU -icount
# shift=0, where the guest clock advances 1 ns per instruction
# (informational).
cd /t || exit 1
./vrange_bench --icount
exit 0
