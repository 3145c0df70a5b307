/* Two runs of one cell: did it change?  The Mann–Whitney U test (Wilcoxon
 * rank-sum) on the logs of the samples, exact for small samples, with the
 * Hodges–Lehmann estimate of the shift and its distribution-free interval.
 *
 * Why Mann–Whitney and not Welch's t: its false-verdict rate is alpha for any
 * distribution of the samples, as long as both runs draw from the same one.
 * Times on a shared VM are skewed and take outliers (a preemption, a page
 * reclaim); Welch's t assumes normal (log) times and with 5 samples nothing
 * checks that.  The price: with very few samples it can never reach alpha
 * (3 against 3: the smallest two-sided p is 2/20 = 0.1), and then it says so
 * instead of guessing. */
#ifndef IOPATHS_TWOSAMPLE_H
#define IOPATHS_TWOSAMPLE_H

#include <stddef.h>

#define TWOSAMPLE_POWER 0.8 /* the power at which the detectable change is given */

struct twosample {
	size_t m, n;        /* samples used: base, run (positive, finite values only) */
	int enough;         /* 1: the smallest possible p-value, 2 / C(m+n, m), is <= alpha */
	int exact;          /* 1: p and the interval from the exact null distribution; 0: normal approximation */
	double u;           /* pairs (base x, run y) with y > x, ties counting 1/2 */
	double p;           /* two-sided p-value; NaN when !enough */
	double shift;       /* Hodges–Lehmann: median of log(y) - log(x) over all pairs */
	double shift_lo, shift_hi; /* its interval: coverage >= 1 - alpha; NaN when !enough */
	double coverage;    /* the interval's actual coverage (discrete: 5 vs 5 gives 96.8%) */
	double sd;          /* pooled standard deviation of the logs; NaN with fewer than 3 samples */
	double mde;         /* smallest shift of the logs found with TWOSAMPLE_POWER at alpha, if the
			     * noise is normal with SD sd; NaN when !enough or sd is NaN */
};

/* Compares run against base (rates or times: the test is on logs, so the
 * shift is a ratio: exp(shift) = run / base).  Non-positive and non-finite
 * values are left out.  Returns 0, or -1 when a size is too large to hold. */
int twosample_test(const double *base, size_t m, const double *run, size_t n, double alpha,
		   struct twosample *out);

/* P(U <= u) under the null for sizes m, n (no ties); exact for m, n <= TWOSAMPLE_EXACT_MAX. */
#define TWOSAMPLE_EXACT_MAX 50
double twosample_null_cdf(size_t m, size_t n, double u);

/* Benjamini–Hochberg: q[i] is the smallest false discovery rate at which
 * p[i] is a discovery.  Verdicts at q <= alpha keep the expected share of
 * false verdicts among all verdicts <= alpha; if nothing changed at all, the
 * chance of even one false verdict is <= alpha.  NaN p-values are skipped and
 * get NaN q-values. */
void twosample_bh(const double *p, size_t count, double *q);

#endif
