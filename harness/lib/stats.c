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
