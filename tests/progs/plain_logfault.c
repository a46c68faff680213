/* SPDX-License-Identifier: MIT */
/*
 * plain_logfault - an unmodified program for the log's fault tests
 * (tests/integration/logfaults.sh); each mode forks and reaps N children that
 * exit with i % 7, and prints what it saw:
 *
 *	plain_logfault emfile N        first uses every descriptor (EMFILE)
 *	plain_logfault reopen FD FILE N  closes FD and opens FILE on its number
 *	                               (dup2 unless it is the lowest free); writes
 *	                               DATA, reaps, writes END
 *	plain_logfault pause FILE N    reaps N, creates FILE, waits until FILE is
 *	                               gone, reaps N more (the test breaks the log
 *	                               meanwhile)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int children(int n)
{
	int bad = 0;
	for (int i = 0; i < n; i++) {
		pid_t p = fork();
		if (p == 0)
			_exit(i % 7);
		int st;
		if (waitpid(p, &st, 0) != p || !WIFEXITED(st) || WEXITSTATUS(st) != i % 7)
			bad++;
	}
	return bad;
}

static int emfile(int n)
{
	int fds = 0;
	while (open("/dev/null", O_RDONLY) >= 0)
		fds++;
	int e = errno, bad = children(n);
	printf("emfile: %s after %d, %d bad, next open %s\n", strerror(e), fds, bad,
	       open("/dev/null", O_RDONLY) < 0 ? strerror(errno) : "succeeded");
	return bad != 0;
}

static int reopen(int fd, const char *file, int n)
{
	close(fd);
	int got = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (got >= 0 && got != fd && dup2(got, fd) == fd) { /* a number above the lowest free */
		close(got);
		got = fd;
	}
	if (write(got, "DATA\n", 5) != 5)
		return 3;
	int bad = children(n);
	if (write(got, "END\n", 4) != 4)
		return 3;
	printf("reopen: fd %d, %d bad\n", got, bad);
	return bad != 0 || got != fd;
}

static int pause_(const char *file, int n)
{
	int bad = children(n);
	FILE *f = fopen(file, "w");
	if (!f || fclose(f))
		return 3;
	for (int i = 0; i < 3000 && access(file, F_OK) == 0; i++) {
		struct timespec ms = {0, 10000000};
		nanosleep(&ms, NULL);
	}
	bad += children(n);
	printf("pause: %d bad\n", bad);
	return bad != 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc == 3 && !strcmp(argv[1], "emfile"))
		return emfile(atoi(argv[2]));
	if (argc == 5 && !strcmp(argv[1], "reopen"))
		return reopen(atoi(argv[2]), argv[3], atoi(argv[4]));
	if (argc == 4 && !strcmp(argv[1], "pause"))
		return pause_(argv[2], atoi(argv[3]));
	fprintf(stderr, "usage: plain_logfault emfile N | reopen FD FILE N | pause FILE N\n");
	return 2;
}
