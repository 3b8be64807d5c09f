#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A picture of reclaim from a guest console log:
#
#   tests/vm/plot-reclaim.sh LOG OUT.png [TITLE]
#
# takes the "@@VRANGE-SAMPLE ms free_kB unpinned purged swap_kB
# purge_events oom_kill" lines of tests/guest/vrange_sampler.c (anywhere
# in a line: kernel output may be glued before them; lines cut short are
# dropped), writes OUT.dat (seconds from the first sample, then MB of free
# memory, unpinned pages, pages purged since the first sample and swap in
# use) and OUT.events (seconds, "purge" or "oom", how many since the
# sample before: changes of purge_events and of /proc/vmstat's oom_kill),
# and renders OUT.png with gnuplot: the four curves, purge events as
# impulses on the right axis, each OOM kill as a red line.  Prints one
# summary line; exits 1 without samples or without gnuplot.
set -euo pipefail

log=${1:?usage: plot-reclaim.sh LOG OUT.png [TITLE]}
png=${2:?usage: plot-reclaim.sh LOG OUT.png [TITLE]}
title=${3:-$(basename "$log")}
base=${png%.png}

# Pages are 4 KiB on every kernel we test (x86-64).
awk -v dat="$base.dat" -v ev="$base.events" '
{
	sub(/\r$/, "")
	i = index($0, "@@VRANGE-SAMPLE ")
	if (!i)
		next
	n = split(substr($0, i + 16), f, " ")
	if (n != 7)
		next
	for (j = 1; j <= 7; j++)
		if (f[j] !~ /^-?[0-9]+$/)
			next
	if (!samples++) {
		t0 = f[1]
		purged0 = f[4]
	}
	printf "%.2f %.1f %.1f %.1f %.1f\n", (f[1] - t0) / 1000, f[2] / 1024,
		f[3] / 256, (f[4] - purged0) / 256, f[5] / 1024 >dat
	if (samples > 1 && f[6] > pe && pe >= 0) {
		printf "%.2f purge %d\n", (f[1] - t0) / 1000, f[6] - pe >ev
		purges += f[6] - pe
	}
	if (samples > 1 && f[7] > oom && oom >= 0) {
		printf "%.2f oom %d\n", (f[1] - t0) / 1000, f[7] - oom >ev
		kills += f[7] - oom
	}
	pe = f[6]
	oom = f[7]
	last = f[1]
}
END {
	printf "%d %.1f %d %d\n", samples, (last - t0) / 1000, purges, kills
}' "$log" >"$base.sum"
: >>"$base.events"
read -r samples secs purges kills <"$base.sum"
rm -f "$base.sum"
if [ "$samples" -lt 2 ]; then
	echo "plot-reclaim: $samples @@VRANGE-SAMPLE lines in $log" >&2
	exit 1
fi
command -v gnuplot >/dev/null || {
	echo "plot-reclaim: no gnuplot (apt install gnuplot-nox)" >&2
	exit 1
}

# One red line per OOM kill; the purge impulses are plotted from the file.
ooms=$(awk '$2 == "oom" {
	printf "set arrow from %s, graph 0 to %s, graph 1 nohead lc rgb \"red\" lw 2\n", $1, $1
}' "$base.events")
purge_plot=
grep -q ' purge ' "$base.events" &&
	purge_plot=", '< grep \" purge \" \"$base.events\"' using 1:3 axes x1y2 with impulses lc rgb '#9400d3' lw 1 title 'purge events (right axis)'"
oom_key=
[ "$kills" -gt 0 ] &&
	oom_key=", NaN with lines lc rgb 'red' lw 2 title 'OOM kill'"

gnuplot <<EOF
set terminal pngcairo size 1000,560 font 'DejaVu Sans,10' noenhanced
set output '$png'
set title "$title: $purges purge events, $kills OOM kills"
set xlabel 'seconds'
set ylabel 'MB'
set y2label 'purge events per sample'
set ytics nomirror
set y2tics
set yrange [0:*]
set y2range [0:*]
set key outside bottom center horizontal
set grid
$ooms
plot '$base.dat' using 1:2 with lines lw 2 lc rgb '#1f77b4' title 'free memory', \
     '' using 1:3 with lines lw 2 lc rgb '#2ca02c' title 'unpinned', \
     '' using 1:4 with lines lw 2 lc rgb '#ff7f0e' title 'purged (since start)', \
     '' using 1:5 with lines lw 2 lc rgb '#7f7f7f' title 'in swap'$purge_plot$oom_key
EOF
echo "plot-reclaim: $samples samples over ${secs}s, $purges purge events, $kills OOM kills -> $png"
