#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# t NAME CMD evals CMD: single quotes and variables used only there are
# on purpose.
# shellcheck disable=SC2016
#
# Test of scripts/probe.sh on Debian's 6.12 headers (cached, host only,
# about a minute per probe run; part of `make check`): a probe is present
# only if it compiles and the kernel exports every symbol its object
# needs, in a namespace it imports; THIS_MODULE (made by modpost) does not
# count; without Module.symvers the probes are compile-only, with a
# warning.  lru_add_drain_all() is declared in <linux/swap.h> but exported
# by none of Debian's kernels.  PROBE_SH=FILE tests another probe.sh.
# Ends with "N passed, N failed".
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=tap.sh
. "$here/tap.sh"
probe_sh=${PROBE_SH:-$here/../../scripts/probe.sh}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

kver=$("$here/kernels.sh" list | grep '^6\.12\.' | head -n 1)
if [ -z "$kver" ] || ! VRANGE_KERNELS=$kver "$here/kernels.sh" headers; then
	echo "not ok - Debian's 6.12 headers for the probe test"
	finish
fi
kdir=$("$here/kernels.sh" kdir "$kver")

# probe NAME INCLUDE BODY [TOP]: a probe module calling BODY at init.
probe() {
	cat >"$tmp/p/$1.c" <<EOF
#include <linux/module.h>
#include <$2>
${4:-}
static int __init probe_init(void)
{
	$3;
	return 0;
}
module_init(probe_init);
MODULE_LICENSE("GPL");
EOF
}
mkdir "$tmp/p"
probe exported linux/shmem_fs.h 'fput(shmem_file_setup("p", 4096, 0))'
probe unexported linux/swap.h 'lru_add_drain_all()'
probe undeclared linux/swap.h 'no_such_function()'
probe this_module linux/module.h 'pr_info("%s\n", THIS_MODULE->name)'
probe ns_missing linux/dma-buf.h 'dma_buf_put(dma_buf_get(0))'
probe ns_imported linux/dma-buf.h 'dma_buf_put(dma_buf_get(0))' \
	'MODULE_IMPORT_NS(DMA_BUF);'

have() { grep -q "^#define HAVE_$2 1$" "$tmp/$1.h"; }

"$probe_sh" "$kdir" "$kver" gcc "$tmp/p" "$tmp/on.h" 2>"$tmp/on.err"
echo "# $(grep -c '^#define HAVE_' "$tmp/on.h") present; log:"
grep '^probe ' "$tmp/on.h.log" | sed 's/^/#   /'
t "an exported function: present" 'have on EXPORTED'
t "a declared but unexported function (lru_add_drain_all): absent" \
	'! have on UNEXPORTED'
t "the log names the symbol" \
	'grep -qx "probe unexported: lru_add_drain_all is not exported" \
		"$tmp/on.h.log"'
t "an undeclared function: absent" '! have on UNDECLARED'
t "THIS_MODULE (__this_module, made by modpost): present" \
	'have on THIS_MODULE'
t "a symbol in a namespace not imported (dma_buf_get, DMA_BUF): absent" \
	'! have on NS_MISSING'
t "the same with MODULE_IMPORT_NS(DMA_BUF): present" 'have on NS_IMPORTED'
t "no warning when Module.symvers is there" '[ ! -s "$tmp/on.err" ]'

VRANGE_SYMVERS=$tmp/none "$probe_sh" "$kdir" "$kver" gcc "$tmp/p" \
	"$tmp/off.h" 2>"$tmp/off.err"
t "without Module.symvers: a warning" \
	'grep -q "warning: no $tmp/none" "$tmp/off.err"'
t "and compile-only: the unexported function is present" \
	'have off UNEXPORTED && have off EXPORTED && ! have off UNDECLARED'
finish
