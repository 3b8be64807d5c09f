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

#ifndef HAVE_SHRINKER_ALLOC
static struct shrinker vrange_shrinker_storage;
#endif

struct shrinker *vrange_shrinker_create(const char *name,
					vrange_shrink_fn count,
					vrange_shrink_fn scan, int seeks)
{
	struct shrinker *shrinker;
#ifdef HAVE_SHRINKER_ALLOC
	shrinker = shrinker_alloc(0, "%s", name);
	if (!shrinker)
		return ERR_PTR(-ENOMEM);
	shrinker->count_objects = count;
	shrinker->scan_objects = scan;
	shrinker->seeks = seeks;
	shrinker_register(shrinker);
#else
	int err;

	shrinker = &vrange_shrinker_storage;
	shrinker->count_objects = count;
	shrinker->scan_objects = scan;
	shrinker->seeks = seeks;
#ifdef HAVE_REGISTER_SHRINKER_NAME
	err = register_shrinker(shrinker, "%s", name);
#else
	err = register_shrinker(shrinker);
#endif
	if (err)
		return ERR_PTR(err);
#endif
	return shrinker;
}

void vrange_shrinker_destroy(struct shrinker *shrinker)
{
#ifdef HAVE_SHRINKER_ALLOC
	shrinker_free(shrinker);
#else
	unregister_shrinker(shrinker);
#endif
}
