// SPDX-License-Identifier: GPL-2.0
/*
 * vrange_shortfall [--memcg LIMIT_MB] [--hogs N] [--steps MB]
 *                  [--cache vrange|madv_free|ashmem]
 *                  <region_MB> <unpin_calls> <shortfall_MB>...
 *
 * The reclaim issue's first pattern, as a new user meets it: fill a
 * region of region_MB, unpin it in unpin_calls equal calls (oldest
 * first), then for each shortfall a child maps what MemFree shows plus
 * shortfall_MB in one anonymous mapping and touches it page by page, as
 * fast as it can.  The unpinned pages cover the shortfall, so the child
 * must neither be OOM-killed nor fail its mapping; the run reports how
 * much was purged against the shortfall.
 *
 * This process keeps the region and is never the OOM killer's victim;
 * the child volunteers (oom_score_adj 1000).  An OOM kill also shows in
 * the guest log, which fails the boot on its own.
 *
 * --hogs N splits that memory among N children allocating at once (two
 * direct reclaimers beside kswapd); --steps MB makes each child allocate
 * gradually, one mmap of MB at a time, each touched before the next.
 *
 * With --memcg, both run in a memory cgroup whose memory.max is LIMIT_MB
 * (no swap), and the hog maps what the limit leaves plus the shortfall:
 * reclaim at the cgroup's limit must purge no more than there.
 *
 * --cache names what holds the cache instead of a vrange region, for the
 * reference rows: madv_free (private anonymous memory given up with
 * MADV_FREE) or ashmem (/dev/ashmem areas unpinned with ASHMEM_UNPIN:
 * the kernel's own ashmem_linux.ko where loaded, else vrange's node).
 * What they dropped is what left memory (mincore); their runs are
 * recorded, not judged, inside the harness's expected-OOM markers.
 */
#include <stdbool.h>

#include "vrange_test.h"

#define MB	(1024UL * 1024UL)
#define CGROUP	"/sys/fs/cgroup/vrange-shortfall"

static unsigned long limit_mb;	/* --memcg: the cgroup's memory.max */
static unsigned long nr_hogs = 1;	/* --hogs */
static unsigned long step_mb;		/* --steps; 0: one mapping */
static int cache = VT_CACHE_VRANGE;	/* --cache */
static bool reference;			/* cache is not vrange's own */

/* Pages of the cache still in memory. */
static long long cache_resident(unsigned char *map, uint64_t size)
{
	static unsigned char vec[(256UL << 20) >> 12];
	uint64_t n = size / vt_page, i;
	long long pages = 0;

	if (n > sizeof(vec) || mincore(map, size, vec))
		bail_out("mincore of %llu pages: %s", (unsigned long long)n,
			 strerror(errno));
	for (i = 0; i < n; i++)
		pages += vec[i] & 1;
	return pages;
}

/* Pages of the cache dropped so far: vrange counts them itself. */
static long long cache_dropped(unsigned char *map, uint64_t size)
{
	if (!reference)
		return vt_stat("purged_pages_total");
	return size / vt_page - cache_resident(map, size);
}

/* A child: @bytes in one mapping, or in step_mb mappings, all written. */
static int hog(size_t bytes)
{
	size_t step = step_mb ? step_mb * MB : bytes, done;

	vt_set_oom_score_adj(1000);
	for (done = 0; done < bytes; done += step)
		if (!vt_touch_anon(step < bytes - done ? step : bytes - done))
			return 2;
	return 0;
}

/* The reference's name in the row: which ashmem answered /dev/ashmem. */
static const char *cache_label(void)
{
	if (cache != VT_CACHE_ASHMEM)
		return vt_cache_names[cache];
	return access("/sys/module/ashmem_linux", F_OK) ? "vrange-ashmem" :
							    "ashmem_linux";
}

/* The hogs' case name in the row: "+2hogs", "+4MBsteps", or nothing. */
static const char *pattern(void)
{
	static char buf[32];
	int n = 0;

	buf[0] = 0;
	if (nr_hogs > 1)
		n += snprintf(buf + n, sizeof(buf) - n, "+%luhogs", nr_hogs);
	if (step_mb)
		snprintf(buf + n, sizeof(buf) - n, "+%luMBsteps", step_mb);
	return buf;
}

static void run(unsigned long region_mb, unsigned long calls,
		unsigned long short_mb)
{
	uint64_t size = region_mb * MB, step = size / calls, off;
	long long before, after, free_kb, purged_kb;
	char unit[64], scope[48];
	int fd, kmsg, kills, status = 0;
	bool good;
	unsigned char *map;
	unsigned long i;
	pid_t pid[8];

	fd = vt_cache_create(cache, size, "shortfall", &map);
	memset(map, 0x5a, size);
	for (off = 0; off < size; off += step)
		vt_cache_unpin(cache, fd, map, off, step);

	kmsg = vt_kmsg_open_at_end();
	if (reference)
		printf("@@VRANGE-EXPECT-OOM-BEGIN\n");
	before = cache_dropped(map, size);
	if (limit_mb)
		free_kb = (long long)limit_mb * 1024 -
			  vt_read_number(CGROUP "/memory.current") / 1024;
	else
		free_kb = vt_meminfo_kb("MemFree");
	for (i = 0; i < nr_hogs; i++) {
		pid[i] = fork();
		if (pid[i] == 0)
			_exit(hog(((size_t)free_kb * 1024 + short_mb * MB) /
				  nr_hogs));
	}
	for (i = 0; i < nr_hogs; i++) {
		int st = vt_wait(pid[i]);

		if (!vt_exited_ok(st) && vt_exited_ok(status))
			status = st;	/* the first failure tells */
	}
	after = cache_dropped(map, size);
	kills = vt_kmsg_count_oom(kmsg);
	close(kmsg);
	if (reference)
		printf("@@VRANGE-EXPECT-OOM-END\n");
	purged_kb = (after - before) * (long long)(vt_page / 1024);

	good = vt_exited_ok(status) && !kills;
	if (reference)
		ok(1, "reference %s: %lu MB in %lu calls, %lu MB short: recorded (hog %s)",
		   cache_label(), region_mb, calls, short_mb,
		   good ? "ok" : "failed");
	else
		ok(good, "%s%lu MB unpinned in %lu calls, %lu MB short: %lu hog(s) of %lld MB in all got their memory, no OOM kill",
		   limit_mb ? "memcg: " : "", region_mb, calls, short_mb,
		   nr_hogs, free_kb / 1024 + (long long)short_mb);
	if (!vt_exited_ok(status))
		vt_describe_status("hog", status);
	if (reference)
		snprintf(scope, sizeof(scope), "%s:%s",
			 limit_mb ? "memcg" : "global", cache_label());
	else
		snprintf(scope, sizeof(scope), "%s",
			 limit_mb ? "memcg" : "global");
	/* An unpin below 1 MB is named in KiB: 3200x64K. */
	if (size / calls >= MB)
		snprintf(unit, sizeof(unit), "%lux%llu%s", calls,
			 (unsigned long long)(size / calls / MB), pattern());
	else
		snprintf(unit, sizeof(unit), "%lux%lluK%s", calls,
			 (unsigned long long)(size / calls / 1024), pattern());
	diag("shortfall-row %s %s MB short %lu MB: hog %s, purged %lld MB (%.2fx), oom_purges %lld, shrinker_scans %lld",
	     scope, unit,
	     short_mb, good ? "ok" : "failed",
	     purged_kb / 1024,
	     (double)purged_kb / (double)(short_mb * 1024),
	     vt_stat("oom_purges"), vt_stat("shrinker_scans"));
	if (!reference)
		ok(vt_fdinfo(fd, "vrange_unpinned_pages") +
		   vt_fdinfo(fd, "vrange_purged_pages") ==
		   (long long)(size / vt_page),
		   "every page of the region is still either unpinned or purged");
	munmap(map, size);
	if (fd >= 0)
		close(fd);
}

int main(int argc, char **argv)
{
	unsigned long region_mb, calls;
	int i, a = 1;

	vt_init();
	for (; a + 1 < argc && !strncmp(argv[a], "--", 2); a += 2) {
		unsigned long v = strtoul(argv[a + 1], NULL, 0);

		if (!strcmp(argv[a], "--memcg"))
			limit_mb = v;
		else if (!strcmp(argv[a], "--hogs") && v >= 1 && v <= 8)
			nr_hogs = v;
		else if (!strcmp(argv[a], "--steps") && v)
			step_mb = v;
		else if (!strcmp(argv[a], "--cache") &&
			 vt_cache_kind(argv[a + 1]) >= 0)
			cache = vt_cache_kind(argv[a + 1]);
		else
			bail_out("bad option %s %s", argv[a], argv[a + 1]);
	}
	if (argc < a + 3)
		bail_out("usage: vrange_shortfall [--memcg LIMIT_MB] [--hogs N] [--steps MB] [--cache vrange|madv_free|ashmem] region_MB unpin_calls shortfall_MB...");
	reference = cache != VT_CACHE_VRANGE;
	region_mb = strtoul(argv[a], NULL, 0);
	calls = strtoul(argv[a + 1], NULL, 0);
	if (!region_mb || !calls || (region_mb * MB) % (calls * vt_page))
		bail_out("the region must split into page-aligned unpins");
	vt_set_oom_score_adj(-1000);
	if (limit_mb)
		vt_join_limited_cgroup(CGROUP, limit_mb);
	for (i = a + 2; i < argc; i++)
		run(region_mb, calls, strtoul(argv[i], NULL, 0));
	if (limit_mb)
		vt_leave_cgroup(CGROUP);
	return tap_finish("vrange_shortfall");
}
