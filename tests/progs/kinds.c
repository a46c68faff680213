/* SPDX-License-Identifier: MIT */
/*
 * kinds.c - one child made by each creating call, reaped by each wait call, for
 * the JSONL tests: fork/waitpid (exit 1), vfork/wait (2), _Fork/wait3 (3),
 * posix_spawn/wait4 (4), posix_spawnp/waitid (5), clone/waitpid (6, __WALL),
 * system (7), popen/pclose (8), fork + SIGKILL (killed), and a child with an
 * awkward name (quote, backslash, newline, control byte, invalid UTF-8) that
 * exits 11.  Prints nothing; exits 0 when every status came back as expected.
 */
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

pid_t _Fork(void);
extern char **environ;
static int bad;

static void expect(int st, int code, const char *what)
{
	if (!WIFEXITED(st) || WEXITSTATUS(st) != code) {
		fprintf(stderr, "kinds: %s: status %#x, wanted exit %d\n", what, st, code);
		bad = 1;
	}
}

static int clone_child(void *arg)
{
	(void)arg;
	_exit(6);
}

static pid_t spawn(int p, const char *code)
{
	pid_t pid;
	char *argv[] = {"sh", "-c", NULL, NULL};
	char cmd[32];
	snprintf(cmd, sizeof cmd, "exit %s", code);
	argv[2] = cmd;
	int r = p ? posix_spawnp(&pid, "sh", NULL, NULL, argv, environ)
	          : posix_spawn(&pid, "/bin/sh", NULL, NULL, argv, environ);
	return r ? -1 : pid;
}

int main(void)
{
	int st;
	struct rusage ru;
	siginfo_t si;
	pid_t p;

	if ((p = fork()) == 0)
		_exit(1);
	waitpid(p, &st, 0), expect(st, 1, "fork");
	if ((p = vfork()) == 0)
		_exit(2);
	wait(&st), expect(st, 2, "vfork");
	if ((p = _Fork()) == 0)
		_exit(3);
	wait3(&st, 0, &ru), expect(st, 3, "_Fork");
	p = spawn(0, "4");
	wait4(p, &st, 0, &ru), expect(st, 4, "posix_spawn");
	p = spawn(1, "5");
	memset(&si, 0, sizeof si);
	waitid(P_PID, (id_t)p, &si, WEXITED);
	if (si.si_code != CLD_EXITED || si.si_status != 5)
		fprintf(stderr, "kinds: posix_spawnp: si_status %d\n", si.si_status), bad = 1;
	static char stack[64 * 1024];
	p = clone(clone_child, stack + sizeof stack, SIGCHLD, NULL);
	waitpid(p, &st, __WALL), expect(st, 6, "clone");
	st = system("exit 7"), expect(st, 7, "system");
	FILE *f = popen("exit 8", "r");
	st = pclose(f), expect(st, 8, "popen");
	if ((p = fork()) == 0) {
		pause();
		_exit(0);
	}
	kill(p, SIGKILL);
	waitpid(p, &st, 0);
	if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGKILL)
		fprintf(stderr, "kinds: kill: status %#x\n", st), bad = 1;
	if ((p = fork()) == 0) {
		prctl(PR_SET_NAME, "a\"b\\c\nd\x01\xff");
		_exit(11);
	}
	waitpid(p, &st, 0), expect(st, 11, "name");
	return bad;
}
