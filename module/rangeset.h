/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The unpinned pages of a region as a set of disjoint page intervals.
 *
 * Pages outside every interval are pinned.  An interval is either unpinned
 * (its pages may still hold data) or purged (its pages were freed while
 * unpinned).  Unpin only adds intervals for the pinned gaps of a range, so
 * pages that were already unpinned keep their age and purged pages stay
 * purged; pin trims, splits or removes intervals.  Every operation is
 * O(log n + k) for k intervals touched, never a walk of history, and O(1)
 * plus rebalancing when it works next to the previous change.
 *
 * The unit of purge order is a batch: the intervals one unpin call added.
 * Batches sit on the purge LRU of their class in unpin order; an interval
 * split by a pin stays in its batch, so both halves keep their age.  A
 * whole batch is purged as one unit, all its intervals at once.
 *
 * This file is plain C over <linux/rbtree.h> and <linux/list.h> so that it
 * also builds in userspace (tests/unit) against small shims of those APIs.
 * It allocates nothing: callers hand it spare objects in a vr_pool and get
 * unused ones back there.  It tells the LRU about batches through
 * vr_lru_add() and vr_lru_del(), which its user provides.
 */
#ifndef VRANGE_RANGESET_H
#define VRANGE_RANGESET_H

#include <linux/list.h>
#include <linux/rbtree.h>
#include <linux/types.h>

#include "node_runs.h"

struct vr_batch {
	struct list_head lru;		/* purge LRU, or vr_pool */
	struct list_head ranges;	/* its unpinned intervals */
	struct vr_set *set;		/* stable while on the LRU */
	struct vr_home home;		/* what its user allocated it for */
	unsigned int purge_class;	/* which LRU: lower is purged first */
	bool whole;			/* purged as one unit, never in chunks */
};

struct vr_range {
	struct rb_node rb;
	struct list_head order;		/* the set's intervals in address order */
	struct list_head sibling;	/* batch->ranges, or vr_pool */
	struct vr_batch *batch;		/* NULL once purged */
	u64 start, end;			/* page indexes, [start, end) */
	struct vr_set *set;
};

struct vr_set {
	struct rb_root root;
	struct list_head order;
	/*
	 * The interval next to the last change.  Repeated work at one place
	 * (an unpin/pin cycle, unpins in address order) starts from it and
	 * its list neighbours instead of descending the tree, so its cost
	 * does not grow with the number of intervals.  Only writers set it.
	 */
	struct vr_range *hint;
	unsigned long nr_ranges;
	u64 unpinned;		/* pages unpinned and not purged */
	u64 purged;		/* pages purged and still unpinned */
};

struct vr_pool {
	struct list_head ranges;
	struct list_head batches;
	unsigned long nr_ranges, nr_batches;
};

/* Status bits, the same values as VRANGE_STATUS_* in the UAPI. */
#define VR_UNPINNED	0x1
#define VR_PURGED	0x2

/* Provided by the user of the set: the purge LRU of batches. */
void vr_lru_add(struct vr_batch *b);
void vr_lru_del(struct vr_batch *b);

static inline bool vr_range_purged(const struct vr_range *r)
{
	return !r->batch;
}

void vr_set_init(struct vr_set *set);
void vr_pool_init(struct vr_pool *pool);
void vr_pool_put_range(struct vr_pool *pool, struct vr_range *r);
void vr_pool_put_batch(struct vr_pool *pool, struct vr_batch *b);
struct vr_range *vr_pool_get_range(struct vr_pool *pool);
struct vr_batch *vr_pool_get_batch(struct vr_pool *pool);

/* Spare objects an operation may need; the pool must hold them. */
struct vr_need {
	unsigned long ranges, batches;
};

/*
 * What an unpin makes of its pages: the class and unit of its batch, and
 * whether it takes over unpinned pages of other units (@move) or, as a
 * plain unpin does, leaves them their age and class.
 */
struct vr_unpin_mode {
	unsigned int purge_class;
	bool whole;
	bool move;
};

struct vr_need vr_set_unpin_need(struct vr_set *set, u64 start, u64 end,
				 const struct vr_unpin_mode *mode);
void vr_set_unpin_take(struct vr_set *set, u64 start, u64 end,
		       const struct vr_unpin_mode *mode, struct vr_pool *pool);
void vr_set_unpin(struct vr_set *set, u64 start, u64 end,
		  const struct vr_unpin_mode *mode, struct vr_pool *pool);
/* Pin and vr_set_unpin_take() split one interval at most. */
#define VR_PIN_NEED ((struct vr_need){ .ranges = 1 })
/* What a pin of [start, end) needs: VR_PIN_NEED if it splits, else none. */
struct vr_need vr_set_pin_need(struct vr_set *set, u64 start, u64 end);
bool vr_set_pin(struct vr_set *set, u64 start, u64 end, struct vr_pool *pool);
unsigned int vr_set_status(struct vr_set *set, u64 start, u64 end);
bool vr_set_page_purged(struct vr_set *set, u64 page);
struct vr_range *vr_batch_first(struct vr_batch *b);
u64 vr_set_mark_purged(struct vr_range *r, struct vr_pool *pool);
u64 vr_set_purge_head(struct vr_range *r, u64 max, struct vr_pool *pool,
		      u64 *start);
struct vr_range *vr_set_next_unpurged(struct vr_set *set, struct vr_range *r);
struct vr_range *vr_set_next_purged(struct vr_set *set, struct vr_range *r);
bool vr_set_clear(struct vr_set *set, struct vr_pool *pool, unsigned long max);

#endif /* VRANGE_RANGESET_H */
