// SPDX-License-Identifier: GPL-2.0
/* register_shrinker(s, fmt, ...): 6.0 to 6.6 */
#include <linux/module.h>
#include <linux/shrinker.h>

static struct shrinker s;

static int __init probe_init(void)
{
	return register_shrinker(&s, "%s", "probe");
}
module_init(probe_init);
MODULE_LICENSE("GPL");
