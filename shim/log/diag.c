/* SPDX-License-Identifier: MIT */
/*
 * diag.c - libjoin's own diagnostics: a "# libjoin: " line (line.h), or in a JSONL
 * log the same as a warning event (text/jsonl.c), formatted here and handed to the
 * log, which only writes; what the log refuses goes to stderr.  A bad value comes as
 * data (base/config.h) and is worded here, once, for the line and the event alike.
 */
#include "log/diag.h"
#include "base/clock.h"
#include "base/config.h"
#include "base/line.h"
#include "log/log.h"
#include "ring/pidns.h"
#include "text/text.h"
#include <errno.h>
#include <stdarg.h>
#include <string.h>

/* Lines to the log as they are, or to stderr if it refuses them. */
static void put(const char *line, size_t len)
{
	if (join_log_put(line, len) < 0)
		join_stderr_write(line, len);
}

static int jsonl(void)
{
	return join_cfg.log_kind != JOIN_LOG_OFF && join_cfg.format == JOIN_FORMAT_JSONL;
}

/* A warning event of one line (len bytes, "# libjoin: ...\n"): its text without the
 * prefix and the line's end, and the variable and value of x (none: NULL).  The line
 * itself goes to stderr if the event does not fit or the log refuses it. */
static __attribute__((noinline)) void event(const char *line, size_t len, struct join_warning x)
{
	char ev[2048];
	struct join_self me;
	size_t k = strlen(JOIN_DIAG), n = len;
	if (n >= k && !memcmp(line, JOIN_DIAG, k))
		x.text = line + k, n -= k;
	else
		x.text = line;
	while (n && (x.text[n - 1] == '\n' || x.text[n - 1] == ' '))
		n--;
	x.ntext = n;
	join_pidns_self(&me);
	n = join_jsonl_warning(ev, sizeof ev, &me, join_now_ns(), &x);
	if (!n || join_log_put(ev, n) < 0)
		join_stderr_write(line, len);
}

/* A path in a diagnostic may be PATH_MAX long: room for it and the words.  In a JSONL
 * log an event a line (jq reads every line), of the text alone: a bad value, with its
 * variable and value, is said by join_diag_config. */
void join_diag(const char *first, ...)
{
	char buf[4096 + 256];
	struct join_line l = JOIN_LINE(buf);
	int err = errno;
	va_list ap;
	join_line_str(&l, JOIN_DIAG);
	va_start(ap, first);
	join_line_vcat(&l, first, ap);
	va_end(ap);
	if (l.len >= l.cap) /* cut: it still ends its line */
		l.len = l.cap - 1;
	join_line_put(&l, "\n", 1);
	if (!jsonl()) {
		put(buf, l.len);
		errno = err;
		return;
	}
	for (const char *s = buf, *end = buf + l.len; s < end;) { /* a piece may hold a '\n' */
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t k = nl ? (size_t)(nl - s) + 1 : (size_t)(end - s);
		event(s, k, (struct join_warning){0});
		s += k;
	}
	errno = err;
}

/* The value as shown: printable bytes, others and '\' as \xHH, cut at 64 ("...").  A
 * ": " in it is shown as it is: raw in the line, and so exact in the event's "value"
 * (the value as shown), since the event takes the variable and the value from the
 * warning's data, never by reading the line back, and the line need not mark where
 * the value ends. */
static void shown(struct join_line *l, const char *v)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;
	for (i = 0; v[i] && i < 64; i++) {
		unsigned char c = (unsigned char)v[i];
		if (c >= 0x20 && c < 0x7f && c != '\\') {
			join_line_put(l, (char *)&c, 1);
		} else {
			char e[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
			join_line_put(l, e, 4);
		}
	}
	if (v[i])
		join_line_str(l, "...");
}

/* The one wording of a bad value: "JOIN_X=<value>: <why>; using <fallback>" (no
 * fallback, no "; using").  The value as shown is at [*at, *at + *n) of l. */
static void wording(struct join_line *l, const struct join_config_warning *w, size_t *at, size_t *n)
{
	join_line_cat(l, w->var, "=", NULL);
	*at = l->len;
	shown(l, w->value);
	*n = l->len - *at;
	join_line_cat(l, ": ", w->why, NULL);
	if (w->fallback)
		join_line_cat(l, "; using ", w->fallback, NULL);
}

size_t join_diag_config_text(char *buf, size_t cap, const struct join_config_warning *w)
{
	struct join_line l = {buf, cap, 0};
	size_t at, n;
	wording(&l, w, &at, &n);
	join_line_nul(&l);
	return l.len;
}

/* Whole lines only: a cut one would run into the program's output.  In text, the
 * lines go in one write while they fit 4 KB (a warning of every variable at its
 * longest does); in a JSONL log each is an event. */
void join_diag_config(const struct join_config_warning *w, size_t n)
{
	char out[4096];
	size_t len = 0, k = strlen(JOIN_DIAG);
	int err = errno, events = jsonl();
	for (size_t i = 0; i < n; i++) {
		/* The names and reasons are short; the value shows at most 64 * 4 + 3 bytes. */
		char buf[512];
		struct join_line l = JOIN_LINE(buf);
		size_t at, nv;
		join_line_str(&l, JOIN_DIAG);
		wording(&l, &w[i], &at, &nv);
		join_line_put(&l, "\n", 1);
		if (!join_line_fits(&l))
			continue;
		if (events) {
			event(buf, l.len,
			      (struct join_warning){.var = buf + k,
			                            .nvar = strlen(w[i].var),
			                            .value = buf + at,
			                            .nvalue = nv});
			continue;
		}
		if (len + l.len > sizeof out) {
			put(out, len);
			len = 0;
		}
		memcpy(out + len, buf, l.len);
		len += l.len;
	}
	if (len)
		put(out, len);
	errno = err;
}
