/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vrange: purgeable shared memory regions.
 *
 * Each open() of /dev/vrange creates a region of size 0.  Size it with
 * VRANGE_SET_SIZE, optionally name it with VRANGE_SET_NAME, then mmap() it
 * with MAP_SHARED.  Size and name are frozen by the first mmap().
 *
 * All pages start pinned.  VRANGE_UNPIN marks a page-aligned byte range as
 * discardable: without memory pressure it keeps its data, under pressure the
 * kernel may purge it (least recently unpinned first), freeing its pages and
 * unmapping them from every process.  Touching a purged page that is still
 * unpinned raises SIGBUS.  VRANGE_PIN makes a range non-discardable again and
 * returns VRANGE_WAS_PURGED if any page of exactly that range was purged;
 * purged pages then read as zeros.
 *
 * Ranges are struct vrange_range {offset, len} in bytes; both must be page
 * aligned, len 0 means "to the end of the region", and the range must lie
 * within the page-aligned size.  Pin, unpin, status and purge need the region
 * to have been mapped once (EINVAL before).
 */
#ifndef _UAPI_LINUX_VRANGE_H
#define _UAPI_LINUX_VRANGE_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define VRANGE_DEVICE		"/dev/vrange"
#define VRANGE_NAME_LEN		256	/* including the terminating NUL */

struct vrange_range {
	__u64 offset;
	__u64 len;
};

/* VRANGE_PIN return values */
#define VRANGE_NOT_PURGED	0
#define VRANGE_WAS_PURGED	1

/* VRANGE_GET_STATUS return bits */
#define VRANGE_STATUS_UNPINNED	0x1	/* some page of the range is unpinned */
#define VRANGE_STATUS_PURGED	0x2	/* some page of the range is purged */

#define VRANGE_IOC_MAGIC	0xB6

/* Set the size in bytes (> 0); EINVAL once mapped. */
#define VRANGE_SET_SIZE		_IOW(VRANGE_IOC_MAGIC, 1, __u64)
/* Read the size in bytes. */
#define VRANGE_GET_SIZE		_IOR(VRANGE_IOC_MAGIC, 2, __u64)
/* Set the name (NUL-terminated, at most 255 bytes, no '/'); EINVAL once mapped. */
#define VRANGE_SET_NAME		_IOW(VRANGE_IOC_MAGIC, 3, char[VRANGE_NAME_LEN])
/* Read the name; empty until set. */
#define VRANGE_GET_NAME		_IOR(VRANGE_IOC_MAGIC, 4, char[VRANGE_NAME_LEN])
/* Pin a range; returns VRANGE_NOT_PURGED or VRANGE_WAS_PURGED. */
#define VRANGE_PIN		_IOW(VRANGE_IOC_MAGIC, 5, struct vrange_range)
/* Unpin a range; returns 0. */
#define VRANGE_UNPIN		_IOW(VRANGE_IOC_MAGIC, 6, struct vrange_range)
/* Returns a mask of VRANGE_STATUS_* for the range (0: all pinned). */
#define VRANGE_GET_STATUS	_IOW(VRANGE_IOC_MAGIC, 7, struct vrange_range)
/*
 * The two purges return the pages purged, at most INT_MAX: ioctl(2)
 * returns an int.  PURGE: this region's unpinned ranges, now.
 */
#define VRANGE_PURGE		_IO(VRANGE_IOC_MAGIC, 8)
/* PURGE_ALL: every region in the system (CAP_SYS_ADMIN). */
#define VRANGE_PURGE_ALL	_IO(VRANGE_IOC_MAGIC, 9)

#endif /* _UAPI_LINUX_VRANGE_H */
