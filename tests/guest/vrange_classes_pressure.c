// SPDX-License-Identifier: GPL-2.0
/*
 * vrange_classes_pressure <case> [--memcg LIMIT_MB] <sizes...>
 *
 * Purge classes and whole-or-nothing ranges under real memory pressure:
 * a child (the hog) maps what is free (MemFree, or what the cgroup's
 * memory.max leaves) plus a shortfall and touches it, and reclaim has to
 * find the shortfall in the unpinned ranges.  Nothing here calls
 * VRANGE_PURGE: every purge is the shrinker's (or the OOM notifier's).
 * Afterwards each range is checked page by page with VRANGE_GET_STATUS
 * and against VRANGE_GET_PURGE_INFO.
 *
 *  order UNIT_MB SHORT_MB
 *	Four regions, one per class, each unpinned in two halves (A older
 *	than B): NORMAL first, then BELOW_NORMAL, LOW, VERY_LOW, so that
 *	age order is the reverse of class order.  The shortfall needs less
 *	than all of them.  No page of a range may be purged while a range
 *	that comes before it (lower class, or same class and older) still
 *	has unpinned, unpurged pages.  With --memcg, all of it runs in a
 *	cgroup with that memory.max, and an older VERY_LOW region outside
 *	the cgroup must keep every page.
 *  starve MB SHORT_MB
 *	Only NORMAL pages are unpinned (old and new ioctl): they must go,
 *	the hog gets its memory and nobody is OOM-killed.
 *  obsolete OBS_MB OTHER_MB
 *	VERY_LOW (oldest), two OBSOLETE unpins, NORMAL (newest); the hog
 *	grows 2 MB at a time only until the first purge: every OBSOLETE
 *	page goes, the others keep all theirs.
 *  whole NRANGES RANGE_MB SHORT_MB BIG_MB BIG_SHORT_MB
 *	NRANGES WHOLE unpins of RANGE_MB each in one region: each is all
 *	purged or all intact afterwards.  Then one WHOLE unpin of BIG_MB,
 *	alone, and a shortfall of BIG_SHORT_MB: it goes whole.
 *  poll VL_MB SHORT_MB
 *	A forked child blocks in poll() on a VERY_LOW region, another in
 *	epoll_wait() on a pinned-only region and on an older NORMAL region
 *	that the shortfall does not reach: the first wakes with POLLPRI
 *	alone, the second never wakes; GET_PURGE_INFO counts what went and
 *	clears the condition.
 *
 * Each run prints a "classes-row" diag line for tests/vm/reclaim.sh.
 * The bounds allow for one reclaim chunk (2 MiB) taken out of order: a
 * reclaimer that finds the batch it should purge busy (another reclaimer
 * marking its chunk) may pass it after a few tries.
 */
#include <poll.h>
#include <stdbool.h>
#include <sys/epoll.h>

#include "vrange_test.h"

#define MB	(1024UL * 1024UL)
#define CGROUP	"/sys/fs/cgroup/vrange-classes"
#define MAX_UNITS	16

static const char *const class_names[VRANGE_NR_CLASSES] = {
	"OBSOLETE", "VERY_LOW", "LOW", "BELOW_NORMAL", "NORMAL",
};

static unsigned long limit_mb;	/* --memcg */

/* One unpin call and what became of its pages. */
struct unit {
	char name[24];
	int fd;
	unsigned char *map;
	uint64_t first, n;	/* pages */
	int cls;
	uint32_t flags;
	long long purged, unpinned, pinned, bad_data;
};

/* A region of @mb filled with @fill in every byte. */
static int region(unsigned long mb, const char *name, unsigned char **map,
		  int fill)
{
	int fd = vt_create(mb * MB, name, (void **)map);

	memset(*map, fill, mb * MB);
	return fd;
}

static void unit_init(struct unit *u, const char *name, int fd,
		      unsigned char *map, uint64_t first, uint64_t n, int cls,
		      uint32_t flags)
{
	snprintf(u->name, sizeof(u->name), "%s", name);
	u->fd = fd;
	u->map = map;
	u->first = first;
	u->n = n;
	u->cls = cls;
	u->flags = flags;
}

static void unit_unpin(const struct unit *u)
{
	if (vt_unpin_class(u->fd, u->first, u->n, u->cls, u->flags))
		bail_out("VRANGE_UNPIN_CLASS %s (class %d, flags %#x): %s",
			 u->name, u->cls, u->flags, strerror(errno));
}

/*
 * Page by page: purged, unpinned (and not purged) or pinned; a page that
 * is not purged must still hold its fill byte, first and last byte.
 */
static void unit_count(struct unit *u, int fill)
{
	uint64_t p;

	u->purged = u->unpinned = u->pinned = u->bad_data = 0;
	for (p = u->first; p < u->first + u->n; p++) {
		int st = vt_status(u->fd, p, 1);
		const unsigned char *pg = u->map + p * vt_page;

		if (st < 0)
			bail_out("VRANGE_GET_STATUS: %s", strerror(errno));
		if (st & VRANGE_STATUS_PURGED) {
			u->purged++;
			continue;
		}
		if (st & VRANGE_STATUS_UNPINNED)
			u->unpinned++;
		else
			u->pinned++;
		if (pg[0] != fill || pg[vt_page - 1] != fill)
			u->bad_data++;
	}
}

static void unit_report(const struct unit *u)
{
	diag("%-14s class %-12s %s%5llu pages: purged %lld, unpinned %lld, pinned %lld",
	     u->name, class_names[u->cls],
	     u->flags & VRANGE_UNPIN_WHOLE ? "WHOLE " : "",
	     (unsigned long long)u->n, u->purged, u->unpinned, u->pinned);
}

/*
 * Units listed in the order reclaim must purge them: pages purged from a
 * unit while an earlier one still has unpinned, unpurged pages.
 */
static long long out_of_order(const struct unit *u, int n)
{
	long long bad = 0;
	int i, j;

	for (j = 1; j < n; j++) {
		if (!u[j].purged)
			continue;
		for (i = 0; i < j; i++) {
			if (!u[i].unpinned)
				continue;
			diag("%s lost %lld pages while %s still has %lld unpinned",
			     u[j].name, u[j].purged, u[i].name, u[i].unpinned);
			bad += u[j].purged;
			break;
		}
	}
	return bad;
}

/*
 * The region's GET_PURGE_INFO against its pages: @purged pages purged
 * since creation (nothing was pinned back) in @min_events to @max_events
 * purges.
 */
static bool info_is(int fd, long long purged, long long min_events,
		    long long max_events, const char *what)
{
	struct vrange_purge_info pi = vt_purge_info(fd);
	bool good;

	good = (long long)pi.purged_pages == purged &&
	       !pi.reserved[0] && !pi.reserved[1] &&
	       (long long)pi.purge_events >= min_events &&
	       (long long)pi.purge_events <= max_events &&
	       (purged ? pi.seq > 0 : !pi.seq);
	if (!good)
		diag("%s: GET_PURGE_INFO purged_pages %lld, purge_events %lld, seq %lld, reserved %lld %lld; pages purged %lld in %lld-%lld events",
		     what, (long long)pi.purged_pages,
		     (long long)pi.purge_events, (long long)pi.seq,
		     (long long)pi.reserved[0], (long long)pi.reserved[1],
		     purged, min_events, max_events);
	return good;
}

/* Partial purges: one event per 2 MiB chunk or more, each of a page or more. */
static bool info_matches(int fd, long long purged, const char *what)
{
	return info_is(fd, purged,
		       (purged + VT_CHUNK_PAGES - 1) / VT_CHUNK_PAGES, purged,
		       what);
}

/* ---- the hog ---------------------------------------------------------- */

/* What there is to take before reclaim must purge: MemFree or the cgroup's room. */
static long long free_kb(void)
{
	if (limit_mb)
		return (long long)limit_mb * 1024 -
		       vt_read_number(CGROUP "/memory.current") / 1024;
	return vt_meminfo_kb("MemFree");
}

struct hog_result {
	int status;		/* wait status */
	int oom;		/* OOM lines in the kernel log */
	long long purged;	/* purged_pages_total went up by */
	long long short_kb;
	double seconds;
};

/* Touch @bytes, or with @gentle 2 MB at a time until the first purge. */
static int hog(size_t bytes, bool gentle)
{
	long long purged0 = vt_stat("purged_pages_total");
	size_t done;

	vt_set_oom_score_adj(1000);
	if (!gentle)
		return vt_touch_anon(bytes) ? 0 : 2;
	for (done = 0; done < bytes; done += 2 * MB) {
		if (!vt_touch_anon(2 * MB))
			return 2;
		if (vt_stat("purged_pages_total") > purged0)
			break;
	}
	return 0;
}

/*
 * purged_pages_total when the case began to unpin.  kswapd may still be
 * busy after the case before (on 7.2 it once purged a whole 48 MB range
 * before the hog started): wait up to 5 s for it to scan nothing for
 * half a second, and count from here.
 */
static long long purged_base;

static void unpin_begins(void)
{
	long long scan = -2, now;
	double t0 = vt_now();

	while ((now = vt_file_value("/proc/vmstat", "pgscan_kswapd", ' ')) !=
	       scan && vt_now() - t0 < 5) {
		scan = now;
		usleep(500000);
	}
	purged_base = vt_stat("purged_pages_total");
}

static struct hog_result run_hog(unsigned long short_mb, bool gentle)
{
	struct hog_result r = { .short_kb = short_mb * 1024 };
	long long purged0 = vt_stat("purged_pages_total");
	size_t bytes = (size_t)(free_kb() * 1024) + short_mb * MB;
	int kmsg = vt_kmsg_open_at_end();
	double t0 = vt_now();
	pid_t pid = fork();

	if (pid == 0)
		_exit(hog(bytes, gentle));
	r.status = vt_wait(pid);
	r.seconds = vt_now() - t0;
	r.purged = vt_stat("purged_pages_total") - purged_base;
	if (purged0 != purged_base)
		diag("%lld pages purged after the unpins, before the hog",
		     purged0 - purged_base);
	r.oom = kmsg >= 0 ? vt_kmsg_count_oom(kmsg) : 0;
	if (kmsg >= 0)
		close(kmsg);
	if (!vt_exited_ok(r.status))
		vt_describe_status("hog", r.status);
	diag("hog of %zu MB (%lu MB short%s): %.1f s, purged %lld MB",
	     bytes / MB, short_mb, gentle ? ", gentle" : "", r.seconds,
	     r.purged * (long long)vt_page / (long long)MB);
	return r;
}

/* The hog got its memory and the kernel log shows no OOM kill. */
static bool hog_ok(const char *what, const struct hog_result *r)
{
	return ok(vt_exited_ok(r->status) && !r->oom,
		  "%s: the hog got its memory, no OOM kill", what);
}

/*
 * The row of tests/vm/reclaim.sh: @bad pages taken against the rule
 * (out of order, of a split WHOLE range, of a class OBSOLETE should have
 * spared), @kept the test's own verdict on them.
 */
static void row(const char *kind, const struct hog_result *r, long long bad,
		bool kept, const char *extra)
{
	diag("classes-row %s %s short %lld MB: hog %s, purged %lld MB (%.2fx), out-of-order %lld pages, rules %s%s%s",
	     limit_mb ? "memcg" : "global", kind, r->short_kb / 1024,
	     vt_exited_ok(r->status) && !r->oom ? "ok" : "failed",
	     r->purged * (long long)vt_page / (long long)MB,
	     (double)r->purged * (vt_page / 1024) / (double)r->short_kb,
	     bad, kept ? "kept" : "broken", *extra ? ", " : "", extra);
}

/* ---- order: class first, then age ------------------------------------ */

/*
 * An older VERY_LOW region outside the --memcg cgroup: reclaim at the
 * cgroup's limit must not take it, whatever its class and age.
 */
#define OUTSIDER_MB	8

static void order(unsigned long unit_mb, unsigned long short_mb)
{
	uint64_t half = unit_mb * MB / vt_page;
	struct unit u[2 * (VRANGE_NR_CLASSES - 1)];
	unsigned char *map[VRANGE_NR_CLASSES], *out_map = NULL;
	int fd[VRANGE_NR_CLASSES], out_fd = -1, c, i;
	struct hog_result r;
	long long bad, left = 0;
	char name[24], extra[160];
	const char *what = limit_mb ? "memcg order" : "order";
	int n = 0, len = 0;

	if (limit_mb) {
		out_fd = region(OUTSIDER_MB, "outsider", &out_map, 0x70);
		vt_unpin_class(out_fd, 0, 0, VRANGE_CLASS_VERY_LOW, 0);
		vt_join_limited_cgroup(CGROUP, limit_mb);
	}
	/* u[] in purge order: VERY_LOW A, VERY_LOW B, LOW A, ... NORMAL B. */
	for (c = VRANGE_CLASS_VERY_LOW; c <= VRANGE_CLASS_NORMAL; c++) {
		snprintf(name, sizeof(name), "class-%d", c);
		fd[c] = region(2 * unit_mb, name, &map[c], 0x10 + c);
		for (i = 0; i < 2; i++) {
			snprintf(name, sizeof(name), "%s-%c", class_names[c],
				 'A' + i);
			unit_init(&u[n++], name, fd[c], map[c], i * half, half,
				  c, 0);
		}
	}
	/* Unpin NORMAL first and VERY_LOW last: age against class. */
	unpin_begins();
	for (i = n - 2; i >= 0; i -= 2) {
		unit_unpin(&u[i]);
		unit_unpin(&u[i + 1]);
	}
	r = run_hog(short_mb, false);
	for (i = 0; i < n; i++) {
		unit_count(&u[i], 0x10 + u[i].cls);
		unit_report(&u[i]);
		left += u[i].unpinned;
		len += snprintf(extra + len, sizeof(extra) - len, "%s%lld",
				i ? "," : "classes purged MB ",
				u[i].purged * (long long)vt_page / (long long)MB);
	}
	bad = out_of_order(u, n);
	row("order", &r, bad, bad <= (long long)VT_CHUNK_PAGES, extra);
	hog_ok(what, &r);
	ok(u[0].purged > 0 && left > 0,
	   "%s: the shortfall took the newest (VERY_LOW) range, not all of them",
	   what);
	if (!ok(bad <= (long long)VT_CHUNK_PAGES,
		"%s: no range lost pages while a lower class or an older range of its class kept unpinned ones (%lld pages out of order, at most one chunk)",
		what, bad))
		diag("out of order: %lld pages", bad);
	for (i = 0, bad = 0; i < n; i++)
		bad += u[i].bad_data;
	ok(bad == 0, "%s: every page not purged holds its data (%lld bad)",
	   what, bad);
	for (c = VRANGE_CLASS_VERY_LOW, i = 1; c <= VRANGE_CLASS_NORMAL; c++)
		i &= info_matches(fd[c],
				  u[2 * (c - 1)].purged + u[2 * c - 1].purged,
				  class_names[c]);
	ok(i, "%s: GET_PURGE_INFO of each region counts its purged pages, one event per chunk at most",
	   what);
	if (limit_mb) {
		vt_leave_cgroup(CGROUP);
		ok(vt_status(out_fd, 0, 0) == VRANGE_STATUS_UNPINNED &&
		   out_map[0] == 0x70 &&
		   out_map[OUTSIDER_MB * MB - 1] == 0x70 &&
		   vt_purge_info(out_fd).purged_pages == 0,
		   "memcg order: an older VERY_LOW region outside the cgroup kept every page");
	}
}

/* ---- starve: NORMAL alone still goes ---------------------------------- */

static void starve(unsigned long mb, unsigned long short_mb)
{
	uint64_t quarter = mb * MB / vt_page / 4;
	unsigned char *map;
	int fd = region(mb, "normal", &map, 0x44);
	struct unit u;
	struct hog_result r;

	/* Two unpins through the old ioctl, two with the class one. */
	unpin_begins();
	if (vt_unpin(fd, 0, quarter) || vt_unpin(fd, quarter, quarter))
		bail_out("VRANGE_UNPIN: %s", strerror(errno));
	unit_init(&u, "NORMAL", fd, map, 2 * quarter, quarter,
		  VRANGE_CLASS_NORMAL, 0);
	unit_unpin(&u);
	u.first = 3 * quarter;
	unit_unpin(&u);
	u.first = 0;
	u.n = 4 * quarter;
	r = run_hog(short_mb, false);
	unit_count(&u, 0x44);
	unit_report(&u);
	row("normal-only", &r, 0, u.purged > 0, "");
	hog_ok("normal only", &r);
	ok(u.purged > 0 && !u.bad_data,
	   "normal only: reclaim purged NORMAL pages when no lower class had any (%lld pages)",
	   u.purged);
	ok(info_matches(fd, u.purged, "normal"),
	   "normal only: GET_PURGE_INFO counts them");
}

/* ---- obsolete: first, at any pressure --------------------------------- */

static void obsolete(unsigned long obs_mb, unsigned long other_mb)
{
	uint64_t half = obs_mb * MB / vt_page / 2;
	uint64_t other = other_mb * MB / vt_page;
	unsigned char *map[3];
	int fd[3], i;
	struct unit u[4];
	struct hog_result r;
	double t0;

	fd[0] = region(other_mb, "very-low", &map[0], 0x21);
	fd[1] = region(obs_mb, "obsolete", &map[1], 0x20);
	fd[2] = region(other_mb, "normal", &map[2], 0x24);
	unit_init(&u[0], "VERY_LOW", fd[0], map[0], 0, other,
		  VRANGE_CLASS_VERY_LOW, 0);
	unit_init(&u[1], "OBSOLETE-A", fd[1], map[1], 0, half,
		  VRANGE_CLASS_OBSOLETE, 0);
	unit_init(&u[2], "OBSOLETE-B", fd[1], map[1], half, half,
		  VRANGE_CLASS_OBSOLETE, 0);
	unit_init(&u[3], "NORMAL", fd[2], map[2], 0, other,
		  VRANGE_CLASS_NORMAL, 0);
	unpin_begins();
	for (i = 0; i < 4; i++)
		unit_unpin(&u[i]);
	r = run_hog(obs_mb + 2 * other_mb, true);
	/*
	 * The call that purged first may still be on its way, and a chunk
	 * is counted in GET_PURGE_INFO once freed, after GET_STATUS shows it.
	 */
	t0 = vt_now();
	do {
		unit_count(&u[1], 0x20);
		unit_count(&u[2], 0x20);
		if (u[1].unpinned + u[2].unpinned == 0 &&
		    (long long)vt_purge_info(fd[1]).purged_pages ==
		    u[1].purged + u[2].purged)
			break;
		usleep(100000);
	} while (vt_now() - t0 < 5);
	unit_count(&u[0], 0x21);
	unit_count(&u[3], 0x24);
	for (i = 0; i < 4; i++)
		unit_report(&u[i]);
	r.short_kb = obs_mb * 1024;	/* for the row: purged / OBSOLETE */
	row("obsolete", &r, u[0].purged + u[3].purged,
	    !u[0].purged && !u[3].purged &&
	    u[1].purged + u[2].purged == 2 * (long long)half, "");
	ok(vt_exited_ok(r.status) && !r.oom && r.purged > 0,
	   "obsolete: the gentle hog grew until the first purge, no OOM kill");
	ok(u[1].purged == (long long)half && u[2].purged == (long long)half,
	   "obsolete: every OBSOLETE page was purged (%lld + %lld of %llu)",
	   u[1].purged, u[2].purged, 2 * (unsigned long long)half);
	ok(!u[0].purged && !u[3].purged && !u[0].bad_data && !u[3].bad_data,
	   "obsolete: the older VERY_LOW and the NORMAL range kept every page (lost %lld, %lld)",
	   u[0].purged, u[3].purged);
	ok(info_matches(fd[1], u[1].purged + u[2].purged, "obsolete") &&
	   info_matches(fd[0], u[0].purged, "very-low") &&
	   info_matches(fd[2], u[3].purged, "normal"),
	   "obsolete: GET_PURGE_INFO of each region matches its pages");
}

/* ---- whole: all or nothing -------------------------------------------- */

static void whole(unsigned long nr, unsigned long range_mb,
		  unsigned long short_mb, unsigned long big_mb,
		  unsigned long big_short_mb)
{
	uint64_t n = range_mb * MB / vt_page;
	struct unit u[MAX_UNITS], big;
	unsigned char *map;
	struct hog_result r;
	long long all = 0, gone = 0, split = 0, intact_bad = 0;
	char name[24], extra[64];
	unsigned long i;
	int fd;

	if (nr > MAX_UNITS)
		bail_out("at most %d WHOLE ranges", MAX_UNITS);
	fd = region(nr * range_mb, "whole", &map, 0x57);
	unpin_begins();
	for (i = 0; i < nr; i++) {
		snprintf(name, sizeof(name), "WHOLE-%lu", i);
		unit_init(&u[i], name, fd, map, i * n, n, VRANGE_CLASS_LOW,
			  VRANGE_UNPIN_WHOLE);
		unit_unpin(&u[i]);
	}
	r = run_hog(short_mb, false);
	for (i = 0; i < nr; i++) {
		unit_count(&u[i], 0x57);
		unit_report(&u[i]);
		all += u[i].purged;
		gone += u[i].purged == (long long)n;
		if (u[i].purged && u[i].purged != (long long)n)
			split += u[i].purged;
		intact_bad += u[i].bad_data;
	}
	snprintf(extra, sizeof(extra), "whole ranges purged %lld of %lu", gone,
		 nr);
	row("whole", &r, split, !split, extra);
	hog_ok("whole", &r);
	ok(gone > 0 && gone < (long long)nr,
	   "whole: the shortfall took some of the WHOLE ranges, not all (%lld of %lu)",
	   gone, nr);
	ok(split == 0 && !intact_bad,
	   "whole: page by page, each WHOLE range is all purged or all intact (%lld pages of split ranges purged)",
	   split);
	ok(info_is(fd, all, gone, gone, "whole"),
	   "whole: GET_PURGE_INFO counts the purged ranges' pages, one event per range");
	munmap(map, nr * range_mb * MB);
	close(fd);

	/* One WHOLE range bigger than the shortfall, nothing else to take. */
	fd = region(big_mb, "whole-big", &map, 0x58);
	unit_init(&big, "WHOLE-big", fd, map, 0, big_mb * MB / vt_page,
		  VRANGE_CLASS_NORMAL, VRANGE_UNPIN_WHOLE);
	unpin_begins();
	unit_unpin(&big);
	r = run_hog(big_short_mb, false);
	unit_count(&big, 0x58);
	unit_report(&big);
	row("whole-big", &r, big.n - big.purged, big.purged == (long long)big.n,
	    "");
	hog_ok("whole big", &r);
	ok(big.purged == (long long)big.n,
	   "whole big: a %lu MB WHOLE range went whole for %lu MB short (%lld of %llu pages)",
	   big_mb, big_short_mb, big.purged, (unsigned long long)big.n);
	ok(info_is(fd, big.purged, 1, 1, "whole-big"),
	   "whole big: GET_PURGE_INFO counts all of its pages in one event");
}

/* ---- poll: woken by the shrinker's purge ------------------------------ */

struct waiters {
	volatile int ready, stop;
	volatile int poll_ret, poll_revents, poll_errno;
	volatile int poll_status;		/* GET_STATUS when it woke */
	volatile double poll_woke;		/* vt_now() when poll returned */
	volatile int ep_events, ep_ready;	/* EPOLLPRI seen, per fd bit */
};

/* Blocks in poll(POLLPRI) on @fd until something happens. */
static int poll_waiter(int fd, struct waiters *w)
{
	struct pollfd pfd = { .fd = fd, .events = POLLPRI };

	__sync_fetch_and_add(&w->ready, 1);
	w->poll_ret = poll(&pfd, 1, 120000);
	w->poll_errno = errno;
	w->poll_revents = pfd.revents;
	w->poll_status = vt_status(fd, 0, 0);
	w->poll_woke = vt_now();
	return 0;
}

/* epoll_wait() on @fds until told to stop; records every event. */
static int epoll_waiter(const int *fds, int nfds, struct waiters *w)
{
	struct epoll_event ev, got[4];
	int ep = epoll_create1(0), i, k;

	for (i = 0; i < nfds; i++) {
		ev.events = EPOLLPRI | EPOLLIN | EPOLLOUT;
		ev.data.u32 = i;
		if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, fds[i], &ev))
			return 2;
	}
	__sync_fetch_and_add(&w->ready, 1);
	while (!w->stop) {
		k = epoll_wait(ep, got, 4, 200);
		for (i = 0; i < k; i++) {
			w->ep_events |= got[i].events;
			w->ep_ready |= 1 << got[i].data.u32;
		}
		if (k > 0)
			return 0;
	}
	return 0;
}

static void do_poll(unsigned long vl_mb, unsigned long short_mb)
{
	unsigned char *map[3];
	int fd[3], quiet[2], st_poll, st_ep;
	struct waiters *w;
	struct hog_result r;
	struct pollfd pfd;
	struct unit u[2];
	pid_t pp, pe;
	double t0;

	w = mmap(NULL, sizeof(*w), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (w == MAP_FAILED)
		bail_out("mmap: %s", strerror(errno));
	memset((void *)w, 0, sizeof(*w));
	/* An older NORMAL region, the VERY_LOW one, a pinned-only one. */
	fd[0] = region(vl_mb / 3, "normal", &map[0], 0x34);
	fd[1] = region(vl_mb, "very-low", &map[1], 0x31);
	fd[2] = region(8, "pinned", &map[2], 0x30);
	unit_init(&u[0], "NORMAL", fd[0], map[0], 0, vl_mb / 3 * MB / vt_page,
		  VRANGE_CLASS_NORMAL, 0);
	unit_init(&u[1], "VERY_LOW", fd[1], map[1], 0, vl_mb * MB / vt_page,
		  VRANGE_CLASS_VERY_LOW, 0);
	unpin_begins();
	unit_unpin(&u[0]);
	unit_unpin(&u[1]);
	pfd.fd = fd[1];
	pfd.events = POLLPRI;
	ok(poll(&pfd, 1, 0) == 0,
	   "poll: nothing to report before any purge");

	/* The waiters share the regions through fork. */
	pp = fork();
	if (pp == 0)
		_exit(poll_waiter(fd[1], w));
	quiet[0] = fd[0];
	quiet[1] = fd[2];
	pe = fork();
	if (pe == 0)
		_exit(epoll_waiter(quiet, 2, w));
	for (t0 = vt_now(); w->ready < 2 && vt_now() - t0 < 10;)
		usleep(10000);
	usleep(200000);		/* into poll() and epoll_wait() */
	ok(w->poll_woke == 0 && w->ep_events == 0,
	   "poll: the waiters block while nothing is purged");

	r = run_hog(short_mb, false);
	/* The wake-up comes after the pages are freed: give it time. */
	for (t0 = vt_now(); !w->poll_woke && vt_now() - t0 < 30;)
		usleep(20000);
	usleep(500000);		/* a wrong wake-up of the other would show */
	w->stop = 1;
	if (!w->poll_woke)
		kill(pp, SIGKILL);
	st_poll = vt_wait(pp);
	st_ep = vt_wait(pe);
	unit_count(&u[0], 0x34);
	unit_count(&u[1], 0x31);
	unit_report(&u[0]);
	unit_report(&u[1]);
	row("poll", &r, u[0].purged, !u[0].purged && w->poll_revents == POLLPRI &&
	    !w->ep_events, "");
	hog_ok("poll", &r);
	ok(u[1].purged > 0 && u[0].purged == 0,
	   "poll: the shortfall purged the VERY_LOW region, not the older NORMAL one");
	if (!ok(vt_exited_ok(st_poll) && w->poll_ret == 1 &&
		w->poll_revents == POLLPRI,
		"poll: the child blocked in poll() woke with POLLPRI alone when the shrinker purged its region"))
		diag("poll returned %d (%s), revents %#x, %s",
		     w->poll_ret, strerror(w->poll_errno), w->poll_revents,
		     w->poll_woke ? "woke" : "never woke");
	ok(w->poll_status > 0 && (w->poll_status & VRANGE_STATUS_PURGED),
	   "poll: when it woke, GET_STATUS already showed the purge (%d)",
	   w->poll_status);
	if (!ok(vt_exited_ok(st_ep) && w->ep_events == 0,
		"poll: epoll_wait() on a pinned-only region and an untouched NORMAL one never woke"))
		diag("epoll events %#x on fds %#x", w->ep_events, w->ep_ready);
	pfd.fd = fd[1];
	pfd.revents = 0;
	ok(poll(&pfd, 1, 0) == 1 && pfd.revents == POLLPRI,
	   "poll: POLLPRI stays until GET_PURGE_INFO is read");
	ok(info_matches(fd[1], u[1].purged, "very-low"),
	   "poll: GET_PURGE_INFO counts the pages the shrinker purged (%lld)",
	   u[1].purged);
	pfd.revents = 0;
	ok(poll(&pfd, 1, 0) == 0,
	   "poll: reading GET_PURGE_INFO cleared POLLPRI");
	ok(info_matches(fd[0], 0, "normal") && info_matches(fd[2], 0, "pinned"),
	   "poll: GET_PURGE_INFO of the untouched regions is all zero");
	munmap((void *)w, sizeof(*w));
}

/* ---- main -------------------------------------------------------------- */

static unsigned long arg(char **argv, int i, int argc)
{
	if (i >= argc)
		bail_out("missing size argument %d", i);
	return strtoul(argv[i], NULL, 0);
}

int main(int argc, char **argv)
{
	const char *what;
	int a = 1;

	vt_init();
	if (argc < 2)
		bail_out("usage: vrange_classes_pressure order|starve|obsolete|whole|poll [--memcg LIMIT_MB] SIZES...");
	what = argv[a++];
	if (a + 1 < argc && !strcmp(argv[a], "--memcg")) {
		limit_mb = strtoul(argv[a + 1], NULL, 0);
		a += 2;
	}
	vt_set_oom_score_adj(-1000);
	diag("%s: MemTotal %lld kB, MemFree %lld kB", what,
	     vt_meminfo_kb("MemTotal"), vt_meminfo_kb("MemFree"));
	if (!strcmp(what, "order"))
		order(arg(argv, a, argc), arg(argv, a + 1, argc));
	else if (!strcmp(what, "starve"))
		starve(arg(argv, a, argc), arg(argv, a + 1, argc));
	else if (!strcmp(what, "obsolete"))
		obsolete(arg(argv, a, argc), arg(argv, a + 1, argc));
	else if (!strcmp(what, "whole"))
		whole(arg(argv, a, argc), arg(argv, a + 1, argc),
		      arg(argv, a + 2, argc), arg(argv, a + 3, argc),
		      arg(argv, a + 4, argc));
	else if (!strcmp(what, "poll"))
		do_poll(arg(argv, a, argc), arg(argv, a + 1, argc));
	else
		bail_out("unknown case %s", what);
	return tap_finish("vrange_classes_pressure");
}
