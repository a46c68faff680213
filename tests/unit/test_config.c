/* SPDX-License-Identifier: MIT */
/* test_config.c - JOIN_* parsing: good values, and one warning naming each bad one. */
#include "unit.h"
#include "base/config.h"
#include "base/record.h"
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static struct join_config c;
static char warn[1024];

static void parse(const char *a, const char *b)
{
	char *env[] = {(char *)a, (char *)b, "PATH=/bin", NULL};
	join_config_parse(&c, env, 0, warn, sizeof warn);
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
	    {"JOIN_REPORT=2", "JOIN_REPORT=2: not on, 1, off or 0; using on"},
	    /* One rule for keywords: exact, lower case; nothing else is guessed at. */
	    {"JOIN_WATCH=yes", "JOIN_WATCH=yes: not 1, on, 0 or off"},
	    {"JOIN_WATCH=true", "JOIN_WATCH=true: not 1, on, 0 or off"},
	    {"JOIN_WATCH=ON", "JOIN_WATCH=ON: not 1, on, 0 or off"},
	    {"JOIN_REPORT=no", "JOIN_REPORT=no: not on, 1, off or 0"},
	    {"JOIN_FORMAT=JSONL", "JOIN_FORMAT=JSONL: not await or jsonl"},
	    {"JOIN_STYLE=Plan9", "JOIN_STYLE=Plan9: not plan9 or p9p"},
	    {"JOIN_LOG=Off", "JOIN_LOG=Off: keywords are off, stderr and fd:N in lower case"},
	    {"JOIN_LOG=STDERR", "JOIN_LOG=STDERR: keywords are"},
	    {"JOIN_LOG=FD:3", "JOIN_LOG=FD:3: keywords are"},
	    {"JOIN_ZOMBIE_MS=-5", "JOIN_ZOMBIE_MS=-5: not milliseconds"},
	    {"JOIN_ZOMBIE_MS=1e3", "JOIN_ZOMBIE_MS=1e3: not milliseconds"},
	    {"JOIN_ZOMBIE_MS=99999999999999999999999", "not milliseconds"},
	    {"JOIN_FORMAT=\xff\x01", "JOIN_FORMAT=\\xff\\x01: not await or jsonl"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		parse(cases[i][0], "");
		assert_int_equal(lines(), 1);
		assert_non_null(strstr(warn, "# libjoin: "));
		if (!strstr(warn, cases[i][1]))
			fail_msg("%s gave: %s", cases[i][0], warn);
	}
	assert_int_equal(c.log_kind, JOIN_LOG_FD); /* the fallbacks are in force */
	assert_int_equal(c.format, JOIN_FORMAT_AWAIT);
}

/* The first ": " of a warning ends its value, so a JSONL warning event can name it. */
static void colon(void **state)
{
	(void)state;
	parse("JOIN_STYLE=a: b", "");
	assert_non_null(strstr(warn, "JOIN_STYLE=a\\x3a b: not plan9"));
	parse("JOIN_LOG=fd:x:y", "");
	assert_non_null(strstr(warn, "JOIN_LOG=fd:x:y: not a descriptor"));
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
	join_config_parse(&c, env, 1, warn, sizeof warn);
	assert_false(c.on);
	assert_int_equal(c.log_kind, JOIN_LOG_OFF);
	assert_string_equal(warn, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(defaults), cmocka_unit_test(good),  cmocka_unit_test(relative),
	    cmocka_unit_test(bad),      cmocka_unit_test(colon), cmocka_unit_test(huge),
	    cmocka_unit_test(secure),   cmocka_unit_test(ring),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
