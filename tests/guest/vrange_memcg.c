// SPDX-License-Identifier: GPL-2.0
/*
 * vrange_memcg: unpinned ranges across memory cgroup changes.
 *
 *  removed  A region is filled and unpinned in cgroup P/a, whose owner then
 *           leaves and removes P/a.  The kernel moves a removed cgroup's
 *           LRU lists to its parent, so lowering P's memory.max below its
 *           usage must purge them there, with no OOM kill.
 *  moved    The owner fills a region in P/a, unpins half of it, moves to
 *           P/b and unpins the other half.  The pages are P/a's, so both
 *           halves are listed under P/a, whoever unpinned them: lowering
 *           P/a's memory.max below the first half must purge from both
 *           without an OOM kill, and no page may be lost: each is still
 *           unpinned or purged, and PIN reports what went.
 *
 * Both end with every region closed and the module's page gauges at 0.
 */
#include "vrange_test.h"

#define MB		(1024UL * 1024UL)
#define REGION_MB	32
/* Below the 16 MB unpinned in P/a: P/b's unpin must go as well. */
#define MOVED_LIMIT_MB	6
#define CG		"/sys/fs/cgroup"
#define P		CG "/vrange-memcg"

static void join(const char *cg)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/cgroup.procs", cg);
	if (vt_write_file(path, "0"))
		bail_out("joining %s: %s", cg, strerror(errno));
}

static void make_cgroups(void)
{
	rmdir(P "/a");
	rmdir(P "/b");
	rmdir(P);
	vt_write_file(CG "/cgroup.subtree_control", "+memory");
	if (mkdir(P, 0755) || vt_write_file(P "/cgroup.subtree_control", "+memory") ||
	    mkdir(P "/a", 0755) || mkdir(P "/b", 0755))
		bail_out("cgroups under %s: %s", P, strerror(errno));
	vt_write_file(P "/memory.swap.max", "0");
}

static int region(unsigned char **map)
{
	int fd = vt_create(REGION_MB * MB, "memcg", (void **)map);

	memset(*map, 0x6b, REGION_MB * MB);
	return fd;
}

/* Lower @cg's memory.max to @mb: the write itself reclaims down to it. */
static int limit(const char *cg, unsigned long mb)
{
	char path[128], buf[32];

	snprintf(path, sizeof(path), "%s/memory.max", cg);
	snprintf(buf, sizeof(buf), "%luM", mb);
	return vt_write_file(path, buf);
}

static void check_region(const char *what, int fd, long long npages)
{
	long long unpinned = vt_fdinfo(fd, "vrange_unpinned_pages");
	long long purged = vt_fdinfo(fd, "vrange_purged_pages");
	int ret;

	ok(unpinned + purged == npages,
	   "%s: every page is still unpinned or purged (%lld + %lld of %lld)",
	   what, unpinned, purged, npages);
	ret = vt_pin(fd, 0, npages);
	ok(ret == (purged ? VRANGE_WAS_PURGED : VRANGE_NOT_PURGED),
	   "%s: PIN reports what was purged (%d, %lld pages purged)", what,
	   ret, purged);
}

static void removed(void)
{
	long long npages = REGION_MB * MB / vt_page, before, got, usage;
	unsigned char *map;
	int fd, i;

	make_cgroups();
	join(P "/a");
	fd = region(&map);
	for (i = 0; i < 4; i++)
		vt_prange(fd, VRANGE_UNPIN, i * npages / 4, npages / 4);
	join(CG);
	ok(rmdir(P "/a") == 0, "removed: P/a removed with its ranges listed");
	before = vt_stat("purged_pages_total");
	ok(limit(P, REGION_MB / 2) == 0,
	   "removed: P's memory.max lowered below its usage");
	got = vt_stat("purged_pages_total") - before;
	usage = vt_read_number(P "/memory.current");
	diag("removed: purged %lld MB, P's usage %lld MB", got * vt_page / MB,
	     usage / (long long)MB);
	ok(got > 0 && usage <= (long long)(REGION_MB / 2 * MB),
	   "removed: the parent purged the removed cgroup's ranges down to its limit");
	ok(vt_file_value(P "/memory.events", "oom", ' ') == 0,
	   "removed: no OOM in P");
	check_region("removed", fd, npages);
	munmap(map, REGION_MB * MB);
	close(fd);
}

static void moved(void)
{
	long long npages = REGION_MB * MB / vt_page, usage;
	unsigned char *map;
	int fd;

	make_cgroups();
	join(P "/a");
	fd = region(&map);
	vt_prange(fd, VRANGE_UNPIN, 0, npages / 2);
	join(P "/b");
	vt_prange(fd, VRANGE_UNPIN, npages / 2, npages / 2);
	join(CG);
	ok(limit(P "/a", MOVED_LIMIT_MB) == 0,
	   "moved: P/a's memory.max lowered below its usage");
	usage = vt_read_number(P "/a/memory.current");
	diag("moved: P/a's usage %lld MB, region purged %lld MB",
	     usage / (long long)MB,
	     vt_fdinfo(fd, "vrange_purged_pages") * vt_page / (long long)MB);
	ok(usage <= (long long)(MOVED_LIMIT_MB * MB) &&
	   vt_file_value(P "/a/memory.events", "oom", ' ') == 0,
	   "moved: P/a made room by purging, no OOM kill");
	check_region("moved", fd, npages);
	munmap(map, REGION_MB * MB);
	close(fd);
}

int main(void)
{
	vt_init();
	if (access(CG "/cgroup.controllers", R_OK))
		bail_out("no cgroup2 at %s", CG);
	vt_set_oom_score_adj(-1000);
	removed();
	moved();
	rmdir(P "/a");
	rmdir(P "/b");
	ok(rmdir(P) == 0 || errno == EBUSY, "the test cgroups are removed");
	ok(vt_stat("unpinned_pages") == 0 && vt_stat("purged_pages") == 0,
	   "unpinned_pages and purged_pages are back to 0");
	return tap_finish("vrange_memcg");
}
