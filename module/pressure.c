// SPDX-License-Identifier: GPL-2.0
/*
 * What reclaim still needs in the scope a shrinker call reclaims for: the
 * excess of a memory cgroup (or an ancestor) over its memory.max or
 * memory.high, and the zones' shortfall below their high watermarks,
 * which is where kswapd stops.  The shrinker purges that and no more:
 * shrink_slab() itself sizes a call from the count and the priority,
 * which says nothing about how much memory is missing.
 */
#include <linux/memcontrol.h>
#include <linux/mmzone.h>
#include <linux/page_counter.h>
#include <linux/sched.h>
#include <linux/swap.h>
#include <linux/vmstat.h>

#include "purge_size.h"
#include "vrange.h"

static unsigned long vrange_memcg_need(struct mem_cgroup *memcg)
{
	unsigned long need = 0;
#ifdef CONFIG_MEMCG
	struct page_counter *c;

	if (!memcg)
		return 0;
	/* The tightest level decides; the root's is unlimited. */
	for (c = &memcg->memory; c; c = c->parent) {
		struct vr_counter level = {
			.usage = page_counter_read(c),
			.max = READ_ONCE(c->max),
			.high = READ_ONCE(c->high),
		};

		need = max(need, vr_memcg_need(&level, MEMCG_CHARGE_BATCH));
	}
#endif
	return need;
}

/*
 * With swap to evict anonymous memory to, each reclaim pass evicts from
 * the LRUs before it calls the shrinkers (MGLRU's kswapd starts at
 * priority 6, megabytes per pass): every pass that happens costs pinned
 * pages.  Purge ahead then, to this many times the high watermarks, so
 * that far fewer passes happen at all.
 */
#define VRANGE_SWAP_AHEAD	8

static unsigned long vrange_zones_need(void)
{
	unsigned long need = 0;
	int ahead = get_nr_swap_pages() > 0 ? VRANGE_SWAP_AHEAD : 1;
	int nid, i;

	for_each_online_node(nid) {
		pg_data_t *pgdat = NODE_DATA(nid);

		for (i = 0; i < MAX_NR_ZONES; i++) {
			struct zone *zone = &pgdat->node_zones[i];

			if (!populated_zone(zone))
				continue;
			need += vr_wmark_need(ahead * high_wmark_pages(zone),
					      zone_page_state(zone,
							      NR_FREE_PAGES));
		}
	}
	return need;
}

/*
 * Pages reclaim still needs where @memcg is reclaimed from, or ULONG_MAX
 * when the caller is no reclaimer (drop_caches): it asked for everything.
 */
unsigned long vrange_reclaim_need(struct mem_cgroup *memcg)
{
	if (!current->reclaim_state)
		return ULONG_MAX;
	return max(vrange_memcg_need(memcg), vrange_zones_need());
}
