#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check-debug`: the debug-kernel lane. Builds (once, cached under
# $VRANGE_CACHE/debug-<key>) Debian's linux-source-6.12 with KASAN,
# lockdep, DEBUG_VM, KFENCE and kmemleak (tests/vm/debug-kernel.sh,
# tests/vm/debug.config), builds vrange.ko against it and runs the in-VM
# plans of tests/vm/debug-boots.conf on it with tests/vm/run.sh; the log
# scan fails on any KASAN, lockdep, DEBUG_VM, KFENCE or kmemleak report.
#
#   tests/vm/debug.sh [--plans "p1 p2"]
#
# Ends with one line "N passed, N failed"; exits 1 if anything failed.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BOOTS=${VRANGE_DEBUG_BOOTS:-$here/debug-boots.conf}
plans=""
case "${1:-}" in
--plans) plans=${2:?} ;;
--plans=*) plans=${1#*=} ;;
"") ;;
*) echo "usage: $0 [--plans \"p1 p2\"]" >&2; exit 2 ;;
esac
[ -n "$plans" ] ||
	plans=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$BOOTS" | awk '{print $1}')

# What a kernel build needs beyond scripts/install-deps.sh.
need=()
command -v flex >/dev/null || need+=(flex)
command -v bison >/dev/null || need+=(bison)
[ -f /usr/include/libelf.h ] || need+=(libelf-dev)
command -v xz >/dev/null || need+=(xz-utils)
if [ ${#need[@]} -gt 0 ]; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y \
		--no-install-recommends "${need[@]}"
fi

echo "== debug kernel (tests/vm/debug-kernel.sh)"
t0=$(date +%s)
if ! dir=$("$here/debug-kernel.sh"); then
	echo "== debug kernel: 0 passed, 1 failed"
	echo "0 passed, 1 failed"
	exit 1
fi
t1=$(date +%s)
echo "# $(cat "$dir/kernelrelease") in $dir" \
	"(cold build took $(cat "$dir/build-seconds")s; this step $((t1 - t0))s)"

# One QEMU user at a time on small machines.
VRANGE_BOOTS=$BOOTS flock /tmp/vrange-vm.lock \
	"$here/run.sh" --kernels debug --plans "$plans"
