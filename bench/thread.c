/* SPDX-License-Identifier: MIT */
/*
 * thread.c - an empty preloaded library that starts one idle thread (all signals
 * blocked) in every process: the floor of any LD_PRELOAD tool that keeps a thread,
 * as watch mode does.  From then on glibc's fork takes its multithreaded path.
 */
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

static void *idle(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

__attribute__((constructor)) static void start(void)
{
	sigset_t all, old;
	pthread_t t;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	if (pthread_create(&t, NULL, idle, NULL) == 0)
		pthread_detach(t);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}
