// SPDX-License-Identifier: GPL-2.0
/*
 * Interval set of unpinned and purged pages; see rangeset.h.
 */
#include <linux/sched.h>

#include "rangeset.h"

void vr_set_init(struct vr_set *set)
{
	set->root = RB_ROOT;
	INIT_LIST_HEAD(&set->order);
	set->hint = NULL;
	set->nr_ranges = 0;
	set->unpinned = 0;
	set->purged = 0;
}

void vr_pool_init(struct vr_pool *pool)
{
	INIT_LIST_HEAD(&pool->ranges);
	INIT_LIST_HEAD(&pool->batches);
	pool->nr_ranges = 0;
	pool->nr_batches = 0;
}

void vr_pool_put_range(struct vr_pool *pool, struct vr_range *r)
{
	list_add(&r->sibling, &pool->ranges);
	pool->nr_ranges++;
}

void vr_pool_put_batch(struct vr_pool *pool, struct vr_batch *b)
{
	list_add(&b->lru, &pool->batches);
	pool->nr_batches++;
}

/* The caller guarantees the pool holds enough objects. */
struct vr_range *vr_pool_get_range(struct vr_pool *pool)
{
	struct vr_range *r;

	r = list_first_entry(&pool->ranges, struct vr_range, sibling);
	list_del_init(&r->sibling);
	pool->nr_ranges--;
	return r;
}

struct vr_batch *vr_pool_get_batch(struct vr_pool *pool)
{
	struct vr_batch *b;

	b = list_first_entry(&pool->batches, struct vr_batch, lru);
	list_del_init(&b->lru);
	INIT_LIST_HEAD(&b->ranges);
	pool->nr_batches--;
	return b;
}

static struct vr_range *vr_next(struct vr_range *r)
{
	if (r->order.next == &r->set->order)
		return NULL;
	return list_entry(r->order.next, struct vr_range, order);
}

static struct vr_range *vr_prev(struct vr_range *r)
{
	if (r->order.prev == &r->set->order)
		return NULL;
	return list_entry(r->order.prev, struct vr_range, order);
}

static struct vr_range *vr_last(struct vr_set *set)
{
	if (list_empty(&set->order))
		return NULL;
	return list_entry(set->order.prev, struct vr_range, order);
}

/* The first interval ending after @page; intervals are disjoint and sorted. */
static struct vr_range *vr_first_after(struct vr_set *set, u64 page)
{
	struct rb_node *n = set->root.rb_node;
	struct vr_range *found = NULL, *h = set->hint, *near;

	if (h) {
		if (h->end > page) {
			near = vr_prev(h);
			if (!near || near->end <= page)
				return h;
		} else {
			near = vr_next(h);
			if (!near || near->end > page)
				return near;
		}
	}
	while (n) {
		struct vr_range *r = rb_entry(n, struct vr_range, rb);

		if (r->end > page) {
			found = r;
			n = n->rb_left;
		} else {
			n = n->rb_right;
		}
	}
	return found;
}

/*
 * Insert @new just before @next (NULL: at the end).  Knowing the neighbour
 * gives the link without a descent: @next's empty left slot, or else the
 * empty right slot of its predecessor.
 */
static void vr_insert(struct vr_set *set, struct vr_range *new,
		      struct vr_range *next)
{
	struct vr_range *prev = next ? vr_prev(next) : vr_last(set);
	struct rb_node *parent = NULL, **link = &set->root.rb_node;

	if (next && !next->rb.rb_left) {
		parent = &next->rb;
		link = &parent->rb_left;
	} else if (prev) {
		parent = &prev->rb;
		link = &parent->rb_right;
	}
	new->set = set;
	rb_link_node(&new->rb, parent, link);
	rb_insert_color(&new->rb, &set->root);
	list_add_tail(&new->order, next ? &next->order : &set->order);
	set->hint = new;
	set->nr_ranges++;
}

static void vr_erase(struct vr_set *set, struct vr_range *r,
		     struct vr_pool *pool)
{
	if (set->hint == r)
		set->hint = vr_next(r) ?: vr_prev(r);
	rb_erase(&r->rb, &set->root);
	list_del_init(&r->order);
	set->nr_ranges--;
	vr_pool_put_range(pool, r);
}

/* Take unpinned @r out of its batch; an emptied batch leaves the LRU. */
static void vr_unbatch(struct vr_range *r, struct vr_pool *pool)
{
	struct vr_batch *b = r->batch;

	list_del_init(&r->sibling);
	r->batch = NULL;
	if (list_empty(&b->ranges)) {
		vr_lru_del(b);
		vr_pool_put_batch(pool, b);
	}
}

/* Move @pages of an interval out of the set's page counts. */
static void vr_account_pin(struct vr_set *set, struct vr_range *r, u64 pages)
{
	if (vr_range_purged(r))
		set->purged -= pages;
	else
		set->unpinned -= pages;
}

/*
 * Would an unpin in @mode take unpinned interval @r over?  Only an unpin
 * that moves does, and only pages not already in a unit like its own:
 * partial ones of the same class keep their age.  Purged pages stay.
 */
static bool vr_unpin_takes(const struct vr_range *r,
			   const struct vr_unpin_mode *mode)
{
	if (!mode || !mode->move || vr_range_purged(r))
		return false;
	return mode->whole || r->batch->whole ||
	       r->batch->purge_class != mode->purge_class;
}

/*
 * Pinned gaps in [start, end), and the intervals the unpin takes over,
 * need an interval each, and one batch.
 */
struct vr_need vr_set_unpin_need(struct vr_set *set, u64 start, u64 end,
				 const struct vr_unpin_mode *mode)
{
	struct vr_need need = { };
	u64 pos = start;
	struct vr_range *r;

	for (r = vr_first_after(set, start); r && r->start < end; r = vr_next(r)) {
		cond_resched();
		if (vr_unpin_takes(r, mode))
			continue;
		if (r->start > pos)
			need.ranges++;
		pos = r->end;
	}
	need.ranges += pos < end;
	need.batches = need.ranges ? 1 : 0;
	return need;
}

static void vr_add_unpinned(struct vr_set *set, u64 start, u64 end,
			    struct vr_range *next, struct vr_batch **batch,
			    const struct vr_unpin_mode *mode,
			    struct vr_pool *pool)
{
	struct vr_range *new = vr_pool_get_range(pool);

	if (!*batch) {
		*batch = vr_pool_get_batch(pool);
		(*batch)->set = set;
		(*batch)->purge_class = mode->purge_class;
		(*batch)->whole = mode->whole;
	}
	new->start = start;
	new->end = end;
	new->batch = *batch;
	list_add_tail(&new->sibling, &(*batch)->ranges);
	vr_insert(set, new, next);
	set->unpinned += end - start;
}

/*
 * Unpin the pinned gaps of [start, end) in one batch of @mode.  The caller
 * runs vr_set_unpin_take() over the whole range first if @mode moves.
 */
void vr_set_unpin(struct vr_set *set, u64 start, u64 end,
		  const struct vr_unpin_mode *mode, struct vr_pool *pool)
{
	struct vr_batch *batch = NULL;
	u64 pos = start;
	struct vr_range *r;

	for (r = vr_first_after(set, start); r && r->start < end; r = vr_next(r)) {
		cond_resched();
		if (r->start > pos)
			vr_add_unpinned(set, pos, r->start, r, &batch, mode,
					pool);
		pos = r->end;
	}
	if (pos < end)
		vr_add_unpinned(set, pos, end, r, &batch, mode, pool);
	if (batch)
		vr_lru_add(batch);
}

/*
 * Cut [start, end) out of the intervals there, or only out of those an
 * unpin in @mode takes over; NULL cuts all.  Returns true if a purged page
 * was cut.  At most one interval is split, so VR_PIN_NEED suffices.
 */
static bool vr_set_cut(struct vr_set *set, u64 start, u64 end,
		       const struct vr_unpin_mode *mode, struct vr_pool *pool)
{
	struct vr_range *r, *next;
	bool was_purged = false;

	for (r = vr_first_after(set, start); r && r->start < end; r = next) {
		/* Millions of intervals at the bound: callers may sleep. */
		cond_resched();
		next = vr_next(r);
		if (mode && !vr_unpin_takes(r, mode))
			continue;
		was_purged |= vr_range_purged(r);

		if (r->start < start && r->end > end) {
			struct vr_range *right = vr_pool_get_range(pool);

			/* Both halves stay in the batch: they keep their age. */
			right->start = end;
			right->end = r->end;
			right->batch = r->batch;
			if (r->batch)
				list_add(&right->sibling, &r->sibling);
			vr_account_pin(set, r, end - start);
			r->end = start;
			vr_insert(set, right, next);
			break;
		}
		if (r->start < start) {
			vr_account_pin(set, r, r->end - start);
			r->end = start;
		} else if (r->end > end) {
			vr_account_pin(set, r, end - r->start);
			r->start = end;
		} else {
			vr_account_pin(set, r, r->end - r->start);
			if (r->batch)
				vr_unbatch(r, pool);
			vr_erase(set, r, pool);
		}
	}
	return was_purged;
}

/*
 * Make the unpinned pages of [start, end) that an unpin in @mode takes
 * over pinned again for a moment, so that vr_set_unpin() lists them in its
 * batch; their page counts move with them.
 */
void vr_set_unpin_take(struct vr_set *set, u64 start, u64 end,
		       const struct vr_unpin_mode *mode, struct vr_pool *pool)
{
	if (mode->move)
		vr_set_cut(set, start, end, mode, pool);
}

/* A pin splits an interval that holds more than [start, end) on each side. */
struct vr_need vr_set_pin_need(struct vr_set *set, u64 start, u64 end)
{
	struct vr_range *r = vr_first_after(set, start);
	struct vr_need need = { };

	if (r && r->start < start && r->end > end)
		need.ranges = 1;
	return need;
}

/*
 * Pin [start, end).  Returns true if any page of exactly this range had been
 * purged.
 */
bool vr_set_pin(struct vr_set *set, u64 start, u64 end, struct vr_pool *pool)
{
	return vr_set_cut(set, start, end, NULL, pool);
}

unsigned int vr_set_status(struct vr_set *set, u64 start, u64 end)
{
	unsigned int status = 0;
	struct vr_range *r;

	for (r = vr_first_after(set, start); r && r->start < end; r = vr_next(r)) {
		status |= VR_UNPINNED;
		if (vr_range_purged(r))
			return VR_UNPINNED | VR_PURGED;
	}
	return status;
}

bool vr_set_page_purged(struct vr_set *set, u64 page)
{
	struct vr_range *r = vr_first_after(set, page);

	return r && r->start <= page && vr_range_purged(r);
}

/* The batch's first interval; a batch on the LRU is never empty. */
struct vr_range *vr_batch_first(struct vr_batch *b)
{
	return list_first_entry(&b->ranges, struct vr_range, sibling);
}

/*
 * Record that the pages of unpinned interval @r were freed.  Its batch
 * leaves the LRU and goes back to the pool once its last interval is
 * purged.  Adjacent purged intervals are merged.  Returns the pages purged.
 */
u64 vr_set_mark_purged(struct vr_range *r, struct vr_pool *pool)
{
	struct vr_set *set = r->set;
	struct vr_batch *b = r->batch;
	u64 pages = r->end - r->start;
	struct vr_range *n;

	list_del_init(&r->sibling);
	r->batch = NULL;
	if (list_empty(&b->ranges)) {
		vr_lru_del(b);
		vr_pool_put_batch(pool, b);
	}
	set->unpinned -= pages;
	set->purged += pages;

	n = vr_prev(r);
	if (n && vr_range_purged(n) && n->end == r->start) {
		r->start = n->start;
		vr_erase(set, n, pool);
	}
	n = vr_next(r);
	if (n && vr_range_purged(n) && n->start == r->end) {
		r->end = n->end;
		vr_erase(set, n, pool);
	}
	return pages;
}

/*
 * Record that the first @max pages of unpinned interval @r were freed; the
 * rest stays unpinned in its batch, which keeps its place on the LRU.  The
 * purged head joins a purged neighbour, or takes a spare node from @pool;
 * without one the whole interval is marked, since this must not allocate.
 * Sets *@start to the first page marked; returns the pages marked.
 */
u64 vr_set_purge_head(struct vr_range *r, u64 max, struct vr_pool *pool,
		      u64 *start)
{
	struct vr_set *set = r->set;
	struct vr_range *prev = vr_prev(r);

	*start = r->start;
	if (!max || r->end - r->start <= max ||
	    (!pool->nr_ranges &&
	     !(prev && vr_range_purged(prev) && prev->end == r->start)))
		return vr_set_mark_purged(r, pool);

	if (prev && vr_range_purged(prev) && prev->end == r->start) {
		prev->end += max;
	} else {
		struct vr_range *head = vr_pool_get_range(pool);

		head->start = r->start;
		head->end = r->start + max;
		head->batch = NULL;
		vr_insert(set, head, r);
	}
	r->start += max;
	set->unpinned -= max;
	set->purged += max;
	return max;
}

static struct vr_range *vr_first_or_next(struct vr_set *set,
					 struct vr_range *r)
{
	if (!r)
		return list_empty(&set->order) ? NULL :
			list_first_entry(&set->order, struct vr_range, order);
	return vr_next(r);
}

/* Iterate unpinned (not purged) intervals: pass NULL to start. */
struct vr_range *vr_set_next_unpurged(struct vr_set *set, struct vr_range *r)
{
	do
		r = vr_first_or_next(set, r);
	while (r && vr_range_purged(r));
	return r;
}

/* Iterate purged intervals: pass NULL to start. */
struct vr_range *vr_set_next_purged(struct vr_set *set, struct vr_range *r)
{
	do
		r = vr_first_or_next(set, r);
	while (r && !vr_range_purged(r));
	return r;
}

/*
 * Empty the set, taking its batches off the LRU, at most @max intervals
 * per call; all objects go to @pool.  The set is for discarding only: no
 * lookup works any more, so the tree is dropped at once and never
 * rebalanced.  Returns true while intervals are left.
 */
bool vr_set_clear(struct vr_set *set, struct vr_pool *pool, unsigned long max)
{
	struct vr_range *r;

	set->root = RB_ROOT;
	set->hint = NULL;
	set->unpinned = 0;
	set->purged = 0;
	for (; max && (r = vr_first_or_next(set, NULL)); max--) {
		if (r->batch)
			vr_unbatch(r, pool);
		list_del_init(&r->order);
		set->nr_ranges--;
		vr_pool_put_range(pool, r);
	}
	return !list_empty(&set->order);
}
