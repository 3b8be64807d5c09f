// SPDX-License-Identifier: GPL-2.0
/*
 * Purge sizing: what reclaim still needs, never a fixed share of the
 * unpinned pages.  See purge_size.h.
 */
#include "purge_size.h"

unsigned long vr_memcg_need(const struct vr_counter *levels, int n,
			    unsigned long batch)
{
	unsigned long need = 0;
	int i;

	for (i = 0; i < n; i++) {
		const struct vr_counter *c = &levels[i];
		unsigned long limit = c->max < c->high ? c->max : c->high;
		unsigned long want = c->usage + batch;

		/* An unlimited level (PAGE_COUNTER_MAX) never overflows here. */
		if (want < c->usage)
			want = ~0UL;
		if (want > limit && want - limit > need)
			need = want - limit;
	}
	return need;
}

unsigned long vr_wmark_need(unsigned long high, unsigned long free)
{
	return free < high ? high - free : 0;
}

unsigned long vr_purge_want(unsigned long need, unsigned long chunk,
			    unsigned long unpinned)
{
	unsigned long want;

	if (!need || !chunk)
		return 0;
	want = need / chunk * chunk;
	if (want < need)
		want = want + chunk < want ? ~0UL : want + chunk;
	return want < unpinned ? want : unpinned;
}
