/* --mem-limit: the memory cgroup is made under ours with the limit and no
 * swap, the process joins it and leaves it, and it is removed on every path
 * (end, Ctrl-C, a killed run's by the next run); without root or without a
 * memory controller the run is refused before anything is made.  The cgroup
 * tests need root and a memory controller, and are skipped without them. */
#include "helpers.h"

#include "datafile.h"
#include "memcg.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define LIMIT (32ULL << 20)

/* Where iopaths makes its cgroups when run from here: the base of a cgroup
 * made and removed at once.  Skips the test when none can be made. */
static void cgroup_base(char *out, size_t len)
{
	static struct memcg probe;
	char why[PATH_MAX + 256];
	if (geteuid() != 0)
		skip();
	if (memcg_make(&probe, LIMIT, why, sizeof(why)) != 0) {
		print_message("skipped: %s\n", why);
		skip();
	}
	snprintf(out, len, "%s", probe.base);
	memcg_leave(&probe);
}

static int is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int self_cgroup_names(const char *name)
{
	char *text = slurp("/proc/self/cgroup");
	assert_non_null(text);
	int found = strstr(text, name) != NULL;
	free(text);
	return found;
}

static pid_t waiter_tid;
static void *wait_on(void *arg);
static struct memcg m; /* the round trip's: left by its teardown too, should the test fail midway */

static int leave_after(void **state)
{
	(void)state;
	memcg_leave(&m);
	return 0;
}

static void make_join_leave_round_trip(void **state)
{
	(void)state;
	char base[PATH_MAX], why[PATH_MAX + 256], name[64];
	cgroup_base(base, sizeof(base));
	assert_int_equal(memcg_make(&m, LIMIT, why, sizeof(why)), 0);
	snprintf(name, sizeof(name), "/iopaths-%d-%s", (int)getpid(), pid_space_tag());
	assert_non_null(strstr(m.path, name));
	assert_true(is_dir(m.path));
	assert_false(self_cgroup_names(name)); /* made, not joined */

	/* The limit, and no swap, read back from the kernel. */
	char *limit = slurp_at(m.path, m.v == MEMCG_V1 ? "memory.limit_in_bytes" : "memory.max");
	assert_int_equal(strtoull(limit, NULL, 10), LIMIT);
	free(limit);
	assert_int_equal(m.limit, LIMIT);
	if (m.v == MEMCG_V1 && file_in(m.path, "memory.memsw.limit_in_bytes")) {
		char *memsw = slurp_at(m.path, "memory.memsw.limit_in_bytes");
		assert_int_equal(strtoull(memsw, NULL, 10), LIMIT);
		free(memsw);
		assert_true(m.swap_limited);
	}
	if (m.v == MEMCG_V2 && file_in(m.path, "memory.swap.max")) {
		char *swap = slurp_at(m.path, "memory.swap.max");
		assert_int_equal(strtoull(swap, NULL, 10), 0);
		free(swap);
	}

	/* A thread that exists before the join moves with the process. */
	pthread_t other;
	int go[2];
	assert_int_equal(pipe(go), 0);
	assert_int_equal(pthread_create(&other, NULL, wait_on, &go[0]), 0);
	pid_t other_tid = 0;
	for (int i = 0; i < 1000 && !(other_tid = __atomic_load_n(&waiter_tid, __ATOMIC_ACQUIRE)); i++)
		nanosleep(&(struct timespec){ .tv_nsec = 1000 * 1000 }, NULL);
	assert_true(other_tid > 0);

	assert_int_equal(memcg_join(&m, why, sizeof(why)), 0);
	assert_true(self_cgroup_names(name));
	char task[64];
	snprintf(task, sizeof(task), "/proc/self/task/%d/cgroup", (int)other_tid);
	char *text = slurp(task);
	assert_non_null(text);
	int moved = strstr(text, name) != NULL;
	free(text);
	assert_int_equal(write(go[1], "x", 1), 1);
	assert_int_equal(pthread_join(other, NULL), 0);
	close(go[0]);
	close(go[1]);
	assert_true(moved);
	/* Memory touched now is charged here. */
	size_t n = 4u << 20;
	char *mem = malloc(n);
	assert_non_null(mem);
	memset(mem, 0x5a, n);
	struct memcg_stat s;
	memcg_read(&m, &s);
	assert_true(s.usage >= (double)n / 2 && s.usage <= (double)LIMIT);
	assert_true(s.pgmajfault >= 0);
	free(mem);

	memcg_leave(&m);
	assert_false(self_cgroup_names(name));
	assert_false(is_dir(m.path));
	memcg_leave(&m); /* idempotent */
}

static void *wait_on(void *arg)
{
	char c;
	__atomic_store_n(&waiter_tid, gettid(), __ATOMIC_RELEASE);
	while (read(*(int *)arg, &c, 1) < 0 && errno == EINTR)
		;
	return NULL;
}

/* A child that has exited and been reaped: a PID that is gone. */
static pid_t dead_pid(void)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(0);
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	return pid;
}

static void orphans_removed_and_others_kept(void **state)
{
	(void)state;
	char base[PATH_MAX], dead[PATH_MAX + 64], alive[PATH_MAX + 64], other[PATH_MAX + 64];
	cgroup_base(base, sizeof(base));
	pid_t gone = dead_pid();
	snprintf(dead, sizeof(dead), "%s/iopaths-%d-%s", base, (int)gone, pid_space_tag());
	snprintf(alive, sizeof(alive), "%s/iopaths-%d-%s", base, (int)getppid(), pid_space_tag());
	snprintf(other, sizeof(other), "%s/iopaths-%d-%s", base, (int)gone,
		 strcmp(pid_space_tag(), "deadbeef") == 0 ? "feedface" : "deadbeef");
	assert_int_equal(mkdir(dead, 0755), 0);
	assert_int_equal(mkdir(alive, 0755), 0);
	assert_int_equal(mkdir(other, 0755), 0);
	int removed = memcg_remove_orphans(base);
	int dead_left = is_dir(dead), alive_left = is_dir(alive), other_left = is_dir(other);
	rmdir(dead);
	rmdir(alive);
	rmdir(other);
	assert_int_equal(removed, 1);
	assert_false(dead_left);
	assert_true(alive_left);  /* its process runs */
	assert_true(other_left);  /* another PID space's: not ours to judge */
}

/* One line on stderr, saying why. */
static void expect_one_line(const char *err_file, const char *words)
{
	char *text = slurp(err_file);
	assert_non_null(text);
	if (!strstr(text, words) || strchr(text, '\n') != text + strlen(text) - 1)
		fail_msg("expected one line with '%s', got: %s", words, text);
	free(text);
}

/* Not root: refused with status 2 before the --out folder is made. */
static void refused_without_root(void **state)
{
	(void)state;
	char base[PATH_MAX], out[PATH_MAX + 32], dir[PATH_MAX + 32], err[PATH_MAX + 32];
	cgroup_base(base, sizeof(base)); /* as root, a cgroup can be made here */
	assert_int_equal(chmod(work, 0777), 0); /* so nobody could make the folders */
	snprintf(out, sizeof(out), "%s/out", work);
	snprintf(dir, sizeof(dir), "%s/data", work);
	snprintf(err, sizeof(err), "%s/err", work);
	const char *bin = iopaths_bin();
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fe = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fe < 0 || dup2(fe, 2) < 0 || setgid(65534) != 0 || setuid(65534) != 0)
			_exit(126);
		execl(bin, bin, "run", "--mem-limit", "16M", "--strategy", "pread", "--sizes", "64K", "--reps", "1",
		      "--dir", dir, "--out", out, (char *)NULL);
		_exit(127);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 2);
	expect_one_line(err, "--mem-limit needs root");
	assert_false(file_in(work, "out"));
	assert_false(file_in(work, "data"));
}

/* No memory controller (a fake cgroup tree without one): status 2, nothing made. */
static void refused_without_a_controller(void **state)
{
	(void)state;
	char fake[PATH_MAX + 32], out[PATH_MAX + 32], err[PATH_MAX + 32];
	snprintf(fake, sizeof(fake), "%s/cgroupfs", work);
	assert_int_equal(mkdir(fake, 0755), 0);
	snprintf(out, sizeof(out), "%s/out", work);
	snprintf(err, sizeof(err), "%s/err", work);
	setenv("IOPATHS_CGROUP_FS", fake, 1);
	int rc = run_iopaths(work, NULL, err, (const char *const[]){ "run", "--mem-limit", "16M", "--strategy",
		"pread", "--sizes", "64K", "--reps", "1", "--dir", "data", "--out", out, NULL });
	unsetenv("IOPATHS_CGROUP_FS");
	assert_int_equal(rc, 2);
	expect_one_line(err, "no memory cgroup controller is usable");
	assert_false(file_in(work, "out"));
	assert_false(file_in(work, "data"));
}

static void bad_values_refused(void **state)
{
	(void)state;
	char err[PATH_MAX + 32];
	snprintf(err, sizeof(err), "%s/err", work);
	static const char *const cases[][3] = {
		{ "--mem-limit", "3M", "at least 4M" },
		{ "--mem-limit", "lots", "at least 4M" },
		{ "--interval", "0.05", "0.1 to 60" },
		{ "--interval", "1e1", "0.1 to 60" },
		{ "--duration", "0", "above 0" },
		/* --duration's rules (run_options.c): endless random spans */
		{ "--duration", "3", "needs --pattern random" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = run_iopaths(work, NULL, err, (const char *const[]){ "run", cases[i][0], cases[i][1],
			"--strategy", "pread", "--sizes", "64K", "--dir", "data", "--out", "out", NULL });
		if (rc != 2)
			fail_msg("%s %s: exit %d, not 2", cases[i][0], cases[i][1], rc);
		expect_one_line(err, cases[i][2]);
		assert_false(file_in(work, "out"));
	}
}

/* No iopaths-<pid>-* cgroup of this process left in base. */
static int left_in(const char *base, pid_t pid)
{
	char path[PATH_MAX + 64];
	snprintf(path, sizeof(path), "%s/iopaths-%d-%s", base, (int)pid, pid_space_tag());
	return is_dir(path);
}

static void run_under_a_limit_ends_and_removes_it(void **state)
{
	(void)state;
	char base[PATH_MAX], out[PATH_MAX];
	cgroup_base(base, sizeof(base));
	run_in_work("limited", (const char *const[]){ "run", "--mem-limit", "32M", "--strategy", "mmap-shared",
		"--sizes", "64M", "--cache", "cold", "--reps", "2", "--warmup", "0", NULL }, out, sizeof(out));
	struct table t;
	char path[PATH_MAX + 32];
	snprintf(path, sizeof(path), "%s/meta.csv", out);
	assert_int_equal(table_read(&t, path), 0);
	const char *version = NULL, *limit = NULL, *cg = NULL, *status = NULL;
	for (size_t r = 1; r < t.rows; r++) {
		const char *k = t.cell[r][0], *v = t.cell[r][1];
		if (strcmp(k, "memcg_version") == 0)
			version = v;
		else if (strcmp(k, "memcg_limit_bytes") == 0)
			limit = v;
		else if (strcmp(k, "memcg_path") == 0)
			cg = v;
		else if (strcmp(k, "status") == 0)
			status = v;
	}
	assert_non_null(version);
	assert_true(strcmp(version, "v1") == 0 || strcmp(version, "v2") == 0);
	assert_string_equal(limit, "33554432");
	assert_string_equal(status, "complete");
	assert_non_null(cg);
	assert_false(is_dir(cg));
	/* The run's cold reads filled the cgroup's page cache: it ran inside. */
	const char *peak = NULL;
	for (size_t r = 1; r < t.rows; r++)
		if (strcmp(t.cell[r][0], "memcg_peak_bytes") == 0)
			peak = t.cell[r][1];
	assert_non_null(peak);
	if (strcmp(peak, "nan") != 0 && !(atof(peak) > 16.0 * 1024 * 1024 && atof(peak) <= (double)LIMIT))
		fail_msg("memcg_peak_bytes %s: not between 16 MiB and the 32 MiB limit", peak);
	table_free(&t);

	snprintf(path, sizeof(path), "%s/runs.csv", out);
	assert_int_equal(table_read(&t, path), 0);
	assert_int_equal(t.rows, 3);
	table_free(&t);
}

/* Starts a long limited run; returns its pid once it has joined its cgroup. */
static pid_t start_joined_with(const char *name, const char *const *args);
static pid_t start_joined(const char *base, const char *name)
{
	(void)base;
	return start_joined_with(name, (const char *const[]){ "--strategy", "pread", "--sizes", "64M", "--cache", "cold",
		"--reps", "100000", "--warmup", "0", NULL });
}

static pid_t start_joined_with(const char *name, const char *const *args)
{
	char out[PATH_MAX + 32], dir[PATH_MAX + 32], cg[PATH_MAX + 64], proc[64];
	snprintf(out, sizeof(out), "%s/%s", work, name);
	snprintf(dir, sizeof(dir), "%s/%s.data", work, name);
	const char *bin = iopaths_bin();
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);
		if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
			_exit(126);
		const char *argv[64] = { bin, "run", "--mem-limit", "32M", "--dir", dir, "--out", out };
		size_t a = 8;
		for (size_t i = 0; args[i] && a < 63; i++)
			argv[a++] = args[i];
		argv[a] = NULL;
		execv(bin, (char *const *)argv);
		_exit(127);
	}
	snprintf(cg, sizeof(cg), "iopaths-%d-%s", (int)pid, pid_space_tag());
	snprintf(proc, sizeof(proc), "/proc/%d/cgroup", (int)pid);
	for (int i = 0; i < 3000; i++) { /* up to 30 s */
		char *text = slurp(proc);
		int joined = text && strstr(text, cg);
		free(text);
		if (joined)
			return pid;
		nanosleep(&(struct timespec){ .tv_nsec = 10 * 1000 * 1000 }, NULL);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	fail_msg("the run never joined its memory cgroup %s", cg);
	return -1;
}

static void ctrl_c_removes_the_cgroup(void **state)
{
	(void)state;
	char base[PATH_MAX];
	cgroup_base(base, sizeof(base));
	pid_t pid = start_joined(base, "interrupted");
	assert_true(left_in(base, pid));
	nanosleep(&(struct timespec){ .tv_nsec = 200 * 1000 * 1000 }, NULL); /* mid-sample */
	assert_int_equal(kill(pid, SIGINT), 0);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 130);
	assert_false(left_in(base, pid));
}

/* Ctrl-C in the middle of one long sample (hot, --min-sample-ms 60000: the
 * first sample lasts a minute) ends the run within seconds, not at the
 * sample's end: status 130, the run marked interrupted, the cgroup gone. */
static void ctrl_c_ends_a_long_sample_promptly(void **state)
{
	(void)state;
	char base[PATH_MAX], meta[PATH_MAX + 32];
	cgroup_base(base, sizeof(base));
	pid_t pid = start_joined_with("long", (const char *const[]){ "--strategy", "pread", "--sizes", "16M",
		"--cache", "hot", "--reps", "1", "--warmup", "0", "--min-sample-ms", "60000", NULL });
	nanosleep(&(struct timespec){ 1, 500 * 1000 * 1000 }, NULL); /* the file warmed, the sample under way */
	assert_int_equal(kill(pid, SIGINT), 0);
	int status = 0;
	pid_t got = 0;
	for (int i = 0; i < 200 && (got = waitpid(pid, &status, WNOHANG)) == 0; i++) /* 20 s */
		nanosleep(&(struct timespec){ .tv_nsec = 100 * 1000 * 1000 }, NULL);
	if (got != pid) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		fail_msg("still running 20 s after SIGINT (the sample was to last 60 s)");
	}
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 130);
	assert_false(left_in(base, pid));
	snprintf(meta, sizeof(meta), "%s/long", work);
	char *text = slurp_at(meta, "meta.csv");
	assert_non_null(strstr(text, "\"status\",\"interrupted\""));
	free(text);
	assert_true(file_in(meta, "summary.csv"));
}

/* More anonymous memory than the limit (pwrite's 64 MiB of bytes to write,
 * in 8 MiB): the kernel would OOM-kill the whole run (status 137, meta.csv
 * "running", the cgroup left).  It is a failed run instead, as a bad
 * checksum is: status 1, one line saying so, meta.csv "failed" with the
 * error, summary.csv written, no "results in", the cgroup removed. */
static void out_of_memory_fails_the_run(void **state)
{
	(void)state;
	char base[PATH_MAX], out[PATH_MAX + 32], data[PATH_MAX + 32], err[PATH_MAX + 32];
	cgroup_base(base, sizeof(base));
	snprintf(out, sizeof(out), "%s/oom", work);
	snprintf(data, sizeof(data), "%s/oom.data", work);
	snprintf(err, sizeof(err), "%s/oom.err", work);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY), fe = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || fe < 0 || dup2(fd, 1) < 0 || dup2(fe, 2) < 0)
			_exit(126);
		const char *bin = iopaths_bin();
		execl(bin, bin, "run", "--mem-limit", "8M", "--strategy", "pwrite", "--sizes", "64M", "--reps", "1",
		      "--warmup", "0", "--dir", data, "--out", out, (char *)NULL);
		_exit(127);
	}
	int status = 0;
	pid_t got = 0;
	for (int i = 0; i < 1200 && (got = waitpid(pid, &status, WNOHANG)) == 0; i++) /* 120 s */
		nanosleep(&(struct timespec){ .tv_nsec = 100 * 1000 * 1000 }, NULL);
	if (got != pid) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		fail_msg("an out-of-memory run still going after 120 s");
	}
	char *text = slurp(err);
	assert_non_null(text);
	int was_left = left_in(base, pid);
	if (was_left) { /* not ours to leave behind */
		char path[PATH_MAX + 64];
		snprintf(path, sizeof(path), "%s/iopaths-%d-%s", base, (int)pid, pid_space_tag());
		rmdir(path);
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 1 || !strstr(text, "out of memory") || strstr(text, "results in"))
		fail_msg("exit %d (signal %d), stderr: %s", WIFEXITED(status) ? WEXITSTATUS(status) : -1,
			 WIFSIGNALED(status) ? WTERMSIG(status) : 0, text);
	free(text);
	assert_false(was_left);
	text = slurp_at(out, "meta.csv");
	assert_non_null(strstr(text, "\"status\",\"failed\""));
	assert_non_null(strstr(text, "out of memory"));
	free(text);
	assert_true(file_in(out, "summary.csv"));
}

/* SIGKILL leaves the cgroup (nothing runs); the next limited run removes it and says so. */
static void killed_runs_cgroup_removed_by_the_next(void **state)
{
	(void)state;
	char base[PATH_MAX], out[PATH_MAX], err[PATH_MAX + 32], words[128];
	cgroup_base(base, sizeof(base));
	pid_t pid = start_joined(base, "killed");
	assert_int_equal(kill(pid, SIGKILL), 0);
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	assert_true(left_in(base, pid));
	run_in_work("next", (const char *const[]){ "run", "--mem-limit", "16M", "--strategy", "pread", "--sizes",
		"64K", "--reps", "1", NULL }, out, sizeof(out));
	int was_left = left_in(base, pid);
	if (was_left) { /* not ours to leave behind: the test cleans up */
		char path[PATH_MAX + 64];
		snprintf(path, sizeof(path), "%s/iopaths-%d-%s", base, (int)pid, pid_space_tag());
		rmdir(path);
	}
	assert_false(was_left);
	snprintf(err, sizeof(err), "%s/next.err", work);
	char *text = slurp(err);
	snprintf(words, sizeof(words), "left by process %d, which is gone", (int)pid);
	assert_non_null(text);
	assert_non_null(strstr(text, words));
	free(text);
}

/* --out in a folder that takes mkdir but no file: status 2, one line, never
 * "results in", and the folder it made removed. */
static void expect_out_refused(const char *out, const char *what)
{
	char err[PATH_MAX + 32], data[PATH_MAX + 32];
	snprintf(err, sizeof(err), "%s/out.err", work);
	snprintf(data, sizeof(data), "%s/data", work);
	int rc = run_iopaths(work, NULL, err, (const char *const[]){ "run", "--strategy", "pread", "--sizes", "64K",
		"--reps", "1", "--warmup", "0", "--dir", data, "--out", out, NULL });
	struct stat st;
	int left = lstat(out, &st) == 0;
	if (left)
		rmdir(out); /* not ours to leave behind */
	char *text = slurp(err);
	assert_non_null(text);
	if (rc != 2 || left || strstr(text, "results in") || strchr(text, '\n') != text + strlen(text) - 1)
		fail_msg("--out %s (%s): exit %d, %s left, stderr: %s", out, what, rc, left ? "folder" : "nothing",
			 text);
	free(text);
}

static void out_in_cgroupfs_refused_and_removed(void **state)
{
	(void)state;
	char out[PATH_MAX];
	struct stat st;
	if (geteuid() != 0 || stat("/sys/fs/cgroup/pids", &st) != 0) {
		print_message("skipped: no /sys/fs/cgroup/pids to write in as root\n");
		skip();
	}
	snprintf(out, sizeof(out), "/sys/fs/cgroup/pids/iopaths-test-out-%d", (int)getpid());
	expect_out_refused(out, "cgroupfs");
}

/* A tmpfs of two inodes: its root and the --out folder; no file fits. */
static char tiny[PATH_MAX + 32];
static int tiny_mount(void **state)
{
	work_in_tmp(state);
	snprintf(tiny, sizeof(tiny), "%s/tiny", work);
	return mkdir(tiny, 0755) == 0 && (geteuid() != 0 || mount("iopaths-tiny", tiny, "tmpfs", 0, "nr_inodes=2,size=1m") == 0)
		       ? 0 : -1;
}

static int tiny_umount(void **state)
{
	umount2(tiny, MNT_DETACH);
	return work_remove(state);
}

static void out_where_no_file_can_be_made(void **state)
{
	(void)state;
	char out[PATH_MAX + 64];
	if (geteuid() != 0)
		skip();
	snprintf(out, sizeof(out), "%s/out", tiny);
	expect_out_refused(out, "a tmpfs with no inode left for a file");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(make_join_leave_round_trip, leave_after),
		cmocka_unit_test(orphans_removed_and_others_kept),
		cmocka_unit_test_setup_teardown(refused_without_root, work_in_tmp, work_remove),
		cmocka_unit_test_setup_teardown(refused_without_a_controller, work_in_tmp, work_remove),
		cmocka_unit_test_setup_teardown(bad_values_refused, work_in_tmp, work_remove),
		cmocka_unit_test_setup_teardown(run_under_a_limit_ends_and_removes_it, work_on_disk, work_remove),
		cmocka_unit_test_setup_teardown(ctrl_c_removes_the_cgroup, work_on_disk, work_remove),
		cmocka_unit_test_setup_teardown(killed_runs_cgroup_removed_by_the_next, work_on_disk, work_remove),
		cmocka_unit_test_setup_teardown(ctrl_c_ends_a_long_sample_promptly, work_on_disk, work_remove),
		cmocka_unit_test_setup_teardown(out_of_memory_fails_the_run, work_on_disk, work_remove),
		cmocka_unit_test_setup_teardown(out_in_cgroupfs_refused_and_removed, work_in_tmp, work_remove),
		cmocka_unit_test_setup_teardown(out_where_no_file_can_be_made, tiny_mount, tiny_umount),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
