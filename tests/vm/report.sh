#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make report`: a picture of reclaim per kernel.  Boots the
# report-reclaim plan (the pressure-swap run of vrange_swap with
# vrange_sampler logging every 100 ms) on each kernel and renders
# build/report/reclaim-<kver>.png with plot-reclaim.sh.  Not part of
# `make check`; the plot script's own test is plot-selftest.sh, which is.
#
#   tests/vm/report.sh [--kernels "k1 k2"]
#
# Ends with "N passed, N failed": the guest's checks as run.sh judges
# them, plus one per plot.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=${VRANGE_BUILD_DIR:-$top/build}
kernels=
while [ $# -gt 0 ]; do
	case $1 in
	--kernels) kernels=${2:?}; shift 2 ;;
	*) echo "usage: $0 [--kernels LIST]" >&2; exit 2 ;;
	esac
done
[ -n "$kernels" ] || kernels=$("$here/kernels.sh" list | tr '\n' ' ')
out=$build/report
mkdir -p "$out"

passed=0
failed=0
for k in $kernels; do
	res=$("$here/run.sh" --plans report-reclaim --kernels "$k") || true
	grep -E '^(==|  not ok|  #)' <<<"$res" || true
	if [[ $(tail -n 1 <<<"$res") =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
		passed=$((passed + BASH_REMATCH[1]))
		failed=$((failed + BASH_REMATCH[2]))
	else
		failed=$((failed + 1))
	fi
	if "$here/plot-reclaim.sh" "$build/$k/report-reclaim.log" \
		"$out/reclaim-$k.png" \
		"vrange_swap on Debian $k (512 MB guest, 1 GB zram)"; then
		passed=$((passed + 1))
	else
		echo "not ok - plot for $k"
		failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
