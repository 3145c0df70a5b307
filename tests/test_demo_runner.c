/* iopaths demo, the runner: bad input costs one line and status 2 and no
 * files; demos.csv gains rows and is never half-written or clobbered; each
 * demo's private folder is gone afterwards, also after Ctrl-C; the page shows
 * the demos.  The demos' own verdicts are in test_demo_*.c. */
#include "helpers.h"

#include "demo.h"
#include "demo_run.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <time.h>
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

/* The first iopaths-demo-* entry in dir but `except` into name (full path), or 0. */
static int demo_folder_in(const char *dir, const char *except, char *name, size_t len)
{
	DIR *d = opendir(dir);
	int found = 0;
	for (struct dirent *e; d && !found && (e = readdir(d));)
		if (strncmp(e->d_name, "iopaths-demo-", 13) == 0) {
			snprintf(name, len, "%s/%s", dir, e->d_name);
			found = strcmp(name, except) != 0;
		}
	if (d)
		closedir(d);
	return found;
}

/* `iopaths demo threads-and-a-mutex` (about a second in its folder) sent sig
 * once its private folder (another than except) exists; the folder's path in folder, and the
 * process (stopped, or reaped when sig kills).  A try where the folder came
 * and went between the look and the signal is made again. */
static pid_t demo_signalled_in_its_folder(const char *data, const char *out, int sig, const char *except, char *folder,
					   size_t len)
{
	for (int tries = 0; tries < 20; tries++) {
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			if (!freopen("/dev/null", "w", stdout))
				_exit(127);
			execl(iopaths_bin(), "iopaths", "demo", "threads-and-a-mutex", "--out", out, "--dir", data,
			      (char *)NULL);
			_exit(127);
		}
		int found = 0;
		for (int waited = 0; !found && waited < 20000; waited++) { /* at most 10 s */
			found = demo_folder_in(data, except, folder, len);
			if (!found)
				nanosleep(&(struct timespec){ 0, 500000 }, NULL);
		}
		kill(pid, sig);
		struct stat st;
		if (sig == SIGSTOP) {
			int status;
			assert_int_equal(waitpid(pid, &status, WUNTRACED), pid);
			if (found && WIFSTOPPED(status) && lstat(folder, &st) == 0)
				return pid;
			kill(pid, SIGKILL);
		}
		assert_int_equal(waitpid(pid, NULL, 0), pid);
		if (sig != SIGSTOP && found && lstat(folder, &st) == 0)
			return pid;
		tmpdir_remove(out);
	}
	fail_msg("no demo was caught in its folder in 20 tries");
	return -1;
}

/* kill -9 leaves a demo's private folder behind; the next demo in that --dir
 * removes it, and leaves alone the folder of a demo still alive (here one
 * stopped while its folder exists). */
static void a_killed_demos_folder_is_reclaimed(void **state)
{
	(void)state;
	char data[1100], out[3][1200], stale[1400], live[1400], err[1200];
	snprintf(data, sizeof(data), "%s/data", work);
	snprintf(err, sizeof(err), "%s/err", work);
	assert_int_equal(mkdir(data, 0700), 0);
	for (int k = 0; k < 3; k++)
		snprintf(out[k], sizeof(out[k]), "%s/out%d", work, k);
	pid_t stopped = demo_signalled_in_its_folder(data, out[1], SIGSTOP, "", live, sizeof(live));
	demo_signalled_in_its_folder(data, out[0], SIGKILL, live, stale, sizeof(stale));
	int rc = run_iopaths(work, NULL, err, (const char *const[]){ "demo", "use-after-munmap", "--out", out[2],
								    "--dir", data, NULL });
	struct stat st;
	int stale_left = lstat(stale, &st) == 0, live_left = lstat(live, &st) == 0;
	kill(stopped, SIGKILL);
	assert_int_equal(waitpid(stopped, NULL, 0), stopped);
	char *text = slurp(err);
	assert_int_equal(rc, 0);
	if (stale_left)
		fail_msg("the killed demo's folder %s is still there; stderr: %s", stale, text);
	if (!live_left)
		fail_msg("the live demo's folder %s was removed", live);
	/* said in one line, as iopaths run says it of its files */
	assert_non_null(strstr(text, "iopaths: demo: removed "));
	assert_non_null(strstr(text, ", which is gone\n"));
	free(text);
}

/* A tmpfs folder of the test's own: mounted in work (root), else in
 * /dev/shm when it is tmpfs.  0, or -1 when there is none. */
#define TMPFS_MAGIC_NUMBER 0x01021994
static char tmpfs_mounted[1100];
static int tmpfs_dir(char *out, size_t len)
{
	struct statfs sf;
	snprintf(out, len, "%s/tmpfs", work);
	if (mkdir(out, 0700) == 0 && mount("tmpfs", out, "tmpfs", MS_NOSUID | MS_NODEV, "size=16m,mode=0700") == 0) {
		snprintf(tmpfs_mounted, sizeof(tmpfs_mounted), "%s", out);
		return 0;
	}
	rmdir(out);
	snprintf(out, len, "/dev/shm/iopaths-demo-test-%d", (int)getpid());
	if (statfs("/dev/shm", &sf) == 0 && sf.f_type == TMPFS_MAGIC_NUMBER && mkdir(out, 0700) == 0)
		return 0;
	return -1;
}

static void tmpfs_dir_remove(const char *dir)
{
	if (tmpfs_mounted[0]) {
		umount2(tmpfs_mounted, MNT_DETACH);
		tmpfs_mounted[0] = '\0';
	}
	rmdir(dir);
}

/* On tmpfs nothing is ever written back: truncate-under-mapping's store past
 * the end stays in the file's one page, and that is not the kernel differing
 * from the lesson.  Both demos that speak of writeback say so, in the same
 * words, and are "as taught". */
static void on_tmpfs_writeback_is_not_checked(void **state)
{
	(void)state;
	char out[1200], data[1100], path[1300];
	if (tmpfs_dir(data, sizeof(data)) != 0) {
		print_message("no tmpfs folder (not root, no /dev/shm): the tmpfs verdicts not checked\n");
		skip();
	}
	snprintf(out, sizeof(out), "%s/out", work);
	int rc = run_iopaths(work, NULL, NULL, (const char *const[]){ "demo", "truncate-under-mapping",
								     "msync-and-durability", "--out", out, "--dir", data,
								     NULL });
	int left = dir_entries(data);
	tmpfs_dir_remove(data);
	assert_int_equal(rc, 0);
	assert_int_equal(left, 0);
	struct table t;
	snprintf(path, sizeof(path), "%s/demos.csv", out);
	assert_int_equal(table_read(&t, path), 0);
	assert_int_equal(t.rows, 3);
	const char *why = "--dir is on tmpfs: no disk behind the pages, nothing is written back";
	for (size_t r = 1; r < t.rows; r++) {
		if (strcmp(table_get(&t, r, "verdict"), "as taught") != 0)
			fail_msg("%s on tmpfs: %s", table_get(&t, r, "demo"), table_get(&t, r, "verdict"));
		if (!strstr(table_get(&t, r, "details"), why))
			fail_msg("%s on tmpfs does not say why: %s", table_get(&t, r, "demo"), table_get(&t, r, "details"));
	}
	assert_string_equal(table_get(&t, 1, "demo"), "truncate-under-mapping");
	assert_non_null(strstr(table_get(&t, 1, "details"), "tail_zero_remapped_after_fsync=NA ("));
	table_free(&t);
	tmpdir_remove(out);
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
		cmocka_unit_test_setup_teardown(on_tmpfs_writeback_is_not_checked, work_in_tmp, work_remove),
		cmocka_unit_test_setup_teardown(a_killed_demos_folder_is_reclaimed, work_on_disk, work_remove),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
