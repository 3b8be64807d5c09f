// SPDX-License-Identifier: GPL-2.0
/*
 * vrange_pin_purge [seconds=20]
 *
 * A PIN that meets a purge in flight.  The shrinker marks a chunk purged
 * with the region locked, then frees its pages with the lock dropped, so
 * that other reclaimers and faults need not wait.  A PIN of those pages
 * in between must not return before they are gone: otherwise what the
 * application writes after its PIN lands in pages the purge then frees,
 * and comes back as zeros.
 *
 * Two children write 2 to drop_caches in a loop (every shrinker, two
 * reclaimers at once).  This process unpins its whole region, waits a
 * little, pins it, writes a new generation into every page and checks
 * every page twice: right away and after a pause.  A page that lost its
 * write, or a PIN that reports NOT_PURGED over zeroed pages, fails.
 */
#include "vrange_test.h"

#define REGION_MB	32
#define DROPPERS	2

static uint64_t *word(unsigned char *map, uint64_t pg)
{
	return (uint64_t *)(map + pg * vt_page);
}

static void dropper(double until)
{
	int fd;

	while (vt_now() < until) {
		fd = open("/proc/sys/vm/drop_caches", O_WRONLY);
		if (fd < 0)
			_exit(1);
		if (write(fd, "2", 1) != 1)
			_exit(1);
		close(fd);
	}
	_exit(0);
}

/* Pages of [0, npages) whose word is not @gen's. */
static uint64_t count_lost(unsigned char *map, uint64_t npages, uint64_t gen)
{
	uint64_t pg, lost = 0;

	for (pg = 0; pg < npages; pg++)
		lost += *word(map, pg) != vt_word(pg, gen, 0);
	return lost;
}

int main(int argc, char **argv)
{
	uint64_t npages, gen, pg, lost_now = 0, lost_later = 0, bad_pin = 0;
	uint64_t was_purged = 0, cycles = 0, zeros, seed = 1;
	double secs = argc > 1 ? atof(argv[1]) : 20, until;
	pid_t pids[DROPPERS];
	unsigned char *map;
	int fd, i, ret, status, droppers_ok = 1;

	vt_init();
	npages = (uint64_t)REGION_MB * 1024 * 1024 / vt_page;
	fd = vt_create(npages * vt_page, "pin-purge", (void **)&map);
	until = vt_now() + secs;
	for (i = 0; i < DROPPERS; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			dropper(until);
	}
	for (gen = 1; vt_now() < until; gen++) {
		for (pg = 0; pg < npages; pg++)
			*word(map, pg) = vt_word(pg, gen, 0);
		if (vt_unpin(fd, 0, npages))
			bail_out("UNPIN: %s", strerror(errno));
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		usleep((seed >> 33) % 2000);
		ret = vt_pin(fd, 0, npages);
		if (ret < 0)
			bail_out("PIN: %s", strerror(errno));
		/* Zeros now are what the PIN must have reported. */
		zeros = count_lost(map, npages, gen);
		if (zeros && ret != VRANGE_WAS_PURGED)
			bad_pin++;
		was_purged += ret == VRANGE_WAS_PURGED;
		for (pg = 0; pg < npages; pg++)
			*word(map, pg) = vt_word(pg, gen + 1, 0);
		lost_now += count_lost(map, npages, gen + 1);
		usleep(500);
		lost_later += count_lost(map, npages, gen + 1);
		gen++;
		cycles++;
	}
	for (i = 0; i < DROPPERS; i++) {
		status = vt_wait(pids[i]);
		droppers_ok &= vt_exited_ok(status);
	}

	diag("%llu cycles in %.0f s, %llu PINs reported WAS_PURGED",
	     (unsigned long long)cycles, secs,
	     (unsigned long long)was_purged);
	ok(droppers_ok, "pin-purge: drop_caches writers ran");
	ok(was_purged > 0, "pin-purge: the shrinker purged while the region was unpinned");
	ok(!bad_pin, "pin-purge: every PIN over zeroed pages reported WAS_PURGED (%llu did not)",
	   (unsigned long long)bad_pin);
	ok(!lost_now && !lost_later,
	   "pin-purge: no page written after PIN was lost (%llu right away, %llu after 0.5 ms)",
	   (unsigned long long)lost_now, (unsigned long long)lost_later);
	munmap(map, npages * vt_page);
	close(fd);
	return tap_finish("vrange_pin_purge");
}
