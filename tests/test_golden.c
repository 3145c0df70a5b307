/* The golden run: one fixed-seed sweep over every strategy, sink, variant and
 * cache state, recorded once in tests/fixtures/golden/ before the experiment
 * model was rebuilt (issue 9).  A refactoring must give the same rows in the
 * same order with the same identity, all verified, and the sending thread's
 * syscalls per pass equal to --explain's prediction.
 *
 * IOPATHS_GOLDEN_RECORD=1 writes the fixture anew instead of comparing; do
 * that only when a change means to alter the run, and say so in its commit. */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define GOLDEN "tests/fixtures/golden"

static const char *const golden_args[] = {
	"run", "--op", "both", "--sink", "process,unix,tcp,file,null", "--sizes", "0,4097,1M",
	"--cache", "both", "--reps", "2", "--warmup", "0", "--msync", "sync,async,none", "--fsync=both",
	"--block", "64K", "--pipe-size", "64K", "--seed", "7", "--min-sample-ms", "0", "--explain",
	"--out", "out", "--dir", "data", NULL
};

/* What identifies a row and what must not change: no timings. */
static const char *const runs_identity[] = { "strategy", "sink", "cache", "file_bytes", "block_bytes", "rep",
	"consume", "iters", "op", "msync", "fsync", "verified", NULL };
static const char *const summary_identity[] = { "label", "strategy", "sink", "cache", "file_bytes",
	"block_bytes", "consume", "n", "op", "msync", "fsync", NULL };

/* One line per row: the named columns joined by '|'. */
static char *identity_lines(const char *csv, const char *const *cols)
{
	struct table t;
	size_t cap = 1 << 16, len = 0;
	char *text = malloc(cap);
	assert_non_null(text);
	if (table_read(&t, csv) != 0)
		fail_msg("cannot read %s", csv);
	for (const char *const *c = cols; *c; c++)
		if (table_col(&t, *c) < 0)
			fail_msg("%s has no column %s", csv, *c);
	for (size_t r = 1; r < t.rows; r++)
		for (const char *const *c = cols; *c; c++) {
			const char *v = table_get(&t, r, *c);
			size_t need = strlen(v) + 2;
			if (len + need + 1 > cap) {
				cap = 2 * (len + need + 1);
				char *grown = realloc(text, cap);
				assert_non_null(grown);
				text = grown;
			}
			len += (size_t)sprintf(text + len, "%s%c", v, c[1] ? '|' : '\n');
		}
	text[len] = '\0';
	table_free(&t);
	return text;
}

/* The --explain table: "label sink cache size predicted" per line, and a
 * failure for any row whose measured median differs from the prediction. */
static char *explain_lines(const char *stdout_file, int have_syscalls)
{
	char *all = slurp(stdout_file), *save = NULL;
	assert_non_null(all);
	char *out = calloc(1, strlen(all) + 1);
	assert_non_null(out);
	int in_table = 0;
	for (char *line = strtok_r(all, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char label[64], sink[16], cache[16], size[16], predicted[32], measured[32];
		if (strncmp(line, "strategy ", 9) == 0 && strstr(line, "predicted")) {
			in_table = 1;
			continue;
		}
		if (!in_table || line[0] == '(')
			continue;
		if (sscanf(line, "%63s %15s %15s %15s %31s %31s", label, sink, cache, size, predicted, measured) != 6)
			fail_msg("cannot read the --explain line: %s", line);
		if (have_syscalls && strtod(predicted, NULL) != strtod(measured, NULL))
			fail_msg("%s to %s, %s, %s: predicted %s syscalls per pass, measured %s", label, sink, cache,
				 size, predicted, measured);
		sprintf(out + strlen(out), "%s|%s|%s|%s|%s\n", label, sink, cache, size, predicted);
	}
	free(all);
	return out;
}

/* The sender's syscalls of every row equal the prediction of its cell. */
static int tracepoint_works(const char *runs_csv)
{
	struct table t;
	assert_int_equal(table_read(&t, runs_csv), 0);
	int works = t.rows > 1 && table_get(&t, 1, "sender_syscalls")[0] != '\0';
	table_free(&t);
	return works;
}

static void compare_or_record(const char *name, const char *got)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/%s", GOLDEN, name);
	if (getenv("IOPATHS_GOLDEN_RECORD")) {
		FILE *f = fopen(path, "w");
		assert_non_null(f);
		fputs(got, f);
		assert_int_equal(fclose(f), 0);
		print_message("recorded %s\n", path);
		return;
	}
	char *want = slurp(path);
	if (!want)
		fail_msg("%s is missing: record it with IOPATHS_GOLDEN_RECORD=1", path);
	if (strcmp(want, got) != 0) {
		/* Name the first line that differs. */
		size_t line = 1, i = 0;
		for (; want[i] && want[i] == got[i]; i++)
			line += want[i] == '\n';
		const char *w = want + i, *g = got + i;
		while (w > want && w[-1] != '\n')
			w--, g--;
		fail_msg("%s differs from the golden run at line %zu:\n  golden: %.*s\n  now:    %.*s", name, line,
			 (int)strcspn(w, "\n"), w, (int)strcspn(g, "\n"), g);
	}
	free(want);
}

static void golden_run_is_unchanged(void **state)
{
	(void)state;
	char top[PATH_MAX], file[PATH_MAX + 32], out_file[PATH_MAX + 32], err_file[PATH_MAX + 32];
	tmpdir_make(top, sizeof(top));
	snprintf(out_file, sizeof(out_file), "%s/stdout", top);
	snprintf(err_file, sizeof(err_file), "%s/stderr", top);
	int rc = run_iopaths(top, out_file, err_file, golden_args);
	if (rc != 0) {
		char *err = slurp(err_file);
		fail_msg("the golden run exited %d: %s", rc, err ? err : "");
	}

	snprintf(file, sizeof(file), "%s/out/runs.csv", top);
	char *runs = identity_lines(file, runs_identity);
	int syscalls = tracepoint_works(file);
	/* Every row verified but the null sink's, which has nothing to verify. */
	struct table t;
	assert_int_equal(table_read(&t, file), 0);
	for (size_t r = 1; r < t.rows; r++)
		if (strcmp(table_get(&t, r, "sink"), "null") != 0 && strcmp(table_get(&t, r, "verified"), "1") != 0)
			fail_msg("row %zu (%s to %s) is not verified", r, table_get(&t, r, "strategy"),
				 table_get(&t, r, "sink"));
	table_free(&t);
	compare_or_record("runs-identity.txt", runs);

	snprintf(file, sizeof(file), "%s/out/summary.csv", top);
	char *summary = identity_lines(file, summary_identity);
	compare_or_record("summary-identity.txt", summary);

	if (!syscalls)
		print_message("no syscall tracepoint (not root?): predictions not checked against measurements\n");
	char *explain = explain_lines(out_file, syscalls);
	compare_or_record("explain.txt", explain);

	free(runs);
	free(summary);
	free(explain);
	tmpdir_remove(top);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(golden_run_is_unchanged),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
