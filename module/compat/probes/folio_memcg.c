// SPDX-License-Identifier: GPL-2.0
/* folio_memcg(): 5.16; before, page->mem_cgroup (5.10) */
#include <linux/memcontrol.h>
#include <linux/module.h>

static int __init probe_init(void)
{
	struct page *page = alloc_page(GFP_KERNEL);

	if (page) {
		rcu_read_lock();
		pr_info("%p\n", folio_memcg(page_folio(page)));
		rcu_read_unlock();
		__free_page(page);
	}
	return 0;
}
module_init(probe_init);
MODULE_LICENSE("GPL");
