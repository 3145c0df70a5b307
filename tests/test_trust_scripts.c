/* Results folders are passed between machines and people: what one holds
 * must not run code under `make plots` or `make compare`, figures must not be
 * written through a planted symbolic link, and a broken run gets one line,
 * status 2 and no plots folder.  The hostile runs are built here, from the
 * checked-in fixtures, through libcsv. */
#include "helpers.h"

#include "csvio.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* Rewrites one cell: the value to write instead of cell, or NULL to keep it. */
typedef const char *(*rewrite_fn)(const struct table *t, size_t row, size_t col, void *arg);

/* src (a CSV) read through libcsv and written to dst through libcsv, with
 * rewrite applied to every cell below the header. */
static void copy_table(const char *src, const char *dst, rewrite_fn rewrite, void *arg)
{
	struct table t;
	struct csv_out w;
	assert_int_equal(table_read(&t, src), 0);
	assert_int_equal(csv_out_open(&w, dst), 0);
	for (size_t r = 0; r < t.rows; r++) {
		for (size_t c = 0; c < t.cols; c++) {
			const char *v = r > 0 && rewrite ? rewrite(&t, r, c, arg) : NULL;
			csv_out_str(&w, v ? v : t.cell[r][c]);
		}
		assert_int_equal(csv_out_end_row(&w), 0);
	}
	assert_int_equal(csv_out_close(&w), 0);
	table_free(&t);
}

/* Hostile values, each of which planted a file under the old scripts.  The
 * paths point into the test's folder; none holds a space. */
struct hostile {
	char label_quote[PATH_MAX + 64]; /* closes gnuplot's string, calls system() */
	char label_backquote[PATH_MAX + 64];
	char hostname[PATH_MAX + 64];
	char kernel[PATH_MAX + 64];
	char fs_type[PATH_MAX + 64];
};

static void hostile_make(struct hostile *h, const char *dir)
{
	memset(h, 0, sizeof(*h));
	snprintf(h->label_quote, sizeof(h->label_quote), "\";x=system(\"touch\\t%s/pwned-label\");b=\"", dir);
	snprintf(h->label_backquote, sizeof(h->label_backquote), "`touch${IFS}%s/pwned-backquote`@x%%s", dir);
	snprintf(h->hostname, sizeof(h->hostname), "host`touch${IFS}%s/pwned-host`", dir);
	snprintf(h->kernel, sizeof(h->kernel), "6.1\"$(touch${IFS}%s/pwned-kernel)\\", dir);
	snprintf(h->fs_type, sizeof(h->fs_type), "ext4`touch${IFS}%s/pwned-fs`", dir);
}

static const char *hostile_label(const struct table *t, size_t row, size_t col, void *arg)
{
	struct hostile *h = arg;
	if (strcmp(t->cell[0][col], "label") != 0)
		return NULL;
	const char *l = t->cell[row][col];
	return strcmp(l, "read") == 0	 ? h->label_quote
	       : strcmp(l, "pread") == 0 ? h->label_backquote
	       : strcmp(l, "memcpy") == 0 ? "* a label with spaces"
					  : NULL;
}

static const char *hostile_meta(const struct table *t, size_t row, size_t col, void *arg)
{
	struct hostile *h = arg;
	if (strcmp(t->cell[0][col], "value") != 0)
		return NULL;
	const char *key = table_get(t, row, "key");
	return strcmp(key, "hostname") == 0	  ? h->hostname
	       : strcmp(key, "kernel_release") == 0 ? h->kernel
	       : strcmp(key, "fs_type") == 0	  ? h->fs_type
	       : strcmp(key, "fs_mount_point") == 0 ? "/mnt/a b@x"
	       : strcmp(key, "date") == 0	  ? "2026-01-02 'today'"
						  : NULL;
}

/* A copy of the fixture run at dir/name, its tables rewritten. */
static void make_run(const char *dir, const char *name, const char *fixture, rewrite_fn summary, rewrite_fn meta,
		     void *arg)
{
	char run[PATH_MAX], src[PATH_MAX + 64], dst[PATH_MAX + 64];
	snprintf(run, sizeof(run), "%s/%s", dir, name);
	assert_int_equal(mkdir(run, 0755), 0);
	snprintf(src, sizeof(src), "%s/summary.csv", fixture);
	snprintf(dst, sizeof(dst), "%s/summary.csv", run);
	copy_table(src, dst, summary, arg);
	snprintf(src, sizeof(src), "%s/meta.csv", fixture);
	snprintf(dst, sizeof(dst), "%s/meta.csv", run);
	copy_table(src, dst, meta, arg);
	/* compare joins repetitions to summary rows by strategy, not by label */
	snprintf(src, sizeof(src), "%s/runs.csv", fixture);
	snprintf(dst, sizeof(dst), "%s/runs.csv", run);
	if (access(src, R_OK) == 0)
		copy_table(src, dst, NULL, arg);
}

/* No file named pwned* in dir or in the current folder. */
static void expect_nothing_planted(const char *dir)
{
	char cmd[PATH_MAX + 128];
	snprintf(cmd, sizeof(cmd), "ls -d %s/pwned* pwned* 2>/dev/null | grep -q .", dir);
	if (shell_status(cmd) == 0) {
		snprintf(cmd, sizeof(cmd), "ls -d %s/pwned* pwned* 2>/dev/null", dir);
		shell_status(cmd);
		fail_msg("a value from the results ran as code");
	}
}

static void expect_file_starts(const char *path, const char *head, size_t n)
{
	struct stat st;
	if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode))
		fail_msg("%s is not a regular file", path);
	char *s = slurp(path);
	assert_non_null(s);
	if (strncmp(s, head, n) != 0 && !(strcmp(head, "<svg") == 0 && strstr(s, "<svg")))
		fail_msg("%s does not start like %s", path, head);
	free(s);
}

/* Every figure of a folder of figure files (scripts/figures/...) drawn into out. */
static int expect_figures(const char *out, const char *folder)
{
	char path[PATH_MAX + 64];
	char **figs = figures_in(folder);
	int n = 0;
	for (char **fig = figs; *fig; fig++, n++) {
		snprintf(path, sizeof(path), "%s/%s.png", out, *fig);
		expect_file_starts(path, "\x89PNG", 4);
		snprintf(path, sizeof(path), "%s/%s.svg", out, *fig);
		expect_file_starts(path, "<svg", 4);
		snprintf(path, sizeof(path), "%s/%s.pdf", out, *fig);
		expect_file_starts(path, "%PDF-", 5);
	}
	figures_free(figs);
	return n;
}

static void plots_draw_hostile_labels_and_meta_as_text(void **state)
{
	(void)state;
	char dir[1024], cmd[4 * PATH_MAX], path[PATH_MAX + 64];
	struct hostile h;
	tmpdir_make(dir, sizeof(dir));
	hostile_make(&h, dir);
	make_run(dir, "run", "tests/fixtures/run", hostile_label, hostile_meta, &h);
	snprintf(cmd, sizeof(cmd), "IOPATHS=%s scripts/plots.sh %s/run %s/plots >%s/out 2>%s/err", iopaths_bin(), dir,
		 dir, dir, dir);
	int rc = shell_status(cmd);
	expect_nothing_planted(dir);
	snprintf(path, sizeof(path), "%s/err", dir);
	char *err = slurp(path);
	assert_non_null(err);
	if (rc != 0 || err[0])
		fail_msg("plots.sh: status %d, said: %s", rc, err);
	free(err);
	snprintf(path, sizeof(path), "%s/plots", dir);
	expect_figures(path, "scripts/figures");

	/* The figures show the real values: the labels in the key, the host,
	 * kernel, filesystem, mount point and date in the subtitle. */
	snprintf(path, sizeof(path), "%s/plots/throughput.svg", dir);
	char *svg = slurp(path);
	assert_non_null(svg);
	char subtitle[4 * PATH_MAX];
	snprintf(subtitle, sizeof(subtitle), "%s, kernel %s, %s on /mnt/a b@x, 2026-01-02 'today'", h.hostname,
		 h.kernel, h.fs_type);
	if (!strstr(svg, subtitle))
		fail_msg("the subtitle is not the run's meta values verbatim: %s", subtitle);
	assert_non_null(strstr(svg, "* a label with spaces"));
	assert_non_null(strstr(svg, h.label_backquote));
	free(svg);
	tmpdir_remove(dir);
}

static const char *hostile_compare_meta(const struct table *t, size_t row, size_t col, void *arg)
{
	struct hostile *h = arg;
	if (strcmp(t->cell[0][col], "value") != 0)
		return NULL;
	return strcmp(table_get(t, row, "key"), "fs_type") == 0 ? h->fs_type : NULL; /* in the run's name */
}

static void compare_draws_hostile_labels_and_run_names_as_text(void **state)
{
	(void)state;
	char dir[1024], cmd[4 * PATH_MAX], path[PATH_MAX + 64];
	struct hostile h;
	tmpdir_make(dir, sizeof(dir));
	hostile_make(&h, dir);
	make_run(dir, "a", "tests/fixtures/compare-a", hostile_label, NULL, &h);
	make_run(dir, "b", "tests/fixtures/compare-b", hostile_label, hostile_compare_meta, &h);
	snprintf(cmd, sizeof(cmd), "COMPARE_OUT=%s/cmp IOPATHS=%s scripts/compare.sh %s/a %s/b >%s/out 2>%s/err", dir,
		 iopaths_bin(), dir, dir, dir, dir);
	int rc = shell_status(cmd);
	expect_nothing_planted(dir);
	snprintf(path, sizeof(path), "%s/err", dir);
	char *err = slurp(path);
	assert_non_null(err);
	if (rc != 0 || strstr(err, "gnuplot said"))
		fail_msg("compare.sh: status %d, said: %s", rc, err);
	free(err);
	snprintf(path, sizeof(path), "%s/cmp", dir);
	expect_figures(path, "scripts/figures/compare");
	snprintf(path, sizeof(path), "%s/cmp/compare-ratio.svg", dir);
	char *svg = slurp(path);
	assert_non_null(svg);
	assert_non_null(strstr(svg, h.fs_type)); /* the run's name, as text */
	free(svg);
	tmpdir_remove(dir);
}

static void figures_replace_a_planted_symlink_and_refuse_a_symlinked_folder(void **state)
{
	(void)state;
	char dir[1024], cmd[4 * PATH_MAX], path[PATH_MAX + 64], target[PATH_MAX + 64];
	tmpdir_make(dir, sizeof(dir));
	snprintf(cmd, sizeof(cmd),
		 "cd %s && echo victim >victim && mkdir plots elsewhere && ln -s ../victim plots/throughput.png && "
		 "ln -s ../made-through-link plots/faults.svg && ln -s elsewhere linked", dir);
	assert_int_equal(shell_status(cmd), 0);

	snprintf(cmd, sizeof(cmd), "IOPATHS=%s scripts/plots.sh tests/fixtures/run %s/plots >/dev/null 2>%s/err",
		 iopaths_bin(), dir, dir);
	int rc = shell_status(cmd);
	snprintf(path, sizeof(path), "%s/victim", dir);
	char *victim = slurp(path);
	assert_non_null(victim);
	assert_string_equal(victim, "victim\n"); /* not written through the link */
	free(victim);
	snprintf(path, sizeof(path), "%s/made-through-link", dir);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(rc, 0);
	snprintf(path, sizeof(path), "%s/plots", dir);
	int figures = expect_figures(path, "scripts/figures"); /* regular files, the links replaced */
	assert_int_equal(dir_entries(path), 3 * figures + 1); /* and figures.csv; no render folder left */

	/* An output folder that is a symbolic link: refused, nothing written where it points. */
	snprintf(cmd, sizeof(cmd), "IOPATHS=%s scripts/plots.sh tests/fixtures/run %s/linked >/dev/null 2>%s/err",
		 iopaths_bin(), dir, dir);
	assert_int_equal(shell_status(cmd), 2);
	snprintf(target, sizeof(target), "%s/elsewhere", dir);
	assert_int_equal(dir_entries(target), 0);
	snprintf(path, sizeof(path), "%s/err", dir);
	char *err = slurp(path);
	assert_non_null(strstr(err, "iopaths: plots: "));
	assert_non_null(strstr(err, "symbolic link"));
	free(err);
	tmpdir_remove(dir);
}

/* The file holds min_lines to max_lines lines, each starting with "iopaths: ". */
static void expect_lines(const char *path, int min_lines, int max_lines)
{
	char *err = slurp(path);
	assert_non_null(err);
	int lines = 0;
	for (char *p = err; *p; lines++) {
		if (strncmp(p, "iopaths: ", 9) != 0)
			fail_msg("%s: a line that is not \"iopaths: ...\": %.200s", path, p);
		char *nl = strchr(p, '\n');
		p = nl ? nl + 1 : p + strlen(p);
	}
	if (lines < min_lines || lines > max_lines)
		fail_msg("%s: %d lines, not %d to %d:\n%.2000s", path, lines, min_lines, max_lines, err);
	free(err);
}

/* The header's "label" renamed: a table, but not one iopaths wrote. */
static void rename_label_column(const char *path)
{
	char old[PATH_MAX + 8];
	struct table t;
	struct csv_out w;
	snprintf(old, sizeof(old), "%s.old", path);
	assert_int_equal(rename(path, old), 0);
	assert_int_equal(table_read(&t, old), 0);
	int label = table_col(&t, "label");
	assert_true(label >= 0);
	free(t.cell[0][label]);
	t.cell[0][label] = strdup("labels");
	assert_int_equal(csv_out_open(&w, path), 0);
	for (size_t r = 0; r < t.rows; r++) {
		for (size_t c = 0; c < t.cols; c++)
			csv_out_str(&w, t.cell[r][c]);
		assert_int_equal(csv_out_end_row(&w), 0);
	}
	assert_int_equal(csv_out_close(&w), 0);
	table_free(&t);
	assert_int_equal(unlink(old), 0);
}

static void broken_run_gives_one_line_status_2_and_no_plots_folder(void **state)
{
	(void)state;
	char dir[1024], cmd[4 * PATH_MAX], path[PATH_MAX + 64], run[PATH_MAX + 64];
	struct csv_out w;
	tmpdir_make(dir, sizeof(dir));

	make_run(dir, "empty", "tests/fixtures/run", NULL, NULL, NULL);
	snprintf(path, sizeof(path), "%s/empty/summary.csv", dir);
	assert_int_equal(truncate(path, 0), 0);

	make_run(dir, "header-only", "tests/fixtures/run", NULL, NULL, NULL);
	snprintf(path, sizeof(path), "%s/header-only/summary.csv", dir);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(csv_out_open(&w, path), 0);
	csv_out_header(&w, (const char *const[]){ "strategy", "sink", "cache", "file_bytes", "label", NULL });
	assert_int_equal(csv_out_close(&w), 0);

	make_run(dir, "wrong-header", "tests/fixtures/run", NULL, NULL, NULL);
	snprintf(path, sizeof(path), "%s/wrong-header/summary.csv", dir);
	rename_label_column(path);

	make_run(dir, "no-meta", "tests/fixtures/run", NULL, NULL, NULL);
	snprintf(path, sizeof(path), "%s/no-meta/meta.csv", dir);
	assert_int_equal(unlink(path), 0);

	for (const char *const *name = (const char *const[]){ "empty", "header-only", "wrong-header", "no-meta", NULL };
	     *name; name++) {
		snprintf(cmd, sizeof(cmd), "IOPATHS=%s scripts/plots.sh %s/%s %s/plots-%s >/dev/null 2>%s/err",
			 iopaths_bin(), dir, *name, dir, *name, dir);
		int rc = shell_status(cmd);
		if (rc != 2)
			fail_msg("plots.sh on a run with %s: status %d, not 2", *name, rc);
		snprintf(path, sizeof(path), "%s/err", dir);
		expect_lines(path, 1, 1);
		snprintf(path, sizeof(path), "%s/plots-%s", dir, *name);
		if (access(path, F_OK) == 0)
			fail_msg("plots.sh on a run with %s left %s", *name, path);
	}

	/* `make plots RUN=` goes through plots-run.sh into plots/<id>: none left. */
	snprintf(run, sizeof(run), "%s/trust-%ld", dir, (long)getpid());
	snprintf(cmd, sizeof(cmd), "cp -r %s/header-only %s && IOPATHS=%s scripts/plots-run.sh %s >/dev/null 2>%s/err",
		 dir, run, iopaths_bin(), run, dir);
	assert_int_equal(shell_status(cmd), 2);
	snprintf(path, sizeof(path), "%s/err", dir);
	expect_lines(path, 1, 1);
	snprintf(path, sizeof(path), "plots/trust-%ld", (long)getpid());
	if (access(path, F_OK) == 0) {
		snprintf(cmd, sizeof(cmd), "rm -rf %s", path);
		shell_status(cmd);
		fail_msg("plots-run.sh left an empty plots folder behind");
	}

	/* compare.sh when the comparison has nothing to compare: status 2, one
	 * line of its own (iopaths compare may say one of its own first), and
	 * no compare folder. */
	make_run(dir, "compare-empty", "tests/fixtures/compare-b", NULL, NULL, NULL);
	snprintf(path, sizeof(path), "%s/compare-empty/summary.csv", dir);
	assert_int_equal(truncate(path, 0), 0);
	make_run(dir, "compare-wrong", "tests/fixtures/compare-b", NULL, NULL, NULL);
	snprintf(path, sizeof(path), "%s/compare-wrong/summary.csv", dir);
	rename_label_column(path);
	for (const char *const *name = (const char *const[]){ "compare-empty", "compare-wrong", NULL }; *name; name++) {
		/* Leak checks off: compare's own error-path leaks are another test's
		 * (they turn its 2 into 1 under ASan); this one is about the script. */
		snprintf(cmd, sizeof(cmd), "ASAN_OPTIONS=detect_leaks=0 COMPARE_OUT=%s/cmp-%s IOPATHS=%s scripts/compare.sh tests/fixtures/compare-a "
			 "%s/%s >/dev/null 2>%s/err", dir, *name, iopaths_bin(), dir, *name, dir);
		int rc = shell_status(cmd);
		if (rc != 2)
			fail_msg("compare.sh with %s: status %d, not 2", *name, rc);
		snprintf(path, sizeof(path), "%s/err", dir);
		expect_lines(path, 1, 2);
		snprintf(path, sizeof(path), "%s/cmp-%s", dir, *name);
		if (access(path, F_OK) == 0)
			fail_msg("compare.sh with %s left %s", *name, path);
	}
	tmpdir_remove(dir);
}

/* A run folder named like an option ("--help") is a folder: plots.sh draws
 * it and iopaths caption reads it, rather than printing their usage into
 * the captions. */
static void a_run_named_like_an_option_is_a_folder(void **state)
{
	(void)state;
	char dir[1024], cmd[4 * PATH_MAX], here[PATH_MAX], bin[PATH_MAX];
	tmpdir_make(dir, sizeof(dir));
	assert_non_null(getcwd(here, sizeof(here)));
	assert_non_null(realpath(iopaths_bin(), bin));
	snprintf(cmd, sizeof(cmd),
		 "cd %s && mkdir -- --help && cp %s/tests/fixtures/caption-read-wins/*.csv ./--help/ && "
		 "IOPATHS=%s %s/scripts/plots.sh --help plots >out 2>err",
		 dir, here, bin, here);
	int rc = shell_status(cmd);
	char *err = slurp_at(dir, "err");
	if (rc != 0 || err[0])
		fail_msg("plots.sh on a run named --help: status %d, said: %s", rc, err);
	free(err);
	char path[2 * PATH_MAX];
	struct table t;
	snprintf(path, sizeof(path), "%s/plots/figures.csv", dir);
	assert_int_equal(table_read(&t, path), 0);
	int captioned = 0;
	for (size_t r = 1; r < t.rows; r++) {
		const char *caption = table_get(&t, r, "caption");
		assert_null(strstr(caption, "usage:"));
		captioned += strncmp(caption, "Measured: ", 10) == 0;
	}
	assert_true(captioned > 0);
	table_free(&t);
	tmpdir_remove(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plots_draw_hostile_labels_and_meta_as_text),
		cmocka_unit_test(a_run_named_like_an_option_is_a_folder),
		cmocka_unit_test(compare_draws_hostile_labels_and_run_names_as_text),
		cmocka_unit_test(figures_replace_a_planted_symlink_and_refuse_a_symlinked_folder),
		cmocka_unit_test(broken_run_gives_one_line_status_2_and_no_plots_folder),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
