/* SPDX-License-Identifier: MIT */
/*
 * record.h - one child's record, as the engine hands it to the formatters
 * (await text, JSON lines).  Plain data: no pointers, so a record can be
 * built on the stack of a signal handler.
 */
#ifndef JOIN_RECORD_H
#define JOIN_RECORD_H

#include "base/schema.h"
#include <stdint.h>
#include <sys/types.h>

/* How a child was made; index into join_how_name(). */
enum join_how {
	JOIN_HOW_FORK,
	JOIN_HOW_VFORK,
	JOIN_HOW__FORK,
	JOIN_HOW_CLONE,
	JOIN_HOW_SPAWN,
	JOIN_HOW_SYSTEM,
	JOIN_HOW_POPEN,
	JOIN_HOW_PIDFD_SPAWN, /* glibc >= 2.39 */
	JOIN_HOW_PIDFD_SPAWNP,
	JOIN_HOW_UNKNOWN, /* born before we knew: untracked */
};

/* Which call reaped it; index into join_call_name(). */
enum join_call {
	JOIN_CALL_WAIT,
	JOIN_CALL_WAITPID,
	JOIN_CALL_WAIT3,
	JOIN_CALL_WAIT4,
	JOIN_CALL_WAITID,
	JOIN_CALL_SYSTEM,
	JOIN_CALL_PCLOSE,
	JOIN_CALL_AWAIT,
	JOIN_CALL_PROC_JOIN,
};

/* Why libjoin could not follow into a process (its "opaque" mark); index into
 * join_opaque_name(). */
enum join_opaque {
	JOIN_OPAQUE_NONE,
	JOIN_OPAQUE_STATIC,     /* no PT_INTERP: no dynamic loader, no LD_PRELOAD */
	JOIN_OPAQUE_SETUID,     /* secure execution: the loader drops LD_PRELOAD */
	JOIN_OPAQUE_NO_PRELOAD, /* its environment no longer names libjoin */
	JOIN_OPAQUE_N,
};

/* Output dialects of the await text (JOIN_STYLE). */
enum join_style { JOIN_STYLE_PLAN9, JOIN_STYLE_P9P };

#define JOIN_COMM_MAX 16 /* TASK_COMM_LEN, NUL included */

struct join_rec {
	pid_t pid;                          /* the child */
	int status;                         /* wait status word, as wait4 gives it */
	pid_t tid;                          /* reaping thread */
	uint8_t how;                        /* enum join_how */
	uint8_t call;                       /* enum join_call */
	uint8_t tracked;                    /* fork seen by us */
	uint8_t exact;                      /* exit_ns is the exit, not the reap */
	uint8_t approx;                     /* fork_ns from /proc/<pid>/stat, to the clock tick */
	uint8_t has_fork;                   /* fork_ns known */
	uint8_t has_exit;                   /* exit_ns known */
	uint8_t has_ru;                     /* rusage fields known */
	uint64_t fork_ns, exit_ns, reap_ns; /* CLOCK_MONOTONIC */
	uint64_t user_us, sys_us;           /* from the child's rusage: inclusive */
	/* Filled by the collector (collect.c), which sees the whole tree; 0 elsewhere. */
	uint8_t has_self;                   /* self_* known: every reap of the child's was seen */
	uint8_t has_self_rss;               /* self_maxrss_kb known: its peak was its own */
	uint8_t orphan;                     /* reaped by the tree's subreaper, its parent gone */
	uint8_t opaque;                     /* enum join_opaque */
	pid_t parent;                       /* orphan: the parent it lost; 0 unknown */
	uint64_t orphan_ns;                 /* orphan: when that parent died; 0 unknown */
	uint64_t self_user_us, self_sys_us; /* the child alone: inclusive less its reaps' */
	long self_maxrss_kb;
#define X(member, ru) long member;
	JOIN_RUSAGE_FIELDS(X)
#undef X
	char comm[JOIN_COMM_MAX]; /* at exit; "" if unknown */
};

const char *join_how_name(int how);
const char *join_call_name(int call);
const char *join_opaque_name(int why); /* NULL for JOIN_OPAQUE_NONE */

#endif
