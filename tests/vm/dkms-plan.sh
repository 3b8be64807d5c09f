#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# t NAME CMD evals CMD: single quotes and variables used only there are
# on purpose.
# shellcheck disable=SC2016,SC2034
#
# Guest side of tests/vm/dkms.sh: the initramfs holds /lib/modules/KVER
# with the file dkms installed and the modules.dep depmod made for it, and
# kmod's modprobe.  Load vrange the way a booted system does, check it is
# that very file, run a smoke test, unload.  vrange_sha (kernel command
# line) is the sha256 of the installed file on the host.
cd /t || exit 1
k=$(uname -r)
t() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fi; }

dep=$(modprobe --show-depends vrange 2>&1)
echo "# modprobe --show-depends vrange: $dep"
file=$(echo "$dep" | sed -n 's/^insmod \([^ ]*\).*/\1/p')
t "modprobe resolves vrange to /lib/modules/$k/updates/dkms/ (modules.dep)" \
	'case "$file" in /lib/modules/$k/updates/dkms/vrange.ko*) true ;; *) false ;; esac'
t "it is the file dkms installed (sha256)" \
	'[ "$(sha256sum "$file" | cut -d" " -f1)" = "${vrange_sha:-}" ]'
t "modprobe vrange" 'modprobe vrange'
t "/dev/vrange exists" '[ -c /dev/vrange ]'
t "the loaded module's srcversion is the file's" \
	'[ "$(cat /sys/module/vrange/srcversion)" = "$(modinfo -F srcversion "$file")" ]'
# The kernel here does not trust the MOK key (no shim, no enrolment), so it
# logs "module verification failed ... tainting kernel" and loads it anyway;
# the signature itself is checked on the host with modinfo.
sigtail() {
	case "$1" in
	*.xz) xzcat "$1" ;;
	*) cat "$1" ;;
	esac | tail -c 28
}
t "the file ends in a module signature" \
	'[ "$(sigtail "$file")" = "~Module signature appended~" ]'
./vrange_semantics
t "modprobe -r vrange" 'modprobe -r vrange && [ ! -d /sys/module/vrange ]'
exit 0
