/* SPDX-License-Identifier: MIT */
/*
 * fuzz_config.c - join_config_parse on any environment: NUL-separated
 * strings from the input (a dictionary steers toward JOIN_ names and
 * values).  Whatever comes, the config is in range (log kind, format,
 * style, watch and report are known values, zombie_ms within its bound, a
 * path absolute and terminated), each warning is one "# libjoin: JOIN_..."
 * line of printable ASCII, at most one per JOIN_ variable, the warning
 * buffer stays within cap, and a secure process reads nothing at all.
 */
#include "base/config.h"
#include "fuzz.h"

#define MAXV 64

static char buf[8192 + 1], warn[4096 + 16];
static struct join_config c;

static void check_warnings(const char *w, int njoin)
{
	int lines = 0;
	while (*w) {
		const char *nl = strchr(w, '\n');
		CHECK(nl != NULL, "a warning without its newline: \"%s\"", w);
		CHECK(!strncmp(w, "# libjoin: JOIN_", 16), "warning \"%.*s\"", (int)(nl - w), w);
		for (const char *p = w; p < nl; p++)
			CHECK(*p >= 0x20 && *p < 0x7f, "a raw byte 0x%02x in a warning",
			      (unsigned char)*p);
		lines++;
		w = nl + 1;
	}
	CHECK(lines <= njoin, "%d warnings for %d variables", lines, njoin);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *envp[MAXV + 1];
	int n = 0, njoin = 0;
	if (size < 3 || size > sizeof buf - 1)
		return 0;
	int secure = data[0] & 1;
	size_t cap = data[1] & 1 ? sizeof warn - 16 : data[2] % 128;
	memcpy(buf, data + 3, size - 3);
	buf[size - 3] = 0;
	for (char *p = buf; p < buf + size - 3 && n < MAXV; p += strlen(p) + 1) {
		envp[n++] = p;
		njoin += !strncmp(p, "JOIN_", 5);
	}
	envp[n] = NULL;
	memset(warn, 0x55, sizeof warn);
	join_config_parse(&c, envp, secure, warn, cap);
	for (size_t i = cap; i < sizeof warn; i++)
		CHECK((unsigned char)warn[i] == 0x55, "warning written past cap %zu", cap);
	if (cap)
		CHECK(memchr(warn, 0, cap) != NULL, "warnings not terminated within cap");
	if (secure) {
		CHECK(!c.on && c.log_kind == JOIN_LOG_OFF, "a secure process configured");
		CHECK(!cap || !warn[0], "a secure process warned: %s", warn);
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
	if (cap == sizeof warn - 16)
		check_warnings(warn, njoin);
	return 0;
}
