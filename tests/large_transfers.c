/* make test-large: a 3 GiB file (past every 2 GiB limit: sendfile's
 * 0x7ffff000, int-sized counts, 32-bit offsets) through every strategy and
 * every sink it supports, reads and writes, each verified. */
#include "helpers.h"

#include "sink.h"
#include "strategy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "0" for a sink that keeps nothing to check (/dev/null), else "1": checksummed. */
static const char *verified_on(const char *sink)
{
	for (int k = 0; k < NSINKS; k++)
		if (strcmp(sink_names[k], sink) == 0)
			return sink_ops_of((enum sink)(1u << k))->verify ? "1" : "0";
	fail_msg("runs.csv names a sink %s that is not in harness/sinks/sinks.def", sink);
	return NULL;
}

static void three_gib_through_every_pair(void **state)
{
	(void)state;
	char top[1024], out[1100], data[1100], path[1200];
	const char *base = getenv("IOPATHS_TEST_DATA") ? getenv("IOPATHS_TEST_DATA") : "/var/tmp";
	snprintf(top, sizeof(top), "%s/iopaths-large-XXXXXX", base);
	assert_non_null(mkdtemp(top));
	snprintf(out, sizeof(out), "%s/out", top);
	snprintf(data, sizeof(data), "%s/data", top);

	/* Every strategy by name: the named-only ones too (io_uring's lengths are 32-bit). */
	char names[1024] = "";
	for (size_t i = 0; i < strategy_count; i++)
		snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s", i ? "," : "", strategies[i]->name);
	int rc = run_iopaths(top, NULL, NULL, (const char *const[]){ "run", "--strategy", names, "--sizes", "3G",
		"--reps", "1", "--warmup", "0", "--min-sample-ms", "0", "--dir", data, "--out", out, NULL });
	if (rc != 0)
		fail_msg("iopaths run at 3G exited %d", rc);

	size_t pairs = 0;
	for (size_t i = 0; i < strategy_count; i++)
		pairs += (size_t)__builtin_popcount(strategies[i]->sinks);
	struct table t;
	snprintf(path, sizeof(path), "%s/runs.csv", out);
	assert_int_equal(table_read(&t, path), 0);
	assert_int_equal(t.rows - 1, pairs);
	for (size_t r = 1; r < t.rows; r++) {
		assert_string_equal(table_get(&t, r, "file_bytes"), "3221225472");
		assert_string_equal(table_get(&t, r, "verified"), verified_on(table_get(&t, r, "sink")));
	}
	table_free(&t);
	assert_int_equal(dir_entries(data), 0);
	tmpdir_remove(top);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(three_gib_through_every_pair),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
