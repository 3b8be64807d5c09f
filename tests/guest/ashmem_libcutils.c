// SPDX-License-Identifier: GPL-2.0
/*
 * ashmem_libcutils: libvrange's libcutils API (cutils/ashmem.h) as Android
 * code uses it, over whichever device it finds (/dev/ashmem, or
 * /dev/vrange when the module runs with ashmem=0).
 */
#include "../../lib/cutils/ashmem.h"
#include "vrange_test.h"

int main(void)
{
	int fd, fallback, r;
	unsigned char *p;
	size_t size;

	vt_init();
	fallback = access("/dev/ashmem", F_OK) != 0;
	diag("libcutils ashmem API over %s", fallback ? "/dev/vrange" : "/dev/ashmem");
	size = 16 * vt_page;
	fd = ashmem_create_region("libcutils/test", size);
	if (!ok(fd >= 0, "ashmem_create_region returns an fd"))
		bail_out("ashmem_create_region: %s", strerror(errno));
	ok(ashmem_valid(fd) == 1, "ashmem_valid(region) is 1");
	ok(ashmem_valid(0) == 0, "ashmem_valid(stdin) is 0");
	ok(ashmem_get_size_region(fd) == (int)size, "ashmem_get_size_region");
	ok(ashmem_pin_region(0, 0, 0) == -1 && errno == ENOTTY,
	   "a non-ashmem fd fails with ENOTTY");
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		bail_out("mmap: %s", strerror(errno));
	memset(p, 0x5a, size);
	ok(ashmem_unpin_region(fd, 0, 4 * vt_page) == 0, "ashmem_unpin_region");
	r = ashmem_pin_region(fd, 0, 4 * vt_page);
	ok(r == ASHMEM_NOT_PURGED, "ashmem_pin_region: ASHMEM_NOT_PURGED (%d)", r);
	ok(ashmem_unpin_region(fd, 0, 0) == 0, "unpin everything (len 0)");
	ok(ashmem_pin_region(fd, 0, 0) == ASHMEM_NOT_PURGED && p[size - 1] == 0x5a,
	   "pin everything, data kept");
	ok(ashmem_pin_region(fd, 1, 0) == -1 && errno == EINVAL,
	   "misaligned pin: -1, EINVAL");
	if (fallback) {
		ok(ashmem_set_prot_region(fd, PROT_READ | PROT_WRITE) == 0,
		   "set_prot_region(RW) is a no-op on /dev/vrange");
		ok(ashmem_set_prot_region(fd, PROT_READ) == -1 && errno == EOPNOTSUPP,
		   "set_prot_region(READ) cannot be enforced on /dev/vrange: EOPNOTSUPP");
	} else {
		ok(ashmem_set_prot_region(fd, PROT_READ) == 0, "ashmem_set_prot_region(READ)");
		ok(mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED &&
		   errno == EPERM, "then a writable mapping is EPERM");
	}
	close(fd);
	fd = ashmem_create_region(NULL, vt_page);
	ok(fd >= 0 && ashmem_get_size_region(fd) == (int)vt_page,
	   "ashmem_create_region(NULL, size)");
	return tap_finish("ashmem_libcutils");
}
