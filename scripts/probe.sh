#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Build-time kernel feature probes: compile every compat/probes/NAME.c
# against the target kernel in one parallel kbuild run, and write
# HAVE_NAME into the generated header for each one that compiled and
# whose object needs only symbols the kernel exports to modules.
# Reruns only when the kernel, its Module.symvers, the compiler or the
# probes change.
#
# Every probe is compiled with <linux/module.h> and <linux/mm.h> included
# first (some old headers, e.g. 5.10's list_lru.h, are not self-contained),
# so a probe fails only when its feature is missing.  A generated baseline
# probe must compile: if it does not, the toolchain or the headers are
# broken and every HAVE_ would be a lie, so the build stops here with the
# log instead.  The full compiler output stays in OUTPUT.log.
#
# Compiling proves that the headers declare a symbol, not that modules
# may use it: an unexported function, or an inline touching an unexported
# variable (5.10's set_active_memcg()), compiles and then breaks the
# module at modpost or at load.  So the symbols a probe needs are its
# object's undefined ones (nm -u: nothing to declare, nothing to drift),
# and each must be in KDIR/Module.symvers, outside any namespace the
# probe does not import; if not, the probe is absent and OUTPUT.log says
# which symbol.  Without Module.symvers (a tree never built, headers
# packaged without it) the probes are compile-only, with a warning.
# VRANGE_SYMVERS names another file (tests/vm/probe-selftest.sh).
#
# usage: probe.sh KDIR KERNELRELEASE CC PROBE_DIR OUTPUT
set -eu

kdir=$1 krel=$2 cc=$3 probes=$4 out=$5
symvers=${VRANGE_SYMVERS:-$kdir/Module.symvers}
sum=$({ cat "$0" "$probes"/*.c; cat "$symvers" 2>/dev/null || :; } |
	cksum | cut -d' ' -f1)
stamp="/* vrange probes: $krel $kdir $cc $sum */"
if [ -f "$out" ] && [ "$(head -n 1 "$out")" = "$stamp" ]; then
	exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$probes"/*.c "$tmp"/
targets=
for f in "$tmp"/*.c; do
	targets="$targets $(basename "$f" .c).o"
done
cat > "$tmp/zz_baseline.c" <<'EOF_BASELINE'
static int __init probe_init(void)
{
	return 0;
}
module_init(probe_init);
MODULE_LICENSE("GPL");
EOF_BASELINE
{
	echo "ccflags-y := -Werror -include linux/module.h -include linux/mm.h"
	echo "obj-m := $targets zz_baseline.o"
} > "$tmp/Kbuild"

# A clean environment: the outer kbuild exports variables (sub_make_done,
# srctree, MAKEFLAGS...) that would send this run into the kernel tree.
env -i PATH="$PATH" \
	make -C "$kdir" M="$tmp" CC="$cc" -k -j"$(nproc)" modules \
	> "$tmp/log" 2>&1 || true
cp "$tmp/log" "$out.log"
if [ ! -f "$tmp/zz_baseline.o" ]; then
	echo "probe.sh: even an empty module does not build against $kdir" \
		"with CC=$cc; see $out.log:" >&2
	tail -n 20 "$tmp/log" >&2
	exit 1
fi

# "PROBE.o SYMBOL why" for each symbol a compiled probe needs but the kernel
# does not export to it.  __this_module (THIS_MODULE) is made by modpost.
unexported() {
	for t in $targets; do
		[ -f "$tmp/$t" ] || continue
		echo "$t import_ns=$(strings "$tmp/$t" | sed -n \
			's/^import_ns=//p' | tr '\n' ' ')"
		nm -u "$tmp/$t" | awk -v p="$t" '{print p, $NF}'
	done | awk '
		NR == FNR { ns[$2] = $5; next }
		$2 ~ /^import_ns=/ {
			sub(/^import_ns=/, "", $2)
			for (i = 2; i <= NF; i++)
				imp[$1, $i] = 1
			next
		}
		$2 == "__this_module" { next }
		!($2 in ns) { print $1, $2, "is not exported"; next }
		ns[$2] != "" && !imp[$1, ns[$2]] {
			print $1, $2, "is in namespace", ns[$2]
		}' FS='\t' "$symvers" FS=' ' -
}

if [ -f "$symvers" ]; then
	unexported > "$tmp/unexported"
	sed 's/^\([^ ]*\)\.o /probe \1: /' "$tmp/unexported" >> "$out.log"
else
	: > "$tmp/unexported"
	echo "probe.sh: warning: no $symvers; the probes only show that" \
		"the code compiles, not that the kernel exports what it uses" |
		tee -a "$out.log" >&2
fi

{
	echo "$stamp"
	echo "#ifndef VRANGE_PROBED_H"
	echo "#define VRANGE_PROBED_H"
	for t in $targets; do
		name=$(basename "$t" .o | tr 'a-z' 'A-Z')
		if [ -f "$tmp/$t" ] && ! grep -q "^$t " "$tmp/unexported"; then
			echo "#define HAVE_$name 1"
		else
			echo "/* HAVE_$name is not set */"
		fi
	done
	echo "#endif"
} > "$out.tmp"
mv "$out.tmp" "$out"
