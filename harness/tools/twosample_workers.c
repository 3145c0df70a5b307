/* The worker as the unit: Welch's (or a paired) t on the log medians of the
 * workers, and a hierarchical bootstrap interval.  twosample.h says why. */
#include "twosample.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The regularized incomplete beta I_x(a, b) by its continued fraction
 * (modified Lentz), on the side where it converges fast. */
static double beta_cf(double a, double b, double x)
{
	const double tiny = 1e-300;
	/* c carries from one step to the next (Lentz), so it lives outside the loop */
	// cppcheck-suppress variableScope
	double c = 1, d = 1 - (a + b) * x / (a + 1);
	d = fabs(d) < tiny ? tiny : d;
	d = 1 / d;
	double h = d;
	for (int m = 1; m <= 300; m++) {
		double m2 = 2.0 * m, aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
		d = 1 + aa * d;
		d = fabs(d) < tiny ? tiny : d;
		c = 1 + aa / c;
		c = fabs(c) < tiny ? tiny : c;
		d = 1 / d;
		h *= d * c;
		aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
		d = 1 + aa * d;
		d = fabs(d) < tiny ? tiny : d;
		c = 1 + aa / c;
		c = fabs(c) < tiny ? tiny : c;
		d = 1 / d;
		double step = d * c;
		h *= step;
		if (fabs(step - 1) < 1e-15)
			break;
	}
	return h;
}

static double beta_inc(double a, double b, double x)
{
	if (x <= 0)
		return 0;
	if (x >= 1)
		return 1;
	double front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x));
	if (x < (a + 1) / (a + b + 2))
		return front * beta_cf(a, b, x) / a;
	return 1 - front * beta_cf(b, a, 1 - x) / b;
}

double twosample_t_upper(double t, double df)
{
	double tail = 0.5 * beta_inc(df / 2, 0.5, df / (df + t * t));
	return t >= 0 ? tail : 1 - tail;
}

/* The t with P(T > t) = tail, by bisection. */
static double t_quantile_upper(double tail, double df)
{
	double lo = -1e3, hi = 1e3;
	for (int i = 0; i < 200; i++) {
		double mid = (lo + hi) / 2;
		if (twosample_t_upper(mid, df) > tail)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2;
}

struct wv {
	int w;
	double v; /* a log */
};

static int cmp_wv(const void *a, const void *b)
{
	const struct wv *x = a, *y = b;
	if (x->w != y->w)
		return (x->w > y->w) - (x->w < y->w);
	return (x->v > y->v) - (x->v < y->v);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* One side: its logs sorted by worker, each worker a run [start, start + len). */
struct side {
	struct wv *v;
	size_t n, k;
	size_t *start, *len;
	int *id;
	double *median; /* per worker, of the logs */
};

static double median_sorted(const double *v, size_t n)
{
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void side_make(struct side *s, const double *values, const int *workers, size_t count)
{
	memset(s, 0, sizeof(*s));
	if (!(s->v = malloc((count + 1) * sizeof(*s->v))))
		abort();
	for (size_t i = 0; i < count; i++)
		if (isfinite(values[i]) && values[i] > 0)
			s->v[s->n++] = (struct wv){ workers ? workers[i] : 1, log(values[i]) };
	qsort(s->v, s->n, sizeof(*s->v), cmp_wv);
	s->start = calloc(s->n + 1, sizeof(*s->start));
	s->len = calloc(s->n + 1, sizeof(*s->len));
	s->id = calloc(s->n + 1, sizeof(*s->id));
	s->median = calloc(s->n + 1, sizeof(*s->median));
	double *tmp = calloc(s->n + 1, sizeof(*tmp));
	if (!s->start || !s->len || !s->id || !s->median || !tmp)
		abort();
	for (size_t i = 0, j; i < s->n; i = j) {
		for (j = i; j < s->n && s->v[j].w == s->v[i].w; j++)
			tmp[j - i] = s->v[j].v;
		s->start[s->k] = i;
		s->len[s->k] = j - i;
		s->id[s->k] = s->v[i].w;
		s->median[s->k] = median_sorted(tmp, j - i); /* sorted: the run is sorted by value */
		s->k++;
	}
	free(tmp);
}

static void side_free(struct side *s)
{
	free(s->v);
	free(s->start);
	free(s->len);
	free(s->id);
	free(s->median);
}

static uint64_t next_u64(uint64_t *s) /* splitmix64 */
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static size_t pick(uint64_t *s, size_t n)
{
	return (size_t)(next_u64(s) % n);
}

/* Worker g of side s with its repetitions resampled: the median of the draw. */
static double resampled_median(const struct side *s, size_t g, uint64_t *seed, double *tmp)
{
	size_t len = s->len[g];
	for (size_t i = 0; i < len; i++)
		tmp[i] = s->v[s->start[g] + pick(seed, len)].v;
	qsort(tmp, len, sizeof(*tmp), cmp_double);
	return median_sorted(tmp, len);
}

static double mean_var(const double *v, size_t n, double *var)
{
	double mean = 0, ss = 0;
	for (size_t i = 0; i < n; i++)
		mean += v[i] / (double)n;
	for (size_t i = 0; i < n; i++)
		ss += (v[i] - mean) * (v[i] - mean);
	*var = n > 1 ? ss / (double)(n - 1) : NAN;
	return mean;
}

/* pairs[i] = (index in a, index in b) of the workers of equal number. */
static size_t match_pairs(const struct side *a, const struct side *b, size_t *pa, size_t *pb)
{
	size_t n = 0;
	for (size_t i = 0, j = 0; i < a->k && j < b->k;) {
		if (a->id[i] == b->id[j]) {
			pa[n] = i++;
			pb[n++] = j++;
		} else if (a->id[i] < b->id[j]) {
			i++;
		} else {
			j++;
		}
	}
	return n;
}

void twosample_workers(const double *base, const int *wbase, size_t m, const double *run, const int *wrun, size_t n,
		       int paired, double alpha, double threshold_pct, struct worker_test *out)
{
	struct side a, b;
	*out = (struct worker_test){ .est = NAN, .se = NAN, .df = NAN, .p = NAN, .lo = NAN, .hi = NAN, .mde = NAN };
	side_make(&a, base, wbase, m);
	side_make(&b, run, wrun, n);
	out->ka = a.k;
	out->kb = b.k;
	size_t maxk = (a.k > b.k ? a.k : b.k) + 1, maxlen = (a.n > b.n ? a.n : b.n) + 1, npairs = 0;
	size_t *pa = calloc(maxk, sizeof(*pa)), *pb = calloc(maxk, sizeof(*pb));
	double *d = calloc(maxk, sizeof(*d)), *tmp = calloc(maxlen, sizeof(*tmp));
	double *boot = calloc(TWOSAMPLE_BOOT, sizeof(*boot));
	if (!pa || !pb || !d || !tmp || !boot)
		abort();
	if (paired) {
		npairs = match_pairs(&a, &b, pa, pb);
		out->paired = 1;
	}
	double va, vb;
	if (paired) {
		for (size_t i = 0; i < npairs; i++)
			d[i] = b.median[pb[i]] - a.median[pa[i]];
		double vd;
		out->est = npairs ? mean_var(d, npairs, &vd) : NAN;
		out->tested = npairs >= 2;
		if (out->tested) {
			out->se = sqrt(vd / (double)npairs);
			out->df = (double)npairs - 1;
		}
	} else {
		double ma = a.k ? mean_var(a.median, a.k, &va) : NAN, mb = b.k ? mean_var(b.median, b.k, &vb) : NAN;
		out->est = mb - ma;
		out->tested = a.k >= 2 && b.k >= 2;
		if (out->tested) {
			double ea = va / (double)a.k, eb = vb / (double)b.k;
			out->se = sqrt(ea + eb);
			double den = ea * ea / ((double)a.k - 1) + eb * eb / ((double)b.k - 1);
			out->df = den > 0 ? (ea + eb) * (ea + eb) / den : (double)(a.k + b.k - 2);
		}
	}
	if (out->tested) {
		if (out->se > 0)
			out->p = fmin(1, 2 * twosample_t_upper(fabs(out->est / out->se), out->df));
		else
			out->p = out->est == 0 ? 1 : 0;
		/* The bootstrap: workers drawn with replacement (pairs together when
		 * paired), then each drawn worker's repetitions with replacement. */
		uint64_t seed = TWOSAMPLE_BOOT_SEED;
		for (int r = 0; r < TWOSAMPLE_BOOT; r++) {
			double sa = 0, sb = 0;
			if (paired) {
				for (size_t i = 0; i < npairs; i++) {
					size_t q = pick(&seed, npairs);
					sa += resampled_median(&a, pa[q], &seed, tmp);
					sb += resampled_median(&b, pb[q], &seed, tmp);
				}
				boot[r] = (sb - sa) / (double)npairs;
			} else {
				for (size_t i = 0; i < a.k; i++)
					sa += resampled_median(&a, pick(&seed, a.k), &seed, tmp);
				for (size_t i = 0; i < b.k; i++)
					sb += resampled_median(&b, pick(&seed, b.k), &seed, tmp);
				boot[r] = sb / (double)b.k - sa / (double)a.k;
			}
		}
		qsort(boot, TWOSAMPLE_BOOT, sizeof(*boot), cmp_double);
		double blo = boot[(size_t)(alpha / 2 * TWOSAMPLE_BOOT)];
		double bhi = boot[(size_t)((1 - alpha / 2) * TWOSAMPLE_BOOT) - 1];
		/* Resampling both levels counts the within-worker spread twice (once
		 * in how the worker medians differ, once in the redrawn repetitions),
		 * so the bootstrap's spread overstates the error (99% coverage for a
		 * 95% interval on the samples of tests/test_twosample.c).  It keeps
		 * the shape (the skew of the two tails); its scale is set to the t
		 * test's: t(df) * se at alpha, so the interval excludes 0 about when
		 * p <= alpha, and covers the truth 95% of the time at K = 5. */
		double bmean, bvar;
		bmean = mean_var(boot, TWOSAMPLE_BOOT, &bvar);
		double z = 1.959963984540054, tq = t_quantile_upper(alpha / 2, out->df);
		double scale = bvar > 0 ? tq * out->se / (z * sqrt(bvar)) : 0;
		out->lo = out->est - scale * (bmean - blo);
		out->hi = out->est + scale * (bhi - bmean);
		double th = log1p(threshold_pct / 100);
		out->mde = th + (t_quantile_upper(alpha / 2, out->df) + t_quantile_upper(1 - TWOSAMPLE_POWER, out->df)) *
					out->se;
	}
	free(pa);
	free(pb);
	free(d);
	free(tmp);
	free(boot);
	side_free(&a);
	side_free(&b);
}

enum worker_verdict twosample_verdict(const struct worker_test *t, double q, double alpha, double threshold_pct)
{
	if (!t->tested)
		return WV_ONE_WORKER;
	double lo = 100 * expm1(t->lo), hi = 100 * expm1(t->hi);
	if (q <= alpha && lo > threshold_pct)
		return WV_FASTER;
	if (q <= alpha && hi < -threshold_pct)
		return WV_SLOWER;
	if (lo >= -threshold_pct && hi <= threshold_pct)
		return WV_SAME;
	return WV_CANNOT_TELL;
}

const char *twosample_verdict_name(enum worker_verdict v)
{
	static const char *const names[] = { "no verdict", "faster", "slower", "same", "cannot tell" };
	return names[v];
}
