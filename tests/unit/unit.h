/* SPDX-License-Identifier: GPL-2.0 */
/* Minimal TAP output for the userspace unit tests. */
#ifndef VRANGE_UNIT_H
#define VRANGE_UNIT_H
#include <stdio.h>

static int unit_n, unit_failed;

#define unit_check(cond, ...) do {					\
	unit_n++;							\
	if (cond) {							\
		printf("ok %d - ", unit_n);				\
	} else {							\
		unit_failed++;						\
		printf("not ok %d - ", unit_n);				\
	}								\
	printf(__VA_ARGS__);						\
	printf("\n");							\
} while (0)

static inline int unit_done(void)
{
	printf("1..%d\n", unit_n);
	return unit_failed ? 1 : 0;
}
#endif
