// SPDX-License-Identifier: GPL-2.0
/*
 * Which NUMA node the pages of an unpinned range are on, so that its
 * batches are listed on that node's purge LRU (see node_runs.h).
 *
 * Each 2 MiB chunk is judged by its first resident page.  Pages migrate
 * and a chunk may mix nodes, so this is a placement hint, never a rule:
 * any node's reclaim that finds nothing on its own list still has the
 * OOM notifier, which purges from every node.  One node: no lookups.
 */
#include <linux/mm.h>
#include <linux/nodemask.h>
#include <linux/pagemap.h>
#include <linux/sizes.h>
#include <linux/xarray.h>

#include "vrange.h"

#define VRANGE_SAMPLE_CHUNK	(SZ_2M >> PAGE_SHIFT)
/* Entries looked at under one RCU read section. */
#define VRANGE_SAMPLE_BATCH	64

void vrange_node_runs(struct address_space *mapping, u64 start, u64 end,
		      struct vr_node_runs *runs)
{
	XA_STATE(xas, &mapping->i_pages, start);
	unsigned int seen = 0;
	void *entry;

	vr_node_runs_init(runs, start, end);
	if (num_online_nodes() < 2 || start >= end)
		return;

	rcu_read_lock();
	while ((entry = xas_find(&xas, end - 1))) {
		if (xas_retry(&xas, entry))
			continue;
		/* Swapped-out shmem pages are value entries: no node. */
		if (!xa_is_value(entry)) {
			u64 chunk = round_down(xas.xa_index, VRANGE_SAMPLE_CHUNK);

			/* A folio is a page to page_to_nid(): its first one. */
			vr_node_runs_note(runs, max(chunk, start),
					  page_to_nid((struct page *)entry));
			chunk += VRANGE_SAMPLE_CHUNK;
			if (chunk >= end)
				break;
			xas_set(&xas, chunk);
		}
		if (++seen % VRANGE_SAMPLE_BATCH == 0) {
			xas_pause(&xas);
			rcu_read_unlock();
			cond_resched();
			rcu_read_lock();
		}
	}
	rcu_read_unlock();
}
