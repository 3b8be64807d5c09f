/* SPDX-License-Identifier: GPL-2.0 */
/* The system UAPI header has the numbers; glibc includes it too. */
#include_next <linux/errno.h>
