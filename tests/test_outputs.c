/* Files iopaths writes for people never go through a planted link, and bad
 * input to run, query and report costs one line, status 2 and no files. */
#include "helpers.h"

#include "csvio.h"
#include "meta.h"
#include "results.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static int is_regular(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Exit 2, one line on stderr starting "iopaths: " and naming `needle`. */
static void expect_refusal(const char *needle, const char *const *args)
{
	char err_file[PATH_MAX + 8];
	snprintf(err_file, sizeof(err_file), "%s.err", work); /* beside work, not in it */
	int rc = run_iopaths(work, NULL, err_file, args);
	char *err = slurp(err_file);
	unlink(err_file);
	assert_non_null(err);
	if (rc != 2 || !strstr(err, needle) || strncmp(err, "iopaths: ", 9) != 0 || !*err ||
	    strchr(err, '\n') != err + strlen(err) - 1)
		fail_msg("%s %s %s ...: exit %d, stderr: %s", args[0], args[1] ? args[1] : "",
			 args[1] && args[2] ? args[2] : "", rc, err);
	free(err);
}

/* Exit 2 as above, and nothing created in work. */
static void expect_usage_error(const char *needle, const char *const *args)
{
	expect_refusal(needle, args);
	assert_int_equal(dir_entries(work), 0);
}

/* A copy of the checked-in run, as work/NAME. */
static void copy_fixture_run(char *out, size_t len, const char *name)
{
	char cmd[2 * PATH_MAX];
	snprintf(out, len, "%s/%s", work, name);
	snprintf(cmd, sizeof(cmd), "cp -r tests/fixtures/run '%s'", out);
	assert_int_equal(system(cmd), 0);
}

/* Item 2: report wrote RUN/index.html.tmp with fopen("w"), through a link
 * planted there, then renamed it.  The page now goes through mkstemp. */
static void report_never_writes_through_a_planted_link(void **state)
{
	(void)state;
	char run[PATH_MAX], victim[PATH_MAX + 8], link[PATH_MAX + 32], page[PATH_MAX + 32], plots[PATH_MAX + 8];
	snprintf(victim, sizeof(victim), "%s/victim", work);
	snprintf(plots, sizeof(plots), "%s/plots", work);
	write_text(victim, "precious\n");

	for (const char *const *planted = (const char *const[]){ "index.html.tmp", "index.html", NULL }; *planted;
	     planted++) {
		copy_fixture_run(run, sizeof(run), *planted);
		snprintf(link, sizeof(link), "%s/%s", run, *planted);
		snprintf(page, sizeof(page), "%s/index.html", run);
		assert_int_equal(symlink(victim, link), 0);
		assert_int_equal(run_iopaths(work, NULL, NULL, (const char *const[]){ "report", run, plots, NULL }), 0);
		char *text = slurp(victim);
		if (strcmp(text, "precious\n") != 0)
			fail_msg("a link at RUN/%s: the victim was overwritten", *planted);
		free(text);
		if (!is_regular(page))
			fail_msg("a link at RUN/%s: RUN/index.html is not a regular file", *planted);
		text = slurp(page);
		assert_non_null(strstr(text, "<td>kernel_release</td>"));
		free(text);
		/* summary.csv, meta.csv, the page, and the planted link if it was not the page's name */
		assert_int_equal(dir_entries(run), strcmp(*planted, "index.html") == 0 ? 3 : 4);
	}
}

/* Item 5: report on an empty or a wrong summary exited 0 with an empty table. */
static void report_refuses_a_broken_run_and_writes_no_page(void **state)
{
	(void)state;
	char run[PATH_MAX], path[PATH_MAX + 32], plots[PATH_MAX + 8];
	snprintf(plots, sizeof(plots), "%s/plots", work);
	static const struct {
		const char *name, *summary, *meta, *needle;
	} cases[] = {
		{ "empty", "", NULL, "summary.csv is empty" },
		{ "header-only", "\"strategy\",\"sink\",\"cache\",\"file_bytes\",\"n\",\"mibps_median\"\n", NULL,
		  "summary.csv has a header and no rows" },
		{ "wrong-header", "\"key\",\"value\"\n\"a\",\"b\"\n", NULL, "summary.csv has no column 'strategy'" },
		{ "not-csv", "\"unterminated,1\n", NULL, "summary.csv: row 1:" },
		{ "meta-empty", NULL, "", "meta.csv is empty" },
		{ "meta-wrong", NULL, "\"a\",\"b\"\n\"1\",\"2\"\n", "meta.csv has no column 'key'" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		copy_fixture_run(run, sizeof(run), cases[i].name);
		if (cases[i].summary) {
			snprintf(path, sizeof(path), "%s/summary.csv", run);
			write_text(path, cases[i].summary);
		}
		if (cases[i].meta) {
			snprintf(path, sizeof(path), "%s/meta.csv", run);
			write_text(path, cases[i].meta);
		}
		expect_refusal(cases[i].needle, (const char *const[]){ "report", run, plots, NULL });
		assert_int_equal(dir_entries(run), 2); /* no page, no temporary */
	}

	copy_fixture_run(run, sizeof(run), "no-meta");
	snprintf(path, sizeof(path), "%s/meta.csv", run);
	unlink(path);
	expect_refusal("meta.csv: No such file", (const char *const[]){ "report", run, plots, NULL });
	assert_int_equal(dir_entries(run), 1);

	/* A summary.csv that is a link: not read through (it could be anyone's file). */
	copy_fixture_run(run, sizeof(run), "linked-summary");
	snprintf(path, sizeof(path), "%s/summary.csv", run);
	char target[PATH_MAX + 16];
	snprintf(target, sizeof(target), "%s/real.csv", run);
	assert_int_equal(rename(path, target), 0);
	assert_int_equal(symlink(target, path), 0);
	expect_refusal("summary.csv is not a regular file", (const char *const[]){ "report", run, plots, NULL });
	assert_int_equal(dir_entries(run), 3);

	/* A RUN folder anyone may write into, or a link to one, is not written into. */
	copy_fixture_run(run, sizeof(run), "open-to-all");
	assert_int_equal(chmod(run, 0777), 0);
	expect_refusal("is writable by anyone", (const char *const[]){ "report", run, plots, NULL });
	assert_int_equal(dir_entries(run), 2);
	char link[PATH_MAX + 8];
	snprintf(link, sizeof(link), "%s/via-link", work);
	assert_int_equal(symlink("empty", link), 0);
	expect_refusal("is a symbolic link", (const char *const[]){ "report", link, plots, NULL });
}

/* summary.csv and meta.csv are written whole under a private name and renamed
 * into place: a link planted at the final name (or at the old fixed temporary,
 * meta.csv.tmp) is replaced, never followed, and never stops the write. */
static void summary_and_meta_replace_planted_links(void **state)
{
	(void)state;
	char victim[PATH_MAX + 8], path[PATH_MAX + 32], link[PATH_MAX + 32];
	snprintf(victim, sizeof(victim), "%s/victim", work);
	write_text(victim, "precious\n");

	snprintf(path, sizeof(path), "%s/summary.csv", work);
	assert_int_equal(symlink(victim, path), 0);
	if (summary_write(path, NULL, 0, NAN) != 0)
		fail_msg("summary_write over a planted link: %s", strerror(errno));
	assert_true(is_regular(path));
	struct table t;
	assert_int_equal(table_read(&t, path), 0);
	assert_int_equal(t.rows, 1);
	assert_int_equal(table_col(&t, "mibps_median") >= 0, 1);
	table_free(&t);

	struct meta m = { 0 };
	meta_set(&m, "status", "complete");
	snprintf(path, sizeof(path), "%s/meta.csv", work);
	snprintf(link, sizeof(link), "%s/meta.csv.tmp", work);
	assert_int_equal(symlink(victim, path), 0);
	assert_int_equal(mkdir(link, 0755), 0); /* the old fixed temporary name, taken */
	if (meta_write(&m, path) != 0)
		fail_msg("meta_write with meta.csv a link and meta.csv.tmp taken: %s", strerror(errno));
	meta_free(&m);
	assert_true(is_regular(path));
	char *text = slurp(path);
	assert_string_equal(text, "\"key\",\"value\"\n\"status\",\"complete\"\n");
	free(text);
	text = slurp(victim);
	assert_string_equal(text, "precious\n");
	free(text);
	assert_int_equal(dir_entries(work), 4); /* victim, summary.csv, meta.csv, meta.csv.tmp/ */
}

/* A whole CSV appears at its name only when it is complete; an aborted one never. */
static void whole_csv_appears_only_when_complete(void **state)
{
	(void)state;
	char path[PATH_MAX + 16];
	struct csv_out w;
	snprintf(path, sizeof(path), "%s/t.csv", work);

	assert_int_equal(csv_out_create(&w, work, "t.csv"), 0);
	csv_out_header(&w, (const char *const[]){ "a", NULL });
	assert_false(is_regular(path));
	assert_int_equal(csv_out_close(&w), 0);
	char *text = slurp(path);
	assert_string_equal(text, "\"a\"\n");
	free(text);

	assert_int_equal(csv_out_create(&w, work, "t.csv"), 0); /* replaces, once complete */
	csv_out_header(&w, (const char *const[]){ "b", NULL });
	csv_out_abort(&w);
	text = slurp(path);
	assert_string_equal(text, "\"a\"\n");
	free(text);
	assert_int_equal(dir_entries(work), 1);

	assert_int_equal(csv_out_create_path(&w, path), 0);
	csv_out_header(&w, (const char *const[]){ "c", NULL });
	assert_int_equal(csv_out_close(&w), 0);
	text = slurp(path);
	assert_string_equal(text, "\"c\"\n");
	free(text);
	assert_int_equal(dir_entries(work), 1);
}

/* Item 5: these ran (exit 0).  Every list and number option is held to the
 * same rules: no empty item, no item twice, digits only. */
static void run_refuses_bad_lists_and_numbers(void **state)
{
	(void)state;
	char out[PATH_MAX + 8], dir[PATH_MAX + 8];
	snprintf(out, sizeof(out), "%s/out", work);
	snprintf(dir, sizeof(dir), "%s/data", work);
#define RUN(...) ((const char *const[]){ "run", "--sizes", "4K", "--reps", "1", "--out", out, "--dir", dir, \
					  __VA_ARGS__, NULL })
	expect_usage_error("--sink: 'process' named twice", RUN("--sink", "process,process"));
	expect_usage_error("--strategy: empty item in ',read'", RUN("--strategy", ",read"));
	expect_usage_error("--strategy: empty item in 'read,,pread'", RUN("--strategy", "read,,pread"));
	expect_usage_error("--strategy: 'read' named twice", RUN("--strategy", "read,pread,read"));
	expect_usage_error("--sink: empty item in ',process'", RUN("--sink", ",process"));
	expect_usage_error("--sink: empty item in 'process,'", RUN("--sink", "process,"));
	expect_usage_error("--seed: ' -5'", RUN("--seed", " -5"));
	expect_usage_error("--seed: '-5'", RUN("--seed", "-5"));
	expect_usage_error("--seed: '18446744073709551616'", RUN("--seed", "18446744073709551616"));
	expect_usage_error("--out: an empty name", RUN("--out", ""));
	expect_usage_error("--dir: an empty name", RUN("--dir", ""));
	expect_usage_error("--msync: 'sync' named twice", RUN("--strategy", "mmap-shared-write", "--msync", "sync,sync"));
	expect_usage_error("--msync: empty item in ',sync'", RUN("--strategy", "mmap-shared-write", "--msync", ",sync"));
	expect_usage_error("--sizes: '4K' named twice", RUN("--sizes", "4K,1K,4K"));
	expect_usage_error("--sizes: '4K' and '4096' are the same size", RUN("--sizes", "4K,4096"));
	expect_usage_error("--sizes: empty item in ',4K'", RUN("--sizes", ",4K"));
	expect_usage_error("--sizes: ' 4K' is not a size", RUN("--sizes", " 4K"));
	expect_usage_error("--reps: ' 5'", RUN("--reps", " 5"));
	expect_usage_error("--reps: '+5'", RUN("--reps", "+5"));
	expect_usage_error("--warmup: ' 1'", RUN("--warmup", " 1"));
	expect_usage_error("--pin: ' 1'", RUN("--pin", " 1"));
	expect_usage_error("--pin: '+0'", RUN("--pin", "+0"));
	expect_usage_error("--block: ' 4K'", RUN("--block", " 4K"));
	expect_usage_error("--pipe-size: ' 64K'", RUN("--pipe-size", " 64K"));
	expect_usage_error("--min-sample-ms: ' 5'", RUN("--min-sample-ms", " 5"));
	expect_usage_error("--min-sample-ms: '0x10'", RUN("--min-sample-ms", "0x10"));
	expect_usage_error("--min-sample-ms: '1e3'", RUN("--min-sample-ms", "1e3"));
#undef RUN

	/* What stays allowed: hex seeds, the largest seed, fractional milliseconds. */
	assert_int_equal(run_iopaths(work, NULL, NULL, (const char *const[]){ "run", "--strategy", "read", "--sizes", "4K",
		"--reps", "1", "--seed", "0x10ba75", "--min-sample-ms", "0.5", "--out", out, "--dir", dir, NULL }), 0);
	tmpdir_remove(out);
	assert_int_equal(run_iopaths(work, NULL, NULL, (const char *const[]){ "run", "--strategy", "read", "--sizes", "4K",
		"--reps", "1", "--seed", "18446744073709551615", "--out", out, "--dir", dir, NULL }), 0);
	char path[PATH_MAX + 32];
	snprintf(path, sizeof(path), "%s/meta.csv", out);
	char *meta = slurp(path);
	assert_non_null(strstr(meta, "\"seed\",\"18446744073709551615\""));
	free(meta);
	tmpdir_remove(out);
	tmpdir_remove(dir);
}

/* Item 5: query on an empty file exited 1 and said nothing. */
static void query_refuses_empty_and_headerless_files(void **state)
{
	(void)state;
	char csv[PATH_MAX + 16];
	snprintf(csv, sizeof(csv), "%s.csv", work); /* beside work: work must stay empty */

	write_text(csv, "");
	expect_usage_error("is empty", (const char *const[]){ "query", csv, "mibps", NULL });
	write_text(csv, "\"strategy\",\"mibps\"\n");
	expect_usage_error("has a header and no rows", (const char *const[]){ "query", csv, "mibps", NULL });
	write_text(csv, "\"strategy\",\"mibps\"\n\"read\",\"5\"\n");
	expect_usage_error(".csv has no column 'nosuch'", (const char *const[]){ "query", csv, "nosuch", NULL });
	expect_usage_error(".csv has no column 'sink'", (const char *const[]){ "query", csv, "mibps", "sink=unix", NULL });
	unlink(csv);
	expect_usage_error(".csv: No such file or directory", (const char *const[]){ "query", csv, "mibps", NULL });
}

static int skip_row(char **fields, size_t count, void *arg)
{
	(void)fields, (void)count, (void)arg;
	return 0;
}

/* Item 5: libcsv grows a field's buffer 128 bytes at a time, so a 10 MB field
 * went quadratic under ASan.  Fields are capped at 64 KiB, rows at 4096 fields. */
static void csv_reader_caps_fields(void **state)
{
	(void)state;
	char csv[PATH_MAX + 16], err[PATH_MAX + 128];
	snprintf(csv, sizeof(csv), "%s.csv", work);
	struct table t;

	for (size_t len = CSV_MAX_FIELD_BYTES; len <= CSV_MAX_FIELD_BYTES + 1; len++) {
		FILE *f = fopen(csv, "w");
		assert_non_null(f);
		fputs("\"a\"\n\"", f);
		for (size_t i = 0; i < len; i++)
			fputc('x', f);
		fputs("\"\n", f);
		fclose(f);
		int rc = table_read(&t, csv);
		if (len == CSV_MAX_FIELD_BYTES) {
			assert_int_equal(rc, 0);
			assert_int_equal(strlen(t.cell[1][0]), len);
		} else {
			assert_int_equal(rc, -1);
		}
		table_free(&t);
	}
	assert_int_equal(csv_read_file(csv, skip_row, NULL, err, sizeof(err)), -1);
	if (!strstr(err, csv) || !strstr(err, "row 2: a field longer than 65536 bytes"))
		fail_msg("err: %s", err);

	/* 1 MB in one field, quoted or not, stops within a chunk of the cap. */
	for (const char *quote = "\""; quote; quote = *quote ? "" : NULL) {
		FILE *f = fopen(csv, "w");
		assert_non_null(f);
		fprintf(f, "\"a\"\n%s", quote);
		for (int i = 0; i < 1 << 20; i++)
			fputc('x', f);
		fprintf(f, "%s\n", quote);
		fclose(f);
		expect_usage_error("a field longer than 65536 bytes", (const char *const[]){ "query", csv, "a", NULL });
	}

	for (unsigned n = CSV_MAX_FIELDS; n <= CSV_MAX_FIELDS + 1; n++) {
		FILE *f = fopen(csv, "w");
		assert_non_null(f);
		for (unsigned i = 0; i < n; i++)
			fprintf(f, "%s\"c%u\"", i ? "," : "", i);
		fputs("\n", f);
		fclose(f);
		int rc = csv_read_file(csv, skip_row, NULL, err, sizeof(err));
		if (n == CSV_MAX_FIELDS) {
			assert_int_equal(table_read(&t, csv), 0);
			assert_int_equal(t.cols, n);
			table_free(&t);
		} else {
			assert_int_equal(rc, -1);
			assert_non_null(strstr(err, "row 1: more than 4096 fields"));
		}
	}
	unlink(csv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(report_never_writes_through_a_planted_link, work_in_tmp, work_remove),
		cmocka_unit_test_setup_teardown(report_refuses_a_broken_run_and_writes_no_page, work_in_tmp, work_remove),
		cmocka_unit_test_setup_teardown(summary_and_meta_replace_planted_links, work_in_tmp, work_remove),
		cmocka_unit_test_setup_teardown(whole_csv_appears_only_when_complete, work_in_tmp, work_remove),
		cmocka_unit_test_setup_teardown(run_refuses_bad_lists_and_numbers, work_in_tmp, work_remove),
		cmocka_unit_test_setup_teardown(query_refuses_empty_and_headerless_files, work_in_tmp, work_remove),
		cmocka_unit_test_setup_teardown(csv_reader_caps_fields, work_in_tmp, work_remove),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
