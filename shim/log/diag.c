/* SPDX-License-Identifier: MIT */
/*
 * diag.c - libjoin's own diagnostics: a "# libjoin: " line (line.h), or in a JSONL
 * log the same as a warning event (warning.c), formatted here and handed to the log,
 * which only writes; what the log refuses goes to stderr.
 */
#include "log/diag.h"
#include "base/config.h"
#include "base/line.h"
#include "log/log.h"
#include "ring/pidns.h"
#include "text/text.h"
#include <errno.h>
#include <stdarg.h>
#include <string.h>

/* In a JSONL log a diagnostic is a warning event, line by line (jq reads every line). */
static __attribute__((noinline)) void warn_jsonl(const char *line, size_t len)
{
	char ev[2048];
	struct join_self me;
	join_pidns_self(&me);
	while (len) {
		const char *nl = memchr(line, '\n', len);
		size_t k = nl ? (size_t)(nl - line) + 1 : len, n;
		n = join_warning_jsonl(ev, sizeof ev, &me, line, k);
		if (!n || join_log_put(ev, n) < 0)
			join_stderr_write(line, k);
		line += k;
		len -= k;
	}
}

void join_diag_write(const char *line, size_t len)
{
	int err = errno;
	if (join_cfg.log_kind != JOIN_LOG_OFF && join_cfg.format == JOIN_FORMAT_JSONL)
		warn_jsonl(line, len);
	else if (join_log_put(line, len) < 0)
		join_stderr_write(line, len);
	errno = err;
}

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
	join_diag_write(buf, l.len);
}
