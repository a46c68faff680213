/* SPDX-License-Identifier: MIT */
/*
 * rel_faults.c - a program whose children and output must not change when
 * libjoin's log fails under it.  It prints what it sees (never a pid) and
 * exits 0 when every status was the one it expected.
 *
 *	rel_faults work N          N rounds of fork, vfork, posix_spawn, system and
 *	                           popen children with known statuses, each reaped
 *	rel_faults rmdir DIR N     the same, removing DIR (and the files in it) halfway
 *	rel_faults closeall OUT N  closes every descriptor, opens OUT (it gets fd 0),
 *	                           works writing there, then checks OUT holds exactly
 *	                           its own lines: nothing of libjoin's
 *	rel_faults live N          N children alive at once, then reaped
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;
static int bad;
static FILE *out;

static void expect(const char *what, int st, int sig, int code)
{
	int ok =
	    sig ? WIFSIGNALED(st) && WTERMSIG(st) == sig : WIFEXITED(st) && WEXITSTATUS(st) == code;
	fprintf(out, "%s: %s\n", what, ok ? "as expected" : "WRONG");
	bad += !ok;
}

static void reap(const char *what, pid_t p, int sig, int code)
{
	int st;
	pid_t r;
	while ((r = waitpid(p, &st, 0)) < 0 && errno == EINTR)
		;
	if (r != p) {
		fprintf(out, "%s: waitpid failed: %s\n", what, strerror(errno));
		bad++;
		return;
	}
	expect(what, st, sig, code);
}

/* The child never returns from here, so vfork's borrowed frame is not reused. */
static pid_t vkid(int code)
{
	pid_t p = vfork();
	if (p == 0)
		_exit(code);
	return p;
}

static void round_(int i)
{
	pid_t p = fork();
	if (p == 0)
		_exit(i & 0x7f);
	reap("fork", p, 0, i & 0x7f);
	p = fork();
	if (p == 0) {
		signal(SIGTERM, SIG_DFL);
		raise(SIGTERM);
		_exit(1);
	}
	reap("fork killed", p, SIGTERM, 0);
	reap("vfork", vkid(3), 0, 3);
	char *argv[] = {"sh", "-c", "exit 7", NULL};
	if (posix_spawn(&p, "/bin/sh", NULL, NULL, argv, environ) != 0) {
		fprintf(out, "posix_spawn failed\n");
		bad++;
	} else {
		reap("posix_spawn", p, 0, 7);
	}
	expect("system", system("exit 5"), 0, 5);
	FILE *f = popen("echo popen-out; exit 4", "r");
	char line[64] = "";
	if (!f || !fgets(line, sizeof line, f)) {
		fprintf(out, "popen failed\n");
		bad++;
		return;
	}
	line[strcspn(line, "\n")] = 0;
	fprintf(out, "popen read: %s\n", line);
	expect("pclose", pclose(f), 0, 4);
}

static void rm_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[4096];
	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
			unlink(path);
		}
	if (d)
		closedir(d);
	fprintf(out, "rmdir: %s\n", rmdir(dir) == 0 ? "removed" : strerror(errno));
}

/* Every descriptor closed, as daemons and closefrom() users do; then OUT is fd 0. */
static int closeall(const char *path, int n)
{
	for (int fd = 0; fd < 1024; fd++)
		close(fd);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd != 0)
		return 3;
	out = fdopen(fd, "w+");
	setvbuf(out, NULL, _IONBF, 0);
	for (int i = 0; i < n; i++)
		round_(i);
	fprintf(out, "bad %d\n", bad);
	/* read it back: only our own lines, each ending as ours do */
	char line[256];
	int lines = 0, foreign = 0;
	rewind(out);
	while (fgets(line, sizeof line, out)) {
		lines++;
		foreign += !(strstr(line, ": ") || !strncmp(line, "bad ", 4));
	}
	fseek(out, 0, SEEK_END);
	fprintf(out, "read back %d lines, %d foreign\n", lines, foreign);
	return bad || foreign;
}

static int live(int n)
{
	int fds[2], st;
	if (pipe(fds) < 0)
		return 2;
	for (int i = 0; i < n; i++) {
		pid_t p = fork();
		if (p == 0) {
			char c;
			close(fds[1]);
			while (read(fds[0], &c, 1) < 0 && errno == EINTR)
				;
			_exit(i % 100);
		}
		if (p < 0)
			return 2;
	}
	close(fds[1]);
	int sum = 0, got = 0;
	pid_t r;
	while ((r = wait(&st)) > 0) {
		got++;
		sum += WIFEXITED(st) ? WEXITSTATUS(st) : 1000;
	}
	int want = 0;
	for (int i = 0; i < n; i++)
		want += i % 100;
	fprintf(out, "live: reaped %d, sum of codes %s\n", got, sum == want ? "right" : "WRONG");
	return got != n || sum != want;
}

int main(int argc, char **argv)
{
	out = stdout;
	setvbuf(stdout, NULL, _IOLBF, 0);
	const char *c = argc > 1 ? argv[1] : "";
	if (!strcmp(c, "work") && argc > 2) {
		for (int i = 0, n = atoi(argv[2]); i < n; i++)
			round_(i);
	} else if (!strcmp(c, "rmdir") && argc > 3) {
		int n = atoi(argv[3]);
		for (int i = 0; i < n; i++) {
			if (i == n / 2)
				rm_dir(argv[2]);
			round_(i);
		}
	} else if (!strcmp(c, "closeall") && argc > 3) {
		return closeall(argv[2], atoi(argv[3]));
	} else if (!strcmp(c, "live") && argc > 2) {
		return live(atoi(argv[2]));
	} else {
		fprintf(stderr,
		        "usage: rel_faults work N | rmdir DIR N | closeall OUT N | live N\n");
		return 2;
	}
	printf("bad %d\n", bad);
	return bad != 0;
}
