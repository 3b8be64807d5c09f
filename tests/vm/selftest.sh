#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Self-test of scan-log.sh on synthetic console logs (no QEMU needed), so
# that changes to the judging rules cannot silently make real kernel
# problems pass. Prints TAP and the usual "N passed, N failed" line.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
n=0

# expect NAME PASSED FAILED: judge $tmp/log (written by the caller; not
# piped in, so that the counters are not updated in a subshell).
expect() {
	local got
	got=$("$here/scan-log.sh" "$tmp/log" | tail -n 1)
	n=$((n + 1))
	if [ "$got" = "@@COUNTS $2 $3" ]; then
		echo "ok $n - $1"
		pass=$((pass + 1))
	else
		echo "not ok $n - $1: want '@@COUNTS $2 $3', got '$got'"
		fail=$((fail + 1))
	fi
}

# A kernel WARN report, as printed on the console.
warn() {
	cat <<EOF
[    2.1] ------------[ cut here ]------------
[    2.2] WARNING: CPU: ${1:-0} PID: 1${1:-0}2 at mm/foo.c:8 f+0x26/0xff0 [vrange]
[    2.3] Modules linked in: vrange(OE+)
[    2.4] Call Trace:
[    2.5]  <TASK>
[    2.6]  do_one_initcall+0x5b/0x320
[    2.7]  </TASK>
[    2.8] ---[ end trace 0000000000000000 ]---
EOF
}

# The OOM killer's report, shortened, plus the victim's alloc failure.
oom() {
	cat <<'EOF'
[    3.1] hog invoked oom-killer: gfp_mask=0x140dca(GFP_HIGHUSER_MOVABLE), order=0
[    3.2] Call Trace:
[    3.3]  out_of_memory+0x257/0x520
[    3.4] Mem-Info:
[    3.5] oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),task=hog,pid=156
[    3.6] Out of memory: Killed process 156 (hog) total-vm:182936kB
[    3.7] hog: page allocation failure: order:0, mode:0x140dca(GFP_HIGHUSER_MOVABLE)
[    3.8] Call Trace:
[    3.9]  warn_alloc+0x164/0x1e0
EOF
}

printf 'ok - insmod\nok 1 - a # SKIP b\n# BUG: only a comment\nnot ok 2 - c\n@@VRANGE-DONE\n' >"$tmp/log"
expect "TAP counting, comments ignored" 2 1

{ echo "ok 1 - a"; warn; echo "@@VRANGE-DONE"; } >"$tmp/log"
expect "WARN with its Call Trace is one failure" 1 1

{ warn 0; echo "ok 1"; warn 1; echo "@@VRANGE-DONE"; } >"$tmp/log"
expect "the same WARN twice counts once" 1 1

{ warn; echo "ok 1"; sed 's/mm\/foo.c/mm\/bar.c/' < <(warn);
	echo "@@VRANGE-DONE"; } >"$tmp/log"
expect "two different WARNs count twice" 1 2

{ echo "@@VRANGE-EXPECT-OOM-BEGIN"; oom; echo "ok 1 - killed";
	echo "@@VRANGE-EXPECT-OOM-END"; echo "@@VRANGE-DONE"; } >"$tmp/log"
expect "OOM between markers is allowed" 1 0

{ oom; echo "ok 1 - killed"; echo "@@VRANGE-DONE"; } >"$tmp/log"
expect "OOM outside markers is one failure" 1 1

{ echo "@@VRANGE-EXPECT-OOM-BEGIN"; oom; warn; echo "ok 1";
	echo "@@VRANGE-EXPECT-OOM-END"; echo "@@VRANGE-DONE"; } >"$tmp/log"
expect "WARN between OOM markers still fails" 1 1

{ echo "@@VRANGE-EXPECT-OOM-BEGIN"; echo "ok 1"; echo "@@VRANGE-DONE"; } >"$tmp/log"
expect "unterminated OOM marker fails" 1 1

printf 'ok 1 - a\n' >"$tmp/log"
expect "missing @@VRANGE-DONE fails" 1 1

printf 'ok 1 - a[    4.0] BUG: KFENCE: use-after-free read\n@@VRANGE-DONE\n' >"$tmp/log"
expect "kernel line glued to a TAP line is still seen" 1 1

printf '[    1.0] Kernel panic - not syncing: sysrq triggered crash\n' >"$tmp/log"
expect "panic without DONE: two failures" 0 2

printf 'ok 1\r\n[    1.0] DEBUG BUGGY ok\r\n@@VRANGE-DONE\r\n' >"$tmp/log"
expect "CRLF and BUG inside words are fine" 1 0

# Debug-kernel reports (make check-debug): KASAN, lockdep, kmemleak, DEBUG_VM.
printf 'ok 1\n[    3.0] BUG: KASAN: slab-use-after-free in vr_x+0x1/0x2 [vrange]\n[    3.1] Call Trace:\n@@VRANGE-DONE\n' >"$tmp/log"
expect "KASAN report fails" 1 1
printf 'ok 1\n[    3.0] WARNING: possible circular locking dependency detected\n[    3.1] Call Trace:\n[    3.2] ---[ end trace ]---\n[    9.0] inconsistent lock state\n@@VRANGE-DONE\n' >"$tmp/log"
expect "two lockdep reports: two failures" 1 2
printf 'ok 1\nunreferenced object 0xffff888003a1b000 (size 64):\n  comm "insmod", pid 60, jiffies 4294893\n@@VRANGE-DONE\n' >"$tmp/log"
expect "kmemleak report (cat of the debugfs file) fails" 1 1
printf 'ok 1\n[    3.0] page: refcount:0 mapcount:0 mapping:0 index:0x0 pfn:0x1\n[    3.1] page dumped because: VM_BUG_ON_FOLIO(1)\n@@VRANGE-DONE\n' >"$tmp/log"
expect "DEBUG_VM page dump fails" 1 1

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
