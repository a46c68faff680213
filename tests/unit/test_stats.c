/* SPDX-License-Identifier: MIT */
/* test_stats.c - medians and the bootstrap interval of a ratio of medians, on data
 * whose answers are known. */
#include <math.h>

#include "unit.h"
#include "model.h"

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* The selection's median against a full sort, on many shapes (ties, odd, even). */
static void test_median(void **state)
{
	(void)state;
	uint64_t s = 1;
	for (int n = 1; n < 60; n++)
		for (int rep = 0; rep < 20; rep++) {
			double v[64], w[64];
			for (int i = 0; i < n; i++) {
				s = s * 6364136223846793005ull + 1442695040888963407ull;
				v[i] = w[i] = (double)((s >> 33) % (rep % 2 ? 5 : 1000));
			}
			qsort(w, n, sizeof *w, cmp);
			double want = n % 2 ? w[n / 2] : (w[n / 2 - 1] + w[n / 2]) / 2;
			assert_true(jr_median(v, n) == want);
		}
	assert_true(isnan(jr_median(NULL, 0)));
}

static void test_dist(void **state)
{
	(void)state;
	struct jr_dist d = {0};
	double v[] = {4, 1, 3, 2};
	for (int i = 0; i < 4; i++)
		jr_dist_add(&d, v[i]);
	jr_dist_done(&d);
	assert_true(d.median == 2.5 && d.mean == 2.5 && d.min == 1 && d.max == 4);
	assert_true(fabs(d.sd - sqrt(5.0 / 3)) < 1e-12);
	jr_dist_free(&d);
	jr_dist_done(&d);
	assert_true(isnan(d.median)); /* no values: unknown */
}

static void units(struct jr_unit *u, const double *v, int n)
{
	for (int i = 0; i < n; i++)
		u[i] = (struct jr_unit){&v[i], 1};
}

/* B is A times 3 exactly: every resample's ratio is 3. */
static void test_scaled(void **state)
{
	(void)state;
	double a[] = {10, 12, 11, 13, 9, 10.5}, b[6];
	struct jr_unit ua[6], ub[6];
	for (int i = 0; i < 6; i++)
		b[i] = 3 * a[(i + 2) % 6];
	units(ua, a, 6);
	units(ub, b, 6);
	struct jr_ci c;
	jr_boot_ratio(ua, 6, ub, 6, JR_RESAMPLES, JR_SEED, &c);
	assert_true(c.enough && c.significant);
	assert_true(fabs(c.ratio - 3) < 1e-12);
	assert_true(c.lo > 2.4 && c.hi < 3.7 && c.lo <= 3 && c.hi >= 3);
}

/* The same values on both sides: the ratio is 1 and the interval holds 1. */
static void test_same(void **state)
{
	(void)state;
	double a[] = {100, 103, 98, 101, 99, 102, 97}, b[] = {99, 101, 103, 97, 100, 98, 102};
	struct jr_unit ua[7], ub[7];
	units(ua, a, 7);
	units(ub, b, 7);
	struct jr_ci c, d;
	jr_boot_ratio(ua, 7, ub, 7, JR_RESAMPLES, JR_SEED, &c);
	assert_true(c.enough && !c.significant && c.ratio == 1);
	assert_true(c.lo < 1 && c.hi > 1 && c.lo > 0.9 && c.hi < 1.1);
	/* The seed is fixed: the same interval again. */
	jr_boot_ratio(ua, 7, ub, 7, JR_RESAMPLES, JR_SEED, &d);
	assert_true(c.lo == d.lo && c.hi == d.hi);
}

/* Fewer than JR_MIN_UNITS a side: a ratio, no interval, no mark. */
static void test_too_few(void **state)
{
	(void)state;
	double a[] = {10, 11, 12, 13}, b[] = {30, 33, 36, 39, 31};
	struct jr_unit ua[4], ub[5];
	units(ua, a, 4);
	units(ub, b, 5);
	struct jr_ci c;
	jr_boot_ratio(ua, 4, ub, 5, JR_RESAMPLES, JR_SEED, &c);
	assert_false(c.enough);
	assert_false(c.significant);
	assert_true(isnan(c.lo) && isnan(c.hi));
	assert_true(fabs(c.ratio - 33 / 11.5) < 1e-12);
}

/* Units of several values are resampled whole, their values pooled. */
static void test_runs(void **state)
{
	(void)state;
	double r[5][3] = {{10, 20, 30}, {11, 21, 31}, {9, 19, 29}, {10, 20, 30}, {12, 22, 32}};
	double q[5][3];
	struct jr_unit ua[5], ub[5];
	for (int i = 0; i < 5; i++) {
		for (int k = 0; k < 3; k++)
			q[i][k] = r[i][k] / 2;
		ua[i] = (struct jr_unit){r[i], 3};
		ub[i] = (struct jr_unit){q[i], 3};
	}
	struct jr_ci c;
	jr_boot_ratio(ua, 5, ub, 5, 2000, JR_SEED, &c);
	assert_true(c.enough && c.significant && fabs(c.ratio - 0.5) < 1e-12);
	assert_true(c.hi < 1);
}

/* A zero median on the A side: no ratio to give. */
static void test_zero(void **state)
{
	(void)state;
	double a[] = {0, 0, 0, 0, 0}, b[] = {1, 1, 1, 1, 1};
	struct jr_unit ua[5], ub[5];
	units(ua, a, 5);
	units(ub, b, 5);
	struct jr_ci c;
	jr_boot_ratio(ua, 5, ub, 5, 1000, JR_SEED, &c);
	assert_true(isnan(c.ratio) && !c.significant);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_median),  cmocka_unit_test(test_dist),
	    cmocka_unit_test(test_scaled),  cmocka_unit_test(test_same),
	    cmocka_unit_test(test_too_few), cmocka_unit_test(test_runs),
	    cmocka_unit_test(test_zero),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
