// SPDX-License-Identifier: GPL-2.0
/* list_lru walk callbacks without the LRU spinlock: 6.13 */
#include <linux/list_lru.h>

static struct list_lru lru;

static enum lru_status cb(struct list_head *item, struct list_lru_one *list,
			  void *arg)
{
	return LRU_SKIP;
}

static int __init probe_init(void)
{
	return list_lru_walk(&lru, cb, NULL, 1);
}
module_init(probe_init);
MODULE_LICENSE("GPL");
