/* The cliff rule of DESIGN-14 §4.1; see cliff.h. */
#include "cliff.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const cliff_outcome_names[] = { "not reached", "too soon", "held", "cliff" };

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The median of v[lo..hi) that are numbers and judged (judged NULL: all);
 * NaN when none is. */
static double median_of(const double *v, const unsigned char *judged, long lo, long hi)
{
	if (hi <= lo)
		return NAN;
	double *x = malloc((size_t)(hi - lo) * sizeof(*x));
	if (!x)
		abort();
	size_t m = 0;
	for (long i = lo; i < hi; i++)
		if (!isnan(v[i]) && (!judged || judged[i]))
			x[m++] = v[i];
	double med = NAN;
	if (m > 0) {
		qsort(x, m, sizeof(*x), by_value);
		med = m % 2 ? x[m / 2] : (x[m / 2 - 1] + x[m / 2]) / 2;
	}
	free(x);
	return med;
}

/* Σnum / Σden over [lo, hi), the intervals where both are numbers: a ratio
 * of sums, not a median of ratios.  NaN when nothing is summed or Σden is 0. */
static double ratio_of_sums(const double *num, const double *den, long lo, long hi)
{
	if (!num || !den)
		return NAN;
	double a = 0, b = 0;
	int any = 0;
	for (long i = lo; i < hi; i++) {
		if (isnan(num[i]) || isnan(den[i]))
			continue;
		a += num[i];
		b += den[i];
		any = 1;
	}
	return any && b > 0 ? a / b : NAN;
}

/* judged[i]: interval i's length is within [DT_SHARE_MIN, DT_SHARE_MAX] of
 * the cell's median length (or unknown).  A catch-up row of a late sampler
 * (no length, no ops) or a row that spans a stop is not a rate to judge. */
static unsigned char *judged_of(const struct cliff_in *in)
{
	long n = (long)in->n;
	unsigned char *judged = malloc(n > 0 ? (size_t)n : 1);
	if (!judged)
		abort();
	double usual = median_of(in->dt_s, NULL, 0, n);
	for (long i = 0; i < n; i++)
		judged[i] = isnan(usual) || isnan(in->dt_s[i]) ||
			    (in->dt_s[i] >= DT_SHARE_MIN * usual && in->dt_s[i] <= DT_SHARE_MAX * usual);
	return judged;
}

void cliff_find(const struct cliff_in *in, struct cliff_out *out)
{
	long n = (long)in->n;
	unsigned char *judged = judged_of(in);
	memset(out, 0, sizeof(*out));
	out->reached = out->cliff = -1;
	out->reached_s = out->cliff_s = out->before_mibps = out->after_mibps = out->depth = NAN;
	out->amp_before = out->amp_after = out->tlb_per_s_before = out->tlb_per_s_after = NAN;
	out->majflt_per_s_after = out->refault_per_s_after = NAN;
	if (in->limit > 0)
		for (long i = 0; i < n; i++)
			if (in->mem[i] >= REACHED_SHARE * in->limit) {
				out->reached = i;
				break;
			}
	long r = out->reached;
	out->before_lo = n > 1 ? 1 : 0; /* interval 0 is the threads starting up */
	if (r < 0) {
		out->outcome = CLIFF_NOT_REACHED;
		out->before_hi = n;
		out->after_lo = out->after_hi = n;
	} else {
		out->reached_s = in->t_s[r];
		out->before_lo = 1;
		out->before_hi = r > 1 ? r : 1;
		out->after_lo = r + (n - r) / 2;
		out->after_hi = n;
		out->outcome = r > 1 ? CLIFF_HELD : CLIFF_TOO_SOON;
	}
	out->before_mibps = median_of(in->mibps, judged, out->before_lo, out->before_hi);
	if (r >= 0) {
		out->after_mibps = median_of(in->mibps, judged, out->after_lo, out->after_hi);
		out->depth = 1 - out->after_mibps / out->before_mibps;
		if (out->outcome == CLIFF_HELD && !isnan(out->before_mibps))
			for (long i = r; i < n; i++)
				if (judged[i] && in->mibps[i] < CLIFF_FRACTION * out->before_mibps) {
					out->cliff = i;
					out->cliff_s = in->t_s[i] - in->dt_s[i];
					out->outcome = CLIFF_FOUND;
					break;
				}
	}
	out->amp_before = ratio_of_sums(in->dev, in->used, out->before_lo, out->before_hi);
	out->tlb_per_s_before = ratio_of_sums(in->tlb, in->dt_s, out->before_lo, out->before_hi);
	if (out->after_hi > out->after_lo) {
		out->amp_after = ratio_of_sums(in->dev, in->used, out->after_lo, out->after_hi);
		out->tlb_per_s_after = ratio_of_sums(in->tlb, in->dt_s, out->after_lo, out->after_hi);
		out->majflt_per_s_after = ratio_of_sums(in->majflt, in->dt_s, out->after_lo, out->after_hi);
		out->refault_per_s_after = ratio_of_sums(in->refault, in->dt_s, out->after_lo, out->after_hi);
	}
	free(judged);
}
