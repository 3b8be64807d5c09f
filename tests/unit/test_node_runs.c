// SPDX-License-Identifier: GPL-2.0
/* Node runs of module/node_runs.c, in userspace. */
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

static int runs_are(const struct vr_node_runs *runs, unsigned int nr,
		    const struct vr_node_run *want)
{
	unsigned int i;

	if (runs->nr != nr)
		return 0;
	for (i = 0; i < nr; i++)
		if (runs->run[i].end != want[i].end ||
		    runs->run[i].nid != want[i].nid)
			return 0;
	return 1;
}

int main(void)
{
	struct vr_node_runs runs;
	unsigned int i;

	vr_node_runs_init(&runs, 10, 100);
	unit_check(runs_are(&runs, 1, (struct vr_node_run[]){ { 100, VR_NO_NODE } }),
		   "no sample: one run on no node");

	vr_node_runs_init(&runs, 10, 100);
	vr_node_runs_note(&runs, 40, 1);
	vr_node_runs_note(&runs, 60, 1);
	unit_check(runs_are(&runs, 1, (struct vr_node_run[]){ { 100, 1 } }),
		   "pages before the first sample go with it; same node: one run");

	vr_node_runs_init(&runs, 0, 1024);
	vr_node_runs_note(&runs, 0, 0);
	vr_node_runs_note(&runs, 512, 1);
	vr_node_runs_note(&runs, 768, 0);
	unit_check(runs_are(&runs, 3, (struct vr_node_run[]){
			{ 512, 0 }, { 768, 1 }, { 1024, 0 } }),
		   "a run per change of node");
	unit_check(vr_node_run_start(&runs, 0) == 0 &&
		   vr_node_run_start(&runs, 2) == 768,
		   "each run starts where the previous one ends");

	vr_node_runs_init(&runs, 0, 1000);
	vr_node_runs_note(&runs, 0, 0);
	vr_node_runs_note(&runs, VR_NO_NODE, 1);
	vr_node_runs_note(&runs, 5, VR_NO_NODE);
	vr_node_runs_note(&runs, 1000, 1);
	unit_check(runs_are(&runs, 1, (struct vr_node_run[]){ { 1000, 0 } }),
		   "no node, or nothing left to cut off: no new run");

	vr_node_runs_init(&runs, 0, 100 * VR_NODE_RUNS_MAX);
	for (i = 0; i < 3 * VR_NODE_RUNS_MAX; i++)
		vr_node_runs_note(&runs, 10 * i, i & 1);
	unit_check(runs.nr == VR_NODE_RUNS_MAX &&
		   runs.run[VR_NODE_RUNS_MAX - 1].end == 100 * VR_NODE_RUNS_MAX,
		   "at most %d runs; the last one takes the rest",
		   VR_NODE_RUNS_MAX);
	for (i = 1; i < runs.nr; i++)
		if (runs.run[i].end <= runs.run[i - 1].end)
			break;
	unit_check(i == runs.nr, "runs stay in address order and non-empty");

	/* The pool: batches carry the node they were allocated for. */
	{
		struct vr_batch b[3] = { { .nid = 0 }, { .nid = 1 }, { .nid = 1 } };
		struct vr_pool pool;

		vr_pool_init(&pool);
		vr_node_runs_init(&runs, 0, 1024);
		unit_check(!vr_pool_covers_runs(&pool, &runs),
			   "an empty pool covers no run");
		vr_pool_put_batch(&pool, &b[0]);
		unit_check(vr_pool_covers_runs(&pool, &runs),
			   "a run on no node takes any batch");
		vr_node_runs_note(&runs, 0, 1);
		vr_node_runs_note(&runs, 512, 0);
		vr_node_runs_note(&runs, 768, 1);
		unit_check(!vr_pool_covers_runs(&pool, &runs),
			   "runs on node 1 need batches for node 1");
		vr_pool_put_batch(&pool, &b[1]);
		unit_check(!vr_pool_covers_runs(&pool, &runs),
			   "two runs on node 1 need two");
		vr_pool_put_batch(&pool, &b[2]);
		unit_check(vr_pool_covers_runs(&pool, &runs),
			   "one batch per run, each on its node");
		vr_pool_batch_first(&pool, 0);
		unit_check(vr_pool_get_batch(&pool) == &b[0],
			   "the batch for the asked node comes first");
		vr_pool_batch_first(&pool, 0);
		vr_pool_batch_first(&pool, VR_NO_NODE);
		unit_check(pool.nr_batches == 2 &&
			   vr_pool_get_batch(&pool)->nid == 1,
			   "no batch for the node, or no node: the pool stays");
	}
	return unit_done();
}
