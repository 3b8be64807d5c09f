// SPDX-License-Identifier: GPL-2.0
/*
 * Runs of pages on one node each; see node_runs.h.
 */
#include "node_runs.h"
#include "rangeset.h"

void vr_node_runs_init(struct vr_node_runs *runs, u64 start, u64 end)
{
	runs->start = start;
	runs->nr = 1;
	runs->run[0].end = end;
	runs->run[0].nid = VR_NO_NODE;
}

void vr_node_runs_note(struct vr_node_runs *runs, u64 index, int nid)
{
	struct vr_node_run *last = &runs->run[runs->nr - 1];

	if (nid == VR_NO_NODE || nid == last->nid)
		return;
	if (last->nid == VR_NO_NODE) {
		last->nid = nid;
		return;
	}
	/* Out of runs, or no page left to cut off: the last run keeps it. */
	if (runs->nr == VR_NODE_RUNS_MAX ||
	    index <= vr_node_run_start(runs, runs->nr - 1) || index >= last->end)
		return;
	runs->run[runs->nr].end = last->end;
	runs->run[runs->nr].nid = nid;
	last->end = index;
	runs->nr++;
}

static unsigned int vr_pool_batches_on(struct vr_pool *pool, int nid)
{
	struct vr_batch *b;
	unsigned int n = 0;

	list_for_each_entry(b, &pool->batches, lru)
		n += b->nid == nid;
	return n;
}

bool vr_pool_covers_runs(struct vr_pool *pool, const struct vr_node_runs *runs)
{
	unsigned int i, j, want;

	if (runs->nr == 1 && runs->run[0].nid == VR_NO_NODE)
		return pool->nr_batches >= 1;
	for (i = 0; i < runs->nr; i++) {
		int nid = runs->run[i].nid;

		/* Count each node once, at its first run. */
		for (j = 0; j < i && runs->run[j].nid != nid; j++)
			;
		if (j < i)
			continue;
		for (want = 0, j = i; j < runs->nr; j++)
			want += runs->run[j].nid == nid;
		if (vr_pool_batches_on(pool, nid) < want)
			return false;
	}
	return true;
}

void vr_pool_batch_first(struct vr_pool *pool, int nid)
{
	struct vr_batch *b;

	if (nid == VR_NO_NODE)
		return;
	list_for_each_entry(b, &pool->batches, lru) {
		if (b->nid == nid) {
			list_move(&b->lru, &pool->batches);
			return;
		}
	}
}
