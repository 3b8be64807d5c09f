// SPDX-License-Identifier: GPL-2.0
/*
 * vrange_sampler [interval_ms]
 *
 * The guest side of `make report`: every interval_ms (default 100) until
 * SIGTERM or SIGINT, one console line
 *
 *   @@VRANGE-SAMPLE <ms> <free_kB> <unpinned> <purged> <swap_kB> \
 *                   <purge_events> <oom_kill>
 *
 * ms is CLOCK_MONOTONIC (the clock of the kernel's log timestamps),
 * free_kB MemFree, unpinned and purged vrange's unpinned_pages and
 * purged_pages_total, swap_kB SwapTotal - SwapFree, purge_events and
 * oom_kill the counters whose changes tests/vm/plot-reclaim.sh marks as
 * events.  Each line is one write(), so that test and kernel output on
 * the same console does not split it.
 */
#include "vrange_test.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int main(int argc, char **argv)
{
	long interval = argc > 1 ? strtol(argv[1], NULL, 0) : 100;
	struct sigaction sa = { .sa_handler = on_signal };
	struct timespec ts;
	char line[256];
	int n;

	vt_init();
	if (interval <= 0)
		bail_out("usage: vrange_sampler [interval_ms]");
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	/* Under pressure the sampler must not be what the OOM killer picks. */
	vt_set_oom_score_adj(-1000);
	while (!stop) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		n = snprintf(line, sizeof(line),
			     "@@VRANGE-SAMPLE %lld %lld %lld %lld %lld %lld %lld\n",
			     (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000,
			     vt_meminfo_kb("MemFree"),
			     vt_stat("unpinned_pages"),
			     vt_stat("purged_pages_total"),
			     vt_meminfo_kb("SwapTotal") -
			     vt_meminfo_kb("SwapFree"),
			     vt_stat("purge_events"),
			     vt_file_value("/proc/vmstat", "oom_kill", ' '));
		if (write(STDOUT_FILENO, line, n) != n)
			return 1;
		usleep(interval * 1000);
	}
	return 0;
}
