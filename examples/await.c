/* SPDX-License-Identifier: MIT */
/*
 * await.c - Plan 9's await and wait from C, linked with -ljoin.  Starts a few
 * children that end differently and collects them with Plan 9 calls.
 *
 *	cc -o await await.c $(pkg-config --cflags --libs join)
 */
#define JOIN_PLAN9_NAMES
#include <join.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(void)
{
	char buf[256], *f[5];
	int n;
	for (int i = 0; i < 3; i++)
		if (fork() == 0) {
			usleep(50000 * (i + 1));
			if (i == 2)
				raise(SIGTERM);
			_exit(i);
		}
	/* await: the record as text; tokenize splits it, honouring the quotes. */
	if ((n = await(buf, sizeof buf - 1)) < 0) {
		fprintf(stderr, "await: %s\n", errstr());
		return 1;
	}
	buf[n] = 0;
	printf("await: %s\n", buf);
	tokenize(buf, f, 5);
	printf("  pid %s, real %s ms, exit string \"%s\"\n", f[0], f[3], f[4]);
	/* wait: the same, parsed into a Waitmsg. */
	Waitmsg *w;
	while ((w = wait()) != NULL) {
		printf("wait: pid %d user %lu sys %lu real %lu msg \"%s\"\n", w->pid, w->time[0],
		       w->time[1], w->time[2], w->msg);
		free(w);
	}
	printf("then: %s\n", errstr()); /* no living children */
	return 0;
}
