// SPDX-License-Identifier: GPL-2.0
/*
 * ashmem_pressure <unpinned_MB> <child_MB | avail-N>
 *
 * vrange_pressure's run through the ashmem ABI: a worker fills
 * unpinned_MB of /dev/ashmem areas (NREG of them), unpins them oldest
 * first and forks a hog that touches child_MB.  On vrange's node the
 * shrinker must make room: no OOM kill, the hog and the worker survive,
 * PIN reports ASHMEM_WAS_PURGED and every page holds its data or zeros.
 *
 * On the reference (ashmem_linux.ko) the run is only recorded: its
 * shrinker may let the OOM killer fire first, so the run is bracketed by
 * the harness's expected-OOM markers and the outcome printed.
 */
#include <stdbool.h>
#include <sys/prctl.h>

#include <linux/ashmem.h>

#include "vrange_test.h"

#define NREG	8
#define MB	(1024UL * 1024UL)

struct result {
	int filled, hog_done, checked, hog_status;
	int was_purged[NREG];
	int data_ok[NREG];
	long zero_pages[NREG];
};

static void hog(size_t mb)
{
	char *p = malloc(mb * MB);
	size_t i;

	if (!p)
		_exit(3);
	for (i = 0; i < mb; i++)
		memset(p + i * MB, 0x5a, MB);
	_exit(0);
}

static void worker(size_t unpinned_mb, size_t child_mb, struct result *res)
{
	size_t npages = vt_page_align(unpinned_mb * MB / NREG) / vt_page, p;
	unsigned char *map[NREG];
	int fd[NREG], i;
	pid_t pid;

	vt_set_oom_score_adj(0);
	for (i = 0; i < NREG; i++) {
		fd[i] = open("/dev/ashmem", O_RDWR);
		if (fd[i] < 0 || ioctl(fd[i], ASHMEM_SET_SIZE, npages * vt_page))
			_exit(4);
		map[i] = mmap(NULL, npages * vt_page, PROT_READ | PROT_WRITE,
			      MAP_SHARED, fd[i], 0);
		if (map[i] == MAP_FAILED)
			_exit(5);
		for (p = 0; p < npages; p++)
			vt_fill_page(map[i] + p * vt_page, p, 1);
	}
	for (i = 0; i < NREG; i++) {
		struct ashmem_pin pin = { 0, 0 };

		ioctl(fd[i], ASHMEM_UNPIN, &pin);
	}
	res->filled = 1;
	pid = fork();
	if (pid == 0)
		hog(child_mb);
	res->hog_status = vt_wait(pid);
	res->hog_done = 1;
	for (i = 0; i < NREG; i++) {
		struct ashmem_pin pin = { 0, 0 };

		res->was_purged[i] = ioctl(fd[i], ASHMEM_PIN, &pin);
		res->data_ok[i] = 1;
		for (p = 0; p < npages; p++) {
			unsigned char *page = map[i] + p * vt_page;

			if (vt_is_zero(page, vt_page))
				res->zero_pages[i]++;
			else if (!vt_page_matches(page, p, 1))
				res->data_ok[i] = 0;
		}
	}
	res->checked = 1;
	_exit(0);
}

int main(int argc, char **argv)
{
	bool reference = !access("/sys/module/ashmem_linux", F_OK);
	bool any_purged = false, data_ok = true;
	size_t unpinned_mb, child_mb;
	struct result *res;
	int kmsg, oom, status, i;
	double t0;
	pid_t pid;

	if (argc != 3)
		return 2;
	unpinned_mb = strtoul(argv[1], NULL, 0);
	child_mb = vt_parse_mb(argv[2]);
	vt_init();
	if (access("/dev/ashmem", R_OK | W_OK))
		bail_out("/dev/ashmem: %s", strerror(errno));
	vt_set_oom_score_adj(-1000);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	res = mmap(NULL, sizeof(*res), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (res == MAP_FAILED)
		bail_out("mmap: %s", strerror(errno));
	memset(res, 0, sizeof(*res));
	diag("ashmem pressure on %s: %zu MB unpinned in %d areas, hog %zu MB",
	     reference ? "the reference ashmem_linux.ko" : "vrange's node",
	     unpinned_mb, NREG, child_mb);
	kmsg = vt_kmsg_open_at_end();
	if (reference)
		printf("@@VRANGE-EXPECT-OOM-BEGIN\n");
	t0 = vt_now();
	pid = fork();
	if (pid == 0)
		worker(unpinned_mb, child_mb, res);
	status = vt_wait(pid);
	while (wait(NULL) > 0 || errno == EINTR)
		;
	if (reference)
		printf("@@VRANGE-EXPECT-OOM-END\n");
	oom = kmsg >= 0 ? vt_kmsg_count_oom(kmsg) : -1;
	diag("elapsed %.1f s, OOM lines in the kernel log: %d", vt_now() - t0, oom);
	vt_describe_status("region owner", status);
	if (res->hog_done)
		vt_describe_status("memory hog", res->hog_status);
	for (i = 0; i < NREG && res->checked; i++) {
		diag("area %d: PIN %d, zero pages %ld, data %s", i,
		     res->was_purged[i], res->zero_pages[i],
		     res->data_ok[i] ? "ok" : "CORRUPT");
		any_purged |= res->was_purged[i] == ASHMEM_WAS_PURGED;
		data_ok &= res->data_ok[i] &&
			   (res->was_purged[i] == ASHMEM_WAS_PURGED ||
			    !res->zero_pages[i]);
	}
	if (reference) {
		diag("reference outcome: hog %s, owner %s, %d OOM lines",
		     res->hog_done && vt_exited_ok(res->hog_status) ? "survived" : "killed",
		     vt_exited_ok(status) ? "survived" : "killed", oom);
		ok(1, "reference: ashmem pressure %zu+%zu MB recorded (OOM kill %s)",
		   unpinned_mb, child_mb, oom > 0 ? "happened" : "did not happen");
		return tap_finish("ashmem_pressure");
	}
	ok(res->hog_done && vt_exited_ok(res->hog_status),
	   "ashmem: child allocated %zu MB", child_mb);
	ok(vt_exited_ok(status) && res->checked,
	   "ashmem: area owner survived the memory pressure");
	ok(any_purged, "ashmem: PIN after the pressure reports ASHMEM_WAS_PURGED");
	ok(data_ok, "ashmem: every page holds its data or zeros, zeros only where purged");
	if (oom < 0)
		skip("/dev/kmsg not readable", "ashmem: no OOM kill");
	else
		ok(oom == 0, "ashmem: no OOM kill in the kernel log");
	return tap_finish("ashmem_pressure");
}
