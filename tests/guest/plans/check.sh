#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Functional plan: semantics, sharing, purge classes and notification,
# module reload, race, clean unload.
# Runs in /t after the harness did "insmod /vrange.ko".

cd /t || exit 1

./vrange_semantics
./vrange_sharing
./vrange_edges
./vrange_classes

# Everything is closed now: the module must unload and load again.
if rmmod vrange; then
	echo "ok - rmmod vrange succeeds once every region is closed"
else
	echo "not ok - rmmod vrange succeeds once every region is closed"
fi
if [ ! -e /dev/vrange ] && [ ! -d /sys/module/vrange ]; then
	echo "ok - /dev/vrange and /sys/module/vrange are gone after rmmod"
else
	echo "not ok - /dev/vrange and /sys/module/vrange are gone after rmmod"
fi
if insmod /vrange.ko && [ -c /dev/vrange ]; then
	echo "ok - insmod vrange again after rmmod"
else
	echo "not ok - insmod vrange again after rmmod"
fi

./vrange_race 60
# PIN and faults against a purge whose pages are still being freed.
./vrange_pin_purge 10

# Every gauge must be back to zero once the race test's regions are gone.
. /t/plans/lib/gauges.sh
gauges_zero "all gauges are zero after the race test"
if rmmod vrange; then
	echo "ok - rmmod vrange succeeds after the race test"
else
	echo "not ok - rmmod vrange succeeds after the race test"
fi
exit 0
