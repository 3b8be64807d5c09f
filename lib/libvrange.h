/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libvrange: purgeable shared memory over /dev/vrange.
 *
 * Every function returning int or long returns a negative errno value on
 * failure (and leaves errno alone); vrange_map() returns NULL and sets
 * errno.  Offsets and lengths are bytes, page aligned; len 0 means "to the
 * end of the region".  See <linux/vrange.h> for the semantics.
 */
#ifndef LIBVRANGE_H
#define LIBVRANGE_H

#include <stddef.h>
#include <stdint.h>

#include <linux/vrange.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Open a new region of @size bytes named @name (NULL: unnamed); an fd. */
int vrange_create(const char *name, uint64_t size);
/*
 * mmap(MAP_SHARED, PROT_READ|PROT_WRITE) the whole region; freezes it.
 * EOVERFLOW (vrange_unmap: -EOVERFLOW) for a region larger than size_t
 * can hold, over 4 GiB in a 32-bit process: never a shorter mapping.
 */
void *vrange_map(int fd);
int vrange_unmap(int fd, void *addr);

/*
 * VRANGE_NOT_PURGED (0) or VRANGE_WAS_PURGED (1) for exactly this range.
 * vrange_unpin(), and a pin that splits an unpinned range, fail with
 * -ENOSPC at the kernel's bound on unpinned ranges (vrange(4), LIMITS),
 * changing nothing.
 */
int vrange_pin(int fd, uint64_t offset, uint64_t len);
int vrange_unpin(int fd, uint64_t offset, uint64_t len);
/* A mask of VRANGE_STATUS_UNPINNED and VRANGE_STATUS_PURGED. */
int vrange_status(int fd, uint64_t offset, uint64_t len);

int vrange_set_size(int fd, uint64_t size);
int vrange_get_size(int fd, uint64_t *size);
int vrange_set_name(int fd, const char *name);
/* @buf must hold VRANGE_NAME_LEN bytes. */
int vrange_get_name(int fd, char *buf);

/*
 * Unpin with a purge class (VRANGE_CLASS_OBSOLETE .. VRANGE_CLASS_NORMAL:
 * reclaim purges the lowest first) and flags (VRANGE_UNPIN_WHOLE: purge all
 * of the range or none).  Already unpinned pages of the range move to this
 * unpin unless they are in @purge_class already; purged pages stay purged.
 * 0, or -EINVAL (class, unknown flag bits, range, or never mapped), -ENOMEM,
 * -ENOSPC (the bound, as vrange_unpin()), -EINTR, -EBADF, -ENOTTY (not a
 * /dev/vrange region).
 */
int vrange_unpin_class(int fd, uint64_t offset, uint64_t len,
		       unsigned int purge_class, unsigned int flags);
/*
 * Read the region's purge counters into @info and clear its POLLPRI
 * condition.  0 (all zero before the first purge or mmap), or -EFAULT,
 * -EBADF, -ENOTTY.
 */
int vrange_get_purge_info(int fd, struct vrange_purge_info *info);
/*
 * Wait up to @timeout_ms (-1: for ever, 0: just look) for a purge of the
 * region not yet read with vrange_get_purge_info(): poll() for POLLPRI.
 * Does not clear the condition.  1 when there was one, 0 on timeout, or
 * -EINTR (a signal), -EBADF, -ENOTTY (@fd is ready for something else:
 * not a /dev/vrange region, or a module without purge notification),
 * -EINVAL, -ENOMEM.
 */
int vrange_wait_purged(int fd, int timeout_ms);

/* Purge this region's unpinned ranges now: pages purged (at most INT_MAX). */
long vrange_purge(int fd);
/* Purge every region (CAP_SYS_ADMIN): pages purged (at most INT_MAX). */
long vrange_purge_all(int fd);

#ifdef __cplusplus
}
#endif

#endif /* LIBVRANGE_H */
