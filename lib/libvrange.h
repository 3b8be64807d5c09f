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
/* mmap(MAP_SHARED, PROT_READ|PROT_WRITE) the whole region; freezes it. */
void *vrange_map(int fd);
int vrange_unmap(int fd, void *addr);

/* VRANGE_NOT_PURGED (0) or VRANGE_WAS_PURGED (1) for exactly this range. */
int vrange_pin(int fd, uint64_t offset, uint64_t len);
int vrange_unpin(int fd, uint64_t offset, uint64_t len);
/* A mask of VRANGE_STATUS_UNPINNED and VRANGE_STATUS_PURGED. */
int vrange_status(int fd, uint64_t offset, uint64_t len);

int vrange_set_size(int fd, uint64_t size);
int vrange_get_size(int fd, uint64_t *size);
int vrange_set_name(int fd, const char *name);
/* @buf must hold VRANGE_NAME_LEN bytes. */
int vrange_get_name(int fd, char *buf);

/* Purge this region's unpinned ranges now: pages purged (at most INT_MAX). */
long vrange_purge(int fd);
/* Purge every region (CAP_SYS_ADMIN): pages purged (at most INT_MAX). */
long vrange_purge_all(int fd);

#ifdef __cplusplus
}
#endif

#endif /* LIBVRANGE_H */
