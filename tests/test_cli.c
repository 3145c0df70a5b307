/* The command line as a user meets it: exit codes, files made and not made. */
#include "helpers.h"

#include "cell.h"
#include "csvio.h"
#include "strategy.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>


static void path_in(char *out, size_t len, const char *name)
{
	snprintf(out, len, "%s/%s", work, name);
}

/* Exit 2, one line on stderr naming `needle`, and nothing created in work. */
static void expect_usage_error(const char *needle, const char *const *args)
{
	char err_file[PATH_MAX];
	snprintf(err_file, sizeof(err_file), "%s.err", work); /* beside work, not in it */
	int rc = run_iopaths(work, NULL, err_file, args);
	char *err = slurp(err_file);
	unlink(err_file);
	assert_non_null(err);
	if (rc != 2 || !strstr(err, needle) || strncmp(err, "iopaths: ", 9) != 0 ||
	    strchr(err, '\n') != err + strlen(err) - 1)
		fail_msg("%s %s ...: exit %d, stderr: %s", args[0], args[1] ? args[1] : "", rc, err);
	free(err);
	assert_int_equal(dir_entries(work), 0);
}

static void bad_input_exits_2_and_creates_nothing(void **state)
{
	(void)state;
	char out[PATH_MAX], dir[PATH_MAX], file[PATH_MAX];
	path_in(out, sizeof(out), "out");
	path_in(dir, sizeof(dir), "data");

#define RUN(...) ((const char *const[]){ "run", __VA_ARGS__, NULL })
	expect_usage_error("unknown strategy 'nosuch'", RUN("--strategy", "read,nosuch", "--sizes", "4K", "--out", out, "--dir", dir));
	expect_usage_error("'12Q' is not a size", RUN("--sizes", "4K,12Q", "--out", out, "--dir", dir));
	expect_usage_error("'99999999999G' is not a size", RUN("--sizes", "99999999999G", "--out", out, "--dir", dir));
	expect_usage_error("'18446744073709551616' is not a size", RUN("--sizes", "18446744073709551616", "--out", out, "--dir", dir));
	expect_usage_error("--reps: '0'", RUN("--reps", "0", "--sizes", "4K", "--out", out, "--dir", dir));
	expect_usage_error("--reps: 'x'", RUN("--reps", "x", "--sizes", "4K", "--out", out, "--dir", dir));
	expect_usage_error("--warmup: '-1'", RUN("--warmup", "-1", "--sizes", "4K", "--out", out, "--dir", dir));
	expect_usage_error("--block: '0'", RUN("--block", "0", "--sizes", "4K", "--out", out, "--dir", dir));
	expect_usage_error("--block: '2G'", RUN("--block", "2G", "--sizes", "4K", "--out", out, "--dir", dir));
	expect_usage_error("--consume none: mmap-shared never copies", RUN("--consume", "none", "--strategy", "read,mmap-shared", "--sizes", "4K", "--out", out, "--dir", dir));
	expect_usage_error("--consume: 'some'", RUN("--consume", "some", "--sizes", "4K", "--out", out, "--dir", dir));
	expect_usage_error("--drop-caches goes with --cache cold", RUN("--drop-caches", "--sizes", "4K", "--out", out, "--dir", dir));
	expect_usage_error("--min-sample-ms: 'x'", RUN("--min-sample-ms", "x", "--sizes", "4K", "--out", out, "--dir", dir));
	expect_usage_error("--pin: CPU 4095", RUN("--pin", "4095", "--sizes", "4K", "--out", out, "--dir", dir));
	expect_usage_error("copy-file-range cannot deliver to the unix sink", RUN("--strategy", "copy-file-range", "--sink", "unix", "--sizes", "4K", "--out", out, "--dir", dir));
	expect_usage_error("read cannot deliver to the tcp sink", RUN("--strategy", "read", "--sink", "tcp", "--sizes", "4K", "--out", out, "--dir", dir));
	expect_usage_error("no strategy named can deliver", RUN("--strategy", "read,pread", "--sink", "unix,tcp", "--sizes", "4K", "--out", out, "--dir", dir));
	expect_usage_error("--sink: 'pipe' is not a sink", RUN("--sink", "pipe", "--sizes", "4K", "--out", out, "--dir", dir));
	expect_usage_error("--op read: write is a write strategy", RUN("--op", "read", "--strategy", "write", "--sizes", "4K", "--out", out, "--dir", dir));
	expect_usage_error("--op: 'sideways'", RUN("--op", "sideways", "--sizes", "4K", "--out", out, "--dir", dir));
	expect_usage_error("--msync: 'maybe'", RUN("--msync", "maybe", "--sizes", "4K", "--out", out, "--dir", dir));
	expect_usage_error("--pipe-size: '1'", RUN("--pipe-size", "1", "--sizes", "4K", "--out", out, "--dir", dir));
	expect_usage_error("explain: unknown strategy 'nope'", ((const char *const[]){ "explain", "nope", NULL }));
	expect_usage_error("--cache: 'lukewarm'", RUN("--cache", "lukewarm", "--sizes", "4K", "--out", out, "--dir", dir));
	expect_usage_error("unknown option '--bogus'", RUN("--bogus", "--sizes", "4K", "--out", out, "--dir", dir));
	expect_usage_error("--sizes needs a value", RUN("--out", out, "--dir", dir, "--sizes"));
	expect_usage_error("unexpected argument 'stray'", RUN("stray", "--out", out, "--dir", dir));
	expect_usage_error("unknown command 'frobnicate'", ((const char *const[]){ "frobnicate", NULL }));
	expect_usage_error("--dir /dev/null/sub cannot be created", RUN("--sizes", "4K", "--out", out, "--dir", "/dev/null/sub"));
	expect_usage_error("--dir /proc/sys cannot be written", RUN("--sizes", "4K", "--out", out, "--dir", "/proc/sys"));
	expect_usage_error("free; the data files need", RUN("--sizes", "8589934591G", "--out", out, "--dir", dir)); /* no room */
	expect_usage_error("--out /nonexistent/deeper/out cannot be created",
			   RUN("--sizes", "4K", "--out", "/nonexistent/deeper/out", "--dir", dir));

	/* An --out that exists is refused and left exactly as it was. */
	char keep[1100];
	snprintf(keep, sizeof(keep), "%s.keep", work);
	assert_int_equal(mkdir(keep, 0755), 0);
	snprintf(file, sizeof(file), "%s/precious", keep);
	FILE *f = fopen(file, "w");
	fputs("mine", f);
	fclose(f);
	expect_usage_error("already exists", RUN("--sizes", "4K", "--out", keep, "--dir", dir));
	char *text = slurp(file);
	assert_string_equal(text, "mine");
	free(text);
	unlink(file);
	rmdir(keep);

	/* A --dir that is a file. */
	snprintf(file, sizeof(file), "%s.file", work);
	fclose(fopen(file, "w"));
	expect_usage_error("is not a directory", RUN("--sizes", "4K", "--out", out, "--dir", file));
	unlink(file);
#undef RUN
}

static void help_and_list_tell_the_truth(void **state)
{
	(void)state;
	char out_file[PATH_MAX + 8];
	snprintf(out_file, sizeof(out_file), "%s.out", work);

	assert_int_equal(run_iopaths(work, out_file, NULL, (const char *const[]){ "run", "--help", NULL }), 0);
	char *help = slurp(out_file);
	for (const char *const *o = (const char *const[]){ "--strategy", "--sizes", "--block", "--reps", "--warmup",
							      "--cache", "--dir", "--out", "--keep", "--seed", "--drop-caches",
							      "--consume", "--min-sample-ms", "--pin", "--sink", "--op",
							      "--pipe-size", "--msync", "--fsync", "--explain", NULL };
	     *o; o++)
		if (!strstr(help, *o))
			fail_msg("run --help does not mention %s", *o);
	free(help);

	assert_int_equal(run_iopaths(work, out_file, NULL, (const char *const[]){ "list", NULL }), 0);
	char *list = slurp(out_file);
	for (size_t i = 0; i < strategy_count; i++) {
		assert_non_null(strstr(list, strategies[i]->name));
		char op[32]; /* the op column marks what runs only when named, as run --help says */
		snprintf(op, sizeof(op), "%-19s %s%s ", strategies[i]->name, op_names[strategies[i]->op],
			 strategies[i]->named_only ? "*" : "");
		if (!strstr(list, op))
			fail_msg("iopaths list does not say \"%s\"", op);
		for (size_t o = 0; o < option_count(strategies[i]); o++) /* and its options, with their help */
			assert_non_null(strstr(list, strategies[i]->options[o].help));
	}
	free(list);
	assert_int_equal(run_iopaths(work, out_file, NULL, (const char *const[]){ "--help", NULL }), 0);
	unlink(out_file);
	assert_int_equal(dir_entries(work), 0);
}

static void count_rows_where(const struct table *t, const char *col, const char *value, size_t *n)
{
	*n = 0;
	for (size_t r = 1; r < t->rows; r++)
		if (strcmp(table_get(t, r, col), value) == 0)
			(*n)++;
}

/* The acceptance run: five strategies, five sizes, three repetitions. */
static void a_run_writes_three_verified_files_and_cleans_up(void **state)
{
	(void)state;
	char out[PATH_MAX], dir[PATH_MAX], path[PATH_MAX + 32];
	struct table runs, summary, meta;
	size_t n;
	path_in(out, sizeof(out), "y");
	path_in(dir, sizeof(dir), "x");

	int rc = run_iopaths(work, NULL, NULL, (const char *const[]){ "run", "--strategy",
		"read,pread,mmap-shared,mmap-private,memcpy", "--sizes", "0,1,4097,1M,64M", "--reps", "3",
		"--dir", dir, "--out", out, NULL });
	assert_int_equal(rc, 0);
	assert_int_equal(dir_entries(dir), 0); /* data files removed */
	assert_int_equal(dir_entries(out), 3);

	snprintf(path, sizeof(path), "%s/runs.csv", out);
	assert_int_equal(table_read(&runs, path), 0);
	assert_int_equal(runs.rows - 1, 5 * 5 * 3);
	count_rows_where(&runs, "verified", "1", &n);
	assert_int_equal(n, 75);
	count_rows_where(&runs, "file_bytes", "4097", &n);
	assert_int_equal(n, 15);
	count_rows_where(&runs, "strategy", "mmap-private", &n);
	assert_int_equal(n, 15);
	for (size_t r = 1; r < runs.rows; r++) {
		assert_true(atoll(table_get(&runs, r, "wall_ns")) > 0);
		assert_string_equal(table_get(&runs, r, "sink"), "process");
		assert_string_equal(table_get(&runs, r, "cache"), "hot");
		assert_string_equal(table_get(&runs, r, "block_bytes"), "131072");
	}

	snprintf(path, sizeof(path), "%s/summary.csv", out);
	assert_int_equal(table_read(&summary, path), 0);
	assert_int_equal(summary.rows - 1, 25);
	count_rows_where(&summary, "n", "3", &n);
	assert_int_equal(n, 25);
	for (size_t r = 1; r < summary.rows; r++) {
		double lo = atof(table_get(&summary, r, "mibps_ci_lo")), hi = atof(table_get(&summary, r, "mibps_ci_hi"));
		double med = atof(table_get(&summary, r, "mibps_median"));
		assert_true(lo <= med && med <= hi);
	}

	snprintf(path, sizeof(path), "%s/meta.csv", out);
	assert_int_equal(table_read(&meta, path), 0);
	static const char *const keys[] = { "kernel_release", "cpu_model", "cores", "page_size", "thp_enabled",
		"fs_type", "fs_mount_options", "compiler", "git_revision", "date", "hostname", "command_line",
		"consumer_mibps", "memcpy_mibps", "status", "interrupted", NULL };
	for (const char *const *k = keys; *k; k++) {
		size_t found = 0;
		count_rows_where(&meta, "key", *k, &found);
		if (found != 1)
			fail_msg("meta.csv has %zu rows for %s", found, *k);
	}
	for (size_t r = 1; r < meta.rows; r++)
		if (strcmp(meta.cell[r][0], "status") == 0)
			assert_string_equal(meta.cell[r][1], "complete");
	table_free(&runs);
	table_free(&summary);
	table_free(&meta);
	tmpdir_remove(out);
	tmpdir_remove(dir);
}

static void keep_leaves_the_data_files(void **state)
{
	(void)state;
	char out[PATH_MAX], out2[PATH_MAX], dir[PATH_MAX];
	path_in(out, sizeof(out), "o1");
	path_in(out2, sizeof(out2), "o2");
	path_in(dir, sizeof(dir), "d");
	const char *args[] = { "run", "--strategy", "read", "--sizes", "1,4K", "--reps", "1", "--keep",
			       "--dir", dir, "--out", out, NULL };
	assert_int_equal(run_iopaths(work, NULL, NULL, args), 0);
	assert_int_equal(dir_entries(dir), 2);
	/* Again without --keep: the kept files are reused, and not this run's to remove. */
	assert_int_equal(run_iopaths(work, NULL, NULL, (const char *const[]){ "run", "--strategy", "read", "--sizes",
		"1,4K", "--reps", "1", "--dir", dir, "--out", out2, NULL }), 0);
	assert_int_equal(dir_entries(dir), 2);
	tmpdir_remove(dir);
	tmpdir_remove(out);
	tmpdir_remove(out2);
}

/* A signal mid-sweep: finished rows stay, a summary of them, meta says so, exit 130. */
static void interrupted_by(int sig)
{
	char out[PATH_MAX], dir[PATH_MAX], path[PATH_MAX + 32];
	path_in(out, sizeof(out), "int");
	path_in(dir, sizeof(dir), "intdata");
	snprintf(path, sizeof(path), "%s/runs.csv", out);

	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (freopen("/dev/null", "w", stdout) && freopen("/dev/null", "w", stderr))
			execl(iopaths_bin(), "iopaths", "run", "--strategy", "read,mmap-shared", "--sizes", "16M",
			      "--reps", "100000", "--warmup", "0", "--dir", dir, "--out", out, (char *)NULL);
		_exit(127);
	}
	/* Wait (at most 60 s) until at least two rows are on disk. */
	struct table t = { 0 };
	for (int tries = 0; tries < 600; tries++) {
		struct timespec ts = { 0, 100000000 };
		nanosleep(&ts, NULL);
		char *text = slurp(path);
		int lines = 0;
		for (char *p = text; p && *p; p++)
			lines += *p == '\n';
		free(text);
		if (lines >= 3)
			break;
	}
	assert_int_equal(kill(pid, sig), 0);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 130);
	assert_int_equal(dir_entries(dir), 0);

	assert_int_equal(table_read(&t, path), 0);
	size_t rows = t.rows - 1;
	assert_true(rows >= 2);
	table_free(&t);
	snprintf(path, sizeof(path), "%s/summary.csv", out);
	assert_int_equal(table_read(&t, path), 0);
	assert_int_equal(t.rows - 1, 2); /* both strategies had finished rows */
	size_t n = 0;
	for (size_t r = 1; r < t.rows; r++)
		n += (size_t)atoll(table_get(&t, r, "n"));
	assert_int_equal(n, rows);
	table_free(&t);
	snprintf(path, sizeof(path), "%s/meta.csv", out);
	char *meta = slurp(path);
	assert_non_null(strstr(meta, "\"interrupted\",\"1\""));
	assert_non_null(strstr(meta, "\"status\",\"interrupted\""));
	free(meta);
	tmpdir_remove(out);
	tmpdir_remove(dir);
}

static void interrupt_keeps_finished_rows(void **state)
{
	(void)state;
	interrupted_by(SIGINT);
	interrupted_by(SIGHUP); /* a closed terminal: the same clean stop */
}

/* A column for an option a strategy declares: `iopaths list` documents it. */
static int option_column(const char *name)
{
	for (size_t i = 0; i < strategy_count; i++)
		if (option_index(strategies[i], name) >= 0)
			return 1;
	return 0;
}

/* README documents every CSV column as a table row: | `name` | unit | meaning |,
 * but for strategies' options, which `iopaths list` documents. */
static void readme_documents_every_column(void **state)
{
	(void)state;
	char out[PATH_MAX], dir[PATH_MAX], path[PATH_MAX + 32], needle[128];
	char *readme = slurp("README.md");
	assert_non_null(readme);
	path_in(out, sizeof(out), "doc");
	path_in(dir, sizeof(dir), "docdata");
	assert_int_equal(run_iopaths(work, NULL, NULL, (const char *const[]){ "run", "--strategy", "read",
		"--sizes", "1", "--reps", "1", "--dir", dir, "--out", out, NULL }), 0);
	for (const char *const *f = (const char *const[]){ "runs.csv", "summary.csv", "meta.csv", NULL }; *f; f++) {
		struct table t;
		snprintf(path, sizeof(path), "%s/%s", out, *f);
		assert_int_equal(table_read(&t, path), 0);
		int is_meta = strcmp(*f, "meta.csv") == 0;
		size_t count = is_meta ? t.rows : t.cols;
		for (size_t i = is_meta ? 1 : 0; i < count; i++) {
			const char *name = is_meta ? t.cell[i][0] : t.cell[0][i];
			snprintf(needle, sizeof(needle), "| `%s` |", name);
			if (!strstr(readme, needle) && !(!is_meta && option_column(name)))
				fail_msg("README.md does not document %s column/key '%s'", *f, name);
		}
		table_free(&t);
	}
	free(readme);
	tmpdir_remove(out);
	tmpdir_remove(dir);
}

static void query_reads_one_column_through_libcsv(void **state)
{
	(void)state;
	char csv[1100], out_file[1100];
	struct csv_out w;
	snprintf(csv, sizeof(csv), "%s.csv", work);
	snprintf(out_file, sizeof(out_file), "%s.out", work);
	assert_int_equal(csv_out_open(&w, csv), 0);
	csv_out_header(&w, (const char *const[]){ "strategy", "cycles", "mibps", NULL });
	csv_out_str(&w, "read"); csv_out_na(&w); csv_out_str(&w, "12.5"); csv_out_end_row(&w);
	csv_out_str(&w, "a,\"b\""); csv_out_na(&w); csv_out_str(&w, "7"); csv_out_end_row(&w);
	assert_int_equal(csv_out_close(&w), 0);

	assert_int_equal(run_iopaths(work, out_file, NULL, (const char *const[]){ "query", csv, "mibps", "strategy=a,\"b\"", NULL }), 0);
	char *text = slurp(out_file);
	assert_string_equal(text, "7\n"); /* the NA column before it does not shift it */
	free(text);
	assert_int_equal(run_iopaths(work, out_file, NULL, (const char *const[]){ "query", csv, "mibps", NULL }), 0);
	text = slurp(out_file);
	assert_string_equal(text, "12.5\n7\n");
	free(text);
	assert_int_equal(run_iopaths(work, NULL, NULL, (const char *const[]){ "query", csv, "mibps", "strategy=none", NULL }), 1);
	assert_int_equal(run_iopaths(work, NULL, NULL, (const char *const[]){ "query", csv, "nosuch", NULL }), 2);
	assert_int_equal(run_iopaths(work, NULL, NULL, (const char *const[]){ "query", csv, "mibps", "nofilter", NULL }), 2);
	unlink(csv);
	unlink(out_file);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(bad_input_exits_2_and_creates_nothing, work_in_tmp, work_remove),
		cmocka_unit_test_setup_teardown(help_and_list_tell_the_truth, work_in_tmp, work_remove),
		cmocka_unit_test_setup_teardown(a_run_writes_three_verified_files_and_cleans_up, work_in_tmp, work_remove),
		cmocka_unit_test_setup_teardown(keep_leaves_the_data_files, work_in_tmp, work_remove),
		cmocka_unit_test_setup_teardown(interrupt_keeps_finished_rows, work_in_tmp, work_remove),
		cmocka_unit_test_setup_teardown(readme_documents_every_column, work_in_tmp, work_remove),
		cmocka_unit_test_setup_teardown(query_reads_one_column_through_libcsv, work_in_tmp, work_remove),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
