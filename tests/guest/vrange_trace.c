// SPDX-License-Identifier: GPL-2.0
/*
 * The vrange tracepoints, read back through tracefs.
 *
 * Enables events/vrange/, then drives each event with real traffic: an
 * unpin, PURGE, a touch of a purged page (SIGBUS), a pin of the purged
 * range and of an intact one, PURGE_ALL, and a shrinker purge under the
 * pressure of a hog inside a memory cgroup with a limit.  Each record must
 * be there with the region's fdinfo vrange_id, the pages, the reason's
 * name, the node and the cgroup's inode number.  With the events off, the
 * same traffic must leave no record.  A kernel without tracefs events
 * (the debug kernel's allnoconfig) skips, and says so.
 *
 * Needs root and its own vrange: it reads and clears the trace buffer.
 */
#include <sys/mount.h>

#include "vrange_test.h"

#define TRACEFS		"/sys/kernel/tracing"
#define EVENTS		TRACEFS "/events/vrange"
#define CGROUP_ROOT	"/sys/fs/cgroup"
#define CGROUP_TEST	CGROUP_ROOT "/vrange-trace"
#define MB		(1024 * 1024UL)

static const char *const events[] = {
	"vrange_unpin", "vrange_pin", "vrange_purge", "vrange_shrink_scan",
	"vrange_sigbus",
};

#define NR_EVENTS	(sizeof(events) / sizeof(events[0]))

/* The trace buffer, read once per phase: one record a line. */
static char *trace_buf;
static char **recs;
static size_t nr_recs;

static int tracefs_ready(void)
{
	struct stat st;

	if (!stat(TRACEFS "/events", &st))
		return 1;
	if (stat(TRACEFS, &st))
		return 0;
	mount("nodev", TRACEFS, "tracefs", 0, NULL);
	return !stat(TRACEFS "/events", &st);
}

static void trace_set(const char *file, const char *value)
{
	char path[256];

	snprintf(path, sizeof(path), TRACEFS "/%s", file);
	if (vt_write_file(path, value))
		diag("write %s to %s: %s", value, path, strerror(errno));
}

/* Empty the buffer: opening "trace" with O_TRUNC clears it. */
static void trace_clear(void)
{
	int fd = open(TRACEFS "/trace", O_WRONLY | O_TRUNC);

	if (fd >= 0)
		close(fd);
}

static void trace_read(void)
{
	size_t len = 0, cap = 1 << 20;
	ssize_t n;
	char *line;
	int fd;

	free(trace_buf);
	free(recs);
	trace_buf = malloc(cap + 1);
	recs = NULL;
	nr_recs = 0;
	fd = open(TRACEFS "/trace", O_RDONLY);
	if (!trace_buf || fd < 0)
		bail_out("read %s/trace: %s", TRACEFS, strerror(errno));
	while ((n = read(fd, trace_buf + len, cap - len)) > 0) {
		len += n;
		if (len == cap) {
			cap *= 2;
			trace_buf = realloc(trace_buf, cap + 1);
			if (!trace_buf)
				bail_out("trace buffer: out of memory");
		}
	}
	close(fd);
	trace_buf[len] = 0;
	for (line = strtok(trace_buf, "\n"); line; line = strtok(NULL, "\n")) {
		if (line[0] == '#' || !strstr(line, " vrange_"))
			continue;
		recs = realloc(recs, (nr_recs + 1) * sizeof(*recs));
		if (!recs)
			bail_out("trace records: out of memory");
		recs[nr_recs++] = line;
	}
}

/* The number after " @key=" in @rec, or -1. */
static long long rec_val(const char *rec, const char *key)
{
	char pat[80];
	const char *p;

	snprintf(pat, sizeof(pat), " %s=", key);
	p = strstr(rec, pat);
	return p ? strtoll(p + strlen(pat), NULL, 0) : -1;
}

/*
 * Does @rec have the field "@kv" (key=value) as a whole word, or for
 * "key>0" a positive value?
 */
static int rec_has(const char *rec, const char *kv)
{
	size_t len = strlen(kv);
	const char *p = rec;

	if (len > 2 && !strcmp(kv + len - 2, ">0")) {
		char key[64];

		snprintf(key, sizeof(key), "%.*s", (int)(len - 2), kv);
		return rec_val(rec, key) > 0;
	}

	while ((p = strstr(p, kv))) {
		if ((p == rec || p[-1] == ' ') && (p[len] == ' ' || !p[len]))
			return 1;
		p += len;
	}
	return 0;
}

/*
 * The first record of @event with every "key=value" of the NULL-ended
 * list, or NULL (then the records of @event are shown).
 */
static const char *find_rec(const char *event, ...)
{
	char name[64];
	const char *kv;
	va_list ap;
	size_t i;

	snprintf(name, sizeof(name), " %s: ", event);
	for (i = 0; i < nr_recs; i++) {
		int match = !!strstr(recs[i], name);

		va_start(ap, event);
		while (match && (kv = va_arg(ap, const char *)))
			match = rec_has(recs[i], kv);
		va_end(ap);
		if (match)
			return recs[i];
	}
	for (i = 0; i < nr_recs; i++)
		if (strstr(recs[i], name))
			diag("  %s", recs[i]);
	if (!nr_recs)
		diag("  (no vrange record in the trace)");
	return NULL;
}

/* Show the first @max records, the event name onwards. */
static void show_recs(size_t max)
{
	size_t i;

	for (i = 0; i < nr_recs && i < max; i++)
		diag("%s", strstr(recs[i], " vrange_") + 1);
	if (nr_recs > max)
		diag("... %zu records in all", nr_recs);
}

static int count_recs(const char *event)
{
	char name[64];
	int n = 0;
	size_t i;

	snprintf(name, sizeof(name), " %s: ", event);
	for (i = 0; i < nr_recs; i++)
		n += !!strstr(recs[i], name);
	return n;
}

/* "key=value" strings for find_rec(), a few at a time. */
static char kvbuf[8][64];

__attribute__((format(printf, 2, 3)))
static const char *kv(int slot, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(kvbuf[slot], sizeof(kvbuf[slot]), fmt, ap);
	va_end(ap);
	return kvbuf[slot];
}

static void check_format(void)
{
	static const char *const reasons[] = {
		"\"shrinker\"", "\"purge\"", "\"purge_all\"", "\"oom\"",
	};
	char path[256], fmt[8192];
	size_t i;
	ssize_t n;
	int fd;

	for (i = 0; i < NR_EVENTS; i++) {
		struct stat st;

		snprintf(path, sizeof(path), EVENTS "/%s/format", events[i]);
		ok(!stat(path, &st), "events/vrange/%s is in tracefs", events[i]);
	}
	fd = open(EVENTS "/vrange_purge/format", O_RDONLY);
	n = fd < 0 ? -1 : read(fd, fmt, sizeof(fmt) - 1);
	if (fd >= 0)
		close(fd);
	fmt[n > 0 ? n : 0] = 0;
	for (i = 0; i < 4; i++)
		if (!ok(strstr(fmt, reasons[i]) != NULL,
			"vrange_purge's format names the reason %s", reasons[i]))
			diag("%s", fmt);
}

/* A region of @pages pages, every page written; its fdinfo vrange_id. */
static int region(const char *name, uint64_t pages, unsigned char **map,
		  long long *id)
{
	int fd = vt_create(pages * vt_page, name, (void **)map);

	memset(*map, 0x5a, pages * vt_page);
	*id = vt_fdinfo(fd, "vrange_id");
	return fd;
}

static void traffic_disabled(void)
{
	unsigned char *map;
	long long id;
	int fd;

	trace_set("events/vrange/enable", "0");
	trace_clear();
	fd = region("trace-off", 16, &map, &id);
	vt_unpin(fd, 0, 8);
	ioctl(fd, VRANGE_PURGE);
	vt_pin(fd, 0, 8);
	munmap(map, 16 * vt_page);
	close(fd);
	trace_read();
	ok(nr_recs == 0, "events off: unpin, PURGE and pin leave no record");
}

/* unpin, PURGE, SIGBUS, pin after the purge, pin of an intact range. */
static void traffic_region(void)
{
	unsigned char *map, c;
	long long a, b;
	int fa, fb, sig, ret;

	trace_clear();
	fa = region("trace-a", 64, &map, &a);
	ok(a > 0, "fdinfo shows vrange_id (%lld)", a);
	vt_unpin(fa, 8, 16);
	ret = ioctl(fa, VRANGE_PURGE);
	ok(ret == 16, "PURGE purged the 16 unpinned pages (%d)", ret);
	sig = vt_probe_read(map + 10 * vt_page, &c);
	ok(sig == SIGBUS, "a purged page raises SIGBUS (%d)", sig);
	ret = vt_pin(fa, 8, 16);
	ok(ret == VRANGE_WAS_PURGED, "pin reports the purge (%d)", ret);
	vt_unpin(fa, 40, 4);
	vt_pin(fa, 40, 4);

	fb = region("trace-b", 32, &map, &b);
	ok(b > a, "each region has its own id (%lld after %lld)", b, a);
	vt_unpin(fb, 0, 32);
	ret = ioctl(fb, VRANGE_PURGE_ALL);
	ok(ret >= 32, "PURGE_ALL purged the other region's 32 pages (%d)", ret);

	trace_read();
	show_recs(12);
	ok(find_rec("vrange_unpin", kv(0, "region=%lld", a), "start=8",
		    "pages=16", "unpinned=16", "batches=1", "purge_class=4", "whole=0",
		    NULL) != NULL,
	   "vrange_unpin: region, start, pages, unpinned, batches, class");
	ok(find_rec("vrange_purge", kv(0, "region=%lld", a), "start=8",
		    "pages=16", "freed=16", "reason=purge", "nid=0", "memcg=0",
		    NULL) != NULL,
	   "vrange_purge: PURGE's region, pages, resident freed, reason, node");
	ok(find_rec("vrange_sigbus", kv(0, "region=%lld", a), "pgoff=10",
		    NULL) != NULL, "vrange_sigbus: region and page offset");
	ok(find_rec("vrange_pin", kv(0, "region=%lld", a), "start=8",
		    "pages=16", "was_purged=1", NULL) != NULL,
	   "vrange_pin: a pin of purged pages says was_purged=1");
	ok(find_rec("vrange_pin", kv(0, "region=%lld", a), "start=40",
		    "pages=4", "was_purged=0", NULL) != NULL,
	   "vrange_pin: a pin of intact pages says was_purged=0");
	ok(find_rec("vrange_purge", kv(0, "region=%lld", b), "start=0",
		    "pages=32", "freed=32", "reason=purge_all", "nid=0", NULL)
	   != NULL, "vrange_purge: PURGE_ALL's reason is purge_all");
	ok(count_recs("vrange_shrink_scan") == 0,
	   "no vrange_shrink_scan without memory pressure");
	close(fa);
	close(fb);
}

/*
 * The test moves itself into a cgroup limited to 24 MB, fills and unpins
 * a 16 MB region there, and forks a 16 MB hog in the same cgroup: reclaim
 * in the cgroup has to purge the region.
 */
static void traffic_shrinker(void)
{
	const uint64_t pages = 16 * MB / vt_page;
	long long id, events0;
	unsigned char *map;
	struct stat st;
	int fd, status;
	pid_t pid;

	vt_write_file(CGROUP_ROOT "/cgroup.subtree_control", "+memory");
	rmdir(CGROUP_TEST);
	if ((mkdir(CGROUP_TEST, 0755) && errno != EEXIST) ||
	    stat(CGROUP_TEST, &st) ||
	    vt_write_file(CGROUP_TEST "/memory.max", "24M") ||
	    vt_write_file(CGROUP_TEST "/cgroup.procs", "0")) {
		skip(strerror(errno), "shrinker: no memory cgroup to test in");
		return;
	}
	vt_write_file(CGROUP_TEST "/memory.swap.max", "0");
	trace_clear();
	events0 = vt_stat("purge_events");
	fd = region("trace-shrink", pages, &map, &id);
	vt_unpin(fd, 0, pages);
	pid = fork();
	if (!pid)
		_exit(vt_touch_anon(16 * MB) ? 0 : 3);
	status = vt_wait(pid);
	vt_write_file(CGROUP_ROOT "/cgroup.procs", "0");
	if (!ok(vt_exited_ok(status), "shrinker: the hog got its memory"))
		vt_describe_status("hog", status);
	diag("purge_events %lld -> %lld", events0, vt_stat("purge_events"));

	trace_read();
	show_recs(6);
	ok(find_rec("vrange_purge", kv(0, "region=%lld", id), "pages>0",
		    "freed>0", "reason=shrinker", "nid=0",
		    kv(1, "memcg=%llu", (unsigned long long)st.st_ino),
		    NULL) != NULL,
	   "vrange_purge: reason=shrinker, node and the cgroup's inode");
	ok(find_rec("vrange_shrink_scan", "nr_to_scan>0", "pages>0", "freed>0",
		    "nid=0", kv(1, "memcg=%llu", (unsigned long long)st.st_ino),
		    NULL) != NULL,
	   "vrange_shrink_scan: asked, purged, freed, node, cgroup inode");
	munmap(map, pages * vt_page);
	close(fd);
	rmdir(CGROUP_TEST);
}

int main(void)
{
	vt_init();
	if (!tracefs_ready()) {
		skip("no tracefs events in this kernel (CONFIG_EVENT_TRACING)",
		     "vrange tracepoints");
		return tap_finish("vrange_trace");
	}
	check_format();
	trace_set("buffer_size_kb", "4096");
	trace_set("tracing_on", "1");
	traffic_disabled();

	trace_set("events/vrange/enable", "1");
	traffic_region();
	traffic_shrinker();

	trace_set("events/vrange/enable", "0");
	trace_clear();
	return tap_finish("vrange_trace");
}
