#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# scan-log.sh LOG: judge one captured guest console log.
#
# Prints the failing TAP lines and every distinct kernel problem (with
# context) indented for humans, then a last line "@@COUNTS <passed> <failed>"
# for tests/vm/run.sh. Exit status is 0 whatever the verdict.
#
# Rules:
#  - "ok ..." (incl. "# SKIP") passes, "not ok ..." fails; "# ..." ignored.
#    Only unindented lines count (indented TAP is a subtest's detail).
#  - Kernel problem patterns count one failure per distinct problem; lines
#    of one report (header, Call Trace, follow-up headers) are grouped and
#    identical reports repeated later are counted once.
#  - Between @@VRANGE-EXPECT-OOM-BEGIN and @@VRANGE-EXPECT-OOM-END the OOM
#    killer's own report (its header lines and its Call Trace) and the
#    victim's "page allocation failure" dump are allowed; anything else
#    there (WARNING, BUG, their Call Traces...) still counts. An unterminated BEGIN is a failure.
#  - Debug kernels (make check-debug): a kmemleak report ("unreferenced
#    object 0x...", from `cat /sys/kernel/debug/kmemleak`) and a DEBUG_VM
#    page dump ("page dumped because") are problems too.
#  - No @@VRANGE-DONE line means the guest crashed or hung: a failure.
#  - Lines that start like TAP or a TAP comment are test output, not kernel
#    output, and are not scanned unless a printk timestamp shows a kernel
#    message got appended to them on the shared console.
set -euo pipefail

log=${1:?usage: scan-log.sh LOG}

# mawk compatible (Debian's default awk): no intervals, no gensub.
awk '
function is_oom(s) {
	return s ~ /Out of memory|oom-kill|invoked oom-killer|Killed process/
}
function norm(s) {
	# Make repeated reports compare equal: drop timestamp, numbers.
	sub(/^.*\[ *[0-9]+\.[0-9]+\] */, "", s)
	gsub(/0x[0-9a-fA-F]+/, "X", s)
	gsub(/[0-9]+/, "N", s)
	return s
}
function context(at,   a, b, j) {
	a = at - 3; if (a < 1) a = 1
	b = at + 20; if (b > NR) b = NR
	for (j = a; j <= b; j++)
		printf "    %s %s\n", (j == at ? ">" : "|"), L[j]
}
{
	gsub(/\r/, "")
	L[NR] = $0
}
END {
	probre = "WARNING:|BUG:|(^|[^A-Za-z_])BUG |Oops|KFENCE|kernel BUG|" \
		"Kernel panic|blocked for more than|" \
		"list_add corruption|list_del corruption|general protection|" \
		"Call Trace|UBSAN|KASAN|possible circular locking|" \
		"inconsistent lock state|" \
		"sleeping function called from invalid context|" \
		"unreferenced object 0x|page dumped because|" \
		"Out of memory|oom-kill|invoked oom-killer|Killed process"
	pass = 0; fail = 0; done = 0; inexp = 0; oomrep = 0
	open = 0; last = 0; lasthdr = 0; lastkind = ""; nprob = 0; shown = 0
	for (i = 1; i <= NR; i++) {
		l = L[i]
		if (l ~ /@@VRANGE-DONE/) done = 1
		if (l ~ /@@VRANGE-EXPECT-OOM-BEGIN/) { inexp = 1; expline = i }
		if (l ~ /@@VRANGE-EXPECT-OOM-END/) { inexp = 0; oomrep = 0 }

		tapish = (l ~ /^(ok|not ok)( |$)/ || l ~ /^#/)
		if (l ~ /^ok( |$)/) {
			pass++
		} else if (l ~ /^not ok( |$)/) {
			fail++
			print "  " l
		}
		if (l ~ /---\[ end /) open = 0
		if (tapish && l !~ /\[ *[0-9]+\.[0-9]+\]/) continue
		if (inexp && l ~ /page allocation failure/) { oomrep = 1; continue }
		if (l !~ probre) continue

		oom = is_oom(l)
		trace = (l ~ /Call Trace/)
		if (inexp) {
			# Which report a Call Trace belongs to: the last
			# header seen. The OOM killer dump and the victim
			# own allocation-failure dump are expected.
			if (l ~ /invoked oom-killer|page allocation failure/)
				oomrep = 1
			else if (!oom && !trace)
				oomrep = 0
			if (oom || (trace && oomrep)) continue
		}

		# Part of the report already counted? A Call Trace belongs
		# to the open report; a header line only if it follows the
		# previous header closely (BUG: + Oops:, OOM killer lines
		# around the Mem-Info dump). "---[ end" closes a report.
		kind = oom ? "oom" : "other"
		if (open && trace && i - last <= 200) { last = i; continue }
		if (open && !trace && kind == lastkind &&
		    i - lasthdr <= (kind == "oom" ? 400 : 8)) {
			last = i; lasthdr = i; continue
		}
		open = 1; last = i; lasthdr = i
		lastkind = trace ? "other" : kind

		key = norm(l)
		if (key in seen) { seen[key]++; continue }
		seen[key] = 1
		nprob++
		fail++
		printf "  not ok - kernel problem at log line %d: %s\n", i, l
		if (shown++ < 10)
			context(i)
	}
	if (inexp) {
		fail++
		printf "  not ok - @@VRANGE-EXPECT-OOM-BEGIN at line %d never ended\n", expline
	}
	if (!done) {
		fail++
		print "  not ok - guest never printed @@VRANGE-DONE (crash or timeout); log tail:"
		for (j = (NR > 20 ? NR - 19 : 1); j <= NR; j++)
			printf "    | %s\n", L[j]
	}
	for (k in seen)
		if (seen[k] > 1)
			printf "  # repeated %d times: %s\n", seen[k], k
	printf "@@COUNTS %d %d\n", pass, fail
}' "$log"
