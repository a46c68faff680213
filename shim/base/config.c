/* SPDX-License-Identifier: MIT */
/* config.c - JOIN_* variables to struct join_config, with one warning per bad value. */
#include "base/config.h"
#include "base/line.h"
#include "base/record.h"
#include <errno.h>
#include <string.h>
#include <unistd.h>

struct join_config join_cfg;
const char *join_load_cwd;

/* The value as shown in a warning: printable bytes, others as \xHH, cut at 64.  A
 * ": " is shown as "\x3a ", so the first ": " of a warning ends its value (log.c
 * reads the variable and the value back from the line for a JSONL warning event). */
static void put_value(struct join_line *w, const char *v)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;
	for (i = 0; v[i] && i < 64; i++) {
		unsigned char c = (unsigned char)v[i];
		if (c >= 0x20 && c < 0x7f && c != '\\' && !(c == ':' && v[i + 1] == ' ')) {
			join_line_put(w, (char *)&c, 1);
		} else {
			char e[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
			join_line_put(w, e, 4);
		}
	}
	if (v[i])
		join_line_str(w, "...");
}

/* A warning goes in whole or not at all: a cut line would run into the program's output. */
static void warn(struct join_line *w, const char *name, const char *v, const char *why,
                 const char *fallback)
{
	char buf[512]; /* name and reason are short; the value shows at most 64 * 4 + 3 bytes */
	struct join_line line = JOIN_LINE(buf);
	join_line_cat(&line, JOIN_DIAG, name, "=", NULL);
	put_value(&line, v);
	join_line_cat(&line, ": ", why, "; using ", fallback, "\n", NULL);
	if (join_line_fits(&line) && w->len + line.len < w->cap)
		join_line_put(w, buf, line.len);
}

/* Strict decimal in [0, max]; -1 otherwise. */
static long decimal(const char *s, long max)
{
	long v = 0;
	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		if (v > (max - (*s - '0')) / 10)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

/* Tables of words in place (no pointers: no relocation at load). */
static int word(const char *v, const char (*words)[8], int n)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(v, words[i]))
			return i;
	return -1;
}

/* One rule for every keyword: exact and lower case.  A switch is 1 or on, 0 or off;
 * "yes", "True", "ON" are warned about, not guessed at. */
static int boolean(const char *v)
{
	static const char w[][8] = {"0", "off", "1", "on"};
	int i = word(v, w, 4);
	return i < 0 ? -1 : i >= 2;
}

/* Does v begin with keyword k whatever its case?  (Without locale: ASCII only.) */
static int keyword_icase(const char *v, const char *k, int whole)
{
	size_t i;
	for (i = 0; k[i]; i++)
		if (((unsigned char)v[i] | 0x20) != k[i])
			return 0;
	return !whole || !v[i];
}

/* "Off", "STDERR", "FD:3": a keyword in the wrong case is a typo far more often than a
 * file name (a file so named is still reached as ./Off). */
static int miscased(const char *v)
{
	return keyword_icase(v, "off", 1) || keyword_icase(v, "stderr", 1) ||
	       keyword_icase(v, "fd:", 0);
}

/* For the constructor, without a call into libc (each first call is a lazy binding):
 * the rest of v after prefix p, or NULL. */
static const char *after(const char *v, const char *p)
{
	while (*p)
		if (*v++ != *p++)
			return NULL;
	return v;
}

static int among(const char *v, const char (*words)[8], int n)
{
	for (int i = 0; i < n; i++) {
		const char *r = after(v, words[i]);
		if (r && !*r)
			return 1;
	}
	return 0;
}

int join_config_bad(const char *var)
{
	static const char formats[][8] = {"await", "jsonl"}, styles[][8] = {"plan9", "p9p"};
	static const char switches[][8] = {"0", "off", "1", "on"}, logs[][8] = {"off", "stderr"};
	const char *v;
	if ((v = after(var, "FORMAT=")))
		return !among(v, formats, 2);
	if ((v = after(var, "STYLE=")))
		return !among(v, styles, 2);
	if ((v = after(var, "WATCH=")) || (v = after(var, "REPORT=")) || (v = after(var, "ARGV=")))
		return !among(v, switches, 4);
	if ((v = after(var, "ZOMBIE_MS=")))
		return decimal(v, 86400000L) < 0;
	if ((v = after(var, "LOG="))) { /* the values set_log warns about, as they are */
		const char *fd = after(v, "fd:");
		if (fd)
			return decimal(fd, 1 << 30) < 0;
		return !*v || (miscased(v) && !among(v, logs, 2));
	}
	return 0;
}

static void set_log(struct join_config *c, const char *v, struct join_line *w)
{
	if (!strcmp(v, "off")) {
		c->log_kind = JOIN_LOG_OFF;
	} else if (!strcmp(v, "stderr")) {
		c->log_kind = JOIN_LOG_FD;
		c->log_fd = 2;
	} else if (!strncmp(v, "fd:", 3)) {
		long fd = decimal(v + 3, 1 << 30);
		if (fd < 0) {
			warn(w, "JOIN_LOG", v, "not a descriptor number", "stderr");
			return;
		}
		c->log_kind = JOIN_LOG_FD;
		c->log_fd = (int)fd;
	} else if (!*v) {
		warn(w, "JOIN_LOG", v, "empty", "stderr");
	} else if (miscased(v)) {
		warn(w, "JOIN_LOG", v, "keywords are off, stderr and fd:N in lower case", "stderr");
	} else {
		size_t n = strlen(v), at = 0;
		if (v[0] != '/') {
			/* The program may chdir later: fix the directory now. */
			if (join_load_cwd && strlen(join_load_cwd) < sizeof c->log_path)
				strcpy(c->log_path, join_load_cwd);
			else if (!getcwd(c->log_path, sizeof c->log_path)) {
				warn(w, "JOIN_LOG", v, "relative, and no working directory",
				     "stderr");
				return;
			}
			at = strlen(c->log_path);
			c->log_path[at++] = '/';
		}
		if (at + n >= sizeof c->log_path) {
			warn(w, "JOIN_LOG", v, "path too long", "stderr");
			return;
		}
		memcpy(c->log_path + at, v, n + 1);
		c->log_kind = JOIN_LOG_PATH;
	}
}

/* Set by a collector for its tree: an absolute path or "sysv:<id>" (ringfile.c), or
 * "none" when the tree's root could not start one (so that no process of the tree
 * tries again). */
static void set_ring(struct join_config *c, const char *v, struct join_line *w)
{
	size_t n = strlen(v);
	if (!strcmp(v, "none")) {
		c->ring_none = 1;
		return;
	}
	if ((v[0] != '/' && strncmp(v, "sysv:", 5)) || n >= sizeof c->ring_path) {
		warn(w, "JOIN_RING", v, "not an absolute path or sysv:ID", "no collector");
		return;
	}
	memcpy(c->ring_path, v, n + 1);
}

static void set(struct join_config *c, const char *name, const char *v, struct join_line *w)
{
	static const char formats[][8] = {"await", "jsonl"};
	static const char styles[][8] = {"plan9", "p9p"};
	int i;
	long n;
	if (!strcmp(name, "LOG")) {
		set_log(c, v, w);
	} else if (!strcmp(name, "FORMAT")) {
		if ((i = word(v, formats, 2)) < 0) {
			warn(w, "JOIN_FORMAT", v, "not await or jsonl", "await");
			return;
		}
		c->format = i;
	} else if (!strcmp(name, "STYLE")) {
		if ((i = word(v, styles, 2)) < 0) {
			warn(w, "JOIN_STYLE", v, "not plan9 or p9p", "plan9");
			return;
		}
		c->style = i;
	} else if (!strcmp(name, "WATCH")) {
		if ((i = boolean(v)) < 0) {
			warn(w, "JOIN_WATCH", v, "not 1, on, 0 or off", "0 (off)");
			return;
		}
		c->watch = i;
	} else if (!strcmp(name, "REPORT")) {
		if ((i = boolean(v)) < 0) {
			warn(w, "JOIN_REPORT", v, "not on, 1, off or 0", "on");
			return;
		}
		c->report = i;
	} else if (!strcmp(name, "ZOMBIE_MS")) {
		if ((n = decimal(v, 86400000L)) < 0) {
			warn(w, "JOIN_ZOMBIE_MS", v, "not milliseconds from 0 to 86400000", "1000");
			return;
		}
		c->zombie_ms = n;
	} else if (!strcmp(name, "ARGV")) {
		if ((i = boolean(v)) < 0) {
			warn(w, "JOIN_ARGV", v, "not 1, on, 0 or off", "0 (off)");
			return;
		}
		c->argv = i;
	} else if (!strcmp(name, "RING")) {
		set_ring(c, v, w);
	}
}

/* "JOIN_<name>=<value>": the name and the value, without a call into libc: every
 * exec runs this, and each libc function's first call through our PLT costs a lazy
 * binding (some 700 instructions). */
static int join_var(const char *s, char name[16], const char **value)
{
	static const char pre[] = "JOIN_";
	size_t i, n;
	for (i = 0; i < 5; i++)
		if (s[i] != pre[i])
			return 0;
	for (n = 0; s[5 + n] && s[5 + n] != '='; n++)
		if (n == 15)
			return 0; /* longer than any of ours */
	if (s[5 + n] != '=')
		return 0;
	for (i = 0; i < n; i++)
		name[i] = s[5 + i];
	name[n] = 0;
	*value = s + 6 + n;
	return 1;
}

void join_config_parse(struct join_config *c, char **envp, int secure, char *warnbuf, size_t cap)
{
	struct join_line w = {warnbuf, cap, 0}; /* whole lines, and room for the NUL */
	/* Field by field: zeroing the whole struct would touch its PATH_MAX bytes. */
	c->on = 0;
	c->log_kind = JOIN_LOG_FD;
	c->log_fd = 2;
	c->log_path[0] = 0;
	c->ring_path[0] = 0;
	c->ring_none = 0;
	c->format = 0;
	c->style = 0;
	c->watch = 0;
	c->zombie_ms = 1000;
	c->report = 1;
	c->argv = 0;
	if (cap)
		warnbuf[0] = 0;
	if (secure) { /* a privileged program: read nothing, open nothing, only forward */
		c->log_kind = JOIN_LOG_OFF;
		return;
	}
	c->on = 1;
	/* One pass over the environment instead of a getenv per variable. */
	for (char **e = envp; e && *e; e++) {
		char name[16];
		const char *v;
		if (join_var(*e, name, &v))
			set(c, name, v, &w);
	}
	join_line_nul(&w);
}
