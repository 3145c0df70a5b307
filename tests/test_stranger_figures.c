/* Issue 18: what a stranger's run does to the figure scripts.  A number out
 * of range (1e999) and a label too long for a key are a note and a drawing,
 * not a failure; figures never appear without their figures.csv; make
 * design leaves no half-made results folder; bench-serve's nginx.conf holds
 * a hostile TMPDIR as a path.  Small copies of tests/fixtures/, one figure
 * where one will do. */
#include "hostile.h"

/* ---- A stranger's numbers and labels ---- */

/* src to dst through libcsv: rows kept by keep (NULL: all), the cells of
 * column col replaced by value where match (NULL: every row) is the cell's. */
static void copy_csv(const char *src, const char *dst, const char *keep_col, const char *keep, const char *col,
		     const char *match, const char *value)
{
	struct table t;
	struct csv_out w;
	assert_int_equal(table_read(&t, src), 0);
	assert_int_equal(csv_out_open(&w, dst), 0);
	int kc = keep_col ? table_col(&t, keep_col) : -1, c = table_col(&t, col);
	assert_true(c >= 0);
	for (size_t r = 0; r < t.rows; r++) {
		if (r > 0 && kc >= 0 && keep && strcmp(t.cell[r][kc], keep) != 0)
			continue;
		for (size_t i = 0; i < t.cols; i++)
			csv_out_str(&w, r > 0 && (int)i == c && (!match || strcmp(t.cell[r][i], match) == 0)
						? value
						: t.cell[r][i]);
		assert_int_equal(csv_out_end_row(&w), 0);
	}
	assert_int_equal(csv_out_close(&w), 0);
	table_free(&t);
}

/* drawn=1 in every row of out/figures.csv */
static void expect_all_drawn(const char *out)
{
	char path[PATH_MAX + 32];
	struct table t;
	snprintf(path, sizeof(path), "%s/figures.csv", out);
	assert_int_equal(table_read(&t, path), 0);
	assert_true(t.rows > 1);
	for (size_t r = 1; r < t.rows; r++)
		if (strcmp(table_get(&t, r, "drawn"), "1") != 0)
			fail_msg("%s: %s not drawn: %s", path, table_get(&t, r, "figure"), table_get(&t, r, "why_not_drawn"));
	table_free(&t);
}

/* mem_limit_bytes=1e999 (awk's inf) in a timeseries.csv: a note, and every
 * pressure figure and the slide drawn. */
static void a_number_out_of_range_is_a_note(void **state)
{
	(void)state;
	char run[PATH_MAX], out[PATH_MAX], dst[PATH_MAX + 32];
	snprintf(run, sizeof(run), "%s/pressure", dir);
	snprintf(out, sizeof(out), "%s/pressure-plots", dir);
	assert_int_equal(mkdir(run, 0755), 0);
	copy_csv("tests/fixtures/pressure/run/meta.csv", (snprintf(dst, sizeof(dst), "%s/meta.csv", run), dst), NULL,
		 NULL, "key", "-", "-");
	snprintf(dst, sizeof(dst), "%s/timeseries.csv", run);
	/* two cells of the five: every figure still has series */
	copy_csv("tests/fixtures/pressure/run/timeseries.csv", dst, "strategy", "mmap-shared", "mem_limit_bytes", NULL, "1e999");
	assert_int_equal(run_argv("pressure", (const char *const[]){ real_bin, "pressure", run, NULL }, NULL), 0);
	int rc = run_argv("pressure-plots", (const char *const[]){ "scripts/pressure/plots.sh", run, out, NULL },
			  (const char *const[]){ "ASAN_OPTIONS=detect_leaks=0", NULL });
	char *said = slurp_at(dir, "pressure-plots.err");
	if (rc != 0)
		fail_msg("pressure/plots.sh with mem_limit_bytes=1e999: status %d: %s", rc, said);
	free(said);
	said = slurp_at(dir, "pressure-plots.out");
	if (!strstr(said, "note: ") || !strstr(said, "mem_limit_bytes"))
		fail_msg("pressure/plots.sh said no note of mem_limit_bytes: %s", said);
	free(said);
	expect_all_drawn(out);
	snprintf(dst, sizeof(dst), "%s/lecture", out);
	expect_all_drawn(dst);
}

/* A 120-character label of shell and gnuplot metacharacters: cut in the
 * key with a note, drawn, and make plots writes the page. */
#define LONG_PIECE "read`touch pwned-l1`$(touch pwned-l2);'\"@x%s\\n{}[]#&|<>*?~"
static void a_long_label_is_cut_and_drawn(void **state)
{
	(void)state;
	char label[4 * sizeof(LONG_PIECE)];
	snprintf(label, sizeof(label), "%s%s%s%s", LONG_PIECE, LONG_PIECE, LONG_PIECE, LONG_PIECE);
	label[120] = 0;
	assert_int_equal(strlen(label), 120);
	char run[PATH_MAX], dst[PATH_MAX + 32], a[PATH_MAX + 8], env_plots[PATH_MAX], env_iopaths[PATH_MAX + 16];
	snprintf(run, sizeof(run), "%s/long", dir);
	assert_int_equal(mkdir(run, 0755), 0);
	snprintf(dst, sizeof(dst), "%s/summary.csv", run);
	copy_csv("tests/fixtures/run/summary.csv", dst, "label", "read", "label", NULL, label);
	snprintf(dst, sizeof(dst), "%s/meta.csv", run);
	copy_csv("tests/fixtures/run/meta.csv", dst, NULL, NULL, "key", "-", "-");
	snprintf(a, sizeof(a), "RUN=%s", run);
	snprintf(env_plots, sizeof(env_plots), "PLOTS_DIR=%s/plots", dir);
	snprintf(env_iopaths, sizeof(env_iopaths), "IOPATHS=%s", real_bin);
	int rc = run_argv("long", (const char *const[]){ "make", "-s", "-o", "build/iopaths", "plots", a, "FIGURES=faults", NULL },
			  (const char *const[]){ env_plots, env_iopaths, NULL });
	expect_nothing_planted("a long label");
	if (rc != 0)
		fail_msg("make plots with a 120-character label: status %d: %s", rc, slurp_at(dir, "long.err"));
	char *said = slurp_at(dir, "long.out");
	if (!strstr(said, "note: "))
		fail_msg("make plots cut a long label without a note: %s", said);
	free(said);
	assert_true(file_in(run, "index.html"));
	snprintf(dst, sizeof(dst), "%s/plots/long", dir);
	expect_all_drawn(dst);
}

/* ---- Nothing half-made ---- */

/* gnuplot interrupted (SIGTERM to plots.sh) at the second figure: no
 * figure in the folder without its figures.csv. */
static void figures_and_figures_csv_appear_together(void **state)
{
	(void)state;
	char bin[PATH_MAX], path[PATH_MAX + 32], out[PATH_MAX], real_gp[PATH_MAX] = "";
	FILE *p = popen("command -v gnuplot", "r");
	assert_non_null(p);
	assert_non_null(fgets(real_gp, sizeof(real_gp), p));
	pclose(p);
	real_gp[strcspn(real_gp, "\n")] = 0;
	snprintf(bin, sizeof(bin), "%s/bin", dir);
	assert_int_equal(mkdir(bin, 0755), 0);
	snprintf(path, sizeof(path), "%s/gnuplot", bin);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "#!/bin/sh\nn=$(cat '%s/count' 2>/dev/null || echo 0); echo $((n + 1)) >'%s/count'\n"
		   "[ \"$n\" -lt 3 ] || { kill -TERM $PPID; exit 1; }\nexec '%s' \"$@\"\n",
		dir, dir, real_gp);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(path, 0755), 0);
	snprintf(out, sizeof(out), "%s/together", dir);
	char env_path[2 * PATH_MAX], env_iopaths[PATH_MAX + 16];
	snprintf(env_path, sizeof(env_path), "PATH=%s:%s", bin, getenv("PATH"));
	snprintf(env_iopaths, sizeof(env_iopaths), "IOPATHS=%s", real_bin);
	int rc = run_argv("together", (const char *const[]){ "scripts/plots.sh", "tests/fixtures/caption-read-wins", out, NULL },
			  (const char *const[]){ env_path, env_iopaths, NULL });
	assert_int_equal(rc, 143);
	DIR *d = opendir(out);
	if (d) {
		for (struct dirent *e; (e = readdir(d));)
			if (e->d_name[0] != '.' || strncmp(e->d_name, ".render", 7) == 0)
				fail_msg("plots.sh, interrupted, left %s/%s", out, e->d_name);
		closedir(d);
	}
}

/* A figure gnuplot fails on (it warns) is that figure's failure: make
 * plots still writes figures.csv and the page, then exits 1. */
static void a_failed_figure_keeps_the_page(void **state)
{
	(void)state;
	char bin[PATH_MAX], path[PATH_MAX + 32], run[PATH_MAX], real_gp[PATH_MAX] = "", cmd[3 * PATH_MAX];
	FILE *p = popen("command -v gnuplot", "r");
	assert_non_null(p);
	assert_non_null(fgets(real_gp, sizeof(real_gp), p));
	pclose(p);
	real_gp[strcspn(real_gp, "\n")] = 0;
	snprintf(bin, sizeof(bin), "%s/warn-bin", dir);
	assert_int_equal(mkdir(bin, 0755), 0);
	snprintf(path, sizeof(path), "%s/gnuplot", bin);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "#!/bin/sh\necho 'warning: planted' >&2\nexec '%s' \"$@\"\n", real_gp);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(path, 0755), 0);
	snprintf(run, sizeof(run), "%s/warned", dir);
	snprintf(cmd, sizeof(cmd), "cp -r tests/fixtures/caption-read-wins '%s'", run);
	assert_int_equal(shell_status(cmd), 0);
	char env_path[2 * PATH_MAX], env_iopaths[PATH_MAX + 16], env_plots[PATH_MAX + 16];
	snprintf(env_path, sizeof(env_path), "PATH=%s:%s", bin, getenv("PATH"));
	snprintf(env_iopaths, sizeof(env_iopaths), "IOPATHS=%s", real_bin);
	snprintf(env_plots, sizeof(env_plots), "PLOTS_DIR=%s/plots", dir);
	int rc = run_argv("warned", (const char *const[]){ "scripts/plots-run.sh", run, NULL },
			  (const char *const[]){ env_path, env_iopaths, env_plots, "FIGURES=throughput", NULL });
	if (rc != 1)
		fail_msg("make plots with a figure gnuplot warned on: status %d, not 1: %s", rc, slurp_at(dir, "warned.err"));
	assert_true(file_in(run, "index.html"));
	snprintf(path, sizeof(path), "%s/plots/warned", dir);
	assert_true(file_in(path, "figures.csv"));
	assert_false(file_in(path, "throughput.png"));
}

/* make design's own sweeps: a sweep that fails, and Ctrl-C during one,
 * leave no results folder. */
static void design_leaves_no_half_made_results(void **state)
{
	(void)state;
	char results[PATH_MAX], env_results[PATH_MAX + 16], env_iopaths[PATH_MAX + 16], env_dir[PATH_MAX + 16];
	snprintf(results, sizeof(results), "%s/design-results", dir);
	snprintf(env_results, sizeof(env_results), "RESULTS_DIR=%s", results);
	snprintf(env_iopaths, sizeof(env_iopaths), "IOPATHS=%s", fake);
	snprintf(env_dir, sizeof(env_dir), "DIR=%s/design-data", dir);
	const struct {
		const char *how;
		int status;
	} cases[] = { { "FAKE_RUN=fail", 1 }, { "FAKE_RUN=int", 130 } };
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = run_argv("design", (const char *const[]){ "scripts/design.sh", NULL },
				  (const char *const[]){ env_results, env_iopaths, env_dir, cases[i].how, "QUICK=1", NULL });
		if (rc != cases[i].status)
			fail_msg("design.sh, %s: status %d, not %d: %s", cases[i].how, rc, cases[i].status,
				 slurp_at(dir, "design.err"));
		if (dir_entries(results) > 0)
			fail_msg("design.sh, %s, left a half-made results folder in %s", cases[i].how, results);
	}
}

/* bench-serve under a TMPDIR with ; space quotes braces # and \: nginx
 * reads its config (it serves, and the check of its bytes is what fails,
 * SERVE_BROKEN); a TMPDIR with $ (an nginx variable) is refused in one
 * line; nothing left either way. */
static void nginx_conf_holds_a_hostile_tmpdir(void **state)
{
	(void)state;
	const struct {
		const char *name;
		int status;
		const char *said;
	} cases[] = {
		{ "t a;b'c\"d{e}#f\\g", 1, "iopaths: bench-serve: nginx-sendfile-off served /64K wrong" },
		{ "t$uri", 2, "iopaths: bench-serve: " },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char tmp[PATH_MAX], env_tmp[PATH_MAX + 16], env_out[PATH_MAX + 16], env_plots[PATH_MAX + 16],
			env_iopaths[PATH_MAX + 16];
		snprintf(tmp, sizeof(tmp), "%s/%s", dir, cases[i].name);
		assert_int_equal(mkdir(tmp, 0755), 0);
		snprintf(env_tmp, sizeof(env_tmp), "TMPDIR=%s", tmp);
		snprintf(env_out, sizeof(env_out), "OUT=%s/serve-%zu", dir, i);
		snprintf(env_plots, sizeof(env_plots), "PLOTS_DIR=%s/plots", dir);
		snprintf(env_iopaths, sizeof(env_iopaths), "IOPATHS=%s", real_bin);
		int rc = run_argv("serve", (const char *const[]){ "scripts/bench-serve.sh", NULL },
				  (const char *const[]){ env_tmp, env_out, env_plots, env_iopaths, "SERVE_SIZES=65536",
							 "SERVE_CONNS=1", "SERVE_ROUNDS=1", "SERVE_DURATION=1",
							 "SERVE_SERVERS=nginx-sendfile-off", "SERVE_BROKEN=nginx-sendfile-off",
							 NULL });
		char *err = slurp_at(dir, "serve.err");
		if (rc != cases[i].status || strncmp(err, cases[i].said, strlen(cases[i].said)) != 0 ||
		    strchr(err, '\n') != err + strlen(err) - 1)
			fail_msg("bench-serve under TMPDIR=%s: status %d, said: %s", tmp, rc, err);
		free(err);
		assert_int_equal(dir_entries(tmp), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_number_out_of_range_is_a_note),
		cmocka_unit_test(a_long_label_is_cut_and_drawn),
		cmocka_unit_test(figures_and_figures_csv_appear_together),
		cmocka_unit_test(a_failed_figure_keeps_the_page),
		cmocka_unit_test(design_leaves_no_half_made_results),
		cmocka_unit_test(nginx_conf_holds_a_hostile_tmpdir),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
