// SPDX-License-Identifier: GPL-2.0
/*
 * ashmem_bootid [-u UID]: the node Android 16's libcutils opens, named and
 * used exactly as libcutils/ashmem-dev.cpp does: "/dev/ashmem" followed by
 * the contents of /proc/sys/kernel/random/boot_id trimmed of white space,
 * opened O_RDWR | O_CLOEXEC, checked to be a character device by fstat,
 * then ASHMEM_SET_NAME, ASHMEM_SET_SIZE, mmap and pin/unpin.  With -u it
 * drops to that uid and gid first (the node must be usable by anyone).
 */
#define _GNU_SOURCE		/* setresuid, setresgid */
#include <sys/sysmacros.h>

#include "vrange_test.h"

/* 8-4-4-4-12 lower-case hex digits, as the kernel prints a UUID. */
static int is_uuid(const char *s)
{
	static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
	size_t i;

	if (strlen(s) != sizeof(shape) - 1)
		return 0;
	for (i = 0; shape[i]; i++) {
		if (shape[i] == '-' ? s[i] != '-' :
		    !isxdigit((unsigned char)s[i]) || isupper((unsigned char)s[i]))
			return 0;
	}
	return 1;
}

int main(int argc, char **argv)
{
	char id[128], path[160], name[ASHMEM_NAME_LEN];
	struct ashmem_pin pin;
	struct stat st, ref;
	unsigned char *p, *q;
	size_t size;
	int fd, r, uid = -1;
	const char *who;

	vt_init();
	memset(&st, 0, sizeof(st));
	memset(&ref, 0, sizeof(ref));
	if (argc == 3 && !strcmp(argv[1], "-u"))
		uid = atoi(argv[2]);
	if (uid >= 0 && (setresgid(uid, uid, uid) || setresuid(uid, uid, uid)))
		bail_out("cannot become uid %d: %s", uid, strerror(errno));
	who = uid >= 0 ? argv[2] : "root";
	size = 4 * vt_page;

	if (!ok(vt_read_boot_id(id, sizeof(id)) == 0, "uid %s: read %s", who, VT_BOOT_ID_FILE))
		bail_out("%s: %s", VT_BOOT_ID_FILE, strerror(errno));
	ok(is_uuid(id), "uid %s: the trimmed boot id is a UUID with dashes (%s)", who, id);
	snprintf(path, sizeof(path), "/dev/ashmem%s", id);
	diag("libcutils' node: %s", path);

	fd = open(path, O_RDWR | O_CLOEXEC);
	if (!ok(fd >= 0, "uid %s: open(%s, O_RDWR | O_CLOEXEC)", who, path))
		bail_out("open %s: %s", path, strerror(errno));
	r = fstat(fd, &st);
	ok(r == 0 && S_ISCHR(st.st_mode) && st.st_rdev,
	   "uid %s: fstat: a character device, st_rdev %u:%u", who,
	   major(st.st_rdev), minor(st.st_rdev));
	r = stat("/dev/ashmem", &ref);
	ok(r == 0 && ref.st_rdev == st.st_rdev,
	   "uid %s: the same st_rdev as /dev/ashmem", who);
	r = stat(path, &ref);
	ok(r == 0 && (ref.st_mode & 07777) == 0666,
	   "uid %s: the node it names has mode 0666 (0%o)", who,
	   ref.st_mode & 07777);

	memset(name, 0, sizeof(name));
	snprintf(name, sizeof(name), "bootid-test");
	ok(ioctl(fd, ASHMEM_SET_NAME, name) == 0, "uid %s: ASHMEM_SET_NAME", who);
	ok(ioctl(fd, ASHMEM_SET_SIZE, size) == 0, "uid %s: ASHMEM_SET_SIZE", who);
	ok(ioctl(fd, ASHMEM_GET_SIZE, NULL) == (int)size, "uid %s: ASHMEM_GET_SIZE", who);
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	q = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
	if (!ok(p != MAP_FAILED && q != MAP_FAILED, "uid %s: two MAP_SHARED mappings", who))
		bail_out("mmap: %s", strerror(errno));
	memset(p, 0xa5, size);
	ok(q[0] == 0xa5 && q[size - 1] == 0xa5,
	   "uid %s: what one mapping writes the other reads", who);
	memset(name, 0, sizeof(name));
	ok(ioctl(fd, ASHMEM_GET_NAME, name) == 0 && !strcmp(name, "bootid-test"),
	   "uid %s: ASHMEM_GET_NAME (%s)", who, name);
	pin.offset = vt_page;
	pin.len = 2 * vt_page;
	ok(ioctl(fd, ASHMEM_UNPIN, &pin) == 0, "uid %s: ASHMEM_UNPIN", who);
	ok(ioctl(fd, ASHMEM_GET_PIN_STATUS, &pin) == ASHMEM_IS_UNPINNED,
	   "uid %s: ASHMEM_GET_PIN_STATUS: unpinned", who);
	r = ioctl(fd, ASHMEM_PIN, &pin);
	ok(r == ASHMEM_NOT_PURGED, "uid %s: ASHMEM_PIN: not purged (%d)", who, r);
	ok(ioctl(fd, ASHMEM_GET_PIN_STATUS, &pin) == ASHMEM_IS_PINNED,
	   "uid %s: ASHMEM_GET_PIN_STATUS: pinned", who);
	ok_alone(p[vt_page] == 0xa5 && q[3 * vt_page - 1] == 0xa5,
		 "uid %s: the data survived unpin and pin", who);
	munmap(p, size);
	munmap(q, size);
	close(fd);
	return tap_finish("ashmem_bootid");
}
