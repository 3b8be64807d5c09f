// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/vrange: one region per open file, and the ioctls that drive it.
 * User memory is copied in before any region lock is taken.
 */
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/uaccess.h>

#include "args.h"
#include "vrange.h"

static int vrange_open(struct inode *inode, struct file *file)
{
	struct vrange_region *region = vrange_region_create();

	if (!region)
		return -ENOMEM;
	file->private_data = region;
	return 0;
}

static int vrange_release(struct inode *inode, struct file *file)
{
	vrange_region_put(file->private_data);
	return 0;
}

static long vrange_ioctl_set_name(struct vrange_region *region,
				  const char __user *uname)
{
	char name[VRANGE_NAME_LEN];
	long len = strncpy_from_user(name, uname, sizeof(name));
	int err;

	if (len < 0)
		return len;
	err = vr_check_name(name, len);
	if (err)
		return err;
	return vrange_region_set_name(region, name);
}

static long vrange_ioctl_get_name(struct vrange_region *region,
				  char __user *uname)
{
	char name[VRANGE_NAME_LEN];

	vrange_region_get_name(region, name);
	if (copy_to_user(uname, name, strlen(name) + 1))
		return -EFAULT;
	return 0;
}

static long vrange_ioctl_range(struct vrange_region *region, unsigned int cmd,
			       const void __user *arg)
{
	struct vrange_range range;

	if (copy_from_user(&range, arg, sizeof(range)))
		return -EFAULT;
	switch (cmd) {
	case VRANGE_PIN:
		return vrange_region_pin(region, range.offset, range.len);
	case VRANGE_UNPIN:
		return vrange_region_unpin(region, range.offset, range.len,
					   &vrange_unpin_normal);
	default:
		return vrange_region_status(region, range.offset, range.len);
	}
}

static long vrange_ioctl_unpin_class(struct vrange_region *region,
				     const void __user *arg)
{
	struct vrange_unpin_args args;
	struct vr_unpin_mode mode;
	int err;

	if (copy_from_user(&args, arg, sizeof(args)))
		return -EFAULT;
	err = vr_check_unpin_args(&args, &mode);
	if (err)
		return err;
	return vrange_region_unpin(region, args.offset, args.len, &mode);
}

static long vrange_ioctl_purge_info(struct vrange_region *region,
				    void __user *arg)
{
	struct vrange_purge_info info;

	vrange_region_purge_info(region, &info);
	/* Only a read that reached the owner clears POLLPRI. */
	if (copy_to_user(arg, &info, sizeof(info)))
		return -EFAULT;
	vrange_region_purge_seen(region, &info);
	return 0;
}

/*
 * Pin, unpin and purge discard pages or zero-fill them for every mapper of
 * the region: like write(2), they need a descriptor opened for writing.
 */
static bool vrange_cmd_needs_write(unsigned int cmd)
{
	switch (cmd) {
	case VRANGE_PIN:
	case VRANGE_UNPIN:
	case VRANGE_UNPIN_CLASS:
	case VRANGE_PURGE:
	case VRANGE_PURGE_ALL:
		return true;
	}
	return false;
}

static long vrange_ioctl(struct file *file, unsigned int cmd,
			 unsigned long arg)
{
	struct vrange_region *region = file->private_data;
	void __user *uarg = (void __user *)arg;
	u64 size;

	if (vrange_cmd_needs_write(cmd) && !(file->f_mode & FMODE_WRITE))
		return -EBADF;
	switch (cmd) {
	case VRANGE_SET_SIZE:
		if (get_user(size, (u64 __user *)uarg))
			return -EFAULT;
		return vrange_region_set_size(region, size);
	case VRANGE_GET_SIZE:
		return put_user(READ_ONCE(region->size), (u64 __user *)uarg);
	case VRANGE_SET_NAME:
		return vrange_ioctl_set_name(region, uarg);
	case VRANGE_GET_NAME:
		return vrange_ioctl_get_name(region, uarg);
	case VRANGE_PIN:
	case VRANGE_UNPIN:
	case VRANGE_GET_STATUS:
		return vrange_ioctl_range(region, cmd, uarg);
	case VRANGE_UNPIN_CLASS:
		return vrange_ioctl_unpin_class(region, uarg);
	case VRANGE_GET_PURGE_INFO:
		return vrange_ioctl_purge_info(region, uarg);
	case VRANGE_PURGE:
		return vr_ioctl_count(vrange_region_purge(region,
							 VRANGE_REASON_PURGE));
	case VRANGE_PURGE_ALL:
		if (!capable(CAP_SYS_ADMIN))
			return -EPERM;
		return vr_ioctl_count(vrange_purge_all());
	}
	return -ENOTTY;
}

/* POLLPRI while a purge took pages the owner has not read about yet. */
static __poll_t vrange_poll(struct file *file, poll_table *wait)
{
	struct vrange_region *region = file->private_data;

	poll_wait(file, &region->poll_wq, wait);
	return vrange_region_purge_pending(region) ? EPOLLPRI : 0;
}

static void vrange_show_fdinfo(struct seq_file *m, struct file *file)
{
	vrange_region_show(file->private_data, m);
}

static const struct file_operations vrange_fops = {
	.owner		= THIS_MODULE,
	.open		= vrange_open,
	.release	= vrange_release,
	.mmap		= vrange_mmap,
	.poll		= vrange_poll,
	.unlocked_ioctl	= vrange_ioctl,
	/* Every argument is made of __u64 fields: same layout for 32-bit. */
	.compat_ioctl	= compat_ptr_ioctl,
	.show_fdinfo	= vrange_show_fdinfo,
	.llseek		= noop_llseek,
};

static struct miscdevice vrange_misc = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "vrange",
	.fops	= &vrange_fops,
	.mode	= 0666,
	.groups	= vrange_attr_groups,
};

int vrange_dev_init(void)
{
	return misc_register(&vrange_misc);
}

void vrange_dev_exit(void)
{
	misc_deregister(&vrange_misc);
}
