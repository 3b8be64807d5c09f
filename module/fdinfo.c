// SPDX-License-Identifier: GPL-2.0
/*
 * A region's lines in /proc/PID/fdinfo/FD, readable by whoever can see
 * the process's fds: every value is O(1) to produce.
 */
#include <linux/seq_file.h>

#include "vrange.h"

/*
 * Print @name with every byte that is not printable ASCII, and the
 * backslash, as "\ooo", as /proc/self/mountinfo does: a name may hold any
 * byte (ashmem's always could) and must not forge a line or a field.
 */
static void vrange_seq_escape(struct seq_file *m, const char *name)
{
	for (; *name; name++) {
		unsigned char c = *name;

		if (c < ' ' || c > '~' || c == '\\')
			seq_printf(m, "\\%03o", c);
		else
			seq_putc(m, c);
	}
}

void vrange_region_show(struct vrange_region *region, struct seq_file *m)
{
	struct file *backing;

	down_read(&region->lock);
	backing = region->backing;
	seq_printf(m, "vrange_id:\t%llu\n", region->id);
	seq_puts(m, "vrange_name:\t");
	vrange_seq_escape(m, region->name);
	seq_putc(m, '\n');
	seq_printf(m, "vrange_size:\t%llu\n", region->size);
	seq_printf(m, "vrange_mapped:\t%d\n", backing ? 1 : 0);
	seq_printf(m, "vrange_resident_pages:\t%lu\n",
		   backing ? backing->f_mapping->nrpages : 0);
	seq_printf(m, "vrange_unpinned_pages:\t%llu\n", region->set.unpinned);
	seq_printf(m, "vrange_purged_pages:\t%llu\n", region->set.purged);
	seq_printf(m, "vrange_ranges:\t%lu\n", region->set.nr_ranges);
	up_read(&region->lock);
	vrange_region_sync_resident(region);
}
