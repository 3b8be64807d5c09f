// SPDX-License-Identifier: GPL-2.0
/* vma_set_file(): 5.11 */
#include <linux/mm.h>
#include <linux/module.h>

static int __init probe_init(void)
{
	vma_set_file(NULL, NULL);
	return 0;
}
module_init(probe_init);
MODULE_LICENSE("GPL");
