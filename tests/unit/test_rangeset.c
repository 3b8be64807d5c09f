// SPDX-License-Identifier: GPL-2.0
/*
 * module/rangeset.c against a page-array model: hundreds of thousands of
 * random pin, unpin, purge and query steps, with every invariant of the set
 * checked after each step.  The purge LRU is kept here, as the kernel's
 * list_lru would keep it.
 */
#include <stdlib.h>
#include <string.h>

#include "rangeset.h"
#include "unit.h"

enum { PINNED, UNPINNED, PURGED };

#define MAX_PAGES 256

static unsigned char model[MAX_PAGES];
/* Of each unpinned page: its class, its unpin (unit) and if that is whole. */
static unsigned int mclass[MAX_PAGES];
static long munit[MAX_PAGES];
static bool mwhole[MAX_PAGES];
static long units;

static const struct vr_unpin_mode keep = { .purge_class = 4 };
static LIST_HEAD(lru);
static long lru_len, objects_alive;
static int failures;

void vr_lru_add(struct vr_batch *b)
{
	list_add_tail(&b->lru, &lru);
	lru_len++;
}

/* Idempotent, as list_lru_del() is. */
void vr_lru_del(struct vr_batch *b)
{
	if (list_empty(&b->lru))
		return;
	list_del_init(&b->lru);
	lru_len--;
}

static void fill_pool(struct vr_pool *pool, struct vr_need need)
{
	while (pool->nr_ranges < need.ranges) {
		struct vr_range *r = calloc(1, sizeof(*r));

		INIT_LIST_HEAD(&r->sibling);
		vr_pool_put_range(pool, r);
		objects_alive++;
	}
	while (pool->nr_batches < need.batches) {
		struct vr_batch *b = calloc(1, sizeof(*b));

		INIT_LIST_HEAD(&b->lru);
		vr_pool_put_batch(pool, b);
		objects_alive++;
	}
}

static void fill_one(struct vr_pool *pool)
{
	fill_pool(pool, (struct vr_need){ .ranges = 1, .batches = 1 });
}

static void drain_pool(struct vr_pool *pool)
{
	while (pool->nr_ranges) {
		free(vr_pool_get_range(pool));
		objects_alive--;
	}
	while (pool->nr_batches) {
		free(vr_pool_get_batch(pool));
		objects_alive--;
	}
}

#define expect(cond, ...) do {						\
	if (!(cond) && failures++ < 10) {				\
		printf("# step %ld: ", step);				\
		printf(__VA_ARGS__);					\
		printf("\n");						\
	}								\
} while (0)

static long step;

/*
 * An unpinned interval's pages are of one unpin, with its class and unit;
 * one batch per unpin: two intervals share a batch iff they share a unit.
 */
static struct { long unit; struct vr_batch *batch; } seen[MAX_PAGES];
static unsigned int nr_seen;

static void check_unit(struct vr_range *r)
{
	unsigned int i;

	if (vr_range_purged(r))
		return;
	for (u64 p = r->start; p < r->end; p++) {
		expect(munit[p] == munit[r->start], "interval spans two unpins at %llu",
		       (unsigned long long)p);
		expect(mclass[p] == r->batch->purge_class,
		       "page %llu class %u, its batch %u", (unsigned long long)p,
		       mclass[p], r->batch->purge_class);
		expect(mwhole[p] == r->batch->whole, "page %llu whole %d vs %d",
		       (unsigned long long)p, mwhole[p], r->batch->whole);
	}
	for (i = 0; i < nr_seen; i++) {
		if (seen[i].unit == munit[r->start] || seen[i].batch == r->batch) {
			expect(seen[i].unit == munit[r->start] &&
			       seen[i].batch == r->batch,
			       "unpin %ld and its batch do not match at %llu",
			       munit[r->start], (unsigned long long)r->start);
			return;
		}
	}
	seen[nr_seen].unit = munit[r->start];
	seen[nr_seen++].batch = r->batch;
}

/* The tree must describe the model exactly, page by page. */
static void check_invariants(struct vr_set *set, u64 pages, struct vr_pool *pool)
{
	struct rb_node *n;
	u64 pos = 0, unpinned = 0, purged = 0;
	unsigned long nr = 0, batches = 0;
	struct vr_batch *b;
	struct vr_range *prev = NULL;
	struct list_head *ord = set->order.next;
	int hint_found = set->hint == NULL;

	nr_seen = 0;

	for (n = rb_first(&set->root); n; n = rb_next(n)) {
		struct vr_range *r = rb_entry(n, struct vr_range, rb);
		u64 p;

		nr++;
		expect(ord == &r->order, "address-order list differs from the tree");
		ord = ord->next;
		hint_found |= set->hint == r;
		expect(r->start < r->end, "empty node [%llu,%llu)",
		       (unsigned long long)r->start, (unsigned long long)r->end);
		expect(r->start >= pos, "overlap at %llu", (unsigned long long)r->start);
		expect(r->end <= pages, "node past the end");
		expect(r->set == set, "node has a wrong set");
		if (r->batch) {
			struct list_head *l;
			int in_batch = 0;

			for (l = r->batch->ranges.next; l != &r->batch->ranges; l = l->next)
				in_batch |= l == &r->sibling;
			expect(in_batch, "node missing from its batch");
			expect(!list_empty(&r->batch->lru), "batch of an unpinned node off the LRU");
		}
		for (p = pos; p < r->start && p < pages; p++)
			expect(model[p] == PINNED, "page %llu should be pinned",
			       (unsigned long long)p);
		for (p = r->start; p < r->end && p < pages; p++)
			expect(model[p] == (vr_range_purged(r) ? PURGED : UNPINNED),
			       "page %llu state %d vs node purged=%d",
			       (unsigned long long)p, model[p], vr_range_purged(r));
		check_unit(r);
		if (vr_range_purged(r)) {
			purged += r->end - r->start;
			expect(list_empty(&r->sibling), "purged node in a batch");
			expect(!(prev && vr_range_purged(prev) && prev->end == r->start),
			       "adjacent purged nodes not merged");
		} else {
			unpinned += r->end - r->start;
		}
		pos = r->end;
		prev = r;
	}
	for (; pos < pages; pos++)
		expect(model[pos] == PINNED, "tail page %llu should be pinned",
		       (unsigned long long)pos);
	expect(ord == &set->order, "address-order list longer than the tree");
	expect(hint_found, "hint is not a node of the set");
	expect(nr == set->nr_ranges, "nr_ranges %lu vs %lu", set->nr_ranges, nr);
	expect(unpinned == set->unpinned, "unpinned count");
	expect(purged == set->purged, "purged count");
	list_for_each_entry(b, &lru, lru) {
		struct vr_range *r;

		batches++;
		expect(!list_empty(&b->ranges), "empty batch on the LRU");
		list_for_each_entry(r, &b->ranges, sibling)
			expect(r->batch == b && b->set == set, "batch lists a node of another batch or set");
	}
	expect(batches == (unsigned long)lru_len, "LRU length %ld vs %lu", lru_len, batches);
	expect((long)(nr + batches + pool->nr_ranges + pool->nr_batches) == objects_alive,
	       "leak: %ld alive, %lu used", objects_alive,
	       nr + batches + pool->nr_ranges + pool->nr_batches);
}

/* An unpin in @mode: which pages it lists, as vr_set_unpin_take() says. */
static void model_unpin(u64 s, u64 e, const struct vr_unpin_mode *mode)
{
	long unit = ++units;

	for (u64 p = s; p < e; p++) {
		bool take = model[p] == PINNED ||
			    (model[p] == UNPINNED && mode->move &&
			     (mode->whole || mwhole[p] ||
			      mclass[p] != mode->purge_class));

		if (!take)
			continue;
		model[p] = UNPINNED;
		mclass[p] = mode->purge_class;
		mwhole[p] = mode->whole;
		munit[p] = unit;
	}
}

static void set_unpin(struct vr_set *set, struct vr_pool *pool, u64 s, u64 e,
		      const struct vr_unpin_mode *mode)
{
	struct vr_need need = vr_set_unpin_need(set, s, e, mode);

	need.ranges += VR_PIN_NEED.ranges;
	fill_pool(pool, need);
	vr_set_unpin_take(set, s, e, mode, pool);
	vr_set_unpin(set, s, e, mode, pool);
	model_unpin(s, e, mode);
}

static int model_pin(u64 s, u64 e)
{
	int purged = 0;

	for (u64 p = s; p < e; p++) {
		purged |= model[p] == PURGED;
		model[p] = PINNED;
	}
	return purged;
}

static unsigned int model_status(u64 s, u64 e)
{
	unsigned int st = 0;

	for (u64 p = s; p < e; p++) {
		if (model[p] != PINNED)
			st |= VR_UNPINNED;
		if (model[p] == PURGED)
			st |= VR_PURGED;
	}
	return st;
}

static void model_purge(struct vr_range *r)
{
	for (u64 p = r->start; p < r->end; p++)
		model[p] = PURGED;
}

/* What the shrinker does: purge the batch at the old end of the LRU. */
static void purge_oldest(struct vr_pool *pool)
{
	struct vr_batch *b;
	bool last;

	if (list_empty(&lru))
		return;
	b = list_first_entry(&lru, struct vr_batch, lru);
	vr_lru_del(b);
	do {
		struct vr_range *r = vr_batch_first(b);

		last = r->sibling.next == &b->ranges;
		model_purge(r);
		vr_set_mark_purged(r, pool);
	} while (!last);
}

/*
 * What the shrinker does now: purge the first @max pages of the oldest
 * batch in place; the batch keeps its place at the old end of the LRU.
 */
static void purge_oldest_chunk(struct vr_pool *pool, u64 max)
{
	struct vr_batch *b;
	struct vr_range *r;
	u64 start, n;

	if (list_empty(&lru))
		return;
	b = list_first_entry(&lru, struct vr_batch, lru);
	r = vr_batch_first(b);
	n = vr_set_purge_head(r, max, pool, &start);
	expect(n > 0, "purge_head marked nothing");
	for (u64 p = start; p < start + n; p++) {
		expect(model[p] == UNPINNED, "page %llu purged twice",
		       (unsigned long long)p);
		model[p] = PURGED;
	}
}

/* What a region purge does: every unpinned interval. */
static void purge_all(struct vr_set *set, struct vr_pool *pool)
{
	struct vr_range *r = NULL;

	while ((r = vr_set_next_unpurged(set, r))) {
		vr_lru_del(r->batch);
		model_purge(r);
		vr_set_mark_purged(r, pool);
	}
}

static void random_range(u64 pages, u64 *s, u64 *e)
{
	u64 a = rand() % pages, b = rand() % pages;

	if (rand() % 8 == 0) {
		*s = a;
		*e = a + 1;
		return;
	}
	*s = a < b ? a : b;
	*e = (a < b ? b : a) + 1;
}

static int run(unsigned int seed, long steps, u64 pages)
{
	struct vr_set set;
	struct vr_pool pool;
	int start_failures = failures;

	srand(seed);
	memset(model, PINNED, sizeof(model));
	vr_set_init(&set);
	vr_pool_init(&pool);

	for (step = 0; step < steps; step++) {
		u64 s, e;
		int op = rand() % 100;

		random_range(pages, &s, &e);
		if (op < 20) {
			set_unpin(&set, &pool, s, e, &keep);
		} else if (op < 35) {
			struct vr_unpin_mode mode = {
				.purge_class = rand() % 5,
				.whole = rand() % 4 == 0,
				.move = true,
			};

			set_unpin(&set, &pool, s, e, &mode);
		} else if (op < 70) {
			int want = model_pin(s, e), got;
			struct vr_need need = vr_set_pin_need(&set, s, e);
			unsigned long before;

			/* What the pin needs is enough: no spare beyond it. */
			drain_pool(&pool);
			fill_pool(&pool, need);
			before = set.nr_ranges;
			got = vr_set_pin(&set, s, e, &pool);
			expect(got == want, "pin [%llu,%llu) purged %d, model %d",
			       (unsigned long long)s, (unsigned long long)e, got, want);
			expect(need.ranges == (set.nr_ranges > before),
			       "pin [%llu,%llu) needed %lu nodes, the set grew by %ld",
			       (unsigned long long)s, (unsigned long long)e,
			       need.ranges, (long)(set.nr_ranges - before));
		} else if (op < 85) {
			unsigned int want = model_status(s, e);
			unsigned int got = vr_set_status(&set, s, e);

			expect(got == want, "status %u, model %u", got, want);
		} else if (op < 90) {
			purge_oldest(&pool);
		} else if (op < 95) {
			/* Half the time with no spare node: whole interval. */
			if (rand() % 2)
				drain_pool(&pool);
			purge_oldest_chunk(&pool, 1 + rand() % 4);
		} else if (op < 99) {
			u64 p = rand() % pages;

			expect(vr_set_page_purged(&set, p) == (model[p] == PURGED),
			       "page_purged(%llu)", (unsigned long long)p);
		} else {
			purge_all(&set, &pool);
		}
		if (pool.nr_ranges + pool.nr_batches > 8)
			drain_pool(&pool);
		check_invariants(&set, pages, &pool);
		if (failures > start_failures)
			break;
	}
	/* In steps, as a region's release frees a large set. */
	while (vr_set_clear(&set, &pool, 3))
		drain_pool(&pool);
	drain_pool(&pool);
	expect(objects_alive == 0 && lru_len == 0 && !set.nr_ranges,
	       "clear left %ld objects, %ld on the LRU", objects_alive, lru_len);
	return failures == start_failures;
}

/* Batches reach the LRU in the order they were unpinned. */
static int lru_order(void)
{
	struct vr_set set;
	struct vr_pool pool;
	struct vr_batch *b;
	u64 order[] = { 40, 10, 30, 0, 20 };
	int ok = 1, i = 0;

	memset(model, PINNED, sizeof(model));
	vr_set_init(&set);
	vr_pool_init(&pool);
	for (i = 0; i < 5; i++) {
		fill_one(&pool);
		vr_set_unpin(&set, order[i], order[i] + 5, &keep, &pool);
	}
	/* Unpinning an already unpinned range keeps its age. */
	fill_one(&pool);
	vr_set_unpin(&set, 40, 45, &keep, &pool);
	i = 0;
	while (!list_empty(&lru)) {
		b = list_first_entry(&lru, struct vr_batch, lru);
		ok &= vr_batch_first(b)->start == order[i++];
		purge_oldest(&pool);
	}
	ok &= i == 5;
	/* A pin of exactly one purged page reports only that page. */
	fill_one(&pool);
	ok &= vr_set_pin(&set, 12, 13, &pool) == 1;
	vr_set_clear(&set, &pool, ~0UL);
	drain_pool(&pool);
	return ok;
}

/* Both halves of an interval split by a pin keep their unpin age. */
static int split_keeps_age(void)
{
	struct vr_set set;
	struct vr_pool pool;
	int ok = 1;

	memset(model, PINNED, sizeof(model));
	vr_set_init(&set);
	vr_pool_init(&pool);
	fill_one(&pool);
	vr_set_unpin(&set, 0, 10, &keep, &pool);	/* oldest */
	fill_one(&pool);
	vr_set_unpin(&set, 20, 30, &keep, &pool);
	fill_one(&pool);
	ok &= vr_set_pin(&set, 4, 6, &pool) == 0;
	purge_oldest(&pool);
	ok &= vr_set_status(&set, 0, 4) == (VR_UNPINNED | VR_PURGED);
	ok &= vr_set_status(&set, 6, 10) == (VR_UNPINNED | VR_PURGED);
	ok &= vr_set_status(&set, 20, 30) == VR_UNPINNED;
	vr_set_clear(&set, &pool, ~0UL);
	drain_pool(&pool);
	return ok;
}

/* Pin reports purge page-exactly, not for the whole overlapped range. */
static int exact_report(void)
{
	struct vr_set set;
	struct vr_pool pool;
	int ok = 1;

	memset(model, PINNED, sizeof(model));
	vr_set_init(&set);
	vr_pool_init(&pool);
	fill_one(&pool);
	vr_set_unpin(&set, 0, 10, &keep, &pool);
	fill_one(&pool);
	vr_set_unpin(&set, 10, 20, &keep, &pool);
	purge_oldest(&pool);			/* pages 0-9 */
	fill_one(&pool);
	ok &= vr_set_pin(&set, 10, 20, &pool) == 0;
	fill_one(&pool);
	ok &= vr_set_pin(&set, 9, 10, &pool) == 1;
	fill_one(&pool);
	ok &= vr_set_pin(&set, 4, 6, &pool) == 1;	/* splits the purged node */
	ok &= set.nr_ranges == 2 && set.purged == 7;
	vr_set_clear(&set, &pool, ~0UL);
	drain_pool(&pool);
	return ok;
}

/*
 * A chunk purge takes pages from the front of the oldest batch, which
 * keeps its place; once a purged head exists the next chunk joins it
 * without a spare node, and without any spare the whole interval goes.
 */
static int chunk_keeps_age(void)
{
	struct vr_set set;
	struct vr_pool pool;
	struct vr_batch *a;
	int ok = 1;

	memset(model, PINNED, sizeof(model));
	vr_set_init(&set);
	vr_pool_init(&pool);
	fill_one(&pool);
	vr_set_unpin(&set, 0, 10, &keep, &pool);
	fill_one(&pool);
	vr_set_unpin(&set, 20, 30, &keep, &pool);
	model_unpin(0, 10, &keep);
	model_unpin(20, 30, &keep);
	a = list_first_entry(&lru, struct vr_batch, lru);
	fill_pool(&pool, (struct vr_need){ .ranges = 1 });
	purge_oldest_chunk(&pool, 3);
	ok &= pool.nr_ranges == 0 && set.purged == 3 && set.unpinned == 17;
	purge_oldest_chunk(&pool, 3);	/* joins the purged head */
	ok &= set.purged == 6 && set.nr_ranges == 3;
	ok &= list_first_entry(&lru, struct vr_batch, lru) == a;
	ok &= vr_set_status(&set, 20, 30) == VR_UNPINNED;
	ok &= vr_set_pin(&set, 6, 7, &pool) == 0;	/* page-exact still */
	model[6] = PINNED;
	purge_oldest_chunk(&pool, 3);	/* no spare, no neighbour: all of it */
	ok &= set.purged == 9 && vr_set_status(&set, 7, 10) ==
		(VR_UNPINNED | VR_PURGED);
	ok &= list_first_entry(&lru, struct vr_batch, lru) != a;
	check_invariants(&set, 30, &pool);
	ok &= failures == 0;
	vr_set_clear(&set, &pool, ~0UL);
	drain_pool(&pool);
	return ok;
}

static struct vr_batch *batch_at(struct vr_set *set, u64 page)
{
	struct vr_range *r = NULL;

	while ((r = vr_set_next_unpurged(set, r)))
		if (r->start <= page && page < r->end)
			return r->batch;
	return NULL;
}

/*
 * A plain unpin leaves unpinned pages where they are; an unpin with a
 * class takes over those of another class or of a whole unit, and a whole
 * unpin takes over all of them, into one batch that a pin only shrinks.
 */
static int class_moves(void)
{
	struct vr_unpin_mode low = { .purge_class = 2, .move = true };
	struct vr_unpin_mode whole = { .purge_class = 1, .whole = true,
				       .move = true };
	struct vr_set set;
	struct vr_pool pool;
	struct vr_batch *a, *b;
	int ok = 1;

	memset(model, PINNED, sizeof(model));
	vr_set_init(&set);
	vr_pool_init(&pool);
	set_unpin(&set, &pool, 0, 10, &keep);
	a = batch_at(&set, 0);
	set_unpin(&set, &pool, 5, 15, &low);	/* takes 5-9 from @a */
	b = batch_at(&set, 5);
	ok &= a != b && batch_at(&set, 4) == a && batch_at(&set, 14) == b;
	ok &= b->purge_class == 2 && a->purge_class == 4 && set.unpinned == 15;
	set_unpin(&set, &pool, 0, 15, &keep);	/* a plain unpin moves nothing */
	ok &= batch_at(&set, 4) == a && batch_at(&set, 9) == b;
	set_unpin(&set, &pool, 0, 15, &low);	/* 0-4 move, 5-14 stay */
	ok &= batch_at(&set, 0) == batch_at(&set, 14) || batch_at(&set, 9) == b;
	ok &= batch_at(&set, 0)->purge_class == 2;
	set_unpin(&set, &pool, 2, 12, &whole);
	ok &= batch_at(&set, 2) == batch_at(&set, 11) &&
	      batch_at(&set, 2)->whole && batch_at(&set, 1) != batch_at(&set, 2);
	fill_pool(&pool, VR_PIN_NEED);
	ok &= vr_set_pin(&set, 6, 7, &pool) == 0;
	model[6] = PINNED;
	ok &= batch_at(&set, 5) == batch_at(&set, 7);	/* still one unit */
	ok &= set.unpinned == 14;
	check_invariants(&set, 20, &pool);
	ok &= failures == 0;
	vr_set_clear(&set, &pool, ~0UL);
	drain_pool(&pool);
	return ok;
}

int main(int argc, char **argv)
{
	long steps = argc > 1 ? atol(argv[1]) : 100000;
	u64 sizes[] = { 1, 7, 64, MAX_PAGES };

	unit_check(lru_order(), "ranges are purged least recently unpinned first");
	unit_check(exact_report(), "pin reports purge page-exactly");
	unit_check(split_keeps_age(), "both halves of a split range keep their unpin age");
	unit_check(chunk_keeps_age(), "a chunk purge keeps the batch's age and place");
	unit_check(class_moves(), "an unpin with a class takes over other units' pages");
	for (unsigned int i = 0; i < 4; i++)
		unit_check(run(1000 + i, steps, sizes[i]),
			   "%ld random steps on %llu pages match the page model",
			   steps, (unsigned long long)sizes[i]);
	return unit_done();
}
