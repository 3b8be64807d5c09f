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

/* The home of @page, with a reference on its memcg. */
static struct vr_home vrange_page_home(struct page *page)
{
	struct vr_home home = { .nid = page_to_nid(page) };

	rcu_read_lock();
	home.memcg = vrange_page_memcg(page);
	if (home.memcg && !vrange_memcg_tryget(home.memcg))
		home.memcg = NULL;
	rcu_read_unlock();
	return home;
}

/*
 * The next page from @xas on, below @end: with a reference if @get, else
 * only as a sign that memory is there.  One walk of the xarray, the way
 * the page cache's own lookups take their reference: a page freed and
 * reused meanwhile has left its slot, which the reload sees.
 */
static struct page *vrange_next_page(struct xa_state *xas, u64 end, bool get)
{
	unsigned int seen = 0;
	void *entry;

	rcu_read_lock();
	while ((entry = xas_find(xas, end - 1))) {
		if (xas_retry(xas, entry))
			continue;
		/* Swapped-out shmem pages are value entries: nothing there. */
		if (xa_is_value(entry)) {
			if (++seen % VRANGE_SAMPLE_BATCH == 0) {
				xas_pause(xas);
				rcu_read_unlock();
				cond_resched();
				rcu_read_lock();
			}
			continue;
		}
		if (!get)
			break;
		if (get_page_unless_zero(entry)) {
			if (likely(xas_reload(xas) == entry))
				break;
			put_page(entry);
		}
		xas_reset(xas);
	}
	rcu_read_unlock();
	return entry;
}

void vrange_node_runs(struct address_space *mapping, u64 start, u64 end,
		      struct vr_node_runs *runs)
{
	XA_STATE(xas, &mapping->i_pages, start);
	struct page *page;

	vr_node_runs_init(runs, start, end);
	/* One node and no memcgs: one home, nothing to look up. */
	if (num_online_nodes() < 2 && mem_cgroup_disabled())
		return;

	while (start < end && (page = vrange_next_page(&xas, end, true))) {
		u64 chunk = round_down(xas.xa_index, VRANGE_SAMPLE_CHUNK);
		struct vr_home home = vrange_page_home(page);

		put_page(page);
		if (!vr_node_runs_note(runs, max(chunk, start), home))
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

	if (start < end && vrange_next_page(&xas, end, false))
		return xas.xa_index;
	return end;
}
