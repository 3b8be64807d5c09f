// SPDX-License-Identifier: GPL-2.0
/*
 * vrange_sharing: one region seen through several fds, mappings and
 * processes.
 *
 * fork and SCM_RIGHTS fd passing must give one set of pages and one pin
 * state; several mappings in one process alias the same pages; a region
 * outlives its fd while a mapping exists; rmmod is refused while anything
 * refers to a region, and all gauges return to zero at the end.
 *
 * Children report through a shared anonymous page; only the parent prints
 * TAP lines.
 */
#include <stdbool.h>
#include <sys/syscall.h>

#include "vrange_test.h"

#define NRES	16

/* Results written by a child: 1 pass, 0 fail, -1 not reached. */
struct child_results {
	volatile int r[NRES];
};

static struct child_results *results_new(void)
{
	struct child_results *res;
	int i;

	res = mmap(NULL, sizeof(*res), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (res == MAP_FAILED)
		bail_out("mmap results: %s", strerror(errno));
	for (i = 0; i < NRES; i++)
		res->r[i] = -1;
	return res;
}

/* A one-byte message over a pipe, used to step parent and child. */
struct channel {
	int to_child[2];
	int to_parent[2];
};

static void channel_open(struct channel *ch)
{
	if (pipe(ch->to_child) || pipe(ch->to_parent))
		bail_out("pipe: %s", strerror(errno));
}

static void channel_close(struct channel *ch)
{
	close(ch->to_child[0]);
	close(ch->to_child[1]);
	close(ch->to_parent[0]);
	close(ch->to_parent[1]);
}

static void send_byte(int fd)
{
	char c = 1;

	if (write(fd, &c, 1) != 1)
		_exit(99);
}

/* Returns false if the other side went away. */
static bool wait_byte(int fd)
{
	char c;

	return read(fd, &c, 1) == 1;
}

static bool gauges_zero(void)
{
	return vt_stat("regions") == 0 && vt_stat("mapped_bytes") == 0 &&
	       vt_stat("resident_pages") == 0 &&
	       vt_stat("unpinned_pages") == 0 && vt_stat("purged_pages") == 0;
}

static void diag_gauges(void)
{
	diag("regions=%lld mapped_bytes=%lld resident_pages=%lld unpinned_pages=%lld purged_pages=%lld",
	     vt_stat("regions"), vt_stat("mapped_bytes"),
	     vt_stat("resident_pages"), vt_stat("unpinned_pages"),
	     vt_stat("purged_pages"));
}

/* ---- fork ------------------------------------------------------------- */

enum {
	FK_SEES_DATA, FK_SEES_STATE, FK_SIGBUS, FK_SIGBUS_OWN, FK_PINNED_OK,
	FK_WAS_PURGED, FK_ZEROS,
};

static void fork_child(int fd, unsigned char *map, struct channel *ch,
		       struct child_results *res)
{
	unsigned char v;

	res->r[FK_SEES_DATA] = vt_pages_match(map, 0, 16, 1);
	res->r[FK_SEES_STATE] = vt_status(fd, 4, 4) == VRANGE_STATUS_UNPINNED &&
				vt_status(fd, 0, 4) == 0 &&
				vt_status(fd, 8, 8) == 0;
	vt_fill_page(map, 0, 2);
	vt_unpin(fd, 8, 2);
	(void)!vt_probe_read(map + 4 * vt_page, &v);	/* map page 4 here */
	send_byte(ch->to_parent[1]);
	if (!wait_byte(ch->to_child[0]))
		_exit(1);
	/* The parent has purged [4,10) now. */
	res->r[FK_SIGBUS] = vt_probe_read(map + 4 * vt_page, &v) == SIGBUS;
	res->r[FK_SIGBUS_OWN] = vt_probe_write(map + 9 * vt_page, 7) == SIGBUS;
	res->r[FK_PINNED_OK] = vt_pages_match(map, 1, 3, 1) &&
			       vt_pages_match(map, 10, 6, 1);
	res->r[FK_WAS_PURGED] = vt_pin(fd, 8, 2) == VRANGE_WAS_PURGED;
	res->r[FK_ZEROS] = vt_is_zero(map + 8 * vt_page, 2 * vt_page);
	_exit(0);
}

static void test_fork(void)
{
	struct child_results *res = results_new();
	unsigned char *map;
	struct channel ch;
	int fd, status, purged;
	void *m;
	pid_t pid;

	fd = vt_create(16 * vt_page, "forked", &m);
	map = m;
	vt_fill_pages(map, 0, 16, 1);
	vt_unpin(fd, 4, 4);
	channel_open(&ch);
	pid = fork();
	if (pid == 0)
		fork_child(fd, map, &ch, res);
	if (!wait_byte(ch.to_parent[0]))
		diag("child died before its first step");
	ok_alone(res->r[FK_SEES_DATA] == 1, "fork: child sees the parent's data");
	ok_alone(res->r[FK_SEES_STATE] == 1, "fork: child sees the parent's pin state");
	ok(vt_page_matches(map, 0, 2), "fork: parent sees the child's write");
	ok_alone(vt_status(fd, 8, 2) == VRANGE_STATUS_UNPINNED &&
		 vt_status(fd, 10, 6) == 0,
		 "fork: parent sees the child's unpin, page exact");
	purged = ioctl(fd, VRANGE_PURGE);
	if (!ok_alone(purged == 6, "fork: PURGE purges pages unpinned by either process"))
		diag("PURGE returned %d, expected 6", purged);
	send_byte(ch.to_child[1]);
	status = vt_wait(pid);
	if (!ok(vt_exited_ok(status), "fork: child ran to completion"))
		vt_describe_status("child", status);
	ok(res->r[FK_SIGBUS] == 1,
	   "fork: child gets SIGBUS reading a purged page it had mapped");
	ok(res->r[FK_SIGBUS_OWN] == 1,
	   "fork: child gets SIGBUS writing a purged page it had unpinned");
	ok(res->r[FK_PINNED_OK] == 1, "fork: child still reads the pinned pages");
	ok(res->r[FK_WAS_PURGED] == 1, "fork: child's PIN returns VRANGE_WAS_PURGED");
	ok(res->r[FK_ZEROS] == 1, "fork: child reads zeros after PIN");
	ok(vt_status(fd, 8, 2) == 0 && vt_is_zero(map + 8 * vt_page, 2 * vt_page),
	   "fork: parent sees the child's PIN and the zeroed pages");
	ok(vt_status(fd, 4, 4) == (VRANGE_STATUS_UNPINNED | VRANGE_STATUS_PURGED) &&
	   vt_pin(fd, 4, 4) == VRANGE_WAS_PURGED,
	   "fork: parent's own purged range still reports WAS_PURGED");
	channel_close(&ch);
	munmap(map, 16 * vt_page);
	close(fd);
	munmap(res, sizeof(*res));
}

/* ---- SCM_RIGHTS ------------------------------------------------------- */

enum { SC_SEES_WRITE, SC_KEEPS_UNPINNED, SC_SEES_UNPIN };

/* The child owns the region first, hands the fd over, then checks. */
static void scm_child(int sock, struct child_results *res)
{
	unsigned char *map;
	void *m;
	char c;
	int fd;

	fd = vt_create(8 * vt_page, "passed", &m);
	map = m;
	vt_fill_pages(map, 0, 8, 5);
	vt_unpin(fd, 2, 2);
	if (vt_send_fd(sock, fd))
		_exit(2);
	if (read(sock, &c, 1) != 1)
		_exit(3);
	/* Pinned pages: no one may purge them, so this holds when shared. */
	res->r[SC_SEES_WRITE] = vt_pages_match(map, 0, 1, 6) &&
				vt_pages_match(map, 1, 1, 5) &&
				vt_pages_match(map, 4, 2, 5);
	res->r[SC_KEEPS_UNPINNED] = vt_pages_match(map, 2, 2, 5) &&
				    vt_pages_match(map, 6, 2, 5);
	res->r[SC_SEES_UNPIN] = vt_status(fd, 6, 2) == VRANGE_STATUS_UNPINNED &&
				vt_status(fd, 4, 2) == 0;
	_exit(0);
}

static void test_scm_rights(void)
{
	struct child_results *res = results_new();
	long long regions0 = vt_stat("regions");
	char name[VRANGE_NAME_LEN];
	unsigned char *map;
	int sock, fd, status;
	pid_t pid;

	pid = vt_fork_socket(&sock);
	if (pid == 0)
		scm_child(sock, res);
	fd = vt_recv_fd(sock);
	if (!ok(fd >= 0, "SCM_RIGHTS: a region fd can be received"))
		goto out;
	ok(vt_get_size(fd) == 8 * vt_page && vt_get_name(fd, name) == 0 &&
	   !strcmp(name, "passed"),
	   "SCM_RIGHTS: received fd reports the sender's size and name");
	ok(vt_fdinfo(fd, "vrange_mapped") == 1,
	   "SCM_RIGHTS: received fd shows the region as mapped");
	ok_alone(vt_stat("regions") == regions0 + 1,
		 "SCM_RIGHTS: both ends hold one region, not two");
	errno = 0;
	ok(vt_set_size(fd, 16 * vt_page) == -1 && errno == EINVAL,
	   "SCM_RIGHTS: SET_SIZE fails since the sender mapped it");
	map = vt_map(fd, 8 * vt_page, 0);
	if (!ok(map != MAP_FAILED, "SCM_RIGHTS: received fd can be mapped"))
		goto out;
	ok_alone(vt_pages_match(map, 0, 8, 5), "SCM_RIGHTS: receiver sees the sender's data");
	ok_alone(vt_status(fd, 2, 2) == VRANGE_STATUS_UNPINNED &&
		 vt_status(fd, 0, 2) == 0 && vt_status(fd, 4, 4) == 0,
		 "SCM_RIGHTS: receiver sees the sender's pin state");
	vt_fill_page(map, 0, 6);
	vt_unpin(fd, 6, 2);
	if (write(sock, "g", 1) != 1)
		diag("write to socket: %s", strerror(errno));
	status = vt_wait(pid);
	if (!ok(vt_exited_ok(status), "SCM_RIGHTS: sender ran to completion"))
		vt_describe_status("sender", status);
	ok(res->r[SC_SEES_WRITE] == 1,
	   "SCM_RIGHTS: sender sees the receiver's write and its pinned data");
	ok_alone(res->r[SC_KEEPS_UNPINNED] == 1,
		 "SCM_RIGHTS: sender's unpinned pages keep their data without pressure");
	ok_alone(res->r[SC_SEES_UNPIN] == 1, "SCM_RIGHTS: sender sees the receiver's unpin");
	ok_alone(vt_pages_match(map, 1, 7, 5) && vt_pin(fd, 0, 0) == VRANGE_NOT_PURGED,
		 "SCM_RIGHTS: region outlives the sender with its data");
	munmap(map, 8 * vt_page);
	close(fd);
	close(sock);
	munmap(res, sizeof(*res));
	return;
out:
	close(sock);
	vt_wait(pid);
	munmap(res, sizeof(*res));
}

/* ---- several mappings in one process ------------------------------------- */

static void test_two_mappings(void)
{
	const size_t len = 8 * vt_page;
	long long mapped0 = vt_stat("mapped_bytes");
	unsigned char *a, *b, *c, v;
	void *m;
	int fd;

	fd = vt_create(len, "aliased", &m);
	a = m;
	b = vt_map(fd, len, 0);
	c = vt_map(fd, 4 * vt_page, 4 * vt_page);
	if (b == MAP_FAILED || c == MAP_FAILED)
		bail_out("second mapping: %s", strerror(errno));
	ok_alone(vt_stat("mapped_bytes") == mapped0 + (long long)len,
		 "three mappings of one region count its size once in mapped_bytes");
	vt_fill_pages(a, 0, 8, 3);
	ok(vt_pages_match(b, 0, 8, 3), "two mappings: writes through one are read through the other");
	ok(vt_page_matches(c, 4, 3), "mapping at a page offset sees the same pages");
	vt_unpin(fd, 4, 2);
	ok_alone(ioctl(fd, VRANGE_PURGE) == 2, "two mappings: PURGE counts each page once");
	ok(vt_probe_read(a + 4 * vt_page, &v) == SIGBUS &&
	   vt_probe_read(b + 5 * vt_page, &v) == SIGBUS &&
	   vt_probe_read(c, &v) == SIGBUS,
	   "a purged page raises SIGBUS through every mapping");
	ok(vt_pages_match(b, 6, 2, 3) && vt_page_matches(c + 2 * vt_page, 6, 3) &&
	   vt_page_matches(c + 3 * vt_page, 7, 3),
	   "pages next to the purged ones stay readable through all mappings");
	ok(vt_pin(fd, 4, 2) == VRANGE_WAS_PURGED, "PIN after the purge returns VRANGE_WAS_PURGED");
	ok(vt_is_zero(a + 4 * vt_page, 2 * vt_page) && vt_is_zero(c, 2 * vt_page),
	   "re-pinned pages read as zeros through every mapping");
	vt_fill_page(b + 5 * vt_page, 5, 4);
	ok(vt_page_matches(c + vt_page, 5, 4) && vt_page_matches(a + 5 * vt_page, 5, 4),
	   "a re-pinned page written through one mapping is seen through the others");
	munmap(a, len);
	munmap(b, len);
	munmap(c, 4 * vt_page);
	close(fd);
}

/* ---- lifetime without an fd ------------------------------------------------ */

static int rmmod_nowait(void)
{
	return syscall(SYS_delete_module, "vrange", O_NONBLOCK);
}

static bool rmmod_refused(const char *why)
{
	int ret;

	errno = 0;
	ret = rmmod_nowait();
	if (ret == 0) {
		diag("rmmod vrange succeeded while %s", why);
		return false;
	}
	if (errno != EWOULDBLOCK && errno != EBUSY) {
		diag("rmmod failed with %s, expected EWOULDBLOCK/EBUSY",
		     strerror(errno));
		return false;
	}
	return access("/sys/module/vrange", F_OK) == 0 &&
	       access(VRANGE_DEVICE, F_OK) == 0;
}

static void test_fdless_lifetime(void)
{
	const size_t len = 8 * vt_page;
	long long regions0 = vt_stat("regions");
	unsigned char *map, *hmap, v;
	int fd, helper, ret;
	void *m;

	fd = vt_create(len, "orphan", &m);
	map = m;
	vt_fill_pages(map, 0, 8, 9);
	vt_unpin(fd, 0, 4);
	close(fd);
	ok_alone(vt_stat("regions") == regions0 + 1,
		 "closing the fd with a mapping left keeps the region alive");
	ok_alone(vt_pages_match(map, 0, 8, 9),
		 "after close(fd) the mapping still reads all data, unpinned pages too");
	vt_fill_page(map + 6 * vt_page, 6, 10);
	ok(vt_page_matches(map + 6 * vt_page, 6, 10),
	   "after close(fd) the mapping is still writable");
	ok(rmmod_refused("only a mapping refers to a region"),
	   "rmmod vrange is refused while only a mapping holds a region");

	helper = vt_create(vt_page, "helper", &m);
	hmap = m;
	ret = ioctl(helper, VRANGE_PURGE_ALL);
	if (!ok_alone(ret == 4, "PURGE_ALL purges the unpinned pages of an fd-less region"))
		diag("PURGE_ALL returned %d (%s), expected 4", ret,
		     ret < 0 ? strerror(errno) : "-");
	ok(vt_probe_read(map + 1 * vt_page, &v) == SIGBUS &&
	   vt_probe_write(map + 3 * vt_page, 1) == SIGBUS,
	   "fd-less region: purged pages raise SIGBUS");
	ok(vt_pages_match(map, 4, 2, 9) && vt_page_matches(map + 6 * vt_page, 6, 10),
	   "fd-less region: pinned pages keep their data");
	munmap(hmap, vt_page);
	close(helper);

	munmap(map, 4 * vt_page);
	ok_alone(vt_stat("regions") == regions0 + 1 && vt_pages_match(map, 4, 2, 9),
		 "partial munmap keeps the region alive");
	munmap(map + 4 * vt_page, 4 * vt_page);
	ok_alone(vt_stat("regions") == regions0,
		 "unmapping the last mapping frees the fd-less region");

	fd = vt_open();
	ok(rmmod_refused("an fd is open"),
	   "rmmod vrange is refused while an fd is open (region never mapped)");
	close(fd);
}

int main(void)
{
	vt_init();
	if (access(VRANGE_DEVICE, R_OK | W_OK))
		bail_out("%s: %s (module not loaded?)", VRANGE_DEVICE,
			 strerror(errno));
	if (!ok_alone(gauges_zero(), "gauges are zero before the test"))
		diag_gauges();
	test_fork();
	test_scm_rights();
	test_two_mappings();
	test_fdless_lifetime();
	if (!ok_alone(gauges_zero(),
		      "regions, mapped_bytes, resident, unpinned and purged pages are back to zero"))
		diag_gauges();
	return tap_finish("vrange_sharing");
}
