// SPDX-License-Identifier: GPL-2.0
/* Runs of pages with one home each (module/node_runs.c), in userspace. */
#include "node_runs.h"
#include "rangeset.h"
#include "unit.h"

/* rangeset.c's LRU hooks: the pool tests below list nothing. */
void vr_lru_add(struct vr_batch *b)
{
	(void)b;
}

void vr_lru_del(struct vr_batch *b)
{
	(void)b;
}

/* Two memory cgroups, only ever compared. */
static char cg_a, cg_b;
#define A	((struct mem_cgroup *)&cg_a)
#define B	((struct mem_cgroup *)&cg_b)
#define HOME(n, m)	((struct vr_home){ .nid = (n), .memcg = (m) })

static int runs_are(const struct vr_node_runs *runs, unsigned int nr,
		    const struct vr_node_run *want)
{
	unsigned int i;

	if (runs->nr != nr)
		return 0;
	for (i = 0; i < nr; i++)
		if (runs->run[i].end != want[i].end ||
		    runs->run[i].home.nid != want[i].home.nid ||
		    runs->run[i].home.memcg != want[i].home.memcg)
			return 0;
	return 1;
}

static void test_runs(void)
{
	struct vr_node_runs runs;
	unsigned int i;
	int kept;

	vr_node_runs_init(&runs, 10, 100);
	unit_check(runs_are(&runs, 1, (struct vr_node_run[]){
			{ 100, HOME(VR_NO_NODE, NULL) } }),
		   "no sample: one run of unknown home");

	vr_node_runs_init(&runs, 10, 100);
	kept = vr_node_runs_note(&runs, 40, HOME(1, A));
	kept += vr_node_runs_note(&runs, 60, HOME(1, A));
	unit_check(runs_are(&runs, 1, (struct vr_node_run[]){ { 100, HOME(1, A) } }) &&
		   kept == 1,
		   "pages before the first sample go with it; same home: one run, one kept");

	vr_node_runs_init(&runs, 0, 1024);
	vr_node_runs_note(&runs, 0, HOME(0, A));
	vr_node_runs_note(&runs, 512, HOME(1, A));
	vr_node_runs_note(&runs, 768, HOME(1, B));
	vr_node_runs_note(&runs, 900, HOME(1, B));
	unit_check(runs_are(&runs, 3, (struct vr_node_run[]){
			{ 512, HOME(0, A) }, { 768, HOME(1, A) }, { 1024, HOME(1, B) } }),
		   "a run per change of node or of memcg");
	unit_check(vr_node_run_start(&runs, 0) == 0 &&
		   vr_node_run_start(&runs, 2) == 768,
		   "each run starts where the previous one ends");

	vr_node_runs_init(&runs, 0, 1000);
	vr_node_runs_note(&runs, 0, HOME(0, NULL));
	kept = vr_node_runs_note(&runs, 0, HOME(1, NULL));
	kept += vr_node_runs_note(&runs, 1000, HOME(1, NULL));
	unit_check(runs_are(&runs, 1, (struct vr_node_run[]){ { 1000, HOME(0, NULL) } }) &&
		   !kept,
		   "no page left to cut off: no new run, nothing kept");

	vr_node_runs_init(&runs, 0, 100 * VR_NODE_RUNS_MAX);
	for (i = 0; i < 3 * VR_NODE_RUNS_MAX; i++)
		vr_node_runs_note(&runs, 10 * i, HOME((int)(i & 1), A));
	unit_check(runs.nr == VR_NODE_RUNS_MAX &&
		   runs.run[VR_NODE_RUNS_MAX - 1].end == 100 * VR_NODE_RUNS_MAX,
		   "at most %d runs; the last one takes the rest",
		   VR_NODE_RUNS_MAX);
	for (i = 1; i < runs.nr; i++)
		if (runs.run[i].end <= runs.run[i - 1].end)
			break;
	unit_check(i == runs.nr, "runs stay in address order and non-empty");
}

static void test_pool(void)
{
	struct vr_batch b[4] = {
		{ .home = HOME(0, A) }, { .home = HOME(1, A) },
		{ .home = HOME(1, A) }, { .home = HOME(1, B) },
	};
	struct vr_node_runs runs;
	struct vr_pool pool;

	vr_pool_init(&pool);
	vr_node_runs_init(&runs, 0, 1024);
	unit_check(!vr_pool_covers_runs(&pool, &runs),
		   "an empty pool covers no run");
	vr_pool_put_batch(&pool, &b[3]);
	unit_check(vr_pool_covers_runs(&pool, &runs),
		   "a run of unknown home takes any batch");
	vr_node_runs_note(&runs, 0, HOME(1, A));
	vr_node_runs_note(&runs, 512, HOME(0, A));
	vr_node_runs_note(&runs, 768, HOME(1, A));
	unit_check(!vr_pool_covers_runs(&pool, &runs),
		   "a batch for another memcg does not fit");
	vr_pool_put_batch(&pool, &b[0]);
	vr_pool_put_batch(&pool, &b[1]);
	unit_check(!vr_pool_covers_runs(&pool, &runs),
		   "two runs at one home need two batches");
	vr_pool_put_batch(&pool, &b[2]);
	unit_check(vr_pool_covers_runs(&pool, &runs) && pool.nr_batches == 4,
		   "one batch per run, each at its home; the pool keeps them");
	vr_pool_batch_first(&pool, HOME(0, A));
	unit_check(vr_pool_get_batch(&pool) == &b[0],
		   "the batch for the asked home comes first");
	vr_pool_batch_first(&pool, HOME(0, B));
	unit_check(pool.nr_batches == 3 &&
		   vr_pool_get_batch(&pool)->home.nid == 1,
		   "no batch for the home: the pool stays as it is");
}

int main(void)
{
	test_runs();
	test_pool();
	return unit_done();
}
