// SPDX-License-Identifier: GPL-2.0
/*
 * The purge LRU and the shrinker that purges from it.
 *
 * Batches of unpinned ranges (one per unpin call) sit on a list_lru in the
 * order they were unpinned.  The LRU and the shrinker are memcg-aware: a
 * batch is listed under the memory cgroup it was charged to, so reclaim
 * inside a cgroup that hit its memory.max purges that cgroup's unpinned
 * ranges, oldest first, and global reclaim visits every cgroup's list.
 * The shrinker counts unpinned pages, then takes batches from the old
 * end: it trylocks the owning region under the LRU lock, isolates the
 * batch, and purges it after the LRU lock is dropped.  It never blocks on
 * a region, never takes an mmap_lock and allocates nothing.
 *
 * It is not NUMA-aware: a batch sits on the node of its own struct, not
 * of its pages, so every call looks at all nodes' lists.
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

/*
 * Unpinned pages charged to sc->memcg.  The LRU counts batches per memcg,
 * not pages, so that memcg's share of the batches scales the global page
 * count: exact when one memcg (or none) holds them all.
 */
static unsigned long vrange_shrink_count(struct shrinker *shrinker,
					 struct shrink_control *sc)
{
	long pages = atomic_long_read(&vrange_stats.unpinned_pages);
	unsigned long mine = 0, all = 0;
	int nid;

	for_each_node_state(nid, N_NORMAL_MEMORY) {
		mine += list_lru_count_one(&vrange_lru, nid, sc->memcg);
		all += list_lru_count_node(&vrange_lru, nid);
	}
	if (pages <= 0 || !mine)
		return SHRINK_EMPTY;
	if (mine >= all)
		return pages;
	return max(1UL, mult_frac((unsigned long)pages, mine, all));
}

/* Isolate the oldest purgeable batch of sc->memcg on any node. */
static struct vr_batch *vrange_shrink_isolate(struct shrink_control *sc,
					      bool *busy)
{
	int nid;

	for_each_node_state(nid, N_NORMAL_MEMORY) {
		struct vrange_victim victim = { };
		unsigned long nr = 1;

		list_lru_walk_one(&vrange_lru, nid, sc->memcg, vrange_isolate,
				  &victim, &nr);
		if (victim.batch)
			return victim.batch;
		*busy |= victim.busy;
	}
	return NULL;
}

static unsigned long vrange_shrink_scan(struct shrinker *shrinker,
					struct shrink_control *sc)
{
	unsigned long freed = 0, busy = 0;

	if (!(sc->gfp_mask & __GFP_FS))
		return SHRINK_STOP;
	atomic_long_inc(&vrange_stats.shrinker_scans);

	while (freed < sc->nr_to_scan && busy < VRANGE_SCAN_BUSY_MAX) {
		struct vrange_region *region;
		struct vr_batch *batch;
		bool skipped = false;

		batch = vrange_shrink_isolate(sc, &skipped);
		if (!batch) {
			if (!skipped)
				break;
			busy++;
			continue;
		}
		region = vrange_batch_region(batch);
		freed += vrange_region_purge_batch(region, batch);
		up_write(&region->lock);
		vrange_region_put(region);
	}
	sc->nr_scanned = freed;
	return freed ? freed : SHRINK_STOP;
}

/* A batch for the LRU: charged to, and listed under, the caller's memcg. */
struct vr_batch *vrange_batch_alloc(struct kmem_cache *cache)
{
	return vrange_kmem_cache_alloc_lru(cache, &vrange_lru,
					   GFP_KERNEL_ACCOUNT);
}

int vrange_shrinker_init(void)
{
	/* Purging costs the app a rebuild, not I/O: cheaper than a page-in. */
	vrange_shrinker = vrange_shrinker_create("vrange", vrange_shrink_count,
						 vrange_shrink_scan, 1,
						 &vrange_lru);
	return PTR_ERR_OR_ZERO(vrange_shrinker);
}

void vrange_shrinker_exit(void)
{
	vrange_shrinker_destroy(vrange_shrinker, &vrange_lru);
}
