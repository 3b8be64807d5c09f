// SPDX-License-Identifier: GPL-2.0
/*
 * vrange_semantics: the single-process contract of /dev/vrange.
 *
 * Size and name rules, mmap rules, range validation (every EINVAL case,
 * each followed by a check that nothing changed), page-exact merge/split
 * and WAS_PURGED, SIGBUS on purged pages, zero fill after pin, a randomized
 * sequence checked against a per-page model, the sysfs counters and fdinfo
 * fields, and the privilege rules of VRANGE_PURGE / VRANGE_PURGE_ALL.
 *
 * Runs as root in the test guest with nothing else using vrange.
 */
#include <limits.h>
#include <poll.h>
#include <stdbool.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <linux/capability.h>

#include "vrange_test.h"

#define MAXP		64
#define NOBODY_UID	65534

enum { PG_PINNED, PG_UNPINNED, PG_PURGED };

/*
 * Expected state of a small region, page by page.
 *
 * Besides each page's state the model tracks which interval of the
 * module's range set a page belongs to (iv, 0 for pinned pages), so that
 * fdinfo's vrange_ranges can be checked exactly. The module keeps one
 * interval per unpin age: UNPIN only adds intervals for the pinned gaps of
 * its range (already unpinned pages keep their interval and age), PIN trims
 * or splits intervals, and purging an interval merges it with adjacent
 * purged intervals.
 */
struct model {
	int fd;
	unsigned char *map;
	unsigned int np;
	unsigned char st[MAXP];
	unsigned int gen[MAXP];		/* content generation, 0 = zeros */
	unsigned int iv[MAXP];		/* interval id, 0 = pinned */
	unsigned int next_iv;
};

static const char *const state_name[] = { "pinned", "unpinned", "purged" };

/* ---- model --------------------------------------------------------------- */

static void model_init(struct model *m, unsigned int np, const char *name)
{
	void *map;
	unsigned int p;

	memset(m, 0, sizeof(*m));
	m->np = np;
	m->next_iv = 1;
	m->fd = vt_create((uint64_t)np * vt_page, name, &map);
	m->map = map;
	for (p = 0; p < np; p++) {
		vt_fill_page(m->map + p * vt_page, p, 1);
		m->gen[p] = 1;
	}
}

static void model_destroy(struct model *m)
{
	munmap(m->map, (size_t)m->np * vt_page);
	close(m->fd);
}

/* Intervals: maximal runs of pages sharing a non-zero interval id. */
static unsigned int model_ranges(const struct model *m)
{
	unsigned int p, runs = 0;

	for (p = 0; p < m->np; p++)
		if (m->iv[p] && (p == 0 || m->iv[p - 1] != m->iv[p]))
			runs++;
	return runs;
}

static unsigned int model_count(const struct model *m, int state)
{
	unsigned int p, n = 0;

	for (p = 0; p < m->np; p++)
		n += m->st[p] == state;
	return n;
}

static int model_status(const struct model *m, unsigned int first,
			unsigned int n)
{
	int bits = 0;
	unsigned int p;

	for (p = first; p < first + n; p++) {
		if (m->st[p] != PG_PINNED)
			bits |= VRANGE_STATUS_UNPINNED;
		if (m->st[p] == PG_PURGED)
			bits |= VRANGE_STATUS_PURGED;
	}
	return bits;
}

/* n == 0 means "to the end", as in the ABI. */
static unsigned int model_len(const struct model *m, unsigned int first,
			      unsigned int n)
{
	return n ? n : m->np - first;
}

/* Each pinned gap of [first, first+len) becomes a new interval. */
static void model_unpin(struct model *m, unsigned int first, unsigned int len)
{
	bool in_gap = false;
	unsigned int p;

	for (p = first; p < first + len; p++) {
		if (m->st[p] != PG_PINNED) {
			in_gap = false;
			continue;
		}
		if (!in_gap)
			m->next_iv++;
		in_gap = true;
		m->st[p] = PG_UNPINNED;
		m->iv[p] = m->next_iv;
	}
}

/* Last page + 1 of the run of interval @id starting at @p. */
static unsigned int run_end(const struct model *m, unsigned int p)
{
	unsigned int id = m->iv[p];

	while (p < m->np && m->iv[p] == id)
		p++;
	return p;
}

static void relabel(struct model *m, unsigned int from, unsigned int to,
		    unsigned int id)
{
	for (; from < to; from++)
		m->iv[from] = id;
}

/*
 * Purge every unpinned interval, in address order, merging each with an
 * adjacent purged interval on either side. Returns the pages purged.
 */
static unsigned int model_purge(struct model *m)
{
	unsigned int p = 0, end, purged = 0;

	while (p < m->np) {
		if (m->st[p] != PG_UNPINNED) {
			p++;
			continue;
		}
		end = run_end(m, p);
		for (unsigned int q = p; q < end; q++)
			m->st[q] = PG_PURGED;
		purged += end - p;
		if (p > 0 && m->st[p - 1] == PG_PURGED)
			relabel(m, p, end, m->iv[p - 1]);
		if (end < m->np && m->st[end] == PG_PURGED)
			relabel(m, end, run_end(m, end), m->iv[p]);
		p = end;
	}
	return purged;
}

static bool op_unpin(struct model *m, unsigned int first, unsigned int n)
{
	int ret = vt_unpin(m->fd, first, n);

	model_unpin(m, first, model_len(m, first, n));
	if (ret)
		diag("UNPIN pages [%u,+%u) failed: %s", first, n,
		     strerror(errno));
	return ret == 0;
}

static bool op_pin(struct model *m, unsigned int first, unsigned int n)
{
	unsigned int p, len = model_len(m, first, n);
	int want = VRANGE_NOT_PURGED;
	int ret = vt_pin(m->fd, first, n);

	for (p = first; p < first + len; p++) {
		if (m->st[p] == PG_PURGED) {
			want = VRANGE_WAS_PURGED;
			m->gen[p] = 0;
		}
		m->st[p] = PG_PINNED;
		m->iv[p] = 0;
	}
	if (ret != want)
		diag("PIN pages [%u,+%u) returned %d (%s), expected %d",
		     first, n, ret, ret < 0 ? strerror(errno) : "-", want);
	return ret == want;
}

static bool op_purge(struct model *m)
{
	int want = model_purge(m);
	int ret = ioctl(m->fd, VRANGE_PURGE);

	if (ret != want)
		diag("PURGE returned %d (%s), expected %d", ret,
		     ret < 0 ? strerror(errno) : "-", want);
	return ret == want;
}

/* Write a new generation to page @p, or expect SIGBUS if it is purged. */
static bool op_write(struct model *m, unsigned int p)
{
	unsigned char *page = m->map + p * vt_page;
	static unsigned char buf[65536];
	int sig;

	vt_fill_page(buf, p, m->gen[p] + 1);
	sig = vt_probe_copy(page, buf, vt_page);
	if (m->st[p] == PG_PURGED) {
		if (sig != SIGBUS)
			diag("write to purged page %u: signal %d, want SIGBUS",
			     p, sig);
		return sig == SIGBUS;
	}
	if (sig) {
		diag("write to %s page %u raised signal %d",
		     state_name[m->st[p]], p, sig);
		return false;
	}
	m->gen[p]++;
	return true;
}

/* Check page @p's data, or that reading it raises SIGBUS if purged. */
static bool check_page_data(const struct model *m, unsigned int p)
{
	static unsigned char buf[65536];
	int sig = vt_probe_copy(buf, m->map + p * vt_page, vt_page);
	bool good;

	if (m->st[p] == PG_PURGED) {
		if (sig != SIGBUS)
			diag("read of purged page %u: signal %d, want SIGBUS",
			     p, sig);
		return sig == SIGBUS;
	}
	if (sig) {
		diag("read of %s page %u raised signal %d",
		     state_name[m->st[p]], p, sig);
		return false;
	}
	good = m->gen[p] ? vt_page_matches(buf, p, m->gen[p]) :
			   vt_is_zero(buf, vt_page);
	if (!good)
		diag("page %u (%s): content is not generation %u (first word %#llx)",
		     p, state_name[m->st[p]], m->gen[p],
		     (unsigned long long)*(uint64_t *)buf);
	return good;
}

static bool check_fdinfo_counts(const struct model *m)
{
	long long unp = vt_fdinfo(m->fd, "vrange_unpinned_pages");
	long long pur = vt_fdinfo(m->fd, "vrange_purged_pages");
	long long rng = vt_fdinfo(m->fd, "vrange_ranges");
	long long pres = vt_purged_resident(m->fd);
	bool good = unp == model_count(m, PG_UNPINNED) &&
		    pur == model_count(m, PG_PURGED) &&
		    rng == model_ranges(m) && pres == 0;

	if (!good)
		diag("fdinfo unpinned=%lld purged=%lld ranges=%lld purged_resident=%lld; model %u/%u/%u/0",
		     unp, pur, rng, pres, model_count(m, PG_UNPINNED),
		     model_count(m, PG_PURGED), model_ranges(m));
	return good;
}

/* Compare per-page GET_STATUS, fdinfo counters and (optionally) data. */
static bool model_verify(const struct model *m, bool data)
{
	unsigned int p, bad = 0;

	for (p = 0; p < m->np; p++) {
		int want = model_status(m, p, 1);
		int got = vt_status(m->fd, p, 1);

		if (got != want && bad++ < 4)
			diag("page %u: GET_STATUS %d (%s), model %d (%s)", p,
			     got, got < 0 ? strerror(errno) : "-", want,
			     state_name[m->st[p]]);
	}
	if (!check_fdinfo_counts(m))
		bad++;
	if (data)
		for (p = 0; p < m->np; p++)
			if (!check_page_data(m, p))
				bad++;
	return bad == 0;
}

static int model_dump(const struct model *m)
{
	char line[MAXP + 1];
	unsigned int p;

	for (p = 0; p < m->np; p++)
		line[p] = "PUX"[m->st[p]];
	line[m->np] = 0;
	return diag("model (P pinned, U unpinned, X purged): %s", line);
}

/* ---- size and name --------------------------------------------------------- */

static void test_size(void)
{
	int fd = vt_open();
	uint64_t size;

	if (fd < 0)
		bail_out("open %s: %s", VRANGE_DEVICE, strerror(errno));
	ok(vt_get_size(fd) == 0, "new region has size 0");
	errno = 0;
	ok(vt_set_size(fd, 0) == -1 && errno == EINVAL,
	   "SET_SIZE 0 fails with EINVAL");
	ok(vt_get_size(fd) == 0, "failed SET_SIZE 0 leaves size 0");
	ok(vt_set_size(fd, 5 * vt_page) == 0 &&
	   vt_get_size(fd) == 5 * vt_page, "SET_SIZE then GET_SIZE round-trips");
	ok(vt_set_size(fd, 3 * vt_page + 100) == 0 &&
	   vt_get_size(fd) == 3 * vt_page + 100,
	   "SET_SIZE may be repeated before mmap, unaligned size kept exactly");
	errno = 0;
	ok(vt_set_size(fd, 0) == -1 && errno == EINVAL &&
	   vt_get_size(fd) == 3 * vt_page + 100,
	   "SET_SIZE 0 on a sized region fails and keeps the old size");
	ok(vt_fdinfo(fd, "vrange_size") == (long long)(3 * vt_page + 100),
	   "fdinfo vrange_size shows the size");
	size = (uint64_t)-1;
	errno = 0;
	if (vt_set_size(fd, size) == 0)
		diag("note: SET_SIZE 2^64-1 accepted (size now %llu)",
		     (unsigned long long)vt_get_size(fd));
	else
		diag("note: SET_SIZE 2^64-1 rejected with %s", strerror(errno));
	close(fd);
}

static bool name_is(int fd, const char *want)
{
	char buf[VRANGE_NAME_LEN];

	if (vt_get_name(fd, buf)) {
		diag("GET_NAME: %s", strerror(errno));
		return false;
	}
	if (memchr(buf, 0, sizeof(buf)) == NULL || strcmp(buf, want)) {
		diag("GET_NAME gave '%.40s...', expected '%.40s'", buf, want);
		return false;
	}
	return true;
}

static void test_bad_name(int fd, const char *name, const char *what)
{
	errno = 0;
	ok(vt_set_name(fd, name) == -1 && errno == EINVAL && name_is(fd, "keep"),
	   "SET_NAME %s fails with EINVAL and keeps the old name", what);
}

static void test_name(void)
{
	char raw[VRANGE_NAME_LEN], longname[VRANGE_NAME_LEN];
	int fd = vt_open();

	if (fd < 0)
		bail_out("open: %s", strerror(errno));
	ok(name_is(fd, ""), "new region has an empty name");
	ok(vt_set_name(fd, "keep") == 0 && name_is(fd, "keep"),
	   "SET_NAME then GET_NAME round-trips");
	test_bad_name(fd, "a/b", "containing '/'");
	test_bad_name(fd, "/", "\"/\"");
	test_bad_name(fd, "", "empty");

	memset(raw, 'x', sizeof(raw));
	errno = 0;
	ok(ioctl(fd, VRANGE_SET_NAME, raw) == -1 && errno == EINVAL &&
	   name_is(fd, "keep"),
	   "SET_NAME without NUL in 256 bytes fails with EINVAL, name kept");

	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = 0;
	ok(vt_set_name(fd, longname) == 0 && name_is(fd, longname),
	   "SET_NAME accepts a 255-character name");
	ok(vt_set_name(fd, "named") == 0 && name_is(fd, "named"),
	   "SET_NAME may be repeated before mmap");
	{
		char buf[VRANGE_NAME_LEN];

		ok(vt_fdinfo_str(fd, "vrange_name", buf, sizeof(buf)) == 0 &&
		   !strcmp(buf, "named"), "fdinfo vrange_name shows the name");
	}
	close(fd);
}

/* ---- before the first mmap ------------------------------------------------- */

static bool fails_einval(int ret)
{
	return ret == -1 && errno == EINVAL;
}

static void test_before_mmap(void)
{
	int fd = vt_open();
	void *map;

	if (fd < 0)
		bail_out("open: %s", strerror(errno));
	errno = 0;
	map = vt_map(fd, vt_page, 0);
	ok(map == MAP_FAILED && errno == EINVAL,
	   "mmap of a size-0 region fails with EINVAL");
	if (map != MAP_FAILED)
		munmap(map, vt_page);
	ok(vt_fdinfo(fd, "vrange_mapped") == 0, "fdinfo vrange_mapped is 0 before mmap");
	ok(vt_set_size(fd, 4 * vt_page) == 0, "size can be set after a failed mmap");
	errno = 0;
	ok(fails_einval(vt_pin(fd, 0, 1)), "PIN before the first mmap fails with EINVAL");
	errno = 0;
	ok(fails_einval(vt_unpin(fd, 0, 1)), "UNPIN before the first mmap fails with EINVAL");
	errno = 0;
	ok(fails_einval(vt_status(fd, 0, 1)),
	   "GET_STATUS before the first mmap fails with EINVAL");
	errno = 0;
	ok(fails_einval(ioctl(fd, VRANGE_PURGE)),
	   "PURGE before the first mmap fails with EINVAL");
	close(fd);
}

/* ---- mmap rules ----------------------------------------------------------- */

static bool map_fails(int fd, uint64_t len, uint64_t off, int flags)
{
	void *p;

	errno = 0;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, flags, fd, off);
	if (p != MAP_FAILED) {
		munmap(p, len);
		diag("mmap len %llu off %llu succeeded", (unsigned long long)len,
		     (unsigned long long)off);
		return false;
	}
	if (errno != EINVAL)
		diag("mmap failed with %s, expected EINVAL", strerror(errno));
	return errno == EINVAL;
}

static bool map_works(int fd, uint64_t len, uint64_t off)
{
	unsigned char v;
	unsigned char *p = vt_map(fd, len, off);

	if (p == MAP_FAILED) {
		diag("mmap len %llu off %llu: %s", (unsigned long long)len,
		     (unsigned long long)off, strerror(errno));
		return false;
	}
	/* Touch the last page, it must be backed. */
	if (vt_probe_read(p + len - 1, &v)) {
		diag("last page of mapping raised a signal");
		munmap(p, len);
		return false;
	}
	munmap(p, len);
	return true;
}

static void test_mmap_rules(void)
{
	uint64_t size = 3 * vt_page + 100;
	uint64_t P = vt_page;
	int fd = vt_open();

	if (fd < 0 || vt_set_size(fd, size) || vt_set_name(fd, "rules"))
		bail_out("region setup: %s", strerror(errno));
	ok(map_fails(fd, 4 * P, 0, MAP_PRIVATE),
	   "MAP_PRIVATE mmap fails with EINVAL");
	ok(map_fails(fd, 5 * P, 0, MAP_SHARED),
	   "mmap longer than the page-aligned size fails with EINVAL");
	ok(map_fails(fd, P, 4 * P, MAP_SHARED),
	   "mmap at offset == page-aligned size fails with EINVAL");
	ok(map_fails(fd, 3 * P, 2 * P, MAP_SHARED),
	   "mmap with offset+len beyond the size fails with EINVAL");
	ok(map_fails(fd, P, 1ULL << 30, MAP_SHARED),
	   "mmap at an offset far beyond the size fails with EINVAL");
	ok(vt_fdinfo(fd, "vrange_mapped") == 0,
	   "failed mmaps leave fdinfo vrange_mapped at 0");
	ok(vt_set_size(fd, size) == 0 && vt_set_name(fd, "rules") == 0,
	   "failed mmaps do not freeze size and name");
	ok(map_works(fd, 4 * P, 0),
	   "mmap of the whole page-aligned size (size not page aligned) works");
	ok(map_works(fd, P, 3 * P), "mmap of the last partial page alone works");
	ok(map_works(fd, 2 * P, P), "mmap at a page offset inside the region works");
	ok(vt_fdinfo(fd, "vrange_mapped") == 1, "fdinfo vrange_mapped is 1 after mmap");

	errno = 0;
	ok(vt_set_size(fd, 8 * P) == -1 && errno == EINVAL &&
	   vt_get_size(fd) == size,
	   "SET_SIZE after mmap fails with EINVAL, size unchanged");
	errno = 0;
	ok(vt_set_name(fd, "other") == -1 && errno == EINVAL && name_is(fd, "rules"),
	   "SET_NAME after mmap fails with EINVAL, name unchanged");
	ok(vt_status(fd, 3, 1) == 0,
	   "GET_STATUS of the last (partial) page works after mmap");
	ok(map_works(fd, 4 * P, 0), "region can be mapped again after munmap");
	close(fd);
}

/* ---- names in /proc/self/maps ----------------------------------------- */

/*
 * The backing is a shmem pseudo file, so the kernel may append " (deleted)"
 * as it does for memfd; the name itself must be exact.
 */
static bool maps_path_is(const void *addr, const char *want)
{
	char path[512];
	size_t n = strlen(want);

	if (vt_maps_path(addr, path, sizeof(path))) {
		diag("no /proc/self/maps line at %p", addr);
		return false;
	}
	if (!strncmp(path, want, n) &&
	    (path[n] == 0 || !strcmp(path + n, " (deleted)"))) {
		if (path[n])
			diag("note: maps shows '%s'", path);
		return true;
	}
	diag("maps shows '%s', expected '%s'", path, want);
	return false;
}

static void test_maps_names(void)
{
	void *named, *anon;
	int fd1 = vt_create(vt_page, "image-01", &named);
	int fd2 = vt_create(2 * vt_page, NULL, &anon);

	ok(maps_path_is(named, "/dev/vrange/image-01"),
	   "named region shows as /dev/vrange/<name> in /proc/self/maps");
	ok(maps_path_is(anon, "/dev/vrange"),
	   "unnamed region shows as /dev/vrange in /proc/self/maps");
	munmap(named, vt_page);
	munmap(anon, 2 * vt_page);
	close(fd1);
	close(fd2);
}

/* ---- range validation ----------------------------------------------------- */

struct snapshot {
	int st[MAXP];
	long long unpinned, purged, ranges;
};

static void take_snapshot(int fd, unsigned int np, struct snapshot *s)
{
	unsigned int p;

	for (p = 0; p < np; p++)
		s->st[p] = vt_status(fd, p, 1);
	s->unpinned = vt_fdinfo(fd, "vrange_unpinned_pages");
	s->purged = vt_fdinfo(fd, "vrange_purged_pages");
	s->ranges = vt_fdinfo(fd, "vrange_ranges");
}

static bool same_snapshot(const struct snapshot *a, const struct snapshot *b,
			  unsigned int np)
{
	return !memcmp(a->st, b->st, np * sizeof(a->st[0])) &&
	       a->unpinned == b->unpinned && a->purged == b->purged &&
	       a->ranges == b->ranges;
}

struct bad_range {
	uint64_t off, len;
	const char *what;
};

static void test_range_validation(void)
{
	const uint64_t P = vt_page, np = 8;
	const struct bad_range bad[] = {
		{ 1, P, "misaligned offset" },
		{ P / 2, 0, "misaligned offset with len 0" },
		{ 0, P + 1, "misaligned len" },
		{ 0, 1, "len of 1 byte" },
		{ 9 * P, P, "offset beyond the size" },
		{ 8 * P, P, "range starting at the end" },
		{ 6 * P, 3 * P, "offset+len beyond the size" },
		{ 0, 9 * P, "len beyond the size" },
		{ P, (uint64_t)0 - P, "offset+len wrapping to 0" },
		{ 2 * P, (uint64_t)0 - P, "offset+len wrapping past 0" },
		{ (uint64_t)0 - P, 0, "huge offset with len 0" },
		{ (uint64_t)0 - P, 2 * P, "huge offset wrapping" },
	};
	const struct { unsigned long cmd; const char *name; } cmds[] = {
		{ VRANGE_PIN, "PIN" },
		{ VRANGE_UNPIN, "UNPIN" },
		{ VRANGE_GET_STATUS, "GET_STATUS" },
	};
	struct snapshot before, after;
	struct model m;
	unsigned int i, c;
	int ret;

	model_init(&m, np, "validate");
	op_unpin(&m, 2, 2);
	op_unpin(&m, 6, 1);
	op_purge(&m);
	op_unpin(&m, 4, 1);
	take_snapshot(m.fd, np, &before);
	ok(model_verify(&m, true), "validation region set up: pinned, unpinned and purged pages");

	for (c = 0; c < 3; c++) {
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			errno = 0;
			ret = vt_range(m.fd, cmds[c].cmd, bad[i].off, bad[i].len);
			take_snapshot(m.fd, np, &after);
			if (!ok(ret == -1 && errno == EINVAL &&
				same_snapshot(&before, &after, np),
				"%s with %s fails with EINVAL and changes nothing",
				cmds[c].name, bad[i].what))
				diag("ret %d errno %s (off %#llx len %#llx)", ret,
				     strerror(errno),
				     (unsigned long long)bad[i].off,
				     (unsigned long long)bad[i].len);
		}
	}
	ok(model_verify(&m, true), "state and data intact after all rejected calls");

	ret = vt_range(m.fd, VRANGE_GET_STATUS, np * P, 0);
	diag("note: GET_STATUS at offset == size with len 0 returned %d (%s)",
	     ret, ret < 0 ? strerror(errno) : "-");

	op_unpin(&m, 5, 0);
	ok(model_verify(&m, true), "UNPIN with len 0 unpins to the end of the region");
	ok(vt_status(m.fd, 0, 0) == model_status(&m, 0, np),
	   "GET_STATUS with len 0 covers the whole region");
	ok(op_pin(&m, 3, 0) && model_verify(&m, true),
	   "PIN with len 0 pins to the end of the region");
	model_destroy(&m);
}

/* ---- unknown ioctls ------------------------------------------------------ */

static void test_unknown_ioctl(void)
{
	uint64_t arg = 0;
	void *map;
	int fd = vt_open();

	errno = 0;
	ok(ioctl(fd, _IO(VRANGE_IOC_MAGIC, 0x7f)) == -1 && errno == ENOTTY,
	   "unknown vrange ioctl number fails with ENOTTY");
	errno = 0;
	ok(ioctl(fd, _IOW(VRANGE_IOC_MAGIC, 1, uint32_t), &arg) == -1 &&
	   errno == ENOTTY,
	   "SET_SIZE number with a wrong argument size fails with ENOTTY");
	errno = 0;
	ok(ioctl(fd, _IO('T', 0x42)) == -1 && errno == ENOTTY,
	   "foreign ioctl magic fails with ENOTTY");
	close(fd);
	fd = vt_create(vt_page, NULL, &map);
	errno = 0;
	ok(ioctl(fd, _IOR(VRANGE_IOC_MAGIC, 0x20, uint64_t), &arg) == -1 &&
	   errno == ENOTTY, "unknown ioctl on a mapped region fails with ENOTTY");
	munmap(map, vt_page);
	close(fd);
}

/* ---- data retention, merge/split, purge --------------------------------- */

static void test_unpinned_keeps_data(void)
{
	struct model m;
	unsigned int p;
	bool good = true;

	model_init(&m, 16, "keep");
	ok(model_verify(&m, true), "all pages start pinned (GET_STATUS 0 page by page)");
	ok(vt_status(m.fd, 0, 16) == 0, "GET_STATUS of the whole new region is 0");
	op_unpin(&m, 0, 16);
	for (p = 0; p < 16; p++)
		good &= check_page_data(&m, p);
	ok(good, "unpinned pages keep their data without memory pressure");
	ok(model_verify(&m, false), "reading unpinned pages leaves them unpinned");
	for (p = 0; p < 16; p += 3)
		good &= op_write(&m, p);
	ok(good && model_verify(&m, true),
	   "writing unpinned pages works and leaves them unpinned");
	ok(op_pin(&m, 0, 16), "PIN of an unpinned, never purged range returns 0");
	ok(model_verify(&m, true), "data intact after unpin, write, pin");
	ok(op_pin(&m, 0, 16), "PIN of an already pinned range returns 0");
	model_destroy(&m);
}

static bool ranges_are(const struct model *m, long long want)
{
	long long got = vt_fdinfo(m->fd, "vrange_ranges");

	if (got != want)
		diag("vrange_ranges %lld, expected %lld", got, want);
	return got == want;
}

static void test_merge_split(void)
{
	struct model m;

	model_init(&m, 16, "merge");
	op_unpin(&m, 0, 2);
	op_unpin(&m, 2, 2);
	ok(model_verify(&m, false) && ranges_are(&m, 2),
	   "adjacent unpins [0,2)+[2,4): pages exact, kept as 2 intervals (own unpin ages)");
	op_unpin(&m, 6, 2);
	ok(model_verify(&m, false) && ranges_are(&m, 3),
	   "disjoint unpin [6,8) adds a third interval");
	op_unpin(&m, 3, 4);
	ok(model_verify(&m, false) && ranges_are(&m, 4),
	   "overlapping unpin [3,7) only adds its pinned gap [4,6)");
	op_pin(&m, 2, 1);
	ok(model_verify(&m, false) && ranges_are(&m, 4),
	   "pin [2,3) trims [2,4) to [3,4), page exact");
	op_pin(&m, 5, 1);
	ok(model_verify(&m, false) && ranges_are(&m, 4),
	   "pin [5,6) trims the end of [4,6)");
	op_unpin(&m, 5, 1);
	op_pin(&m, 0, 1);
	op_pin(&m, 7, 1);
	ok(model_verify(&m, false),
	   "pinning the edges [0,1) and [7,8) trims both outer intervals");
	op_unpin(&m, 1, 6);
	ok(model_verify(&m, false), "unpin of an already unpinned span changes nothing");
	op_unpin(&m, 10, 1);
	op_unpin(&m, 12, 1);
	op_unpin(&m, 14, 1);
	op_pin(&m, 11, 3);
	ok(model_verify(&m, false),
	   "pin [11,14) over intervals and gaps removes [12] only, keeps [10] and [14]");
	op_unpin(&m, 9, 1);
	op_unpin(&m, 8, 4);
	op_pin(&m, 9, 1);
	ok(model_verify(&m, false),
	   "pin [9,10) splits the interval [8,12) made by one unpin in two");
	ok(op_purge(&m) && model_verify(&m, false),
	   "PURGE merges adjacent purged intervals");
	op_unpin(&m, 0, 16);
	ok(model_verify(&m, false),
	   "unpin of everything adds the pinned gaps between purged intervals");
	ok(op_pin(&m, 0, 16) && model_verify(&m, true) && ranges_are(&m, 0),
	   "pin of everything leaves no interval and data exact");
	model_destroy(&m);
}

static void test_purge_sigbus(void)
{
	long long resident;
	unsigned char v;
	struct model m;
	int sig;

	model_init(&m, 8, "sigbus");
	resident = vt_fdinfo(m.fd, "vrange_resident_pages");
	if (!ok(resident == 8, "fdinfo vrange_resident_pages counts the touched pages"))
		diag("resident %lld", resident);
	op_unpin(&m, 2, 2);
	ok(op_purge(&m), "PURGE returns the number of unpinned pages purged");
	ok(vt_fdinfo(m.fd, "vrange_resident_pages") == 6,
	   "purged pages are no longer resident");
	ok(model_verify(&m, false), "purged pages report UNPINNED|PURGED, others unchanged");
	ok(vt_status(m.fd, 2, 2) == (VRANGE_STATUS_UNPINNED | VRANGE_STATUS_PURGED),
	   "GET_STATUS of the purged range is UNPINNED|PURGED");
	ok(vt_status(m.fd, 0, 4) == (VRANGE_STATUS_UNPINNED | VRANGE_STATUS_PURGED),
	   "GET_STATUS of a range with pinned and purged pages has both bits");
	ok(vt_status(m.fd, 4, 4) == 0, "GET_STATUS of pinned pages next to purged ones is 0");
	sig = vt_probe_read(m.map + 2 * vt_page + 17, &v);
	if (!ok(sig == SIGBUS, "read of a purged unpinned page raises SIGBUS"))
		diag("signal %d", sig);
	sig = vt_probe_write(m.map + 3 * vt_page + 5, 1);
	if (!ok(sig == SIGBUS, "write to a purged unpinned page raises SIGBUS"))
		diag("signal %d", sig);
	sig = vt_probe_write(m.map + 2 * vt_page, 1);
	if (!ok(sig == SIGBUS, "SIGBUS is raised again on every access"))
		diag("signal %d", sig);
	ok(vt_purged_resident(m.fd) == 0 &&
	   vt_fdinfo(m.fd, "vrange_resident_pages") == 6,
	   "faults on purged pages do not allocate pages");
	ok(model_verify(&m, true), "neighbouring pinned pages keep their data");
	ok(ioctl(m.fd, VRANGE_PURGE) == 0, "second PURGE purges nothing and returns 0");
	ok(op_pin(&m, 2, 2), "PIN of the purged range returns VRANGE_WAS_PURGED");
	ok(model_verify(&m, true), "purged pages read as zeros after PIN");
	ok(op_write(&m, 2) && op_write(&m, 3) && model_verify(&m, true),
	   "re-pinned purged pages are writable and keep new data");
	ok(op_pin(&m, 2, 2), "second PIN of the range returns 0");
	ok(ioctl(m.fd, VRANGE_PURGE) == 0, "PURGE with nothing unpinned returns 0");
	model_destroy(&m);
}

/*
 * ioctl(2) returns an int: a purge of more than INT_MAX pages must not come
 * back cut to a negative "error" (2^31 + 5 pages became INT_MIN + 5, seen
 * as a PURGE_ALL failure in the torture run) or a small count.
 */
static void test_huge_purge_count(void)
{
	const unsigned long long np = (1ULL << 31) + 5;
	long long purged, unpinned;
	void *map;
	int fd, ret;

	/* One mapped page gives the region its (sparse) backing. */
	fd = vt_open();
	if (fd < 0 || vt_set_size(fd, np * vt_page))
		bail_out("huge region: %s", strerror(errno));
	map = vt_map(fd, vt_page, 0);
	if (map == MAP_FAILED)
		bail_out("mmap of a huge region: %s", strerror(errno));
	ok(vt_unpin(fd, 0, 0) == 0 &&
	   vt_fdinfo(fd, "vrange_unpinned_pages") == (long long)np,
	   "UNPIN of a whole 2^31 + 5 page region counts every page");
	ret = ioctl(fd, VRANGE_PURGE);
	purged = vt_fdinfo(fd, "vrange_purged_pages");
	unpinned = vt_fdinfo(fd, "vrange_unpinned_pages");
	if (!ok(ret == INT_MAX && purged == (long long)np && unpinned == 0,
		"PURGE of 2^31 + 5 pages returns INT_MAX, fdinfo has the exact count"))
		diag("PURGE returned %d, fdinfo purged %lld unpinned %lld", ret,
		     purged, unpinned);
	ok(vt_pin(fd, 0, 0) == VRANGE_WAS_PURGED && vt_unpin(fd, 0, 0) == 0,
	   "the huge region can be pinned and unpinned again");
	ret = ioctl(fd, VRANGE_PURGE_ALL);
	if (!ok(ret == INT_MAX, "PURGE_ALL of more than INT_MAX pages returns INT_MAX"))
		diag("PURGE_ALL returned %d (%s)", ret, ret < 0 ? strerror(errno) : "");
	munmap(map, vt_page);
	close(fd);
}

static void test_was_purged_exact(void)
{
	struct model m;

	model_init(&m, 8, "exact");
	op_unpin(&m, 0, 2);
	op_purge(&m);
	op_unpin(&m, 2, 2);
	ok(model_verify(&m, false), "purged [0,2) and unpinned [2,4) side by side");
	ok(op_pin(&m, 2, 2),
	   "PIN of an unpinned range next to a purged one returns 0");
	ok(op_pin(&m, 0, 1) && op_pin(&m, 1, 1),
	   "PIN of each purged page alone returns VRANGE_WAS_PURGED");
	ok(model_verify(&m, true), "state and data exact after page-wise pins");

	op_unpin(&m, 0, 2);
	op_purge(&m);
	op_unpin(&m, 0, 4);
	ok(model_verify(&m, false),
	   "unpin overlapping a purged range keeps those pages purged");
	ok(op_pin(&m, 2, 2), "...and the newly unpinned part still pins with 0");
	ok(op_pin(&m, 1, 1), "...and a purged page still pins with VRANGE_WAS_PURGED");

	op_unpin(&m, 4, 2);
	ok(op_pin(&m, 0, 8), "PIN over purged, unpinned and pinned pages returns VRANGE_WAS_PURGED");
	ok(model_verify(&m, true), "state and data exact after the mixed PIN");
	model_destroy(&m);
}

/* ---- the shmem backing must not be reachable around the fault path ---- */

static int open_map_files(const void *addr, size_t len)
{
	char path[128];

	snprintf(path, sizeof(path), "/proc/self/map_files/%lx-%lx",
		 (unsigned long)addr, (unsigned long)addr + len);
	return open(path, O_RDWR);
}

/*
 * A region with page 1 purged, pages 0, 2, 3 pinned; returns the backing
 * file reopened through /proc/self/map_files, or -1.
 */
static int backing_setup(struct model *m, const char *name)
{
	int bfd;

	model_init(m, 4, name);
	op_unpin(m, 1, 1);
	op_purge(m);
	bfd = open_map_files(m->map, 4 * vt_page);
	if (bfd < 0)
		diag("/proc/self/map_files open: %s", strerror(errno));
	return bfd;
}

static void test_backing_mmap(void)
{
	unsigned char v;
	struct model m;
	void *alias;
	int bfd = backing_setup(&m, "backing-mmap");
	int sig;

	if (bfd < 0) {
		ok(1, "backing reopened via /proc/self/map_files cannot be mmapped");
		model_destroy(&m);
		return;
	}
	alias = mmap(NULL, 4 * vt_page, PROT_READ | PROT_WRITE, MAP_SHARED, bfd, 0);
	if (!ok(alias == MAP_FAILED,
		"backing reopened via /proc/self/map_files cannot be mmapped")) {
		sig = vt_probe_read((unsigned char *)alias + vt_page, &v);
		diag("read of the purged page through that mapping: signal %d, purged resident now %lld",
		     sig, vt_purged_resident(m.fd));
		munmap(alias, 4 * vt_page);
	}
	close(bfd);
	model_destroy(&m);
}

static void test_backing_write(void)
{
	unsigned char buf[64];
	struct model m;
	int bfd = backing_setup(&m, "backing-write");
	ssize_t n;

	if (bfd < 0) {
		ok(1, "write() through /proc/self/map_files does not refill a purged page");
		model_destroy(&m);
		return;
	}
	memset(buf, 0x77, sizeof(buf));
	n = pwrite(bfd, buf, sizeof(buf), vt_page);
	if (!ok(vt_purged_resident(m.fd) == 0,
		"write() through /proc/self/map_files does not refill a purged page"))
		diag("pwrite into the purged page returned %zd", n);
	if (!ok(op_pin(&m, 1, 1) && vt_is_zero(m.map + vt_page, vt_page),
		"a purged page reads as zeros after PIN even after such a write()"))
		diag("first byte after PIN: %#x", m.map[vt_page]);
	close(bfd);
	model_destroy(&m);
}

static void test_backing_truncate(void)
{
	struct model m;
	unsigned char v;
	int bfd = backing_setup(&m, "backing-trunc");
	int ret, sig;

	if (bfd < 0) {
		ok(1, "ftruncate through /proc/self/map_files cannot drop pinned data");
		model_destroy(&m);
		return;
	}
	ret = ftruncate(bfd, 0);
	sig = vt_probe_read(m.map + 2 * vt_page, &v);
	if (!ok(sig == 0 && vt_page_matches(m.map + 2 * vt_page, 2, 1),
		"ftruncate through /proc/self/map_files cannot drop pinned data"))
		diag("ftruncate returned %d; then reading pinned page 2: signal %d",
		     ret, sig);
	close(bfd);
	model_destroy(&m);
}

static void test_backing_exposure(void)
{
	test_backing_mmap();
	test_backing_write();
	test_backing_truncate();
}

/* ---- randomized sequence against the model --------------------------- */

static unsigned int rnd(unsigned int *seed, unsigned int n)
{
	*seed = *seed * 1103515245u + 12345u;
	return ((*seed >> 8) & 0xffffff) % n;
}

static bool random_step(struct model *m, unsigned int *seed, char *what,
			size_t wlen)
{
	unsigned int first = rnd(seed, m->np);
	unsigned int n = 1 + rnd(seed, m->np - first);
	unsigned int op = rnd(seed, 100);

	if (rnd(seed, 10) == 0)
		n = 0;
	if (op < 38) {
		snprintf(what, wlen, "unpin [%u,+%u)", first, n);
		return op_unpin(m, first, n);
	}
	if (op < 76) {
		snprintf(what, wlen, "pin [%u,+%u)", first, n);
		return op_pin(m, first, n);
	}
	if (op < 84) {
		snprintf(what, wlen, "purge");
		return op_purge(m);
	}
	if (op < 92) {
		snprintf(what, wlen, "write page %u", first);
		return op_write(m, first);
	}
	snprintf(what, wlen, "status [%u,+%u)", first, n);
	n = model_len(m, first, n);
	return vt_status(m->fd, first, n) == model_status(m, first, n);
}

static void test_random_model(void)
{
	unsigned int seed = 0x5eed1234u, i, steps = 400;
	char what[64] = "";
	struct model m;
	bool good = true;

	model_init(&m, 48, "random");
	for (i = 0; i < steps && good; i++) {
		good = random_step(&m, &seed, what, sizeof(what));
		good = good && model_verify(&m, (i % 16) == 0);
	}
	good = good && model_verify(&m, true);
	if (!ok(good, "random unpin/pin/purge/write sequence (%u steps) matches the page model",
		steps)) {
		diag("failed at step %u: %s", i - 1, what);
		model_dump(&m);
	}
	model_destroy(&m);
}

/* ---- sysfs counters ------------------------------------------------------- */

static const char *const stat_names[] = {
	"regions", "mapped_bytes", "resident_pages", "unpinned_pages",
	"purged_pages", "purged_pages_total", "purge_events", "shrinker_scans",
	"oom_purges",
};
#define NSTATS (sizeof(stat_names) / sizeof(stat_names[0]))

struct stats {
	long long v[NSTATS];
};

enum { S_REGIONS, S_MAPPED, S_RESIDENT, S_UNPINNED, S_PURGED, S_PTOTAL,
       S_EVENTS, S_SCANS };

static void read_stats(struct stats *s)
{
	unsigned int i;

	for (i = 0; i < NSTATS; i++)
		s->v[i] = vt_stat(stat_names[i]);
}

/* Check that each counter moved by exactly the given delta. */
static bool stats_delta(const struct stats *a, const struct stats *b,
			const long long *delta)
{
	bool good = true;
	unsigned int i;

	for (i = 0; i < NSTATS; i++) {
		if (delta[i] == LLONG_MIN)
			continue;
		if (b->v[i] - a->v[i] != delta[i]) {
			diag("%s: %lld -> %lld, expected change %lld",
			     stat_names[i], a->v[i], b->v[i], delta[i]);
			good = false;
		}
	}
	return good;
}

#define ANY LLONG_MIN

static void test_stats_files(void)
{
	bool good = true;
	unsigned int i;
	struct stat st;
	char path[256];

	for (i = 0; i < NSTATS; i++) {
		snprintf(path, sizeof(path), VT_STATS_DIR "/%s", stat_names[i]);
		if (stat(path, &st) || !(st.st_mode & S_IROTH) ||
		    vt_stat(stat_names[i]) < 0) {
			diag("%s: missing, unreadable by others or not a number",
			     path);
			good = false;
		}
	}
	ok(good, "all 9 stats files exist, are world-readable and hold a number");
}

static void test_stats(void)
{
	const uint64_t np = 16, P = vt_page;
	struct stats s0, s1, s2, s3;
	unsigned char *map;
	unsigned int p;
	int fd;

	test_stats_files();
	read_stats(&s0);
	fd = vt_open();
	read_stats(&s1);
	ok(stats_delta(&s0, &s1, (long long[]){ 1, 0, 0, 0, 0, 0, 0, ANY, 0 }),
	   "open() adds one region and nothing else");
	vt_set_size(fd, np * P - 100);
	map = vt_map(fd, np * P, 0);
	if (map == MAP_FAILED)
		bail_out("mmap: %s", strerror(errno));
	read_stats(&s2);
	ok(stats_delta(&s1, &s2, (long long[]){ 0, np * P - 100, 0, 0, 0, 0, 0, ANY, 0 }),
	   "mmap adds the region size to mapped_bytes, no resident pages yet");
	ok(vt_fdinfo(fd, "vrange_resident_pages") == 0,
	   "fdinfo: no resident pages before the first touch");
	for (p = 0; p < np; p++)
		map[p * P] = p + 1;
	read_stats(&s3);
	ok(stats_delta(&s2, &s3, (long long[]){ 0, 0, np, 0, 0, 0, 0, ANY, 0 }),
	   "touching every page adds them to resident_pages");
	vt_unpin(fd, 2, 6);
	read_stats(&s1);
	ok(stats_delta(&s3, &s1, (long long[]){ 0, 0, 0, 6, 0, 0, 0, ANY, 0 }),
	   "UNPIN adds to unpinned_pages");
	ok(vt_fdinfo(fd, "vrange_unpinned_pages") == 6 &&
	   vt_fdinfo(fd, "vrange_ranges") == 1, "fdinfo shows 6 unpinned pages in 1 range");
	ok(ioctl(fd, VRANGE_PURGE) == 6, "PURGE of 6 unpinned pages returns 6");
	read_stats(&s2);
	ok(stats_delta(&s1, &s2, (long long[]){ 0, 0, -6, -6, 6, 6, ANY, ANY, 0 }) &&
	   s2.v[S_EVENTS] > s1.v[S_EVENTS],
	   "PURGE moves pages from unpinned/resident to purged, counts totals and an event");
	diag("purge_events moved by %lld for one PURGE ioctl",
	     s2.v[S_EVENTS] - s1.v[S_EVENTS]);
	ok(vt_fdinfo(fd, "vrange_purged_pages") == 6 &&
	   vt_fdinfo(fd, "vrange_unpinned_pages") == 0 &&
	   vt_fdinfo(fd, "vrange_resident_pages") == (long long)np - 6 &&
	   vt_purged_resident(fd) == 0,
	   "fdinfo: 6 purged, 0 unpinned, 10 resident, 0 purged resident");
	vt_pin(fd, 2, 2);
	map[2 * P] = 1;
	read_stats(&s3);
	ok(stats_delta(&s2, &s3, (long long[]){ 0, 0, 1, 0, -2, 0, 0, ANY, 0 }),
	   "PIN of purged pages removes them from purged_pages; refault adds a resident page");
	munmap(map, np * P);
	read_stats(&s1);
	ok(stats_delta(&s3, &s1, (long long[]){ 0, 0, 0, 0, 0, 0, 0, ANY, 0 }),
	   "munmap with the fd open keeps the region and its counters");
	close(fd);
	read_stats(&s2);
	ok(stats_delta(&s0, &s2, (long long[]){ 0, 0, 0, 0, 0, 6, ANY, ANY, 0 }),
	   "closing the last reference returns every gauge to where it was");
}

/* ---- fdinfo and sysfs: escaped names, reads that walk nothing ---------- */

/* Whole fdinfo of @fd into @buf; its length, or -1. */
static ssize_t read_fdinfo(int fd, char *buf, size_t len)
{
	char path[64];
	ssize_t n, got = 0;
	int f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = open(path, O_RDONLY);
	if (f < 0)
		return -1;
	while (got < (ssize_t)len - 1 &&
	       (n = read(f, buf + got, len - 1 - got)) > 0)
		got += n;
	close(f);
	buf[got] = 0;
	return got;
}

static int count_lines(const char *buf, const char *prefix)
{
	size_t n = strlen(prefix);
	int count = 0;

	for (const char *l = buf; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : l)
		count += !strncmp(l, prefix, n);
	return count;
}

static void diag_lines(const char *buf)
{
	int n;

	for (; *buf; buf += n + (buf[n] == '\n')) {
		n = strcspn(buf, "\n");
		diag("fdinfo: %.*s", n, buf);
	}
}

/*
 * A name that would forge a field, and other bytes that are not printable
 * ASCII, show as \ooo octal escapes; "vrange_size:" stays one line.
 */
static void check_escaped_name(int fd, const char *what, const char *want)
{
	char buf[8192], name[1100];

	if (!ok(read_fdinfo(fd, buf, sizeof(buf)) > 0 &&
		count_lines(buf, "vrange_size:") == 1 &&
		count_lines(buf, "vrange_name:") == 1 &&
		vt_fdinfo_str(fd, "vrange_name", name, sizeof(name)) == 0 &&
		!strcmp(name, want),
		"%s: fdinfo escapes the name, one vrange_size line", what))
		diag_lines(buf);
}

static void test_fdinfo_names(void)
{
	static const char forged[] = "\nvrange_size:\t1\n";
	static const char forged_esc[] = "\\012vrange_size:\\0111\\012";
	static const char odd[] = "a\\b \x7f\x01\xc3\xa9\xff~";
	static const char odd_esc[] = "a\\134b \\177\\001\\303\\251\\377~";
	int fd = vt_open();

	if (fd < 0)
		bail_out("open: %s", strerror(errno));
	ok(vt_set_name(fd, forged) == 0, "SET_NAME takes a name with newlines");
	check_escaped_name(fd, "/dev/vrange", forged_esc);
	ok(vt_set_name(fd, odd) == 0, "SET_NAME takes backslash, DEL, control and 8-bit bytes");
	check_escaped_name(fd, "/dev/vrange, backslash and 8-bit", odd_esc);
	close(fd);

	fd = open("/dev/ashmem", O_RDWR);
	if (fd < 0) {
		skip("no /dev/ashmem", "/dev/ashmem: fdinfo escapes the name");
		return;
	}
	ok(ioctl(fd, ASHMEM_SET_NAME, forged) == 0, "ASHMEM_SET_NAME takes a name with newlines");
	check_escaped_name(fd, "/dev/ashmem", forged_esc);
	close(fd);
}

/* Fastest of @n reads of @path (re-opened each time), in seconds. */
static double fastest_read(const char *path, int n)
{
	double best = 1e9;
	char buf[8192];

	while (n--) {
		double t = vt_now();
		int f = open(path, O_RDONLY);

		if (f < 0)
			return -1;
		while (read(f, buf, sizeof(buf)) > 0)
			;
		close(f);
		t = vt_now() - t;
		if (t < best)
			best = t;
	}
	return best;
}

static double fastest_fdinfo(int fd, int n)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	return fastest_read(path, n);
}

/*
 * fdinfo is O(1): no page or interval walk.  A region with many purged
 * intervals reads as fast as one with none (the old fdinfo walked every
 * purged interval under region->lock for vrange_purged_resident_pages,
 * which the root-only debugfs file now serves).
 */
static void test_fdinfo_cost(void)
{
	const unsigned int nr = 16384;		/* purged intervals */
	char buf[8192];
	double t_small, t_big;
	int small, big;
	void *map;
	unsigned int i;

	small = vt_create(4 * vt_page, NULL, &map);
	big = vt_create(2ull * nr * vt_page, NULL, &map);
	for (i = 0; i < nr; i++)
		if (vt_unpin(big, 2 * i, 1))
			bail_out("UNPIN %u: %s", i, strerror(errno));
	ok(ioctl(big, VRANGE_PURGE) == (int)nr &&
	   vt_fdinfo(big, "vrange_ranges") == nr,
	   "%u purged intervals, one per unpinned page", nr);
	ok(read_fdinfo(big, buf, sizeof(buf)) > 0 &&
	   !strstr(buf, "purged_resident"),
	   "fdinfo has no purged_resident line (it walked pages)");
	ok(vt_purged_resident(big) == 0 && vt_purged_resident(small) == 0,
	   "debugfs purged_resident_pages lists both regions with 0");
	t_small = fastest_fdinfo(small, 20);
	t_big = fastest_fdinfo(big, 20);
	ok(t_big >= 0 && t_big < 3 * t_small + 300e-6,
	   "fdinfo of %u purged intervals reads in about the time of none (%.0f us vs %.0f us)",
	   nr, t_big * 1e6, t_small * 1e6);
	close(small);
	close(big);
}

/*
 * Reading resident_pages walks no region list: with 20000 regions open it
 * costs what reading the regions counter costs (the old one summed every
 * region's page count under the global list spinlock).
 */
static void test_stats_cost(void)
{
	const int nr = 20000;
	struct rlimit rl = { nr + 256, nr + 256 };
	double t_res, t_reg;
	int *fds, i, opened = 0;

	fds = calloc(nr, sizeof(*fds));
	if (!fds || setrlimit(RLIMIT_NOFILE, &rl)) {
		skip("no memory or no setrlimit", "resident_pages reads in O(1)");
		free(fds);
		return;
	}
	for (i = 0; i < nr; i++) {
		fds[i] = vt_open();
		if (fds[i] < 0)
			break;
		opened++;
	}
	t_reg = fastest_read(VT_STATS_DIR "/regions", 20);
	t_res = fastest_read(VT_STATS_DIR "/resident_pages", 20);
	ok(opened == nr && t_res >= 0 && t_res < 3 * t_reg + 100e-6,
	   "with %d regions, resident_pages reads like regions (%.0f us vs %.0f us)",
	   opened, t_res * 1e6, t_reg * 1e6);
	for (i = 0; i < opened; i++)
		close(fds[i]);
	free(fds);
}

/* ---- privileges ------------------------------------------------------ */

static int drop_cap_sys_admin(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0,
	};
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data))
		return -1;
	data[CAP_TO_INDEX(CAP_SYS_ADMIN)].effective &= ~CAP_TO_MASK(CAP_SYS_ADMIN);
	data[CAP_TO_INDEX(CAP_SYS_ADMIN)].permitted &= ~CAP_TO_MASK(CAP_SYS_ADMIN);
	data[CAP_TO_INDEX(CAP_SYS_ADMIN)].inheritable &= ~CAP_TO_MASK(CAP_SYS_ADMIN);
	return syscall(SYS_capset, &hdr, data);
}

/*
 * Child body: with privileges dropped, PURGE_ALL must fail with EPERM and
 * change nothing, VRANGE_PURGE on our own region must still work.
 * Exit code: bit per failed check.
 */
static int unprivileged_checks(int fd, bool as_nobody)
{
	int ret, rc = 0;

	if (as_nobody ? (setgid(NOBODY_UID) || setuid(NOBODY_UID)) :
			drop_cap_sys_admin()) {
		printf("# dropping privileges failed: %s\n", strerror(errno));
		return 0x80;
	}
	errno = 0;
	ret = ioctl(fd, VRANGE_PURGE_ALL);
	if (ret != -1 || errno != EPERM) {
		printf("# PURGE_ALL unprivileged: ret %d errno %s\n", ret,
		       strerror(errno));
		rc |= 1;
	}
	if (vt_status(fd, 0, 4) != VRANGE_STATUS_UNPINNED) {
		printf("# PURGE_ALL with EPERM changed the region\n");
		rc |= 2;
	}
	if (as_nobody && (vt_stat("regions") < 1 || vt_stat("purge_events") < 0)) {
		printf("# stats not readable as nobody\n");
		rc |= 4;
	}
	ret = ioctl(fd, VRANGE_PURGE);
	if (ret != 4) {
		printf("# PURGE unprivileged: ret %d (%s), expected 4\n", ret,
		       ret < 0 ? strerror(errno) : "-");
		rc |= 8;
	}
	return rc;
}

static int run_unprivileged(int fd, bool as_nobody)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(unprivileged_checks(fd, as_nobody));
	return vt_wait(pid);
}

/* Model only: PURGE_ALL purged this region behind our back. */
static void model_mark_purged(struct model *m)
{
	model_purge(m);
}

/* Pin, rewrite (so every page is resident again) and unpin a range. */
static void refill_and_unpin(struct model *m, unsigned int first,
			     unsigned int n)
{
	unsigned int p;

	op_pin(m, first, n);
	for (p = first; p < first + n; p++)
		op_write(m, p);
	op_unpin(m, first, n);
}

/* ---- a region opened read-only ------------------------------------------ */

/* @cmd on @fd fails with EBADF. */
static bool needs_write(int fd, unsigned long cmd, void *arg, const char *what)
{
	errno = 0;
	if (ioctl(fd, cmd, arg) == -1 && errno == EBADF)
		return true;
	diag("%s: %s, expected EBADF", what, errno ? strerror(errno) : "success");
	return false;
}

/*
 * Every descriptor of a region shares its one open file: a region opened
 * O_RDONLY is set up, queried and mapped read-only, but what discards or
 * zero-fills pages for every mapper is EBADF, as write(2) would be.
 */
static void test_read_only(void)
{
	struct vrange_range all = { 0, 0 };
	struct vrange_unpin_args ua = { .purge_class = VRANGE_CLASS_NORMAL };
	struct vrange_purge_info info;
	struct pollfd pfd;
	uint64_t P = vt_page;
	unsigned char *p, c = 1;
	bool ebadf;
	int fd = open(VRANGE_DEVICE, O_RDONLY);

	if (fd < 0)
		bail_out("open %s O_RDONLY: %s", VRANGE_DEVICE, strerror(errno));
	ok(vt_set_size(fd, 4 * P) == 0 && vt_set_name(fd, "ro") == 0,
	   "O_RDONLY: SET_SIZE and SET_NAME work");
	ok(map_fails(fd, P, 0, MAP_PRIVATE), "O_RDONLY: MAP_PRIVATE is still EINVAL");
	errno = 0;
	ok(mmap(NULL, P, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED &&
	   errno == EACCES, "O_RDONLY: a writable MAP_SHARED mapping is EACCES");
	p = mmap(NULL, 4 * P, PROT_READ, MAP_SHARED, fd, 0);
	if (!ok(p != MAP_FAILED, "O_RDONLY: a read-only MAP_SHARED mapping works"))
		diag("mmap: %s", strerror(errno));
	if (p != MAP_FAILED) {
		ok(vt_probe_read(p + 3 * P, &c) == 0 && c == 0 &&
		   vt_fdinfo(fd, "vrange_mapped") == 1,
		   "O_RDONLY: the mapping is the region (zeros, fdinfo mapped)");
		errno = 0;
		ok(mprotect(p, P, PROT_READ | PROT_WRITE) == -1 && errno == EACCES,
		   "O_RDONLY: mprotect cannot make the mapping writable (EACCES)");
	}
	ok(vt_get_size(fd) == 4 * P && name_is(fd, "ro") &&
	   vt_status(fd, 0, 4) == 0 && !ioctl(fd, VRANGE_GET_PURGE_INFO, &info),
	   "O_RDONLY: GET_SIZE, GET_NAME, GET_STATUS and GET_PURGE_INFO work");
	pfd = (struct pollfd){ .fd = fd, .events = POLLPRI };
	ok(poll(&pfd, 1, 0) == 0, "O_RDONLY: poll works (nothing purged)");
	ebadf = needs_write(fd, VRANGE_UNPIN, &all, "UNPIN");
	ebadf &= needs_write(fd, VRANGE_UNPIN_CLASS, &ua, "UNPIN_CLASS");
	ebadf &= needs_write(fd, VRANGE_PIN, &all, "PIN");
	ebadf &= needs_write(fd, VRANGE_PURGE, NULL, "PURGE");
	ebadf &= needs_write(fd, VRANGE_PURGE_ALL, NULL, "PURGE_ALL");
	ok(ebadf, "O_RDONLY: PIN, UNPIN, UNPIN_CLASS, PURGE, PURGE_ALL are EBADF");
	ok(vt_status(fd, 0, 4) == 0, "O_RDONLY: the refused calls changed nothing");
	if (p != MAP_FAILED)
		munmap(p, 4 * P);
	close(fd);
}

static void test_privileges(void)
{
	struct model m, other;
	int status, ret;

	model_init(&m, 4, "priv");
	op_unpin(&m, 0, 4);
	status = run_unprivileged(m.fd, true);
	if (!ok(vt_exited_ok(status),
		"as nobody: PURGE_ALL fails with EPERM, PURGE works, stats readable"))
		vt_describe_status("nobody child", status);
	ok(vt_status(m.fd, 0, 4) == (VRANGE_STATUS_UNPINNED | VRANGE_STATUS_PURGED),
	   "unprivileged PURGE purged the region");
	model_mark_purged(&m);
	refill_and_unpin(&m, 0, 4);
	status = run_unprivileged(m.fd, false);
	if (!ok(vt_exited_ok(status),
		"root without CAP_SYS_ADMIN: PURGE_ALL fails with EPERM, PURGE works"))
		vt_describe_status("capless child", status);
	model_mark_purged(&m);
	op_pin(&m, 0, 4);

	model_init(&other, 6, "priv-other");
	refill_and_unpin(&m, 1, 3);
	op_unpin(&other, 0, 2);
	op_unpin(&other, 4, 2);
	ret = ioctl(m.fd, VRANGE_PURGE_ALL);
	if (!ok(ret >= 7, "PURGE_ALL as root returns the pages purged in all regions"))
		diag("PURGE_ALL returned %d (%s), expected >= 7", ret,
		     ret < 0 ? strerror(errno) : "-");
	model_mark_purged(&m);
	model_mark_purged(&other);
	ok(model_verify(&m, true) && model_verify(&other, true),
	   "PURGE_ALL purged the unpinned pages of every region, nothing else");
	ret = ioctl(other.fd, VRANGE_PURGE_ALL);
	if (!ok(ret == 0, "PURGE_ALL with nothing left to purge returns 0"))
		diag("returned %d", ret);
	model_destroy(&other);
	model_destroy(&m);
}

int main(void)
{
	vt_init();
	if (access(VRANGE_DEVICE, R_OK | W_OK))
		bail_out("%s: %s (module not loaded?)", VRANGE_DEVICE,
			 strerror(errno));
	test_size();
	test_name();
	test_before_mmap();
	test_mmap_rules();
	test_read_only();
	test_maps_names();
	test_unknown_ioctl();
	test_range_validation();
	test_unpinned_keeps_data();
	test_merge_split();
	test_purge_sigbus();
	test_huge_purge_count();
	test_was_purged_exact();
	test_random_model();
	test_backing_exposure();
	test_stats();
	test_fdinfo_names();
	test_fdinfo_cost();
	test_stats_cost();
	test_privileges();
	return tap_finish("vrange_semantics");
}
