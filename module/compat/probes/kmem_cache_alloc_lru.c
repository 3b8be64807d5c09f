// SPDX-License-Identifier: GPL-2.0
/* kmem_cache_alloc_lru(): 5.18, per-memcg list_lru lists made on demand */
#include <linux/list_lru.h>
#include <linux/module.h>
#include <linux/slab.h>

static struct list_lru lru;

static int __init probe_init(void)
{
	struct kmem_cache *c = kmem_cache_create("p", 8, 0, 0, NULL);

	kfree(kmem_cache_alloc_lru(c, &lru, GFP_KERNEL));
	return 0;
}
module_init(probe_init);
MODULE_LICENSE("GPL");
