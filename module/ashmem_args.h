/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Argument checks of the ashmem ABI, kept free of kernel-only code so that
 * tests/unit can build them in userspace.
 */
#ifndef VRANGE_ASHMEM_ARGS_H
#define VRANGE_ASHMEM_ARGS_H

#include <linux/types.h>

/* PROT_READ | PROT_WRITE | PROT_EXEC, the mask of a new area. */
#define ASHMEM_PROT_ALL		0x7UL

int ashmem_check_prot_mask(unsigned long cur, unsigned long prot);
unsigned long ashmem_prot_implies_exec(unsigned long prot, bool rie);
int ashmem_check_map(u64 size, u64 map_len, unsigned long mask,
		     unsigned long prot);
int ashmem_range_to_pages(u32 offset, u32 len, u64 size, u64 *start,
			  u64 *end);

#endif /* VRANGE_ASHMEM_ARGS_H */
