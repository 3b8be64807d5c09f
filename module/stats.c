// SPDX-License-Identifier: GPL-2.0
/*
 * Global counters in /sys/class/misc/vrange/stats/, readable by anyone.
 */
#include <linux/device.h>
#include <linux/sysfs.h>

#include "vrange.h"

#define VRANGE_STAT_ATTR(name, value)					\
static ssize_t name##_show(struct device *dev,				\
			   struct device_attribute *attr, char *buf)	\
{									\
	return sysfs_emit(buf, "%lld\n", (long long)(value));		\
}									\
static DEVICE_ATTR_RO(name)

VRANGE_STAT_ATTR(regions, atomic_long_read(&vrange_stats.regions));
VRANGE_STAT_ATTR(mapped_bytes, atomic64_read(&vrange_stats.mapped_bytes));
/* O(1): as of each region's last event, see vrange_region_sync_resident(). */
VRANGE_STAT_ATTR(resident_pages,
		 atomic_long_read(&vrange_stats.resident_pages));
VRANGE_STAT_ATTR(unpinned_pages,
		 atomic_long_read(&vrange_stats.unpinned_pages));
VRANGE_STAT_ATTR(purged_pages, atomic_long_read(&vrange_stats.purged_pages));
VRANGE_STAT_ATTR(purged_pages_total,
		 atomic_long_read(&vrange_stats.purged_pages_total));
VRANGE_STAT_ATTR(purge_events, atomic_long_read(&vrange_stats.purge_events));
VRANGE_STAT_ATTR(shrinker_scans,
		 atomic_long_read(&vrange_stats.shrinker_scans));
VRANGE_STAT_ATTR(oom_purges, atomic_long_read(&vrange_stats.oom_purges));
VRANGE_STAT_ATTR(ranges, vrange_nodes_used());
VRANGE_STAT_ATTR(max_ranges, vrange_system_limit());
VRANGE_STAT_ATTR(max_user_ranges, vrange_user_limit());

static struct attribute *vrange_stat_attrs[] = {
	&dev_attr_regions.attr,
	&dev_attr_mapped_bytes.attr,
	&dev_attr_resident_pages.attr,
	&dev_attr_unpinned_pages.attr,
	&dev_attr_purged_pages.attr,
	&dev_attr_purged_pages_total.attr,
	&dev_attr_purge_events.attr,
	&dev_attr_shrinker_scans.attr,
	&dev_attr_oom_purges.attr,
	&dev_attr_ranges.attr,
	&dev_attr_max_ranges.attr,
	&dev_attr_max_user_ranges.attr,
	NULL
};

static const struct attribute_group vrange_stat_group = {
	.name	= "stats",
	.attrs	= vrange_stat_attrs,
};

const struct attribute_group *vrange_attr_groups[] = {
	&vrange_stat_group,
	NULL
};
