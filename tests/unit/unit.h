/* SPDX-License-Identifier: MIT */
/* unit.h - what every cmocka unit test of the engine includes. */
#ifndef JOIN_UNIT_H
#define JOIN_UNIT_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <sys/types.h>
#include <unistd.h>

/* What fn(arg) writes on descriptor 2, caught in a temporary file: its length, the
 * bytes NUL-ended in got (cap bytes of room). */
static inline ssize_t unit_stderr_of(void (*fn)(void *), void *arg, char *got, size_t cap)
{
	char path[] = "/tmp/unit_stderr.XXXXXX";
	int fd = mkstemp(path), saved = dup(2);
	assert_true(fd >= 0 && saved >= 0);
	dup2(fd, 2);
	fn(arg);
	dup2(saved, 2);
	close(saved);
	ssize_t n = pread(fd, got, cap - 1, 0);
	close(fd);
	unlink(path);
	assert_true(n > 0);
	got[n] = 0;
	return n;
}
#endif
