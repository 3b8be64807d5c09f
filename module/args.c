// SPDX-License-Identifier: GPL-2.0
/*
 * Argument checks for the vrange ioctls; see args.h.
 */
#include <linux/errno.h>
#include <linux/limits.h>
#include <linux/mm.h>

#include "args.h"
#include "rangeset.h"
#include "../include/uapi/linux/vrange.h"

int vr_check_size(u64 size)
{
	return size && size <= VR_MAX_SIZE ? 0 : -EINVAL;
}

/*
 * @len is what strncpy_from_user() returned for a buffer of
 * VRANGE_NAME_LEN bytes: a full buffer means the name has no terminator.
 * A '/' would make the name in /proc/PID/maps lie about its path.
 */
int vr_check_name(const char *name, long len)
{
	long i;

	if (len <= 0 || len >= VRANGE_NAME_LEN)
		return -EINVAL;
	for (i = 0; i < len; i++)
		if (name[i] == '/')
			return -EINVAL;
	return 0;
}

u64 vr_size_to_pages(u64 size)
{
	return (size + PAGE_SIZE - 1) >> PAGE_SHIFT;
}

/*
 * Turn a user range in bytes into pages [*start, *end) of a region of @size
 * bytes.  Both must be page aligned, len 0 means "to the end", and the range
 * must be non-empty and inside the page-aligned size.
 */
int vr_range_to_pages(u64 offset, u64 len, u64 size, u64 *start, u64 *end)
{
	u64 limit = vr_size_to_pages(size) << PAGE_SHIFT;

	if ((offset | len) & (PAGE_SIZE - 1))
		return -EINVAL;
	if (offset >= limit)
		return -EINVAL;
	if (!len)
		len = limit - offset;
	if (len > limit - offset)
		return -EINVAL;
	*start = offset >> PAGE_SHIFT;
	*end = (offset + len) >> PAGE_SHIFT;
	return 0;
}

/*
 * ioctl(2) returns an int to userspace, and a region may hold 2^34 pages:
 * a page count above INT_MAX saturates instead of being cut to a small or
 * negative number (a negative one looks like an error with a stale errno).
 * Errors pass through.
 */
long vr_ioctl_count(long count)
{
	return count > INT_MAX ? INT_MAX : count;
}

/*
 * VRANGE_UNPIN_CLASS's class and flags, as the unpin mode they ask for.
 * Unknown flags and non-zero reserved words are refused, so that they can
 * mean something later.
 */
int vr_check_unpin_args(const struct vrange_unpin_args *args,
			struct vr_unpin_mode *mode)
{
	if (args->purge_class >= VRANGE_NR_CLASSES)
		return -EINVAL;
	if (args->flags & ~VRANGE_UNPIN_FLAGS)
		return -EINVAL;
	if (args->reserved[0] || args->reserved[1])
		return -EINVAL;
	mode->purge_class = args->purge_class;
	mode->whole = args->flags & VRANGE_UNPIN_WHOLE;
	mode->move = true;
	return 0;
}
