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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
