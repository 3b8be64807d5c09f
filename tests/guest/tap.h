/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal plan-less TAP output for the vrange guest tests.
 *
 * Only the process that started the test prints result lines; helpers that
 * run in forked children report back through exit codes or shared memory.
 * stdout is made unbuffered by tap_init() so that output of forked children
 * is never duplicated and interleaves sanely on the serial console.
 */
#ifndef VRANGE_TAP_H
#define VRANGE_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

static int tap_count;
static int tap_failed;

static inline void tap_init(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	setvbuf(stderr, NULL, _IONBF, 0);
}

/* Print a "# ..." diagnostic line; returns 0 for use in "ok() || diag()". */
__attribute__((format(printf, 1, 2)))
static inline int diag(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printf("# %s\n", buf);
	return 0;
}

/* Record one result; returns @pass so callers can add diagnostics. */
__attribute__((format(printf, 2, 3)))
static inline int ok(int pass, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	tap_count++;
	if (!pass)
		tap_failed++;
	printf("%sok %d - %s\n", pass ? "" : "not ", tap_count, buf);
	return pass;
}

/* Skipped check: counts as passed. */
__attribute__((format(printf, 2, 3)))
static inline void skip(const char *why, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	tap_count++;
	printf("ok %d - %s # SKIP %s\n", tap_count, buf, why);
}

/* Abort the whole program: nothing sensible can follow. */
__attribute__((format(printf, 1, 2), noreturn))
static inline void bail_out(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printf("Bail out! %s\n", buf);
	exit(2);
}

/* Print the trailing plan and a summary; returns the exit status. */
static inline int tap_finish(const char *prog)
{
	printf("1..%d\n", tap_count);
	printf("# %s: %d passed, %d failed\n", prog,
	       tap_count - tap_failed, tap_failed);
	return tap_failed ? 1 : 0;
}

#endif /* VRANGE_TAP_H */
