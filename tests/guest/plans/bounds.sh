#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The bound on interval nodes (issue 12), in the 512 MB guest:
# uid 65534 unpins every other page of a 64 TiB region until ENOSPC, a
# second user gets its own quota through /dev/ashmem, root meets the
# system bound, and a region at the system bound closes without a stall.
# A soft lockup or hung task report fails the boot through the log scan.
# vrange_bounds_gap=report on the kernel command line: the same-CPU
# thread's worst wait during the free is printed, with where CPU 0 went
# meanwhile (sampled from CPU 1), not judged.
cd /t || exit 1
case " $(cat /proc/cmdline) " in
*" vrange_bounds_gap=report "*) ./vrange_bounds --gap-report-only ;;
*) ./vrange_bounds ;;
esac
if rmmod vrange; then
	echo "ok - rmmod vrange after the bounds test"
else
	echo "not ok - rmmod vrange after the bounds test"
fi
exit 0
