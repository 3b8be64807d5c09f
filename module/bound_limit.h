/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The bound on the interval nodes and batches vrange allocates, as plain
 * arithmetic so that tests/unit can build it in userspace.  A node is
 * either object; both are charged at VR_NODE_COST bytes, at least their
 * slab size, so a bound of a share of RAM holds at most that share.
 */
#ifndef VRANGE_BOUND_LIMIT_H
#define VRANGE_BOUND_LIMIT_H

#include <linux/types.h>

#define VR_NODE_COST		128
/* Per user: 1/32 of RAM; for the whole system: 1/8. */
#define VR_USER_SHARE_SHIFT	5
#define VR_SYSTEM_SHARE_SHIFT	3
/* A small machine still takes thousands of unpinned ranges per user. */
#define VR_MIN_LIMIT		16384UL

/* Nodes that 1/2^@share_shift of @ram_pages pages of 2^@page_shift bytes hold. */
unsigned long vr_limit_default(unsigned long ram_pages,
			       unsigned int page_shift,
			       unsigned int share_shift);

/* The limit in effect: @param if set, else @def. */
static inline unsigned long vr_limit(unsigned long param, unsigned long def)
{
	return param ? param : def;
}

/* May a counter that is now @used (with the charge) stay, under @limit? */
static inline bool vr_limit_fits(long used, unsigned long limit)
{
	return used >= 0 && (unsigned long)used <= limit;
}

#endif /* VRANGE_BOUND_LIMIT_H */
