// SPDX-License-Identifier: GPL-2.0
/*
 * What reclaim still needs in the scope a shrinker call reclaims for: the
 * excess of a memory cgroup (or an ancestor) over its memory.max or
 * memory.high, and the shortfall of the node's zones below their high
 * watermarks, which is where kswapd stops.  The shrinker purges that and no more:
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

/* Pages @memcg or its tightest ancestor must lose to fit its limits. */
unsigned long vrange_memcg_need(struct mem_cgroup *memcg)
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

/*
 * Pages node @nid's zones lack to reach their high watermarks, @ahead
 * times over, with or without the boost.
 */
static unsigned long vrange_node_lack(int nid, int ahead, bool boost)
{
	pg_data_t *pgdat = NODE_DATA(nid);
	unsigned long need = 0;
	int i;

	for (i = 0; i < MAX_NR_ZONES; i++) {
		struct zone *zone = &pgdat->node_zones[i];
		unsigned long high;

		if (!populated_zone(zone))
			continue;
		high = high_wmark_pages(zone);
		if (!boost)
			high -= zone->watermark_boost;
		need += vr_wmark_need(ahead * high,
				      zone_page_state(zone, NR_FREE_PAGES));
	}
	return need;
}

/*
 * Pages node @nid's zones lack to reach their (ahead) high watermarks.
 * Not the boost: kswapd raises it on fragmentation to reclaim extra, and
 * the free pages it wants are in the zone the allocation fell back to,
 * rarely the one purges free into.
 */
unsigned long vrange_node_need(int nid)
{
	return vrange_node_lack(nid, get_nr_swap_pages() > 0 ?
				VRANGE_SWAP_AHEAD : 1, false);
}

/*
 * Is node @nid below the bar an allocation's last try before the OOM
 * killer has to clear: the high watermarks, boost included?
 */
bool vrange_node_short(int nid)
{
	return vrange_node_lack(nid, 1, true);
}
