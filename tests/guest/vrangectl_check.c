// SPDX-License-Identifier: GPL-2.0
/*
 * vrangectl(8) against real regions: stat against sysfs, ps against the
 * fdinfo of live regions (root sees all, uid 65534 only its own), ps while
 * processes come and go, top's rates across a purge, purge --all and
 * purge PID FD with their errors, and --json parsed by a strict parser.
 *
 *   vrangectl_check [path of vrangectl]       (default /t/vrangectl)
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdarg.h>
#include <stdbool.h>
#include <sys/prctl.h>

#include "vrange_test.h"
#include "json.h"

#define NOBODY		65534
#define AS_ROOT		0

static const char *ctl_path = "/t/vrangectl";

struct run {
	int status;		/* exit status, or -1 if it did not exit */
	char *out, *err;
	size_t out_len;
};

static char *slurp(int fd, size_t *lenp)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);
	ssize_t n;

	lseek(fd, 0, SEEK_SET);
	while (buf && (n = read(fd, buf + len, cap - len - 1)) > 0) {
		len += n;
		if (cap - len < 2)
			buf = realloc(buf, cap *= 2);
	}
	if (!buf)
		bail_out("out of memory");
	buf[len] = '\0';
	if (lenp)
		*lenp = len;
	close(fd);
	return buf;
}

/* In a child: keep stdio and @keep, close the parent's regions. */
static void close_inherited(int keep)
{
	for (int fd = 3; fd < 1024; fd++)
		if (fd != keep)
			close(fd);
}

static void drop_to(uid_t uid)
{
	if (uid && (setresgid(uid, uid, uid) || setresuid(uid, uid, uid)))
		_exit(126);
	/* what an exec'd program of that user is: ptrace-able by it */
	prctl(PR_SET_DUMPABLE, 1);
}

/* Run vrangectl with the NULL-terminated arguments as @uid; a new @r. */
static struct run *ctl(uid_t uid, ...)
{
	struct run *r = calloc(1, sizeof(*r));
	int out = memfd_create("out", MFD_CLOEXEC);
	int err = memfd_create("err", MFD_CLOEXEC);
	char *argv[16] = { (char *)ctl_path };
	int argc = 1, status;
	va_list ap;
	pid_t pid;

	va_start(ap, uid);
	while (argc < 15 && (argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	if (!r || out < 0 || err < 0)
		bail_out("memfd: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		bail_out("fork: %s", strerror(errno));
	if (!pid) {
		drop_to(uid);
		dup2(out, 1);
		dup2(err, 2);
		close_inherited(-1);
		execv(ctl_path, argv);
		_exit(127);
	}
	status = vt_wait(pid);
	r->status = status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	r->out = slurp(out, &r->out_len);
	r->err = slurp(err, NULL);
	return r;
}

/* Each line of @s as a TAP comment. */
static void diag_lines(const char *prefix, const char *s)
{
	for (size_t n; *s; s += n + !!s[n]) {
		n = strcspn(s, "\n");
		diag("%s%.*s", prefix, (int)n, s);
	}
}

/* Show what vrangectl said, as TAP comments. */
static int show(const struct run *r)
{

	diag("exit status %d", r->status);
	diag_lines("stdout: ", r->out);
	diag_lines("stderr: ", r->err);
	return 0;
}

static struct json *parse(const struct run *r)
{
	const char *why = NULL;
	struct json *v = json_parse(r->out, r->out_len, &why);

	if (!v)
		diag("invalid JSON (%s)", why);
	return v;
}

/* A run that succeeded, printed valid JSON and nothing on stderr. */
static struct json *ctl_json_ok(const struct run *r)
{
	struct json *v = r->status == 0 && !r->err[0] ? parse(r) : NULL;

	if (!v)
		show(r);
	return v;
}

/* Failed with @status and a "vrangectl: ...@needle..." message only. */
static int failed_with(const struct run *r, int status, const char *needle)
{
	bool pass = r->status == status && !r->out[0] &&
		    !strncmp(r->err, "vrangectl: ", 11) && strstr(r->err, needle);

	return pass || show(r);
}

/* ---- regions -------------------------------------------------------- */

struct region {
	int fd;
	unsigned char *map;
	size_t pages;
	const char *name;
};

static struct region vrange_region(const char *name, size_t pages)
{
	struct region g = { .pages = pages, .name = name };

	g.fd = vt_create(pages * vt_page, name, (void **)&g.map);
	memset(g.map, 0x5a, pages * vt_page);
	return g;
}

static long long fdinfo_of(pid_t pid, int fd, const char *key)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", (int)pid, fd);
	return vt_file_value(path, key, ':');
}

/* Entry for @pid/@fd in ps --json output, or NULL. */
static struct json *ps_entry(struct json *ps, pid_t pid, int fd)
{
	struct json *regions = json_get(ps, "regions");
	size_t i;

	for (i = 0; regions && regions->type == JSON_ARRAY && i < regions->n; i++)
		if (json_int(regions->kids[i], "pid") == pid &&
		    json_int(regions->kids[i], "fd") == fd)
			return regions->kids[i];
	return NULL;
}

static size_t ps_count(struct json *ps, pid_t pid, bool other)
{
	struct json *regions = json_get(ps, "regions");
	size_t i, n = 0;

	for (i = 0; regions && regions->type == JSON_ARRAY && i < regions->n; i++)
		n += (json_int(regions->kids[i], "pid") == pid) != other;
	return n;
}

static bool str_is(struct json *obj, const char *key, const char *want,
		   size_t len)
{
	struct json *s = json_get(obj, key);

	return s && s->type == JSON_STRING && s->len == len &&
	       !memcmp(s->text, want, len);
}

/* An entry says what that descriptor's own fdinfo says, and what we did. */
static int entry_matches(struct json *e, pid_t pid, const struct region *g,
			 const char *device, long long unpinned,
			 long long purged)
{
	static const char *const keys[] = { "resident_pages", "unpinned_pages",
					     "purged_pages", "ranges" };
	static const char *const fdinfo[] = { "vrange_resident_pages",
		"vrange_unpinned_pages", "vrange_purged_pages", "vrange_ranges" };
	bool pass = e && str_is(e, "device", device, strlen(device)) &&
		    str_is(e, "name", g->name, strlen(g->name)) &&
		    json_int(e, "size") == (long long)(g->pages * vt_page) &&
		    json_int(e, "unpinned_pages") == unpinned &&
		    json_int(e, "purged_pages") == purged &&
		    json_get(e, "mapped") &&
		    json_get(e, "mapped")->type == JSON_BOOL;
	size_t i;

	for (i = 0; pass && i < 4; i++)
		if (json_int(e, keys[i]) != fdinfo_of(pid, g->fd, fdinfo[i])) {
			diag("%s: %lld, fdinfo says %lld", keys[i],
			     json_int(e, keys[i]), fdinfo_of(pid, g->fd, fdinfo[i]));
			pass = false;
		}
	if (!pass && e)
		diag("entry: size %lld unpinned %lld purged %lld",
		     json_int(e, "size"), json_int(e, "unpinned_pages"),
		     json_int(e, "purged_pages"));
	return pass;
}

/* ---- the checks ----------------------------------------------------- */

/* What an operator sees, in the log: "# $ vrangectl ARG" and its output. */
static void showcase(const char *arg)
{
	struct run *r = ctl(AS_ROOT, arg, NULL);

	diag("$ vrangectl %s", arg);
	diag_lines("", r->out);
}

static void check_usage(void)
{
	struct run *r;

	r = ctl(AS_ROOT, "--version", NULL);
	ok((r->status == 0 && !strncmp(r->out, "vrangectl ", 10)) || show(r),
	   "--version: exit 0, \"vrangectl VERSION\"");
	r = ctl(AS_ROOT, "--help", NULL);
	ok((r->status == 0 && strstr(r->out, "vrangectl purge --all")) || show(r),
	   "--help: exit 0, the usage on stdout");
	r = ctl(AS_ROOT, NULL);
	ok(failed_with(r, 2, "no command"), "no command: exit 2");
	r = ctl(AS_ROOT, "frobnicate", NULL);
	ok(failed_with(r, 2, "unknown command"), "unknown command: exit 2");
	r = ctl(AS_ROOT, "stat", "--bogus", NULL);
	ok(failed_with(r, 2, "unknown option"), "unknown option: exit 2");
	r = ctl(AS_ROOT, "ps", "--interval", "1", NULL);
	ok(failed_with(r, 2, "for top"), "--interval outside top: exit 2");
	r = ctl(AS_ROOT, "top", "--count", "0", NULL);
	ok(failed_with(r, 2, "bad count"), "top --count 0: exit 2");
	r = ctl(AS_ROOT, "purge", "1", NULL);
	ok(failed_with(r, 2, "purge takes"), "purge with one argument: exit 2");
	r = ctl(AS_ROOT, "purge", "x", "3", NULL);
	ok(failed_with(r, 2, "not a process ID"), "purge x 3: exit 2");
	r = ctl(AS_ROOT, "ps", "12z", NULL);
	ok(failed_with(r, 2, "not a process ID"), "ps 12z: exit 2");
}

/* The counters of stats/, each as "label  value" or a JSON member. */
static const char *const counters[] = { "regions", "mapped_bytes",
	"resident_pages", "unpinned_pages", "purged_pages",
	"purged_pages_total", "purge_events", "shrinker_scans", "oom_purges",
	"ranges", "max_ranges", "max_user_ranges" };
#define NR_COUNTERS	(sizeof(counters) / sizeof(counters[0]))

/* A counter added to the module must not go unseen by vrangectl. */
static bool every_counter_shown(struct json *v)
{
	DIR *dir = opendir(VT_STATS_DIR);
	struct dirent *de;
	bool all = dir != NULL;

	while (dir && (de = readdir(dir)))
		if (de->d_name[0] != '.' && json_int(v, de->d_name) < 0) {
			diag("stats/%s is not in vrangectl stat", de->d_name);
			all = false;
		}
	if (dir)
		closedir(dir);
	return all;
}

static void check_stat(const char *when, long long unpinned_bytes,
		       const char *unpinned_text)
{
	long long before[NR_COUNTERS], after[NR_COUNTERS];
	struct json *v;
	struct run *r;
	bool same = true, match = true;
	char line[64];
	size_t i;

	for (i = 0; i < NR_COUNTERS; i++)
		before[i] = vt_stat(counters[i]);
	r = ctl(AS_ROOT, "stat", "--json", NULL);
	for (i = 0; i < NR_COUNTERS; i++) {
		after[i] = vt_stat(counters[i]);
		same &= before[i] == after[i];
	}
	v = ctl_json_ok(r);
	for (i = 0; v && i < NR_COUNTERS; i++)
		if (json_int(v, counters[i]) != after[i]) {
			diag("%s: %lld, sysfs says %lld", counters[i],
			     json_int(v, counters[i]), after[i]);
			match = false;
		}
	ok_alone(v && same && match && json_int(v, "page_size") == (long long)vt_page,
		 "%s: stat --json: valid, every counter equals sysfs", when);
	ok(v && every_counter_shown(v),
	   "%s: stat --json has a member for every file of stats/", when);

	r = ctl(AS_ROOT, "stat", NULL);
	snprintf(line, sizeof(line), "%-20s %lld\n", "regions", vt_stat("regions"));
	match = r->status == 0 && !r->err[0] && !strncmp(r->out, line, strlen(line));
	snprintf(line, sizeof(line), "\n%-20s %s\n", "unpinned", unpinned_text);
	match &= strstr(r->out, line) != NULL;
	snprintf(line, sizeof(line), "\n%-20s %lld\n", "purge events",
		 vt_stat("purge_events"));
	match &= strstr(r->out, line) != NULL;
	ok_alone((match && vt_stat("unpinned_pages") * (long long)vt_page ==
		  unpinned_bytes) || show(r),
		 "%s: stat: regions, \"unpinned %s\" and purge events as in sysfs",
		 when, unpinned_text);
}

/* odd bytes, and a line that would forge the size field of fdinfo */
static const char weird[] =
	"we\"ird\\name\nvrange_size:\t1\nwith\x01 ctl \xc3\xa9 \xff";
static const char weird_text[] =
	"we\"ird\\\\name\\nvrange_size:\\t1\\nwith\\x01 ctl \xc3\xa9 \\xff";
/* what JSON can say of it: the byte that is not UTF-8 becomes U+FFFD */
static const char weird_json[] =
	"we\"ird\\name\nvrange_size:\t1\nwith\x01 ctl \xc3\xa9 \xef\xbf\xbd";

/* A process of uid 65534 holding one region with 2 of 4 pages unpinned. */
static pid_t start_holder(int *fd_out)
{
	int p[2], fd = -1;
	pid_t pid;

	if (pipe(p))
		bail_out("pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		bail_out("fork: %s", strerror(errno));
	if (!pid) {
		struct region g;

		close_inherited(p[1]);
		drop_to(NOBODY);
		g = vrange_region("nobody-region", 4);
		vt_unpin(g.fd, 0, 2);
		if (write(p[1], &g.fd, sizeof(g.fd)) != sizeof(g.fd))
			_exit(1);
		pause();
		_exit(0);
	}
	close(p[1]);
	if (read(p[0], &fd, sizeof(fd)) != sizeof(fd))
		bail_out("holder did not start");
	close(p[0]);
	*fd_out = fd;
	return pid;
}

static void check_ps(struct region *cache, struct region *odd,
		     struct region *ash, int dup_fd, int null_fd,
		     pid_t holder, int holder_fd)
{
	pid_t me = getpid();
	struct json *v, *e, *cmd;
	struct region hold = { .fd = holder_fd, .pages = 4,
			       .name = "nobody-region" };
	char want[512], pid_s[16];
	struct run *r;

	r = ctl(AS_ROOT, "ps", "--json", NULL);
	v = ctl_json_ok(r);
	ok(v != NULL, "ps --json as root: exit 0, valid JSON");
	e = ps_entry(v, me, cache->fd);
	ok(entry_matches(e, me, cache, "vrange", 2, 4),
	   "ps: the cache region: name, size, 2 unpinned, 4 purged, fdinfo's resident and ranges");
	cmd = json_get(e, "command");
	ok(cmd && cmd->type == JSON_STRING && !strcmp(cmd->text, "vrangectl_check"),
	   "ps: command is the process's comm");
	ok(entry_matches(ps_entry(v, me, dup_fd), me, cache, "vrange", 2, 4),
	   "ps: a dup of the descriptor is listed as well, with the same fields");
	e = ps_entry(v, me, odd->fd);
	ok((e && str_is(e, "name", weird_json, sizeof(weird_json) - 1) &&
	    json_get(e, "mapped") && !json_get(e, "mapped")->boolean &&
	    json_int(e, "size") == (long long)vt_page) ||
	   diag("name: %s", e && json_get(e, "name") ? json_get(e, "name")->text : "(none)"),
	   "ps --json: a name with quote, backslash, newline, a forged fdinfo line, control and non-UTF-8 bytes round-trips, the size is the real one");
	if (ash)
		ok(entry_matches(ps_entry(v, me, ash->fd), me, ash, "ashmem", 3, 0),
		   "ps: the ashmem area, device ashmem, 3 pages unpinned");
	else
		skip("/dev/ashmem is not vrange's", "ps: the ashmem area");
	ok(!ps_entry(v, me, null_fd) && !ps_entry(v, me, 0),
	   "ps: descriptors of other files are not listed");
	ok(entry_matches(ps_entry(v, holder, holder_fd), holder, &hold,
			 "vrange", 2, 0),
	   "ps as root: uid 65534's region is listed too");

	/* the text form: one line per descriptor, name escaped, last */
	r = ctl(AS_ROOT, "ps", NULL);
	snprintf(want, sizeof(want), "\n%7d %-15s %4d vrange   40.0 KiB   24.0 KiB    8.0 KiB   16.0 KiB ",
		 (int)me, "vrangectl_check", cache->fd);
	ok((r->status == 0 && !r->err[0] && strstr(r->out, want) &&
	    strstr(r->out, " ctl-cache\n")) || show(r) || diag("wanted:%s", want),
	   "ps: the cache region's text line: sizes in KiB, the name last");
	snprintf(want, sizeof(want), " %s\n", weird_text);
	ok(strstr(r->out, want) || show(r),
	   "ps: the odd name escaped on one line (\\\\, \\n, \\x01, \\xff; UTF-8 kept)");

	snprintf(pid_s, sizeof(pid_s), "%d", (int)me);
	r = ctl(AS_ROOT, "ps", "--json", pid_s, NULL);
	v = ctl_json_ok(r);
	ok(v && ps_count(v, me, true) == 0 && ps_count(v, me, false) == 3U + !!ash,
	   "ps PID: that process's regions only");

	r = ctl(NOBODY, "ps", "--json", NULL);
	v = ctl_json_ok(r);
	ok(v && ps_count(v, holder, false) == 1 && ps_count(v, holder, true) == 0 &&
	   entry_matches(ps_entry(v, holder, holder_fd), holder, &hold,
			 "vrange", 2, 0),
	   "ps as uid 65534: exit 0, its own region only, nothing of root's");
	r = ctl(NOBODY, "ps", pid_s, NULL);
	ok((r->status == 1 && !strncmp(r->err, "vrangectl: ", 11) &&
	    strstr(r->err, pid_s) && !strstr(r->out, "ctl-cache")) || show(r),
	   "ps ROOTPID as uid 65534: exit 1, says which, lists nothing of it");
}

/* Short-lived processes that open regions and exit, until killed. */
static pid_t start_churn(void)
{
	pid_t pid = fork();

	if (pid)
		return pid;
	setpgid(0, 0);	/* killed as a group */
	for (unsigned int i = 0;; i++) {
		pid_t kid = fork();

		if (!kid) {
			struct region g[3];
			int k;

			for (k = 0; k < 3; k++)
				g[k] = vrange_region("churn", 2);
			vt_unpin(g[0].fd, 0, 1);
			/*
			 * 20-60 ms: long enough that a ps on a slow kernel
			 * (KASAN under TCG) still meets some, short enough
			 * that many exit while it runs.
			 */
			usleep(20000 + (i * 7919) % 40000);
			_exit(0);
		}
		if (i % 4 == 3)
			while (waitpid(-1, NULL, 0) > 0)
				;
	}
}

static void check_churn(void)
{
	int bad = 0, seen = 0, i;
	pid_t churn = start_churn();
	struct json *v, *regions;
	struct run *r;
	size_t k;

	for (i = 0; i < 60; i++) {
		r = ctl(i % 3 == 0 ? NOBODY : AS_ROOT, "ps",
			i % 2 ? "--json" : NULL, NULL);
		v = i % 2 ? ctl_json_ok(r) : NULL;
		if (r->status || r->err[0] || (i % 2 && !v)) {
			if (!bad++)
				show(r);
			continue;
		}
		regions = json_get(v, "regions");
		for (k = 0; regions && k < regions->n; k++)
			seen += str_is(regions->kids[k], "name", "churn", 5);
		if (!(i % 2))
			for (const char *s = r->out; (s = strstr(s, " churn\n")); s++)
				seen++;
	}
	kill(-churn, SIGKILL);
	kill(churn, SIGKILL);
	vt_wait(churn);
	usleep(300000);		/* its children's regions are released */
	diag("60 runs of ps listed %d regions of short-lived processes", seen);
	ok(!bad && seen > 0,
	   "ps while processes open regions and exit: 60 runs, every one exit 0, no error, valid JSON");
}

static void check_purge_one(struct region *ash, int null_fd, pid_t holder,
			    int holder_fd)
{
	char pid_s[16], fd_s[16], me_s[16], gone_s[16];
	long long yama;
	pid_t gone;
	struct json *v;
	struct run *r;
	int ro;

	snprintf(pid_s, sizeof(pid_s), "%d", (int)holder);
	snprintf(fd_s, sizeof(fd_s), "%d", holder_fd);
	snprintf(me_s, sizeof(me_s), "%d", (int)getpid());

	r = ctl(NOBODY, "purge", me_s, "3", NULL);
	ok(failed_with(r, 1, "not allowed"),
	   "purge ROOTPID FD as uid 65534: exit 1, not allowed");
	ok(fdinfo_of(holder, holder_fd, "vrange_unpinned_pages") == 2,
	   "uid 65534's region still has 2 unpinned pages");
	r = ctl(AS_ROOT, "purge", pid_s, fd_s, "--json", NULL);
	v = ctl_json_ok(r);
	ok(v && json_int(v, "purged_pages") == 2,
	   "purge PID FD of another process (pidfd_getfd): 2 pages, JSON");
	ok(fdinfo_of(holder, holder_fd, "vrange_unpinned_pages") == 0 &&
	   fdinfo_of(holder, holder_fd, "vrange_purged_pages") == 2,
	   "... in that very region: its fdinfo says 0 unpinned, 2 purged");
	/* the same user may, unless Yama keeps it to descendants */
	yama = vt_read_number("/proc/sys/kernel/yama/ptrace_scope");
	r = ctl(NOBODY, "purge", pid_s, fd_s, NULL);
	if (yama <= 0)
		ok((r->status == 0 && !strcmp(r->out, "purged 0 pages (0 B)\n")) ||
		   show(r), "purge PID FD again as the same user (ptrace_scope %lld): \"purged 0 pages (0 B)\"",
		   yama);
	else
		ok(failed_with(r, 1, "not allowed"),
		   "purge PID FD of a sibling as the same user under ptrace_scope %lld: not allowed",
		   yama);

	if (ash) {
		snprintf(fd_s, sizeof(fd_s), "%d", ash->fd);
		r = ctl(AS_ROOT, "purge", me_s, fd_s, NULL);
		ok(failed_with(r, 1, "ashmem"), "purge of an ashmem area: exit 1, says why");
	} else {
		skip("/dev/ashmem is not vrange's", "purge of an ashmem area");
	}
	ro = open(VRANGE_DEVICE, O_RDONLY);
	snprintf(fd_s, sizeof(fd_s), "%d", ro);
	r = ctl(AS_ROOT, "purge", me_s, fd_s, NULL);
	ok(ro >= 0 && failed_with(r, 1, "read-only"),
	   "purge of a region opened read-only: exit 1, says why");
	close(ro);
	snprintf(fd_s, sizeof(fd_s), "%d", null_fd);
	r = ctl(AS_ROOT, "purge", me_s, fd_s, NULL);
	ok(failed_with(r, 1, "not a vrange region"), "purge of /dev/null: exit 1");
	r = ctl(AS_ROOT, "purge", me_s, "999", NULL);
	ok(failed_with(r, 1, "no descriptor 999"), "purge of a closed descriptor: exit 1");
	gone = fork();
	if (!gone)
		_exit(0);
	vt_wait(gone);
	snprintf(gone_s, sizeof(gone_s), "%d", (int)gone);
	r = ctl(AS_ROOT, "purge", gone_s, "3", NULL);
	ok(failed_with(r, 1, "no process"), "purge of a process that exited: exit 1");
}

static void check_top(struct region *cache)
{
	long long pages = 0, events = 0;
	int out = memfd_create("top", MFD_CLOEXEC), lines = 0, valid = 0, i;
	struct stat st;
	struct json *v;
	struct run *r;
	char *s, *nl;
	pid_t pid;

	vt_unpin(cache->fd, 0, 6);	/* 0-3 stay purged: 4, 5 join 6, 7 */
	pid = fork();
	if (!pid) {
		dup2(out, 1);
		execl(ctl_path, ctl_path, "top", "--interval", "1",
		      "--count", "3", "--json", NULL);
		_exit(127);
	}
	/* after the first update: the purge falls in the second or third */
	for (i = 0; i < 1000 && fstat(out, &st) == 0 && !st.st_size; i++)
		usleep(10000);
	ok(ioctl(cache->fd, VRANGE_PURGE) == 4, "a PURGE of 4 pages while top runs");
	ok(vt_exited_ok(vt_wait(pid)), "top --count 3 exits 0");
	s = slurp(out, NULL);
	for (; (nl = strchr(s, '\n')); s = nl + 1) {
		*nl = '\0';
		lines++;
		v = json_parse(s, nl - s, NULL);
		if (!v) {
			diag("invalid: %s", s);
			continue;
		}
		valid++;
		pages += json_int(v, "pages_purged");
		events += json_int(v, "purges");
		if (json_num(v, "pages_purged_per_sec") < 0 ||
		    json_int(v, "unpinned_pages") < 0)
			valid--;
	}
	ok(lines == 3 && valid == 3, "top --json: 3 lines, one JSON object each");
	ok_alone(pages == 4 && events == 1,
		 "top: the updates add up to 4 pages purged in 1 purge (%lld, %lld)",
		 pages, events);
	r = ctl(AS_ROOT, "top", "--interval=0.2", "--count=2", NULL);
	for (lines = 0, s = r->out; (s = strchr(s, '\n')); s++)
		lines++;
	ok((r->status == 0 && !strncmp(r->out, "TIME ", 5) && lines == 3 &&
	    r->out[r->out_len - 1] == '\n') || show(r),
	   "top: a header and 2 lines");
}

static void check_purge_all(struct region *cache, struct region *ash)
{
	struct json *v;
	struct run *r;

	vt_unpin(cache->fd, 8, 2);	/* 2 unpinned, 8 purged */
	r = ctl(NOBODY, "purge", "--all", NULL);
	ok(failed_with(r, 1, "CAP_SYS_ADMIN"),
	   "purge --all as uid 65534: exit 1, says it needs CAP_SYS_ADMIN");
	ok(fdinfo_of(getpid(), cache->fd, "vrange_unpinned_pages") == 2,
	   "... and purged nothing");
	r = ctl(AS_ROOT, "purge", "--all", "--json", NULL);
	v = ctl_json_ok(r);
	ok_alone(v && json_int(v, "purged_pages") == 2 + (ash ? 3 : 0),
		 "purge --all --json as root: every unpinned page (%lld)",
		 v ? json_int(v, "purged_pages") : -1);
	ok(fdinfo_of(getpid(), cache->fd, "vrange_unpinned_pages") == 0 &&
	   fdinfo_of(getpid(), cache->fd, "vrange_purged_pages") == 10 &&
	   (!ash || fdinfo_of(getpid(), ash->fd, "vrange_purged_pages") == 3),
	   "... the regions' fdinfo agree");
}

int main(int argc, char **argv)
{
	struct region cache, odd, ashreg, *ash = NULL;
	int dup_fd, null_fd, holder_fd;
	struct ashmem_pin pin;
	pid_t holder;

	vt_init();
	if (argc > 1)
		ctl_path = argv[1];
	prctl(PR_SET_NAME, "vrangectl_check");
	if (access(ctl_path, X_OK))
		bail_out("%s: %s", ctl_path, strerror(errno));

	check_usage();

	/* 10 pages: 4 purged, 2 unpinned, resident 6 */
	cache = vrange_region("ctl-cache", 10);
	vt_unpin(cache.fd, 0, 4);
	if (ioctl(cache.fd, VRANGE_PURGE) != 4)
		bail_out("VRANGE_PURGE: %s", strerror(errno));
	vt_unpin(cache.fd, 6, 2);
	dup_fd = dup(cache.fd);
	odd.fd = vt_open();
	odd.pages = 1;
	odd.name = weird;
	if (odd.fd < 0 || vt_set_size(odd.fd, vt_page) || vt_set_name(odd.fd, weird))
		bail_out("the oddly named region: %s", strerror(errno));
	null_fd = open("/dev/null", O_RDONLY);
	/* an ashmem area, 3 of 8 pages unpinned, if /dev/ashmem is ours */
	ashreg = (struct region){ .name = "ctl-ash", .pages = 8 };
	ashreg.fd = open("/dev/ashmem", O_RDWR);
	if (ashreg.fd >= 0 && fdinfo_of(getpid(), ashreg.fd, "vrange_size") == 0) {
		char name[ASHMEM_NAME_LEN] = "ctl-ash";

		if (ioctl(ashreg.fd, ASHMEM_SET_NAME, name) ||
		    ioctl(ashreg.fd, ASHMEM_SET_SIZE, (size_t)(8 * vt_page)))
			bail_out("ashmem area: %s", strerror(errno));
		ashreg.map = vt_map(ashreg.fd, 8 * vt_page, 0);
		if (ashreg.map == MAP_FAILED)
			bail_out("mmap ashmem area: %s", strerror(errno));
		memset(ashreg.map, 1, 8 * vt_page);
		pin = (struct ashmem_pin){ .offset = vt_page, .len = 3 * vt_page };
		if (ioctl(ashreg.fd, ASHMEM_UNPIN, &pin) < 0)
			bail_out("ASHMEM_UNPIN: %s", strerror(errno));
		ash = &ashreg;
	} else {
		diag("/dev/ashmem is missing or not vrange's: no ashmem area");
	}
	holder = start_holder(&holder_fd);

	/* 2 (cache) + 3 (ashmem) + 2 (holder) pages unpinned */
	check_stat("regions up", (4 + (ash ? 3 : 0)) * vt_page,
		   ash ? "28.0 KiB" : "16.0 KiB");
	check_ps(&cache, &odd, ash, dup_fd, null_fd, holder, holder_fd);
	showcase("stat");
	showcase("ps");
	check_churn();
	check_purge_one(ash, null_fd, holder, holder_fd);
	check_top(&cache);
	check_purge_all(&cache, ash);
	check_stat("after purge --all", 0, "0 B");

	kill(holder, SIGKILL);
	vt_wait(holder);
	return tap_finish("vrangectl_check");
}
