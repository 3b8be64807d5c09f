// SPDX-License-Identifier: GPL-2.0
/*
 * Out-of-line compatibility helpers; see compat.h.
 */
#include <linux/err.h>

#include "compat.h"

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
