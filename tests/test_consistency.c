/* summary.csv against runs.csv and first principles, per-pass values that
 * are really per pass, and (as root) syscall counts that match each path's
 * prediction exactly, as the README says they do. */
#include "helpers.h"

#include "cell.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


#define MIN_SAMPLE_MS 20
#define REPS 9 /* odd: the median MiB/s is the MiB/s of the median time; ranks 2 and 8 */

/* Runs iopaths with args, --dir and --out; reads runs.csv and summary.csv. */
static void run_into(const char *name, struct table *runs, struct table *summary, const char *const *args)
{
	char out[PATH_MAX], path[PATH_MAX + 32];
	run_in_work(name, args, out, sizeof(out));
	snprintf(path, sizeof(path), "%s/runs.csv", out);
	assert_int_equal(table_read(runs, path), 0);
	if (summary) {
		snprintf(path, sizeof(path), "%s/summary.csv", out);
		assert_int_equal(table_read(summary, path), 0);
	}
}

static double num(const struct table *t, size_t row, const char *col)
{
	const char *v = table_get(t, row, col);
	return *v ? strtod(v, NULL) : NAN;
}

/* Equal up to the 6 significant digits the CSV keeps; scale: the size of the quantity. */
static int close_to(double a, double b, double scale)
{
	if (isnan(a) || isnan(b))
		return isnan(a) && isnan(b);
	return fabs(a - b) <= 2e-5 * fmax(fmax(fabs(a), fabs(b)), fabs(scale)) + 1e-12;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median_sorted(const double *v, size_t n)
{
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* P(B <= k), B ~ Binomial(n, 1/2), by counting: n is small here. */
static double binom_cdf(size_t n, size_t k)
{
	double c = 1, sum = 0;
	for (size_t i = 0; i <= k; i++) {
		sum += c;
		c = c * (double)(n - i) / (double)(i + 1);
	}
	return sum / pow(2, (double)n);
}

/* The README's definitions, worked out here rather than taken from stats.c. */
struct expect {
	double median, min, max, mean, stddev, lo, hi, coverage;
};

static void expect_of(double *v, size_t n, struct expect *e)
{
	qsort(v, n, sizeof(*v), cmp_double);
	double sum = 0, ss = 0;
	for (size_t i = 0; i < n; i++)
		sum += v[i];
	e->mean = sum / (double)n;
	for (size_t i = 0; i < n; i++)
		ss += (v[i] - e->mean) * (v[i] - e->mean);
	e->stddev = n > 1 ? sqrt(ss / (double)(n - 1)) : 0;
	e->median = median_sorted(v, n);
	e->min = v[0];
	e->max = v[n - 1];
	size_t k = 1; /* the largest k with coverage >= 95%, else 1: [min, max] */
	for (size_t t = 2; t <= (n + 1) / 2; t++)
		if (1 - 2 * binom_cdf(n, t - 1) >= 0.95)
			k = t;
	e->lo = v[k - 1];
	e->hi = v[n - k];
	e->coverage = n == 1 ? 0 : 1 - 2 * binom_cdf(n, k - 1);
}

/* The identity columns, as cell.h defines them, and op. */
static int same_cell(const struct table *runs, size_t r, const struct table *summary, size_t s)
{
	for (size_t k = 0; k <= key_columns(); k++) {
		const char *col = k < key_columns() ? key_column(k) : "op";
		if (strcmp(table_get(runs, r, col), table_get(summary, s, col)) != 0)
			return 0;
	}
	return 1;
}

/* Per pass means per pass: bounds no per-sample total fits under, once it
 * is a sample of thousands of passes.  slack: what a whole sample may add. */
static void check_per_pass(const struct table *runs, size_t r, long cores)
{
	double iters = num(runs, r, "iters"), wall = num(runs, r, "wall_ns");
	double pages = ceil(num(runs, r, "file_bytes") / 4096);
	static const struct { const char *col; double per_wall_ns, fixed, per_sample; } bound[] = {
		/* CPU time: every CPU for the whole pass, and a tick of accounting per sample, with a
		 * wide margin (the ASan build once showed task_clock_ns at 4.7 x wall_ns on 2 CPUs):
		 * a per-sample total is thousands of times larger */
		{ "user_ns", 8, 0, 10e6 }, { "sys_ns", 8, 0, 10e6 }, { "task_clock_ns", 8, 0, 10e6 },
		{ "sender_user_ns", 8, 0, 10e6 }, { "sender_sys_ns", 8, 0, 10e6 },
		/* faults: at most one per page of the file, and the first touch of buffers */
		{ "minflt", 0, 8, 512 }, { "majflt", 0, 8, 512 }, { "pf", 0, 8, 512 },
		{ "pf_min", 0, 8, 512 }, { "pf_maj", 0, 8, 512 },
		/* a context switch or a syscall costs more than 500 ns or 50 ns */
		{ "nvcsw", 1 / 500.0, 4, 64 }, { "nivcsw", 1 / 500.0, 4, 64 }, { "ctx_switches", 1 / 500.0, 4, 64 },
		{ "cpu_migrations", 1 / 500.0, 4, 64 }, { "syscalls", 1 / 50.0, 8, 64 },
		{ "sender_syscalls", 1 / 50.0, 8, 64 },
	};
	for (size_t b = 0; b < sizeof(bound) / sizeof(bound[0]); b++) {
		double v = num(runs, r, bound[b].col);
		double most = bound[b].per_wall_ns * wall * (strstr(bound[b].col, "_ns") ? (double)cores : 1) +
			      bound[b].fixed + (bound[b].fixed ? pages : 0) + bound[b].per_sample / iters;
		if (v < 0 || v > most)
			fail_msg("%s to %s at %s bytes, %.0f passes of %.0f ns: %s = %g per pass, more than %g: "
				 "not divided by the passes?", table_get(runs, r, "strategy"), table_get(runs, r, "sink"),
				 table_get(runs, r, "file_bytes"), iters, wall, bound[b].col, v, most);
	}
}

static void summary_agrees_with_runs_and_first_principles(void **state)
{
	(void)state;
	struct table runs, summary;
	char ms[16], reps[16];
	snprintf(ms, sizeof(ms), "%d", MIN_SAMPLE_MS);
	snprintf(reps, sizeof(reps), "%d", REPS);
	run_into("sweep", &runs, &summary, (const char *const[]){ "run", "--op", "both", "--strategy",
		"pread,mmap-shared,read-write,splice,write,mmap-shared-write", "--sink", "process,unix,file",
		"--msync", "sync,none", "--fsync=both", "--sizes", "4097,64K", "--block", "128K", "--reps", reps,
		"--warmup", "0", "--min-sample-ms", ms, NULL });
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	int several_passes = 0;

	/* runs.csv alone: MiB/s from its definition, the calibration, per-pass bounds. */
	for (size_t r = 1; r < runs.rows; r++) {
		double bytes = num(&runs, r, "file_bytes"), wall = num(&runs, r, "wall_ns"), iters = num(&runs, r, "iters");
		if (!close_to(num(&runs, r, "mibps"), bytes / 1048576 / (wall / 1e9), 0))
			fail_msg("runs.csv row %zu: mibps %s is not %g bytes / 2^20 / %g ns", r,
				 table_get(&runs, r, "mibps"), bytes, wall);
		several_passes += iters > 1;
		/* warm-up 0: rep 0 calibrated, lasting at least --min-sample-ms over its passes */
		if (strcmp(table_get(&runs, r, "rep"), "0") == 0 && iters > 1 && wall * iters < MIN_SAMPLE_MS * 1e6 * 0.999)
			fail_msg("a calibrating sample of %.0f passes of %.0f ns is shorter than %d ms", iters, wall,
				 MIN_SAMPLE_MS);
		check_per_pass(&runs, r, cores);
	}
	if (several_passes < REPS * 4)
		fail_msg("only %d samples had several passes: the per-pass checks check nothing", several_passes);

	/* summary.csv: every row a cell of runs.csv, every column recomputed. */
	size_t cells_seen = 0;
	double *wall = malloc(runs.rows * sizeof(*wall)), *mibps = malloc(runs.rows * sizeof(*mibps));
	double *v = malloc(runs.rows * sizeof(*v));
	int *checked = calloc(summary.cols, sizeof(*checked));
	assert_non_null(wall);
	assert_non_null(mibps);
	assert_non_null(v);
	assert_non_null(checked);
	for (size_t s = 1; s < summary.rows; s++) {
		size_t n = 0, rows[256];
		for (size_t r = 1; r < runs.rows; r++)
			if (same_cell(&runs, r, &summary, s)) {
				assert_true(n < 256);
				rows[n++] = r;
			}
		if (n == 0)
			fail_msg("summary row %zu (%s to %s) has no rows in runs.csv", s, table_get(&summary, s, "label"),
				 table_get(&summary, s, "sink"));
		cells_seen += n;
		const char *what = table_get(&summary, s, "label");
		for (int c = 0; c < (int)summary.cols; c++) /* identity and settings: checked by same_cell */
			for (size_t k = 0; k <= key_columns(); k++)
				checked[c] |= strcmp(summary.cell[0][c], k < key_columns() ? key_column(k) : "op") == 0;

		assert_int_equal((size_t)num(&summary, s, "n"), n);
		checked[table_col(&summary, "n")] = 1;

		/* wall_ns and mibps: every statistic, by the README's definitions. */
		for (int which = 0; which < 2; which++) {
			const char *col = which ? "mibps" : "wall_ns";
			double *x = which ? mibps : wall;
			struct expect e;
			for (size_t i = 0; i < n; i++)
				x[i] = num(&runs, rows[i], col);
			expect_of(x, n, &e);
			const struct { const char *suffix; double want; } stat[] = {
				{ "median", e.median }, { "min", e.min }, { "max", e.max }, { "mean", e.mean },
				{ "stddev", e.stddev }, { "ci_lo", e.lo }, { "ci_hi", e.hi },
			};
			for (size_t k = 0; k < sizeof(stat) / sizeof(stat[0]); k++) {
				char name[64];
				snprintf(name, sizeof(name), "%s_%s", col, stat[k].suffix);
				if (!close_to(num(&summary, s, name), stat[k].want, e.mean))
					fail_msg("%s to %s at %s: %s is %s, from runs.csv %g", what,
						 table_get(&summary, s, "sink"), table_get(&summary, s, "file_bytes"), name,
						 table_get(&summary, s, name), stat[k].want);
				checked[table_col(&summary, name)] = 1;
			}
			if (which) {
				assert_true(close_to(num(&summary, s, "ci_coverage"), e.coverage, 0));
				checked[table_col(&summary, "ci_coverage")] = 1;
			}
		}
		/* From first principles: the file's bytes over the median time (n is odd). */
		double bytes = num(&summary, s, "file_bytes");
		double first = bytes / 1048576 / (num(&summary, s, "wall_ns_median") / 1e9);
		if (!close_to(num(&summary, s, "mibps_median"), first, 0))
			fail_msg("%s at %s bytes: mibps_median %s, but file_bytes / 2^20 / wall_ns_median is %g", what,
				 table_get(&summary, s, "file_bytes"), table_get(&summary, s, "mibps_median"), first);

		/* Every X_median is the median of runs.csv's X over the rows that have it. */
		for (size_t c = 0; c < summary.cols; c++) {
			const char *name = summary.cell[0][c];
			size_t len = strlen(name);
			if (len < 8 || strcmp(name + len - 7, "_median") != 0 || strncmp(name, "wall_ns", 7) == 0 ||
			    strncmp(name, "mibps", 5) == 0)
				continue;
			char col[64];
			snprintf(col, sizeof(col), "%.*s", (int)(len - 7), name);
			size_t m = 0;
			for (size_t i = 0; i < n; i++)
				if (!isnan(num(&runs, rows[i], col)))
					v[m++] = num(&runs, rows[i], col);
			qsort(v, m, sizeof(*v), cmp_double);
			double want = m ? median_sorted(v, m) : NAN;
			if (!close_to(num(&summary, s, name), want, 0))
				fail_msg("%s to %s at %s: %s is '%s', the median of runs.csv's %s is %g", what,
					 table_get(&summary, s, "sink"), table_get(&summary, s, "file_bytes"), name,
					 table_get(&summary, s, name), col, want);
			checked[c] = 1;
		}
		/* _all: 1 when every sample has it, 0 when one lacks it, empty when none measured it. */
		for (const char *const *f = (const char *const[]){ "persisted", "file_unchanged", NULL }; *f; f++) {
			char name[64];
			double all = NAN;
			for (size_t i = 0; i < n; i++) {
				double x = num(&runs, rows[i], *f);
				if (!isnan(x))
					all = (isnan(all) || all > 0) && x > 0;
			}
			snprintf(name, sizeof(name), "%s_all", *f);
			if (!close_to(num(&summary, s, name), all, 0))
				fail_msg("%s: %s is '%s', want %g", what, name, table_get(&summary, s, name), all);
			checked[table_col(&summary, name)] = 1;
		}
		/* The worker columns: one worker (this process), so the within
		 * variance is the sample variance of ln(MiB/s), and no between
		 * component or Kalibera-Jones count can be given. */
		double lsum = 0, lss = 0;
		for (size_t i = 0; i < n; i++) {
			assert_string_equal(table_get(&runs, rows[i], "worker"), "1");
			lsum += log(num(&runs, rows[i], "mibps"));
		}
		for (size_t i = 0; i < n; i++)
			lss += pow(log(num(&runs, rows[i], "mibps")) - lsum / n, 2);
		assert_string_equal(table_get(&summary, s, "workers"), "1");
		/* runs.csv holds MiB/s to 6 significant digits, each ln off by up to
		 * 5e-6: a variance of 0.013 from them is off by about 1e-5 of itself */
		if (fabs(num(&summary, s, "var_within") - lss / (n - 1)) > 1e-4 * (lss / (n - 1)) + 1e-12)
			fail_msg("%s: var_within %s, the variance of ln(mibps) %g", what, table_get(&summary, s, "var_within"),
				 lss / (n - 1));
		assert_string_equal(table_get(&summary, s, "var_between"), "");
		assert_string_equal(table_get(&summary, s, "kj_reps_per_worker"), "");
		for (const char *const *w = (const char *const[]){ "workers", "var_within", "var_between",
								  "kj_reps_per_worker", NULL }; *w; w++)
			checked[table_col(&summary, *w)] = 1;
		/* The label: the strategy and its variant. */
		char label[128];
		const char *strategy = table_get(&summary, s, "strategy"), *msync = table_get(&summary, s, "msync");
		if (*msync)
			snprintf(label, sizeof(label), "%s[msync=%s]", strategy, msync);
		else if (strcmp(table_get(&summary, s, "fsync"), "1") == 0)
			snprintf(label, sizeof(label), "%s[fsync]", strategy);
		else
			snprintf(label, sizeof(label), "%s", strategy);
		assert_string_equal(what, label);
		checked[table_col(&summary, "label")] = 1;
	}
	assert_int_equal(cells_seen, runs.rows - 1); /* and every row of runs.csv is in one */
	for (size_t c = 0; c < summary.cols; c++)
		if (!checked[c])
			fail_msg("summary.csv column %s is not checked here: add it", summary.cell[0][c]);
	free(wall);
	free(mibps);
	free(v);
	free(checked);
	table_free(&runs);
	table_free(&summary);
}

/* Each path's syscalls per pass, worked out from its loop. */
static double predicted_syscalls(const char *strategy, const char *msync, double size, double block, double pipe)
{
	double blocks = ceil(size / block);
	if (size == 0) /* only read's lseek and the read that finds the end */
		return strcmp(strategy, "read") == 0 || strcmp(strategy, "read-write") == 0 ? 2 : 0;
	static const struct { const char *name; double fixed, per_block, per_pipe; } p[] = {
		{ "read", 2, 1, 0 }, { "pread", 0, 1, 0 }, { "mmap-shared", 2, 0, 0 }, { "mmap-private", 2, 0, 0 },
		{ "memcpy", 0, 0, 0 }, { "read-write", 2, 2, 0 }, { "mmap-send", 2, 1, 0 }, { "sendfile", 1, 0, 0 },
		{ "splice", 0, 0, 2 }, { "copy-file-range", 1, 0, 0 }, { "write", 0, 1, 0 }, { "pwrite", 0, 1, 0 },
		{ "mmap-private-write", 2, 0, 0 },
	};
	if (strcmp(strategy, "mmap-shared-write") == 0) /* ftruncate, mmap, msync, munmap */
		return 3 + (strcmp(msync, "none") != 0);
	for (size_t i = 0; i < sizeof(p) / sizeof(p[0]); i++)
		if (strcmp(p[i].name, strategy) == 0)
			return p[i].fixed + p[i].per_block * blocks + p[i].per_pipe * ceil(size / pipe);
	fail_msg("no prediction here for %s: add one", strategy);
	return NAN;
}

/* As root the tracepoint counts syscalls: the sender's match the prediction
 * exactly (the README says so), and where no receiver thread runs, all of
 * the process's do too, once the baseline is taken off. */
static void syscalls_match_the_prediction_exactly(void **state)
{
	(void)state;
	if (geteuid() != 0) {
		print_message("not root: the raw_syscalls tracepoint cannot be opened; exact counts not checked\n");
		skip();
	}
	struct table runs;
	run_into("exact", &runs, NULL, (const char *const[]){ "run", "--op", "both", "--sink", "process,file,null,unix",
		"--msync", "sync,none", "--sizes", "0,4097,8388621", "--block", "128K", "--pipe-size", "1M",
		"--reps", "2", "--warmup", "1", "--min-sample-ms", "0", NULL });
	assert_true(runs.rows > 40);
	for (size_t r = 1; r < runs.rows; r++) {
		const char *strategy = table_get(&runs, r, "strategy"), *sink = table_get(&runs, r, "sink");
		double size = num(&runs, r, "file_bytes");
		double want = predicted_syscalls(strategy, table_get(&runs, r, "msync"), size,
						 num(&runs, r, "block_bytes"), 1 << 20);
		double sender = num(&runs, r, "sender_syscalls"), all = num(&runs, r, "syscalls");
		assert_true(num(&runs, r, "iters") == 1);
		if (isnan(sender) || isnan(all))
			fail_msg("as root, syscalls are empty for %s to %s", strategy, sink);
		if (sender != want)
			fail_msg("%s to %s at %.0f bytes: sender_syscalls %g, predicted %g", strategy, sink, size, sender,
				 want);
		if (strcmp(sink, "unix") != 0 && all != want) /* a receiver's recv() calls count in `syscalls` */
			fail_msg("%s to %s at %.0f bytes: syscalls %g, predicted %g (the baseline off?)", strategy, sink,
				 size, all, want);
		if (strcmp(sink, "unix") == 0 && size > 0 && !(all > want))
			fail_msg("%s to unix: syscalls %g, not more than the sender's %g", strategy, all, want);
	}
	table_free(&runs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(syscalls_match_the_prediction_exactly, work_on_disk, work_remove),
		cmocka_unit_test_setup_teardown(summary_agrees_with_runs_and_first_principles, work_on_disk, work_remove),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
