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
 *
 * VRANGE_UNPIN_CLASS unpins with a purge class: reclaim purges the lowest
 * class first, oldest first within a class, and goes on to the next class
 * in the same call when a class runs out.  VRANGE_CLASS_OBSOLETE is purged
 * whenever reclaim calls vrange at all, before any other class and however
 * little memory it needs.  VRANGE_UNPIN is VRANGE_UNPIN_CLASS with
 * VRANGE_CLASS_NORMAL and no flags, except that it never moves pages that
 * are already unpinned; VRANGE_UNPIN_CLASS moves the unpinned pages of its
 * range to its class (and its unit, with VRANGE_UNPIN_WHOLE) unless they
 * are in that class already.  With VRANGE_UNPIN_WHOLE the range's unpinned
 * pages are purged as one unit: all of them or none.
 *
 * A region opened without write access (O_RDONLY; every descriptor of a
 * region shares that one open file) may be sized, named, queried (GET_*,
 * poll) and mapped read-only with MAP_SHARED, but VRANGE_PIN, VRANGE_UNPIN,
 * VRANGE_UNPIN_CLASS, VRANGE_PURGE and VRANGE_PURGE_ALL fail with EBADF:
 * like write(2) they need a writable descriptor, since they discard pages
 * or zero-fill them for every mapper.
 *
 * Unpinned and purged intervals are kernel memory, bounded per user (the
 * region's opener) and system-wide: an unpin that needs nodes past a
 * bound, or a pin that would split an interval there, fails with ENOSPC
 * and changes nothing (see vrange(4), LIMITS).
 *
 * Every purge of a region's pages (reclaim, the OOM path, VRANGE_PURGE,
 * VRANGE_PURGE_ALL) counts in its struct vrange_purge_info and makes
 * poll() report POLLPRI on every descriptor of the region until someone
 * reads VRANGE_GET_PURGE_INFO.
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

/*
 * Purge classes, purged lowest first.  The four below OBSOLETE match
 * Windows' OfferVirtualMemory priorities VeryLow, Low, BelowNormal and
 * Normal.
 */
#define VRANGE_CLASS_OBSOLETE		0	/* at any pressure, first */
#define VRANGE_CLASS_VERY_LOW		1
#define VRANGE_CLASS_LOW		2
#define VRANGE_CLASS_BELOW_NORMAL	3
#define VRANGE_CLASS_NORMAL		4	/* VRANGE_UNPIN, ashmem */
#define VRANGE_NR_CLASSES		5

/* struct vrange_unpin_args flags */
#define VRANGE_UNPIN_WHOLE	0x1	/* purge all of the range or none */
#define VRANGE_UNPIN_FLAGS	VRANGE_UNPIN_WHOLE

struct vrange_unpin_args {
	__u64 offset;		/* as in struct vrange_range */
	__u64 len;
	__u32 purge_class;	/* VRANGE_CLASS_*; "class" is C++ */
	__u32 flags;		/* VRANGE_UNPIN_*; unknown bits: EINVAL */
	__u64 reserved[2];	/* must be zero: EINVAL */
};

/*
 * What was purged from a region; reading it clears POLLPRI.  A purge
 * counts once its pages are freed, a moment after GET_STATUS shows them.
 */
struct vrange_purge_info {
	__u64 purged_pages;	/* pages purged since the region was made */
	__u64 purge_events;	/* purges that took pages from it */
	__u64 seq;		/* system-wide purge number of its last purge; 0: none */
	__u64 reserved[2];	/* zero */
};

/* VRANGE_PIN return values */
#define VRANGE_NOT_PURGED	0
#define VRANGE_WAS_PURGED	1

/* VRANGE_GET_STATUS return bits */
#define VRANGE_STATUS_UNPINNED	0x1	/* some page of the range is unpinned */
#define VRANGE_STATUS_PURGED	0x2	/* some page of the range is purged */

/*
 * Code 0xD7, numbers 0x00-0x1F kept for vrange: no entry of the kernel's
 * Documentation/userspace-api/ioctl/ioctl-number.rst uses 0xD7 (checked
 * up to Linux 7.2).  Before 0.2.0 it was 0xB6, linux/fpga-dfl.h's code.
 */
#define VRANGE_IOC_MAGIC	0xD7

/* Set the size in bytes (> 0); EINVAL once mapped. */
#define VRANGE_SET_SIZE		_IOW(VRANGE_IOC_MAGIC, 1, __u64)
/* Read the size in bytes. */
#define VRANGE_GET_SIZE		_IOR(VRANGE_IOC_MAGIC, 2, __u64)
/* Set the name (NUL-terminated, at most 255 bytes, no '/'); EINVAL once mapped. */
#define VRANGE_SET_NAME		_IOW(VRANGE_IOC_MAGIC, 3, char[VRANGE_NAME_LEN])
/* Read the name; empty until set. */
#define VRANGE_GET_NAME		_IOR(VRANGE_IOC_MAGIC, 4, char[VRANGE_NAME_LEN])
/*
 * Pin a range; returns VRANGE_NOT_PURGED or VRANGE_WAS_PURGED.  ENOSPC: it
 * splits an interval and the bound on interval nodes is reached.
 */
#define VRANGE_PIN		_IOW(VRANGE_IOC_MAGIC, 5, struct vrange_range)
/* Unpin a range; returns 0.  ENOSPC: past the bound on interval nodes. */
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

/* Unpin a range with a purge class and flags; returns 0, or ENOSPC as UNPIN. */
#define VRANGE_UNPIN_CLASS	_IOW(VRANGE_IOC_MAGIC, 10, struct vrange_unpin_args)
/* Read the region's purge counters and clear its POLLPRI condition. */
#define VRANGE_GET_PURGE_INFO	_IOR(VRANGE_IOC_MAGIC, 11, struct vrange_purge_info)

#endif /* _UAPI_LINUX_VRANGE_H */
