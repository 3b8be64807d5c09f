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
 * Pages a memory cgroup must lose before a charge of @batch pages fits
 * under every level's memory.max and memory.high: the largest excess
 * over the @n levels, 0 if the charge fits everywhere.
 */
unsigned long vr_memcg_need(const struct vr_counter *levels, int n,
			    unsigned long batch);

/* Pages a zone's free memory lacks to reach its high watermark @high. */
unsigned long vr_wmark_need(unsigned long high, unsigned long free);

/*
 * Pages to purge now: 0 when reclaim needs nothing more here, else the
 * need rounded up to whole chunks of @chunk pages, at most @unpinned.
 */
unsigned long vr_purge_want(unsigned long need, unsigned long chunk,
			    unsigned long unpinned);

#endif /* VRANGE_PURGE_SIZE_H */
