// SPDX-License-Identifier: GPL-2.0
/*
 * vrange: purgeable shared memory regions with pin/unpin, a purging
 * shrinker and SIGBUS on access to purged pages.
 */
#include <linux/module.h>

#include "vrange.h"

static int __init vrange_init(void)
{
	int err;

	err = vrange_region_init();
	if (err)
		return err;
	err = vrange_shrinker_init();
	if (err)
		goto err_region;
	err = vrange_dev_init();
	if (err)
		goto err_shrinker;
	err = vrange_ashmem_init();
	if (err)
		goto err_dev;
	vrange_debugfs_init();
	return 0;

err_dev:
	vrange_dev_exit();
err_shrinker:
	vrange_shrinker_exit();
err_region:
	vrange_region_exit();
	return err;
}

static void __exit vrange_exit(void)
{
	vrange_debugfs_exit();
	vrange_ashmem_exit();
	vrange_dev_exit();
	/* Sets still being freed have batches on the shrinker's LRUs. */
	vrange_region_flush();
	vrange_shrinker_exit();
	vrange_region_exit();
	vrange_mmap_exit();
}

module_init(vrange_init);
module_exit(vrange_exit);

MODULE_DESCRIPTION("Purgeable memory regions with pin/unpin (vrange)");
MODULE_AUTHOR("The vrange developers");
MODULE_LICENSE("GPL");
