/* SPDX-License-Identifier: MIT */
/*
 * rel_scale.c - many live children at once, then all reaped.
 *
 *	rel_scale N
 *
 * Forks N children that block on a pipe; with all N alive it prints its own
 * VmRSS and VmData growth since before the first fork; then it closes the pipe,
 * reaps every child with wait() and checks each status (child i exits with
 * i % 251).  Prints "live N rss_kb R data_kb D" and "reaped N bad B"; exit 0
 * when all N were reaped with the right status.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define PIDS (1 << 22)

static long status_kb(const char *key)
{
	char line[256];
	long v = -1;
	size_t k = strlen(key);
	FILE *f = fopen("/proc/self/status", "r");
	while (f && fgets(line, sizeof line, f))
		if (!strncmp(line, key, k) && line[k] == ':')
			v = atol(line + k + 1);
	if (f)
		fclose(f);
	return v;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 10000, fds[2], bad = 0, reaped = 0;
	short *code = calloc(PIDS, sizeof *code); /* touched now, not between the two readings */
	memset(code, 0xff, PIDS * sizeof *code);
	if (pipe(fds) < 0)
		return perror("pipe"), 2;
	long rss0 = status_kb("VmRSS"), data0 = status_kb("VmData");
	for (int i = 0; i < n; i++) {
		pid_t p = fork();
		if (p < 0) {
			fprintf(stderr, "fork %d: %s\n", i, strerror(errno));
			return 2;
		}
		if (p == 0) {
			char c;
			close(fds[1]);
			while (read(fds[0], &c, 1) < 0 && errno == EINTR)
				;
			_exit(i % 251);
		}
		code[p] = (short)(i % 251);
	}
	printf("live %d rss_kb %ld data_kb %ld\n", n, status_kb("VmRSS") - rss0,
	       status_kb("VmData") - data0);
	fflush(stdout);
	close(fds[1]);
	close(fds[0]);
	int st;
	pid_t p;
	while ((p = wait(&st)) > 0) {
		reaped++;
		if (p >= PIDS || code[p] < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != code[p])
			bad++;
		else
			code[p] = -1;
	}
	if (errno != ECHILD)
		bad++;
	printf("reaped %d bad %d\n", reaped, bad);
	return reaped != n || bad;
}
