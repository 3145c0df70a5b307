/* iopaths demo, the runner: bad input costs one line and status 2 and no
 * files; demos.csv gains rows and is never half-written or clobbered; each
 * demo's private folder is gone afterwards, also after Ctrl-C; the page shows
 * the demos.  The demos' own verdicts are in test_demo_*.c. */
#include "helpers.h"

#include "demo.h"
#include "demo_run.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

static void refuses_bad_input_and_makes_nothing(void **state)
{
	(void)state;
	char err[1200], data[1100];
	snprintf(err, sizeof(err), "%s/err", work);
	snprintf(data, sizeof(data), "%s/data", work);
	assert_int_equal(mkdir(data, 0700), 0);
	const char *const *cases[] = {
		(const char *const[]){ "demo", "no-such-demo", "--out", "out", "--dir", data, NULL },
		(const char *const[]){ "demo", "--frobnicate", "--out", "out", NULL },
		(const char *const[]){ "demo", "shared-visible", "--out", NULL },
		(const char *const[]){ "demo", "shared-visible", "--out", "out", "--dir", "no-such-folder", NULL },
		(const char *const[]){ "demo", "--out", "out", "--dir", data, "--", "--list", NULL },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(run_iopaths(work, NULL, err, cases[i]), 2);
		char *text = slurp(err);
		assert_non_null(text);
		if (strncmp(text, "iopaths: demo: ", 15) != 0 || strchr(text, '\n') != text + strlen(text) - 1)
			fail_msg("case %zu: not one line naming the command: %s", i, text);
		free(text);
		unlink(err);
	}
	assert_int_equal(dir_entries(data), 0);
	rmdir(data);
	assert_int_equal(dir_entries(work), 0);
}

static void list_and_help_tell_the_truth(void **state)
{
	(void)state;
	char out[1200];
	snprintf(out, sizeof(out), "%s/out", work);
	assert_int_equal(run_iopaths(work, out, NULL, (const char *const[]){ "demo", "--list", NULL }), 0);
	char *list = slurp(out);
	for (size_t i = 0; i < demo_count; i++) {
		assert_non_null(strstr(list, demos[i]->name));
		assert_non_null(strstr(list, demos[i]->summary));
	}
	free(list);
	assert_int_equal(run_iopaths(work, out, NULL, (const char *const[]){ "demo", "--help", NULL }), 0);
	char *help = slurp(out);
	for (const char *const *w = (const char *const[]){ "--out", "--dir", "--list", "demos.csv", "0 when", "130", NULL };
	     *w; w++)
		if (!strstr(help, *w))
			fail_msg("demo --help does not mention %s", *w);
	free(help);
	unlink(out);
}

/* Two runs into one folder: the second adds its rows to the first's. */
static void rows_are_added_and_folders_removed(void **state)
{
	(void)state;
	char out[1200], data[1100], path[1300], page[1300];
	struct utsname u;
	assert_int_equal(uname(&u), 0);
	snprintf(out, sizeof(out), "%s/out", work);
	snprintf(data, sizeof(data), "%s/data", work);
	assert_int_equal(mkdir(data, 0700), 0);
	assert_int_equal(run_iopaths(work, NULL, NULL,
				     (const char *const[]){ "demo", "use-after-munmap", "--out", out, "--dir", data, NULL }), 0);
	assert_true(file_in(out, "meta.csv"));
	assert_int_equal(run_iopaths(work, NULL, NULL, (const char *const[]){ "demo", "shared-visible", "use-after-munmap",
								     "--out", out, "--dir", data, NULL }), 0);
	assert_int_equal(dir_entries(data), 0); /* every private folder removed */

	struct table t;
	snprintf(path, sizeof(path), "%s/demos.csv", out);
	assert_int_equal(table_read(&t, path), 0);
	assert_int_equal(t.rows, 4);
	const char *order[] = { "use-after-munmap", "shared-visible", "use-after-munmap" };
	for (size_t r = 1; r < t.rows; r++) {
		assert_string_equal(table_get(&t, r, "demo"), order[r - 1]);
		assert_string_equal(table_get(&t, r, "prediction"), demo_find(order[r - 1])->prediction);
		assert_string_equal(table_get(&t, r, "verdict"), "as taught");
		assert_string_equal(table_get(&t, r, "kernel"), u.release);
		assert_true(strlen(table_get(&t, r, "observed")) > 0);
		assert_non_null(strstr(table_get(&t, r, "details"), "time="));
	}
	table_free(&t);

	/* A folder of demos alone gets a page of them. */
	snprintf(page, sizeof(page), "%s/plots", work);
	assert_int_equal(run_iopaths(work, NULL, NULL, (const char *const[]){ "report", out, page, NULL }), 0);
	char *html = slurp_at(out, "index.html");
	assert_non_null(strstr(html, "<td>shared-visible</td><td>as taught</td>"));
	assert_non_null(strstr(html, "<td>use-after-munmap</td><td>as taught</td>"));
	free(html);
	tmpdir_remove(out);
	rmdir(data);
	assert_int_equal(dir_entries(work), 0);
}

/* A demos.csv that is not ours is refused, not overwritten. */
static void a_foreign_demos_csv_is_kept(void **state)
{
	(void)state;
	char out[1200];
	snprintf(out, sizeof(out), "%s/out", work);
	assert_int_equal(mkdir(out, 0700), 0);
	FILE *f = fopen(strcat(strcpy((char[1300]){ 0 }, out), "/demos.csv"), "w");
	assert_non_null(f);
	fputs("name,value\nx,1\n", f);
	fclose(f);
	assert_int_equal(run_iopaths(work, NULL, NULL, (const char *const[]){ "demo", "shared-visible", "--out", out, NULL }),
			 2);
	char *kept = slurp_at(out, "demos.csv");
	assert_string_equal(kept, "name,value\nx,1\n");
	free(kept);
	assert_int_equal(dir_entries(out), 1);
	tmpdir_remove(out);
}

/* Ctrl-C in the middle: status 130, the finished demos' rows kept, no
 * private folder left. */
static void ctrl_c_leaves_nothing_behind(void **state)
{
	(void)state;
	char out[1200], data[1100];
	snprintf(out, sizeof(out), "%s/out", work);
	snprintf(data, sizeof(data), "%s/data", work);
	assert_int_equal(mkdir(data, 0700), 0);
	int p[2];
	assert_int_equal(pipe(p), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		execl(iopaths_bin(), "iopaths", "demo", "all", "--out", out, "--dir", data, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	/* Wait for the second demo to start: the first has a row by then. */
	FILE *in = fdopen(p[0], "r");
	char line[4096];
	int started = 0;
	while (started < 2 && fgets(line, sizeof(line), in))
		started += line[0] == '[';
	assert_int_equal(started, 2);
	kill(pid, SIGINT);
	while (fgets(line, sizeof(line), in)) /* drain, so the writer never blocks */
		;
	fclose(in);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 130);
	assert_int_equal(dir_entries(data), 0);
	struct table t;
	char path[1300];
	snprintf(path, sizeof(path), "%s/demos.csv", out);
	assert_int_equal(table_read(&t, path), 0);
	assert_true(t.rows >= 2); /* the first demo's row at least */
	assert_string_equal(table_get(&t, 1, "demo"), demos[0]->name);
	table_free(&t);
	tmpdir_remove(out);
	rmdir(data);
}

/* The verdict follows the checks: one failed check is enough to differ, and
 * a demo that checked nothing did not run. */
static void one_failed_check_differs(void **state)
{
	(void)state;
	static struct demo_ctx ctx;
	char v[1200];
	assert_int_equal(demo_verdict(&ctx, 1, v, sizeof(v)), 0);
	assert_string_equal(v, "could not run: the demo checked nothing");
	assert_int_equal(demo_check(&ctx, 1, "never said"), 1);
	assert_int_equal(demo_verdict(&ctx, 1, v, sizeof(v)), 1);
	assert_string_equal(v, "as taught");
	assert_int_equal(demo_check(&ctx, 0, "saw %d, not %d", 3, 4), 0);
	assert_int_equal(demo_check(&ctx, 1, "never said either"), 1);
	assert_int_equal(demo_verdict(&ctx, 1, v, sizeof(v)), 1);
	assert_string_equal(v, "differs: saw 3, not 4");
	assert_int_equal(demo_check(&ctx, 0, "and %s", "this"), 0);
	demo_verdict(&ctx, 1, v, sizeof(v));
	assert_string_equal(v, "differs: saw 3, not 4; and this");
	errno = ENOENT;
	assert_int_equal(demo_cannot(&ctx, "open %s", "x"), -1);
	assert_int_equal(demo_verdict(&ctx, 0, v, sizeof(v)), 0);
	assert_string_equal(v, "could not run: open x: No such file or directory");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(one_failed_check_differs),
		cmocka_unit_test_setup_teardown(refuses_bad_input_and_makes_nothing, work_in_tmp, work_remove),
		cmocka_unit_test_setup_teardown(list_and_help_tell_the_truth, work_in_tmp, work_remove),
		cmocka_unit_test_setup_teardown(rows_are_added_and_folders_removed, work_on_disk, work_remove),
		cmocka_unit_test_setup_teardown(a_foreign_demos_csv_is_kept, work_in_tmp, work_remove),
		cmocka_unit_test_setup_teardown(ctrl_c_leaves_nothing_behind, work_on_disk, work_remove),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
