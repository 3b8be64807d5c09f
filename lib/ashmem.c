// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libcutils' ashmem API over /dev/ashmem<boot_id>, /dev/ashmem or, when
 * neither exists, /dev/vrange.
 *
 * Current libcutils (AOSP system/core libcutils/ashmem-dev.cpp, since
 * March 2025) opens only "/dev/ashmem" followed by the contents of
 * /proc/sys/kernel/random/boot_id with the white space around it trimmed,
 * the node Android's ueventd (or our udev rule) makes; before that it fell
 * back to /dev/ashmem.  We try the nodes in that order, then /dev/vrange,
 * and keep the first one that opens for the rest of the process: missing
 * nodes are not probed again on every call, only if the kept one goes
 * away (the module reloaded without it).  Which device an fd belongs to
 * is decided by its st_rdev, as libcutils does.
 *
 * errno: a call that succeeds leaves it as it was, whatever it probed on
 * the way; one that fails sets it to the reason of that failure.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
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

#define BOOT_ID_FILE	"/proc/sys/kernel/random/boot_id"
#define ASHMEM_NODE	"/dev/ashmem"

enum ashmem_kind { KIND_NONE, KIND_ASHMEM, KIND_VRANGE };

/* The nodes ashmem_create_region() tries, in this order. */
enum { NODE_BOOT_ID, NODE_ASHMEM, NODE_VRANGE, NR_NODES };

/* st_rdev of the devices (0: not known yet). */
static dev_t ashmem_rdev, vrange_rdev;

/* The node that opened first: NODE_* + 1, or 0 before any did. */
static int chosen_node;

/* "/dev/ashmem<boot_id>", read once; boot_id_state 2 once it is stored. */
static char boot_id_node[sizeof(ASHMEM_NODE) + 64];
static int boot_id_state;

/* Open, retried on EINTR as libcutils' TEMP_FAILURE_RETRY does. */
static int open_rdwr(const char *path)
{
	int fd;

	do
		fd = open(path, O_RDWR | O_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	return fd;
}

/*
 * "/dev/ashmem" followed by the boot id as libcutils builds it: the whole
 * file with leading and trailing white space trimmed.  Empty if the file
 * cannot be read.  May change errno.
 */
static void read_boot_id_node(char *buf, size_t len)
{
	char id[64];
	size_t n = 0, start = 0;
	ssize_t r;
	int fd;

	buf[0] = '\0';
	fd = open(BOOT_ID_FILE, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	for (;;) {
		r = read(fd, id + n, sizeof(id) - 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += r;
		if (n == sizeof(id) - 1)
			break;
	}
	close(fd);
	if (r < 0)
		return;
	while (n > 0 && isspace((unsigned char)id[n - 1]))
		n--;
	id[n] = '\0';
	while (isspace((unsigned char)id[start]))
		start++;
	if (id[start])
		snprintf(buf, len, "%s%s", ASHMEM_NODE, id + start);
}

/*
 * The boot id node's name, or NULL if the boot id cannot be read.  Threads
 * racing here each read the file; one of them publishes its copy.
 */
static const char *boot_id_path(char *local, size_t len)
{
	int unset = 0;

	if (__atomic_load_n(&boot_id_state, __ATOMIC_ACQUIRE) == 2)
		return boot_id_node[0] ? boot_id_node : NULL;
	read_boot_id_node(local, len);
	if (__atomic_compare_exchange_n(&boot_id_state, &unset, 1, 0,
					__ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
		snprintf(boot_id_node, sizeof(boot_id_node), "%s", local);
		__atomic_store_n(&boot_id_state, 2, __ATOMIC_RELEASE);
	}
	return local[0] ? local : NULL;
}

static const char *node_path(int node, char *buf, size_t len)
{
	switch (node) {
	case NODE_BOOT_ID:
		return boot_id_path(buf, len);
	case NODE_ASHMEM:
		return ASHMEM_NODE;
	default:
		return VRANGE_DEVICE;
	}
}

static dev_t *kind_rdev(enum ashmem_kind kind)
{
	return kind == KIND_VRANGE ? &vrange_rdev : &ashmem_rdev;
}

/* st_rdev of a character device node, 0 if it is none.  May change errno. */
static dev_t chr_rdev(const char *path)
{
	struct stat st;

	if (!path || stat(path, &st) || !S_ISCHR(st.st_mode))
		return 0;
	return st.st_rdev;
}

/*
 * Opens one node; on success its st_rdev becomes the one of its kind, as
 * libcutils takes it from the fd it opened.  Not a character device:
 * ENOTTY, as libcutils.
 */
static int open_node(int node, enum ashmem_kind *kind)
{
	char buf[sizeof(boot_id_node)];
	const char *path = node_path(node, buf, sizeof(buf));
	struct stat st;
	int fd, err;

	*kind = node == NODE_VRANGE ? KIND_VRANGE : KIND_ASHMEM;
	if (!path) {
		errno = ENOENT;
		return -1;
	}
	fd = open_rdwr(path);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st)) {
		err = errno;
	} else if (!S_ISCHR(st.st_mode) || !st.st_rdev) {
		err = ENOTTY;
	} else {
		__atomic_store_n(kind_rdev(*kind), st.st_rdev,
				 __ATOMIC_RELEASE);
		return fd;
	}
	close(fd);
	errno = err;
	return -1;
}

/* The kept node cannot come back by itself: no device behind the name. */
static int node_gone(int err)
{
	return err == ENOENT || err == ENXIO || err == ENODEV;
}

/*
 * A new fd from the kept node or, before any opened (or once it is gone),
 * from the first node of the list that opens.  If none does, errno is the
 * first error other than ENOENT (a node that exists but does not open
 * says more than the missing ones after it), else ENOENT.
 */
static int open_device(enum ashmem_kind *kind)
{
	int kept = __atomic_load_n(&chosen_node, __ATOMIC_ACQUIRE);
	int node, fd, err = 0;

	if (kept) {
		fd = open_node(kept - 1, kind);
		if (fd >= 0 || !node_gone(errno))
			return fd;
	}
	for (node = 0; node < NR_NODES; node++) {
		fd = open_node(node, kind);
		if (fd >= 0) {
			__atomic_store_n(&chosen_node, node + 1,
					 __ATOMIC_RELEASE);
			return fd;
		}
		if (!err && errno != ENOENT)
			err = errno;
	}
	errno = err ? err : ENOENT;
	return -1;
}

static enum ashmem_kind rdev_kind(dev_t rdev)
{
	if (rdev == __atomic_load_n(&ashmem_rdev, __ATOMIC_ACQUIRE))
		return KIND_ASHMEM;
	if (rdev == __atomic_load_n(&vrange_rdev, __ATOMIC_ACQUIRE))
		return KIND_VRANGE;
	return KIND_NONE;
}

/*
 * Looks the devices up by their nodes again, for an fd that matches none
 * we know (one received from another process, or the module was reloaded
 * since).  Leaves errno alone.
 */
static void lookup_devices(void)
{
	char buf[sizeof(boot_id_node)];
	int saved = errno;
	dev_t rdev;

	rdev = chr_rdev(boot_id_path(buf, sizeof(buf)));
	if (!rdev)
		rdev = chr_rdev(ASHMEM_NODE);
	if (rdev)
		__atomic_store_n(&ashmem_rdev, rdev, __ATOMIC_RELEASE);
	rdev = chr_rdev(VRANGE_DEVICE);
	if (rdev)
		__atomic_store_n(&vrange_rdev, rdev, __ATOMIC_RELEASE);
	errno = saved;
}

/*
 * Which device fd is an area of.  Leaves errno alone unless it returns
 * KIND_NONE: then EBADF (or fstat's error) for no open fd, ENOTTY for an
 * fd that is no ashmem or vrange area.
 */
static enum ashmem_kind fd_kind(int fd)
{
	enum ashmem_kind kind;
	struct stat st;

	if (fstat(fd, &st))
		return KIND_NONE;
	if (S_ISCHR(st.st_mode) && st.st_rdev) {
		kind = rdev_kind(st.st_rdev);
		if (kind == KIND_NONE) {
			lookup_devices();
			kind = rdev_kind(st.st_rdev);
		}
		if (kind != KIND_NONE)
			return kind;
	}
	errno = ENOTTY;
	return KIND_NONE;
}

int ashmem_valid(int fd)
{
	return fd_kind(fd) != KIND_NONE;
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

static int setup_area(int fd, enum ashmem_kind kind, const char *name,
		      size_t size)
{
	char buf[ASHMEM_NAME_LEN];
	uint64_t sz = size;

	if (kind == KIND_VRANGE) {
		if (vrange_name(fd, name))
			return -1;
		return ioctl(fd, VRANGE_SET_SIZE, &sz);
	}
	memset(buf, 0, sizeof(buf));
	strncpy(buf, name, sizeof(buf) - 1);
	if (ioctl(fd, ASHMEM_SET_NAME, buf))
		return -1;
	return ioctl(fd, ASHMEM_SET_SIZE, size);
}

int ashmem_create_region(const char *name, size_t size)
{
	enum ashmem_kind kind;
	int saved = errno, fd, err;

	/* libcutils names unnamed areas "none" since 2025. */
	if (!name)
		name = "none";
	fd = open_device(&kind);
	if (fd < 0)
		return -1;
	if (setup_area(fd, kind, name, size) < 0) {
		err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	errno = saved;
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

/*
 * The size as an int: -1 and EOVERFLOW from 2 GiB up, where Android's
 * libcutils returns it cut to 32 bits.  The ioctl syscall returns an int:
 * our ashmem node fails ASHMEM_GET_SIZE with EOVERFLOW there, another
 * driver's size comes back cut, negative below 4 GiB.
 */
int ashmem_get_size_region(int fd)
{
	uint64_t size;
	int ret;

	switch (fd_kind(fd)) {
	case KIND_ASHMEM:
		ret = ioctl(fd, ASHMEM_GET_SIZE, NULL);
		if (ret == -1)
			return -1;
		size = ret < 0 ? (uint64_t)INT_MAX + 1 : (uint64_t)ret;
		break;
	case KIND_VRANGE:
		if (ioctl(fd, VRANGE_GET_SIZE, &size))
			return -1;
		break;
	default:
		return -1;
	}
	if (size > INT_MAX) {
		errno = EOVERFLOW;
		return -1;
	}
	return size;
}
