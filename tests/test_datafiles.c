/* Data files and the folder they live in: a killed run, runs side by side,
 * and what a killed run leaves behind. */
#include "helpers.h"

#include "datafile.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_SEED 1096309ULL


/* Starts iopaths with args, stdout to /dev/null, stderr to err_file (or /dev/null). */
static pid_t start(const char *err_file, const char *const *args)
{
	const char *argv[32] = { "iopaths" };
	size_t n = 1;
	for (; args[n - 1]; n++)
		argv[n] = args[n - 1];
	argv[n] = NULL;
	const char *bin = iopaths_bin();
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (freopen("/dev/null", "w", stdout) && freopen(err_file ? err_file : "/dev/null", "w", stderr))
			execv(bin, (char *const *)argv);
		_exit(127);
	}
	return pid;
}

static int finish(pid_t pid)
{
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Waits (at most 60 s, polling every millisecond) for a file named iopaths-*
 * in dir; its name and size into name and *size. */
static void wait_for_file(const char *dir, char *name, size_t len, off_t *size)
{
	for (int tries = 0; tries < 60000; tries++) {
		DIR *d = opendir(dir);
		for (struct dirent *e; d && (e = readdir(d));) {
			struct stat st;
			if (strncmp(e->d_name, "iopaths-", 8) == 0 && fstatat(dirfd(d), e->d_name, &st, 0) == 0) {
				snprintf(name, len, "%s", e->d_name);
				*size = st.st_size;
				closedir(d);
				return;
			}
		}
		if (d)
			closedir(d);
		nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
	}
	fail_msg("no data file appeared in %s", dir);
}

/* Every row of RUN/runs.csv verified, and how many there are. */
static size_t verified_rows(const char *out)
{
	char path[PATH_MAX + 16];
	struct table t;
	snprintf(path, sizeof(path), "%s/runs.csv", out);
	assert_int_equal(table_read(&t, path), 0);
	size_t rows = t.rows - 1;
	for (size_t r = 1; r < t.rows; r++)
		assert_string_equal(table_get(&t, r, "verified"), "1");
	table_free(&t);
	return rows;
}

static void folder(char *out, size_t len, const char *name)
{
	snprintf(out, len, "%s/%s", work, name);
}

/* SIGKILL while the data file is written: the next run of that size works. */
static void a_run_killed_while_writing_does_not_block_the_next(void **state)
{
	(void)state;
	char dir[1100], out1[1100], out2[1100], err[1100], name[256];
	off_t size;
	folder(dir, sizeof(dir), "data");
	folder(out1, sizeof(out1), "o1");
	folder(out2, sizeof(out2), "o2");
	folder(err, sizeof(err), "stderr");
	pid_t pid = start(NULL, (const char *const[]){ "run", "--strategy", "read", "--sizes", "256M", "--reps", "1",
						    "--warmup", "0", "--dir", dir, "--out", out1, NULL });
	wait_for_file(dir, name, sizeof(name), &size);
	assert_int_equal(kill(pid, SIGKILL), 0);
	assert_int_equal(finish(pid), 128 + SIGKILL);
	char path[PATH_MAX + 300];
	struct stat st;
	snprintf(path, sizeof(path), "%.1100s/%.255s", dir, name);
	assert_int_equal(stat(path, &st), 0);
	if (st.st_size >= 256LL << 20)
		fail_msg("the write was done before the kill (%s, %lld bytes): nothing was tested", name,
			 (long long)st.st_size);

	int rc = finish(start(err, (const char *const[]){ "run", "--strategy", "read", "--sizes", "256M", "--reps",
							  "1", "--warmup", "0", "--dir", dir, "--out", out2, NULL }));
	char *text = slurp(err);
	assert_non_null(text);
	if (rc != 0)
		fail_msg("the next run exited %d: %s", rc, text);
	assert_int_equal(verified_rows(out2), 1);
	/* The partial file was the killed run's temporary: removed, and said so. */
	char note[PATH_MAX + 400];
	snprintf(note, sizeof(note), "iopaths: removed %s/%s, left by process %d, which is gone\n", dir, name, (int)pid);
	if (!strstr(text, note))
		fail_msg("no note of the removal; stderr: %s", text);
	free(text);
	assert_int_equal(dir_entries(dir), 0);
}

/* Two runs on one folder, the first stopped while it writes the data file:
 * the second makes its own and runs; the first then finds it in place, drops
 * its own and uses the second's.  Both verify every transfer. */
static void a_run_that_loses_the_race_uses_the_winners_file(void **state)
{
	(void)state;
	char dir[1100], out1[1100], out2[1100], name[256];
	off_t size;
	folder(dir, sizeof(dir), "shared");
	folder(out1, sizeof(out1), "first");
	folder(out2, sizeof(out2), "second");
	pid_t first = start(NULL, (const char *const[]){ "run", "--strategy", "read", "--sizes", "128M", "--reps",
							  "1", "--warmup", "0", "--keep", "--dir", dir, "--out", out1, NULL });
	wait_for_file(dir, name, sizeof(name), &size);
	assert_int_equal(kill(first, SIGSTOP), 0);
	char path[PATH_MAX + 300];
	struct stat st;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(stat(path, &st), 0);
	if (st.st_size >= 128LL << 20)
		fail_msg("the write was done before the stop (%s): nothing was tested", name);
	int rc = run_iopaths(work, NULL, NULL, (const char *const[]){ "run", "--strategy", "read,mmap-shared",
		"--sizes", "128M", "--reps", "1", "--warmup", "0", "--keep", "--dir", dir, "--out", out2, NULL });
	assert_int_equal(kill(first, SIGCONT), 0);
	assert_int_equal(rc, 0);
	assert_int_equal(finish(first), 0);
	assert_int_equal(verified_rows(out1), 1);
	assert_int_equal(verified_rows(out2), 2);
	/* One data file, complete, and no temporary left. */
	assert_int_equal(dir_entries(dir), 1);
	snprintf(path, sizeof(path), "%s/iopaths-%llu-%016llx.dat", dir, 128ULL << 20, DEFAULT_SEED);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 128 << 20);
	tmpdir_remove(dir);
}

/* Two runs started together, neither keeping the file: both finish, both
 * verify, and the folder ends empty, whichever made the file and whichever
 * removed it while the other still read it. */
static void two_runs_started_together_both_succeed(void **state)
{
	(void)state;
	char dir[1100], out[2][1100];
	folder(dir, sizeof(dir), "together");
	folder(out[0], sizeof(out[0]), "t0");
	folder(out[1], sizeof(out[1]), "t1");
	pid_t pid[2];
	for (int k = 0; k < 2; k++)
		pid[k] = start(NULL, (const char *const[]){ "run", "--strategy", "read,pread", "--sizes", "1M,64M",
							     "--reps", "2", "--dir", dir, "--out", out[k], NULL });
	for (int k = 0; k < 2; k++)
		assert_int_equal(finish(pid[k]), 0);
	for (int k = 0; k < 2; k++)
		assert_int_equal(verified_rows(out[k]), 8);
	assert_int_equal(dir_entries(dir), 0);
}

/* A file made after the name was removed (by the run that made it) is still
 * readable through the handle datafile_make returned. */
static void a_reused_file_stays_readable_after_its_maker_removes_it(void **state)
{
	(void)state;
	char dir[1100], err[PATH_MAX + 256];
	struct datafile maker, user;
	folder(dir, sizeof(dir), "handles");
	assert_int_equal(mkdir(dir, 0755), 0);
	assert_int_equal(datafile_make(&maker, dir, 10000, DEFAULT_SEED, NULL, err, sizeof(err)), 0);
	assert_int_equal(datafile_make(&user, dir, 10000, DEFAULT_SEED, NULL, err, sizeof(err)), 0);
	assert_int_equal(maker.created, 1);
	assert_int_equal(user.created, 0);
	datafile_remove(&maker);
	assert_int_equal(dir_entries(dir), 0);
	int fd = datafile_open(&user);
	assert_true(fd >= 0);
	unsigned char got[10000], want[10000];
	assert_int_equal(pread(fd, got, sizeof(got), 0), sizeof(got));
	data_fill(DEFAULT_SEED, 0, want, sizeof(want));
	assert_memory_equal(got, want, sizeof(want));
	close(fd);
	datafile_remove(&user); /* not its maker: removes nothing, closes */
	assert_int_equal(user.fd, -1);
}

static void make_file(const char *dir, const char *name, const char *text)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%.1100s/%.255s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static int exists(const char *dir, const char *name)
{
	char path[PATH_MAX];
	struct stat st;
	snprintf(path, sizeof(path), "%.1100s/%.255s", dir, name);
	return lstat(path, &st) == 0;
}

/* A killed run's sink and temporary files are removed by the next run, with
 * a note; a live PID's files, another PID space's and every other file stay. */
static void orphans_of_dead_runs_are_removed_and_nothing_else(void **state)
{
	(void)state;
	char dir[1100], out[1100], err[1100], name[16][256], victim[1100];
	folder(dir, sizeof(dir), "orphans");
	folder(out, sizeof(out), "oo");
	folder(err, sizeof(err), "orphans.err");
	assert_int_equal(mkdir(dir, 0755), 0);
	pid_t dead = fork();
	assert_true(dead >= 0);
	if (dead == 0)
		_exit(0);
	assert_int_equal(finish(dead), 0);
	int live = (int)getpid();
	const char *tag = pid_space_tag();
	const char *other_tag = strcmp(tag, "00000000") ? "00000000" : "00000001";

	/* Removed: */
	snprintf(name[0], 256, "iopaths-out-%d-0.dat", (int)dead); /* as versions without the tag named it */
	snprintf(name[1], 256, "iopaths-out-%d-%s-3.dat", (int)dead, tag);
	snprintf(name[2], 256, "iopaths-tmp-%d-%s-4096-%016llx.dat", (int)dead, tag, DEFAULT_SEED);
	/* Left alone: */
	snprintf(name[3], 256, "iopaths-out-%d-0.dat", live);
	snprintf(name[4], 256, "iopaths-tmp-%d-%s-4096-%016llx.dat", live, tag, DEFAULT_SEED);
	snprintf(name[5], 256, "iopaths-out-%d-%s-0.dat", (int)dead, other_tag); /* another machine or container */
	snprintf(name[6], 256, "iopaths-out-%d-0.dat.bak", (int)dead);
	snprintf(name[7], 256, "iopaths-out-x%d-0.dat", (int)dead);
	snprintf(name[8], 256, "notes-%d.txt", (int)dead);
	snprintf(name[9], 256, "iopaths-tmp-%d-%s-4096.dat", (int)dead, tag);
	snprintf(name[10], 256, "iopaths-out-%d-2.dat", (int)dead);  /* a symlink: not a file of ours */
	snprintf(name[11], 256, "iopaths-out-%d-1.dat", (int)dead);  /* a folder */
	for (int k = 0; k <= 9; k++)
		make_file(dir, name[k], "kept?");
	snprintf(victim, sizeof(victim), "%s/victim", work);
	make_file(work, "victim", "precious");
	char link_path[PATH_MAX + 300];
	snprintf(link_path, sizeof(link_path), "%s/%s", dir, name[10]);
	assert_int_equal(symlink(victim, link_path), 0);
	snprintf(link_path, sizeof(link_path), "%s/%s", dir, name[11]);
	assert_int_equal(mkdir(link_path, 0755), 0);

	int rc = finish(start(err, (const char *const[]){ "run", "--strategy", "read", "--sizes", "4K", "--reps",
							  "1", "--dir", dir, "--out", out, NULL }));
	char *text = slurp(err);
	assert_non_null(text);
	if (rc != 0)
		fail_msg("exit %d: %s", rc, text);
	for (int k = 0; k < 3; k++) {
		char note[PATH_MAX + 400];
		snprintf(note, sizeof(note), "iopaths: removed %s/%.255s, left by process %d, which is gone\n", dir,
			 name[k], (int)dead);
		if (exists(dir, name[k]) || !strstr(text, note))
			fail_msg("%s not removed with a note; stderr: %s", name[k], text);
	}
	int notes = 0;
	for (const char *p = text; (p = strstr(p, "iopaths: removed ")); p++)
		notes++;
	assert_int_equal(notes, 3);
	free(text);
	for (int k = 3; k <= 11; k++)
		if (!exists(dir, name[k]))
			fail_msg("%s was removed", name[k]);
	assert_int_equal(dir_entries(dir), 9);
	text = slurp(victim);
	assert_string_equal(text, "precious");
	free(text);
	char path[PATH_MAX + 300];
	snprintf(path, sizeof(path), "%s/%s", dir, name[3]);
	text = slurp(path);
	assert_string_equal(text, "kept?");
	free(text);
}

/* A PID that answers kill(pid, 0) with EPERM is alive, just not ours to
 * signal: its files stay.  Seen as root only by running as nobody. */
static void a_file_of_a_live_pid_we_cannot_signal_stays(void **state)
{
	(void)state;
	if (geteuid() != 0) {
		print_message("not root: cannot run as nobody to meet EPERM; skipped\n");
		return;
	}
	/* under $TMPDIR like every test folder (make mutants gives each its own) */
	char top[1024], dir[1100], out[1100], name[64];
	snprintf(top, sizeof(top), "%s/iopaths-eperm-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(top));
	assert_int_equal(chmod(top, 0755), 0);
	snprintf(dir, sizeof(dir), "%s/data", top);
	snprintf(out, sizeof(out), "%s/out", top);
	assert_int_equal(mkdir(dir, 0755), 0);
	assert_int_equal(chown(dir, 65534, 65534), 0);
	assert_int_equal(chown(top, 65534, 65534), 0);
	snprintf(name, sizeof(name), "iopaths-out-1-0.dat"); /* PID 1: alive, and not nobody's to signal */
	make_file(dir, name, "init's");
	char path[1200];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(chown(path, 65534, 65534), 0);

	/* A copy nobody can run, wherever the build folder is (a 0700 scratch copy, say). */
	char bin[1100], cmd[3 * PATH_MAX];
	snprintf(bin, sizeof(bin), "%s/iopaths", top);
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s' && chmod 0755 '%s'", iopaths_bin(), bin, bin);
	assert_int_equal(system(cmd), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		if (null < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0 || setgid(65534) != 0 || setuid(65534) != 0)
			_exit(127);
		execl(bin, bin, "run", "--strategy", "read", "--sizes", "4K", "--reps", "1", "--dir", dir, "--out", out,
		      (char *)NULL);
		_exit(127);
	}
	assert_int_equal(finish(pid), 0);
	if (!exists(dir, name))
		fail_msg("%s/%s, a live PID's file, was removed by a run that could not signal it", dir, name);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(orphans_of_dead_runs_are_removed_and_nothing_else),
		cmocka_unit_test(a_file_of_a_live_pid_we_cannot_signal_stays),
		cmocka_unit_test(a_reused_file_stays_readable_after_its_maker_removes_it),
		cmocka_unit_test(a_run_killed_while_writing_does_not_block_the_next),
		cmocka_unit_test(a_run_that_loses_the_race_uses_the_winners_file),
		cmocka_unit_test(two_runs_started_together_both_succeed),
	};
	return cmocka_run_group_tests(tests, work_in_tmp, work_remove);
}
