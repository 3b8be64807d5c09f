/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared helpers for the vrange guest tests: ioctl wrappers in byte and
 * page units, region creation, sysfs/fdinfo readers and SIGBUS probes.
 *
 * Everything is static so that each test program is one translation unit
 * and unused helpers cost nothing.
 */
#ifndef VRANGE_TEST_H
#define VRANGE_TEST_H

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/ashmem.h>
#include <linux/vrange.h>

#include "tap.h"

#define VT_STATS_DIR	"/sys/class/misc/vrange/stats"

static unsigned long vt_page;		/* page size in bytes */

/*
 * VRANGE_TEST_SHARED=1 (set by the debug torture plan) says that other
 * processes use vrange at the same time and purge with PURGE_ALL and
 * memory pressure.  A check whose oracle needs vrange to itself (the
 * global counters, a PURGE count, or the content and state of unpinned
 * pages that someone else may purge) goes through ok_alone(): judged as
 * usual when alone; when shared, a failure is reported as a skip.  Every
 * other check stays judged in both modes.
 */
static int vt_shared;

__attribute__((format(printf, 2, 3)))
static inline int ok_alone(int pass, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (pass || !vt_shared)
		return ok(pass, "%s", buf);
	skip("others purge concurrently (VRANGE_TEST_SHARED)", "%s", buf);
	return 1;
}

static inline uint64_t vt_page_align(uint64_t size)
{
	return (size + vt_page - 1) & ~((uint64_t)vt_page - 1);
}

static inline int vt_open(void)
{
	return open(VRANGE_DEVICE, O_RDWR);
}

static inline int vt_set_size(int fd, uint64_t size)
{
	return ioctl(fd, VRANGE_SET_SIZE, &size);
}

/* Returns the size, or (uint64_t)-1 with errno set. */
static inline uint64_t vt_get_size(int fd)
{
	uint64_t size = 0;

	if (ioctl(fd, VRANGE_GET_SIZE, &size))
		return (uint64_t)-1;
	return size;
}

/* Copies @name into a full VRANGE_NAME_LEN buffer, as the ABI requires. */
static inline int vt_set_name(int fd, const char *name)
{
	char buf[VRANGE_NAME_LEN];

	memset(buf, 0, sizeof(buf));
	strncpy(buf, name, sizeof(buf) - 1);
	return ioctl(fd, VRANGE_SET_NAME, buf);
}

static inline int vt_get_name(int fd, char buf[VRANGE_NAME_LEN])
{
	memset(buf, 0x7f, VRANGE_NAME_LEN);
	return ioctl(fd, VRANGE_GET_NAME, buf);
}

/* PIN/UNPIN/GET_STATUS on a byte range. */
static inline int vt_range(int fd, unsigned long cmd, uint64_t off,
			   uint64_t len)
{
	struct vrange_range r = { .offset = off, .len = len };

	return ioctl(fd, cmd, &r);
}

/* Same, in page units. */
static inline int vt_prange(int fd, unsigned long cmd, uint64_t first,
			    uint64_t npages)
{
	return vt_range(fd, cmd, first * vt_page, npages * vt_page);
}

#define vt_pin(fd, first, n)	vt_prange(fd, VRANGE_PIN, first, n)
#define vt_unpin(fd, first, n)	vt_prange(fd, VRANGE_UNPIN, first, n)
#define vt_status(fd, first, n)	vt_prange(fd, VRANGE_GET_STATUS, first, n)

static inline void *vt_map(int fd, uint64_t len, uint64_t off)
{
	return mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, off);
}

/*
 * Open, size, optionally name and map a whole region. Returns the fd and
 * stores the mapping in *@map; bails out on failure since every caller
 * needs a working region to continue.
 */
static inline int vt_create(uint64_t size, const char *name, void **map)
{
	int fd = vt_open();

	if (fd < 0)
		bail_out("open %s: %s", VRANGE_DEVICE, strerror(errno));
	if (vt_set_size(fd, size))
		bail_out("VRANGE_SET_SIZE %llu: %s",
			 (unsigned long long)size, strerror(errno));
	if (name && vt_set_name(fd, name))
		bail_out("VRANGE_SET_NAME %s: %s", name, strerror(errno));
	*map = vt_map(fd, vt_page_align(size), 0);
	if (*map == MAP_FAILED)
		bail_out("mmap region of %llu bytes: %s",
			 (unsigned long long)size, strerror(errno));
	return fd;
}

/*
 * Regenerable cache held three ways, for the reference rows of the
 * pressure tests: a vrange region, private anonymous memory given up with
 * MADV_FREE, or a /dev/ashmem area (ASHMEM_UNPIN).
 */
enum vt_cache_kind { VT_CACHE_VRANGE, VT_CACHE_MADV_FREE, VT_CACHE_ASHMEM };

static const char *const vt_cache_names[] = { "vrange", "madv_free", "ashmem" };

/* The kind named @name, or -1. */
static inline int vt_cache_kind(const char *name)
{
	int k;

	for (k = 0; k < 3; k++)
		if (!strcmp(name, vt_cache_names[k]))
			return k;
	return -1;
}

/* @size bytes of cache of @kind at *@map; returns its fd (-1: none). */
static inline int vt_cache_create(int kind, uint64_t size, const char *name,
				  unsigned char **map)
{
	int fd = -1;

	if (kind == VT_CACHE_VRANGE)
		return vt_create(size, name, (void **)map);
	if (kind == VT_CACHE_ASHMEM) {
		fd = open("/dev/ashmem", O_RDWR);
		if (fd < 0 || ioctl(fd, ASHMEM_SET_SIZE, (size_t)size))
			bail_out("/dev/ashmem of %llu bytes: %s",
				 (unsigned long long)size, strerror(errno));
	}
	/* NORESERVE keeps anonymous cache from merging with a neighbour. */
	*map = mmap(NULL, size, PROT_READ | PROT_WRITE,
		    fd < 0 ? MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE :
			     MAP_SHARED, fd, 0);
	if (*map == MAP_FAILED)
		bail_out("%s cache of %llu bytes: %s", vt_cache_names[kind],
			 (unsigned long long)size, strerror(errno));
	if (fd < 0)
		madvise(*map, size, MADV_NOHUGEPAGE);
	return fd;
}

/* Give up [off, off + len) of the cache: unpin, or MADV_FREE. */
static inline void vt_cache_unpin(int kind, int fd, unsigned char *map,
				  uint64_t off, uint64_t len)
{
	struct ashmem_pin pin = { .offset = off, .len = len };
	int err;

	if (kind == VT_CACHE_VRANGE)
		err = vt_range(fd, VRANGE_UNPIN, off, len);
	else if (kind == VT_CACHE_ASHMEM)
		err = ioctl(fd, ASHMEM_UNPIN, &pin) < 0;
	else
		err = madvise(map + off, len, MADV_FREE);
	if (err)
		bail_out("%s: unpin %llu+%llu: %s", vt_cache_names[kind],
			 (unsigned long long)off, (unsigned long long)len,
			 strerror(errno));
}

/* Read one decimal number from a file; -1 on any error. */
#define VT_BOOT_ID_FILE	"/proc/sys/kernel/random/boot_id"

/*
 * The boot id as libcutils reads it (android::base::ReadFileToString,
 * then Trim), written here apart from lib/ashmem.c so that the tests
 * check the library against their own reading.  0, or -1 with errno.
 */
static inline int vt_read_boot_id(char *id, size_t len)
{
	size_t n = 0, start = 0;
	ssize_t r = 0;
	int fd = open(VT_BOOT_ID_FILE, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while (n < len - 1 && (r = read(fd, id + n, len - 1 - n)) > 0)
		n += r;
	close(fd);
	if (r < 0)
		return -1;
	while (n > 0 && isspace((unsigned char)id[n - 1]))
		n--;
	id[n] = '\0';
	while (isspace((unsigned char)id[start]))
		start++;
	memmove(id, id + start, n - start + 1);
	return 0;
}

static inline long long vt_read_number(const char *path)
{
	long long v = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	if (fscanf(f, "%lld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

static inline long long vt_stat(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), VT_STATS_DIR "/%s", name);
	return vt_read_number(path);
}

/* Value of "@key:\t..." in /proc/self/fdinfo/@fd as a string; 0 if found. */
static inline int vt_fdinfo_str(int fd, const char *key, char *out,
				size_t outlen)
{
	char path[64], line[512];
	size_t klen = strlen(key);
	int found = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, klen) || line[klen] != ':')
			continue;
		char *v = line + klen + 1;

		while (*v == '\t' || *v == ' ')
			v++;
		klen = strcspn(v, "\n");
		if (klen >= outlen)
			klen = outlen - 1;
		memcpy(out, v, klen);
		out[klen] = 0;
		found = 0;
		break;
	}
	fclose(f);
	return found;
}

/* Numeric fdinfo field; -1 if missing. */
static inline long long vt_fdinfo(int fd, const char *key)
{
	char buf[64];

	if (vt_fdinfo_str(fd, key, buf, sizeof(buf)))
		return -1;
	return strtoll(buf, NULL, 10);
}

#define VT_PURGED_RESIDENT	"/sys/kernel/debug/vrange/purged_resident_pages"

/*
 * Pages of @fd's purged ranges still in the page cache (must be 0), from
 * the root-only debugfs file that lists "<vrange_id>\t<pages>" for every
 * mapped region; -1 if it cannot be read or does not list the region.
 */
static inline long long vt_purged_resident(int fd)
{
	long long id = vt_fdinfo(fd, "vrange_id"), rid, pages = -1, p;
	FILE *f;

	if (id < 0)
		return -1;
	f = fopen(VT_PURGED_RESIDENT, "r");
	if (!f)
		return -1;
	while (fscanf(f, "%lld %lld", &rid, &p) == 2) {
		if (rid == id) {
			pages = p;
			break;
		}
	}
	fclose(f);
	return pages;
}

/* ---- small /proc and /sys writes ------------------------------------ */

/* Write @value to @path in one write(); 0 on success, -1 otherwise. */
static inline int vt_write_file(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, value, strlen(value));
	close(fd);
	return n == (ssize_t)strlen(value) ? 0 : -1;
}

#define VT_PARAMS_DIR	"/sys/module/vrange/parameters/"

/* Set module parameter @name (max_ranges...) or bail out. */
static inline void vt_set_param(const char *name, long long v)
{
	char path[128], buf[32];

	snprintf(path, sizeof(path), VT_PARAMS_DIR "%s", name);
	snprintf(buf, sizeof(buf), "%lld", v);
	if (vt_write_file(path, buf))
		bail_out("%s: %s", path, strerror(errno));
}

/*
 * Wait up to 60 s for the "ranges" counter to come down to @target (a
 * large closed region's nodes are freed by a worker); returns its value.
 */
static inline long long vt_wait_ranges(long long target)
{
	struct timespec ten_ms = { 0, 10 * 1000 * 1000 };
	long long n;
	int i;

	for (i = 0; (n = vt_stat("ranges")) > target && i < 6000; i++)
		nanosleep(&ten_ms, NULL);
	return n;
}

/* Best effort: a test that cannot set it still runs. */
static inline void vt_set_oom_score_adj(int adj)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%d\n", adj);
	vt_write_file("/proc/self/oom_score_adj", buf);
}

/* ---- kernel log ------------------------------------------------------ */

/*
 * The number after "KEY<sep>" at the start of a line of @path: sep ':'
 * for /proc/meminfo, ' ' for /proc/vmstat and cgroup files such as
 * memory.events.  -1 if missing.
 */
static inline long long vt_file_value(const char *path, const char *key,
				      char sep)
{
	char line[256];
	long long v = -1;
	size_t klen = strlen(key);
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, klen) && line[klen] == sep)
			v = strtoll(line + klen + 1, NULL, 10);
	fclose(f);
	return v;
}

#define vt_meminfo_kb(key)	vt_file_value("/proc/meminfo", key, ':')

/*
 * A hog's size in MB: a number, or "avail-N", N MB less than MemAvailable
 * now (0 if that is not positive).  What a guest leaves to user space
 * differs by kernel and by boot: in the same 272 MB guest a 150 MB hog fits
 * on 6.12 with room to spare and is OOM-killed one boot in three on 7.2
 * with no region at all, so a size meant to need most of the unpinned
 * memory is taken from the guest's own figure.
 */
static inline size_t vt_parse_mb(const char *arg)
{
	long long avail_mb;

	if (strncmp(arg, "avail-", 6))
		return strtoul(arg, NULL, 0);
	avail_mb = vt_meminfo_kb("MemAvailable") / 1024;
	avail_mb -= strtoll(arg + 6, NULL, 0);
	return avail_mb > 0 ? avail_mb : 0;
}

/* A hog's memory: one anonymous mapping, every page written in order. */
static inline unsigned char *vt_touch_anon(size_t bytes)
{
	unsigned char *p;
	size_t off;

	p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	for (off = 0; off < bytes; off += vt_page)
		p[off] = 1;
	return p;
}

/* /dev/kmsg positioned after the records already there, or -1. */
static inline int vt_kmsg_open_at_end(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

/* Count (and print a few of) new kernel records naming the OOM killer. */
static inline int vt_kmsg_count_oom(int fd)
{
	char rec[8192];
	int hits = 0;
	ssize_t n;

	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* overwritten records: skip ahead */
		if (n <= 0)
			break;
		rec[n] = 0;
		if (strstr(rec, "Out of memory") || strstr(rec, "oom-kill") ||
		    strstr(rec, "invoked oom-killer")) {
			char *msg = strchr(rec, ';');

			msg = msg ? msg + 1 : rec;
			msg[strcspn(msg, "\n")] = 0;
			if (hits++ < 6)
				diag("kernel: %s", msg);
		}
	}
	return hits;
}

/* ---- signal probes --------------------------------------------------- */

static __thread sigjmp_buf vt_jmp;
static __thread volatile sig_atomic_t vt_armed;
static __thread volatile sig_atomic_t vt_caught;

static void vt_fault_handler(int sig, siginfo_t *si, void *uc)
{
	(void)si;
	(void)uc;
	if (!vt_armed) {
		/* Not expected here: die of it on return. */
		signal(sig, SIG_DFL);
		return;
	}
	vt_armed = 0;
	vt_caught = sig;
	siglongjmp(vt_jmp, 1);
}

static inline void vt_install_fault_handlers(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = vt_fault_handler;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
}

/*
 * Copy @len bytes from @src to @dst (either may be the mapping) and return
 * the signal the access raised (SIGBUS, SIGSEGV) or 0.
 */
static inline int vt_probe_copy(void *dst, const void *src, size_t len)
{
	if (sigsetjmp(vt_jmp, 1))
		return vt_caught;
	vt_caught = 0;
	vt_armed = 1;
	memcpy(dst, src, len);
	__asm__ __volatile__("" ::: "memory");
	vt_armed = 0;
	return 0;
}

static inline int vt_probe_read(const void *addr, unsigned char *val)
{
	return vt_probe_copy(val, addr, 1);
}

static inline int vt_probe_write(void *addr, unsigned char val)
{
	return vt_probe_copy(addr, &val, 1);
}

/* ---- data patterns ----------------------------------------------------- */

/* Word @i of page @pg in generation @gen; never zero. */
static inline uint64_t vt_word(uint64_t pg, uint64_t gen, uint64_t i)
{
	return (0xa5ULL << 56) ^ (pg << 32) ^ (gen << 12) ^ i ^ 0x800;
}

static inline void vt_fill_page(void *p, uint64_t pg, uint64_t gen)
{
	uint64_t *w = p;
	size_t i;

	for (i = 0; i < vt_page / 8; i++)
		w[i] = vt_word(pg, gen, i);
}

static inline int vt_page_matches(const void *p, uint64_t pg, uint64_t gen)
{
	const uint64_t *w = p;
	size_t i;

	for (i = 0; i < vt_page / 8; i++)
		if (w[i] != vt_word(pg, gen, i))
			return 0;
	return 1;
}

static inline int vt_is_zero(const void *p, size_t len)
{
	const unsigned char *c = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (c[i])
			return 0;
	return 1;
}

/* Fill pages [@first, @first + @n) of @map with generation @gen. */
static inline void vt_fill_pages(unsigned char *map, unsigned int first,
				 unsigned int n, unsigned int gen)
{
	unsigned int p;

	for (p = first; p < first + n; p++)
		vt_fill_page(map + p * vt_page, p, gen);
}

/* Those pages hold generation @gen, and reading them raises no signal. */
static inline int vt_pages_match(const unsigned char *map, unsigned int first,
				 unsigned int n, unsigned int gen)
{
	static unsigned char buf[65536];
	unsigned int p;

	for (p = first; p < first + n; p++)
		if (vt_probe_copy(buf, map + p * vt_page, vt_page) ||
		    !vt_page_matches(buf, p, gen))
			return 0;
	return 1;
}

/* ---- descriptor passing --------------------------------------------- */

/* Send @fd over the UNIX socket @sock (SCM_RIGHTS); 0 or -1. */
static inline int vt_send_fd(int sock, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	char dummy = 'F';
	struct iovec iov = { .iov_base = &dummy, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);

	memset(cbuf, 0, sizeof(cbuf));
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

/* A descriptor received over @sock, or -1. */
static inline int vt_recv_fd(int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	char dummy;
	struct iovec iov = { .iov_base = &dummy, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm;
	int fd;

	if (recvmsg(sock, &msg, 0) != 1)
		return -1;
	cm = CMSG_FIRSTHDR(&msg);
	if (!cm || cm->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

/*
 * fork() with a UNIX stream socket between parent and child: *@sock is
 * this side's end, in both.  Returns what fork() returned.
 */
static inline pid_t vt_fork_socket(int *sock)
{
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		bail_out("socketpair: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		bail_out("fork: %s", strerror(errno));
	close(sv[pid ? 1 : 0]);
	*sock = sv[pid ? 0 : 1];
	return pid;
}

/* ---- misc -------------------------------------------------------------- */

static inline double vt_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Wait for @pid; returns the raw wait status or -1. */
static inline int vt_wait(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return status;
}

static inline int vt_exited_ok(int status)
{
	return status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static inline int vt_describe_status(const char *who, int status)
{
	if (status == -1)
		diag("%s: wait failed: %s", who, strerror(errno));
	else if (WIFEXITED(status))
		diag("%s: exited with status %d", who, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		diag("%s: killed by signal %d (%s)", who, WTERMSIG(status),
		     strsignal(WTERMSIG(status)));
	return 0;
}

/* Pathname field of the /proc/self/maps line that starts at @addr. */
static inline int vt_maps_path(const void *addr, char *out, size_t outlen)
{
	char line[1024];
	int found = -1;
	FILE *f = fopen("/proc/self/maps", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long start;
		int pos = 0;

		if (sscanf(line, "%lx-%*x %*s %*x %*x:%*x %*u %n",
			   &start, &pos) < 1 || start != (unsigned long)addr)
			continue;
		line[strcspn(line, "\n")] = 0;
		snprintf(out, outlen, "%s", pos ? line + pos : "");
		found = 0;
		break;
	}
	fclose(f);
	return found;
}

/* ---- purge classes (issue 10) ------------------------------------------ */

/* Pages of one reclaim chunk (2 MiB), the shrinker's unit of a purge. */
#define VT_CHUNK_PAGES	((2UL << 20) / vt_page)

/* VRANGE_UNPIN_CLASS on pages [@first, @first + @n). */
static inline int vt_unpin_class(int fd, uint64_t first, uint64_t n,
				 uint32_t purge_class, uint32_t flags)
{
	struct vrange_unpin_args a = {
		.offset = first * vt_page,
		.len = n * vt_page,
		.purge_class = purge_class,
		.flags = flags,
	};

	return ioctl(fd, VRANGE_UNPIN_CLASS, &a);
}

/* VRANGE_GET_PURGE_INFO; all fields -1 on failure. */
static inline struct vrange_purge_info vt_purge_info(int fd)
{
	struct vrange_purge_info pi;

	if (ioctl(fd, VRANGE_GET_PURGE_INFO, &pi))
		memset(&pi, 0xff, sizeof(pi));
	return pi;
}

/* Join a fresh cgroup @cg (cgroup v2) with memory.max @limit_mb, no swap. */
static inline void vt_join_limited_cgroup(const char *cg,
					  unsigned long limit_mb)
{
	char path[160], buf[32];

	vt_write_file("/sys/fs/cgroup/cgroup.subtree_control", "+memory");
	rmdir(cg);
	if (mkdir(cg, 0755) && errno != EEXIST)
		bail_out("mkdir %s: %s", cg, strerror(errno));
	snprintf(path, sizeof(path), "%s/memory.max", cg);
	snprintf(buf, sizeof(buf), "%luM", limit_mb);
	if (vt_write_file(path, buf))
		bail_out("%s: %s", path, strerror(errno));
	snprintf(path, sizeof(path), "%s/memory.swap.max", cg);
	vt_write_file(path, "0");
	snprintf(path, sizeof(path), "%s/cgroup.procs", cg);
	if (vt_write_file(path, "0"))
		bail_out("joining %s: %s", cg, strerror(errno));
}

/* Back to the root cgroup, and remove @cg. */
static inline void vt_leave_cgroup(const char *cg)
{
	vt_write_file("/sys/fs/cgroup/cgroup.procs", "0");
	rmdir(cg);
}

static inline void vt_init(void)
{
	tap_init();
	vt_page = sysconf(_SC_PAGESIZE);
	vt_shared = getenv("VRANGE_TEST_SHARED") != NULL;
	vt_install_fault_handlers();
}

#endif /* VRANGE_TEST_H */
