// SPDX-License-Identifier: GPL-2.0
/*
 * Argument checks for the ashmem ioctls and mmap; see ashmem_args.h.
 */
#include <linux/errno.h>
#include <linux/mm.h>

#include "args.h"
#include "ashmem_args.h"

/* The mask can only lose bits: adding one back, or a stray bit, is EINVAL. */
int ashmem_check_prot_mask(unsigned long cur, unsigned long prot)
{
	return (cur & prot) == prot ? 0 : -EINVAL;
}

/* Under the READ_IMPLIES_EXEC personality PROT_READ carries PROT_EXEC. */
unsigned long ashmem_prot_implies_exec(unsigned long prot, bool rie)
{
	return rie && (prot & 0x1UL) ? prot | 0x4UL : prot;
}

/*
 * mmap checks, in the reference driver's order: an unsized area and a
 * length beyond the page-aligned size are EINVAL, protection outside the
 * mask (@prot: PROT_* bits the mapping asks for) is EPERM.
 */
int ashmem_check_map(u64 size, u64 map_len, unsigned long mask,
		     unsigned long prot)
{
	if (!size || size > VR_MAX_SIZE)
		return -EINVAL;
	if (map_len > vr_size_to_pages(size) << PAGE_SHIFT)
		return -EINVAL;
	if (prot & ASHMEM_PROT_ALL & ~mask)
		return -EPERM;
	return 0;
}

/*
 * struct ashmem_pin to pages [*start, *end) of an area of @size bytes:
 * page aligned, len 0 means "to the end", offset + len must neither wrap
 * 32 bits nor pass the page-aligned size.  An empty range is EINVAL.
 */
int ashmem_range_to_pages(u32 offset, u32 len, u64 size, u64 *start,
			  u64 *end)
{
	if (len && (u64)offset + len > 0xffffffffULL)
		return -EINVAL;
	return vr_range_to_pages(offset, len, size, start, end);
}
