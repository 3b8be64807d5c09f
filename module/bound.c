// SPDX-License-Identifier: GPL-2.0
/*
 * The bound on what vrange makes the kernel hold for its callers: the
 * interval nodes and batches of the regions' pin state.  Every one of them
 * is allocated by a region's pool and charged here first, to the user
 * who opened the region (regions passed to other users stay charged to
 * the opener, as epoll's watches do) and to the system; freeing uncharges.
 * Past either limit the charge fails with -ENOSPC and the operation that
 * needed the nodes changes nothing.  Root is bounded too: the limits are
 * module parameters it can raise.
 *
 * The common pin/unpin cycle reuses pool nodes and charges nothing; only
 * growing the pool pays the two atomics.
 */
#include <linux/hashtable.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uidgid.h>

#include "bound_limit.h"
#include "vrange.h"

struct vrange_user {
	struct hlist_node node;
	kuid_t uid;
	unsigned int regions;		/* under vrange_users_lock */
	atomic_long_t nodes;
};

static DEFINE_HASHTABLE(vrange_users, 6);
static DEFINE_SPINLOCK(vrange_users_lock);
static atomic_long_t vrange_nodes;
static unsigned long vrange_user_default, vrange_system_default;

static unsigned long max_user_ranges;
module_param(max_user_ranges, ulong, 0644);
MODULE_PARM_DESC(max_user_ranges,
		 "Interval nodes and batches one user's regions may hold (0: 1/32 of RAM at 128 bytes each)");
static unsigned long max_ranges;
module_param(max_ranges, ulong, 0644);
MODULE_PARM_DESC(max_ranges,
		 "Interval nodes and batches all regions may hold (0: 1/8 of RAM at 128 bytes each)");

unsigned long vrange_user_limit(void)
{
	return vr_limit(READ_ONCE(max_user_ranges), vrange_user_default);
}

unsigned long vrange_system_limit(void)
{
	return vr_limit(READ_ONCE(max_ranges), vrange_system_default);
}

long vrange_nodes_used(void)
{
	return atomic_long_read(&vrange_nodes);
}

/* The caller's user, counted once more; NULL without memory. */
struct vrange_user *vrange_user_get(void)
{
	kuid_t uid = current_uid();
	struct vrange_user *user, *new;

	new = kzalloc(sizeof(*new), GFP_KERNEL_ACCOUNT);
	spin_lock(&vrange_users_lock);
	hash_for_each_possible(vrange_users, user, node, __kuid_val(uid)) {
		if (uid_eq(user->uid, uid)) {
			user->regions++;
			spin_unlock(&vrange_users_lock);
			kfree(new);
			return user;
		}
	}
	if (new) {
		new->uid = uid;
		new->regions = 1;
		hash_add(vrange_users, &new->node, __kuid_val(uid));
	}
	spin_unlock(&vrange_users_lock);
	return new;
}

/* Its last region gone (and so all its charges), the user goes too. */
void vrange_user_put(struct vrange_user *user)
{
	spin_lock(&vrange_users_lock);
	if (--user->regions) {
		user = NULL;
	} else {
		WARN_ON(atomic_long_read(&user->nodes));
		hash_del(&user->node);
	}
	spin_unlock(&vrange_users_lock);
	kfree(user);
}

/* Charge @n nodes to @user and the system, or fail with -ENOSPC. */
int vrange_charge(struct vrange_user *user, unsigned long n)
{
	if (!vr_limit_fits(atomic_long_add_return(n, &user->nodes),
			   vrange_user_limit()))
		goto undo_user;
	if (!vr_limit_fits(atomic_long_add_return(n, &vrange_nodes),
			   vrange_system_limit()))
		goto undo_system;
	return 0;

undo_system:
	atomic_long_sub(n, &vrange_nodes);
undo_user:
	atomic_long_sub(n, &user->nodes);
	return -ENOSPC;
}

void vrange_uncharge(struct vrange_user *user, unsigned long n)
{
	atomic_long_sub(n, &user->nodes);
	atomic_long_sub(n, &vrange_nodes);
}

void vrange_bound_init(void)
{
	unsigned long ram = totalram_pages();

	BUILD_BUG_ON(sizeof(struct vr_range) > VR_NODE_COST);
	BUILD_BUG_ON(sizeof(struct vr_batch) > VR_NODE_COST);
	vrange_user_default = vr_limit_default(ram, PAGE_SHIFT,
					       VR_USER_SHARE_SHIFT);
	vrange_system_default = vr_limit_default(ram, PAGE_SHIFT,
						 VR_SYSTEM_SHARE_SHIFT);
}
