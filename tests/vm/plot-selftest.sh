#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# t NAME CMD evals CMD: single quotes and variables used only there are
# on purpose.
# shellcheck disable=SC2016
#
# Test of plot-reclaim.sh (make report's plotter) on a small console
# sample in its format, testdata/reclaim-sample.log: which sampler lines count
# (glued after kernel output: yes; cut short or not numeric: no), the
# MB and seconds it derives, the purge and OOM events, and a PNG that
# gnuplot really rendered.  Host only, a second; part of `make check`.
# Ends with "N passed, N failed".
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=tap.sh
. "$here/tap.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

sum=$("$here/plot-reclaim.sh" "$here/testdata/reclaim-sample.log" \
	"$tmp/r.png" sample 2>&1)
echo "# $sum"
t "plot-reclaim.sh succeeds on the sample" '[ -s "$tmp/r.png" ]'
t "8 samples (a glued one counts; a cut and a non-numeric one do not)" \
	'[ "$(wc -l <"$tmp/r.dat")" -eq 8 ]'
t "summary: 8 samples over 0.9 s, 8 purge events, 1 OOM kill" \
	'[ "$sum" = "plot-reclaim: 8 samples over 0.9s, 8 purge events, 1 OOM kills -> $tmp/r.png" ]'
t "seconds from the first sample, MB of free, unpinned, purged, swap" \
	'grep -qx "0.60 20.0 144.0 16.0 2.0" "$tmp/r.dat" &&
	 [ "$(head -n 1 "$tmp/r.dat")" = "0.00 371.1 0.0 0.0 0.0" ]'
t "events: purge_events and oom_kill changes, with the time and count" \
	'[ "$(cat "$tmp/r.events")" = "0.50 purge 2
0.60 purge 6
0.70 oom 1" ]'
# PNG signature, then the IHDR width and height: 1000 x 560.
t "a 1000x560 PNG" \
	'[ "$(od -An -tx1 -N24 "$tmp/r.png" | tr -d " \n")" = "89504e470d0a1a0a0000000d49484452000003e800000230" ]'

grep -v '@@VRANGE-SAMPLE' "$here/testdata/reclaim-sample.log" >"$tmp/none.log"
t "no samples: exit status 1, no PNG" \
	'! "$here/plot-reclaim.sh" "$tmp/none.log" "$tmp/n.png" 2>/dev/null &&
	 [ ! -e "$tmp/n.png" ]'
# Until the module is loaded the sampler reads -1: its counters then
# appearing (here at 8 purge events and 1 OOM kill) is no event.
awk '/@@VRANGE-SAMPLE/ && n++ < 7 { sub(/ [0-9]+ [0-9]+\r?$/, " -1 -1") } 1' \
	"$here/testdata/reclaim-sample.log" >"$tmp/nomod.log"
"$here/plot-reclaim.sh" "$tmp/nomod.log" "$tmp/m.png" >/dev/null 2>&1
t "counters that read -1 before the module loads make no event" \
	'[ -f "$tmp/m.events" ] && [ ! -s "$tmp/m.events" ]'
finish
