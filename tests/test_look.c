/* How the figures look, checked in what they draw (the SVG): error bars that
 * say what they are (a CI only when it covers 0.9, else min-max and the key
 * says "range, n = 2"), one colour per strategy in every figure and a hue
 * family of its own, variants told apart by mark, read's zero faults on the
 * faults figure, and a writes figure that is more than a vertical stroke when
 * the run has one size and says which writes persisted. */
#include "helpers.h"

#include "csvio.h"
#include "strategy.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* dir/run: the fixture run (tests/fixtures/run) with, in every row, column
 * set[i] given the value set[i + 1], and only the rows whose column keep[i]
 * is keep[i + 1] (NULL-terminated pairs; NULL for none). */
static void fixture_edited(const char *dir, const char *const *keep, const char *const *set)
{
	char path[PATH_MAX + 64];
	struct table t;
	struct csv_out w;
	snprintf(path, sizeof(path), "mkdir %s/run && cp tests/fixtures/run/meta.csv %s/run/", dir, dir);
	assert_int_equal(shell_status(path), 0);
	assert_int_equal(table_read(&t, "tests/fixtures/run/summary.csv"), 0);
	snprintf(path, sizeof(path), "%s/run/summary.csv", dir);
	assert_int_equal(csv_out_open(&w, path), 0);
	int kept = 0;
	for (size_t r = 0; r < t.rows; r++) {
		int keep_row = 1;
		for (const char *const *k = keep; r > 0 && k && *k; k += 2) {
			int col = table_col(&t, k[0]);
			assert_true(col >= 0);
			keep_row &= strcmp(t.cell[r][col], k[1]) == 0;
		}
		if (!keep_row)
			continue;
		kept++;
		for (size_t c = 0; c < t.cols; c++) {
			const char *value = t.cell[r][c];
			for (const char *const *s = set; r > 0 && s && *s; s += 2)
				if (strcmp(t.cell[0][c], s[0]) == 0)
					value = s[1];
			csv_out_str(&w, value);
		}
		assert_int_equal(csv_out_end_row(&w), 0);
	}
	assert_int_equal(csv_out_close(&w), 0);
	assert_true(kept > 1);
	table_free(&t);
}

/* scripts/plots.sh on dir/run into dir/plots; fails with what it said
 * unless it exits 0 without a word on stderr. */
static void plots(const char *dir)
{
	char cmd[3 * PATH_MAX];
	snprintf(cmd, sizeof(cmd), "IOPATHS=%s scripts/plots.sh %s/run %s/plots >%s/out 2>%s/err", iopaths_bin(), dir,
		 dir, dir, dir);
	int rc = shell_status(cmd);
	snprintf(cmd, sizeof(cmd), "%s/err", dir);
	char *err = slurp(cmd);
	assert_non_null(err);
	if (rc != 0 || err[0])
		fail_msg("plots.sh: status %d, said: %s", rc, err);
	free(err);
}

static char *svg_of(const char *dir, const char *figure)
{
	char name[PATH_MAX];
	snprintf(name, sizeof(name), "plots/%s.svg", figure);
	return slurp_at(dir, name);
}

/* The plot group of the series titled title in an SVG of gnuplot's: from its
 * <title> to the next series' (NUL-terminated copy), or NULL. */
static char *series_group(const char *svg, const char *title)
{
	char tag[512];
	snprintf(tag, sizeof(tag), "<title>%s</title>", title);
	const char *at = strstr(svg, tag);
	if (!at)
		return NULL;
	const char *end = strstr(at + strlen(tag), "<title>");
	size_t len = end ? (size_t)(end - at) : strlen(at);
	char *group = malloc(len + 1);
	assert_non_null(group);
	memcpy(group, at, len);
	group[len] = '\0';
	return group;
}

/* The colour of a series' line ("#rrggbb"): its first stroke='rgb(r, g, b)'. */
static void series_colour(const char *svg, const char *title, char out[8])
{
	char *group = series_group(svg, title);
	if (!group)
		fail_msg("no series %s in the figure", title);
	const char *at = strstr(group, "stroke='rgb(");
	unsigned r, g, b;
	if (!at || sscanf(at, "stroke='rgb(%u, %u, %u)", &r, &g, &b) != 3)
		fail_msg("series %s has no colour", title);
	snprintf(out, 8, "#%02x%02x%02x", r & 255, g & 255, b & 255);
	free(group);
}

/* The mark of a series: the gpPt of its first point, -1 without points. */
static int series_mark(const char *svg, const char *title)
{
	char *group = series_group(svg, title);
	if (!group)
		fail_msg("no series %s in the figure", title);
	const char *at = strstr(group, "#gpPt");
	int pt = -1;
	if (at)
		assert_int_equal(sscanf(at, "#gpPt%d", &pt), 1);
	free(group);
	return pt;
}

/* The strategies' colours, scripts/gnuplot/style.gp's palette, in `iopaths
 * list` order (the palette has PALETTE places; strategies.def must fit). */
#define PALETTE 16
static void palette(char colours[PALETTE][8])
{
	char *style = slurp("scripts/gnuplot/style.gp");
	assert_non_null(style);
	const char *at = strstr(style, "array palette[");
	assert_non_null(at);
	assert_true(strategy_count <= PALETTE);
	for (int i = 0; i < PALETTE; i++) {
		at = strchr(at, '#');
		assert_non_null(at);
		memcpy(colours[i], at, 7);
		colours[i][7] = '\0';
		for (int c = 0; c < 7; c++)
			colours[i][c] = (char)(c ? (colours[i][c] | 0x20) : '#'); /* lower case */
		at += 7;
	}
	free(style);
}

static const char *strategy_name(size_t i)
{
	return strategies[i]->name;
}

/* The largest number among the tic labels (<text> NUMBER</text>) of an SVG. */
static double largest_tic(const char *svg)
{
	double largest = 0;
	for (const char *at = svg; (at = strstr(at, "<text>")); at++) {
		char *end;
		double v = strtod(at + 6, &end);
		if (end != at + 6 && strncmp(end, "</text>", 7) == 0 && v > largest)
			largest = v;
	}
	return largest;
}

/* A CI that says 0.001 to 10^9 MiB/s: drawn, it stretches the axis to 10^8. */
static const char *const wild_ci[] = { "mibps_ci_lo", "0.001", "mibps_ci_hi", "1000000000", NULL };

/* The fixture has 2 repetitions a row: ci_coverage 0.5.  The bars are then
 * min to max (a wild CI stays undrawn), every key entry says "range, n = 2",
 * and no axis or title calls them a CI. */
static void two_runs_draw_ranges_and_say_so(void **state)
{
	(void)state;
	char dir[1024];
	tmpdir_make(dir, sizeof(dir));
	fixture_edited(dir, NULL, wild_ci);
	plots(dir);
	for (const char *const *fig = (const char *const[]){ "throughput", "writes", NULL }; *fig; fig++) {
		char *svg = svg_of(dir, *fig);
		if (!strstr(svg, "<title>read-write (range, n = 2)") && !strstr(svg, "<title>write (range, n = 2)"))
			fail_msg("%s: no key entry says range, n = 2", *fig);
		assert_non_null(strstr(svg, "bars: min-max"));
		assert_null(strstr(svg, "CI"));
		if (largest_tic(svg) > 1e5)
			fail_msg("%s: an axis reaches %g MiB/s: the CI was drawn", *fig, largest_tic(svg));
		free(svg);
	}
	tmpdir_remove(dir);
}

/* The same rows with 5 repetitions and coverage 0.97: the bars are the CI
 * (the wild one stretches the axis), and the key has no "range". */
static void enough_runs_draw_the_ci(void **state)
{
	(void)state;
	char dir[1024];
	tmpdir_make(dir, sizeof(dir));
	fixture_edited(dir, NULL,
		       (const char *const[]){ "ci_coverage", "0.97", "n", "5", wild_ci[0], wild_ci[1], wild_ci[2], wild_ci[3], NULL });
	plots(dir);
	char *svg = svg_of(dir, "throughput");
	assert_true(largest_tic(svg) > 1e7);
	assert_non_null(strstr(svg, "<title>read</title>"));
	assert_null(strstr(svg, "range, n ="));
	assert_non_null(strstr(svg, "bars: CI of the median"));
	assert_null(strstr(svg, "min-max"));
	free(svg);
	tmpdir_remove(dir);
}

/* CIE L*a*b* of an sRGB colour "#rrggbb" (D65). */
static void lab_of(const char *hex, double lab[3])
{
	unsigned v[3];
	assert_int_equal(sscanf(hex, "#%02x%02x%02x", &v[0], &v[1], &v[2]), 3);
	double c[3], xyz[3];
	for (int i = 0; i < 3; i++) {
		double s = v[i] / 255.0;
		c[i] = s <= 0.04045 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4);
	}
	xyz[0] = (0.4124 * c[0] + 0.3576 * c[1] + 0.1805 * c[2]) / 0.95047;
	xyz[1] = 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
	xyz[2] = (0.0193 * c[0] + 0.1192 * c[1] + 0.9505 * c[2]) / 1.08883;
	for (int i = 0; i < 3; i++)
		xyz[i] = xyz[i] > 0.008856 ? cbrt(xyz[i]) : 7.787 * xyz[i] + 16.0 / 116;
	lab[0] = 116 * xyz[1] - 16;
	lab[1] = 500 * (xyz[0] - xyz[1]);
	lab[2] = 200 * (xyz[1] - xyz[2]);
}

/* Two strategies never share a hue family: every pair of the strategies' colours is
 * at least 20 apart in CIE L*a*b* (1976 distance; similar reds are ~10), and
 * the README's colour table names the same colours. */
static void every_strategy_has_a_hue_of_its_own(void **state)
{
	(void)state;
	char colours[PALETTE][8];
	palette(colours);
	for (size_t i = 0; i < strategy_count; i++)
		for (size_t j = i + 1; j < strategy_count; j++) {
			double a[3], b[3];
			lab_of(colours[i], a);
			lab_of(colours[j], b);
			double d = sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) + (a[2] - b[2]) * (a[2] - b[2]));
			if (d < 20)
				fail_msg("%s (%s) and %s (%s) are %.1f apart: one hue family", strategy_name(i), colours[i],
					 strategy_name(j), colours[j], d);
		}
	char *readme = slurp("README.md");
	assert_non_null(readme);
	for (size_t i = 0; i < strategy_count; i++) {
		char row[128];
		snprintf(row, sizeof(row), "| %s | ", strategy_name(i));
		const char *at = strstr(readme, row);
		if (!at) {
			fail_msg("README's colour table has no row for %s", strategy_name(i));
			break;
		}
		const char *end = strchr(at, '\n');
		const char *hex = strstr(at, colours[i]);
		if (!hex || hex > end)
			fail_msg("README's colour table does not give %s as %s", strategy_name(i), colours[i]);
	}
	free(readme);
}

/* A strategy keeps its colour, the palette's, in every figure it is in; the
 * variants of one strategy keep it and differ in mark. */
static void a_strategy_keeps_its_colour_and_variants_their_marks(void **state)
{
	(void)state;
	char dir[1024], colours[PALETTE][8], got[8];
	tmpdir_make(dir, sizeof(dir));
	fixture_edited(dir, NULL, (const char *const[]){ "ci_coverage", "0.97", "n", "5", NULL });
	plots(dir);
	palette(colours);
	struct {
		const char *figure, *title;
		int strategy;
	} seen[] = {
		{ "throughput", "read", 0 },	     { "faults", "read", 0 },	       { "hotcold", "read hot", 0 },
		{ "hotcold", "read cold", 0 },	     { "throughput", "mmap-shared", 2 }, { "faults", "mmap-shared", 2 },
		{ "throughput", "mmap-private", 3 }, { "faults", "mmap-private", 3 },	{ "faults", "mmap-private-write", 13 },
		{ "throughput", "sendfile", 7 },     { "syscalls", "sendfile", 7 },
	};
	for (size_t i = 0; i < sizeof(seen) / sizeof(seen[0]); i++) {
		char *svg = svg_of(dir, seen[i].figure);
		series_colour(svg, seen[i].title, got);
		if (strcmp(got, colours[seen[i].strategy]) != 0)
			fail_msg("%s in %s is %s, not its colour %s", seen[i].title, seen[i].figure, got,
				 colours[seen[i].strategy]);
		free(svg);
	}
	/* mmap-shared must not look like mmap-private: not one mark. */
	char *svg = svg_of(dir, "faults");
	assert_int_not_equal(series_mark(svg, "mmap-shared"), series_mark(svg, "mmap-private"));
	free(svg);
	svg = svg_of(dir, "writes");
	const char *variants[] = { "mmap-shared-write[msync=sync], persisted", "mmap-shared-write[msync=async], NOT persisted",
				   "mmap-shared-write[msync=none], NOT persisted" };
	int marks[3];
	for (int i = 0; i < 3; i++) {
		series_colour(svg, variants[i], got);
		assert_string_equal(got, colours[12]);
		marks[i] = series_mark(svg, variants[i]);
		assert_true(marks[i] >= 0);
	}
	assert_true(marks[0] != marks[1] && marks[1] != marks[2] && marks[0] != marks[2]);
	free(svg);
	tmpdir_remove(dir);
}

/* read takes no page faults: on the faults figure its points sit on the line
 * labelled 0 (a log axis alone would leave it out). */
static void the_faults_figure_shows_reads_zero(void **state)
{
	(void)state;
	char dir[1024];
	tmpdir_make(dir, sizeof(dir));
	fixture_edited(dir, NULL, NULL);
	plots(dir);
	char *svg = svg_of(dir, "faults");
	/* the y of the tic label 0 (its text is a little below the line) */
	const char *tic = strstr(svg, "<text>0</text>");
	assert_non_null(tic);
	const char *at = tic;
	while (at > svg && strncmp(at, "translate(", 10) != 0)
		at--;
	double tic_x, tic_y;
	assert_int_equal(sscanf(at, "translate(%lf,%lf)", &tic_x, &tic_y), 2);
	char *group = series_group(svg, "read");
	if (!group)
		fail_msg("read is not on the faults figure");
	const char *point = strstr(group, "<use xlink:href='#gpPt");
	assert_non_null(point);
	double x, y;
	assert_int_equal(sscanf(strstr(point, "translate("), "translate(%lf,%lf)", &x, &y), 2);
	if (fabs(y - tic_y) > 8)
		fail_msg("read's first point is at y %.1f, the 0 tic at %.1f", y, tic_y);
	free(group);
	free(svg);
	tmpdir_remove(dir);
}

/* A run of one size (1 MiB), hot cache only: the writes figure is a row per
 * series that says whether it persisted, not a vertical stroke; hotcold,
 * with no cold rows, is not drawn. */
static void one_size_draws_writes_as_rows_with_persisted(void **state)
{
	(void)state;
	char dir[1024], path[PATH_MAX];
	tmpdir_make(dir, sizeof(dir));
	fixture_edited(dir, (const char *const[]){ "file_bytes", "1048576", "cache", "hot", NULL }, NULL);
	plots(dir);
	char *svg = svg_of(dir, "writes");
	/* one row per series, its tic label saying persisted or not */
	const char *rows[] = { "<text>write, NOT persisted</text>", "<text>write[fsync], persisted</text>",
			       "<text>mmap-shared-write[msync=sync], persisted</text>",
			       "<text>mmap-shared-write[msync=none], NOT persisted</text>" };
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if (!strstr(svg, rows[i]))
			fail_msg("the one-size writes figure has no row %s", rows[i]);
	free(svg);
	snprintf(path, sizeof(path), "%s/plots/hotcold.svg", dir);
	assert_int_not_equal(access(path, F_OK), 0);
	snprintf(path, sizeof(path), "%s/out", dir);
	char *out = slurp(path);
	assert_non_null(out);
	assert_non_null(strstr(out, "plots: hotcold not drawn: "));
	free(out);
	tmpdir_remove(dir);
}

/* Over several sizes the key says it. */
static void the_writes_key_says_which_persisted(void **state)
{
	(void)state;
	char dir[1024];
	tmpdir_make(dir, sizeof(dir));
	fixture_edited(dir, NULL, NULL);
	plots(dir);
	char *svg = svg_of(dir, "writes");
	assert_non_null(strstr(svg, "<title>mmap-shared-write[msync=sync] (range, n = 2), persisted</title>"));
	assert_non_null(strstr(svg, "<title>mmap-shared-write[msync=none] (range, n = 2), NOT persisted</title>"));
	free(svg);
	tmpdir_remove(dir);
}

/* Each of the six figures asks `iopaths caption` for its page caption. */
static void every_figure_says_what_the_data_says(void **state)
{
	(void)state;
	char **figures = figures_in("scripts/figures");
	for (char **fig = figures; *fig; fig++) {
		char cmd[PATH_MAX];
		snprintf(cmd, sizeof(cmd), "grep -q '^# says: --metric [a-z_]*' scripts/figures/[0-9]*-%s.gp", *fig);
		if (shell_status(cmd) != 0)
			fail_msg("%s has no says: line", *fig);
	}
	figures_free(figures);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(two_runs_draw_ranges_and_say_so),
		cmocka_unit_test(enough_runs_draw_the_ci),
		cmocka_unit_test(every_strategy_has_a_hue_of_its_own),
		cmocka_unit_test(a_strategy_keeps_its_colour_and_variants_their_marks),
		cmocka_unit_test(the_faults_figure_shows_reads_zero),
		cmocka_unit_test(one_size_draws_writes_as_rows_with_persisted),
		cmocka_unit_test(the_writes_key_says_which_persisted),
		cmocka_unit_test(every_figure_says_what_the_data_says),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
