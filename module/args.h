/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Checks of user arguments, kept free of kernel-only code so that
 * tests/unit can build them in userspace.
 */
#ifndef VRANGE_ARGS_H
#define VRANGE_ARGS_H

#include <linux/types.h>

/* Largest region: far below MAX_LFS_FILESIZE, so page maths cannot wrap. */
#define VR_MAX_SIZE	(64ULL << 40)	/* 64 TiB */

int vr_check_size(u64 size);
int vr_check_name(const char *name, long len);
int vr_range_to_pages(u64 offset, u64 len, u64 size, u64 *start, u64 *end);
u64 vr_size_to_pages(u64 size);
long vr_ioctl_count(long count);

struct vrange_unpin_args;
struct vr_unpin_mode;
int vr_check_unpin_args(const struct vrange_unpin_args *args,
			struct vr_unpin_mode *mode);

#endif /* VRANGE_ARGS_H */
