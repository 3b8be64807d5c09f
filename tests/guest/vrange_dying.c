// SPDX-License-Identifier: GPL-2.0
/*
 * vrange_dying [--cold] [MAX_UNPINS]: reclaim while a closed region's
 * intervals are still being freed.
 *
 * A region with ~200,000 one-page unpins (MAX_UNPINS at most) is closed,
 * and the worker frees them for a second or more.  Their batches are the
 * oldest on the purge LRU, ahead of a live region's 64 MB of unpinned
 * cache.  The unpins ran from the highest page down, and the worker frees
 * from the lowest up, so the LRU's head is the part the worker reaches
 * last: the shrinker itself has to take dying batches off the LRU (never
 * touching their set) to reach the live ones behind them.
 *
 * While the free runs, a hog that already holds all but 24 MB of free
 * memory asks for 48 MB more, faster than the freeing gives slab pages
 * back: the live cache has to be purged.  Judged: the hog gets its memory
 * with no OOM kill; the live region loses pages while the dying one is
 * still being freed; every live page is then intact or zero-filled; every
 * node of the dying region is freed.  A warning or list corruption in the
 * walk fails the boot through the log.
 *
 * --cold keeps that region open instead (the known-gap-cold plan): its
 * one-page ranges, never touched, are then purged one walk each, oldest
 * first, freeing nothing, before the live cache's turn comes.  The row
 * says how long the hog waited for that.
 */
#include <stdbool.h>

#include "vrange_test.h"

#define MB		(1024UL * 1024UL)
#define LIVE_MB		64
#define LIVE_CALLS	16
#define HEADROOM_MB	24	/* free memory the hog leaves at first */
#define SHORT_MB	48	/* what it then needs from the live cache */
/* Nodes a chunked purge may add to the live region by splitting. */
#define LIVE_SLACK	256

/* Fills @bytes, tells the parent, waits for the go, then fills @more. */
static int hog(size_t bytes, size_t more, int ready, int go)
{
	char c = 0;

	vt_set_oom_score_adj(1000);
	if (!vt_touch_anon(bytes))
		return 2;
	if (write(ready, "r", 1) != 1 || read(go, &c, 1) != 1)
		return 3;
	return vt_touch_anon(more) ? 0 : 2;
}

static bool intact(const unsigned char *p)
{
	uint64_t i;

	for (i = 0; i < vt_page; i++)
		if (p[i] != 0x5a)
			return false;
	return true;
}

/* One-page unpins of every other page, the highest first, until @max. */
static long fill_dying(int fd, long max)
{
	long i, n = 0;

	for (i = max - 1; i >= 0; i--, n++)
		if (vt_unpin(fd, 2 * i, 1))
			break;
	return n;
}

int main(int argc, char **argv)
{
	long long ranges0, ranges_dying, ranges_live, oom0, sunr0, sunr_dying;
	long long free_kb, purged, live_purged = 0, first_purge_ms = -1;
	long long freed_ms = -1, hog_ms = -1, n;
	uint64_t live_size = LIVE_MB * MB, pages, i;
	int ready[2], go[2], fd, live, kmsg, status = -1, bad = 0;
	unsigned char *map;
	void *dying;
	long unpins, max;
	double t0;
	pid_t pid;
	bool cold = argc > 1 && !strcmp(argv[1], "--cold");
	char c;

	vt_init();
	if (cold) {
		argc--;
		argv++;
	}
	ranges0 = vt_stat("ranges");
	oom0 = vt_file_value("/proc/vmstat", "oom_kill", ' ');
	sunr0 = vt_meminfo_kb("SUnreclaim");

	/* Most of the system bound, in one region: a free that lasts. */
	max = (vt_stat("max_ranges") - ranges0) / 2 * 9 / 10;
	if (argc > 1 && atol(argv[1]) > 0 && atol(argv[1]) < max)
		max = atol(argv[1]);
	vt_set_param("max_user_ranges", vt_stat("max_ranges"));
	fd = vt_open();
	if (fd < 0 || vt_set_size(fd, 2 * max * vt_page))
		bail_out("dying region: %s", strerror(errno));
	/* The backing file comes with the first mapping. */
	dying = mmap(NULL, 2 * max * vt_page, PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_NORESERVE, fd, 0);
	if (dying == MAP_FAILED)
		bail_out("mmap of the dying region: %s", strerror(errno));
	unpins = fill_dying(fd, max);
	if (unpins < max)
		diag("unpin %ld of %ld: %s", unpins + 1, max, strerror(errno));
	ranges_dying = vt_stat("ranges") - ranges0;
	sunr_dying = vt_meminfo_kb("SUnreclaim") - sunr0;
	ok(unpins == max, "the dying region holds %ld one-page unpins (%lld nodes, SUnreclaim +%lld kB)",
	   unpins, ranges_dying, sunr_dying);

	/* The live cache: newer, so behind every dying batch on the LRU. */
	live = vt_create(live_size, "live", (void **)&map);
	if (live < 0)
		bail_out("live region: %s", strerror(errno));
	memset(map, 0x5a, live_size);
	for (i = 0; i < LIVE_CALLS; i++)
		bad += vt_unpin(live, i * (live_size / vt_page / LIVE_CALLS),
				live_size / vt_page / LIVE_CALLS) != 0;
	vt_set_param("max_user_ranges", 0);
	ranges_live = vt_stat("ranges") - ranges0 - ranges_dying;
	ok(!bad && vt_fdinfo(live, "vrange_unpinned_pages") ==
		   (long long)(live_size / vt_page),
	   "the live region's %d MB are unpinned in %d calls", LIVE_MB,
	   LIVE_CALLS);
	bad = 0;

	if (pipe(ready) || pipe(go))
		bail_out("pipe: %s", strerror(errno));
	free_kb = vt_meminfo_kb("MemFree");
	if (free_kb < HEADROOM_MB * 1024 + 16 * 1024)
		bail_out("only %lld kB free", free_kb);
	kmsg = vt_kmsg_open_at_end();
	pid = fork();
	if (pid == 0) {
		/* Only the parent's close may be the last reference. */
		munmap(dying, 2 * max * vt_page);
		close(fd);
		_exit(hog((free_kb - HEADROOM_MB * 1024) * 1024,
			  (HEADROOM_MB + SHORT_MB) * MB,
			  ready[1], go[0]));
	}
	if (read(ready[0], &c, 1) != 1)
		bail_out("the hog died before its first fill");

	/* The last reference: the worker starts freeing. */
	if (!cold) {
		munmap(dying, 2 * max * vt_page);
		close(fd);
	}
	t0 = vt_now();
	if (write(go[1], "g", 1) != 1)
		bail_out("pipe: %s", strerror(errno));
	while (vt_now() - t0 < 120) {
		long long ms = (vt_now() - t0) * 1e3;

		n = vt_fdinfo(live, "vrange_purged_pages");
		if (n > 0 && first_purge_ms < 0)
			first_purge_ms = ms;
		if (freed_ms < 0 && !cold &&
		    vt_stat("ranges") <= ranges0 + ranges_live + LIVE_SLACK)
			freed_ms = ms;
		if (status < 0) {
			if (waitpid(pid, &status, WNOHANG) == pid)
				hog_ms = ms;
			else
				status = -1;
		}
		if (status >= 0 && (freed_ms >= 0 || cold))
			break;
		usleep(2000);
	}
	if (status < 0)
		status = vt_wait(pid);
	live_purged = vt_fdinfo(live, "vrange_purged_pages");
	if (cold) {
		n = vt_fdinfo(fd, "vrange_purged_pages");
		munmap(dying, 2 * max * vt_page);
		close(fd);
		diag("cold-row %ld one-page ranges, %lld purged; hog done at %lld ms; live cache's first purge at %lld ms, %lld of %llu pages purged; oom_purges %lld",
		     unpins, n, hog_ms, first_purge_ms, live_purged,
		     (unsigned long long)(live_size / vt_page),
		     vt_stat("oom_purges"));
	}
	diag("dying-row %ld unpins freed in %lld ms; hog done at %lld ms; live cache's first purge at %lld ms, %lld of %llu pages purged; oom_purges %lld",
	     unpins, freed_ms, hog_ms, first_purge_ms, live_purged,
	     (unsigned long long)(live_size / vt_page), vt_stat("oom_purges"));

	ok(vt_exited_ok(status) && !vt_kmsg_count_oom(kmsg) &&
	   vt_file_value("/proc/vmstat", "oom_kill", ' ') == oom0,
	   "the hog gets %d MB more while the %s region is %s, no OOM kill",
	   HEADROOM_MB + SHORT_MB, cold ? "cold" : "dying",
	   cold ? "purged" : "freed");
	if (!vt_exited_ok(status))
		vt_describe_status("hog", status);
	close(kmsg);
	if (cold)
		ok(first_purge_ms >= 0,
		   "the live cache is purged at %lld ms, after the old cold ranges",
		   first_purge_ms);
	else
		ok(first_purge_ms >= 0 && freed_ms >= 0 &&
		   first_purge_ms < freed_ms,
		   "the live cache is purged at %lld ms, before the dying region's nodes are all freed (%lld ms)",
		   first_purge_ms, freed_ms);
	/* --cold closed it only now. */
	n = vt_wait_ranges(ranges0 + ranges_live + LIVE_SLACK) - ranges0;
	ok(n >= 0 && n <= ranges_live + LIVE_SLACK,
	   "the dying region's %lld nodes are all freed; the live region holds %lld (had %lld)",
	   ranges_dying, n, ranges_live);

	/* Pin: each live page is its old self, or zero where purged. */
	purged = vt_pin(live, 0, live_size / vt_page);
	pages = live_size / vt_page;
	for (i = 0; i < pages; i++)
		if (!intact(map + i * vt_page) && !vt_is_zero(map + i * vt_page,
							      vt_page))
			bad++;
	ok(purged == VRANGE_WAS_PURGED && live_purged > 0 && !bad,
	   "pin reports the purge; every live page is intact or zero-filled (%d bad)",
	   bad);
	munmap(map, live_size);
	close(live);
	ok(vt_wait_ranges(ranges0) == ranges0,
	   "no node is left once both are closed");
	printf("1..%d\n", tap_count);
	return tap_failed ? 1 : 0;
}
