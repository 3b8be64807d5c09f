// SPDX-License-Identifier: GPL-2.0
/*
 * vrange_race [seconds=60]
 *
 * One 8 MB region mapped by two processes (fork after mmap). In each
 * process:
 *  - owner threads, each owning a stripe of pages, loop: pin a random
 *    sub-range, check the content against the PIN result, write a new
 *    generation, verify, and usually unpin again;
 *  - reader threads read random pages of the whole region;
 *  - a purge thread calls VRANGE_PURGE in a loop and checks that no purged
 *    page is resident.
 * The first process also drives the shrinker (drop_caches=2 runs every
 * shrinker) and VRANGE_PURGE_ALL; the second churns short-lived regions
 * (create, map, fill, unpin half, close fd and unmap in either order) so
 * that both system-wide purge paths meet regions that are being freed.
 *
 * The oracle is exact. Owners publish per page a sequence count (odd while
 * the page's pin state or content changes), the current generation and
 * whether the page is pinned, in a shared anonymous page table. A reader
 * whose read saw the same even sequence count before and after must have
 * read exactly that generation's pattern (or zeros for a never written
 * page); SIGBUS is allowed only on an unpinned page. An owner's PIN must
 * return WAS_PURGED iff some page of its range reads as zeros although it
 * had been written (or, for never written pages, at least one zero page).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "vrange_test.h"

#define REGION_MB	8
#define OWNERS_PER_PROC	2
#define READERS_PER_PROC 2
#define NSTRIPES	(2 * OWNERS_PER_PROC)
#define MAX_CHUNK	24

struct page_ctl {
	_Atomic uint32_t seq;
	_Atomic uint32_t gen;
	_Atomic uint32_t pinned;
};

enum failure {
	F_PIN_RESULT, F_OWNER_SIGNAL, F_OWNER_STATUS, F_OWNER_VERIFY,
	F_READ_DATA, F_READ_SIGBUS_PINNED, F_READ_SIGNAL, F_IOCTL,
	F_PURGED_RESIDENT, F_CHURN, NFAIL,
};

static const char *const failure_name[NFAIL] = {
	"owner PIN result vs content", "owner signal on pinned page",
	"owner GET_STATUS after PIN", "owner read-back after write",
	"reader data", "reader SIGBUS on pinned page", "reader other signal",
	"ioctl error", "purged page resident during run",
	"short-lived region",
};

struct shared {
	_Atomic int stop;
	_Atomic uint64_t owner_cycles, owner_was_purged, owner_zero_pages;
	_Atomic uint64_t reads_ok, reads_sigbus, reads_retry, reads_zero;
	_Atomic uint64_t purges, purged_pages;
	_Atomic uint64_t purge_alls, drop_caches, churn_cycles;
	_Atomic uint64_t fail_count[NFAIL];
	_Atomic int fail_claimed[NFAIL];
	char fail_msg[NFAIL][200];
};

static struct shared *sh;
static struct page_ctl *ctl;
static unsigned char *region;
static unsigned long npages, stripe_pages;
static int region_fd;

__attribute__((format(printf, 2, 3)))
static void fail(enum failure f, const char *fmt, ...)
{
	va_list ap;

	atomic_fetch_add(&sh->fail_count[f], 1);
	if (atomic_exchange(&sh->fail_claimed[f], 1))
		return;
	va_start(ap, fmt);
	vsnprintf(sh->fail_msg[f], sizeof(sh->fail_msg[f]), fmt, ap);
	va_end(ap);
}

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static bool stopping(void)
{
	return atomic_load_explicit(&sh->stop, memory_order_relaxed);
}

/* ---- owners ----------------------------------------------------------- */

static void begin_update(unsigned long first, unsigned long n)
{
	unsigned long p;

	for (p = first; p < first + n; p++)
		atomic_fetch_add(&ctl[p].seq, 1);
}

static void end_update(unsigned long first, unsigned long n)
{
	unsigned long p;

	for (p = first; p < first + n; p++)
		atomic_fetch_add(&ctl[p].seq, 1);
}

/* Check pages after PIN returned @ret; returns the number of zero pages. */
static unsigned long check_after_pin(unsigned long first, unsigned long n,
				     int ret, unsigned char *buf)
{
	unsigned long p, zeros = 0;

	for (p = first; p < first + n; p++) {
		uint32_t gen = atomic_load(&ctl[p].gen);
		int sig = vt_probe_copy(buf, region + p * vt_page, vt_page);

		if (sig) {
			fail(F_OWNER_SIGNAL, "signal %d reading page %lu right after PIN", sig, p);
			continue;
		}
		if (vt_is_zero(buf, vt_page)) {
			zeros++;
			if (gen && ret != VRANGE_WAS_PURGED)
				fail(F_PIN_RESULT, "page %lu (gen %u) reads zeros but PIN of [%lu,+%lu) returned %d",
				     p, gen, first, n, ret);
		} else if (!vt_page_matches(buf, p, gen)) {
			fail(F_PIN_RESULT, "page %lu: content is not gen %u after PIN (first word %#llx)",
			     p, gen, (unsigned long long)*(uint64_t *)buf);
		}
	}
	if (ret == VRANGE_WAS_PURGED && zeros == 0)
		fail(F_PIN_RESULT, "PIN of [%lu,+%lu) returned WAS_PURGED but no page reads zeros",
		     first, n);
	return zeros;
}

static void write_generation(unsigned long first, unsigned long n,
			     unsigned char *buf)
{
	unsigned long p;

	for (p = first; p < first + n; p++) {
		uint32_t gen = atomic_load(&ctl[p].gen) + 1;
		int sig;

		vt_fill_page(buf, p, gen);
		sig = vt_probe_copy(region + p * vt_page, buf, vt_page);
		if (sig)
			fail(F_OWNER_SIGNAL, "signal %d writing pinned page %lu", sig, p);
		else if (!vt_page_matches(region + p * vt_page, p, gen))
			fail(F_OWNER_VERIFY, "page %lu does not hold gen %u right after writing it", p, gen);
		atomic_store(&ctl[p].gen, gen);
	}
}

static void set_pinned(unsigned long first, unsigned long n, uint32_t pinned)
{
	unsigned long p;

	for (p = first; p < first + n; p++)
		atomic_store(&ctl[p].pinned, pinned);
}

static void owner_cycle(unsigned long s0, uint64_t *rs, unsigned char *buf)
{
	unsigned long n = 1 + xorshift(rs) % MAX_CHUNK;
	unsigned long first = s0 + xorshift(rs) % (stripe_pages - n + 1);
	int ret, st;

	begin_update(first, n);
	ret = vt_pin(region_fd, first, n);
	if (ret < 0)
		fail(F_IOCTL, "PIN [%lu,+%lu): %s", first, n, strerror(errno));
	set_pinned(first, n, 1);
	st = vt_status(region_fd, first, n);
	if (st != 0)
		fail(F_OWNER_STATUS, "GET_STATUS of just pinned [%lu,+%lu) is %d", first, n, st);
	atomic_fetch_add(&sh->owner_zero_pages, check_after_pin(first, n, ret, buf));
	if (ret == VRANGE_WAS_PURGED)
		atomic_fetch_add(&sh->owner_was_purged, 1);
	write_generation(first, n, buf);
	end_update(first, n);
	atomic_fetch_add(&sh->owner_cycles, 1);

	if (xorshift(rs) % 5 == 0)
		return;		/* leave it pinned for a while */
	begin_update(first, n);
	set_pinned(first, n, 0);
	if (vt_unpin(region_fd, first, n))
		fail(F_IOCTL, "UNPIN [%lu,+%lu): %s", first, n, strerror(errno));
	end_update(first, n);
}

static void *owner_thread(void *arg)
{
	unsigned long stripe = (unsigned long)arg;
	uint64_t rs = 0x9e3779b97f4a7c15ULL * (stripe + 1);
	unsigned char *buf = malloc(vt_page);

	while (!stopping())
		owner_cycle(stripe * stripe_pages, &rs, buf);
	free(buf);
	return NULL;
}

/* ---- readers ----------------------------------------------------------- */

static void read_one(unsigned long p, unsigned char *buf)
{
	uint32_t s1, s2, gen, pinned;
	int sig;

	s1 = atomic_load_explicit(&ctl[p].seq, memory_order_acquire);
	if (s1 & 1) {
		atomic_fetch_add(&sh->reads_retry, 1);
		return;
	}
	gen = atomic_load_explicit(&ctl[p].gen, memory_order_relaxed);
	pinned = atomic_load_explicit(&ctl[p].pinned, memory_order_relaxed);
	sig = vt_probe_copy(buf, region + p * vt_page, vt_page);
	atomic_thread_fence(memory_order_acquire);
	s2 = atomic_load_explicit(&ctl[p].seq, memory_order_relaxed);
	if (s1 != s2) {
		atomic_fetch_add(&sh->reads_retry, 1);
		return;
	}
	if (sig == SIGBUS) {
		if (pinned)
			fail(F_READ_SIGBUS_PINNED, "SIGBUS reading pinned page %lu (gen %u)", p, gen);
		atomic_fetch_add(&sh->reads_sigbus, 1);
		return;
	}
	if (sig) {
		fail(F_READ_SIGNAL, "signal %d reading page %lu", sig, p);
		return;
	}
	if (gen == 0 ? !vt_is_zero(buf, vt_page) : !vt_page_matches(buf, p, gen))
		fail(F_READ_DATA, "page %lu (%s, gen %u): read %s (first word %#llx)",
		     p, pinned ? "pinned" : "unpinned", gen,
		     vt_is_zero(buf, vt_page) ? "zeros" : "foreign or torn data",
		     (unsigned long long)*(uint64_t *)buf);
	else
		atomic_fetch_add(gen ? &sh->reads_ok : &sh->reads_zero, 1);
}

static void *reader_thread(void *arg)
{
	uint64_t rs = 0xdeadbeefcafef00dULL ^ ((unsigned long)arg << 17);
	unsigned char *buf = malloc(vt_page);

	while (!stopping())
		read_one(xorshift(&rs) % npages, buf);
	free(buf);
	return NULL;
}

/* ---- purger ------------------------------------------------------------ */

static void *purge_thread(void *arg)
{
	long long resident;
	int ret;

	(void)arg;
	while (!stopping()) {
		ret = ioctl(region_fd, VRANGE_PURGE);
		if (ret < 0) {
			fail(F_IOCTL, "PURGE: %s", strerror(errno));
		} else {
			atomic_fetch_add(&sh->purges, 1);
			atomic_fetch_add(&sh->purged_pages, ret);
		}
		resident = vt_purged_resident(region_fd);
		if (resident != 0)
			fail(F_PURGED_RESIDENT, "debugfs purged_resident_pages = %lld right after a purge",
			     resident);
		usleep(500);
	}
	return NULL;
}

/* ---- system-wide purges and region churn ------------------------------ */

static void *purge_all_thread(void *arg)
{
	(void)arg;
	while (!stopping()) {
		if (ioctl(region_fd, VRANGE_PURGE_ALL) < 0)
			fail(F_IOCTL, "PURGE_ALL: %s", strerror(errno));
		else
			atomic_fetch_add(&sh->purge_alls, 1);
		usleep(3000);
	}
	return NULL;
}

/* drop_caches=2 calls every shrinker with a large nr_to_scan. */
static void *shrinker_thread(void *arg)
{
	int fd;

	(void)arg;
	while (!stopping()) {
		fd = open("/proc/sys/vm/drop_caches", O_WRONLY);
		if (fd < 0)
			return NULL;
		if (write(fd, "2", 1) == 1)
			atomic_fetch_add(&sh->drop_caches, 1);
		close(fd);
		usleep(20000);
	}
	return NULL;
}

/* One short-lived region: its pinned half must survive every purge. */
static void churn_cycle(uint64_t *rs)
{
	const unsigned long n = 16;
	unsigned long p;
	bool closed_early = xorshift(rs) & 1;
	unsigned char *map;
	void *m;
	int fd;

	fd = vt_create(n * vt_page, "churn", &m);
	map = m;
	for (p = 0; p < n; p++)
		vt_fill_page(map + p * vt_page, p, 7);
	if (vt_unpin(fd, n / 2, n / 2))
		fail(F_CHURN, "UNPIN: %s", strerror(errno));
	if (closed_early)
		close(fd);
	for (p = 0; p < n / 2; p++)
		if (!vt_page_matches(map + p * vt_page, p, 7))
			fail(F_CHURN, "pinned page %lu of a short-lived region lost its data", p);
	munmap(map, n * vt_page);
	if (!closed_early)
		close(fd);
	atomic_fetch_add(&sh->churn_cycles, 1);
}

static void *churn_thread(void *arg)
{
	uint64_t rs = 0x1234567890abcdefULL;

	(void)arg;
	while (!stopping())
		churn_cycle(&rs);
	return NULL;
}

/* ---- process body ------------------------------------------------------- */

static pthread_t threads[OWNERS_PER_PROC + READERS_PER_PROC + 3];
static unsigned long nthreads;

static void join_threads(void)
{
	unsigned long i;

	for (i = 0; i < nthreads; i++)
		pthread_join(threads[i], NULL);
}

static void start_threads(int proc)
{
	pthread_t *th = threads;
	unsigned long i, n = 0;

	for (i = 0; i < OWNERS_PER_PROC; i++)
		pthread_create(&th[n++], NULL, owner_thread,
			       (void *)(i * 2 + proc));
	for (i = 0; i < READERS_PER_PROC; i++)
		pthread_create(&th[n++], NULL, reader_thread,
			       (void *)(i * 2 + proc));
	pthread_create(&th[n++], NULL, purge_thread, NULL);
	if (proc == 0) {
		pthread_create(&th[n++], NULL, purge_all_thread, NULL);
		pthread_create(&th[n++], NULL, shrinker_thread, NULL);
	} else {
		pthread_create(&th[n++], NULL, churn_thread, NULL);
	}
	nthreads = n;
}

/* ---- final checks ------------------------------------------------------- */

/*
 * After the run: per-page GET_STATUS, fdinfo and, when this region is
 * vrange's only one, the global counters must tell the same story.
 *
 * The owners are done, but in the shared mode the shrinker and other
 * tests' PURGE_ALL still turn unpinned pages into purged ones while the
 * page-by-page scan runs.  Purging only moves pages from one count to
 * the other, so the unpinned + purged sum must always match, and the
 * split must match exactly when fdinfo was the same before and after
 * the scan (no purge in between); a few tries find such a quiet scan.
 */
static bool counters_consistent(void)
{
	long long unpinned, purged, f_unp, f_pur, f_res;
	long long s_unp, s_pur, s_res, s_reg;
	long long b_unp, b_pur;
	unsigned long p;
	bool quiet, good;
	int tries = 0;

	do {
		unpinned = 0;
		purged = 0;
		b_unp = vt_fdinfo(region_fd, "vrange_unpinned_pages");
		b_pur = vt_fdinfo(region_fd, "vrange_purged_pages");
		for (p = 0; p < npages; p++) {
			int st = vt_status(region_fd, p, 1);

			if (st & VRANGE_STATUS_PURGED)
				purged++;
			else if (st & VRANGE_STATUS_UNPINNED)
				unpinned++;
		}
		f_unp = vt_fdinfo(region_fd, "vrange_unpinned_pages");
		f_pur = vt_fdinfo(region_fd, "vrange_purged_pages");
		f_res = vt_fdinfo(region_fd, "vrange_resident_pages");
		quiet = b_unp == f_unp && b_pur == f_pur;
		good = f_unp + f_pur == unpinned + purged &&
		       (!quiet || (f_unp == unpinned && f_pur == purged));
	} while (good && !quiet && ++tries < 20);
	if (good && !quiet)
		diag("no scan without a concurrent purge in %d tries: only the unpinned + purged sum was compared",
		     tries);
	s_unp = vt_stat("unpinned_pages");
	s_pur = vt_stat("purged_pages");
	s_res = vt_stat("resident_pages");
	s_reg = vt_stat("regions");
	/* The global counters are this region's only when it is alone. */
	if (!vt_shared)
		good = good && quiet && s_unp == unpinned && s_pur == purged &&
		       s_res == f_res && s_reg == 1;
	if (!good)
		diag("pages: unpinned %lld purged %lld; fdinfo %lld/%lld (before the scan %lld/%lld) resident %lld; sysfs %lld/%lld resident %lld regions %lld",
		     unpinned, purged, f_unp, f_pur, b_unp, b_pur, f_res,
		     s_unp, s_pur, s_res, s_reg);
	return good;
}

/* After the run: books vs GET_STATUS, a final purge, then PIN and verify. */
static bool final_state_ok(void)
{
	unsigned char *buf = malloc(vt_page);
	unsigned long p, bad = 0;

	for (p = 0; p < npages; p++) {
		int st = vt_status(region_fd, p, 1);
		bool pinned = atomic_load(&ctl[p].pinned) || p >= NSTRIPES * stripe_pages;

		if (pinned ? st != 0 : !(st & VRANGE_STATUS_UNPINNED)) {
			if (bad++ < 3)
				diag("page %lu: status %d but owner books say %s",
				     p, st, pinned ? "pinned" : "unpinned");
		}
	}
	vt_pin(region_fd, 0, 0);
	for (p = 0; p < npages; p++) {
		uint32_t gen = atomic_load(&ctl[p].gen);

		memcpy(buf, region + p * vt_page, vt_page);
		if (vt_is_zero(buf, vt_page) ||
		    (gen && vt_page_matches(buf, p, gen)))
			continue;
		if (bad++ < 6)
			diag("page %lu: after final PIN neither zeros nor gen %u", p, gen);
	}
	free(buf);
	return bad == 0;
}

static void report_failures(void)
{
	int f;

	for (f = 0; f < NFAIL; f++)
		if (atomic_load(&sh->fail_count[f]))
			diag("%s: %llu failures, first: %s", failure_name[f],
			     (unsigned long long)atomic_load(&sh->fail_count[f]),
			     sh->fail_msg[f]);
}

static bool no_failures(enum failure a, enum failure b)
{
	return atomic_load(&sh->fail_count[a]) == 0 &&
	       atomic_load(&sh->fail_count[b]) == 0;
}

static void report(int child_status)
{
	long long resident;
	int purged;

	report_failures();
	diag("owner cycles %llu, WAS_PURGED %llu, zero pages after PIN %llu",
	     (unsigned long long)sh->owner_cycles,
	     (unsigned long long)sh->owner_was_purged,
	     (unsigned long long)sh->owner_zero_pages);
	diag("reads: %llu pattern, %llu never-written zeros, %llu SIGBUS, %llu retried",
	     (unsigned long long)sh->reads_ok, (unsigned long long)sh->reads_zero,
	     (unsigned long long)sh->reads_sigbus,
	     (unsigned long long)sh->reads_retry);
	diag("purges %llu, pages purged %llu; PURGE_ALL %llu, drop_caches %llu, short-lived regions %llu",
	     (unsigned long long)sh->purges,
	     (unsigned long long)sh->purged_pages,
	     (unsigned long long)sh->purge_alls,
	     (unsigned long long)sh->drop_caches,
	     (unsigned long long)sh->churn_cycles);

	if (!ok(vt_exited_ok(child_status), "race: second process ran to completion"))
		vt_describe_status("second process", child_status);
	ok(sh->owner_cycles > 0 && no_failures(F_PIN_RESULT, F_OWNER_STATUS),
	   "race: every PIN result matched the pages' content (WAS_PURGED iff zeros)");
	ok(no_failures(F_OWNER_SIGNAL, F_OWNER_VERIFY),
	   "race: owners never faulted on or lost writes to pinned pages");
	ok(sh->reads_ok > 0 && no_failures(F_READ_DATA, F_READ_SIGNAL),
	   "race: readers never saw torn, stale, zeroed or foreign data");
	ok(no_failures(F_READ_SIGBUS_PINNED, F_READ_SIGBUS_PINNED),
	   "race: readers got SIGBUS only on unpinned pages");
	ok(sh->purges > 0 && sh->purged_pages > 0 && no_failures(F_IOCTL, F_IOCTL),
	   "race: purge loops purged pages and no ioctl failed");
	ok(sh->owner_was_purged > 0 && sh->reads_sigbus > 0,
	   "race: the run exercised WAS_PURGED and SIGBUS paths");
	ok(sh->churn_cycles > 0 && sh->purge_alls > 0 &&
	   no_failures(F_CHURN, F_CHURN),
	   "race: short-lived regions kept pinned data under PURGE_ALL and the shrinker");
	ok(no_failures(F_PURGED_RESIDENT, F_PURGED_RESIDENT),
	   "race: debugfs purged_resident_pages was 0 after every purge during the run");
	ok(counters_consistent(), "%s", vt_shared ?
	   "race: GET_STATUS and fdinfo counters agree after the run (sysfs not compared: shared)" :
	   "race: GET_STATUS, fdinfo and sysfs counters agree after the run");
	purged = ioctl(region_fd, VRANGE_PURGE);
	resident = vt_purged_resident(region_fd);
	if (!ok(purged >= 0 && resident == 0,
		"race: debugfs purged_resident_pages is 0 after the final purge"))
		diag("final PURGE %d, purged resident %lld", purged, resident);
	ok(final_state_ok(),
	   "race: final pin state matches the owners' books; pages hold their last data or zeros");
}

int main(int argc, char **argv)
{
	int seconds = argc > 1 ? atoi(argv[1]) : 60;
	int child_status;
	void *m;
	pid_t pid;

	vt_init();
	if (seconds <= 0)
		seconds = 60;
	npages = (REGION_MB << 20) / vt_page;
	stripe_pages = npages / NSTRIPES;
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ctl = mmap(NULL, npages * sizeof(*ctl), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED || ctl == MAP_FAILED)
		bail_out("mmap: %s", strerror(errno));
	region_fd = vt_create(npages * vt_page, "race", &m);
	region = m;
	/* Pages start pinned and zero: generation 0. */
	for (unsigned long p = 0; p < npages; p++)
		atomic_store(&ctl[p].pinned, 1);

	diag("race: %d s, %lu pages, %d owner + %d reader + 1 purge threads per process",
	     seconds, npages, OWNERS_PER_PROC, READERS_PER_PROC);
	pid = fork();
	if (pid < 0)
		bail_out("fork: %s", strerror(errno));
	if (pid == 0) {
		start_threads(1);
		join_threads();
		_exit(0);
	}
	start_threads(0);
	sleep(seconds);
	atomic_store(&sh->stop, 1);
	join_threads();
	child_status = vt_wait(pid);
	report(child_status);
	return tap_finish("vrange_race");
}
