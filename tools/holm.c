/* SPDX-License-Identifier: MIT */
/*
 * holm.c - Holm's step-down correction for many comparisons (stats.h).  A
 * report of forty commands tested at 5% each marks two by chance; Holm keeps
 * the chance of any false mark at 5% in all, without assuming the tests
 * independent (the commands of one tree share a machine and its drift).
 */
#include <math.h>
#include <stdlib.h>

#include "events.h"
#include "stats.h"

static const double *base;

static int by_p(const void *x, const void *y)
{
	double a = base[*(const int *)x], b = base[*(const int *)y];
	return a < b ? -1 : a > b;
}

void jr_holm(const double *p, int n, double *q)
{
	int *at = jr_xmalloc((n + 1) * sizeof *at), m = 0;
	for (int i = 0; i < n; i++) {
		q[i] = NAN;
		if (!isnan(p[i]))
			at[m++] = i;
	}
	base = p;
	qsort(at, m, sizeof *at, by_p);
	double run = 0; /* adjusted values never decrease along the sorted order */
	for (int k = 0; k < m; k++) {
		double adj = (m - k) * p[at[k]];
		run = adj > run ? adj : run;
		q[at[k]] = run < 1 ? run : 1;
	}
	free(at);
}
