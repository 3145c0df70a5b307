/* The experiment model (issue 9): a cell is its key, every variant is in it,
 * and spans come from the harness. */
#include "helpers.h"

#include "cell.h"
#include "strategy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A small run into work/NAME, with the extra arguments. */
static void run_into(const char *name, const char *const *extra)
{
	char out[PATH_MAX + 16], dir[PATH_MAX + 16], err[PATH_MAX + 16];
	const char *args[32] = { "run", "--sizes", "64K", "--reps", "4", "--warmup", "0", "--min-sample-ms", "0",
				 "--out", out, "--dir", dir };
	size_t n = 13;
	snprintf(out, sizeof(out), "%s/%s", work, name);
	snprintf(dir, sizeof(dir), "%s/data", work);
	snprintf(err, sizeof(err), "%s/%s.err", work, name);
	while (*extra)
		args[n++] = *extra++;
	args[n] = NULL;
	int rc = run_iopaths(work, NULL, err, args);
	if (rc != 0)
		fail_msg("run %s exited %d: %s", name, rc, slurp(err));
}

/* compare.csv of work/A against work/B, read into t. */
static void compare_runs(const char *a, const char *b, struct table *t)
{
	char out[PATH_MAX + 16], ra[PATH_MAX + 16], rb[PATH_MAX + 16], csv[PATH_MAX + 32], txt[PATH_MAX + 32];
	snprintf(out, sizeof(out), "%s/cmp-%s-%s", work, a, b);
	snprintf(ra, sizeof(ra), "%s/%s", work, a);
	snprintf(rb, sizeof(rb), "%s/%s", work, b);
	snprintf(txt, sizeof(txt), "%s.txt", out);
	assert_int_equal(run_iopaths(work, txt, NULL, (const char *const[]){ "compare", out, ra, rb, NULL }), 0);
	snprintf(csv, sizeof(csv), "%s/compare.csv", out);
	assert_int_equal(table_read(t, csv), 0);
}

/* The verdict of run 2's row of the strategy and sink: compare.csv's run 2 rows come after run 1's. */
static const char *verdict_of(const struct table *t, const char *label_prefix, const char *sink)
{
	for (size_t r = t->rows - 1; r >= 1; r--)
		if (strncmp(table_get(t, r, "label"), label_prefix, strlen(label_prefix)) == 0 &&
		    strcmp(table_get(t, r, "sink"), sink) == 0)
			return table_get(t, r, "verdict");
	fail_msg("compare.csv has no row for %s to %s", label_prefix, sink);
	return NULL;
}

/* Two cells that differ only in a variant the label did not show (fsync for
 * a strategy that msyncs; the pipe size) are two cells, never compared. */
static void compare_keeps_apart_cells_that_differ_in_a_variant(void **state)
{
	(void)state;
	struct table t;
	run_into("fsync", (const char *const[]){ "--strategy", "mmap-shared-write,splice", "--sink", "file,null",
						 "--fsync", "--pipe-size", "64K", NULL });
	run_into("plain", (const char *const[]){ "--strategy", "mmap-shared-write,splice", "--sink", "file,null",
						 NULL });
	compare_runs("fsync", "plain", &t);
	assert_string_equal(verdict_of(&t, "mmap-shared-write", "file"), "no base"); /* fsync */
	assert_string_equal(verdict_of(&t, "splice", "null"), "no base");            /* the pipe's size */
	table_free(&t);

	/* The label says what the key holds. */
	char path[PATH_MAX + 32];
	snprintf(path, sizeof(path), "%s/fsync/summary.csv", work);
	assert_int_equal(table_read(&t, path), 0);
	int seen = 0;
	for (size_t r = 1; r < t.rows; r++)
		if (strcmp(table_get(&t, r, "strategy"), "mmap-shared-write") == 0) {
			assert_string_equal(table_get(&t, r, "label"), "mmap-shared-write[msync=sync,fsync]");
			seen = 1;
		} else {
			assert_string_equal(table_get(&t, r, "pipe_size"), "65536");
			int file = strcmp(table_get(&t, r, "sink"), "file") == 0;
			assert_string_equal(table_get(&t, r, "label"), file ? "splice[fsync]" : "splice");
		}
	assert_true(seen);
	table_free(&t);
}

/* A run whose CSV lacks an identity column (made before it existed) means
 * its default there: it is compared with a run that used the default. */
static void a_missing_column_means_its_default(void **state)
{
	(void)state;
	char cmd[4 * PATH_MAX];
	struct table t;
	run_into("new", (const char *const[]){ "--strategy", "splice", "--sink", "null", NULL });
	/* The same run as an older build wrote it: no pipe_size column. */
	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && cp -r new old && for f in runs summary; do "
		 "awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == \"\\\"pipe_size\\\"\") c = i } "
		 "{ s = \"\"; for (i = 1; i <= NF; i++) if (i != c) s = s (s == \"\" ? \"\" : \",\") $i; print s }' "
		 "new/$f.csv > old/$f.csv; done", work);
	assert_int_equal(system(cmd), 0);
	char path[PATH_MAX + 32];
	snprintf(path, sizeof(path), "%s/old/summary.csv", work);
	assert_int_equal(table_read(&t, path), 0);
	assert_int_equal(table_col(&t, "pipe_size"), -1);
	table_free(&t);
	compare_runs("old", "new", &t);
	assert_string_not_equal(verdict_of(&t, "splice", "null"), "no base");
	table_free(&t);
}

/* --msync L is --variant msync=L: the same cells, in the same order. */
static void msync_is_a_spelling_of_variant(void **state)
{
	(void)state;
	struct table a, b;
	char pa[PATH_MAX + 32], pb[PATH_MAX + 32];
	run_into("msync", (const char *const[]){ "--strategy", "mmap-shared-write", "--msync", "sync,none", NULL });
	run_into("variant", (const char *const[]){ "--strategy", "mmap-shared-write", "--variant",
						   "mmap-shared-write.msync=none,sync", NULL });
	snprintf(pa, sizeof(pa), "%s/msync/summary.csv", work);
	snprintf(pb, sizeof(pb), "%s/variant/summary.csv", work);
	assert_int_equal(table_read(&a, pa), 0);
	assert_int_equal(table_read(&b, pb), 0);
	assert_int_equal(a.rows, 3);
	assert_int_equal(b.rows, 3);
	for (size_t r = 1; r < a.rows; r++)
		assert_string_equal(table_get(&a, r, "label"), table_get(&b, r, "label"));
	assert_string_equal(table_get(&a, 1, "label"), "mmap-shared-write[msync=none]");
	table_free(&a);
	table_free(&b);
}

static void bad_variants_are_refused(void **state)
{
	(void)state;
	static const char *const bad[][2] = {
		{ "nosuch=1", "no strategy has an option 'nosuch'" },
		{ "read.msync=sync", "read has no option 'msync'" },
		{ "splice.pipe_size=64K,1M", "pipe_size takes one value per run" },
		{ "msync=maybe", "'maybe' is not one of none, async, sync" },
		{ "msync", "is not [STRATEGY.]OPTION=VALUES" },
		{ "nope.msync=sync", "unknown strategy 'nope'" },
	};
	char err[PATH_MAX + 16];
	snprintf(err, sizeof(err), "%s/err", work);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = run_iopaths(work, NULL, err, (const char *const[]){ "run", "--variant", bad[i][0], "--out",
									     "never", "--dir", "never", NULL });
		char *text = slurp(err);
		if (rc != 2 || !strstr(text, bad[i][1]))
			fail_msg("--variant %s: exit %d, %s", bad[i][0], rc, text);
		free(text);
	}
	unlink(err);
	assert_int_equal(dir_entries(work), 0);
}

/* The harness hands out the file in order, a short transfer's rest next,
 * and past the end the block where a reader finds it. */
static void spans_cover_the_file_in_order(void **state)
{
	(void)state;
	struct job j = { .size = 10 };
	struct span s;
	assert_true(span_next(&j, &s, 4));
	assert_int_equal(s.off, 0);
	assert_int_equal(s.len, 4);
	span_moved(&j, 1); /* short */
	assert_true(span_next(&j, &s, 4));
	assert_int_equal(s.off, 1);
	assert_int_equal(s.len, 4);
	span_moved(&j, 4);
	assert_true(span_next(&j, &s, 4));
	assert_int_equal(s.off, 5);
	span_moved(&j, 4);
	assert_true(span_next(&j, &s, 4));
	assert_int_equal(s.off, 9);
	assert_int_equal(s.len, 1); /* no further than the end */
	span_moved(&j, 1);
	assert_false(span_next(&j, &s, 4));
	assert_int_equal(s.off, 10);
	assert_int_equal(s.len, 0); /* empty: nothing past the size, however the file grew */
}

/* Every key column is a dimension or an option a strategy declares, once. */
static void key_columns_are_distinct(void **state)
{
	(void)state;
	for (size_t a = 0; a < key_columns(); a++)
		for (size_t b = a + 1; b < key_columns(); b++)
			assert_string_not_equal(key_column(a), key_column(b));
	assert_string_equal(key_column(D_STRATEGY), "strategy");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(compare_keeps_apart_cells_that_differ_in_a_variant, work_in_tmp, work_remove),
		cmocka_unit_test_setup_teardown(a_missing_column_means_its_default, work_in_tmp, work_remove),
		cmocka_unit_test_setup_teardown(msync_is_a_spelling_of_variant, work_in_tmp, work_remove),
		cmocka_unit_test_setup_teardown(bad_variants_are_refused, work_in_tmp, work_remove),
		cmocka_unit_test(spans_cover_the_file_in_order),
		cmocka_unit_test(key_columns_are_distinct),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
