/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The Android ashmem ABI, as spoken by vrange's /dev/ashmem node.
 *
 * Each open() of /dev/ashmem creates an area of size 0 named "dev/ashmem".
 * SET_SIZE and SET_PROT_MASK take their value in the ioctl argument itself;
 * GET_SIZE and GET_PROT_MASK return it.  SET_NAME, GET_NAME, PIN, UNPIN,
 * GET_PIN_STATUS and GET_FILE_ID take a pointer.  Sizes are bytes; pin
 * ranges are page aligned bytes, len 0 meaning "to the end".
 */
#ifndef _UAPI_LINUX_ASHMEM_H
#define _UAPI_LINUX_ASHMEM_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define ASHMEM_NAME_LEN		256
#define ASHMEM_NAME_DEF		"dev/ashmem"

/* ASHMEM_PIN return values */
#define ASHMEM_NOT_PURGED	0
#define ASHMEM_WAS_PURGED	1

/* ASHMEM_GET_PIN_STATUS return values */
#define ASHMEM_IS_UNPINNED	0
#define ASHMEM_IS_PINNED	1

struct ashmem_pin {
	__u32 offset;	/* offset into the area, in bytes, page aligned */
	__u32 len;	/* length forward from offset, page aligned; 0: to the end */
};

#define __ASHMEMIOC		0x77

#define ASHMEM_SET_NAME		_IOW(__ASHMEMIOC, 1, char[ASHMEM_NAME_LEN])
#define ASHMEM_GET_NAME		_IOR(__ASHMEMIOC, 2, char[ASHMEM_NAME_LEN])
#define ASHMEM_SET_SIZE		_IOW(__ASHMEMIOC, 3, __kernel_size_t)
#define ASHMEM_GET_SIZE		_IO(__ASHMEMIOC, 4)
#define ASHMEM_SET_PROT_MASK	_IOW(__ASHMEMIOC, 5, __kernel_ulong_t)
#define ASHMEM_GET_PROT_MASK	_IO(__ASHMEMIOC, 6)
#define ASHMEM_PIN		_IOW(__ASHMEMIOC, 7, struct ashmem_pin)
#define ASHMEM_UNPIN		_IOW(__ASHMEMIOC, 8, struct ashmem_pin)
/* Declared without a size, yet reads a struct ashmem_pin * argument. */
#define ASHMEM_GET_PIN_STATUS	_IO(__ASHMEMIOC, 9)
#define ASHMEM_PURGE_ALL_CACHES	_IO(__ASHMEMIOC, 10)
/* Android kernels only (not in the staging driver): backing inode number. */
#define ASHMEM_GET_FILE_ID	_IOR(__ASHMEMIOC, 11, __kernel_ulong_t)

#endif /* _UAPI_LINUX_ASHMEM_H */
