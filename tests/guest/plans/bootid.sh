#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# t NAME CMD evals CMD: single quotes and functions called only there are
# on purpose.
# shellcheck disable=SC2016,SC2317
#
# The /dev/ashmem<boot_id> node that Android 16's libcutils opens, made by
# dist/udev/60-vrange.rules under Debian's systemd-udevd (run.sh appends
# udevadm, its libraries and the rules to the initramfs of plans booted
# with vrange_udev=1).  Booted with vrange_noinsmod=1: the module is
# loaded while udevd runs (its add event), then before udevd starts
# (coldplug, udevadm trigger); unloading it must take the link away.
cd /t || exit 1
t() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fi; }

udevd=/usr/lib/systemd/systemd-udevd
id=$(cat /proc/sys/kernel/random/boot_id)
link=/dev/ashmem$id
echo "# boot id $id, node $link"

t "systemd-udevd and udevadm are in the initramfs" \
	'[ -x "$udevd" ] && command -v udevadm >/dev/null'
t "60-vrange.rules is in /usr/lib/udev/rules.d" \
	'[ -f /usr/lib/udev/rules.d/60-vrange.rules ]'
[ -x "$udevd" ] || exit 0

# udevd logs to the console target, kept in a file and shown as comments.
start_udevd() {
	SYSTEMD_LOG_TARGET=console "$udevd" --daemon >>/tmp/udevd.log 2>&1 &&
		udevadm control --ping --timeout=30
}
stop_udevd() { udevadm control --exit --timeout=30; }
settle() { udevadm settle --timeout=60; }
gone() { [ ! -e "$link" ] && [ ! -L "$link" ]; }
rdev() { stat -L -c %t:%T "$1"; }
# The node: a symlink to ashmem, the same device, mode 0666.
check_node() {
	t "$1: $link is a symlink to ashmem" \
		'[ -L "$link" ] && [ "$(readlink "$link")" = ashmem ]'
	t "$1: it resolves to the ashmem misc device (st_rdev $(rdev /dev/ashmem))" \
		'[ -c "$link" ] && [ "$(rdev "$link")" = "$(rdev /dev/ashmem)" ] &&
		 [ "$(printf "%x:%x" $(tr : " " </sys/class/misc/ashmem/dev))" = "$(rdev "$link")" ]'
	t "$1: mode 0666 through it" '[ "$(stat -L -c %a "$link")" = 666 ]'
}

t "systemd-udevd --daemon" start_udevd
t "insmod vrange.ko while udevd runs" 'insmod /vrange.ko'
t "udevadm settle" settle
check_node "module load"
t "udev lists it among /dev/ashmem's links" \
	'udevadm info --query=symlink --name=/dev/ashmem | tr " " "\n" |
	 grep -qx "ashmem$id"'
t "/dev/vrange has mode 0666" '[ "$(stat -c %a /dev/vrange)" = 666 ]'
./ashmem_bootid
./ashmem_bootid -u 65534
./ashmem_libcutils
t "a change event (udevadm trigger) keeps it" \
	'udevadm trigger --subsystem-match=misc --sysname-match=ashmem &&
	 settle && [ -c "$link" ]'
t "rmmod vrange" 'rmmod vrange && settle'
t "rmmod: udev removed $link" gone

# Coldplug: the module is there before udevd, as when modules-load runs
# first at boot; udevadm trigger replays the add event.
t "udevd stopped" stop_udevd
t "insmod vrange.ko without udevd" 'insmod /vrange.ko'
t "without udevd there is /dev/ashmem but no $link" \
	'[ -c /dev/ashmem ] && gone'
t "systemd-udevd --daemon again" start_udevd
t "udevadm trigger --action=add, settle" \
	'udevadm trigger --action=add --subsystem-match=misc && settle'
check_node "coldplug"
./ashmem_bootid -u 65534
t "rmmod vrange again" 'rmmod vrange && settle'
t "rmmod: udev removed $link again" gone

t "insmod vrange.ko ashmem=0" 'insmod /vrange.ko ashmem=0 && settle'
t "ashmem=0: neither /dev/ashmem nor $link" '[ ! -e /dev/ashmem ] && gone'
t "rmmod vrange (ashmem=0)" 'rmmod vrange && settle'
t "udevd stopped at the end" stop_udevd
sed 's/^/# udevd: /' /tmp/udevd.log
exit 0
