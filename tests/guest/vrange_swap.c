// SPDX-License-Identifier: GPL-2.0
/*
 * vrange_swap <vrange|madv_free> <ws_MB> <cache_MB> <unpin_calls> <hog_MB>
 *
 * Purge before swap, the reclaim issue's second pattern.  With swap
 * enabled, this process keeps ws_MB of pinned anonymous memory (its
 * working set, touched once) and cache_MB of regenerable cache: a vrange
 * region unpinned in unpin_calls equal calls, or (the reference) anonymous
 * memory given up with MADV_FREE.  A child then touches hog_MB page by
 * page.  The working set plus the hog fit in memory once the cache is
 * gone, so reclaim has no reason to swap the working set out while any
 * cache page is still resident, and none to swap out cache pages at all.
 *
 * Prints one "swap-row" diag line per run for the reclaim table.
 */
#include "vrange_test.h"

#define MB	(1024UL * 1024UL)
/*
 * Pinned memory that may reach swap while cache pages remain: the reclaim
 * issue's bound.  Each reclaim pass evicts from the LRUs before it calls
 * the shrinkers, so a pass that comes before the purge-ahead caught up
 * costs a few pinned pages (6.12 with MGLRU: 1.25 MB in 1 of about 20
 * runs); the rows report the exact figure.
 */
#define WS_SWAP_MAX_KB	(4 * 1024)

/* The kB of field @key in /proc/self/smaps for the mapping at @addr. */
static long long smaps_kb(const void *addr, const char *key)
{
	unsigned long lo, hi, a = (unsigned long)addr;
	char line[512];
	size_t n = strlen(key);
	long long v = -1;
	int in = 0;
	FILE *f = fopen("/proc/self/smaps", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 &&
		    strchr(line, '-') < strchr(line, ' ')) {
			in = a >= lo && a < hi;
			continue;
		}
		if (in && !strncmp(line, key, n) && line[n] == ':') {
			v = strtoll(line + n + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return v;
}

/* The child: touch @bytes, then tell @out how much of it is in swap. */
static int hog(size_t bytes, int out)
{
	unsigned char *p;
	long long swap;

	vt_set_oom_score_adj(1000);
	p = vt_touch_anon(bytes);
	if (!p)
		return 2;
	swap = smaps_kb(p, "Swap");
	if (write(out, &swap, sizeof(swap)) != sizeof(swap))
		return 3;
	return 0;
}

static const char *lru_gen(void)
{
	static char buf[32];
	FILE *f = fopen("/sys/kernel/mm/lru_gen/enabled", "r");

	if (!f)
		return "none";
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	return strcmp(buf, "0x0000") ? "on" : "off";
}

int main(int argc, char **argv)
{
	size_t ws, cache, hog_bytes, off, step;
	unsigned long calls;
	long long ws_swap, cache_swap, cache_left = 0, purged_kb = 0;
	long long pswpout0, pswpout1, before = 0, hog_swap = -1;
	long long cache_swap_max = 0;
	unsigned char *wsmap, *cmap;
	int vr, kind, fd = -1, kmsg, kills, status, pfd[2];
	pid_t pid;

	vt_init();
	if (argc != 6)
		bail_out("usage: vrange_swap vrange|madv_free ws_MB cache_MB unpin_calls hog_MB");
	vr = !strcmp(argv[1], "vrange");
	ws = strtoul(argv[2], NULL, 0) * MB;
	cache = strtoul(argv[3], NULL, 0) * MB;
	calls = strtoul(argv[4], NULL, 0);
	hog_bytes = strtoul(argv[5], NULL, 0) * MB;
	if (!calls || cache % (calls * vt_page))
		bail_out("the cache must split into page-aligned unpins");
	step = cache / calls;
	vt_set_oom_score_adj(-1000);

	wsmap = mmap(NULL, ws, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (wsmap == MAP_FAILED)
		bail_out("working set: %s", strerror(errno));
	madvise(wsmap, ws, MADV_NOHUGEPAGE);
	memset(wsmap, 0x3c, ws);
	kind = vr ? VT_CACHE_VRANGE : VT_CACHE_MADV_FREE;
	fd = vt_cache_create(kind, cache, "swap-cache", &cmap);
	memset(cmap, 0x5a, cache);
	if (vr)
		before = vt_stat("purged_pages_total");
	for (off = 0; off < cache; off += step)
		vt_cache_unpin(kind, fd, cmap, off, step);

	kmsg = vt_kmsg_open_at_end();
	pswpout0 = vt_file_value("/proc/vmstat", "pswpout", ' ');
	if (pipe(pfd))
		bail_out("pipe: %s", strerror(errno));
	pid = fork();
	if (pid == 0)
		_exit(hog(hog_bytes, pfd[1]));
	close(pfd[1]);
	/* Sample the cache's swap while the hog runs: a purge frees it. */
	fcntl(pfd[0], F_SETFL, O_NONBLOCK);
	for (;;) {
		ssize_t n = read(pfd[0], &hog_swap, sizeof(hog_swap));
		long long now = smaps_kb(cmap, "Swap");

		if (now > cache_swap_max)
			cache_swap_max = now;
		if (n == sizeof(hog_swap))
			break;
		if (n == 0 || (n < 0 && errno != EAGAIN)) {
			hog_swap = -1;
			break;
		}
		usleep(20000);
	}
	close(pfd[0]);
	status = vt_wait(pid);
	pswpout1 = vt_file_value("/proc/vmstat", "pswpout", ' ');
	kills = vt_kmsg_count_oom(kmsg);
	close(kmsg);

	ws_swap = smaps_kb(wsmap, "Swap");
	cache_swap = smaps_kb(cmap, "Swap");
	if (cache_swap > cache_swap_max)
		cache_swap_max = cache_swap;
	if (vr) {
		purged_kb = (vt_stat("purged_pages_total") - before) *
			    (long long)(vt_page / 1024);
		/* Unpinned pages still there, in memory or in swap. */
		cache_left = vt_fdinfo(fd, "vrange_unpinned_pages") *
			     (long long)(vt_page / 1024);
	} else {
		cache_left = smaps_kb(cmap, "Rss");
		purged_kb = (long long)(cache / 1024) - cache_left;
	}

	diag("swap-row %s lru_gen=%s hog %s: working set swapped %lld MB, cache swapped %lld MB (at most %lld MB), cache dropped %lld MB, cache left %lld MB, hog swapped %lld MB, pswpout %lld MB",
	     argv[1], lru_gen(), vt_exited_ok(status) && !kills ? "ok" : "failed",
	     ws_swap / 1024, cache_swap / 1024, cache_swap_max / 1024,
	     purged_kb / 1024, cache_left / 1024, hog_swap / 1024,
	     (pswpout1 - pswpout0) * (long long)vt_page / (long long)MB);
	if (!ok(vt_exited_ok(status) && !kills,
		"%s: the %zu MB hog got its memory, no OOM kill", argv[1],
		hog_bytes / MB))
		vt_describe_status("hog", status);
	if (vr) {
		ok(cache_swap_max == 0,
		   "vrange: no unpinned page seen in swap (at most %lld kB)",
		   cache_swap_max);
		ok(ws_swap <= WS_SWAP_MAX_KB || cache_left == 0,
		   "vrange: at most %d kB of pinned memory went to swap while unpinned pages remained (%lld kB swapped, %lld kB unpinned left)",
		   WS_SWAP_MAX_KB, ws_swap, cache_left);
		close(fd);
	}
	return tap_finish("vrange_swap");
}
