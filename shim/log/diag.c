/* SPDX-License-Identifier: MIT */
/* diag.c - a "# libjoin: " line to the log (line.h). */
#include "base/line.h"
#include "log/log.h"
#include <stdarg.h>

/* A path in a diagnostic may be PATH_MAX long: room for it and the words. */
void join_diag(const char *first, ...)
{
	char buf[4096 + 256];
	struct join_line l = JOIN_LINE(buf);
	va_list ap;
	join_line_str(&l, JOIN_DIAG);
	va_start(ap, first);
	join_line_vcat(&l, first, ap);
	va_end(ap);
	if (l.len >= l.cap) /* cut: it still ends its line */
		l.len = l.cap - 1;
	join_line_put(&l, "\n", 1);
	join_log_warn(buf, l.len);
}
