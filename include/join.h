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

/* ---- Plan 9 await (man libjoin(3), SPEC §2) ---- */

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

/* ---- WASIX proc_join (SPEC §3) ---- */

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
 * Joins a child: *pid None for any child, Some(p) for p.  Returns a WASI
 * errno.  NULL pid or status, or a tag other than 0 or 1: JOIN_EINVAL and
 * nothing written.  Otherwise both outputs are cleared first.  No such
 * child: JOIN_ECHILD.  JOIN_NON_BLOCKING with nothing to report: success,
 * status Nothing and *pid Some(0).  On success *pid is Some(child); the
 * status is ExitNormal{code 0-255} (not clamped), ExitSignal{0, signal}
 * for a death by signal, or, with JOIN_WAKE_STOPPED, Stopped{signal} for
 * a stopped child, which is not reaped.  A signal during a blocking join is
 * handled and the join resumes; an exit is never consumed unreported.
 */
uint16_t join_proc_join(join_option_pid_t *pid, join_flags_t flags, join_status_t *status);

/* Timing of a joined child; all in nanoseconds, instants on CLOCK_MONOTONIC. */
typedef struct {
	uint64_t user_ns, sys_ns, real_ns; /* real = fork to exit */
	uint64_t fork_ns, exit_ns;
	int exact; /* 0: exit_ns is an upper bound (the reap) */
} join_times_t;

/* As join_proc_join, and fills *t (zeroed when nothing was joined); t may be NULL. */
uint16_t join_proc_join_timed(join_option_pid_t *pid, join_flags_t flags, join_status_t *status,
                              join_times_t *t);

/* Maps a Linux errno to a WASI errno and back (unknown values map to JOIN_EINVAL / EINVAL). */
uint16_t join_wasi_errno(int linux_errno);
int join_linux_errno(uint16_t wasi_errno);

#ifdef JOIN_PLAN9_NAMES
#define Waitmsg JoinWaitmsg
#define await join_await
#define awaitnohang join_awaitnohang
#define awaitfor join_awaitfor
#define wait join_wait
#define waitnohang join_waitnohang
#define waitfor join_waitfor
#define waitpid join_waitpid
#define errstr join_errstr
#define tokenize join_tokenize
#endif

#ifdef __cplusplus
}
#endif
#endif
