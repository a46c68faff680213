/* SPDX-License-Identifier: MIT */
/*
 * config.c - JOIN_* variables to struct join_config, by one table of the settings,
 * with one warning per bad value.  A warning is data (variable, value, why, fallback)
 * that log/diag.c words; here only the reason is made, in one wording for every
 * setting of a kind ("not 1, on, 0 or off").
 */
#include "base/config.h"
#include "base/line.h"
#include "base/record.h"
#include <string.h>
#include <unistd.h>

struct join_config join_cfg;
const char *join_load_cwd;
/* join_cfg.on, kept apart (engine.h: join_active): set once by init.c, read on every call. */
int join_on;

/* How a setting reads its value. */
enum kind {
	WORD,   /* one of its words, exact and lower case: its number goes in the field (an int) */
	MILLIS, /* decimal milliseconds from 0 to max: the field is a long */
	LOG,    /* off, stderr, fd:N or a path: set_log */
	RING,   /* the tree's collector: set_ring */
};

/* One setting: its variable, how its value is read, the field of struct join_config it
 * sets, the values allowed, and the fallback (the default, which stands when the value
 * is bad).  In place, without a pointer: no relocation at load. */
struct setting {
	char var[16];          /* "JOIN_WATCH" */
	unsigned char kind;    /* enum kind */
	unsigned char words;   /* WORD: how many */
	unsigned short field;  /* WORD, MILLIS: its offset (LOG and RING: set_log, set_ring) */
	char word[4][8];       /* WORD: the values allowed, in the order a warning names them */
	signed char number[4]; /* WORD: each one's number in the field */
	long init;             /* WORD, MILLIS: the field's default */
	long max;              /* MILLIS */
	char fallback[16];     /* the default as a warning names it */
};

#define FIELD(f) .field = offsetof(struct join_config, f)
/* A switch: 1 or on, 0 or off ("yes", "True", "ON" are warned about, not guessed at). */
#define SWITCH .kind = WORD, .words = 4, .word = {"1", "on", "0", "off"}, .number = {1, 1, 0, 0}

static const struct setting settings[] = {
    {.var = "JOIN_LOG", .kind = LOG, .fallback = "stderr"},
    {.var = "JOIN_FORMAT",
     .kind = WORD,
     FIELD(format),
     .words = 2,
     .word = {"await", "jsonl"},
     .number = {JOIN_FORMAT_AWAIT, JOIN_FORMAT_JSONL},
     .init = JOIN_FORMAT_AWAIT,
     .fallback = "await"},
    {.var = "JOIN_STYLE",
     .kind = WORD,
     FIELD(style),
     .words = 2,
     .word = {"plan9", "p9p"},
     .number = {JOIN_STYLE_PLAN9, JOIN_STYLE_P9P},
     .init = JOIN_STYLE_PLAN9,
     .fallback = "plan9"},
    {.var = "JOIN_WATCH", SWITCH, FIELD(watch), .init = 0, .fallback = "0 (off)"},
    {.var = "JOIN_ZOMBIE_MS",
     .kind = MILLIS,
     FIELD(zombie_ms),
     .init = 1000,
     .max = 86400000L,
     .fallback = "1000"},
    {.var = "JOIN_REPORT", SWITCH, FIELD(report), .init = 1, .fallback = "on"},
    {.var = "JOIN_ARGV", SWITCH, FIELD(argv), .init = 0, .fallback = "0 (off)"},
    {.var = "JOIN_RING", .kind = RING, .fallback = "no collector"},
};
#define NSETTINGS (sizeof settings / sizeof *settings)
_Static_assert(NSETTINGS <= JOIN_CONFIG_WARNINGS, "room for a warning of every setting");

/* For the constructor, without a call into libc (each first call is a lazy binding):
 * the rest of v after prefix p, or NULL. */
static const char *after(const char *v, const char *p)
{
	while (*p)
		if (*v++ != *p++)
			return NULL;
	return v;
}

/* Is v the keyword k, exactly? */
static int is(const char *v, const char *k)
{
	const char *r = after(v, k);
	return r && !*r;
}

/* "WATCH=1" (a JOIN_ variable without its prefix): its setting, and its value in *value;
 * NULL for a name not ours.  Without a call into libc: every exec runs this. */
static const struct setting *setting_of(const char *s, const char **value)
{
	for (size_t i = 0; i < NSETTINGS; i++) {
		const char *v = after(s, settings[i].var + 5);
		if (v && *v == '=') {
			*value = v + 1;
			return &settings[i];
		}
	}
	return NULL;
}

/* The warnings of one parse. */
struct warnings {
	struct join_config_warning *at;
	size_t cap, n;
};

/* Bad value v of setting s: why it is refused (NULL: the setting's allowed values say
 * it, in the one wording of its kind), and the fallback stands. */
static void warn(struct warnings *w, const struct setting *s, const char *v, const char *why)
{
	if (w->n == w->cap)
		return;
	struct join_config_warning *x = &w->at[w->n++];
	struct join_line l = JOIN_LINE(x->why);
	x->var = s->var;
	x->value = v;
	x->fallback = s->fallback;
	if (why) {
		join_line_str(&l, why);
	} else if (s->kind == MILLIS) {
		join_line_str(&l, "not milliseconds from 0 to ");
		join_line_u64(&l, (uint64_t)s->max);
	} else { /* "not await or jsonl", "not 1, on, 0 or off" */
		join_line_str(&l, "not ");
		for (int i = 0; i < s->words; i++) {
			if (i)
				join_line_str(&l, i + 1 < s->words ? ", " : " or ");
			join_line_str(&l, s->word[i]);
		}
	}
	join_line_nul(&l);
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

/* One rule for every keyword: exact and lower case.  The index of v among the
 * setting's words, or -1.  Without a call into libc, for the constructor. */
static int word(const struct setting *s, const char *v)
{
	for (int i = 0; i < s->words; i++)
		if (is(v, s->word[i]))
			return i;
	return -1;
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

int join_config_bad(const char *var)
{
	const char *v;
	const struct setting *s = setting_of(var, &v);
	if (!s)
		return 0;
	switch (s->kind) {
	case WORD:
		return word(s, v) < 0;
	case MILLIS:
		return decimal(v, s->max) < 0;
	case LOG: { /* the values set_log warns about, as they are */
		const char *fd = after(v, "fd:");
		if (fd)
			return decimal(fd, 1 << 30) < 0;
		return !*v || (miscased(v) && !is(v, "off") && !is(v, "stderr"));
	}
	default: /* JOIN_RING is the collector's */
		return 0;
	}
}

static void set_log(struct join_config *c, const struct setting *s, const char *v,
                    struct warnings *w)
{
	if (!strcmp(v, "off")) {
		c->log_kind = JOIN_LOG_OFF;
	} else if (!strcmp(v, "stderr")) {
		c->log_kind = JOIN_LOG_FD;
		c->log_fd = 2;
	} else if (!strncmp(v, "fd:", 3)) {
		long fd = decimal(v + 3, 1 << 30);
		if (fd < 0) {
			warn(w, s, v, "not a descriptor number");
			return;
		}
		c->log_kind = JOIN_LOG_FD;
		c->log_fd = (int)fd;
	} else if (!*v) {
		warn(w, s, v, "empty");
	} else if (miscased(v)) {
		warn(w, s, v, "keywords are off, stderr and fd:N in lower case");
	} else {
		size_t n = strlen(v), at = 0;
		if (v[0] != '/') {
			/* The program may chdir later: fix the directory now. */
			if (join_load_cwd && strlen(join_load_cwd) < sizeof c->log_path)
				strcpy(c->log_path, join_load_cwd);
			else if (!getcwd(c->log_path, sizeof c->log_path)) {
				warn(w, s, v, "relative, and no working directory");
				return;
			}
			at = strlen(c->log_path);
			c->log_path[at++] = '/';
		}
		if (at + n >= sizeof c->log_path) {
			warn(w, s, v, "path too long");
			return;
		}
		memcpy(c->log_path + at, v, n + 1);
		c->log_kind = JOIN_LOG_PATH;
	}
}

/* Set by a collector for its tree: an absolute path or "sysv:<id>" (ringfile.c), or
 * "none" when the tree's root could not start one (so that no process of the tree
 * tries again). */
static void set_ring(struct join_config *c, const struct setting *s, const char *v,
                     struct warnings *w)
{
	size_t n = strlen(v);
	if (!strcmp(v, "none")) {
		c->ring_none = 1;
		return;
	}
	if ((v[0] != '/' && strncmp(v, "sysv:", 5)) || n >= sizeof c->ring_path) {
		warn(w, s, v, "not an absolute path or sysv:ID");
		return;
	}
	memcpy(c->ring_path, v, n + 1);
}

static void set(struct join_config *c, const struct setting *s, const char *v, struct warnings *w)
{
	char *field = (char *)c + s->field;
	long n;
	switch (s->kind) {
	case WORD:
		if ((n = word(s, v)) < 0)
			warn(w, s, v, NULL);
		else
			*(int *)field = s->number[n];
		break;
	case MILLIS:
		if ((n = decimal(v, s->max)) < 0)
			warn(w, s, v, NULL);
		else
			*(long *)field = n;
		break;
	case LOG:
		set_log(c, s, v, w);
		break;
	case RING:
		set_ring(c, s, v, w);
		break;
	}
}

size_t join_config_parse(struct join_config *c, char **envp, int secure,
                         struct join_config_warning *warnings, size_t cap)
{
	struct warnings w = {warnings, cap, 0};
	/* Field by field: zeroing the whole struct would touch its PATH_MAX bytes. */
	c->on = 0;
	c->log_kind = JOIN_LOG_FD;
	c->log_fd = 2;
	c->log_path[0] = 0;
	c->ring_path[0] = 0;
	c->ring_none = 0;
	for (size_t i = 0; i < NSETTINGS; i++) {
		char *field = (char *)c + settings[i].field;
		if (settings[i].kind == WORD)
			*(int *)field = (int)settings[i].init;
		else if (settings[i].kind == MILLIS)
			*(long *)field = settings[i].init;
	}
	if (secure) { /* a privileged program: read nothing, open nothing, only forward */
		c->log_kind = JOIN_LOG_OFF;
		return 0;
	}
	c->on = 1;
	/* One pass over the environment instead of a getenv per variable. */
	for (char **e = envp; e && *e; e++) {
		const char *name = after(*e, "JOIN_"), *v;
		const struct setting *s = name ? setting_of(name, &v) : NULL;
		if (s)
			set(c, s, v, &w);
	}
	return w.n;
}
