#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# t NAME CMD evals CMD: single quotes are on purpose.
# shellcheck disable=SC2016,SC2034
#
# vrangectl(8) in the guest.  Booted with vrange_noinsmod=1: first what
# every command says while the module is not loaded, then vrangectl_check
# against live regions, then the same message again after rmmod.
cd /t || exit 1
t() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fi; }

# not_loaded WHEN: each command exits 1 and says how to load the module.
not_loaded() {
	for cmd in "stat" "stat --json" "ps" "top --count 1" "purge --all" \
		   "purge 1 3"; do
		# shellcheck disable=SC2086
		./vrangectl $cmd >/tmp/ctl.out 2>/tmp/ctl.err
		rc=$?
		t "$1: vrangectl $cmd exits 1 and says: modprobe vrange" \
			'[ $rc = 1 ] && [ ! -s /tmp/ctl.out ] &&
			 grep -q "^vrangectl: .*not loaded.*modprobe vrange" /tmp/ctl.err'
	done
	sed 's/^/# /' /tmp/ctl.err
}

not_loaded "before insmod"
t "insmod vrange.ko" 'insmod /vrange.ko'
./vrangectl_check
t "rmmod vrange" 'rmmod vrange'
not_loaded "after rmmod"
exit 0
