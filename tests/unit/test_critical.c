/* SPDX-License-Identifier: MIT */
/* test_critical.c - the critical path on synthetic trees with known answers. */
#include "unit.h"
#include "model.h"

/* Lines: joinrun (50) runs the root; "F p c t" forks, "R p c comm t real" reaps. */
static char buf[8192];
static size_t len;

static void begin(int root, long long end)
{
	len =
	    (size_t)snprintf(buf, sizeof buf,
	                     "{\"event\":\"fork\",\"pid\":50,\"comm\":\"joinrun\",\"t_ns\":%lld,"
	                     "\"child\":%d,\"how\":\"joinrun\"}\n"
	                     "{\"event\":\"reap\",\"pid\":50,\"comm\":\"joinrun\",\"t_ns\":%lld,"
	                     "\"child\":%d,\"child_comm\":\"root\",\"real_ms\":%lld,\"code\":0}\n",
	                     MS(0), root, MS(end), root, end);
}

static void fork_(int p, int c, long long t)
{
	len += (size_t)snprintf(buf + len, sizeof buf - len,
	                        "{\"event\":\"fork\",\"pid\":%d,\"comm\":\"x\",\"t_ns\":%lld,"
	                        "\"child\":%d,\"how\":\"fork\"}\n",
	                        p, MS(t), c);
}

static void reap(int p, int c, const char *comm, long long s, long long e)
{
	len += (size_t)snprintf(buf + len, sizeof buf - len,
	                        "{\"event\":\"reap\",\"pid\":%d,\"comm\":\"x\",\"t_ns\":%lld,"
	                        "\"child\":%d,\"child_comm\":\"%s\",\"real_ms\":%lld,\"code\":0,"
	                        "\"exact\":false}\n",
	                        p, MS(e), c, comm, e - s);
}

/* want: pid, start ms, end ms triples, in order. */
static void check_path(const int (*want)[3], int n)
{
	struct jr_model m;
	struct jr_par r;
	model_of(&m, buf);
	jr_parallel(&m, &r);
	assert_int_equal(r.ncrit, n);
	double sum = 0;
	for (int k = 0; k < n && k < r.ncrit; k++) {
		assert_int_equal(m.p[r.crit[k].proc].pid, want[k][0]);
		assert_true(r.crit[k].s == MS(want[k][1]) && r.crit[k].e == MS(want[k][2]));
		if (k)
			assert_true(r.crit[k].s >= r.crit[k - 1].e); /* no overlap */
		sum += (r.crit[k].e - r.crit[k].s) / 1e6;
	}
	assert_true(sum == r.crit_ms && r.crit_ms == r.wall_ms); /* covers the wall time */
	jr_parallel_free(&r);
	jr_model_free(&m);
}

/* sh -c 'sleep 0.3 & sleep 0.1; wait; sleep 0.2': waits on the 0.3 s sleep, then the
 * 0.2 s one; the 0.1 s sleep is off the path. */
static void test_background(void **state)
{
	(void)state;
	begin(100, 503);
	fork_(100, 101, 1);
	fork_(100, 102, 2);
	reap(100, 102, "sleep", 2, 102);
	reap(100, 101, "sleep", 1, 301);
	fork_(100, 103, 302);
	reap(100, 103, "sleep", 302, 502);
	static const int want[][3] = {
	    {100, 0, 1}, {101, 1, 301}, {100, 301, 302}, {103, 302, 502}, {100, 502, 503}};
	check_path(want, 5);
}

/* make -j2 with four compiles: the second starts the third when it ends, and the third
 * ends last: the path is the second then the third. */
static void test_jobs(void **state)
{
	(void)state;
	begin(100, 202);
	fork_(100, 101, 1);
	fork_(100, 102, 1);
	reap(100, 102, "cc", 1, 51);
	fork_(100, 103, 51);
	reap(100, 101, "cc", 1, 101);
	fork_(100, 104, 101);
	reap(100, 104, "cc", 101, 151);
	reap(100, 103, "cc", 51, 201);
	static const int want[][3] = {{100, 0, 1}, {102, 1, 51}, {103, 51, 201}, {100, 201, 202}};
	check_path(want, 4);
}

/* The walk descends: sh -> make -> cc. */
static void test_nested(void **state)
{
	(void)state;
	begin(100, 100);
	fork_(100, 101, 1);
	fork_(101, 102, 10);
	reap(101, 102, "cc", 10, 90);
	reap(100, 101, "make", 1, 99);
	static const int want[][3] = {
	    {100, 0, 1}, {101, 1, 10}, {102, 10, 90}, {101, 90, 99}, {100, 99, 100}};
	check_path(want, 5);
}

/* No child: the root alone. */
static void test_alone(void **state)
{
	(void)state;
	begin(100, 50);
	static const int want[][3] = {{100, 0, 50}};
	check_path(want, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_background),
	    cmocka_unit_test(test_jobs),
	    cmocka_unit_test(test_nested),
	    cmocka_unit_test(test_alone),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
