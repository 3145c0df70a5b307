/* iopaths demo threads-and-a-mutex: on this kernel, as taught.  Without a
 * lock threads and processes lose updates to a counter in a MAP_SHARED
 * mapping; with a mutex in the mapping or atomics they lose none.  The
 * numbers are read back from demos.csv's details; timings are not asserted. */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The number after "key=" in a details cell ("a=1; b=2"); fails when absent. */
static long long detail(const char *details, const char *key)
{
	char want[128];
	snprintf(want, sizeof(want), "%s=", key);
	for (const char *p = details; (p = strstr(p, want)); p++)
		if (p == details || p[-1] == ' ')
			return strtoll(p + strlen(want), NULL, 10);
	fail_msg("no %s in details: %s", key, details);
	return -1;
}

static void threads_and_a_mutex_as_taught(void **state)
{
	(void)state;
	char out[PATH_MAX], dir[PATH_MAX], err[PATH_MAX], csv[PATH_MAX + 16];
	snprintf(out, sizeof(out), "%s/out", work);
	snprintf(dir, sizeof(dir), "%s/data", work);
	snprintf(err, sizeof(err), "%s/err", work);
	assert_int_equal(mkdir(dir, 0700), 0);
	int rc = run_iopaths(work, NULL, err,
			     (const char *const[]){ "demo", "threads-and-a-mutex", "--out", out, "--dir", dir, NULL });
	if (rc != 0) {
		char *text = slurp(err);
		fail_msg("iopaths demo exited %d: %s", rc, text ? text : "");
	}
	assert_int_equal(dir_entries(dir), 0); /* the private folder and its file are gone */

	struct table t;
	snprintf(csv, sizeof(csv), "%s/demos.csv", out);
	assert_int_equal(table_read(&t, csv), 0);
	assert_int_equal(t.rows, 2);
	assert_string_equal(table_get(&t, 1, "demo"), "threads-and-a-mutex");
	const char *verdict = table_get(&t, 1, "verdict"), *details = table_get(&t, 1, "details");
	if (strcmp(verdict, "as taught") != 0)
		fail_msg("verdict: %s; details: %s", verdict, details);

	assert_int_equal(detail(details, "workers"), 4);
	static const char *const who[] = { "threads", "processes" };
	for (int w = 0; w < 2; w++) {
		char key[64];
		static const char *const how[] = { "no_lock", "mutex", "atomic" };
		for (int h = 0; h < 3; h++) {
			snprintf(key, sizeof(key), "%s_%s_increments", who[w], how[h]);
			long long made = detail(details, key);
			snprintf(key, sizeof(key), "%s_%s_lost", who[w], how[h]);
			long long lost = detail(details, key);
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
