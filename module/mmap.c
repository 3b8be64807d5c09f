// SPDX-License-Identifier: GPL-2.0
/*
 * Mapping a region: its shmem backing, and a fault handler in front of
 * shmem's that raises SIGBUS on purged pages.
 *
 * shmem_fault() is not exported, so the first mapping lets shmem install
 * its own vm_operations and we keep a copy of that table with .fault,
 * .open and .close of our own.  VMAs outlive the device file: each holds a
 * region reference and a module reference.
 */
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>

#include "args.h"
#include "trace.h"
#include "vrange.h"

/* Built from shmem's tables on first use; freed at module exit. */
static DEFINE_MUTEX(vrange_ops_lock);
static const struct vm_operations_struct *shmem_vm_ops;
static const struct vm_operations_struct *vrange_vm_ops;
static const struct file_operations *shmem_fops;
static const struct file_operations *vrange_backing_fops;

static void vrange_vm_open(struct vm_area_struct *vma)
{
	vrange_region_get(vma->vm_private_data);
	__module_get(THIS_MODULE);
}

static void vrange_vm_close(struct vm_area_struct *vma)
{
	vrange_region_put(vma->vm_private_data);
	module_put(THIS_MODULE);
}

/*
 * Shared region->lock from the purged check until shmem has the page in
 * place: a purge marks pages with it held exclusive, so it never frees a
 * page that a fault which saw "not purged" is about to map.  A fault on a
 * page that a purge is still freeing waits until it is gone, so it cannot
 * map the old page nor refill it in front of the truncation.  The
 * reference covers shmem returning VM_FAULT_RETRY after dropping the VMA
 * lock, which would free an unmapped region.
 */
static vm_fault_t vrange_fault(struct vm_fault *vmf)
{
	struct vrange_region *region = vmf->vma->vm_private_data;
	vm_fault_t ret;

	vrange_region_get(region);
	down_read(&region->lock);
	/* A page whose purge is in flight is neither here nor gone yet. */
	while (vrange_region_page_purging(region, vmf->pgoff)) {
		up_read(&region->lock);
		vrange_region_wait_purge(region, vmf->pgoff, vmf->pgoff + 1);
		down_read(&region->lock);
	}
	/* ashmem's ABI refills a purged page with zeros instead. */
	if (!region->ashmem && vr_set_page_purged(&region->set, vmf->pgoff)) {
		trace_vrange_sigbus(region, vmf->pgoff, vmf->address);
		ret = VM_FAULT_SIGBUS;
	} else {
		ret = shmem_vm_ops->fault(vmf);
	}
	up_read(&region->lock);
	vrange_region_sync_resident(region);
	vrange_region_put(region);
	return ret;
}

/*
 * The backing inode can be reached through /proc/PID/map_files; mapping it
 * there would bypass vrange_fault() and refill purged pages (the ashmem bug
 * known as CVE-2020-0009), and write() or ftruncate() would do the same.
 * Its file_operations are a copy of shmem's that refuses to open and mmap.
 */
static int vrange_backing_open(struct inode *inode, struct file *file)
{
	return -EPERM;
}

/*
 * The backing file shows in /proc/PID/maps as "/<prefix>/<name>", or
 * "/<prefix>" for an unnamed region.
 */
static struct file *vrange_make_file(const char *prefix, const char *name,
				     u64 size)
{
	char path[sizeof("dev/vrange/") + VRANGE_NAME_LEN];
	struct file *file;

	snprintf(path, sizeof(path), "%s%s%s", prefix, *name ? "/" : "", name);
	file = vrange_shmem_file_setup(path, size);
	if (IS_ERR(file))
		return file;

	mutex_lock(&vrange_ops_lock);
	if (!vrange_backing_fops) {
		struct file_operations *fops;	/* copy of a const table */

		fops = kmemdup(file->f_op, sizeof(*fops), GFP_KERNEL);
		if (fops) {
			/* A private ashmem VMA holds only the backing file. */
			fops->owner = THIS_MODULE;
			fops->open = vrange_backing_open;
			/*
			 * shmem_get_unmapped_area() asserts that it is handed a
			 * shmem file (VM_BUG_ON under CONFIG_DEBUG_VM, hit by
			 * mremap(MREMAP_MAYMOVE) of a region mapping). Regions
			 * are mapped without huge pages, so the mm's default
			 * placement is what mmap of /dev/vrange uses too.
			 */
			fops->get_unmapped_area = NULL;
			vrange_fops_refuse_mmap(fops);
			shmem_fops = file->f_op;
			vrange_backing_fops = fops;
		}
	}
	mutex_unlock(&vrange_ops_lock);
	if (!vrange_backing_fops || file->f_op != shmem_fops ||
	    !vrange_fops_can_mmap(shmem_fops)) {
		pr_warn_once("vrange: unexpected shmem file operations\n");
		fput(file);
		return ERR_PTR(vrange_backing_fops ? -ENODEV : -ENOMEM);
	}
	__module_get(THIS_MODULE);	/* put by fput() through ->owner */
	file->f_op = vrange_backing_fops;
	file_inode(file)->i_fop = vrange_backing_fops;
	return file;
}

static struct file *vrange_make_backing(const char *name, u64 size)
{
	return vrange_make_file("dev/vrange", name, size);
}

static struct file *vrange_make_ashmem_backing(const char *name, u64 size)
{
	return vrange_make_file("dev/ashmem", name, size);
}

static int vrange_backing(struct vrange_region *region, u64 end_page)
{
	return vrange_region_make_backing(region, region->ashmem ?
					  vrange_make_ashmem_backing :
					  vrange_make_backing, end_page);
}

/* Adopt shmem's vm_operations once, with our fault and lifetime hooks. */
static int vrange_adopt_vm_ops(struct vm_area_struct *vma)
{
	int ret = 0;

	mutex_lock(&vrange_ops_lock);
	if (!vrange_vm_ops && vma->vm_ops && vma->vm_ops->fault) {
		struct vm_operations_struct *ops;	/* copy of a const table */

		ops = kmemdup(vma->vm_ops, sizeof(*ops), GFP_KERNEL);
		if (ops) {
			ops->fault = vrange_fault;
			ops->open = vrange_vm_open;
			ops->close = vrange_vm_close;
			shmem_vm_ops = vma->vm_ops;
			vrange_vm_ops = ops;
		}
	}
	if (!vrange_vm_ops) {
		ret = -ENOMEM;
	} else if (vma->vm_ops != shmem_vm_ops) {
		pr_warn_once("vrange: unexpected shmem vm operations\n");
		ret = -ENODEV;
	}
	mutex_unlock(&vrange_ops_lock);
	return ret;
}

void vrange_mmap_exit(void)
{
	kfree(vrange_vm_ops);
	kfree(vrange_backing_fops);
}

int vrange_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct vrange_region *region = file->private_data;
	struct file *backing;
	int ret;

	/*
	 * Pin state belongs to the shared pages; a private copy has none.
	 * MAP_SHARED of a read-only descriptor lacks VM_SHARED (do_mmap()
	 * clears it along with VM_MAYWRITE) but keeps VM_MAYSHARE.
	 */
	if (!(vma->vm_flags & VM_MAYSHARE))
		return -EINVAL;

	/* A mapping past the end fails before it can freeze size and name. */
	if (vma_pages(vma) > VR_MAX_SIZE >> PAGE_SHIFT ||
	    vma->vm_pgoff > VR_MAX_SIZE >> PAGE_SHIFT)
		return -EINVAL;
	ret = vrange_backing(region, vma->vm_pgoff + vma_pages(vma));
	if (ret)
		return ret;

	/* Size and backing are frozen now: no lock needed to read them. */
	backing = region->backing;

	vrange_vma_set_file(vma, backing);
	ret = vrange_fops_mmap(shmem_fops, backing, vma);
	if (ret)
		return ret;
	ret = vrange_adopt_vm_ops(vma);
	if (ret)
		return ret;

	vma->vm_ops = vrange_vm_ops;
	vma->vm_private_data = region;
	/*
	 * A huge folio would cover purged neighbours of the faulting page and
	 * refill them behind vrange_fault()'s back: purge works in pages.
	 */
	vrange_vm_flags_set(vma, VM_NOHUGEPAGE);
	vrange_vm_open(vma);
	return 0;
}

/*
 * ashmem's MAP_PRIVATE: private anonymous memory that does not see the
 * shared pages, yet freezes size and name like any first mapping and
 * names the backing file in /proc/PID/maps, as the reference does.
 */
int vrange_mmap_private(struct file *file, struct vm_area_struct *vma)
{
	struct vrange_region *region = file->private_data;
	int ret;

	if (vma_pages(vma) > VR_MAX_SIZE >> PAGE_SHIFT)
		return -EINVAL;
	ret = vrange_backing(region, vma_pages(vma));
	if (ret)
		return ret;
	vrange_vma_set_file(vma, region->backing);
	vma_set_anonymous(vma);
	return 0;
}
