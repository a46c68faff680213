/* SPDX-License-Identifier: MIT */
/*
 * mannwhitney.c - the two-sided Mann–Whitney U test (stats.h), as benchstat
 * uses it: no assumption about the shape of the times, only their order.
 * The exact null distribution when there are no ties and both sides are
 * small; otherwise the normal approximation with the tie correction and a
 * continuity correction (as SciPy's mannwhitneyu, method "asymptotic").
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "stats.h"

struct ranked {
	double v;
	int side; /* 0: a, 1: b */
};

static int by_value(const void *x, const void *y)
{
	double a = ((const struct ranked *)x)->v, b = ((const struct ranked *)y)->v;
	return a < b ? -1 : a > b;
}

/* U of a (the number of pairs where a's value is above b's, ties counting a half)
 * from midranks; *ties gets the sum of t^3 - t over groups of equal values. */
static double u_of_a(const double *a, int na, const double *b, int nb, double *ties)
{
	int n = na + nb;
	struct ranked *r = jr_xmalloc(n * sizeof *r);
	for (int i = 0; i < na; i++)
		r[i] = (struct ranked){a[i], 0};
	for (int i = 0; i < nb; i++)
		r[na + i] = (struct ranked){b[i], 1};
	qsort(r, n, sizeof *r, by_value);
	double rank_sum = 0;
	*ties = 0;
	for (int i = 0; i < n;) {
		int j = i;
		while (j < n && r[j].v == r[i].v)
			j++;
		double mid = (i + 1 + j) / 2.0, t = j - i;
		for (int k = i; k < j; k++)
			if (!r[k].side)
				rank_sum += mid;
		*ties += t * t * t - t;
		i = j;
	}
	free(r);
	return rank_sum - na * (na + 1) / 2.0;
}

/* P(U <= u) under the null hypothesis, no ties: the number of arrangements of na
 * and nb values with U = k, by the recurrence over the largest value, in doubles. */
static double exact_cdf(int na, int nb, int u)
{
	int top = na * nb;
	/* c[m][k]: arrangements of m values of a and j of b (j the loop's) with U = k */
	double *c = jr_xmalloc((size_t)(na + 1) * (top + 1) * sizeof *c);
	memset(c, 0, (size_t)(na + 1) * (top + 1) * sizeof *c);
	for (int m = 0; m <= na; m++)
		c[(size_t)m * (top + 1)] = 1; /* j = 0: U = 0, one way */
	for (int j = 1; j <= nb; j++)
		for (int m = 1; m <= na; m++) /* the largest is a's (adds j) or b's */
			for (int k = m * j; k >= 0; k--)
				c[(size_t)m * (top + 1) + k] =
				    (k >= j ? c[(size_t)(m - 1) * (top + 1) + k - j] : 0) +
				    c[(size_t)m * (top + 1) + k];
	double le = 0, all = 0;
	for (int k = 0; k <= top; k++) {
		all += c[(size_t)na * (top + 1) + k];
		if (k <= u)
			le += c[(size_t)na * (top + 1) + k];
	}
	free(c);
	return le / all;
}

double jr_mannwhitney(const double *a, int na, const double *b, int nb, int *exact)
{
	*exact = 0;
	if (na < 1 || nb < 1)
		return NAN;
	double ties, u = u_of_a(a, na, b, nb, &ties), n = na + nb;
	if (ties == 0 && na <= JR_EXACT_MAX && nb <= JR_EXACT_MAX) {
		*exact = 1;
		/* symmetric: the smaller tail of U against its mirror na*nb - U */
		double lo = u < na * nb - u ? u : na * nb - u;
		double p = 2 * exact_cdf(na, nb, (int)lo);
		return p < 1 ? p : 1;
	}
	double mu = na * nb / 2.0;
	double var = na * nb / 12.0 * ((n + 1) - ties / (n * (n - 1)));
	if (!(var > 0))
		return 1; /* every value equal: nothing tells the sides apart */
	double z = (fabs(u - mu) - 0.5) / sqrt(var);
	double p = z > 0 ? erfc(z / sqrt(2)) : 1; /* 2 * the normal's upper tail */
	return p < 1 ? p : 1;
}

/* The smallest two-sided p-value the exact test can give with k values a side:
 * 2 / C(2k, k). */
double jr_mannwhitney_floor(int k)
{
	double c = 1;
	for (int i = 1; i <= k; i++)
		c = c * (k + i) / i;
	return 2 / c;
}
