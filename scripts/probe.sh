#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Build-time kernel feature probes: compile every compat/probes/NAME.c
# against the target kernel in one parallel kbuild run, and write
# HAVE_NAME for each one that compiled into the generated header.
# Reruns only when the kernel or the probes change.
#
# usage: probe.sh KDIR KERNELRELEASE CC PROBE_DIR OUTPUT
set -eu

kdir=$1 krel=$2 cc=$3 probes=$4 out=$5
stamp="/* vrange probes: $krel $(cat "$probes"/*.c | cksum | cut -d' ' -f1) */"
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
{
	echo "ccflags-y := -Werror"
	echo "obj-m := $targets"
} > "$tmp/Kbuild"

# A clean environment: the outer kbuild exports variables (sub_make_done,
# srctree, MAKEFLAGS...) that would send this run into the kernel tree.
env -i PATH="$PATH" \
	make -C "$kdir" M="$tmp" CC="$cc" -k -j"$(nproc)" modules \
	> "$tmp/log" 2>&1 || true

{
	echo "$stamp"
	echo "#ifndef VRANGE_PROBED_H"
	echo "#define VRANGE_PROBED_H"
	for t in $targets; do
		name=$(basename "$t" .o | tr 'a-z' 'A-Z')
		if [ -f "$tmp/$t" ]; then
			echo "#define HAVE_$name 1"
		else
			echo "/* HAVE_$name is not set */"
		fi
	done
	echo "#endif"
} > "$out.tmp"
mv "$out.tmp" "$out"
