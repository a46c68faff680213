/* SPDX-License-Identifier: MIT */
/*
 * fuzz_config.c - join_config_parse on any environment: NUL-separated
 * strings from the input (a dictionary steers toward JOIN_ names and
 * values).  Whatever comes, the config is in range (log kind, format,
 * style, watch and report are known values, zombie_ms within its bound, a
 * path absolute and terminated), each warning names a JOIN_ variable, a
 * value of the environment and a reason of printable ASCII, at most one per
 * JOIN_ variable, no warning is written past cap, and a secure process reads
 * nothing at all.  (How a warning is worded is log/diag.c's: test_config.c.)
 */
#include "base/config.h"
#include "fuzz.h"

#define MAXV 64

static char buf[8192 + 1];
static struct join_config_warning warn[JOIN_CONFIG_WARNINGS + 1];
static struct join_config c;

static void check_warnings(size_t n, int njoin, size_t size)
{
	for (size_t i = 0; i < n; i++) {
		const struct join_config_warning *w = &warn[i];
		CHECK(w->var && !strncmp(w->var, "JOIN_", 5), "warning %zu names no variable", i);
		CHECK(w->value >= buf && w->value <= buf + size,
		      "%s: a value not of the environment", w->var);
		CHECK(w->fallback && *w->fallback, "%s: no fallback", w->var);
		CHECK(memchr(w->why, 0, sizeof w->why) && *w->why, "%s: no reason", w->var);
		for (const char *p = w->why; *p; p++)
			CHECK(*p >= 0x20 && *p < 0x7f, "a raw byte 0x%02x in a reason",
			      (unsigned char)*p);
	}
	CHECK((int)n <= njoin, "%zu warnings for %d variables", n, njoin);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *envp[MAXV + 1];
	int n = 0, njoin = 0;
	if (size < 3 || size > sizeof buf - 1)
		return 0;
	int secure = data[0] & 1;
	size_t cap = data[1] & 1 ? JOIN_CONFIG_WARNINGS : data[2] % (JOIN_CONFIG_WARNINGS + 1);
	memcpy(buf, data + 3, size - 3);
	buf[size - 3] = 0;
	for (char *p = buf; p < buf + size - 3 && n < MAXV; p += strlen(p) + 1) {
		envp[n++] = p;
		njoin += !strncmp(p, "JOIN_", 5);
	}
	envp[n] = NULL;
	memset(warn, 0x55, sizeof warn);
	size_t got = join_config_parse(&c, envp, secure, warn, cap);
	CHECK(got <= cap, "%zu warnings in room for %zu", got, cap);
	for (size_t i = got * sizeof *warn; i < sizeof warn; i++)
		CHECK(((unsigned char *)warn)[i] == 0x55, "warning written past %zu", got);
	if (secure) {
		CHECK(!c.on && c.log_kind == JOIN_LOG_OFF, "a secure process configured");
		CHECK(!got, "a secure process warned: %s", warn[0].var);
		return 0;
	}
	CHECK(c.on == 1, "not on");
	CHECK(c.log_kind == JOIN_LOG_OFF || c.log_kind == JOIN_LOG_FD ||
	          c.log_kind == JOIN_LOG_PATH,
	      "log kind %d", c.log_kind);
	if (c.log_kind == JOIN_LOG_FD)
		CHECK(c.log_fd >= 0, "fd %d", c.log_fd);
	if (c.log_kind == JOIN_LOG_PATH)
		CHECK(c.log_path[0] == '/' && memchr(c.log_path, 0, sizeof c.log_path),
		      "path \"%.64s\"", c.log_path);
	CHECK(c.format == JOIN_FORMAT_AWAIT || c.format == JOIN_FORMAT_JSONL, "format %d",
	      c.format);
	CHECK(c.style == 0 || c.style == 1, "style %d", c.style);
	CHECK(c.watch == 0 || c.watch == 1, "watch %d", c.watch);
	CHECK(c.report == 0 || c.report == 1, "report %d", c.report);
	CHECK(c.zombie_ms >= 0 && c.zombie_ms <= 86400000L, "zombie_ms %ld", c.zombie_ms);
	check_warnings(got, njoin, size - 3);
	return 0;
}
