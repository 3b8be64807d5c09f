# SPDX-License-Identifier: GPL-2.0
# Sourced by plans: zram_swap_on loads zram.ko and what it needs (run.sh
# packs them in /modules, in load order, where the image package ships
# them) and turns on 1 GB of zram swap.  Prints "ok - 1 GB zram swap on"
# or a skip or failure line, and returns non-zero when there is no swap.
zram_swap_on() {
	if [ ! -f /modules/load-order ]; then
		echo "ok - zram swap # SKIP this kernel's image package ships no zram.ko"
		return 1
	fi
	while read -r m; do
		insmod "/modules/$m.ko" || echo "not ok - insmod $m.ko"
	done </modules/load-order
	if echo 1G >/sys/block/zram0/disksize &&
		mkswap /dev/zram0 >/dev/null && swapon /dev/zram0; then
		echo "ok - 1 GB zram swap on"
		return 0
	fi
	echo "not ok - 1 GB zram swap on"
	return 1
}
