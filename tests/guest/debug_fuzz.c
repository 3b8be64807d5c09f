// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl fuzzer for /dev/vrange and /dev/ashmem (debug-kernel lane, plan
 * debug-fuzz): threads issue random commands (known ones, the right magic
 * with random numbers and sizes, random words) with random arguments
 * (sane and insane sizes, offsets and lengths, NULL, kernel and unmapped
 * pointers, buffers that run into a PROT_NONE page), mmap/touch/munmap the
 * regions and poll() them for POLLPRI (the purge notification) while
 * other threads purge them, and one thread keeps closing and reopening
 * the descriptors.  VRANGE_UNPIN_CLASS also gets argument structs of its
 * own: mostly valid, with a bad class, flag bit or reserved word now and
 * then.
 * Meanwhile one more thread drives regions of its own to the bound on
 * interval nodes and back: a huge region (64 TiB on /dev/vrange, 1 GiB on
 * /dev/ashmem), every other page unpinned until ENOSPC, a pin of whole
 * intervals (which must work at the bound), sometimes VRANGE_PURGE of all
 * of them, then the close that frees them in the kernel's worker.
 * Return values are not checked: the kernel log is (KASAN, lockdep...).
 * With -u the fuzzer first drops to that uid (and gid), so the paths an
 * unprivileged user reaches (CAP_SYS_ADMIN refused) get their own run.
 *
 *   debug_fuzz [-u uid] [calls (1000000)] [threads (4)] [seed]
 *
 * Prints "ok - ..." with the number of calls and the time taken.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/ashmem.h>
#include <linux/vrange.h>

#define NFD 8
#define PAGE 4096UL

static atomic_int fds[NFD];
static atomic_long calls, maps, reopens;
static atomic_long bound_fills, bound_hits, bound_pin_fails;
static long target;
static atomic_int stop;
static char *guard;	/* one RW page followed by a PROT_NONE page */

static __thread uint64_t rng;
static __thread sigjmp_buf jb;
static __thread volatile int in_touch;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static const unsigned long known[] = {
	VRANGE_SET_SIZE, VRANGE_GET_SIZE, VRANGE_SET_NAME, VRANGE_GET_NAME,
	VRANGE_PIN, VRANGE_UNPIN, VRANGE_GET_STATUS, VRANGE_PURGE,
	VRANGE_PURGE_ALL, VRANGE_UNPIN_CLASS, VRANGE_GET_PURGE_INFO,
	ASHMEM_SET_NAME, ASHMEM_GET_NAME, ASHMEM_SET_SIZE,
	ASHMEM_GET_SIZE, ASHMEM_SET_PROT_MASK, ASHMEM_GET_PROT_MASK,
	ASHMEM_PIN, ASHMEM_UNPIN, ASHMEM_GET_PIN_STATUS,
	ASHMEM_PURGE_ALL_CACHES, ASHMEM_GET_FILE_ID,
};
#define NKNOWN (sizeof(known) / sizeof(known[0]))

/* A size, offset or length: mostly small page multiples, sometimes odd. */
static uint64_t rsize(void)
{
	switch (rnd() % 8) {
	case 0: return 0;
	case 1: return rnd();
	case 2: return (rnd() % 64) * PAGE + rnd() % 3;
	case 3: return -(uint64_t)(rnd() % (2 * PAGE));
	case 4: return 1ULL << (rnd() % 64);
	default: return (rnd() % 32) * PAGE;
	}
}

static unsigned long rcmd(void)
{
	unsigned int nr = rnd() % 16, sz = rnd() % 300;

	switch (rnd() % 6) {
	case 0: return _IOC(rnd() % 4, VRANGE_IOC_MAGIC, nr, sz);
	case 1: return _IOC(rnd() % 4, __ASHMEMIOC, nr, sz);
	case 2: return (unsigned long)rnd();
	default: return known[rnd() % NKNOWN];
	}
}

static unsigned long rarg(uint64_t *buf)
{
	int i;

	switch (rnd() % 10) {
	case 0: return 0;
	case 1: return (unsigned long)rsize();	/* a value, not a pointer */
	case 2: return 0xffff888000000000UL + (rnd() % (1 << 20)) * 8;
	case 3: return 0x10000UL + rnd() % PAGE;	/* unmapped */
	case 4: return (unsigned long)(guard + PAGE - rnd() % 24);
	default:
		for (i = 0; i < 32; i++)
			buf[i] = rsize();
		if (rnd() % 4 == 0)	/* a name: sometimes unterminated */
			memset(buf, 'a' + rnd() % 26, 256);
		return (unsigned long)buf;
	}
}

/* Mostly valid VRANGE_UNPIN_CLASS arguments, each field sometimes not. */
static unsigned long unpin_class_arg(uint64_t *buf)
{
	struct vrange_unpin_args *a = (struct vrange_unpin_args *)buf;

	memset(a, 0, sizeof(*a));
	a->offset = rnd() % 4 ? (rnd() % 32) * PAGE : rsize();
	a->len = rnd() % 4 ? (rnd() % 32) * PAGE : rsize();
	a->purge_class = rnd() % 8 ? rnd() % VRANGE_NR_CLASSES :
				     (unsigned int)rnd();
	a->flags = rnd() % 2 ? VRANGE_UNPIN_WHOLE : 0;
	if (rnd() % 8 == 0)
		a->flags |= 1u << (rnd() % 32);
	if (rnd() % 8 == 0)
		a->reserved[rnd() % 2] = rnd() | 1;
	return (unsigned long)a;
}

/* poll() a few descriptors for POLLPRI (and more), briefly. */
static void poll_some(void)
{
	struct pollfd p[3];
	int i;

	for (i = 0; i < 3; i++) {
		p[i].fd = atomic_load(&fds[rnd() % NFD]);
		p[i].events = rnd() % 2 ? POLLPRI : POLLPRI | POLLIN | POLLOUT;
	}
	poll(p, 1 + rnd() % 3, rnd() % 4 ? 0 : 1 + rnd() % 3);
}

static void on_fault(int sig)
{
	(void)sig;
	if (in_touch)
		siglongjmp(jb, 1);
	_exit(99);
}

static void map_touch(int fd)
{
	size_t len = (1 + rnd() % 16) * PAGE;
	off_t off = (rnd() % 4) * PAGE;
	volatile int prot = rnd() % 3 ? PROT_READ | PROT_WRITE : PROT_READ;
	char *p = mmap(NULL, len, prot, MAP_SHARED, fd, off);
	size_t i;

	if (p == MAP_FAILED)
		return;
	atomic_fetch_add(&maps, 1);
	in_touch = 1;
	if (!sigsetjmp(jb, 1)) {
		for (i = 0; i < len; i += PAGE) {
			if (prot & PROT_WRITE)
				p[i] = (char)i;
			else
				(void)*(volatile char *)(p + i);
		}
	}
	in_touch = 0;
	if (rnd() % 2)
		madvise(p, len, rnd() % 2 ? MADV_DONTNEED : MADV_REMOVE);
	munmap(p, len);
}

static int open_one(void)
{
	return open(rnd() % 2 ? "/dev/vrange" : "/dev/ashmem", O_RDWR);
}

static void *worker(void *arg)
{
	uint64_t buf[512];

	rng = (uintptr_t)arg * 0x9e3779b97f4a7c15ULL + 1;
	while (!atomic_load(&stop)) {
		int fd = atomic_load(&fds[rnd() % NFD]);

		if (rnd() % 64 == 0) {
			map_touch(fd);
			continue;
		}
		if (rnd() % 32 == 0) {
			poll_some();
			continue;
		}
		if (rnd() % 16 == 0)
			ioctl(fd, VRANGE_UNPIN_CLASS, unpin_class_arg(buf));
		else
			ioctl(fd, rcmd(), rarg(buf));
		if (atomic_fetch_add(&calls, 1) + 1 >= target)
			atomic_store(&stop, 1);
	}
	return NULL;
}

/* Close and reopen descriptors under the workers' feet. */
static void *closer(void *arg)
{
	struct timespec ts = { 0, 200000 };

	rng = (uintptr_t)arg + 7;
	while (!atomic_load(&stop)) {
		int i = rnd() % NFD, old, fd = open_one();

		old = atomic_exchange(&fds[i], fd);
		if (old >= 0)
			close(old);
		atomic_fetch_add(&reopens, 1);
		nanosleep(&ts, NULL);
	}
	return NULL;
}

/* One region to the bound and back; its close frees what it held. */
static void fill_to_bound(int ashmem)
{
	uint64_t size = ashmem ? 1ULL << 30 : 64ULL << 40, p;
	int fd = open(ashmem ? "/dev/ashmem" : "/dev/vrange", O_RDWR);
	void *map = MAP_FAILED;
	struct ashmem_pin ap;
	struct vrange_range r;
	long n;

	if (fd < 0)
		return;
	if (ashmem ? ioctl(fd, ASHMEM_SET_SIZE, (size_t)size) :
		     ioctl(fd, VRANGE_SET_SIZE, &size))
		goto out;
	map = mmap(NULL, size, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_NORESERVE, fd, 0);
	if (map == MAP_FAILED)
		goto out;
	atomic_fetch_add(&bound_fills, 1);
	for (p = 0, n = 0; p < size / PAGE && n < 2000000; p += 2, n++) {
		ap = (struct ashmem_pin){ p * PAGE, PAGE };
		r = (struct vrange_range){ p * PAGE, PAGE };
		if (ioctl(fd, ashmem ? ASHMEM_UNPIN : VRANGE_UNPIN,
			  ashmem ? (void *)&ap : (void *)&r)) {
			if (errno == ENOSPC)
				atomic_fetch_add(&bound_hits, 1);
			break;
		}
	}
	/* Back: the first half's intervals, whole, pinned at the bound. */
	ap = (struct ashmem_pin){ 0, p / 2 * PAGE };
	r = (struct vrange_range){ 0, p / 2 * PAGE };
	if (p > 2 && ioctl(fd, ashmem ? ASHMEM_PIN : VRANGE_PIN,
			   ashmem ? (void *)&ap : (void *)&r) < 0)
		atomic_fetch_add(&bound_pin_fails, 1);
	if (!ashmem && rnd() % 4 == 0)
		ioctl(fd, VRANGE_PURGE);
out:
	if (map != MAP_FAILED)
		munmap(map, size);
	close(fd);
}

static void *filler(void *arg)
{
	rng = (uintptr_t)arg + 11;
	do
		fill_to_bound(rnd() % 2);
	while (!atomic_load(&stop));
	return NULL;
}

/* Become @uid for good; the devices are mode 0666. */
static int drop_privileges(uid_t uid)
{
	gid_t gid = uid;

	if (setgroups(0, NULL) || setresgid(gid, gid, gid) ||
	    setresuid(uid, uid, uid))
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	int nthr = 4, i, opt;
	pthread_t th[64], ct, ft;
	struct timespec t0, t1;
	struct sigaction sa;
	long uid = -1;
	double secs;

	while ((opt = getopt(argc, argv, "u:")) != -1) {
		if (opt != 'u') {
			printf("not ok - debug_fuzz: usage: %s [-u uid] [calls] [threads] [seed]\n",
			       argv[0]);
			return 2;
		}
		uid = atol(optarg);
	}
	argc -= optind - 1;
	argv += optind - 1;
	if (argc > 2)
		nthr = atoi(argv[2]);
	target = argc > 1 ? atol(argv[1]) : 1000000;
	rng = argc > 3 ? strtoull(argv[3], NULL, 0) : (uint64_t)time(NULL);
	if (nthr < 1 || nthr > 64)
		nthr = 4;
	if (uid >= 0 && drop_privileges(uid)) {
		printf("not ok - debug_fuzz: cannot become uid %ld (%s)\n", uid,
		       strerror(errno));
		return 1;
	}
	printf("# debug_fuzz: %ld calls, %d threads, seed %llu, uid %d\n",
	       target, nthr, (unsigned long long)rng, (int)geteuid());
	fflush(stdout);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fault;
	sa.sa_flags = SA_NODEFER;
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	guard = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (guard == MAP_FAILED || mprotect(guard + PAGE, PAGE, PROT_NONE)) {
		printf("not ok - debug_fuzz: guard page\n");
		return 1;
	}
	memset(guard, 'x', PAGE);
	for (i = 0; i < NFD; i++)
		fds[i] = open_one();
	if (fds[0] < 0 && fds[1] < 0) {
		printf("not ok - debug_fuzz: cannot open the devices (%s)\n",
		       strerror(errno));
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pthread_create(&ct, NULL, closer, (void *)(uintptr_t)rng);
	pthread_create(&ft, NULL, filler, (void *)(uintptr_t)rng);
	for (i = 0; i < nthr; i++)
		pthread_create(&th[i], NULL, worker,
			       (void *)(uintptr_t)(rng + i + 1));
	for (i = 0; i < nthr; i++)
		pthread_join(th[i], NULL);
	atomic_store(&stop, 1);
	pthread_join(ct, NULL);
	pthread_join(ft, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	for (i = 0; i < NFD; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("ok - debug_fuzz: %ld ioctl calls as uid %d, %ld mmaps, %ld reopens in %.1f s\n",
	       atomic_load(&calls), (int)geteuid(), atomic_load(&maps),
	       atomic_load(&reopens), secs);
	printf("%sok - debug_fuzz: %ld huge regions, %ld filled to ENOSPC, %ld whole-interval pins failed there\n",
	       atomic_load(&bound_hits) && !atomic_load(&bound_pin_fails) ?
	       "" : "not ", atomic_load(&bound_fills),
	       atomic_load(&bound_hits), atomic_load(&bound_pin_fails));
	return 0;
}
