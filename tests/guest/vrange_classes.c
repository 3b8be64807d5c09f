// SPDX-License-Identifier: GPL-2.0
/*
 * vrange_classes: VRANGE_UNPIN_CLASS, VRANGE_GET_PURGE_INFO and poll(),
 * by ioctl alone: no memory pressure (vrange_classes_pressure has the
 * reclaim order).
 *
 * Bad classes, flag bits, reserved words, ranges and pointers fail with
 * the right errno and change nothing (status page by page, purge info,
 * fdinfo); a class unpin pins back NOT_PURGED with its data; re-unpins
 * never list a page twice and never revive a purged page; PURGE purges
 * whole and class unpins page by page; the purge counters and their
 * sequence numbers; POLLPRI with poll, select and epoll (EPOLLET once),
 * none without a purge, cleared by GET_PURGE_INFO on any descriptor,
 * raised by PURGE and by PURGE_ALL from other processes, waking blocked
 * threads, across fork and SCM_RIGHTS; the libvrange wrappers.
 *
 * Children report through shared memory or their exit status; only the
 * parent prints TAP lines.
 */
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <sys/epoll.h>
#include <sys/select.h>

#include "libvrange.h"
#include "vrange_test.h"

#define MAXPG		64
#define WAKE_BOUND	1.0	/* seconds from a purge to the poller's wake-up */
#define LONG_WAIT_MS	10000

/* GET_PURGE_INFO into a buffer filled with junk first: 0 or -1. */
static int purge_info(int fd, struct vrange_purge_info *pi)
{
	memset(pi, 0xa5, sizeof(*pi));
	return ioctl(fd, VRANGE_GET_PURGE_INFO, pi);
}

static bool info_is(const struct vrange_purge_info *pi, uint64_t pages,
		    uint64_t events)
{
	return pi->purged_pages == pages && pi->purge_events == events &&
	       !pi->reserved[0] && !pi->reserved[1];
}

static void diag_info(const char *who, const struct vrange_purge_info *pi)
{
	diag("%s: purged_pages %llu purge_events %llu seq %llu reserved %llx %llx",
	     who, (unsigned long long)pi->purged_pages,
	     (unsigned long long)pi->purge_events,
	     (unsigned long long)pi->seq,
	     (unsigned long long)pi->reserved[0],
	     (unsigned long long)pi->reserved[1]);
}

/* poll() one fd: its revents, 0 on timeout, -1 on error. */
static int poll_one(int fd, short events, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = events };
	int r = poll(&p, 1, timeout_ms);

	return r <= 0 ? r : p.revents;
}

#define POLL_ALL	(POLLIN | POLLOUT | POLLPRI)

/* epoll_wait() for one event: its events, 0 on timeout, -1 on error. */
static int epoll_one(int ep, int timeout_ms)
{
	struct epoll_event ev;
	int r = epoll_wait(ep, &ev, 1, timeout_ms);

	return r <= 0 ? r : (int)ev.events;
}

/* An epoll set watching @fd for @events (the checks fail on -1). */
static int epoll_for(int fd, uint32_t events)
{
	struct epoll_event ev = { .events = events };
	int ep = epoll_create1(EPOLL_CLOEXEC);

	if (ep < 0)
		bail_out("epoll_create1: %s", strerror(errno));
	if (!epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev))
		return ep;
	diag("epoll_ctl ADD of fd %d: %s", fd, strerror(errno));
	close(ep);
	return -1;
}

static void *shared_page(void)
{
	void *p = mmap(NULL, vt_page, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		bail_out("mmap shared page: %s", strerror(errno));
	memset(p, 0, vt_page);
	return p;
}

/* ---- state snapshots ----------------------------------------------------- */

/* What an ioctl that fails must leave alone. */
struct state {
	int status[MAXPG];
	struct vrange_purge_info info;
	long long unpinned, purged, ranges;
};

static void state_read(int fd, unsigned int npages, struct state *s)
{
	unsigned int p;

	memset(s, 0, sizeof(*s));
	for (p = 0; p < npages; p++)
		s->status[p] = vt_status(fd, p, 1);
	if (purge_info(fd, &s->info))
		memset(&s->info, 0xff, sizeof(s->info));
	s->unpinned = vt_fdinfo(fd, "vrange_unpinned_pages");
	s->purged = vt_fdinfo(fd, "vrange_purged_pages");
	s->ranges = vt_fdinfo(fd, "vrange_ranges");
}

static bool state_same(int fd, unsigned int npages, const struct state *before)
{
	struct state now;
	unsigned int p;

	state_read(fd, npages, &now);
	if (!memcmp(&now, before, sizeof(now)))
		return true;
	for (p = 0; p < npages; p++)
		if (now.status[p] != before->status[p])
			diag("page %u: status %d, was %d", p, now.status[p],
			     before->status[p]);
	diag("fdinfo unpinned %lld purged %lld ranges %lld, were %lld %lld %lld",
	     now.unpinned, now.purged, now.ranges, before->unpinned,
	     before->purged, before->ranges);
	diag_info("now", &now.info);
	diag_info("was", &before->info);
	return false;
}

/* ---- rejected arguments -------------------------------------------------- */

#define REJ_PAGES	16

struct bad_unpin {
	const char *what;
	struct vrange_unpin_args a;
};

static void test_rejects(void)
{
	const uint64_t pg = vt_page, end = REJ_PAGES * vt_page;
	const struct bad_unpin bad[] = {
		{ "purge_class VRANGE_NR_CLASSES", { 0, 0, VRANGE_NR_CLASSES, 0, { 0, 0 } } },
		{ "purge_class 6 on pinned pages", { 0, 2 * pg, 6, 0, { 0, 0 } } },
		{ "purge_class 0xffffffff", { 0, 0, 0xffffffffu, 0, { 0, 0 } } },
		{ "flags 0x2", { 0, 0, VRANGE_CLASS_LOW, 0x2, { 0, 0 } } },
		{ "flags WHOLE|0x4 on pinned pages", { 0, 2 * pg, VRANGE_CLASS_NORMAL, VRANGE_UNPIN_WHOLE | 0x4, { 0, 0 } } },
		{ "flags 0x80000000", { 0, 0, VRANGE_CLASS_OBSOLETE, 0x80000000u, { 0, 0 } } },
		{ "reserved[0] 1", { 0, 0, VRANGE_CLASS_NORMAL, 0, { 1, 0 } } },
		{ "reserved[1] 1<<63 on pinned pages", { 0, 2 * pg, VRANGE_CLASS_VERY_LOW, 0, { 0, 1ULL << 63 } } },
		{ "offset not page aligned", { 1, pg, VRANGE_CLASS_NORMAL, 0, { 0, 0 } } },
		{ "len not page aligned", { 0, pg + 1, VRANGE_CLASS_NORMAL, 0, { 0, 0 } } },
		{ "offset at the end", { end, 0, VRANGE_CLASS_LOW, 0, { 0, 0 } } },
		{ "range past the end", { end - pg, 2 * pg, VRANGE_CLASS_LOW, VRANGE_UNPIN_WHOLE, { 0, 0 } } },
		{ "len one page past the size", { 0, end + pg, VRANGE_CLASS_NORMAL, 0, { 0, 0 } } },
		{ "range that wraps", { pg, -pg, VRANGE_CLASS_NORMAL, 0, { 0, 0 } } },
		{ "offset 2^63", { 1ULL << 63, pg, VRANGE_CLASS_NORMAL, 0, { 0, 0 } } },
	};
	struct vrange_unpin_args good = { 0, 2 * pg, VRANGE_CLASS_LOW, 0, { 0, 0 } };
	struct vrange_purge_info pi;
	struct state before;
	unsigned char *map, *guard, *ro;
	unsigned int i;
	int fd, r, e;
	void *m;

	fd = vt_create(REJ_PAGES * vt_page, "rejects", &m);
	map = m;
	vt_fill_pages(map, 0, REJ_PAGES, 1);
	/* Every state a page can be in, and every kind of unpin. */
	vt_unpin(fd, 12, 2);
	if (ioctl(fd, VRANGE_PURGE) != 2)
		diag("PURGE of 2 pages did not return 2");
	vt_unpin(fd, 2, 2);
	vt_unpin_class(fd, 5, 2, VRANGE_CLASS_LOW, 0);
	vt_unpin_class(fd, 8, 2, VRANGE_CLASS_OBSOLETE, VRANGE_UNPIN_WHOLE);
	state_read(fd, REJ_PAGES, &before);
	if (!ok(before.status[0] == 0 && before.status[2] == VRANGE_STATUS_UNPINNED &&
		before.status[12] == (VRANGE_STATUS_UNPINNED | VRANGE_STATUS_PURGED) &&
		info_is(&before.info, 2, 1),
		"rejects: the region starts with pinned, unpinned and purged pages"))
		diag_info("start", &before.info);

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		r = ioctl(fd, VRANGE_UNPIN_CLASS, &bad[i].a);
		e = errno;
		if (!ok(r == -1 && e == EINVAL &&
			state_same(fd, REJ_PAGES, &before),
			"UNPIN_CLASS with %s: EINVAL, nothing changes", bad[i].what))
			diag("returned %d, errno %s", r, strerror(e));
	}

	/* Pointers: NULL, unmapped, running into a PROT_NONE page, read-only. */
	guard = mmap(NULL, 2 * vt_page, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ro = mmap(NULL, vt_page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (guard == MAP_FAILED || ro == MAP_FAILED ||
	    mprotect(guard + vt_page, vt_page, PROT_NONE))
		bail_out("guard pages: %s", strerror(errno));
	memcpy(guard + vt_page - 16, &good, 16);
	{
		void *const ptrs[] = { NULL, (void *)0x10000UL,
				       guard + vt_page - 16 };
		const char *const names[] = { "NULL", "an unmapped address",
					      "a struct that runs into a PROT_NONE page" };

		for (i = 0; i < 3; i++) {
			errno = 0;
			r = ioctl(fd, VRANGE_UNPIN_CLASS, ptrs[i]);
			ok(r == -1 && errno == EFAULT &&
			   state_same(fd, REJ_PAGES, &before),
			   "UNPIN_CLASS from %s: EFAULT, nothing changes", names[i]);
			errno = 0;
			r = ioctl(fd, VRANGE_GET_PURGE_INFO, ptrs[i]);
			ok(r == -1 && errno == EFAULT,
			   "GET_PURGE_INFO into %s: EFAULT", names[i]);
		}
	}
	errno = 0;
	r = ioctl(fd, VRANGE_GET_PURGE_INFO, ro);
	ok(r == -1 && errno == EFAULT && state_same(fd, REJ_PAGES, &before),
		"GET_PURGE_INFO into read-only memory: EFAULT, nothing changes");

	/* Every class, with and without WHOLE, is accepted. */
	for (i = 0; i < 2 * VRANGE_NR_CLASSES; i++) {
		unsigned int cls = i / 2, flags = i % 2 ? VRANGE_UNPIN_WHOLE : 0;

		r = vt_unpin_class(fd, 0, 1, cls, flags);
		if (!ok(r == 0 && vt_status(fd, 0, 1) == VRANGE_STATUS_UNPINNED &&
			vt_pin(fd, 0, 1) == VRANGE_NOT_PURGED,
			"UNPIN_CLASS class %u flags %#x returns 0 and unpins", cls, flags))
			diag("returned %d (%s)", r, r ? strerror(errno) : "");
	}
	ok(state_same(fd, REJ_PAGES, &before),
		"unpin and pin of a pinned page leave the region as it was");
	ok(purge_info(fd, &pi) == 0 && info_is(&pi, 2, 1),
		"GET_PURGE_INFO returns 0 and does not reset the counters");
	munmap(guard, 2 * vt_page);
	munmap(ro, vt_page);
	munmap(map, REJ_PAGES * vt_page);
	close(fd);
}

/* Before the first mmap: ranges are EINVAL, the counters are zero. */
static void test_unmapped(void)
{
	struct vrange_purge_info pi;
	int fd = vt_open(), r;

	if (fd < 0)
		bail_out("open: %s", strerror(errno));
	ok(purge_info(fd, &pi) == 0 && info_is(&pi, 0, 0) && pi.seq == 0,
		"GET_PURGE_INFO before SET_SIZE: 0, all zero");
	ok(poll_one(fd, POLL_ALL, 0) == 0,
		"poll on a region of size 0 reports nothing");
	vt_set_size(fd, 4 * vt_page);
	errno = 0;
	r = vt_unpin_class(fd, 0, 0, VRANGE_CLASS_LOW, 0);
	ok(r == -1 && errno == EINVAL,
		"UNPIN_CLASS before the first mmap: EINVAL");
	ok(purge_info(fd, &pi) == 0 && info_is(&pi, 0, 0) && pi.seq == 0,
		"GET_PURGE_INFO before the first mmap: 0, all zero");
	close(fd);
}

/* /dev/ashmem areas keep the ashmem ABI: no class unpin, no counters. */
static void test_ashmem(void)
{
	struct vrange_unpin_args a = { 0, 0, VRANGE_CLASS_LOW, 0, { 0, 0 } };
	struct ashmem_pin pin = { 0, 0 };
	struct vrange_purge_info pi;
	int fd = open("/dev/ashmem", O_RDWR), r1, e1, r2, e2;
	void *m;

	if (fd < 0) {
		skip("no /dev/ashmem", "UNPIN_CLASS and GET_PURGE_INFO on /dev/ashmem: ENOTTY");
		return;
	}
	if (ioctl(fd, ASHMEM_SET_SIZE, (size_t)(4 * vt_page)) ||
		 (m = mmap(NULL, 4 * vt_page, PROT_READ | PROT_WRITE, MAP_SHARED,
		      fd, 0)) == MAP_FAILED)
		bail_out("/dev/ashmem area: %s", strerror(errno));
	errno = 0;
	r1 = ioctl(fd, VRANGE_UNPIN_CLASS, &a);
	e1 = errno;
	errno = 0;
	r2 = ioctl(fd, VRANGE_GET_PURGE_INFO, &pi);
	e2 = errno;
	ok(r1 == -1 && e1 == ENOTTY && r2 == -1 && e2 == ENOTTY,
		"UNPIN_CLASS and GET_PURGE_INFO on /dev/ashmem: ENOTTY");
	ok(ioctl(fd, ASHMEM_GET_PIN_STATUS, &pin) == ASHMEM_IS_PINNED,
		"the ashmem area stays pinned after the refused UNPIN_CLASS");
	munmap(m, 4 * vt_page);
	close(fd);
}

/* ---- unpin with a class, pin back --------------------------------------- */

static void test_class_unpin_pin(void)
{
	const unsigned int n = 2 * VRANGE_NR_CLASSES;
	struct vrange_purge_info pi;
	unsigned int i, unpinned = 0, kept = 0, notpurged = 0;
	unsigned char *map;
	int fd;
	void *m;

	fd = vt_create(2 * n * vt_page, "classes", &m);
	map = m;
	vt_fill_pages(map, 0, 2 * n, 3);
	/* Two pages per class and flag, the WHOLE ones next to the partial. */
	for (i = 0; i < n; i++)
		if (vt_unpin_class(fd, 2 * i, 2, i / 2,
				i % 2 ? VRANGE_UNPIN_WHOLE : 0) == 0 &&
		    vt_status(fd, 2 * i, 2) == VRANGE_STATUS_UNPINNED)
			unpinned++;
	ok(unpinned == n, "every class, with and without WHOLE, unpins its range (%u of %u)",
		unpinned, n);
	ok(vt_fdinfo(fd, "vrange_unpinned_pages") == 2 * n,
		"fdinfo counts every class-unpinned page once");
	for (i = 0; i < n; i++)
		kept += vt_pages_match(map, 2 * i, 2, 3);
	ok_alone(kept == n, "class-unpinned pages keep their data without pressure");
	/* Pin each page on its own: a WHOLE unit pinned in halves. */
	for (i = 0; i < 2 * n; i++)
		notpurged += vt_pin(fd, i, 1) == VRANGE_NOT_PURGED;
	ok_alone(notpurged == 2 * n, "PIN of class-unpinned pages returns NOT_PURGED");
	ok_alone(vt_pages_match(map, 0, 2 * n, 3) && vt_status(fd, 0, 0) == 0,
		 "pinned again: every page pinned, with its data");
	ok_alone(purge_info(fd, &pi) == 0 && info_is(&pi, 0, 0) && pi.seq == 0,
		 "no purge: GET_PURGE_INFO is all zero after mmap and unpins");
	munmap(map, 2 * n * vt_page);
	close(fd);
}

/*
 * Re-unpins: without pressure the class and age of a page cannot be seen,
 * but a moved page must still be listed once (PURGE counts it once), keep
 * its data, and a purged page must stay purged.
 */
static void test_reunpin(void)
{
	struct vrange_purge_info pi;
	unsigned char *map, v;
	int fd, r[5], purged, p, all;
	void *m;

	fd = vt_create(16 * vt_page, "reunpin", &m);
	map = m;
	vt_fill_pages(map, 0, 16, 4);
	r[0] = vt_unpin_class(fd, 0, 8, VRANGE_CLASS_LOW, 0);
	r[1] = vt_unpin_class(fd, 4, 8, VRANGE_CLASS_NORMAL, 0);	/* moves 4-7 */
	r[2] = vt_unpin(fd, 8, 8);				/* only 12-15 */
	r[3] = vt_unpin_class(fd, 0, 4, VRANGE_CLASS_LOW, 0);	/* same class */
	r[4] = vt_unpin_class(fd, 2, 4, VRANGE_CLASS_LOW, VRANGE_UNPIN_WHOLE);
	ok(!r[0] && !r[1] && !r[2] && !r[3] && !r[4],
		"re-unpins across classes, WHOLE and VRANGE_UNPIN all return 0");
	for (all = 1, p = 0; p < 16; p++)
		all &= vt_status(fd, p, 1) == VRANGE_STATUS_UNPINNED;
	ok(all && vt_fdinfo(fd, "vrange_unpinned_pages") == 16,
		"re-unpin: every page unpinned, each counted once");
	ok_alone(vt_pages_match(map, 0, 16, 4) && purge_info(fd, &pi) == 0 &&
		 info_is(&pi, 0, 0),
		 "re-unpin purges nothing and keeps the data");
	purged = ioctl(fd, VRANGE_PURGE);
	if (!ok_alone(purged == 16, "PURGE after re-unpins purges each page once"))
		diag("PURGE returned %d, expected 16", purged);
	ok_alone(purge_info(fd, &pi) == 0 && info_is(&pi, 16, 1),
		 "GET_PURGE_INFO: 16 pages in 1 event");

	/* Purged pages stay purged whatever unpins them again. */
	r[0] = vt_unpin_class(fd, 0, 16, VRANGE_CLASS_OBSOLETE, VRANGE_UNPIN_WHOLE);
	r[1] = vt_unpin(fd, 0, 8);
	for (all = 1, p = 0; p < 16; p++)
		all &= vt_status(fd, p, 1) ==
		       (VRANGE_STATUS_UNPINNED | VRANGE_STATUS_PURGED);
	ok(!r[0] && !r[1] && all && vt_fdinfo(fd, "vrange_purged_pages") == 16 &&
		vt_probe_read(map + 3 * vt_page, &v) == SIGBUS,
		"UNPIN_CLASS over purged pages: they stay purged (status, fdinfo, SIGBUS)");
	ok(ioctl(fd, VRANGE_PURGE) == 0 && purge_info(fd, &pi) == 0 &&
		info_is(&pi, 16, 1),
		"PURGE finds nothing more to purge, and counts no event");

	/* Half re-pinned, then one class unpin over pinned and purged. */
	ok(vt_pin(fd, 0, 4) == VRANGE_WAS_PURGED, "PIN of purged pages: WAS_PURGED");
	vt_fill_page(map, 0, 5);
	ok(vt_unpin_class(fd, 0, 8, VRANGE_CLASS_VERY_LOW, 0) == 0 &&
		vt_status(fd, 0, 4) == VRANGE_STATUS_UNPINNED &&
		vt_status(fd, 4, 4) == (VRANGE_STATUS_UNPINNED | VRANGE_STATUS_PURGED),
		"UNPIN_CLASS over pinned and purged pages: pinned ones unpinned, purged stay purged");
	ok_alone(vt_pin(fd, 0, 4) == VRANGE_NOT_PURGED && vt_page_matches(map, 0, 5) &&
		 vt_is_zero(map + vt_page, 3 * vt_page),
		 "the re-pinned part pins back NOT_PURGED, its new data kept");
	ok(vt_pin(fd, 4, 12) == VRANGE_WAS_PURGED && vt_is_zero(map + 4 * vt_page, 12 * vt_page),
		"the purged part pins back WAS_PURGED, as zeros");
	ok(purge_info(fd, &pi) == 0 && info_is(&pi, 16, 1),
		"pins do not lower purged_pages");
	munmap(map, 16 * vt_page);
	close(fd);
}

/* ---- PURGE page by page -------------------------------------------------- */

static void test_purge_pages(void)
{
	unsigned char *map, v;
	int fd, purged, p, bad = 0;
	void *m;

	fd = vt_create(32 * vt_page, "whole", &m);
	map = m;
	vt_fill_pages(map, 0, 32, 6);
	vt_unpin_class(fd, 0, 8, VRANGE_CLASS_LOW, VRANGE_UNPIN_WHOLE);
	vt_unpin_class(fd, 8, 8, VRANGE_CLASS_OBSOLETE, 0);
	vt_unpin(fd, 16, 4);
	vt_unpin_class(fd, 20, 4, VRANGE_CLASS_NORMAL, VRANGE_UNPIN_WHOLE);
	vt_pin(fd, 4, 2);	/* a pin inside the WHOLE unit */
	purged = ioctl(fd, VRANGE_PURGE);
	if (!ok_alone(purged == 22, "PURGE takes every unpinned page, whatever its class or unit"))
		diag("PURGE returned %d, expected 22", purged);
	for (p = 0; p < 32; p++) {
		bool pinned = (p >= 4 && p < 6) || p >= 24;
		int want = pinned ? 0 : VRANGE_STATUS_UNPINNED | VRANGE_STATUS_PURGED;
		int sig = vt_probe_read(map + p * vt_page, &v);

		if (vt_status(fd, p, 1) != want || (pinned ? sig != 0 ||
		    !vt_page_matches(map + p * vt_page, p, 6) : sig != SIGBUS)) {
			if (bad++ < 4)
				diag("page %d: status %d, want %d, signal %d", p,
				     vt_status(fd, p, 1), want, sig);
		}
	}
	ok(bad == 0, "after PURGE, page by page: unpinned ones purged (SIGBUS), pinned ones kept");
	ok(vt_pin(fd, 4, 2) == VRANGE_NOT_PURGED && vt_pin(fd, 3, 1) == VRANGE_WAS_PURGED &&
		vt_pin(fd, 6, 1) == VRANGE_WAS_PURGED,
		"PIN is page-exact around the pinned hole of a WHOLE unit");
	ok(vt_pin(fd, 0, 0) == VRANGE_WAS_PURGED && vt_is_zero(map, 4 * vt_page) &&
		vt_is_zero(map + 6 * vt_page, 18 * vt_page) && vt_pages_match(map, 4, 2, 6) &&
		vt_pages_match(map, 24, 8, 6),
		"pinned back: purged pages read zeros, the others their data");
	munmap(map, 32 * vt_page);
	close(fd);
}

/* ---- the counters --------------------------------------------------------- */

static void test_purge_info(void)
{
	struct vrange_purge_info a0, a1, a2, b1, a3, b3;
	long long events0 = vt_stat("purge_events");
	long long total0 = vt_stat("purged_pages_total");
	unsigned char *ma, *mb;
	int fa, fb, ra, rb, hp;
	void *m;

	fa = vt_create(16 * vt_page, "info-a", &m);
	ma = m;
	fb = vt_create(8 * vt_page, "info-b", &m);
	mb = m;
	vt_fill_pages(ma, 0, 16, 7);
	vt_fill_pages(mb, 0, 8, 7);
	ok(purge_info(fa, &a0) == 0 && info_is(&a0, 0, 0) && a0.seq == 0,
	   "GET_PURGE_INFO after mmap, before any purge: all zero");
	vt_unpin(fa, 0, 4);
	ra = ioctl(fa, VRANGE_PURGE);
	if (!ok(ra == 4 && purge_info(fa, &a1) == 0 && info_is(&a1, 4, 1) &&
		a1.seq > 0,
		"after PURGE of 4 pages: purged_pages 4, purge_events 1, seq > 0"))
		diag_info("a", &a1);
	ok(purge_info(fa, &a2) == 0 && !memcmp(&a1, &a2, sizeof(a1)),
	   "reading the counters again gives the same values");
	ok_alone(vt_stat("purge_events") == events0 + 1 &&
		 vt_stat("purged_pages_total") == total0 + 4,
		 "the global purge_events and purged_pages_total count the same purge");
	vt_unpin_class(fb, 0, 2, VRANGE_CLASS_VERY_LOW, VRANGE_UNPIN_WHOLE);
	rb = ioctl(fb, VRANGE_PURGE);
	if (!ok(rb == 2 && purge_info(fb, &b1) == 0 && info_is(&b1, 2, 1) &&
		b1.seq > a1.seq,
		"a later purge of another region has a larger seq"))
		diag_info("b", &b1);
	ok(ioctl(fa, VRANGE_PURGE) == 0 && purge_info(fa, &a2) == 0 &&
	   !memcmp(&a1, &a2, sizeof(a1)),
	   "PURGE of nothing: no event, counters and seq unchanged");
	ok(vt_pin(fa, 0, 4) == VRANGE_WAS_PURGED && purge_info(fa, &a2) == 0 &&
	   info_is(&a2, 4, 1), "PIN does not lower purged_pages");
	vt_unpin_class(fa, 4, 3, VRANGE_CLASS_OBSOLETE, 0);
	ra = ioctl(fa, VRANGE_PURGE);
	if (!ok(ra == 3 && purge_info(fa, &a2) == 0 && info_is(&a2, 7, 2) &&
		a2.seq > b1.seq,
		"a second PURGE adds up: 7 pages, 2 events, seq larger than the other region's"))
		diag_info("a", &a2);

	/* PURGE_ALL: one event per region it purged something from. */
	vt_unpin(fa, 8, 2);
	vt_unpin_class(fb, 4, 1, VRANGE_CLASS_LOW, 0);
	hp = vt_open();
	ra = ioctl(hp, VRANGE_PURGE_ALL);
	if (!ok(ra >= 3 && purge_info(fa, &a3) == 0 && info_is(&a3, 9, 3) &&
		a3.seq > a2.seq && purge_info(fb, &b3) == 0 &&
		info_is(&b3, 3, 2) && b3.seq > a2.seq,
		"PURGE_ALL: one more event and a larger seq in each region it purged")) {
		diag_info("a", &a3);
		diag_info("b", &b3);
	}
	close(hp);
	munmap(ma, 16 * vt_page);
	munmap(mb, 8 * vt_page);
	close(fa);
	close(fb);
}

/* ---- poll ----------------------------------------------------------------- */

static bool select_except(int fd, int *rw)
{
	fd_set r, w, e;
	struct timeval tv = { 0, 0 };

	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_ZERO(&e);
	FD_SET(fd, &r);
	FD_SET(fd, &w);
	FD_SET(fd, &e);
	if (select(fd + 1, &r, &w, &e, &tv) < 0)
		return false;
	*rw = FD_ISSET(fd, &r) || FD_ISSET(fd, &w);
	return FD_ISSET(fd, &e);
}

static void test_poll_basic(void)
{
	struct vrange_purge_info pi;
	int fd, dfd, hp, rw = 0;
	unsigned char *map;
	pid_t pid;
	void *m;

	fd = vt_create(8 * vt_page, "poll", &m);
	map = m;
	vt_fill_pages(map, 0, 8, 8);
	vt_unpin(fd, 0, 4);
	dfd = dup(fd);
	ok(poll_one(fd, POLL_ALL, 200) == 0,
	   "poll before any purge: nothing within 200 ms, never POLLIN or POLLOUT");
	ok(!select_except(fd, &rw) && !rw, "select before any purge: nothing");
	ok(ioctl(fd, VRANGE_PURGE) == 4, "PURGE of 4 unpinned pages returns 4");
	ok(poll_one(fd, POLL_ALL, 0) == POLLPRI,
	   "after PURGE, poll reports POLLPRI and nothing else");
	ok(poll_one(fd, POLLIN | POLLOUT, 0) == 0,
	   "poll for POLLIN|POLLOUT alone still reports nothing");
	ok(poll_one(fd, POLLPRI, 0) == POLLPRI && poll_one(dfd, POLLPRI, 0) == POLLPRI,
	   "POLLPRI stays until the counters are read, on a dup too");
	ok(select_except(fd, &rw) && !rw, "select reports the purge as an exceptional condition only");
	errno = 0;
	ok(ioctl(fd, VRANGE_GET_PURGE_INFO, NULL) == -1 && errno == EFAULT &&
	   poll_one(fd, POLL_ALL, 0) == POLLPRI,
	   "a GET_PURGE_INFO that fails with EFAULT does not clear POLLPRI");
	ok(purge_info(dfd, &pi) == 0 && info_is(&pi, 4, 1),
	   "GET_PURGE_INFO through the dup reads the purge");
	ok(poll_one(fd, POLL_ALL, 0) == 0 && poll_one(dfd, POLL_ALL, 0) == 0,
	   "GET_PURGE_INFO on one fd clears POLLPRI on every fd");
	ok(ioctl(fd, VRANGE_PURGE) == 0 && poll_one(fd, POLL_ALL, 100) == 0,
	   "PURGE of nothing raises no POLLPRI");

	/* PURGE_ALL from another process, through its own descriptor. */
	vt_unpin(fd, 4, 2);
	pid = fork();
	if (pid == 0) {
		hp = vt_open();
		_exit(ioctl(hp, VRANGE_PURGE_ALL) >= 2 ? 0 : 1);
	}
	ok(vt_exited_ok(vt_wait(pid)) && poll_one(fd, POLL_ALL, 0) == POLLPRI,
	   "PURGE_ALL in another process raises POLLPRI here");
	ok(purge_info(fd, &pi) == 0 && info_is(&pi, 6, 2) &&
	   poll_one(fd, POLL_ALL, 0) == 0,
	   "its purge is counted, and reading clears POLLPRI");
	munmap(map, 8 * vt_page);
	close(dfd);
	close(fd);
}

/* A thread blocked in poll() or epoll_wait() on a region. */
struct waiter {
	pthread_t th;
	int fd;
	bool epoll;		/* epoll_wait on ep, not poll on fd */
	int ep;
	int revents;
	double woke;
	long long resident;	/* the region's resident pages at wake-up */
};

static void *waiter_main(void *arg)
{
	struct waiter *w = arg;

	if (w->epoll)
		w->revents = w->ep < 0 ? -1 : epoll_one(w->ep, LONG_WAIT_MS);
	else
		w->revents = poll_one(w->fd, POLLPRI, LONG_WAIT_MS);
	w->woke = vt_now();
	w->resident = vt_fdinfo(w->fd, "vrange_resident_pages");
	return NULL;
}

static void test_poll_wakeup(void)
{
	struct waiter w[2] = { { .ep = -1 }, { .epoll = true } };
	struct vrange_purge_info pi;
	volatile double *t = shared_page();
	unsigned char *map;
	int fd, i, status;
	pid_t pid;
	void *m;

	fd = vt_create(64 * vt_page, "wakeup", &m);
	map = m;
	vt_fill_pages(map, 0, 64, 9);
	vt_unpin(fd, 0, 32);
	w[0].fd = fd;
	w[1].fd = dup(fd);
	w[1].ep = epoll_for(w[1].fd, EPOLLPRI);
	for (i = 0; i < 2; i++)
		pthread_create(&w[i].th, NULL, waiter_main, &w[i]);
	usleep(300000);		/* both asleep now */
	pid = fork();
	if (pid == 0) {
		int r;

		t[0] = vt_now();
		r = ioctl(fd, VRANGE_PURGE);
		t[1] = vt_now();
		_exit(r == 32 ? 0 : 1);
	}
	status = vt_wait(pid);
	for (i = 0; i < 2; i++)
		pthread_join(w[i].th, NULL);
	if (!ok(vt_exited_ok(status), "another process PURGEs the region"))
		vt_describe_status("purger", status);
	for (i = 0; i < 2; i++) {
		const char *how = i ? "epoll_wait" : "poll";

		if (!ok(w[i].revents == (i ? EPOLLPRI : POLLPRI) &&
			w[i].woke >= t[0] && w[i].woke - t[1] < WAKE_BOUND,
			"a thread blocked in %s wakes with %s within %.1f s of the purge",
			how, i ? "EPOLLPRI" : "POLLPRI", WAKE_BOUND))
			diag("%s: revents %#x, woke %.3f s after the purge started, %.3f s after it returned",
			     how, w[i].revents, w[i].woke - t[0], w[i].woke - t[1]);
		ok_alone(w[i].resident == 32,
			 "%s wakes after the purged pages are freed (resident %lld, want 32)",
			 how, w[i].resident);
	}
	purge_info(fd, &pi);
	close(w[1].ep);
	close(w[1].fd);
	munmap(map, 64 * vt_page);
	close(fd);
	munmap((void *)t, vt_page);
}

static void test_epoll_edge(void)
{
	struct vrange_purge_info pi;
	int fd, et, lt, hp, ok_lt;
	void *m;

	fd = vt_create(8 * vt_page, "epollet", &m);
	et = epoll_for(fd, EPOLLPRI | EPOLLET);
	lt = epoll_for(fd, EPOLLPRI);
	memset(m, 1, 8 * vt_page);
	ok(epoll_one(et, 100) == 0 && epoll_one(lt, 0) == 0,
	   "epoll before any purge: nothing");
	vt_unpin(fd, 0, 2);
	ioctl(fd, VRANGE_PURGE);
	ok(epoll_one(et, 0) == EPOLLPRI && epoll_one(et, 100) == 0,
	   "EPOLLET: one purge is reported once");
	ok_lt = epoll_one(lt, 0) == EPOLLPRI && epoll_one(lt, 0) == EPOLLPRI;
	ok(ok_lt, "level-triggered epoll reports it until the counters are read");
	ok(ioctl(fd, VRANGE_PURGE) == 0 && epoll_one(et, 100) == 0,
	   "EPOLLET: a PURGE of nothing reports nothing");
	vt_unpin(fd, 2, 2);
	ioctl(fd, VRANGE_PURGE);
	ok(epoll_one(et, 0) == EPOLLPRI && epoll_one(et, 100) == 0,
	   "EPOLLET: a second purge, unread, is reported once more");
	purge_info(fd, &pi);
	ok(epoll_one(lt, 0) == 0 && epoll_one(et, 0) == 0,
	   "after GET_PURGE_INFO neither epoll reports anything");
	vt_unpin(fd, 4, 1);
	hp = vt_open();
	ioctl(hp, VRANGE_PURGE_ALL);
	close(hp);
	ok(epoll_one(et, 0) == EPOLLPRI && epoll_one(lt, 0) == EPOLLPRI,
	   "PURGE_ALL after a read is reported again, to both");
	purge_info(fd, &pi);
	close(et);
	close(lt);
	munmap(m, 8 * vt_page);
	close(fd);
}

/*
 * A region whose last fd is closed while it is in an epoll set: the set
 * forgets it, and purging the fd-less region (PURGE_ALL) must neither
 * report nor touch freed memory (the debug lane's KASAN is the judge).
 */
static void test_fdless_epoll(void)
{
	int fd, ep, hp, r;
	void *m;

	fd = vt_create(4 * vt_page, "fdless", &m);
	memset(m, 2, 4 * vt_page);
	ep = epoll_for(fd, EPOLLPRI);
	vt_unpin(fd, 0, 2);
	close(fd);
	hp = vt_open();
	r = ioctl(hp, VRANGE_PURGE_ALL);
	close(hp);
	ok_alone(r >= 2, "PURGE_ALL purges an fd-less region");
	ok(epoll_one(ep, 100) == 0, "an epoll set that held its closed fd reports nothing");
	munmap(m, 4 * vt_page);
	close(ep);
}

/* ---- fork and SCM_RIGHTS -------------------------------------------------- */

enum { CH_REVENTS, CH_WAIT_MS, CH_PAGES };

static void test_fork_poll(void)
{
	volatile int *res = shared_page();
	struct vrange_purge_info pi;
	int fd, pipefd[2], status;
	char c;
	pid_t pid;
	void *m;

	fd = vt_create(8 * vt_page, "forkpoll", &m);
	memset(m, 3, 8 * vt_page);
	vt_unpin(fd, 2, 3);
	if (pipe(pipefd))
		bail_out("pipe: %s", strerror(errno));
	pid = fork();
	if (pid == 0) {
		double t0 = vt_now();

		close(pipefd[0]);
		if (write(pipefd[1], "r", 1) != 1)
			_exit(2);
		res[CH_REVENTS] = poll_one(fd, POLL_ALL, LONG_WAIT_MS);
		res[CH_WAIT_MS] = (vt_now() - t0) * 1000;
		res[CH_PAGES] = purge_info(fd, &pi) == 0 ? (int)pi.purged_pages : -1;
		_exit(0);
	}
	close(pipefd[1]);
	if (read(pipefd[0], &c, 1) != 1)
		diag("child died before polling");
	usleep(200000);
	ok(ioctl(fd, VRANGE_PURGE) == 3, "fork: the parent purges 3 pages");
	status = vt_wait(pid);
	if (!ok(vt_exited_ok(status) && res[CH_REVENTS] == POLLPRI,
		"fork: the child's poll wakes with POLLPRI"))
		diag("child: status %#x revents %#x after %d ms", status,
		     res[CH_REVENTS], res[CH_WAIT_MS]);
	ok(res[CH_PAGES] == 3, "fork: the child reads the parent's purge (3 pages)");
	ok(poll_one(fd, POLL_ALL, 0) == 0,
	   "fork: the child's read cleared POLLPRI for the parent too");
	close(pipefd[0]);
	munmap(m, 8 * vt_page);
	close(fd);
	munmap((void *)res, vt_page);
}

enum { SC_PURGED, SC_SEEN, SC_CLEARED };

/* The sender owns the region, passes it, purges it, then looks. */
static void scm_sender(int sock, volatile int *res)
{
	int fd;
	char c;
	void *m;

	fd = vt_create(8 * vt_page, "scmpoll", &m);
	memset(m, 4, 8 * vt_page);
	vt_unpin(fd, 0, 5);
	if (vt_send_fd(sock, fd) || read(sock, &c, 1) != 1)
		_exit(2);
	usleep(200000);		/* the receiver is in poll() */
	res[SC_PURGED] = ioctl(fd, VRANGE_PURGE) == 5;
	res[SC_SEEN] = poll_one(fd, POLL_ALL, 0) == POLLPRI;
	/* Only now may the receiver read the counters, which clears it. */
	if (write(sock, "s", 1) != 1 || read(sock, &c, 1) != 1)
		_exit(3);
	res[SC_CLEARED] = poll_one(fd, POLL_ALL, 0) == 0;
	_exit(0);
}

static void test_scm_poll(void)
{
	volatile int *res = shared_page();
	struct vrange_purge_info pi;
	int sock, fd, r = -1, status;
	pid_t pid;
	char c;

	pid = vt_fork_socket(&sock);
	if (pid == 0)
		scm_sender(sock, res);
	fd = vt_recv_fd(sock);
	if (fd >= 0 && write(sock, "g", 1) == 1)
		r = poll_one(fd, POLL_ALL, LONG_WAIT_MS);
	ok(r == POLLPRI, "SCM_RIGHTS: the receiver's poll wakes on the sender's purge");
	if (read(sock, &c, 1) != 1)	/* the sender has seen POLLPRI */
		diag("read from socket: %s", strerror(errno));
	ok(fd >= 0 && purge_info(fd, &pi) == 0 && info_is(&pi, 5, 1),
	   "SCM_RIGHTS: the receiver reads the sender's purge");
	if (write(sock, "c", 1) != 1)
		diag("write to socket: %s", strerror(errno));
	status = vt_wait(pid);
	if (!ok(vt_exited_ok(status) && res[SC_PURGED] && res[SC_SEEN],
		"SCM_RIGHTS: the sender purged and saw POLLPRI itself"))
		vt_describe_status("sender", status);
	ok(res[SC_CLEARED] == 1, "SCM_RIGHTS: the receiver's read cleared it for the sender");
	if (fd >= 0)
		close(fd);
	close(sock);
	munmap((void *)res, vt_page);
}

/* ---- libvrange ------------------------------------------------------------ */

static void test_library(void)
{
	struct vrange_purge_info pi;
	int fd, pipefd[2], closed;
	void *map = NULL;

	fd = vrange_create("lib", 4 * vt_page);
	if (fd < 0 || !(map = vrange_map(fd)))
		bail_out("vrange_create/vrange_map: %s", strerror(fd < 0 ? -fd : errno));
	ok(vrange_unpin_class(fd, 0, 0, VRANGE_NR_CLASSES, 0) == -EINVAL &&
	   vrange_unpin_class(fd, 0, 0, VRANGE_CLASS_LOW, 0x10) == -EINVAL &&
	   vrange_unpin_class(fd, 1, 0, VRANGE_CLASS_LOW, 0) == -EINVAL,
	   "vrange_unpin_class: -EINVAL for a bad class, flag or range");
	ok(vrange_wait_purged(fd, 100) == 0, "vrange_wait_purged: 0 on timeout");
	ok(vrange_unpin_class(fd, 0, 2 * vt_page, VRANGE_CLASS_VERY_LOW,
			      VRANGE_UNPIN_WHOLE) == 0 &&
	   vrange_status(fd, 0, 2 * vt_page) == VRANGE_STATUS_UNPINNED &&
	   vrange_status(fd, 2 * vt_page, 0) == 0,
	   "vrange_unpin_class: 0, and unpins exactly its range");
	ok(vrange_purge(fd) == 2 && vrange_wait_purged(fd, 0) == 1 &&
	   vrange_wait_purged(fd, -1) == 1,
	   "vrange_wait_purged: 1 after a purge, and it does not clear it");
	ok(vrange_get_purge_info(fd, &pi) == 0 && info_is(&pi, 2, 1) &&
	   vrange_wait_purged(fd, 0) == 0,
	   "vrange_get_purge_info: the counters, and it clears the condition");
	if (pipe(pipefd))
		bail_out("pipe: %s", strerror(errno));
	ok(vrange_wait_purged(pipefd[1], 1000) == -ENOTTY &&
	   vrange_get_purge_info(pipefd[1], &pi) == -ENOTTY &&
	   vrange_unpin_class(pipefd[1], 0, 0, VRANGE_CLASS_LOW, 0) == -ENOTTY,
	   "on a pipe: -ENOTTY from all three, at once");
	close(pipefd[0]);
	close(pipefd[1]);
	closed = pipefd[1];
	ok(vrange_wait_purged(closed, 0) == -EBADF &&
	   vrange_get_purge_info(closed, &pi) == -EBADF,
	   "on a closed descriptor: -EBADF");
	vrange_unmap(fd, map);
	close(fd);
}

int main(void)
{
	vt_init();
	if (access(VRANGE_DEVICE, R_OK | W_OK))
		bail_out("%s: %s (module not loaded?)", VRANGE_DEVICE,
			 strerror(errno));
	test_rejects();
	test_unmapped();
	test_ashmem();
	test_class_unpin_pin();
	test_reunpin();
	test_purge_pages();
	test_purge_info();
	test_poll_basic();
	test_poll_wakeup();
	test_epoll_edge();
	test_fdless_epoll();
	test_fork_poll();
	test_scm_poll();
	test_library();
	return tap_finish("vrange_classes");
}
