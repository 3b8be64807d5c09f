/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where an unpinned range's pages live, as a few runs of pages with one
 * home each: the NUMA node and the memory cgroup of their memory.
 *
 * An unpin lists its pages on the purge LRU of their node and memcg, so
 * that reclaim on one node, or in one cgroup, purges the pages it can
 * gain from.  A range can span homes: it is cut into runs, one batch
 * each, where the home of the sampled pages changes.  The runs are few (a
 * bound, not one per page): once they are used up the last one takes the
 * rest.  Batches carry the home they were allocated for, and a pool of
 * spare batches is matched against the runs.
 *
 * Plain C, so tests/unit can build it in userspace; a memcg is only
 * compared here, never looked into.
 */
#ifndef VRANGE_NODE_RUNS_H
#define VRANGE_NODE_RUNS_H

#include <linux/types.h>

struct mem_cgroup;
struct vr_pool;

/* NUMA_NO_NODE: no page was sampled. */
#define VR_NO_NODE		(-1)
/* Batches one unpin call may make: enough for any real placement. */
#define VR_NODE_RUNS_MAX	8

/* A home with no node and no memcg is unknown: any batch will do. */
struct vr_home {
	int nid;
	struct mem_cgroup *memcg;
};

struct vr_node_run {
	u64 end;	/* pages; a run starts where the previous one ends */
	struct vr_home home;
};

struct vr_node_runs {
	u64 start;
	unsigned int nr;
	struct vr_node_run run[VR_NODE_RUNS_MAX];
};

/* One run over [start, end), of unknown home. */
void vr_node_runs_init(struct vr_node_runs *runs, u64 start, u64 end);

/*
 * The pages from @index on were sampled at @home; samples come in
 * increasing @index order, and pages before the first go with it.
 * Returns true if a run now has @home that did not before (the caller
 * keeps what it holds for @home), false if the sample changed nothing.
 */
bool vr_node_runs_note(struct vr_node_runs *runs, u64 index,
		       struct vr_home home);

/*
 * @one: all of @runs as one run, at the home of its longest run, for an
 * unpin that must stay one unit.  It borrows that home's reference.
 */
void vr_node_runs_one(const struct vr_node_runs *runs,
		      struct vr_node_runs *one);

static inline u64 vr_node_run_start(const struct vr_node_runs *runs,
				    unsigned int i)
{
	return i ? runs->run[i - 1].end : runs->start;
}

/* May a batch allocated for @have serve a run at @want? */
static inline bool vr_home_fits(struct vr_home want, struct vr_home have)
{
	if (want.nid == VR_NO_NODE && !want.memcg)
		return true;
	return want.nid == have.nid && want.memcg == have.memcg;
}

/* Does @pool hold a batch for each run, each fitting its run's home? */
bool vr_pool_covers_runs(struct vr_pool *pool, const struct vr_node_runs *runs);

/* Put a batch that fits @home first, where the next unpin takes it. */
void vr_pool_batch_first(struct vr_pool *pool, struct vr_home home);

#endif /* VRANGE_NODE_RUNS_H */
