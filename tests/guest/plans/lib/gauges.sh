# SPDX-License-Identifier: GPL-2.0
# Sourced by plans: gauges_zero LABEL prints "ok - LABEL" when every global
# gauge of /sys/class/misc/vrange/stats is 0, else "not ok - LABEL (left:
# gauge=value ...)".  Once no process holds a region, any other value is a
# leak or a counter that drifted.
gauges_zero() {
	left=""
	for g in regions mapped_bytes resident_pages unpinned_pages purged_pages; do
		v=$(cat /sys/class/misc/vrange/stats/"$g")
		[ "$v" = 0 ] || left="$left $g=$v"
	done
	if [ -z "$left" ]; then
		echo "ok - $1"
	else
		echo "not ok - $1 (left:$left)"
	fi
}
