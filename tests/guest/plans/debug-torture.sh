#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Debug-kernel torture plan: the race test (fork, PURGE and PURGE_ALL,
# drop_caches, short-lived regions closed and unmapped in either order)
# for vrange_torture seconds (default 480), while in the background the
# sharing tests (fork, SCM_RIGHTS fd passing), the edge tests (munmap and
# close around faults) and the ioctl fuzzer (close under use) loop, and a
# memory hog keeps the shrinker busy.  Every test runs with
# VRANGE_TEST_SHARED=1: checks that need vrange to themselves (global
# counters, unpinned data someone else may purge) turn into skips when
# they fail, and every other check of every run is judged.
cd /t || exit 1
export VRANGE_TEST_SHARED=1
secs=${vrange_torture:-480}
rm -f /tmp/torture.stop

loop() {
	name=$1
	shift
	n=0
	s=0
	while [ ! -e /tmp/torture.stop ]; do
		"$@" >/tmp/torture."$name".out 2>&1 ||
			echo "not ok - $name exited with status $?" >>/tmp/torture."$name".fail
		grep '^not ok' /tmp/torture."$name".out >>/tmp/torture."$name".fail
		s=$((s + $(grep -c '# SKIP others purge' /tmp/torture."$name".out)))
		n=$((n + 1))
	done
	echo "$n" >/tmp/torture."$name".runs
	echo "$s" >/tmp/torture."$name".skips
}
loop sharing ./vrange_sharing &
loop edges ./vrange_edges &
loop fuzz ./debug_fuzz 20000 2 &
# Memory pressure: fill and free a tmpfs file of ~1/3 of RAM.
(
	kb=$(awk '/MemTotal/ {print int($2 / 3 / 1024)}' /proc/meminfo)
	while [ ! -e /tmp/torture.stop ]; do
		dd if=/dev/zero of=/dev/shm/hog bs=1M count="$kb" 2>/dev/null
		rm -f /dev/shm/hog
	done
) &

./vrange_race "$secs"
touch /tmp/torture.stop
wait
for name in sharing edges fuzz; do
	runs=$(cat /tmp/torture."$name".runs 2>/dev/null || echo 0)
	if [ "$runs" -gt 0 ]; then
		echo "ok - torture: $name ran $runs times alongside the race"
	else
		echo "not ok - torture: $name never completed a run"
	fi
	skips=$(cat /tmp/torture."$name".skips 2>/dev/null || echo 0)
	if [ -s /tmp/torture."$name".fail ]; then
		echo "not ok - torture: $name: every judged check passed in every run"
		sort /tmp/torture."$name".fail | uniq -c | sed 's/^/#   /' | head -n 10
	else
		echo "ok - torture: $name: every judged check passed in every run ($skips shared-mode skips)"
	fi
done
# With every process gone, any drift of the global gauges would show.
. /t/plans/lib/gauges.sh
gauges_zero "torture: every global gauge is back to zero"
if rmmod vrange; then
	echo "ok - rmmod vrange after the torture"
else
	echo "not ok - rmmod vrange after the torture"
fi
exit 0
