// SPDX-License-Identifier: GPL-2.0
/*
 * vrange_demo: a short story for "make demo".
 *
 * An application keeps a cache of decoded images in vrange regions and
 * unpins the ones not on screen. A memory hog arrives; the kernel purges
 * the least recently unpinned images instead of OOM-killing anyone. The app
 * touches a purged image by mistake (SIGBUS), then does it right: PIN says
 * WAS_PURGED and it decodes the image again; the other images are intact.
 */
#include <stdbool.h>

#include "vrange_test.h"

#define NIMAGES		40
#define IMAGE_MB	4
#define ON_SCREEN	4		/* images 0..3 stay pinned */
#define MB		(1024UL * 1024UL)

struct image {
	int fd;
	unsigned char *pixels;
	char name[16];
};

static struct image images[NIMAGES];
static size_t image_pages;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static void decode(struct image *img, int n)
{
	size_t p;

	for (p = 0; p < image_pages; p++)
		vt_fill_page(img->pixels + p * vt_page, p, n + 1);
}

static bool intact(const struct image *img, int n)
{
	size_t p;

	for (p = 0; p < image_pages; p++)
		if (!vt_page_matches(img->pixels + p * vt_page, p, n + 1))
			return false;
	return true;
}

static void show_stats(const char *when)
{
	say("  stats %-14s regions=%lld resident_pages=%lld unpinned_pages=%lld purged_pages=%lld purge_events=%lld purged_pages_total=%lld shrinker_scans=%lld",
	    when, vt_stat("regions"), vt_stat("resident_pages"),
	    vt_stat("unpinned_pages"), vt_stat("purged_pages"),
	    vt_stat("purge_events"), vt_stat("purged_pages_total"),
	    vt_stat("shrinker_scans"));
}

static void show_maps(void)
{
	char path[512];
	int i;

	for (i = 0; i < 3; i++) {
		vt_maps_path(images[i].pixels, path, sizeof(path));
		say("  /proc/self/maps: %p %s", (void *)images[i].pixels, path);
	}
	say("  ... and %d more", NIMAGES - 3);
}

static long long meminfo_mb(const char *key)
{
	char line[256];
	long long kb = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)))
			kb = strtoll(line + strlen(key) + 1, NULL, 10);
	fclose(f);
	return kb / 1024;
}

/*
 * The hog grabs memory 4 MB at a time until the kernel has purged about
 * half of the unpinned images (or it reaches @max_mb), then exits and so
 * gives its memory back.
 */
static int run_hog(size_t max_mb, long long purge_target)
{
	long long purged0 = vt_stat("purged_pages_total");
	pid_t pid = fork();
	size_t mb;
	char *p;

	if (pid == 0) {
		vt_set_oom_score_adj(0);
		for (mb = 0; mb < max_mb; mb += 4) {
			p = malloc(4 * MB);
			if (!p)
				_exit(3);
			memset(p, 0x33, 4 * MB);
			if (vt_stat("purged_pages_total") - purged0 >= purge_target)
				break;
		}
		printf("  the hog holds %zu MB\n", mb + 4);
		_exit(0);
	}
	return vt_wait(pid);
}

static void show_purged(void)
{
	char line[NIMAGES * 3 + 1];
	int i;

	for (i = 0; i < NIMAGES; i++) {
		int st = vt_status(images[i].fd, 0, 0);

		line[i] = st & VRANGE_STATUS_PURGED ? 'X' :
			  st & VRANGE_STATUS_UNPINNED ? 'u' : 'P';
	}
	line[NIMAGES] = 0;
	say("  images 00..%02d: %s", NIMAGES - 1, line);
	say("  (P pinned on screen, u unpinned and intact, X purged)");
}

/* The image to trip over: image-07 if it was purged, else the first purged. */
static int pick_purged(void)
{
	int i;

	if (vt_status(images[7].fd, 0, 0) & VRANGE_STATUS_PURGED)
		return 7;
	for (i = ON_SCREEN; i < NIMAGES; i++)
		if (vt_status(images[i].fd, 0, 0) & VRANGE_STATUS_PURGED)
			return i;
	return -1;
}

int main(void)
{
	int i, victim, status, regenerated = 0, kept = 0, broken = 0;
	unsigned char v;
	size_t hog_mb;

	vt_init();
	if (access(VRANGE_DEVICE, R_OK | W_OK))
		bail_out("%s: %s", VRANGE_DEVICE, strerror(errno));
	vt_set_oom_score_adj(-1000);
	image_pages = IMAGE_MB * MB / vt_page;

	say("== an image viewer caches %d decoded images of %d MB in vrange regions",
	    NIMAGES, IMAGE_MB);
	for (i = 0; i < NIMAGES; i++) {
		void *m;

		snprintf(images[i].name, sizeof(images[i].name), "image-%02d", i);
		images[i].fd = vt_create(IMAGE_MB * MB, images[i].name, &m);
		images[i].pixels = m;
		decode(&images[i], i);
	}
	show_maps();
	say("== images %d..%d scroll off screen: the viewer unpins them (oldest first)",
	    ON_SCREEN, NIMAGES - 1);
	for (i = ON_SCREEN; i < NIMAGES; i++)
		vt_unpin(images[i].fd, 0, 0);
	show_stats("while idle:");

	hog_mb = meminfo_mb("MemAvailable") + IMAGE_MB * NIMAGES;
	say("== a memory hog grabs memory until about half of the unpinned images are gone");
	status = run_hog(hog_mb, (NIMAGES - ON_SCREEN) / 2 * image_pages);
	if (vt_exited_ok(status))
		say("  nobody was killed: the hog got its memory and exited normally");
	else
		vt_describe_status("  the hog", status);
	show_stats("after the hog:");
	show_purged();

	victim = pick_purged();
	if (victim < 0) {
		say("not ok - demo: no image was purged, the hog did not create pressure");
		return 1;
	}
	say("== the viewer carelessly reads %s without pinning it",
	    images[victim].name);
	if (vt_probe_read(images[victim].pixels + 1234, &v) == SIGBUS)
		say("  caught SIGBUS: %s was purged", images[victim].name);
	else
		say("  (no SIGBUS: %s was still there)", images[victim].name);

	say("== now properly: pin every image before showing it");
	for (i = 0; i < NIMAGES; i++) {
		int ret = vt_pin(images[i].fd, 0, 0);

		if (ret == VRANGE_WAS_PURGED) {
			if (i == victim)
				say("  PIN %s: VRANGE_WAS_PURGED, decoding it again",
				    images[i].name);
			decode(&images[i], i);
			regenerated++;
		} else if (ret == 0 && intact(&images[i], i)) {
			kept++;
		} else {
			say("  %s: PIN returned %d but the pixels are wrong",
			    images[i].name, ret);
			broken++;
		}
	}
	say("  %d images were still intact, %d were regenerated, %d broken",
	    kept, regenerated, broken);
	show_stats("at the end:");
	if (broken || !vt_exited_ok(status)) {
		say("not ok - demo");
		return 1;
	}
	say("ok - demo");
	return 0;
}
