/* Summary statistics of repeated samples. */
#ifndef IOPATHS_STATS_H
#define IOPATHS_STATS_H

#include <stddef.h>

struct stats {
	size_t n;
	double median, min, max, mean, stddev; /* stddev: sample (n - 1); 0 when n < 2 */
	double ci_lo, ci_hi;                   /* confidence interval of the median */
	double ci_coverage;                    /* its actual coverage, 0..1 */
};

/* Distribution-free interval for the median from order statistics: the ranks
 * (k, n+1-k) with the largest k whose binomial(n, 1/2) coverage is >= 95%.
 * When no k reaches 95% (n <= 5) the interval is [min, max] and ci_coverage
 * says what it does cover (n = 5: 93.75%). */
void stats_compute(const double *values, size_t n, struct stats *out);

double stats_median(const double *values, size_t n);

/* One-way random-effects ANOVA of values in groups (group[i] names value i's
 * group, any unsigned; the groups need not be the same size).  within: the
 * within-group mean square, NaN when no group has two values; between: the
 * method-of-moments estimate of the between-group variance,
 * (MS_between - MS_within) / n0 with n0 = (N - sum n_g^2 / N) / (g - 1),
 * clipped at 0, NaN with fewer than two groups or no within estimate. */
struct anova1 {
	size_t groups;
	double within, between;
};
void stats_anova1(const double *values, const unsigned *group, size_t n, struct anova1 *out);

#endif
