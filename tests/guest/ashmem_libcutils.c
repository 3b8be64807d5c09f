// SPDX-License-Identifier: GPL-2.0
/*
 * ashmem_libcutils: libvrange's libcutils API (cutils/ashmem.h) as Android
 * code uses it, over whichever device it finds (/dev/ashmem<boot_id> where
 * udev made it, /dev/ashmem, or /dev/vrange when the module runs with
 * ashmem=0): the order it tries them in and that it keeps the one it
 * chose, current libcutils' "none" for a NULL name, and errno: untouched
 * by calls that succeed, the reason after calls that fail.
 */
#include <stddef.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/user.h>

#include "../../lib/cutils/ashmem.h"
#include "vrange_test.h"

/* "/dev/ashmem" + the trimmed boot id, the name libcutils opens. */
static char boot_id_node[160];

static void make_boot_id_node(void)
{
	char id[128];

	if (vt_read_boot_id(id, sizeof(id)) == 0 && id[0])
		snprintf(boot_id_node, sizeof(boot_id_node), "/dev/ashmem%s",
			 id);
}

/*
 * As root, where nothing has the boot id node's name yet, put /dev/null's
 * device there: a node that is no ashmem, to see whether it is opened.
 */
static int fake_boot_id_node(void)
{
	struct stat st;

	if (geteuid() || !boot_id_node[0] || !lstat(boot_id_node, &st))
		return 0;
	return !mknod(boot_id_node, S_IFCHR | 0666, makedev(1, 3));
}

/* The region's name as the device reports it. */
static int region_name(int fd, int fallback, char *buf)
{
	memset(buf, 0, ASHMEM_NAME_LEN);
	if (fallback)
		return ioctl(fd, VRANGE_GET_NAME, buf);
	return ioctl(fd, ASHMEM_GET_NAME, buf);
}

/* Run fn() in a child (fresh state for a libvrange that was not used). */
static int in_child(int (*fn)(void))
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn() ? 0 : 1);
	return pid > 0 && vt_exited_ok(vt_wait(pid));
}

static int boot_id_node_first(void)
{
	errno = 0;
	return ashmem_create_region("first", vt_page) == -1 && errno == ENOTTY;
}

/* No fd left: EMFILE, not the ENOENT of some node tried on the way. */
static int emfile(void)
{
	struct rlimit rl = { 32, 32 };

	if (setrlimit(RLIMIT_NOFILE, &rl))
		return 0;
	while (dup(0) >= 0)
		;
	errno = 0;
	return ashmem_create_region("emfile", vt_page) == -1 && errno == EMFILE;
}

/*
 * The system calls fn(fd) makes, counted with ptrace in a child between
 * two getppid() markers (no strace in the guest); -1 if tracing fails.
 * The child starts with what this process has learnt so far.
 */
static int count_syscalls(void (*fn)(int), int fd)
{
	int st, entry = 1, marks = 0, n = 0;
	long nr;
	pid_t pid = fork();

	if (pid == 0) {
		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL))
			_exit(1);
		raise(SIGSTOP);
		syscall(SYS_getppid);
		fn(fd);
		syscall(SYS_getppid);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFSTOPPED(st) ||
	    ptrace(PTRACE_SETOPTIONS, pid, NULL,
		   (void *)(long)(PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL)))
		return -1;
	/* Stops alternate: entry, exit, entry... from the first one on. */
	while (!ptrace(PTRACE_SYSCALL, pid, NULL, NULL) &&
	       waitpid(pid, &st, 0) == pid && WIFSTOPPED(st)) {
		if (WSTOPSIG(st) != (SIGTRAP | 0x80))
			continue;
		if (entry) {
			nr = ptrace(PTRACE_PEEKUSER, pid,
				    offsetof(struct user_regs_struct, orig_rax),
				    NULL);
			if (nr == SYS_getppid)
				marks++;
			else if (marks == 1)
				n++;
		}
		entry = !entry;
	}
	return WIFEXITED(st) && !WEXITSTATUS(st) && marks == 2 ? n : -1;
}

static void pin_unpin(int fd)
{
	ashmem_unpin_region(fd, 0, vt_page);
	ashmem_pin_region(fd, 0, vt_page);
}

int main(void)
{
	int fd, fd2, nfd, pfd[2], fallback, have_node, faked, r, e;
	char name[ASHMEM_NAME_LEN];
	unsigned char *p;
	size_t size;

	vt_init();
	name[0] = '\0';
	make_boot_id_node();
	fallback = access("/dev/ashmem", F_OK) != 0;
	have_node = boot_id_node[0] && access(boot_id_node, F_OK) == 0;
	diag("libcutils ashmem API over %s", have_node ? boot_id_node :
	     fallback ? "/dev/vrange" : "/dev/ashmem");
	size = 16 * vt_page;

	/* First, in a child that has not used libvrange yet. */
	faked = fake_boot_id_node();
	if (faked) {
		r = in_child(boot_id_node_first);
		unlink(boot_id_node);
		ok(r, "the boot id node is opened first (/dev/null there: -1, ENOTTY)");
	} else {
		skip(geteuid() ? "not root" : "a node has that name already",
		     "the boot id node is opened first");
	}

	errno = EDOM;
	fd = ashmem_create_region("libcutils/test", size);
	e = errno;
	if (!ok(fd >= 0, "ashmem_create_region returns an fd"))
		bail_out("ashmem_create_region: %s", strerror(e));
	ok(e == EDOM, "and leaves errno alone (%s)", strerror(e));
	errno = EDOM;
	ok(ashmem_valid(fd) == 1 && errno == EDOM,
	   "ashmem_valid(region) is 1, errno left alone");
	ok(ashmem_valid(0) == 0, "ashmem_valid(stdin) is 0");
	nfd = open("/dev/null", O_RDWR);
	errno = 0;
	r = ashmem_valid(nfd);
	e = errno;
	ok(r == 0 && e == ENOTTY, "ashmem_valid(/dev/null) is 0, errno ENOTTY (%d, %s)",
	   r, strerror(e));
	if (pipe(pfd))
		bail_out("pipe: %s", strerror(errno));
	errno = 0;
	r = ashmem_valid(pfd[0]);
	e = errno;
	ok(r == 0 && e == ENOTTY, "ashmem_valid(pipe) is 0, errno ENOTTY (%d, %s)",
	   r, strerror(e));
	close(pfd[1]);
	close(pfd[0]);
	errno = 0;
	r = ashmem_valid(pfd[0]);
	e = errno;
	ok(r == 0 && e == EBADF, "ashmem_valid(closed fd) is 0, errno EBADF (%d, %s)",
	   r, strerror(e));
	errno = EDOM;
	r = ashmem_get_size_region(fd);
	e = errno;
	ok(r == (int)size && e == EDOM,
	   "ashmem_get_size_region, errno left alone (%s)", strerror(e));
	errno = 0;
	ok(ashmem_pin_region(nfd, 0, 0) == -1 && errno == ENOTTY,
	   "pin on a non-ashmem fd fails with ENOTTY");
	errno = 0;
	ok(ashmem_get_size_region(nfd) == -1 && errno == ENOTTY,
	   "get_size on a non-ashmem fd fails with ENOTTY");
	errno = 0;
	ok(ashmem_set_prot_region(nfd, PROT_READ) == -1 && errno == ENOTTY,
	   "set_prot on a non-ashmem fd fails with ENOTTY");
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		bail_out("mmap: %s", strerror(errno));
	memset(p, 0x5a, size);
	errno = EDOM;
	ok(ashmem_unpin_region(fd, 0, 4 * vt_page) == 0 && errno == EDOM,
	   "ashmem_unpin_region, errno left alone");
	errno = EDOM;
	r = ashmem_pin_region(fd, 0, 4 * vt_page);
	ok(r == ASHMEM_NOT_PURGED && errno == EDOM,
	   "ashmem_pin_region: ASHMEM_NOT_PURGED (%d), errno left alone", r);
	ok(ashmem_unpin_region(fd, 0, 0) == 0, "unpin everything (len 0)");
	ok(ashmem_pin_region(fd, 0, 0) == ASHMEM_NOT_PURGED && p[size - 1] == 0x5a,
	   "pin everything, data kept");
	ok(ashmem_pin_region(fd, 1, 0) == -1 && errno == EINVAL,
	   "misaligned pin: -1, EINVAL");
	/* fstat and ioctl each: no node looked up again, whichever is missing. */
	r = count_syscalls(pin_unpin, fd);
	ok(r >= 0 && r <= 4, "an unpin and a pin make 4 system calls (%d)", r);
	if (fallback) {
		errno = EDOM;
		ok(ashmem_set_prot_region(fd, PROT_READ | PROT_WRITE) == 0 &&
		   errno == EDOM, "set_prot_region(RW) is a no-op on /dev/vrange");
		ok(ashmem_set_prot_region(fd, PROT_READ) == -1 && errno == EOPNOTSUPP,
		   "set_prot_region(READ) cannot be enforced on /dev/vrange: EOPNOTSUPP");
	} else {
		errno = EDOM;
		ok(ashmem_set_prot_region(fd, PROT_READ) == 0 && errno == EDOM,
		   "ashmem_set_prot_region(READ), errno left alone");
		ok(mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED &&
		   errno == EPERM, "then a writable mapping is EPERM");
	}
	close(fd);

	/* The device chosen above is kept: a new node there is not tried. */
	faked = fake_boot_id_node();
	if (faked) {
		errno = EDOM;
		fd2 = ashmem_create_region("kept", vt_page);
		r = errno;
		unlink(boot_id_node);
		ok(fd2 >= 0 && r == EDOM && ashmem_get_size_region(fd2) == (int)vt_page,
		   "the device chosen first is kept (a boot id node made later is not opened)");
		close(fd2);
	} else {
		skip(geteuid() ? "not root" : "a node has that name already",
		     "the device chosen first is kept");
	}

	fd = ashmem_create_region(NULL, vt_page);
	ok(fd >= 0 && ashmem_get_size_region(fd) == (int)vt_page,
	   "ashmem_create_region(NULL, size)");
	ok(fd >= 0 && region_name(fd, fallback, name) == 0 && !strcmp(name, "none"),
	   "a NULL name is \"none\", as libcutils names it (%s)", name);
	close(fd);
	ok(in_child(emfile), "out of fds: -1, EMFILE");
	close(nfd);
	return tap_finish("ashmem_libcutils");
}
