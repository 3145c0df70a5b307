/* The verdict test of `iopaths compare` (harness/tools/twosample.c): exact values
 * worked out by hand, then its error rate and power on synthetic samples
 * from known distributions (a seeded generator, so every run is the same). */
#include "helpers.h"

#include "twosample.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ALPHA 0.05

static uint64_t rng = 0x1234abcdULL;

static uint64_t next_u64(void) /* splitmix64 */
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double uniform(void) /* (0, 1) */
{
	return ((next_u64() >> 11) + 0.5) / 9007199254740992.0;
}

static double normal(void)
{
	return sqrt(-2 * log(uniform())) * cos(2 * M_PI * uniform());
}

/* Sample shapes a timing can take; each returns a positive rate around 1000. */
enum shape { NORMAL_3PCT, LOGNORMAL_WIDE, EXPONENTIAL_TAIL, OUTLIERS, NSHAPES };
static const char *const shape_names[] = { "normal 3%", "lognormal sd 0.5", "exponential tail",
					   "10% outliers at 1/5 speed" };

static double draw(enum shape s)
{
	switch (s) {
	case NORMAL_3PCT: return 1000 * (1 + 0.03 * normal());
	case LOGNORMAL_WIDE: return 1000 * exp(0.5 * normal());
	case EXPONENTIAL_TAIL: return 1000 / (1 - log(uniform())); /* time = 1 + Exp(1) */
	default: return uniform() < 0.1 ? 200 * (1 + 0.05 * normal()) : 1000 * (1 + 0.03 * normal());
	}
}

/* All splits of m + n values 0..m+n-1 into a base of m: how many have U <= u. */
static double brute_cdf(size_t m, size_t n, double u)
{
	size_t total = 0, hits = 0, N = m + n;
	for (unsigned mask = 0; mask < 1u << N; mask++) {
		if ((size_t)__builtin_popcount(mask) != m)
			continue;
		total++;
		size_t pairs = 0, base_below = 0; /* U counts (x, y) pairs with y > x */
		for (size_t v = 0; v < N; v++)
			if (mask >> v & 1)
				base_below++;
			else
				pairs += base_below;
		hits += pairs <= u;
	}
	return (double)hits / total;
}

static void null_distribution_is_exact(void **state)
{
	(void)state;
	assert_float_equal(twosample_null_cdf(5, 5, 2), 4.0 / 252, 1e-12);
	assert_float_equal(twosample_null_cdf(3, 3, 0), 1.0 / 20, 1e-12);
	assert_float_equal(twosample_null_cdf(5, 5, 25), 1, 1e-12);
	for (size_t m = 1; m <= 6; m++)
		for (size_t n = 1; n <= 7; n++)
			for (size_t u = 0; u <= m * n; u++)
				assert_float_equal(twosample_null_cdf(m, n, (double)u), brute_cdf(m, n, (double)u), 1e-12);
}

static void enough_samples_is_when_p_can_reach_alpha(void **state)
{
	(void)state;
	static const struct { size_t m, n; int enough; } cases[] = {
		{ 2, 2, 0 }, { 3, 3, 0 }, { 3, 4, 0 }, { 4, 4, 1 }, { 3, 5, 1 }, { 2, 7, 0 }, { 2, 8, 1 }, { 5, 5, 1 },
		{ 1, 16, 0 }, { 0, 5, 0 },
	};
	double a[16], b[16];
	for (int i = 0; i < 16; i++) {
		a[i] = 100 + i;
		b[i] = 200 + i;
	}
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct twosample t;
		assert_int_equal(twosample_test(a, cases[i].m, b, cases[i].n, ALPHA, &t), 0);
		if (t.enough != cases[i].enough)
			fail_msg("%zu vs %zu: enough %d, expected %d", cases[i].m, cases[i].n, t.enough, cases[i].enough);
		if (!t.enough) {
			assert_true(isnan(t.p));
			assert_true(isnan(t.shift_lo) && isnan(t.mde));
		} else {
			/* Every pair apart: the smallest p there is, 2 / C(m+n, m). */
			assert_float_equal(t.p, 2 * twosample_null_cdf(cases[i].m, cases[i].n, 0), 1e-12);
		}
	}
}

static void shift_interval_and_ties_by_hand(void **state)
{
	(void)state;
	const double base[] = { 100, 101, 102, 103, 104 }, run[] = { 110, 111, 112, 113, 114 };
	struct twosample t;
	twosample_test(base, 5, run, 5, ALPHA, &t);
	assert_float_equal(t.u, 25, 0);
	assert_float_equal(t.p, 2.0 / 252, 1e-12);
	assert_float_equal(exp(t.shift), 112.0 / 102, 1e-12); /* the 13th of 25 log ratios */
	assert_float_equal(exp(t.shift_lo), 110.0 / 103, 1e-12); /* the 3rd */
	assert_float_equal(exp(t.shift_hi), 114.0 / 101, 1e-12); /* the 23rd */
	assert_float_equal(t.coverage, 1 - 8.0 / 252, 1e-12);
	/* The other way round: a negative shift, the same p. */
	twosample_test(run, 5, base, 5, ALPHA, &t);
	assert_true(t.shift < 0 && t.shift_hi < 0);
	assert_float_equal(t.u, 0, 0);
	assert_float_equal(t.p, 2.0 / 252, 1e-12);
	/* A tie counts 1/2 and the p-value rounds toward the null: U = 2.5 is read
	 * as 3, p = 2 * 7/252, not 2 * 4/252 (which would be a verdict). */
	const double tied[] = { 98, 99, 100, 101.5, 102.5 }, up[] = { 100, 103.5, 104.5, 105, 106 };
	twosample_test(up, 5, tied, 5, ALPHA, &t);
	assert_float_equal(t.u, 2.5, 0);
	assert_float_equal(t.p, 14.0 / 252, 1e-12);
	/* Bad values are left out, not counted. */
	const double dirty[] = { 110, NAN, 111, 0, 112, -1, 113, INFINITY, 114 };
	twosample_test(base, 5, dirty, 9, ALPHA, &t);
	assert_int_equal(t.n, 5);
	assert_float_equal(t.p, 2.0 / 252, 1e-12);
}

static void benjamini_hochberg_by_hand(void **state)
{
	(void)state;
	const double p[] = { 0.01, 0.04, 0.03, 0.005 };
	double q[4];
	twosample_bh(p, 4, q);
	/* Sorted 0.005 0.01 0.03 0.04: p * 4 / rank = 0.02 0.02 0.04 0.04. */
	assert_float_equal(q[0], 0.02, 1e-12);
	assert_float_equal(q[1], 0.04, 1e-12);
	assert_float_equal(q[2], 0.04, 1e-12);
	assert_float_equal(q[3], 0.02, 1e-12);
	/* q is the running minimum from the top: 0.01 * 3 / 1 = 0.03 is lowered to 0.011 * 3 / 2. */
	const double p2[] = { 0.011, NAN, 0.01, 0.5 };
	double q2[4];
	twosample_bh(p2, 4, q2);
	assert_float_equal(q2[2], 0.0165, 1e-12);
	assert_float_equal(q2[0], 0.0165, 1e-12);
	assert_true(isnan(q2[1]));
	assert_float_equal(q2[3], 0.5, 1e-12);
}

/* Trials per check; the tolerance of a rate is 3 standard errors of a binomial
 * proportion at that count, so a sound test fails it by chance about 1 time in
 * 700, and never here, since the generator is seeded. */
#define TRIALS 4000
static double tolerance(double rate)
{
	return 3 * sqrt(rate * (1 - rate) / TRIALS);
}

static void false_verdicts_at_most_alpha(void **state)
{
	(void)state;
	for (int s = 0; s < NSHAPES; s++)
		for (size_t n = 4; n <= 6; n++) {
			size_t verdicts = 0;
			for (int trial = 0; trial < TRIALS; trial++) {
				double a[8], b[8];
				for (size_t i = 0; i < n; i++) {
					a[i] = draw(s);
					b[i] = draw(s);
				}
				struct twosample t;
				twosample_test(a, n, b, n, ALPHA, &t);
				assert_true(t.enough);
				verdicts += t.p <= ALPHA;
			}
			double rate = (double)verdicts / TRIALS;
			print_message("A/A, %s, %zu vs %zu: %.2f%% false verdicts\n", shape_names[s], n, n, 100 * rate);
			if (rate > ALPHA + tolerance(ALPHA))
				fail_msg("%s, %zu vs %zu: %.2f%% false verdicts, above %.0f%% + %.2f%%", shape_names[s], n,
					 n, 100 * rate, 100 * ALPHA, 100 * tolerance(ALPHA));
		}
}

/* A whole table of unchanged cells, corrected: any verdict at all in at most
 * alpha of the tables.  8 repetitions a side, since with 5 the smallest p
 * (2/252) cannot pass Benjamini-Hochberg's first step (0.05/40) at all. */
static void a_table_of_nothing_gives_a_verdict_rarely(void **state)
{
	(void)state;
	enum { CELLS = 40, TABLES = 1000, REPS = 8 };
	size_t tables_with_verdict = 0, raw = 0;
	for (int table = 0; table < TABLES; table++) {
		double p[CELLS], q[CELLS];
		for (int c = 0; c < CELLS; c++) {
			double a[REPS], b[REPS];
			for (int i = 0; i < REPS; i++) {
				a[i] = draw(c % NSHAPES);
				b[i] = draw(c % NSHAPES);
			}
			struct twosample t;
			twosample_test(a, REPS, b, REPS, ALPHA, &t);
			p[c] = t.p;
			raw += t.p <= ALPHA;
		}
		twosample_bh(p, CELLS, q);
		int any = 0;
		for (int c = 0; c < CELLS; c++)
			any |= q[c] <= ALPHA;
		tables_with_verdict += any;
	}
	double rate = (double)tables_with_verdict / TABLES;
	print_message("%d tables of %d unchanged cells: %.1f%% had a verdict after Benjamini-Hochberg; "
		      "%.2f%% of cells had p <= 0.05 before it\n", TABLES, CELLS, 100 * rate,
		      100.0 * raw / (TABLES * CELLS));
	assert_true(rate <= ALPHA + 3 * sqrt(ALPHA * (1 - ALPHA) / TABLES));
}

/* The default sweep's 5 repetitions find a 10% change in 3% noise. */
static void power_ten_percent_at_three_percent_noise(void **state)
{
	(void)state;
	for (int direction = -1; direction <= 1; direction += 2) {
		size_t found = 0, wrong_side = 0;
		for (int trial = 0; trial < TRIALS; trial++) {
			double a[5], b[5];
			for (int i = 0; i < 5; i++) {
				a[i] = 1000 * exp(0.03 * normal());
				b[i] = 1000 * pow(1.1, direction) * exp(0.03 * normal());
			}
			struct twosample t;
			twosample_test(a, 5, b, 5, ALPHA, &t);
			if (t.p <= ALPHA) {
				found++;
				wrong_side += (t.shift > 0) != (direction > 0);
			}
		}
		double power = (double)found / TRIALS;
		print_message("10%% %s at 3%% noise, 5 vs 5: found in %.1f%% of trials\n",
			      direction > 0 ? "faster" : "slower", 100 * power);
		assert_true(power >= 0.8);
		assert_int_equal(wrong_side, 0);
	}
}

/* The detectable change means what it says: at the mde, the test finds it
 * about TWOSAMPLE_POWER of the time (normal noise of the SD it was given). */
static void detectable_change_has_its_power(void **state)
{
	(void)state;
	const double sigma = 0.05;
	double a[5], b[5];
	for (int i = 0; i < 5; i++) /* an SD of exactly sigma: -2..2 scaled */
		a[i] = b[i] = exp(sigma * (i - 2) / sqrt(2.5));
	struct twosample t;
	twosample_test(a, 5, b, 5, ALPHA, &t);
	assert_float_equal(t.sd, sigma, 1e-12);
	double mde = t.mde;
	assert_true(mde > 2 * sigma && mde < 3 * sigma); /* the t test's would be ~2.0 sigma; ranks cost a little */
	size_t found = 0;
	for (int trial = 0; trial < TRIALS; trial++) {
		for (int i = 0; i < 5; i++) {
			a[i] = exp(sigma * normal());
			b[i] = exp(mde + sigma * normal());
		}
		twosample_test(a, 5, b, 5, ALPHA, &t);
		found += t.p <= ALPHA && t.shift > 0;
	}
	double power = (double)found / TRIALS;
	print_message("at the mde (%.2f sd): found in %.1f%% of trials\n", mde / sigma, 100 * power);
	assert_true(fabs(power - TWOSAMPLE_POWER) <= tolerance(TWOSAMPLE_POWER) + 0.01);
}

/* Beyond 50 a side: the normal approximation, with the same answers' shape. */
static void large_samples_use_the_normal_approximation(void **state)
{
	(void)state;
	double a[80], b[80];
	for (int i = 0; i < 80; i++) {
		a[i] = 1000 * exp(0.03 * normal());
		b[i] = 1050 * exp(0.03 * normal());
	}
	struct twosample t;
	twosample_test(a, 80, b, 80, ALPHA, &t);
	assert_false(t.exact);
	assert_true(t.enough && t.p < 1e-6 && t.shift_lo > 0 && t.shift_hi < log(1.1));
	twosample_test(a, 80, a, 80, ALPHA, &t);
	assert_float_equal(t.p, 1, 1e-12);
	assert_float_equal(t.shift, 0, 0);
}

/* Two-level samples, as a sweep in K worker processes gives them: each worker
 * draws its own level (sd_between, the address-space layout, the page-cache
 * state it inherits, its CPU), then its repetitions scatter about it
 * (sd_within, skewed: a lognormal with 1 in 10 repetitions preempted).
 * The measured case: the between sd as large as the within one. */
#define REPS_PER_WORKER 5
#define NOISE 0.03
static void two_level(double *v, int *w, size_t k, double change)
{
	for (size_t i = 0; i < k; i++) {
		double level = NOISE * normal();
		for (size_t r = 0; r < REPS_PER_WORKER; r++) {
			v[i * REPS_PER_WORKER + r] = 1000 * (1 + change) * exp(level + NOISE * normal());
			w[i * REPS_PER_WORKER + r] = (int)i + 1;
		}
	}
}

#define WTRIALS 2000
#define MAXK 10
#define DELTA 2.0 /* compare's default --noise */

struct rates {
	double p_below, verdict, wrong_side, covered;
};

/* K workers a side; the run `change` away from the base. */
static struct rates worker_rates(size_t k, double change, int paired)
{
	size_t below = 0, verdicts = 0, wrong = 0, covered = 0;
	for (int trial = 0; trial < WTRIALS; trial++) {
		double a[MAXK * REPS_PER_WORKER], b[MAXK * REPS_PER_WORKER];
		int wa[MAXK * REPS_PER_WORKER], wb[MAXK * REPS_PER_WORKER];
		two_level(a, wa, k, 0);
		two_level(b, wb, k, change);
		struct worker_test t;
		twosample_workers(a, wa, k * REPS_PER_WORKER, b, wb, k * REPS_PER_WORKER, paired, ALPHA, DELTA, &t);
		assert_true(t.tested);
		below += t.p <= ALPHA;
		enum worker_verdict v = twosample_verdict(&t, t.p, ALPHA, DELTA);
		verdicts += v == WV_FASTER || v == WV_SLOWER;
		wrong += change != 0 && v == (change > 0 ? WV_SLOWER : WV_FASTER);
		covered += t.lo <= log1p(change) && log1p(change) <= t.hi;
	}
	return (struct rates){ (double)below / WTRIALS, (double)verdicts / WTRIALS, (double)wrong / WTRIALS,
			       (double)covered / WTRIALS };
}

/* The old test, Mann-Whitney on every repetition, on the same A/A samples:
 * it reads the between-worker spread as a change.  As compare used it on
 * every folder before workers (one process a side, 5 repetitions: the rate
 * the issue measured), and on the 5 x 5 repetitions of K = 5 pooled. */
static void old_per_repetition_test_is_fooled_by_workers(void **state)
{
	(void)state;
	for (size_t k = 1; k <= 5; k += 4) {
		size_t verdicts = 0;
		for (int trial = 0; trial < WTRIALS; trial++) {
			double a[MAXK * REPS_PER_WORKER], b[MAXK * REPS_PER_WORKER];
			int wa[MAXK * REPS_PER_WORKER], wb[MAXK * REPS_PER_WORKER];
			two_level(a, wa, k, 0);
			two_level(b, wb, k, 0);
			struct twosample t;
			twosample_test(a, k * REPS_PER_WORKER, b, k * REPS_PER_WORKER, ALPHA, &t);
			verdicts += t.p <= ALPHA;
		}
		double rate = (double)verdicts / WTRIALS;
		print_message("A/A two-level, %zu worker%s x %d reps a side, per-repetition Mann-Whitney: %.1f%% false "
			      "verdicts\n", k, k > 1 ? "s" : "", REPS_PER_WORKER, 100 * rate);
		assert_true(rate > (k == 1 ? 0.20 : 0.15));
	}
}

/* The worker test on the same samples: at most alpha, unpaired and paired,
 * at K = 5 and 10; and the verdict rule (which also needs the interval
 * beyond +-2%) well under it.  The interval covers the truth 95% of the time. */
static void worker_test_keeps_alpha_on_two_level_samples(void **state)
{
	(void)state;
	for (size_t k = 5; k <= 10; k += 5)
		for (int paired = 0; paired <= 1; paired++) {
			struct rates r = worker_rates(k, 0, paired);
			print_message("A/A two-level, %zu workers a side%s: p <= 0.05 in %.2f%%, false verdicts %.2f%%, "
				      "interval covers 0 in %.1f%%\n", k, paired ? " (paired)" : "", 100 * r.p_below,
				      100 * r.verdict, 100 * r.covered);
			double tol = 3 * sqrt(ALPHA * (1 - ALPHA) / WTRIALS);
			if (r.p_below > ALPHA + tol || r.verdict > ALPHA)
				fail_msg("%zu workers%s: p <= 0.05 in %.2f%%, verdicts %.2f%%", k, paired ? " paired" : "",
					 100 * r.p_below, 100 * r.verdict);
			assert_true(fabs(r.covered - (1 - ALPHA)) <= tol + 0.015);
		}
}

/* Power at the default K (5 workers; 10 printed too): the share of trials
 * with the right verdict for a 5% and a 10% change either way, and never
 * the wrong side. */
static void worker_test_power_at_the_default_k(void **state)
{
	(void)state;
	static const double changes[] = { 0.05, -0.05, 0.10, -0.10 };
	for (size_t k = 5; k <= 10; k += 5)
		for (size_t c = 0; c < 4; c++) {
			struct rates r = worker_rates(k, changes[c], 0);
			print_message("%+.0f%% change, %zu workers x %d reps a side, between = within sd %.0f%%: right "
				      "verdict in %.1f%%, wrong side %.2f%%\n", 100 * changes[c], k, REPS_PER_WORKER,
				      100 * NOISE, 100 * r.verdict, 100 * r.wrong_side);
			assert_true(r.wrong_side == 0);
			if (fabs(changes[c]) >= 0.1)
				assert_true(r.verdict >= (k == 5 ? 0.7 : 0.95));
			else
				assert_true(r.verdict >= (k == 5 ? 0.12 : 0.3));
		}
}

/* By hand: 3 workers a side, one repetition each, logs 0, 0.1, 0.2 against
 * 0.3, 0.4, 0.5: est 0.3, each side's variance 0.01, se sqrt(2 * 0.01 / 3),
 * df 4, t = 3.674: p = 0.02131 (Student's t with 4 df). */
static void worker_test_by_hand(void **state)
{
	(void)state;
	const double a[] = { 1, exp(0.1), exp(0.2) }, b[] = { exp(0.3), exp(0.4), exp(0.5) };
	const int w[] = { 1, 2, 3 };
	struct worker_test t;
	twosample_workers(a, w, 3, b, w, 3, 0, ALPHA, 2, &t);
	assert_true(t.tested && !t.paired);
	assert_int_equal(t.ka, 3);
	assert_float_equal(t.est, 0.3, 1e-12);
	assert_float_equal(t.se, sqrt(0.02 / 3), 1e-12);
	assert_float_equal(t.df, 4, 1e-9);
	assert_float_equal(t.p, 0.021312, 1e-5);
	/* Paired: the differences are all 0.3, se 0: p 0. */
	twosample_workers(a, w, 3, b, w, 3, 1, ALPHA, 2, &t);
	assert_true(t.paired);
	assert_true(t.p < 1e-9);
	assert_float_equal(t.df, 2, 0);
	/* A worker's value is the median of its repetitions: 4 reps of worker 1. */
	const double reps[] = { 100, 1000, 101, 99 }, other[] = { 100, 100 };
	const int w1[] = { 1, 1, 1, 1 }, w12[] = { 1, 2 };
	twosample_workers(reps, w1, 4, other, w12, 2, 0, ALPHA, 2, &t);
	assert_int_equal(t.ka, 1);
	assert_int_equal(t.kb, 2);
	assert_false(t.tested);
	assert_true(fabs(t.est - (log(100) - (log(100) + log(101)) / 2)) < 1e-9); /* of the logs */
	assert_int_equal(twosample_verdict(&t, NAN, ALPHA, 2), WV_ONE_WORKER);
	/* No worker numbers at all: one worker, never a verdict. */
	twosample_workers(reps, NULL, 4, reps, NULL, 4, 0, ALPHA, 2, &t);
	assert_false(t.tested);
	assert_string_equal(twosample_verdict_name(twosample_verdict(&t, 0, ALPHA, 2)), "no verdict");
	/* Student's t tails. */
	assert_float_equal(twosample_t_upper(2.776445, 4), 0.025, 1e-6);
	assert_float_equal(twosample_t_upper(0, 7), 0.5, 1e-12);
	assert_float_equal(twosample_t_upper(-1.812461, 10), 0.95, 1e-6);
}

/* The rule: significance AND the interval beyond the threshold. */
static void verdict_needs_significance_and_the_interval(void **state)
{
	(void)state;
	struct worker_test t = { .tested = 1, .lo = log(1.03), .hi = log(1.08) };
	assert_int_equal(twosample_verdict(&t, 0.01, ALPHA, 2), WV_FASTER);
	assert_int_equal(twosample_verdict(&t, 0.06, ALPHA, 2), WV_CANNOT_TELL); /* not significant */
	assert_int_equal(twosample_verdict(&t, 0.01, ALPHA, 3.5), WV_CANNOT_TELL); /* the interval crosses 3.5% */
	assert_int_equal(twosample_verdict(&t, 0.01, ALPHA, 10), WV_SAME); /* wholly inside +-10% */
	t.lo = log(0.9), t.hi = log(0.97);
	assert_int_equal(twosample_verdict(&t, 0.01, ALPHA, 2), WV_SLOWER);
	t.lo = log(0.99), t.hi = log(1.01);
	assert_int_equal(twosample_verdict(&t, 0.5, ALPHA, 2), WV_SAME);
	t.tested = 0;
	assert_int_equal(twosample_verdict(&t, 0.01, ALPHA, 2), WV_ONE_WORKER);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(null_distribution_is_exact),
		cmocka_unit_test(enough_samples_is_when_p_can_reach_alpha),
		cmocka_unit_test(shift_interval_and_ties_by_hand),
		cmocka_unit_test(benjamini_hochberg_by_hand),
		cmocka_unit_test(false_verdicts_at_most_alpha),
		cmocka_unit_test(a_table_of_nothing_gives_a_verdict_rarely),
		cmocka_unit_test(power_ten_percent_at_three_percent_noise),
		cmocka_unit_test(detectable_change_has_its_power),
		cmocka_unit_test(large_samples_use_the_normal_approximation),
		cmocka_unit_test(worker_test_by_hand),
		cmocka_unit_test(verdict_needs_significance_and_the_interval),
		cmocka_unit_test(old_per_repetition_test_is_fooled_by_workers),
		cmocka_unit_test(worker_test_keeps_alpha_on_two_level_samples),
		cmocka_unit_test(worker_test_power_at_the_default_k),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
