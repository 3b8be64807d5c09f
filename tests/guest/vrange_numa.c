// SPDX-License-Identifier: GPL-2.0
/*
 * vrange_numa: reclaim on one node purges that node's unpinned pages.
 *
 * Two regions, A with its pages on node 0 and B on node 1 (the test binds
 * itself with set_mempolicy(), no numactl), are filled and unpinned.  A
 * hog bound to one node then takes that node's free memory and SHORT_MB
 * more, so only that node reclaims: the region on it must give the pages,
 * although it is the newer one, and the region on the other node must
 * keep every page, although an LRU blind to nodes would purge it first.
 * Then the same the other way round.  No OOM kill, no failed allocation.
 *
 * Automatic NUMA balancing is switched off: it would migrate the pages
 * to the node of the CPU that touches them.
 *
 * Needs a guest with two memory nodes (tests/vm/boots.conf: "2x256").
 */
#include <sys/syscall.h>

#include "vrange_test.h"

#define MB		(1024UL * 1024UL)
#define REGION_MB	64
#define SHORT_MB	32
#define STEP_MB		8
#define MPOL_DEFAULT	0
#define MPOL_BIND	2
#define MPOL_F_NODE	1
#define MPOL_F_ADDR	2

struct region {
	const char *name;
	int fd, node;
	unsigned char *map;
	uint64_t gen;
};

static void bind_node(int node)
{
	unsigned long mask = 1UL << node;

	if (syscall(SYS_set_mempolicy, node < 0 ? MPOL_DEFAULT : MPOL_BIND,
		    node < 0 ? NULL : &mask, node < 0 ? 0 : 8 * sizeof(mask)))
		bail_out("set_mempolicy(node %d): %s", node, strerror(errno));
}

static int page_node(const void *addr)
{
	int node = -1;

	if (syscall(SYS_get_mempolicy, &node, NULL, 0, addr,
		    MPOL_F_NODE | MPOL_F_ADDR))
		return -1;
	return node;
}

/* "Node N MemFree: X kB" from the node's meminfo, in bytes. */
static long long node_free(int node)
{
	char path[96], line[160], key[64];
	long long kb = -1, v;
	int n;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/meminfo",
		 node);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Node %d %63s %lld", &n, key, &v) == 3 &&
		    !strcmp(key, "MemFree:"))
			kb = v;
	fclose(f);
	return kb * 1024;
}

static long long npages(void)
{
	return REGION_MB * MB / vt_page;
}

/* Write every page of @r from its node, then check a sample is there. */
static void fill(struct region *r)
{
	long long i, off = 0;

	r->gen++;
	bind_node(r->node);
	for (i = 0; i < npages(); i++)
		vt_fill_page(r->map + i * vt_page, i, r->gen);
	bind_node(-1);
	for (i = 0; i < npages(); i += npages() / 16)
		off += page_node(r->map + i * vt_page) != r->node;
	ok(off == 0, "%s: its pages are on node %d (%lld of 16 sampled elsewhere)",
	   r->name, r->node, off);
}

static void unpin(struct region *r)
{
	long long step = STEP_MB * MB / vt_page, i;

	for (i = 0; i < npages(); i += step)
		if (vt_unpin(r->fd, i, step))
			bail_out("%s: unpin: %s", r->name, strerror(errno));
}

static long long purged(struct region *r)
{
	return vt_fdinfo(r->fd, "vrange_purged_pages");
}

/*
 * Pin @r and check its data: every page intact, or zero where purged.
 * Reading a purged page allocates a new one: on @r's node.
 */
static void pin_check(struct region *r, int want_intact)
{
	long long i, lost = 0, bad = 0;
	int ret = vt_pin(r->fd, 0, npages());

	bind_node(r->node);
	for (i = 0; i < npages(); i++) {
		unsigned char *p = r->map + i * vt_page;

		if (vt_page_matches(p, i, r->gen))
			continue;
		if (vt_is_zero(p, vt_page))
			lost++;
		else
			bad++;
	}
	bind_node(-1);
	ok(bad == 0 && (ret == VRANGE_WAS_PURGED) == (lost > 0),
	   "%s: PIN says %s, %lld pages zeroed, %lld wrong", r->name,
	   ret == VRANGE_WAS_PURGED ? "WAS_PURGED" : "NOT_PURGED", lost, bad);
	if (want_intact)
		ok(lost == 0, "%s: no page lost", r->name);
}

static const char *const vmstat_keys[] = {
	"pgsteal_kswapd", "pgsteal_direct", "allocstall_movable",
	"thp_fault_alloc", "compact_stall", "pgscan_kswapd", "pgscan_direct",
};
static long long vmstat_before[sizeof(vmstat_keys) / sizeof(vmstat_keys[0])];

/* What reclaim did meanwhile, for the log: /proc/vmstat deltas. */
static void vmstat_diag(const char *what)
{
	char line[512] = "";
	size_t i, n = 0;

	for (i = 0; i < sizeof(vmstat_keys) / sizeof(vmstat_keys[0]); i++) {
		long long v = vt_file_value("/proc/vmstat", vmstat_keys[i], ' ');

		if (what)
			n += snprintf(line + n, sizeof(line) - n, " %s %lld",
				      vmstat_keys[i], v - vmstat_before[i]);
		vmstat_before[i] = v;
	}
	if (what)
		diag("%s: vmstat%s", what, line);
}

/*
 * A child bound to @node takes the node's free memory and SHORT_MB more:
 * reclaim on that node alone must make room.
 */
static void hog(int node, struct region *mine, struct region *other)
{
	long long before_mine = purged(mine), before_other = purged(other);
	long long oom_purges = vt_stat("oom_purges"), got, kept;
	long long scans = vt_stat("shrinker_scans");
	int kmsg = vt_kmsg_open_at_end(), status, ooms;
	pid_t pid;

	vmstat_diag(NULL);
	pid = fork();
	if (pid == 0) {
		long long bytes;

		vt_set_oom_score_adj(0);
		bind_node(node);
		bytes = node_free(node) + (long long)(SHORT_MB * MB);
		diag("hog: node %d has %lld MB free, taking %lld MB", node,
		     node_free(node) / (long long)MB, bytes / (long long)MB);
		_exit(bytes > 0 && vt_touch_anon(bytes) ? 0 : 1);
	}
	status = vt_wait(pid);
	ooms = kmsg >= 0 ? vt_kmsg_count_oom(kmsg) : -1;
	if (kmsg >= 0)
		close(kmsg);
	vmstat_diag("hog");
	got = purged(mine) - before_mine;
	kept = purged(other) - before_other;
	diag("numa-row node %d short %d hog %s, purged %lld MB (%s) other %lld MB oom-notifier %lld scans %lld",
	     node, SHORT_MB, vt_exited_ok(status) && !ooms ? "ok" : "failed",
	     got * vt_page / (long long)MB, mine->name,
	     kept * vt_page / (long long)MB, vt_stat("oom_purges") - oom_purges,
	     vt_stat("shrinker_scans") - scans);
	ok(vt_exited_ok(status) && ooms == 0,
	   "node %d: the hog got its memory, no OOM kill (%d OOM lines)", node,
	   ooms);
	if (!vt_exited_ok(status))
		vt_describe_status("hog", status);
	ok(kept == 0, "node %d: %s on the other node lost nothing (%lld pages)",
	   node, other->name, kept);
	ok(got > 0 && got * vt_page <= 3 * SHORT_MB * MB / 2 + 2 * MB,
	   "node %d: %s purged %lld MB, at most 1.5x the %d MB shortfall + 2 MB",
	   node, mine->name, got * vt_page / (long long)MB, SHORT_MB);
}

int main(void)
{
	struct region a = { .name = "A", .node = 0 };
	struct region b = { .name = "B", .node = 1 };

	vt_init();
	if (access("/sys/devices/system/node/node1", F_OK)) {
		skip("one memory node", "NUMA: reclaim on a node purges its pages");
		return tap_finish("vrange_numa");
	}
	vt_set_oom_score_adj(-1000);
	/* Automatic NUMA balancing would move the pages to the test's CPU. */
	vt_write_file("/proc/sys/kernel/numa_balancing", "0");
	a.fd = vt_create(REGION_MB * MB, "numa-A", (void **)&a.map);
	b.fd = vt_create(REGION_MB * MB, "numa-B", (void **)&b.map);
	fill(&a);
	fill(&b);

	/* B is the newer: node 1's reclaim must still take B, never A. */
	unpin(&a);
	unpin(&b);
	hog(1, &b, &a);
	pin_check(&a, 1);
	pin_check(&b, 0);

	/* Now A is the newer, and node 0 reclaims: A goes, B stays. */
	fill(&b);
	unpin(&b);
	unpin(&a);
	hog(0, &a, &b);
	pin_check(&b, 1);
	pin_check(&a, 0);

	munmap(a.map, REGION_MB * MB);
	munmap(b.map, REGION_MB * MB);
	close(a.fd);
	close(b.fd);
	ok(vt_stat("unpinned_pages") == 0 && vt_stat("purged_pages") == 0,
	   "unpinned_pages and purged_pages are back to 0");
	return tap_finish("vrange_numa");
}
