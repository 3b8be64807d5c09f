// SPDX-License-Identifier: GPL-2.0
/*
 * ashmem_conformance: the Android ashmem ABI, case by case, against
 * whatever /dev/ashmem is (vrange's node or the reference ashmem_linux.ko).
 *
 *   ashmem_conformance [--record FILE]     run every case, TAP output
 *   ashmem_conformance --table REF REF32 OURS OURS32   side-by-side table
 *
 * Kinds: [abi] must pass on both; [improvement] is a documented place where
 * vrange is better than the reference (run there too, the outcome recorded,
 * reported as SKIP); [extension] is not in the reference driver at all
 * (GET_FILE_ID, Android kernels only).  The reference is recognised by
 * /sys/module/ashmem_linux.  Every case runs in a forked child under an
 * alarm, so a deadlock or a signal fails one case, not the run.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <pthread.h>
#include <sys/personality.h>
#include <sys/syscall.h>

#include <linux/ashmem.h>

#include "vrange_test.h"

#define ASHMEM_DEV	"/dev/ashmem"
#define CASE_TIMEOUT	60

enum kind { ABI, IMPROVEMENT, EXTENSION };
static const char *const kind_names[] = { "abi", "improvement", "extension" };

static int is_reference;
static size_t pg;

/* ---- helpers ----------------------------------------------------------- */

#define CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		diag("  failed: %s (errno %d %s)", #cond, errno,	\
		     strerror(errno));					\
		diag("  " __VA_ARGS__);					\
		return 0;						\
	}								\
} while (0)

static int a_open(void)
{
	return open(ASHMEM_DEV, O_RDWR);
}

static int a_set_name(int fd, const char *name)
{
	char buf[ASHMEM_NAME_LEN];

	memset(buf, 0, sizeof(buf));
	strncpy(buf, name, sizeof(buf) - 1);
	return ioctl(fd, ASHMEM_SET_NAME, buf);
}

/* A sized (and named) area; -1 on failure. */
static int area(size_t size, const char *name)
{
	int fd = a_open();

	if (fd < 0)
		return -1;
	if ((name && a_set_name(fd, name)) ||
	    ioctl(fd, ASHMEM_SET_SIZE, size)) {
		close(fd);
		return -1;
	}
	return fd;
}

static void *amap(int fd, size_t len, int prot, int flags)
{
	return mmap(NULL, len, prot, flags, fd, 0);
}

static int a_range(int fd, unsigned long cmd, size_t off, size_t len)
{
	struct ashmem_pin pin = { .offset = off, .len = len };

	return ioctl(fd, cmd, &pin);
}

#define a_pin(fd, o, l)		a_range(fd, ASHMEM_PIN, o, l)
#define a_unpin(fd, o, l)	a_range(fd, ASHMEM_UNPIN, o, l)
#define a_status(fd, o, l)	a_range(fd, ASHMEM_GET_PIN_STATUS, o, l)

static long purge_all(void)
{
	int fd = a_open();
	long ret;

	if (fd < 0)
		return -1;
	ret = ioctl(fd, ASHMEM_PURGE_ALL_CACHES);
	close(fd);
	return ret;
}

/* errno of a failed call, or 0 if it succeeded. */
#define ERR(call)	((call) < 0 ? errno : 0)

/* ---- cases: open, name, size ------------------------------------------ */

static int c_node(void)
{
	struct stat st;

	CHECK(!stat(ASHMEM_DEV, &st) && S_ISCHR(st.st_mode), "not a char device");
	CHECK((st.st_mode & 0777) == 0666, "mode %o", st.st_mode & 0777);
	return 1;
}

static int c_new_area(void)
{
	char name[ASHMEM_NAME_LEN];
	int fd = a_open();

	CHECK(fd >= 0, "open");
	CHECK(ioctl(fd, ASHMEM_GET_SIZE) == 0, "size");
	CHECK(ioctl(fd, ASHMEM_GET_PROT_MASK) == (PROT_READ | PROT_WRITE | PROT_EXEC), "mask");
	CHECK(!ioctl(fd, ASHMEM_GET_NAME, name), "GET_NAME");
	CHECK(!strcmp(name, "dev/ashmem"), "name '%s'", name);
	return 1;
}

static int c_name_roundtrip(void)
{
	char name[ASHMEM_NAME_LEN];
	int fd = a_open();

	CHECK(fd >= 0, "open");
	CHECK(!a_set_name(fd, "conf/with slash"), "SET_NAME");
	memset(name, 0x7f, sizeof(name));
	CHECK(!ioctl(fd, ASHMEM_GET_NAME, name), "GET_NAME");
	CHECK(!strcmp(name, "conf/with slash"), "name '%s'", name);
	CHECK(name[16] == 0x7f, "GET_NAME wrote past the string");
	return 1;
}

static int c_name_long(void)
{
	char big[300], name[ASHMEM_NAME_LEN];
	int fd = a_open();

	CHECK(fd >= 0, "open");
	memset(big, 'x', sizeof(big));
	CHECK(!ioctl(fd, ASHMEM_SET_NAME, big), "SET_NAME of 256 unterminated bytes");
	CHECK(!ioctl(fd, ASHMEM_GET_NAME, name), "GET_NAME");
	CHECK(strlen(name) == ASHMEM_NAME_LEN - 1, "length %zu", strlen(name));
	return 1;
}

static int c_name_empty(void)
{
	char name[ASHMEM_NAME_LEN];
	int fd = a_open();

	CHECK(fd >= 0, "open");
	CHECK(!a_set_name(fd, ""), "SET_NAME \"\"");
	CHECK(!ioctl(fd, ASHMEM_GET_NAME, name) && !strcmp(name, "dev/ashmem"),
	      "name '%s'", name);
	CHECK(ERR(ioctl(fd, ASHMEM_SET_NAME, NULL)) == EFAULT, "NULL name");
	return 1;
}

static int c_size(void)
{
	int fd = a_open();

	CHECK(fd >= 0, "open");
	CHECK(!ioctl(fd, ASHMEM_SET_SIZE, (size_t)10000), "SET_SIZE 10000");
	CHECK(ioctl(fd, ASHMEM_GET_SIZE) == 10000, "GET_SIZE");
	CHECK(!ioctl(fd, ASHMEM_SET_SIZE, (size_t)0), "SET_SIZE 0");
	CHECK(ioctl(fd, ASHMEM_GET_SIZE) == 0, "GET_SIZE 0");
	return 1;
}

static int c_mmap_size0(void)
{
	int fd = a_open();

	CHECK(fd >= 0, "open");
	CHECK(amap(fd, pg, PROT_READ, MAP_SHARED) == MAP_FAILED && errno == EINVAL,
	      "mmap of size 0");
	return 1;
}

static int c_mmap_len(void)
{
	int fd = area(pg + 1, NULL);
	void *p;

	CHECK(fd >= 0, "area");
	CHECK(amap(fd, 3 * pg, PROT_READ, MAP_SHARED) == MAP_FAILED &&
	      errno == EINVAL, "mmap past PAGE_ALIGN(size)");
	p = amap(fd, 2 * pg, PROT_READ | PROT_WRITE, MAP_SHARED);
	CHECK(p != MAP_FAILED, "mmap of PAGE_ALIGN(size)");
	return 1;
}

static int c_frozen(void)
{
	int fd = area(4 * pg, "frozen");
	char name[ASHMEM_NAME_LEN];

	CHECK(fd >= 0, "area");
	CHECK(amap(fd, 4 * pg, PROT_READ, MAP_SHARED) != MAP_FAILED, "mmap");
	CHECK(ERR(ioctl(fd, ASHMEM_SET_SIZE, 8 * pg)) == EINVAL, "SET_SIZE after mmap");
	CHECK(ERR(a_set_name(fd, "other")) == EINVAL, "SET_NAME after mmap");
	CHECK(ioctl(fd, ASHMEM_GET_SIZE) == (long)(4 * pg), "size kept");
	CHECK(!ioctl(fd, ASHMEM_GET_NAME, name) && !strcmp(name, "frozen"), "name kept");
	return 1;
}

static int c_maps_name(void)
{
	char path[512];
	int fd = area(pg, "conf-maps");
	void *p;

	CHECK(fd >= 0, "area");
	p = amap(fd, pg, PROT_READ, MAP_SHARED);
	CHECK(p != MAP_FAILED, "mmap");
	CHECK(!vt_maps_path(p, path, sizeof(path)), "maps line");
	diag("  maps: %s", path);
	CHECK(!strncmp(path, "/dev/ashmem/conf-maps", 21), "path '%s'", path);
	return 1;
}

static int c_maps_unnamed(void)
{
	char path[512];
	int fd = area(pg, NULL);
	void *p;

	CHECK(fd >= 0, "area");
	p = amap(fd, pg, PROT_READ, MAP_SHARED);
	CHECK(p != MAP_FAILED, "mmap");
	CHECK(!vt_maps_path(p, path, sizeof(path)), "maps line");
	CHECK(!strncmp(path, "/dev/ashmem", 11) && path[11] != '/', "path '%s'", path);
	return 1;
}

/* ---- cases: pinning --------------------------------------------------- */

static int c_pin_unmapped(void)
{
	int fd = area(4 * pg, NULL);

	CHECK(fd >= 0, "area");
	CHECK(ERR(a_pin(fd, 0, 0)) == EINVAL, "PIN before mmap");
	CHECK(ERR(a_unpin(fd, 0, 0)) == EINVAL, "UNPIN before mmap");
	CHECK(ERR(a_status(fd, 0, 0)) == EINVAL, "GET_PIN_STATUS before mmap");
	return 1;
}

static int c_pin_initial(void)
{
	int fd = area(4 * pg, NULL);

	CHECK(fd >= 0, "area");
	CHECK(amap(fd, 4 * pg, PROT_READ | PROT_WRITE, MAP_SHARED) != MAP_FAILED, "mmap");
	CHECK(a_status(fd, 0, 0) == ASHMEM_IS_PINNED, "status");
	CHECK(a_pin(fd, 0, 0) == ASHMEM_NOT_PURGED, "PIN");
	return 1;
}

static int c_unpin_status(void)
{
	int fd = area(8 * pg, NULL);

	CHECK(fd >= 0, "area");
	CHECK(amap(fd, 8 * pg, PROT_READ | PROT_WRITE, MAP_SHARED) != MAP_FAILED, "mmap");
	CHECK(a_unpin(fd, 2 * pg, 2 * pg) == 0, "UNPIN returns 0");
	CHECK(a_status(fd, 2 * pg, 2 * pg) == ASHMEM_IS_UNPINNED, "unpinned range");
	CHECK(a_status(fd, 0, 2 * pg) == ASHMEM_IS_PINNED, "pages before");
	CHECK(a_status(fd, 4 * pg, 0) == ASHMEM_IS_PINNED, "pages after");
	CHECK(a_status(fd, pg, 2 * pg) == ASHMEM_IS_UNPINNED, "overlapping one page");
	CHECK(a_status(fd, 0, 0) == ASHMEM_IS_UNPINNED, "whole area");
	CHECK(a_pin(fd, 2 * pg, 2 * pg) == ASHMEM_NOT_PURGED, "PIN");
	CHECK(a_status(fd, 0, 0) == ASHMEM_IS_PINNED, "pinned again");
	return 1;
}

static int c_pin_args(void)
{
	int fd = area(8 * pg, NULL);

	CHECK(fd >= 0, "area");
	CHECK(amap(fd, 8 * pg, PROT_READ, MAP_SHARED) != MAP_FAILED, "mmap");
	CHECK(ERR(a_unpin(fd, 1, pg)) == EINVAL, "misaligned offset");
	CHECK(ERR(a_unpin(fd, 0, pg + 1)) == EINVAL, "misaligned len");
	CHECK(ERR(a_unpin(fd, 6 * pg, 4 * pg)) == EINVAL, "past the end");
	CHECK(ERR(a_unpin(fd, 0xfffff000U, 0x2000)) == EINVAL, "32-bit wrap");
	CHECK(ERR(a_status(fd, pg, pg + 1)) == EINVAL, "status misaligned");
	CHECK(ERR(ioctl(fd, ASHMEM_PIN, NULL)) == EFAULT, "PIN NULL");
	CHECK(ERR(ioctl(fd, ASHMEM_GET_PIN_STATUS, NULL)) == EFAULT,
	      "GET_PIN_STATUS reads a pointer");
	CHECK(a_status(fd, 0, 0) == ASHMEM_IS_PINNED, "nothing changed");
	return 1;
}

static int c_len0(void)
{
	int fd = area(8 * pg, NULL);

	CHECK(fd >= 0, "area");
	CHECK(amap(fd, 8 * pg, PROT_READ, MAP_SHARED) != MAP_FAILED, "mmap");
	CHECK(!a_unpin(fd, 3 * pg, 0), "UNPIN len 0");
	CHECK(a_status(fd, 7 * pg, pg) == ASHMEM_IS_UNPINNED, "last page");
	CHECK(a_status(fd, 0, 3 * pg) == ASHMEM_IS_PINNED, "first pages");
	return 1;
}

static int c_keep_data(void)
{
	int fd = area(4 * pg, NULL);
	unsigned char *p;

	CHECK(fd >= 0, "area");
	p = amap(fd, 4 * pg, PROT_READ | PROT_WRITE, MAP_SHARED);
	CHECK(p != MAP_FAILED, "mmap");
	memset(p, 0x5a, 4 * pg);
	CHECK(!a_unpin(fd, 0, 0), "UNPIN");
	CHECK(a_pin(fd, 0, 0) == ASHMEM_NOT_PURGED, "PIN");
	CHECK(p[0] == 0x5a && p[4 * pg - 1] == 0x5a, "data");
	return 1;
}

static int c_purge(void)
{
	int fd = area(8 * pg, NULL);
	unsigned char *p, c;
	long n;

	CHECK(fd >= 0, "area");
	p = amap(fd, 8 * pg, PROT_READ | PROT_WRITE, MAP_SHARED);
	CHECK(p != MAP_FAILED, "mmap");
	memset(p, 0x5a, 8 * pg);
	CHECK(!a_unpin(fd, 0, 4 * pg), "UNPIN");
	n = purge_all();
	diag("  PURGE_ALL_CACHES returned %ld", n);
	CHECK(n >= 4, "returns the unpinned pages before purging");
	CHECK(purge_all() == 0, "nothing left unpinned and unpurged");
	CHECK(a_status(fd, 0, 4 * pg) == ASHMEM_IS_UNPINNED, "purged pages stay unpinned");
	CHECK(vt_probe_read(p, &c) == 0 && c == 0, "purged page reads zero, no SIGBUS");
	CHECK(vt_probe_write(p + pg, 1) == 0, "purged page writable");
	CHECK(a_pin(fd, 0, 4 * pg) == ASHMEM_WAS_PURGED, "PIN reports WAS_PURGED");
	CHECK(a_pin(fd, 4 * pg, 4 * pg) == ASHMEM_NOT_PURGED, "pinned pages NOT_PURGED");
	CHECK(p[4 * pg] == 0x5a, "pinned data kept");
	CHECK(p[2 * pg] == 0, "purged data gone");
	return 1;
}

static int c_purge_read(void)
{
	int fd = area(2 * pg, NULL);
	char buf[64];
	unsigned char *p;

	CHECK(fd >= 0, "area");
	p = amap(fd, 2 * pg, PROT_READ | PROT_WRITE, MAP_SHARED);
	CHECK(p != MAP_FAILED, "mmap");
	memset(p, 0x5a, 2 * pg);
	CHECK(!a_unpin(fd, 0, 0), "UNPIN");
	CHECK(purge_all() >= 2, "purge");
	CHECK(pread(fd, buf, sizeof(buf), 0) == (ssize_t)sizeof(buf) &&
	      vt_is_zero(buf, sizeof(buf)), "read() of a purged page gives zeros");
	return 1;
}

static int c_purge_eperm(void)
{
	int fd = a_open(), st;
	pid_t pid;

	CHECK(fd >= 0, "open");
	pid = fork();
	if (pid == 0) {
		if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
			_exit(2);
		_exit(ioctl(fd, ASHMEM_PURGE_ALL_CACHES) < 0 && errno == EPERM ? 0 : 1);
	}
	st = vt_wait(pid);
	CHECK(vt_exited_ok(st), "unprivileged PURGE_ALL_CACHES is EPERM (status %d)", st);
	return 1;
}

/* Pages unpinned after a purge, merged with it, were never purged. */
static int c_pin_exact(void)
{
	int fd = area(8 * pg, NULL), r;
	unsigned char *p;

	CHECK(fd >= 0, "area");
	p = amap(fd, 8 * pg, PROT_READ | PROT_WRITE, MAP_SHARED);
	CHECK(p != MAP_FAILED, "mmap");
	memset(p, 0x5a, 8 * pg);
	CHECK(!a_unpin(fd, 0, 4 * pg), "UNPIN 0-3");
	CHECK(purge_all() >= 4, "purge");
	CHECK(!a_unpin(fd, 2 * pg, 6 * pg), "UNPIN 2-7 over the purged range");
	r = a_pin(fd, 4 * pg, 4 * pg);
	diag("  PIN of never-purged pages 4-7 returned %d", r);
	CHECK(r == ASHMEM_NOT_PURGED, "page-exact WAS_PURGED");
	CHECK(p[4 * pg] == 0x5a, "data of pages 4-7 intact");
	CHECK(a_pin(fd, 0, 4 * pg) == ASHMEM_WAS_PURGED, "pages 0-3 were purged");
	return 1;
}

/* ---- cases: protection ------------------------------------------------ */

static int c_prot_mask(void)
{
	int fd = a_open();

	CHECK(fd >= 0, "open");
	CHECK(!ioctl(fd, ASHMEM_SET_PROT_MASK, (unsigned long)(PROT_READ | PROT_EXEC)), "remove WRITE");
	CHECK(ioctl(fd, ASHMEM_GET_PROT_MASK) == (PROT_READ | PROT_EXEC), "mask");
	CHECK(ERR(ioctl(fd, ASHMEM_SET_PROT_MASK, (unsigned long)(PROT_READ | PROT_WRITE))) == EINVAL,
	      "adding WRITE back");
	CHECK(ERR(ioctl(fd, ASHMEM_SET_PROT_MASK, (unsigned long)(PROT_READ | 8))) == EINVAL,
	      "stray bit");
	CHECK(ioctl(fd, ASHMEM_GET_PROT_MASK) == (PROT_READ | PROT_EXEC), "mask unchanged");
	return 1;
}

static int c_prot_mmap(void)
{
	int fd = area(pg, NULL);

	CHECK(fd >= 0, "area");
	CHECK(!ioctl(fd, ASHMEM_SET_PROT_MASK, (unsigned long)PROT_READ), "mask READ");
	CHECK(amap(fd, pg, PROT_READ | PROT_WRITE, MAP_SHARED) == MAP_FAILED &&
	      errno == EPERM, "PROT_WRITE outside the mask");
	CHECK(amap(fd, pg, PROT_READ, MAP_SHARED) != MAP_FAILED, "PROT_READ");
	return 1;
}

/* CVE-2011-1149: mprotect() must not add what the mask removed. */
static int c_cve_2011_1149(void)
{
	int fd = area(pg, NULL);
	void *p;

	CHECK(fd >= 0, "area");
	CHECK(!ioctl(fd, ASHMEM_SET_PROT_MASK, (unsigned long)PROT_READ), "mask READ");
	p = amap(fd, pg, PROT_READ, MAP_SHARED);
	CHECK(p != MAP_FAILED, "mmap");
	CHECK(ERR(mprotect(p, pg, PROT_READ | PROT_WRITE)) == EACCES, "mprotect WRITE");
	CHECK(ERR(mprotect(p, pg, PROT_READ | PROT_EXEC)) == EACCES, "mprotect EXEC");
	p = amap(fd, pg, PROT_READ, MAP_PRIVATE);
	CHECK(p != MAP_FAILED, "private mmap");
	CHECK(ERR(mprotect(p, pg, PROT_READ | PROT_WRITE)) == EACCES,
	      "mprotect WRITE of a private mapping");
	return 1;
}

static int c_prot_not_retro(void)
{
	int fd = area(pg, NULL);
	unsigned char *p;

	CHECK(fd >= 0, "area");
	p = amap(fd, pg, PROT_READ | PROT_WRITE, MAP_SHARED);
	CHECK(p != MAP_FAILED, "mmap");
	CHECK(!ioctl(fd, ASHMEM_SET_PROT_MASK, (unsigned long)PROT_READ), "mask READ");
	CHECK(vt_probe_write(p, 7) == 0 && p[0] == 7, "old mapping still writable");
	CHECK(amap(fd, pg, PROT_READ | PROT_WRITE, MAP_SHARED) == MAP_FAILED &&
	      errno == EPERM, "new writable mapping refused");
	return 1;
}

/*
 * CVE-2011-1149, raced: two threads map an area and mprotect() the
 * mappings while the main thread narrows its mask RWX -> RX -> R -> none.
 * The mask binds the mmap() calls that begin after SET_PROT_MASK returned
 * (it is not retroactive), so each mapper reads the mask published after
 * the last SET_PROT_MASK that returned, then maps: a mapping with
 * protection outside that mask, or an mprotect() adding a bit outside
 * it, is a hole.
 */
struct prot_race {
	pthread_barrier_t start, end;
	int fd;
	int mask;	/* published once SET_PROT_MASK returned */
	int stop;	/* end of this round */
	int done;	/* no more rounds */
	long maps, narrowed, holes;
};

static void prot_hole(struct prot_race *r, const char *what, int prot, int m)
{
	if (__atomic_fetch_add(&r->holes, 1, __ATOMIC_RELAXED) < 4)
		diag("  hole: %s %#x after mask %#x was set", what, prot, m);
}

static void prot_race_round(struct prot_race *r, unsigned int *seed)
{
	while (!__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE)) {
		int m = __atomic_load_n(&r->mask, __ATOMIC_ACQUIRE);
		int prot = rand_r(seed) % 8, bit;
		void *p = amap(r->fd, pg, prot,
			       rand_r(seed) % 2 ? MAP_SHARED : MAP_PRIVATE);

		if (p == MAP_FAILED)
			continue;
		__atomic_fetch_add(&r->maps, 1, __ATOMIC_RELAXED);
		if (m != (PROT_READ | PROT_WRITE | PROT_EXEC))
			__atomic_fetch_add(&r->narrowed, 1, __ATOMIC_RELAXED);
		if (prot & ~m)
			prot_hole(r, "mmap", prot, m);
		for (bit = PROT_READ; bit <= PROT_EXEC; bit <<= 1)
			if (!(m & bit) && !mprotect(p, pg, bit))
				prot_hole(r, "mprotect", bit, m);
		munmap(p, pg);
	}
}

static void *prot_mapper(void *arg)
{
	struct prot_race *r = arg;
	unsigned int seed = (unsigned int)(uintptr_t)&seed;

	for (;;) {
		pthread_barrier_wait(&r->start);
		if (r->done)
			return NULL;
		prot_race_round(r, &seed);
		pthread_barrier_wait(&r->end);
	}
}

/* Busy-waits up to 200 us, so that SET_PROT_MASK lands anywhere in mmap. */
static void prot_race_pause(unsigned int *seed)
{
	double until = vt_now() + (rand_r(seed) % 200) * 1e-6;

	while (vt_now() < until)
		;
}

static int c_prot_race(void)
{
	static const int masks[] = { PROT_READ | PROT_EXEC, PROT_READ, 0 };
	struct prot_race r = { .fd = -1 };
	unsigned int seed = 1, i;
	pthread_t t[2];
	double t0 = vt_now();
	int rounds, good = 1;

	pthread_barrier_init(&r.start, NULL, 3);
	pthread_barrier_init(&r.end, NULL, 3);
	pthread_create(&t[0], NULL, prot_mapper, &r);
	pthread_create(&t[1], NULL, prot_mapper, &r);
	for (rounds = 0; good && (rounds < 20 || vt_now() - t0 < 3); rounds++) {
		r.fd = area(pg, NULL);
		r.mask = PROT_READ | PROT_WRITE | PROT_EXEC;
		r.stop = 0;
		good = r.fd >= 0;
		pthread_barrier_wait(&r.start);
		for (i = 0; good && i < 3; i++) {
			prot_race_pause(&seed);
			good = !ioctl(r.fd, ASHMEM_SET_PROT_MASK, (unsigned long)masks[i]);
			__atomic_store_n(&r.mask, masks[i], __ATOMIC_RELEASE);
		}
		prot_race_pause(&seed);
		__atomic_store_n(&r.stop, 1, __ATOMIC_RELEASE);
		pthread_barrier_wait(&r.end);
		if (good && amap(r.fd, pg, PROT_READ, MAP_SHARED) != MAP_FAILED)
			prot_hole(&r, "mmap at the end of a round", PROT_READ, 0);
		close(r.fd);
	}
	r.done = 1;
	pthread_barrier_wait(&r.start);
	pthread_join(t[0], NULL);
	pthread_join(t[1], NULL);
	diag("  %d rounds, %ld mappings, %ld of them under a narrowed mask",
	     rounds, r.maps, r.narrowed);
	CHECK(good, "area or SET_PROT_MASK failed in round %d", rounds);
	CHECK(r.holes == 0, "%ld mappings or mprotects outside the mask", r.holes);
	CHECK(r.maps > 0 && r.narrowed > 0, "the mappers ran while the mask narrowed");
	return 1;
}

/*
 * An area opened O_RDONLY (all its descriptors share that one file) is set
 * up and queried as usual and maps read-only with MAP_SHARED as the shared
 * area (the reference makes that private anonymous memory), but PIN, UNPIN
 * and PURGE_ALL_CACHES, which discard or zero-fill pages, are EBADF.
 */
static int c_read_only(void)
{
	int fd = open(ASHMEM_DEV, O_RDONLY);
	unsigned char *p, c = 1;

	CHECK(fd >= 0, "open O_RDONLY");
	CHECK(!a_set_name(fd, "ro") && !ioctl(fd, ASHMEM_SET_SIZE, 2 * pg), "SET_NAME, SET_SIZE");
	CHECK(!ioctl(fd, ASHMEM_SET_PROT_MASK, (unsigned long)(PROT_READ | PROT_EXEC)),
	      "SET_PROT_MASK");
	CHECK(amap(fd, pg, PROT_READ | PROT_WRITE, MAP_SHARED) == MAP_FAILED &&
	      errno == EACCES, "writable MAP_SHARED");
	p = amap(fd, 2 * pg, PROT_READ, MAP_SHARED);
	CHECK(p != MAP_FAILED, "read-only MAP_SHARED");
	CHECK(lseek(fd, 0, SEEK_DATA) < 0 && errno == ENXIO, "no page before the first touch");
	CHECK(vt_probe_read(p + pg, &c) == 0 && c == 0, "zeros");
	CHECK(lseek(fd, 0, SEEK_DATA) == (off_t)pg, "the read faulted in the area's own page");
	CHECK(ERR(mprotect(p, pg, PROT_READ | PROT_WRITE)) == EACCES, "mprotect WRITE");
	CHECK(ioctl(fd, ASHMEM_GET_SIZE) == (long)(2 * pg) &&
	      ioctl(fd, ASHMEM_GET_PROT_MASK) == (PROT_READ | PROT_EXEC), "GET_SIZE, GET_PROT_MASK");
	CHECK(a_status(fd, 0, 0) == ASHMEM_IS_PINNED, "GET_PIN_STATUS");
	CHECK(ERR(a_unpin(fd, 0, 0)) == EBADF, "UNPIN");
	CHECK(ERR(a_pin(fd, 0, 0)) == EBADF, "PIN");
	CHECK(ERR(ioctl(fd, ASHMEM_PURGE_ALL_CACHES)) == EBADF, "PURGE_ALL_CACHES");
	CHECK(a_status(fd, 0, 0) == ASHMEM_IS_PINNED, "nothing changed");
	return 1;
}

static int rie_child(int improvement)
{
	int fd = a_open();
	long want;

	if (fd < 0)
		return 0;
	/* Remove PROT_EXEC before the personality can imply it. */
	if (improvement &&
	    ioctl(fd, ASHMEM_SET_PROT_MASK, (unsigned long)(PROT_READ | PROT_WRITE)))
		return 0;
	if (personality(READ_IMPLIES_EXEC) < 0)
		return 0;
	if (ioctl(fd, ASHMEM_SET_PROT_MASK, (unsigned long)PROT_READ))
		return 0;
	want = improvement ? PROT_READ : PROT_READ | PROT_EXEC;
	diag("  mask %ld, expected %ld", (long)ioctl(fd, ASHMEM_GET_PROT_MASK), want);
	return ioctl(fd, ASHMEM_GET_PROT_MASK) == want;
}

static int c_rie(void)
{
	return rie_child(0);
}

static int c_rie_no_regrow(void)
{
	return rie_child(1);
}

/* ---- cases: mappings, read, seek ----------------------------------------- */

static int c_shared(void)
{
	int fd = area(2 * pg, NULL), st;
	unsigned char *a, *b;
	pid_t pid;

	CHECK(fd >= 0, "area");
	a = amap(fd, 2 * pg, PROT_READ | PROT_WRITE, MAP_SHARED);
	b = amap(fd, 2 * pg, PROT_READ | PROT_WRITE, MAP_SHARED);
	CHECK(a != MAP_FAILED && b != MAP_FAILED, "mmap");
	a[pg] = 42;
	CHECK(b[pg] == 42, "second mapping sees the data");
	pid = fork();
	if (pid == 0) {
		b[0] = 43;
		_exit(a[pg] == 42 ? 0 : 1);
	}
	st = vt_wait(pid);
	CHECK(vt_exited_ok(st) && a[0] == 43, "fork shares the pages");
	return 1;
}

static int c_private(void)
{
	int fd = area(2 * pg, NULL);
	unsigned char *s, *p;

	CHECK(fd >= 0, "area");
	p = amap(fd, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	CHECK(p != MAP_FAILED, "private mmap");
	CHECK(ERR(ioctl(fd, ASHMEM_SET_SIZE, 4 * pg)) == EINVAL, "size frozen by it");
	s = amap(fd, 2 * pg, PROT_READ | PROT_WRITE, MAP_SHARED);
	CHECK(s != MAP_FAILED, "shared mmap");
	s[0] = 1;
	CHECK(p[0] == 0, "private mapping does not see shared data");
	p[pg] = 2;
	CHECK(s[pg] == 0, "shared mapping does not see private data");
	return 1;
}

static int c_read(void)
{
	int fd = a_open();
	unsigned char *p;
	char buf[16];

	CHECK(fd >= 0, "open");
	CHECK(read(fd, buf, sizeof(buf)) == 0, "read at size 0 is EOF");
	CHECK(!ioctl(fd, ASHMEM_SET_SIZE, 2 * pg), "size");
	CHECK(ERR(read(fd, buf, sizeof(buf))) == EBADF, "read before mmap");
	CHECK(ERR(lseek(fd, 0, SEEK_SET)) == EBADF, "lseek before mmap");
	p = amap(fd, 2 * pg, PROT_READ | PROT_WRITE, MAP_SHARED);
	CHECK(p != MAP_FAILED, "mmap");
	memcpy(p, "hello ashmem", 12);
	memcpy(p + pg, "page two", 8);
	CHECK(read(fd, buf, 12) == 12 && !memcmp(buf, "hello ashmem", 12), "read");
	CHECK(lseek(fd, 0, SEEK_CUR) == 12, "position advanced");
	CHECK(lseek(fd, pg, SEEK_SET) == (off_t)pg, "SEEK_SET");
	CHECK(read(fd, buf, 8) == 8 && !memcmp(buf, "page two", 8), "read after seek");
	CHECK(lseek(fd, 0, SEEK_END) == (off_t)(2 * pg), "SEEK_END");
	CHECK(read(fd, buf, 8) == 0, "EOF");
	return 1;
}

static int c_seek_data(void)
{
	int fd = area(4 * pg, NULL);
	unsigned char *p;

	CHECK(fd >= 0, "area");
	p = amap(fd, 4 * pg, PROT_READ | PROT_WRITE, MAP_SHARED);
	CHECK(p != MAP_FAILED, "mmap");
	p[0] = 1;
	p[2 * pg] = 1;
	CHECK(lseek(fd, 0, SEEK_DATA) == 0, "SEEK_DATA 0");
	CHECK(lseek(fd, 0, SEEK_HOLE) == (off_t)pg, "SEEK_HOLE 0 = %ld",
	      (long)lseek(fd, 0, SEEK_HOLE));
	CHECK(lseek(fd, pg, SEEK_DATA) == (off_t)(2 * pg), "SEEK_DATA 1 page");
	CHECK(ERR(lseek(fd, 4 * pg, SEEK_DATA)) == ENXIO, "SEEK_DATA at EOF");
	return 1;
}

static int c_write(void)
{
	int fd = area(pg, NULL);

	CHECK(fd >= 0, "area");
	CHECK(amap(fd, pg, PROT_READ | PROT_WRITE, MAP_SHARED) != MAP_FAILED, "mmap");
	CHECK(ERR(write(fd, "x", 1)) == EINVAL, "write() is EINVAL");
	return 1;
}

static int c_enotty(void)
{
	int fd = a_open();

	CHECK(fd >= 0, "open");
	CHECK(ERR(ioctl(fd, _IO(__ASHMEMIOC, 12))) == ENOTTY, "cmd 12");
	CHECK(ERR(ioctl(fd, _IO('x', 1))) == ENOTTY, "foreign cmd");
	return 1;
}

static int c_file_id(void)
{
	unsigned long id = 0;
	char line[512];
	unsigned long start, ino = 0;
	int fd = area(pg, "conf-id");
	FILE *f;
	void *p;

	CHECK(fd >= 0, "area");
	CHECK(ERR(ioctl(fd, ASHMEM_GET_FILE_ID, &id)) == EINVAL, "before mmap");
	p = amap(fd, pg, PROT_READ, MAP_SHARED);
	CHECK(p != MAP_FAILED, "mmap");
	CHECK(!ioctl(fd, ASHMEM_GET_FILE_ID, &id), "GET_FILE_ID");
	f = fopen("/proc/self/maps", "r");
	CHECK(f, "maps");
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-%*x %*s %*x %*x:%*x %lu", &start, &ino) == 2 &&
		    start == (unsigned long)p)
			break;
	fclose(f);
	diag("  file id %lu, maps inode %lu", id, ino);
	CHECK(id && id == ino, "the backing inode of the mapping");
	return 1;
}

/* ---- regression cases ----------------------------------------------- */

struct size_race {
	int fd;
	volatile int stop;
};

static void *size_flipper(void *arg)
{
	struct size_race *r = arg;

	while (!r->stop) {
		ioctl(r->fd, ASHMEM_SET_SIZE, pg);
		ioctl(r->fd, ASHMEM_SET_SIZE, 64 * pg);
	}
	return NULL;
}

/* CVE-2017-13216: a mapping longer than the final size must not exist. */
static int c_cve_2017_13216(void)
{
	int i, mapped = 0;

	for (i = 0; i < 300; i++) {
		struct size_race r = { .fd = area(64 * pg, NULL) };
		pthread_t t;
		unsigned char *p;
		long size;

		CHECK(r.fd >= 0, "area");
		pthread_create(&t, NULL, size_flipper, &r);
		p = amap(r.fd, 64 * pg, PROT_READ | PROT_WRITE, MAP_SHARED);
		r.stop = 1;
		pthread_join(t, NULL);
		size = ioctl(r.fd, ASHMEM_GET_SIZE);
		if (p != MAP_FAILED) {
			mapped++;
			CHECK(size >= (long)(64 * pg), "mapped 64 pages of a %ld-byte area", size);
			CHECK(vt_probe_write(p + 63 * pg, 1) == 0, "last page usable");
			munmap(p, 64 * pg);
		}
		close(r.fd);
	}
	diag("  %d of 300 mmaps won the race", mapped);
	return 1;
}

static int map_files_path(void *p, size_t len, char *buf, size_t n)
{
	return snprintf(buf, n, "/proc/self/map_files/%lx-%lx", (unsigned long)p,
			(unsigned long)p + len);
}

/* CVE-2020-0009: the backing file must not give a way around the mask. */
static int c_cve_2020_0009(void)
{
	int fd = area(pg, "conf-remap"), bfd;
	char path[128];
	void *p, *w;

	CHECK(fd >= 0, "area");
	CHECK(!ioctl(fd, ASHMEM_SET_PROT_MASK, (unsigned long)PROT_READ), "mask READ");
	p = amap(fd, pg, PROT_READ, MAP_SHARED);
	CHECK(p != MAP_FAILED, "mmap");
	map_files_path(p, pg, path, sizeof(path));
	bfd = open(path, O_RDWR);
	if (bfd < 0) {
		diag("  open %s: %s (refused)", path, strerror(errno));
		return 1;
	}
	w = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED, bfd, 0);
	diag("  backing file opened; writable mmap %s", w == MAP_FAILED ?
	     strerror(errno) : "succeeded");
	CHECK(w == MAP_FAILED, "backing file gave a writable mapping");
	return 1;
}

/* ioctl arguments inside the area's own unfaulted (or purged) pages. */
static int c_lock_uaccess(void)
{
	int fd = area(8 * pg, NULL);
	struct ashmem_pin *pin;
	unsigned char *p;
	char *name;

	CHECK(fd >= 0, "area");
	p = amap(fd, 8 * pg, PROT_READ | PROT_WRITE, MAP_SHARED);
	CHECK(p != MAP_FAILED, "mmap");
	pin = (struct ashmem_pin *)(p + 5 * pg);	/* not faulted in yet */
	CHECK(!ioctl(fd, ASHMEM_UNPIN, pin), "UNPIN with its argument in the area");
	CHECK(ERR(ioctl(fd, ASHMEM_SET_NAME, p + 6 * pg)) == EINVAL,
	      "SET_NAME from the area after mmap");
	name = (char *)(p + 7 * pg);
	CHECK(!ioctl(fd, ASHMEM_GET_NAME, name) && !strcmp(name, "dev/ashmem"),
	      "GET_NAME into the area");
	pin->offset = 0;
	pin->len = 0;
	CHECK(!ioctl(fd, ASHMEM_UNPIN, pin), "UNPIN all");
	CHECK(purge_all() >= 0, "purge");
	/* The argument's page is purged now: copying it refills a zero page. */
	CHECK(ioctl(fd, ASHMEM_PIN, pin) == ASHMEM_WAS_PURGED,
	      "PIN with its argument in a purged page");
	return 1;
}

struct hammer {
	int fd;
	volatile int stop;
	long ops;
};

static void *hammer_ioctls(void *arg)
{
	struct hammer *h = arg;
	char name[ASHMEM_NAME_LEN];

	while (!h->stop) {
		a_unpin(h->fd, 0, 0);
		a_pin(h->fd, 0, 0);
		a_status(h->fd, 0, 0);
		ioctl(h->fd, ASHMEM_GET_NAME, name);
		h->ops++;
	}
	return NULL;
}

/* mmap_lock -> area lock; faults, munmap and purges meanwhile. */
static int c_lock_mmap_race(void)
{
	struct hammer h = { .fd = area(16 * pg, NULL) };
	pthread_t t[2];
	double t0;
	long maps = 0, purges = 0;

	CHECK(h.fd >= 0, "area");
	CHECK(amap(h.fd, 16 * pg, PROT_READ | PROT_WRITE, MAP_SHARED) != MAP_FAILED, "mmap");
	pthread_create(&t[0], NULL, hammer_ioctls, &h);
	pthread_create(&t[1], NULL, hammer_ioctls, &h);
	for (t0 = vt_now(); vt_now() - t0 < 3; maps++) {
		unsigned char *p = amap(h.fd, 16 * pg, PROT_READ | PROT_WRITE, MAP_SHARED);

		if (p == MAP_FAILED)
			break;
		memset(p, 1, 16 * pg);
		munmap(p, 16 * pg);
		if (!(maps % 16) && purge_all() >= 0)
			purges++;
	}
	h.stop = 1;
	pthread_join(t[0], NULL);
	pthread_join(t[1], NULL);
	diag("  %ld map/touch/unmap, %ld purges, %ld ioctl rounds in 3 s", maps,
	     purges, h.ops);
	CHECK(maps > 10 && h.ops > 10, "both sides progressed");
	return 1;
}

/* The shrinker must not block behind busy areas (drop_caches runs it). */
static int c_lock_shrinker(void)
{
	struct hammer h = { .fd = area(64 * pg, NULL) };
	pthread_t t;
	double t0, worst = 0;
	int i, dc;

	CHECK(h.fd >= 0, "area");
	CHECK(amap(h.fd, 64 * pg, PROT_READ | PROT_WRITE, MAP_SHARED) != MAP_FAILED, "mmap");
	pthread_create(&t, NULL, hammer_ioctls, &h);
	for (i = 0; i < 20; i++) {
		t0 = vt_now();
		dc = open("/proc/sys/vm/drop_caches", O_WRONLY);
		if (dc >= 0) {
			if (write(dc, "2\n", 2) < 0)
				diag("  drop_caches: %s", strerror(errno));
			close(dc);
		}
		if (vt_now() - t0 > worst)
			worst = vt_now() - t0;
	}
	h.stop = 1;
	pthread_join(t, NULL);
	diag("  20 drop_caches, slowest %.3f s, %ld ioctl rounds", worst, h.ops);
	CHECK(worst < 10, "drop_caches took %.1f s", worst);
	return 1;
}

/* ---- the case table ----------------------------------------------------- */

struct tcase {
	const char *id;
	enum kind kind;
	int (*fn)(void);
	const char *desc;
};

static const struct tcase cases[] = {
	{ "node-mode", IMPROVEMENT, c_node, "/dev/ashmem is a char device, mode 0666 without ueventd" },
	{ "new-area", ABI, c_new_area, "new area: size 0, mask RWX, name dev/ashmem" },
	{ "name", ABI, c_name_roundtrip, "SET_NAME/GET_NAME round trip, GET_NAME copies only the string" },
	{ "name-long", ABI, c_name_long, "a 256-byte name is cut to 255" },
	{ "name-empty", ABI, c_name_empty, "an empty name reads back dev/ashmem; NULL is EFAULT" },
	{ "size", ABI, c_size, "SET_SIZE takes the value, GET_SIZE returns it" },
	{ "mmap-size0", ABI, c_mmap_size0, "mmap of an unsized area is EINVAL" },
	{ "mmap-len", ABI, c_mmap_len, "mmap beyond PAGE_ALIGN(size) is EINVAL" },
	{ "frozen", ABI, c_frozen, "size and name are frozen by mmap (EINVAL)" },
	{ "maps-name", ABI, c_maps_name, "maps show /dev/ashmem/<name>" },
	{ "maps-unnamed", ABI, c_maps_unnamed, "maps show /dev/ashmem when unnamed" },
	{ "pin-unmapped", ABI, c_pin_unmapped, "PIN/UNPIN/GET_PIN_STATUS before mmap are EINVAL" },
	{ "pin-initial", ABI, c_pin_initial, "all pages start pinned" },
	{ "unpin-status", ABI, c_unpin_status, "UNPIN returns 0; GET_PIN_STATUS per range" },
	{ "pin-args", ABI, c_pin_args, "pin ranges: alignment, end, 32-bit wrap, pointer args" },
	{ "pin-len0", ABI, c_len0, "len 0 means to the end" },
	{ "unpin-keeps", ABI, c_keep_data, "without pressure unpinned data stays" },
	{ "purge", ABI, c_purge, "PURGE_ALL_CACHES count, zero-fill, WAS_PURGED" },
	{ "purge-read", ABI, c_purge_read, "read() of a purged page gives zeros" },
	{ "purge-eperm", ABI, c_purge_eperm, "PURGE_ALL_CACHES needs CAP_SYS_ADMIN" },
	{ "pin-exact", IMPROVEMENT, c_pin_exact, "WAS_PURGED is page-exact (no over-report after a merge)" },
	{ "prot-mask", ABI, c_prot_mask, "SET_PROT_MASK only removes bits" },
	{ "prot-mmap", ABI, c_prot_mmap, "mmap outside the mask is EPERM" },
	{ "cve-2011-1149", ABI, c_cve_2011_1149, "CVE-2011-1149: mprotect cannot add masked bits" },
	{ "prot-not-retro", ABI, c_prot_not_retro, "the mask is not retroactive" },
	{ "read-only", IMPROVEMENT, c_read_only, "O_RDONLY: read-only MAP_SHARED is shared; PIN/UNPIN/PURGE are EBADF" },
	{ "prot-race", ABI, c_prot_race, "CVE-2011-1149 raced: mmap/mprotect vs SET_PROT_MASK" },
	{ "rie", ABI, c_rie, "READ_IMPLIES_EXEC: PROT_READ mask gains PROT_EXEC" },
	{ "rie-no-regrow", IMPROVEMENT, c_rie_no_regrow, "READ_IMPLIES_EXEC cannot re-add a removed PROT_EXEC" },
	{ "shared", ABI, c_shared, "MAP_SHARED mappings and fork share pages" },
	{ "private", ABI, c_private, "MAP_PRIVATE is private anonymous memory" },
	{ "read-seek", ABI, c_read, "read() and lseek through the backing file" },
	{ "seek-data", ABI, c_seek_data, "SEEK_DATA/SEEK_HOLE" },
	{ "write", ABI, c_write, "write() fails with EINVAL" },
	{ "enotty", ABI, c_enotty, "unknown commands are ENOTTY" },
	{ "file-id", EXTENSION, c_file_id, "GET_FILE_ID gives the backing inode" },
	{ "cve-2017-13216", ABI, c_cve_2017_13216, "CVE-2017-13216: SET_SIZE racing mmap" },
	{ "cve-2020-0009", IMPROVEMENT, c_cve_2020_0009, "CVE-2020-0009: no writable remap through the backing file" },
	{ "lock-uaccess", ABI, c_lock_uaccess, "lock order: ioctl arguments in the area's own pages" },
	{ "lock-mmap", ABI, c_lock_mmap_race, "lock order: mmap/munmap/faults vs ioctls and purges" },
	{ "lock-shrinker", ABI, c_lock_shrinker, "lock order: the shrinker does not block on busy areas" },
};
#define NCASES	(sizeof(cases) / sizeof(cases[0]))

static int run_case(const struct tcase *c)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		alarm(CASE_TIMEOUT);
		_exit(c->fn() ? 0 : 1);
	}
	st = vt_wait(pid);
	if (st != -1 && WIFSIGNALED(st))
		diag("  case %s: killed by signal %d%s", c->id, WTERMSIG(st),
		     WTERMSIG(st) == SIGALRM ? " (timeout: deadlock?)" : "");
	return vt_exited_ok(st);
}

/* ---- the side-by-side table --------------------------------------------- */

/* Result of @id in a --record file: "pass", "fail", "skip/pass"... */
static const char *lookup(const char *file, const char *id, char *buf, size_t n)
{
	char line[256], cid[64], kind[32], res[64];
	FILE *f = file ? fopen(file, "r") : NULL;

	snprintf(buf, n, "-");
	if (!f)
		return buf;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %31s %63s", cid, kind, res) == 3 &&
		    !strcmp(cid, id))
			snprintf(buf, n, "%s", res);
	fclose(f);
	return buf;
}

static int table(char **files)
{
	static const char *const cols[] = { "reference", "ref-m32", "ours", "ours-m32" };
	char r[4][64];
	unsigned int i, j;

	printf("# ashmem conformance, side by side (reference = Debian ashmem_linux.ko;\n");
	printf("# skip(...) = documented improvement or extension, with the reference's outcome)\n");
	printf("# %-15s %-12s %-13s %-13s %-8s %-8s\n", "case", "kind", cols[0],
	       cols[1], cols[2], cols[3]);
	for (i = 0; i < NCASES; i++) {
		for (j = 0; j < 4; j++)
			lookup(files[j], cases[i].id, r[j], sizeof(r[j]));
		printf("# %-15s %-12s %-13s %-13s %-8s %-8s\n", cases[i].id,
		       kind_names[cases[i].kind], r[0], r[1], r[2], r[3]);
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *record = NULL;
	FILE *rec = NULL;
	unsigned int i;

	if (argc == 6 && !strcmp(argv[1], "--table"))
		return table(argv + 2);
	if (argc == 3 && !strcmp(argv[1], "--record"))
		record = argv[2];
	vt_init();
	pg = vt_page;
	is_reference = !access("/sys/module/ashmem_linux", F_OK);
	diag("ashmem conformance (%d-bit) against %s", (int)sizeof(long) * 8,
	     is_reference ? "the reference ashmem_linux.ko" : "vrange's node");
	if (access(ASHMEM_DEV, R_OK | W_OK))
		bail_out("%s: %s", ASHMEM_DEV, strerror(errno));
	if (record)
		rec = fopen(record, "w");
	for (i = 0; i < NCASES; i++) {
		const struct tcase *c = &cases[i];
		int pass = run_case(c);
		const char *res = pass ? "pass" : "FAIL";

		if (is_reference && c->kind != ABI) {
			skip(c->kind == IMPROVEMENT ? "documented improvement" :
			     "not in the reference driver",
			     "[%s] %s: %s (reference: %s)", kind_names[c->kind],
			     c->id, c->desc, pass ? "passes" : "fails");
			res = pass ? "skip(passes)" : "skip(fails)";
		} else {
			ok(pass, "[%s] %s: %s", kind_names[c->kind], c->id, c->desc);
		}
		if (rec)
			fprintf(rec, "%s %s %s\n", c->id, kind_names[c->kind], res);
	}
	if (rec)
		fclose(rec);
	return tap_finish("ashmem_conformance");
}
