/* SPDX-License-Identifier: MIT */
/* test_verdict.c - the Mann–Whitney test and Holm's correction behind --report's
 * verdict, against values computed independently: the p-values by SciPy 1.10.1's
 * scipy.stats.mannwhitneyu(a, b, alternative="two-sided", method="exact" or
 * "asymptotic", use_continuity=True) and scipy.stats.wilcoxon(d, method="exact" or
 * "approx"), the adjustment by Holm's procedure on the
 * worked example of Holm (1979) as Wikipedia's "Holm–Bonferroni method" gives it. */
#include <math.h>

#include "unit.h"
#include "model.h"

#define N(x) ((int)(sizeof x / sizeof x[0]))

static void close_to(double got, double want)
{
	if (fabs(got - want) > 1e-12 * (1 + want))
		fail_msg("p = %.17g, expected %.17g", got, want);
}

/* Separated samples without ties: the exact distribution. */
static void test_exact(void **state)
{
	(void)state;
	double a[] = {19.1, 20.3, 18.7, 21.0, 19.9}, b[] = {22.4, 23.1, 21.8, 24.0, 22.9, 23.5};
	int exact;
	close_to(jr_mannwhitney(a, N(a), b, N(b), &exact), 0.004329004329004329);
	assert_true(exact);
	/* two-sided: the same p with the sides swapped */
	close_to(jr_mannwhitney(b, N(b), a, N(a), &exact), 0.004329004329004329);
	double c[] = {1.1, 2.2, 3.3, 4.4, 5.5, 6.6, 7.7}, d[] = {2.5, 3.6, 4.7, 5.8, 9.9, 10.1};
	close_to(jr_mannwhitney(c, N(c), d, N(d), &exact), 0.36596736596736595);
	double e[] = {20.1, 20.5, 20.3, 20.9, 20.2, 20.7},
	       f[] = {80.2, 80.9, 80.4, 80.1, 80.6, 80.8};
	close_to(jr_mannwhitney(e, N(e), f, N(f), &exact), 0.0021645021645021645);
	close_to(jr_mannwhitney_floor(6), 0.0021645021645021645);
}

/* Ties, or more than JR_EXACT_MAX a side: the normal approximation. */
static void test_asymptotic(void **state)
{
	(void)state;
	double a[] = {1, 2, 2, 3, 3, 3, 4, 5}, b[] = {2, 3, 4, 4, 5, 5, 6, 7, 7};
	int exact;
	close_to(jr_mannwhitney(a, N(a), b, N(b), &exact), 0.03175895714806371);
	assert_false(exact);
	double c[60], d[55];
	for (int i = 0; i < 60; i++)
		c[i] = i;
	for (int i = 0; i < 55; i++)
		d[i] = i + 7.5;
	close_to(jr_mannwhitney(c, 60, d, 55, &exact), 0.12848379227750423);
	assert_false(exact);
}

/* Nothing tells equal samples apart; an empty side has no test. */
static void test_degenerate(void **state)
{
	(void)state;
	double a[] = {5, 5, 5, 5, 5}, b[] = {5, 5, 5, 5, 5, 5};
	int exact;
	assert_true(jr_mannwhitney(a, N(a), b, N(b), &exact) == 1);
	assert_true(isnan(jr_mannwhitney(a, 0, b, N(b), &exact)));
}

/* Paired differences: SciPy's wilcoxon(d, method="exact" / "approx"). */
static void test_wilcoxon(void **state)
{
	(void)state;
	double pos[] = {0.385, 0.565, 0.221, 0.369, 0.492, 0.269, 0.392, 0.359, 0.342, 0.331};
	int exact;
	close_to(jr_wilcoxon(pos, N(pos), &exact), 0.001953125); /* 2 / 2^10 */
	assert_true(exact);
	double mixed[] = {1.83, -0.50, 1.62, 2.48, -1.68, 1.88, 1.55, 3.06};
	close_to(jr_wilcoxon(mixed, N(mixed), &exact), 0.078125);
	double twelve[] = {0.3, -0.1, 0.25, -0.4, 0.12, 0.5, -0.05, 0.33, 0.21, -0.27, 0.44, 0.18};
	close_to(jr_wilcoxon(twelve, N(twelve), &exact), 0.1513671875);
	double ties[] = {1, 2, 2, -1, 3, 3, 3, -2, 4, 1};
	close_to(jr_wilcoxon(ties, N(ties), &exact), 0.03520187354135451);
	assert_false(exact);
	double big[60];
	for (int i = 0; i < 60; i++)
		big[i] = ((i * 37) % 61 - 25) / 10.0 + 0.05 * (i % 7);
	close_to(jr_wilcoxon(big, 60, &exact), 0.013938270119120286);
	/* zeros dropped; all zero: no difference to see */
	double zero[] = {0, 0, 0, 0, 0, 0};
	assert_true(jr_wilcoxon(zero, N(zero), &exact) == 1);
	double some[] = {0,     0.385, 0.565, 0,     0.221, 0.369,
	                 0.492, 0.269, 0.392, 0.359, 0.342, 0.331};
	close_to(jr_wilcoxon(some, N(some), &exact), 0.001953125);
	assert_true(isnan(jr_wilcoxon(zero, 0, &exact)));
}

static void test_holm(void **state)
{
	(void)state;
	double p[] = {0.01, 0.04, 0.03, 0.005}, q[4];
	jr_holm(p, 4, q);
	double want[] = {0.03, 0.06, 0.06, 0.02};
	for (int i = 0; i < 4; i++)
		close_to(q[i], want[i]);
	/* untested rows stay out of the family; adjusted values stop at 1 */
	double r[] = {NAN, 0.5, 0.02, NAN}, s[4];
	jr_holm(r, 4, s);
	assert_true(isnan(s[0]) && isnan(s[3]));
	close_to(s[2], 0.04);
	close_to(s[1], 0.5);
	double t[] = {0.6, 0.7, 0.9}, u[3];
	jr_holm(t, 3, u);
	close_to(u[0], 1);
	close_to(u[2], 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_exact),      cmocka_unit_test(test_asymptotic),
	    cmocka_unit_test(test_degenerate), cmocka_unit_test(test_wilcoxon),
	    cmocka_unit_test(test_holm),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
