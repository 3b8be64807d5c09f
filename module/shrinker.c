// SPDX-License-Identifier: GPL-2.0
/*
 * The purge LRU and the shrinker that purges from it.
 *
 * Batches of unpinned ranges (one per unpin call and home of its pages)
 * sit on a list_lru in the order they were unpinned.  The LRU and the
 * shrinker are memcg-aware: a batch is listed under the memory cgroup it
 * was charged to, that of its pages, so reclaim inside a cgroup that hit
 * its memory.max purges that cgroup's unpinned pages, oldest first, and
 * global reclaim visits every cgroup's list.
 * The shrinker counts unpinned pages, then purges 2 MiB chunks from the
 * old end: it trylocks the owning region under the LRU lock, drops that
 * lock, marks the batch's oldest pages purged and frees them with the
 * region unlocked, so the rest of the batch keeps its place and its age,
 * and a second reclaimer takes the next chunk of the same batch instead
 * of an LRU emptied by the first.  It never blocks on a region, never
 * takes an mmap_lock and allocates nothing.  A batch whose region is busy
 * ends the walk and the scan retries it, so newer batches wait their turn.
 *
 * The LRU is NUMA-aware too.  An unpin lists its pages in batches by
 * where they live (placement.c): on the node the pages are on, under the
 * memcg they are charged to, whoever unpins them.  A call for one node
 * purges that node's batches, so reclaim on node 1 leaves node 0's cache
 * alone.
 * A memory cgroup over its limit may purge its batches on any node, its
 * own node first: its limit does not care where the pages are.
 *
 * Purge classes: each class has its own LRU, and a walk takes the oldest
 * batch of the lowest class that has one, so a class goes before the next
 * and reclaim moves on to the next class in the same call when one runs
 * out.  Obsolete batches go whenever reclaim calls at all, need or not.
 * A whole batch goes as one unit, however large; others in chunks.
 *
 * Should reclaim still give up while unpinned pages are resident, a
 * global OOM first asks the OOM notifier chain: ours purges the oldest
 * batches it can lock on the nodes short of memory, and the kernel
 * retries the allocation instead of killing a task.
 */
#include <linux/atomic.h>	/* 5.10: list_lru.h needs it first */
#include <linux/delay.h>
#include <linux/list_lru.h>
#include <linux/notifier.h>
#include <linux/oom.h>
#include <linux/shrinker.h>
#include <linux/sizes.h>

#include "trace.h"
#include "vrange.h"

/* Walks of one scan that found a busy region before giving up on it... */
#define VRANGE_SCAN_BUSY_MAX	16
/* ...and of those, the first ones that keep the oldest batch's turn. */
#define VRANGE_SCAN_ORDERED_MAX	8
/* Items one walk may look at past busy or dying ones to find a victim. */
#define VRANGE_WALK_MAX		(VRANGE_SCAN_BUSY_MAX + 1)
/* Batches of released regions one list's walks take off it at most. */
#define VRANGE_REAP_MAX		1024
/*
 * The unit of a purge: 2 MiB, one PMD, so one chunk frees what a THP
 * fault needs and a shortfall of a few pages costs at most 2 MiB more,
 * while a truncation of 512 pages keeps the region lock briefly.
 */
#define VRANGE_PURGE_CHUNK	(SZ_2M >> PAGE_SHIFT)
/* Resident pages the OOM notifier frees before it lets the retry go. */
#define VRANGE_OOM_PURGE_PAGES	VRANGE_PURGE_CHUNK
/* Times the OOM notifier waits 1-2 ms for a busy region: 100 ms at most. */
#define VRANGE_OOM_BUSY_MAX	50

static struct list_lru vrange_lrus[VRANGE_NR_CLASSES];
static struct shrinker *vrange_shrinker;

void vr_lru_add(struct vr_batch *b)
{
	vrange_list_lru_add(&vrange_lrus[b->purge_class], &b->lru);
}

void vr_lru_del(struct vr_batch *b)
{
	vrange_list_lru_del(&vrange_lrus[b->purge_class], &b->lru);
}

/* Batches listed on node @nid: @memcg's, or every memcg's when @all. */
static unsigned long vrange_lru_count(struct mem_cgroup *memcg, bool all,
				      int nid, unsigned int max_class)
{
	unsigned long count = 0;
	unsigned int c;

	for (c = 0; c <= max_class; c++)
		count += all ? list_lru_count_node(&vrange_lrus[c], nid) :
			       list_lru_count_one(&vrange_lrus[c], nid, memcg);
	return count;
}

/* What one walk of the LRU did: at most one chunk of the oldest batch. */
struct vrange_walk {
	unsigned int max_class;	/* the highest class it may purge */
	u64 max;		/* pages to purge at most */
	bool skip_busy;		/* may pass a busy batch for a newer one */
	enum vrange_purge_reason reason;
	struct mem_cgroup *memcg;	/* whose reclaim it is, for tracing */
	u64 pages;		/* pages purged */
	unsigned long freed;	/* resident pages that freed */
	unsigned int reaped;	/* batches of released regions unlisted */
	bool done, busy;
};

/*
 * Purge one chunk of the oldest batch, in place: the batch keeps its place
 * on the LRU while it has unpinned pages, so a partly purged unpin keeps
 * its age.  region->lock is held only to mark the chunk purged; the pages
 * are freed without it, so a second reclaimer takes the next chunk of the
 * same batch instead of waiting or passing it for a newer one.  Freeing
 * sleeps (i_mmap_rwsem, truncation), so the LRU lock is dropped around it
 * and the walk restarts, as the kernel's inode LRU does.
 */
static enum lru_status vrange_isolate(struct list_head *item,
				      struct list_lru_one *list,
				      VRANGE_LRU_WALK_LOCK_ARG void *arg)
{
	struct vr_batch *b = container_of(item, struct vr_batch, lru);
	struct vrange_region *region = vrange_batch_region(b);
	struct vrange_walk *walk = arg;
	struct vrange_purge purge;
	int nid = b->home.nid;

	if (walk->done)
		return LRU_SKIP;
	/*
	 * A released region's set is being freed (region.c, maybe by a
	 * worker for a while): take its batch off the LRU for it, so that
	 * live regions' batches behind it are reached.  Its set is not ours
	 * to touch, but the region lives while @b is on the LRU, and the
	 * LRU lock orders this against the freeing's own vr_lru_del().
	 */
	if (!kref_read(&region->ref)) {
		list_lru_isolate(list, item);
		walk->reaped++;
		return LRU_REMOVED;
	}
	/*
	 * region->lock nests outside the LRU lock: only a trylock here.  It
	 * is held briefly (a fault, a pin, another reclaimer marking its
	 * chunk), so the walk ends there and the caller retries, which keeps
	 * the LRU order; only a retry that found it busy many times passes
	 * it.  Either way the batch stays where it is and keeps its age.
	 */
	if (!down_write_trylock(&region->lock)) {
		walk->busy = true;
		walk->done = !walk->skip_busy;
		return LRU_SKIP;
	}
	/* A dying region takes its ranges off the LRU itself. */
	if (!kref_get_unless_zero(&region->ref)) {
		up_write(&region->lock);
		return LRU_SKIP;
	}
	walk->done = true;
	walk->busy = false;
	/* Marking the last pages purged takes @b off the LRU: unlock first. */
	vrange_lru_walk_unlock(list);

	if (b->whole) {
		walk->freed = vrange_region_purge_whole(region, b, walk->reason,
							&walk->pages);
		up_write(&region->lock);
	} else {
		walk->pages = vrange_region_start_purge(region, b, walk->max,
							&purge);
		up_write(&region->lock);
		walk->freed = vrange_region_end_purge(region, &purge);
		trace_vrange_purge(region, purge.start, walk->pages,
				   walk->freed, walk->reason, nid, walk->memcg);
	}
	vrange_region_put(region);

	vrange_lru_walk_relock(list);
	return LRU_RETRY;
}

/*
 * Unpinned pages of sc->memcg on node sc->nid.  The LRU counts batches,
 * not pages, so that list's share of all batches scales the global page
 * count: exact when one list holds them all.  Only an empty list is
 * SHRINK_EMPTY: that clears the memcg's shrinker bit on the node, which
 * comes back only when the list goes from empty to non-empty, and an
 * unpin raises the global page count after listing its batch.
 */
static unsigned long vrange_shrink_count(struct shrinker *shrinker,
					 struct shrink_control *sc)
{
	long pages = atomic_long_read(&vrange_stats.unpinned_pages);
	unsigned int top = VRANGE_NR_CLASSES - 1;
	unsigned long mine, all = 0;
	int nid;

	mine = vrange_lru_count(sc->memcg, false, sc->nid, top);
	if (!mine)
		return SHRINK_EMPTY;
	for_each_node_state(nid, N_NORMAL_MEMORY)
		all += vrange_lru_count(NULL, true, nid, top);
	if (pages <= 0)
		return mine;
	if (mine >= all)
		return pages;
	return max(1UL, mult_frac((unsigned long)pages, mine, all));
}

/* One list of class @c: @memcg's on @nid, or every memcg's when @all. */
static void vrange_walk_node(unsigned int c, struct mem_cgroup *memcg,
			     bool all, int nid, struct vrange_walk *walk)
{
	struct list_lru *lru = &vrange_lrus[c];
	unsigned int reaped = 0;

	/* Dying batches are no victims: walk on past them, a bounded way. */
	do {
		unsigned long nr = VRANGE_WALK_MAX;

		walk->reaped = 0;
		if (all)
			list_lru_walk_node(lru, nid, vrange_isolate, walk, &nr);
		else
			list_lru_walk_one(lru, nid, memcg, vrange_isolate, walk,
					  &nr);
		reaped += walk->reaped;
		cond_resched();
	} while (walk->reaped && !walk->done && reaped < VRANGE_REAP_MAX);
}

/*
 * Purge one chunk (or whole batch) from the oldest purgeable batch of the
 * lowest class up to walk->max_class that has one, of @memcg on node
 * @nid, or of every memcg when @all is set (the OOM path, which has no
 * memcg to go by); past @nid, on the other nodes too if @any_node, before
 * the next class.  Returns false when no batch could be locked.
 */
static bool vrange_purge_oldest(struct mem_cgroup *memcg, bool all, int nid,
				bool any_node, struct vrange_walk *walk)
{
	unsigned int c;
	int other;

	for (c = 0; c <= walk->max_class && !walk->done; c++) {
		vrange_walk_node(c, memcg, all, nid, walk);
		if (walk->done || !any_node)
			continue;
		for_each_node_state(other, N_NORMAL_MEMORY) {
			if (other == nid)
				continue;
			vrange_walk_node(c, memcg, all, other, walk);
			if (walk->done)
				break;
		}
	}
	return walk->done && !walk->busy;
}

/*
 * Purge chunks, lowest class and oldest first, while reclaim still needs
 * memory in this call's scope (see pressure.c), up to the pages it asked
 * us to scan: for a memcg over its limit, from its batches on any node;
 * else from this node's, while its zones are short.  Obsolete batches go
 * even when no more is needed.  A caller that is no reclaimer
 * (drop_caches) asks for everything on the node.  shrink_slab() keeps
 * calling while its own budget lasts; once the need is covered,
 * SHRINK_STOP ends that, whatever the budget says.
 */
static unsigned long vrange_shrink_scan(struct shrinker *shrinker,
					struct shrink_control *sc)
{
	unsigned long freed = 0, busy = 0, scanned = 0;
	bool reclaim = current->reclaim_state;

	if (!(sc->gfp_mask & __GFP_FS))
		return SHRINK_STOP;
	atomic_long_inc(&vrange_stats.shrinker_scans);

	while (scanned < sc->nr_to_scan && busy < VRANGE_SCAN_BUSY_MAX) {
		struct vrange_walk walk = {
			.max_class = VRANGE_NR_CLASSES - 1,
			.max = VRANGE_PURGE_CHUNK,
			.skip_busy = busy >= VRANGE_SCAN_ORDERED_MAX,
			.reason = VRANGE_REASON_SHRINKER,
			.memcg = sc->memcg,
		};
		bool memcg_short = reclaim && vrange_memcg_need(sc->memcg);

		if (reclaim && !memcg_short && !vrange_node_need(sc->nid)) {
			if (!vrange_lru_count(sc->memcg, false, sc->nid,
					      VRANGE_CLASS_OBSOLETE))
				break;
			walk.max_class = VRANGE_CLASS_OBSOLETE;
		}
		if (!vrange_purge_oldest(sc->memcg, false, sc->nid,
					 memcg_short, &walk)) {
			if (!walk.busy)
				break;
			/*
			 * Give the holder (maybe preempted while it marks its
			 * chunk) a moment: about 1 ms in all before passing.
			 */
			busy++;
			usleep_range(100, 200);
			continue;
		}
		freed += walk.freed;
		scanned += walk.pages;
	}
	sc->nr_scanned = scanned;
	trace_vrange_shrink_scan(sc, scanned, freed);
	return scanned ? freed : SHRINK_STOP;
}

/*
 * A batch for the LRU at @home: charged to, and so listed under, the memcg
 * of the pages it will hold (the caller's when unknown), on their node
 * (the list_lru lists an item on the node of its own memory).  The first
 * allocation also makes sure the memcg has its list; only if it landed
 * on another node does a second one ask for the node.
 */
struct vr_batch *vrange_batch_alloc(struct kmem_cache *cache,
				    struct vr_home home)
{
	struct mem_cgroup *old = NULL;
	struct vr_batch *b, *here;

	if (home.memcg)
		old = vrange_set_active_memcg(home.memcg);
	b = vrange_kmem_cache_alloc_lrus(cache, vrange_lrus, VRANGE_NR_CLASSES,
					 GFP_KERNEL_ACCOUNT);
	if (b && home.nid != NUMA_NO_NODE &&
	    page_to_nid(virt_to_page(b)) != home.nid) {
		here = kmem_cache_alloc_node(cache, GFP_KERNEL_ACCOUNT, home.nid);
		if (here) {
			kmem_cache_free(cache, b);
			b = here;
		}
	}
	if (home.memcg)
		vrange_set_active_memcg(old);
	if (b)
		b->home = home;
	return b;
}

/* What one step of the OOM path did. */
enum vrange_oom_step {
	VRANGE_OOM_PURGED,	/* a chunk went: walk->freed pages */
	VRANGE_OOM_WAIT,	/* a short node's batches are busy */
	VRANGE_OOM_EMPTY,	/* nothing left to purge */
	VRANGE_OOM_UNSHORT,	/* no node is short of memory any more */
};

/*
 * One chunk for the OOM path, which is not told what failed: from the
 * nodes short of memory, where an allocation bound to some nodes failed.
 * If their batches are busy, or listed but none could be taken (a race
 * with another reclaimer's purge), the caller waits for them: a purge on
 * a node with memory to spare would let the allocation retry and fail
 * again, at the cost of that node's cache.  Only when a short node lists
 * no batch at all (its pages moved after the unpin) does any node's chunk
 * do.
 */
static enum vrange_oom_step vrange_oom_purge_chunk(struct vrange_walk *walk)
{
	bool short_node = false, elsewhere = false;
	int nid;

	for_each_node_state(nid, N_NORMAL_MEMORY) {
		if (!vrange_node_short(nid))
			continue;
		short_node = true;
		if (vrange_purge_oldest(NULL, true, nid, false, walk))
			return VRANGE_OOM_PURGED;
		if (vrange_lru_count(NULL, true, nid, VRANGE_NR_CLASSES - 1))
			walk->busy = true;
		else
			elsewhere = true;
	}
	if (!short_node)
		return VRANGE_OOM_UNSHORT;
	if (walk->busy)
		return VRANGE_OOM_WAIT;
	if (elsewhere &&
	    vrange_purge_oldest(NULL, true, numa_node_id(), true, walk))
		return VRANGE_OOM_PURGED;
	return walk->busy ? VRANGE_OOM_WAIT : VRANGE_OOM_EMPTY;
}

/*
 * OOM calls that purged nothing although memory came back after the
 * allocation's last try: every node is above its high watermarks again
 * (kswapd), or a purge freed pages within the last 100 ms (another
 * reclaimer's, maybe a 48 MB whole batch, done just after that try).  The
 * first few in a burst claim progress, so the allocation retries instead
 * of a task dying, and no node that has memory loses its cache; after
 * that, what fails is not a lack of free pages (a high-order allocation,
 * fragmented) and the kill goes ahead.  A burst ends after a second
 * without such a call.  oom_lock serializes.
 */
static unsigned int vrange_oom_retries;
static unsigned long vrange_oom_retry_at;
#define VRANGE_OOM_RETRY_MAX	8

static bool vrange_oom_retry(void)
{
	if (time_after(jiffies, vrange_oom_retry_at + HZ))
		vrange_oom_retries = 0;
	vrange_oom_retry_at = jiffies;
	return ++vrange_oom_retries <= VRANGE_OOM_RETRY_MAX;
}

/*
 * Last chance before a global OOM kill: reclaim gave up, yet unpinned
 * pages may still be resident (another reclaimer held their batch, or
 * the allocator's retry logic did not count them).  Purge the oldest
 * batches on the short nodes until some memory came back; the kernel then
 * retries the allocation.  Memcg OOMs do not call this chain: there the
 * shrinker alone has to do it.  May sleep; trylocks regions all the same,
 * since the allocating task may hold one.
 */
static int vrange_oom_notify(struct notifier_block *nb, unsigned long unused,
			     void *parm)
{
	unsigned long *freed = parm, pages = 0, busy = 0;
	enum vrange_oom_step step;

	do {
		/* Any unpinned page is better than a kill: order comes second. */
		struct vrange_walk walk = {
			.max_class = VRANGE_NR_CLASSES - 1,
			.max = VRANGE_PURGE_CHUNK,
			.skip_busy = true,
			.reason = VRANGE_REASON_OOM,
		};

		step = vrange_oom_purge_chunk(&walk);
		if (step == VRANGE_OOM_PURGED) {
			pages += walk.freed;
		} else if (step == VRANGE_OOM_WAIT) {
			/* Another reclaimer is purging a chunk: let it. */
			busy++;
			usleep_range(1000, 2000);
		}
	} while (pages < VRANGE_OOM_PURGE_PAGES && busy < VRANGE_OOM_BUSY_MAX &&
		 (step == VRANGE_OOM_PURGED || step == VRANGE_OOM_WAIT));
	/*
	 * Chunks other reclaimers marked purged but still free, and whole
	 * batches they hold locked while freeing, give this walk nothing:
	 * wait for them, and count them, so that the allocation is retried
	 * with their pages instead of a task killed meanwhile.
	 */
	if (!pages && step != VRANGE_OOM_UNSHORT) {
		unsigned long inflight = vrange_purging_pages();

		for (busy = 0; busy < VRANGE_OOM_BUSY_MAX &&
			       vrange_purging_pages(); busy++)
			usleep_range(1000, 2000);
		pages = inflight;
	}
	if (!pages && (step == VRANGE_OOM_UNSHORT ||
		       vrange_purged_within(HZ / 10))) {
		if (vrange_oom_retry())
			*freed += 1;
		return NOTIFY_OK;
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

	/*
	 * seeks 0: shrink_slab() asks for half the unpinned pages on every
	 * call, from the first, gentlest pass on; the need decides what goes.
	 * Otherwise reclaim at high priority asks for next to nothing while
	 * it already evicts the LRUs (and MGLRU stays at high priority).
	 */
	vrange_shrinker = vrange_shrinker_create("vrange", vrange_shrink_count,
						 vrange_shrink_scan, 0,
						 vrange_lrus, VRANGE_NR_CLASSES);
	if (IS_ERR(vrange_shrinker))
		return PTR_ERR(vrange_shrinker);
	err = register_oom_notifier(&vrange_oom_nb);
	if (err)
		vrange_shrinker_destroy(vrange_shrinker, vrange_lrus,
					VRANGE_NR_CLASSES);
	return err;
}

void vrange_shrinker_exit(void)
{
	unregister_oom_notifier(&vrange_oom_nb);
	vrange_shrinker_destroy(vrange_shrinker, vrange_lrus,
				VRANGE_NR_CLASSES);
}
