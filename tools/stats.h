/* SPDX-License-Identifier: MIT */
/*
 * stats.h - the numbers behind a comparison: distributions (median, mean,
 * standard deviation, min, max), the bootstrap confidence interval of a
 * ratio of medians, the Mann–Whitney test and Holm's correction behind a
 * verdict (docs/DESIGN.md, "Comparing two sets of runs").
 */
#ifndef JR_STATS_H
#define JR_STATS_H
#include <stdint.h>

/* Values, then what jr_dist_done computes from them; n == 0: unknown. */
struct jr_dist {
	double *v;
	int n, cap;
	double median, mean, sd, min, max;
};
void jr_dist_add(struct jr_dist *d, double v);
void jr_dist_done(struct jr_dist *d); /* sorts v */
void jr_dist_free(struct jr_dist *d);

/* The median of v[0..n) (reorders v); NaN when n == 0. */
double jr_median(double *v, int n);

/* One unit that is resampled whole: a run's invocations of a command, or one. */
struct jr_unit {
	const double *v;
	int n;
};

#define JR_RESAMPLES 10000
#define JR_SEED      0x6a6f696e72756eull /* "joinrun": the same data, the same interval */
#define JR_MIN_UNITS 5                   /* fewer on a side: too few to conclude */

struct jr_ci {
	double ratio;    /* median of b's values over median of a's; NaN if a's is 0 */
	double lo, hi;   /* 95% percentile interval; NaN when too few */
	int enough;      /* both sides have JR_MIN_UNITS units */
	int significant; /* enough, and the interval excludes 1 */
};
/* Bootstrap of median(b)/median(a): each side's units resampled with replacement,
 * their values pooled, resamples times; a seeded generator. */
void jr_boot_ratio(const struct jr_unit *a, int na, const struct jr_unit *b, int nb, int resamples,
                   uint64_t seed, struct jr_ci *out);

/* The same for n pairs (a[i], b[i]) of interleaved runs: pairs resampled whole. */
void jr_boot_paired(const double *a, const double *b, int n, int resamples, uint64_t seed,
                    struct jr_ci *out);
/* The signed-rank test of n pairs: of the log ratios when every value is positive (a
 * drift that scales both sides alike cancels), else of the differences. */
double jr_paired_p(const double *a, const double *b, int n, int *exact);

/* mannwhitney.c: the two-sided p-value of a Mann–Whitney U test of a against b;
 * *exact when it comes from the exact distribution (no ties, both sides at most
 * JR_EXACT_MAX values), else from the normal approximation with tie and continuity
 * corrections.  NaN when a side is empty. */
#define JR_EXACT_MAX 50
double jr_mannwhitney(const double *a, int na, const double *b, int nb, int *exact);
/* The smallest p-value the exact test can reach with k values a side. */
double jr_mannwhitney_floor(int k);

/* wilcoxon.c: the two-sided p-value of a Wilcoxon signed-rank test of the n paired
 * differences d (zeros dropped); *exact as above; NaN when n == 0. */
double jr_wilcoxon(const double *d, int n, int *exact);

/* holm.c: Holm's step-down adjustment of the n p-values p into q (NaN: not tested,
 * left out of the family and NaN in q). */
void jr_holm(const double *p, int n, double *q);
#define JR_ALPHA 0.05 /* the family-wise error rate of a verdict */
#endif
