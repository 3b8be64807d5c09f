/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the supported kernels lives here, decided by the
 * build-time probes in compat/probes/ (results in compat/probed.h, made by
 * scripts/probe.sh).  The rest of the module reads like upstream code.
 */
#ifndef VRANGE_COMPAT_H
#define VRANGE_COMPAT_H

/* mm.h first: 5.10's list_lru.h and shrinker.h are not self-contained. */
#include <linux/mm.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/list_lru.h>
#include <linux/memcontrol.h>
#include <linux/sched/mm.h>
#include <linux/shmem_fs.h>
#include <linux/shrinker.h>
#include <linux/slab.h>
#include <linux/swap.h>

#include "compat/probed.h"

/*
 * Each API below has one probe per known form; a kernel matching none of
 * them gets a clear message here instead of a compiler error further down.
 */
#if !defined(HAVE_SHRINKER_ALLOC) && !defined(HAVE_REGISTER_SHRINKER_NAME) && \
	!defined(HAVE_REGISTER_SHRINKER_NONAME)
#error "vrange: unknown shrinker API (see module/compat/probed.h.log)"
#endif
#if !defined(HAVE_LIST_LRU_WALK_CB_LOCK) && !defined(HAVE_LIST_LRU_WALK_CB_NOLOCK)
#error "vrange: unknown list_lru walk callback (see module/compat/probed.h.log)"
#endif

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

/*
 * A list_lru item for any of the memcg-aware LRUs @lrus.  From 5.18 an
 * LRU's list for the allocating memcg is made on demand by
 * kmem_cache_alloc_lru(); adding an item whose memcg has no list would
 * crash.  An item may go on any of the LRUs later, so each gets its list:
 * one allocation each, the spares freed at once (a list, once made, stays
 * until the memcg dies; this is the cost of a new batch, not of an unpin).
 * Before 5.18 every memcg has its lists.
 */
static inline void *vrange_kmem_cache_alloc_lrus(struct kmem_cache *cache,
						 struct list_lru *lrus,
						 unsigned int nr, gfp_t gfp)
{
#ifdef HAVE_KMEM_CACHE_ALLOC_LRU
	unsigned int i;
	void *obj;

	for (i = 1; i < nr; i++) {
		obj = kmem_cache_alloc_lru(cache, &lrus[i], gfp);
		if (!obj)
			return NULL;
		kmem_cache_free(cache, obj);
	}
	return kmem_cache_alloc_lru(cache, &lrus[0], gfp);
#else
	return kmem_cache_alloc(cache, gfp);
#endif
}

/*
 * The memory cgroup a page is charged to, or NULL; the caller holds
 * rcu_read_lock() and a reference on the page.  5.16 went through folios.
 */
static inline struct mem_cgroup *vrange_page_memcg(struct page *page)
{
#if !defined(CONFIG_MEMCG)
	return NULL;
#elif defined(HAVE_FOLIO_MEMCG)
	return folio_memcg(page_folio(page));
#else
	return compound_head(page)->mem_cgroup;
#endif
}

static inline bool vrange_memcg_tryget(struct mem_cgroup *memcg)
{
#ifdef CONFIG_MEMCG
	return css_tryget(&memcg->css);
#else
	return false;
#endif
}

/*
 * Charge the caller's __GFP_ACCOUNT allocations to @memcg until undone.
 * 5.10's set_active_memcg() also serves interrupts through a per-cpu
 * variable it does not export; vrange calls this in process context
 * only, which is the branch that sets current->active_memcg.
 */
static inline struct mem_cgroup *vrange_set_active_memcg(struct mem_cgroup *memcg)
{
#if defined(HAVE_SET_ACTIVE_MEMCG)
	return set_active_memcg(memcg);
#elif defined(CONFIG_MEMCG)
	struct mem_cgroup *old = current->active_memcg;

	WARN_ON_ONCE(in_interrupt());
	current->active_memcg = memcg;
	return old;
#else
	return NULL;
#endif
}

/* 6.13 dropped the spinlock argument of list_lru walk callbacks. */
/*
 * A callback may drop the LRU lock to sleep and return LRU_RETRY.  Up to
 * 6.12 it must take the lock again before returning; from 6.13 the walk
 * retakes it itself when it restarts, so the callback leaves it dropped.
 */
#ifdef HAVE_LIST_LRU_WALK_CB_LOCK
#define VRANGE_LRU_WALK_LOCK_ARG	spinlock_t *lru_lock,
#define vrange_lru_walk_unlock(list)	spin_unlock(lru_lock)
#define vrange_lru_walk_relock(list)	spin_lock(lru_lock)
#else
#define VRANGE_LRU_WALK_LOCK_ARG
#define vrange_lru_walk_unlock(list)	spin_unlock(&(list)->lock)
#define vrange_lru_walk_relock(list)	do { } while (0)
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

/* 6.3 made vma->vm_flags read-only behind vm_flags_set()/_clear(). */
static inline void vrange_vm_flags_set(struct vm_area_struct *vma,
				       vm_flags_t flags)
{
#ifdef HAVE_VM_FLAGS_SET
	vm_flags_set(vma, flags);
#else
	vma->vm_flags |= flags;
#endif
}

static inline void vrange_vm_flags_clear(struct vm_area_struct *vma,
					 vm_flags_t flags)
{
#ifdef HAVE_VM_FLAGS_SET
	vm_flags_clear(vma, flags);
#else
	vma->vm_flags &= ~flags;
#endif
}

/*
 * Credit pages a shrinker freed outside the slab to the running reclaim,
 * so it stops once they cover the shortfall: 6.4 wrapped the field.
 */
static inline void vrange_account_reclaimed(unsigned long pages)
{
#ifdef HAVE_MM_ACCOUNT_RECLAIMED_PAGES
	mm_account_reclaimed_pages(pages);
#else
	if (current->reclaim_state)
		current->reclaim_state->reclaimed_slab += pages;
#endif
}

/* ~7.0: shmem_file_setup() takes vma_flags_t instead of VM_* bits. */
static inline struct file *vrange_shmem_file_setup(const char *name,
						   loff_t size)
{
#ifdef HAVE_SHMEM_FILE_SETUP_VMA_FLAGS
	return shmem_file_setup(name, size, mk_vma_flags(VMA_NORESERVE_BIT));
#else
	return shmem_file_setup(name, size, VM_NORESERVE);
#endif
}

/*
 * compat.c: mapping a file through its own file_operations.  6.16 added
 * f_op->mmap_prepare, and from ~6.19 shmem has only that (f_op->mmap is
 * NULL), so callers go through these instead of f_op->mmap.
 */
bool vrange_fops_can_mmap(const struct file_operations *fops);
int vrange_fops_mmap(const struct file_operations *fops, struct file *file,
		     struct vm_area_struct *vma);
/* Make a copy of a file_operations table refuse mmap with -EPERM. */
void vrange_fops_refuse_mmap(struct file_operations *fops);

/*
 * compat.c: a memcg-aware shrinker and its memcg-aware list_lru, set up and
 * torn down together.  The shrinker API changed in 6.0 and again in 6.7.
 */
typedef unsigned long (*vrange_shrink_fn)(struct shrinker *shrinker,
					 struct shrink_control *sc);

struct shrinker *vrange_shrinker_create(const char *name,
					vrange_shrink_fn count,
					vrange_shrink_fn scan, int seeks,
					struct list_lru *lrus, unsigned int nr);
void vrange_shrinker_destroy(struct shrinker *shrinker, struct list_lru *lrus,
			     unsigned int nr);

#endif /* VRANGE_COMPAT_H */
