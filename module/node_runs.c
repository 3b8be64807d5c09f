// SPDX-License-Identifier: GPL-2.0
/*
 * Runs of pages with one home each; see node_runs.h.
 */
#include "node_runs.h"
#include "rangeset.h"

void vr_node_runs_init(struct vr_node_runs *runs, u64 start, u64 end)
{
	runs->start = start;
	runs->nr = 1;
	runs->run[0].end = end;
	runs->run[0].home.nid = VR_NO_NODE;
	runs->run[0].home.memcg = NULL;
}

static bool vr_home_same(struct vr_home a, struct vr_home b)
{
	return a.nid == b.nid && a.memcg == b.memcg;
}

bool vr_node_runs_note(struct vr_node_runs *runs, u64 index,
		       struct vr_home home)
{
	struct vr_node_run *last = &runs->run[runs->nr - 1];

	if (vr_home_same(home, last->home))
		return false;
	if (vr_home_fits(last->home, home)) {	/* the first sample */
		last->home = home;
		return true;
	}
	/* Out of runs, or no page left to cut off: the last run keeps it. */
	if (runs->nr == VR_NODE_RUNS_MAX ||
	    index <= vr_node_run_start(runs, runs->nr - 1) || index >= last->end)
		return false;
	runs->run[runs->nr].end = last->end;
	runs->run[runs->nr].home = home;
	last->end = index;
	runs->nr++;
	return true;
}

void vr_node_runs_one(const struct vr_node_runs *runs,
		      struct vr_node_runs *one)
{
	unsigned int i, widest = 0;
	u64 len, most = 0;

	for (i = 0; i < runs->nr; i++) {
		len = runs->run[i].end - vr_node_run_start(runs, i);
		if (len > most) {
			most = len;
			widest = i;
		}
	}
	vr_node_runs_init(one, runs->start, runs->run[runs->nr - 1].end);
	one->run[0].home = runs->run[widest].home;
}

static struct vr_batch *vr_pool_find(struct vr_pool *pool, struct vr_home home)
{
	struct vr_batch *b;

	list_for_each_entry(b, &pool->batches, lru)
		if (vr_home_fits(home, b->home))
			return b;
	return NULL;
}

bool vr_pool_covers_runs(struct vr_pool *pool, const struct vr_node_runs *runs)
{
	struct list_head taken;
	bool covered = true;
	unsigned int i;

	/* Set each run's batch aside, so that no two runs count one. */
	INIT_LIST_HEAD(&taken);
	for (i = 0; i < runs->nr && covered; i++) {
		struct vr_batch *b = vr_pool_find(pool, runs->run[i].home);

		if (b)
			list_move(&b->lru, &taken);
		else
			covered = false;
	}
	list_splice(&taken, &pool->batches);
	return covered;
}

void vr_pool_batch_first(struct vr_pool *pool, struct vr_home home)
{
	struct vr_batch *b = vr_pool_find(pool, home);

	if (b)
		list_move(&b->lru, &pool->batches);
}
