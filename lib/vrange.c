// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libvrange: thin wrappers over the /dev/vrange ioctls.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "libvrange.h"

static long vrange_ioctl(int fd, unsigned long cmd, void *arg)
{
	long ret = ioctl(fd, cmd, arg);

	return ret < 0 ? -errno : ret;
}

int vrange_set_size(int fd, uint64_t size)
{
	return vrange_ioctl(fd, VRANGE_SET_SIZE, &size);
}

int vrange_get_size(int fd, uint64_t *size)
{
	return vrange_ioctl(fd, VRANGE_GET_SIZE, size);
}

int vrange_set_name(int fd, const char *name)
{
	char buf[VRANGE_NAME_LEN];
	size_t len = strlen(name);

	/* The kernel reads up to VRANGE_NAME_LEN bytes: give it a full buffer. */
	if (len >= sizeof(buf))
		return -EINVAL;
	memset(buf, 0, sizeof(buf));
	memcpy(buf, name, len);
	return vrange_ioctl(fd, VRANGE_SET_NAME, buf);
}

int vrange_get_name(int fd, char *buf)
{
	return vrange_ioctl(fd, VRANGE_GET_NAME, buf);
}

int vrange_create(const char *name, uint64_t size)
{
	int fd = open(VRANGE_DEVICE, O_RDWR | O_CLOEXEC);
	int err;

	if (fd < 0)
		return -errno;
	err = vrange_set_size(fd, size);
	if (!err && name)
		err = vrange_set_name(fd, name);
	if (err) {
		close(fd);
		return err;
	}
	return fd;
}

/*
 * The region's size as a mapping length.  A region larger than size_t
 * (over 4 GiB in a 32-bit process) cannot be mapped whole: -EOVERFLOW,
 * never a mapping of the size cut to its low bits.
 */
static int vrange_map_len(int fd, size_t *len)
{
	uint64_t size;
	int err = vrange_get_size(fd, &size);

	if (err)
		return err;
	if (size > SIZE_MAX)
		return -EOVERFLOW;
	*len = size;
	return 0;
}

void *vrange_map(int fd)
{
	size_t len;
	void *addr;
	int err = vrange_map_len(fd, &len);

	if (err) {
		errno = -err;
		return NULL;
	}
	addr = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	return addr == MAP_FAILED ? NULL : addr;
}

int vrange_unmap(int fd, void *addr)
{
	size_t len;
	int err = vrange_map_len(fd, &len);

	if (err)
		return err;
	return munmap(addr, len) ? -errno : 0;
}

static int vrange_range_ioctl(int fd, unsigned long cmd, uint64_t offset,
			      uint64_t len)
{
	struct vrange_range range = { .offset = offset, .len = len };

	return vrange_ioctl(fd, cmd, &range);
}

int vrange_pin(int fd, uint64_t offset, uint64_t len)
{
	return vrange_range_ioctl(fd, VRANGE_PIN, offset, len);
}

int vrange_unpin(int fd, uint64_t offset, uint64_t len)
{
	return vrange_range_ioctl(fd, VRANGE_UNPIN, offset, len);
}

int vrange_status(int fd, uint64_t offset, uint64_t len)
{
	return vrange_range_ioctl(fd, VRANGE_GET_STATUS, offset, len);
}

int vrange_unpin_class(int fd, uint64_t offset, uint64_t len,
		       unsigned int purge_class, unsigned int flags)
{
	struct vrange_unpin_args args = {
		.offset = offset, .len = len,
		.purge_class = purge_class, .flags = flags,
	};

	return vrange_ioctl(fd, VRANGE_UNPIN_CLASS, &args);
}

int vrange_get_purge_info(int fd, struct vrange_purge_info *info)
{
	return vrange_ioctl(fd, VRANGE_GET_PURGE_INFO, info);
}

int vrange_wait_purged(int fd, int timeout_ms)
{
	/*
	 * A region never reports POLLIN or POLLOUT: asking for them too makes
	 * other files (and a module without poll support) answer at once.
	 */
	struct pollfd pfd = { .fd = fd, .events = POLLPRI | POLLIN | POLLOUT };
	int ret = poll(&pfd, 1, timeout_ms);

	if (ret < 0)
		return -errno;
	if (ret == 0)
		return 0;
	if (pfd.revents & POLLPRI)
		return 1;
	return pfd.revents & POLLNVAL ? -EBADF : -ENOTTY;
}

long vrange_purge(int fd)
{
	return vrange_ioctl(fd, VRANGE_PURGE, NULL);
}

long vrange_purge_all(int fd)
{
	return vrange_ioctl(fd, VRANGE_PURGE_ALL, NULL);
}
