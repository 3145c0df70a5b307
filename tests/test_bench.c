/* The bench experience: figures drawn from a checked-in run, comparison of
 * two checked-in runs with known answers, and bench-fs cleaning up after itself. */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Is path a PNG, SVG or PDF by its first bytes? */
static void expect_format(const char *path, const char *fmt)
{
	char head[512] = "";
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("%s was not drawn", path);
	size_t n = fread(head, 1, sizeof(head) - 1, f);
	fclose(f);
	head[n] = '\0';
	int ok = strcmp(fmt, "png") == 0 ? n > 8 && memcmp(head, "\x89PNG\r\n\x1a\n", 8) == 0
		 : strcmp(fmt, "pdf") == 0 ? strncmp(head, "%PDF-", 5) == 0
					   : strstr(head, "<svg") != NULL;
	if (!ok)
		fail_msg("%s is not a %s file", path, fmt);
}

static void figures_and_page_from_a_fixture(void **state)
{
	(void)state;
	char dir[1024], cmd[3 * PATH_MAX], path[PATH_MAX + 64];
	tmpdir_make(dir, sizeof(dir));
	/* plots.sh fails on any word gnuplot prints: warnings included. */
	snprintf(cmd, sizeof(cmd), "cp -r tests/fixtures/run %s/run && IOPATHS=%s scripts/plots.sh %s/run %s/plots 2>%s/err",
		 dir, iopaths_bin(), dir, dir, dir);
	assert_int_equal(shell_status(cmd), 0);
	snprintf(path, sizeof(path), "%s/err", dir);
	char *err = slurp(path);
	assert_string_equal(err, ""); /* gnuplot said nothing */
	free(err);
	char **figures = figures_in("scripts/figures");
	int nfigures = 0;
	for (char **fig = figures; *fig; fig++, nfigures++)
		for (const char *const *fmt = (const char *const[]){ "png", "svg", "pdf", NULL }; *fmt; fmt++) {
			snprintf(path, sizeof(path), "%s/plots/%s.%s", dir, *fig, *fmt);
			expect_format(path, *fmt);
		}
	snprintf(cmd, sizeof(cmd), "%s report %s/run %s/plots 2>/dev/null", iopaths_bin(), dir, dir);
	assert_int_equal(shell_status(cmd), 0);
	snprintf(path, sizeof(path), "%s/run/index.html", dir);
	char *html = slurp(path);
	assert_non_null(html);
	int images = 0;
	for (char *p = html; (p = strstr(p, "data:image/svg+xml;base64,")); p++)
		images++;
	assert_int_equal(images, nfigures); /* the fixture has the data of every figure */
	assert_null(strstr(html, "figure missing"));
	assert_null(strstr(html, "not drawn"));
	assert_null(strstr(html, "src=\"http")); /* nothing from a network */
	assert_non_null(strstr(html, "<td>mmap-shared-write[msync=async]</td>"));
	assert_non_null(strstr(html, "<td>kernel_release</td>"));
	assert_null(strstr(html, "id=\"demos\"")); /* no demos.csv, no demos table */
	free(html);
	/* make bench adds the demos to its run: the page gains their table, and keeps the rest. */
	snprintf(cmd, sizeof(cmd), "%s demo shared-visible --out %s/run >/dev/null && %s report %s/run %s/plots 2>/dev/null",
		 iopaths_bin(), dir, iopaths_bin(), dir, dir);
	assert_int_equal(shell_status(cmd), 0);
	html = slurp(path);
	assert_non_null(strstr(html, "id=\"demos\""));
	assert_non_null(strstr(html, "<td>shared-visible</td><td>as taught</td>"));
	assert_non_null(strstr(html, "<td>mmap-shared-write[msync=async]</td>"));
	images = 0;
	for (char *p = html; (p = strstr(p, "data:image/svg+xml;base64,")); p++)
		images++;
	assert_int_equal(images, nfigures);
	free(html);
	figures_free(figures);
	tmpdir_remove(dir);
}

static const char *verdict_of(const struct table *t, const char *label)
{
	for (size_t r = 1; r < t->rows; r++)
		if (strcmp(table_get(t, r, "label"), label) == 0 && strcmp(table_get(t, r, "verdict"), "base") != 0)
			return table_get(t, r, "verdict");
	fail_msg("compare.csv has no compared row for %s", label);
	return NULL;
}

static void compare_marks_faster_slower_and_same(void **state)
{
	(void)state;
	char dir[1024], cmd[3 * PATH_MAX], path[PATH_MAX + 64];
	struct table t;
	tmpdir_make(dir, sizeof(dir));
	snprintf(cmd, sizeof(cmd), "COMPARE_OUT=%s/cmp IOPATHS=%s scripts/compare.sh tests/fixtures/compare-a "
		 "tests/fixtures/compare-b >%s/table 2>%s/err", dir, iopaths_bin(), dir, dir);
	assert_int_equal(shell_status(cmd), 0);
	snprintf(path, sizeof(path), "%s/cmp/compare.csv", dir);
	assert_int_equal(table_read(&t, path), 0);
	/* One worker a side (no worker column): never a verdict, whatever the CIs. */
	assert_string_equal(verdict_of(&t, "read"), "no verdict");
	assert_string_equal(verdict_of(&t, "pread"), "no verdict");
	assert_string_equal(verdict_of(&t, "mmap-shared"), "no verdict");
	assert_string_equal(verdict_of(&t, "memcpy"), "no base");
	for (size_t r = 1; r < t.rows; r++)
		if (strcmp(table_get(&t, r, "label"), "read") == 0 && strcmp(table_get(&t, r, "verdict"), "base") != 0)
			assert_string_equal(table_get(&t, r, "ratio"), "1.3");
	table_free(&t);
	snprintf(path, sizeof(path), "%s/table", dir);
	char *table = slurp(path);
	assert_non_null(strstr(table, "0 faster, 0 slower, 0 same within +-2.0%, 0 cannot tell, 3 no verdict"));
	free(table);
	char **figures = figures_in("scripts/figures/compare");
	for (char **fig = figures; *fig; fig++) {
		snprintf(path, sizeof(path), "%s/cmp/%s.png", dir, *fig);
		expect_format(path, "png");
	}
	figures_free(figures);
	snprintf(path, sizeof(path), "%s/err", dir);
	char *err = slurp(path);
	assert_null(strstr(err, "gnuplot said"));
	free(err);
	/* A run against itself: every ratio 1, no verdict (one worker), still no warning. */
	snprintf(cmd, sizeof(cmd), "COMPARE_OUT=%s/self IOPATHS=%s scripts/compare.sh tests/fixtures/compare-a "
		 "tests/fixtures/compare-a >%s/table 2>%s/err", dir, iopaths_bin(), dir, dir);
	assert_int_equal(shell_status(cmd), 0);
	snprintf(path, sizeof(path), "%s/table", dir);
	table = slurp(path);
	assert_non_null(strstr(table, "0 faster, 0 slower, 0 same within +-2.0%, 0 cannot tell, 4 no verdict"));
	free(table);
	tmpdir_remove(dir);
}

/* What bench-fs leaves behind: nothing mounted, no loop device, no image. */
static int leftovers(void)
{
	return shell_status("grep -q -e iopaths-fs -e iopaths-tmpfs /proc/mounts") == 0 ||
	       shell_status("losetup -a | grep -q iopaths-fs") == 0 ||
	       shell_status("ls -d /var/tmp/iopaths-fs-* >/dev/null 2>&1") == 0;
}

static void bench_fs_leaves_no_mount_loop_or_image(void **state)
{
	(void)state;
#if defined(__SANITIZE_ADDRESS__)
	print_message("bench-fs runs in the normal build's tests only (it runs the whole sweep twice)\n");
	skip();
#endif
	if (geteuid() != 0) {
		print_message("not root: skipping make bench-fs (it needs loop devices and mount)\n");
		skip();
	}
	char dir[1024], cmd[3 * PATH_MAX];
	assert_false(leftovers());
	tmpdir_make(dir, sizeof(dir));
	snprintf(cmd, sizeof(cmd), "RESULTS_DIR=%s/results PLOTS_DIR=%s/plots make -s bench-fs FS=\"tmpfs ext4\" "
		 "QUICK=1 >%s/log 2>&1", dir, dir, dir);
	int rc = shell_status(cmd);
	if (rc != 0) {
		snprintf(cmd, sizeof(cmd), "tail -20 %s/log", dir);
		shell_status(cmd);
	}
	assert_int_equal(rc, 0);
	assert_false(leftovers());
	snprintf(cmd, sizeof(cmd), "test $(ls %s/results/*/index.html | wc -l) -eq 2 && ls %s/plots/compare-*/compare.csv "
		 ">/dev/null && ls %s/results/*-tmpfs-*/summary.csv %s/results/*-ext4-*/summary.csv >/dev/null",
		 dir, dir, dir, dir);
	assert_int_equal(shell_status(cmd), 0);
	tmpdir_remove(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(figures_and_page_from_a_fixture),
		cmocka_unit_test(compare_marks_faster_slower_and_same),
		cmocka_unit_test(bench_fs_leaves_no_mount_loop_or_image),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
