/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How much a shrinker call should purge, from what reclaim still needs in
 * its scope.  Plain arithmetic on numbers the caller read from the zones
 * and memory cgroups, so tests/unit can build it in userspace.
 */
#ifndef VRANGE_PURGE_SIZE_H
#define VRANGE_PURGE_SIZE_H

#include <linux/types.h>

/* One level of a memory cgroup's hierarchy: its page_counter, in pages. */
struct vr_counter {
	unsigned long usage, max, high;
};

/*
 * Pages one level of a memory cgroup must lose before a charge of @batch
 * pages fits under its memory.max and memory.high; 0 if it fits.
 */
unsigned long vr_memcg_need(const struct vr_counter *c, unsigned long batch);

/* Pages a zone's free memory lacks to reach its high watermark @high. */
unsigned long vr_wmark_need(unsigned long high, unsigned long free);

#endif /* VRANGE_PURGE_SIZE_H */
