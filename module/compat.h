/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the supported kernels lives here, decided by the
 * build-time probes in compat/probes/ (results in compat/probed.h, made by
 * scripts/probe.sh).  The rest of the module reads like upstream code.
 */
#ifndef VRANGE_COMPAT_H
#define VRANGE_COMPAT_H

#include <linux/fs.h>
#include <linux/list_lru.h>
#include <linux/mm.h>
#include <linux/shrinker.h>

#include "compat/probed.h"

/* 6.8 gave list_lru_add/del a node and memcg; the old form is _obj. */
static inline bool vrange_list_lru_add(struct list_lru *lru,
				       struct list_head *item)
{
#ifdef HAVE_LIST_LRU_ADD_OBJ
	return list_lru_add_obj(lru, item);
#else
	return list_lru_add(lru, item);
#endif
}

static inline bool vrange_list_lru_del(struct list_lru *lru,
				       struct list_head *item)
{
#ifdef HAVE_LIST_LRU_ADD_OBJ
	return list_lru_del_obj(lru, item);
#else
	return list_lru_del(lru, item);
#endif
}

/* 6.13 dropped the spinlock argument of list_lru walk callbacks. */
#ifdef HAVE_LIST_LRU_WALK_CB_LOCK
#define VRANGE_LRU_WALK_LOCK_ARG	spinlock_t *lru_lock,
#else
#define VRANGE_LRU_WALK_LOCK_ARG
#endif

/* vma_set_file() is exported from 5.11. */
static inline void vrange_vma_set_file(struct vm_area_struct *vma,
				       struct file *file)
{
#ifdef HAVE_VMA_SET_FILE
	vma_set_file(vma, file);
#else
	struct file *old = vma->vm_file;

	vma->vm_file = get_file(file);
	fput(old);
#endif
}

/* compat.c: the shrinker API changed in 6.0 and again in 6.7. */
typedef unsigned long (*vrange_shrink_fn)(struct shrinker *shrinker,
					 struct shrink_control *sc);

struct shrinker *vrange_shrinker_create(const char *name,
					vrange_shrink_fn count,
					vrange_shrink_fn scan, int seeks);
void vrange_shrinker_destroy(struct shrinker *shrinker);

#endif /* VRANGE_COMPAT_H */
