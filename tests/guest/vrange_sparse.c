// SPDX-License-Identifier: GPL-2.0
/*
 * vrange_sparse: a sparse unpin is no cheap supply for reclaim.
 *
 * A 64 GiB region has only its last 48 MB touched, and is unpinned in one
 * call: the oldest end of that batch is 64 GiB of pages that hold no
 * memory.  A hog then takes MemFree plus SHORT_MB.  A purge must pass
 * over the empty pages in one step and free resident ones: 2 MiB chunks
 * of nothing (32,744 of them here) would keep reclaim busy freeing
 * nothing while the hog waits.  No OOM kill, the resident pages purged
 * in proportion to the shortfall, and a handful of purges, not thousands.
 */
#include "vrange_test.h"

#define MB		(1024ULL * 1024ULL)
#define REGION		(64ULL << 30)
#define TOUCHED_MB	48ULL
#define SHORT_MB	16ULL

int main(void)
{
	long long events, scans, resident, lost, npages;
	int fd, kmsg, status, ooms;
	unsigned char *map;
	double t0, secs;
	uint64_t off;
	pid_t pid;

	vt_init();
	vt_set_oom_score_adj(-1000);
	fd = vt_create(REGION, "sparse", (void **)&map);
	npages = REGION / vt_page;
	for (off = REGION - TOUCHED_MB * MB; off < REGION; off += vt_page)
		map[off] = 0x5a;
	ok(vt_unpin(fd, 0, npages) == 0, "64 GiB unpinned in one call, 48 MB of it resident");
	resident = vt_fdinfo(fd, "vrange_resident_pages");
	events = vt_stat("purge_events");
	scans = vt_stat("shrinker_scans");
	kmsg = vt_kmsg_open_at_end();

	t0 = vt_now();
	pid = fork();
	if (pid == 0) {
		long long bytes = vt_meminfo_kb("MemFree") * 1024 +
				  (long long)(SHORT_MB * MB);

		vt_set_oom_score_adj(0);
		_exit(vt_touch_anon(bytes) ? 0 : 1);
	}
	status = vt_wait(pid);
	secs = vt_now() - t0;
	ooms = kmsg >= 0 ? vt_kmsg_count_oom(kmsg) : -1;
	lost = resident - vt_fdinfo(fd, "vrange_resident_pages");
	events = vt_stat("purge_events") - events;
	diag("sparse-row short %llu hog %s, resident purged %lld MB, %lld purges, %lld scans, %.1f s",
	     SHORT_MB, vt_exited_ok(status) && !ooms ? "ok" : "failed",
	     lost * vt_page / (long long)MB, events,
	     vt_stat("shrinker_scans") - scans, secs);
	ok(vt_exited_ok(status) && ooms == 0,
	   "the hog got its memory, no OOM kill (%d OOM lines)", ooms);
	ok(lost > 0 && lost * vt_page <= (long long)(3 * SHORT_MB * MB / 2 + 2 * MB),
	   "resident pages purged: %lld MB, at most 1.5x the %llu MB shortfall + 2 MB",
	   lost * vt_page / (long long)MB, SHORT_MB);
	ok(events <= 64, "the empty pages went in a few purges (%lld), not one per 2 MiB",
	   events);
	ok(vt_pin(fd, 0, npages) == VRANGE_WAS_PURGED, "PIN reports the purge");
	munmap(map, REGION);
	close(fd);
	ok(vt_stat("unpinned_pages") == 0 && vt_stat("purged_pages") == 0,
	   "unpinned_pages and purged_pages are back to 0");
	return tap_finish("vrange_sparse");
}
