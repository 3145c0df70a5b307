#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double sorted_median(const double *v, size_t n)
{
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* P(X <= k) for X ~ binomial(n, 1/2), summed in log space so large n is fine. */
static double binom_half_cdf(size_t n, size_t k)
{
	double sum = 0;
	for (size_t i = 0; i <= k; i++)
		sum += exp(lgamma(n + 1.0) - lgamma(i + 1.0) - lgamma(n - i + 1.0) - n * log(2.0));
	return sum;
}

void stats_compute(const double *values, size_t n, struct stats *out)
{
	memset(out, 0, sizeof(*out));
	out->n = n;
	if (n == 0)
		return;

	double *v = malloc(n * sizeof(*v));
	if (!v)
		abort();
	memcpy(v, values, n * sizeof(*v));
	qsort(v, n, sizeof(*v), cmp_double);

	double sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += v[i];
	out->mean = sum / n;
	double ss = 0;
	for (size_t i = 0; i < n; i++)
		ss += (v[i] - out->mean) * (v[i] - out->mean);
	out->stddev = n > 1 ? sqrt(ss / (n - 1)) : 0;
	out->min = v[0];
	out->max = v[n - 1];
	out->median = sorted_median(v, n);

	/* k is 1-based: the interval is [v(k), v(n+1-k)], covering 1 - 2 P(X <= k-1). */
	size_t k = 1;
	while (k + 1 <= (n + 1) / 2 && 1 - 2 * binom_half_cdf(n, k) >= 0.95)
		k++;
	out->ci_lo = v[k - 1];
	out->ci_hi = v[n - k];
	out->ci_coverage = n == 1 ? 0 : 1 - 2 * binom_half_cdf(n, k - 1);
	free(v);
}

double stats_median(const double *values, size_t n)
{
	struct stats s;
	stats_compute(values, n, &s);
	return s.median;
}

void stats_anova1(const double *values, const unsigned *group, size_t n, struct anova1 *out)
{
	unsigned *ids = malloc((n ? n : 1) * sizeof(*ids));
	double *sum = calloc(n ? n : 1, sizeof(*sum));
	size_t *count = calloc(n ? n : 1, sizeof(*count));
	size_t g = 0;
	double total = 0;
	if (!ids || !sum || !count)
		abort();
	for (size_t i = 0; i < n; i++) {
		size_t k = 0;
		while (k < g && ids[k] != group[i])
			k++;
		if (k == g)
			ids[g++] = group[i];
		sum[k] += values[i];
		count[k]++;
		total += values[i];
	}
	double grand = n ? total / n : NAN, ssw = 0, ssb = 0, sq = 0;
	for (size_t i = 0; i < n; i++) {
		size_t k = 0;
		while (ids[k] != group[i])
			k++;
		double d = values[i] - sum[k] / count[k];
		ssw += d * d;
	}
	for (size_t k = 0; k < g; k++) {
		double d = sum[k] / count[k] - grand;
		ssb += count[k] * d * d;
		sq += (double)count[k] * count[k];
	}
	out->groups = g;
	out->within = n > g ? ssw / (n - g) : NAN;
	out->between = NAN;
	if (g >= 2 && !isnan(out->within)) {
		double n0 = (n - sq / n) / (g - 1), msb = ssb / (g - 1);
		out->between = (msb - out->within) / n0 > 0 ? (msb - out->within) / n0 : 0;
	}
	free(ids);
	free(sum);
	free(count);
}
