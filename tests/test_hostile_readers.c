/* The commands that read a results folder, on a stranger's folder (issue 18):
 *   - a FIFO at a results file's name is refused at once, never waited on
 *     (each command runs under a wall-clock bound: a hang is a failure);
 *   - a symbolic link at a results file's name is refused, by iopaths query
 *     too, so `make plots` draws nothing from the link's target;
 *   - a label or a folder name holding terminal escapes reaches no terminal
 *     path as a control byte (stdout and stderr of every reader);
 *   - iopaths pressure is linear in the number of labels (200 000 of them)
 *     and compare in the number of cells (20 000 a run), under a CPU limit
 *     that the old quadratic lookups could not meet;
 *   - an output folder reached through a symbolic link in a middle
 *     component is refused, and nothing is written through it. */
#include "helpers.h"

#include "csvio.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TIMED_OUT (-1)

/* Runs iopaths ARGS with stdout and stderr into files, killed after wall_s
 * seconds (TIMED_OUT), under RLIMIT_CPU of cpu_s seconds when cpu_s > 0
 * (then 128 + SIGXCPU or SIGKILL when it is exceeded). */
static int run_bounded(const char *const *args, const char *out, const char *err, int wall_s, int cpu_s)
{
	const char *argv[64];
	iopaths_argv(argv, 64, args);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644), fe = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int in = open("/dev/null", O_RDONLY);
		if (fd < 0 || fe < 0 || in < 0 || dup2(fd, 1) < 0 || dup2(fe, 2) < 0 || dup2(in, 0) < 0)
			_exit(127);
		if (cpu_s > 0) {
			struct rlimit rl = { .rlim_cur = (rlim_t)cpu_s, .rlim_max = (rlim_t)cpu_s + 5 };
			if (setrlimit(RLIMIT_CPU, &rl) != 0)
				_exit(127);
		}
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	struct timespec start, now, nap = { 0, 20 * 1000 * 1000 };
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		int status;
		pid_t got = waitpid(pid, &status, WNOHANG);
		assert_true(got >= 0);
		if (got == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec >= wall_s) {
			kill(pid, SIGKILL);
			assert_int_equal(waitpid(pid, &status, 0), pid);
			return TIMED_OUT;
		}
		nanosleep(&nap, NULL);
	}
}

static void sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void sh(const char *fmt, ...)
{
	char cmd[4 * PATH_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (shell_status(cmd) != 0)
		fail_msg("failed: %s", cmd);
}

/* The whole of stderr is one line holding want. */
static void expect_one_line(const char *err, const char *want, const char *what)
{
	char *text = slurp(err);
	assert_non_null(text);
	char *nl = strchr(text, '\n');
	if (!nl || nl[1] != '\0' || !strstr(text, want))
		fail_msg("%s: wanted one line with \"%s\" on stderr, got \"%s\"", what, want, text);
	free(text);
}

/* A run folder from a fixture, at WORK/NAME. */
static void copy_fixture(const char *fixture, const char *name, char *dir, size_t len)
{
	snprintf(dir, len, "%s/%s", work, name);
	sh("cp -r 'tests/fixtures/%s' '%s'", fixture, dir);
}

static void plant_fifo(const char *dir, const char *file)
{
	char path[PATH_MAX + 64];
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	unlink(path);
	assert_int_equal(mkfifo(path, 0644), 0);
}

/* A refusal takes milliseconds; a reader waiting on the FIFO waits for ever. */
#define FIFO_BOUND_S 30

/* Each command, bounded, on a folder with a FIFO: status 2 at once, one line. */
static void expect_fifo_refused_with(int want, const char *what, const char *const *args)
{
	char out[PATH_MAX], err[PATH_MAX];
	snprintf(out, sizeof(out), "%s/out", work);
	snprintf(err, sizeof(err), "%s/err", work);
	int rc = run_bounded(args, out, err, FIFO_BOUND_S, 0);
	if (rc == TIMED_OUT)
		fail_msg("%s: still waiting on the FIFO after %d s", what, FIFO_BOUND_S);
	if (rc != want)
		fail_msg("%s: exit status %d, wanted %d", what, rc, want);
	expect_one_line(err, "FIFO", what);
}
#define expect_fifo_refused(...) expect_fifo_refused_with(2, __VA_ARGS__)

static void a_fifo_is_refused_not_waited_on(void **state)
{
	(void)state;
	char a[PATH_MAX], b[PATH_MAX], p[PATH_MAX], cmp[PATH_MAX + 8], path[PATH_MAX + 32];

	copy_fixture("compare-a", "a", a, sizeof(a));
	snprintf(path, sizeof(path), "%s/fifo.csv", work);
	assert_int_equal(mkfifo(path, 0644), 0);
	expect_fifo_refused("query", (const char *const[]){ "query", path, "label", NULL });

	copy_fixture("pressure/run", "p", p, sizeof(p));
	plant_fifo(p, "timeseries.csv");
	expect_fifo_refused("pressure", (const char *const[]){ "pressure", p, NULL });
	assert_int_equal(file_in(p, "pressure.csv"), 0);

	copy_fixture("compare-b", "b", b, sizeof(b));
	snprintf(cmp, sizeof(cmp), "%s/cmp", work);
	plant_fifo(b, "summary.csv");
	expect_fifo_refused("compare (summary.csv)", (const char *const[]){ "compare", cmp, a, b, NULL });
	sh("rm -rf '%s' '%s' && cp -r tests/fixtures/compare-b '%s'", b, cmp, b);
	plant_fifo(b, "runs.csv");
	expect_fifo_refused("compare (runs.csv)", (const char *const[]){ "compare", cmp, a, b, NULL });
	sh("rm -rf '%s' '%s' && cp -r tests/fixtures/compare-b '%s'", b, cmp, b);
	plant_fifo(b, "pressure.csv");
	expect_fifo_refused("compare (pressure.csv)", (const char *const[]){ "compare", cmp, a, b, NULL });
	sh("rm -rf '%s' '%s' && cp -r tests/fixtures/compare-b '%s'", b, cmp, b);
	plant_fifo(b, "meta.csv");
	expect_fifo_refused("compare (meta.csv)", (const char *const[]){ "compare", cmp, a, b, NULL });

	char c[PATH_MAX];
	copy_fixture("caption-mmap-wins", "c", c, sizeof(c));
	plant_fifo(c, "summary.csv");
	/* caption's status for files it cannot use is 1 (its --help; plots.sh
	 * then draws the figure without the paragraph) */
	expect_fifo_refused_with(1, "caption (summary.csv)", (const char *const[]){ "caption", c, NULL });
	sh("rm -rf '%s'", c);
	copy_fixture("caption-mmap-wins", "c", c, sizeof(c));
	plant_fifo(c, "runs.csv");
	expect_fifo_refused_with(1, "caption (runs.csv)", (const char *const[]){ "caption", c, NULL });

	char r[PATH_MAX], plots[PATH_MAX + 8];
	copy_fixture("run", "r", r, sizeof(r));
	snprintf(plots, sizeof(plots), "%s/plots", work);
	assert_int_equal(mkdir(plots, 0755), 0);
	plant_fifo(r, "summary.csv");
	expect_fifo_refused("report (summary.csv)", (const char *const[]){ "report", r, plots, NULL });
	assert_int_equal(file_in(r, "index.html"), 0);

	/* A figure's SVG a FIFO: the page says it is missing, and is made. */
	sh("rm -rf '%s' && cp -r tests/fixtures/run '%s'", r, r);
	snprintf(path, sizeof(path), "%s/figures.csv", plots);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("figure,title,caption,drawn,why_not_drawn\n01-x,T,C,1,\n", f);
	assert_int_equal(fclose(f), 0);
	plant_fifo(plots, "01-x.svg");
	char out[PATH_MAX + 8], err[PATH_MAX + 8];
	snprintf(out, sizeof(out), "%s/out", work);
	snprintf(err, sizeof(err), "%s/err", work);
	int rc = run_bounded((const char *const[]){ "report", r, plots, NULL }, out, err, FIFO_BOUND_S, 0);
	if (rc == TIMED_OUT)
		fail_msg("report: still waiting on the FIFO 01-x.svg after %d s", FIFO_BOUND_S);
	assert_int_equal(rc, 0);
	char *html = slurp_at(r, "index.html");
	assert_non_null(strstr(html, "figure missing"));
	free(html);
}

static void a_linked_results_file_is_refused(void **state)
{
	(void)state;
	char run[PATH_MAX], path[PATH_MAX + 32], other[PATH_MAX + 32], out[PATH_MAX + 8], err[PATH_MAX + 8];
	snprintf(out, sizeof(out), "%s/out", work);
	snprintf(err, sizeof(err), "%s/err", work);

	/* iopaths query, which the figure scripts read through. */
	copy_fixture("run", "linked", run, sizeof(run));
	snprintf(path, sizeof(path), "%s/summary.csv", run);
	snprintf(other, sizeof(other), "%s/other.csv", work);
	assert_int_equal(rename(path, other), 0);
	assert_int_equal(symlink(other, path), 0);
	int rc = run_bounded((const char *const[]){ "query", path, "label", NULL }, out, err, 60, 0);
	assert_int_equal(rc, 2);
	expect_one_line(err, "symbolic link", "query on a link");
	char *text = slurp(out);
	assert_non_null(text);
	assert_string_equal(text, ""); /* not one of the target's rows */
	free(text);

	/* make plots RUN= on a copy of a fixture whose summary.csv is a link to
	 * another CSV: no figure drawn from the target, one line, status 2. */
	char name[64], plots[PATH_MAX], cmd[4 * PATH_MAX];
	snprintf(name, sizeof(name), "hostile-link-%ld", (long)getpid());
	snprintf(run, sizeof(run), "%s/%s", work, name);
	sh("cp -r tests/fixtures/run '%s' && mv '%s/summary.csv' '%s/real.csv' && ln -s ../real.csv '%s/summary.csv'", run,
	   run, work, run);
	snprintf(cmd, sizeof(cmd), "IOPATHS='%s' make -s --no-print-directory -o build/iopaths plots RUN='%s' >'%s' 2>'%s'",
		 iopaths_bin(), run, out, err);
	rc = shell_status(cmd);
	snprintf(plots, sizeof(plots), "plots/%s", name);
	int drew = access(plots, F_OK) == 0;
	if (drew) {
		sh("rm -rf '%s'", plots);
		fail_msg("make plots drew from the link's target into %s", plots);
	}
	assert_int_equal(rc, 2);
	/* one line of ours; make adds its own "make: *** ... Error 2" */
	text = slurp(err);
	assert_non_null(text);
	int ours = 0;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
		if (strncmp(line, "make", 4) != 0) {
			ours++;
			assert_non_null(strstr(line, "symbolic link"));
		}
	assert_int_equal(ours, 1);
	free(text);
}

/* An OSC that retitles the window, then one that clears the screen. */
#define EVIL "\x1b]0;pwned\x07\x1b[2J\r\x7f"

/* Fails when file holds a byte below 0x20 other than newline and tab, or 0x7f. */
static void expect_no_control(const char *file, const char *what)
{
	FILE *f = fopen(file, "rb");
	assert_non_null(f);
	long at = 0;
	for (int c; (c = getc(f)) != EOF; at++)
		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) {
			fclose(f);
			fail_msg("%s: %s holds control byte 0x%02x at offset %ld", what, file, c, at);
		}
	fclose(f);
}

/* Replaces every `from` in file by `to`. */
static void replace_in(const char *dir, const char *name, const char *from, const char *to)
{
	char path[PATH_MAX + 64];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	char *text = slurp(path);
	assert_non_null(text);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	size_t n = strlen(from);
	int hits = 0;
	for (char *p = text, *q; *p; p = q + n) {
		if (!(q = strstr(p, from))) {
			fputs(p, f);
			break;
		}
		fwrite(p, 1, (size_t)(q - p), f);
		fputs(to, f);
		hits++;
	}
	assert_int_equal(fclose(f), 0);
	assert_true(hits > 0);
	free(text);
}

static void expect_clean_run(const char *what, const char *const *args)
{
	char out[PATH_MAX], err[PATH_MAX];
	snprintf(out, sizeof(out), "%s/out", work);
	snprintf(err, sizeof(err), "%s/err", work);
	int rc = run_bounded(args, out, err, 120, 0);
	if (rc == TIMED_OUT || rc == 127 || rc >= 128)
		fail_msg("%s: exit status %d", what, rc);
	expect_no_control(out, what);
	expect_no_control(err, what);
}

static void terminal_escapes_never_reach_the_terminal(void **state)
{
	(void)state;
	char a[PATH_MAX], b[PATH_MAX], cmp[PATH_MAX], p[PATH_MAX], c[PATH_MAX], plots[PATH_MAX];
	/* Labels holding escapes, in folders whose names hold them too. */
	copy_fixture("compare-a", "a" EVIL, a, sizeof(a));
	copy_fixture("compare-b", "b" EVIL, b, sizeof(b));
	replace_in(a, "summary.csv", "\"checksum\",\"read\"", "\"checksum\",\"read" EVIL "\"");
	replace_in(b, "summary.csv", "\"checksum\",\"read\"", "\"checksum\",\"read" EVIL "\"");
	snprintf(cmp, sizeof(cmp), "%s/cmp" EVIL, work);
	expect_clean_run("compare", (const char *const[]){ "compare", cmp, a, b, NULL });
	{ /* and the table does show the label, escaped */
		char out[PATH_MAX];
		snprintf(out, sizeof(out), "%s/out", work);
		char *text = slurp(out);
		assert_non_null(text);
		assert_non_null(strstr(text, "read\\x1b]0;pwned"));
		free(text);
	}
	/* compare's refusals echo the folder's name */
	expect_clean_run("compare, a missing run", (const char *const[]){ "compare", cmp, a, cmp, NULL });

	copy_fixture("pressure/run", "p" EVIL, p, sizeof(p));
	replace_in(p, "timeseries.csv", "mmap-shared[madvise=normal]", "mmap" EVIL);
	expect_clean_run("pressure", (const char *const[]){ "pressure", p, NULL });
	assert_int_equal(file_in(p, "pressure.csv"), 1);
	replace_in(p, "timeseries.csv", "label", "lab" EVIL);
	expect_clean_run("pressure, a bad header", (const char *const[]){ "pressure", p, NULL });

	copy_fixture("caption-mmap-wins", "c" EVIL, c, sizeof(c));
	replace_in(c, "summary.csv", "mmap-shared", "mmap" EVIL);
	replace_in(c, "runs.csv", "mmap-shared", "mmap" EVIL);
	expect_clean_run("caption", (const char *const[]){ "caption", c, NULL });

	snprintf(plots, sizeof(plots), "%s/plots" EVIL, work);
	assert_int_equal(mkdir(plots, 0755), 0);
	expect_clean_run("report", (const char *const[]){ "report", a, plots, NULL });
	expect_clean_run("report, no run", (const char *const[]){ "report", cmp, plots, NULL });

	char path[PATH_MAX + 32];
	snprintf(path, sizeof(path), "%s/summary.csv", a);
	expect_clean_run("query, no such column", (const char *const[]){ "query", path, "col" EVIL, NULL });
	expect_clean_run("query, a bad filter", (const char *const[]){ "query", path, "label", "x" EVIL, NULL });
	snprintf(path, sizeof(path), "%s/t" EVIL ".csv", work);
	expect_clean_run("tabulate", (const char *const[]){ "tabulate", path, "a" EVIL ",b", NULL });
	expect_clean_run("explain", (const char *const[]){ "explain", "x" EVIL, NULL });
}

/* 200 000 labels of one interval each: the old lookup compared each row's
 * label with every cell before it (2e10 comparisons, and as many again to
 * gather each cell's points: minutes of CPU); a linear one needs about a
 * second, several under ASan on a loaded machine.  The limit is CPU time,
 * not wall time, so the machine's load does not count. */
#define MANY_LABELS 200000
#define CPU_LIMIT_S 40

/* pressure.csv read as it streams (the tests' table_read grows its rows one
 * at a time: quadratic itself under ASan for 200 000 rows). */
struct rows_seen {
	size_t rows, one_interval;
	int label, intervals;
	char first[2][32];
};

static int see_row(char **fields, size_t count, void *arg)
{
	struct rows_seen *s = arg;
	if (s->rows++ == 0) {
		for (size_t i = 0; i < count; i++) {
			if (strcmp(fields[i], "label") == 0)
				s->label = (int)i;
			if (strcmp(fields[i], "intervals") == 0)
				s->intervals = (int)i;
		}
		assert_true(s->label >= 0 && s->intervals >= 0);
		return 0;
	}
	assert_true((size_t)s->label < count && (size_t)s->intervals < count);
	if (s->rows <= 3)
		snprintf(s->first[s->rows - 2], sizeof(s->first[0]), "%s", fields[s->label]);
	s->one_interval += strcmp(fields[s->intervals], "1") == 0;
	return 0;
}

static int count_rows(char **fields, size_t count, void *arg)
{
	(void)fields;
	(void)count;
	((struct rows_seen *)arg)->rows++;
	return 0;
}

static void pressure_is_linear_in_the_labels(void **state)
{
	(void)state;
	char dir[PATH_MAX], path[PATH_MAX + 32], out[PATH_MAX + 8], err[PATH_MAX + 8];
	snprintf(dir, sizeof(dir), "%s/many", work);
	assert_int_equal(mkdir(dir, 0755), 0);
	snprintf(path, sizeof(path), "%s/timeseries.csv", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("label,strategy,madvise,threads,qd,direct,file_bytes,mem_limit_bytes,t_s,dt_s,used_bytes,mibps,"
	      "majflt,mem_bytes,refault_file,tlb_shootdowns,dev_read_bytes,backing_read_bytes,spans_checked,spans_bad\n",
	      f);
	for (long i = 0; i < MANY_LABELS; i++)
		fprintf(f, "cell-%ld,read,,1,,,4096,8388608,0.5,0.5,4096,%ld,0,0,0,0,0,,1,0\n", (i * 7919) % MANY_LABELS,
			i % 97);
	assert_int_equal(fclose(f), 0);
	snprintf(out, sizeof(out), "%s/out", work);
	snprintf(err, sizeof(err), "%s/err", work);
	int rc = run_bounded((const char *const[]){ "pressure", dir, NULL }, out, err, 600, CPU_LIMIT_S);
	if (rc != 0) {
		char *text = slurp(err);
		fail_msg("pressure on %d labels: status %d (%s) under %d s of CPU: %s", MANY_LABELS, rc,
			 rc == 128 + SIGXCPU || rc == 128 + SIGKILL ? "CPU limit" : rc == TIMED_OUT ? "timed out" : "?",
			 CPU_LIMIT_S, text ? text : "");
	}
	struct rows_seen seen = { .label = -1, .intervals = -1 };
	char why[512];
	snprintf(path, sizeof(path), "%s/pressure.csv", dir);
	assert_int_equal(csv_read_file(path, see_row, &seen, why, sizeof(why)), 0);
	assert_int_equal(seen.rows, MANY_LABELS + 1);
	/* every label once, in the order of first appearance, each its one interval */
	assert_string_equal(seen.first[0], "cell-0");
	assert_string_equal(seen.first[1], "cell-7919");
	assert_int_equal(seen.one_interval, MANY_LABELS);
}

/* 20 000 cells in each of two runs: compare matched each row to its cell,
 * each cell to its row in each run, each runs.csv row to its summary row and
 * each cell to the others of its label by scans (ten times 4e8 key
 * comparisons: minutes of CPU); linear, it needs about a second. */
#define MANY_CELLS 20000

static void many_cells(const char *dir, int mibps)
{
	char path[PATH_MAX + 32];
	assert_int_equal(mkdir(dir, 0755), 0);
	sh("cp tests/fixtures/compare-a/meta.csv '%s/'", dir);
	for (int file = 0; file < 2; file++) {
		snprintf(path, sizeof(path), "%s/%s", dir, file ? "runs.csv" : "summary.csv");
		FILE *f = fopen(path, "w");
		assert_non_null(f);
		fputs(file ? "strategy,sink,cache,file_bytes,block_bytes,rep,wall_ns,mibps,consume,label\n"
			   : "strategy,sink,cache,file_bytes,block_bytes,n,mibps_median,mibps_ci_lo,mibps_ci_hi,consume,label\n",
		      f);
		for (long i = 0; i < MANY_CELLS; i++) {
			long bytes = 4096 * (1 + (i * 7919) % MANY_CELLS);
			if (file)
				fprintf(f, "read,process,hot,%ld,131072,0,1000,%d,checksum,read\n", bytes, mibps);
			else
				fprintf(f, "read,process,hot,%ld,131072,1,%d,90,110,checksum,read\n", bytes, mibps);
		}
		assert_int_equal(fclose(f), 0);
	}
}

static void compare_is_linear_in_the_cells(void **state)
{
	(void)state;
	char a[PATH_MAX], b[PATH_MAX], cmp[PATH_MAX], path[PATH_MAX + 32], out[PATH_MAX + 8], err[PATH_MAX + 8];
	snprintf(a, sizeof(a), "%s/a", work);
	snprintf(b, sizeof(b), "%s/b", work);
	snprintf(cmp, sizeof(cmp), "%s/cmp", work);
	many_cells(a, 100);
	many_cells(b, 110);
	snprintf(out, sizeof(out), "%s/out", work);
	snprintf(err, sizeof(err), "%s/err", work);
	int rc = run_bounded((const char *const[]){ "compare", cmp, a, b, NULL }, out, err, 600, CPU_LIMIT_S);
	if (rc != 0) {
		char *text = slurp(err);
		fail_msg("compare of %d cells: status %d (%s) under %d s of CPU: %s", MANY_CELLS, rc,
			 rc == 128 + SIGXCPU || rc == 128 + SIGKILL ? "CPU limit" : rc == TIMED_OUT ? "timed out" : "?",
			 CPU_LIMIT_S, text ? text : "");
	}
	/* every cell once a run, each joined to its repetition */
	struct rows_seen seen = { .label = -1, .intervals = -1 };
	char why[512];
	snprintf(path, sizeof(path), "%s/compare.csv", cmp);
	assert_int_equal(csv_read_file(path, count_rows, &seen, why, sizeof(why)), 0);
	assert_int_equal(seen.rows, 2 * MANY_CELLS + 1);
	char *text = slurp(out);
	assert_non_null(text);
	assert_non_null(strstr(text, "1.100 (+10.00%, n=20000)")); /* the label's Gmean over every cell */
	free(text);
}

/* --out through a link planted in a middle component: refused, one line,
 * status 2, nothing written where the link points. */
static void a_link_inside_the_output_path_is_refused(void **state)
{
	(void)state;
	char elsewhere[PATH_MAX], mid[PATH_MAX + 8], path[PATH_MAX + 32], out[PATH_MAX + 8], err[PATH_MAX + 8];
	snprintf(out, sizeof(out), "%s/out", work);
	snprintf(err, sizeof(err), "%s/err", work);
	snprintf(elsewhere, sizeof(elsewhere), "%s/elsewhere", work);
	snprintf(mid, sizeof(mid), "%s/mid", work);
	sh("mkdir '%s' && cp -r tests/fixtures/pressure/run '%s/run'", elsewhere, elsewhere);
	assert_int_equal(symlink(elsewhere, mid), 0);

	/* pressure writes RUN/pressure.csv: RUN is WORK/mid/run */
	snprintf(path, sizeof(path), "%s/run", mid);
	int rc = run_bounded((const char *const[]){ "pressure", path, NULL }, out, err, 60, 0);
	assert_int_equal(rc, 2);
	expect_one_line(err, "mid is a symbolic link", "pressure through a link");
	snprintf(path, sizeof(path), "%s/run", elsewhere);
	assert_int_equal(dir_entries(path), 2); /* meta.csv, timeseries.csv */

	/* compare makes OUT_DIR: WORK/mid/cmp */
	snprintf(path, sizeof(path), "%s/cmp", mid);
	rc = run_bounded((const char *const[]){ "compare", path, "tests/fixtures/compare-a", "tests/fixtures/compare-b",
						NULL },
			 out, err, 60, 0);
	assert_int_equal(rc, 2);
	expect_one_line(err, "mid is a symbolic link", "compare through a link");
	snprintf(path, sizeof(path), "%s/cmp", elsewhere);
	if (dir_entries(path) > 0)
		fail_msg("compare wrote into %s through the link", path);

	/* run: --out WORK/mid/new and --out with the link deeper, a/b/mid/new */
	char data[PATH_MAX + 8];
	snprintf(data, sizeof(data), "%s/data", work);
	assert_int_equal(mkdir(data, 0755), 0);
	snprintf(path, sizeof(path), "%s/new", mid);
	rc = run_bounded((const char *const[]){ "run", "--strategy", "read", "--sizes", "4K", "--reps", "1", "--out",
						path, "--dir", data, NULL },
			 out, err, 120, 0);
	assert_int_equal(rc, 2);
	expect_one_line(err, "mid is a symbolic link", "run --out through a link");
	assert_int_equal(dir_entries(elsewhere), 1); /* run alone */
	snprintf(path, sizeof(path), "%s/new", elsewhere);
	assert_int_equal(access(path, F_OK), -1);

	/* the last component a link: as before */
	snprintf(path, sizeof(path), "%s/last", work);
	assert_int_equal(symlink(elsewhere, path), 0);
	rc = run_bounded((const char *const[]){ "pressure", path, NULL }, out, err, 60, 0);
	assert_int_equal(rc, 2);
	expect_one_line(err, "last is a symbolic link", "pressure on a link");

	/* a middle folder anyone may write into (no sticky bit) */
	snprintf(path, sizeof(path), "%s/open", work);
	sh("mkdir -m 0777 '%s' && chmod 0777 '%s' && cp -r tests/fixtures/pressure/run '%s/run'", path, path, path);
	snprintf(path, sizeof(path), "%s/open/run", work);
	rc = run_bounded((const char *const[]){ "pressure", path, NULL }, out, err, 60, 0);
	assert_int_equal(rc, 2);
	expect_one_line(err, "open is writable by anyone", "pressure under an open folder");
	assert_int_equal(file_in(path, "pressure.csv"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(a_fifo_is_refused_not_waited_on, work_in_tmp, work_remove),
		cmocka_unit_test_setup_teardown(a_linked_results_file_is_refused, work_in_tmp, work_remove),
		cmocka_unit_test_setup_teardown(terminal_escapes_never_reach_the_terminal, work_in_tmp, work_remove),
		cmocka_unit_test_setup_teardown(pressure_is_linear_in_the_labels, work_in_tmp, work_remove),
		cmocka_unit_test_setup_teardown(compare_is_linear_in_the_cells, work_in_tmp, work_remove),
		cmocka_unit_test_setup_teardown(a_link_inside_the_output_path_is_refused, work_in_tmp, work_remove),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
