/* SPDX-License-Identifier: MIT */
/* plain_forks N MS FILE: N children, one at a time, each exiting with i % 7 and reaped
 * after MS milliseconds; then writes "done" to FILE.  An unmodified program. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 4)
		return 2;
	int n = atoi(argv[1]);
	long ms = atol(argv[2]);
	for (int i = 0; i < n; i++) {
		pid_t p = fork();
		if (p == 0)
			_exit(i % 7);
		struct timespec ts = {ms / 1000, ms % 1000 * 1000000};
		nanosleep(&ts, 0);
		waitpid(p, 0, 0);
	}
	FILE *f = fopen(argv[3], "w");
	fputs("done\n", f);
	return fclose(f);
}
