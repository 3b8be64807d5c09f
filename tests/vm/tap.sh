# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# TAP lines for the host-side test scripts (dkms.sh, deb.sh):
#   t NAME COMMAND   runs COMMAND with eval and prints ok/not ok - NAME
#   finish           prints "N passed, N failed" and exits non-zero on failure
pass=0
fail=0

t() {
	if eval "$2"; then
		echo "ok - $1"
		pass=$((pass + 1))
	else
		echo "not ok - $1"
		fail=$((fail + 1))
	fi
}

finish() {
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit
}
