// SPDX-License-Identifier: GPL-2.0
/*
 * vrange_shortfall <region_MB> <unpin_calls> <shortfall_MB>...
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
 */
#include "vrange_test.h"

#define MB	(1024UL * 1024UL)

static long long meminfo_kb(const char *key)
{
	char line[256];
	long long v = -1;
	size_t n = strlen(key);
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ':') {
			v = strtoll(line + n + 1, NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

/* The child: one mapping of @bytes, every page written in order. */
static int hog(size_t bytes)
{
	unsigned char *p;
	size_t off;

	vt_set_oom_score_adj(1000);
	p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 2;
	for (off = 0; off < bytes; off += vt_page)
		p[off] = 1;
	return 0;
}

static void run(unsigned long region_mb, unsigned long calls,
		unsigned long short_mb)
{
	uint64_t size = region_mb * MB, step = size / calls, off;
	long long before, after, free_kb, purged_kb;
	int fd, kmsg, kills, status;
	unsigned char *map;
	pid_t pid;

	fd = vt_create(size, "shortfall", (void **)&map);
	if (fd < 0)
		bail_out("region of %lu MB: %s", region_mb, strerror(errno));
	memset(map, 0x5a, size);
	for (off = 0; off < size; off += step)
		vt_range(fd, VRANGE_UNPIN, off, step);

	kmsg = vt_kmsg_open_at_end();
	before = vt_stat("purged_pages_total");
	free_kb = meminfo_kb("MemFree");
	pid = fork();
	if (pid == 0)
		_exit(hog((size_t)free_kb * 1024 + short_mb * MB));
	status = vt_wait(pid);
	after = vt_stat("purged_pages_total");
	kills = vt_kmsg_count_oom(kmsg);
	close(kmsg);
	purged_kb = (after - before) * (long long)(vt_page / 1024);

	ok(vt_exited_ok(status) && !kills,
	   "%lu MB unpinned in %lu calls, %lu MB short: the hog of %lld MB got its memory, no OOM kill",
	   region_mb, calls, short_mb, free_kb / 1024 + (long long)short_mb);
	if (!vt_exited_ok(status))
		vt_describe_status("hog", status);
	diag("shortfall %lu MB: purged %lld MB (%.2fx), oom_purges %lld, shrinker_scans %lld",
	     short_mb, purged_kb / 1024,
	     (double)purged_kb / (double)(short_mb * 1024),
	     vt_stat("oom_purges"), vt_stat("shrinker_scans"));
	ok(vt_fdinfo(fd, "vrange_unpinned_pages") +
	   vt_fdinfo(fd, "vrange_purged_pages") ==
	   (long long)(size / vt_page),
	   "every page of the region is still either unpinned or purged");
	munmap(map, size);
	close(fd);
}

int main(int argc, char **argv)
{
	unsigned long region_mb, calls;
	int i;

	vt_init();
	if (argc < 4)
		bail_out("usage: vrange_shortfall region_MB unpin_calls shortfall_MB...");
	region_mb = strtoul(argv[1], NULL, 0);
	calls = strtoul(argv[2], NULL, 0);
	if (!region_mb || !calls || (region_mb * MB) % (calls * vt_page))
		bail_out("the region must split into page-aligned unpins");
	vt_set_oom_score_adj(-1000);
	for (i = 3; i < argc; i++)
		run(region_mb, calls, strtoul(argv[i], NULL, 0));
	return tap_finish("vrange_shortfall");
}
