// SPDX-License-Identifier: GPL-2.0
/* shmem_file_setup(name, size, vma_flags_t): ~7.0 */
#include <linux/shmem_fs.h>

static int __init probe_init(void)
{
	struct file *f = shmem_file_setup("probe", 0,
					  mk_vma_flags(VMA_NORESERVE_BIT));

	return IS_ERR(f) ? PTR_ERR(f) : 0;
}
module_init(probe_init);
MODULE_LICENSE("GPL");
