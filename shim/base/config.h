/* SPDX-License-Identifier: MIT */
/*
 * config.h - the environment, read once when the library loads (docs/DESIGN.md, "Configuration and
 * JSONL events"), by one table of the settings (config.c). Bad values get one "# libjoin:"
 * warning naming the variable, the value and the fallback; the program runs on.
 */
#ifndef JOIN_CONFIG_H
#define JOIN_CONFIG_H
#include <limits.h>
#include <stddef.h>

enum join_log_kind { JOIN_LOG_OFF, JOIN_LOG_FD, JOIN_LOG_PATH };
enum join_format { JOIN_FORMAT_AWAIT, JOIN_FORMAT_JSONL };

struct join_config {
	int on;       /* 0: forward only (secure execution, or never configured) */
	int log_kind; /* enum join_log_kind */
	int log_fd;
	int format; /* enum join_format */
	int style;  /* enum join_style */
	int watch;
	long zombie_ms;
	int report;
	int argv;            /* JOIN_ARGV: each exec'd process records its command line (exec.h) */
	char ring_path[256]; /* JOIN_RING: the tree's collector (ring.h); "" none */
	int ring_none;       /* JOIN_RING=none: the tree's root could not start one */
	/* Last: every exec writes the fields, and its first bytes share their page. */
	char log_path[PATH_MAX]; /* absolute; %p expanded at each write */
};

extern struct join_config join_cfg;
/* The working directory when the library loaded, if JOIN_LOG was relative then
 * (the preload constructor reads it); NULL: read it when the configuration is. */
extern const char *join_load_cwd;

/* A bad value as config.c found it, handed over as data and worded once, by log/diag.c
 * ("JOIN_X=<value>: <why>; using <fallback>"), so that nothing reads a warning's text
 * back to learn its variable and value.  bare.c says so too of a JOIN_WATCH=1 that
 * cannot be honoured. */
struct join_config_warning {
	const char *var;      /* "JOIN_WATCH" */
	const char *value;    /* as given, NUL-terminated (the environment's own bytes) */
	const char *fallback; /* what stands instead; NULL: nothing is said of it */
	char why[128];        /* "not 1, on, 0 or off" */
};
/* Warnings of one parse at most: one a variable (config.c's table has 8), more only
 * when the environment names a variable twice. */
#define JOIN_CONFIG_WARNINGS 16

/* Fills c from envp (NULL-terminated "NAME=value" strings); secure: forward only.
 * A bad value is warned about in warn, cap entries at most (those beyond are
 * dropped); returns how many.  A warning's value points into envp. */
size_t join_config_parse(struct join_config *c, char **envp, int secure,
                         struct join_config_warning *warn, size_t cap);
/* "FORMAT=x" (a JOIN_ variable without its prefix): would the parser warn about this
 * value (FORMAT, STYLE, WATCH, REPORT, ARGV, ZOMBIE_MS, and a LOG that is a keyword
 * miscased, empty or fd: without a number)?  For the constructor:
 * a bad value starts the engine then, so that the tree is warned once (warned.c). */
int join_config_bad(const char *var);
#endif
