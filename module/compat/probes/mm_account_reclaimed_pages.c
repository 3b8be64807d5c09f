// SPDX-License-Identifier: GPL-2.0
/* mm_account_reclaimed_pages(): 6.4, replacing reclaim_state->reclaimed_slab */
#include <linux/swap.h>

static int __init probe_init(void)
{
	mm_account_reclaimed_pages(1);
	return 0;
}
module_init(probe_init);
MODULE_LICENSE("GPL");
