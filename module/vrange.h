/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vrange internals shared by the files of the module.
 *
 * Lock order: mmap_lock (or the per-VMA lock) -> region->lock ->
 * i_mmap_rwsem -> folio locks; the LRU spinlock and region->purge_lock
 * nest inside region->lock, and the shrinker only ever trylocks
 * region->lock.
 */
#ifndef VRANGE_H
#define VRANGE_H

#include <linux/atomic.h>
#include <linux/fs.h>
#include <linux/kref.h>
#include <linux/rwsem.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "../include/uapi/linux/vrange.h"
#include "compat.h"
#include "node_runs.h"
#include "rangeset.h"

struct vrange_region {
	struct kref ref;		/* open files + VMAs */
	u64 id;				/* unique; fdinfo and tracepoints */
	/*
	 * Guards everything below.  Faults hold it shared from the purged
	 * check until shmem has filled the page, purges hold it exclusive:
	 * that is what keeps a racing fault from refilling a purged page.
	 */
	struct rw_semaphore lock;
	struct vr_set set;
	struct vr_pool pool;		/* spare range nodes */
	struct vrange_user *user;	/* the opener: charged for the nodes */
	struct work_struct free_work;	/* frees a large set once unused */
	u64 size;			/* bytes; frozen once backing exists */
	struct file *backing;		/* shmem file, made by the first mmap */
	struct list_head node;		/* on vrange_regions */
	char name[VRANGE_NAME_LEN];
	/* backing's nrpages as of the last fold into resident_pages */
	unsigned long resident_seen;
	/* Set before the region is published; see ashmem.c. */
	bool ashmem;			/* made by /dev/ashmem: its ABI rules */
	unsigned long prot_mask;	/* ashmem: PROT_* a mapping may have */
	/*
	 * Chunks marked purged whose pages a reclaimer is still freeing with
	 * region->lock dropped.  Pins and faults of such pages, and purges
	 * of the whole region, wait on purge_wq until they are gone.
	 */
	spinlock_t purge_lock;
	struct list_head purges;
	u64 purge_seq;			/* chunks started; under both locks */
	wait_queue_head_t purge_wq;
	/*
	 * What purges took from the region, for VRANGE_GET_PURGE_INFO and
	 * poll(): under purge_lock.  POLLPRI is up while purge_events
	 * differs from what the last GET_PURGE_INFO read.
	 */
	u64 purged_total;		/* pages */
	u64 purge_events;
	u64 purge_events_read;
	u64 last_purge;			/* vrange_purge_number at the last one */
	wait_queue_head_t poll_wq;
};

/* Why pages were purged: the reason of the vrange_purge tracepoint. */
enum vrange_purge_reason {
	VRANGE_REASON_SHRINKER,
	VRANGE_REASON_PURGE,		/* VRANGE_PURGE */
	VRANGE_REASON_PURGE_ALL,	/* VRANGE_PURGE_ALL, ashmem's too */
	VRANGE_REASON_OOM,		/* the OOM notifier */
};

/* A chunk being purged: on region->purges while its pages are freed. */
struct vrange_purge {
	struct list_head node;
	u64 start, end;		/* pages */
	u64 seq;
};

struct vrange_stats {
	atomic_long_t regions;
	atomic64_t mapped_bytes;
	atomic_long_t resident_pages;	/* see vrange_region_sync_resident() */
	atomic_long_t unpinned_pages;
	atomic_long_t purged_pages;
	atomic_long_t purged_pages_total;
	atomic_long_t purge_events;
	atomic_long_t shrinker_scans;
	atomic_long_t oom_purges;	/* OOM notifier calls that purged */
};

extern struct vrange_stats vrange_stats;

/* bound.c */
struct vrange_user;
struct vrange_user *vrange_user_get(void);
void vrange_user_put(struct vrange_user *user);
int vrange_charge(struct vrange_user *user, unsigned long n);
void vrange_uncharge(struct vrange_user *user, unsigned long n);
unsigned long vrange_user_limit(void);
unsigned long vrange_system_limit(void);
long vrange_nodes_used(void);
void vrange_bound_init(void);

/* region.c */
struct vrange_region *vrange_region_create(void);
void vrange_region_get(struct vrange_region *region);
void vrange_region_put(struct vrange_region *region);
int vrange_region_set_size(struct vrange_region *region, u64 size);
int vrange_region_set_name(struct vrange_region *region, const char *name);
void vrange_region_get_name(struct vrange_region *region, char *buf);
int vrange_region_pin(struct vrange_region *region, u64 offset, u64 len);
/* VRANGE_UNPIN and ashmem's unpin: class normal, partial, moving nothing. */
extern const struct vr_unpin_mode vrange_unpin_normal;
int vrange_region_unpin(struct vrange_region *region, u64 offset, u64 len,
			const struct vr_unpin_mode *mode);
int vrange_region_status(struct vrange_region *region, u64 offset, u64 len);
long vrange_region_purge(struct vrange_region *region,
			enum vrange_purge_reason reason);
bool vrange_region_page_purging(struct vrange_region *region, u64 index);
void vrange_region_wait_purge(struct vrange_region *region, u64 start,
			       u64 end);
u64 vrange_region_start_purge(struct vrange_region *region,
			       struct vr_batch *b, u64 max,
			       struct vrange_purge *p);
unsigned long vrange_region_end_purge(struct vrange_region *region,
				      struct vrange_purge *p);
unsigned long vrange_region_purge_whole(struct vrange_region *region,
					struct vr_batch *b,
					enum vrange_purge_reason reason,
					u64 *pages);
void vrange_region_purge_info(struct vrange_region *region,
			      struct vrange_purge_info *info);
void vrange_region_purge_seen(struct vrange_region *region,
			      const struct vrange_purge_info *info);
bool vrange_region_purge_pending(struct vrange_region *region);
unsigned long vrange_purging_pages(void);
bool vrange_purged_within(unsigned long ticks);
void vrange_for_each_region(void (*fn)(struct vrange_region *region,
				       void *arg), void *arg);
long vrange_purge_all(void);
void vrange_region_sync_resident(struct vrange_region *region);
int vrange_region_make_backing(struct vrange_region *region,
			       struct file *(*make)(const char *name, u64 size),
			       u64 end_page);
int vrange_region_init(void);
void vrange_region_flush(void);
void vrange_region_exit(void);

static inline struct vrange_region *vrange_range_region(struct vr_range *r)
{
	return container_of(r->set, struct vrange_region, set);
}

/* Safe under the LRU lock alone: the ranges of @b may be changing. */
static inline struct vrange_region *vrange_batch_region(struct vr_batch *b)
{
	return container_of(b->set, struct vrange_region, set);
}

/* fdinfo.c */
void vrange_region_show(struct vrange_region *region, struct seq_file *m);

/* debugfs.c */
void vrange_debugfs_init(void);
void vrange_debugfs_exit(void);

/* mmap.c */
int vrange_mmap(struct file *file, struct vm_area_struct *vma);
int vrange_mmap_private(struct file *file, struct vm_area_struct *vma);
void vrange_mmap_exit(void);

/* ashmem.c */
int vrange_ashmem_init(void);
void vrange_ashmem_exit(void);

/* shrinker.c */
int vrange_shrinker_init(void);
struct vr_batch *vrange_batch_alloc(struct kmem_cache *cache,
				    struct vr_home home);
void vrange_shrinker_exit(void);

/* pressure.c */
struct mem_cgroup;
unsigned long vrange_memcg_need(struct mem_cgroup *memcg);
unsigned long vrange_node_need(int nid);
bool vrange_node_short(int nid);

/* placement.c */
void vrange_node_runs(struct address_space *mapping, u64 start, u64 end,
		      struct vr_node_runs *runs);
void vrange_node_runs_put(struct vr_node_runs *runs);
u64 vrange_first_resident(struct address_space *mapping, u64 start, u64 end);

/* stats.c */
extern const struct attribute_group *vrange_attr_groups[];

/* dev.c */
int vrange_dev_init(void);
void vrange_dev_exit(void);

#endif /* VRANGE_H */
