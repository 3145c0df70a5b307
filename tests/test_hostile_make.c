/* Issue 18: a make variable is data, never code.  Every target that takes a
 * folder or a list gets values made of backquotes, $(...), make's own
 * $(shell ...), ;, quotes, spaces, a line break and a leading -, each of
 * which would plant a file under a recipe that pastes the value into shell
 * text; none may, and the status make reports is the script's own.  A
 * legal folder with such a name is drawn, and make lecture's closing hint
 * hands it back to make whole.  Cheap: a fake iopaths (tests/hostile.h) for
 * the targets that would start a sweep, one figure where one will do. */
#include "hostile.h"

/* A value that plants dir/pwned-TAG-* under every way of pasting it into a
 * recipe: unquoted, in "...", in '...', and make's own expansion; starts
 * with prefix (a folder the script may make goes under dir).  No line
 * break: make cuts a recipe line where an expansion put one, so inside
 * quotes it is a syntax error that runs nothing (and hides the rest), and
 * unquoted the other pieces run already; a line break is tested apart. */
#define HOSTILE_MAX (8 * sizeof(dir) + 512)
static void hostile(char *buf, size_t len, const char *prefix, const char *tag)
{
	const char *d = dir;
	int n = snprintf(buf, len,
		 "%s-a b`touch %s/pwned-%s-bq`$(touch %s/pwned-%s-dollar);touch %s/pwned-%s-semi;"
		 "';touch %s/pwned-%s-squote;'\";touch %s/pwned-%s-dquote;\"$(shell touch %s/pwned-%s-make)",
		 prefix, d, tag, d, tag, d, tag, d, tag, d, tag, d, tag);
	assert_true(n > 0 && (size_t)n < len);
}

/* make TARGET with variables vars (names) set to hostile values: the script
 * refuses with status `status` (make's "Error N"), and, when line is not
 * NULL, its stderr says so in one line that starts with line. */
static void hostile_target(const char *target, const char *const *vars, int status, const char *line, int names_first)
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
	if (names_first) { /* the script got the first value whole: its line quotes it */
		if (!strstr(err, values[0]))
			fail_msg("make %s: the script's line does not quote %s as given: %s", target, vars[0], err);
	}
	free(err);
}

static void every_target_takes_hostile_values_as_data(void **state)
{
	(void)state;
	hostile_target("plots", (const char *const[]){ "RUN", NULL }, 2, "iopaths: plots: ", 1);
	hostile_target("plots", (const char *const[]){ "STRATEGIES", "SINKS", "SIZES", "FIGURES", "RUN", NULL }, 2,
		       "iopaths: plots: ", 1);
	hostile_target("lecture", (const char *const[]){ "RUN", "QUICK", "DIR", NULL }, 2, "iopaths: lecture: ", 1);
	hostile_target("lecture", (const char *const[]){ "SINKS", "SIZES", "FIGURES", "STRATEGIES", NULL }, 2,
		       "iopaths: lecture: ", 0);
	hostile_target("design", (const char *const[]){ "RUN", "QUICK", "DIR", NULL }, 2, "iopaths: design: ", 1);
	hostile_target("design", (const char *const[]){ "FIGURES", "STRATEGIES", "SINKS", "SIZES", NULL }, 2,
		       "iopaths: design: ", 0);
	hostile_target("compare", (const char *const[]){ "A", "B", "C", "D", NULL }, 2, "iopaths: compare: ", 1);
	hostile_target("demos", (const char *const[]){ "NAMES", "OUT", "DIR", NULL }, 2, "iopaths: demo: ", 0);
	hostile_target("bench", (const char *const[]){ "QUICK", "DIR", "OUT", NULL }, 2, "iopaths: run: ", 0);
	hostile_target("aa", (const char *const[]){ "QUICK", "DIR", NULL }, 1, "iopaths: run: ", 0);
	hostile_target("bench-serve", (const char *const[]){ "QUICK", "OUT", NULL }, 2, "iopaths: bench-serve: ", 0);
	hostile_target("bench-pressure", (const char *const[]){ "QUICK", "DIR", "OUT", NULL }, 2,
		       "iopaths: bench-pressure: ", 0);
	hostile_target("bench-fs", (const char *const[]){ "FS", "QUICK", NULL }, 2, "bench-fs: ", 0);
	hostile_target("profile", (const char *const[]){ "STRATEGY", "SIZE", NULL }, 2, NULL, 0);

	/* A line break in a folder's name: the refusal is one line all the same. */
	char env_iopaths[PATH_MAX + 16];
	snprintf(env_iopaths, sizeof(env_iopaths), "IOPATHS=%s", real_bin);
	int rc = run_argv("make", (const char *const[]){ "make", "-s", "-o", "build/iopaths", "plots", "RUN=-a b\nc", NULL },
			  (const char *const[]){ env_iopaths, NULL });
	char *err = slurp_at(dir, "make.err");
	char *second = strchr(err, '\n');
	if (rc != 2 || strncmp(err, "iopaths: plots: ./-a b?c has no summary.csv", 43) != 0 || !second ||
	    strncmp(second + 1, "make: ", 6) != 0)
		fail_msg("make plots RUN=<a name with a line break>: status %d, said: %s", rc, err);
	free(err);
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

/* make plots and lecture on a run with that name: drawn, no code run;
 * lecture's closing hint, pasted into a shell, gives make the name. */
static void odd_folder_names_are_drawn(void **state)
{
	(void)state;
	char run[PATH_MAX], a[PATH_MAX + 8], path[2 * PATH_MAX], env_plots[PATH_MAX],
		env_iopaths[PATH_MAX + 16];
	snprintf(env_plots, sizeof(env_plots), "PLOTS_DIR=%s/plots", dir);
	snprintf(env_iopaths, sizeof(env_iopaths), "IOPATHS=%s", real_bin);
	const char *env[] = { env_plots, env_iopaths, NULL };

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
	rc = run_argv("hint", (const char *const[]){ "sh", path, NULL }, (const char *const[]){ hint_args, NULL });
	expect_nothing_planted("lecture's hint");
	if (rc != 0)
		fail_msg("lecture's hint, run by a shell: status %d: %s", rc, hint);
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
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_target_takes_hostile_values_as_data),
		cmocka_unit_test(odd_folder_names_are_drawn),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
