// SPDX-License-Identifier: GPL-2.0
/*
 * ashmem_bench: cost of the ashmem ABI on whatever /dev/ashmem is.
 *
 *   ashmem_bench [--record FILE]          measure, print, save "key value"
 *   ashmem_bench --compare OURS REF       side by side with ratios
 *
 * 1. UNPIN+PIN cycle on 4 KiB and 8 MiB, with 0 and 1,000 other unpinned
 *    ranges in the area (the reference keeps a list per area).
 * 2. The seeds loop through /dev/ashmem: 80 MiB in 8 MiB chunks, 20
 *    passes of pin, memset, unpin; and memset alone (the floor).
 * 3. Two processes cycling on two different areas at once vs one alone
 *    (the reference serializes every area on one global mutex).
 * Informational: not pass/fail.
 */
#include <sys/resource.h>
#include <sys/syscall.h>

#include <linux/ashmem.h>

#include "vrange_test.h"

#define MiB		(1024UL * 1024UL)
#define SEED_AREA	(80 * MiB)
#define SEED_CHUNK	(8 * MiB)
#define SEED_PASSES	20
#define PAR_CYCLES	20000

static FILE *rec;

static void result(const char *key, double v)
{
	diag("%-22s %12.1f", key, v);
	if (rec)
		fprintf(rec, "%s %.3f\n", key, v);
}

static int a_range(int fd, unsigned long cmd, size_t off, size_t len)
{
	struct ashmem_pin pin = { .offset = off, .len = len };

	return ioctl(fd, cmd, &pin);
}

static int area(size_t size, void **map)
{
	int fd = open("/dev/ashmem", O_RDWR);

	if (fd < 0 || ioctl(fd, ASHMEM_SET_SIZE, size))
		bail_out("/dev/ashmem area: %s", strerror(errno));
	*map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (*map == MAP_FAILED)
		bail_out("mmap: %s", strerror(errno));
	return fd;
}

static double null_syscall_ns(void)
{
	double best = 1e30;
	int run, i;

	for (run = 0; run < 5; run++) {
		double t0 = vt_now(), ns;

		for (i = 0; i < 200000; i++)
			syscall(SYS_getppid);
		ns = (vt_now() - t0) * 1e9 / 200000;
		if (ns < best)
			best = ns;
	}
	return best;
}

/* Best of 3 runs of @n cycles, ns per UNPIN+PIN. */
static double cycle_ns(int fd, size_t len, long n)
{
	double best = 1e30;
	int run;
	long i;

	for (run = 0; run < 3; run++) {
		double t0 = vt_now(), ns;

		for (i = 0; i < n; i++)
			if (a_range(fd, ASHMEM_UNPIN, 0, len) ||
			    a_range(fd, ASHMEM_PIN, 0, len) < 0)
				return -1;
		ns = (vt_now() - t0) * 1e9 / n;
		if (ns < best)
			best = ns;
	}
	return best;
}

static void bench_cycles(double null_ns)
{
	size_t size = 64 * MiB, others_base = 16 * MiB;
	void *map;
	int fd = area(size, &map), i;

	result("cycle_4k_ns", cycle_ns(fd, vt_page, 20000));
	result("cycle_8m_ns", cycle_ns(fd, 8 * MiB, 20000));
	for (i = 0; i < 1000; i++)
		a_range(fd, ASHMEM_UNPIN, others_base + 2 * i * vt_page, vt_page);
	result("cycle_4k_1000others_ns", cycle_ns(fd, vt_page, 5000));
	result("cycle_8m_1000others_ns", cycle_ns(fd, 8 * MiB, 5000));
	diag("4 KiB cycle = %.2f null syscalls", cycle_ns(fd, vt_page, 5000) / null_ns);
	close(fd);
	munmap(map, size);
}

static void seeds(int use_ashmem, double *elapsed, double *sys)
{
	struct rusage ru;
	double t0 = vt_now();
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		unsigned char *a;
		void *m;
		size_t off;
		int fd = -1, pass;

		if (use_ashmem) {
			fd = area(SEED_AREA, &m);
			a_range(fd, ASHMEM_UNPIN, 0, 0);
		} else {
			m = mmap(NULL, SEED_AREA, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		}
		a = m;
		for (pass = 0; pass < SEED_PASSES; pass++)
			for (off = 0; off < SEED_AREA; off += SEED_CHUNK) {
				if (fd >= 0 && a_range(fd, ASHMEM_PIN, off, SEED_CHUNK) < 0)
					_exit(5);
				memset(a + off, pass + 1, SEED_CHUNK);
				if (fd >= 0)
					a_range(fd, ASHMEM_UNPIN, off, SEED_CHUNK);
			}
		_exit(0);
	}
	while (wait4(pid, &st, 0, &ru) < 0 && errno == EINTR)
		;
	*elapsed = vt_now() - t0;
	*sys = ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static void bench_seeds(void)
{
	double e0, s0, e1, s1;

	seeds(0, &e0, &s0);
	seeds(1, &e1, &s1);
	result("seeds_floor_ms", e0 * 1e3);
	result("seeds_ashmem_ms", e1 * 1e3);
	result("seeds_ashmem_sys_ms", s1 * 1e3);
	diag("seeds loop through /dev/ashmem: %+.1f%% vs the memset floor",
	     100 * (e1 - e0) / e0);
}

/* @nproc processes, each cycling 4 KiB on its own area; seconds. */
static double parallel(int nproc)
{
	double t0;
	int i;

	t0 = vt_now();
	for (i = 0; i < nproc; i++)
		if (fork() == 0) {
			void *m;
			int fd = area(4 * vt_page, &m);
			long n;

			for (n = 0; n < PAR_CYCLES; n++)
				if (a_range(fd, ASHMEM_UNPIN, 0, vt_page) ||
				    a_range(fd, ASHMEM_PIN, 0, vt_page) < 0)
					_exit(1);
			_exit(0);
		}
	while (wait(NULL) > 0 || errno == EINTR)
		;
	return vt_now() - t0;
}

static void bench_parallel(void)
{
	double t1 = parallel(1), t2 = parallel(2);

	result("par1_cycles_per_s", PAR_CYCLES / t1);
	result("par2_cycles_per_s", 2 * PAR_CYCLES / t2);
	result("par_scaling_x100", 100 * (2 * PAR_CYCLES / t2) / (PAR_CYCLES / t1));
}

static double lookup(const char *file, const char *key)
{
	char k[64];
	double v, found = -1;
	FILE *f = fopen(file, "r");

	if (!f)
		return -1;
	while (fscanf(f, "%63s %lf", k, &v) == 2)
		if (!strcmp(k, key))
			found = v;
	fclose(f);
	return found;
}

static int compare(const char *ours, const char *ref)
{
	static const char *const keys[] = {
		"null_syscall_ns", "cycle_4k_ns", "cycle_8m_ns",
		"cycle_4k_1000others_ns", "cycle_8m_1000others_ns",
		"seeds_floor_ms", "seeds_ashmem_ms", "seeds_ashmem_sys_ms",
		"par1_cycles_per_s", "par2_cycles_per_s", "par_scaling_x100",
	};
	unsigned int i;

	diag("ashmem bench, same guest: vrange's node vs the reference ashmem_linux.ko");
	diag("%-24s %12s %12s %10s", "metric", "ours", "reference", "ours/ref");
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		double o = lookup(ours, keys[i]), r = lookup(ref, keys[i]);

		diag("%-24s %12.1f %12.1f %10.2f", keys[i], o, r, r > 0 ? o / r : 0);
	}
	return 0;
}

int main(int argc, char **argv)
{
	double null_ns;

	vt_init();
	if (argc == 4 && !strcmp(argv[1], "--compare"))
		return compare(argv[2], argv[3]);
	if (argc == 3 && !strcmp(argv[1], "--record"))
		rec = fopen(argv[2], "w");
	if (access("/dev/ashmem", R_OK | W_OK))
		bail_out("/dev/ashmem: %s", strerror(errno));
	diag("ashmem bench on %s", access("/sys/module/ashmem_linux", F_OK) ?
	     "vrange's node" : "the reference ashmem_linux.ko");
	null_ns = null_syscall_ns();
	result("null_syscall_ns", null_ns);
	bench_cycles(null_ns);
	bench_seeds();
	bench_parallel();
	if (rec)
		fclose(rec);
	printf("ok - ashmem bench completed\n");
	return 0;
}
