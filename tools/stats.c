/* SPDX-License-Identifier: MIT */
/*
 * stats.c - distributions and the bootstrap of a ratio of medians (stats.h).
 * The median: the statistic a benchmark's outliers (a page cache miss, a
 * neighbour's burst) move least.  The bootstrap: no assumption about the
 * shape of the times, which are skewed and often bimodal.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "stats.h"

void jr_dist_add(struct jr_dist *d, double v)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? 2 * d->cap : 8;
		d->v = jr_xrealloc(d->v, d->cap * sizeof *d->v);
	}
	d->v[d->n++] = v;
}

static int by_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

void jr_dist_done(struct jr_dist *d)
{
	d->median = d->mean = d->sd = d->min = d->max = NAN;
	if (!d->n)
		return;
	qsort(d->v, d->n, sizeof *d->v, by_double);
	double s = 0, ss = 0;
	for (int i = 0; i < d->n; i++)
		s += d->v[i];
	d->mean = s / d->n;
	for (int i = 0; i < d->n; i++)
		ss += (d->v[i] - d->mean) * (d->v[i] - d->mean);
	d->sd = d->n > 1 ? sqrt(ss / (d->n - 1)) : 0;
	int h = d->n / 2;
	d->median = d->n % 2 ? d->v[h] : (d->v[h - 1] + d->v[h]) / 2;
	d->min = d->v[0];
	d->max = d->v[d->n - 1];
}

void jr_dist_free(struct jr_dist *d)
{
	free(d->v);
	memset(d, 0, sizeof *d);
}

/* The k-th smallest of v[0..n) (Hoare's selection; reorders v). */
static double select_k(double *v, int n, int k)
{
	int lo = 0, hi = n - 1;
	while (lo < hi) {
		double p = v[lo + (hi - lo) / 2];
		int i = lo, j = hi;
		while (i <= j) {
			while (v[i] < p)
				i++;
			while (v[j] > p)
				j--;
			if (i <= j) {
				double t = v[i];
				v[i++] = v[j];
				v[j--] = t;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			break;
	}
	return v[k];
}

double jr_median(double *v, int n)
{
	if (n <= 0)
		return NAN;
	double hi = select_k(v, n, n / 2);
	if (n % 2)
		return hi;
	double lo = v[0]; /* the largest below n/2, after the selection */
	for (int i = 1; i < n / 2; i++)
		if (v[i] > lo)
			lo = v[i];
	return (lo + hi) / 2;
}

/* splitmix64: small, seeded, the same on every machine. */
static uint64_t next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static int total(const struct jr_unit *u, int n)
{
	int t = 0;
	for (int i = 0; i < n; i++)
		t += u[i].n;
	return t;
}

/* The median of all the values of n units drawn with replacement (scratch: room for
 * n draws of the largest unit); every unit drawn when s is NULL. */
static double pooled(const struct jr_unit *u, int n, double *scratch, uint64_t *s)
{
	int k = 0;
	for (int i = 0; i < n; i++) {
		const struct jr_unit *x = s ? &u[next(s) % (uint64_t)n] : &u[i];
		memcpy(scratch + k, x->v, x->n * sizeof *x->v);
		k += x->n;
	}
	return jr_median(scratch, k);
}

static int largest(const struct jr_unit *u, int n)
{
	int m = 0;
	for (int i = 0; i < n; i++)
		if (u[i].n > m)
			m = u[i].n;
	return m;
}

/* The 95% percentile interval of the resampled ratios r (sorted here). */
static void interval(double *r, int resamples, struct jr_ci *out)
{
	qsort(r, resamples, sizeof *r, by_double);
	out->lo = r[(int)(0.025 * resamples)];
	out->hi = r[(int)(0.975 * resamples) - 1];
	out->significant = out->lo > 1 || out->hi < 1;
}

void jr_boot_ratio(const struct jr_unit *a, int na, const struct jr_unit *b, int nb, int resamples,
                   uint64_t seed, struct jr_ci *out)
{
	int room =
	    (na * largest(a, na) > nb * largest(b, nb) ? na * largest(a, na) : nb * largest(b, nb));
	double *scratch = jr_xmalloc((room + 1) * sizeof *scratch);
	double ma = total(a, na) ? pooled(a, na, scratch, NULL) : NAN;
	double mb = total(b, nb) ? pooled(b, nb, scratch, NULL) : NAN;
	out->ratio = ma > 0 ? mb / ma : NAN;
	out->lo = out->hi = NAN;
	out->enough = na >= JR_MIN_UNITS && nb >= JR_MIN_UNITS;
	out->significant = 0;
	if (!out->enough || !(ma > 0) || resamples < 40) {
		free(scratch);
		return;
	}
	double *r = jr_xmalloc(resamples * sizeof *r);
	uint64_t s = seed;
	for (int i = 0; i < resamples; i++) {
		double x = pooled(a, na, scratch, &s), y = pooled(b, nb, scratch, &s);
		r[i] = x > 0 ? y / x : y > 0 ? INFINITY : 1; /* a 0 ms median: no slower than 0 */
	}
	interval(r, resamples, out);
	free(r);
	free(scratch);
}

void jr_boot_paired(const double *a, const double *b, int n, int resamples, uint64_t seed,
                    struct jr_ci *out)
{
	double *x = jr_xmalloc((n + 1) * sizeof *x), *y = jr_xmalloc((n + 1) * sizeof *y);
	memcpy(x, a, n * sizeof *x);
	memcpy(y, b, n * sizeof *y);
	double ma = jr_median(x, n), mb = jr_median(y, n);
	out->ratio = ma > 0 ? mb / ma : NAN;
	out->lo = out->hi = NAN;
	out->enough = n >= JR_MIN_UNITS;
	out->significant = 0;
	if (out->enough && ma > 0 && resamples >= 40) {
		double *r = jr_xmalloc(resamples * sizeof *r);
		uint64_t s = seed;
		for (int i = 0; i < resamples; i++) {
			for (int k = 0; k < n; k++) { /* a pair is drawn whole */
				uint64_t j = next(&s) % (uint64_t)n;
				x[k] = a[j];
				y[k] = b[j];
			}
			double p = jr_median(x, n), q = jr_median(y, n);
			r[i] = p > 0 ? q / p : q > 0 ? INFINITY : 1;
		}
		interval(r, resamples, out);
		free(r);
	}
	free(x);
	free(y);
}

double jr_paired_p(const double *a, const double *b, int n, int *exact)
{
	double *d = jr_xmalloc((n + 1) * sizeof *d);
	int logs = 1;
	for (int i = 0; i < n; i++)
		logs &= a[i] > 0 && b[i] > 0;
	for (int i = 0; i < n; i++)
		d[i] = logs ? log(b[i] / a[i]) : b[i] - a[i];
	double p = jr_wilcoxon(d, n, exact);
	free(d);
	return p;
}
