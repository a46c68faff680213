/* test_ring.c - the pid ring: order, full, laps, zero memory is empty, and many
 * producer threads against one sleeping consumer (every pid arrives once). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "ring.h"

static struct join_ring ring;

static void empty_when_zero(void **state)
{
	pid_t p;
	(void)state;
	join_ring_reset(&ring);
	assert_int_equal(join_ring_pop(&ring, &p), 0);
}

static void fifo_and_full(void **state)
{
	pid_t p;
	(void)state;
	join_ring_reset(&ring);
	for (int i = 0; i < JOIN_RING_SLOTS; i++)
		assert_int_equal(join_ring_push(&ring, 100 + i), 1);
	assert_int_equal(join_ring_push(&ring, 1), 0);
	for (int i = 0; i < JOIN_RING_SLOTS; i++) {
		assert_int_equal(join_ring_pop(&ring, &p), 1);
		assert_int_equal(p, 100 + i);
	}
	assert_int_equal(join_ring_pop(&ring, &p), 0);
}

/* Many laps, including the 32-bit wrap of the positions. */
static void laps(void **state)
{
	pid_t p;
	(void)state;
	join_ring_reset(&ring);
	for (int lap = 0; lap < 3; lap++) {
		for (int i = 0; i < 7 * JOIN_RING_SLOTS + 3; i++) {
			assert_int_equal(join_ring_push(&ring, i + 1), 1);
			assert_int_equal(join_ring_pop(&ring, &p), 1);
			assert_int_equal(p, i + 1);
		}
		/* Jump to near the wrap: positions and turns moved by whole laps, as after 2^32
		 * pushes. */
		uint32_t by =
		    (UINT32_MAX - 5 * (uint32_t)lap - ring.head) & ~(JOIN_RING_SLOTS - 1u);
		for (int k = 0; k < JOIN_RING_SLOTS; k++)
			ring.slot[k].turn += by;
		ring.head = ring.tail = ring.head + by;
	}
}

#define THREADS 4
#define EACH    20000

static void *producer(void *arg)
{
	int base = (int)(intptr_t)arg * EACH;
	for (int i = 0; i < EACH; i++)
		while (!join_ring_push(&ring, base + i + 1))
			sched_yield();
	return NULL;
}

static void threads(void **state)
{
	pthread_t t[THREADS];
	static unsigned char seen[THREADS * EACH + 1];
	int got = 0;
	pid_t p;
	(void)state;
	join_ring_reset(&ring);
	memset(seen, 0, sizeof seen);
	for (int i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, producer, (void *)(intptr_t)i);
	while (got < THREADS * EACH) {
		while (join_ring_pop(&ring, &p)) {
			assert_in_range(p, 1, THREADS * EACH);
			assert_int_equal(seen[p]++, 0);
			got++;
		}
		if (got < THREADS * EACH)
			join_ring_wait(&ring);
	}
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	assert_int_equal(join_ring_pop(&ring, &p), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(empty_when_zero),
	    cmocka_unit_test(fifo_and_full),
	    cmocka_unit_test(laps),
	    cmocka_unit_test(threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
