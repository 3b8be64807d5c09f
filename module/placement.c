// SPDX-License-Identifier: GPL-2.0
/*
 * Where the pages of an unpinned range live: their NUMA node and memory
 * cgroup, so that its batches are listed on that node's purge LRU, under
 * that memcg (see node_runs.h).
 *
 * Each 2 MiB chunk is judged by its first resident page.  Pages migrate,
 * and a chunk may mix nodes or cgroups, so this is a placement hint,
 * never a rule: a reclaim that finds nothing on its own list still has
 * the OOM notifier, which purges from every list.  Chunks with no page
 * resident go with the run before them.
 */
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/nodemask.h>
#include <linux/pagemap.h>
#include <linux/sizes.h>
#include <linux/xarray.h>

#include "vrange.h"

#define VRANGE_SAMPLE_CHUNK	(SZ_2M >> PAGE_SHIFT)
/* Entries looked at under one RCU read section. */
#define VRANGE_SAMPLE_BATCH	64

/* The home of page @index, with a reference on its memcg; false if gone. */
static bool vrange_page_home(struct address_space *mapping, u64 index,
			     struct vr_home *home)
{
	struct page *page = find_get_page(mapping, index);

	if (!page)
		return false;
	home->nid = page_to_nid(page);
	rcu_read_lock();
	home->memcg = vrange_page_memcg(page);
	if (home->memcg && !vrange_memcg_tryget(home->memcg))
		home->memcg = NULL;
	rcu_read_unlock();
	put_page(page);
	return true;
}

/* The next index at or after @index, below @end, holding a page. */
static bool vrange_next_page(struct xa_state *xas, u64 end, u64 *index)
{
	unsigned int seen = 0;
	void *entry;

	rcu_read_lock();
	while ((entry = xas_find(xas, end - 1))) {
		if (xas_retry(xas, entry))
			continue;
		/* Swapped-out shmem pages are value entries: nothing there. */
		if (!xa_is_value(entry)) {
			*index = xas->xa_index;
			break;
		}
		if (++seen % VRANGE_SAMPLE_BATCH == 0) {
			xas_pause(xas);
			rcu_read_unlock();
			cond_resched();
			rcu_read_lock();
		}
	}
	rcu_read_unlock();
	return entry;
}

void vrange_node_runs(struct address_space *mapping, u64 start, u64 end,
		      struct vr_node_runs *runs)
{
	XA_STATE(xas, &mapping->i_pages, start);
	u64 index;

	vr_node_runs_init(runs, start, end);
	/* One node and no memcgs: one home, nothing to look up. */
	if (num_online_nodes() < 2 && mem_cgroup_disabled())
		return;

	while (start < end && vrange_next_page(&xas, end, &index)) {
		u64 chunk = round_down(index, VRANGE_SAMPLE_CHUNK);
		struct vr_home home;

		if (vrange_page_home(mapping, index, &home) &&
		    !vr_node_runs_note(runs, max(chunk, start), home))
			mem_cgroup_put(home.memcg);
		chunk += VRANGE_SAMPLE_CHUNK;
		if (chunk >= end)
			break;
		xas_set(&xas, chunk);
		cond_resched();
	}
}

/* Drop the memcg references vrange_node_runs() took. */
void vrange_node_runs_put(struct vr_node_runs *runs)
{
	unsigned int i;

	for (i = 0; i < runs->nr; i++)
		mem_cgroup_put(runs->run[i].home.memcg);
}

/*
 * The first page of [start, end) that holds memory, or @end: what a purge
 * of the range may pass over at no cost (never touched, or swapped out).
 */
u64 vrange_first_resident(struct address_space *mapping, u64 start, u64 end)
{
	XA_STATE(xas, &mapping->i_pages, start);
	u64 index;

	return start < end && vrange_next_page(&xas, end, &index) ? index : end;
}
