#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Issue 10 under real memory pressure (a hog, no PURGE ioctl), 256 MB guest:
# class order against age order (4 classes x 2 unpins of 8 MB, 24 MB
# short), the same inside a cgroup with an 80 MB memory.max, NORMAL alone
# still purged, OBSOLETE first at the first purge of a gentle hog, WHOLE
# ranges never split (12 x 6 MB, 20 MB short; 48 MB for 8 MB short), and
# POLLPRI from a shrinker purge, none for regions it did not touch.
cd /t || exit 1

# Status 1 is "not ok" lines already printed; a bail-out (2) or a
# death prints none of its own.
run() {
	./vrange_classes_pressure "$@"
	st=$?
	[ "$st" -le 1 ] || echo "not ok - vrange_classes_pressure $* exited with $st"
}

run order 8 24
run order --memcg 80 6 16
run starve 64 40
run obsolete 16 16
run whole 12 6 20 48 8
run poll 48 16
. /t/plans/lib/gauges.sh
gauges_zero "classes pressure: all gauges are zero at the end"
exit 0
