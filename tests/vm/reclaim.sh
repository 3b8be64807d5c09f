#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The reclaim matrix: the pressure-shortfall, pressure-swap,
# pressure-numa and pressure-classes plans, each booted BOOTS times per
# kernel (reclaim is timing: one boot proves little), summed up as a table
# of rates and ranges.
#
#   tests/vm/reclaim.sh [--boots N] [--kernels "k1 k2"] [--label TEXT]
#
# Each boot's rows (shortfall-row, swap-row, numa-row, classes-row diag
# lines) are kept in
# build/reclaim/rows.txt, labelled (say "idle" or "busy" host) so runs
# of several conditions add up in one table; --boots 0 only prints it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
boots=3
kernels=
label=idle
while [ $# -gt 0 ]; do
	case $1 in
	--boots) boots=${2:?}; shift 2 ;;
	--kernels) kernels=${2:?}; shift 2 ;;
	--label) label=${2:?}; shift 2 ;;
	*) echo "usage: $0 [--boots N] [--kernels LIST] [--label TEXT]" >&2
	   exit 2 ;;
	esac
done
out=$top/build/reclaim
mkdir -p "$out"
rows=$out/rows.txt
if [ -z "$kernels" ]; then
	kernels=$("$here/kernels.sh" list | tr '\n' ' ')
fi

plans="pressure-shortfall pressure-swap pressure-numa pressure-classes"
passed=0
failed=0
for k in $kernels; do
	for b in $(seq 1 "$boots"); do
		res=$(VRANGE_APPEND="${VRANGE_APPEND:-} vrange_reference=1" \
			"$here/run.sh" --plans "$plans" \
			--kernels "$k") || true
		grep -E '^(==|  not ok)' <<<"$res" || true
		last=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' <<<"$res" |
			tail -n 1)
		if [[ $last =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
			passed=$((passed + BASH_REMATCH[1]))
			failed=$((failed + BASH_REMATCH[2]))
		else
			failed=$((failed + 1))
		fi
		for p in $plans; do
			sed -n "s/^# \(shortfall-row\|swap-row\|numa-row\|classes-row\) /$label $k $b \1 /p" \
				"$top/build/$k/$p.log" >>"$rows" || true
			# The next boot overwrites the log: keep failed ones.
			if grep -F "== $k $p: " <<<"$res" |
				grep -Eq ' [1-9][0-9]* failed$'; then
				cp "$top/build/$k/$p.log" \
					"$(dirname "$rows")/$label-$k-$b-$p.log"
			fi
		done
	done
done

# Rows: label kernel boot kind ...; numbers are read after their labels.
lib='function num(line, label,   i) {
	i = index(line, label)
	return i ? substr(line, i + length(label)) + 0 : -1
}
function lohi(k, v) {
	if (!(k in lo) || v < lo[k]) lo[k] = v
	if (!(k in hi) || v > hi[k]) hi[k] = v
}'
echo
echo "| host | kernel | case | runs | hog failed | purged / shortfall (min-max) | within 1.5x + 2 MB |"
echo "|---|---|---|---|---|---|---|"
awk "$lib"'
$4 == "shortfall-row" && $5 !~ /:/ {
	key = $1 " | " $2 " | " $5 " " $6 " short " $9
	n[key]++
	if (index($0, "hog ok,") == 0) fail[key]++
	short = num($0, " short "); got = num($0, "purged ")
	lohi(key, got / short)
	if (got <= 1.5 * short + 2) good[key]++
} END {
	for (k in n)
		printf "| %s | %d | %d | %.2f-%.2fx | %d of %d |\n", k, n[k],
			fail[k], lo[k], hi[k], good[k], n[k]
}' "$rows" | sort
echo
echo "| host | kernel | reference cache | case | runs | hog failed | dropped / shortfall (min-max) |"
echo "|---|---|---|---|---|---|---|"
awk "$lib"'
$4 == "shortfall-row" && $5 ~ /:/ {
	split($5, sc, ":")
	key = $1 " | " $2 " | " sc[2] " | " sc[1] " " $6 " short " $9
	n[key]++
	if (index($0, "hog ok,") == 0) fail[key]++
	lohi(key, num($0, "purged ") / num($0, " short "))
} END {
	for (k in n)
		printf "| %s | %d | %d | %.2f-%.2fx |\n", k, n[k], fail[k],
			lo[k], hi[k]
}' "$rows" | sort
echo
echo "| host | kernel | cache | lru_gen | runs | hog failed | working set swapped MB | cache seen in swap MB | cache dropped MB | pswpout MB (all memory) |"
echo "|---|---|---|---|---|---|---|---|---|---|"
awk "$lib"'
$4 == "swap-row" {
	key = $1 " | " $2 " | " $5 " | " substr($6, 9)
	n[key]++
	if (index($0, "hog ok:") == 0) fail[key]++
	lohi(key "w", num($0, "working set swapped "))
	lohi(key "c", num($0, "(at most "))
	lohi(key "d", num($0, "cache dropped "))
	lohi(key "p", num($0, "pswpout "))
} END {
	for (k in n)
		printf "| %s | %d | %d | %d-%d | %d-%d | %d-%d | %d-%d |\n", k,
			n[k], fail[k], lo[k "w"], hi[k "w"], lo[k "c"],
			hi[k "c"], lo[k "d"], hi[k "d"], lo[k "p"], hi[k "p"]
}' "$rows" | sort
echo
echo "| host | kernel | hog's node | runs | hog failed | purged / shortfall (min-max) | other node's region lost MB |"
echo "|---|---|---|---|---|---|---|"
awk "$lib"'
$4 == "numa-row" {
	key = $1 " | " $2 " | " $5 " " $6
	n[key]++
	if (index($0, "hog ok,") == 0) fail[key]++
	lohi(key "r", num($0, " purged ") / num($0, " short "))
	lohi(key "o", num($0, " other "))
} END {
	for (k in n)
		printf "| %s | %d | %d | %.2f-%.2fx | %d-%d |\n", k, n[k],
			fail[k], lo[k "r"], hi[k "r"], lo[k "o"], hi[k "o"]
}' "$rows" | sort
echo
echo "| host | kernel | scope case | runs | hog failed | purged / shortfall (min-max) | pages against the rule (max) | rule kept |"
echo "|---|---|---|---|---|---|---|---|"
awk "$lib"'
$4 == "classes-row" {
	key = $1 " | " $2 " | " $5 " " $6 " short " $8
	n[key]++
	if (index($0, "hog ok,") == 0) fail[key]++
	lohi(key "r", num($0, "purged ") / num($0, " short "))
	lohi(key "b", num($0, "out-of-order "))
	if (index($0, "rules kept") > 0) good[key]++
} END {
	for (k in n)
		printf "| %s | %d | %d | %.2f-%.2fx | %d | %d of %d |\n", k,
			n[k], fail[k], lo[k "r"], hi[k "r"], hi[k "b"],
			good[k], n[k]
}' "$rows" | sort
echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
