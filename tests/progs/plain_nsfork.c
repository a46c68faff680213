/* SPDX-License-Identifier: MIT */
/* plain_nsfork: a first child made and reaped in our own namespace (so that the
 * library has taken its verdict), then unshare(CLONE_NEWPID) and fork without exec: the child is
 * the new namespace's init (pid 1 there); it forks a grandchild that exits 7 and reaps it, then
 * exits 6.  Prints the child's pid as the parent knows it, and exits 2 where no pid namespace can
 * be made. */
#include <sched.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	int st;
	pid_t first = fork();
	if (first == 0)
		_exit(0);
	waitpid(first, &st, 0);
	if (unshare(CLONE_NEWPID) < 0)
		return 2;
	fflush(stdout);
	pid_t p = fork();
	if (p < 0)
		return 1;
	if (p == 0) {
		pid_t g = fork();
		if (g == 0)
			_exit(7);
		waitpid(g, &st, 0);
		_exit(WIFEXITED(st) && WEXITSTATUS(st) == 7 && getpid() == 1 ? 6 : 1);
	}
	waitpid(p, &st, 0);
	printf("%d %d\n", (int)p, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	return 0;
}
