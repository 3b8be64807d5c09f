// SPDX-License-Identifier: GPL-2.0
/* shrinker_alloc()/shrinker_register()/shrinker_free(): 6.7 */
#include <linux/module.h>
#include <linux/shrinker.h>

static int __init probe_init(void)
{
	struct shrinker *s = shrinker_alloc(0, "%s", "probe");

	shrinker_register(s);
	shrinker_free(s);
	return 0;
}
module_init(probe_init);
MODULE_LICENSE("GPL");
