/* Issue 19's planted change of known size: `iopaths run --plant-ns N` waits
 * once per span_moved call that moved bytes, and counts them (moves_per_pass);
 * `iopaths power` turns a planted run's counts, its measured wait and the
 * base's time per pass into each cell's expected change, bands it, and tells
 * what compare found; `make power` (scripts/power.sh) refuses bad input.
 * Counts and files, never times: a wait's cost is the machine's. */
#include "helpers.h"

#include "cell.h"
#include "datafile.h"
#include "measure.h"
#include "plant.h"
#include "power.h"
#include "sink.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define SEED 0x9107ULL
#define BLOCK (128u << 10)

/* ---- the waits: one per call that moved bytes, counted ---- */

static void prepare(struct job *j, const struct strategy *s, const struct datafile *d, unsigned threads,
		    uint64_t plant_ns, struct expected *want)
{
	char err[PATH_MAX + 256];
	struct cell_key k;
	key_init(&k, s, SINK_PROCESS);
	k.dim[D_THREADS] = threads;
	k.dim[D_BLOCK_BYTES] = BLOCK;
	struct job_opts o = { .block = BLOCK, .key = &k, .dir = work, .sender_cpu = -1, .order_seed = SEED,
			      .plant_ns = plant_ns };
	if (job_prepare(j, s, SINK_PROCESS, d, &o, want, err, sizeof(err)) != 0)
		fail_msg("%s: %s", s->name, err);
}

/* The waits a sample paid are its moves, per pass x passes, on every kind of
 * path: a read per block, a thread's share of the blocks, a whole mapping,
 * an io_uring read claimed; and a job without --plant-ns counts and waits not. */
static void every_move_waits_once(void **state)
{
	(void)state;
	static const struct {
		const char *strategy;
		unsigned threads;
		double moves; /* per pass of 1 MiB in 128 KiB blocks */
	} paths[] = { { "read", 1, 8 }, { "pread", 2, 8 }, { "mmap-shared", 1, 1 }, { "io-uring", 1, 8 } };
	char err[PATH_MAX + 256];
	struct datafile d;
	if (datafile_make(&d, work, 1u << 20, SEED, NULL, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		for (uint64_t plant = 0; plant <= 1; plant++) {
			const struct strategy *s = strategy_find(paths[i].strategy);
			assert_non_null(s);
			struct job j;
			struct expected want;
			struct sample smp;
			prepare(&j, s, &d, paths[i].threads, plant, &want);
			uint64_t before = plant_waits();
			if (measure_once(&job_ctx, s, &j, &want, 3, 0, &smp, err, sizeof(err)) != 0)
				fail_msg("%s: %s", s->name, err);
			uint64_t waited = plant_waits() - before;
			assert_int_equal(smp.iters, 3);
			if (smp.moves != paths[i].moves)
				fail_msg("%s, %u threads: %g moves per pass, not %g", s->name, paths[i].threads, smp.moves,
					 paths[i].moves);
			assert_int_equal(waited, plant ? (uint64_t)(paths[i].moves * smp.iters) : 0);
			job_release(&j, s);
		}
	datafile_remove(&d);
}

static const char *meta_value(const struct table *t, const char *key)
{
	for (size_t r = 1; r < t->rows; r++)
		if (strcmp(table_get(t, r, "key"), key) == 0)
			return table_get(t, r, "value");
	return NULL;
}

/* A run records the moves of every row, the wait asked for and what it measured. */
static void a_planted_run_records_its_waits(void **state)
{
	(void)state;
	char out[PATH_MAX], path[PATH_MAX + 32];
	for (int planted = 0; planted <= 1; planted++) {
		run_in_work(planted ? "planted" : "plain",
			    (const char *const[]){ "run", "--strategy", "read,mmap-shared", "--sink", "process",
						   "--sizes", "1M", "--reps", "2", "--warmup", "0", "--min-sample-ms",
						   "0", "--plant-ns", planted ? "500" : "0", NULL },
			    out, sizeof(out));
		struct table runs, summary, meta;
		snprintf(path, sizeof(path), "%s/runs.csv", out);
		assert_int_equal(table_read(&runs, path), 0);
		snprintf(path, sizeof(path), "%s/summary.csv", out);
		assert_int_equal(table_read(&summary, path), 0);
		snprintf(path, sizeof(path), "%s/meta.csv", out);
		assert_int_equal(table_read(&meta, path), 0);
		/* appended to the list of columns, after `worker`, the one before it
		 * (the key columns of newer options come after that list, as ever) */
		assert_int_equal(table_col(&runs, "moves_per_pass"), table_col(&runs, "worker") + 1);
		assert_int_equal(runs.rows, 1 + 4);
		for (size_t r = 1; r < runs.rows; r++)
			assert_string_equal(table_get(&runs, r, "moves_per_pass"),
					    strcmp(table_get(&runs, r, "strategy"), "read") == 0 ? "8" : "1");
		for (size_t r = 1; r < summary.rows; r++)
			assert_string_equal(table_get(&summary, r, "moves_per_pass_median"),
					    strcmp(table_get(&summary, r, "strategy"), "read") == 0 ? "8" : "1");
		assert_string_equal(meta_value(&meta, "plant_ns"), planted ? "500" : "0");
		if (planted) {
			/* a spin ends no sooner than asked: at least 500 ns, whatever the machine */
			assert_non_null(meta_value(&meta, "plant_wait_ns"));
			assert_non_null(meta_value(&meta, "plant_wait_ns_end"));
			assert_true(strtod(meta_value(&meta, "plant_wait_ns"), NULL) >= 500);
			assert_true(strtod(meta_value(&meta, "plant_wait_ns_end"), NULL) >= 500);
			assert_non_null(strstr(meta_value(&meta, "plant_calibration"), "median of 9 batches"));
		} else {
			assert_null(meta_value(&meta, "plant_wait_ns"));
		}
		table_free(&runs);
		table_free(&summary);
		table_free(&meta);
	}
}

static void plant_ns_is_checked(void **state)
{
	(void)state;
	static const char *const bad[] = { "-1", "abc", "100000001", "", "1e3" };
	char err[PATH_MAX], out[PATH_MAX];
	snprintf(err, sizeof(err), "%s/err", work);
	snprintf(out, sizeof(out), "%s/never", work);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = run_iopaths(NULL, NULL, err, (const char *const[]){ "run", "--plant-ns", bad[i], "--out", out,
									 "--dir", work, NULL });
		assert_int_equal(rc, 2);
		assert_false(file_in(work, "never"));
	}
}

/* ---- the expected change and its band ---- */

static void the_expected_change_follows_from_the_counts(void **state)
{
	(void)state;
	/* 1000 ns a pass, 10 waits of 10 ns: 1000 / 1100 - 1 */
	assert_float_equal(power_expected_pct(1000, 10, 1, 10), 100 * (1000.0 / 1100 - 1), 1e-9);
	/* two threads at once: each pays half of the waits */
	assert_float_equal(power_expected_pct(1000, 10, 2, 10), 100 * (1000.0 / 1050 - 1), 1e-9);
	assert_float_equal(power_expected_pct(1000, 0, 1, 10), 0, 1e-12);
	assert_true(isnan(power_expected_pct(0, 10, 1, 10)));
	assert_true(isnan(power_expected_pct(1000, NAN, 1, 10)));
	/* bands: nearest on a log scale, [lo, hi) */
	assert_int_equal(power_band_of(-1.4), -1);
	assert_int_equal(power_band_of(-1.5), 0);
	assert_int_equal(power_band_of(-3.16), 0);
	assert_int_equal(power_band_of(-3.17), 1);
	assert_int_equal(power_band_of(-7.0), 1);
	assert_int_equal(power_band_of(-7.1), 2);
	assert_int_equal(power_band_of(-14.1), 2);
	assert_int_equal(power_band_of(-14.2), 3);
	assert_int_equal(power_band_of(-28.2), 3);
	assert_int_equal(power_band_of(-28.3), -1);
	assert_int_equal(power_band_of(5), 1); /* by size: a speed-up is banded as a slowdown is */
}

/* ---- iopaths power on a hand-made compare.csv ---- */

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[PATH_MAX + 64];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* work/fx: a base "a" and a planted run "b" (one wait measured 1000 ns
 * before, 1200 after: 1100), with cells of 1 MiB at 1000 MiB/s in the base
 * (1e6 ns a pass) that paid m waits a pass: m x 1100 ns more.
 *   c20    m 20:   -2.15 %  band 2,  same          -> no verdict
 *   c50    m 50:   -5.21 %  band 5,  slower        -> right
 *   c50b   m 50:   -5.21 %  band 5,  same within   -> no verdict
 *   c100   m 100:  -9.91 %  band 10, faster        -> wrong sign
 *   c200   m 200:  -18.0 %  band 20, slower        -> right
 *   c200b  m 200, 2 threads: 110000 ns, -9.91 % band 10, slower -> right
 *   c1000  m 1000: -52.4 %  outside, slower
 *   gone   not in b's summary: no expected change
 * and a pressure metric row, which is not a cell of MiB/s. */
static void make_fixture(char *fx, size_t len)
{
	char dir[PATH_MAX + 16];
	snprintf(fx, len, "%s/fx", work);
	assert_int_equal(mkdir(fx, 0755), 0);
	snprintf(dir, sizeof(dir), "%s/b", fx);
	assert_int_equal(mkdir(dir, 0755), 0);
	write_file(dir, "meta.csv", "key,value\nplant_ns,1000\nplant_wait_ns,1000\nplant_wait_ns_end,1200\n");
	write_file(dir, "summary.csv",
		   "label,sink,cache,file_bytes,block_bytes,consume,threads,moves_per_pass_median\n"
		   "c20,process,hot,1048576,131072,checksum,1,20\n"
		   "c50,process,hot,1048576,131072,checksum,1,50\n"
		   "c50b,process,hot,1048576,131072,checksum,1,50\n"
		   "c100,process,hot,1048576,131072,checksum,1,100\n"
		   "c200,process,hot,1048576,131072,checksum,1,200\n"
		   "c200b,process,hot,1048576,131072,checksum,2,200\n"
		   "c1000,process,hot,1048576,131072,checksum,1,1000\n");
	static const char *const cells[][2] = { { "c20", "same" },	     { "c50", "slower" },
						{ "c50b", "same within ±2 %" }, { "c100", "faster" },
						{ "c200", "slower" },	     { "c200b", "slower" },
						{ "c1000", "slower" },	     { "gone", "cannot tell" } };
	char text[8192];
	size_t used = (size_t)snprintf(text, sizeof(text),
				       "run,run_dir,label,sink,cache,file_bytes,block_bytes,consume,"
				       "base_mibps_median,change_pct,verdict,metric\n");
	for (int side = 0; side < 2; side++)
		for (size_t c = 0; c < sizeof(cells) / sizeof(cells[0]); c++)
			used += (size_t)snprintf(text + used, sizeof(text) - used,
						 "%s,%s/%s,%s,process,hot,1048576,131072,checksum,1000,%s,\"%s\",mibps\n",
						 side ? "B" : "A", fx, side ? "b" : "a", cells[c][0], side ? "-4.5" : "",
						 side ? cells[c][1] : "base");
	snprintf(text + used, sizeof(text) - used, "B,%s/b,c50,,,1048576,,,0.5,-50,slower,depth\n", fx);
	write_file(fx, "compare.csv", text);
}

static size_t row_where(const struct table *t, const char *col, const char *value)
{
	for (size_t r = 1; r < t->rows; r++)
		if (strcmp(table_get(t, r, col), value) == 0)
			return r;
	fail_msg("no row with %s %s", col, value);
	return 0;
}

static void power_counts_each_band(void **state)
{
	(void)state;
	char fx[PATH_MAX], cmp[PATH_MAX + 32], txt[PATH_MAX + 32], err[PATH_MAX + 32], path[PATH_MAX + 32];
	make_fixture(fx, sizeof(fx));
	snprintf(cmp, sizeof(cmp), "%s/compare.csv", fx);
	snprintf(txt, sizeof(txt), "%s/power.txt", work);
	snprintf(err, sizeof(err), "%s/power.err", work);
	assert_int_equal(run_iopaths(NULL, txt, err, (const char *const[]){ "power", work, cmp, NULL }), 0);

	struct table t;
	snprintf(path, sizeof(path), "%s/power.csv", work);
	assert_int_equal(table_read(&t, path), 0);
	assert_int_equal(t.rows, 1 + 4);
	static const char *const want[4][6] = {
		/* band, cells, right, right_pct, wrong_sign, no_verdict */
		{ "2", "1", "0", "0", "0", "1" },
		{ "5", "2", "1", "50", "0", "1" },
		{ "10", "2", "1", "50", "1", "0" },
		{ "20", "1", "1", "100", "0", "0" },
	};
	static const char *const cols[6] = { "band_pct", "cells", "right", "right_pct", "wrong_sign", "no_verdict" };
	for (int b = 0; b < 4; b++)
		for (int c = 0; c < 6; c++)
			if (strcmp(table_get(&t, 1 + (size_t)b, cols[c]), want[b][c]) != 0)
				fail_msg("band %s: %s is %s, not %s", want[b][0], cols[c], table_get(&t, 1 + (size_t)b, cols[c]),
					 want[b][c]);
	assert_float_equal(strtod(table_get(&t, 2, "band_lo_pct"), NULL), sqrt(10), 1e-4);
	assert_float_equal(strtod(table_get(&t, 2, "band_hi_pct"), NULL), sqrt(50), 1e-4);
	table_free(&t);

	snprintf(path, sizeof(path), "%s/power_cells.csv", work);
	assert_int_equal(table_read(&t, path), 0);
	assert_int_equal(t.rows, 1 + 8); /* every cell of b, none of the base, no metric */
	size_t r = row_where(&t, "label", "c50");
	assert_float_equal(strtod(table_get(&t, r, "base_wall_ns"), NULL), 1e6, 1e-3);
	assert_float_equal(strtod(table_get(&t, r, "plant_wait_ns"), NULL), 1100, 1e-9);
	assert_float_equal(strtod(table_get(&t, r, "planted_ns_per_pass"), NULL), 55000, 1e-6);
	assert_float_equal(strtod(table_get(&t, r, "expected_change_pct"), NULL), 100 * (1e6 / 1.055e6 - 1), 1e-4);
	assert_string_equal(table_get(&t, r, "band_pct"), "5");
	assert_string_equal(table_get(&t, r, "outcome"), "right");
	r = row_where(&t, "label", "c200b");
	assert_string_equal(table_get(&t, r, "threads"), "2");
	assert_string_equal(table_get(&t, r, "band_pct"), "10");
	r = row_where(&t, "label", "c1000");
	assert_string_equal(table_get(&t, r, "band_pct"), "");
	r = row_where(&t, "label", "gone");
	assert_string_equal(table_get(&t, r, "expected_change_pct"), "");
	assert_string_equal(table_get(&t, r, "outcome"), "no verdict");
	table_free(&t);

	char *said = slurp(txt);
	assert_non_null(said);
	if (!strstr(said, "power: expected change 10 % (7.07 to 14.1 %): 1 of 2 cells found slower (50 %), 1 of the "
			  "wrong sign, 0 without a verdict\n") ||
	    !strstr(said, "power: 1 cells outside the bands, 1 without an expected change"))
		fail_msg("power said:\n%s", said);
	free(said);

	/* never over an earlier one */
	assert_int_equal(run_iopaths(NULL, NULL, err, (const char *const[]){ "power", work, cmp, NULL }), 2);

	/* the figure, through lib.sh: drawn, with the bands' counts in its caption */
	char cmd[3 * PATH_MAX];
	snprintf(cmd, sizeof(cmd), "IOPATHS='%s' scripts/power/plots.sh '%s' '%s/plots' >'%s/plots.out' 2>&1",
		 iopaths_bin(), work, work, work);
	assert_int_equal(shell_status(cmd), 0);
	snprintf(path, sizeof(path), "%s/plots", work);
	assert_true(file_in(path, "power.png"));
	assert_true(file_in(path, "power.svg"));
	snprintf(path, sizeof(path), "%s/plots/figures.csv", work);
	assert_int_equal(table_read(&t, path), 0);
	assert_string_equal(table_get(&t, 1, "drawn"), "1");
	assert_non_null(strstr(table_get(&t, 1, "caption"), "expected 10 %: 1 of 2 cells found slower, 1 faster"));
	table_free(&t);
}

static void power_refuses_bad_input(void **state)
{
	(void)state;
	char fx[PATH_MAX], cmp[PATH_MAX + 32], err[PATH_MAX + 32], out[PATH_MAX + 32];
	make_fixture(fx, sizeof(fx));
	snprintf(cmp, sizeof(cmp), "%s/compare.csv", fx);
	snprintf(err, sizeof(err), "%s/err", work);
	snprintf(out, sizeof(out), "%s/out", work);
	assert_int_equal(mkdir(out, 0755), 0);
	assert_int_equal(run_iopaths(NULL, NULL, err, (const char *const[]){ "power", NULL }), 2);
	assert_int_equal(run_iopaths(NULL, NULL, err, (const char *const[]){ "power", out, NULL }), 2);
	assert_int_equal(run_iopaths(NULL, NULL, err, (const char *const[]){ "power", out, "/nonexistent.csv", NULL }),
			 2);
	/* a planted run that was not planted */
	write_file(fx, "b/meta.csv", "key,value\nplant_ns,0\n");
	assert_int_equal(run_iopaths(NULL, NULL, err, (const char *const[]){ "power", out, cmp, NULL }), 2);
	char *said = slurp(err);
	assert_non_null(strstr(said, "was not run with --plant-ns"));
	free(said);
	/* a summary without the moves */
	write_file(fx, "b/meta.csv", "key,value\nplant_ns,1000\nplant_wait_ns,1000\n");
	write_file(fx, "b/summary.csv", "label,sink,cache,file_bytes,block_bytes,consume\n");
	assert_int_equal(run_iopaths(NULL, NULL, err, (const char *const[]){ "power", out, cmp, NULL }), 2);
	said = slurp(err);
	assert_non_null(strstr(said, "has no column moves_per_pass_median"));
	free(said);
	/* a compare.csv of the base alone, and one without a verdict column */
	write_file(fx, "base.csv", "run,run_dir,label,sink,cache,file_bytes,block_bytes,consume,base_mibps_median,"
				   "change_pct,verdict\nA,a,c,process,hot,1,1,checksum,1,,base\n");
	snprintf(cmp, sizeof(cmp), "%s/base.csv", fx);
	assert_int_equal(run_iopaths(NULL, NULL, err, (const char *const[]){ "power", out, cmp, NULL }), 2);
	write_file(fx, "noverdict.csv", "run,run_dir,label\nA,a,c\n");
	snprintf(cmp, sizeof(cmp), "%s/noverdict.csv", fx);
	assert_int_equal(run_iopaths(NULL, NULL, err, (const char *const[]){ "power", out, cmp, NULL }), 2);
	assert_int_equal(dir_entries(out), 0);
}

/* make power's script: one line and status 2 on bad input, before any sweep.
 * Its iopaths is a stand-in that has --plant-ns and --turns and fails every run with 3,
 * so that input let through ends at once, and not with 2. */
static void the_script_refuses_bad_input(void **state)
{
	(void)state;
	static const char *const bad[] = { "QUICK=2", "PLANT_NS=abc", "PLANT_NS=0", "PLANT_NS='100 100'",
					   "PLANT_NS=' '", "PLANT_NS=1000000000", "WORKERS=0", "WORKERS=x" };
	char cmd[2 * PATH_MAX], stub[PATH_MAX];
	write_file(work, "iopaths", "#!/bin/sh\n[ \"$2\" = --help ] && { printf '  --plant-ns N\n  --turns IN,OUT\n'; exit 0; }\nexit 3\n");
	snprintf(stub, sizeof(stub), "%s/iopaths", work);
	assert_int_equal(chmod(stub, 0755), 0);
	snprintf(cmd, sizeof(cmd), "IOPATHS='%s' RESULTS_DIR='%s/res' scripts/power.sh >/dev/null 2>&1", stub, work);
	assert_int_equal(shell_status(cmd), 1); /* good input reaches the sweep, which fails */
	snprintf(cmd, sizeof(cmd), "rm -rf -- '%s/res'", work);
	assert_int_equal(shell_status(cmd), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(cmd, sizeof(cmd), "%s IOPATHS='%s' RESULTS_DIR='%s/res' scripts/power.sh >'%s/out' 2>'%s/err'",
			 bad[i], stub, work, work, work);
		if (shell_status(cmd) != 2)
			fail_msg("%s: not refused with status 2", bad[i]);
		char *said = slurp_at(work, "err");
		if (strncmp(said, "power: ", 7) != 0)
			fail_msg("%s: said %s", bad[i], said);
		free(said);
		assert_false(file_in(work, "res"));
	}
	snprintf(cmd, sizeof(cmd), "IOPATHS='%s' scripts/power/plots.sh '%s' '%s/p' 2>/dev/null", iopaths_bin(), work,
		 work);
	assert_int_equal(shell_status(cmd), 2); /* no power.csv there */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(every_move_waits_once, work_and_ctx_open, work_and_ctx_close),
		cmocka_unit_test_setup_teardown(a_planted_run_records_its_waits, work_in_tmp, work_remove),
		cmocka_unit_test_setup_teardown(plant_ns_is_checked, work_in_tmp, work_remove),
		cmocka_unit_test(the_expected_change_follows_from_the_counts),
		cmocka_unit_test_setup_teardown(power_counts_each_band, work_in_tmp, work_remove),
		cmocka_unit_test_setup_teardown(power_refuses_bad_input, work_in_tmp, work_remove),
		cmocka_unit_test_setup_teardown(the_script_refuses_bad_input, work_in_tmp, work_remove),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
