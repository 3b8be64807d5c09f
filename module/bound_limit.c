// SPDX-License-Identifier: GPL-2.0
/*
 * Default bounds scaled to RAM, as epoll's max_user_watches is; see
 * bound_limit.h.
 */
#include "bound_limit.h"

unsigned long vr_limit_default(unsigned long ram_pages,
			       unsigned int page_shift,
			       unsigned int share_shift)
{
	/* Per page first: ram_pages << page_shift overflows on 32-bit. */
	unsigned long per_page = (1UL << page_shift) / VR_NODE_COST;
	unsigned long share = ram_pages >> share_shift;
	unsigned long nodes;

	if (share > ~0UL / per_page)
		return ~0UL / 2;
	nodes = share * per_page;
	/* A counter is a long: keep the limit where it can compare. */
	if (nodes > ~0UL / 2)
		nodes = ~0UL / 2;
	return nodes > VR_MIN_LIMIT ? nodes : VR_MIN_LIMIT;
}
