/* SPDX-License-Identifier: MIT */
/*
 * work.c - the C workloads of the benchmark: `work MODE N` runs N cycles
 * of MODE and prints nanoseconds per cycle (the loop only, not the exec):
 * wall-clock, then CPU time of this process and its children (user + sys),
 * which a busy machine disturbs less; then page faults per cycle in this
 * process and in its children (after a fork, every page written again
 * faults: the repeatable part of what a preloaded library adds).
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

static double tv_ns(struct timeval t)
{
	return 1e9 * (double)t.tv_sec + 1e3 * (double)t.tv_usec;
}

/* CPU ns and minor faults of this process and its reaped children. */
static void usage(double *cpu, double *self_flt, double *child_flt)
{
	struct rusage s, c;
	getrusage(RUSAGE_SELF, &s);
	getrusage(RUSAGE_CHILDREN, &c);
	*cpu = tv_ns(s.ru_utime) + tv_ns(s.ru_stime) + tv_ns(c.ru_utime) + tv_ns(c.ru_stime);
	*self_flt = (double)s.ru_minflt;
	*child_flt = (double)c.ru_minflt;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: work fork|vfork|spawn|system N\n");
		return 2;
	}
	int n = atoi(argv[2]), st;
	double t0 = now_ns(), c0, s0, f0, c1, s1, f1;
	usage(&c0, &s0, &f0);
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
	double t1 = now_ns();
	usage(&c1, &s1, &f1);
	printf("%.0f %.0f %.2f %.2f\n", (t1 - t0) / n, (c1 - c0) / n, (s1 - s0) / n, (f1 - f0) / n);
	return 0;
}
