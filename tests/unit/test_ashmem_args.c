// SPDX-License-Identifier: GPL-2.0
/* Argument checks of module/ashmem_args.c, in userspace. */
#include <errno.h>

#include "args.h"
#include "ashmem_args.h"
#include "unit.h"

#define PG 4096ULL

static int range(u32 off, u32 len, u64 size, u64 *s, u64 *e)
{
	*s = *e = 0xdead;
	return ashmem_range_to_pages(off, len, size, s, e);
}

int main(void)
{
	u64 s, e;

	unit_check(ashmem_check_prot_mask(7, 7) == 0, "the full mask may be set again");
	unit_check(ashmem_check_prot_mask(7, 1) == 0, "bits may be removed");
	unit_check(ashmem_check_prot_mask(1, 3) == -EINVAL, "a removed bit cannot come back");
	unit_check(ashmem_check_prot_mask(7, 8) == -EINVAL, "a stray bit is EINVAL");
	unit_check(ashmem_check_prot_mask(7, 0) == 0, "the empty mask is allowed");
	unit_check(ashmem_prot_implies_exec(1, 1) == 5, "READ_IMPLIES_EXEC adds EXEC to READ");
	unit_check(ashmem_prot_implies_exec(2, 1) == 2, "READ_IMPLIES_EXEC leaves WRITE alone");
	unit_check(ashmem_prot_implies_exec(1, 0) == 1, "no personality, no EXEC");

	unit_check(ashmem_check_map(0, PG, 7, 3) == -EINVAL, "mmap of an unsized area is EINVAL");
	unit_check(ashmem_check_map(PG + 1, 2 * PG, 7, 3) == 0, "mmap up to the page-aligned size");
	unit_check(ashmem_check_map(PG, 2 * PG, 7, 3) == -EINVAL, "mmap past the size is EINVAL");
	unit_check(ashmem_check_map(PG, PG, 1, 3) == -EPERM, "PROT_WRITE outside the mask is EPERM");
	unit_check(ashmem_check_map(0, PG, 1, 3) == -EINVAL, "size is checked before protection");
	unit_check(ashmem_check_map(PG, PG, 1, 1) == 0, "PROT_READ inside a READ mask");
	unit_check(ashmem_check_map(VR_MAX_SIZE + 1, PG, 7, 3) == -EINVAL,
		   "a size beyond the region limit is EINVAL");
	unit_check(ashmem_check_map(~0ULL, PG, 7, 3) == -EINVAL,
		   "size 2^64-1 does not wrap the page maths");

	unit_check(range(0, 0, 10 * PG, &s, &e) == 0 && s == 0 && e == 10, "len 0 means to the end");
	unit_check(range(PG, 2 * PG, 10 * PG, &s, &e) == 0 && s == 1 && e == 3, "a range in pages");
	unit_check(range(1, PG, 10 * PG, &s, &e) == -EINVAL && s == 0xdead,
		   "misaligned offset is EINVAL and writes nothing");
	unit_check(range(0, 1, 10 * PG, &s, &e) == -EINVAL, "misaligned length is EINVAL");
	unit_check(range(8 * PG, 3 * PG, 10 * PG, &s, &e) == -EINVAL, "past the end is EINVAL");
	unit_check(range(0xfffff000U, 0x2000, 1ULL << 33, &s, &e) == -EINVAL,
		   "offset + len wrapping 32 bits is EINVAL even in a large area");
	unit_check(range(0xfffff000U, 0x1000, 1ULL << 33, &s, &e) == -EINVAL,
		   "offset + len == 2^32 is EINVAL, as on the reference");
	unit_check(range(0xffffe000U, 0x1000, 1ULL << 33, &s, &e) == 0 && e == 0xfffff,
		   "a page ending below 2^32 - 1");
	unit_check(range(0x1000, 0, 1ULL << 33, &s, &e) == 0 && e == (1ULL << 33) / PG,
		   "len 0 reaches past 4 GiB");
	unit_check(range(10 * PG, 0, 10 * PG, &s, &e) == -EINVAL, "an empty range is EINVAL");
	return unit_done();
}
