/* SPDX-License-Identifier: MIT */
/* test_ring.c - the tree's ring (shim/ring/ring.c): order, laps, full, closed, a dead
 * collector, holes of dead producers, garbage slots; and the event checker. */
#include "unit.h"
#include "ring/ring.h"
#include <linux/futex.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static struct join_ring *R;

static int setup(void **s)
{
	(void)s;
	R = mmap(NULL, JOIN_RING_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	assert_true(R != MAP_FAILED);
	join_ring_init(R, getpid(), 0);
	R->h.owner = (uint32_t)getpid(); /* a live collector: us */
	return 0;
}

static int teardown(void **s)
{
	(void)s;
	munmap(R, JOIN_RING_SIZE);
	return 0;
}

static struct join_event fork_ev(pid_t child)
{
	struct join_event ev;
	memset(&ev, 0, sizeof ev);
	ev.type = JOIN_EV_FORK;
	ev.pid = getpid();
	ev.t_ns = (uint64_t)child * 10;
	ev.u.fork.child = child;
	ev.u.fork.how = JOIN_HOW_FORK;
	return ev;
}

static void order_and_laps(void **s)
{
	(void)s;
	struct join_event ev, got;
	uint64_t pos = 0;
	for (int lap = 0; lap < 3; lap++) {
		for (int i = 0; i < JOIN_RING_SLOTS / 2; i++) {
			ev = fork_ev(1000 + i);
			assert_int_equal(join_ring_put(R, &ev, getpid()), 1);
		}
		for (int i = 0; i < JOIN_RING_SLOTS / 2; i++, pos++) {
			assert_int_equal(join_ring_take(R, pos, &got, 0), 1);
			assert_int_equal(got.u.fork.child, 1000 + i);
		}
		join_ring_release(R, pos);
	}
	assert_int_equal(join_ring_take(R, pos, &got, 0), 0); /* nothing yet */
}

static void full_closed_dead(void **s)
{
	(void)s;
	struct join_event ev = fork_ev(7);
	int n = 0;
	while (join_ring_put(R, &ev, getpid()))
		n++;
	assert_int_equal(n, JOIN_RING_SLOTS - JOIN_RING_SLACK); /* full: the caller writes it */
	join_ring_release(R, join_ring_tail(R));                /* all read */
	assert_int_equal(join_ring_put(R, &ev, getpid()), 1);
	R->h.owner |= FUTEX_OWNER_DIED; /* the kernel's mark of a dead collector */
	assert_int_equal(join_ring_alive(R), 0);
	assert_int_equal(join_ring_put(R, &ev, getpid()), 0);
	R->h.owner = (uint32_t)getpid();
	uint64_t end = join_ring_close(R);
	assert_int_equal(join_ring_put(R, &ev, getpid()), 0);
	assert_int_equal(join_ring_tail(R), end);
}

/* A producer that claimed a slot and died before publishing leaves a hole: skipped
 * once it is gone, counted; a slot that is no event is skipped and counted. */
static void holes_and_garbage(void **s)
{
	(void)s;
	struct join_event ev = fork_ev(9), got;
	pid_t p = fork();
	if (p == 0) { /* reserve and claim, then die */
		uint64_t pos = __atomic_fetch_add(&R->h.tail, 1, __ATOMIC_ACQ_REL);
		R->slot[pos % JOIN_RING_SLOTS].claim =
		    (uint64_t)(uint32_t)pos << 32 | (uint32_t)getpid();
		_exit(0);
	}
	waitpid(p, NULL, 0);
	assert_int_equal(join_ring_put(R, &ev, getpid()), 1);
	assert_int_equal(join_ring_take(R, 0, &got, 0), 0);   /* not yet: maybe slow */
	assert_int_equal(join_ring_take(R, 0, &got, 50), -1); /* its producer is gone */
	assert_int_equal(R->h.holes, 1);
	assert_int_equal(join_ring_take(R, 1, &got, 0), 1);
	assert_int_equal(got.u.fork.child, 9);
	ev.type = 77; /* garbage, published */
	assert_int_equal(join_ring_put(R, &ev, getpid()), 1);
	assert_int_equal(join_ring_take(R, 2, &got, 0), -2);
	assert_int_equal(R->h.bad, 1);
	/* an unclaimed, unpublished slot: a second, then a hole */
	__atomic_fetch_add(&R->h.tail, 1, __ATOMIC_ACQ_REL);
	assert_int_equal(join_ring_take(R, 3, &got, 500), 0);
	assert_int_equal(join_ring_take(R, 3, &got, 1000), -1);
	assert_int_equal(R->h.skipped, 1);
	assert_int_equal(R->h.holes, 1);
}

static void event_checks(void **s)
{
	(void)s;
	struct join_event ev = fork_ev(5);
	assert_true(join_event_valid(&ev));
	ev.u.fork.child = -1;
	assert_false(join_event_valid(&ev));
	ev = fork_ev(5);
	ev.u.fork.how = 200;
	assert_false(join_event_valid(&ev));
	memset(&ev, 0, sizeof ev);
	ev.type = JOIN_EV_REAP;
	ev.pid = 1;
	ev.u.reap.pid = 2;
	memset(ev.u.reap.comm, 'x', sizeof ev.u.reap.comm); /* unterminated: terminated */
	memset(ev.comm, 'y', sizeof ev.comm);
	assert_true(join_event_valid(&ev));
	assert_int_equal(strlen(ev.u.reap.comm), JOIN_COMM_MAX - 1);
	assert_int_equal(strlen(ev.comm), JOIN_COMM_MAX - 1);
	ev.u.reap.call = 99;
	assert_false(join_event_valid(&ev));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(order_and_laps, setup, teardown),
	    cmocka_unit_test_setup_teardown(full_closed_dead, setup, teardown),
	    cmocka_unit_test_setup_teardown(holes_and_garbage, setup, teardown),
	    cmocka_unit_test(event_checks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
