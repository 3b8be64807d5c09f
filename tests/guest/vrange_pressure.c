// SPDX-License-Identifier: GPL-2.0
/*
 * vrange_pressure <unpinned_MB> <child_MB | avail-N> [--pinned | --gentle | --memcg]
 *
 * A worker fills unpinned_MB of vrange regions (split into NREG regions,
 * unpinned oldest first) and then forks a hog that mallocs and touches
 * child_MB. Under the guest's small memory the hog can only succeed if the
 * vrange shrinker purges unpinned pages, least recently unpinned first.
 *
 * With --pinned (the control run) nothing is unpinned and the OOM killer
 * must fire: that shows the unpinned runs really depended on the purge.
 *
 * With --memcg the worker and the hog run in a cgroup whose memory.max is
 * two thirds of unpinned_MB + child_MB: reclaim in that cgroup must purge
 * its unpinned pages too, instead of OOM-killing inside the cgroup.
 *
 * With --gentle two regions (older A, newer B) share unpinned_MB and the
 * hog grows 2 MB at a time only until the first purge happens (at most
 * child_MB): purging about as much as the hog needs means A goes and B
 * stays intact.
 *
 * This process only watches: it makes itself unkillable by the OOM killer
 * and a child subreaper, so it survives to print the verdict whoever gets
 * killed. The worker reports through a shared anonymous page.
 */
#include <stdbool.h>
#include <sys/prctl.h>

#include "vrange_test.h"

#define NREG	8
#define MB	(1024UL * 1024UL)

struct region_result {
	long long unpinned;		/* fdinfo before the final PIN */
	long long purged;
	long long purged_resident;
	int pin_ret;
	int data_ok;			/* 1: every page intact or zero */
	long long zero_pages;
};

/*
 * Unpin age order of the parts: region 0's left half, region 0's right
 * half (split off by pinning one page after everything was unpinned, it
 * keeps region 0's unpin time), then regions 1..NREG-1.
 */
#define NPARTS	(NREG + 1)

struct part_result {
	long long unpinned;		/* pages unpinned and not purged */
	long long purged;
};

enum mode { MODE_UNPINNED, MODE_PINNED, MODE_GENTLE, MODE_MEMCG };

#define CGROUP_ROOT	"/sys/fs/cgroup"
#define CGROUP_TEST	CGROUP_ROOT "/vrange-pressure"

struct pressure_result {
	int filled;
	int hog_mb;			/* gentle: MB held when it stopped */
	int hog_status;
	int hog_done;
	int checked;
	struct region_result reg[NREG];
	struct part_result part[NPARTS];
};

static const char *const counters[] = {
	"purged_pages_total", "purge_events", "shrinker_scans",
	"resident_pages", "unpinned_pages", "purged_pages",
};
#define NCOUNTERS (sizeof(counters) / sizeof(counters[0]))

static void read_counters(long long *v)
{
	unsigned int i;

	for (i = 0; i < NCOUNTERS; i++)
		v[i] = vt_stat(counters[i]);
}

static void print_counters(const char *when, const long long *v)
{
	diag("%s: purged_pages_total=%lld purge_events=%lld shrinker_scans=%lld resident_pages=%lld unpinned_pages=%lld purged_pages=%lld",
	     when, v[0], v[1], v[2], v[3], v[4], v[5]);
}

/* A memory cgroup limited to @limit_mb; 0 on success. */
static int cgroup_setup(size_t limit_mb)
{
	char buf[32];

	vt_write_file(CGROUP_ROOT "/cgroup.subtree_control", "+memory");
	rmdir(CGROUP_TEST);
	if (mkdir(CGROUP_TEST, 0755) && errno != EEXIST)
		return -1;
	snprintf(buf, sizeof(buf), "%zuM", limit_mb);
	if (vt_write_file(CGROUP_TEST "/memory.max", buf))
		return -1;
	vt_write_file(CGROUP_TEST "/memory.swap.max", "0");
	return 0;
}

/* ---- worker and hog ------------------------------------------------- */

static void hog(size_t mb)
{
	size_t i;
	char *p = malloc(mb * MB);

	if (!p)
		_exit(3);
	for (i = 0; i < mb; i++)
		memset(p + i * MB, 0x5a, MB);
	_exit(0);
}

/* Grow until the first purge, so the deficit stays below 2 MB. */
static void gentle_hog(size_t max_mb, struct pressure_result *res)
{
	long long purged0 = vt_stat("purged_pages_total");
	size_t mb;

	for (mb = 2; mb <= max_mb; mb += 2) {
		char *p = malloc(2 * MB);

		if (!p)
			_exit(3);
		memset(p, 0x5a, 2 * MB);
		res->hog_mb = mb;
		if (vt_stat("purged_pages_total") > purged0)
			break;
	}
	_exit(0);
}

static void fill_region(unsigned char *map, size_t npages)
{
	size_t p;

	for (p = 0; p < npages; p++)
		vt_fill_page(map + p * vt_page, p, 1);
}

/* Count purged and unpinned pages of [first, end) page by page. */
static void count_part(int fd, size_t first, size_t end,
		       struct part_result *part)
{
	size_t p;

	for (p = first; p < end; p++) {
		int st = vt_status(fd, p, 1);

		if (st & VRANGE_STATUS_PURGED)
			part->purged++;
		else if (st & VRANGE_STATUS_UNPINNED)
			part->unpinned++;
	}
}

/* Pin region @i and check every page is either intact or zero. */
static void check_region(int fd, unsigned char *map, size_t npages,
			 struct region_result *r)
{
	size_t p;

	r->unpinned = vt_fdinfo(fd, "vrange_unpinned_pages");
	r->purged = vt_fdinfo(fd, "vrange_purged_pages");
	r->purged_resident = vt_purged_resident(fd);
	r->pin_ret = vt_pin(fd, 0, 0);
	r->data_ok = 1;
	for (p = 0; p < npages; p++) {
		unsigned char *page = map + p * vt_page;

		if (vt_is_zero(page, vt_page))
			r->zero_pages++;
		else if (!vt_page_matches(page, p, 1))
			r->data_ok = 0;
	}
}

static void worker(size_t unpinned_mb, size_t child_mb, enum mode mode,
		   struct pressure_result *res)
{
	int nreg = mode == MODE_GENTLE ? 2 : NREG;
	size_t npages = vt_page_align((unpinned_mb * MB) / nreg) / vt_page;
	unsigned char *map[NREG];
	int fd[NREG], i;
	char name[32];
	pid_t pid;

	vt_set_oom_score_adj(0);
	if (mode == MODE_MEMCG && vt_write_file(CGROUP_TEST "/cgroup.procs", "0"))
		_exit(4);
	for (i = 0; i < nreg; i++) {
		void *m;

		snprintf(name, sizeof(name), "pressure-%d", i);
		fd[i] = vt_create(npages * vt_page, name, &m);
		map[i] = m;
		fill_region(map[i], npages);
	}
	/* Oldest first: region 0 is the least recently unpinned. */
	for (i = 0; i < nreg && mode != MODE_PINNED; i++)
		vt_unpin(fd[i], 0, 0);
	/* Split region 0: its right part must keep region 0's age. */
	if (mode == MODE_UNPINNED)
		vt_pin(fd[0], npages / 2, 1);
	res->filled = 1;
	pid = fork();
	if (pid == 0) {
		if (mode == MODE_GENTLE)
			gentle_hog(child_mb, res);
		hog(child_mb);
	}
	res->hog_status = vt_wait(pid);
	res->hog_done = 1;
	if (mode == MODE_UNPINNED) {
		count_part(fd[0], 0, npages / 2, &res->part[0]);
		count_part(fd[0], npages / 2 + 1, npages, &res->part[1]);
		for (i = 1; i < NREG; i++)
			count_part(fd[i], 0, npages, &res->part[i + 1]);
	}
	for (i = 0; i < nreg; i++)
		check_region(fd[i], map[i], npages, &res->reg[i]);
	res->checked = 1;
	_exit(0);
}

/* ---- verdicts --------------------------------------------------------- */

static int describe_hog(const struct pressure_result *res)
{
	if (res->hog_done)
		return vt_describe_status("memory hog", res->hog_status);
	return diag("memory hog: its parent died before reaping it");
}

static bool was_killed(int status)
{
	return status != -1 && WIFSIGNALED(status) &&
	       WTERMSIG(status) == SIGKILL;
}

/*
 * Parts listed in @order (oldest unpin first): no part may lose a page
 * while an older one still has unpinned, unpurged pages.
 */
static bool lru_order_ok(const struct pressure_result *res, const int *order,
			 int n)
{
	int i, j;

	for (j = 1; j < n; j++) {
		const struct part_result *newer = &res->part[order[j]];

		if (newer->purged <= 0)
			continue;
		for (i = 0; i < j; i++) {
			const struct part_result *older = &res->part[order[i]];

			if (older->unpinned != 0) {
				diag("part %d still has %lld unpinned pages although newer part %d lost %lld",
				     order[i], older->unpinned, order[j],
				     newer->purged);
				return false;
			}
		}
	}
	return true;
}

static void report_regions(const struct pressure_result *res, int nreg)
{
	int i;

	for (i = 0; i < nreg; i++)
		diag("region %d (unpinned %s): purged %lld, unpinned %lld, purged resident %lld, PIN %d, zero pages %lld",
		     i, i == 0 ? "first" : i == nreg - 1 ? "last" : "",
		     res->reg[i].purged, res->reg[i].unpinned,
		     res->reg[i].purged_resident, res->reg[i].pin_ret,
		     res->reg[i].zero_pages);
	for (i = 0; i < NPARTS && nreg == NREG; i++)
		diag("part %d (%s): purged %lld, unpinned %lld", i,
		     i == 0 ? "region 0 left" : i == 1 ? "region 0 right" :
		     "region", res->part[i].purged, res->part[i].unpinned);
}

static void verdict_unpinned(const struct pressure_result *res,
			     int worker_status, size_t child_mb,
			     const long long *c0, const long long *c1, int oom)
{
	bool any_purged = false, data_ok = true, no_resident = true;
	int i;

	if (!ok(res->hog_done && vt_exited_ok(res->hog_status),
		"child allocated %zu MB", child_mb))
		describe_hog(res);
	if (!ok(vt_exited_ok(worker_status) && res->checked,
		"region owner survived the memory pressure"))
		vt_describe_status("region owner", worker_status);
	if (!res->checked)
		return;
	report_regions(res, NREG);
	for (i = 0; i < NREG; i++) {
		any_purged |= res->reg[i].pin_ret == VRANGE_WAS_PURGED;
		data_ok &= res->reg[i].data_ok &&
			   (res->reg[i].pin_ret == VRANGE_WAS_PURGED ||
			    res->reg[i].zero_pages == 0);
		no_resident &= res->reg[i].purged_resident == 0;
	}
	ok(any_purged, "PIN after the pressure reports VRANGE_WAS_PURGED");
	ok(data_ok, "after PIN every page holds its data or zeros, and only WAS_PURGED regions have zeros");
	ok(no_resident, "no purged page is resident (debugfs purged_resident_pages == 0)");
	{
		const int regions[] = { 0, 2, 3, 4, 5, 6, 7, 8 };
		const int split[] = { 1, 2, 3, 4, 5, 6, 7, 8 };

		ok(lru_order_ok(res, regions, 8),
		   "least recently unpinned regions are purged first");
		ok(lru_order_ok(res, split, 8),
		   "a range split by a later PIN keeps its unpin age in the LRU");
	}
	ok(c1[0] > c0[0] && c1[1] > c0[1] && c1[2] > c0[2],
	   "purged_pages_total, purge_events and shrinker_scans went up");
	if (oom < 0)
		skip("/dev/kmsg not readable", "no OOM kill in the kernel log");
	else
		ok(oom == 0, "no OOM kill in the kernel log");
}

static void verdict_pinned(const struct pressure_result *res,
			   int worker_status, int oom)
{
	bool killed = was_killed(worker_status) ||
		      (res->hog_done && was_killed(res->hog_status));

	vt_describe_status("region owner", worker_status);
	describe_hog(res);
	ok(res->filled, "control: pinned regions were filled before the hog ran");
	ok(killed, "control: with everything pinned the OOM killer had to kill");
	if (!ok(oom > 0, "control: the kernel log shows the OOM kill"))
		diag("(no OOM lines found in /dev/kmsg)");
}

static void verdict_gentle(const struct pressure_result *res,
			   int worker_status, const long long *c0,
			   const long long *c1, int oom)
{
	const struct region_result *a = &res->reg[0], *b = &res->reg[1];

	if (!ok(res->hog_done && vt_exited_ok(res->hog_status),
		"gentle: the hog grew until the first purge without being killed"))
		describe_hog(res);
	if (!ok(vt_exited_ok(worker_status) && res->checked,
		"gentle: region owner survived"))
		vt_describe_status("region owner", worker_status);
	if (!res->checked)
		return;
	diag("hog stopped at %d MB; purged %lld pages in %lld events",
	     res->hog_mb, c1[0] - c0[0], c1[1] - c0[1]);
	report_regions(res, 2);
	ok(a->purged > 0 && a->pin_ret == VRANGE_WAS_PURGED,
	   "gentle: the least recently unpinned region was purged");
	ok(b->purged == 0 && b->pin_ret == VRANGE_NOT_PURGED && b->zero_pages == 0 &&
	   b->data_ok,
	   "gentle: a small deficit spares the more recently unpinned region");
	ok(a->data_ok && a->purged_resident == 0 && b->purged_resident == 0,
	   "gentle: pages hold data or zeros, no purged page resident");
	if (oom < 0)
		skip("/dev/kmsg not readable", "gentle: no OOM kill in the kernel log");
	else
		ok(oom == 0, "gentle: no OOM kill in the kernel log");
}

static int usage(const char *prog)
{
	fprintf(stderr, "usage: %s <unpinned_MB> <child_MB | avail-N> [--pinned | --gentle | --memcg]\n",
		prog);
	return 2;
}

/*
 * memcg run: before the worker starts, this process (outside the test
 * cgroup) unpins a region of its own.  It is the least recently unpinned
 * of all, so a purge that ignored cgroups would take it first.
 */
#define OUTSIDER_MB	8

static int outsider_create(unsigned char **map)
{
	void *m;
	int fd = vt_create(OUTSIDER_MB << 20, "outsider", &m);

	*map = m;
	memset(*map, 0x5a, OUTSIDER_MB << 20);
	vt_unpin(fd, 0, (OUTSIDER_MB << 20) / vt_page);
	return fd;
}

static void verdict_outsider(int fd, const unsigned char *map)
{
	unsigned long n = (OUTSIDER_MB << 20) / vt_page, p;
	int st = vt_status(fd, 0, n), pin = vt_pin(fd, 0, n);

	for (p = 0; p < (OUTSIDER_MB << 20); p++)
		if (map[p] != 0x5a)
			break;
	if (!ok(st == VRANGE_STATUS_UNPINNED && pin == VRANGE_NOT_PURGED &&
		p == (OUTSIDER_MB << 20),
		"memcg: an older unpinned region outside the cgroup was not purged"))
		diag("outsider: status %d, PIN %d, data intact up to byte %lu",
		     st, pin, p);
}

static void verdict_memcg(const struct pressure_result *res,
			  int worker_status, size_t limit_mb, long long oom_kills)
{
	bool purged = false, data_ok = true;
	int i;

	diag("cgroup memory.max %zu MB; memory.events oom_kill %lld", limit_mb,
	     oom_kills);
	if (!ok(res->hog_done && vt_exited_ok(res->hog_status),
		"memcg: the hog got its memory inside memory.max"))
		describe_hog(res);
	if (!ok(vt_exited_ok(worker_status) && res->checked,
		"memcg: region owner in the cgroup survived"))
		vt_describe_status("region owner", worker_status);
	ok(oom_kills == 0, "memcg: no OOM kill inside the cgroup");
	if (!res->checked)
		return;
	report_regions(res, NREG);
	for (i = 0; i < NREG; i++) {
		purged |= res->reg[i].pin_ret == VRANGE_WAS_PURGED;
		data_ok &= res->reg[i].data_ok && res->reg[i].purged_resident == 0;
	}
	ok(purged, "memcg: reclaim in the cgroup purged its unpinned pages");
	ok(data_ok, "memcg: pages hold data or zeros, no purged page resident");
}

static const char *const mode_desc[] = {
	[MODE_UNPINNED] = "pressure run: unpinned",
	[MODE_PINNED] = "control run: kept pinned",
	[MODE_GENTLE] = "gentle run: unpinned (2 regions)",
	[MODE_MEMCG] = "memcg run: unpinned, in a limited cgroup",
};

int main(int argc, char **argv)
{
	long long c0[NCOUNTERS], c1[NCOUNTERS];
	struct pressure_result *res;
	size_t unpinned_mb, child_mb;
	enum mode mode = MODE_UNPINNED;
	size_t limit_mb = 0;
	unsigned char *outsider_map = NULL;
	int kmsg, oom, status, outsider = -1;
	double t0;
	pid_t pid;

	if (argc < 3 || argc > 4)
		return usage(argv[0]);
	unpinned_mb = strtoul(argv[1], NULL, 0);
	child_mb = vt_parse_mb(argv[2]);
	if (argc == 4 && !strcmp(argv[3], "--pinned"))
		mode = MODE_PINNED;
	else if (argc == 4 && !strcmp(argv[3], "--gentle"))
		mode = MODE_GENTLE;
	else if (argc == 4 && !strcmp(argv[3], "--memcg"))
		mode = MODE_MEMCG;
	else if (argc == 4)
		return usage(argv[0]);
	if (!unpinned_mb || !child_mb)
		return usage(argv[0]);

	vt_init();
	if (access(VRANGE_DEVICE, R_OK | W_OK))
		bail_out("%s: %s", VRANGE_DEVICE, strerror(errno));
	vt_set_oom_score_adj(-1000);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	res = mmap(NULL, sizeof(*res), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (res == MAP_FAILED)
		bail_out("mmap: %s", strerror(errno));
	memset(res, 0, sizeof(*res));

	diag("%s, %zu MB of regions, hog %zu MB; MemTotal %lld kB, MemAvailable %lld kB",
	     mode_desc[mode], unpinned_mb, child_mb,
	     vt_meminfo_kb("MemTotal"), vt_meminfo_kb("MemAvailable"));
	if (mode == MODE_MEMCG) {
		limit_mb = (unpinned_mb + child_mb) * 2 / 3;
		if (cgroup_setup(limit_mb)) {
			skip(strerror(errno), "memcg: no memory cgroup to test in");
			return tap_finish("vrange_pressure");
		}
		outsider = outsider_create(&outsider_map);
	}
	read_counters(c0);
	print_counters("before", c0);
	kmsg = vt_kmsg_open_at_end();
	/*
	 * The memcg run must not OOM, but if it does its TAP lines say so:
	 * keep the kernel's report from being counted a second time.
	 */
	if (mode == MODE_PINNED || mode == MODE_MEMCG)
		printf("@@VRANGE-EXPECT-OOM-BEGIN\n");
	t0 = vt_now();
	pid = fork();
	if (pid == 0)
		worker(unpinned_mb, child_mb, mode, res);
	status = vt_wait(pid);
	/* Reap an orphaned hog if the worker was killed first. */
	while (wait(NULL) > 0 || errno == EINTR)
		;
	if (mode == MODE_PINNED || mode == MODE_MEMCG)
		printf("@@VRANGE-EXPECT-OOM-END\n");
	diag("elapsed %.1f s", vt_now() - t0);
	read_counters(c1);
	print_counters("after", c1);
	oom = kmsg >= 0 ? vt_kmsg_count_oom(kmsg) : -1;
	if (kmsg < 0)
		diag("cannot read /dev/kmsg: %s", strerror(errno));

	if (mode == MODE_PINNED)
		verdict_pinned(res, status, oom);
	else if (mode == MODE_GENTLE)
		verdict_gentle(res, status, c0, c1, oom);
	else if (mode == MODE_MEMCG)
		verdict_memcg(res, status, limit_mb,
			      vt_file_value(CGROUP_TEST "/memory.events", "oom_kill", ' '));
	else
		verdict_unpinned(res, status, child_mb, c0, c1, oom);
	if (mode == MODE_MEMCG) {
		verdict_outsider(outsider, outsider_map);
		rmdir(CGROUP_TEST);
	}
	return tap_finish("vrange_pressure");
}
