#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The manual pages, on the host: part of `make check` (before the QEMU
# suites), alone with `make check-man`.
#  - every page renders without a warning: groff -man -ww, man --warnings
#    as lintian runs it (widths 80 and 120), mandoc -T lint;
#  - every page is installed by man/Makefile and carries dkms.conf's
#    version in its .TH line;
#  - the pages name every ioctl of include/uapi/linux/{vrange,ashmem}.h,
#    every function the built libvrange.so exports (nm -D) and every one
#    its headers declare; vrange(4) has an entry (a .TP tag in its
#    section) for every sysfs counter, fdinfo field and module parameter
#    of module/, and TRACEPOINTS one for every event of module/trace.h
#    and names each of their fields;
#  - `make -C man install` puts the pages under DESTDIR/PREFIX/share/man
#    and gives every exported function a man3 page of its name;
#  - the EXAMPLES program of libvrange(3) builds against the library.
# Ends with "N passed, N failed".
#
#   MAN_DIR=DIR tests/man.sh    check the pages in DIR (a copy of man/)
#                               instead: a copy with a name taken out, or a
#                               bad macro put in, must fail.
#
# t NAME CMD evals CMD: the single quotes, and functions called only from
# there, are on purpose.
# shellcheck disable=SC2016,SC2317
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
man_dir=$(cd "${MAN_DIR:-$repo/man}" && pwd)
# shellcheck source-path=SCRIPTDIR source=vm/tap.sh
. "$here/vm/tap.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

diag() { sed 's/^/# /'; }

# quiet CMD...: CMD succeeds and prints nothing; what it prints is shown.
quiet() {
	local out rc
	out=$("$@" 2>&1)
	rc=$?
	[ -z "$out" ] || printf '%s\n' "$out" | diag
	[ "$rc" -eq 0 ] && [ -z "$out" ]
}

# As lintian's manual page check runs man: a clean environment, C.UTF-8.
lintian_man() {
	{ env -i PATH="$PATH" LC_ALL=C.UTF-8 MANROFFSEQ= MANWIDTH="$1" \
		man --warnings -E UTF-8 -l -Tutf8 -Z "$2" >/dev/null; } 2>&1
}
man_warnings() { quiet lintian_man 80 "$1" && quiet lintian_man 120 "$1"; }

# The text of roff sources: comments dropped, font escapes and \%, \&
# taken out, so that \fBVRANGE_PIN\fR counts as the word VRANGE_PIN.
roff_text() {
	sed -e "/^[.']\\\\\"/d" -e 's/\\".*//' \
		-e 's/\\f\(\[[^]]*\]\|(..\|.\)//g' -e 's/\\[%&]//g' \
		-e 's/\\-/-/g' "$@"
}

# The entries of section SECTION of page FILE: the first word of each
# .TP tag line there (".B name", ".BR name ...", or plain text).
roff_tags() {
	awk -v s="$2" '
		/^\.SH/ { h = $0; sub(/^\.SH[ \t]+/, "", h); gsub(/"/, "", h)
			  on = (h == s); next }
		on && tag { tag = 0; w = $1; if (w ~ /^\./) w = $2
			    gsub(/"/, "", w); print w }
		on && /^\.TP/ { tag = 1 }' "$1" | roff_text
}

# The text of section SECTION of page FILE.
roff_section() {
	awk -v s="$2" '
		/^\.SH/ { h = $0; sub(/^\.SH[ \t]+/, "", h); gsub(/"/, "", h)
			  on = (h == s); next }
		on' "$1" | roff_text
}

# named TEXTFILE NAME...: every NAME is a word of TEXTFILE.
named() {
	local text=$1 n missing=()
	shift
	if [ $# -eq 0 ]; then
		echo "# no names to look for: the extraction found none"
		return 1
	fi
	for n in "$@"; do
		grep -qw -- "$n" "$text" || missing+=("$n")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "# not there: ${missing[*]}"
	return 1
}

words() { tr -s ' \n' '\n' | sed '/^$/d'; }

mapfile -t pages < <(make -s -C "$man_dir" list | words)
mapfile -t links < <(make -s -C "$man_dir" list-links | words)
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$repo/dkms.conf")

# --- Rendering, one line per page and tool.
for p in "${pages[@]}"; do
	f=$man_dir/$p
	t "$p: groff -man -ww renders it without a warning" \
		'quiet groff -man -ww -z "$f"'
	t "$p: man --warnings (as lintian) renders it without a warning" \
		'man_warnings "$f"'
	t "$p: mandoc -T lint finds nothing" \
		'quiet mandoc -T lint -W warning "$f"'
done

unlisted() {
	local f ok=0
	for f in "$man_dir"/*.[1-9]; do
		[ -e "$f" ] || continue
		printf '%s\n' "${pages[@]}" | grep -qxF "${f##*/}" && continue
		echo "# ${f##*/} is not installed by man/Makefile"
		ok=1
	done
	[ ${#pages[@]} -gt 0 ] && [ "$ok" -eq 0 ]
}
t "man/Makefile installs every page of man/" 'unlisted'

versions() {
	local p v ok=0
	for p in "${pages[@]}"; do
		v=$(sed -n 's/^\.TH .*"vrange \([^"]*\)".*/\1/p' "$man_dir/$p")
		[ "$v" = "$version" ] && continue
		echo "# $p: .TH says vrange '$v', dkms.conf $version"
		ok=1
	done
	[ -n "$version" ] && [ "$ok" -eq 0 ]
}
t "every page's .TH carries version $version (dkms.conf)" 'versions'

# --- Names.
for p in "${pages[@]}"; do roff_text "$man_dir/$p"; done >"$tmp/all.txt"
ioctls() {
	sed -n "s/^#define[[:space:]]\\+\\($1_[A-Z_]*\\)[[:space:]]\\+_IO.*/\\1/p" \
		"$repo/include/uapi/linux/$2"
}
mapfile -t vr_ioctls < <(ioctls VRANGE vrange.h)
mapfile -t as_ioctls < <(ioctls ASHMEM ashmem.h)
t "man pages name every ioctl of vrange.h (${#vr_ioctls[@]})" \
	'named "$tmp/all.txt" "${vr_ioctls[@]}"'
t "man pages name every ioctl of ashmem.h (${#as_ioctls[@]})" \
	'named "$tmp/all.txt" "${as_ioctls[@]}"'

mkdir -p "$tmp/lib"
t "libvrange.so builds (lib/, into a scratch directory)" \
	'make -s -C "$repo/lib" OUT="$tmp/lib" >"$tmp/lib.log" 2>&1 ||
	 { diag <"$tmp/lib.log"; false; }'
mapfile -t exported < <(nm -D --defined-only "$tmp/lib/libvrange.so" \
	2>/dev/null | awk '$2 == "T" { print $3 }')
mapfile -t declared < <(sed -n \
	's/^[a-z][a-z0-9_ ]*[ *]\([a-z_][a-z0-9_]*\)(.*/\1/p' \
	"$repo/lib/libvrange.h" "$repo/lib/cutils/ashmem.h")
t "man pages name every function libvrange.so exports (nm -D: ${#exported[@]})" \
	'named "$tmp/all.txt" "${exported[@]}"'
t "man pages name every function libvrange.h and cutils/ashmem.h declare (${#declared[@]})" \
	'named "$tmp/all.txt" "${declared[@]}"'

roff_tags "$man_dir/vrange.4" SYSFS >"$tmp/sysfs.txt"
roff_tags "$man_dir/vrange.4" FDINFO >"$tmp/fdinfo.txt"
roff_tags "$man_dir/vrange.4" "MODULE PARAMETERS" >"$tmp/params.txt"
roff_tags "$man_dir/vrange.4" DEBUGFS >"$tmp/debugfs.txt"
roff_tags "$man_dir/vrange.4" TRACEPOINTS >"$tmp/events.txt"
roff_section "$man_dir/vrange.4" TRACEPOINTS >"$tmp/tracepoints.txt"
mapfile -t counters < <(sed -n 's/^VRANGE_STAT_ATTR(\([a-z_]*\),.*/\1/p' \
	"$repo/module/stats.c")
mapfile -t fields < <(sed -n 's/.*seq_[a-z]*(m, "\(vrange_[a-z_]*\):.*/\1/p' \
	"$repo/module/fdinfo.c")
mapfile -t params < <(sed -n 's/^module_param(\([a-z_]*\),.*/\1/p' \
	"$repo"/module/*.c)
t "vrange(4) SYSFS has an entry for every counter of module/stats.c (${#counters[@]})" \
	'named "$tmp/sysfs.txt" "${counters[@]}"'
t "vrange(4) FDINFO has an entry for every field of module/fdinfo.c (${#fields[@]})" \
	'named "$tmp/fdinfo.txt" "${fields[@]}"'
mapfile -t dbgfiles < <(sed -n 's/.*debugfs_create_file("\([a-z_]*\)".*/\1/p' \
	"$repo"/module/*.c)
t "vrange(4) DEBUGFS has an entry for every debugfs file (${#dbgfiles[@]})" \
	'[ ${#dbgfiles[@]} -gt 0 ] && named "$tmp/debugfs.txt" "${dbgfiles[@]}"'
t "vrange(4) MODULE PARAMETERS has an entry for every module_param (${#params[@]})" \
	'named "$tmp/params.txt" "${params[@]}"'
mapfile -t events < <(sed -n 's/^TRACE_EVENT(\([a-z_]*\),.*/\1/p' \
	"$repo/module/trace.h")
mapfile -t event_fields < <(sed -n \
	's/^[[:space:]]*__field([^,]*,[[:space:]]*\([a-z_]*\)).*/\1/p' \
	"$repo/module/trace.h" | sort -u)
t "vrange(4) TRACEPOINTS has an entry for every event of module/trace.h (${#events[@]})" \
	'named "$tmp/events.txt" "${events[@]}"'
t "vrange(4) TRACEPOINTS names every field of the events (${#event_fields[@]})" \
	'named "$tmp/tracepoints.txt" "${event_fields[@]}"'

# --- Installation.
inst=$tmp/inst
t "make -C man install DESTDIR=... PREFIX=/usr" \
	'make -s -C "$man_dir" install DESTDIR="$inst" PREFIX=/usr \
		>"$tmp/install.log" 2>&1 || { diag <"$tmp/install.log"; false; }'
installed() {
	local p ok=0
	for p in "${pages[@]}"; do
		[ -f "$inst/usr/share/man/man${p##*.}/$p" ] && continue
		echo "# $p is not in share/man/man${p##*.}"
		ok=1
	done
	for p in "${links[@]}"; do
		[ -L "$inst/usr/share/man/man3/$p" ] &&
			[ -f "$inst/usr/share/man/man3/$p" ] && continue
		echo "# man3/$p is not a link to a page"
		ok=1
	done
	[ "$ok" -eq 0 ]
}
t "pages in share/man/man{3,4,8}, function links resolve" 'installed'
man3_names() {
	local fn missing=()
	for fn in "$@"; do
		[ -f "$inst/usr/share/man/man3/$fn.3" ] || missing+=("$fn")
	done
	[ ${#missing[@]} -eq 0 ] && [ $# -gt 0 ] && return 0
	echo "# no man3 page of that name: ${missing[*]}"
	return 1
}
t "every exported function has its man3 name (man vrange_pin etc.)" \
	'man3_names "${exported[@]}"'

# --- The example.
awk '/^\.SH EXAMPLES/ { e = 1 } e && /^\.EE/ { exit } e && x { print }
     e && /^\.EX/ { x = 1 }' "$man_dir/libvrange.3" |
	sed -e 's/\\-/-/g' -e 's/\\e/\\/g' >"$tmp/example.c"
t "libvrange(3) EXAMPLES builds with -Wall -Wextra -Werror and links" \
	'[ -s "$tmp/example.c" ] &&
	 gcc -Wall -Wextra -Werror -I"$repo/lib" -I"$repo/include/uapi" \
		-o "$tmp/example" "$tmp/example.c" -L"$tmp/lib" -lvrange \
		>"$tmp/cc.log" 2>&1 || { diag <"$tmp/cc.log"; false; }'

finish
