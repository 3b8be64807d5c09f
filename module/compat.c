// SPDX-License-Identifier: GPL-2.0
/*
 * Out-of-line compatibility helpers; see compat.h.
 */
#include <linux/err.h>

#include "compat.h"

static int vrange_refuse_mmap(struct file *file, struct vm_area_struct *vma)
{
	return -EPERM;
}

#ifdef HAVE_MMAP_PREPARE
static int vrange_refuse_mmap_prepare(struct vm_area_desc *desc)
{
	return -EPERM;
}
#endif

/* The two hooks are exclusive: override the one the table has. */
void vrange_fops_refuse_mmap(struct file_operations *fops)
{
#ifdef HAVE_MMAP_PREPARE
	if (fops->mmap_prepare) {
		fops->mmap_prepare = vrange_refuse_mmap_prepare;
		return;
	}
#endif
	fops->mmap = vrange_refuse_mmap;
}

bool vrange_fops_can_mmap(const struct file_operations *fops)
{
	if (fops->mmap)
		return true;
#if defined(HAVE_COMPAT_SET_DESC_FROM_VMA) || defined(HAVE_COMPAT_VMA_MMAP_FOPS)
	return fops->mmap_prepare;
#else
	return false;
#endif
}

/*
 * Map @file into an existing @vma with @fops' hook, which need not be
 * file->f_op (the backing file's table refuses mmap, see mmap.c).  For an
 * mmap_prepare hook this is what vfs_mmap() does through compat_vma_mmap(),
 * minus its use of file->f_op.
 */
int vrange_fops_mmap(const struct file_operations *fops, struct file *file,
		     struct vm_area_struct *vma)
{
	if (fops->mmap)
		return fops->mmap(file, vma);
#if defined(HAVE_COMPAT_SET_DESC_FROM_VMA)
	if (fops->mmap_prepare) {
		struct vm_area_desc desc;
		int err;

		compat_set_desc_from_vma(&desc, file, vma);
		err = fops->mmap_prepare(&desc);
		if (err)
			return err;
		return __compat_vma_mmap(&desc, vma);
	}
#elif defined(HAVE_COMPAT_VMA_MMAP_FOPS)
	if (fops->mmap_prepare)
		return __compat_vma_mmap(fops, file, vma);
#endif
	return -ENODEV;
}

#define VRANGE_SHRINKER_FLAGS	\
	(SHRINKER_MEMCG_AWARE | SHRINKER_NUMA_AWARE | SHRINKER_NONSLAB)

/* Memcg-aware LRUs that set @shrinker's bit when they gain an item. */
static int vrange_lrus_init(struct list_lru *lrus, unsigned int nr,
			    struct shrinker *shrinker)
{
	unsigned int i;
	int err;

	for (i = 0; i < nr; i++) {
		err = list_lru_init_memcg(&lrus[i], shrinker);
		if (err) {
			while (i--)
				list_lru_destroy(&lrus[i]);
			return err;
		}
	}
	return 0;
}

static void vrange_lrus_destroy(struct list_lru *lrus, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		list_lru_destroy(&lrus[i]);
}

#ifdef HAVE_SHRINKER_ALLOC
/* 6.7+: the LRUs learn the shrinker's id before the shrinker goes live. */
struct shrinker *vrange_shrinker_create(const char *name,
					vrange_shrink_fn count,
					vrange_shrink_fn scan, int seeks,
					struct list_lru *lrus, unsigned int nr)
{
	struct shrinker *shrinker;
	int err;

	shrinker = shrinker_alloc(VRANGE_SHRINKER_FLAGS, "%s", name);
	if (!shrinker)
		return ERR_PTR(-ENOMEM);
	err = vrange_lrus_init(lrus, nr, shrinker);
	if (err) {
		shrinker_free(shrinker);
		return ERR_PTR(err);
	}
	shrinker->count_objects = count;
	shrinker->scan_objects = scan;
	shrinker->seeks = seeks;
	shrinker_register(shrinker);
	return shrinker;
}

void vrange_shrinker_destroy(struct shrinker *shrinker, struct list_lru *lrus,
			     unsigned int nr)
{
	shrinker_free(shrinker);
	vrange_lrus_destroy(lrus, nr);
}
#else
/*
 * Before 6.7 a shrinker gets its memcg id only by registering, and the LRUs
 * need that id, so the shrinker is live before its LRUs exist: reclaim of
 * the root memcg calls every shrinker.  Until the LRUs are ready these
 * wrappers report nothing to free.
 */
static struct shrinker vrange_shrinker_storage;
static vrange_shrink_fn vrange_count_fn, vrange_scan_fn;
static bool vrange_lru_ready;

static unsigned long vrange_guarded_count(struct shrinker *shrinker,
					  struct shrink_control *sc)
{
	/* Pairs with the release once the LRU is initialized. */
	if (!smp_load_acquire(&vrange_lru_ready))
		return 0;
	return vrange_count_fn(shrinker, sc);
}

static unsigned long vrange_guarded_scan(struct shrinker *shrinker,
					 struct shrink_control *sc)
{
	/* Pairs with the release once the LRU is initialized. */
	if (!smp_load_acquire(&vrange_lru_ready))
		return SHRINK_STOP;
	return vrange_scan_fn(shrinker, sc);
}

struct shrinker *vrange_shrinker_create(const char *name,
					vrange_shrink_fn count,
					vrange_shrink_fn scan, int seeks,
					struct list_lru *lrus, unsigned int nr)
{
	struct shrinker *shrinker = &vrange_shrinker_storage;
	int err;

	vrange_count_fn = count;
	vrange_scan_fn = scan;
	shrinker->count_objects = vrange_guarded_count;
	shrinker->scan_objects = vrange_guarded_scan;
	shrinker->seeks = seeks;
	shrinker->flags = VRANGE_SHRINKER_FLAGS;
#ifdef HAVE_REGISTER_SHRINKER_NAME
	err = register_shrinker(shrinker, "%s", name);
#else
	err = register_shrinker(shrinker);
#endif
	if (err)
		return ERR_PTR(err);
	err = vrange_lrus_init(lrus, nr, shrinker);
	if (err) {
		unregister_shrinker(shrinker);
		return ERR_PTR(err);
	}
	/* Publish the initialized LRUs to the guarded count and scan. */
	smp_store_release(&vrange_lru_ready, true);
	return shrinker;
}

/* unregister_shrinker() waits for running calls: then the LRUs can go. */
void vrange_shrinker_destroy(struct shrinker *shrinker, struct list_lru *lrus,
			     unsigned int nr)
{
	unregister_shrinker(shrinker);
	WRITE_ONCE(vrange_lru_ready, false);
	vrange_lrus_destroy(lrus, nr);
}
#endif
