#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Side-by-side ashmem conformance table from the harness logs (host side):
#   tests/guest/ashmem_table.sh [BUILD_DIR]
# Columns: the reference (ashmem_linux.ko, plan ashmem-ref) 64/32-bit, then
# vrange's node (plan ashmem) 64/32-bit for every kernel that has a log.
# "skip:pass"/"skip:fail" = documented improvement or extension, with the
# reference's own outcome.
build=${1:-${VRANGE_BUILD_DIR:-build}}

# results LOG N: "id result" of the Nth conformance run in LOG.
results() {
	awk -v want="$2" '
		/^# ashmem conformance \(/ { run++ }
		run == want && /^(not )?ok [0-9]+ - \[/ {
			id = $0; sub(/^.*\] /, "", id); sub(/:.*/, "", id)
			r = /^not ok/ ? "FAIL" : "pass"
			if ($0 ~ /# SKIP/)
				r = /\(reference: passes\)/ ? "skip:pass" : "skip:fail"
			print id, r
		}' "$1" 2>/dev/null
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cols=""
for log in "$build"/*/ashmem-ref.log; do
	[ -f "$log" ] || continue
	grep -q '^# ashmem conformance (' "$log" || continue
	k=$(basename "$(dirname "$log")")
	results "$log" 1 >"$tmp/ref-$k"
	results "$log" 2 >"$tmp/ref32-$k"
	cols="$cols ref-$k ref32-$k"
done
for log in "$build"/*/ashmem.log; do
	[ -f "$log" ] || continue
	k=$(basename "$(dirname "$log")")
	results "$log" 1 >"$tmp/ours-$k"
	results "$log" 2 >"$tmp/ours32-$k"
	cols="$cols ours-$k ours32-$k"
done
[ -n "$cols" ] || exit 0

echo "# ashmem conformance, side by side"
n=0
for c in $cols; do
	n=$((n + 1))
	echo "#   col $n = $c"
done
first=$(echo "$cols" | awk '{print $1}')
# Rows in the order of the first column that has every case.
printf '# %-16s' case
n=0
for c in $cols; do
	n=$((n + 1))
	printf ' %-9s' "col$n"
done
echo
for id in $(awk '{print $1}' "$tmp/$first"); do
	printf '# %-16s' "$id"
	for c in $cols; do
		r=$(awk -v id="$id" '$1 == id {print $2}' "$tmp/$c")
		printf ' %-9s' "${r:--}"
	done
	echo
done
