/* SPDX-License-Identifier: MIT */
/* test_procjoin.c - proc_join's layouts read back as bytes at the documented offsets,
 * the WASI errno mapping, and the engine's join of real children without the preload. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"
#include "engine.h"
#include "join.h"

extern int join_on;

/* A status or pid as the bytes a WASIX guest would see (little-endian, as wasm is). */
typedef union {
	join_status_t s;
	unsigned char b[6];
} status_bytes;
typedef union {
	join_option_pid_t o;
	unsigned char b[8];
} pid_bytes;

static void le16(const unsigned char *b, unsigned v)
{
	assert_int_equal(b[0] | b[1] << 8, v);
}

static void status_layout(void **state)
{
	(void)state;
	status_bytes u;
	memset(&u, 0, sizeof u);
	u.s.tag = JOIN_STATUS_EXIT_NORMAL;
	u.s.u.exit_normal.code = 0x1ff;
	assert_int_equal(u.b[0], 1);
	le16(u.b + 2, 0x1ff);
	memset(&u, 0, sizeof u);
	u.s.tag = JOIN_STATUS_EXIT_SIGNAL;
	u.s.u.exit_signal.code = 0x1234;
	u.s.u.exit_signal.signal = 11;
	assert_int_equal(u.b[0], 2);
	le16(u.b + 2, 0x1234);
	assert_int_equal(u.b[4], 11);
	memset(&u, 0, sizeof u);
	u.s.tag = JOIN_STATUS_STOPPED;
	u.s.u.stopped.signal = 19;
	assert_int_equal(u.b[0], 3);
	assert_int_equal(u.b[2], 19);
	/* The other way: bytes written by a guest, read through the fields. */
	const unsigned char g[6] = {2, 0x55, 0x34, 0x12, 9, 0x66};
	memcpy(u.b, g, sizeof g);
	assert_int_equal(u.s.tag, JOIN_STATUS_EXIT_SIGNAL);
	assert_int_equal(u.s.u.exit_signal.code, 0x1234);
	assert_int_equal(u.s.u.exit_signal.signal, 9);
	assert_int_equal(u.s.u.exit_normal.code, 0x1234);
	assert_int_equal(u.s.u.stopped.signal, 0x34);
}

static void pid_layout(void **state)
{
	(void)state;
	pid_bytes u;
	memset(&u, 0, sizeof u);
	u.o.tag = JOIN_PID_SOME;
	u.o.pid = 0x01020304;
	const unsigned char want[8] = {1, 0, 0, 0, 4, 3, 2, 1};
	assert_memory_equal(u.b, want, 8);
	const unsigned char g[8] = {0, 0xaa, 0xbb, 0xcc, 0x78, 0x56, 0x34, 0x12};
	memcpy(u.b, g, sizeof g);
	assert_int_equal(u.o.tag, JOIN_PID_NONE);
	assert_int_equal(u.o.pid, 0x12345678);
}

static void errno_pairs(void **state)
{
	(void)state;
	static const struct {
		int e;
		uint16_t w;
	} pairs[] = {{0, 0},       {E2BIG, 1},   {EACCES, 2},     {EAGAIN, 6},  {EBADF, 8},
	             {ECHILD, 12}, {EEXIST, 20}, {EINTR, 27},     {EINVAL, 28}, {EIO, 29},
	             {ENOENT, 44}, {ENOMEM, 48}, {ENOSYS, 52},    {EPERM, 63},  {EPIPE, 64},
	             {ESRCH, 71},  {EXDEV, 75},  {ESHUTDOWN, 77}, {EFAULT, 78}};
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		assert_int_equal(join_wasi_errno(pairs[i].e), pairs[i].w);
		assert_int_equal(join_linux_errno(pairs[i].w), pairs[i].e);
	}
	assert_int_equal(join_linux_errno(21), EFAULT); /* WASI FAULT */
	assert_int_equal(join_linux_errno(76), EPERM);  /* NOTCAPABLE */
	assert_int_equal(join_linux_errno(79), EINVAL); /* UNKNOWN */
	assert_int_equal(join_linux_errno(80), EINVAL);
	assert_int_equal(join_linux_errno(0xffff), EINVAL);
	assert_int_equal(join_wasi_errno(ENOTBLK), JOIN_EINVAL); /* no WASI name */
	assert_int_equal(join_wasi_errno(-1), JOIN_EINVAL);
	assert_int_equal(join_wasi_errno(100000), JOIN_EINVAL);
}

/* Every WASI value with its own Linux errno survives the round trip, and back. */
static void errno_round_trip(void **state)
{
	(void)state;
	for (uint16_t w = 0; w < 80; w++) {
		if (w == 21 || w == 76 ||
		    w == 79) /* FAULT, NOTCAPABLE, UNKNOWN: no errno of their own */
			continue;
		assert_int_equal(join_wasi_errno(join_linux_errno(w)), w);
	}
	for (int e = 0; e < 134; e++) {
		uint16_t w = join_wasi_errno(e);
		if (w != JOIN_EINVAL)
			assert_int_equal(join_linux_errno(w), e);
	}
}

static int setup(void **state)
{
	(void)state;
	join_libc.wait4 = wait4;
	join_libc.waitid = waitid;
	join_on = 1; /* records on; the log is off (join_cfg is zero) */
	return 0;
}

static pid_t child(int code)
{
	pid_t p = fork();
	if (p == 0) {
		if (code < 0)
			raise(-code);
		_exit(code);
	}
	assert_true(p > 0);
	return p;
}

/* Joins p into the byte views; returns the WASI errno. */
static uint16_t join_bytes(pid_t p, join_flags_t f, pid_bytes *o, status_bytes *s)
{
	memset(o, 0, sizeof *o);
	o->o.tag = p ? JOIN_PID_SOME : JOIN_PID_NONE;
	o->o.pid = (uint32_t)p;
	memset(s, 0xee, sizeof *s);
	return join_proc_join(&o->o, f, &s->s);
}

static void joined_bytes(void **state)
{
	(void)state;
	pid_bytes o;
	status_bytes s;
	pid_t p = child(200);
	assert_int_equal(join_bytes(p, 0, &o, &s), 0);
	const unsigned char exit200[6] = {1, 0, 200, 0, 0, 0};
	assert_memory_equal(s.b, exit200, 6);
	const unsigned char some[8] = {
	    1, 0, 0, 0, p & 0xff, p >> 8 & 0xff, p >> 16 & 0xff, (unsigned)p >> 24};
	assert_memory_equal(o.b, some, 8);
	p = child(-SIGKILL);
	assert_int_equal(join_bytes(0, 0, &o, &s), 0);
	assert_int_equal(o.o.pid, p);
	const unsigned char killed[6] = {2, 0, 0, 0, SIGKILL, 0};
	assert_memory_equal(s.b, killed, 6);
	p = child(-SIGSTOP);
	assert_int_equal(join_bytes(p, JOIN_WAKE_STOPPED, &o, &s), 0);
	const unsigned char stopped[6] = {3, 0, SIGSTOP, 0, 0, 0};
	assert_memory_equal(s.b, stopped, 6);
	kill(p, SIGKILL);
	assert_int_equal(join_bytes(p, 0, &o, &s), 0);
	assert_memory_equal(s.b, killed, 6);
	/* No child left: ECHILD, and the outputs cleared: None, Nothing. */
	assert_int_equal(join_bytes(0, JOIN_NON_BLOCKING, &o, &s), JOIN_ECHILD);
	const unsigned char zero[8] = {0};
	assert_memory_equal(o.b, zero, 8);
	assert_memory_equal(s.b, zero, 6);
}

static void inval_writes_nothing(void **state)
{
	(void)state;
	pid_bytes o;
	status_bytes s, s0;
	join_times_t t, t0;
	memset(&s, 0xee, sizeof s);
	memset(&t, 0xee, sizeof t);
	s0 = s, t0 = t;
	assert_int_equal(join_proc_join(NULL, 0, &s.s), JOIN_EINVAL);
	memset(&o, 0xee, sizeof o);
	o.o.tag = JOIN_PID_NONE;
	pid_bytes o0 = o;
	assert_int_equal(join_proc_join_timed(&o.o, 0, NULL, &t), JOIN_EINVAL);
	o.o.tag = 2;
	o0.o.tag = 2;
	assert_int_equal(join_proc_join_timed(&o.o, 0, &s.s, &t), JOIN_EINVAL);
	assert_memory_equal(o.b, o0.b, 8);
	assert_memory_equal(s.b, s0.b, 6);
	assert_memory_equal(&t, &t0, sizeof t);
}

/* Not recording (secure execution): still joins, times from rusage only. */
static void unrecorded(void **state)
{
	(void)state;
	join_option_pid_t o = {.tag = JOIN_PID_NONE};
	join_status_t s;
	join_times_t t;
	join_on = 0;
	pid_t p = child(3);
	errno = 1234;
	assert_int_equal(join_proc_join_timed(&o, 0, &s, &t), 0);
	assert_int_equal(errno, 1234);
	join_on = 1;
	assert_int_equal(o.pid, p);
	assert_int_equal(s.tag, JOIN_STATUS_EXIT_NORMAL);
	assert_int_equal(s.u.exit_normal.code, 3);
	assert_int_equal(t.fork_ns, 0);
	assert_int_equal(t.real_ns, 0);
	assert_true(t.exit_ns > 0);
	assert_int_equal(t.exact, 0);
	errno = 1234;
	assert_int_equal(join_proc_join_timed(&o, 0, &s, &t), JOIN_ECHILD);
	assert_int_equal(errno, 1234); /* the caller's errno is left alone */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(status_layout), cmocka_unit_test(pid_layout),
	    cmocka_unit_test(errno_pairs),   cmocka_unit_test(errno_round_trip),
	    cmocka_unit_test(joined_bytes),  cmocka_unit_test(inval_writes_nothing),
	    cmocka_unit_test(unrecorded),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
