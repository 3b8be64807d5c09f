// SPDX-License-Identifier: GPL-2.0
/* Default bounds of module/bound_limit.c, in userspace. */
#include <limits.h>

#include "bound_limit.h"
#include "unit.h"

int main(void)
{
	/* The guest: 473 MB MemTotal, 121088 pages of 4 KiB. */
	unsigned long ram = 121088;
	unsigned long user = vr_limit_default(ram, 12, VR_USER_SHARE_SHIFT);
	unsigned long sys = vr_limit_default(ram, 12, VR_SYSTEM_SHARE_SHIFT);

	unit_check(user == (ram >> 5) * 32,
		   "per user: 1/32 of RAM in 128-byte nodes (%lu)", user);
	unit_check((unsigned long long)user * VR_NODE_COST <= ram * 4096ULL / 32,
		   "per user: the nodes cost at most 1/32 of RAM");
	unit_check(sys == 4 * user, "the system bound is 4 users' (%lu)", sys);
	unit_check(vr_limit_default(1024, 12, VR_USER_SHARE_SHIFT) ==
		   VR_MIN_LIMIT, "a 4 MB machine still gets the floor");
	unit_check(vr_limit_default(ULONG_MAX, 12, 0) == ULONG_MAX / 2,
		   "no overflow: the limit saturates where a long compares");
	unit_check(vr_limit_default(ram, 16, VR_USER_SHARE_SHIFT) ==
		   (ram >> 5) * 512, "64 KiB pages hold 512 nodes each");
	unit_check(vr_limit(0, 7) == 7, "0 means the default");
	unit_check(vr_limit(5, 7) == 5, "a parameter overrides the default");
	unit_check(vr_limit_fits(10, 10), "a count at the limit fits");
	unit_check(!vr_limit_fits(11, 10), "one past the limit does not");
	unit_check(!vr_limit_fits(-1, 10), "a negative count is a bug: no fit");
	return unit_done();
}
