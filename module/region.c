// SPDX-License-Identifier: GPL-2.0
/*
 * Region lifetime and the operations on its pin state.
 */
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/poll.h>
#include <linux/sched.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "args.h"
#include "ashmem_args.h"
#include "trace.h"
#include "vrange.h"

/* Spare objects a region keeps, so pin/unpin cycles do not allocate. */
#define VRANGE_POOL_KEEP	4
/*
 * Intervals a region's release frees inline, about a millisecond's work;
 * a larger set is freed by a worker, this many between reschedules (few:
 * a debug kernel frees a hundred times slower).
 */
#define VRANGE_FREE_INLINE	1024
#define VRANGE_FREE_STEP	128

struct vrange_stats vrange_stats;
/*
 * Pages of every region's purges in flight: chunks marked but not yet
 * freed, and whole batches being purged.
 */
static atomic_long_t vrange_purging;
/* Purges of any region so far: orders the regions' last purges. */
static atomic64_t vrange_purge_number;
/* When a purge last freed pages, in jiffies (set at init): see the OOM path. */
static unsigned long vrange_last_purge_at;
static atomic64_t vrange_last_id;

const struct vr_unpin_mode vrange_unpin_normal = {
	.purge_class = VRANGE_CLASS_NORMAL,
};

static struct kmem_cache *vrange_range_cache;
static struct kmem_cache *vrange_batch_cache;
static struct workqueue_struct *vrange_free_wq;
static LIST_HEAD(vrange_regions);
static DEFINE_SPINLOCK(vrange_regions_lock);

static void vrange_region_free_work(struct work_struct *work);

struct vrange_region *vrange_region_create(void)
{
	struct vrange_region *region;

	region = kzalloc(sizeof(*region), GFP_KERNEL_ACCOUNT);
	if (!region)
		return NULL;
	region->user = vrange_user_get();
	if (!region->user) {
		kfree(region);
		return NULL;
	}
	INIT_WORK(&region->free_work, vrange_region_free_work);
	kref_init(&region->ref);
	region->id = atomic64_inc_return(&vrange_last_id);
	init_rwsem(&region->lock);
	spin_lock_init(&region->purge_lock);
	INIT_LIST_HEAD(&region->purges);
	init_waitqueue_head(&region->purge_wq);
	init_waitqueue_head(&region->poll_wq);
	vr_set_init(&region->set);
	vr_pool_init(&region->pool);

	spin_lock(&vrange_regions_lock);
	list_add_tail(&region->node, &vrange_regions);
	spin_unlock(&vrange_regions_lock);
	atomic_long_inc(&vrange_stats.regions);
	return region;
}

/* Free the spares of @pool past @keep of each kind, uncharging @user. */
static void vrange_pool_trim(struct vrange_user *user, struct vr_pool *pool,
			     unsigned long keep)
{
	unsigned long freed = 0;

	for (; pool->nr_ranges > keep; freed++)
		kmem_cache_free(vrange_range_cache, vr_pool_get_range(pool));
	for (; pool->nr_batches > keep; freed++)
		kmem_cache_free(vrange_batch_cache, vr_pool_get_batch(pool));
	if (freed)
		vrange_uncharge(user, freed);
}

/* Fold a change of the set's page counts into the global counters. */
static void vrange_account(struct vrange_region *region, u64 unpinned_before,
			   u64 purged_before)
{
	/* The common pin/unpin cycle touches one counter, not both. */
	if (region->set.unpinned != unpinned_before)
		atomic_long_add(region->set.unpinned - unpinned_before,
				&vrange_stats.unpinned_pages);
	if (region->set.purged != purged_before)
		atomic_long_add(region->set.purged - purged_before,
				&vrange_stats.purged_pages);
}

/*
 * Free the set of a region no one holds any more, a step at a time.  The
 * shrinker may still meet its batches on the LRU meanwhile, under the LRU
 * lock: it sees the reference count at zero and only takes them off the
 * LRU, never touching the set (see vrange_isolate()).
 */
static void vrange_region_free(struct vrange_region *region)
{
	while (vr_set_clear(&region->set, &region->pool, VRANGE_FREE_STEP)) {
		vrange_pool_trim(region->user, &region->pool, 0);
		cond_resched();
	}
	vrange_pool_trim(region->user, &region->pool, 0);
	vrange_user_put(region->user);
	kfree(region);
}

static void vrange_region_free_work(struct work_struct *work)
{
	vrange_region_free(container_of(work, struct vrange_region,
					free_work));
}

/*
 * The last reference went: a final fput or munmap, or a reclaimer's put.
 * None of them may wait for millions of intervals to be freed, so a large
 * set goes to a worker.
 */
static void vrange_region_release(struct kref *ref)
{
	struct vrange_region *region =
		container_of(ref, struct vrange_region, ref);

	spin_lock(&vrange_regions_lock);
	list_del(&region->node);
	spin_unlock(&vrange_regions_lock);

	/* No one else can reach the region now but the shrinker's trylock. */
	atomic_long_sub(region->set.unpinned, &vrange_stats.unpinned_pages);
	atomic_long_sub(region->set.purged, &vrange_stats.purged_pages);
	atomic_long_sub(xchg(&region->resident_seen, 0),
			&vrange_stats.resident_pages);
	if (region->backing) {
		atomic64_sub(region->size, &vrange_stats.mapped_bytes);
		fput(region->backing);
	}
	atomic_long_dec(&vrange_stats.regions);
	if (region->set.nr_ranges > VRANGE_FREE_INLINE)
		queue_work(vrange_free_wq, &region->free_work);
	else
		vrange_region_free(region);
}

void vrange_region_get(struct vrange_region *region)
{
	kref_get(&region->ref);
}

void vrange_region_put(struct vrange_region *region)
{
	kref_put(&region->ref, vrange_region_release);
}

int vrange_region_set_size(struct vrange_region *region, u64 size)
{
	/* ashmem takes any size here; its mmap refuses what cannot work. */
	int err = region->ashmem ? 0 : vr_check_size(size);

	if (err)
		return err;
	down_write(&region->lock);
	if (region->backing)
		err = -EINVAL;
	else
		region->size = size;
	up_write(&region->lock);
	return err;
}

int vrange_region_set_name(struct vrange_region *region, const char *name)
{
	int err = 0;

	down_write(&region->lock);
	if (region->backing)
		err = -EINVAL;
	else
		strscpy(region->name, name, sizeof(region->name));
	up_write(&region->lock);
	return err;
}

void vrange_region_get_name(struct vrange_region *region, char *buf)
{
	down_read(&region->lock);
	strscpy(buf, region->name, VRANGE_NAME_LEN);
	up_read(&region->lock);
}

/* Convert a user range; pin state exists only once the size is frozen. */
static int vrange_region_range(struct vrange_region *region, u64 offset,
			       u64 len, u64 *start, u64 *end)
{
	if (!region->backing)
		return -EINVAL;
	if (region->ashmem)	/* the caller passed struct ashmem_pin's u32s */
		return ashmem_range_to_pages(offset, len, region->size, start,
					     end);
	return vr_range_to_pages(offset, len, region->size, start, end);
}

/*
 * Spares for an operation: @ranges intervals and a batch per run of @runs,
 * charged to @user first.  The only place the module allocates them, so
 * the bound holds: purges never allocate, they use what unpin reserved.
 */
static int vrange_pool_fill(struct vrange_user *user, struct vr_pool *pool,
			    unsigned long ranges,
			    const struct vr_node_runs *runs)
{
	unsigned long want = ranges - min(ranges, pool->nr_ranges);
	unsigned long made = 0;
	unsigned int i;
	int err;

	if (runs)
		want += runs->nr;
	err = vrange_charge(user, want);
	if (err)
		return err;
	while (pool->nr_ranges < ranges) {
		struct vr_range *r;

		err = -EINTR;
		if (fatal_signal_pending(current))
			goto out;
		err = -ENOMEM;
		r = kmem_cache_alloc(vrange_range_cache, GFP_KERNEL_ACCOUNT);
		if (!r)
			goto out;
		vr_pool_put_range(pool, r);
		made++;
		cond_resched();
	}
	for (i = 0; runs && i < runs->nr; i++) {
		struct vr_batch *b;

		err = -ENOMEM;
		b = vrange_batch_alloc(vrange_batch_cache, runs->run[i].home);
		if (!b)
			goto out;
		INIT_LIST_HEAD(&b->lru);
		vr_pool_put_batch(pool, b);
		made++;
	}
	err = 0;
out:
	/* What was not made is not held: the pool's objects stay charged. */
	if (want > made)
		vrange_uncharge(user, want - made);
	return err;
}

/*
 * Make sure the pool holds @ranges intervals and, if @runs is given, a
 * batch for each run on its node.  Allocating under region->lock could
 * recurse into reclaim while holding it, so drop the lock to allocate and
 * return -EAGAIN: the caller must re-check its state.
 */
static int vrange_region_reserve(struct vrange_region *region,
				 unsigned long ranges,
				 const struct vr_node_runs *runs)
{
	struct vr_pool extra;
	int err;

	if (runs && vr_pool_covers_runs(&region->pool, runs))
		runs = NULL;
	if (region->pool.nr_ranges >= ranges && !runs)
		return 0;
	ranges -= min(ranges, region->pool.nr_ranges);
	up_write(&region->lock);

	vr_pool_init(&extra);
	err = vrange_pool_fill(region->user, &extra, ranges, runs);
	if (err)
		vrange_pool_trim(region->user, &extra, 0);

	down_write(&region->lock);
	list_splice(&extra.ranges, &region->pool.ranges);
	list_splice(&extra.batches, &region->pool.batches);
	region->pool.nr_ranges += extra.nr_ranges;
	region->pool.nr_batches += extra.nr_batches;
	return err ?: -EAGAIN;
}

/*
 * Is a reclaimer still freeing pages of [start, end), for a chunk it
 * started no later than @seq?  A page is in one chunk at most: only
 * unpurged pages are marked.
 */
static bool vrange_region_purging(struct vrange_region *region, u64 start,
				  u64 end, u64 seq)
{
	struct vrange_purge *p;
	bool busy = false;

	spin_lock(&region->purge_lock);
	list_for_each_entry(p, &region->purges, node) {
		if (p->start < end && start < p->end && p->seq <= seq) {
			busy = true;
			break;
		}
	}
	spin_unlock(&region->purge_lock);
	return busy;
}

/*
 * Wait until pages [start, end) of @region are freed if a purge is
 * freeing them.  The caller made sure no new purge can start on them
 * (they are pinned, or purged already), so this waits for one chunk's
 * truncation at most.
 */
void vrange_region_wait_purge(struct vrange_region *region, u64 start,
			      u64 end)
{
	wait_event(region->purge_wq,
		   !vrange_region_purging(region, start, end, U64_MAX));
}

/*
 * Is a purge still freeing page @index?  For callers holding region->lock
 * shared: purges start with it held exclusive, so the list cannot gain
 * this page meanwhile, and an empty list needs no lock.
 */
bool vrange_region_page_purging(struct vrange_region *region, u64 index)
{
	if (list_empty(&region->purges))
		return false;
	return vrange_region_purging(region, index, index + 1, U64_MAX);
}

/* Wait for the purges of @region already in flight, not for later ones. */
static int vrange_region_wait_purges(struct vrange_region *region)
{
	u64 seq;

	spin_lock(&region->purge_lock);
	seq = region->purge_seq;
	spin_unlock(&region->purge_lock);
	return wait_event_killable(region->purge_wq,
			!vrange_region_purging(region, 0, U64_MAX, seq));
}

int vrange_region_pin(struct vrange_region *region, u64 offset, u64 len)
{
	u64 start, end, unpinned, purged;
	bool was_purged;
	int err;

	down_write(&region->lock);
	do {
		err = vrange_region_range(region, offset, len, &start, &end);
		/* Only a split takes a node: other pins work at the bound. */
		if (!err)
			err = vrange_region_reserve(region,
				vr_set_pin_need(&region->set, start, end).ranges,
				NULL);
	} while (err == -EAGAIN);
	if (err) {
		up_write(&region->lock);
		return err;
	}

	unpinned = region->set.unpinned;
	purged = region->set.purged;
	was_purged = vr_set_pin(&region->set, start, end, &region->pool);
	vrange_account(region, unpinned, purged);
	trace_vrange_pin(region, start, end - start, was_purged);
	vrange_pool_trim(region->user, &region->pool, VRANGE_POOL_KEEP);
	up_write(&region->lock);
	vrange_region_sync_resident(region);
	/*
	 * Pinned pages are never marked purged again, but a purge may still
	 * be freeing some: they must be gone before the caller writes to
	 * them, or the new data would go with them.
	 */
	if (was_purged)
		vrange_region_wait_purge(region, start, end);
	return was_purged ? VRANGE_WAS_PURGED : VRANGE_NOT_PURGED;
}

/* Intervals the unpin of @runs needs, one batch per run aside. */
static unsigned long vrange_unpin_ranges(struct vrange_region *region,
					 const struct vr_node_runs *runs,
					 const struct vr_unpin_mode *mode)
{
	/* A spare for the shrinker to split off a purged head... */
	unsigned long ranges = 1;
	unsigned int i;

	/* ...and one for taking over the middle of an unpinned interval. */
	if (mode->move)
		ranges += VR_PIN_NEED.ranges;
	for (i = 0; i < runs->nr; i++)
		ranges += vr_set_unpin_need(&region->set,
					    vr_node_run_start(runs, i),
					    runs->run[i].end, mode).ranges;
	return ranges;
}

/*
 * Unpin in one batch per run of pages with one home (node and memcg), so
 * each run is listed where reclaim that can gain from it looks: on one
 * node, in one cgroup, that is one batch for the call.  A whole unpin is
 * one batch wherever its pages are: it is purged as one unit.
 */
int vrange_region_unpin(struct vrange_region *region, u64 offset, u64 len,
			const struct vr_unpin_mode *mode)
{
	struct vr_node_runs found, one, *runs = &found;
	u64 start, end, unpinned, purged;
	unsigned int i;
	int err;

	down_write(&region->lock);
	for (;;) {
		err = vrange_region_range(region, offset, len, &start, &end);
		if (err)
			goto out;
		vrange_node_runs(region->backing->f_mapping, start, end,
				 &found);
		if (mode->whole) {
			vr_node_runs_one(&found, &one);
			runs = &one;
		}
		err = vrange_region_reserve(region,
					    vrange_unpin_ranges(region, runs,
								mode),
					    runs);
		if (err != -EAGAIN)
			break;
		vrange_node_runs_put(&found);
	}
	if (err)
		goto out_put;

	unpinned = region->set.unpinned;
	purged = region->set.purged;
	vr_set_unpin_take(&region->set, start, end, mode, &region->pool);
	for (i = 0; i < runs->nr; i++) {
		vr_pool_batch_first(&region->pool, runs->run[i].home);
		vr_set_unpin(&region->set, vr_node_run_start(runs, i),
			     runs->run[i].end, mode, &region->pool);
	}
	vrange_account(region, unpinned, purged);
	trace_vrange_unpin(region, start, end - start, runs->nr, mode);
	if (runs->nr > 1 || mode->move)
		vrange_pool_trim(region->user, &region->pool, VRANGE_POOL_KEEP);
out_put:
	vrange_node_runs_put(&found);
out:
	up_write(&region->lock);
	vrange_region_sync_resident(region);
	return err;
}

int vrange_region_status(struct vrange_region *region, u64 offset, u64 len)
{
	u64 start, end;
	int err;

	down_read(&region->lock);
	err = vrange_region_range(region, offset, len, &start, &end);
	if (!err)
		err = vr_set_status(&region->set, start, end);
	up_read(&region->lock);
	return err;
}

/* Zap and free pages [start, end) of the backing file. */
static void vrange_region_free_pages(struct vrange_region *region, u64 start,
				     u64 end)
{
	loff_t from = (loff_t)start << PAGE_SHIFT;
	loff_t to = (loff_t)end << PAGE_SHIFT;

	unmap_mapping_range(region->backing->f_mapping, from, to - from, 1);
	shmem_truncate_range(file_inode(region->backing), from, to - 1);
}

/*
 * Record a purge of @pages of @region, once they are freed, and wake its
 * pollers.  Nothing on the pin and unpin paths: only purges pay this.
 */
static void vrange_region_note_purge(struct vrange_region *region, u64 pages)
{
	if (!pages)
		return;
	WRITE_ONCE(vrange_last_purge_at, jiffies);
	spin_lock(&region->purge_lock);
	region->purged_total += pages;
	region->purge_events++;
	region->last_purge = atomic64_inc_return(&vrange_purge_number);
	spin_unlock(&region->purge_lock);
	atomic_long_inc(&vrange_stats.purge_events);
	/* Pairs with the barrier of poll_wait() adding the waiter. */
	if (wq_has_sleeper(&region->poll_wq))
		wake_up_interruptible_poll(&region->poll_wq, EPOLLPRI);
}

void vrange_region_purge_info(struct vrange_region *region,
			      struct vrange_purge_info *info)
{
	memset(info, 0, sizeof(*info));
	spin_lock(&region->purge_lock);
	info->purged_pages = region->purged_total;
	info->purge_events = region->purge_events;
	info->seq = region->last_purge;
	spin_unlock(&region->purge_lock);
}

/*
 * The owner has read @info: clear POLLPRI, unless a purge came after the
 * read, which the owner has not seen yet.
 */
void vrange_region_purge_seen(struct vrange_region *region,
			      const struct vrange_purge_info *info)
{
	spin_lock(&region->purge_lock);
	if (region->purge_events_read < info->purge_events)
		region->purge_events_read = info->purge_events;
	spin_unlock(&region->purge_lock);
}

bool vrange_region_purge_pending(struct vrange_region *region)
{
	bool pending;

	spin_lock(&region->purge_lock);
	pending = region->purge_events != region->purge_events_read;
	spin_unlock(&region->purge_lock);
	return pending;
}

static void vrange_count_purged(u64 pages)
{
	atomic_long_sub(pages, &vrange_stats.unpinned_pages);
	atomic_long_add(pages, &vrange_stats.purged_pages);
	atomic_long_add(pages, &vrange_stats.purged_pages_total);
}

/*
 * Free the pages of unpinned range @r and record it as purged.  The caller
 * holds region->lock for writing.  Zapping goes through the address_space
 * (i_mmap_rwsem), never an mmap_lock, so the shrinker may call this;
 * nothing here allocates.
 */
static u64 vrange_region_purge_range(struct vrange_region *region,
				     struct vr_range *r,
				     enum vrange_purge_reason reason)
{
	struct address_space *mapping = region->backing->f_mapping;
	long resident = mapping->nrpages;
	u64 start = r->start, end = r->end;
	int nid = r->batch->home.nid;
	u64 pages;

	vrange_region_free_pages(region, start, end);
	pages = vr_set_mark_purged(r, &region->pool);
	vrange_count_purged(pages);
	trace_vrange_purge(region, start, pages,
			   max(resident - (long)mapping->nrpages, 0L), reason,
			   nid, NULL);
	return pages;
}

/*
 * Mark at most @max resident pages from the old end of batch @b purged,
 * with whatever holds no memory before them (a sparse unpin's untouched
 * pages cost nothing to purge, and a chunk of them alone would free
 * nothing), and record them in @p.  The batch stays on the LRU in its
 * place while it has unpinned pages left.  The caller holds region->lock for writing, drops it and
 * frees the pages with vrange_region_end_purge(): other reclaimers can
 * then purge the next chunk of the same region meanwhile, and faults on
 * its other pages go on.  Faults already see the chunk purged.  Returns
 * the pages marked.
 */
u64 vrange_region_start_purge(struct vrange_region *region,
			      struct vr_batch *b, u64 max,
			      struct vrange_purge *p)
{
	struct vr_range *r = vr_batch_first(b);
	u64 pages;

	lockdep_assert_held_write(&region->lock);
	if (max)
		max += vrange_first_resident(region->backing->f_mapping,
					     r->start, r->end) - r->start;
	pages = vr_set_purge_head(r, max, &region->pool, &p->start);
	p->end = p->start + pages;
	vrange_count_purged(pages);
	vrange_pool_trim(region->user, &region->pool, VRANGE_POOL_KEEP);
	spin_lock(&region->purge_lock);
	p->seq = ++region->purge_seq;
	list_add(&p->node, &region->purges);
	spin_unlock(&region->purge_lock);
	atomic_long_add(pages, &vrange_purging);
	return pages;
}

/*
 * Reclaim does not see shmem pages freed by truncation: without the credit
 * it keeps calling the shrinker and purges far more than the shortfall.
 * Pages elsewhere in the file can come and go meanwhile (faults, another
 * chunk's purge, swap): never credit less than nothing, nor more than the
 * @pages purged.  @before is the file's page count before the purge.
 * Returns the resident pages credited.
 */
static unsigned long vrange_region_credit(struct vrange_region *region,
					  long before, u64 pages)
{
	long freed = before - (long)region->backing->f_mapping->nrpages;

	freed = clamp_t(long, freed, 0, min_t(u64, pages, LONG_MAX));
	vrange_account_reclaimed(freed);
	vrange_region_sync_resident(region);
	return freed;
}

/*
 * Free the pages of chunk @p, without region->lock; the caller holds a
 * reference.  Returns the resident pages that freed, which is what
 * reclaim gained.
 */
unsigned long vrange_region_end_purge(struct vrange_region *region,
				      struct vrange_purge *p)
{
	long before = region->backing->f_mapping->nrpages;
	unsigned long resident;

	vrange_region_free_pages(region, p->start, p->end);
	resident = vrange_region_credit(region, before, p->end - p->start);

	spin_lock(&region->purge_lock);
	list_del(&p->node);
	spin_unlock(&region->purge_lock);
	wake_up_all(&region->purge_wq);
	atomic_long_sub(p->end - p->start, &vrange_purging);
	vrange_region_note_purge(region, p->end - p->start);
	return resident;
}

/*
 * Purge all of whole batch @b at once, its pages freed with region->lock
 * held for writing (the caller's): no fault or pin sees part of it gone.
 * Sets *@pages to the pages marked; returns the resident pages that
 * freed, as vrange_region_end_purge() does.  The batch stays listed, its
 * region locked, until its last interval is marked: counted in flight
 * meanwhile, so that the OOM notifier waits for this purge (48 MB take a
 * while to free) instead of finding nothing to purge and letting a task
 * be killed just before the memory comes back.
 */
unsigned long vrange_region_purge_whole(struct vrange_region *region,
					struct vr_batch *b,
					enum vrange_purge_reason reason,
					u64 *pages)
{
	long before = region->backing->f_mapping->nrpages;
	unsigned long resident;
	struct vr_range *r;
	u64 inflight = 0;
	bool last;

	lockdep_assert_held_write(&region->lock);
	*pages = 0;
	do {
		/* The last interval's purge gives @b back to the pool. */
		last = list_is_singular(&b->ranges);
		r = vr_batch_first(b);
		/* In flight from its free until the batch is done. */
		atomic_long_add(r->end - r->start, &vrange_purging);
		inflight += r->end - r->start;
		*pages += vrange_region_purge_range(region, r, reason);
		/* Reclaim may sleep here: region->lock is a rwsem. */
		cond_resched();
	} while (!last);
	atomic_long_sub(inflight, &vrange_purging);
	vrange_pool_trim(region->user, &region->pool, VRANGE_POOL_KEEP);
	resident = vrange_region_credit(region, before, *pages);
	vrange_region_note_purge(region, *pages);
	return resident;
}

unsigned long vrange_purging_pages(void)
{
	return max(atomic_long_read(&vrange_purging), 0L);
}

/* Did a purge free pages within the last @ticks jiffies? */
bool vrange_purged_within(unsigned long ticks)
{
	return time_before_eq(jiffies, READ_ONCE(vrange_last_purge_at) + ticks);
}

long vrange_region_purge(struct vrange_region *region,
			enum vrange_purge_reason reason)
{
	struct vr_range *r = NULL;
	long pages = 0;

	down_write(&region->lock);
	if (!region->backing) {
		up_write(&region->lock);
		return -EINVAL;
	}
	while ((r = vr_set_next_unpurged(&region->set, r))) {
		pages += vrange_region_purge_range(region, r, reason);
		cond_resched();
	}
	vrange_pool_trim(region->user, &region->pool, VRANGE_POOL_KEEP);
	up_write(&region->lock);
	vrange_region_sync_resident(region);
	vrange_region_note_purge(region, pages);
	/* Purged means freed: the shrinker's chunks too. */
	return vrange_region_wait_purges(region) ?: pages;
}

/*
 * Call @fn on every region in turn, with a reference held and no lock:
 * @fn may sleep, and a reader of many regions never holds the list lock
 * for more than one step.
 */
void vrange_for_each_region(void (*fn)(struct vrange_region *region,
				       void *arg), void *arg)
{
	struct vrange_region *region, *prev = NULL;

	spin_lock(&vrange_regions_lock);
	list_for_each_entry(region, &vrange_regions, node) {
		/* The reference keeps @region on the list while unlocked. */
		if (!kref_get_unless_zero(&region->ref))
			continue;
		spin_unlock(&vrange_regions_lock);
		if (prev)
			vrange_region_put(prev);
		prev = region;
		fn(region, arg);
		cond_resched();
		spin_lock(&vrange_regions_lock);
	}
	spin_unlock(&vrange_regions_lock);
	if (prev)
		vrange_region_put(prev);
}

static void vrange_purge_one(struct vrange_region *region, void *pages)
{
	if (READ_ONCE(region->backing))
		*(long *)pages += vrange_region_purge(region,
						      VRANGE_REASON_PURGE_ALL);
}

long vrange_purge_all(void)
{
	long pages = 0;

	vrange_for_each_region(vrange_purge_one, &pages);
	return pages;
}

/*
 * Fold the change of @region's page-cache pages since its last event into
 * the global resident_pages, so that reading the sum walks nothing.  shmem
 * also drops pages (swap-out) without telling us: the sum is as of each
 * region's last event.  Lockless: each delta is taken exactly once.
 */
void vrange_region_sync_resident(struct vrange_region *region)
{
	struct file *backing = READ_ONCE(region->backing);
	unsigned long now, old;

	if (!backing)
		return;
	now = READ_ONCE(backing->f_mapping->nrpages);
	if (READ_ONCE(region->resident_seen) == now)
		return;
	old = xchg(&region->resident_seen, now);
	atomic_long_add(now - old, &vrange_stats.resident_pages);
}

/*
 * Give the region its shmem backing, freezing size and name, unless a
 * mapping up to page @end_page would not fit.  The file is made without
 * region->lock held, so recheck what it was made from.
 */
int vrange_region_make_backing(struct vrange_region *region,
			       struct file *(*make)(const char *name, u64 size),
			       u64 end_page)
{
	char name[VRANGE_NAME_LEN];
	struct file *file;
	u64 size;

	for (;;) {
		down_read(&region->lock);
		size = region->size;
		if (region->backing) {
			up_read(&region->lock);
			return end_page <= vr_size_to_pages(size) ? 0 : -EINVAL;
		}
		strscpy(name, region->name, sizeof(name));
		up_read(&region->lock);
		if (!size || size > VR_MAX_SIZE ||
		    end_page > vr_size_to_pages(size))
			return -EINVAL;

		file = make(name, size);
		if (IS_ERR(file))
			return PTR_ERR(file);

		down_write(&region->lock);
		if (!region->backing && region->size == size &&
		    !strcmp(region->name, name)) {
			WRITE_ONCE(region->backing, file);
			atomic64_add(size, &vrange_stats.mapped_bytes);
			file = NULL;
		}
		up_write(&region->lock);
		if (!file)
			return 0;
		fput(file);
	}
}

int vrange_region_init(void)
{
	vrange_bound_init();
	/* Long ago: jiffies start near wrap, so 0 could be "just now". */
	vrange_last_purge_at = jiffies - 60 * HZ;
	vrange_range_cache = KMEM_CACHE(vr_range, SLAB_ACCOUNT);
	vrange_batch_cache = KMEM_CACHE(vr_batch, SLAB_ACCOUNT);
	vrange_free_wq = alloc_workqueue("vrange_free", WQ_UNBOUND, 0);
	if (vrange_range_cache && vrange_batch_cache && vrange_free_wq)
		return 0;
	vrange_region_exit();
	return -ENOMEM;
}

/* Wait for the sets being freed: their batches are still on the LRU. */
void vrange_region_flush(void)
{
	flush_workqueue(vrange_free_wq);
}

void vrange_region_exit(void)
{
	if (vrange_free_wq)
		destroy_workqueue(vrange_free_wq);
	kmem_cache_destroy(vrange_batch_cache);
	kmem_cache_destroy(vrange_range_cache);
}
