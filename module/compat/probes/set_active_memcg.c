// SPDX-License-Identifier: GPL-2.0
/*
 * set_active_memcg() usable by modules: 5.10's inline touches the per-cpu
 * int_active_memcg, which it does not export (probe.sh checks exports).
 */
#include <linux/module.h>
#include <linux/sched/mm.h>

static int __init probe_init(void)
{
	set_active_memcg(set_active_memcg(NULL));
	return 0;
}
module_init(probe_init);
MODULE_LICENSE("GPL");
