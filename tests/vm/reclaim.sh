#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The reclaim matrix: the pressure-shortfall and pressure-swap plans, each
# booted BOOTS times per kernel (reclaim is timing: one boot proves
# little), summed up as a table of rates and ranges.
#
#   tests/vm/reclaim.sh [--boots N] [--kernels "k1 k2"] [--label TEXT]
#
# Each boot's rows (shortfall-row, swap-row diag lines) are kept in
# build/reclaim/rows.txt, labelled (say "idle" or "busy" host) so runs
# of several conditions add up in one table.
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

for k in $kernels; do
	for b in $(seq 1 "$boots"); do
		"$here/run.sh" --plans "pressure-shortfall pressure-swap" \
			--kernels "$k" | grep -E '^(==|  not ok)' || true
		for p in pressure-shortfall pressure-swap; do
			sed -n "s/^# \(shortfall-row\|swap-row\) /$label $k $b \1 /p" \
				"$top/build/$k/$p.log" >>"$rows" || true
		done
	done
done

# Rows: label kernel boot kind ...
echo
echo "| host | kernel | case | runs | hog failed | purged / shortfall (min-max) | within 1.5x + 2 MB |"
echo "|---|---|---|---|---|---|---|"
awk '$4 == "shortfall-row" {
	key = $1 " | " $2 " | " $5 " " $6 " short " $9
	n[key]++
	if ($12 != "ok,") fail[key]++
	r = $16; gsub(/[()x,]/, "", r); r += 0
	if ($14 <= 1.5 * $9 + 2) good[key]++
	if (!(key in lo) || r < lo[key]) lo[key] = r
	if (!(key in hi) || r > hi[key]) hi[key] = r
} END {
	for (k in n)
		printf "| %s | %d | %d | %.2f-%.2fx | %d of %d |\n", k, n[k],
			fail[k], lo[k], hi[k], good[k], n[k]
}' "$rows" | sort
echo
echo "| host | kernel | cache | lru_gen | runs | hog failed | working set swapped MB (min-max) | cache dropped MB (min-max) |"
echo "|---|---|---|---|---|---|---|---|"
awk '$4 == "swap-row" {
	key = $1 " | " $2 " | " $5 " | " substr($6, 9)
	n[key]++
	if ($8 != "ok:") fail[key]++
	ws = $12; dr = $20
	if (!(key in wlo) || ws < wlo[key]) wlo[key] = ws
	if (!(key in whi) || ws > whi[key]) whi[key] = ws
	if (!(key in dlo) || dr < dlo[key]) dlo[key] = dr
	if (!(key in dhi) || dr > dhi[key]) dhi[key] = dr
} END {
	for (k in n)
		printf "| %s | %d | %d | %d-%d | %d-%d |\n", k, n[k], fail[k],
			wlo[k], whi[k], dlo[k], dhi[k]
}' "$rows" | sort
