/* The coherence demos (private-invisible, write-then-mapped, fork-and-private)
 * as a user runs them: exit 0, one row in demos.csv, "as taught" on this
 * kernel, the numbers behind it in details, and the private folder gone. */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Runs `iopaths demo NAME` in work; its one row, as taught, in *t (row 1). */
static void run_demo(const char *name, struct table *t)
{
	demo_row(name, t);
	expect_as_taught(t);
}

static void private_writes_stay_in_the_writers_copies(void **state)
{
	(void)state;
	struct table t;
	run_demo("private-invisible", &t);
	long pages = row_detail(&t, "pages_written");
	assert_true(pages > 0);
	assert_int_equal(row_detail(&t, "writer_sees_own"), pages); /* the writes happened */
	long faults = row_detail(&t, "cow_faults");
	assert_in_range(faults, pages, pages + pages / 4); /* about one copy a page */
	assert_int_equal(row_detail(&t, "seen_in_shared"), 0);
	assert_int_equal(row_detail(&t, "seen_in_private"), 0);
	assert_int_equal(row_detail(&t, "seen_by_read"), 0);
	assert_int_equal(row_detail(&t, "file_bytes_changed"), 0);
	table_free(&t);
}

static void write_reaches_shared_and_uncopied_private_pages(void **state)
{
	(void)state;
	struct table t;
	run_demo("write-then-mapped", &t);
	assert_int_equal(row_detail(&t, "shared_page0_sees_write"), 1);
	assert_int_equal(row_detail(&t, "shared_page1_sees_write"), 1);
	assert_int_equal(row_detail(&t, "private_read_page_sees_write"), 1);
	assert_int_equal(row_detail(&t, "private_copied_page_sees_write"), 0);
	assert_int_equal(row_detail(&t, "private_copied_page_keeps_store"), 1);
	assert_non_null(strstr(table_get(&t, 1, "prediction"), "POSIX"));
	table_free(&t);
}

static void fork_copies_private_pages_and_shares_shared_ones(void **state)
{
	(void)state;
	struct table t;
	run_demo("fork-and-private", &t);
	assert_int_equal(row_detail(&t, "child_inherited_private"), 1);
	assert_true(row_detail(&t, "child_private_write_faults") >= 1);
	assert_int_equal(row_detail(&t, "parent_private_kept"), 1);
	assert_int_equal(row_detail(&t, "parent_shared_sees_child"), 1);
	table_free(&t);
}

/* The three in one run: a row each, as taught, none upset by the one before
 * (what the children left in ctx->shared, the folder). */
static void the_three_run_together(void **state)
{
	(void)state;
	char out[PATH_MAX], data[PATH_MAX], csv[PATH_MAX + 16];
	const char *names[] = { "private-invisible", "write-then-mapped", "fork-and-private" };
	snprintf(data, sizeof(data), "%s/all.data", work);
	assert_int_equal(mkdir(data, 0755), 0);
	run_in_work("all", (const char *const[]){ "demo", names[0], names[1], names[2], NULL }, out, sizeof(out));
	assert_int_equal(dir_entries(data), 0);
	snprintf(csv, sizeof(csv), "%s/demos.csv", out);
	struct table t;
	assert_int_equal(table_read(&t, csv), 0);
	assert_int_equal(t.rows, 4);
	for (size_t i = 0; i < 3; i++) {
		assert_string_equal(table_get(&t, i + 1, "demo"), names[i]);
		assert_string_equal(table_get(&t, i + 1, "verdict"), "as taught");
	}
	table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(private_writes_stay_in_the_writers_copies, work_on_disk, work_remove),
		cmocka_unit_test_setup_teardown(write_reaches_shared_and_uncopied_private_pages, work_on_disk, work_remove),
		cmocka_unit_test_setup_teardown(fork_copies_private_pages_and_shares_shared_ones, work_on_disk, work_remove),
		cmocka_unit_test_setup_teardown(the_three_run_together, work_on_disk, work_remove),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
