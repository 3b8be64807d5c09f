// SPDX-License-Identifier: GPL-2.0
/* Purge sizing of module/purge_size.c, in userspace. */
#include <limits.h>

#include "purge_size.h"
#include "unit.h"

/* What pressure.c does with a hierarchy: the tightest level decides. */
static unsigned long tree_need(const struct vr_counter *levels, int n,
			       unsigned long batch)
{
	unsigned long need = 0, v;
	int i;

	for (i = 0; i < n; i++) {
		v = vr_memcg_need(&levels[i], batch);
		need = v > need ? v : need;
	}
	return need;
}

int main(void)
{
	struct vr_counter one = { .usage = 1000, .max = 1024, .high = ULONG_MAX };
	struct vr_counter tree[3] = {
		{ .usage = 100, .max = ULONG_MAX, .high = ULONG_MAX },
		{ .usage = 5000, .max = 5010, .high = ULONG_MAX },
		{ .usage = 9000, .max = ULONG_MAX, .high = ULONG_MAX },
	};
	struct vr_counter over_high = { .usage = 3000, .max = ULONG_MAX, .high = 2000 };
	struct vr_counter full = { .usage = ULONG_MAX - 10, .max = ULONG_MAX,
				   .high = ULONG_MAX };

	unit_check(vr_memcg_need(&one, 64) == 40,
		   "a charge of 64 over 24 free pages needs 40");
	unit_check(vr_memcg_need(&one, 24) == 0,
		   "a charge that fits needs nothing");
	unit_check(tree_need(tree, 3, 64) == 54,
		   "the tightest level of the hierarchy decides");
	unit_check(vr_memcg_need(&over_high, 0) == 1000,
		   "usage above memory.high needs the excess");
	unit_check(vr_memcg_need(&full, 64) == 0,
		   "an unlimited level never needs anything, even near ULONG_MAX");
	unit_check(tree_need(NULL, 0, 64) == 0,
		   "no levels (the root) needs nothing");

	unit_check(vr_wmark_need(1000, 200) == 800, "800 pages short of high");
	unit_check(vr_wmark_need(1000, 1000) == 0, "at the watermark: nothing");
	unit_check(vr_wmark_need(1000, 5000) == 0, "above it: nothing");
	return unit_done();
}
