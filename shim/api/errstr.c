/* SPDX-License-Identifier: MIT */
/* errstr.c - the per-thread error text of the Plan 9 calls (join_errstr). */
#include "base/api.h"
#include "api/errstr.h"
#include <errno.h>
#include <string.h>

static __thread char text[128] __attribute__((tls_model("initial-exec")));

void join_seterr(int err, const char *msg)
{
	size_t n = strlen(msg);
	if (n >= sizeof text)
		n = sizeof text - 1;
	memcpy(text, msg, n);
	text[n] = 0;
	errno = err;
}

JOIN_API const char *join_errstr(void)
{
	return text;
}
