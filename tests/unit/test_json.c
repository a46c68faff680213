/* SPDX-License-Identifier: MIT */
/* test_json.c - JSON string escaping and the JSONL event lines, checked by jq(1) and iconv(1)
 * (independent parsers) as well as against literals. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"
#include "text/text.h"

#define EXITED(code)        ((code) << 8)
#define SIGNALED(sig, core) ((sig) | ((core) ? 0x80 : 0))

static char path[] = "/tmp/libjoin-test-json-XXXXXX";

static int setup(void **state)
{
	int fd = mkstemp(path);

	(void)state;
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(path);
	return 0;
}

static int run(const char *cmd)
{
	int st = system(cmd);

	return st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* Puts the line in the temp file and checks what any line must be: one JSON
 * object (jq), valid UTF-8 (iconv), one '\n' at the end and no other control byte. */
static void put_line(const char *line, size_t len)
{
	char cmd[256];
	FILE *f;
	size_t i;

	assert_true(len > 0);
	assert_int_equal(line[len - 1], '\n');
	for (i = 0; i + 1 < len; i++)
		assert_true((unsigned char)line[i] >= 0x20);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(line, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	snprintf(cmd, sizeof cmd,
	         "jq -e -s 'length == 1 and (.[0] | type == \"object\")' %s >/dev/null", path);
	assert_true(run(cmd));
	snprintf(cmd, sizeof cmd, "iconv -f UTF-8 -t UTF-8 %s >/dev/null 2>&1", path);
	assert_true(run(cmd));
}

/* Does jq's filter (no single quotes in it) hold for the line in the temp file? */
static int jq(const char *filter)
{
	char cmd[4096];

	snprintf(cmd, sizeof cmd, "jq -e '%s' %s >/dev/null", filter, path);
	return run(cmd);
}

#define JQ(filter)                                                                                 \
	do {                                                                                       \
		if (!jq(filter))                                                                   \
			fail_msg("jq filter failed: %s", filter);                                  \
	} while (0)

/* jq -j EXPR: the raw bytes of a string value. */
static size_t jq_raw(const char *expr, char *out, size_t cap)
{
	char cmd[512];
	FILE *p;
	size_t n;

	snprintf(cmd, sizeof cmd, "jq -j '%s' %s", expr, path);
	p = popen(cmd, "r");
	assert_non_null(p);
	n = fread(out, 1, cap, p);
	assert_int_equal(pclose(p), 0);
	return n;
}

static void esc(const char *in, size_t len, const char *want)
{
	char out[256];
	size_t n;

	memset(out, '#', sizeof out);
	n = join_json_escape(out, sizeof out, in, len);
	assert_int_equal(n, strlen(want));
	assert_memory_equal(out, want, n);
	assert_int_equal(out[n], '#');
}

#define ESC(lit, want) esc(lit, sizeof lit - 1, want)

static void test_escape(void **state)
{
	(void)state;
	ESC("", "");
	ESC("plain text", "plain text");
	ESC("a\"b\\c/d", "a\\\"b\\\\c/d");
	ESC("\n\t\r\b\f", "\\n\\t\\r\\b\\f");
	ESC("\x01\x1f\x0b", "\\u0001\\u001f\\u000b");
	ESC("a\0b", "a\\u0000b");
	ESC("\x7f", "\x7f");
	ESC("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
	    "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	ESC("\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf"); /* U+10FFFF */
	ESC("\xef\xbf\xbd", "\xef\xbf\xbd");         /* U+FFFD itself */
	/* Each byte that does not start a well-formed sequence is one \ufffd. */
	ESC("\xff", "\\ufffd");
	ESC("a\x80z", "a\\ufffdz");
	ESC("\xc3", "\\ufffd");                                  /* cut at the end */
	ESC("\xc3(", "\\ufffd(");                                /* bad continuation */
	ESC("\xc0\xaf", "\\ufffd\\ufffd");                       /* overlong '/' */
	ESC("\xe0\x80\xaf", "\\ufffd\\ufffd\\ufffd");            /* overlong, 3 bytes */
	ESC("\xed\xa0\x80", "\\ufffd\\ufffd\\ufffd");            /* surrogate D800 */
	ESC("\xf4\x90\x80\x80", "\\ufffd\\ufffd\\ufffd\\ufffd"); /* above U+10FFFF */
	ESC("\xf8\x88\x80\x80\x80", "\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd");
	ESC("\xe2\x82", "\\ufffd\\ufffd");
	ESC("\xe2\x82\xac\xe2", "\xe2\x82\xac\\ufffd");
}

static void test_escape_cap(void **state)
{
	char out[16];
	size_t n;

	(void)state;
	/* The full length comes back; only whole units are written. */
	memset(out, '#', sizeof out);
	n = join_json_escape(out, 2, "a\"b", 3);
	assert_int_equal(n, 4);
	assert_memory_equal(out, "a##", 3);

	memset(out, '#', sizeof out);
	n = join_json_escape(out, 3, "a\"b", 3);
	assert_int_equal(n, 4);
	assert_memory_equal(out, "a\\\"#", 4);

	memset(out, '#', sizeof out);
	n = join_json_escape(out, 4, "x\xe2\x82\xac", 4);
	assert_int_equal(n, 4);
	assert_memory_equal(out, "x\xe2\x82\xac#", 5);

	memset(out, '#', sizeof out);
	n = join_json_escape(out, 3, "x\xe2\x82\xacy", 5);
	assert_int_equal(n, 5);
	assert_memory_equal(out, "x##", 3); /* the euro sign is not split, nothing after it */

	memset(out, '#', sizeof out);
	n = join_json_escape(out, 6, "\x01z", 2);
	assert_int_equal(n, 7);
	assert_memory_equal(out, "\\u0001#", 7);

	n = join_json_escape(NULL, 0, "\xff\n", 2);
	assert_int_equal(n, 8);
}

static const struct join_self me = {.pid = 100, .comm = "make"};

static void test_fork(void **state)
{
	static const char *const hows[] = {"fork",         "vfork",  "_Fork", "clone",
	                                   "posix_spawn",  "system", "popen", "pidfd_spawn",
	                                   "pidfd_spawnp", "unknown"};
	char buf[512], filter[512];
	size_t n;
	int how;

	(void)state;
	n = join_jsonl_fork(buf, sizeof buf, &me, 123456789, 4242, JOIN_HOW_VFORK);
	assert_int_equal(
	    n, strlen("{\"event\":\"fork\",\"pid\":100,\"comm\":\"make\",\"t_ns\":123456789,"
	              "\"child\":4242,\"how\":\"vfork\"}\n"));
	assert_memory_equal(buf,
	                    "{\"event\":\"fork\",\"pid\":100,\"comm\":\"make\",\"t_ns\":123456789,"
	                    "\"child\":4242,\"how\":\"vfork\"}\n",
	                    n);
	put_line(buf, n);
	JQ("keys_unsorted == [\"event\",\"pid\",\"comm\",\"t_ns\",\"child\",\"how\"]");
	JQ(".event == \"fork\" and .pid == 100 and .comm == \"make\" and .t_ns == 123456789 and "
	   ".child == 4242 and .how == \"vfork\"");
	for (how = 0; how <= JOIN_HOW_UNKNOWN; how++) {
		n = join_jsonl_fork(buf, sizeof buf, &me, 1, 5, how);
		put_line(buf, n);
		snprintf(filter, sizeof filter, ".how == \"%s\"", hows[how]);
		JQ(filter);
	}
	n = join_jsonl_fork(buf, sizeof buf, &me, 1, 5, 99);
	put_line(buf, n);
	JQ(".how == \"unknown\"");
}

static void test_exit(void **state)
{
	struct join_rec r;
	char buf[512];
	size_t n;

	(void)state;
	memset(&r, 0, sizeof r);
	r.pid = 4243;
	r.status = EXITED(3);
	r.exact = 1;
	n = join_jsonl_exit(buf, sizeof buf, &me, 5000, &r);
	put_line(buf, n);
	JQ("keys_unsorted == [\"event\",\"pid\",\"comm\",\"t_ns\",\"child\",\"code\",\"core\","
	   "\"exact\"]");
	JQ(".event == \"exit\" and .child == 4243 and .code == 3 and .core == false and "
	   ".exact == true and .t_ns == 5000");

	r.status = SIGNALED(11, 1);
	r.exact = 0;
	n = join_jsonl_exit(buf, sizeof buf, &me, 5000, &r);
	put_line(buf, n);
	JQ("keys_unsorted == [\"event\",\"pid\",\"comm\",\"t_ns\",\"child\",\"signal\",\"core\","
	   "\"exact\"]");
	JQ(".signal == 11 and .core == true and .exact == false and (has(\"code\") | not)");

	r.status = SIGNALED(9, 0);
	n = join_jsonl_exit(buf, sizeof buf, &me, 5000, &r);
	put_line(buf, n);
	JQ(".signal == 9 and .core == false");

	r.status = EXITED(0);
	n = join_jsonl_exit(buf, sizeof buf, &me, 5000, &r);
	put_line(buf, n);
	JQ(".code == 0 and .core == false");
}

static struct join_rec full_rec(void)
{
	struct join_rec r;

	memset(&r, 0, sizeof r);
	r.pid = 4244;
	r.status = EXITED(2);
	r.tid = 101;
	r.how = JOIN_HOW_SPAWN;
	r.call = JOIN_CALL_WAIT4;
	r.tracked = 1;
	r.exact = 1;
	r.has_fork = r.has_exit = r.has_ru = 1;
	r.fork_ns = 1000000000;
	r.exit_ns = 1000000000 + 5400000; /* 5 ms */
	r.reap_ns = r.exit_ns + 7600000;  /* 8 ms late */
	r.user_us = 2499;                 /* 2 ms */
	r.sys_us = 500;                   /* 1 ms */
	r.maxrss_kb = 1024;
	r.minflt = 11;
	r.majflt = 12;
	r.inblock = 13;
	r.oublock = 14;
	r.nvcsw = 15;
	r.nivcsw = 16;
	strcpy(r.comm, "cc1");
	return r;
}

#define REAP_KEYS                                                                                  \
	"keys_unsorted == [\"event\",\"pid\",\"comm\",\"t_ns\",\"child\",\"child_comm\",\"tid\","  \
	"\"call\",\"%s\",\"core\",\"user_us\",\"sys_us\",\"self_user_us\",\"self_sys_us\","        \
	"\"self_maxrss_kb\",\"real_ns\",\"user_ms\",\"sys_ms\",\"real_ms\",\"exact\",\"late_ms\"," \
	"\"tracked\",\"approx\",\"orphan\",\"parent\",\"orphaned_ns\",\"opaque\",\"maxrss_kb\","   \
	"\"minflt\",\"majflt\",\"inblock\",\"oublock\",\"nvcsw\",\"nivcsw\"]"

static void test_reap(void **state)
{
	struct join_rec r = full_rec();
	char buf[1024], filter[1024];
	size_t n;

	(void)state;
	n = join_jsonl_reap(buf, sizeof buf, &me, 2000000000, &r);
	put_line(buf, n);
	snprintf(filter, sizeof filter, REAP_KEYS, "code");
	JQ(filter);
	JQ(".event == \"reap\" and .pid == 100 and .comm == \"make\" and .t_ns == 2000000000 and "
	   ".child == 4244 and .child_comm == \"cc1\" and .tid == 101 and .call == \"wait4\" and "
	   ".code == 2 and .core == false and .user_ms == 2 and .sys_ms == 1 and .real_ms == 5 and "
	   ".exact == true and .late_ms == 8 and .tracked == true and .approx == false and "
	   ".maxrss_kb == 1024 and .minflt == 11 and .majflt == 12 and .inblock == 13 and "
	   ".oublock == 14 and .nvcsw == 15 and .nivcsw == 16");
	/* Microseconds and nanoseconds beside the deprecated milliseconds; what only the
	 * collector knows is null here. */
	JQ(".user_us == 2499 and .sys_us == 500 and .real_ns == 5400000 and "
	   ".self_user_us == null and .self_sys_us == null and .self_maxrss_kb == null and "
	   ".orphan == false and .parent == null and .orphaned_ns == null and .opaque == null");

	r.status = SIGNALED(6, 1);
	r.call = JOIN_CALL_PROC_JOIN;
	r.tracked = 0;
	r.approx = 1;
	n = join_jsonl_reap(buf, sizeof buf, &me, 2000000000, &r);
	put_line(buf, n);
	snprintf(filter, sizeof filter, REAP_KEYS, "signal");
	JQ(filter);
	JQ(".signal == 6 and .core == true and .call == \"proc_join\" and .tracked == false and "
	   ".approx == true");
}

/* What the collector adds: own time, the orphan's lost parent, a blind spot. */
static void test_reap_accounted(void **state)
{
	struct join_rec r = full_rec();
	char buf[1024], filter[1024];
	size_t n;

	(void)state;
	r.has_self = r.has_self_rss = 1;
	r.self_user_us = 1999;
	r.self_sys_us = 0;
	r.self_maxrss_kb = 1024;
	r.orphan = 1;
	r.parent = 4200;
	r.orphan_ns = 1000000001;
	r.opaque = JOIN_OPAQUE_STATIC;
	n = join_jsonl_reap(buf, sizeof buf, &me, 2000000000, &r);
	put_line(buf, n);
	snprintf(filter, sizeof filter, REAP_KEYS, "code");
	JQ(filter);
	JQ(".self_user_us == 1999 and .self_sys_us == 0 and .self_maxrss_kb == 1024 and "
	   ".orphan == true and .parent == 4200 and .orphaned_ns == 1000000001 and "
	   ".opaque == \"static\"");
	r.opaque = JOIN_OPAQUE_NO_PRELOAD;
	r.orphan_ns = 0; /* an orphan whose parent's end was not seen */
	n = join_jsonl_reap(buf, sizeof buf, &me, 2000000000, &r);
	put_line(buf, n);
	JQ(".opaque == \"no-preload\" and .orphaned_ns == null and .parent == 4200");
	r.orphan = 0; /* parent is said only for an orphan */
	r.opaque = JOIN_OPAQUE_N;
	n = join_jsonl_reap(buf, sizeof buf, &me, 2000000000, &r);
	put_line(buf, n);
	JQ(".orphan == false and .parent == null and .opaque == null");
}

static void test_reap_unknown(void **state)
{
	struct join_rec r = full_rec();
	char buf[1024], filter[1024];
	size_t n;

	(void)state;
	/* Without rusage, fork time and an exact exit: null, not absent, not 0. */
	r.has_ru = 0;
	r.has_fork = 0;
	r.exact = 0;
	r.comm[0] = '\0';
	n = join_jsonl_reap(buf, sizeof buf, &me, 7, &r);
	put_line(buf, n);
	snprintf(filter, sizeof filter, REAP_KEYS, "code");
	JQ(filter);
	JQ(".user_ms == null and .sys_ms == null and .real_ms == null and .exact == false and "
	   ".user_us == null and .sys_us == null and .real_ns == null and "
	   ".late_ms == null and .maxrss_kb == null and .minflt == null and .majflt == null and "
	   ".inblock == null and .oublock == null and .nvcsw == null and .nivcsw == null and "
	   ".child_comm == \"\"");

	/* Exit known but not exact (the reap): real_ms yes, late_ms no. */
	r = full_rec();
	r.exact = 0;
	n = join_jsonl_reap(buf, sizeof buf, &me, 7, &r);
	put_line(buf, n);
	JQ(".real_ms == 5 and .late_ms == null and .user_ms == 2");

	/* Exit without fork time, and a reap before the exit (clocks disagree). */
	r = full_rec();
	r.has_exit = 0;
	n = join_jsonl_reap(buf, sizeof buf, &me, 7, &r);
	put_line(buf, n);
	JQ(".real_ms == null and .late_ms == null");
	r = full_rec();
	r.reap_ns = r.exit_ns - 1;
	n = join_jsonl_reap(buf, sizeof buf, &me, 7, &r);
	put_line(buf, n);
	JQ(".late_ms == null");
	r.reap_ns = r.exit_ns + 499999;
	n = join_jsonl_reap(buf, sizeof buf, &me, 7, &r);
	put_line(buf, n);
	JQ(".late_ms == 0");
}

static void test_zombie(void **state)
{
	char buf[512];
	size_t n;

	(void)state;
	n = join_jsonl_zombie(buf, sizeof buf, &me, 99, 4245, "sleep", 1500);
	put_line(buf, n);
	JQ("keys_unsorted == [\"event\",\"pid\",\"comm\",\"t_ns\",\"child\",\"child_comm\","
	   "\"age_ms\"]");
	JQ(".event == \"zombie\" and .child == 4245 and .child_comm == \"sleep\" and "
	   ".age_ms == 1500");
	n = join_jsonl_zombie(buf, sizeof buf, &me, 99, 4245, NULL, 0);
	put_line(buf, n);
	JQ(".child_comm == \"\" and .age_ms == 0");
}

static void test_report(void **state)
{
	struct join_live v[4];
	char buf[1024];
	size_t n;

	(void)state;
	memset(v, 0, sizeof v);
	v[0] = (struct join_live){10, 0, 100, "run1", 5000, 0};
	v[1] = (struct join_live){11, 1, 200, "zomb1", 6000, 7000};
	v[2] = (struct join_live){12, 0, 300, "run\"2", 0, 0};
	v[3] = (struct join_live){13, 1, 400, "", 8000, 0};
	n = join_jsonl_report(buf, sizeof buf, &me, 77, v, 4);
	put_line(buf, n);
	JQ("keys_unsorted == [\"event\",\"pid\",\"comm\",\"t_ns\",\"running\",\"zombies\"]");
	JQ(".event == \"report\" and .running == [{\"child\":10,\"child_comm\":\"run1\","
	   "\"fork_ns\":5000,\"age_ms\":100},{\"child\":12,\"child_comm\":\"run\\\"2\","
	   "\"fork_ns\":null,\"age_ms\":300}]");
	/* A zombie whose exit is not known has no age since its exit: null, not the fork's. */
	JQ(".zombies == [{\"child\":11,\"child_comm\":\"zomb1\",\"fork_ns\":6000,"
	   "\"exit_ns\":7000,\"age_ms\":200},"
	   "{\"child\":13,\"child_comm\":\"\",\"fork_ns\":8000,\"exit_ns\":null,"
	   "\"age_ms\":null}]");

	n = join_jsonl_report(buf, sizeof buf, &me, 77, v, 0);
	assert_memory_equal(buf,
	                    "{\"event\":\"report\",\"pid\":100,\"comm\":\"make\",\"t_ns\":77,"
	                    "\"running\":[],\"zombies\":[]}\n",
	                    n);
	put_line(buf, n);
	n = join_jsonl_report(buf, sizeof buf, &me, 77, v + 1, 1);
	put_line(buf, n);
	JQ(".running == [] and (.zombies | length) == 1");
}

/* Any byte of a comm survives: escaped, then decoded by jq to the same bytes,
 * except that a byte of invalid UTF-8 comes back as U+FFFD. */
static void test_comm_bytes(void **state)
{
	static const char comm[] = "q'\"b\\s\n\x01\xff\xc3\xa9\x7f\t";
	static const char back[] = "q'\"b\\s\n\x01\xef\xbf\xbd\xc3\xa9\x7f\t";
	struct join_self w;
	struct join_rec r;
	char buf[1024], out[256];
	size_t n, m;

	(void)state;
	memset(&w, 0, sizeof w);
	memset(&r, 0, sizeof r);
	w.pid = 1;
	memcpy(w.comm, comm, sizeof comm);
	memcpy(r.comm, comm, sizeof comm);
	r.pid = 2;
	n = join_jsonl_reap(buf, sizeof buf, &w, 3, &r);
	put_line(buf, n);
	m = jq_raw(".comm", out, sizeof out);
	assert_int_equal(m, sizeof back - 1);
	assert_memory_equal(out, back, m);
	m = jq_raw(".child_comm", out, sizeof out);
	assert_int_equal(m, sizeof back - 1);
	assert_memory_equal(out, back, m);

	/* A full comm with no NUL: all 16 bytes, and nothing after. */
	memset(w.comm, 0xe9, sizeof w.comm);
	n = join_jsonl_fork(buf, sizeof buf, &w, 3, 4, JOIN_HOW_FORK);
	put_line(buf, n);
	JQ(".comm == \"\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd"
	   "\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\" and .child == 4");
	memset(w.comm, 'x', sizeof w.comm);
	n = join_jsonl_zombie(buf, sizeof buf, &w, 3, 4, w.comm, 5);
	put_line(buf, n);
	JQ(".comm == \"xxxxxxxxxxxxxxxx\" and .child_comm == .comm");
}

static void test_extremes(void **state)
{
	struct join_rec r = full_rec();
	struct join_self w = {.pid = -2147483647 - 1, .comm = "x"};
	char buf[1024];
	size_t n;

	(void)state;
	r.maxrss_kb = -9223372036854775807L - 1;
	r.nivcsw = 9223372036854775807L;
	r.user_us = UINT64_MAX;
	n = join_jsonl_reap(buf, sizeof buf, &w, UINT64_MAX, &r);
	buf[n] = '\0';
	assert_non_null(strstr(buf, "\"pid\":-2147483648,"));
	assert_non_null(strstr(buf, "\"t_ns\":18446744073709551615,"));
	assert_non_null(strstr(buf, "\"user_ms\":18446744073709552,"));
	assert_non_null(strstr(buf, "\"user_us\":18446744073709551615,"));
	assert_non_null(strstr(buf, "\"maxrss_kb\":-9223372036854775808,"));
	assert_non_null(strstr(buf, "\"nivcsw\":9223372036854775807}"));
	put_line(buf, n);
}

/* Each writer: 0 for every cap below the line's length, the line at exactly it, never a NUL. */
static void check_caps(size_t (*fn)(char *, size_t, const void *), const void *arg)
{
	char want[1024], buf[1024];
	size_t n, cap;

	n = fn(want, sizeof want, arg);
	assert_true(n > 0 && n < sizeof want);
	assert_null(memchr(want, '\0', n));
	for (cap = 0; cap < n; cap++) {
		memset(buf, '#', sizeof buf);
		assert_int_equal(fn(buf, cap, arg), 0);
		assert_int_equal(buf[cap], '#'); /* nothing past cap */
	}
	memset(buf, '#', sizeof buf);
	assert_int_equal(fn(buf, n, arg), n);
	assert_memory_equal(buf, want, n);
	assert_int_equal(buf[n], '#');
}

static size_t w_fork(char *b, size_t c, const void *a)
{
	(void)a;
	return join_jsonl_fork(b, c, &me, 1, 2, JOIN_HOW_FORK);
}

static size_t w_exit(char *b, size_t c, const void *a)
{
	return join_jsonl_exit(b, c, &me, 1, a);
}

static size_t w_reap(char *b, size_t c, const void *a)
{
	return join_jsonl_reap(b, c, &me, 1, a);
}

static size_t w_zombie(char *b, size_t c, const void *a)
{
	(void)a;
	return join_jsonl_zombie(b, c, &me, 1, 2, "z\"\xff", 3);
}

static size_t w_report(char *b, size_t c, const void *a)
{
	return join_jsonl_report(b, c, &me, 1, a, 3);
}

static void test_caps(void **state)
{
	struct join_rec r = full_rec();
	struct join_live v[3] = {{1, 0, 2, "a", 7, 0}, {3, 1, 4, "b\n", 8, 9}, {5, 0, 6, "", 0, 0}};

	(void)state;
	check_caps(w_fork, NULL);
	check_caps(w_exit, &r);
	check_caps(w_reap, &r);
	check_caps(w_zombie, NULL);
	check_caps(w_report, v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_escape),         cmocka_unit_test(test_escape_cap),
	    cmocka_unit_test(test_fork),           cmocka_unit_test(test_exit),
	    cmocka_unit_test(test_reap),           cmocka_unit_test(test_reap_unknown),
	    cmocka_unit_test(test_reap_accounted), cmocka_unit_test(test_zombie),
	    cmocka_unit_test(test_report),         cmocka_unit_test(test_comm_bytes),
	    cmocka_unit_test(test_extremes),       cmocka_unit_test(test_caps),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
