#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The whole test run behind `make check`: the userspace unit tests (ASan,
# UBSan) and the manual pages (tests/man.sh) on the host, then the QEMU
# suites on Debian's kernels.  Ends with one line "N passed, N failed".
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

# The manual pages: render without warnings, name every ioctl, library
# function, counter and field, install (host only, a few seconds).
man_log=$(mktemp)
trap 'rm -f "$unit_log" "$man_log"' EXIT
echo "== man pages (tests/man.sh)"
tests/man.sh 2>&1 | tee "$man_log"
read -r man_pass man_fail < <(tail -n 1 "$man_log" |
	sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p')
[ -n "${man_pass:-}" ] || { man_pass=0; man_fail=1; }
echo "== man: $man_pass passed, $man_fail failed"
unit_pass=$((unit_pass + man_pass))
unit_fail=$((unit_fail + man_fail))

vm_log=$(mktemp)
trap 'rm -f "$unit_log" "$man_log" "$vm_log"' EXIT
tests/vm/run.sh --suite check "$@" 2>&1 | tee "$vm_log"
vm_rc=${PIPESTATUS[0]}
read -r vm_pass vm_fail < <(tail -n 1 "$vm_log" |
	sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p')
if [ -z "${vm_pass:-}" ]; then
	vm_pass=0
	vm_fail=1
fi
[ "$vm_rc" -ne 0 ] && [ "$vm_fail" -eq 0 ] && vm_fail=1

# The ashmem conformance table across kernels (informational).
tests/guest/ashmem_table.sh "${VRANGE_BUILD_DIR:-build}" || true

# DKMS add/build/install on the host's Debian kernels, signing, modprobe
# of the installed file in a guest, BUILD_EXCLUSIVE refusals, remove.
# Then the Debian packages: lintian, and apt into a Debian 12 chroot.
dkms_log=$(mktemp)
trap 'rm -f "$unit_log" "$man_log" "$vm_log" "$dkms_log"' EXIT
for t in dkms deb; do
	echo "== $t (tests/vm/$t.sh)"
	tests/vm/$t.sh 2>&1 | tee "$dkms_log"
	read -r dkms_pass dkms_fail < <(tail -n 1 "$dkms_log" |
		sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p')
	[ -n "${dkms_pass:-}" ] || { dkms_pass=0; dkms_fail=1; }
	echo "== $t: $dkms_pass passed, $dkms_fail failed"
	vm_pass=$((vm_pass + dkms_pass))
	vm_fail=$((vm_fail + dkms_fail))
done

echo "$((unit_pass + vm_pass)) passed, $((unit_fail + vm_fail)) failed"
[ $((unit_fail + vm_fail)) -eq 0 ]
