/* SPDX-License-Identifier: MIT */
/*
 * rel_signals.c - signal cases around waiting, each printing what the program
 * sees (never a pid), so a native run and a run under libjoin compare line for
 * line.  Every successful reap prints one "reaped" line; the test counts them
 * against libjoin's records.
 *
 *	rel_signals eintr      each wait call interrupted by SIGALRM (no SA_RESTART), then again
 *	rel_signals chld-eintr waitpid for one child interrupted by another's SIGCHLD
 *	rel_signals ignore     SIGCHLD ignored while children live: wait says ECHILD
 *	rel_signals zombies    SIGCHLD ignored when children are already zombies
 *	rel_signals nocldwait  SA_NOCLDWAIT with a handler, then back to normal
 *	rel_signals blocked    SIGCHLD blocked, taken with sigwaitinfo, then reaped
 *	rel_signals rearm      a SysV handler that calls signal() for itself, and a
 *	                       handler that sets SIGCHLD to SIG_IGN
 *	rel_signals inherit    run with SIGCHLD ignored from the start
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t alarms, chlds;
static int handler_reaps;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static void on_chld(int sig)
{
	(void)sig;
	chlds++;
}

/* A child that sleeps ms, then exits with code. */
static pid_t kid(int ms, int code)
{
	pid_t p = fork();
	if (p < 0) {
		perror("fork");
		exit(2);
	}
	if (p == 0) {
		struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000};
		while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
			;
		_exit(code);
	}
	return p;
}

static void timer_ms(int ms)
{
	struct itimerval it = {{0, 0}, {ms / 1000, (ms % 1000) * 1000}};
	setitimer(ITIMER_REAL, &it, NULL);
}

static const char *err(int e)
{
	return e == EINTR ? "EINTR" : e == ECHILD ? "ECHILD" : strerror(e);
}

/* One status word, described without the pid. */
static void show(const char *what, pid_t r, pid_t want, int st)
{
	if (r < 0) {
		printf("%s: -1 %s\n", what, err(errno));
		return;
	}
	if (r == 0) {
		printf("%s: 0\n", what);
		return;
	}
	printf("%s: reaped %s", what, want <= 0 ? "a child" : r == want ? "it" : "ANOTHER");
	if (WIFEXITED(st))
		printf(" code %d\n", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		printf(" signal %d\n", WTERMSIG(st));
	else
		printf(" status %#x\n", st);
}

static pid_t call(int how, pid_t p, int *st)
{
	struct rusage ru;
	siginfo_t si;
	switch (how) {
	case 0:
		return wait(st);
	case 1:
		return waitpid(p, st, 0);
	case 2:
		return wait3(st, 0, &ru);
	case 3:
		return wait4(p, st, 0, &ru);
	default:
		memset(&si, 0, sizeof si);
		if (waitid(P_PID, (id_t)p, &si, WEXITED) < 0)
			return -1;
		*st = si.si_code == CLD_EXITED ? si.si_status << 8 : si.si_status;
		return si.si_pid;
	}
}

static int eintr(void)
{
	static const char *const names[] = {"wait", "waitpid", "wait3", "wait4", "waitid"};
	struct sigaction sa = {.sa_handler = on_alarm}; /* no SA_RESTART */
	sigaction(SIGALRM, &sa, NULL);
	for (int how = 0; how < 5; how++) {
		int st = 0;
		pid_t p = kid(300, 10 + how);
		timer_ms(50);
		errno = 0;
		pid_t r = call(how, p, &st);
		show(names[how], r, p, st);
		r = call(how, p, &st);
		show(names[how], r, p, st);
	}
	printf("alarms %d\n", (int)alarms);
	return 0;
}

static int chld_eintr(void)
{
	struct sigaction sa = {.sa_handler = on_chld}; /* no SA_RESTART */
	int st;
	pid_t r;
	sigaction(SIGCHLD, &sa, NULL);
	pid_t slow = kid(500, 2), fast = kid(30, 1);
	r = waitpid(slow, &st, 0);
	show("waitpid slow", r, slow, st);
	r = waitpid(fast, &st, 0);
	show("waitpid fast", r, fast, st);
	r = waitpid(slow, &st, 0);
	show("waitpid slow", r, slow, st);
	r = waitpid(-1, &st, WNOHANG);
	show("waitpid any", r, -1, st);
	printf("sigchld %d\n", chlds > 0);
	return 0;
}

static int ignore(int zombies)
{
	int st = 0;
	for (int i = 1; i <= 5; i++)
		kid(zombies ? 0 : 150, i);
	if (zombies)
		usleep(200000);
	signal(SIGCHLD, SIG_IGN);
	pid_t r;
	while ((r = wait(&st)) > 0)
		show("wait", r, -1, st);
	show("wait", r, -1, st);
	signal(SIGCHLD, SIG_DFL);
	pid_t p = kid(0, 9);
	r = waitpid(p, &st, 0);
	show("waitpid after", r, p, st);
	r = wait(&st);
	show("wait after", r, -1, st);
	return 0;
}

static int nocldwait(void)
{
	struct sigaction sa = {.sa_handler = on_chld, .sa_flags = SA_NOCLDWAIT | SA_RESTART};
	int st = 0;
	pid_t r;
	for (int i = 1; i <= 5; i++)
		kid(100, i);
	sigaction(SIGCHLD, &sa, NULL);
	r = wait(&st);
	show("wait", r, -1, st);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGCHLD, &sa, NULL);
	pid_t p = kid(0, 8);
	r = waitpid(p, &st, 0);
	show("waitpid after", r, p, st);
	printf("sigchld %d\n", chlds > 0);
	return 0;
}

static int blocked(void)
{
	sigset_t s;
	siginfo_t si;
	int st;
	pid_t p[3];
	sigemptyset(&s);
	sigaddset(&s, SIGCHLD);
	sigprocmask(SIG_BLOCK, &s, NULL);
	for (int i = 0; i < 3; i++)
		p[i] = kid(20 * i, 20 + i);
	int got = sigwaitinfo(&s, &si);
	printf("sigwaitinfo %s\n", got == SIGCHLD ? "SIGCHLD" : "other");
	pid_t r;
	for (int i = 2; i >= 0; i--) {
		r = waitpid(p[i], &st, 0);
		show("waitpid", r, p[i], st);
	}
	struct timespec zero = {0, 0};
	while (sigtimedwait(&s, &si, &zero) == SIGCHLD)
		;
	r = wait(&st);
	show("wait", r, -1, st);
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	return 0;
}

static void sysv_chld(int sig)
{
	int e = errno, st;
	sysv_signal(SIGCHLD, sysv_chld);      /* re-arm from inside the handler */
	while (waitpid(-1, &st, WNOHANG) > 0) /* SA_NODEFER: handlers nest, so an atomic add */
		__atomic_add_fetch(&handler_reaps, 1, __ATOMIC_SEQ_CST);
	errno = e;
	(void)sig;
}

static void usr1(int sig)
{
	(void)sig;
	signal(SIGCHLD, SIG_IGN); /* from inside a handler */
}

static int rearm(void)
{
	int st, left = 0;
	pid_t r;
	sysv_signal(SIGCHLD, sysv_chld);
	for (int i = 0; i < 50; i++)
		kid(i % 10, i);
	for (int i = 0; i < 300 && __atomic_load_n(&handler_reaps, __ATOMIC_SEQ_CST) < 50; i++)
		usleep(10000);
	/* a SIGCHLD may come while the handler is reset: those wait here */
	while (waitpid(-1, &st, 0) > 0)
		left++;
	printf("reaped %d children in all\n", (int)handler_reaps + left);
	for (int i = 0; i < (int)handler_reaps + left - 1; i++)
		printf("reaped\n"); /* one line a child, for the record count */
	signal(SIGUSR1, usr1);
	raise(SIGUSR1);
	for (int i = 0; i < 5; i++)
		kid(20, i);
	r = wait(&st);
	show("wait", r, -1, st);
	return 0;
}

static int inherit(void)
{
	int st;
	pid_t r;
	for (int i = 0; i < 20; i++)
		kid(10, i);
	r = wait(&st);
	show("wait", r, -1, st);
	return 0;
}

int main(int argc, char **argv)
{
	const char *c = argc > 1 ? argv[1] : "";
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(c, "eintr"))
		return eintr();
	if (!strcmp(c, "chld-eintr"))
		return chld_eintr();
	if (!strcmp(c, "ignore"))
		return ignore(0);
	if (!strcmp(c, "zombies"))
		return ignore(1);
	if (!strcmp(c, "nocldwait"))
		return nocldwait();
	if (!strcmp(c, "blocked"))
		return blocked();
	if (!strcmp(c, "rearm"))
		return rearm();
	if (!strcmp(c, "inherit"))
		return inherit();
	fprintf(
	    stderr,
	    "usage: rel_signals eintr|chld-eintr|ignore|zombies|nocldwait|blocked|rearm|inherit\n");
	return 2;
}
