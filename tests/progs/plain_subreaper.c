/* SPDX-License-Identifier: MIT */
/* plain_subreaper: a program that is its own tree's child subreaper, as tini and
 * systemd-like test harnesses are: it double-forks (the grandchild is orphaned and
 * comes back to it) and waits for everything it gets, printing what it saw.  Run
 * natively and under joinrun, the output must be the same: joinrun, the outer
 * subreaper, must not take the orphans of an inner one. */
#include <errno.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
		return perror("prctl"), 1;
	pid_t mid = fork();
	if (mid == 0) {
		if (fork() == 0) { /* the grandchild: outlives its parent */
			struct timespec ts = {0, 100 * 1000 * 1000};
			nanosleep(&ts, NULL);
			_exit(7);
		}
		_exit(3);
	}
	int seen = 0, st;
	pid_t p;
	while ((p = wait(&st)) > 0 || errno == EINTR) {
		if (p < 0)
			continue;
		printf("%s exit %d\n", p == mid ? "child" : "orphan", WEXITSTATUS(st));
		seen++;
	}
	printf("reaped %d, then %s\n", seen, errno == ECHILD ? "ECHILD" : "?");
	return 0;
}
