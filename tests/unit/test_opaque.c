/* SPDX-License-Identifier: MIT */
/* test_opaque.c - what libjoin cannot follow into, judged from files and environments
 * (shim/collector/opaque.c): real files of this system, and files made here. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "collector/opaque.h"
#include "base/record.h"

static char dir[] = "/tmp/test_opaque.XXXXXX";

static void put(const char *name, const void *data, size_t n, mode_t mode)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, n), (ssize_t)n);
	close(fd);
	chmod(path, mode);
}

static int judge(const char *name)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	return join_opaque_file(path);
}

/* The smallest 64-bit ELF header with no program header at all: no PT_INTERP. */
static void elf_without_interp(void)
{
	unsigned char h[64] = {0x7f, 'E', 'L', 'F', 2, 1, 1};
	put("static", h, sizeof h, 0755);
}

static void test_files(void **state)
{
	(void)state;
	assert_int_equal(join_opaque_file("/bin/sh"), JOIN_OPAQUE_NONE); /* dynamic */
	elf_without_interp();
	assert_int_equal(judge("static"), JOIN_OPAQUE_STATIC);
	/* A script is what its interpreter is, through "#!" chains. */
	char line[300];
	int n = snprintf(line, sizeof line, "#! %s/static -x\n", dir);
	put("script", line, (size_t)n, 0755);
	assert_int_equal(judge("script"), JOIN_OPAQUE_STATIC);
	n = snprintf(line, sizeof line, "#!%s/script\n", dir);
	put("script2", line, (size_t)n, 0755);
	assert_int_equal(judge("script2"), JOIN_OPAQUE_STATIC);
	put("shell", "#!/bin/sh\necho\n", 15, 0755);
	assert_int_equal(judge("shell"), JOIN_OPAQUE_NONE);
	/* No evidence, no verdict: a missing file, a text file, an empty one. */
	assert_int_equal(judge("missing"), JOIN_OPAQUE_NONE);
	put("text", "hello\n", 6, 0644);
	assert_int_equal(judge("text"), JOIN_OPAQUE_NONE);
	put("empty", "", 0, 0755);
	assert_int_equal(judge("empty"), JOIN_OPAQUE_NONE);
	/* A set-ID bit on a file of our own changes no id: no secure execution. */
	elf_without_interp();
	put("mine", "#!/bin/sh\n", 10, 04755);
	assert_int_equal(judge("mine"), JOIN_OPAQUE_NONE);
	/* One of another user's: secure execution (where we may give a file away). */
	char path[256];
	snprintf(path, sizeof path, "%s/theirs", dir);
	put("theirs", "#!/bin/sh\n", 10, 0755);
	if (chown(path, 65534, (gid_t)-1) == 0 && chmod(path, 04755) == 0)
		assert_int_equal(judge("theirs"), JOIN_OPAQUE_SETUID);
}

static void test_paths(void **state)
{
	(void)state;
	elf_without_interp();
	char path[256];
	snprintf(path, sizeof path, "%s/static", dir);
	assert_int_equal(join_image_judge(getpid(), path), JOIN_OPAQUE_STATIC);
	/* A bare name is found in PATH, as execvp finds it. */
	char *old = getenv("PATH") ? strdup(getenv("PATH")) : NULL;
	setenv("PATH", dir, 1);
	assert_int_equal(join_image_judge(getpid(), "static"), JOIN_OPAQUE_STATIC);
	assert_int_equal(join_image_judge(getpid(), "nothere"), JOIN_OPAQUE_NONE);
	if (old)
		setenv("PATH", old, 1);
	free(old);
	/* A relative path: in the process's own directory. */
	char cwd[256];
	assert_non_null(getcwd(cwd, sizeof cwd));
	assert_int_equal(chdir(dir), 0);
	assert_int_equal(join_image_judge(getpid(), "./static"), JOIN_OPAQUE_STATIC);
	assert_int_equal(chdir(cwd), 0);
	assert_int_equal(join_image_judge(getpid(), ""), JOIN_OPAQUE_NONE);
}

static void test_env(void **state)
{
	(void)state;
	const char *with[] = {"A=1", "LD_PRELOAD=/x/libjoin.so:/y/other.so", NULL};
	const char *other[] = {"LD_PRELOAD=/y/other.so", NULL};
	const char *none[] = {"A=1", NULL};
	assert_int_equal(join_opaque_env(with, (size_t)-1), 0);
	assert_int_equal(join_opaque_env(other, (size_t)-1), 1);
	assert_int_equal(join_opaque_env(none, (size_t)-1), 1);
	assert_int_equal(join_opaque_env(NULL, (size_t)-1), 1);
	assert_int_equal(join_opaque_env(with, 1), 1); /* only the first entry looked at */
}

static void test_names(void **state)
{
	(void)state;
	assert_null(join_opaque_name(JOIN_OPAQUE_NONE));
	assert_string_equal(join_opaque_name(JOIN_OPAQUE_STATIC), "static");
	assert_string_equal(join_opaque_name(JOIN_OPAQUE_SETUID), "setuid");
	assert_string_equal(join_opaque_name(JOIN_OPAQUE_NO_PRELOAD), "no-preload");
	assert_null(join_opaque_name(JOIN_OPAQUE_N));
	assert_null(join_opaque_name(-1));
}

static void test_live(void **state)
{
	(void)state;
	/* This test program is dynamic and runs without libjoin in LD_PRELOAD. */
	char *pre = getenv("LD_PRELOAD");
	int want = pre && strstr(pre, "libjoin") ? JOIN_OPAQUE_NONE : JOIN_OPAQUE_NO_PRELOAD;
	assert_int_equal(join_opaque_pid(getpid()), want);
	assert_int_equal(join_opaque_pid(999999999), JOIN_OPAQUE_NONE); /* gone */
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_files), cmocka_unit_test(test_paths), cmocka_unit_test(test_env),
	    cmocka_unit_test(test_names), cmocka_unit_test(test_live),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
