// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/vrange/: root-only checks for tests, too costly to
 * offer to everyone in fdinfo or sysfs.
 *
 * purged_resident_pages: one "<vrange_id>\t<pages>" line per mapped
 * region, the pages inside its purged ranges still in the page cache but
 * for those of a purge in flight.  Must always be 0.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/pagemap.h>
#include <linux/sched.h>
#include <linux/seq_file.h>

#include "vrange.h"

static struct dentry *vrange_debugfs_dir;

/* The caller holds region->lock, so no purge starts meanwhile. */
static unsigned long vrange_purged_resident(struct vrange_region *region)
{
	struct address_space *mapping = region->backing->f_mapping;
	struct vr_range *r = NULL;
	unsigned long count = 0;
	u64 index;

	while ((r = vr_set_next_purged(&region->set, r))) {
		cond_resched();
		if (!filemap_range_has_page(mapping,
					    (loff_t)r->start << PAGE_SHIFT,
					    ((loff_t)r->end << PAGE_SHIFT) - 1))
			continue;
		for (index = r->start; index < r->end; index++) {
			struct page *page;

			/* A purge in flight frees it: not resident for long. */
			if (vrange_region_page_purging(region, index))
				continue;
			page = find_get_page(mapping, index);
			if (page) {
				count++;
				put_page(page);
			}
			cond_resched();
		}
	}
	return count;
}

static void vrange_show_purged_resident(struct vrange_region *region,
					void *m)
{
	down_read(&region->lock);
	if (region->backing)
		seq_printf(m, "%llu\t%lu\n", region->id,
			   vrange_purged_resident(region));
	up_read(&region->lock);
}

static int purged_resident_show(struct seq_file *m, void *v)
{
	vrange_for_each_region(vrange_show_purged_resident, m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(purged_resident);

/* debugfs may be absent or off: vrange works without these files. */
void vrange_debugfs_init(void)
{
	vrange_debugfs_dir = debugfs_create_dir("vrange", NULL);
	debugfs_create_file("purged_resident_pages", 0400, vrange_debugfs_dir,
			    NULL, &purged_resident_fops);
}

void vrange_debugfs_exit(void)
{
	debugfs_remove_recursive(vrange_debugfs_dir);
}
