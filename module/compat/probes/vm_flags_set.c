// SPDX-License-Identifier: GPL-2.0
/* vm_flags_set()/vm_flags_clear(); vma->vm_flags read-only: 6.3 */
#include <linux/mm.h>

static int __init probe_init(void)
{
	struct vm_area_struct *vma = NULL;

	vm_flags_set(vma, VM_DONTEXPAND);
	vm_flags_clear(vma, VM_MAYWRITE);
	return 0;
}
module_init(probe_init);
MODULE_LICENSE("GPL");
