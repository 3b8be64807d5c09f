// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/ashmem: the Android ashmem ABI over vrange regions.
 *
 * Each open file is a vrange region in ashmem mode (region->ashmem): the
 * same interval set, LRU and shrinker as /dev/vrange, with ashmem's
 * argument rules, its prot mask, zero-fill instead of SIGBUS after a purge,
 * MAP_PRIVATE as private anonymous memory, and read()/llseek() through the
 * backing file.  User memory is copied before any region lock is taken.
 *
 * If a misc device named "ashmem" exists already (Debian 5.10 ships the
 * staging driver as ashmem_linux.ko), we leave /dev/ashmem to it.
 */
#include <linux/capability.h>
#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mman.h>
#include <linux/module.h>
#include <linux/namei.h>
#include <linux/personality.h>
#include <linux/uaccess.h>
#include <linux/uio.h>

#include "../include/uapi/linux/ashmem.h"
#include "args.h"
#include "ashmem_args.h"
#include "vrange.h"

static bool ashmem = true;
module_param(ashmem, bool, 0444);
MODULE_PARM_DESC(ashmem,
		 "Register /dev/ashmem, the Android ashmem ABI (default: on)");

#define ASHMEM_SYSFS_PATH	"/sys/devices/virtual/misc/ashmem"

static int ashmem_open(struct inode *inode, struct file *file)
{
	struct vrange_region *region;
	int err = generic_file_open(inode, file);

	if (err)
		return err;
	region = vrange_region_create();
	if (!region)
		return -ENOMEM;
	region->ashmem = true;
	region->prot_mask = ASHMEM_PROT_ALL;
	file->private_data = region;
	return 0;
}

static int ashmem_release(struct inode *inode, struct file *file)
{
	vrange_region_put(file->private_data);
	return 0;
}

/* The backing file once mapped (NULL before), and the size. */
static struct file *ashmem_backing(struct vrange_region *region, u64 *size)
{
	struct file *backing;

	down_read(&region->lock);
	backing = region->backing;
	if (size)
		*size = region->size;
	up_read(&region->lock);
	return backing;	/* fixed once set; the region holds a reference */
}

/* Reads the area through the backing file: EOF at size 0, EBADF unmapped. */
static ssize_t ashmem_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct vrange_region *region = iocb->ki_filp->private_data;
	struct kiocb kiocb;
	struct file *backing;
	ssize_t ret;
	u64 size;

	backing = ashmem_backing(region, &size);
	if (!size)
		return 0;
	if (!backing)
		return -EBADF;
	init_sync_kiocb(&kiocb, backing);
	kiocb.ki_pos = iocb->ki_pos;
	ret = backing->f_op->read_iter(&kiocb, to);
	iocb->ki_pos = kiocb.ki_pos;
	return ret;
}

/*
 * SEEK_DATA/SEEK_HOLE ask shmem where the pages are, through its own
 * llseek: vfs_llseek() wants FMODE_LSEEK before 6.5, which the backing
 * file made by shmem_file_setup() lacks.
 */
static loff_t ashmem_llseek(struct file *file, loff_t offset, int whence)
{
	struct file *backing = ashmem_backing(file->private_data, NULL);
	loff_t ret;

	if (!backing)
		return -EBADF;
	if (whence == SEEK_DATA || whence == SEEK_HOLE) {
		ret = backing->f_op->llseek(backing, offset, whence);
		if (ret < 0)
			return ret;
		return vfs_setpos(file, ret, MAX_LFS_FILESIZE);
	}
	return generic_file_llseek_size(file, offset, whence, MAX_LFS_FILESIZE,
					i_size_read(file_inode(backing)));
}

/* VM_MAY* bits for the PROT_* bits outside @mask. */
static unsigned long ashmem_may_flags(unsigned long mask)
{
	unsigned long flags = 0;

	if (!(mask & PROT_READ))
		flags |= VM_MAYREAD;
	if (!(mask & PROT_WRITE))
		flags |= VM_MAYWRITE;
	if (!(mask & PROT_EXEC))
		flags |= VM_MAYEXEC;
	return flags;
}

/*
 * Checks the length against the size and the protection against the mask,
 * then clears the VM_MAY* bits outside the mask so that mprotect() cannot
 * add them later.  The size may still change until the backing exists:
 * vrange_region_make_backing() checks the mapping against the size it
 * freezes, under the region lock.
 */
static int ashmem_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct vrange_region *region = file->private_data;
	unsigned long prot = 0, mask;
	u64 size;
	int err;

	if (vma->vm_flags & VM_READ)
		prot |= PROT_READ;
	if (vma->vm_flags & VM_WRITE)
		prot |= PROT_WRITE;
	if (vma->vm_flags & VM_EXEC)
		prot |= PROT_EXEC;
	down_read(&region->lock);
	size = region->size;
	mask = region->prot_mask;
	up_read(&region->lock);
	err = ashmem_check_map(size, vma->vm_end - vma->vm_start, mask, prot);
	if (err)
		return err;
	vrange_vm_flags_clear(vma, ashmem_may_flags(mask));
	/* do_mmap() keeps only VM_MAYSHARE for a read-only descriptor. */
	if (vma->vm_flags & VM_MAYSHARE)
		return vrange_mmap(file, vma);
	return vrange_mmap_private(file, vma);
}

static long ashmem_set_name(struct vrange_region *region,
			    const char __user *uname)
{
	char name[ASHMEM_NAME_LEN];
	long len = strncpy_from_user(name, uname, sizeof(name));

	if (len < 0)
		return len;
	name[sizeof(name) - 1] = '\0';	/* longer names are cut at 255 */
	return vrange_region_set_name(region, name);
}

static long ashmem_get_name(struct vrange_region *region, char __user *uname)
{
	char name[ASHMEM_NAME_LEN];

	vrange_region_get_name(region, name);
	if (!name[0])
		strscpy(name, ASHMEM_NAME_DEF, sizeof(name));
	if (copy_to_user(uname, name, strlen(name) + 1))
		return -EFAULT;
	return 0;
}

/*
 * The mask only loses bits.  Unlike the reference, READ_IMPLIES_EXEC adds
 * PROT_EXEC only while the mask still has it, so it cannot grow back.
 */
static long ashmem_set_prot_mask(struct vrange_region *region,
				 unsigned long prot)
{
	bool rie = current->personality & READ_IMPLIES_EXEC;
	int err;

	down_write(&region->lock);
	err = ashmem_check_prot_mask(region->prot_mask, prot);
	if (!err)
		region->prot_mask &= ashmem_prot_implies_exec(prot, rie);
	up_write(&region->lock);
	return err;
}

static long ashmem_pin_ioctl(struct vrange_region *region, unsigned int cmd,
			     const void __user *uarg)
{
	struct ashmem_pin pin;
	int ret;

	if (copy_from_user(&pin, uarg, sizeof(pin)))
		return -EFAULT;
	switch (cmd) {
	case ASHMEM_PIN:	/* VRANGE_WAS_PURGED == ASHMEM_WAS_PURGED */
		return vrange_region_pin(region, pin.offset, pin.len);
	case ASHMEM_UNPIN:
		return vrange_region_unpin(region, pin.offset, pin.len,
					   &vrange_unpin_normal);
	}
	ret = vrange_region_status(region, pin.offset, pin.len);
	if (ret < 0)
		return ret;
	return ret & VRANGE_STATUS_UNPINNED ? ASHMEM_IS_UNPINNED :
					      ASHMEM_IS_PINNED;
}

/* Returns the unpinned, unpurged pages counted before purging them. */
static long ashmem_purge_all_caches(void)
{
	long pages;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	pages = atomic_long_read(&vrange_stats.unpinned_pages);
	vrange_purge_all();
	return vr_ioctl_count(max(pages, 0L));
}

static long ashmem_get_file_id(struct vrange_region *region,
			       void __user *uarg, bool compat)
{
	struct file *backing = ashmem_backing(region, NULL);
	unsigned long ino;

	if (!backing)
		return -EINVAL;
	ino = file_inode(backing)->i_ino;
#ifdef CONFIG_COMPAT
	if (compat)
		return put_user((compat_ulong_t)ino,
				(compat_ulong_t __user *)uarg);
#endif
	return put_user(ino, (unsigned long __user *)uarg);
}

/*
 * The ioctl syscall returns an int, which would cut a size of 2 GiB or
 * more (Android's driver returns it cut).
 */
static long ashmem_get_size(struct vrange_region *region)
{
	u64 size = READ_ONCE(region->size);

	return size > INT_MAX ? -EOVERFLOW : size;
}

/* As on /dev/vrange: what discards or zero-fills pages needs FMODE_WRITE. */
static bool ashmem_cmd_needs_write(unsigned int cmd)
{
	return cmd == ASHMEM_PIN || cmd == ASHMEM_UNPIN ||
	       cmd == ASHMEM_PURGE_ALL_CACHES;
}

static long ashmem_ioctl(struct file *file, unsigned int cmd,
			 unsigned long arg)
{
	struct vrange_region *region = file->private_data;
	void __user *uarg = (void __user *)arg;

	if (ashmem_cmd_needs_write(cmd) && !(file->f_mode & FMODE_WRITE))
		return -EBADF;
	switch (cmd) {
	case ASHMEM_SET_NAME:
		return ashmem_set_name(region, uarg);
	case ASHMEM_GET_NAME:
		return ashmem_get_name(region, uarg);
	case ASHMEM_SET_SIZE:		/* the value, not a pointer */
		return vrange_region_set_size(region, arg);
	case ASHMEM_GET_SIZE:
		return ashmem_get_size(region);
	case ASHMEM_SET_PROT_MASK:	/* the value, not a pointer */
		return ashmem_set_prot_mask(region, arg);
	case ASHMEM_GET_PROT_MASK:
		return READ_ONCE(region->prot_mask);
	case ASHMEM_PIN:
	case ASHMEM_UNPIN:
	case ASHMEM_GET_PIN_STATUS:
		return ashmem_pin_ioctl(region, cmd, uarg);
	case ASHMEM_PURGE_ALL_CACHES:
		return ashmem_purge_all_caches();
	case ASHMEM_GET_FILE_ID:
		return ashmem_get_file_id(region, uarg, false);
	}
	return -ENOTTY;
}

#ifdef CONFIG_COMPAT
/* 32-bit size_t and unsigned long change three command numbers. */
#define ASHMEM_COMPAT_SET_SIZE		_IOW(__ASHMEMIOC, 3, compat_size_t)
#define ASHMEM_COMPAT_SET_PROT_MASK	_IOW(__ASHMEMIOC, 5, compat_ulong_t)
#define ASHMEM_COMPAT_GET_FILE_ID	_IOR(__ASHMEMIOC, 11, compat_ulong_t)

static long ashmem_compat_ioctl(struct file *file, unsigned int cmd,
				unsigned long arg)
{
	switch (cmd) {
	case ASHMEM_COMPAT_SET_SIZE:
		return ashmem_ioctl(file, ASHMEM_SET_SIZE, arg);
	case ASHMEM_COMPAT_SET_PROT_MASK:
		return ashmem_ioctl(file, ASHMEM_SET_PROT_MASK, arg);
	case ASHMEM_COMPAT_GET_FILE_ID:
		return ashmem_get_file_id(file->private_data, compat_ptr(arg),
					  true);
	case ASHMEM_SET_NAME:
	case ASHMEM_GET_NAME:
	case ASHMEM_PIN:
	case ASHMEM_UNPIN:
	case ASHMEM_GET_PIN_STATUS:
		arg = (unsigned long)compat_ptr(arg);
		break;
	}
	return ashmem_ioctl(file, cmd, arg);
}
#endif

static void ashmem_show_fdinfo(struct seq_file *m, struct file *file)
{
	vrange_region_show(file->private_data, m);
}

/* No .write: write() fails with EINVAL, as on the reference. */
static const struct file_operations ashmem_fops = {
	.owner		= THIS_MODULE,
	.open		= ashmem_open,
	.release	= ashmem_release,
	.read_iter	= ashmem_read_iter,
	.llseek		= ashmem_llseek,
	.mmap		= ashmem_mmap,
	.unlocked_ioctl	= ashmem_ioctl,
#ifdef CONFIG_COMPAT
	.compat_ioctl	= ashmem_compat_ioctl,
#endif
	.show_fdinfo	= ashmem_show_fdinfo,
};

static struct miscdevice ashmem_misc = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "ashmem",
	.fops	= &ashmem_fops,
	.mode	= 0666,
};

static bool ashmem_registered;

static void ashmem_taken(void)
{
	pr_info("vrange: a misc device named ashmem exists already (ashmem_linux?); /dev/ashmem stays with it, /dev/vrange works\n");
}

/* Registering a second "ashmem" would splat in sysfs: look first. */
int vrange_ashmem_init(void)
{
	struct path path;
	int err;

	if (!ashmem)
		return 0;
	if (!kern_path(ASHMEM_SYSFS_PATH, 0, &path)) {
		path_put(&path);
		ashmem_taken();
		return 0;
	}
	err = misc_register(&ashmem_misc);
	if (err == -EBUSY || err == -EEXIST) {
		ashmem_taken();
		return 0;
	}
	if (err)
		return err;
	ashmem_registered = true;
	return 0;
}

void vrange_ashmem_exit(void)
{
	if (ashmem_registered)
		misc_deregister(&ashmem_misc);
}
