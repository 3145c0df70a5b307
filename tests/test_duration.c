/* --duration: the time-series mode (driver_duration.c, timeseries.c): rows
 * per interval, every span checked against the file's content, endless
 * spans that stop, Ctrl-C keeps the rows, a bad span fails the run, and,
 * with --mem-limit (root, a memory controller), memory held under it. */
#include "helpers.h"

#include "consumer.h"
#include "datafile.h"
#include "measure.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define LIMIT (32ULL << 20)

static const char *meta_of(const struct table *m, const char *key)
{
	for (size_t r = 1; r < m->rows; r++)
		if (strcmp(m->cell[r][0], key) == 0)
			return m->cell[r][1];
	return NULL;
}

static double num(const struct table *t, size_t r, const char *col)
{
	const char *v = table_get(t, r, col);
	assert_non_null(v);
	return *v ? strtod(v, NULL) : 0;
}

/* Rows of one strategy: at least 5, spans checked, none bad, used = ops x 4 KiB. */
#define MOVERS 2 /* the threaded run's --threads */

static void expect_series(const struct table *t, const char *strategy, int device)
{
	size_t rows = 0;
	double checked = 0, bad = 0, dev = 0, ops = 0, own = 0, used = 0;
	for (size_t r = 1; r < t->rows; r++) {
		if (strcmp(table_get(t, r, "strategy"), strategy) != 0)
			continue;
		rows++;
		checked += num(t, r, "spans_checked");
		bad += num(t, r, "spans_bad");
		dev += num(t, r, "dev_read_bytes");
		ops += num(t, r, "ops");
		own += num(t, r, "proc_read_bytes");
		used += num(t, r, "used_bytes");
		assert_true(num(t, r, "dt_s") > 0);
		assert_true(num(t, r, "used_bytes") == num(t, r, "ops") * 4096);
	}
	if (rows < 5 || !(checked > 0) || bad != 0 || !(ops > 0))
		fail_msg("%s: %zu rows, %.0f ops, %.0f spans checked, %.0f bad", strategy, rows, ops, checked, bad);
	if (device && !(dev > 0))
		fail_msg("%s read %.0f bytes from the device, cold", strategy, dev);
	if (!(own > 0)) /* cold: this process read from storage */
		fail_msg("%s: this process read %.0f bytes from storage, cold", strategy, own);
	/* O_DIRECT has no cache: every span used was read from the device, but
	 * for those in flight at the first sample (the sampler reads
	 * /proc/self/io, then the movers' counts): at most one per mover */
	if (strcmp(strategy, "odirect-pread") == 0 && own + MOVERS * 4096.0 < used)
		fail_msg("odirect-pread read %.0f bytes from storage for %.0f used", own, used);
}

static void read_run(const char *out, struct table *ts, struct table *meta)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/timeseries.csv", out);
	assert_int_equal(table_read(ts, path), 0);
	snprintf(path, sizeof(path), "%s/meta.csv", out);
	assert_int_equal(table_read(meta, path), 0);
}

#define DURATION_ARGS "--pattern", "random", "--block", "4K", "--io-size", "4K", "--cache", "cold", \
	"--sizes", "64M", "--duration", "3", "--interval", "0.5"

static void every_strategy_writes_checked_rows(void **state)
{
	(void)state;
	char out[PATH_MAX], out2[PATH_MAX];
	struct table ts, meta, ts2, meta2;
	run_in_work("threads", (const char *const[]){ "run", "--strategy", "mmap-shared,pread,odirect-pread",
		    "--variant", "mmap-shared.madvise=random", "--threads", "2", DURATION_ARGS, NULL }, out, sizeof(out));
	run_in_work("uring", (const char *const[]){ "run", "--strategy", "io-uring", "--qd", "4", "--threads", "1",
		    DURATION_ARGS, NULL }, out2, sizeof(out2));
	read_run(out, &ts, &meta);
	read_run(out2, &ts2, &meta2);
	int device = meta_of(&meta, "dev") && *meta_of(&meta, "dev");
	expect_series(&ts, "mmap-shared", device);
	expect_series(&ts, "pread", device);
	expect_series(&ts, "odirect-pread", device);
	expect_series(&ts2, "io-uring", device);
	assert_string_equal(table_get(&ts, 1, "madvise"), "random");
	assert_string_equal(table_get(&ts, 1, "threads"), "2");
	assert_string_equal(table_get(&ts2, 1, "qd"), "4");
	assert_string_equal(meta_of(&meta, "status"), "complete");
	table_free(&ts);
	table_free(&meta);
	table_free(&ts2);
	table_free(&meta2);
}

/* Root and a memory controller, or skip. */
static int can_limit(void)
{
	return geteuid() == 0 && (access("/sys/fs/cgroup/memory/memory.limit_in_bytes", F_OK) == 0 ||
				  access("/sys/fs/cgroup/cgroup.controllers", F_OK) == 0);
}

static void memory_stays_under_the_limit(void **state)
{
	(void)state;
	if (!can_limit())
		skip();
	char out[PATH_MAX];
	struct table ts, meta;
	run_in_work("limit", (const char *const[]){ "run", "--strategy", "mmap-shared", "--variant",
		    "madvise=random", "--threads", "2", "--mem-limit", "32M", DURATION_ARGS, NULL }, out, sizeof(out));
	read_run(out, &ts, &meta);
	expect_series(&ts, "mmap-shared", 0);
	double majflt = 0;
	for (size_t r = 1; r < ts.rows; r++) {
		double mem = num(&ts, r, "mem_bytes");
		if (!(mem > 0 && mem <= (double)LIMIT))
			fail_msg("row %zu: mem_bytes %.0f, the limit %llu", r, mem, LIMIT);
		majflt += num(&ts, r, "majflt");
		assert_string_equal(table_get(&ts, r, "mem_limit_bytes"), "33554432");
	}
	assert_true(majflt > 0); /* a 64 MiB file in 32 MiB: pages are evicted and faulted in again */
	struct stat st;
	assert_non_null(meta_of(&meta, "memcg_path"));
	assert_int_not_equal(stat(meta_of(&meta, "memcg_path"), &st), 0); /* removed */
	table_free(&ts);
	table_free(&meta);
}

static size_t lines_in(const char *path)
{
	char *text = slurp(path);
	size_t n = 0;
	for (char *p = text; p && *p; p++)
		n += *p == '\n';
	free(text);
	return n;
}

/* Ctrl-C after two rows: status 130, the rows kept, the run marked interrupted. */
static void sigint_keeps_the_rows(void **state)
{
	(void)state;
	char out[PATH_MAX], data[PATH_MAX], csv[PATH_MAX + 32];
	snprintf(out, sizeof(out), "%s/int", work);
	snprintf(data, sizeof(data), "%s/int.data", work);
	snprintf(csv, sizeof(csv), "%s/timeseries.csv", out);
	int limit = can_limit();
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		if (null < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0)
			_exit(127);
		const char *argv[] = { iopaths_bin(), "run", "--strategy", "pread", "--pattern", "random", "--block",
				       "4K", "--io-size", "4K", "--cache", "cold", "--sizes", "64M", "--duration", "60",
				       "--interval", "0.5", "--dir", data, "--out", out,
				       limit ? "--mem-limit" : NULL, "32M", NULL };
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	struct timespec tick = { 0, 50 * 1000 * 1000 };
	for (int i = 0; i < 1200 && lines_in(csv) < 3; i++) /* the header and two rows; at most 60 s */
		nanosleep(&tick, NULL);
	assert_int_equal(kill(pid, SIGINT), 0);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 130);
	struct table ts, meta;
	read_run(out, &ts, &meta);
	assert_true(ts.rows >= 3);
	assert_true(ts.rows < 120); /* it stopped long before the 60 s */
	assert_string_equal(meta_of(&meta, "status"), "interrupted");
	if (limit) {
		struct stat st;
		assert_int_not_equal(stat(meta_of(&meta, "memcg_path"), &st), 0);
	}
	table_free(&ts);
	table_free(&meta);
}

/* A run stopped (SIGSTOP) for several intervals: the sampler wakes late
 * once, and that wake is one row of its real length with missed_ticks
 * saying how many ticks it passed over, never a burst of catch-up rows of
 * no length and 0 ops; `iopaths pressure` on the series finds no cliff and
 * a steady state after near the rest. */
static void a_stopped_run_has_no_catch_up_rows(void **state)
{
	(void)state;
	char out[PATH_MAX], data[PATH_MAX], csv[PATH_MAX + 32], err[PATH_MAX + 16];
	snprintf(out, sizeof(out), "%s/stop", work);
	snprintf(data, sizeof(data), "%s/stop.data", work);
	snprintf(csv, sizeof(csv), "%s/timeseries.csv", out);
	snprintf(err, sizeof(err), "%s/stop.err", work);
	int limit = can_limit();
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY), fe = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (null < 0 || fe < 0 || dup2(null, 1) < 0 || dup2(fe, 2) < 0)
			_exit(127);
		const char *argv[] = { iopaths_bin(), "run", "--strategy", "pread", "--pattern", "random", "--block",
				       "4K", "--io-size", "4K", "--cache", "cold", "--sizes", "16M", "--duration", "5",
				       "--interval", "0.5", "--dir", data, "--out", out,
				       limit ? "--mem-limit" : NULL, "8M", NULL };
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	struct timespec tick = { 0, 20 * 1000 * 1000 };
	for (int i = 0; i < 3000 && lines_in(csv) < 3; i++) /* the header and two rows; at most 60 s */
		nanosleep(&tick, NULL);
	assert_int_equal(kill(pid, SIGSTOP), 0);
	nanosleep(&(struct timespec){ 2, 500 * 1000 * 1000 }, NULL); /* five intervals */
	assert_int_equal(kill(pid, SIGCONT), 0);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	struct table ts;
	assert_int_equal(table_read(&ts, csv), 0);
	assert_true(ts.rows >= 4);
	double missed = 0, longest = 0;
	for (size_t r = 1; r < ts.rows; r++) {
		double dt = num(&ts, r, "dt_s");
		if (r + 1 < ts.rows && dt < 0.5 * 0.5)
			fail_msg("row %zu of %zu: an interval of %g s (--interval 0.5), %s ops", r, ts.rows - 1, dt,
				 table_get(&ts, r, "ops"));
		longest = dt > longest ? dt : longest;
	}
	for (size_t r = 1; r < ts.rows; r++)
		missed += num(&ts, r, "missed_ticks");
	if (!(missed >= 3 && longest >= 2))
		fail_msg("a 2.5 s stop: %g missed ticks, the longest interval %g s", missed, longest);
	table_free(&ts);
	char *text = slurp(err);
	assert_non_null(text);
	assert_non_null(strstr(text, "the sampler woke"));
	free(text);

	assert_int_equal(run_iopaths(work, NULL, NULL, (const char *const[]){ "pressure", out, NULL }), 0);
	struct table p;
	snprintf(csv, sizeof(csv), "%s/pressure.csv", out);
	assert_int_equal(table_read(&p, csv), 0);
	assert_int_equal(p.rows, 2);
	const char *outcome = table_get(&p, 1, "outcome");
	if (strcmp(outcome, "cliff") == 0 || (limit && !(num(&p, 1, "mibps_after") > 0)))
		fail_msg("a stopped run judged \"%s\", mibps_after %s", outcome, table_get(&p, 1, "mibps_after"));
	table_free(&p);
}

/* A span that arrives wrong (the test hook flips a word of the 50th) fails the run. */
static void a_bad_span_fails_the_run(void **state)
{
	(void)state;
	char out[PATH_MAX], err[PATH_MAX + 16];
	const char *argv[] = { "run", "--strategy", "pread", "--threads", "2", "--pattern", "random", "--block", "4K",
			       "--io-size", "4K", "--cache", "cold", "--sizes", "16M", "--duration", "1",
			       "--interval", "0.5", "--dir", NULL, "--out", NULL, NULL };
	char data[PATH_MAX];
	snprintf(out, sizeof(out), "%s/bad", work);
	snprintf(data, sizeof(data), "%s/bad.data", work);
	snprintf(err, sizeof(err), "%s/bad.err", work);
	argv[20] = data;
	argv[22] = out;
	setenv("IOPATHS_TEST_CORRUPT_SPAN", "50", 1);
	int rc = run_iopaths(work, NULL, err, argv);
	unsetenv("IOPATHS_TEST_CORRUPT_SPAN");
	assert_int_equal(rc, 1);
	char *text = slurp(err);
	assert_non_null(text);
	assert_non_null(strstr(text, "pread delivered 1 spans that do not match the file, first at offset"));
	free(text);
}

/* data_word is data_fill's word. */
static void data_word_is_the_file(void **state)
{
	(void)state;
	uint64_t buf[64];
	data_fill(1096309, 4096 * 3, buf, sizeof(buf));
	for (int i = 0; i < 64; i++)
		assert_true(buf[i] == data_word(1096309, 4096 * 3 / 8 + (uint64_t)i));
}

/* The check: first and last words always, a middle word in a fully checked span. */
static void spans_mode_catches_wrong_words(void **state)
{
	(void)state;
	const uint64_t seed = 7;
	static uint64_t span[512];
	struct consumer c;
	uint64_t full = UINT64_MAX, light = UINT64_MAX; /* a span checked whole, one checked at its ends */
	for (uint64_t k = 0; k < 4096 && (full == UINT64_MAX || light == UINT64_MAX); k++)
		if (((k * 0x9e3779b97f4a7c15ULL) >> 58) == 0)
			full = full == UINT64_MAX ? k : full;
		else
			light = light == UINT64_MAX ? k : light;
	assert_true(full != UINT64_MAX && light != UINT64_MAX);
	consumer_reset(&c, CONSUME_SPANS, 0, 0);
	consumer_spans(&c, seed, 4096);
	uint64_t at[2] = { full * 4096, light * 4096 };
	for (int i = 0; i < 2; i++) {
		data_fill(seed, at[i], span, sizeof(span));
		consumer_take_at(&c, at[i], span, sizeof(span));
	}
	assert_int_equal(c.spans_checked, 2);
	assert_int_equal(c.spans_bad, 0);
	span[511] ^= 1; /* the last word of the light one */
	consumer_take_at(&c, at[1], span, sizeof(span));
	assert_int_equal(c.spans_bad, 1);
	assert_int_equal(c.first_bad, at[1]);
	data_fill(seed, at[0], span, sizeof(span));
	span[200] ^= 1; /* a middle word of the full one */
	consumer_take_at(&c, at[0], span, sizeof(span));
	assert_int_equal(c.spans_bad, 2);
	data_fill(seed, at[0] + 4096, span, sizeof(span)); /* the right words at the wrong offset */
	consumer_take_at(&c, at[0], span, sizeof(span));
	assert_int_equal(c.spans_bad, 3);
	assert_int_equal(c.spans_checked, 5);
}

/* Endless spans: random io-size spans without end, none once stop is set. */
static void endless_spans_stop_at_the_flag(void **state)
{
	(void)state;
	struct job j;
	int stop = 0;
	struct span s;
	memset(&j, 0, sizeof(j));
	j.size = 1 << 20;
	j.block = 4096;
	span_plan(&j, PATTERN_RANDOM, 4096, 1);
	j.endless = 1;
	j.stop = &stop;
	j.rng = 42;
	uint64_t seen[256] = { 0 };
	for (int i = 0; i < 1000; i++) { /* more spans than the file has: with replacement */
		assert_int_equal(span_next(&j, &s, 4096), 1);
		assert_int_equal(s.off % 4096, 0);
		assert_int_equal(s.len, 4096);
		assert_true((uint64_t)s.off < j.size);
		seen[s.off / 4096]++;
		span_moved(&j, 4096);
	}
	assert_int_equal(j.spans_done, 1000);
	size_t distinct = 0;
	for (int i = 0; i < 256; i++)
		distinct += seen[i] > 0;
	assert_true(distinct > 200 && distinct < 256 + 1);
	assert_int_equal(span_next(&j, &s, 1000), 1); /* a short span: the rest comes next */
	span_moved(&j, 1000);
	assert_int_equal(j.spans_done, 1000);
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED); /* as the sampler sets it */
	assert_int_equal(span_next(&j, &s, 4096), 0);
	assert_int_equal((uint64_t)s.off, j.size);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(data_word_is_the_file),
		cmocka_unit_test(spans_mode_catches_wrong_words),
		cmocka_unit_test(endless_spans_stop_at_the_flag),
		cmocka_unit_test_setup_teardown(every_strategy_writes_checked_rows, work_on_disk, work_remove),
		cmocka_unit_test_setup_teardown(memory_stays_under_the_limit, work_on_disk, work_remove),
		cmocka_unit_test_setup_teardown(sigint_keeps_the_rows, work_on_disk, work_remove),
		cmocka_unit_test_setup_teardown(a_bad_span_fails_the_run, work_on_disk, work_remove),
		cmocka_unit_test_setup_teardown(a_stopped_run_has_no_catch_up_rows, work_on_disk, work_remove),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
