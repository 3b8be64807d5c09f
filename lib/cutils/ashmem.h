/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The libcutils ashmem API (Android's <cutils/ashmem.h>), over the
 * /dev/ashmem<boot_id> name current libcutils opens (our udev rule, or
 * Android's ueventd, makes it), vrange's /dev/ashmem node, or, without
 * either, over /dev/vrange.  Part of libvrange (-lvrange).
 *
 * Same signatures and return conventions as Android: -1 and errno on
 * failure; ashmem_create_region() returns an fd (a NULL name is "none",
 * as libcutils names it); ashmem_pin_region() returns ASHMEM_NOT_PURGED
 * or ASHMEM_WAS_PURGED; ashmem_valid() 1 or 0; ashmem_get_size_region()
 * the size, or -1 and EOVERFLOW from 2 GiB up (Android returns it cut to
 * an int).  An fd that is not an ashmem or vrange region fails with
 * ENOTTY (Android aborts instead).
 *
 * errno: a call that succeeds leaves it alone.  ashmem_valid() returning
 * 0 sets it to ENOTTY (EBADF if fd is not open).  If no device node opens,
 * ashmem_create_region() sets the first error other than ENOENT met on
 * the way, else ENOENT.
 */
#ifndef _CUTILS_ASHMEM_H
#define _CUTILS_ASHMEM_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

int ashmem_valid(int fd);
int ashmem_create_region(const char *name, size_t size);
int ashmem_set_prot_region(int fd, int prot);
int ashmem_pin_region(int fd, size_t offset, size_t len);
int ashmem_unpin_region(int fd, size_t offset, size_t len);
int ashmem_get_size_region(int fd);

#ifdef __cplusplus
}
#endif

#ifndef __ASHMEMIOC	/* <linux/ashmem.h> defines these too */
#define ASHMEM_NAME_LEN		256
#define ASHMEM_NAME_DEF		"dev/ashmem"
#define ASHMEM_NOT_PURGED	0
#define ASHMEM_WAS_PURGED	1
#define ASHMEM_IS_UNPINNED	0
#define ASHMEM_IS_PINNED	1
#endif

#endif /* _CUTILS_ASHMEM_H */
