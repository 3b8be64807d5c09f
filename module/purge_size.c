// SPDX-License-Identifier: GPL-2.0
/*
 * Purge sizing: what reclaim still needs, never a fixed share of the
 * unpinned pages.  See purge_size.h.
 */
#include "purge_size.h"

unsigned long vr_memcg_need(const struct vr_counter *c, unsigned long batch)
{
	unsigned long limit = c->max < c->high ? c->max : c->high;
	unsigned long want = c->usage + batch;

	/* An unlimited level (PAGE_COUNTER_MAX) never overflows here. */
	if (want < c->usage)
		want = ~0UL;
	return want > limit ? want - limit : 0;
}

unsigned long vr_wmark_need(unsigned long high, unsigned long free)
{
	return free < high ? high - free : 0;
}
