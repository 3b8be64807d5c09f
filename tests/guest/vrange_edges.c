// SPDX-License-Identifier: GPL-2.0
/*
 * vrange_edges: ways around the fault handler and VMA life cycle corners.
 *
 * A purged page must not come back through any other path into the page
 * cache: syscalls using it as a buffer, MADV_POPULATE_*, /proc/PID/mem,
 * process_vm_readv, mlock, or a shmem huge page allocated for a neighbour.
 * VMA splits, mremap and fork must keep exactly one region reference per
 * VMA, so that everything is freed when the last one goes.
 */
#define _GNU_SOURCE
#include <stdbool.h>
#include <sys/uio.h>

#include "vrange_test.h"

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ	22
#define MADV_POPULATE_WRITE	23
#endif

#define THP_KNOB	"/sys/kernel/mm/transparent_hugepage/shmem_enabled"
#define HPAGE		(2UL << 20)

static long long purged_resident(int fd)
{
	return vt_purged_resident(fd);
}

/* 8 pages, all filled, [2,4) unpinned and purged. */
static int purged_region(const char *name, unsigned char **map)
{
	unsigned int p;
	void *m;
	int fd = vt_create(8 * vt_page, name, &m);

	*map = m;
	for (p = 0; p < 8; p++)
		vt_fill_page(*map + p * vt_page, p, 1);
	vt_unpin(fd, 2, 2);
	if (ioctl(fd, VRANGE_PURGE) != 2)
		diag("setup: PURGE did not purge 2 pages");
	return fd;
}

/* ---- indirect accesses to purged pages ----------------------------------- */

/* MADV_POPULATE_* (5.14+) must fail on purged pages; EINVAL: not supported. */
static void populate_fails(unsigned char *purged, int advice, const char *what)
{
	int ret;

	errno = 0;
	ret = madvise(purged, 2 * vt_page, advice);
	if (ret == -1 && errno == EINVAL) {
		skip("not supported by this kernel", "%s of purged pages fails", what);
		return;
	}
	if (!ok(ret == -1, "%s of purged pages fails", what))
		diag("madvise returned %d", ret);
}

static void test_syscall_buffers(void)
{
	unsigned char *map, *purged, buf[64];
	int fd = purged_region("gup", &map), pfd[2];
	ssize_t n;

	purged = map + 2 * vt_page;
	if (pipe(pfd))
		bail_out("pipe: %s", strerror(errno));
	errno = 0;
	n = write(pfd[1], purged, 64);
	if (!ok(n == -1 && errno == EFAULT,
		"write() from a purged page fails with EFAULT"))
		diag("write returned %zd (%s)", n, strerror(errno));
	memset(buf, 0x42, sizeof(buf));
	if (write(pfd[1], buf, sizeof(buf)) != sizeof(buf))
		diag("pipe write: %s", strerror(errno));
	errno = 0;
	n = read(pfd[0], purged + vt_page, 64);
	if (!ok(n == -1 && errno == EFAULT,
		"read() into a purged page fails with EFAULT"))
		diag("read returned %zd (%s)", n, strerror(errno));
	close(pfd[0]);
	close(pfd[1]);

	populate_fails(purged, MADV_POPULATE_READ, "MADV_POPULATE_READ");
	populate_fails(purged, MADV_POPULATE_WRITE, "MADV_POPULATE_WRITE");
	ok(purged_resident(fd) == 0 && vt_fdinfo(fd, "vrange_resident_pages") == 6,
	   "syscalls and MADV_POPULATE did not refill purged pages");
	munmap(map, 8 * vt_page);
	close(fd);
}

static void test_proc_mem(void)
{
	unsigned char *map, buf[64];
	int fd = purged_region("procmem", &map), mem;
	ssize_t n;

	mem = open("/proc/self/mem", O_RDWR);
	if (mem < 0) {
		skip("no /proc/self/mem", "/proc/self/mem cannot read or write a purged page");
		goto out;
	}
	n = pread(mem, buf, sizeof(buf), (off_t)(unsigned long)(map + 2 * vt_page));
	if (!ok(n < 0, "/proc/self/mem read of a purged page fails"))
		diag("pread returned %zd", n);
	memset(buf, 0x55, sizeof(buf));
	n = pwrite(mem, buf, sizeof(buf), (off_t)(unsigned long)(map + 3 * vt_page));
	if (!ok(n < 0, "/proc/self/mem write to a purged page fails"))
		diag("pwrite returned %zd", n);
	n = pread(mem, buf, sizeof(buf), (off_t)(unsigned long)(map + 4 * vt_page));
	if (!ok(n == sizeof(buf) && !memcmp(buf, map + 4 * vt_page, sizeof(buf)),
		"/proc/self/mem still reads pinned pages"))
		diag("pread of a pinned page returned %zd", n);
	close(mem);
	ok(purged_resident(fd) == 0, "/proc/self/mem did not refill purged pages");
out:
	munmap(map, 8 * vt_page);
	close(fd);
}

static void test_process_vm_readv(void)
{
	unsigned char *map;
	int fd = purged_region("remote", &map), status;
	pid_t parent = getpid(), pid;

	pid = fork();
	if (pid == 0) {
		unsigned char buf[64];
		struct iovec local = { buf, sizeof(buf) };
		struct iovec remote = { map + 2 * vt_page, sizeof(buf) };
		struct iovec remote_ok = { map + 5 * vt_page, sizeof(buf) };

		/* Drop our own mapping: only the parent's is used. */
		munmap(map, 8 * vt_page);
		if (process_vm_readv(parent, &local, 1, &remote, 1, 0) >= 0)
			_exit(1);
		if (process_vm_readv(parent, &local, 1, &remote_ok, 1, 0) !=
		    sizeof(buf))
			_exit(2);
		_exit(0);
	}
	status = vt_wait(pid);
	if (!ok(vt_exited_ok(status),
		"process_vm_readv fails on a purged page, works on a pinned one"))
		vt_describe_status("reader", status);
	ok(purged_resident(fd) == 0, "process_vm_readv did not refill purged pages");
	munmap(map, 8 * vt_page);
	close(fd);
}

static void test_mlock(void)
{
	unsigned char *map, v;
	void *m;
	int fd = vt_create(8 * vt_page, "mlock", &m), ret;

	map = m;
	if (mlock(map, 8 * vt_page)) {
		skip(strerror(errno), "purging mlocked unpinned pages");
		goto out;
	}
	vt_fill_page(map + 2 * vt_page, 2, 1);
	vt_unpin(fd, 2, 2);
	ret = ioctl(fd, VRANGE_PURGE);
	ok_alone(ret == 2 && purged_resident(fd) == 0 &&
		 vt_probe_read(map + 2 * vt_page, &v) == SIGBUS,
		 "unpinned pages of an mlocked mapping are purged and raise SIGBUS");
	munlock(map, 8 * vt_page);
	errno = 0;
	ret = mlock(map, 8 * vt_page);
	diag("mlock over purged pages returned %d (%s)", ret,
	     ret ? strerror(errno) : "-");
	ok(purged_resident(fd) == 0 && vt_probe_read(map + 3 * vt_page, &v) == SIGBUS,
	   "mlock over purged pages does not refill them");
	munlock(map, 8 * vt_page);
out:
	munmap(map, 8 * vt_page);
	close(fd);
}

/* ---- VMA life cycle ------------------------------------------------------ */

static void test_vma_splits(void)
{
	long long regions0 = vt_stat("regions");
	unsigned char *map, *moved;
	int fd, status;
	void *m;
	pid_t pid;

	fd = vt_create(16 * vt_page, "split", &m);
	map = m;
	vt_fill_page(map + 12 * vt_page, 12, 3);
	munmap(map + 4 * vt_page, 4 * vt_page);
	mprotect(map + 8 * vt_page, 2 * vt_page, PROT_READ);
	moved = mremap(map + 12 * vt_page, 4 * vt_page, 4 * vt_page,
		       MREMAP_MAYMOVE | MREMAP_FIXED, map + 4 * vt_page);
	if (!ok(moved != MAP_FAILED && vt_page_matches(moved, 12, 3),
		"a piece moved by mremap still shows its region pages"))
		diag("mremap: %s", moved == MAP_FAILED ? strerror(errno) : "data");
	pid = fork();
	if (pid == 0)
		_exit(vt_page_matches(moved, 12, 3) ? 0 : 1);
	status = vt_wait(pid);
	ok(vt_exited_ok(status), "a child sees the pieces after split, mprotect, mremap");
	close(fd);
	ok_alone(vt_stat("regions") == regions0 + 1,
		 "split pieces keep the region alive after close(fd)");
	munmap(map, 4 * vt_page);
	munmap(moved, 4 * vt_page);
	ok_alone(vt_stat("regions") == regions0 + 1, "one piece left keeps the region alive");
	munmap(map + 8 * vt_page, 4 * vt_page);
	ok_alone(vt_stat("regions") == regions0,
		 "unmapping the last piece frees the region (no reference leaked)");
}

static void test_mremap_grow(void)
{
	long long resident;
	unsigned char *map, *big, v;
	void *m;
	int fd, sig;

	fd = vt_create(4 * vt_page, "grow", &m);
	map = m;
	memset(map, 1, 4 * vt_page);
	big = mremap(map, 4 * vt_page, 8 * vt_page, MREMAP_MAYMOVE);
	if (big == MAP_FAILED) {
		ok(1, "mremap cannot grow a mapping past the region size (%s)",
		   strerror(errno));
		munmap(map, 4 * vt_page);
		close(fd);
		return;
	}
	sig = vt_probe_write(big + 5 * vt_page, 1);
	resident = vt_fdinfo(fd, "vrange_resident_pages");
	if (!ok(sig == SIGBUS && resident == 4,
		"a mapping grown by mremap gives no access past the region size"))
		diag("write past the size: signal %d, resident pages %lld", sig,
		     resident);
	ok(vt_probe_read(big + 3 * vt_page, &v) == 0 && v == 1,
	   "the grown mapping still shows the region's pages");
	munmap(big, 8 * vt_page);
	close(fd);
}

/* ---- shmem huge pages -------------------------------------------------- */

static int read_knob(char *buf, size_t len)
{
	int fd = open(THP_KNOB, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	return 0;
}

/* The bracketed word of the knob, e.g. "never" from "always [never]". */
static void knob_current(const char *knob, char *out, size_t len)
{
	const char *a = strchr(knob, '['), *b = a ? strchr(a, ']') : NULL;

	snprintf(out, len, "%.*s", a && b ? (int)(b - a - 1) : 0, a ? a + 1 : "");
}

/* Map @len bytes of @fd at a huge-page aligned address. */
static unsigned char *map_aligned(int fd, size_t len)
{
	unsigned char *area, *aligned;
	void *p;

	area = mmap(NULL, len + HPAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		    -1, 0);
	if (area == MAP_FAILED)
		return NULL;
	aligned = (unsigned char *)(((unsigned long)area + HPAGE - 1) & ~(HPAGE - 1));
	p = mmap(aligned, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0);
	if (aligned > area)
		munmap(area, aligned - area);
	munmap(aligned + len, area + len + HPAGE - (aligned + len));
	return p == MAP_FAILED ? NULL : aligned;
}

static long long shmem_huge_kb(void)
{
	char line[256];
	long long kb = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "ShmemHugePages:", 15))
			kb = strtoll(line + 15, NULL, 10);
	fclose(f);
	return kb;
}

static int thp_region(const char *name, unsigned char **map)
{
	int fd = vt_open();

	if (fd < 0 || vt_set_size(fd, 2 * HPAGE) || vt_set_name(fd, name))
		bail_out("thp region: %s", strerror(errno));
	*map = map_aligned(fd, 2 * HPAGE);
	if (!*map)
		bail_out("aligned mmap: %s", strerror(errno));
	return fd;
}

static void test_thp_partial_purge(void)
{
	const unsigned long half = HPAGE / 2 / vt_page;
	unsigned char *map, v;
	unsigned long p;
	int fd = thp_region("thp-filled", &map);
	int purged;

	long long huge0 = shmem_huge_kb();

	for (p = 0; p < 2 * HPAGE / vt_page; p++)
		vt_fill_page(map + p * vt_page, p, 1);
	diag("ShmemHugePages went from %lld kB to %lld kB while filling",
	     huge0, shmem_huge_kb());
	vt_unpin(fd, 0, half);
	purged = ioctl(fd, VRANGE_PURGE);
	if (!ok_alone(purged == (int)half && purged_resident(fd) == 0,
		      "shmem THP: purging half of a huge page frees that half"))
		diag("PURGE %d, purged resident %lld, resident %lld", purged,
		     purged_resident(fd), vt_fdinfo(fd, "vrange_resident_pages"));
	ok(vt_probe_read(map + vt_page, &v) == SIGBUS,
	   "shmem THP: the purged half of a huge page raises SIGBUS");
	for (p = half; p < 2 * HPAGE / vt_page; p++)
		if (!vt_page_matches(map + p * vt_page, p, 1))
			break;
	ok(p == 2 * HPAGE / vt_page, "shmem THP: the pinned half keeps its data");
	munmap(map, 2 * HPAGE);
	close(fd);
}

static void test_thp_neighbour_fault(void)
{
	const unsigned long half = HPAGE / 2 / vt_page;
	unsigned char *map, v;
	int fd = thp_region("thp-fault", &map);
	long long pres;

	/* Nothing resident yet: purging only marks [0, half) purged. */
	vt_unpin(fd, 0, half);
	ioctl(fd, VRANGE_PURGE);
	vt_fill_page(map + (half + 1) * vt_page, half + 1, 1);
	pres = purged_resident(fd);
	if (!ok(pres == 0,
		"shmem THP: a fault next to purged pages does not allocate them"))
		diag("purged resident %lld, resident %lld", pres,
		     vt_fdinfo(fd, "vrange_resident_pages"));
	ok(vt_probe_read(map, &v) == SIGBUS && vt_probe_read(map + (half - 1) * vt_page, &v) == SIGBUS,
	   "shmem THP: purged pages next to a faulted huge extent still raise SIGBUS");
	munmap(map, 2 * HPAGE);
	close(fd);
}

static void test_shmem_thp(void)
{
	char knob[256], old[32];

	if (read_knob(knob, sizeof(knob))) {
		skip("no " THP_KNOB, "shmem THP checks");
		return;
	}
	knob_current(knob, old, sizeof(old));
	if (vt_write_file(THP_KNOB, "always")) {
		skip("cannot set shmem_enabled", "shmem THP checks");
		return;
	}
	diag("shmem_enabled was '%s', now 'always'", old);
	test_thp_partial_purge();
	test_thp_neighbour_fault();
	if (vt_write_file(THP_KNOB, old))
		diag("could not restore shmem_enabled to '%s'", old);
}

int main(void)
{
	vt_init();
	if (access(VRANGE_DEVICE, R_OK | W_OK))
		bail_out("%s: %s (module not loaded?)", VRANGE_DEVICE,
			 strerror(errno));
	test_syscall_buffers();
	test_proc_mem();
	test_process_vm_readv();
	test_mlock();
	test_vma_splits();
	test_mremap_grow();
	test_shmem_thp();
	return tap_finish("vrange_edges");
}
