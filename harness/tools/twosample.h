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

/* The test compare's verdicts use (twosample_workers.c): the worker process
 * is the unit.  A run's repetitions inside one process share its address-space
 * layout, page-cache state and CPU placement, so they are not independent
 * samples of the path: tested one by one (twosample_test above), an A/A pair
 * of runs gives far more than alpha false verdicts once the between-process
 * variance is as large as the within one.  So each worker gives one value per
 * cell, the median of its repetitions (as a log), and the test is across
 * workers: Welch's t on those logs (K against K), or a paired t on the
 * differences when both sides are one interleaved (ABBA) sitting and worker i
 * of one sat next to worker i of the other.  A t test because its p can be
 * small at K = 5 (an exact rank test on 5 against 5 cannot go below 0.0079,
 * and Benjamini-Hochberg over hundreds of cells then calls almost nothing);
 * medians of logs are close enough to normal for it (tests/test_twosample.c
 * measures its error rate on skewed two-level samples). */
#define TWOSAMPLE_BOOT 1000      /* bootstrap resamples of the interval */
#define TWOSAMPLE_BOOT_SEED 0x19c0ffeeULL /* fixed: a rerun of compare prints the same interval */

struct worker_test {
	size_t ka, kb;  /* workers with at least one positive value: base, run */
	int paired;     /* 1: paired on the worker number (pairs in ka = kb) */
	int tested;     /* 1: at least 2 workers a side (2 pairs): p and the interval exist */
	double est;     /* log(run / base): mean over workers of the log medians, run minus base */
	double se, df;  /* its standard error and degrees of freedom (Welch-Satterthwaite, or pairs - 1) */
	double p;       /* two-sided; NaN when !tested */
	double lo, hi;  /* 95% interval of est: bootstrap over workers, then repetitions within each */
	double mde;     /* the smallest log change this test finds with TWOSAMPLE_POWER at alpha, beyond
			 * the threshold it was given (a verdict needs both); NaN when !tested */
};

/* base/run: values (rates: MiB/s) with their worker numbers (any ints;
 * equal numbers are one worker).  paired: pair workers of equal number.
 * threshold_pct: the noise threshold the verdict will use (for mde). */
void twosample_workers(const double *base, const int *wbase, size_t m, const double *run, const int *wrun, size_t n,
		       int paired, double alpha, double threshold_pct, struct worker_test *out);

enum worker_verdict { WV_ONE_WORKER, WV_FASTER, WV_SLOWER, WV_SAME, WV_CANNOT_TELL };
/* The verdict once q (Benjamini-Hochberg over the table; p itself for a
 * single test) is known: faster or slower needs q <= alpha AND the interval
 * wholly beyond +-threshold_pct; an interval wholly inside it is "same";
 * anything else cannot tell.  The one rule every verdict of iopaths uses. */
enum worker_verdict twosample_verdict(const struct worker_test *t, double q, double alpha, double threshold_pct);
const char *twosample_verdict_name(enum worker_verdict v);

/* Student's t: P(T > t) for df degrees of freedom (df > 0, not whole too). */
double twosample_t_upper(double t, double df);

#endif
