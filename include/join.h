/* SPDX-License-Identifier: MIT */
/*
 * join.h - the public interface of libjoin.
 *
 * libjoin keeps a shadow table of a process's children (filled by its
 * interposers of fork and wait) and offers two ways to collect them:
 * the Plan 9 await/wait calls and the WASIX proc_join call.  All names
 * are prefixed join_; define JOIN_PLAN9_NAMES before including this
 * header for the Plan 9 spellings.  Link with -ljoin, or call the same
 * symbols in a program run under LD_PRELOAD=libjoin.so.
 */
#ifndef JOIN_H
#define JOIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Plan 9 await (man libjoin(3); docs/DESIGN.md, "The await text") ---- */

/* One reaped child, as Plan 9's wait(2) returns it. */
typedef struct JoinWaitmsg {
	int pid;               /* of loved one */
	unsigned long time[3]; /* user, sys, real; milliseconds */
	char *msg;             /* exit string; "" for a normal exit */
} JoinWaitmsg;

/*
 * join_await blocks until a child exits, reaps it and writes its record,
 * "pid user sys real 'exit string'", into s: at most n bytes, no newline,
 * no NUL.  Returns the length.  A record longer than n is truncated but
 * stays parsable by join_tokenize; the rest of it is discarded.
 * -1 with errno ECHILD ("no living children"), EINTR ("interrupted"), or
 * EINVAL when n <= 0 (nothing is reaped).  Stopped and continued children
 * are never reported.
 */
int join_await(char *s, int n);
/* As join_await, but returns 0 at once when children live and none has exited. */
int join_awaitnohang(char *s, int n);
/* As join_await, for the child pid only. */
int join_awaitfor(int pid, char *s, int n);

/* As the await calls, parsed: one malloc'd block (msg inside); free() it.  NULL on error. */
JoinWaitmsg *join_wait(void);
JoinWaitmsg *join_waitnohang(void);
JoinWaitmsg *join_waitfor(int pid);
/* Reaps one child and returns its pid only; -1 on error. */
int join_waitpid(void);

/*
 * Splits s in place into at most maxargs fields separated by blanks,
 * honouring Plan 9 quotes ('...' with '' for a quote).  Returns the count.
 */
int join_tokenize(char *s, char **args, int maxargs);

/* The calling thread's last libjoin error, as text ("" if none). */
const char *join_errstr(void);

/* ---- WASIX proc_join (docs/DESIGN.md, "WASIX proc_join") ---- */

/* WASI errno values returned by join_proc_join. */
enum {
	JOIN_ESUCCESS = 0,
	JOIN_ECHILD = 12,
	JOIN_EINTR = 27,
	JOIN_EINVAL = 28,
	JOIN_EMEMVIOLATION = 78,
};

/* OptionPid: tag 0 None, 1 Some; 8 bytes, align 4, pid at offset 4. */
typedef struct {
	uint8_t tag;
	uint32_t pid;
} join_option_pid_t;
enum { JOIN_PID_NONE = 0, JOIN_PID_SOME = 1 };

/* JoinFlags: unknown bits are ignored. */
typedef uint32_t join_flags_t;
#define JOIN_NON_BLOCKING ((join_flags_t)1)
#define JOIN_WAKE_STOPPED ((join_flags_t)2)

/* JoinStatus: 6 bytes, align 2, payload at offset 2. */
typedef struct {
	uint8_t tag;
	union {
		struct {
			uint16_t code;
		} exit_normal;
		struct {
			uint16_t code;
			uint8_t signal;
		} exit_signal;
		struct {
			uint8_t signal;
		} stopped;
	} u;
} join_status_t;
enum {
	JOIN_STATUS_NOTHING = 0,
	JOIN_STATUS_EXIT_NORMAL = 1,
	JOIN_STATUS_EXIT_SIGNAL = 2,
	JOIN_STATUS_STOPPED = 3,
};

_Static_assert(sizeof(join_option_pid_t) == 8, "join_option_pid_t is 8 bytes");
_Static_assert(_Alignof(join_option_pid_t) == 4, "join_option_pid_t aligns to 4");
_Static_assert(offsetof(join_option_pid_t, pid) == 4, "OptionPid.pid at 4");
_Static_assert(sizeof(join_status_t) == 6, "join_status_t is 6 bytes");
_Static_assert(_Alignof(join_status_t) == 2, "join_status_t aligns to 2");
_Static_assert(offsetof(join_status_t, u) == 2, "JoinStatus payload at 2");
_Static_assert(offsetof(join_status_t, u.exit_signal.signal) == 4, "ExitSignal.signal at 4");
_Static_assert(offsetof(join_status_t, u.stopped.signal) == 2, "Stopped.signal at 2");

/*
 * join_proc_join joins a child, as WASIX's proc_join: *pid None for any
 * child, Some(p) for p.  Returns a WASI errno.  Like waitpid, it may be
 * called from a signal handler.
 *
 * - pid or status NULL, or a tag other than 0 or 1: JOIN_EINVAL, nothing
 *   written.  Otherwise both outputs are cleared first (*pid None with
 *   pid 0, *status Nothing with a zeroed payload), so an error leaves them so.
 * - No child at all, or p not a child of ours (already reaped, by us or by
 *   the program's own wait; p 0 or above INT_MAX): JOIN_ECHILD.
 * - JOIN_NON_BLOCKING with nothing to report: JOIN_ESUCCESS, status
 *   Nothing, *pid Some(0).  Without it the call waits; a signal that
 *   interrupts the wait is handled and the wait resumes (never JOIN_EINTR).
 * - On success *pid is Some(child) and the child is reaped: ExitNormal
 *   {code} with the real exit code 0-255, or ExitSignal{code 0, signal}
 *   for a death by signal (a core dump is not told apart).
 * - JOIN_WAKE_STOPPED: a child that stopped is reported as Stopped{signal}
 *   and not reaped.  The stop is consumed, as waitpid(WUNTRACED) consumes
 *   it: each stop is reported once, and a later join waits for the next
 *   event of that child (its exit, or a new stop).  Continues are never
 *   reported.  Unknown flag bits are ignored.
 * - Children of any exit signal are joined (__WALL), not only SIGCHLD ones.
 *   While SIGCHLD is ignored the kernel reaps children itself: a blocking
 *   join waits until they have all ended, then returns JOIN_ECHILD.
 * - The reap goes through libjoin's table and log like any other: one await
 *   record (or JSONL reap event with "call":"proc_join") per joined child.
 *   A child joined here is gone for a later waitpid (ECHILD), as on WASIX.
 *
 * Where WASIX runtimes differ (wasmer's lib/wasix syscalls/wasix/proc_join.rs
 * and wasi-types' ExitCode -> Errno conversion), libjoin follows the WASIX
 * documentation instead: exit codes are not squeezed through the errno
 * table (wasmer turns codes it has no errno for into INVAL or UNKNOWN),
 * signal deaths are ExitSignal (wasmer reports every end as ExitNormal),
 * JOIN_NON_BLOCKING with None never blocks (older wasmer waited in
 * join_any_child whatever the flags), Some(p) of a process that is not our
 * child is ECHILD (older wasmer joined any process of the runtime, or
 * returned success with Nothing), a nonblocking poll never forgets a
 * running child, and JOIN_WAKE_STOPPED is honoured.
 *
 * pid must be 4-aligned and status 2-aligned, as WASIX lays them out.
 */
uint16_t join_proc_join(join_option_pid_t *pid, join_flags_t flags, join_status_t *status);

/*
 * Timing of a joined child: nanoseconds; instants on CLOCK_MONOTONIC.
 * user and sys come from the child's rusage (it and its reaped
 * descendants; microsecond resolution).  fork_ns is taken in the parent at
 * the creating call; 0 when unknown (born before libjoin loaded and
 * /proc/<pid>/stat unreadable), and then real_ns is 0 too.  exit_ns is the
 * exit itself when exact is 1 (JOIN_WATCH saw it), otherwise the moment
 * libjoin found the child dead: an upper bound, and real_ns with it.
 */
typedef struct {
	uint64_t user_ns, sys_ns, real_ns; /* real = exit_ns - fork_ns */
	uint64_t fork_ns, exit_ns;
	int exact; /* 0: exit_ns is an upper bound (the reap) */
} join_times_t;

/* As join_proc_join, and fills *t when a child was reaped; t is zeroed
 * otherwise (Nothing, Stopped, errors other than JOIN_EINVAL).  t may be NULL. */
uint16_t join_proc_join_timed(join_option_pid_t *pid, join_flags_t flags, join_status_t *status,
                              join_times_t *t);

/*
 * Maps a Linux errno to a WASI errno and back, over the whole WASI table
 * plus WASIX's SHUTDOWN (77), MEMVIOLATION (78) and UNKNOWN (79).  EFAULT
 * maps to MEMVIOLATION; WASI FAULT (21) and MEMVIOLATION both map to EFAULT.
 * A Linux errno WASI has no name for maps to JOIN_EINVAL (as wasmer maps
 * numbers it does not know), and an unknown WASI value (UNKNOWN too) to EINVAL.
 */
uint16_t join_wasi_errno(int linux_errno);
int join_linux_errno(uint16_t wasi_errno);

#ifdef JOIN_PLAN9_NAMES
#define Waitmsg     JoinWaitmsg
#define await       join_await
#define awaitnohang join_awaitnohang
#define awaitfor    join_awaitfor
#define wait        join_wait
#define waitnohang  join_waitnohang
#define waitfor     join_waitfor
#define waitpid     join_waitpid
#define errstr      join_errstr
#define tokenize    join_tokenize
#endif

#ifdef __cplusplus
}
#endif
#endif
