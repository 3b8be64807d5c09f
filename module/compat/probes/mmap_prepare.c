// SPDX-License-Identifier: GPL-2.0
/* file_operations.mmap_prepare(struct vm_area_desc *): 6.16 */
#include <linux/fs.h>

static int prepare(struct vm_area_desc *desc)
{
	return 0;
}

static const struct file_operations fops = { .mmap_prepare = prepare };

static int __init probe_init(void)
{
	return fops.mmap_prepare ? 0 : 1;
}
module_init(probe_init);
MODULE_LICENSE("GPL");
