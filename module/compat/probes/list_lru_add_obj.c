// SPDX-License-Identifier: GPL-2.0
/* list_lru_add_obj()/list_lru_del_obj(): 6.8 */
#include <linux/list_lru.h>
#include <linux/module.h>

static struct list_lru lru;
static LIST_HEAD(item);

static int __init probe_init(void)
{
	return list_lru_add_obj(&lru, &item) + list_lru_del_obj(&lru, &item);
}
module_init(probe_init);
MODULE_LICENSE("GPL");
