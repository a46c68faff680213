/* SPDX-License-Identifier: MIT */
/*
 * demo.c - a small process tree with every kind of ending, for `make demo`:
 * run it under libjoin and each child it reaps gets a Plan 9 await record.
 * It is an ordinary program: it knows nothing of libjoin.
 */
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static void reap(pid_t pid, const char *what)
{
	int st;
	if (waitpid(pid, &st, 0) == pid)
		printf("demo: reaped %-24s status %#06x\n", what, st);
}

static void spin(long ms)
{
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	do
		clock_gettime(CLOCK_MONOTONIC, &b);
	while ((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000 < ms);
}

int main(void)
{
	pid_t p;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if ((p = fork()) == 0) {
		spin(30);
		_exit(0);
	}
	reap(p, "fork, normal exit");
	if ((p = fork()) == 0)
		_exit(3);
	reap(p, "fork, exit 3");
	if ((p = fork()) == 0) {
		raise(SIGSEGV);
		_exit(0);
	}
	reap(p, "fork, SIGSEGV");
	if ((p = fork()) == 0) {
		struct rlimit all = {RLIM_INFINITY, RLIM_INFINITY};
		setrlimit(RLIMIT_CORE, &all); /* dumps only where the system allows */
		abort();
	}
	reap(p, "fork, abort");
	if ((p = vfork()) == 0) {
		execl("/bin/sleep", "sleep", "0.2", (char *)NULL);
		_exit(127);
	}
	reap(p, "vfork+exec sleep 0.2");
	char *argv[] = {"sh", "-c", "exit 42", NULL};
	if (posix_spawn(&p, "/bin/sh", NULL, NULL, argv, environ) == 0)
		reap(p, "posix_spawn sh");
	int st = system("kill -INT $$");
	printf("demo: system() returned     status %#06x\n", st);
	return 0;
}
