#include "twosample.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static int use_exact(size_t m, size_t n)
{
	return m <= TWOSAMPLE_EXACT_MAX && n <= TWOSAMPLE_EXACT_MAX;
}

/* The null distribution of U for sizes m, n: the coefficients of the
 * Gaussian binomial [m+n choose m](q), built as the product over i = 1..m of
 * (1 - q^(n+i)) / (1 - q^i), every partial product a polynomial with
 * non-negative coefficients, then divided by C(m+n, m).  pmf has m*n+1 slots. */
static void null_pmf(size_t m, size_t n, double *pmf)
{
	size_t len = m * n + 1;
	memset(pmf, 0, len * sizeof(*pmf));
	pmf[0] = 1;
	for (size_t i = 1; i <= m; i++) {
		for (size_t u = len; u-- > n + i;) /* times (1 - q^(n+i)) */
			pmf[u] -= pmf[u - (n + i)];
		for (size_t u = i; u < len; u++) /* divided by (1 - q^i) */
			pmf[u] += pmf[u - i];
	}
	double total = 0;
	for (size_t u = 0; u < len; u++)
		total += pmf[u];
	for (size_t u = 0; u < len; u++)
		pmf[u] /= total;
}

double twosample_null_cdf(size_t m, size_t n, double u)
{
	if (u < 0)
		return 0;
	if (u >= (double)(m * n))
		return 1;
	double *pmf = malloc((m * n + 1) * sizeof(*pmf));
	if (!pmf)
		abort();
	null_pmf(m, n, pmf);
	double sum = 0;
	for (size_t i = 0; i <= (size_t)u; i++)
		sum += pmf[i];
	free(pmf);
	return sum > 1 ? 1 : sum;
}

/* The z with P(Z > z) = tail, by bisection on erfc: slow, exact enough, and short. */
static double z_upper(double tail)
{
	double lo = -40, hi = 40;
	for (int i = 0; i < 200; i++) {
		double mid = (lo + hi) / 2;
		if (0.5 * erfc(mid / sqrt(2)) > tail)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2;
}

/* k: the interval [d(k), d(mn+1-k)] of the sorted pairwise differences has
 * coverage 1 - 2 P(U <= k-1), and the test rejects at alpha exactly when the
 * smaller of U and mn - U is <= k-1.  0 when no k reaches alpha. */
static size_t critical_k(size_t m, size_t n, double alpha, const double *pmf, double *coverage)
{
	if (pmf) {
		double tail = 0;
		size_t k = 0;
		while (k < m * n / 2 + 1 && 2 * (tail + pmf[k]) <= alpha)
			tail += pmf[k++];
		*coverage = 1 - 2 * tail;
		return k;
	}
	double mn = (double)m * n, c = mn / 2 - z_upper(alpha / 2) * sqrt(mn * (m + n + 1) / 12.0);
	*coverage = 1 - alpha;
	return c < 1 ? 0 : (size_t)floor(c);
}

/* splitmix64: a fixed seed, so the detectable change of a table is the same every time. */
static uint64_t next_u64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double normal(uint64_t *s)
{
	double u1 = ((next_u64(s) >> 11) + 1.0) / 9007199254740993.0, u2 = (next_u64(s) >> 11) / 9007199254740992.0;
	return sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
}

/* The smallest shift, in standard deviations of normal noise, that the exact
 * test at this k finds with TWOSAMPLE_POWER.  With the run shifted up by d the
 * test says "faster" when fewer than k differences x - y are >= d, that is
 * when d exceeds the k-th largest difference: so the answer is a quantile of
 * that order statistic over simulated samples.  Cached per (m, n, k). */
#define MDE_TRIALS 4000
static double mde_sd_units(size_t m, size_t n, size_t k)
{
	static struct mde_memo { size_t m, n, k; double d; } cache[32];
	static unsigned cached;
	for (unsigned i = 0; i < cached; i++)
		if (cache[i].m == m && cache[i].n == n && cache[i].k == k)
			return cache[i].d;
	double *x = malloc(m * sizeof(*x)), *y = NULL, *d = NULL, *kth = NULL;
	if (!x || !(y = malloc(n * sizeof(*y))) || !(d = malloc(m * n * sizeof(*d))) ||
	    !(kth = malloc(MDE_TRIALS * sizeof(*kth))))
		abort();
	uint64_t seed = 0x5eed1057a75ULL;
	for (int t = 0; t < MDE_TRIALS; t++) {
		for (size_t i = 0; i < m; i++)
			x[i] = normal(&seed);
		for (size_t j = 0; j < n; j++)
			y[j] = normal(&seed);
		for (size_t i = 0; i < m; i++)
			for (size_t j = 0; j < n; j++)
				d[i * n + j] = x[i] - y[j];
		qsort(d, m * n, sizeof(*d), cmp_double);
		kth[t] = d[m * n - k];
	}
	qsort(kth, MDE_TRIALS, sizeof(*kth), cmp_double);
	double result = kth[(size_t)(TWOSAMPLE_POWER * MDE_TRIALS)];
	free(x);
	free(y);
	free(d);
	free(kth);
	if (cached < sizeof(cache) / sizeof(cache[0]))
		cache[cached++] = (struct mde_memo){ m, n, k, result };
	return result;
}

/* Positive, finite values, as logs; returns how many. */
static size_t logs_of(const double *v, size_t count, double *out)
{
	size_t k = 0;
	for (size_t i = 0; i < count; i++)
		if (isfinite(v[i]) && v[i] > 0)
			out[k++] = log(v[i]);
	return k;
}

static double sum_sq_dev(const double *v, size_t n)
{
	double mean = 0, ss = 0;
	for (size_t i = 0; i < n; i++)
		mean += v[i] / n;
	for (size_t i = 0; i < n; i++)
		ss += (v[i] - mean) * (v[i] - mean);
	return ss;
}

int twosample_test(const double *base, size_t m0, const double *run, size_t n0, double alpha, struct twosample *out)
{
	*out = (struct twosample){ .p = NAN, .shift = NAN, .shift_lo = NAN, .shift_hi = NAN, .coverage = NAN,
				   .sd = NAN, .mde = NAN, .u = NAN };
	if (m0 > 100000 || n0 > 100000)
		return -1;
	double *x = malloc((m0 + 1) * sizeof(*x)), *y = NULL;
	if (!x || !(y = malloc((n0 + 1) * sizeof(*y))))
		abort();
	size_t m = logs_of(base, m0, x), n = logs_of(run, n0, y);
	out->m = m;
	out->n = n;
	out->exact = use_exact(m, n);
	if (m + n >= 3)
		out->sd = sqrt((sum_sq_dev(x, m) + sum_sq_dev(y, n)) / (double)(m + n - 2));
	if (m == 0 || n == 0) {
		free(x);
		free(y);
		return 0;
	}
	size_t mn = m * n;
	double *d = malloc(mn * sizeof(*d)), *pmf = NULL;
	if (!d)
		abort();
	if (out->exact && !(pmf = malloc((mn + 1) * sizeof(*pmf))))
		abort();
	double u = 0;
	for (size_t i = 0; i < m; i++)
		for (size_t j = 0; j < n; j++) {
			d[i * n + j] = y[j] - x[i];
			u += y[j] > x[i] ? 1 : y[j] == x[i] ? 0.5 : 0;
		}
	out->u = u;
	qsort(d, mn, sizeof(*d), cmp_double);
	out->shift = mn % 2 ? d[mn / 2] : (d[mn / 2 - 1] + d[mn / 2]) / 2;
	if (pmf)
		null_pmf(m, n, pmf);
	size_t k = critical_k(m, n, alpha, pmf, &out->coverage);
	out->enough = k > 0;
	if (out->enough) {
		/* Ties count 1/2; rounding the smaller tail up to a whole U is the
		 * conservative choice, since the null distribution assumes none. */
		double tail = ceil(fmin(u, (double)mn - u));
		if (pmf) {
			double cdf = 0;
			for (size_t i = 0; i <= (size_t)tail; i++)
				cdf += pmf[i];
			out->p = fmin(1, 2 * cdf);
		} else {
			/* Normal approximation, with the tie correction of the variance. */
			double *all = malloc((m + n) * sizeof(*all)), ties = 0, big_n = (double)(m + n);
			if (!all)
				abort();
			memcpy(all, x, m * sizeof(*x));
			memcpy(all + m, y, n * sizeof(*y));
			qsort(all, m + n, sizeof(*all), cmp_double);
			for (size_t i = 0, j; i < m + n; i = j) {
				for (j = i + 1; j < m + n && all[j] == all[i]; j++)
					;
				double t = (double)(j - i);
				ties += t * t * t - t;
			}
			free(all);
			double var = (double)mn / 12 * ((big_n + 1) - ties / (big_n * (big_n - 1)));
			double z = var > 0 ? fmax(0, fabs(u - mn / 2.0) - 0.5) / sqrt(var) : 0;
			out->p = fmin(1, erfc(z / sqrt(2)));
		}
		out->shift_lo = d[k - 1];
		out->shift_hi = d[mn - k];
		if (!isnan(out->sd))
			out->mde = out->sd * (out->exact ? mde_sd_units(m, n, k)
					      : (z_upper(alpha / 2) + z_upper(1 - TWOSAMPLE_POWER)) *
							sqrt(1.0 / m + 1.0 / n) * sqrt(M_PI / 3));
	} else {
		out->coverage = NAN;
	}
	free(pmf);
	free(d);
	free(x);
	free(y);
	return 0;
}

struct ranked {
	double p;
	size_t index;
};

static int cmp_ranked(const void *a, const void *b)
{
	return cmp_double(&((const struct ranked *)a)->p, &((const struct ranked *)b)->p);
}

void twosample_bh(const double *p, size_t count, double *q)
{
	struct ranked *r = malloc((count + 1) * sizeof(*r));
	size_t tested = 0;
	if (!r)
		abort();
	for (size_t i = 0; i < count; i++) {
		q[i] = NAN;
		if (!isnan(p[i]))
			r[tested++] = (struct ranked){ p[i], i };
	}
	qsort(r, tested, sizeof(*r), cmp_ranked);
	double running = 1; /* q(i) = min over j >= i of p(j) * tested / j, so q never falls with rank */
	for (size_t j = tested; j-- > 0;) {
		running = fmin(running, r[j].p * (double)tested / (double)(j + 1));
		q[r[j].index] = running;
	}
	free(r);
}
