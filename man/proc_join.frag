.\" proc_join.frag: the proc_join part of libjoin(3), to be merged at the end of
.\" DESCRIPTION (after "see its own section below"), its DIAGNOSTICS and BUGS lines
.\" with theirs, and the files of SOURCE and the example of EXAMPLES likewise.
.SS "WASIX proc_join"
.EX
typedef struct { uint8_t tag; uint32_t pid; } join_option_pid_t;
typedef uint32_t join_flags_t;
typedef struct {
	uint8_t tag;
	union {
		struct { uint16_t code; } exit_normal;
		struct { uint16_t code; uint8_t signal; } exit_signal;
		struct { uint8_t signal; } stopped;
	} u;
} join_status_t;
typedef struct {
	uint64_t user_ns, sys_ns, real_ns;
	uint64_t fork_ns, exit_ns;
	int exact;
} join_times_t;

uint16_t join_wasi_errno(int linux_errno)
int      join_linux_errno(uint16_t wasi_errno)
.EE
.PP
.I Join_proc_join
is WASIX's
.BR proc_join ,
with its binary layouts:
an option pid is 8 bytes, pid at offset 4,
tag 0 (None) or 1 (Some);
a status is 6 bytes, aligned to 2, payload at offset 2,
tag 0 (Nothing), 1 (ExitNormal), 2 (ExitSignal) or 3 (Stopped);
ExitSignal's signal is at offset 4.
The header checks them at compile time.
It returns a WASI errno, not \-1:
0 on success.
.PP
.I *pid
None joins any child,
Some(\fIp\fP)
the child
.I p
only.
A null
.I pid
or
.IR status ,
or a tag other than 0 or 1, gives 28 (INVAL) and nothing is written.
Otherwise both are cleared first, to None and Nothing,
and an error leaves them so.
With no child at all, or when
.I p
is not a child of the caller (never was, or has been reaped, by a join or by
the program's own
.IR wait ),
the result is 12 (CHILD).
.PP
Flag
.B JOIN_NON_BLOCKING
(1) returns at once:
when no child has anything to report
.I *pid
is Some(0) and the status Nothing.
Without it the call waits for a child to exit;
a signal that arrives meanwhile runs its handler and the wait resumes,
so the call never returns 27 (INTR).
.PP
On success
.I *pid
is Some(\fIchild\fP) and the child is reaped.
A normal exit gives ExitNormal with the exit code, 0 to 255;
a death by signal gives ExitSignal with code 0 and the signal number.
With flag
.B JOIN_WAKE_STOPPED
(2) a child that stopped gives Stopped with the stopping signal and is not
reaped; the stop is consumed, as
.B waitpid
with
.B WUNTRACED
consumes it, so each stop is reported once.
Continues are never reported.
Other flag bits are ignored.
.PP
Each reap is recorded like any other: one await record, or one
.B reap
event with
.B call
.BR proc_join ,
in the log.
.PP
.I Join_proc_join_timed
also fills
.I t
(when not nil) for a reaped child:
user and sys time from its
.BR rusage ;
.I fork_ns
and
.IR exit_ns ,
instants of
.BR CLOCK_MONOTONIC ;
.IR real_ns ,
their difference.
.I Exact
is 1 when
.B JOIN_WATCH
saw the exit; otherwise
.I exit_ns
is when libjoin found the child dead, an upper bound.
A child born before libjoin loaded has its fork instant from
.BR /proc ,
or 0 (and
.I real_ns
0) when that is unknown.
For Nothing, Stopped and errors
.I t
is zeroed.
.PP
.I Join_wasi_errno
and
.I join_linux_errno
translate between Linux
.I errno
values and WASI's (preview 1, with WASIX's 77 SHUTDOWN, 78 MEMVIOLATION, 79 UNKNOWN).
.B EFAULT
is 78;
an errno WASI does not name is 28, and a WASI value Linux does not name is
.BR EINVAL .
.PP
Where wasmer, the reference runtime, departs from the WASIX documentation,
libjoin follows the documentation:
wasmer passes exit codes through its errno type, so codes it has no errno for
become 28 or 79;
reports deaths by signal as ExitNormal;
ignores
.BR JOIN_WAKE_STOPPED ;
and in older releases blocks in a nonblocking any-child join
and joins processes that are not children.
.\" EXAMPLES
.SH EXAMPLES
Join workers without ever blocking, doing other work meanwhile:
.IP
.EX
join_option_pid_t p = { .tag = 0 };
join_status_t st;
join_times_t t;
while (join_proc_join_timed(&p, JOIN_NON_BLOCKING, &st, &t) == 0) {
	if (p.pid == 0) {	/* nothing yet */
		other_work();
		p.tag = 0;
		continue;
	}
	if (st.tag == 1)
		printf("%u: exit %d after %.1f ms\en", p.pid,
			st.u.exit_normal.code, t.real_ns / 1e6);
	p.tag = 0;
}
.EE
.PP
The loop ends with 12 when no children are left.
The programs
.I examples/pool.c
and
.I examples/pool.py
(the same with
.B ctypes
under
.BR LD_PRELOAD )
are complete.
.\" SOURCE: shim/procjoin.c, shim/wasi_errno.c
.\" DIAGNOSTICS
.SH DIAGNOSTICS
.I Join_proc_join
returns 28 (INVAL) for bad arguments and 12 (CHILD) when there is no such child;
any other failure of the underlying
.B waitid
is its errno translated by
.IR join_wasi_errno .
.\" BUGS
.SH BUGS
A core dump is not told apart from a plain death by signal.
