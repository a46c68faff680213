/* SPDX-License-Identifier: MIT */
/*
 * micro.c - micro-benchmarks of the engine (build/libshim.a), one CSV line
 * each on stdout: name,value,unit.  Nothing here forks for real except one
 * sleeping child whose pid stands for every simulated child, so the costs
 * are libjoin's own and repeatable.
 */
#include "base/config.h"
#include "table/arena.h"
#include "engine.h"
#include "table/lock.h"
#include "table/table.h"
#include "text/text.h"
#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static pid_t sleeper; /* a live child: the peek's system call finds it running */

static double now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

static void out(const char *name, double v, const char *unit)
{
	printf("%s,%.1f,%s\n", name, v, unit);
	fflush(stdout);
}

/* Fake kernel: the peek pays a real waitid (libjoin's extra system call) and
 * reports the sleeper as exited; the reap is the program's own wait4, free here. */
static int fake_waitid(idtype_t type, id_t id, siginfo_t *si, int options)
{
	siginfo_t tmp;
	(void)type, (void)id;
	syscall(SYS_waitid, P_PID, sleeper, &tmp, (options & ~WNOHANG) | WNOHANG, NULL);
	memset(si, 0, sizeof *si);
	si->si_signo = SIGCHLD;
	si->si_code = CLD_EXITED;
	si->si_pid = sleeper;
	si->si_status = 0;
	return 0;
}

static pid_t fake_wait4(pid_t pid, int *status, int options, struct rusage *ru)
{
	(void)options;
	*status = 0;
	if (ru)
		memset(ru, 0, sizeof *ru);
	return pid;
}

static void configure(const char *log, const char *format)
{
	char lv[64], fv[64];
	char *env[] = {lv, fv, NULL};
	snprintf(lv, sizeof lv, "JOIN_LOG=%s", log);
	snprintf(fv, sizeof fv, "JOIN_FORMAT=%s", format);
	join_init(env, 0);
}

/* One child's whole path through the engine: fork record, peek, reap record. */
static void child_path(const char *name, const char *log, const char *format, int n)
{
	configure(log, format);
	for (int i = 0; i < n / 10; i++) { /* warm up */
		join_forkrec_end(sleeper, join_forkrec_begin(), JOIN_HOW_FORK);
		join_wait4(sleeper, &(int){0}, 0, NULL, JOIN_CALL_WAITPID);
	}
	double t0 = now_ns();
	for (int i = 0; i < n; i++) {
		join_forkrec_end(sleeper, join_forkrec_begin(), JOIN_HOW_FORK);
		join_wait4(sleeper, &(int){0}, 0, NULL, JOIN_CALL_WAITPID);
	}
	out(name, (now_ns() - t0) / n, "ns");
}

static void lock_pair(int n)
{
	double t0 = now_ns();
	for (int i = 0; i < n; i++) {
		join_lock();
		join_unlock();
	}
	out("lock_pair", (now_ns() - t0) / n, "ns");
}

static void peek_syscall(int n)
{
	siginfo_t si;
	double t0 = now_ns();
	for (int i = 0; i < n; i++)
		syscall(SYS_waitid, P_PID, sleeper, &si, WEXITED | WNOHANG | WNOWAIT, NULL);
	out("peek_syscall", (now_ns() - t0) / n, "ns");
}

static void insert(pid_t pid)
{
	struct join_rec done;
	join_table_end(pid, join_table_begin(), JOIN_HOW_FORK, &done);
}

static void delete (pid_t pid)
{
	struct join_rec r = {.pid = pid};
	join_table_settle(&r);
}

/* Table at n live entries: insert, find and delete of k more, in ns per operation;
 * and the bytes mapped per live entry. */
static void table_at(long n)
{
	enum { K = 2000, REPS = 20 };
	char name[64];
	size_t before = join_arena_mapped();
	for (long i = 0; i < n; i++)
		insert((pid_t)(i + 2));
	size_t after = join_arena_mapped();
	double ti = 0, tf = 0, td = 0;
	for (int rep = 0; rep < REPS; rep++) {
		pid_t base = (pid_t)(n + 2 + (long)rep * K);
		double t0 = now_ns();
		for (int j = 0; j < K; j++)
			insert(base + j);
		double t1 = now_ns();
		for (int j = 0; j < K; j++)
			join_table_find((pid_t)(2 + (long)j * 7919 % n), NULL);
		double t2 = now_ns();
		for (int j = 0; j < K; j++)
			delete (base + j);
		double t3 = now_ns();
		ti += t1 - t0, tf += t2 - t1, td += t3 - t2;
	}
	snprintf(name, sizeof name, "table_insert_%ld", n);
	out(name, ti / (K * REPS), "ns");
	snprintf(name, sizeof name, "table_find_%ld", n);
	out(name, tf / (K * REPS), "ns");
	snprintf(name, sizeof name, "table_delete_%ld", n);
	out(name, td / (K * REPS), "ns");
	snprintf(name, sizeof name, "bytes_per_child_%ld", n);
	out(name, (double)(after - before) / n, "B");
	join_table_expire_all();
}

static struct join_rec sample(void)
{
	struct join_rec r = {.pid = 123456,
	                     .status = 0,
	                     .tid = 123400,
	                     .how = JOIN_HOW_FORK,
	                     .call = JOIN_CALL_WAITPID,
	                     .tracked = 1,
	                     .has_fork = 1,
	                     .has_exit = 1,
	                     .has_ru = 1,
	                     .fork_ns = 1000000000000ull,
	                     .exit_ns = 1000123456789ull,
	                     .reap_ns = 1000123556789ull,
	                     .user_us = 12345,
	                     .sys_us = 6789,
	                     .maxrss_kb = 4096,
	                     .minflt = 120};
	strcpy(r.comm, "cc1");
	return r;
}

static void formats(int n)
{
	char buf[1024];
	struct join_rec r = sample();
	struct join_self me = {.pid = 123400};
	strcpy(me.comm, "make");
	volatile size_t sink = 0;
	double t0 = now_ns();
	for (int i = 0; i < n; i++)
		sink += (size_t)join_fmt_await(buf, sizeof buf, &r, JOIN_STYLE_PLAN9);
	out("format_await", (now_ns() - t0) / n, "ns");
	r.status = 139; /* a killed child: the exit string is built too */
	t0 = now_ns();
	for (int i = 0; i < n; i++)
		sink += (size_t)join_fmt_await(buf, sizeof buf, &r, JOIN_STYLE_PLAN9);
	out("format_await_signal", (now_ns() - t0) / n, "ns");
	t0 = now_ns();
	for (int i = 0; i < n; i++)
		sink += join_jsonl_reap(buf, sizeof buf, &me, r.reap_ns, &r);
	out("format_jsonl_reap", (now_ns() - t0) / n, "ns");
	(void)sink;
}

/* The constructor's parts, warm: the configuration scan of this environment and
 * the dlsym of the 7 real functions resolved at load (preload/real.c). */
static void ctor_parts(int n)
{
	static const char *names[] = {"fork",   "_Fork",     "posix_spawn", "wait4",
	                              "waitid", "sigaction", "signal"};
	struct join_config c;
	struct join_config_warning warn[JOIN_CONFIG_WARNINGS];
	double t0 = now_ns();
	for (int i = 0; i < n; i++)
		join_config_parse(&c, environ, 0, warn, JOIN_CONFIG_WARNINGS);
	out("ctor_config_scan", (now_ns() - t0) / n, "ns");
	volatile void *sink;
	t0 = now_ns();
	for (int i = 0; i < n / 10; i++)
		for (size_t k = 0; k < sizeof names / sizeof *names; k++)
			sink = dlsym(RTLD_NEXT, names[k]);
	out("ctor_dlsym_all", (now_ns() - t0) / (n / 10), "ns");
	(void)sink;
}

int main(int argc, char **argv)
{
	long max = argc > 1 ? atol(argv[1]) : 1000000;
	sleeper = fork();
	if (sleeper == 0) {
		pause();
		_exit(0);
	}
	join_libc.waitid = fake_waitid;
	join_libc.wait4 = fake_wait4;
	int dn = open("/dev/null", O_WRONLY);
	char fdlog[32];
	snprintf(fdlog, sizeof fdlog, "fd:%d", dn);
	lock_pair(200000);
	peek_syscall(200000);
	child_path("child_path_log_off", "off", "await", 100000);
	child_path("child_path_await_devnull", fdlog, "await", 100000);
	child_path("child_path_jsonl_devnull", fdlog, "jsonl", 50000);
	formats(200000);
	ctor_parts(20000);
	configure("off", "await");
	for (long n = 1000; n <= max; n *= 10)
		table_at(n);
	kill(sleeper, SIGKILL);
	waitpid(sleeper, NULL, 0);
	return 0;
}
