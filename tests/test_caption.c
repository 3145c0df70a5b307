/* iopaths caption on two checked-in runs that disagree (tests/fixtures/
 * caption-read-wins: read beats mmap-shared, as on this machine;
 * caption-mmap-wins: the same run with mmap-shared made 4x as fast), and on a
 * real 2-repetition run.  Every sentence checked here is checked against the
 * summary.csv it was written from: no caption may claim what the rows do not. */
#include "helpers.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define READ_WINS "tests/fixtures/caption-read-wins"
#define MMAP_WINS "tests/fixtures/caption-mmap-wins"
#define TEXTBOOK "The textbook expects mmap to lead for large hot files, where it skips the copy."

struct said {
	int rc;
	char *out, *err;
};

/* Runs `iopaths caption ARGS...`; stdout and stderr kept. */
static struct said caption(const char *const *args)
{
	char dir[1024], out[1100], err[1100];
	const char *argv[40] = { "caption" };
	size_t n = 1;
	for (; args[n - 1] && n < 39; n++)
		argv[n] = args[n - 1];
	argv[n] = NULL;
	tmpdir_make(dir, sizeof(dir));
	snprintf(out, sizeof(out), "%s/out", dir);
	snprintf(err, sizeof(err), "%s/err", dir);
	struct said s = { .rc = run_iopaths(NULL, out, err, argv) };
	s.out = slurp(out);
	s.err = slurp(err);
	assert_non_null(s.out);
	assert_non_null(s.err);
	tmpdir_remove(dir);
	return s;
}

static void said_free(struct said *s)
{
	free(s->out);
	free(s->err);
}

/* A paragraph: exit 0, one line on stdout, nothing on stderr. */
static struct said paragraph(const char *const *args)
{
	struct said s = caption(args);
	if (s.rc != 0)
		fail_msg("caption exited %d: %s", s.rc, s.err);
	assert_string_equal(s.err, "");
	size_t len = strlen(s.out);
	assert_true(len > 0 && s.out[len - 1] == '\n');
	assert_ptr_equal(strchr(s.out, '\n'), s.out + len - 1); /* one line */
	return s;
}

static void has(const char *text, const char *part)
{
	if (!strstr(text, part))
		fail_msg("expected \"%s\" in: %s", part, text);
}

static void lacks(const char *text, const char *part)
{
	if (strstr(text, part))
		fail_msg("did not expect \"%s\" in: %s", part, text);
}

/* The caption's rounding, worked out apart from it: 3 significant digits. */
static void three_digits(double v, char *out, size_t len)
{
	if (v == 0) {
		snprintf(out, len, "0");
		return;
	}
	int e = (int)floor(log10(fabs(v)));
	double scale = pow(10, e - 2), r = round(v / scale) * scale;
	if (e >= 2)
		snprintf(out, len, "%.0f", r);
	else
		snprintf(out, len, "%g", r);
}

/* The median of col for label at a size and sink in a run's summary.csv. */
static double median_of(const char *run, const char *label, const char *sink, const char *bytes, const char *col)
{
	char path[1024];
	struct table t;
	snprintf(path, sizeof(path), "%s/summary.csv", run);
	assert_int_equal(table_read(&t, path), 0);
	double v = NAN;
	for (size_t r = 1; r < t.rows; r++)
		if (strcmp(table_get(&t, r, "label"), label) == 0 && strcmp(table_get(&t, r, "sink"), sink) == 0 &&
		    strcmp(table_get(&t, r, "file_bytes"), bytes) == 0)
			v = strtod(table_get(&t, r, col), NULL);
	table_free(&t);
	if (isnan(v))
		fail_msg("%s has no %s row for %s", path, col, label);
	return v;
}

/* The ratio compare's worker test estimates, worked out apart from it: the
 * geometric mean over workers of each worker's median of col (the fixtures'
 * workers hold one repetition each, so: of every repetition), x over y. */
static double gmean_of(const char *run, const char *strategy, const char *sink, const char *bytes, const char *fsync,
		       const char *col)
{
	char path[1024];
	struct table t;
	snprintf(path, sizeof(path), "%s/runs.csv", run);
	assert_int_equal(table_read(&t, path), 0);
	double sum = 0;
	size_t n = 0;
	for (size_t r = 1; r < t.rows; r++)
		if (strcmp(table_get(&t, r, "strategy"), strategy) == 0 && strcmp(table_get(&t, r, "sink"), sink) == 0 &&
		    strcmp(table_get(&t, r, "file_bytes"), bytes) == 0 &&
		    (!fsync || strcmp(table_get(&t, r, "fsync"), fsync) == 0)) {
			sum += log(strtod(table_get(&t, r, col), NULL));
			n++;
		}
	table_free(&t);
	if (n == 0)
		fail_msg("%s has no %s row for %s", path, col, strategy);
	return exp(sum / (double)n);
}

static const char *const expect_args[] = { "--metric", "mibps", "--where", "sink=process", "--at", "largest",
					   "--expect", "mmap-shared>read", "--textbook", TEXTBOOK,
					   "--evidence", "pf,user_ns,sys_ns", NULL };

static struct said expect_on(const char *run)
{
	const char *argv[20] = { run };
	for (size_t i = 0; expect_args[i]; i++)
		argv[i + 1] = expect_args[i];
	return paragraph(argv);
}

/* The same flags on the two runs: opposite sentences, each the one its summary.csv supports. */
static void fixtures_get_opposite_verdicts(void **state)
{
	(void)state;
	struct said r = expect_on(READ_WINS), m = expect_on(MMAP_WINS);

	/* The rows: read ahead of mmap-shared in one, behind in the other. */
	assert_true(median_of(READ_WINS, "read", "process", "1048576", "mibps_median") >
		    median_of(READ_WINS, "mmap-shared", "process", "1048576", "mibps_median"));
	assert_true(median_of(MMAP_WINS, "read", "process", "1048576", "mibps_median") <
		    median_of(MMAP_WINS, "mmap-shared", "process", "1048576", "mibps_median"));

	has(r.out, "this run shows the opposite order: read beats mmap-shared");
	lacks(r.out, "agrees");
	has(m.out, "this run agrees on the order: mmap-shared beats read");
	lacks(m.out, "opposite");
	/* The textbook's words, once, and the pair they are about. */
	has(r.out, "The textbook expects mmap to lead for large hot files, where it skips the copy: mmap-shared over read");
	/* The evidence, only where the run contradicts the textbook: both series, per pass, with units. */
	has(r.out, "mmap-shared: 18 page faults, ");
	has(r.out, "; read: 0 page faults, ");
	has(r.out, " µs system");
	lacks(m.out, "page faults");
	/* The key ratio is the --expect pair, the larger first, with its interval and verdict. */
	char want[256], ratio[32];
	three_digits(gmean_of(READ_WINS, "read", "process", "1048576", NULL, "mibps") /
			     gmean_of(READ_WINS, "mmap-shared", "process", "1048576", NULL, "mibps"),
		     ratio, sizeof(ratio));
	snprintf(want, sizeof(want),
		 "read's throughput over mmap-shared's, worker process by worker process: %s× (95%% interval ", ratio);
	has(r.out, want);
	three_digits(gmean_of(MMAP_WINS, "mmap-shared", "process", "1048576", NULL, "mibps") /
			     gmean_of(MMAP_WINS, "read", "process", "1048576", NULL, "mibps"),
		     ratio, sizeof(ratio));
	snprintf(want, sizeof(want), "mmap-shared's throughput over read's, worker process by worker process: %s×",
		 ratio);
	has(m.out, want);
	/* compare's verdict: p across the workers and an interval beyond the noise threshold */
	has(r.out, "a difference beyond the ±2% noise threshold (t test across 5 and 5 worker processes, p = ");
	/* What was measured. */
	has(r.out, "Measured: throughput in MiB/s (higher is better), the median of n = 5 repetitions in 5 worker processes per series; "
		   "cache state hot; sink process; file sizes 64 KiB and 1 MiB.");
	said_free(&r);
	said_free(&m);

	/* At 64 KiB mmap-shared's repetitions were scaled to read's median: the same within the noise threshold. */
	m = paragraph((const char *const[]){ MMAP_WINS, "--where", "sink=process", "--at", "64K", "--expect",
					     "mmap-shared>read", "--evidence", "pf", NULL });
	has(m.out, "this run finds no order: the same within ±2% (5 and 5 worker processes)");
	lacks(m.out, "beyond the");
	lacks(m.out, "agrees");
	lacks(m.out, "opposite");
	lacks(m.out, "page faults");
	said_free(&m);

	/* Lower is better: the slower one has the larger wall time, and the verdict reads that way. */
	r = paragraph((const char *const[]){ READ_WINS, "--sinks", "file", "--metric", "wall_ns", "--expect",
					     "write[fsync]>write", "--evidence", "sys_ns,persisted_all", NULL });
	has(r.out, "wall time per pass (lower is better)");
	has(r.out, "best first: write 227 µs; read-write 235 µs; write[fsync] 869 µs.");
	three_digits(gmean_of(READ_WINS, "write", "file", "1048576", "1", "wall_ns") /
			     gmean_of(READ_WINS, "write", "file", "1048576", "0", "wall_ns"),
		     ratio, sizeof(ratio));
	snprintf(want, sizeof(want), "write[fsync]'s wall time per pass over write's, worker process by worker process: %s×",
		 ratio);
	has(r.out, want);
	has(r.out, "this run shows the opposite order: write beats write[fsync]");
	has(r.out, "write[fsync]: 503 µs system, persisted_all yes; write: 401 µs system, persisted_all no.");
	said_free(&r);
}

/* Every label at the size asked, best first, with the median summary.csv holds. */
static void ranking_matches_the_summary(void **state)
{
	(void)state;
	static const char *const labels[] = { "read", "pread", "mmap-shared" };
	static const char *const metrics[][3] = { { "mibps", " MiB/s", "higher" }, { "wall_ns", " µs", "lower" } };
	for (size_t m = 0; m < 2; m++) {
		struct said s = paragraph((const char *const[]){ READ_WINS, "--metric", metrics[m][0], "--where",
								 "sink=process", "--at", "1M", NULL });
		char col[64];
		snprintf(col, sizeof(col), "%s_median", metrics[m][0]);
		double v[3];
		const char *pos[3];
		for (size_t i = 0; i < 3; i++) {
			char num[32], item[96];
			v[i] = median_of(READ_WINS, labels[i], "process", "1048576", col);
			three_digits(m == 1 ? v[i] / 1e3 : v[i], num, sizeof(num));
			snprintf(item, sizeof(item), " %s %s%s", labels[i], num, metrics[m][1]);
			pos[i] = strstr(s.out, item);
			if (!pos[i])
				fail_msg("expected \"%s\" in: %s", item, s.out);
		}
		/* Best first: higher MiB/s, lower time. */
		for (size_t i = 0; i < 3; i++)
			for (size_t j = 0; j < 3; j++)
				if (m == 0 ? v[i] > v[j] : v[i] < v[j])
					assert_true(pos[i] < pos[j]);
		has(s.out, metrics[m][2]);
		has(s.out, "Hot cache, process sink, 1 MiB files, best first: ");
		lacks(s.out, "64 KiB files,");
		said_free(&s);
	}
}

/* A run of one worker process: its repetitions are not independent samples
 * of the path, so no verdict, no agreement, whatever they say. */
static void two_repetitions_are_too_few(void **state)
{
	(void)state;
	char run[1024];
	run_in_work("two", (const char *const[]){ "run", "--strategy", "read,mmap-shared", "--sizes", "64K", "--cache",
						   "hot", "--reps", "2", NULL },
		    run, sizeof(run));
	struct said s = paragraph((const char *const[]){ run, "--expect", "mmap-shared>read", NULL });
	has(s.out, "a side has one worker process (1 and 1), whose repetitions cannot tell a difference from that "
		   "process's luck: no verdict");
	has(s.out, "this run cannot tell which leads: a side has one worker process");
	lacks(s.out, "beyond the");
	lacks(s.out, "agrees");
	lacks(s.out, "opposite");
	lacks(s.out, "interval");
	has(s.out, "n = 2 repetitions in one worker process per series");
	said_free(&s);
}

/* Two worker processes a side (the fixture's workers regrouped, rep % 2):
 * pread 4 % ahead of read with p = 0.048, but an interval that reaches into
 * +-2 %: compare's rule says cannot tell, and so must the caption. */
static void inside_the_threshold_cannot_tell(void **state)
{
	(void)state;
	char dir[1024], run[1100], cmd[4096];
	tmpdir_make(dir, sizeof(dir));
	snprintf(run, sizeof(run), "%s/k2", dir);
	snprintf(cmd, sizeof(cmd),
		 "cp -r " READ_WINS " '%s' && awk -F, 'BEGIN { OFS = \",\" } NR > 1 { r = $6; gsub(/\"/, \"\", r); "
		 "$NF = \"\\\"\" r %% 2 + 1 \"\\\"\" } { print }' " READ_WINS "/runs.csv >'%s/runs.csv'",
		 run, run);
	assert_int_equal(shell_status(cmd), 0);
	struct said s = paragraph((const char *const[]){ run, "--where", "sink=process", "--at", "1M", "--labels",
							 "read,pread", "--expect", "read>pread", NULL });
	has(s.out, "in 2 worker processes per series");
	has(s.out, "the two cannot be told apart (p = ");
	has(s.out, "across 2 and 2 worker processes; the smallest change this run would find 4 times in 5 is ");
	has(s.out, "this run cannot tell which leads: the two cannot be told apart");
	lacks(s.out, "beyond the");
	lacks(s.out, "opposite");
	said_free(&s);
	tmpdir_remove(dir);
}

/* Rows that are not there: status 1, one line on stderr, nothing on stdout. */
static void absent(const char *const *args, const char *why)
{
	struct said s = caption(args);
	if (s.rc != 1)
		fail_msg("expected status 1 (%s), got %d: %s%s", why, s.rc, s.out, s.err);
	assert_string_equal(s.out, "");
	assert_true(strncmp(s.err, "iopaths: caption: ", 18) == 0);
	assert_true(strchr(s.err, '\n') == s.err + strlen(s.err) - 1);
	has(s.err, why);
	said_free(&s);
}

static void absent_rows_exit_1(void **state)
{
	(void)state;
	absent((const char *const[]){ READ_WINS, "--labels", "splice", NULL }, "no series 'splice'");
	absent((const char *const[]){ READ_WINS, "--expect", "sendfile>read", NULL }, "no series 'sendfile'");
	absent((const char *const[]){ READ_WINS, "--expect", "write>read", NULL }, "never measured together");
	absent((const char *const[]){ READ_WINS, "--sizes", "16M", NULL }, "no row with a mibps median");
	absent((const char *const[]){ READ_WINS, "--where", "cache=cold", NULL }, "no row");
	absent((const char *const[]){ READ_WINS, "--strategies", "sendfile", NULL }, "no row");
	absent((const char *const[]){ READ_WINS, "--at", "16M", NULL }, "no series measured at 16 MiB");
	absent((const char *const[]){ READ_WINS, "--metric", "cycles", NULL }, "no row with a cycles median");
	absent((const char *const[]){ READ_WINS, "--metric", "nosuch", NULL }, "no column nosuch_median");
	absent((const char *const[]){ READ_WINS, "--where", "nosuch=1", NULL }, "no column nosuch");
	absent((const char *const[]){ READ_WINS, "--show", "nosuch", NULL }, "no column nosuch");
	absent((const char *const[]){ "tests/fixtures/no-such-run", NULL }, "summary.csv");
	absent((const char *const[]){ "tests/fixtures/run", NULL }, "runs.csv"); /* a summary alone */
}

static void usage(const char *const *args, const char *why)
{
	struct said s = caption(args);
	if (s.rc != 2)
		fail_msg("expected status 2 (%s), got %d: %s%s", why, s.rc, s.out, s.err);
	assert_string_equal(s.out, "");
	assert_true(strncmp(s.err, "iopaths: caption: ", 18) == 0);
	assert_true(strchr(s.err, '\n') == s.err + strlen(s.err) - 1);
	has(s.err, why);
	said_free(&s);
}

static void bad_flags_exit_2(void **state)
{
	(void)state;
	usage((const char *const[]){ NULL }, "needs RUN_DIR");
	usage((const char *const[]){ READ_WINS, "--bogus", NULL }, "unknown option '--bogus'");
	usage((const char *const[]){ READ_WINS, READ_WINS, NULL }, "unexpected argument");
	usage((const char *const[]){ READ_WINS, "--metric", NULL }, "--metric needs a value");
	usage((const char *const[]){ READ_WINS, "--metric", "mib ps", NULL }, "not a column name");
	usage((const char *const[]){ READ_WINS, "--better", "sideways", NULL }, "higher or lower");
	usage((const char *const[]){ READ_WINS, "--at", "tiny", NULL }, "--at takes");
	usage((const char *const[]){ READ_WINS, "--expect", "read", NULL }, "--expect takes A>B");
	usage((const char *const[]){ READ_WINS, "--expect", ">read", NULL }, "--expect takes A>B");
	usage((const char *const[]){ READ_WINS, "--expect", "read>read", NULL }, "against itself");
	usage((const char *const[]){ READ_WINS, "--where", "cache", NULL }, "not KEY=VALUE");
	usage((const char *const[]){ READ_WINS, "--sizes", "1Q", NULL }, "not a size");
	usage((const char *const[]){ READ_WINS, "--labels", "read,,pread", NULL }, "empty item");
	usage((const char *const[]){ READ_WINS, "--textbook", "x", NULL }, "need --expect");
	usage((const char *const[]){ READ_WINS, "--per-mib", NULL }, "already per MiB");

	struct said s = caption((const char *const[]){ "--help", NULL });
	assert_int_equal(s.rc, 0);
	has(s.out, "usage: iopaths caption RUN_DIR");
	said_free(&s);
}

/* --across cache: each series hot against itself cold, both medians as
 * summary.csv has them, and the ratio the right way up; a run without a cold
 * cache has nothing to say (status 1); --across with --expect is bad usage. */
static void hot_against_cold(void **state)
{
	(void)state;
	char run[1024], hot[32], cold[32], want[256];
	run_in_work("hotcold", (const char *const[]){ "run", "--strategy", "read,pread", "--sizes", "64K,1M", "--cache",
						       "both", "--reps", "5", "--min-sample-ms", "1", NULL },
		    run, sizeof(run));
	struct said s = paragraph((const char *const[]){ run, "--across", "cache", "--at", "largest", NULL });
	for (const char *const *l = (const char *const[]){ "read", "pread", NULL }; *l; l++) {
		char path[1100];
		struct table t;
		snprintf(path, sizeof(path), "%s/summary.csv", run);
		assert_int_equal(table_read(&t, path), 0);
		double h = NAN, c = NAN;
		for (size_t r = 1; r < t.rows; r++)
			if (strcmp(table_get(&t, r, "label"), *l) == 0 && strcmp(table_get(&t, r, "file_bytes"), "1048576") == 0)
				*(strcmp(table_get(&t, r, "cache"), "hot") == 0 ? &h : &c) = strtod(table_get(&t, r, "mibps_median"), NULL);
		table_free(&t);
		three_digits(h, hot, sizeof(hot));
		three_digits(c, cold, sizeof(cold));
		snprintf(want, sizeof(want), "%s, process sink, 1 MiB files: hot %s MiB/s, cold %s MiB/s; %s, medians ", *l,
			 hot, cold, h >= c ? "hot over cold" : "cold over hot");
		has(s.out, want);
	}
	lacks(s.out, "64 KiB files: hot"); /* --at largest */
	lacks(s.out, "best first");       /* no ranking between series */
	said_free(&s);
	absent((const char *const[]){ READ_WINS, "--across", "cache", NULL }, "no series measured both hot and cold");
	usage((const char *const[]){ READ_WINS, "--across", "size", NULL }, "--across takes cache");
	usage((const char *const[]){ READ_WINS, "--across", "cache", "--expect", "mmap-shared>read", NULL }, "no --expect");
}

/* read's and pread's zero faults are printed as 0, and no ratio is made of them. */
static void zero_faults_are_printed(void **state)
{
	(void)state;
	assert_true(median_of(READ_WINS, "read", "process", "1048576", "pf_median") == 0);
	struct said s = paragraph((const char *const[]){ READ_WINS, "--metric", "pf", "--where", "sink=process", NULL });
	has(s.out, "page faults per pass (lower is better)");
	has(s.out, "best first: read 0 faults = pread 0 faults; mmap-shared 18 faults.");
	has(s.out, "read takes none; mmap-shared takes 18 faults: a difference beyond the ±2% noise threshold");
	lacks(s.out, "×");
	said_free(&s);

	s = paragraph((const char *const[]){ READ_WINS, "--metric", "pf", "--per-mib", "--sizes", "64K", "--strategies",
					     "read,mmap-shared", NULL });
	has(s.out, "read 0 faults per MiB; mmap-shared 16 faults per MiB.");
	said_free(&s);

	s = paragraph((const char *const[]){ READ_WINS, "--where", "sink=process", "--show", "pf", NULL });
	has(s.out, "read 32700 MiB/s (pf: 0 faults)");
	said_free(&s);
}

/* --strategies, --sinks, --sizes: nothing outside the subset is named. */
static void subsets_are_respected(void **state)
{
	(void)state;
	struct said s = paragraph((const char *const[]){ READ_WINS, "--strategies", "read,mmap-shared", NULL });
	lacks(s.out, "pread");
	lacks(s.out, "write");
	has(s.out, " read ");
	has(s.out, "mmap-shared");
	said_free(&s);

	s = paragraph((const char *const[]){ READ_WINS, "--sinks", "unix", NULL });
	has(s.out, "sink unix;");
	has(s.out, "Hot cache, unix sink, 1 MiB files, one series: read-write ");
	lacks(s.out, "process sink");
	lacks(s.out, "sink process");
	lacks(s.out, "mmap");
	said_free(&s);

	s = paragraph((const char *const[]){ READ_WINS, "--sizes", "64K", "--at", "each", NULL });
	has(s.out, "file size 64 KiB.");
	lacks(s.out, "1 MiB");
	said_free(&s);

	/* Without a subset: one ranking per sink, and with --at each one per size. */
	s = paragraph((const char *const[]){ READ_WINS, "--at", "each", NULL });
	has(s.out, "Hot cache, process sink, 64 KiB files");
	has(s.out, "Hot cache, process sink, 1 MiB files");
	has(s.out, "Hot cache, unix sink, 1 MiB files");
	has(s.out, "Hot cache, file sink, 64 KiB files");
	said_free(&s);
}

/* 0/1 columns as yes, no, some (the repetitions differ) or not measured. */
static void flags_read_yes_no_some(void **state)
{
	(void)state;
	struct said s = paragraph((const char *const[]){ READ_WINS, "--sinks", "file", "--at", "1M", "--show",
							 "persisted_all", NULL });
	has(s.out, "write[fsync] 1150 MiB/s (persisted_all: yes)");
	has(s.out, "write 4410 MiB/s (persisted_all: some)");
	has(s.out, "(persisted_all: not measured)");
	said_free(&s);
	s = paragraph((const char *const[]){ READ_WINS, "--sinks", "file", "--at", "64K", "--show", "persisted_all", NULL });
	has(s.out, "write 3410 MiB/s (persisted_all: no)");
	said_free(&s);
}

/* A label with < & " is printed as it is (the page escapes it), and can be named. */
static void hostile_labels_are_printed_verbatim(void **state)
{
	(void)state;
	struct said s = paragraph((const char *const[]){ MMAP_WINS, "--where", "sink=process", NULL });
	has(s.out, "; pread<&\"x 34000 MiB/s; ");
	said_free(&s);
	s = paragraph((const char *const[]){ MMAP_WINS, "--labels", "pread<&\"x,read", "--expect", "pread<&\"x>read", NULL });
	has(s.out, "The textbook expects pread<&\"x to beat read");
	lacks(s.out, "mmap");
	said_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fixtures_get_opposite_verdicts),
		cmocka_unit_test(ranking_matches_the_summary),
		cmocka_unit_test_setup_teardown(two_repetitions_are_too_few, work_in_tmp, work_remove),
		cmocka_unit_test(absent_rows_exit_1),
		cmocka_unit_test(bad_flags_exit_2),
		cmocka_unit_test(zero_faults_are_printed),
		cmocka_unit_test(subsets_are_respected),
		cmocka_unit_test(flags_read_yes_no_some),
		cmocka_unit_test(hostile_labels_are_printed_verbatim),
		cmocka_unit_test_setup_teardown(hot_against_cold, work_in_tmp, work_remove),
		cmocka_unit_test(inside_the_threshold_cannot_tell),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
