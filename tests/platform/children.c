/* SPDX-License-Identifier: MIT */
/*
 * children.c - one child of each kind a program makes, for the platform suites
 * (tests/platform/run.sh), built for the target (aarch64, musl): fork (exit 3),
 * vfork (4), posix_spawn (6), posix_spawnp (0), system (7), popen read (0, one line
 * read) and write (0, one line written), popen (5), and children killed by SIGTERM
 * and SIGINT; popen's bad mode (EINVAL).  Prints each status word and the next free
 * descriptor (none of ours left open); exits 0 when each is the one expected.
 */
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;
static int bad;

static void expect(const char *what, int st, int want)
{
	printf("%s %#x\n", what, st);
	if (st != want) {
		fprintf(stderr, "children: %s: status %#x, wanted %#x\n", what, st, want);
		bad = 1;
	}
}

static int reap(pid_t pid)
{
	int st = -1;
	if (pid <= 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return st;
}

static void forks(void)
{
	pid_t p = fork();
	if (p == 0)
		_exit(3);
	expect("fork", reap(p), 3 << 8);
	if ((p = vfork()) == 0)
		_exit(4);
	expect("vfork", reap(p), 4 << 8);
	if ((p = fork()) == 0) {
		raise(SIGTERM);
		_exit(0);
	}
	expect("sigterm", reap(p), SIGTERM);
	if ((p = fork()) == 0) {
		pause();
		_exit(0);
	}
	kill(p, SIGINT);
	expect("sigint", reap(p), SIGINT);
}

static void spawns(void)
{
	pid_t p;
	char *six[] = {"sh", "-c", "exit 6", NULL}, *ok[] = {"sh", "-c", ":", NULL};
	expect("posix_spawn", posix_spawn(&p, "/bin/sh", NULL, NULL, six, environ) ? -1 : reap(p),
	       6 << 8);
	expect("posix_spawnp", posix_spawnp(&p, "sh", NULL, NULL, ok, environ) ? -1 : reap(p), 0);
	expect("system", system("exit 7"), 7 << 8);
}

static void popens(void)
{
	char line[16] = "";
	FILE *f = popen("echo hello", "r");
	if (f && !fgets(line, sizeof line, f))
		line[0] = 0;
	expect("popen-r", f ? pclose(f) : -1, 0);
	expect("popen-r-line", strcmp(line, "hello\n"), 0);
	f = popen("read x && test \"$x\" = hello", "w");
	if (f)
		fputs("hello\n", f);
	expect("popen-w", f ? pclose(f) : -1, 0);
	f = popen("exit 5", "r");
	expect("popen-exit", f ? pclose(f) : -1, 5 << 8);
	errno = 0;
	f = popen("true", "x");
	expect("popen-bad-mode", !f && errno == EINVAL ? 0 : -1, 0);
}

int main(void)
{
	/* Loaded here already; the shells run as they are (under qemu-user they are the
	 * host's, which cannot load the target's library). */
	unsetenv("LD_PRELOAD");
	setvbuf(stdout, NULL, _IONBF, 0);
	forks();
	spawns();
	popens();
	int fd = dup(0);
	printf("next-fd %d\n", fd);
	return bad;
}
