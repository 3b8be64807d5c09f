// SPDX-License-Identifier: GPL-2.0
/*
 * libvrange_sizes: 64-bit sizes and offsets through libvrange and the
 * ioctls, built 64- and 32-bit (libvrange_sizes32).  A 32-bit process
 * reaches the kernel through compat_ioctl: the __u64 fields of the
 * VRANGE_* ioctls must come through whole.  A size the process cannot
 * map or return must fail with EOVERFLOW, never be cut to its low bits:
 * vrange_map() of a region over 4 GiB in a 32-bit process,
 * ashmem_get_size_region() (an int) of an area of 2 GiB or more.
 */
#include "../../lib/cutils/ashmem.h"
#include "../../lib/libvrange.h"
#include "vrange_test.h"

#define GIB	(1ULL << 30)

/* Unpinned just above 4 GiB: the kernel must see the offset whole. */
static void offsets_above_4g(int fd, uint64_t size)
{
	uint64_t high = 4 * GIB, len = 16 * vt_page;
	void *p;

	/* Unpin needs a mapped region: map its first pages only. */
	p = mmap(NULL, vt_page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (!ok(p != MAP_FAILED, "mmap the first page of the region"))
		return;
	ok(vrange_unpin(fd, high, len) == 0, "unpin %#llx + %#llx",
	   (unsigned long long)high, (unsigned long long)len);
	ok(vrange_status(fd, high, len) == VRANGE_STATUS_UNPINNED,
	   "status there: unpinned");
	ok(vrange_status(fd, 0, len) == 0,
	   "status at offset 0: pinned (the offset was not cut to 32 bits)");
	ok(vrange_unpin(fd, size - vt_page, vt_page) == 0 &&
	   vrange_pin(fd, size - vt_page, 0) == VRANGE_NOT_PURGED,
	   "unpin and pin the last page (len 0: to the end)");
	ok(vrange_pin(fd, size, vt_page) == -EINVAL,
	   "a range past the end: -EINVAL");
	munmap(p, vt_page);
}

static void region_over_4g(void)
{
	uint64_t size = 4 * GIB + 16 * vt_page, got = 0;
	void *p;
	int fd, r;

	fd = vrange_create("sizes", size);
	if (!ok(fd >= 0, "vrange_create of 4 GiB + 16 pages (%s)",
		strerror(fd < 0 ? -fd : 0)))
		return;
	ok(vrange_get_size(fd, &got) == 0 && got == size,
	   "vrange_get_size returns it whole (%#llx)", (unsigned long long)got);
	errno = 0;
	p = vrange_map(fd);
	if (sizeof(size_t) < sizeof(uint64_t)) {
		ok(!p && errno == EOVERFLOW,
		   "vrange_map in a 32-bit process: NULL, EOVERFLOW (%p, %s)",
		   p, strerror(errno));
		r = vrange_unmap(fd, p ? p : (void *)(uintptr_t)vt_page);
		ok(r == -EOVERFLOW, "vrange_unmap: -EOVERFLOW (%d)", r);
		if (p)
			munmap(p, (size_t)size);
	} else {
		ok(p != NULL, "vrange_map maps it whole (%s)", strerror(errno));
		if (p) {
			*((volatile char *)p + size - 1) = 1;
			ok(vrange_unmap(fd, p) == 0, "vrange_unmap");
		}
	}
	offsets_above_4g(fd, size);
	close(fd);
}

/* ashmem_get_size_region() returns an int. */
static void area_of(uint64_t size, int want)
{
	int fd, r, e;

	if ((size_t)size != size) {
		skip("size_t is 32 bits", "ashmem area of %#llx",
		     (unsigned long long)size);
		return;
	}
	fd = ashmem_create_region("sizes", size);
	if (!ok(fd >= 0, "ashmem_create_region of %#llx (%s)",
		(unsigned long long)size, strerror(errno)))
		return;
	errno = 0;
	r = ashmem_get_size_region(fd);
	e = errno;
	if (want < 0)
		ok(r == -1 && e == EOVERFLOW,
		   "ashmem_get_size_region of %#llx: -1, EOVERFLOW (%d, %s)",
		   (unsigned long long)size, r, strerror(e));
	else
		ok(r == want, "ashmem_get_size_region of %#llx: %d",
		   (unsigned long long)size, r);
	close(fd);
}

int main(void)
{
	vt_init();
	diag("%d-bit, libcutils over %s", (int)sizeof(long) * 8,
	     access("/dev/ashmem", F_OK) ? "/dev/vrange" : "/dev/ashmem");
	region_over_4g();
	area_of(INT_MAX + 1ULL - vt_page, INT_MAX - (int)vt_page + 1);
	area_of(INT_MAX + 1ULL, -1);
	area_of(3 * GIB, -1);
	area_of(5 * GIB, -1);
	return tap_finish("libvrange_sizes");
}
