#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The whole test run behind `make check`: the userspace unit tests (ASan,
# UBSan), the manual pages (tests/man.sh), the reclaim plotter
# (tests/vm/plot-selftest.sh) and the kernel API probes
# (tests/vm/probe-selftest.sh) on the host, then the QEMU suites on
# Debian's kernels.  Ends with one line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

unit_log=$(mktemp)
trap 'rm -f "$unit_log"' EXIT
echo "== unit tests (userspace, ASan+UBSan)"
make -s -C tests/unit check 2>&1 | tee "$unit_log"
unit_rc=${PIPESTATUS[0]}
unit_pass=$(grep -c '^ok ' "$unit_log")
unit_fail=$(grep -c '^not ok ' "$unit_log")
[ "$unit_rc" -ne 0 ] && [ "$unit_fail" -eq 0 ] && unit_fail=1
echo "== unit: $unit_pass passed, $unit_fail failed"

log=$(mktemp)
trap 'rm -f "$unit_log" "$log"' EXIT
pass=$unit_pass
fail=$unit_fail

# stage NAME CMD...: run a test script that ends with "N passed, N
# failed" and add its counts; no such line (it died), or a failing exit
# with nothing counted failed, is one failure.
stage() {
	local name=$1 p n rc
	shift
	echo "== $name ($*)"
	"$@" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	read -r p n < <(tail -n 1 "$log" |
		sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p')
	[ -n "${p:-}" ] || { p=0; n=1; }
	[ "$rc" -ne 0 ] && [ "$n" -eq 0 ] && n=1
	echo "== $name: $p passed, $n failed"
	pass=$((pass + p))
	fail=$((fail + n))
}

# The manual pages: render without warnings, name every ioctl, library
# function, counter and field, install (host only, a few seconds).
stage man tests/man.sh

# make report's plotter on a recorded console sample (host only).
stage plot tests/vm/plot-selftest.sh

# scripts/probe.sh: an unexported symbol makes a probe absent (host only,
# two probe runs against the cached 6.12 headers, about two minutes).
stage probes tests/vm/probe-selftest.sh

stage vm tests/vm/run.sh --suite check "$@"

# The ashmem conformance table across kernels (informational).
tests/guest/ashmem_table.sh "${VRANGE_BUILD_DIR:-build}" || true

# DKMS add/build/install on the host's Debian kernels, signing, modprobe
# of the installed file in a guest, BUILD_EXCLUSIVE refusals, remove.
# Then the Debian packages: lintian, and apt into a Debian 12 chroot.
stage dkms tests/vm/dkms.sh
stage deb tests/vm/deb.sh

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
