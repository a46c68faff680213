/* SPDX-License-Identifier: MIT */
/*
 * wilcoxon.c - the two-sided Wilcoxon signed-rank test of paired differences
 * (stats.h).  Interleaved runs (--vs) come in pairs that shared the
 * machine's state of the moment; the test of their differences sees through
 * a drift that the unpaired test takes for noise.  Zeros are dropped (as
 * Wilcoxon did); the exact null distribution without ties up to JR_EXACT_MAX
 * pairs, else the normal approximation with the tie correction (SciPy's
 * wilcoxon, zero_method "wilcox", no continuity correction).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "stats.h"

static int by_abs(const void *x, const void *y)
{
	double a = fabs(*(const double *)x), b = fabs(*(const double *)y);
	return a < b ? -1 : a > b;
}

/* P(W+ <= w) for n pairs without ties: subsets of the ranks 1..n by their sum. */
static double exact_cdf(int n, double w)
{
	int top = n * (n + 1) / 2;
	double *c = jr_xmalloc((top + 1) * sizeof *c), le = 0, all = 0;
	memset(c, 0, (top + 1) * sizeof *c);
	c[0] = 1;
	for (int r = 1; r <= n; r++)
		for (int s = top; s >= r; s--)
			c[s] += c[s - r];
	for (int s = 0; s <= top; s++) {
		all += c[s];
		if (s <= w)
			le += c[s];
	}
	free(c);
	return le / all;
}

double jr_wilcoxon(const double *d, int n, int *exact)
{
	*exact = 0;
	double *v = jr_xmalloc((n + 1) * sizeof *v);
	int m = 0;
	for (int i = 0; i < n; i++)
		if (d[i] != 0)
			v[m++] = d[i];
	if (m == 0) {
		free(v);
		return n ? 1 : NAN; /* every pair equal: nothing tells them apart */
	}
	qsort(v, m, sizeof *v, by_abs);
	double plus = 0, ties = 0;
	for (int i = 0; i < m;) {
		int j = i;
		while (j < m && fabs(v[j]) == fabs(v[i]))
			j++;
		double mid = (i + 1 + j) / 2.0, t = j - i;
		for (int k = i; k < j; k++)
			plus += v[k] > 0 ? mid : 0;
		ties += t * (t * t - 1);
		i = j;
	}
	free(v);
	double mean = m * (m + 1) / 4.0, lo = plus < 2 * mean - plus ? plus : 2 * mean - plus;
	if (ties == 0 && m <= JR_EXACT_MAX) {
		*exact = 1;
		if (lo == mean)
			return 1;
		double p = 2 * exact_cdf(m, lo);
		return p < 1 ? p : 1;
	}
	double var = (m * (m + 1.0) * (2.0 * m + 1) - 0.5 * ties) / 24;
	double z = fabs(lo - mean) / sqrt(var);
	double p = erfc(z / sqrt(2));
	return p < 1 ? p : 1;
}
