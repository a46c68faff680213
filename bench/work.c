/*
 * work.c - the C workloads of the benchmark: `work MODE N` runs N cycles
 * of MODE and prints nanoseconds per cycle (the loop only, not the exec):
 * wall-clock, then CPU time of this process and its children (user + sys),
 * which a busy machine disturbs less.
 *   fork    fork + _exit(0) + waitpid
 *   vfork   vfork + execve(/bin/true) + waitpid
 *   spawn   posix_spawn(/bin/true) + waitpid
 *   system  system("true")
 */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;
static char *const true_argv[] = {"/bin/true", NULL};

static pid_t one(const char *mode)
{
	pid_t p = -1;
	if (!strcmp(mode, "fork")) {
		p = fork();
		if (p == 0)
			_exit(0);
	} else if (!strcmp(mode, "vfork")) {
		p = vfork();
		if (p == 0) {
			execve("/bin/true", true_argv, environ);
			_exit(127);
		}
	} else if (!strcmp(mode, "spawn")) {
		if (posix_spawn(&p, "/bin/true", NULL, NULL, true_argv, environ) != 0)
			p = -1;
	} else if (!strcmp(mode, "system")) {
		return system("true") == 0 ? 0 : -1;
	}
	return p;
}

static double now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

static double cpu_ns(void)
{
	struct rusage s, c;
	getrusage(RUSAGE_SELF, &s);
	getrusage(RUSAGE_CHILDREN, &c);
	return 1e3 * (double)(s.ru_utime.tv_sec * 1000000 + s.ru_utime.tv_usec +
	                      s.ru_stime.tv_sec * 1000000 + s.ru_stime.tv_usec +
	                      c.ru_utime.tv_sec * 1000000 + c.ru_utime.tv_usec +
	                      c.ru_stime.tv_sec * 1000000 + c.ru_stime.tv_usec);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: work fork|vfork|spawn|system N\n");
		return 2;
	}
	int n = atoi(argv[2]), st;
	double t0 = now_ns(), c0 = cpu_ns();
	for (int i = 0; i < n; i++) {
		pid_t p = one(argv[1]);
		if (p < 0) {
			perror(argv[1]);
			return 1;
		}
		if (p > 0 && waitpid(p, &st, 0) != p) {
			perror("waitpid");
			return 1;
		}
	}
	printf("%.0f %.0f\n", (now_ns() - t0) / n, (cpu_ns() - c0) / n);
	return 0;
}
