// SPDX-License-Identifier: GPL-2.0
/* Argument checks of module/args.c, in userspace. */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "args.h"
#include "rangeset.h"
#include "unit.h"
#include "../../include/uapi/linux/vrange.h"

#define PG 4096ULL

static int range(u64 off, u64 len, u64 size, u64 *s, u64 *e)
{
	*s = *e = 0xdead;
	return vr_range_to_pages(off, len, size, s, e);
}

static int unpin_args(u32 cls, u32 flags, u64 r0, u64 r1,
		      struct vr_unpin_mode *mode)
{
	struct vrange_unpin_args args = {
		.purge_class = cls, .flags = flags, .reserved = { r0, r1 },
	};

	mode->purge_class = 77;
	mode->whole = false;
	mode->move = false;
	return vr_check_unpin_args(&args, mode);
}

static void test_unpin_args(void)
{
	struct vr_unpin_mode m;
	u32 c;

	for (c = 0; c < VRANGE_NR_CLASSES; c++)
		unit_check(unpin_args(c, 0, 0, 0, &m) == 0 &&
			   m.purge_class == c && !m.whole && m.move,
			   "class %u is accepted, partial, and moves", c);
	unit_check(unpin_args(VRANGE_CLASS_OBSOLETE, VRANGE_UNPIN_WHOLE, 0, 0,
			      &m) == 0 && m.whole,
		   "VRANGE_UNPIN_WHOLE makes a whole unit");
	unit_check(unpin_args(VRANGE_NR_CLASSES, 0, 0, 0, &m) == -EINVAL &&
		   m.purge_class == 77,
		   "class VRANGE_NR_CLASSES is EINVAL and sets nothing");
	unit_check(unpin_args(~0U, 0, 0, 0, &m) == -EINVAL,
		   "class 2^32-1 is EINVAL");
	unit_check(unpin_args(0, 0x2, 0, 0, &m) == -EINVAL && !m.move,
		   "an unknown flag is EINVAL and sets nothing");
	unit_check(unpin_args(0, 0x80000000U | VRANGE_UNPIN_WHOLE, 0, 0,
			      &m) == -EINVAL,
		   "a known flag beside an unknown one is EINVAL");
	unit_check(unpin_args(0, 0, 1, 0, &m) == -EINVAL,
		   "a non-zero first reserved word is EINVAL");
	unit_check(unpin_args(0, 0, 0, 1ULL << 63, &m) == -EINVAL,
		   "a non-zero second reserved word is EINVAL");
}

int main(void)
{
	u64 s, e;
	char name[300];

	unit_check(vr_check_size(0) == -EINVAL, "size 0 is EINVAL");
	unit_check(vr_check_size(1) == 0, "size 1 is accepted");
	unit_check(vr_check_size(VR_MAX_SIZE) == 0, "the largest size is accepted");
	unit_check(vr_check_size(VR_MAX_SIZE + 1) == -EINVAL, "size above the limit is EINVAL");
	unit_check(vr_check_size(~0ULL) == -EINVAL, "size 2^64-1 is EINVAL");

	unit_check(range(0, 0, 10 * PG, &s, &e) == 0 && s == 0 && e == 10,
		   "len 0 means to the end");
	unit_check(range(3 * PG, 0, 10 * PG + 1, &s, &e) == 0 && s == 3 && e == 11,
		   "the end is the page-aligned size");
	unit_check(range(PG, 2 * PG, 10 * PG, &s, &e) == 0 && s == 1 && e == 3,
		   "a range in pages");
	unit_check(range(1, PG, 10 * PG, &s, &e) == -EINVAL && s == 0xdead,
		   "misaligned offset is EINVAL and writes nothing");
	unit_check(range(0, PG + 1, 10 * PG, &s, &e) == -EINVAL,
		   "misaligned length is EINVAL");
	unit_check(range(10 * PG, 0, 10 * PG, &s, &e) == -EINVAL,
		   "offset at the end is EINVAL (empty range)");
	unit_check(range(8 * PG, 3 * PG, 10 * PG, &s, &e) == -EINVAL,
		   "range past the end is EINVAL");
	unit_check(range(PG, ~0ULL - PG + 1, 10 * PG, &s, &e) == -EINVAL,
		   "offset+len wrapping 2^64 is EINVAL");
	unit_check(range(~0ULL - PG + 1, PG, 10 * PG, &s, &e) == -EINVAL,
		   "offset near 2^64 is EINVAL");
	unit_check(range(0, 0, VR_MAX_SIZE, &s, &e) == 0 && e == VR_MAX_SIZE / PG,
		   "the largest region is addressable");

	unit_check(vr_check_name("img", 3) == 0, "a plain name is accepted");
	unit_check(vr_check_name("", 0) == -EINVAL, "an empty name is EINVAL");
	unit_check(vr_check_name("a/b", 3) == -EINVAL, "a name with '/' is EINVAL");
	memset(name, 'x', sizeof(name));
	unit_check(vr_check_name(name, 255) == 0, "a 255-byte name is accepted");
	unit_check(vr_check_name(name, 256) == -EINVAL,
		   "a name without NUL in 256 bytes is EINVAL");
	unit_check(vr_check_name(name, -EFAULT) == -EINVAL,
		   "a copy error is not a name");

	unit_check(vr_ioctl_count(0) == 0 && vr_ioctl_count(6) == 6,
		   "small page counts are returned as they are");
	unit_check(vr_ioctl_count(INT_MAX) == INT_MAX,
		   "INT_MAX pages is returned as it is");
	unit_check(vr_ioctl_count(1L << 31) == INT_MAX,
		   "2^31 pages saturate instead of turning negative");
	unit_check(vr_ioctl_count((1L << 32) + 5) == INT_MAX,
		   "2^32 + 5 pages saturate instead of wrapping to 5");
	unit_check(vr_ioctl_count(VR_MAX_SIZE / PG) == INT_MAX,
		   "the largest region's page count saturates");
	unit_check(vr_ioctl_count(-EINVAL) == -EINVAL, "errors pass through");

	test_unpin_args();
	return unit_done();
}
