/* SPDX-License-Identifier: MIT */
/*
 * rel_await.c - libjoin's own waits interrupted by a signal (no SA_RESTART):
 * join_await gives -1, EINTR, "interrupted", and the child is not lost (the next
 * call reports it); join_proc_join never returns an interrupted state (the
 * signal is handled and the join resumes).  Prints what it sees; exit 0 when
 * every rule holds.  Built natively too (tests/reliability.mk): the join_ calls
 * are weak there, and it prints "no libjoin".
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>
#include "join.h"

#pragma weak join_await
#pragma weak join_errstr
#pragma weak join_proc_join

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static pid_t kid(int ms, int code)
{
	pid_t p = fork();
	if (p == 0) {
		usleep((useconds_t)ms * 1000);
		_exit(code);
	}
	return p;
}

static void timer_ms(int ms)
{
	struct itimerval it = {{0, 0}, {0, ms * 1000}};
	setitimer(ITIMER_REAL, &it, NULL);
}

int main(void)
{
	char buf[256], want[64];
	int bad = 0;
	if (!join_await) {
		printf("no libjoin\n");
		return 0;
	}
	struct sigaction sa = {.sa_handler = on_alarm}; /* no SA_RESTART */
	sigaction(SIGALRM, &sa, NULL);

	pid_t p = kid(300, 7);
	timer_ms(50);
	errno = 0;
	int n = join_await(buf, sizeof buf);
	int e = errno;
	printf("join_await: %d %s \"%s\"\n", n, e == EINTR ? "EINTR" : strerror(e), join_errstr());
	bad += n != -1 || e != EINTR || strcmp(join_errstr(), "interrupted");
	n = join_await(buf, sizeof buf);
	snprintf(want, sizeof want, "%d ", (int)p);
	int whole = n > 0 && !strncmp(buf, want, strlen(want)) && strstr(buf, ": 7'");
	printf("join_await again: %s\n", whole ? "the child, exit 7" : "WRONG");
	bad += !whole;

	p = kid(300, 8);
	timer_ms(50);
	join_option_pid_t who = {JOIN_PID_NONE, 0};
	join_status_t st;
	uint16_t r = join_proc_join(&who, 0, &st);
	int ok = r == JOIN_ESUCCESS && who.tag == JOIN_PID_SOME && who.pid == (uint32_t)p &&
	         st.tag == JOIN_STATUS_EXIT_NORMAL && st.u.exit_normal.code == 8;
	printf("join_proc_join across a signal: %s (alarms %d)\n",
	       ok ? "the child, exit 8" : "WRONG", (int)alarms);
	bad += !ok || alarms != 2;
	r = join_proc_join(&who, 0, &st);
	printf("join_proc_join with none left: %s\n", r == JOIN_ECHILD ? "CHILD" : "WRONG");
	bad += r != JOIN_ECHILD;
	return bad != 0;
}
