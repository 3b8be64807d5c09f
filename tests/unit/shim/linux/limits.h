/* SPDX-License-Identifier: GPL-2.0 */
/* The kernel's <linux/limits.h> has INT_MAX; in userspace libc's has. */
#include <limits.h>
