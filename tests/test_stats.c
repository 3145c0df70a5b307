/* Statistics against values worked out by hand. */
#include "helpers.h"

#include "stats.h"

#include <math.h>

#define EPS 1e-9

static void five_samples(void **state)
{
	(void)state;
	const double v[] = { 5, 1, 3, 2, 4 };
	struct stats s;
	stats_compute(v, 5, &s);
	assert_int_equal(s.n, 5);
	assert_float_equal(s.median, 3, EPS);
	assert_float_equal(s.mean, 3, EPS);
	assert_float_equal(s.min, 1, EPS);
	assert_float_equal(s.max, 5, EPS);
	assert_float_equal(s.stddev, sqrt(2.5), EPS); /* (4+1+0+1+4)/4 */
	/* No order-statistic interval reaches 95% with 5 samples: [min, max], 1 - 2/32. */
	assert_float_equal(s.ci_lo, 1, EPS);
	assert_float_equal(s.ci_hi, 5, EPS);
	assert_float_equal(s.ci_coverage, 0.9375, EPS);
}

static void even_count_median_is_the_middle_pair_mean(void **state)
{
	(void)state;
	const double v[] = { 4, 1, 3, 2 };
	struct stats s;
	stats_compute(v, 4, &s);
	assert_float_equal(s.median, 2.5, EPS);
	assert_float_equal(s.ci_coverage, 1 - 2.0 / 16, EPS);
}

static void ten_samples_use_ranks_2_and_9(void **state)
{
	(void)state;
	double v[10];
	for (int i = 0; i < 10; i++)
		v[i] = 10 - i; /* 10..1, unsorted on purpose */
	struct stats s;
	stats_compute(v, 10, &s);
	assert_float_equal(s.median, 5.5, EPS);
	assert_float_equal(s.ci_lo, 2, EPS);
	assert_float_equal(s.ci_hi, 9, EPS);
	assert_float_equal(s.ci_coverage, 1 - 2 * 11.0 / 1024, EPS); /* P(X<=1) = 11/1024 */
}

static void twenty_samples_use_ranks_6_and_15(void **state)
{
	(void)state;
	double v[20];
	for (int i = 0; i < 20; i++)
		v[i] = (i * 7) % 20 + 1; /* a permutation of 1..20 */
	struct stats s;
	stats_compute(v, 20, &s);
	assert_float_equal(s.ci_lo, 6, EPS);
	assert_float_equal(s.ci_hi, 15, EPS);
	/* P(X<=5) = (1+20+190+1140+4845+15504) / 2^20 = 21700 / 1048576 */
	assert_float_equal(s.ci_coverage, 1 - 2 * 21700.0 / 1048576, 1e-12);
}

static void one_sample_and_none(void **state)
{
	(void)state;
	const double v[] = { 42 };
	struct stats s;
	stats_compute(v, 1, &s);
	assert_float_equal(s.median, 42, EPS);
	assert_float_equal(s.stddev, 0, EPS);
	assert_float_equal(s.ci_lo, 42, EPS);
	assert_float_equal(s.ci_hi, 42, EPS);
	stats_compute(v, 0, &s);
	assert_int_equal(s.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(five_samples),
		cmocka_unit_test(even_count_median_is_the_middle_pair_mean),
		cmocka_unit_test(ten_samples_use_ranks_2_and_9),
		cmocka_unit_test(twenty_samples_use_ranks_6_and_15),
		cmocka_unit_test(one_sample_and_none),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
