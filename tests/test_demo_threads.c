/* iopaths demo threads-and-a-mutex: on this kernel, as taught.  Without a
 * lock threads and processes lose updates to a counter in a MAP_SHARED
 * mapping; with a mutex in the mapping or atomics they lose none.  The
 * numbers are read back from demos.csv's details; timings are not asserted. */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void threads_and_a_mutex_as_taught(void **state)
{
	(void)state;
	struct table t;
	demo_row("threads-and-a-mutex", &t);
	expect_as_taught(&t);

	assert_int_equal(row_detail(&t, "workers"), 4);
	static const char *const who[] = { "threads", "processes" };
	for (int w = 0; w < 2; w++) {
		char key[64];
		static const char *const how[] = { "no_lock", "mutex", "atomic" };
		for (int h = 0; h < 3; h++) {
			snprintf(key, sizeof(key), "%s_%s_increments", who[w], how[h]);
			long long made = row_detail(&t, key);
			snprintf(key, sizeof(key), "%s_%s_lost", who[w], how[h]);
			long long lost = row_detail(&t, key);
			assert_true(made > 0);
			if (h == 0)
				assert_true(lost > 0 && lost < made); /* no lock: updates lost */
			else
				assert_int_equal(lost, 0); /* a mutex, atomics: none */
		}
	}
	table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(threads_and_a_mutex_as_taught, work_in_tmp, work_remove),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
