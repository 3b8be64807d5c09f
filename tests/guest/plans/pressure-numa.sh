#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Two memory nodes: a hog bound to one node makes that node reclaim, and
# only the unpinned pages on it may go.
cd /t || exit 1
./vrange_numa
exit 0
