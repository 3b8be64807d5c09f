// SPDX-License-Identifier: GPL-2.0
/* register_shrinker(s) without a name: up to 5.19 */
#include <linux/shrinker.h>

static struct shrinker s;

static int __init probe_init(void)
{
	return register_shrinker(&s);
}
module_init(probe_init);
MODULE_LICENSE("GPL");
