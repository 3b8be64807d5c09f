// SPDX-License-Identifier: GPL-2.0
/*
 * vrangectl: show and purge vrange and ashmem regions (vrangectl(8)).
 *
 * Plain C, no library beyond libc: the counters come from
 * /sys/class/misc/vrange/stats/, the regions from /proc/PID/fd and
 * /proc/PID/fdinfo, the purges from the ioctls of linux/vrange.h.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>

#include <linux/vrange.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open		434	/* the same number on every arch */
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd		438
#endif

#ifndef VRANGECTL_VERSION
#define VRANGECTL_VERSION	"unknown"
#endif

#define MISC_DIR	"/sys/class/misc"
#define STATS_DIR	MISC_DIR "/vrange/stats"

enum { EXIT_OK, EXIT_ERR, EXIT_USAGE };

static const char *const usage_text =
	"usage: vrangectl stat [--json]\n"
	"       vrangectl ps [--json] [pid...]\n"
	"       vrangectl top [--interval sec] [--count n] [--json]\n"
	"       vrangectl purge --all [--json]\n"
	"       vrangectl purge pid fd [--json]\n"
	"       vrangectl --help | --version\n";

static bool json;
static long page_size;

/* "vrangectl: MESSAGE\n" on stderr, then @tail */
static void message(const char *tail, const char *fmt, va_list ap)
{
	fputs("vrangectl: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputs(tail, stderr);
}

__attribute__((format(printf, 1, 2)))
static void error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	message("\n", fmt, ap);
	va_end(ap);
}

__attribute__((format(printf, 1, 2)))
static int usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	message("\nTry 'vrangectl --help'.\n", fmt, ap);
	va_end(ap);
	return EXIT_USAGE;
}

/* Both the node and the sysfs directory, or the module is not loaded. */
static bool module_loaded(void)
{
	struct stat st;
	const char *missing = NULL;

	if (stat(MISC_DIR "/vrange", &st))
		missing = MISC_DIR "/vrange";
	else if (stat(VRANGE_DEVICE, &st))
		missing = VRANGE_DEVICE;
	if (!missing)
		return true;
	error("%s is missing: the vrange module is not loaded (load it with: modprobe vrange)",
	      missing);
	return false;
}

/* ---- numbers and units ---------------------------------------------- */

static int parse_ull(const char *s, unsigned long long max,
		     unsigned long long *out)
{
	char *end;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	*out = strtoull(s, &end, 10);
	if (errno || *end || *out > max)
		return -1;
	return 0;
}

/* "512 B", "4.0 KiB", "1.5 GiB" */
static const char *human(unsigned long long bytes, char buf[32])
{
	static const char *const unit[] = { "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	double v = bytes;
	int i = -1;

	if (bytes < 1024) {
		snprintf(buf, 32, "%llu B", bytes);
		return buf;
	}
	while (v >= 1024 && i < 5) {
		v /= 1024;
		i++;
	}
	snprintf(buf, 32, "%.1f %s", v, unit[i]);
	return buf;
}

/* ---- strings: region names may hold any byte but '/' ---------------- */

/* Length of the valid UTF-8 sequence at @s (at most @n bytes), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates, beyond U+10FFFF */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

/*
 * C-style escapes for the text output, into @out (4 * @n + 2 bytes): one
 * name stays one line.  An empty name is "-".
 */
static char *text_escape(const char *name, size_t n, char *out)
{
	const unsigned char *s = (const unsigned char *)name;
	size_t i = 0, len;
	char *o = out;

	if (!n)
		return strcpy(out, "-");
	while (i < n) {
		unsigned char c = s[i];

		len = c >= 0x80 ? utf8_len(s + i, n - i) : 1;
		if (c == '\\')
			o += sprintf(o, "\\\\");
		else if (c == '\n')
			o += sprintf(o, "\\n");
		else if (c == '\t')
			o += sprintf(o, "\\t");
		else if (c < 0x20 || c == 0x7f || !len)
			o += sprintf(o, "\\x%02x", c);
		else
			o = mempcpy(o, s + i, len);
		i += len ? len : 1;
	}
	*o = '\0';
	return out;
}

/* A JSON string; bytes that are not UTF-8 become U+FFFD. */
static void put_json_str(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, len;

	putchar('"');
	while (i < n) {
		unsigned char c = s[i];

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c == '\n')
			fputs("\\n", stdout);
		else if (c == '\t')
			fputs("\\t", stdout);
		else if (c < 0x20 || c == 0x7f)
			printf("\\u%04x", c);
		else if (c >= 0x80) {
			len = utf8_len(s + i, n - i);
			if (!len) {
				fputs("\\ufffd", stdout);
			} else {
				fwrite(s + i, 1, len, stdout);
				i += len - 1;
			}
		} else {
			putchar(c);
		}
		i++;
	}
	putchar('"');
}

/* ---- files ---------------------------------------------------------- */

/* Read at most @size - 1 bytes of @path; returns the length or -1 (errno). */
static ssize_t read_file(const char *path, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while (len < size - 1) {
		n = read(fd, buf + len, size - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			close(fd);
			errno = e;
			return -1;
		}
		if (!n)
			break;
		len += n;
	}
	close(fd);
	buf[len] = '\0';
	return len;
}

/* The st_rdev of misc device @name from its sysfs "dev" file; 0 if none. */
static dev_t misc_rdev(const char *name)
{
	char path[128], buf[32];
	unsigned int maj, min;

	snprintf(path, sizeof(path), MISC_DIR "/%s/dev", name);
	if (read_file(path, buf, sizeof(buf)) < 0 ||
	    sscanf(buf, "%u:%u", &maj, &min) != 2)
		return 0;
	return makedev(maj, min);
}

/* ---- the global counters -------------------------------------------- */

struct counter {
	const char *file;	/* in STATS_DIR, and the JSON key */
	const char *label;
	enum { COUNT, PAGES, BYTES } unit;	/* pages are shown in bytes */
};

static const struct counter counters[] = {
	{ "regions",		"regions",		COUNT },
	{ "mapped_bytes",	"mapped",		BYTES },
	{ "resident_pages",	"resident",		PAGES },
	{ "unpinned_pages",	"unpinned",		PAGES },
	{ "purged_pages",	"purged",		PAGES },
	{ "purged_pages_total",	"purged since load",	PAGES },
	{ "purge_events",	"purge events",		COUNT },
	{ "shrinker_scans",	"shrinker calls",	COUNT },
	{ "oom_purges",		"OOM-notifier purges",	COUNT },
	{ "ranges",		"interval nodes",	COUNT },
	{ "max_ranges",		"node bound, system",	COUNT },
	{ "max_user_ranges",	"node bound, per user",	COUNT },
};

#define NR_COUNTERS	(sizeof(counters) / sizeof(counters[0]))
enum { C_REGIONS, C_MAPPED, C_RESIDENT, C_UNPINNED, C_PURGED,
       C_PURGED_TOTAL, C_EVENTS, C_SCANS, C_OOM, C_NODES, C_MAX_NODES,
       C_MAX_USER_NODES };

static int read_counters(unsigned long long v[NR_COUNTERS])
{
	char path[256], buf[64];
	size_t i;

	for (i = 0; i < NR_COUNTERS; i++) {
		snprintf(path, sizeof(path), STATS_DIR "/%s", counters[i].file);
		if (read_file(path, buf, sizeof(buf)) < 0) {
			if (errno == ENOENT && access(MISC_DIR "/vrange", F_OK))
				error("the vrange module was unloaded (load it with: modprobe vrange)");
			else
				error("%s: %s", path, strerror(errno));
			return -1;
		}
		buf[strcspn(buf, "\n")] = '\0';
		if (parse_ull(buf, ULLONG_MAX, &v[i])) {
			error("%s: not a number: %s", path, buf);
			return -1;
		}
	}
	return 0;
}

static int cmd_stat(void)
{
	unsigned long long v[NR_COUNTERS];
	char h[32];
	size_t i;

	if (read_counters(v))
		return EXIT_ERR;
	if (json) {
		printf("{\"page_size\":%ld", page_size);
		for (i = 0; i < NR_COUNTERS; i++)
			printf(",\"%s\":%llu", counters[i].file, v[i]);
		printf("}\n");
		return EXIT_OK;
	}
	for (i = 0; i < NR_COUNTERS; i++) {
		if (counters[i].unit == PAGES)
			printf("%-20s %s\n", counters[i].label,
			       human(v[i] * page_size, h));
		else if (counters[i].unit == BYTES)
			printf("%-20s %s\n", counters[i].label, human(v[i], h));
		else
			printf("%-20s %llu\n", counters[i].label, v[i]);
	}
	return EXIT_OK;
}

/* ---- top ------------------------------------------------------------ */

static double now(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sleep_for(double sec)
{
	struct timespec ts = { (time_t)sec, (long)((sec - (time_t)sec) * 1e9) };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static int cmd_top(double interval, unsigned long long count)
{
	unsigned long long a[NR_COUNTERS], b[NR_COUNTERS], n, d_ev, d_pg, d_sc;
	char h1[32], h2[32], h3[32], stamp[16];
	double t0, t1, dt;
	time_t wall;

	if (read_counters(a))
		return EXIT_ERR;
	t0 = now(CLOCK_MONOTONIC);
	if (!json)
		printf("%-8s %10s %10s %10s %10s %10s %10s\n", "TIME",
		       "PURGES/s", "PAGES/s", "SHRINK/s", "RESIDENT",
		       "UNPINNED", "PURGED");
	for (n = 0; !count || n < count; n++) {
		sleep_for(interval);
		if (read_counters(b))
			return EXIT_ERR;
		t1 = now(CLOCK_MONOTONIC);
		dt = t1 - t0 > 0 ? t1 - t0 : interval;
		/* counters only grow, but a reload starts them again */
		d_ev = b[C_EVENTS] >= a[C_EVENTS] ? b[C_EVENTS] - a[C_EVENTS] : b[C_EVENTS];
		d_pg = b[C_PURGED_TOTAL] >= a[C_PURGED_TOTAL] ?
			b[C_PURGED_TOTAL] - a[C_PURGED_TOTAL] : b[C_PURGED_TOTAL];
		d_sc = b[C_SCANS] >= a[C_SCANS] ? b[C_SCANS] - a[C_SCANS] : b[C_SCANS];
		wall = time(NULL);
		if (json) {
			printf("{\"time\":%lld,\"interval\":%.3f,"
			       "\"purges_per_sec\":%.2f,\"pages_purged_per_sec\":%.2f,"
			       "\"shrinker_calls_per_sec\":%.2f,"
			       "\"purges\":%llu,\"pages_purged\":%llu,"
			       "\"shrinker_calls\":%llu,\"page_size\":%ld",
			       (long long)wall, dt, d_ev / dt, d_pg / dt,
			       d_sc / dt, d_ev, d_pg, d_sc, page_size);
			printf(",\"resident_pages\":%llu,\"unpinned_pages\":%llu,"
			       "\"purged_pages\":%llu}\n", b[C_RESIDENT],
			       b[C_UNPINNED], b[C_PURGED]);
		} else {
			strftime(stamp, sizeof(stamp), "%H:%M:%S", localtime(&wall));
			printf("%-8s %10.1f %10.1f %10.1f %10s %10s %10s\n",
			       stamp, d_ev / dt, d_pg / dt, d_sc / dt,
			       human(b[C_RESIDENT] * page_size, h1),
			       human(b[C_UNPINNED] * page_size, h2),
			       human(b[C_PURGED] * page_size, h3));
		}
		if (fflush(stdout))
			return EXIT_ERR;
		memcpy(a, b, sizeof(a));
		t0 = t1;
	}
	return EXIT_OK;
}

/* ---- ps ------------------------------------------------------------- */

struct region {
	long pid;
	int fd;
	bool ashmem;
	char comm[64];
	char *name;
	size_t name_len;
	unsigned long long size, resident, unpinned, purged;
	unsigned long long ranges;
	bool mapped;
};

struct region_list {
	struct region *v;
	size_t n, cap;
};

/*
 * The value of the last "\n@key:\t" line after @from.  The module prints
 * the name escaped, so no line is forged; the last one still wins should
 * an older module print a name with a newline in it.
 */
static const char *field(const char *from, const char *key)
{
	char pat[64];
	const char *p, *last = NULL;

	snprintf(pat, sizeof(pat), "\n%s:\t", key);
	for (p = from; (p = strstr(p, pat)); p++)
		last = p;
	return last ? last + strlen(pat) : NULL;
}

static int field_num(const char *from, const char *key,
		     unsigned long long *out)
{
	const char *v = field(from, key);
	char *end;

	if (!v || !isdigit((unsigned char)*v))
		return -1;
	errno = 0;
	*out = strtoull(v, &end, 10);
	return errno || (*end != '\n' && *end) ? -1 : 0;
}

static bool is_octal(char c)
{
	return c >= '0' && c <= '7';
}

/*
 * Undo the module's escaping of the name: "\ooo" (three octal digits) is
 * the byte ooo, as in /proc/self/mountinfo.  Returns the raw length.
 */
static size_t unescape_name(const char *s, size_t n, char *out)
{
	size_t i, len = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '\\' && n - i > 3 && is_octal(s[i + 1]) &&
		    is_octal(s[i + 2]) && is_octal(s[i + 3])) {
			out[len++] = (char)((s[i + 1] - '0') << 6 |
					    (s[i + 2] - '0') << 3 |
					    (s[i + 3] - '0'));
			i += 3;
		} else {
			out[len++] = s[i];
		}
	}
	out[len] = '\0';
	return len;
}

/* Parse a region's fdinfo; -1 if it is not a vrange region's. */
static int parse_fdinfo(char *buf, struct region *r)
{
	static const char name_key[] = "vrange_name:\t";
	const char *name, *size, *rest;
	unsigned long long mapped;
	size_t n;

	name = !strncmp(buf, name_key, sizeof(name_key) - 1) ? buf :
		strstr(buf, "\nvrange_name:\t");
	if (!name)
		return -1;
	if (name != buf)
		name++;
	name += sizeof(name_key) - 1;
	size = field(name - 1, "vrange_size");
	if (!size)
		return -1;
	/* the name ends at the "\nvrange_size:\t" that follows it */
	rest = size - strlen("\nvrange_size:\t");
	n = rest - name;
	if (field_num(rest, "vrange_size", &r->size) ||
	    field_num(rest, "vrange_mapped", &mapped) ||
	    field_num(rest, "vrange_resident_pages", &r->resident) ||
	    field_num(rest, "vrange_unpinned_pages", &r->unpinned) ||
	    field_num(rest, "vrange_purged_pages", &r->purged) ||
	    field_num(rest, "vrange_ranges", &r->ranges))
		return -1;
	r->mapped = mapped;
	r->name = malloc(n + 1);
	if (!r->name)
		return -1;
	r->name_len = unescape_name(name, n, r->name);
	return 0;
}

static struct region *list_add(struct region_list *l)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;
		struct region *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		l->v = v;
		l->cap = cap;
	}
	memset(&l->v[l->n], 0, sizeof(l->v[0]));
	return &l->v[l->n++];
}

static bool gone(int e)
{
	return e == ENOENT || e == ESRCH;
}

/*
 * Add the regions of process @pid.  Returns 0, or the errno that kept us
 * out when the caller named the process; a process that goes away, or that
 * the caller may not look into, is simply not listed.
 */
static int scan_pid(long pid, dev_t vr, dev_t ash, struct region_list *l)
{
	char path[96], comm[64], info[8192];
	struct dirent *de;
	struct stat st;
	DIR *dir;
	int err = 0;

	snprintf(path, sizeof(path), "/proc/%ld/comm", pid);
	if (read_file(path, comm, sizeof(comm)) < 0)
		return errno;
	comm[strcspn(comm, "\n")] = '\0';
	snprintf(path, sizeof(path), "/proc/%ld/fd", pid);
	dir = opendir(path);
	if (!dir)
		return errno;
	while ((errno = 0, de = readdir(dir))) {
		unsigned long long fd;
		struct region *r;

		if (parse_ull(de->d_name, INT_MAX, &fd))
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/fd/%llu", pid, fd);
		if (stat(path, &st) || !S_ISCHR(st.st_mode) ||
		    (st.st_rdev != vr && (!ash || st.st_rdev != ash)))
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/fdinfo/%llu", pid, fd);
		if (read_file(path, info, sizeof(info)) < 0)
			continue;	/* closed meanwhile */
		r = list_add(l);
		if (!r) {
			err = ENOMEM;
			break;
		}
		if (parse_fdinfo(info, r)) {
			l->n--;		/* reused for another file meanwhile */
			continue;
		}
		r->pid = pid;
		r->fd = fd;
		r->ashmem = st.st_rdev != vr;
		snprintf(r->comm, sizeof(r->comm), "%s", comm);
	}
	if (!err && errno && !gone(errno) && errno != EACCES)
		err = errno;
	closedir(dir);
	return err;
}

static int region_cmp(const void *a, const void *b)
{
	const struct region *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return (x->fd > y->fd) - (x->fd < y->fd);
}

static void print_regions(const struct region_list *l)
{
	char h[4][32], comm[4 * 64 + 2], *name;
	size_t i;

	if (json) {
		printf("{\"page_size\":%ld,\"regions\":[", page_size);
		for (i = 0; i < l->n; i++) {
			const struct region *r = &l->v[i];

			printf("%s{\"pid\":%ld,\"command\":", i ? "," : "",
			       r->pid);
			put_json_str(r->comm, strlen(r->comm));
			printf(",\"fd\":%d,\"device\":\"%s\",\"name\":", r->fd,
			       r->ashmem ? "ashmem" : "vrange");
			put_json_str(r->name, r->name_len);
			printf(",\"size\":%llu,\"mapped\":%s,\"resident_pages\":%llu,"
			       "\"unpinned_pages\":%llu,\"purged_pages\":%llu,"
			       "\"ranges\":%llu}",
			       r->size, r->mapped ? "true" : "false",
			       r->resident, r->unpinned, r->purged, r->ranges);
		}
		printf("]}\n");
		return;
	}
	printf("%7s %-15s %4s %-6s %10s %10s %10s %10s %6s %s\n", "PID",
	       "COMMAND", "FD", "DEVICE", "SIZE", "RESIDENT", "UNPINNED",
	       "PURGED", "RANGES", "NAME");
	for (i = 0; i < l->n; i++) {
		const struct region *r = &l->v[i];

		name = malloc(4 * r->name_len + 2);
		if (!name)
			continue;
		printf("%7ld %-15s %4d %-6s %10s %10s %10s %10s %6llu %s\n",
		       r->pid, text_escape(r->comm, strlen(r->comm), comm),
		       r->fd, r->ashmem ? "ashmem" : "vrange",
		       human(r->size, h[0]), human(r->resident * page_size, h[1]),
		       human(r->unpinned * page_size, h[2]),
		       human(r->purged * page_size, h[3]), r->ranges,
		       text_escape(r->name, r->name_len, name));
		free(name);
	}
}

static int cmd_ps(char **pids, int npids)
{
	struct region_list l = { 0 };
	dev_t vr = misc_rdev("vrange"), ash = misc_rdev("ashmem");
	int ret = EXIT_OK, err, i;
	struct dirent *de;
	DIR *proc;

	if (!vr) {
		error("cannot read " MISC_DIR "/vrange/dev: %s", strerror(errno));
		return EXIT_ERR;
	}
	for (i = 0; i < npids; i++) {
		long pid = strtol(pids[i], NULL, 10);

		err = scan_pid(pid, vr, ash, &l);
		if (gone(err)) {
			error("no process %ld", pid);
			ret = EXIT_ERR;
		} else if (err) {
			error("process %ld: %s", pid, strerror(err));
			ret = EXIT_ERR;
		}
	}
	if (!npids) {
		proc = opendir("/proc");
		if (!proc) {
			error("/proc: %s", strerror(errno));
			return EXIT_ERR;
		}
		while ((de = readdir(proc))) {
			unsigned long long pid;

			if (parse_ull(de->d_name, INT_MAX, &pid))
				continue;
			err = scan_pid(pid, vr, ash, &l);
			if (err == ENOMEM) {
				error("out of memory");
				ret = EXIT_ERR;
				break;
			}
		}
		closedir(proc);
	}
	qsort(l.v, l.n, sizeof(l.v[0]), region_cmp);
	print_regions(&l);
	for (i = 0; (size_t)i < l.n; i++)
		free(l.v[i].name);
	free(l.v);
	return ret;
}

/* ---- purge ---------------------------------------------------------- */

static void print_purged(int pages)
{
	char h[32];

	if (json)
		printf("{\"purged_pages\":%d,\"page_size\":%ld}\n", pages,
		       page_size);
	else
		printf("purged %d pages (%s)\n", pages,
		       human((unsigned long long)pages * page_size, h));
}

static int cmd_purge_all(void)
{
	int fd = open(VRANGE_DEVICE, O_RDWR | O_CLOEXEC), n;

	if (fd < 0) {
		error("%s: %s", VRANGE_DEVICE, strerror(errno));
		return EXIT_ERR;
	}
	n = ioctl(fd, VRANGE_PURGE_ALL);
	if (n < 0) {
		if (errno == EPERM)
			error("purge --all needs CAP_SYS_ADMIN (run it as root)");
		else
			error("VRANGE_PURGE_ALL: %s", strerror(errno));
		close(fd);
		return EXIT_ERR;
	}
	close(fd);
	print_purged(n);
	return EXIT_OK;
}

/* Our own duplicate of descriptor @tfd of @pid; -1 after an error message. */
static int take_fd(long pid, int tfd)
{
	int pidfd = syscall(SYS_pidfd_open, (pid_t)pid, 0), fd;

	if (pidfd < 0) {
		if (errno == ENOSYS)
			error("this kernel has no pidfd_open (Linux 5.3 or later), so purge PID FD cannot reach another process's region; purge --all still works");
		else if (errno == ESRCH)
			error("no process %ld", pid);
		else
			error("pidfd_open(%ld): %s", pid, strerror(errno));
		return -1;
	}
	fd = syscall(SYS_pidfd_getfd, pidfd, tfd, 0);
	if (fd < 0) {
		if (errno == ENOSYS)
			error("this kernel has no pidfd_getfd (Linux 5.6 or later), so purge PID FD cannot reach another process's region; purge --all still works");
		else if (errno == EBADF)
			error("process %ld has no descriptor %d", pid, tfd);
		else if (errno == EPERM)
			error("not allowed to take descriptor %d of process %ld (needs ptrace access: the same user, or root)",
			      tfd, pid);
		else if (errno == ESRCH)
			error("no process %ld", pid);
		else
			error("pidfd_getfd(%ld, %d): %s", pid, tfd,
			      strerror(errno));
	}
	close(pidfd);
	return fd;
}

static int cmd_purge_one(const char *spid, const char *sfd)
{
	unsigned long long pid, tfd;
	struct stat st = { 0 };
	int fd, n;

	parse_ull(spid, INT_MAX, &pid);
	parse_ull(sfd, INT_MAX, &tfd);
	fd = take_fd(pid, tfd);
	if (fd < 0)
		return EXIT_ERR;
	if (fstat(fd, &st) || !S_ISCHR(st.st_mode) ||
	    st.st_rdev != misc_rdev("vrange")) {
		if (S_ISCHR(st.st_mode) && st.st_rdev == misc_rdev("ashmem"))
			error("descriptor %llu of process %llu is an ashmem area: the ashmem ABI cannot purge one area (purge --all can)",
			      tfd, pid);
		else
			error("descriptor %llu of process %llu is not a vrange region",
			      tfd, pid);
		close(fd);
		return EXIT_ERR;
	}
	n = ioctl(fd, VRANGE_PURGE);
	if (n < 0) {
		if (errno == EINVAL)
			error("descriptor %llu of process %llu: the region was never mapped, it has nothing to purge",
			      tfd, pid);
		else if (errno == EBADF)
			error("descriptor %llu of process %llu: the region was opened read-only, which cannot purge it (purge --all can)",
			      tfd, pid);
		else
			error("VRANGE_PURGE: %s", strerror(errno));
		close(fd);
		return EXIT_ERR;
	}
	close(fd);
	print_purged(n);
	return EXIT_OK;
}

/* ---- command line --------------------------------------------------- */

static int run(int argc, char **argv)
{
	char *cmd = NULL, *args[argc];
	unsigned long long count = 0;
	bool all = false, has_interval = false, has_count = false;
	double interval = 1;
	int nargs = 0, i;

	for (i = 1; i < argc; i++) {
		char *a = argv[i], *val = NULL, *end;

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(usage_text, stdout);
			return EXIT_OK;
		}
		if (!strcmp(a, "--version") || !strcmp(a, "-V")) {
			printf("vrangectl %s\n", VRANGECTL_VERSION);
			return EXIT_OK;
		}
		if (!strcmp(a, "--json")) {
			json = true;
		} else if (!strcmp(a, "--all")) {
			all = true;
		} else if (!strncmp(a, "--interval", 10) &&
			   (a[10] == '=' || !a[10])) {
			val = a[10] ? a + 11 : argv[++i];
			if (!val)
				return usage_error("--interval needs seconds");
			errno = 0;
			interval = strtod(val, &end);
			if (errno || end == val || *end || !(interval > 0) ||
			    interval > 86400)
				return usage_error("bad interval: %s", val);
			has_interval = true;
		} else if (!strncmp(a, "--count", 7) && (a[7] == '=' || !a[7])) {
			val = a[7] ? a + 8 : argv[++i];
			if (!val)
				return usage_error("--count needs a number");
			if (parse_ull(val, ULLONG_MAX, &count) || !count)
				return usage_error("bad count: %s", val);
			has_count = true;
		} else if (a[0] == '-' && a[1]) {
			return usage_error("unknown option: %s", a);
		} else if (!cmd) {
			cmd = a;
		} else {
			args[nargs++] = a;
		}
	}
	if (!cmd)
		return usage_error("no command (stat, ps, top or purge)");
	if (strcmp(cmd, "stat") && strcmp(cmd, "ps") && strcmp(cmd, "top") &&
	    strcmp(cmd, "purge"))
		return usage_error("unknown command: %s", cmd);
	if ((has_interval || has_count) && strcmp(cmd, "top"))
		return usage_error("--interval and --count are for top");
	if (all && strcmp(cmd, "purge"))
		return usage_error("--all is for purge");
	if (strcmp(cmd, "ps") && strcmp(cmd, "purge") && nargs)
		return usage_error("%s takes no arguments", cmd);
	if (!strcmp(cmd, "purge") && (all ? nargs != 0 : nargs != 2))
		return usage_error("purge takes --all, or a process ID and a descriptor");
	for (i = 0; i < nargs; i++) {
		unsigned long long n;
		bool is_fd = !strcmp(cmd, "purge") && i == 1;

		if (parse_ull(args[i], INT_MAX, &n) || (!is_fd && !n))
			return usage_error("not a %s: %s", is_fd ?
					   "descriptor" : "process ID", args[i]);
	}
	if (!module_loaded())
		return EXIT_ERR;
	if (!strcmp(cmd, "stat"))
		return cmd_stat();
	if (!strcmp(cmd, "top"))
		return cmd_top(interval, count);
	if (!strcmp(cmd, "ps"))
		return cmd_ps(args, nargs);
	return all ? cmd_purge_all() : cmd_purge_one(args[0], args[1]);
}

int main(int argc, char **argv)
{
	int ret;

	page_size = sysconf(_SC_PAGESIZE);
	ret = run(argc, argv);
	if (fflush(stdout) || ferror(stdout)) {
		error("write error: %s", strerror(errno));
		return EXIT_ERR;
	}
	return ret;
}
