/* Issue 18: a make variable is data, never code.  Every target that takes a
 * folder or a list gets values made of backquotes, $(...), make's own
 * $(shell ...), ;, quotes, spaces, a line break and a leading -, each of
 * which would plant a file under a recipe that pastes the value into shell
 * text; none may, and the status make reports is the script's own.  Then
 * what a stranger's run does to the figure scripts: a number out of range
 * and a label too long for a key are a note and a drawing, not a failure;
 * figures never appear without their figures.csv; `make design` leaves no
 * half-made results folder; bench-serve's nginx.conf holds a hostile
 * TMPDIR as a path.  Cheap: small fixtures, one figure where one will do,
 * and a fake iopaths for the targets that would start a sweep. */
#include "helpers.h"

#include "csvio.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[1024];          /* this test's folder: markers, fakes, copies */
static char fake[PATH_MAX];     /* dir/fake-iopaths: the real one but for run, demo, serve */
static char real_bin[PATH_MAX]; /* the iopaths under test, absolute */

static int setup(void **state)
{
	(void)state;
	tmpdir_make(dir, sizeof(dir));
	assert_non_null(realpath(iopaths_bin(), real_bin));
	snprintf(fake, sizeof(fake), "%s/fake-iopaths", dir);
	FILE *f = fopen(fake, "w");
	assert_non_null(f);
	/* FAKE_RUN=fail|int: `run` makes its --out folder and a file in it,
	 * then fails, or interrupts its caller (Ctrl-C) */
	fprintf(f, "#!/bin/sh\n"
		   "case $1 in run|demo|serve) ;; *) exec '%s' \"$@\" ;; esac\n"
		   "out=\n"
		   "prev=\n"
		   "for a; do [ \"$prev\" != --out ] || out=$a; prev=$a; done\n"
		   "if [ $1 = run ] && [ -n \"${FAKE_RUN:-}\" ] && [ -n \"$out\" ]; then\n"
		   "  mkdir -p -- \"$out\" && : >\"$out/runs.csv\"\n"
		   "  [ \"$FAKE_RUN\" = int ] && { kill -INT $PPID; sleep 1; exit 130; }\n"
		   "  exit 1\n"
		   "fi\n"
		   "echo \"iopaths: $1: not in this test\" >&2\n"
		   "exit 2\n",
		real_bin);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(fake, 0755), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tmpdir_remove(dir);
	return 0;
}

/* argv run in the repository (execvp, no shell between), with env
 * (NAME=VALUE, NULL-terminated) added; stdout and stderr into dir/NAME.out
 * and dir/NAME.err.  Its exit status, 128 + N for a signal. */
static int run_argv(const char *name, const char *const *argv, const char *const *env)
{
	char out[PATH_MAX + 64], err[PATH_MAX + 64];
	snprintf(out, sizeof(out), "%s/%s.out", dir, name);
	snprintf(err, sizeof(err), "%s/%s.err", dir, name);
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* not the make that runs the tests: its jobserver and variables */
		unsetenv("MAKEFLAGS");
		unsetenv("MFLAGS");
		unsetenv("MAKELEVEL");
		for (const char *const *e = env; e && *e; e++)
			putenv(strdup(*e));
		int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644), e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int in = open("/dev/null", O_RDONLY);
		if (o < 0 || e < 0 || in < 0 || dup2(in, 0) < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0)
			_exit(126);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0)
		assert_int_equal(errno, EINTR);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* No file named pwned* in dir, nor in the repository (a name's relative
 * touch would land there). */
static void expect_nothing_planted(const char *what)
{
	char found[PATH_MAX + 300] = "";
	for (const char *d = dir; d; d = d == dir ? "." : NULL) {
		DIR *dp = opendir(d);
		assert_non_null(dp);
		for (struct dirent *e; (e = readdir(dp));)
			if (strncmp(e->d_name, "pwned", 5) == 0) {
				char path[PATH_MAX + 300];
				snprintf(path, sizeof(path), "%s/%s", d, e->d_name);
				unlink(path); /* not for the next case to find */
				if (!found[0])
					snprintf(found, sizeof(found), "%s", path);
			}
		closedir(dp);
	}
	if (found[0])
		fail_msg("%s: a value ran as code: %s", what, found);
}

/* A value that plants dir/pwned-TAG-* under every way of pasting it into a
 * recipe: unquoted, in "...", in '...', and make's own expansion; starts
 * with prefix (a folder the script may make goes under dir). */
#define HOSTILE_MAX (8 * sizeof(dir) + 512)
static void hostile(char *buf, size_t len, const char *prefix, const char *tag)
{
	const char *d = dir;
	int n = snprintf(buf, len,
		 "%s-a b`touch %s/pwned-%s-bq`$(touch %s/pwned-%s-dollar);touch %s/pwned-%s-semi;"
		 "';touch %s/pwned-%s-squote;'\";touch %s/pwned-%s-dquote;\"$(shell touch %s/pwned-%s-make)"
		 "\nx;touch %s/pwned-%s-nl;",
		 prefix, d, tag, d, tag, d, tag, d, tag, d, tag, d, tag, d, tag);
	assert_true(n > 0 && (size_t)n < len);
}

/* make TARGET with variables vars (names) set to hostile values: the script
 * refuses with status `status` (make's "Error N"), and, when line is not
 * NULL, its stderr says so in one line that starts with line. */
static void hostile_target(const char *target, const char *const *vars, int status, const char *line)
{
	static char values[8][HOSTILE_MAX], assign[8][HOSTILE_MAX + 32];
	char env_results[PATH_MAX], env_plots[PATH_MAX];
	char env_iopaths[PATH_MAX + 16], env_data[PATH_MAX];
	const char *argv[16] = { "make", "-s", "--no-print-directory", "-o", "deps", "-o", "build/iopaths", "MAKE=true",
				 target };
	int argc = 9;
	for (int i = 0; vars[i]; i++) {
		int made = strcmp(vars[i], "DIR") == 0 || strcmp(vars[i], "OUT") == 0;
		char tag[64], prefix[PATH_MAX];
		snprintf(tag, sizeof(tag), "%s-%s", target, vars[i]);
		snprintf(prefix, sizeof(prefix), "%s/", dir);
		hostile(values[i], sizeof(values[i]), made ? prefix : "", tag);
		assert_true(snprintf(assign[i], sizeof(assign[i]), "%s=%s", vars[i], values[i]) < (int)sizeof(assign[i]));
		argv[argc++] = assign[i];
	}
	argv[argc] = NULL;
	snprintf(env_results, sizeof(env_results), "RESULTS_DIR=%s/results", dir);
	snprintf(env_plots, sizeof(env_plots), "PLOTS_DIR=%s/plots", dir);
	snprintf(env_iopaths, sizeof(env_iopaths), "IOPATHS=%s", fake);
	snprintf(env_data, sizeof(env_data), "COMPARE_OUT=%s/compare", dir);
	const char *env[] = { env_results, env_plots, env_iopaths, env_data, "ASAN_OPTIONS=detect_leaks=0", NULL };
	int rc = run_argv("make", argv, env);
	expect_nothing_planted(target);
	char *err = slurp_at(dir, "make.err");
	char want[64];
	snprintf(want, sizeof(want), "] Error %d\n", status);
	if (rc != 2 || !strstr(err, want))
		fail_msg("make %s: status %d, not the script's %d: %s", target, rc, status, err);
	if (line) {
		int lines = 0;
		for (char *l = err; *l; l = strchr(l, '\n') + 1) {
			if (strncmp(l, "make: ", 6) != 0) {
				lines++;
				if (strncmp(l, line, strlen(line)) != 0)
					fail_msg("make %s: the script said: %s", target, err);
			}
			if (!strchr(l, '\n'))
				break;
		}
		if (lines != 1)
			fail_msg("make %s: %d lines, not one: %s", target, lines, err);
	}
	free(err);
}

static void every_target_takes_hostile_values_as_data(void **state)
{
	(void)state;
	hostile_target("plots", (const char *const[]){ "RUN", NULL }, 2, "iopaths: plots: ");
	hostile_target("plots", (const char *const[]){ "STRATEGIES", "SINKS", "SIZES", "FIGURES", "RUN", NULL }, 2,
		       "iopaths: plots: ");
	hostile_target("lecture", (const char *const[]){ "RUN", "QUICK", "DIR", NULL }, 2, "iopaths: lecture: ");
	hostile_target("lecture", (const char *const[]){ "SINKS", "SIZES", "FIGURES", "STRATEGIES", NULL }, 2,
		       "iopaths: lecture: ");
	hostile_target("design", (const char *const[]){ "RUN", "QUICK", "DIR", NULL }, 2, "iopaths: design: ");
	hostile_target("design", (const char *const[]){ "FIGURES", "STRATEGIES", "SINKS", "SIZES", NULL }, 2,
		       "iopaths: design: ");
	hostile_target("compare", (const char *const[]){ "A", "B", "C", "D", NULL }, 2, "iopaths: compare: ");
	hostile_target("demos", (const char *const[]){ "NAMES", "OUT", "DIR", NULL }, 2, "iopaths: demo: ");
	hostile_target("bench", (const char *const[]){ "QUICK", "DIR", "OUT", NULL }, 2, "iopaths: run: ");
	hostile_target("aa", (const char *const[]){ "QUICK", "DIR", NULL }, 1, "iopaths: run: ");
	hostile_target("bench-serve", (const char *const[]){ "QUICK", "OUT", NULL }, 2, "iopaths: bench-serve: ");
	hostile_target("bench-pressure", (const char *const[]){ "QUICK", "DIR", "OUT", NULL }, 2,
		       "iopaths: bench-pressure: ");
	hostile_target("bench-fs", (const char *const[]){ "FS", "QUICK", NULL }, 2, "bench-fs: ");
	hostile_target("profile", (const char *const[]){ "STRATEGY", "SIZE", NULL }, 2, NULL);
}

/* A legal folder name with every character a shell or make would act on
 * (markers relative: a name holds no slash), a leading - and a line break. */
#define ODD_NAME "-odd `touch pwned-bq` $(touch pwned-dollar) ;touch pwned-semi; 'q' \"dq\" $(shell touch pwned-make) # %% & \\ *?[x]{y}\nz"

static void copy_fixture(const char *fixture, const char *name, char *path, size_t len)
{
	char cmd[3 * PATH_MAX];
	snprintf(path, len, "%s/%s", dir, name);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(cmd, sizeof(cmd), "cp %s/*.csv \"$ODD\"/", fixture);
	assert_int_equal(setenv("ODD", path, 1), 0);
	assert_int_equal(shell_status(cmd), 0);
	unsetenv("ODD");
}

/* make plots, compare and lecture on a run with that name: drawn, no code
 * run; lecture's closing hint, pasted into a shell, gives make the name. */
static void odd_folder_names_are_drawn(void **state)
{
	(void)state;
	char run[PATH_MAX], a[PATH_MAX + 8], b[PATH_MAX + 8], path[2 * PATH_MAX], env_plots[PATH_MAX],
		env_iopaths[PATH_MAX + 16], env_cmp[PATH_MAX];
	snprintf(env_plots, sizeof(env_plots), "PLOTS_DIR=%s/plots", dir);
	snprintf(env_iopaths, sizeof(env_iopaths), "IOPATHS=%s", real_bin);
	snprintf(env_cmp, sizeof(env_cmp), "COMPARE_OUT=%s/compare", dir);
	const char *env[] = { env_plots, env_iopaths, env_cmp, NULL };

	copy_fixture("tests/fixtures/caption-read-wins", ODD_NAME, run, sizeof(run));
	snprintf(a, sizeof(a), "RUN=%s", run);
	int rc = run_argv("plots", (const char *const[]){ "make", "-s", "-o", "build/iopaths", "plots", a,
							  "FIGURES=throughput", NULL }, env);
	expect_nothing_planted("make plots RUN=<odd name>");
	if (rc != 0)
		fail_msg("make plots RUN=<odd name>: status %d: %s", rc, slurp_at(dir, "plots.err"));
	snprintf(path, sizeof(path), "%s/plots/%s", dir, ODD_NAME);
	assert_true(file_in(path, "throughput.png"));
	assert_true(file_in(path, "figures.csv"));
	assert_true(file_in(run, "index.html"));

	/* a subset the run does not hold: no slide drawn (cheap), the hint all the same */
	rc = run_argv("lecture", (const char *const[]){ "make", "-s", "-o", "build/iopaths", "-o", "deps", "MAKE=true",
							    "lecture", a, "STRATEGIES=sendfile", NULL }, env);
	expect_nothing_planted("make lecture RUN=<odd name>");
	if (rc != 0)
		fail_msg("make lecture RUN=<odd name>: status %d: %s", rc, slurp_at(dir, "lecture.err"));
	/* the hint, run by a shell whose make only writes down its arguments */
	char *out = slurp_at(dir, "lecture.out");
	char *hint = strstr(out, "figures: make plots ");
	assert_non_null(hint);
	hint += strlen("figures: ");
	size_t n = strlen(hint);
	if (n && hint[n - 1] == '\n')
		hint[n - 1] = 0;
	snprintf(path, sizeof(path), "%s/hint.sh", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "make() { printf '%%s\\0' \"$@\" >\"$HINT_ARGS\"; }\n%s\n", hint);
	assert_int_equal(fclose(f), 0);
	free(out);
	char hint_args[PATH_MAX + 32];
	snprintf(hint_args, sizeof(hint_args), "HINT_ARGS=%s/hint.args", dir);
	assert_int_equal(run_argv("hint", (const char *const[]){ "sh", path, NULL },
				  (const char *const[]){ hint_args, NULL }),
			 0);
	expect_nothing_planted("lecture's hint");
	char want[PATH_MAX + 32];
	int len = snprintf(want, sizeof(want), "plots%cRUN=%s%c", 0, run, 0);
	snprintf(path, sizeof(path), "%s/hint.args", dir);
	int fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	char got[sizeof(want)];
	ssize_t got_n = read(fd, got, sizeof(got));
	close(fd);
	if (got_n != len || memcmp(got, want, (size_t)len) != 0)
		fail_msg("lecture's hint does not give make the folder: %s", hint);

	char cmp[PATH_MAX];
	copy_fixture("tests/fixtures/compare-b", ODD_NAME "-b", cmp, sizeof(cmp));
	snprintf(a, sizeof(a), "A=%s", "tests/fixtures/compare-a");
	snprintf(b, sizeof(b), "B=%s", cmp);
	rc = run_argv("compare", (const char *const[]){ "make", "-s", "-o", "build/iopaths", "compare", a, b, NULL }, env);
	expect_nothing_planted("make compare B=<odd name>");
	if (rc != 0)
		fail_msg("make compare B=<odd name>: status %d: %s", rc, slurp_at(dir, "compare.err"));
	snprintf(path, sizeof(path), "%s/compare", dir);
	assert_true(file_in(path, "compare.csv"));
	assert_true(file_in(path, "figures.csv"));
}

/* ---- A stranger's numbers and labels ---- */

/* src to dst through libcsv: rows kept by keep (NULL: all), the cells of
 * column col replaced by value where match (NULL: every row) is the cell's. */
static void copy_csv(const char *src, const char *dst, const char *keep_col, const char *keep, const char *col,
		     const char *match, const char *value)
{
	struct table t;
	struct csv_out w;
	assert_int_equal(table_read(&t, src), 0);
	assert_int_equal(csv_out_open(&w, dst), 0);
	int kc = keep_col ? table_col(&t, keep_col) : -1, c = table_col(&t, col);
	assert_true(c >= 0);
	for (size_t r = 0; r < t.rows; r++) {
		if (r > 0 && kc >= 0 && strcmp(t.cell[r][kc], keep) != 0)
			continue;
		for (size_t i = 0; i < t.cols; i++)
			csv_out_str(&w, r > 0 && (int)i == c && (!match || strcmp(t.cell[r][i], match) == 0)
						? value
						: t.cell[r][i]);
		assert_int_equal(csv_out_end_row(&w), 0);
	}
	assert_int_equal(csv_out_close(&w), 0);
	table_free(&t);
}

/* drawn=1 in every row of out/figures.csv */
static void expect_all_drawn(const char *out)
{
	char path[PATH_MAX + 32];
	struct table t;
	snprintf(path, sizeof(path), "%s/figures.csv", out);
	assert_int_equal(table_read(&t, path), 0);
	assert_true(t.rows > 1);
	for (size_t r = 1; r < t.rows; r++)
		if (strcmp(table_get(&t, r, "drawn"), "1") != 0)
			fail_msg("%s: %s not drawn: %s", path, table_get(&t, r, "figure"), table_get(&t, r, "why_not_drawn"));
	table_free(&t);
}

/* mem_limit_bytes=1e999 (awk's inf) in a timeseries.csv: a note, and every
 * pressure figure and the slide drawn. */
static void a_number_out_of_range_is_a_note(void **state)
{
	(void)state;
	char run[PATH_MAX], out[PATH_MAX], dst[PATH_MAX + 32];
	snprintf(run, sizeof(run), "%s/pressure", dir);
	snprintf(out, sizeof(out), "%s/pressure-plots", dir);
	assert_int_equal(mkdir(run, 0755), 0);
	copy_csv("tests/fixtures/pressure/run/meta.csv", (snprintf(dst, sizeof(dst), "%s/meta.csv", run), dst), NULL,
		 NULL, "key", "-", "-");
	snprintf(dst, sizeof(dst), "%s/timeseries.csv", run);
	/* two cells of the five: every figure still has series */
	copy_csv("tests/fixtures/pressure/run/timeseries.csv", dst, "strategy", "mmap-shared", "mem_limit_bytes", NULL, "1e999");
	assert_int_equal(run_argv("pressure", (const char *const[]){ real_bin, "pressure", run, NULL }, NULL), 0);
	int rc = run_argv("pressure-plots", (const char *const[]){ "scripts/pressure/plots.sh", run, out, NULL },
			  (const char *const[]){ "ASAN_OPTIONS=detect_leaks=0", NULL });
	char *said = slurp_at(dir, "pressure-plots.err");
	if (rc != 0)
		fail_msg("pressure/plots.sh with mem_limit_bytes=1e999: status %d: %s", rc, said);
	free(said);
	said = slurp_at(dir, "pressure-plots.out");
	if (!strstr(said, "note: ") || !strstr(said, "mem_limit_bytes"))
		fail_msg("pressure/plots.sh said no note of mem_limit_bytes: %s", said);
	free(said);
	expect_all_drawn(out);
	snprintf(dst, sizeof(dst), "%s/lecture", out);
	expect_all_drawn(dst);
}

/* A 120-character label of shell and gnuplot metacharacters: cut in the
 * key with a note, drawn, and make plots writes the page. */
#define LONG_PIECE "read`touch pwned-l1`$(touch pwned-l2);'\"@x%s\\n{}[]#&|<>*?~"
static void a_long_label_is_cut_and_drawn(void **state)
{
	(void)state;
	char label[4 * sizeof(LONG_PIECE)];
	snprintf(label, sizeof(label), "%s%s%s%s", LONG_PIECE, LONG_PIECE, LONG_PIECE, LONG_PIECE);
	label[120] = 0;
	assert_int_equal(strlen(label), 120);
	char run[PATH_MAX], dst[PATH_MAX + 32], a[PATH_MAX + 8], env_plots[PATH_MAX], env_iopaths[PATH_MAX + 16];
	snprintf(run, sizeof(run), "%s/long", dir);
	assert_int_equal(mkdir(run, 0755), 0);
	snprintf(dst, sizeof(dst), "%s/summary.csv", run);
	copy_csv("tests/fixtures/run/summary.csv", dst, "label", "read", "label", NULL, label);
	snprintf(dst, sizeof(dst), "%s/meta.csv", run);
	copy_csv("tests/fixtures/run/meta.csv", dst, NULL, NULL, "key", "-", "-");
	snprintf(a, sizeof(a), "RUN=%s", run);
	snprintf(env_plots, sizeof(env_plots), "PLOTS_DIR=%s/plots", dir);
	snprintf(env_iopaths, sizeof(env_iopaths), "IOPATHS=%s", real_bin);
	int rc = run_argv("long", (const char *const[]){ "make", "-s", "-o", "build/iopaths", "plots", a, "FIGURES=faults", NULL },
			  (const char *const[]){ env_plots, env_iopaths, NULL });
	expect_nothing_planted("a long label");
	if (rc != 0)
		fail_msg("make plots with a 120-character label: status %d: %s", rc, slurp_at(dir, "long.err"));
	char *said = slurp_at(dir, "long.out");
	if (!strstr(said, "note: "))
		fail_msg("make plots cut a long label without a note: %s", said);
	free(said);
	assert_true(file_in(run, "index.html"));
	snprintf(dst, sizeof(dst), "%s/plots/long", dir);
	expect_all_drawn(dst);
}

/* ---- Nothing half-made ---- */

/* gnuplot interrupted (SIGTERM to plots.sh) at the second figure: no
 * figure in the folder without its figures.csv. */
static void figures_and_figures_csv_appear_together(void **state)
{
	(void)state;
	char bin[PATH_MAX], path[PATH_MAX + 32], out[PATH_MAX], real_gp[PATH_MAX] = "";
	FILE *p = popen("command -v gnuplot", "r");
	assert_non_null(p);
	assert_non_null(fgets(real_gp, sizeof(real_gp), p));
	pclose(p);
	real_gp[strcspn(real_gp, "\n")] = 0;
	snprintf(bin, sizeof(bin), "%s/bin", dir);
	assert_int_equal(mkdir(bin, 0755), 0);
	snprintf(path, sizeof(path), "%s/gnuplot", bin);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "#!/bin/sh\nn=$(cat '%s/count' 2>/dev/null || echo 0); echo $((n + 1)) >'%s/count'\n"
		   "[ \"$n\" -lt 3 ] || { kill -TERM $PPID; exit 1; }\nexec '%s' \"$@\"\n",
		dir, dir, real_gp);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(path, 0755), 0);
	snprintf(out, sizeof(out), "%s/together", dir);
	char env_path[2 * PATH_MAX], env_iopaths[PATH_MAX + 16];
	snprintf(env_path, sizeof(env_path), "PATH=%s:%s", bin, getenv("PATH"));
	snprintf(env_iopaths, sizeof(env_iopaths), "IOPATHS=%s", real_bin);
	int rc = run_argv("together", (const char *const[]){ "scripts/plots.sh", "tests/fixtures/caption-read-wins", out, NULL },
			  (const char *const[]){ env_path, env_iopaths, NULL });
	assert_int_equal(rc, 143);
	DIR *d = opendir(out);
	if (d) {
		for (struct dirent *e; (e = readdir(d));)
			if (e->d_name[0] != '.' || strncmp(e->d_name, ".render", 7) == 0)
				fail_msg("plots.sh, interrupted, left %s/%s", out, e->d_name);
		closedir(d);
	}
}

/* make design's own sweeps: a sweep that fails, and Ctrl-C during one,
 * leave no results folder. */
static void design_leaves_no_half_made_results(void **state)
{
	(void)state;
	char results[PATH_MAX], env_results[PATH_MAX + 16], env_iopaths[PATH_MAX + 16], env_dir[PATH_MAX + 16];
	snprintf(results, sizeof(results), "%s/design-results", dir);
	snprintf(env_results, sizeof(env_results), "RESULTS_DIR=%s", results);
	snprintf(env_iopaths, sizeof(env_iopaths), "IOPATHS=%s", fake);
	snprintf(env_dir, sizeof(env_dir), "DIR=%s/design-data", dir);
	const struct {
		const char *how;
		int status;
	} cases[] = { { "FAKE_RUN=fail", 1 }, { "FAKE_RUN=int", 130 } };
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = run_argv("design", (const char *const[]){ "scripts/design.sh", NULL },
				  (const char *const[]){ env_results, env_iopaths, env_dir, cases[i].how, "QUICK=1", NULL });
		if (rc != cases[i].status)
			fail_msg("design.sh, %s: status %d, not %d: %s", cases[i].how, rc, cases[i].status,
				 slurp_at(dir, "design.err"));
		if (dir_entries(results) > 0)
			fail_msg("design.sh, %s, left a half-made results folder in %s", cases[i].how, results);
	}
}

/* bench-serve under a TMPDIR with ; space quotes braces # and \: nginx
 * reads its config (it serves, and the check of its bytes is what fails,
 * SERVE_BROKEN); a TMPDIR with $ (an nginx variable) is refused in one
 * line; nothing left either way. */
static void nginx_conf_holds_a_hostile_tmpdir(void **state)
{
	(void)state;
	const struct {
		const char *name;
		int status;
		const char *said;
	} cases[] = {
		{ "t a;b'c\"d{e}#f\\g", 1, "iopaths: bench-serve: nginx-sendfile-off served /64K wrong" },
		{ "t$uri", 2, "iopaths: bench-serve: " },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char tmp[PATH_MAX], env_tmp[PATH_MAX + 16], env_out[PATH_MAX + 16], env_plots[PATH_MAX + 16],
			env_iopaths[PATH_MAX + 16];
		snprintf(tmp, sizeof(tmp), "%s/%s", dir, cases[i].name);
		assert_int_equal(mkdir(tmp, 0755), 0);
		snprintf(env_tmp, sizeof(env_tmp), "TMPDIR=%s", tmp);
		snprintf(env_out, sizeof(env_out), "OUT=%s/serve-%zu", dir, i);
		snprintf(env_plots, sizeof(env_plots), "PLOTS_DIR=%s/plots", dir);
		snprintf(env_iopaths, sizeof(env_iopaths), "IOPATHS=%s", real_bin);
		int rc = run_argv("serve", (const char *const[]){ "scripts/bench-serve.sh", NULL },
				  (const char *const[]){ env_tmp, env_out, env_plots, env_iopaths, "SERVE_SIZES=65536",
							 "SERVE_CONNS=1", "SERVE_ROUNDS=1", "SERVE_DURATION=1",
							 "SERVE_SERVERS=nginx-sendfile-off", "SERVE_BROKEN=nginx-sendfile-off",
							 NULL });
		char *err = slurp_at(dir, "serve.err");
		if (rc != cases[i].status || strncmp(err, cases[i].said, strlen(cases[i].said)) != 0 ||
		    strchr(err, '\n') != err + strlen(err) - 1)
			fail_msg("bench-serve under TMPDIR=%s: status %d, said: %s", tmp, rc, err);
		free(err);
		assert_int_equal(dir_entries(tmp), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_target_takes_hostile_values_as_data),
		cmocka_unit_test(odd_folder_names_are_drawn),
		cmocka_unit_test(a_number_out_of_range_is_a_note),
		cmocka_unit_test(a_long_label_is_cut_and_drawn),
		cmocka_unit_test(figures_and_figures_csv_appear_together),
		cmocka_unit_test(design_leaves_no_half_made_results),
		cmocka_unit_test(nginx_conf_holds_a_hostile_tmpdir),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
