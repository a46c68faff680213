/* SPDX-License-Identifier: MIT */
/* test_config.c - JOIN_* parsing: good values, and one warning naming each bad one,
 * in the one wording of log/diag.c. */
#include "unit.h"
#include "base/config.h"
#include "base/record.h"
#include "log/diag.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct join_config c;
static struct join_config_warning w[JOIN_CONFIG_WARNINGS];
static size_t nw;
static char warn[1024]; /* the warnings as worded, a line each */

static void words(void)
{
	size_t len = 0;
	warn[0] = 0;
	for (size_t i = 0; i < nw; i++) {
		len += join_diag_config_text(warn + len, sizeof warn - len - 1, &w[i]);
		assert_true(len < sizeof warn - 1);
		warn[len++] = '\n';
		warn[len] = 0;
	}
}

static void parse(const char *a, const char *b)
{
	char *env[] = {(char *)a, (char *)b, "PATH=/bin", NULL};
	nw = join_config_parse(&c, env, 0, w, JOIN_CONFIG_WARNINGS);
	words();
}

static int lines(void)
{
	int n = 0;
	for (char *p = warn; *p; p++)
		n += *p == '\n';
	return n;
}

static void defaults(void **state)
{
	(void)state;
	parse("HOME=/", "X=1");
	assert_true(c.on);
	assert_int_equal(c.log_kind, JOIN_LOG_FD);
	assert_int_equal(c.log_fd, 2);
	assert_int_equal(c.format, JOIN_FORMAT_AWAIT);
	assert_int_equal(c.style, JOIN_STYLE_PLAN9);
	assert_int_equal(c.watch, 0);
	assert_int_equal(c.zombie_ms, 1000);
	assert_int_equal(c.report, 1);
	assert_string_equal(warn, "");
}

/* JOIN_RING: the collector's path, "none" (its root could not start one), or a
 * bad value that is warned about and means no collector. */
static void ring(void **state)
{
	(void)state;
	parse("JOIN_RING=/dev/shm/libjoin-x.12", "X=1");
	assert_string_equal(c.ring_path, "/dev/shm/libjoin-x.12");
	assert_int_equal(c.ring_none, 0);
	parse("JOIN_RING=none", "X=1");
	assert_string_equal(c.ring_path, "");
	assert_int_equal(c.ring_none, 1);
	assert_string_equal(warn, "");
	parse("JOIN_RING=rel/x", "X=1");
	assert_string_equal(c.ring_path, "");
	assert_int_equal(c.ring_none, 0);
	assert_int_equal(lines(), 1);
}

static void good(void **state)
{
	(void)state;
	parse("JOIN_LOG=/tmp/x.%p", "JOIN_FORMAT=jsonl");
	assert_int_equal(c.log_kind, JOIN_LOG_PATH);
	assert_string_equal(c.log_path, "/tmp/x.%p");
	assert_int_equal(c.format, JOIN_FORMAT_JSONL);
	parse("JOIN_LOG=fd:7", "JOIN_STYLE=p9p");
	assert_int_equal(c.log_kind, JOIN_LOG_FD);
	assert_int_equal(c.log_fd, 7);
	assert_int_equal(c.style, JOIN_STYLE_P9P);
	parse("JOIN_LOG=off", "JOIN_WATCH=1");
	assert_int_equal(c.log_kind, JOIN_LOG_OFF);
	assert_int_equal(c.watch, 1);
	parse("JOIN_WATCH=on", "JOIN_REPORT=0");
	assert_int_equal(c.watch, 1);
	assert_int_equal(c.report, 0);
	parse("JOIN_LOG=./Off", "JOIN_REPORT=1"); /* a file so named: with a slash */
	assert_int_equal(c.log_kind, JOIN_LOG_PATH);
	assert_int_equal(c.report, 1);
	parse("JOIN_ZOMBIE_MS=250", "JOIN_REPORT=off");
	assert_int_equal(c.zombie_ms, 250);
	assert_int_equal(c.report, 0);
	assert_string_equal(warn, "");
}

static void relative(void **state)
{
	(void)state;
	char cwd[PATH_MAX], want[PATH_MAX + 8];
	assert_non_null(getcwd(cwd, sizeof cwd));
	snprintf(want, sizeof want, "%s/a.log", cwd);
	parse("JOIN_LOG=a.log", "");
	assert_string_equal(c.log_path, want);
}

static void bad(void **state)
{
	(void)state;
	const char *cases[][2] = {
	    {"JOIN_LOG=fd:x", "JOIN_LOG=fd:x: not a descriptor number; using stderr"},
	    {"JOIN_LOG=fd:-1", "JOIN_LOG=fd:-1: not a descriptor number; using stderr"},
	    {"JOIN_LOG=fd:99999999999999999999", "not a descriptor number; using stderr"},
	    {"JOIN_LOG=", "JOIN_LOG=: empty; using stderr"},
	    {"JOIN_FORMAT=bogus", "JOIN_FORMAT=bogus: not await or jsonl; using await"},
	    {"JOIN_STYLE=zz", "JOIN_STYLE=zz: not plan9 or p9p; using plan9"},
	    {"JOIN_WATCH=maybe", "JOIN_WATCH=maybe: not 1, on, 0 or off; using 0 (off)"},
	    {"JOIN_REPORT=2", "JOIN_REPORT=2: not 1, on, 0 or off; using on"},
	    {"JOIN_ARGV=2", "JOIN_ARGV=2: not 1, on, 0 or off; using 0 (off)"},
	    /* One rule for keywords: exact, lower case; nothing else is guessed at. */
	    {"JOIN_WATCH=yes", "JOIN_WATCH=yes: not 1, on, 0 or off"},
	    {"JOIN_WATCH=true", "JOIN_WATCH=true: not 1, on, 0 or off"},
	    {"JOIN_WATCH=ON", "JOIN_WATCH=ON: not 1, on, 0 or off"},
	    {"JOIN_REPORT=no", "JOIN_REPORT=no: not 1, on, 0 or off"},
	    {"JOIN_FORMAT=JSONL", "JOIN_FORMAT=JSONL: not await or jsonl"},
	    {"JOIN_STYLE=Plan9", "JOIN_STYLE=Plan9: not plan9 or p9p"},
	    {"JOIN_LOG=Off", "JOIN_LOG=Off: keywords are off, stderr and fd:N in lower case"},
	    {"JOIN_LOG=STDERR", "JOIN_LOG=STDERR: keywords are"},
	    {"JOIN_LOG=FD:3", "JOIN_LOG=FD:3: keywords are"},
	    {"JOIN_ZOMBIE_MS=-5", "JOIN_ZOMBIE_MS=-5: not milliseconds"},
	    {"JOIN_ZOMBIE_MS=1e3", "JOIN_ZOMBIE_MS=1e3: not milliseconds"},
	    {"JOIN_ZOMBIE_MS=99999999999999999999999", "not milliseconds"},
	    {"JOIN_ZOMBIE_MS=x",
	     "JOIN_ZOMBIE_MS=x: not milliseconds from 0 to 86400000; using 1000"},
	    {"JOIN_RING=rel", "JOIN_RING=rel: not an absolute path or sysv:ID; using no collector"},
	    {"JOIN_FORMAT=\xff\x01", "JOIN_FORMAT=\\xff\\x01: not await or jsonl"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		parse(cases[i][0], "");
		assert_int_equal(lines(), 1);
		assert_int_equal(nw, 1);
		assert_string_equal(w[0].value, strchr(cases[i][0], '=') + 1); /* as given */
		if (!strstr(warn, cases[i][1]))
			fail_msg("%s gave: %s", cases[i][0], warn);
	}
	assert_int_equal(c.log_kind, JOIN_LOG_FD); /* the fallbacks are in force */
	assert_int_equal(c.format, JOIN_FORMAT_AWAIT);
}

/* A value with ": " is handed over as it is: shown raw in the line, and the variable
 * and the value are the warning's own fields, not read back from the line. */
static void colon(void **state)
{
	(void)state;
	parse("JOIN_STYLE=a: b", "");
	assert_non_null(strstr(warn, "JOIN_STYLE=a: b: not plan9"));
	assert_string_equal(w[0].var, "JOIN_STYLE");
	assert_string_equal(w[0].value, "a: b");
	parse("JOIN_LOG=fd:x:y", "");
	assert_non_null(strstr(warn, "JOIN_LOG=fd:x:y: not a descriptor"));
}

/* The value as shown: printable bytes, the others and '\\' as \xHH, cut at 64. */
static void shown(void **state)
{
	(void)state;
	char all[256], *p = all;
	for (int b = 1; b < 256; b++)
		*p++ = (char)b;
	*p = 0;
	struct join_config_warning x = {.var = "JOIN_X", .value = all, .why = "why"};
	char text[512];
	size_t n = join_diag_config_text(text, sizeof text, &x);
	assert_int_equal(n, strlen(text));
	assert_memory_equal(text, "JOIN_X=\\x01\\x02", 15);
	for (size_t i = 0; i < n; i++)
		assert_true(text[i] >= 0x20 && text[i] < 0x7f);
	assert_non_null(strstr(text, "\\x1f !\"#$%&'()*+,-./0123456789:;<=>?@...: why"));
	x.value = "\\";
	x.fallback = "y";
	join_diag_config_text(text, sizeof text, &x);
	assert_string_equal(text, "JOIN_X=\\x5c: why; using y");
}

static void say_config(void *arg)
{
	(void)arg;
	join_diag_config(w, nw);
}

/* Written: "# libjoin: " and a line each, whole, in one write (stderr: no log). */
static void written(void **state)
{
	(void)state;
	char got[2048];
	parse("JOIN_WATCH=maybe", "JOIN_STYLE=a: b");
	assert_int_equal(nw, 2);
	unit_stderr_of(say_config, NULL, got, sizeof got);
	assert_string_equal(got, "# libjoin: JOIN_WATCH=maybe: not 1, on, 0 or off; using 0 (off)\n"
	                         "# libjoin: JOIN_STYLE=a: b: not plan9 or p9p; using plan9\n");
}

/* Beyond cap, warnings are dropped, never written past it. */
static void capped(void **state)
{
	(void)state;
	char *env[] = {"JOIN_WATCH=a", "JOIN_WATCH=b", "JOIN_STYLE=c", NULL};
	struct join_config_warning two[3] = {{0}};
	assert_int_equal(join_config_parse(&c, env, 0, two, 2), 2);
	assert_string_equal(two[1].value, "b");
	assert_null(two[2].var);
	assert_int_equal(join_config_parse(&c, env, 0, NULL, 0), 0);
}

static void huge(void **state)
{
	(void)state;
	static char big[70000];
	memcpy(big, "JOIN_LOG=", 9);
	memset(big + 9, 'a', sizeof big - 10);
	parse(big, "JOIN_STYLE=p9p");
	assert_int_equal(lines(), 1);
	assert_non_null(strstr(warn, "path too long; using stderr"));
	assert_true(strlen(warn) < 200); /* the value is shown cut */
	assert_int_equal(c.style, JOIN_STYLE_P9P);
}

static void secure(void **state)
{
	(void)state;
	char *env[] = {"JOIN_LOG=/tmp/evil", "JOIN_FORMAT=bogus", NULL};
	assert_int_equal(join_config_parse(&c, env, 1, w, JOIN_CONFIG_WARNINGS), 0);
	assert_false(c.on);
	assert_int_equal(c.log_kind, JOIN_LOG_OFF);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(defaults), cmocka_unit_test(good),   cmocka_unit_test(relative),
	    cmocka_unit_test(bad),      cmocka_unit_test(colon),  cmocka_unit_test(huge),
	    cmocka_unit_test(secure),   cmocka_unit_test(ring),   cmocka_unit_test(shown),
	    cmocka_unit_test(written),  cmocka_unit_test(capped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
