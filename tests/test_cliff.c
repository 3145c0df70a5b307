/* The mmap cliff (issue 14, DESIGN-14 §4): the rule on synthetic series
 * (core/cliff.c), pressure.csv from the hand-made run of
 * tests/fixtures/pressure/ (`iopaths pressure`), its figures and slide
 * (scripts/pressure/plots.sh), the page's section with values escaped, and
 * scripts/bench-pressure.sh on that fixture behind a stand-in iopaths (the
 * real --mem-limit/--duration run is issue 14's other parts). */
#include "helpers.h"

#include "cliff.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EPS 1e-9
#define N 20
#define LIMIT 1000.0

/* A series of N intervals of 0.5 s: MiB/s base (interval 0 a third of it),
 * memory reaching the limit at interval `reach` (-1: never), each interval
 * using 100 bytes with 100 device bytes and 10 shootdowns, 10x both from the
 * reach on. */
struct series {
	double t[N], dt[N], mibps[N], mem[N], dev[N], used[N], tlb[N];
	struct cliff_in in;
};

static void series_make(struct series *s, double base, long reach)
{
	memset(s, 0, sizeof(*s));
	double t = 0;
	for (long i = 0; i < N; i++) {
		s->dt[i] = 0.5;
		t += s->dt[i];
		s->t[i] = t;
		s->mibps[i] = i == 0 ? base / 3 : base;
		s->mem[i] = reach < 0 ? LIMIT / 10 : i >= reach ? LIMIT * 0.97 : LIMIT * 0.9 * (double)i / (double)reach;
		s->used[i] = 100;
		s->dev[i] = reach >= 0 && i >= reach ? 1000 : 100;
		s->tlb[i] = reach >= 0 && i >= reach ? 100 : 10;
	}
	s->in = (struct cliff_in){ .n = N, .t_s = s->t, .dt_s = s->dt, .mibps = s->mibps, .mem = s->mem,
		.dev = s->dev, .used = s->used, .tlb = s->tlb, .limit = LIMIT };
}

/* Reached at 6, MiB/s 100 until 8, then 30: the cliff is interval 8, it
 * starts at 4.0 s; before 100, after 30, depth 0.7; amplification and
 * shootdowns/s per phase. */
static void a_clean_cliff_at_a_known_interval(void **state)
{
	(void)state;
	struct series s;
	series_make(&s, 100, 6);
	for (long i = 8; i < N; i++)
		s.mibps[i] = 30;
	struct cliff_out o;
	cliff_find(&s.in, &o);
	assert_int_equal(o.outcome, CLIFF_FOUND);
	assert_int_equal(o.reached, 6);
	assert_float_equal(o.reached_s, 3.5, EPS);
	assert_int_equal(o.cliff, 8);
	assert_float_equal(o.cliff_s, 4.0, EPS); /* the start of interval 8 */
	assert_float_equal(o.before_mibps, 100, EPS);
	assert_float_equal(o.after_mibps, 30, EPS);
	assert_float_equal(o.depth, 0.7, EPS);
	assert_int_equal(o.after_lo, 6 + (N - 6) / 2);
	assert_float_equal(o.amp_before, 1, EPS);
	assert_float_equal(o.amp_after, 10, EPS);
	assert_float_equal(o.tlb_per_s_before, 20, EPS);
	assert_float_equal(o.tlb_per_s_after, 200, EPS);
	assert_true(isnan(o.majflt_per_s_after)); /* not given */
}

/* A fall to exactly half is not below half: no cliff (the rule is strict);
 * a fall to 60 % holds, and the depth is still reported. */
static void half_exactly_or_more_holds(void **state)
{
	(void)state;
	struct series s;
	series_make(&s, 100, 6);
	for (long i = 6; i < N; i++)
		s.mibps[i] = 50;
	struct cliff_out o;
	cliff_find(&s.in, &o);
	assert_int_equal(o.outcome, CLIFF_HELD);
	assert_int_equal(o.cliff, -1);
	assert_true(isnan(o.cliff_s));
	assert_float_equal(o.depth, 0.5, EPS);
	s.mibps[12] = 49.999;
	cliff_find(&s.in, &o);
	assert_int_equal(o.cliff, 12);
}

/* A dip below half before the limit is reached is no cliff: eviction has not
 * started.  Interval 0 (threads starting) is not in the median before. */
static void a_dip_before_the_limit_is_ignored(void **state)
{
	(void)state;
	struct series s;
	series_make(&s, 100, 6);
	s.mibps[3] = 10;
	s.mibps[0] = 1;
	struct cliff_out o;
	cliff_find(&s.in, &o);
	assert_int_equal(o.outcome, CLIFF_HELD);
	assert_int_equal(o.cliff, -1);
	/* intervals 1..2 only: 100 and 90, median 95 (with interval 0: 90) */
	series_make(&s, 100, 3);
	s.mibps[0] = 10;
	s.mibps[2] = 90;
	cliff_find(&s.in, &o);
	assert_float_equal(o.before_mibps, 95, EPS);
	assert_int_equal(o.before_lo, 1);
	assert_int_equal(o.before_hi, 3);
}

/* Memory never at 0.95 of the limit (0.94 is not): every interval but the
 * first is "before", nothing after, no cliff even when MiB/s falls. */
static void a_limit_never_reached(void **state)
{
	(void)state;
	struct series s;
	series_make(&s, 100, -1);
	for (long i = 0; i < N; i++)
		s.mem[i] = LIMIT * 0.94;
	for (long i = 10; i < N; i++)
		s.mibps[i] = 10;
	struct cliff_out o;
	cliff_find(&s.in, &o);
	assert_int_equal(o.outcome, CLIFF_NOT_REACHED);
	assert_int_equal(o.reached, -1);
	assert_int_equal(o.cliff, -1);
	assert_true(isnan(o.reached_s));
	assert_true(isnan(o.after_mibps));
	assert_true(isnan(o.amp_after));
	assert_true(isnan(o.depth));
	assert_float_equal(o.before_mibps, 10, EPS); /* 9 of 100, 10 of 10: the median of 1..19 */
	s.mem[4] = LIMIT * 0.95;                       /* exactly 0.95 is reached */
	cliff_find(&s.in, &o);
	assert_int_equal(o.reached, 4);
	/* no limit at all: never reached */
	s.in.limit = 0;
	cliff_find(&s.in, &o);
	assert_int_equal(o.outcome, CLIFF_NOT_REACHED);
}

/* Reached in interval 0 or 1: no baseline, no cliff, said so. */
static void reached_too_soon_for_a_baseline(void **state)
{
	(void)state;
	for (long r = 0; r <= 1; r++) {
		struct series s;
		series_make(&s, 100, r);
		for (long i = 5; i < N; i++)
			s.mibps[i] = 1;
		struct cliff_out o;
		cliff_find(&s.in, &o);
		assert_int_equal(o.outcome, CLIFF_TOO_SOON);
		assert_int_equal(o.cliff, -1);
		assert_true(isnan(o.before_mibps));
		assert_float_equal(o.after_mibps, 1, EPS);
	}
	struct series s;
	series_make(&s, 100, 2); /* one interval before: a baseline */
	for (long i = 5; i < N; i++)
		s.mibps[i] = 1;
	struct cliff_out o;
	cliff_find(&s.in, &o);
	assert_int_equal(o.outcome, CLIFF_FOUND);
	assert_int_equal(o.cliff, 5);
}

/* Noise of +-45 % around the same rate, before and after the reach: it never
 * falls below half the median, so no cliff; one interval at 0.4: a cliff. */
static void noise_above_half_is_no_cliff(void **state)
{
	(void)state;
	struct series s;
	series_make(&s, 100, 8);
	unsigned x = 12345;
	for (long i = 1; i < N; i++) {
		x = x * 1103515245u + 12345u;
		s.mibps[i] = 100 * (0.55 + 0.9 * (double)(x >> 16 & 0x7fff) / 32767.0);
	}
	struct cliff_out o;
	cliff_find(&s.in, &o);
	assert_int_equal(o.outcome, CLIFF_HELD);
	assert_true(o.before_mibps > 55 && o.before_mibps < 145);
	s.mibps[15] = 0.4 * o.before_mibps;
	cliff_find(&s.in, &o);
	assert_int_equal(o.cliff, 15);
}

/* Amplification is a ratio of sums (Σdev/Σused), not a median or mean of
 * the intervals' ratios; an interval without device reads (NaN) is left out
 * of both sums. */
static void amplification_is_a_ratio_of_sums(void **state)
{
	(void)state;
	struct series s;
	series_make(&s, 100, 4);
	for (long i = 12; i < N; i++) { /* the after window: 12..19 */
		s.used[i] = i % 2 ? 300 : 100;
		s.dev[i] = i % 2 ? 3000 : 100;
	}
	s.dev[13] = NAN;
	struct cliff_out o;
	cliff_find(&s.in, &o);
	assert_int_equal(o.after_lo, 12);
	/* 4 of (100, 100) and 3 of (300, 3000): 9400 / 1300 */
	assert_float_equal(o.amp_after, 9400.0 / 1300.0, 1e-12);
}

/* Catch-up rows (a sampler that woke late and fired its missed ticks at
 * once: dt 0.0001 s, 0 ops) are not intervals to judge: neither a cliff nor
 * part of a median, before or after.  Nor is an interval more than twice as
 * long as the cell's usual one (the process was stopped: half or more of it
 * can be a stop).  Their bytes and seconds still count in the ratios. */
static void catch_up_and_stalled_intervals_are_not_judged(void **state)
{
	(void)state;
	struct series s;
	series_make(&s, 100, 6);
	for (long i = 9; i <= 11; i++) { /* three catch-up rows after the reach */
		s.dt[i] = 0.0001;
		s.mibps[i] = 0;
	}
	double t = 0;
	for (long i = 0; i < N; i++)
		s.t[i] = t += s.dt[i];
	struct cliff_out o;
	cliff_find(&s.in, &o);
	assert_int_equal(o.outcome, CLIFF_HELD);
	assert_int_equal(o.cliff, -1);
	assert_float_equal(o.after_mibps, 100, EPS);

	/* Four of the after window's seven (13..19) are catch-up rows: its median is the others'. */
	series_make(&s, 100, 6);
	for (long i = 14; i <= 17; i++) {
		s.dt[i] = 0.0001;
		s.mibps[i] = 0;
	}
	cliff_find(&s.in, &o);
	assert_int_equal(o.after_lo, 13);
	assert_int_equal(o.outcome, CLIFF_HELD);
	assert_float_equal(o.after_mibps, 100, EPS);
	assert_float_equal(o.depth, 0, EPS);

	/* ... and before the reach: the baseline is the judged intervals'. */
	series_make(&s, 100, 8);
	s.dt[3] = s.dt[4] = 0.0001;
	s.mibps[3] = s.mibps[4] = 0;
	cliff_find(&s.in, &o);
	assert_float_equal(o.before_mibps, 100, EPS);

	/* A stop of 2 s in one 2.5 s row after the reach: a fifth of the rate, not a cliff. */
	series_make(&s, 100, 6);
	s.dt[15] = 2.5;
	s.mibps[15] = 20;
	cliff_find(&s.in, &o);
	assert_int_equal(o.outcome, CLIFF_HELD);
	assert_float_equal(o.after_mibps, 100, EPS);
	/* but the ratios keep every interval's time: 400 shootdowns more in 2 s more */
	s.tlb[15] = 100 + 2 * 200;
	cliff_find(&s.in, &o);
	assert_float_equal(o.tlb_per_s_after, 200, EPS);
}

/* The bounds of "judged": exactly DT_SHARE_MIN and DT_SHARE_MAX of the
 * median length are judged, a little less or more are not. */
static void judged_lengths_at_their_bounds(void **state)
{
	(void)state;
	static const struct {
		double dt;
		int judged;
	} cases[] = { { DT_SHARE_MIN * 0.5, 1 }, { DT_SHARE_MIN * 0.5 * 0.999, 0 },
		      { DT_SHARE_MAX * 0.5, 1 }, { DT_SHARE_MAX * 0.5 * 1.001, 0 } };
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		struct series s;
		series_make(&s, 100, 6);
		s.dt[12] = cases[k].dt;
		s.mibps[12] = 10;
		struct cliff_out o;
		cliff_find(&s.in, &o);
		if (o.cliff != (cases[k].judged ? 12 : -1))
			fail_msg("an interval of %g s (the usual 0.5): cliff %ld", cases[k].dt, o.cliff);
	}
}

/* The cliff's boundary intervals: in the very interval that reaches the
 * limit; in the first interval that can have one (the reach at 2, the first
 * with a baseline); in the last; interval 0 (start-up) is never a cliff nor
 * in the baseline. */
static void the_cliff_at_its_boundary_intervals(void **state)
{
	(void)state;
	struct series s;
	struct cliff_out o;
	series_make(&s, 100, 6);
	s.mibps[6] = 49;
	cliff_find(&s.in, &o);
	assert_int_equal(o.outcome, CLIFF_FOUND);
	assert_int_equal(o.cliff, 6);
	assert_float_equal(o.cliff_s, 3.0, EPS); /* the start of interval 6 */
	s.mibps[5] = 49; /* the interval before the reach: no cliff there */
	s.mibps[6] = 100;
	cliff_find(&s.in, &o);
	assert_int_equal(o.outcome, CLIFF_HELD);

	series_make(&s, 100, 2);
	s.mibps[2] = 40;
	cliff_find(&s.in, &o);
	assert_int_equal(o.cliff, 2);
	assert_float_equal(o.before_mibps, 100, EPS); /* interval 1 alone */

	series_make(&s, 100, 6);
	s.mibps[N - 1] = 40;
	cliff_find(&s.in, &o);
	assert_int_equal(o.outcome, CLIFF_FOUND);
	assert_int_equal(o.cliff, N - 1);
	assert_float_equal(o.cliff_s, 0.5 * (N - 1), EPS);

	series_make(&s, 100, 6);
	s.mibps[0] = 1; /* start-up: not in the baseline */
	cliff_find(&s.in, &o);
	assert_float_equal(o.before_mibps, 100, EPS);
	assert_int_equal(o.before_lo, 1);
	assert_int_equal(o.before_hi, 6);
}

static void copy_fixture(const char *name)
{
	char cmd[3 * PATH_MAX];
	snprintf(cmd, sizeof(cmd), "cp -r tests/fixtures/pressure/run %s/%s", work, name);
	assert_int_equal(shell_status(cmd), 0);
}

static char run_dir[PATH_MAX];
static int pressure_cmd(const char *name)
{
	snprintf(run_dir, sizeof(run_dir), "%s/%s", work, name);
	return run_iopaths(work, "out", "err", (const char *const[]){ "pressure", run_dir, NULL });
}

/* The fixture's five cells: the cliff where it was planted, held, never reached. */
static void pressure_csv_from_the_fixture(void **state)
{
	(void)state;
	copy_fixture("run");
	assert_int_equal(pressure_cmd("run"), 0);
	struct table t;
	char path[PATH_MAX + 32];
	snprintf(path, sizeof(path), "%s/run/pressure.csv", work);
	assert_int_equal(table_read(&t, path), 0);
	assert_int_equal(t.rows, 6);
	static const char *const want[][5] = {
		/* label, outcome, limit_reached_s, cliff_s, mibps_before */
		{ "mmap-shared[madvise=normal]", "cliff", "3.506", "3.506", "399.997" },
		{ "mmap-shared[madvise=random]", "cliff", "4.509", "5.009", "250" },
		{ "pread", "held", "4.509", "", "300" },
		{ "odirect-pread", "not reached", "", "", "119.997" },
		{ "io-uring[direct=on]", "not reached", "", "", "139.995" },
	};
	for (size_t r = 0; r < 5; r++) {
		assert_string_equal(table_get(&t, r + 1, "label"), want[r][0]);
		assert_string_equal(table_get(&t, r + 1, "outcome"), want[r][1]);
		assert_string_equal(table_get(&t, r + 1, "limit_reached_s"), want[r][2]);
		assert_string_equal(table_get(&t, r + 1, "cliff_s"), want[r][3]);
		assert_string_equal(table_get(&t, r + 1, "mibps_before"), want[r][4]);
		assert_string_equal(table_get(&t, r + 1, "cliff_fraction"), "0.5");
		assert_string_equal(table_get(&t, r + 1, "reached_share"), "0.95");
		assert_string_equal(table_get(&t, r + 1, "intervals"), "24");
		assert_string_equal(table_get(&t, r + 1, "spans_bad"), "0");
		assert_string_equal(table_get(&t, r + 1, "mem_limit_bytes"), "134217728");
	}
	assert_string_equal(table_get(&t, 1, "amp_before"), "1.5");
	assert_string_equal(table_get(&t, 1, "amp_after"), "12");
	assert_string_equal(table_get(&t, 5, "qd"), "8");
	assert_string_equal(table_get(&t, 5, "direct"), "on");
	assert_string_equal(table_get(&t, 4, "amp_after"), "");
	table_free(&t);
}

/* Bad input: one line, status 2, no pressure.csv. */
static void pressure_refuses_what_is_not_a_timeseries(void **state)
{
	(void)state;
	char cmd[3 * PATH_MAX];
	snprintf(cmd, sizeof(cmd), "mkdir %s/empty", work);
	assert_int_equal(shell_status(cmd), 0);
	assert_int_equal(pressure_cmd("empty"), 2);
	char *err = slurp_at(work, "err");
	assert_non_null(strstr(err, "timeseries.csv"));
	assert_ptr_equal(strchr(err, '\n'), err + strlen(err) - 1); /* one line */
	free(err);
	assert_false(file_in(work, "empty/pressure.csv"));
	copy_fixture("nocol");
	snprintf(cmd, sizeof(cmd), "sed -i '1s/,mem_bytes,/,memory,/' %s/nocol/timeseries.csv", work);
	assert_int_equal(shell_status(cmd), 0);
	assert_int_equal(pressure_cmd("nocol"), 2);
	err = slurp_at(work, "err");
	assert_non_null(strstr(err, "no column mem_bytes"));
	free(err);
	assert_false(file_in(work, "nocol/pressure.csv"));
}

/* A loop device: its backing device's reads are the ones that count
 * (DESIGN-14 §2.7); an interval without a backing value uses dev_read_bytes. */
static void backing_reads_count_for_a_loop_device(void **state)
{
	(void)state;
	char cmd[3 * PATH_MAX];
	snprintf(cmd, sizeof(cmd), "mkdir %s/loop && head -n 1 tests/fixtures/pressure/run/timeseries.csv >%s/loop/timeseries.csv",
		 work, work);
	assert_int_equal(shell_status(cmd), 0);
	char path[PATH_MAX + 32];
	snprintf(path, sizeof(path), "%s/loop/timeseries.csv", work);
	FILE *f = fopen(path, "a");
	assert_non_null(f);
	for (int i = 0; i < 4; i++) /* never reached: intervals 1..3 are "before"; used 100 each, backing 800, 800, dev 300 */
		fprintf(f, "pread,pread,,,,1,4096,4096,1000000,2,%d,1,1,100,0.0001,0,0,10,10,0,0,0,system,0,0,1,%s,1,1,0,0\n",
			i + 1, i == 3 ? "" : "800");
	fclose(f);
	snprintf(cmd, sizeof(cmd), "sed -i '$s/,1,,1,1,0,0$/,300,,1,1,0,0/' %s/loop/timeseries.csv", work);
	assert_int_equal(shell_status(cmd), 0);
	assert_int_equal(pressure_cmd("loop"), 0);
	struct table t;
	snprintf(path, sizeof(path), "%s/loop/pressure.csv", work);
	assert_int_equal(table_read(&t, path), 0);
	assert_string_equal(table_get(&t, 1, "outcome"), "not reached");
	assert_string_equal(table_get(&t, 1, "amp_before"), "6.33333"); /* (800 + 800 + 300) / 300 */
	table_free(&t);
}

/* plots.sh draws the three figures and the slide from the fixture, quietly;
 * the captions are written from pressure.csv's numbers. */
static void figures_and_slide_from_the_fixture(void **state)
{
	(void)state;
	copy_fixture("run");
	assert_int_equal(pressure_cmd("run"), 0);
	char cmd[4 * PATH_MAX];
	snprintf(cmd, sizeof(cmd), "IOPATHS=%s scripts/pressure/plots.sh %s/run %s/plots/pressure >%s/out 2>%s/err",
		 iopaths_bin(), work, work, work, work);
	expect_quiet(work, shell_status(cmd), "plots.sh");
	for (const char *const *f = (const char *const[]){ "throughput", "amplification", "tlb", NULL }; *f; f++)
		for (const char *const *e = (const char *const[]){ "png", "svg", "pdf", NULL }; *e; e++) {
			char name[64];
			snprintf(name, sizeof(name), "plots/pressure/%s.%s", *f, *e);
			if (!file_in(work, name))
				fail_msg("%s was not drawn", name);
		}
	char slides[PATH_MAX];
	snprintf(slides, sizeof(slides), "%s/plots/pressure/lecture", work);
	expect_slide(slides, "cliff");
	char *figures = slurp_at(work, "plots/pressure/figures.csv");
	assert_non_null(strstr(figures, "mmap-shared[madvise=random] read 250 MiB/s until the 128 MiB limit was "
					 "reached at 4.51 s, then 45.7 MiB/s (-82 %, cliff at 5.01 s"));
	assert_non_null(strstr(figures, "pread read 300 MiB/s until the 128 MiB limit was reached at 4.51 s, then "
					 "241 MiB/s (-20 %; held"));
	assert_non_null(strstr(figures, "odirect-pread read 120 MiB/s; memory in use never reached"));
	assert_non_null(strstr(figures, "mmap-shared[madvise=normal] read 1.5x the bytes it used before the limit, 12x after."));
	free(figures);
}

/* The page's section: present, with the figures, and every value from the
 * files escaped (a label and a meta value with markup in them). */
static void the_page_section_escapes_values(void **state)
{
	(void)state;
	copy_fixture("run");
	char cmd[4 * PATH_MAX];
	snprintf(cmd, sizeof(cmd),
		 "sed -i 's/^pread,pread,/pread,\"pr<b>\\&ad\",/' %s/run/timeseries.csv && "
		 "sed -i 's/\"fixture-host\"/\"<i>host<\\/i>\"/; s/\"limited (memsw)\"/\"<script>x<\\/script>\"/' %s/run/meta.csv",
		 work, work);
	assert_int_equal(shell_status(cmd), 0);
	assert_int_equal(pressure_cmd("run"), 0);
	snprintf(cmd, sizeof(cmd), "IOPATHS=%s scripts/pressure/plots.sh %s/run %s/plots/pressure >%s/out 2>%s/err",
		 iopaths_bin(), work, work, work, work);
	expect_quiet(work, shell_status(cmd), "plots.sh");
	char plots[PATH_MAX];
	snprintf(plots, sizeof(plots), "%s/plots", work);
	assert_int_equal(run_iopaths(work, "out", "err", (const char *const[]){ "report", run_dir, plots, NULL }), 0);
	char *html = slurp_at(work, "run/index.html");
	assert_non_null(strstr(html, "<h2 class=\"part\" id=\"pressure\">Memory pressure: the mmap cliff</h2>"));
	assert_non_null(strstr(html, "id=\"pressure-slide\""));
	assert_non_null(strstr(html, "id=\"pressure-table\""));
	assert_non_null(strstr(html, "memory limit (bytes) 134217728"));
	assert_non_null(strstr(html, "<td>pr&lt;b&gt;&amp;ad</td>"));
	assert_null(strstr(html, "pr<b>"));
	assert_non_null(strstr(html, "&lt;script&gt;x&lt;/script&gt;"));
	assert_null(strstr(html, "<script>"));
	assert_null(strstr(html, "<i>host"));
	assert_null(strstr(html, "not drawn"));
	assert_null(strstr(html, "no figures"));
	/* four figures: three and the slide */
	size_t imgs = 0;
	for (const char *p = html; (p = strstr(p, "<img ")); p++)
		imgs++;
	assert_int_equal(imgs, 4);
	free(html);
}

/* An iopaths without --duration: bench-pressure says so, status 2, makes nothing. */
static void bench_refuses_an_iopaths_without_duration(void **state)
{
	(void)state;
	char cmd[4 * PATH_MAX];
	snprintf(cmd, sizeof(cmd), "printf '#!/bin/sh\\necho usage: iopaths run --sizes LIST\\n' >%s/old && chmod +x %s/old && "
		 "FORCE=1 IOPATHS=%s/old OUT=%s/bp PLOTS_DIR=%s/plots DIR=%s/data scripts/bench-pressure.sh >%s/out 2>%s/err",
		 work, work, work, work, work, work, work, work);
	assert_int_equal(shell_status(cmd), 2);
	char *err = slurp_at(work, "err");
	assert_non_null(strstr(err, "iopaths: bench-pressure: "));
	assert_non_null(strstr(err, "has no --mem-limit option"));
	free(err);
	assert_false(file_in(work, "bp"));
	assert_false(file_in(work, "plots"));
	assert_false(file_in(work, "data"));
}

/* The whole bench on the fixture: a stand-in iopaths answers `run` with the
 * fixture's rows of the strategies asked for (and checks the bench asked for
 * the design's workload), the real one does the rest: one timeseries.csv of
 * both runs, pressure.csv of the five cells, figures, the page; the data
 * folder gone. */
static void bench_on_the_fixture(void **state)
{
	(void)state;
	char cmd[6 * PATH_MAX], path[PATH_MAX + 32];
	snprintf(path, sizeof(path), "%s/fake", work);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f,
		"#!/bin/sh\n"
		"fixture=$(pwd)/tests/fixtures/pressure/run\n"
		"[ \"$1\" = run ] || exec %s \"$@\"\n"
		"case \"$*\" in *--help*) echo '--mem-limit SIZE --duration SEC --interval SEC'; exit 0 ;; esac\n"
		"for w in '--mem-limit 128M' '--duration 18' '--interval 0.1' '--sizes 512M' '--pattern random' '--io-size 4K' "
		"'--cache cold' '--keep'; do\n"
		"\tcase \" $* \" in *\" $w \"*) ;; *) echo \"fake: no $w in $*\" >&2; exit 3 ;; esac\n"
		"done\n"
		"while [ $# -gt 0 ]; do case $1 in --out) out=$2 ;; --strategy) s=$2 ;; --dir) d=$2 ;; esac; shift; done\n"
		"[ -d \"$d\" ] || exit 5\n"
		"mkdir \"$out\" && cp \"$fixture/meta.csv\" \"$out/\"\n"
		"case $s in io-uring) awk 'NR == 1 || /^io-uring,/' ;; *) awk 'NR == 1 || !/^io-uring,/' ;; esac "
		"<\"$fixture/timeseries.csv\" >\"$out/timeseries.csv\"\n",
		iopaths_bin());
	assert_int_equal(fclose(f), 0);
	snprintf(cmd, sizeof(cmd), "chmod +x %s/fake && mkdir %s/data && QUICK=1 FORCE=1 IOPATHS=%s/fake OUT=%s/bp "
		 "PLOTS_DIR=%s/plots DIR=%s/data scripts/bench-pressure.sh >%s/out 2>%s/err",
		 work, work, work, work, work, work, work, work);
	int rc = shell_status(cmd);
	if (rc != 0) {
		char *err = slurp_at(work, "err");
		fail_msg("bench-pressure exited %d: %s", rc, err);
	}
	struct table t;
	snprintf(path, sizeof(path), "%s/bp/pressure.csv", work);
	assert_int_equal(table_read(&t, path), 0);
	assert_int_equal(t.rows, 6);
	assert_string_equal(table_get(&t, 5, "label"), "io-uring[direct=on]");
	table_free(&t);
	snprintf(path, sizeof(path), "%s/bp/pressure-uring/pressure.csv", work);
	assert_int_equal(table_read(&t, path), 0);
	assert_int_equal(t.rows, 2);
	table_free(&t);
	assert_true(file_in(work, "plots/bp/pressure/throughput.svg"));
	assert_true(file_in(work, "plots/bp/pressure/lecture/cliff.png"));
	char *html = slurp_at(work, "bp/index.html");
	assert_non_null(strstr(html, "id=\"pressure\""));
	free(html);
	snprintf(path, sizeof(path), "%s/data", work);
	assert_int_equal(dir_entries(path), 0); /* the data folder of the runs is gone */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_clean_cliff_at_a_known_interval),
		cmocka_unit_test(half_exactly_or_more_holds),
		cmocka_unit_test(a_dip_before_the_limit_is_ignored),
		cmocka_unit_test(a_limit_never_reached),
		cmocka_unit_test(reached_too_soon_for_a_baseline),
		cmocka_unit_test(noise_above_half_is_no_cliff),
		cmocka_unit_test(amplification_is_a_ratio_of_sums),
		cmocka_unit_test(catch_up_and_stalled_intervals_are_not_judged),
		cmocka_unit_test(judged_lengths_at_their_bounds),
		cmocka_unit_test(the_cliff_at_its_boundary_intervals),
		cmocka_unit_test_setup_teardown(pressure_csv_from_the_fixture, work_in_tmp, work_remove),
		cmocka_unit_test_setup_teardown(pressure_refuses_what_is_not_a_timeseries, work_in_tmp, work_remove),
		cmocka_unit_test_setup_teardown(backing_reads_count_for_a_loop_device, work_in_tmp, work_remove),
		cmocka_unit_test_setup_teardown(figures_and_slide_from_the_fixture, work_in_tmp, work_remove),
		cmocka_unit_test_setup_teardown(the_page_section_escapes_values, work_in_tmp, work_remove),
		cmocka_unit_test_setup_teardown(bench_refuses_an_iopaths_without_duration, work_in_tmp, work_remove),
		cmocka_unit_test_setup_teardown(bench_on_the_fixture, work_in_tmp, work_remove),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
