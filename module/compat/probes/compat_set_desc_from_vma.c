// SPDX-License-Identifier: GPL-2.0
/*
 * compat_set_desc_from_vma() + __compat_vma_mmap(desc, vma): run an
 * mmap_prepare hook for an existing VMA (7.x).
 */
#include <linux/fs.h>

static int __init probe_init(void)
{
	struct vm_area_desc desc;
	struct vm_area_struct *vma = NULL;

	compat_set_desc_from_vma(&desc, NULL, vma);
	return __compat_vma_mmap(&desc, vma);
}
module_init(probe_init);
MODULE_LICENSE("GPL");
