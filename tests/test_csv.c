/* CSV written with libcsv and read back with its parser. */
#include "helpers.h"

#include "csvio.h"

#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void awkward_fields_survive_a_round_trip(void **state)
{
	(void)state;
	char dir[PATH_MAX], path[PATH_MAX + 16];
	static const char *const awkward[] = {
		"plain", "with,comma", "with \"quotes\"", "line\nbreak", "\"", ",,", "trailing space ",
	};
	struct csv_out w;
	struct table t;

	tmpdir_make(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/t.csv", dir);
	assert_int_equal(csv_out_open(&w, path), 0);
	csv_out_header(&w, (const char *const[]){ "text", "u64", "i64", "double", "na", NULL });
	for (size_t i = 0; i < sizeof(awkward) / sizeof(awkward[0]); i++) {
		csv_out_str(&w, awkward[i]);
		csv_out_u64(&w, UINT64_MAX - i);
		csv_out_i64(&w, -(int64_t)i);
		csv_out_double(&w, 1.5 + (double)i);
		csv_out_na(&w);
		assert_int_equal(csv_out_end_row(&w), 0);
	}
	csv_out_double(&w, NAN); /* NaN is NA too */
	csv_out_double(&w, 123456789012.0);
	csv_out_double(&w, 1234567.891);
	csv_out_double(&w, 0.000123);
	csv_out_double(&w, 0);
	csv_out_end_row(&w);
	assert_int_equal(csv_out_close(&w), 0);

	assert_int_equal(table_read(&t, path), 0);
	assert_int_equal(t.rows, 9);
	assert_int_equal(t.cols, 5);
	for (size_t i = 0; i < sizeof(awkward) / sizeof(awkward[0]); i++) {
		char num[32];
		assert_string_equal(t.cell[i + 1][0], awkward[i]);
		snprintf(num, sizeof(num), "%llu", (unsigned long long)(UINT64_MAX - i));
		assert_string_equal(t.cell[i + 1][1], num);
		snprintf(num, sizeof(num), "%lld", -(long long)i);
		assert_string_equal(t.cell[i + 1][2], num);
		assert_float_equal(strtod(t.cell[i + 1][3], NULL), 1.5 + (double)i, 1e-9);
		assert_string_equal(t.cell[i + 1][4], "");
	}
	assert_string_equal(t.cell[8][0], "");
	assert_string_equal(t.cell[8][1], "123456789012"); /* nanoseconds keep every digit */
	assert_string_equal(t.cell[8][2], "1234567.9");
	assert_string_equal(t.cell[8][3], "0.000123");
	assert_string_equal(t.cell[8][4], "0");
	table_free(&t);
	tmpdir_remove(dir);
}

static void never_overwrites_and_reports_parse_errors(void **state)
{
	(void)state;
	char dir[PATH_MAX], path[PATH_MAX + 16], err[256];
	struct csv_out w;
	struct table t;

	tmpdir_make(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/t.csv", dir);
	assert_int_equal(csv_out_open(&w, path), 0);
	csv_out_str(&w, "x");
	csv_out_end_row(&w);
	csv_out_close(&w);
	assert_int_equal(csv_out_open(&w, path), -1); /* exists: refused */

	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("\"unterminated,1\n", f);
	fclose(f);
	assert_int_equal(table_read(&t, path), -1);
	table_free(&t);
	assert_int_equal(csv_read_file("/nonexistent/x.csv", NULL, NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/x.csv"));
	tmpdir_remove(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(awkward_fields_survive_a_round_trip),
		cmocka_unit_test(never_overwrites_and_reports_parse_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
