/* Figures are files: scripts/figures/NN-NAME.gp declares its title, caption
 * and data, plots.sh draws what the folder holds and lists it in
 * figures.csv, and report takes the titles and captions from there.  A figure
 * whose data a run lacks is skipped with one line, never an error and never
 * an empty file. */
#include "helpers.h"

#include "csvio.h"

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* dir/run: the fixture run without the rows whose column is value. */
static void fixture_without(const char *dir, const char *column, const char *value)
{
	char path[PATH_MAX + 64];
	struct table t;
	struct csv_out w;
	snprintf(path, sizeof(path), "%s/run", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "cp tests/fixtures/run/meta.csv %s/run/", dir);
	assert_int_equal(shell_status(path), 0);
	assert_int_equal(table_read(&t, "tests/fixtures/run/summary.csv"), 0);
	snprintf(path, sizeof(path), "%s/run/summary.csv", dir);
	assert_int_equal(csv_out_open(&w, path), 0);
	int col = table_col(&t, column), dropped = 0;
	assert_true(col >= 0);
	for (size_t r = 0; r < t.rows; r++) {
		if (r > 0 && strcmp(t.cell[r][col], value) == 0) {
			dropped++;
			continue;
		}
		for (size_t c = 0; c < t.cols; c++)
			csv_out_str(&w, t.cell[r][c]);
		assert_int_equal(csv_out_end_row(&w), 0);
	}
	assert_int_equal(csv_out_close(&w), 0);
	assert_true(dropped > 0);
	table_free(&t);
}

/* scripts/plots.sh (of scripts_dir) on dir/run into dir/plots, stdout and
 * stderr into dir/out and dir/err; its status. */
static int plots(const char *dir, const char *scripts_dir)
{
	char cmd[3 * PATH_MAX];
	snprintf(cmd, sizeof(cmd), "IOPATHS=%s %s/plots.sh %s/run %s/plots >%s/out 2>%s/err", iopaths_bin(),
		 scripts_dir, dir, dir, dir, dir);
	return shell_status(cmd);
}

/* The row of figures.csv for figure name; fails when there is none. */
static size_t figure_row(const struct table *t, const char *name)
{
	for (size_t r = 1; r < t->rows; r++)
		if (strcmp(table_get(t, r, "figure"), name) == 0)
			return r;
	fail_msg("figures.csv has no row for %s", name);
	return 0;
}

/* A run without the data of figure `skipped`: plots.sh draws every other
 * figure, says in one line why not that one, leaves no file of it (an
 * earlier drawing's included) and exits 0; figures.csv and the page say so. */
static void expect_skipped(const char *column, const char *value, const char *skipped)
{
	char dir[1024], cmd[3 * PATH_MAX], plotdir[PATH_MAX];
	tmpdir_make(dir, sizeof(dir));
	fixture_without(dir, column, value);
	snprintf(plotdir, sizeof(plotdir), "%s/plots", dir);
	/* An earlier drawing of every figure, from the whole fixture. */
	snprintf(cmd, sizeof(cmd), "IOPATHS=%s scripts/plots.sh tests/fixtures/run %s >/dev/null 2>&1", iopaths_bin(), plotdir);
	assert_int_equal(shell_status(cmd), 0);

	int rc = plots(dir, "scripts");
	char *err = slurp_at(dir, "err"), *out = slurp_at(dir, "out");
	if (rc != 0 || err[0])
		fail_msg("plots.sh without %s=%s: status %d, said: %s", column, value, rc, err);
	char line[128];
	snprintf(line, sizeof(line), "plots: %s not drawn: ", skipped);
	char *at = strstr(out, line);
	char *end = at ? strchr(at, '\n') : NULL;
	if (!end || end - at < (long)strlen(line) + 5 || strstr(end, "not drawn"))
		fail_msg("plots.sh did not say in one line why %s was not drawn: %s", skipped, out);
	free(err);
	free(out);

	char **figures = figures_in("scripts/figures");
	struct table t;
	snprintf(cmd, sizeof(cmd), "%s/figures.csv", plotdir);
	assert_int_equal(table_read(&t, cmd), 0);
	int nfigures = 0;
	for (char **fig = figures; *fig; fig++, nfigures++) {
		int is_skipped = strcmp(*fig, skipped) == 0;
		for (const char *const *fmt = (const char *const[]){ "png", "svg", "pdf", NULL }; *fmt; fmt++) {
			char name[128];
			snprintf(name, sizeof(name), "%s.%s", *fig, *fmt);
			if (file_in(plotdir, name) == is_skipped)
				fail_msg("%s %s", name, is_skipped ? "is left from the earlier drawing" : "was not drawn");
		}
		size_t r = figure_row(&t, *fig);
		assert_string_equal(table_get(&t, r, "drawn"), is_skipped ? "0" : "1");
		assert_int_equal(strlen(table_get(&t, r, "why_not_drawn")) > 0, is_skipped);
	}
	assert_int_equal(t.rows, (size_t)nfigures + 1);

	snprintf(cmd, sizeof(cmd), "%s report %s/run %s 2>/dev/null", iopaths_bin(), dir, plotdir);
	assert_int_equal(shell_status(cmd), 0);
	char *html = slurp_at(dir, "run/index.html"), expect[1024];
	snprintf(expect, sizeof(expect), "<p><em>not drawn: %s</em></p>", table_get(&t, figure_row(&t, skipped), "why_not_drawn"));
	assert_non_null(strstr(html, expect));
	assert_null(strstr(html, "figure missing"));
	int images = 0;
	for (char *p = html; (p = strstr(p, "data:image/svg+xml;base64,")); p++)
		images++;
	assert_int_equal(images, nfigures - 1);
	free(html);
	table_free(&t);
	figures_free(figures);
	tmpdir_remove(dir);
}

/* Issue 10: writes.gp failed with "undefined variable: LO_min" on a run with
 * no write strategies, and plots.sh with it. */
static void a_run_without_writes_draws_the_rest_and_says_why_not_writes(void **state)
{
	(void)state;
	expect_skipped("op", "write", "writes");
}

/* hotcold drew an empty page for a run without a cold cache. */
static void a_run_without_a_cold_cache_draws_no_empty_hotcold(void **state)
{
	(void)state;
	expect_skipped("cache", "cold", "hotcold");
}

/* The `# title: ` line of figure name's file in folder, with its end. */
static char *title_line(const char *folder, const char *name)
{
	char pattern[PATH_MAX];
	glob_t g;
	snprintf(pattern, sizeof(pattern), "%s/[0-9]*-%s.gp", folder, name);
	assert_int_equal(glob(pattern, 0, NULL, &g), 0);
	assert_int_equal(g.gl_pathc, 1);
	char *text = slurp(g.gl_pathv[0]);
	globfree(&g);
	assert_non_null(text);
	char *title = strstr(text, "# title: ");
	assert_non_null(title);
	title += strlen("# title: ");
	*strchrnul(title, '\n') = '\0';
	memmove(text, title, strlen(title) + 1);
	return text;
}

static void figures_csv_lists_the_folder_in_order_with_titles_and_captions(void **state)
{
	(void)state;
	char dir[1024], cmd[3 * PATH_MAX];
	tmpdir_make(dir, sizeof(dir));
	snprintf(cmd, sizeof(cmd), "cp -r tests/fixtures/run %s/run", dir);
	assert_int_equal(shell_status(cmd), 0);
	assert_int_equal(plots(dir, "scripts"), 0);
	struct table t;
	snprintf(cmd, sizeof(cmd), "%s/plots/figures.csv", dir);
	assert_int_equal(table_read(&t, cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s report %s/run %s/plots 2>/dev/null", iopaths_bin(), dir, dir);
	assert_int_equal(shell_status(cmd), 0);
	char *html = slurp_at(dir, "run/index.html");
	char **figures = figures_in("scripts/figures");
	size_t r = 1;
	for (char **fig = figures; *fig; fig++, r++) {
		assert_true(r < t.rows);
		assert_string_equal(table_get(&t, r, "figure"), *fig); /* the folder's order */
		char *title = title_line("scripts/figures", *fig), h2[512];
		assert_string_equal(table_get(&t, r, "title"), title);
		snprintf(h2, sizeof(h2), "<h2>%s</h2>\n<p class=\"look\">", title);
		assert_non_null(strstr(html, h2));
		assert_true(strlen(table_get(&t, r, "caption")) > 40);
		assert_string_equal(table_get(&t, r, "drawn"), "1");
		free(title);
	}
	assert_int_equal(r, t.rows);
	/* iopaths query reads it like any results table. */
	snprintf(cmd, sizeof(cmd), "%s query %s/plots/figures.csv drawn figure=%s | grep -qx 1", iopaths_bin(), dir,
		 figures[0]);
	assert_int_equal(shell_status(cmd), 0);
	figures_free(figures);
	free(html);
	table_free(&t);
	tmpdir_remove(dir);
}

/* One new file in the folder is a new figure: drawn, listed, on the page. */
static void a_new_figure_is_one_new_file(void **state)
{
	(void)state;
	char dir[1024], cmd[3 * PATH_MAX], scripts[PATH_MAX];
	tmpdir_make(dir, sizeof(dir));
	snprintf(cmd, sizeof(cmd), "cp -r tests/fixtures/run %s/run && cp -r scripts %s/scripts", dir, dir);
	assert_int_equal(shell_status(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s/scripts/figures/99-extra.gp", dir);
	FILE *f = fopen(cmd, "w");
	assert_non_null(f);
	fputs("# title: An extra figure\n"
	      "# caption: Made by a test: MiB/s of the hot paths into the process,\n"
	      "#   nothing else.\n"
	      "# columns: file_bytes mibps_median\n"
	      "# list: extra cache=hot sink=process mibps_median>0\n"
	      "#\n"
	      "set logscale y 10\n"
	      "set title \"extra\\n\".subtitle\n"
	      "plot for [t in extra] data index (t - 1) using (pos($1)):(pos($2)) with linespoints lt lt_of[t + 0] title label[t + 0]\n",
	      f);
	assert_int_equal(fclose(f), 0);
	snprintf(scripts, sizeof(scripts), "%s/scripts", dir);
	int rc = plots(dir, scripts);
	char *err = slurp_at(dir, "err");
	if (rc != 0 || err[0])
		fail_msg("plots.sh with a new figure: status %d, said: %s", rc, err);
	free(err);
	char plotdir[PATH_MAX];
	snprintf(plotdir, sizeof(plotdir), "%s/plots", dir);
	assert_true(file_in(plotdir, "extra.png") && file_in(plotdir, "extra.svg") && file_in(plotdir, "extra.pdf"));
	snprintf(cmd, sizeof(cmd), "%s report %s/run %s 2>/dev/null", iopaths_bin(), dir, plotdir);
	assert_int_equal(shell_status(cmd), 0);
	char *html = slurp_at(dir, "run/index.html");
	assert_non_null(strstr(html, "<h2>An extra figure</h2>\n<p class=\"look\">Made by a test: MiB/s of the hot paths "
				     "into the process, nothing else.</p>\n<img alt=\"An extra figure\""));
	free(html);
	tmpdir_remove(dir);
}

/* A figure file whose header has a key plots.sh does not know: one line,
 * status 2, nothing drawn. */
static void a_figure_with_an_unknown_key_is_refused(void **state)
{
	(void)state;
	char dir[1024], cmd[3 * PATH_MAX], scripts[PATH_MAX];
	tmpdir_make(dir, sizeof(dir));
	snprintf(cmd, sizeof(cmd),
		 "cp -r tests/fixtures/run %s/run && cp -r scripts %s/scripts && "
		 "printf '# title: x\\n# captoin: y\\n# columns: file_bytes\\nplot 1\\n' >%s/scripts/figures/99-typo.gp",
		 dir, dir, dir);
	assert_int_equal(shell_status(cmd), 0);
	snprintf(scripts, sizeof(scripts), "%s/scripts", dir);
	assert_int_equal(plots(dir, scripts), 2);
	char *err = slurp_at(dir, "err");
	assert_non_null(strstr(err, "iopaths: plots: internal error: "));
	assert_non_null(strstr(err, "99-typo.gp"));
	assert_ptr_equal(strchr(err, '\n'), err + strlen(err) - 1);
	free(err);
	assert_false(file_in(dir, "plots"));
	tmpdir_remove(dir);
}

/* A plots folder comes from anyone: figures.csv's values are text on the
 * page, a figure's name is never a path, and a linked figures.csv is not read. */
static void report_takes_figures_csv_as_text(void **state)
{
	(void)state;
	char dir[1024], cmd[3 * PATH_MAX], path[PATH_MAX + 64];
	struct csv_out w;
	tmpdir_make(dir, sizeof(dir));
	snprintf(cmd, sizeof(cmd), "cp -r tests/fixtures/run %s/run && mkdir %s/plots && echo '<svg>secret</svg>' >%s/secret.svg",
		 dir, dir, dir);
	assert_int_equal(shell_status(cmd), 0);
	snprintf(path, sizeof(path), "%s/plots/figures.csv", dir);
	assert_int_equal(csv_out_open(&w, path), 0);
	csv_out_header(&w, (const char *const[]){ "figure", "title", "caption", "drawn", "why_not_drawn", NULL });
	for (const char *const *row = (const char *const[]){ "../secret", "<script>t()</script>", "c", "1", "",
		"cpu", "T\"i", "<b>caption</b>", "0", "<i>why</i>", NULL };
	     *row; row += 5) {
		for (int c = 0; c < 5; c++)
			csv_out_str(&w, row[c]);
		assert_int_equal(csv_out_end_row(&w), 0);
	}
	assert_int_equal(csv_out_close(&w), 0);
	snprintf(cmd, sizeof(cmd), "%s report %s/run %s/plots 2>/dev/null", iopaths_bin(), dir, dir);
	assert_int_equal(shell_status(cmd), 0);
	char *html = slurp_at(dir, "run/index.html");
	assert_null(strstr(html, "<script>"));
	assert_null(strstr(html, "<b>caption"));
	assert_non_null(strstr(html, "<h2>&lt;script&gt;t()&lt;/script&gt;</h2>"));
	assert_non_null(strstr(html, "<p><em>not a figure's name: ../secret</em></p>"));
	assert_non_null(strstr(html, "<h2>T&quot;i</h2>\n<p class=\"look\">&lt;b&gt;caption&lt;/b&gt;</p>\n"
				     "<p><em>not drawn: &lt;i&gt;why&lt;/i&gt;</em></p>"));
	assert_null(strstr(html, "data:image/svg+xml"));
	free(html);

	/* figures.csv a link: not read; the page says so, and is still made. */
	snprintf(cmd, sizeof(cmd), "cd %s/plots && mv figures.csv ../elsewhere.csv && ln -s ../elsewhere.csv figures.csv", dir);
	assert_int_equal(shell_status(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s report %s/run %s/plots 2>/dev/null", iopaths_bin(), dir, dir);
	assert_int_equal(shell_status(cmd), 0);
	html = slurp_at(dir, "run/index.html");
	assert_non_null(strstr(html, "<p><em>no figures: "));
	assert_non_null(strstr(html, "not a regular file"));
	assert_null(strstr(html, "&lt;script&gt;"));
	free(html);
	tmpdir_remove(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_run_without_writes_draws_the_rest_and_says_why_not_writes),
		cmocka_unit_test(a_run_without_a_cold_cache_draws_no_empty_hotcold),
		cmocka_unit_test(figures_csv_lists_the_folder_in_order_with_titles_and_captions),
		cmocka_unit_test(a_new_figure_is_one_new_file),
		cmocka_unit_test(a_figure_with_an_unknown_key_is_refused),
		cmocka_unit_test(report_takes_figures_csv_as_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
