#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Build-time kernel feature probes: compile every compat/probes/NAME.c
# against the target kernel in one parallel kbuild run, and write
# HAVE_NAME for each one that compiled into the generated header.
# Reruns only when the kernel, the compiler or the probes change.
#
# Every probe is compiled with <linux/module.h> and <linux/mm.h> included
# first (some old headers, e.g. 5.10's list_lru.h, are not self-contained),
# so a probe fails only when its feature is missing.  A generated baseline
# probe must compile: if it does not, the toolchain or the headers are
# broken and every HAVE_ would be a lie, so the build stops here with the
# log instead.  The full compiler output stays in OUTPUT.log.
#
# usage: probe.sh KDIR KERNELRELEASE CC PROBE_DIR OUTPUT
set -eu

kdir=$1 krel=$2 cc=$3 probes=$4 out=$5
sum=$(cat "$0" "$probes"/*.c | cksum | cut -d' ' -f1)
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

# Compiling proves the headers declare a symbol, not that modules may use
# it: a probe also fails if it needs a symbol the kernel does not export
# (an inline touching an unexported variable, say), which would otherwise
# break the module at modpost or at load.
symvers=$kdir/Module.symvers
exported() {
	local sym
	[ -f "$symvers" ] || return 0
	for sym in $(nm -u "$1" | awk '{print $2}'); do
		if ! awk -v s="$sym" '$2 == s {found = 1; exit}
		     END {exit !found}' "$symvers"; then
			echo "probe $(basename "$1" .o): $sym is not exported" \
				>>"$out.log"
			return 1
		fi
	done
}

{
	echo "$stamp"
	echo "#ifndef VRANGE_PROBED_H"
	echo "#define VRANGE_PROBED_H"
	for t in $targets; do
		name=$(basename "$t" .o | tr 'a-z' 'A-Z')
		if [ -f "$tmp/$t" ] && exported "$tmp/$t"; then
			echo "#define HAVE_$name 1"
		else
			echo "/* HAVE_$name is not set */"
		fi
	done
	echo "#endif"
} > "$out.tmp"
mv "$out.tmp" "$out"
