#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Control: 120 MB kept pinned and a 100 MB hog must end in an OOM kill.
cd /t || exit 1
./vrange_pressure 120 100 --pinned
exit 0
