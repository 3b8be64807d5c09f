// SPDX-License-Identifier: GPL-2.0
/*
 * Interval set of unpinned and purged pages; see rangeset.h.
 */
#include "rangeset.h"

void vr_set_init(struct vr_set *set)
{
	set->root = RB_ROOT;
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
	struct rb_node *n = rb_next(&r->rb);

	return n ? rb_entry(n, struct vr_range, rb) : NULL;
}

static struct vr_range *vr_prev(struct vr_range *r)
{
	struct rb_node *n = rb_prev(&r->rb);

	return n ? rb_entry(n, struct vr_range, rb) : NULL;
}

/* The first interval ending after @page; intervals are disjoint and sorted. */
static struct vr_range *vr_first_after(struct vr_set *set, u64 page)
{
	struct rb_node *n = set->root.rb_node;
	struct vr_range *found = NULL;

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

static void vr_insert(struct vr_set *set, struct vr_range *new)
{
	struct rb_node **link = &set->root.rb_node, *parent = NULL;

	while (*link) {
		struct vr_range *r = rb_entry(*link, struct vr_range, rb);

		parent = *link;
		link = new->start < r->start ? &parent->rb_left : &parent->rb_right;
	}
	rb_link_node(&new->rb, parent, link);
	rb_insert_color(&new->rb, &set->root);
	set->nr_ranges++;
}

static void vr_erase(struct vr_set *set, struct vr_range *r,
		     struct vr_pool *pool)
{
	rb_erase(&r->rb, &set->root);
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
			    struct vr_pool *pool)
{
	struct vr_range *new = vr_pool_get(pool);

	new->start = start;
	new->end = end;
	new->purged = false;
	new->set = set;
	vr_insert(set, new);
	set->unpinned += end - start;
	vr_lru_add(new);
}

void vr_set_unpin(struct vr_set *set, u64 start, u64 end, struct vr_pool *pool)
{
	u64 pos = start;
	struct vr_range *r;

	for (r = vr_first_after(set, start); r && r->start < end; r = vr_next(r)) {
		if (r->start > pos)
			vr_add_unpinned(set, pos, r->start, pool);
		pos = r->end;
	}
	if (pos < end)
		vr_add_unpinned(set, pos, end, pool);
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
			right->set = set;
			vr_account_pin(set, r, end - start);
			r->end = start;
			vr_insert(set, right);
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
	struct rb_node *n = r ? rb_next(&r->rb) : rb_first(&set->root);

	return n ? rb_entry(n, struct vr_range, rb) : NULL;
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
	struct rb_node *n;

	while ((n = rb_first(&set->root))) {
		struct vr_range *r = rb_entry(n, struct vr_range, rb);

		if (!r->purged)
			vr_lru_del(r);
		vr_erase(set, r, pool);
	}
	set->unpinned = 0;
	set->purged = 0;
}
