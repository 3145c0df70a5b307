/* iopaths compare on checked-in runs whose answers were worked out by hand
 * (tests/fixtures/verdict-a against verdict-b, 5 samples a side unless said):
 *   faster    run 110..114 against 100..104: every pair higher, p = 2/252
 *   slower    run 90..94: every pair lower
 *   same      run 100.5..104.5: interleaved
 *   wide      run up by ~1.5% but overlapping (U = 18): the interval straddles 0
 *   bh        U = 23, p = 2 * 4/252 = 0.032 < 0.05, but q = 0.032 * 6/3 = 0.063:
 *             same after Benjamini-Hochberg over the table's 6 tests
 *   twoeight  2 against 8, apart: p = 2/45 = 0.044, enough for a test
 *   twoseven  2 against 7, apart: p could be no lower than 2/36 = 0.056: too few
 *   threes    3 against 3, apart: no lower than 2/20 = 0.1: too few
 *   onlybase, onlyrun: one side only.
 * And the bad inputs: one line, status 2, nothing written. */
#include "helpers.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

/* The run-B row (not the base's) of a label in compare.csv. */
static size_t row_of(const struct table *t, const char *label)
{
	for (size_t r = 1; r < t->rows; r++)
		if (strcmp(table_get(t, r, "label"), label) == 0 && strcmp(table_get(t, r, "verdict"), "base") != 0)
			return r;
	fail_msg("compare.csv has no compared row for %s", label);
	return 0;
}

static const char *get(const struct table *t, const char *label, const char *col)
{
	return table_get(t, row_of(t, label), col);
}

static double num(const struct table *t, const char *label, const char *col)
{
	const char *s = get(t, label, col);
	return *s ? strtod(s, NULL) : NAN;
}

static int compare_fixtures(const char *dir, const char *a, const char *b, struct table *t, char **text)
{
	char out[PATH_MAX], txt[PATH_MAX + 16], err[PATH_MAX + 16], csv[PATH_MAX + 32];
	snprintf(out, sizeof(out), "%s/cmp", dir);
	snprintf(txt, sizeof(txt), "%s/table", dir);
	snprintf(err, sizeof(err), "%s/err", dir);
	int rc = run_iopaths(NULL, txt, err, (const char *const[]){ "compare", out, a, b, NULL });
	snprintf(csv, sizeof(csv), "%s/compare.csv", out);
	if (rc == 0)
		assert_int_equal(table_read(t, csv), 0);
	*text = slurp(txt);
	return rc;
}

static void verdicts_from_the_rank_test(void **state)
{
	(void)state;
	char dir[1024];
	struct table t;
	char *text;
	tmpdir_make(dir, sizeof(dir));
	assert_int_equal(compare_fixtures(dir, "tests/fixtures/verdict-a", "tests/fixtures/verdict-b", &t, &text), 0);

	/* The side: a run that is higher is faster, lower is slower. */
	assert_string_equal(get(&t, "faster", "verdict"), "faster");
	assert_string_equal(get(&t, "slower", "verdict"), "slower");
	assert_string_equal(get(&t, "same", "verdict"), "same");
	/* The bound: the estimate is up, but the interval's lower bound is below 0 and p = 0.31. */
	assert_string_equal(get(&t, "wide", "verdict"), "same");
	assert_true(num(&t, "wide", "change_pct") > 0);
	assert_float_equal(num(&t, "wide", "change_ci_lo_pct"), -1.470588, 1e-4);
	assert_float_equal(num(&t, "wide", "change_ci_hi_pct"), 4.455446, 1e-4);
	assert_float_equal(num(&t, "wide", "p_value"), 2 * 39.0 / 252, 1e-6);
	/* The correction: p below 0.05 alone is not a verdict. */
	assert_float_equal(num(&t, "bh", "p_value"), 8.0 / 252, 1e-6);
	assert_float_equal(num(&t, "bh", "q_value"), 8.0 / 252 * 6 / 3, 1e-6);
	assert_string_equal(get(&t, "bh", "verdict"), "same");
	assert_float_equal(num(&t, "faster", "q_value"), 2.0 / 252 * 6 / 2, 1e-6);
	/* Enough samples, or not. */
	assert_float_equal(num(&t, "twoeight", "p_value"), 2.0 / 45, 1e-6);
	assert_string_equal(get(&t, "twoeight", "verdict"), "same");
	assert_string_equal(get(&t, "twoseven", "verdict"), "too few samples");
	assert_string_equal(get(&t, "threes", "verdict"), "too few samples");
	assert_string_equal(get(&t, "threes", "p_value"), "");
	assert_string_equal(get(&t, "threes", "mde_pct"), "");
	assert_string_equal(get(&t, "onlyrun", "verdict"), "no base");

	/* The change of "faster": Hodges-Lehmann, the 13th of 25 pairwise log
	 * ratios, and the interval from the 3rd to the 23rd (coverage 1 - 8/252). */
	assert_float_equal(num(&t, "faster", "change_pct"), 9.803922, 1e-4);
	assert_float_equal(num(&t, "faster", "change_ci_lo_pct"), 6.796117, 1e-4);
	assert_float_equal(num(&t, "faster", "change_ci_hi_pct"), 12.871287, 1e-4);
	assert_float_equal(num(&t, "faster", "change_ci_coverage"), 1 - 8.0 / 252, 1e-5);
	assert_float_equal(num(&t, "slower", "change_ci_hi_pct") < 0, 1, 0);
	/* Hmean, not the arithmetic mean (102): 5 / sum(1/x). */
	assert_float_equal(num(&t, "faster", "base_mibps_hmean"), 101.980390, 1e-3);
	assert_float_equal(num(&t, "faster", "mibps_hmean"), 111.982141, 1e-3);
	assert_float_equal(num(&t, "faster", "mibps_min"), 110, 1e-9);
	assert_float_equal(num(&t, "faster", "mibps_max"), 114, 1e-9);
	assert_string_equal(get(&t, "faster", "n"), "5");
	assert_string_equal(get(&t, "twoeight", "base_n"), "2");
	assert_true(num(&t, "faster", "mde_pct") > 0 && num(&t, "faster", "mde_pct") < 10);
	assert_string_equal(get(&t, "faster", "test"), "mann-whitney-exact");
	/* The columns scripts/compare.sh reads keep their meaning. */
	assert_float_equal(num(&t, "faster", "ratio"), 112.0 / 102, 1e-5);
	assert_float_equal(num(&t, "faster", "mibps_median"), 112, 1e-9);
	assert_string_equal(get(&t, "faster", "group_cells"), "1");
	/* No pressure.csv: every row is a MiB/s cell, as before the metric column. */
	for (size_t r = 1; r < t.rows; r++)
		assert_string_equal(table_get(&t, r, "metric"), "mibps");
	/* The README's compare.csv section names every column. */
	char *readme = slurp("README.md"), needle[128];
	assert_non_null(readme);
	const char *section = strstr(readme, "### compare.csv");
	assert_non_null(section);
	for (size_t c = 0; c < t.cols; c++) {
		snprintf(needle, sizeof(needle), "`%s`", t.cell[0][c]);
		if (!strstr(section, needle))
			fail_msg("README.md does not document compare.csv column '%s'", t.cell[0][c]);
	}
	free(readme);
	table_free(&t);

	/* The text: marks as compare-kernels prints them, and the tally. */
	assert_non_null(text);
	assert_non_null(strstr(text, "111.98 *+9.81%*"));
	assert_non_null(strstr(text, "103.27 (+1.27%)")); /* "wide": no stars */
	assert_non_null(strstr(text, "1 faster, 1 slower, 4 no difference, 2 too few samples, 1 with no base"));
	assert_non_null(strstr(text, "tested 6 cells"));
	assert_non_null(strstr(text, "about 0.3 such cells"));
	free(text);
	char path[PATH_MAX + 32];
	snprintf(path, sizeof(path), "%s/cmp/index.html", dir);
	char *html = slurp(path);
	assert_non_null(html);
	assert_non_null(strstr(html, "<td class=\"faster\">faster</td>"));
	assert_non_null(strstr(html, "too few samples"));
	free(html);
	tmpdir_remove(dir);
}

/* The row of run R (1 the base) for this label and metric. */
static size_t metric_row(const struct table *t, const char *run, const char *label, const char *metric)
{
	for (size_t r = 1; r < t->rows; r++)
		if (strncmp(table_get(t, r, "run"), run, strlen(run)) == 0 &&
		    strcmp(table_get(t, r, "label"), label) == 0 && strcmp(table_get(t, r, "metric"), metric) == 0)
			return r;
	fail_msg("compare.csv has no row of %s for %s %s", run, label, metric);
	return 0;
}

static const char *mget(const struct table *t, const char *label, const char *metric, const char *col)
{
	return table_get(t, metric_row(t, "R2:", label, metric), col);
}

static double mnum(const struct table *t, const char *label, const char *metric, const char *col)
{
	const char *s = mget(t, label, metric, col);
	return *s ? strtod(s, NULL) : NAN;
}

/* cmocka's assert_float_equal passes a NaN: an empty cell must fail. */
#define NEAR(x, v, eps) assert_true(fabs((x) - (v)) < (eps))
#define MMAP "mmap-shared[pattern=random,threads=8]"
#define PREAD "pread[pattern=random,threads=8]"

/* tests/fixtures/pressure-cmp-a and -b: make bench-pressure's layout (a top
 * folder without summary.csv, a sub-folder with one and a pressure.csv of 2
 * rows).  Each pressure.csv number is a row of one value a run: its value, the
 * base's, the ratio, and never a verdict of faster or slower. */
static void pressure_rows_are_compared(void **state)
{
	(void)state;
	char dir[1024];
	struct table t;
	char *text;
	static const char *const metrics[] = { "mibps_before", "mibps_after", "cliff_s", "depth",
					       "amp_before", "amp_after", "tlb_per_s_after" };
	tmpdir_make(dir, sizeof(dir));
	assert_int_equal(compare_fixtures(dir, "tests/fixtures/pressure-cmp-a", "tests/fixtures/pressure-cmp-b", &t,
					  &text), 0);
	/* Per run: the summary's cell, and 7 metrics of each of 2 rows; none twice. */
	assert_int_equal(t.rows - 1, 2 * (1 + 2 * 7));
	for (size_t m = 0; m < 7; m++) {
		assert_string_equal(mget(&t, MMAP, metrics[m], "verdict"), "too few samples");
		assert_string_equal(mget(&t, PREAD, metrics[m], "verdict"), "too few samples");
		assert_string_equal(table_get(&t, metric_row(&t, "R1:", MMAP, metrics[m]), "verdict"), "base");
	}
	/* The MiB/s cell of summary.csv as before. */
	NEAR(mnum(&t, MMAP, "mibps", "ratio"), 6.0 / 5, 1e-9);
	assert_string_equal(mget(&t, MMAP, "mibps", "group_cells"), "1");
	/* The values, the base's, the ratio B/A and the change. */
	NEAR(mnum(&t, MMAP, "mibps_after", "mibps_median"), 100, 1e-9);
	NEAR(mnum(&t, MMAP, "mibps_after", "base_mibps_median"), 50, 1e-9);
	NEAR(mnum(&t, MMAP, "mibps_after", "ratio"), 2, 1e-9);
	NEAR(mnum(&t, MMAP, "mibps_after", "hmean_change_pct"), 100, 1e-9);
	assert_string_equal(mget(&t, MMAP, "mibps_after", "n"), "1");
	NEAR(mnum(&t, MMAP, "mibps_before", "ratio"), 1, 1e-9);
	NEAR(mnum(&t, MMAP, "cliff_s", "ratio"), 2, 1e-9);
	NEAR(mnum(&t, MMAP, "depth", "mibps_median"), -0.5, 1e-9);
	NEAR(mnum(&t, MMAP, "depth", "ratio"), 0.5 / 0.75, 1e-5); /* a shallower drop */
	NEAR(mnum(&t, MMAP, "amp_after", "ratio"), 0.5, 1e-9);
	NEAR(mnum(&t, MMAP, "tlb_per_s_after", "ratio"), 0.5, 1e-9);
	NEAR(mnum(&t, MMAP, "amp_before", "ratio"), 1, 1e-9);
	NEAR(mnum(&t, PREAD, "mibps_after", "ratio"), 1, 1e-9);
	/* No test, so no p, q or group mean. */
	assert_string_equal(mget(&t, MMAP, "cliff_s", "p_value"), "");
	assert_string_equal(mget(&t, MMAP, "cliff_s", "group_gmean_ratio"), "");
	/* An empty value (no cliff, no interval before it) is no sample and no ratio. */
	assert_string_equal(mget(&t, PREAD, "cliff_s", "n"), "0");
	assert_string_equal(mget(&t, PREAD, "cliff_s", "base_mibps_median"), "");
	assert_string_equal(mget(&t, PREAD, "cliff_s", "ratio"), "");
	assert_string_equal(mget(&t, PREAD, "mibps_before", "n"), "0");
	NEAR(mnum(&t, PREAD, "mibps_before", "base_mibps_median"), 100, 1e-9);
	assert_string_equal(mget(&t, PREAD, "mibps_before", "ratio"), "");
	table_free(&t);
	assert_non_null(text);
	assert_non_null(strstr(text, MMAP "  cliff_s  512M  (pressure.csv, limit 128M"));
	assert_non_null(strstr(text, "0 faster, 0 slower, 0 no difference, 15 too few samples."));
	free(text);

	/* The sub-folder itself is a run folder too, with the same rows. */
	char sub[PATH_MAX];
	snprintf(sub, sizeof(sub), "%s/sub", dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	assert_int_equal(compare_fixtures(sub, "tests/fixtures/pressure-cmp-a/p8", "tests/fixtures/pressure-cmp-b/p8", &t,
					  &text), 0);
	assert_int_equal(t.rows - 1, 2 * (1 + 2 * 7));
	NEAR(mnum(&t, MMAP, "cliff_s", "ratio"), 2, 1e-9);
	table_free(&t);
	free(text);
	tmpdir_remove(dir);
}

/* Labels and folder names reach the page as text, never as markup. */
static void page_escapes_every_value(void **state)
{
	(void)state;
	char dir[1024], cmd[4 * PATH_MAX], path[PATH_MAX + 32];
	struct table t;
	char *text;
	tmpdir_make(dir, sizeof(dir));
	snprintf(cmd, sizeof(cmd), "for s in a b; do cp -r tests/fixtures/verdict-$s '%s/<b>x&y'$s && "
		 "sed -i 's/\"faster\"$/\"<script>alert(1)<\\/script>\"/' '%s/<b>x&y'$s/summary.csv; done", dir, dir);
	assert_int_equal(shell_status(cmd), 0);
	char a[PATH_MAX], b[PATH_MAX];
	snprintf(a, sizeof(a), "%s/<b>x&ya", dir);
	snprintf(b, sizeof(b), "%s/<b>x&yb", dir);
	assert_int_equal(compare_fixtures(dir, a, b, &t, &text), 0);
	assert_string_equal(get(&t, "<script>alert(1)</script>", "verdict"), "faster");
	table_free(&t);
	free(text);
	snprintf(path, sizeof(path), "%s/cmp/index.html", dir);
	char *html = slurp(path);
	assert_non_null(html);
	assert_null(strstr(html, "<script>"));
	assert_null(strstr(html, "<b>x"));
	assert_non_null(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_non_null(strstr(html, "&lt;b&gt;x&amp;ya"));
	free(html);
	tmpdir_remove(dir);
}

/* One bad run folder: status 2, one line naming the problem, and no OUT. */
static void refused(const char *dir, const char *what, const char *expect)
{
	char out[PATH_MAX], err[PATH_MAX + 16], run[PATH_MAX];
	struct stat st;
	snprintf(out, sizeof(out), "%s/out-%s", dir, what);
	snprintf(err, sizeof(err), "%s/err", dir);
	snprintf(run, sizeof(run), "%s/%s", dir, what);
	int rc = run_iopaths(NULL, NULL, err, (const char *const[]){ "compare", out, "tests/fixtures/verdict-a", run, NULL });
	char *msg = slurp(err);
	assert_non_null(msg);
	if (rc != 2 || !strstr(msg, expect) || strncmp(msg, "iopaths: compare: ", 18) != 0 ||
	    strchr(msg, '\n') != msg + strlen(msg) - 1)
		fail_msg("%s: status %d, said \"%s\"; wanted 2 and one line with \"%s\"", what, rc, msg, expect);
	free(msg);
	assert_int_equal(stat(out, &st), -1); /* nothing written */
}

static void bad_runs_are_refused_with_one_line(void **state)
{
	(void)state;
	char dir[1024], cmd[4 * PATH_MAX];
	tmpdir_make(dir, sizeof(dir));
	snprintf(cmd, sizeof(cmd),
		 "cd %s && for d in empty-summary empty-runs header-runs no-runs no-mibps header-summary no-median; do "
		 "cp -r $OLDPWD/tests/fixtures/verdict-b $d; done && : >empty-summary/summary.csv && "
		 ": >empty-runs/runs.csv && head -n 1 header-runs/runs.csv >h && "
		 "mv h header-runs/runs.csv && rm no-runs/runs.csv && sed -i 's/\"mibps\"/\"x\"/' no-mibps/runs.csv && "
		 "head -n 1 header-summary/summary.csv >h && mv h header-summary/summary.csv && "
		 "sed -i '1s/\"mibps_median\"/\"x\"/' no-median/summary.csv && "
		 "cp -r $OLDPWD/tests/fixtures/pressure-cmp-b/p8 no-cliff && sed -i '1s/\"cliff_s\"/\"x\"/' no-cliff/pressure.csv && "
		 "cp -r $OLDPWD/tests/fixtures/pressure-cmp-b/p8 bad-depth && sed -i '2s/\"-0.5\"/\"deep\"/' bad-depth/pressure.csv && "
		 "mkdir no-sub && cp no-cliff/meta.csv no-sub/", dir);
	assert_int_equal(shell_status(cmd), 0);
	refused(dir, "empty-summary", "summary.csv is empty");
	refused(dir, "header-summary", "summary.csv has a header and no rows");
	refused(dir, "empty-runs", "runs.csv is empty");
	refused(dir, "header-runs", "runs.csv has a header and no rows");
	refused(dir, "no-runs", "runs.csv");
	refused(dir, "no-mibps", "runs.csv has no column mibps");
	/* Under ASan this one exited 1, not 2: the rows read so far leaked. */
	refused(dir, "no-median", "summary.csv has no column mibps_median");
	refused(dir, "no-cliff", "pressure.csv has no column cliff_s");
	refused(dir, "bad-depth", "pressure.csv: depth is not a number: deep");
	refused(dir, "no-sub", "no sub-folder of");
	tmpdir_remove(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(verdicts_from_the_rank_test),
		cmocka_unit_test(pressure_rows_are_compared),
		cmocka_unit_test(page_escapes_every_value),
		cmocka_unit_test(bad_runs_are_refused_with_one_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
