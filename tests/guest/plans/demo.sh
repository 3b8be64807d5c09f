#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The < 1 minute demo story.
cd /t || exit 1
./vrange_demo
exit 0
