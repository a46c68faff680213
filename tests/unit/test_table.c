/* SPDX-License-Identifier: MIT */
/* test_table.c - the child table: insert, find, delete, out-of-order merge, arena exhaustion. */
#include "unit.h"
#include "table/arena.h"
#include "table/table.h"
#include <string.h>

static int setup(void **state)
{
	(void)state;
	join_table_reset();
	join_arena_fail_after(-1);
	return 0;
}

static struct join_rec reaped(pid_t pid, int status)
{
	struct join_rec r;
	memset(&r, 0, sizeof r);
	r.pid = pid;
	r.status = status;
	r.how = JOIN_HOW_UNKNOWN;
	return r;
}

static void insert_find_delete(void **state)
{
	(void)state;
	struct join_child_info ci;
	struct join_rec done;
	uint64_t t = join_table_begin();
	assert_true(join_table_inflight());
	assert_int_equal(join_table_end(100, t, JOIN_HOW_VFORK, &done), 0);
	assert_false(join_table_inflight());
	assert_true(join_table_find(100, &ci));
	assert_int_equal(ci.pid, 100);
	assert_int_equal(ci.how, JOIN_HOW_VFORK);
	assert_int_equal(ci.fork_ns, t);
	assert_true(join_table_maybe(100));
	struct join_rec r = reaped(100, 0);
	assert_int_equal(join_table_settle(&r), 1);
	assert_true(r.tracked && r.has_fork);
	assert_int_equal(r.fork_ns, t);
	assert_int_equal(r.how, JOIN_HOW_VFORK);
	assert_false(join_table_find(100, NULL));
	assert_false(join_table_maybe(100));
}

static void untracked(void **state)
{
	(void)state;
	struct join_counts c;
	struct join_rec r = reaped(4242, 0);
	assert_int_equal(join_table_settle(&r), 0);
	assert_false(r.tracked);
	join_table_counts(&c);
	assert_int_equal(c.untracked, 1);
}

/* A SIGCHLD handler reaped the child before the forking thread recorded it. */
static void reap_before_fork_record(void **state)
{
	(void)state;
	struct join_rec done;
	uint64_t t = join_table_begin();
	struct join_rec r = reaped(300, 5 << 8);
	assert_int_equal(join_table_settle(&r), 2); /* parked: a fork record may come */
	assert_int_equal(join_table_end(300, t, JOIN_HOW_FORK, &done), 1);
	assert_int_equal(done.pid, 300);
	assert_int_equal(done.status, 5 << 8);
	assert_true(done.tracked && done.has_fork);
	assert_int_equal(done.fork_ns, t);
	assert_false(join_table_find(300, NULL)); /* merged, not inserted */
}

static void many(void **state)
{
	(void)state;
	struct join_rec done;
	struct join_counts c;
	for (pid_t p = 1; p <= 20000; p++)
		join_table_end(p, join_table_begin(), JOIN_HOW_FORK, &done);
	join_table_counts(&c);
	assert_int_equal(c.live, 20000);
	for (pid_t p = 20000; p >= 1; p -= 2) {
		struct join_rec r = reaped(p, 0);
		assert_int_equal(join_table_settle(&r), 1);
	}
	join_table_counts(&c);
	assert_int_equal(c.live, 10000);
	for (pid_t p = 1; p <= 20000; p += 2)
		assert_true(join_table_find(p, NULL));
	join_table_orphan_all(); /* SIGCHLD ignored: the kernel reaps them */
	join_table_expire_all();
	join_table_counts(&c);
	assert_int_equal(c.live, 0);
	assert_int_equal(c.expired, 10000);
	assert_false(join_table_maybe(1));
}

static void exhaustion(void **state)
{
	(void)state;
	struct join_rec done;
	struct join_counts c;
	join_table_end(1, join_table_begin(), JOIN_HOW_FORK, &done);
	join_arena_fail_after(0); /* no more memory: records are lost, nothing crashes */
	for (pid_t p = 2; p <= 50; p++)
		join_table_end(p, join_table_begin(), JOIN_HOW_FORK, &done);
	join_table_counts(&c);
	assert_int_equal(c.oom, 49);
	assert_int_equal(c.live, 1);
	assert_false(join_table_inflight());
	join_arena_fail_after(-1);
	struct join_rec r = reaped(7, 0);
	assert_int_equal(join_table_settle(&r), 0); /* lost to OOM: untracked, honestly */
	r = reaped(1, 0);
	assert_int_equal(join_table_settle(&r), 1);
}

static void exited_and_list(void **state)
{
	(void)state;
	struct join_rec done;
	struct join_child_info v[4];
	join_table_end(10, join_table_begin(), JOIN_HOW_FORK, &done);
	join_table_end(11, join_table_begin(), JOIN_HOW_SPAWN, &done);
	assert_true(join_table_exited(10, 12345));
	assert_false(join_table_exited(99, 1));
	assert_int_equal(join_table_list(v, 4), 2);
	struct join_rec r = reaped(10, 0);
	join_table_settle(&r);
	assert_true(r.exact && r.has_exit);
	assert_int_equal(r.exit_ns, 12345);
	join_table_orphan_all();
	join_table_expire(11);
	assert_int_equal(join_table_list(v, 4), 0);
}

/* An ECHILD in one thread between another thread's reap and its settle: the
 * entry is no orphan, so it stays and the record is whole. */
static void echild_during_reap(void **state)
{
	(void)state;
	struct join_rec done;
	join_table_end(20, join_table_begin(), JOIN_HOW_FORK, &done);
	join_table_expire_all();
	join_table_expire(20);
	struct join_rec r = reaped(20, 0);
	assert_int_equal(join_table_settle(&r), 1);
	assert_true(r.tracked);
}

/* An untracked child reaped while another thread's fork is in flight is parked;
 * when that fork ends without claiming it, the record comes out, untracked. */
static void stale_parked(void **state)
{
	(void)state;
	struct join_rec done, out;
	uint64_t t = join_table_begin();
	struct join_rec r = reaped(30, 3 << 8);
	assert_int_equal(join_table_settle(&r), 2);
	assert_false(join_table_stale(&out)); /* the fork in flight may still claim it */
	assert_int_equal(join_table_end(31, t, JOIN_HOW_FORK, &done), 0);
	assert_true(join_table_stale(&out));
	assert_int_equal(out.pid, 30);
	assert_int_equal(out.status, 3 << 8);
	assert_false(out.tracked);
	assert_false(join_table_stale(&out));
}

static void reset_after_fork(void **state)
{
	(void)state;
	struct join_rec done;
	struct join_counts c;
	join_table_end(10, join_table_begin(), JOIN_HOW_FORK, &done);
	join_table_begin(); /* a fork in flight in another thread when this one forked */
	join_table_reset();
	join_table_counts(&c);
	assert_int_equal(c.live, 0);
	assert_false(join_table_find(10, NULL));
	assert_false(join_table_inflight());
	join_table_end(10, join_table_begin(), JOIN_HOW_FORK, &done);
	assert_true(join_table_find(10, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(insert_find_delete, setup),
	    cmocka_unit_test_setup(untracked, setup),
	    cmocka_unit_test_setup(reap_before_fork_record, setup),
	    cmocka_unit_test_setup(many, setup),
	    cmocka_unit_test_setup(echild_during_reap, setup),
	    cmocka_unit_test_setup(stale_parked, setup),
	    cmocka_unit_test_setup(exhaustion, setup),
	    cmocka_unit_test_setup(exited_and_list, setup),
	    cmocka_unit_test_setup(reset_after_fork, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
