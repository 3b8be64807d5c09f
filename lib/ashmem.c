// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libcutils' ashmem API over /dev/ashmem<boot_id>, /dev/ashmem or, when
 * neither exists, /dev/vrange.  Which device an fd belongs to is decided
 * by its st_rdev, as libcutils does.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <linux/ashmem.h>
#include <linux/vrange.h>

#include "cutils/ashmem.h"

enum ashmem_kind { KIND_NONE, KIND_ASHMEM, KIND_VRANGE };

/* st_rdev of the devices, looked up once (0: not known yet). */
static dev_t ashmem_rdev, vrange_rdev;

static dev_t chr_rdev(const char *path)
{
	struct stat st;

	if (stat(path, &st) || !S_ISCHR(st.st_mode))
		return 0;
	return st.st_rdev;
}

/* "/dev/ashmem" followed by the boot id, as Android's ueventd names it. */
static void boot_id_path(char *buf, size_t len)
{
	char id[64];
	ssize_t n = -1;
	int fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		n = read(fd, id, sizeof(id) - 1);
		close(fd);
	}
	if (n <= 0)
		n = 0;
	id[n] = '\0';
	id[strcspn(id, "\n")] = '\0';
	snprintf(buf, len, "/dev/ashmem%s", id);
}

static void lookup_devices(void)
{
	char path[128];
	dev_t rdev;

	if (!__atomic_load_n(&ashmem_rdev, __ATOMIC_ACQUIRE)) {
		boot_id_path(path, sizeof(path));
		rdev = chr_rdev(path);
		if (!rdev)
			rdev = chr_rdev("/dev/ashmem");
		if (rdev)
			__atomic_store_n(&ashmem_rdev, rdev, __ATOMIC_RELEASE);
	}
	if (!__atomic_load_n(&vrange_rdev, __ATOMIC_ACQUIRE)) {
		rdev = chr_rdev(VRANGE_DEVICE);
		if (rdev)
			__atomic_store_n(&vrange_rdev, rdev, __ATOMIC_RELEASE);
	}
}

static enum ashmem_kind fd_kind(int fd)
{
	struct stat st;

	if (fstat(fd, &st) || !S_ISCHR(st.st_mode))
		return KIND_NONE;
	lookup_devices();
	if (ashmem_rdev && st.st_rdev == ashmem_rdev)
		return KIND_ASHMEM;
	if (vrange_rdev && st.st_rdev == vrange_rdev)
		return KIND_VRANGE;
	return KIND_NONE;
}

int ashmem_valid(int fd)
{
	return fd_kind(fd) != KIND_NONE;
}

static int open_device(enum ashmem_kind *kind)
{
	char path[128];
	int fd;

	boot_id_path(path, sizeof(path));
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		fd = open("/dev/ashmem", O_RDWR | O_CLOEXEC);
	*kind = KIND_ASHMEM;
	if (fd < 0) {
		fd = open(VRANGE_DEVICE, O_RDWR | O_CLOEXEC);
		*kind = KIND_VRANGE;
	}
	if (fd >= 0 && fd_kind(fd) != *kind) {
		close(fd);
		errno = ENOTTY;
		return -1;
	}
	return fd;
}

/* vrange names: not empty, no '/'; ashmem's may be anything. */
static int vrange_name(int fd, const char *name)
{
	char buf[VRANGE_NAME_LEN];
	size_t i;

	memset(buf, 0, sizeof(buf));
	strncpy(buf, name, sizeof(buf) - 1);
	if (!buf[0])
		return 0;
	for (i = 0; buf[i]; i++)
		if (buf[i] == '/')
			buf[i] = '_';
	return ioctl(fd, VRANGE_SET_NAME, buf);
}

int ashmem_create_region(const char *name, size_t size)
{
	enum ashmem_kind kind;
	int fd = open_device(&kind);
	int err = 0, saved;

	if (fd < 0)
		return -1;
	if (kind == KIND_ASHMEM) {
		if (name) {
			char buf[ASHMEM_NAME_LEN];

			memset(buf, 0, sizeof(buf));
			strncpy(buf, name, sizeof(buf) - 1);
			err = ioctl(fd, ASHMEM_SET_NAME, buf);
		}
		if (!err)
			err = ioctl(fd, ASHMEM_SET_SIZE, size);
	} else {
		uint64_t sz = size;

		if (name)
			err = vrange_name(fd, name);
		if (!err)
			err = ioctl(fd, VRANGE_SET_SIZE, &sz);
	}
	if (err < 0) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

/*
 * /dev/vrange has no protection mask: keeping read and write is a no-op,
 * taking either away cannot be enforced there and fails with EOPNOTSUPP.
 */
int ashmem_set_prot_region(int fd, int prot)
{
	switch (fd_kind(fd)) {
	case KIND_ASHMEM:
		return ioctl(fd, ASHMEM_SET_PROT_MASK, (unsigned long)prot);
	case KIND_VRANGE:
		if ((prot & (PROT_READ | PROT_WRITE)) ==
		    (PROT_READ | PROT_WRITE))
			return 0;
		errno = EOPNOTSUPP;
		return -1;
	default:
		errno = ENOTTY;
		return -1;
	}
}

static int pin_ioctl(int fd, int pin, size_t offset, size_t len)
{
	switch (fd_kind(fd)) {
	case KIND_ASHMEM: {
		struct ashmem_pin p = { .offset = offset, .len = len };

		if (p.offset != offset || p.len != len) {
			errno = EINVAL;
			return -1;
		}
		return ioctl(fd, pin ? ASHMEM_PIN : ASHMEM_UNPIN, &p);
	}
	case KIND_VRANGE: {
		struct vrange_range r = { .offset = offset, .len = len };

		return ioctl(fd, pin ? VRANGE_PIN : VRANGE_UNPIN, &r);
	}
	default:
		errno = ENOTTY;
		return -1;
	}
}

int ashmem_pin_region(int fd, size_t offset, size_t len)
{
	return pin_ioctl(fd, 1, offset, len);
}

int ashmem_unpin_region(int fd, size_t offset, size_t len)
{
	return pin_ioctl(fd, 0, offset, len);
}

int ashmem_get_size_region(int fd)
{
	uint64_t size;

	switch (fd_kind(fd)) {
	case KIND_ASHMEM:
		return ioctl(fd, ASHMEM_GET_SIZE, NULL);
	case KIND_VRANGE:
		if (ioctl(fd, VRANGE_GET_SIZE, &size))
			return -1;
		return (int)size;
	default:
		errno = ENOTTY;
		return -1;
	}
}
