// SPDX-License-Identifier: GPL-2.0
/*
 * The purge LRU and the shrinker that purges from it.
 *
 * Batches of unpinned ranges (one per unpin call) sit on a list_lru in the
 * order they were unpinned.  The shrinker counts unpinned pages, then takes
 * batches from the old end: it trylocks the owning region under the LRU
 * lock, isolates the batch, and purges it after the LRU lock is dropped.
 * It never blocks on a region, never takes an mmap_lock and allocates
 * nothing.  The list_lru keeps per-node (and, later, per-memcg) lists, so
 * NUMA- and memcg-aware purging can follow without a new layout.
 */
#include <linux/atomic.h>	/* 5.10: list_lru.h needs it first */
#include <linux/list_lru.h>
#include <linux/shrinker.h>

#include "vrange.h"

/* Busy regions skipped in one scan before giving up on it. */
#define VRANGE_SCAN_BUSY_MAX	16

static struct list_lru vrange_lru;
static struct shrinker *vrange_shrinker;

void vr_lru_add(struct vr_batch *b)
{
	vrange_list_lru_add(&vrange_lru, &b->lru);
}

void vr_lru_del(struct vr_batch *b)
{
	vrange_list_lru_del(&vrange_lru, &b->lru);
}

struct vrange_victim {
	struct vr_batch *batch;
	bool busy;
};

static enum lru_status vrange_isolate(struct list_head *item,
				      struct list_lru_one *list,
				      VRANGE_LRU_WALK_LOCK_ARG void *arg)
{
	struct vr_batch *b = container_of(item, struct vr_batch, lru);
	struct vrange_region *region = vrange_batch_region(b);
	struct vrange_victim *victim = arg;

	/* region->lock nests outside the LRU lock: only a trylock here. */
	if (!down_write_trylock(&region->lock)) {
		victim->busy = true;
		return LRU_ROTATE;
	}
	/* A dying region takes its ranges off the LRU itself. */
	if (!kref_get_unless_zero(&region->ref)) {
		up_write(&region->lock);
		victim->busy = true;
		return LRU_SKIP;
	}
	list_lru_isolate(list, item);
	victim->batch = b;
	return LRU_REMOVED;
}

static unsigned long vrange_shrink_count(struct shrinker *shrinker,
					 struct shrink_control *sc)
{
	long pages = atomic_long_read(&vrange_stats.unpinned_pages);

	return pages > 0 ? pages : SHRINK_EMPTY;
}

static unsigned long vrange_shrink_scan(struct shrinker *shrinker,
					struct shrink_control *sc)
{
	unsigned long freed = 0, busy = 0;

	if (!(sc->gfp_mask & __GFP_FS))
		return SHRINK_STOP;
	atomic_long_inc(&vrange_stats.shrinker_scans);

	while (freed < sc->nr_to_scan && busy < VRANGE_SCAN_BUSY_MAX) {
		struct vrange_victim victim = { };
		struct vrange_region *region;

		list_lru_walk(&vrange_lru, vrange_isolate, &victim, 1);
		if (!victim.batch) {
			if (!victim.busy)
				break;
			busy++;
			continue;
		}
		region = vrange_batch_region(victim.batch);
		freed += vrange_region_purge_batch(region, victim.batch);
		up_write(&region->lock);
		vrange_region_put(region);
	}
	sc->nr_scanned = freed;
	return freed ? freed : SHRINK_STOP;
}

int vrange_shrinker_init(void)
{
	int err = list_lru_init(&vrange_lru);

	if (err)
		return err;
	/* Purging costs the app a rebuild, not I/O: cheaper than a page-in. */
	vrange_shrinker = vrange_shrinker_create("vrange", vrange_shrink_count,
						 vrange_shrink_scan, 1);
	if (IS_ERR(vrange_shrinker)) {
		list_lru_destroy(&vrange_lru);
		return PTR_ERR(vrange_shrinker);
	}
	return 0;
}

void vrange_shrinker_exit(void)
{
	vrange_shrinker_destroy(vrange_shrinker);
	list_lru_destroy(&vrange_lru);
}
