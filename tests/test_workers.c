/* iopaths run --workers K (issue 19): the worker column and its values, the
 * seeds in meta and a different order per worker, every row merged exactly
 * once, the variance components of summary.csv against a hand computation,
 * the ABBA order of scripts/abba.sh, Ctrl-C and a failing worker. */
#include "helpers.h"

#include "results.h"
#include "stats.h"
#include "worker.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The value of one meta.csv key, in buf ("" when absent). */
static const char *meta_value(const char *out, const char *key, char *buf, size_t len)
{
	char path[1400];
	struct table t;
	snprintf(path, sizeof(path), "%s/meta.csv", out);
	buf[0] = '\0';
	if (table_read(&t, path) != 0)
		fail_msg("cannot read %s", path);
	for (size_t r = 0; r < t.rows; r++)
		if (t.cols >= 2 && strcmp(t.cell[r][0], key) == 0)
			snprintf(buf, len, "%s", t.cell[r][1]);
	table_free(&t);
	return buf;
}

static void read_runs(const char *out, struct table *t)
{
	char path[1400];
	snprintf(path, sizeof(path), "%s/runs.csv", out);
	if (table_read(t, path) != 0)
		fail_msg("cannot read %s", path);
}

/* 3 strategies x 3 sizes x 2 reps per worker. */
#define ARGS_SMALL "--strategy", "read,pread,mmap-shared", "--sink", "process", "--sizes", "4K,8K,16K", \
		   "--reps", "2", "--warmup", "0", "--min-sample-ms", "0", "--seed", "11"
#define CELLS 9

static void workers_rows_seeds_and_orders(void **state)
{
	(void)state;
	char out[1200], buf[512];
	run_in_work("w3", (const char *const[]){ "run", ARGS_SMALL, "--workers", "3", NULL }, out, sizeof(out));
	struct table t;
	read_runs(out, &t);
	/* The worker column is appended after every older one: the last option
	 * column (register) and then worker (moves_per_pass, newer, follows it). */
	assert_int_equal(table_col(&t, "worker"), table_col(&t, "register") + 1);
	assert_int_equal(t.rows - 1, 3 * CELLS * 2);

	/* Every (worker, cell, rep) exactly once: the merge lost and doubled nothing. */
	char seen[3][CELLS * 2][64];
	int count[3] = { 0 };
	char order[3][CELLS * 2 * 40];
	memset(order, 0, sizeof(order));
	for (size_t r = 1; r < t.rows; r++) {
		int w = atoi(table_get(&t, r, "worker"));
		if (w < 1 || w > 3) {
			fail_msg("row %zu: worker '%s' is not 1..3", r, table_get(&t, r, "worker"));
			return; /* fail_msg does not return; cppcheck cannot know */
		}
		char id[64];
		snprintf(id, sizeof(id), "%s/%s/%s", table_get(&t, r, "strategy"), table_get(&t, r, "file_bytes"),
			 table_get(&t, r, "rep"));
		for (int k = 0; k < count[w - 1]; k++)
			if (strcmp(seen[w - 1][k], id) == 0)
				fail_msg("worker %d's row %s is in runs.csv twice", w, id);
		assert_true(count[w - 1] < CELLS * 2);
		snprintf(seen[w - 1][count[w - 1]++], 64, "%s", id);
		size_t used = strlen(order[w - 1]);
		snprintf(order[w - 1] + used, sizeof(order[0]) - used, "%s/%s ", table_get(&t, r, "strategy"),
			 table_get(&t, r, "file_bytes"));
	}
	for (int w = 0; w < 3; w++)
		assert_int_equal(count[w], CELLS * 2);
	/* Each worker its own order of the sizes and cells. */
	if (strcmp(order[0], order[1]) == 0 || strcmp(order[1], order[2]) == 0 || strcmp(order[0], order[2]) == 0)
		fail_msg("two workers visited the cells in the same order:\n%s\n%s\n%s", order[0], order[1], order[2]);
	table_free(&t);

	/* meta: K, the seeds (drawn from --seed 11 and the worker's number), the rest. */
	assert_string_equal(meta_value(out, "workers", buf, sizeof(buf)), "3");
	char want[256];
	snprintf(want, sizeof(want), "%llu %llu %llu", (unsigned long long)worker_seed(11, 1),
		 (unsigned long long)worker_seed(11, 2), (unsigned long long)worker_seed(11, 3));
	assert_string_equal(meta_value(out, "worker_seeds", buf, sizeof(buf)), want);
	assert_true(worker_seed(11, 1) != worker_seed(11, 2) && worker_seed(11, 2) != worker_seed(11, 3));
	assert_string_equal(meta_value(out, "reps_per_worker", buf, sizeof(buf)), "2");
	assert_string_equal(meta_value(out, "worker_order", buf, sizeof(buf)), "independent");
	assert_string_equal(meta_value(out, "warmup_workers", buf, sizeof(buf)), "0");
	assert_string_equal(meta_value(out, "status", buf, sizeof(buf)), "complete");
	assert_true(atof(meta_value(out, "rep_of_all_cells_s", buf, sizeof(buf))) > 0);

	/* summary: each cell from 3 workers, with a within component. */
	char path[1300];
	snprintf(path, sizeof(path), "%s/summary.csv", out);
	assert_int_equal(table_read(&t, path), 0);
	assert_int_equal(t.rows - 1, CELLS);
	for (size_t r = 1; r < t.rows; r++) {
		assert_string_equal(table_get(&t, r, "workers"), "3");
		assert_string_equal(table_get(&t, r, "n"), "6");
		assert_true(table_get(&t, r, "var_within")[0] != '\0');
		assert_true(table_get(&t, r, "var_between")[0] != '\0');
	}
	table_free(&t);
}

/* A warm-up worker runs and is discarded: its rows are not in runs.csv. */
static void warmup_worker_discarded(void **state)
{
	(void)state;
	char out[1200], buf[64];
	run_in_work("wu", (const char *const[]){ "run", ARGS_SMALL, "--workers", "2", "--warmup-workers", "1", NULL },
		    out, sizeof(out));
	struct table t;
	read_runs(out, &t);
	assert_int_equal(t.rows - 1, 2 * CELLS * 2);
	for (size_t r = 1; r < t.rows; r++)
		assert_true(strcmp(table_get(&t, r, "worker"), "1") == 0 || strcmp(table_get(&t, r, "worker"), "2") == 0);
	table_free(&t);
	assert_string_equal(meta_value(out, "warmup_workers", buf, sizeof(buf)), "1");
}

/* A bare run is one worker, this process: the column says 1 everywhere. */
static void one_worker_by_default(void **state)
{
	(void)state;
	char out[1200], buf[128];
	run_in_work("w1", (const char *const[]){ "run", ARGS_SMALL, NULL }, out, sizeof(out));
	struct table t;
	read_runs(out, &t);
	assert_int_equal(t.rows - 1, CELLS * 2);
	for (size_t r = 1; r < t.rows; r++)
		assert_string_equal(table_get(&t, r, "worker"), "1");
	table_free(&t);
	assert_string_equal(meta_value(out, "workers", buf, sizeof(buf)), "1");
	assert_string_equal(meta_value(out, "worker_order", buf, sizeof(buf)), "independent");
}

/* One-way random-effects ANOVA against a hand computation. */
static void anova_by_hand(void **state)
{
	(void)state;
	struct anova1 a;
	/* Balanced: groups 1,2,3 | 4,5,6 | 7,8,9: MS_within 1, MS_between
	 * 3 (9 + 0 + 9) / 2 = 27, n0 3: between (27 - 1) / 3. */
	double x[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	unsigned g[] = { 1, 1, 1, 2, 2, 2, 3, 3, 3 };
	stats_anova1(x, g, 9, &a);
	assert_int_equal(a.groups, 3);
	assert_float_equal(a.within, 1.0, 1e-12);
	assert_float_equal(a.between, 26.0 / 3, 1e-12);
	/* Unbalanced: 1,3 | 2,4,6: SS_within 2 + 8 over 3 df; grand mean 3.2,
	 * SS_between 2 (1.2)^2 + 3 (0.8)^2 = 4.8 over 1 df; n0 = (5 - 13/5) = 2.4. */
	double y[] = { 1, 2, 3, 4, 6 };
	unsigned h[] = { 7, 9, 7, 9, 9 };
	stats_anova1(y, h, 5, &a);
	assert_int_equal(a.groups, 2);
	assert_float_equal(a.within, 10.0 / 3, 1e-12);
	assert_float_equal(a.between, (4.8 - 10.0 / 3) / 2.4, 1e-12);
	/* Equal means: between clipped at 0, not negative. */
	double z[] = { 1, 3, 2, 2 };
	unsigned e[] = { 1, 1, 2, 2 };
	stats_anova1(z, e, 4, &a);
	assert_float_equal(a.between, 0.0, 1e-12);
	/* One group: no between component. */
	stats_anova1(x, (unsigned[]){ 1, 1, 1, 1, 1, 1, 1, 1, 1 }, 9, &a);
	assert_true(isnan(a.between));
	assert_float_equal(a.within, 7.5, 1e-12);
}

/* summary.csv's columns on a planted two-level set: ln(MiB/s) of worker w's
 * repetitions 1,2,3 | 4,5,6 | 7,8,9 (the balanced case above). */
static void summary_components_of_a_planted_set(void **state)
{
	(void)state;
	struct cell c;
	memset(&c, 0, sizeof(c));
	key_init(&c.key, strategy_find("read"), SINK_PROCESS);
	c.key.dim[D_FILE_BYTES] = 1 << 20;
	c.key.dim[D_BLOCK_BYTES] = 128 << 10;
	struct sample s[9];
	memset(s, 0, sizeof(s));
	for (int i = 0; i < 9; i++) {
		s[i].c[C_WALL_NS] = 1e9 / exp(i + 1); /* 1 MiB in this time: MiB/s e^(i+1) */
		s[i].worker = (unsigned)(i / 3 + 1);
		s[i].iters = 1;
		s[i].verified = 1;
	}
	c.samples = s;
	c.n = 9;
	char path[1400];
	snprintf(path, sizeof(path), "%s/summary.csv", work);
	/* c_worker / c_rep 100: sqrt(100 * 1 / (26/3)) = 3.40, rounded up to 4. */
	assert_int_equal(summary_write(path, &c, 1, 100), 0);
	struct table t;
	assert_int_equal(table_read(&t, path), 0);
	assert_string_equal(table_get(&t, 1, "workers"), "3");
	assert_float_equal(atof(table_get(&t, 1, "var_within")), 1.0, 1e-5);
	assert_float_equal(atof(table_get(&t, 1, "var_between")), 26.0 / 3, 1e-5);
	assert_string_equal(table_get(&t, 1, "kj_reps_per_worker"), "4");
	table_free(&t);
	/* c_worker / c_rep 1: sqrt(3/26) < 1, so at least 1. */
	unlink(path);
	assert_int_equal(summary_write(path, &c, 1, 1), 0);
	assert_int_equal(table_read(&t, path), 0);
	assert_string_equal(table_get(&t, 1, "kj_reps_per_worker"), "1");
	table_free(&t);
}

/* scripts/abba.sh: the order of the turns, and a real sitting's meta. */
static void abba_order_and_sitting(void **state)
{
	(void)state;
	char cmd[12000], out[1200];
	snprintf(cmd, sizeof(cmd), "ABBA_DRY=1 scripts/abba.sh 4 -- a -- b >%s/order", work);
	assert_int_equal(shell_status(cmd), 0);
	char *order = slurp_at(work, "order");
	assert_string_equal(order, "A1 B1 B2 A2 A3 B3 B4 A4\n");
	free(order);
	snprintf(cmd, sizeof(cmd), "scripts/abba.sh x -- a -- b 2>/dev/null");
	assert_int_equal(shell_status(cmd), 2);
	snprintf(cmd, sizeof(cmd), "scripts/abba.sh 2 -- a 2>/dev/null");
	assert_int_equal(shell_status(cmd), 2);

	const char *bin = iopaths_bin();
	snprintf(cmd, sizeof(cmd),
		 "scripts/abba.sh 2 -- %s run --strategy read --sink process --sizes 4K --reps 2 --min-sample-ms 0 "
		 "--dir %s/ab.data --out %s/A -- %s run --strategy pread --sink process --sizes 4K --reps 2 "
		 "--min-sample-ms 0 --dir %s/ab.data --out %s/B >%s/ab.log 2>&1",
		 bin, work, work, bin, work, work, work);
	assert_int_equal(shell_status(cmd), 0);
	char buf[128];
	snprintf(out, sizeof(out), "%s/A", work);
	assert_string_equal(meta_value(out, "worker_order", buf, sizeof(buf)), "abba:A:1,4");
	assert_string_equal(meta_value(out, "workers", buf, sizeof(buf)), "2");
	snprintf(out, sizeof(out), "%s/B", work);
	assert_string_equal(meta_value(out, "worker_order", buf, sizeof(buf)), "abba:B:2,3");
	struct table t;
	read_runs(out, &t);
	assert_int_equal(t.rows - 1, 2 * 2);
	table_free(&t);

	/* A side refused at once: the sitting ends with status 2, nothing hangs. */
	snprintf(cmd, sizeof(cmd),
		 "timeout 60 scripts/abba.sh 2 -- %s run --strategy read --sink process --sizes 4K --dir %s/ab.data "
		 "--out %s/C -- %s run --bogus >/dev/null 2>&1", bin, work, work, bin);
	assert_int_equal(shell_status(cmd), 2);
	snprintf(out, sizeof(out), "%s/C", work);
	assert_string_equal(meta_value(out, "status", buf, sizeof(buf)), "failed");
}

/* The pid of a child of pid, waiting up to 20 s for one; -1 when none came. */
static pid_t child_of(pid_t pid)
{
	char path[128];
	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)pid, (int)pid);
	for (int i = 0; i < 2000; i++) {
		FILE *f = fopen(path, "r");
		int child = -1;
		if (f) {
			if (fscanf(f, "%d", &child) != 1)
				child = -1;
			fclose(f);
		}
		if (child > 0)
			return child;
		usleep(10000);
	}
	return -1;
}

static pid_t start_run(const char *name, const char *workers)
{
	char out[1200], data[1200];
	snprintf(out, sizeof(out), "%s/%s", work, name);
	snprintf(data, sizeof(data), "%s/%s.data", work, name);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
			_exit(127);
		execl(iopaths_bin(), "iopaths", "run", "--strategy", "read,pread", "--sink", "process", "--sizes",
		      "64K,1M", "--reps", "3", "--min-sample-ms", "30", "--workers", workers, "--dir", data, "--out", out,
		      (char *)NULL);
		_exit(127);
	}
	return pid;
}

static int exit_status(pid_t pid)
{
	int status;
	while (waitpid(pid, &status, 0) < 0)
		assert_int_equal(errno, EINTR);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Does a whole line of runs.csv text say worker 2?  Its fields hold no
 * commas (numbers and names), so the worker's is found by its place in the
 * header. */
static int worker_2_has_a_row(const char *text)
{
	int col = -1, i = 0;
	const char *nl = strchr(text, '\n');
	for (const char *f = text; nl && f < nl; i++, f = strchr(f, ',') ? strchr(f, ',') + 1 : nl)
		if (strncmp(f, "\"worker\"", 8) == 0 && (f[8] == ',' || f[8] == '\n'))
			col = i;
	for (const char *line = nl ? nl + 1 : NULL; col >= 0 && line && strchr(line, '\n');
	     line = strchr(line, '\n') + 1) {
		const char *f = line;
		for (int k = 0; k < col && f; k++)
			f = strchr(f, ',') ? strchr(f, ',') + 1 : NULL;
		if (f && f < strchr(line, '\n') && strncmp(f, "\"2\"", 3) == 0 && (f[3] == ',' || f[3] == '\n'))
			return 1;
	}
	return 0;
}

/* Ctrl-C while worker 2 runs: status 130, meta interrupted, worker 1's rows
 * all kept, and no worker after the one stopped. */
static void ctrl_c_keeps_finished_rows(void **state)
{
	(void)state;
	pid_t pid = start_run("int", "4");
	char runs[1400], out[1200], buf[64];
	snprintf(out, sizeof(out), "%s/int", work);
	snprintf(runs, sizeof(runs), "%s/runs.csv", out);
	int seen = 0;
	for (int i = 0; i < 3000 && !seen; i++) { /* until worker 2's first row */
		char *text = slurp(runs);
		seen = text && worker_2_has_a_row(text);
		free(text);
		if (!seen)
			usleep(10000);
	}
	assert_true(seen);
	kill(pid, SIGINT); /* the parent only: it stops the worker itself */
	assert_int_equal(exit_status(pid), 130);
	assert_string_equal(meta_value(out, "status", buf, sizeof(buf)), "interrupted");
	struct table t;
	read_runs(out, &t);
	int per[5] = { 0 };
	for (size_t r = 1; r < t.rows; r++) {
		int w = atoi(table_get(&t, r, "worker"));
		assert_true(w >= 1 && w <= 2);
		per[w]++;
	}
	assert_int_equal(per[1], 2 * 2 * 3);
	assert_true(per[2] >= 1 && per[2] < 2 * 2 * 3);
	table_free(&t);
	assert_true(file_in(out, "summary.csv"));
}

/* A worker killed: the run fails (status 1), meta says failed and why. */
static void failing_worker_fails_the_run(void **state)
{
	(void)state;
	pid_t pid = start_run("fail", "3");
	char out[1200], buf[512];
	snprintf(out, sizeof(out), "%s/fail", work);
	/* runs.csv is made just before the first worker: a child before it is
	 * one that records the machine. */
	for (int i = 0; i < 2000 && !file_in(out, "runs.csv"); i++)
		usleep(10000);
	pid_t child = child_of(pid);
	assert_true(child > 0);
	kill(child, SIGKILL);
	assert_int_equal(exit_status(pid), 1);
	assert_string_equal(meta_value(out, "status", buf, sizeof(buf)), "failed");
	if (!strstr(meta_value(out, "error", buf, sizeof(buf)), "worker 1 died"))
		fail_msg("meta error: '%s'", buf);
	struct table t;
	read_runs(out, &t);
	for (size_t r = 1; r < t.rows; r++)
		assert_string_equal(table_get(&t, r, "worker"), "1");
	table_free(&t);
}

static void bad_worker_options_refused(void **state)
{
	(void)state;
	const char *const bad[][12] = {
		{ "run", "--workers", "0", NULL },
		{ "run", "--workers", "1001", NULL },
		{ "run", "--warmup-workers", "2", NULL },
		{ "run", "--turns", "onlyone", NULL },
		{ "run", "--turns", "a,b,c", NULL },
		{ "run", "--workers", "2", "--duration", "1", "--pattern", "random", "--cache", "cold", "--sink",
		  "process", NULL },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char err[1200];
		snprintf(err, sizeof(err), "%s/bad.err", work);
		if (run_iopaths(work, NULL, err, bad[i]) != 2)
			fail_msg("iopaths %s %s %s: not refused with status 2", bad[i][1], bad[i][2], bad[i][3] ? bad[i][3] : "");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(workers_rows_seeds_and_orders, work_in_tmp, work_remove),
		cmocka_unit_test_setup_teardown(warmup_worker_discarded, work_in_tmp, work_remove),
		cmocka_unit_test_setup_teardown(one_worker_by_default, work_in_tmp, work_remove),
		cmocka_unit_test(anova_by_hand),
		cmocka_unit_test_setup_teardown(summary_components_of_a_planted_set, work_in_tmp, work_remove),
		cmocka_unit_test_setup_teardown(abba_order_and_sitting, work_in_tmp, work_remove),
		cmocka_unit_test_setup_teardown(ctrl_c_keeps_finished_rows, work_in_tmp, work_remove),
		cmocka_unit_test_setup_teardown(failing_worker_fails_the_run, work_in_tmp, work_remove),
		cmocka_unit_test_setup_teardown(bad_worker_options_refused, work_in_tmp, work_remove),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
