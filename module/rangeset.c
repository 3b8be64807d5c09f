// SPDX-License-Identifier: GPL-2.0
/*
 * Interval set of unpinned and purged pages; see rangeset.h.
 */
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
	INIT_LIST_HEAD(&pool->free);
	pool->nr = 0;
}

void vr_pool_put(struct vr_pool *pool, struct vr_range *r)
{
	list_add(&r->lru, &pool->free);
	pool->nr++;
}

/* The caller guarantees the pool holds enough nodes. */
struct vr_range *vr_pool_get(struct vr_pool *pool)
{
	struct vr_range *r = list_first_entry(&pool->free, struct vr_range, lru);

	list_del_init(&r->lru);
	pool->nr--;
	return r;
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
	vr_pool_put(pool, r);
}

/* Move @pages of an interval out of the set's page counts. */
static void vr_account_pin(struct vr_set *set, struct vr_range *r, u64 pages)
{
	if (r->purged)
		set->purged -= pages;
	else
		set->unpinned -= pages;
}

/* Number of pinned gaps in [start, end): the nodes vr_set_unpin() needs. */
unsigned long vr_set_unpin_need(struct vr_set *set, u64 start, u64 end)
{
	unsigned long gaps = 0;
	u64 pos = start;
	struct vr_range *r;

	for (r = vr_first_after(set, start); r && r->start < end; r = vr_next(r)) {
		if (r->start > pos)
			gaps++;
		pos = r->end;
	}
	return gaps + (pos < end);
}

static void vr_add_unpinned(struct vr_set *set, u64 start, u64 end,
			    struct vr_range *next, struct vr_pool *pool)
{
	struct vr_range *new = vr_pool_get(pool);

	new->start = start;
	new->end = end;
	new->purged = false;
	vr_insert(set, new, next);
	set->unpinned += end - start;
	vr_lru_add(new);
}

void vr_set_unpin(struct vr_set *set, u64 start, u64 end, struct vr_pool *pool)
{
	u64 pos = start;
	struct vr_range *r;

	for (r = vr_first_after(set, start); r && r->start < end; r = vr_next(r)) {
		if (r->start > pos)
			vr_add_unpinned(set, pos, r->start, r, pool);
		pos = r->end;
	}
	if (pos < end)
		vr_add_unpinned(set, pos, end, r, pool);
}

/*
 * Pin [start, end).  Returns true if any page of exactly this range had been
 * purged.  At most one interval is split, so VR_PIN_NEED nodes suffice.
 */
bool vr_set_pin(struct vr_set *set, u64 start, u64 end, struct vr_pool *pool)
{
	struct vr_range *r, *next;
	bool was_purged = false;

	for (r = vr_first_after(set, start); r && r->start < end; r = next) {
		next = vr_next(r);
		was_purged |= r->purged;

		if (r->start < start && r->end > end) {
			struct vr_range *right = vr_pool_get(pool);

			right->start = end;
			right->end = r->end;
			right->purged = r->purged;
			vr_account_pin(set, r, end - start);
			r->end = start;
			vr_insert(set, right, next);
			if (!right->purged)
				vr_lru_add(right);
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
			if (!r->purged)
				vr_lru_del(r);
			vr_erase(set, r, pool);
		}
	}
	return was_purged;
}

unsigned int vr_set_status(struct vr_set *set, u64 start, u64 end)
{
	unsigned int status = 0;
	struct vr_range *r;

	for (r = vr_first_after(set, start); r && r->start < end; r = vr_next(r)) {
		status |= VR_UNPINNED;
		if (r->purged)
			return VR_UNPINNED | VR_PURGED;
	}
	return status;
}

bool vr_set_page_purged(struct vr_set *set, u64 page)
{
	struct vr_range *r = vr_first_after(set, page);

	return r && r->start <= page && r->purged;
}

/*
 * Record that the pages of unpinned interval @r were freed.  The caller has
 * already taken @r off the LRU.  Adjacent purged intervals are merged, as
 * they no longer need separate LRU ages.  Returns the pages purged.
 */
u64 vr_set_mark_purged(struct vr_range *r, struct vr_pool *pool)
{
	struct vr_set *set = r->set;
	u64 pages = r->end - r->start;
	struct vr_range *n;

	r->purged = true;
	set->unpinned -= pages;
	set->purged += pages;

	n = vr_prev(r);
	if (n && n->purged && n->end == r->start) {
		r->start = n->start;
		vr_erase(set, n, pool);
	}
	n = vr_next(r);
	if (n && n->purged && n->start == r->end) {
		r->end = n->end;
		vr_erase(set, n, pool);
	}
	return pages;
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
	while (r && r->purged);
	return r;
}

/* Iterate purged intervals: pass NULL to start. */
struct vr_range *vr_set_next_purged(struct vr_set *set, struct vr_range *r)
{
	do
		r = vr_first_or_next(set, r);
	while (r && !r->purged);
	return r;
}

/* Empty the set, taking unpinned intervals off the LRU; nodes go to @pool. */
void vr_set_clear(struct vr_set *set, struct vr_pool *pool)
{
	struct vr_range *r;

	while ((r = vr_first_or_next(set, NULL))) {
		if (!r->purged)
			vr_lru_del(r);
		vr_erase(set, r, pool);
	}
	set->unpinned = 0;
	set->purged = 0;
}
