// SPDX-License-Identifier: GPL-2.0
/* __compat_vma_mmap(f_op, file, vma): 6.18 until the desc form */
#include <linux/fs.h>

static int __init probe_init(void)
{
	const struct file_operations *f_op = NULL;

	return __compat_vma_mmap(f_op, NULL, NULL);
}
module_init(probe_init);
MODULE_LICENSE("GPL");
