// SPDX-License-Identifier: GPL-2.0
/*
 * The purge LRU and the shrinker that purges from it.
 *
 * Batches of unpinned ranges (one per unpin call) sit on a list_lru in the
 * order they were unpinned.  The LRU and the shrinker are memcg-aware: a
 * batch is listed under the memory cgroup it was charged to, so reclaim
 * inside a cgroup that hit its memory.max purges that cgroup's unpinned
 * ranges, oldest first, and global reclaim visits every cgroup's list.
 * The shrinker counts unpinned pages, then purges 2 MiB chunks from the
 * old end: it trylocks the owning region under the LRU lock, drops that
 * lock and purges the batch's oldest pages in place, so the rest of the
 * batch keeps its place and its age, and a second reclaimer finds the
 * batch still listed instead of an LRU emptied by the first.  It never
 * blocks on a region, never takes an mmap_lock and allocates nothing.  A
 * batch whose region is busy is skipped in place, so it keeps its age.
 *
 * Should reclaim still give up while unpinned pages are resident, a
 * global OOM first asks the OOM notifier chain: ours purges the oldest
 * batches it can lock, and the kernel retries the allocation instead of
 * killing a task.
 *
 * It is not NUMA-aware: a batch sits on the node of its own struct, not
 * of its pages, so every call looks at all nodes' lists.
 */
#include <linux/atomic.h>	/* 5.10: list_lru.h needs it first */
#include <linux/delay.h>
#include <linux/list_lru.h>
#include <linux/notifier.h>
#include <linux/oom.h>
#include <linux/shrinker.h>
#include <linux/sizes.h>

#include "vrange.h"

/* Busy regions skipped in one scan before giving up on it. */
#define VRANGE_SCAN_BUSY_MAX	16
/* Items one walk may look at past busy or dying ones to find a victim. */
#define VRANGE_WALK_MAX		(VRANGE_SCAN_BUSY_MAX + 1)
/*
 * The unit of a purge: 2 MiB, one PMD, so one chunk frees what a THP
 * fault needs and a shortfall of a few pages costs at most 2 MiB more,
 * while a truncation of 512 pages keeps the region lock briefly.
 */
#define VRANGE_PURGE_CHUNK	(SZ_2M >> PAGE_SHIFT)
/* Resident pages the OOM notifier frees before it lets the retry go. */
#define VRANGE_OOM_PURGE_PAGES	VRANGE_PURGE_CHUNK
/* Times the OOM notifier waits 1 ms for a busy region: 50 ms at most. */
#define VRANGE_OOM_BUSY_MAX	50

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

/* What one walk of the LRU did: at most one chunk of the oldest batch. */
struct vrange_walk {
	u64 max;		/* pages to purge at most */
	u64 pages;		/* pages purged */
	unsigned long freed;	/* resident pages that freed */
	bool done, busy;
};

/*
 * Purge one chunk of the oldest batch whose region is free, in place: the
 * batch keeps its place on the LRU while it has unpinned pages, so a
 * partly purged unpin keeps its age and other reclaimers find it too.
 * The purge sleeps (i_mmap_rwsem, truncation), so the LRU lock is dropped
 * around it and the walk restarts, as the kernel's inode LRU does.
 */
static enum lru_status vrange_isolate(struct list_head *item,
				      struct list_lru_one *list,
				      VRANGE_LRU_WALK_LOCK_ARG void *arg)
{
	struct vr_batch *b = container_of(item, struct vr_batch, lru);
	struct vrange_region *region = vrange_batch_region(b);
	struct vrange_walk *walk = arg;

	if (walk->done)
		return LRU_SKIP;
	/*
	 * region->lock nests outside the LRU lock: only a trylock here.  A
	 * busy batch stays where it is, so it keeps its age.
	 */
	if (!down_write_trylock(&region->lock)) {
		walk->busy = true;
		return LRU_SKIP;
	}
	/* A dying region takes its ranges off the LRU itself. */
	if (!kref_get_unless_zero(&region->ref)) {
		up_write(&region->lock);
		return LRU_SKIP;
	}
	walk->done = true;
	vrange_lru_walk_unlock(list);

	walk->freed = vrange_region_purge_chunk(region, b, walk->max,
						&walk->pages);
	up_write(&region->lock);
	vrange_region_put(region);

	vrange_lru_walk_relock(list);
	return LRU_RETRY;
}

/*
 * Unpinned pages charged to sc->memcg.  The LRU counts batches per memcg,
 * not pages, so that memcg's share of the batches scales the global page
 * count: exact when one memcg (or none) holds them all.  Only an empty
 * list is SHRINK_EMPTY: that clears the memcg's shrinker bit, which comes
 * back only when the list goes from empty to non-empty, and an unpin
 * raises the global page count after listing its batch.
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
	if (!mine)
		return SHRINK_EMPTY;
	if (pages <= 0)
		return mine;
	if (mine >= all)
		return pages;
	return max(1UL, mult_frac((unsigned long)pages, mine, all));
}

/*
 * Purge one chunk from the oldest purgeable batch of @memcg on any node,
 * or of every memcg when @all is set (the OOM path, which has no memcg to
 * go by).  Returns false when no batch could be locked.
 */
static bool vrange_purge_oldest(struct mem_cgroup *memcg, bool all,
				struct vrange_walk *walk)
{
	int nid;

	for_each_node_state(nid, N_NORMAL_MEMORY) {
		unsigned long nr = VRANGE_WALK_MAX;

		if (all)
			list_lru_walk_node(&vrange_lru, nid, vrange_isolate,
					   walk, &nr);
		else
			list_lru_walk_one(&vrange_lru, nid, memcg,
					  vrange_isolate, walk, &nr);
		if (walk->done)
			return true;
	}
	return false;
}

static unsigned long vrange_shrink_scan(struct shrinker *shrinker,
					struct shrink_control *sc)
{
	unsigned long freed = 0, busy = 0, scanned = 0;

	if (!(sc->gfp_mask & __GFP_FS))
		return SHRINK_STOP;
	atomic_long_inc(&vrange_stats.shrinker_scans);

	while (scanned < sc->nr_to_scan && busy < VRANGE_SCAN_BUSY_MAX) {
		struct vrange_walk walk = { .max = VRANGE_PURGE_CHUNK };

		if (!vrange_purge_oldest(sc->memcg, false, &walk)) {
			if (!walk.busy)
				break;
			busy++;
			cond_resched();
			continue;
		}
		freed += walk.freed;
		scanned += walk.pages;
	}
	sc->nr_scanned = scanned;
	return freed ? freed : SHRINK_STOP;
}

/* A batch for the LRU: charged to, and listed under, the caller's memcg. */
struct vr_batch *vrange_batch_alloc(struct kmem_cache *cache)
{
	return vrange_kmem_cache_alloc_lru(cache, &vrange_lru,
					   GFP_KERNEL_ACCOUNT);
}

/*
 * Last chance before a global OOM kill: reclaim gave up, yet unpinned
 * pages may still be resident (another reclaimer held their batch, or
 * the allocator's retry logic did not count them).  Purge the oldest
 * batches until some memory came back; the kernel then retries the
 * allocation.  Memcg OOMs do not call this chain: there the shrinker
 * alone has to do it.  May sleep; trylocks regions all the same, since
 * the allocating task may hold one.
 */
static int vrange_oom_notify(struct notifier_block *nb, unsigned long unused,
			     void *parm)
{
	unsigned long *freed = parm, pages = 0, busy = 0;

	while (pages < VRANGE_OOM_PURGE_PAGES && busy < VRANGE_OOM_BUSY_MAX) {
		struct vrange_walk walk = { .max = VRANGE_PURGE_CHUNK };

		if (!vrange_purge_oldest(NULL, true, &walk)) {
			if (!walk.busy)
				break;
			/* Another reclaimer is purging a chunk: let it. */
			busy++;
			msleep(1);
			continue;
		}
		pages += walk.freed;
	}
	if (pages)
		atomic_long_inc(&vrange_stats.oom_purges);
	*freed += pages;
	return NOTIFY_OK;
}

static struct notifier_block vrange_oom_nb = {
	.notifier_call = vrange_oom_notify,
};

int vrange_shrinker_init(void)
{
	int err;

	/* Purging costs the app a rebuild, not I/O: cheaper than a page-in. */
	vrange_shrinker = vrange_shrinker_create("vrange", vrange_shrink_count,
						 vrange_shrink_scan, 1,
						 &vrange_lru);
	if (IS_ERR(vrange_shrinker))
		return PTR_ERR(vrange_shrinker);
	err = register_oom_notifier(&vrange_oom_nb);
	if (err)
		vrange_shrinker_destroy(vrange_shrinker, &vrange_lru);
	return err;
}

void vrange_shrinker_exit(void)
{
	unregister_oom_notifier(&vrange_oom_nb);
	vrange_shrinker_destroy(vrange_shrinker, &vrange_lru);
}
