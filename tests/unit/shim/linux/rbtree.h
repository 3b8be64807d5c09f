/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/rbtree.h>: the same API over a plain binary
 * search tree.  It does not balance (rb_insert_color is a no-op): the unit
 * tests check the interval logic built on the tree, not the kernel's
 * balancing, and random operations keep the depth logarithmic anyway.
 */
#ifndef SHIM_LINUX_RBTREE_H
#define SHIM_LINUX_RBTREE_H
#include <stddef.h>

struct rb_node {
	struct rb_node *parent, *rb_left, *rb_right;
};

struct rb_root {
	struct rb_node *rb_node;
};

#define RB_ROOT ((struct rb_root) { NULL })
#define rb_entry(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

static inline void rb_link_node(struct rb_node *node, struct rb_node *parent,
				struct rb_node **link)
{
	node->parent = parent;
	node->rb_left = node->rb_right = NULL;
	*link = node;
}

static inline void rb_insert_color(struct rb_node *node, struct rb_root *root)
{
	(void)node;
	(void)root;
}

static inline struct rb_node *rb_leftmost(struct rb_node *n)
{
	while (n && n->rb_left)
		n = n->rb_left;
	return n;
}

static inline struct rb_node *rb_first(const struct rb_root *root)
{
	return rb_leftmost(root->rb_node);
}

static inline struct rb_node *rb_next(const struct rb_node *n)
{
	if (n->rb_right)
		return rb_leftmost(n->rb_right);
	while (n->parent && n == n->parent->rb_right)
		n = n->parent;
	return n->parent;
}

static inline struct rb_node *rb_prev(const struct rb_node *n)
{
	if (n->rb_left) {
		n = n->rb_left;
		while (n->rb_right)
			n = n->rb_right;
		return (struct rb_node *)n;
	}
	while (n->parent && n == n->parent->rb_left)
		n = n->parent;
	return n->parent;
}

static inline void rb_transplant(struct rb_root *root, struct rb_node *old,
				 struct rb_node *new)
{
	if (!old->parent)
		root->rb_node = new;
	else if (old == old->parent->rb_left)
		old->parent->rb_left = new;
	else
		old->parent->rb_right = new;
	if (new)
		new->parent = old->parent;
}

static inline void rb_erase(struct rb_node *n, struct rb_root *root)
{
	struct rb_node *s;

	if (!n->rb_left) {
		rb_transplant(root, n, n->rb_right);
	} else if (!n->rb_right) {
		rb_transplant(root, n, n->rb_left);
	} else {
		s = rb_leftmost(n->rb_right);
		if (s->parent != n) {
			rb_transplant(root, s, s->rb_right);
			s->rb_right = n->rb_right;
			s->rb_right->parent = s;
		}
		rb_transplant(root, n, s);
		s->rb_left = n->rb_left;
		s->rb_left->parent = s;
	}
}
#endif
