/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints of vrange: /sys/kernel/tracing/events/vrange/.
 *
 * A region is named by its id, the vrange_id field of its fdinfo.  Pages
 * are page indexes into the region.  The arguments are read only when an
 * event is enabled; a disabled one costs a static branch.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM vrange

#if !defined(VRANGE_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define VRANGE_TRACE_H

#include <linux/tracepoint.h>

#include "vrange.h"

/* The enum values in the format files, for tools that parse them. */
TRACE_DEFINE_ENUM(VRANGE_REASON_SHRINKER);
TRACE_DEFINE_ENUM(VRANGE_REASON_PURGE);
TRACE_DEFINE_ENUM(VRANGE_REASON_PURGE_ALL);
TRACE_DEFINE_ENUM(VRANGE_REASON_OOM);

#define show_vrange_reason(reason)					\
	__print_symbolic(reason,					\
			 { VRANGE_REASON_SHRINKER,	"shrinker" },	\
			 { VRANGE_REASON_PURGE,		"purge" },	\
			 { VRANGE_REASON_PURGE_ALL,	"purge_all" },	\
			 { VRANGE_REASON_OOM,		"oom" })

TRACE_EVENT(vrange_unpin,
	TP_PROTO(struct vrange_region *region, u64 start, u64 pages,
		 unsigned int batches, const struct vr_unpin_mode *mode),
	TP_ARGS(region, start, pages, batches, mode),

	TP_STRUCT__entry(
		__field(u64, region)
		__field(u64, start)
		__field(u64, pages)
		__field(u64, unpinned)
		__field(unsigned int, batches)
		__field(unsigned int, purge_class)
		__field(bool, whole)
	),

	TP_fast_assign(
		__entry->region = region->id;
		__entry->start = start;
		__entry->pages = pages;
		__entry->unpinned = region->set.unpinned;
		__entry->batches = batches;
		__entry->purge_class = mode->purge_class;
		__entry->whole = mode->whole;
	),

	TP_printk("region=%llu start=%llu pages=%llu unpinned=%llu batches=%u purge_class=%u whole=%d",
		  __entry->region, __entry->start, __entry->pages,
		  __entry->unpinned, __entry->batches, __entry->purge_class,
		  __entry->whole)
);

TRACE_EVENT(vrange_pin,
	TP_PROTO(struct vrange_region *region, u64 start, u64 pages,
		 bool was_purged),
	TP_ARGS(region, start, pages, was_purged),

	TP_STRUCT__entry(
		__field(u64, region)
		__field(u64, start)
		__field(u64, pages)
		__field(u64, unpinned)
		__field(bool, was_purged)
	),

	TP_fast_assign(
		__entry->region = region->id;
		__entry->start = start;
		__entry->pages = pages;
		__entry->unpinned = region->set.unpinned;
		__entry->was_purged = was_purged;
	),

	TP_printk("region=%llu start=%llu pages=%llu unpinned=%llu was_purged=%d",
		  __entry->region, __entry->start, __entry->pages,
		  __entry->unpinned, __entry->was_purged)
);

/*
 * @nid is the node of the batch purged (-1: not known), @memcg the memory
 * cgroup whose reclaim purged it (none for the ioctls and the OOM path).
 */
TRACE_EVENT(vrange_purge,
	TP_PROTO(struct vrange_region *region, u64 start, u64 pages,
		 unsigned long freed, enum vrange_purge_reason reason, int nid,
		 struct mem_cgroup *memcg),
	TP_ARGS(region, start, pages, freed, reason, nid, memcg),

	TP_STRUCT__entry(
		__field(u64, region)
		__field(u64, start)
		__field(u64, pages)
		__field(unsigned long, freed)
		__field(u64, memcg)
		__field(int, reason)
		__field(int, nid)
	),

	TP_fast_assign(
		__entry->region = region->id;
		__entry->start = start;
		__entry->pages = pages;
		__entry->freed = freed;
		__entry->memcg = vrange_memcg_ino(memcg);
		__entry->reason = reason;
		__entry->nid = nid;
	),

	TP_printk("region=%llu start=%llu pages=%llu freed=%lu reason=%s nid=%d memcg=%llu",
		  __entry->region, __entry->start, __entry->pages,
		  __entry->freed, show_vrange_reason(__entry->reason),
		  __entry->nid, __entry->memcg)
);

TRACE_EVENT(vrange_shrink_scan,
	TP_PROTO(struct shrink_control *sc, unsigned long pages,
		 unsigned long freed),
	TP_ARGS(sc, pages, freed),

	TP_STRUCT__entry(
		__field(unsigned long, nr_to_scan)
		__field(unsigned long, pages)
		__field(unsigned long, freed)
		__field(u64, memcg)
		__field(int, nid)
	),

	TP_fast_assign(
		__entry->nr_to_scan = sc->nr_to_scan;
		__entry->pages = pages;
		__entry->freed = freed;
		__entry->memcg = vrange_memcg_ino(sc->memcg);
		__entry->nid = sc->nid;
	),

	TP_printk("nr_to_scan=%lu pages=%lu freed=%lu nid=%d memcg=%llu",
		  __entry->nr_to_scan, __entry->pages, __entry->freed,
		  __entry->nid, __entry->memcg)
);

TRACE_EVENT(vrange_sigbus,
	TP_PROTO(struct vrange_region *region, pgoff_t pgoff,
		 unsigned long address),
	TP_ARGS(region, pgoff, address),

	TP_STRUCT__entry(
		__field(u64, region)
		__field(unsigned long, pgoff)
		__field(unsigned long, address)
	),

	TP_fast_assign(
		__entry->region = region->id;
		__entry->pgoff = pgoff;
		__entry->address = address;
	),

	TP_printk("region=%llu pgoff=%lu address=0x%lx",
		  __entry->region, __entry->pgoff, __entry->address)
);

#endif /* VRANGE_TRACE_H */

/*
 * An out-of-tree module: define_trace.h includes this file again as
 * <TRACE_INCLUDE_PATH/TRACE_INCLUDE_FILE.h>, found through the -I of the
 * one object that defines CREATE_TRACE_POINTS (see Kbuild).
 */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
