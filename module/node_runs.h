/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The nodes an unpinned range's pages are on, as a few runs of pages.
 *
 * An unpin lists its pages on the purge LRU of their NUMA node, so that
 * reclaim on one node purges that node's pages.  A range can span nodes:
 * it is cut into runs, one batch each, where the node of the sampled
 * pages changes.  The runs are few (a bound, not one per page), so the
 * last one takes whatever follows once they are used up.
 *
 * Plain C, so tests/unit can build it in userspace.
 */
#ifndef VRANGE_NODE_RUNS_H
#define VRANGE_NODE_RUNS_H

#include <linux/types.h>

struct vr_pool;

/* NUMA_NO_NODE: a run whose pages were never sampled. */
#define VR_NO_NODE		(-1)
/* Batches one unpin call may make: enough for any real placement. */
#define VR_NODE_RUNS_MAX	8

struct vr_node_run {
	u64 end;	/* pages; a run starts where the previous one ends */
	int nid;
};

struct vr_node_runs {
	u64 start;
	unsigned int nr;
	struct vr_node_run run[VR_NODE_RUNS_MAX];
};

/* One run over [start, end), on no node yet. */
void vr_node_runs_init(struct vr_node_runs *runs, u64 start, u64 end);

/*
 * The pages from @index on were sampled on node @nid; samples come in
 * increasing @index order.  Pages before the first sample go with it.
 */
void vr_node_runs_note(struct vr_node_runs *runs, u64 index, int nid);

static inline u64 vr_node_run_start(const struct vr_node_runs *runs,
				    unsigned int i)
{
	return i ? runs->run[i - 1].end : runs->start;
}

/*
 * Batches in a pool carry the node they were allocated for (vr_batch.nid).
 * Does @pool hold one for each run, on the run's node?  A run on no node
 * takes any batch.
 */
bool vr_pool_covers_runs(struct vr_pool *pool, const struct vr_node_runs *runs);

/* Put a batch for node @nid first, where the next unpin takes it. */
void vr_pool_batch_first(struct vr_pool *pool, int nid);

#endif /* VRANGE_NODE_RUNS_H */
