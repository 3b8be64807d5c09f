#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Debug-kernel plan: the ioctl fuzzer (10^6 calls, 4 threads, descriptors
# closed and reopened underneath) as root, then as uid 65534 (what an
# unprivileged user reaches), then a clean unload. The verdict is the
# kernel log: KASAN, lockdep, DEBUG_VM... reports fail the boot.
cd /t || exit 1
./debug_fuzz "${vrange_fuzz_calls:-1000000}" 4 ||
	echo "not ok - debug_fuzz as root exited with status $?"
./debug_fuzz -u 65534 "${vrange_fuzz_user_calls:-500000}" 4 ||
	echo "not ok - debug_fuzz as uid 65534 exited with status $?"
if rmmod vrange; then
	echo "ok - rmmod vrange after the fuzzer"
else
	echo "not ok - rmmod vrange after the fuzzer"
fi
exit 0
