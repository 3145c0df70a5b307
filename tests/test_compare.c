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
 * As they are (no worker column): one worker a side, so no verdict.  With a
 * worker column added (repetition r by worker r + 1), the test across workers.
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

static int compare_args(const char *dir, const char *const *extra, const char *a, const char *b, struct table *t,
			char **text)
{
	char out[PATH_MAX], txt[PATH_MAX + 16], err[PATH_MAX + 16], csv[PATH_MAX + 32];
	const char *args[12] = { "compare" };
	size_t n = 1;
	snprintf(out, sizeof(out), "%s/cmp", dir);
	snprintf(txt, sizeof(txt), "%s/table", dir);
	snprintf(err, sizeof(err), "%s/err", dir);
	for (; extra && *extra && n < 8; extra++)
		args[n++] = *extra;
	args[n++] = out;
	args[n++] = a;
	args[n++] = b;
	args[n] = NULL;
	int rc = run_iopaths(NULL, txt, err, args);
	snprintf(csv, sizeof(csv), "%s/compare.csv", out);
	if (rc == 0)
		assert_int_equal(table_read(t, csv), 0);
	*text = slurp(txt);
	return rc;
}

static int compare_fixtures(const char *dir, const char *a, const char *b, struct table *t, char **text)
{
	return compare_args(dir, NULL, a, b, t, text);
}

/* verdict-a and -b with a worker column: repetition r made by worker r + 1,
 * so each cell has one value per worker (5 workers a side, or as many as it
 * has repetitions), and the hand-made shifts become shifts across workers.
 * abba: both meta say worker_order=abba:..., a paired sitting. */
static void workers_fixture(const char *dir, int abba)
{
	char cmd[4 * PATH_MAX];
	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && for s in a b; do rm -rf w$s && cp -r $OLDPWD/tests/fixtures/verdict-$s w$s && "
		 "awk -F, 'NR == 1 { print $0 \",\\\"worker\\\"\"; next } { r = $6; gsub(/\"/, \"\", r); print $0 \",\" r + 1 }' "
		 "$OLDPWD/tests/fixtures/verdict-$s/runs.csv >w$s/runs.csv && "
		 "{ [ %d = 0 ] || echo '\"worker_order\",\"abba:'$s':1 2 3 4 5\"' >>w$s/meta.csv; }; done", dir, abba);
	assert_int_equal(shell_status(cmd), 0);
}

/* The workers fixture in dir, its two folders' paths in a and b. */
static void workers_pair(const char *dir, int abba, char *a, char *b)
{
	workers_fixture(dir, abba);
	snprintf(a, PATH_MAX, "%s/wa", dir);
	snprintf(b, PATH_MAX, "%s/wb", dir);
}

/* Every folder made before workers (no worker column): no verdict, said in
 * one line, never a wrong one; values and changes still shown. */
static void one_worker_folders_get_no_verdict(void **state)
{
	(void)state;
	char dir[1024];
	struct table t;
	char *text;
	tmpdir_make(dir, sizeof(dir));
	assert_int_equal(compare_fixtures(dir, "tests/fixtures/verdict-a", "tests/fixtures/verdict-b", &t, &text), 0);
	static const char *const cells[] = { "faster", "slower", "same", "wide", "bh", "twoeight", "threes" };
	for (size_t c = 0; c < sizeof(cells) / sizeof(cells[0]); c++) {
		assert_string_equal(get(&t, cells[c], "verdict"), "no verdict");
		assert_string_equal(get(&t, cells[c], "workers_base"), "1");
		assert_string_equal(get(&t, cells[c], "p_value"), "");
	}
	assert_string_equal(get(&t, "onlyrun", "verdict"), "no base");
	/* The per-repetition change is still shown: Hodges-Lehmann, the 13th of 25 log ratios. */
	assert_float_equal(num(&t, "faster", "change_pct"), 9.803922, 1e-4);
	assert_float_equal(num(&t, "faster", "change_ci_lo_pct"), 6.796117, 1e-4);
	assert_float_equal(num(&t, "faster", "base_mibps_hmean"), 101.980390, 1e-3);
	assert_float_equal(num(&t, "faster", "ratio"), 112.0 / 102, 1e-5);
	assert_float_equal(num(&t, "faster", "noise_pct"), 2, 1e-9);
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
	assert_non_null(text);
	assert_non_null(strstr(text, "0 faster, 0 slower, 0 same within +-2.0%, 0 cannot tell, 8 no verdict"));
	const char *line = strstr(text, "No verdict for 8 cells: a side has one worker");
	assert_non_null(line);
	assert_null(strstr(line + 1, "No verdict for")); /* said once */
	assert_non_null(strstr(text, "111.98 (+9.81%)")); /* no stars without a verdict */
	free(text);
	tmpdir_remove(dir);
}

static void verdicts_across_workers(void **state)
{
	(void)state;
	char dir[1024], a[PATH_MAX], b[PATH_MAX];
	struct table t;
	char *text;
	tmpdir_make(dir, sizeof(dir));
	workers_pair(dir, 0, a, b);
	assert_int_equal(compare_fixtures(dir, a, b, &t, &text), 0);
	/* faster: 110..114 against 100..104, one repetition a worker: Welch's t on the logs. */
	assert_string_equal(get(&t, "faster", "verdict"), "faster");
	assert_string_equal(get(&t, "slower", "verdict"), "slower");
	assert_string_equal(get(&t, "faster", "workers_base"), "5");
	assert_string_equal(get(&t, "faster", "workers_run"), "5");
	assert_string_equal(get(&t, "faster", "test"), "welch-t-workers");
	double est = 0;
	for (int i = 0; i < 5; i++)
		est += (log(110 + i) - log(100 + i)) / 5;
	assert_float_equal(num(&t, "faster", "worker_change_pct"), 100 * expm1(est), 1e-4);
	assert_true(num(&t, "faster", "ci_lo_pct") > 2 && num(&t, "faster", "ci_hi_pct") < 20);
	assert_true(num(&t, "faster", "ci_lo_pct") < 100 * expm1(est) && 100 * expm1(est) < num(&t, "faster", "ci_hi_pct"));
	/* same (interleaved, +0.5%): the interval crosses +-2%: cannot tell, with the detectable change. */
	assert_string_equal(get(&t, "same", "verdict"), "cannot tell");
	assert_true(num(&t, "same", "mde_pct") > 2);
	/* bh: significant (q <= 0.05) but the interval's low end is inside +2%: no verdict of a change. */
	assert_true(num(&t, "bh", "q_value") <= 0.05);
	assert_true(num(&t, "bh", "ci_lo_pct") < 2);
	assert_string_equal(get(&t, "bh", "verdict"), "cannot tell");
	table_free(&t);
	assert_non_null(strstr(text, "4 faster, 1 slower, 0 same within +-2.0%, 3 cannot tell, 0 no verdict"));
	assert_non_null(strstr(text, "111.98 *+9.81%*"));
	assert_null(strstr(text, "No verdict for"));
	free(text);

	/* A rerun prints the same numbers: the bootstrap is seeded. */
	char *first = slurp_at(dir, "cmp/compare.csv");
	char cmd[PATH_MAX + 16];
	snprintf(cmd, sizeof(cmd), "rm -r '%s/cmp'", dir);
	assert_int_equal(shell_status(cmd), 0);
	assert_int_equal(compare_fixtures(dir, a, b, &t, &text), 0);
	char *second = slurp_at(dir, "cmp/compare.csv");
	assert_string_equal(first, second);
	free(first);
	free(second);
	table_free(&t);
	free(text);

	/* --noise 3: "same" (+0.5%) now lies wholly inside +-3%. */
	assert_int_equal(shell_status(cmd), 0);
	assert_int_equal(compare_args(dir, (const char *const[]){ "--noise", "3", NULL }, a, b, &t, &text), 0);
	assert_string_equal(get(&t, "same", "verdict"), "same");
	assert_float_equal(num(&t, "same", "noise_pct"), 3, 1e-9);
	assert_string_equal(get(&t, "faster", "verdict"), "faster");
	table_free(&t);
	free(text);

	/* --floor: a floor of 15% on the faster cell: never called inside it; other cells keep --noise. */
	char floor[PATH_MAX + 16];
	snprintf(floor, sizeof(floor), "%s/floor.csv", dir);
	FILE *f = fopen(floor, "w");
	assert_non_null(f);
	fputs("\"strategy\",\"sink\",\"cache\",\"file_bytes\",\"block_bytes\",\"consume\",\"floor_pct\"\n"
	      "\"read\",\"process\",\"hot\",\"4096\",\"131072\",\"checksum\",\"15\"\n", f);
	fclose(f);
	assert_int_equal(shell_status(cmd), 0);
	assert_int_equal(compare_args(dir, (const char *const[]){ "--floor", floor, NULL }, a, b, &t, &text), 0);
	assert_float_equal(num(&t, "faster", "floor_pct"), 15, 1e-9);
	assert_string_equal(get(&t, "faster", "verdict"), "same");   /* wholly inside +-15% */
	assert_string_equal(get(&t, "slower", "verdict"), "slower"); /* not in the floor file */
	assert_string_equal(get(&t, "slower", "floor_pct"), "");
	table_free(&t);
	free(text);
	tmpdir_remove(dir);
}

/* Both folders sides of one ABBA sitting: the paired test. */
static void abba_sides_are_paired(void **state)
{
	(void)state;
	char dir[1024], a[PATH_MAX], b[PATH_MAX];
	struct table t;
	char *text;
	tmpdir_make(dir, sizeof(dir));
	workers_pair(dir, 1, a, b);
	assert_int_equal(compare_fixtures(dir, a, b, &t, &text), 0);
	assert_string_equal(get(&t, "faster", "test"), "paired-t-workers");
	/* Pairs 110/100 .. 114/104: the log ratios barely vary, so the paired t is huge. */
	assert_true(num(&t, "faster", "p_value") < 1e-6);
	assert_string_equal(get(&t, "faster", "verdict"), "faster");
	table_free(&t);
	free(text);
	/* Only one side of a sitting: not paired. */
	char cmd[PATH_MAX + 64];
	snprintf(cmd, sizeof(cmd), "sed -i '/worker_order/d' '%s/wa/meta.csv' && rm -r '%s/cmp'", dir, dir);
	assert_int_equal(shell_status(cmd), 0);
	assert_int_equal(compare_fixtures(dir, a, b, &t, &text), 0);
	assert_string_equal(get(&t, "faster", "test"), "welch-t-workers");
	table_free(&t);
	free(text);
	tmpdir_remove(dir);
}

static void bad_options_are_refused(void **state)
{
	(void)state;
	char dir[1024], err[PATH_MAX + 16], out[PATH_MAX], floor[PATH_MAX + 16];
	tmpdir_make(dir, sizeof(dir));
	snprintf(err, sizeof(err), "%s/err", dir);
	snprintf(out, sizeof(out), "%s/out", dir);
	snprintf(floor, sizeof(floor), "%s/floor.csv", dir);
	FILE *f = fopen(floor, "w");
	assert_non_null(f);
	fputs("\"strategy\",\"sink\",\"floor_pct\"\n\"read\",\"process\",\"lots\"\n", f);
	fclose(f);
	static const char *const bad[][2] = { { "--noise", "x" }, { "--noise", "-1" }, { "--floor", "/nonexistent/f" },
					       { "--floor", NULL } };
	for (size_t i = 0; i < 4; i++) {
		const char *arg = bad[i][1] ? bad[i][1] : floor;
		int rc = run_iopaths(NULL, NULL, err, (const char *const[]){ "compare", bad[i][0], arg, out,
			"tests/fixtures/verdict-a", "tests/fixtures/verdict-b", NULL });
		char *msg = slurp(err);
		assert_non_null(msg);
		if (rc != 2 || strncmp(msg, "iopaths: compare: ", 18) != 0 || strchr(msg, '\n') != msg + strlen(msg) - 1)
			fail_msg("%s %s: status %d, said \"%s\"", bad[i][0], arg, rc, msg);
		free(msg);
		assert_int_equal(dir_entries(out), -1);
	}
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
	assert_non_null(strstr(text, "0 faster, 0 slower, 0 same within +-2.0%, 0 cannot tell, 1 no verdict, 14 too few samples."));
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
	assert_string_equal(get(&t, "<script>alert(1)</script>", "verdict"), "no verdict");
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

/* The verdict needs q, not p: three cells of the workers fixture (same, wide,
 * bh), bh's run values scaled by 0.995, so that bh has p = 0.029 and an
 * interval wholly above 0 (at --noise 0), but q = 0.029 x 3 / 1 = 0.087. */
static void q_not_p_decides(void **state)
{
	(void)state;
	char dir[1024], a[PATH_MAX], b[PATH_MAX], cmd[4 * PATH_MAX];
	struct table t;
	char *text;
	tmpdir_make(dir, sizeof(dir));
	workers_pair(dir, 0, a, b);
	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && for s in a b; do for f in summary runs; do "
		 "awk -F, 'NR == 1 || ($1 == \"\\\"memcpy\\\"\" && $4 == \"\\\"4096\\\"\") || "
		 "($1 == \"\\\"read\\\"\" && ($4 == \"\\\"8192\\\"\" || $4 == \"\\\"16384\\\"\"))' w$s/$f.csv >t && "
		 "mv t w$s/$f.csv; done; done && "
		 "awk -F, 'BEGIN { OFS = \",\" } NR > 1 && $4 == \"\\\"16384\\\"\" { v = $8; gsub(/\"/, \"\", v); "
		 "$8 = \"\\\"\" v * 0.995 \"\\\"\" } { print }' wb/runs.csv >t && mv t wb/runs.csv",
		 dir);
	assert_int_equal(shell_status(cmd), 0);
	assert_int_equal(compare_args(dir, (const char *const[]){ "--noise", "0", NULL }, a, b, &t, &text), 0);
	assert_true(num(&t, "bh", "p_value") <= 0.05);
	assert_true(num(&t, "bh", "q_value") > 0.05);
	assert_true(num(&t, "bh", "ci_lo_pct") > 0);
	assert_string_equal(get(&t, "bh", "verdict"), "cannot tell");
	table_free(&t);
	free(text);
	tmpdir_remove(dir);
}

/* iopaths floor: the noise floor per cell from A/A tables.  One table: each
 * cell's floor is the far end of its interval; many: the 95th percentile by
 * nearest rank; the same pair compared against its own floor gets no change. */
static int floor_status(const char *dir, const char *const *args)
{
	char err[PATH_MAX + 16];
	const char *argv[32] = { "floor" };
	size_t n = 1;
	for (; args[n - 1] && n < 31; n++)
		argv[n] = args[n - 1];
	argv[n] = NULL;
	snprintf(err, sizeof(err), "%s/floor-err", dir);
	return run_iopaths(NULL, NULL, err, argv);
}

/* A one-row compare.csv: the key of floor.csv's row 1, and an interval lo..hi. */
static void one_cell_table(const char *path, const struct table *fl, double lo, double hi)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	for (size_t c = 0; c + 2 < fl->cols; c++) /* the key columns: all but floor_pct, aa_tables */
		fprintf(f, "\"%s\",", fl->cell[0][c]);
	fputs("\"verdict\",\"metric\",\"ci_lo_pct\",\"ci_hi_pct\"\n", f);
	for (size_t c = 0; c + 2 < fl->cols; c++)
		fprintf(f, "\"%s\",", fl->cell[1][c]);
	fprintf(f, "\"cannot tell\",\"mibps\",\"%g\",\"%g\"\n", lo, hi);
	assert_int_equal(fclose(f), 0);
}

static void floor_from_aa_tables(void **state)
{
	(void)state;
	char dir[1024], a[PATH_MAX], b[PATH_MAX], cmp[PATH_MAX + 32], out[PATH_MAX + 32], cmd[2 * PATH_MAX];
	struct table t, fl;
	char *text;
	tmpdir_make(dir, sizeof(dir));
	workers_pair(dir, 0, a, b);
	assert_int_equal(compare_fixtures(dir, a, b, &t, &text), 0);
	free(text);
	snprintf(cmp, sizeof(cmp), "%s/cmp/compare.csv", dir);
	snprintf(out, sizeof(out), "%s/floor.csv", dir);
	assert_int_equal(floor_status(dir, (const char *const[]){ out, cmp, NULL }), 0);
	assert_int_equal(table_read(&fl, out), 0);
	/* compare.csv names each cell whole; the floor file is keyed by that key. */
	assert_true(table_col(&t, "strategy") >= 0 && table_col(&fl, "strategy") >= 0);
	assert_true(table_col(&fl, "io_bytes") >= 0 && table_col(&fl, "threads") >= 0);
	size_t intervals = 0;
	for (size_t r = 1; r < t.rows; r++) {
		if (strcmp(table_get(&t, r, "verdict"), "base") == 0 || !*table_get(&t, r, "ci_lo_pct"))
			continue;
		intervals++;
		double want = fmax(fabs(strtod(table_get(&t, r, "ci_lo_pct"), NULL)),
				   fabs(strtod(table_get(&t, r, "ci_hi_pct"), NULL)));
		size_t f = 1;
		while (f < fl.rows && !(strcmp(table_get(&fl, f, "strategy"), table_get(&t, r, "strategy")) == 0 &&
					strcmp(table_get(&fl, f, "file_bytes"), table_get(&t, r, "file_bytes")) == 0 &&
					strcmp(table_get(&fl, f, "sink"), table_get(&t, r, "sink")) == 0))
			f++;
		if (f == fl.rows)
			fail_msg("floor.csv has no row for %s", table_get(&t, r, "label"));
		assert_float_equal(strtod(table_get(&fl, f, "floor_pct"), NULL), want, 1e-4);
		assert_string_equal(table_get(&fl, f, "aa_tables"), "1");
	}
	assert_true(intervals >= 6);
	assert_int_equal(fl.rows - 1, intervals);
	table_free(&t);

	/* The same pair against its own floor: every interval lies inside it, so no change is called. */
	snprintf(cmd, sizeof(cmd), "rm -r '%s/cmp'", dir);
	assert_int_equal(shell_status(cmd), 0);
	assert_int_equal(compare_args(dir, (const char *const[]){ "--floor", out, NULL }, a, b, &t, &text), 0);
	for (size_t r = 1; r < t.rows; r++)
		if (*table_get(&t, r, "ci_lo_pct")) {
			assert_string_not_equal(table_get(&t, r, "verdict"), "faster");
			assert_string_not_equal(table_get(&t, r, "verdict"), "slower");
		}
	assert_string_equal(get(&t, "faster", "verdict"), "same");
	table_free(&t);
	free(text);

	/* Many tables: the 95th percentile by nearest rank.  Twenty tables whose far
	 * ends are 1..20 give 19; three give their largest. */
	char paths[20][PATH_MAX + 32];
	const char *args[24];
	for (int i = 0; i < 20; i++) {
		snprintf(paths[i], sizeof(paths[i]), "%s/aa%d.csv", dir, i);
		/* the far end is the low one for even i, the high one for odd */
		one_cell_table(paths[i], &fl, i % 2 ? -0.5 * (i + 1) : -(i + 1), i % 2 ? i + 1 : 0.5 * (i + 1));
		args[i + 1] = paths[i];
	}
	char out20[PATH_MAX + 32], out3[PATH_MAX + 32];
	snprintf(out20, sizeof(out20), "%s/floor20.csv", dir);
	snprintf(out3, sizeof(out3), "%s/floor3.csv", dir);
	args[0] = out20;
	args[21] = NULL;
	assert_int_equal(floor_status(dir, args), 0);
	struct table f20;
	assert_int_equal(table_read(&f20, out20), 0);
	assert_int_equal(f20.rows, 2);
	assert_float_equal(strtod(table_get(&f20, 1, "floor_pct"), NULL), 19, 1e-9);
	assert_string_equal(table_get(&f20, 1, "aa_tables"), "20");
	table_free(&f20);
	assert_int_equal(floor_status(dir, (const char *const[]){ out3, paths[2], paths[0], paths[1], NULL }), 0);
	assert_int_equal(table_read(&f20, out3), 0);
	assert_float_equal(strtod(table_get(&f20, 1, "floor_pct"), NULL), 3, 1e-9);
	table_free(&f20);

	/* Bad input: status 2, one line, nothing written. */
	char old[PATH_MAX + 32], none[PATH_MAX + 32], fresh[PATH_MAX + 32];
	snprintf(old, sizeof(old), "%s/old.csv", dir);
	snprintf(none, sizeof(none), "%s/none.csv", dir);
	snprintf(fresh, sizeof(fresh), "%s/fresh.csv", dir);
	FILE *f = fopen(old, "w");
	assert_non_null(f);
	fputs("\"label\",\"verdict\",\"metric\",\"ci_lo_pct\",\"ci_hi_pct\"\n\"read\",\"same\",\"mibps\",\"-1\",\"1\"\n", f);
	assert_int_equal(fclose(f), 0);
	one_cell_table(none, &fl, 0, 0);
	snprintf(cmd, sizeof(cmd), "sed -i 's/\"cannot tell\"/\"base\"/' '%s'", none);
	assert_int_equal(shell_status(cmd), 0);
	assert_int_equal(floor_status(dir, (const char *const[]){ out, cmp, NULL }), 2);   /* exists */
	assert_int_equal(floor_status(dir, (const char *const[]){ fresh, old, NULL }), 2); /* no key columns */
	char *said = slurp_at(dir, "floor-err");
	assert_non_null(strstr(said, "has no column strategy"));
	assert_ptr_equal(strchr(said, '\n'), said + strlen(said) - 1);
	free(said);
	assert_int_equal(floor_status(dir, (const char *const[]){ fresh, none, NULL }), 2); /* nothing compared */
	assert_int_equal(floor_status(dir, (const char *const[]){ fresh, NULL }), 2);
	assert_int_equal(floor_status(dir, (const char *const[]){ fresh, "tests/fixtures/verdict-a/runs.csv", NULL }), 2);
	struct stat st;
	assert_int_equal(stat(fresh, &st), -1);
	table_free(&fl);
	tmpdir_remove(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(one_worker_folders_get_no_verdict),
		cmocka_unit_test(verdicts_across_workers),
		cmocka_unit_test(abba_sides_are_paired),
		cmocka_unit_test(bad_options_are_refused),
		cmocka_unit_test(pressure_rows_are_compared),
		cmocka_unit_test(page_escapes_every_value),
		cmocka_unit_test(bad_runs_are_refused_with_one_line),
		cmocka_unit_test(floor_from_aa_tables),
		cmocka_unit_test(q_not_p_decides),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
