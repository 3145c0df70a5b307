/* The lecture's slides and the subsets of a run (issue 10): `make lecture`
 * draws scripts/lecture/ as 16:9 slides (PNG 1920x1080, SVG and PDF of
 * 10 x 5.625 in, text at 18 pt or more), with captions written from the run
 * by `iopaths caption` through each figure's says: lines; `make plots` and
 * `make lecture` draw any subset (STRATEGIES, SINKS, SIZES, FIGURES); a
 * figure whose data is absent is skipped with one line, never an error and
 * never an empty file; a name the subset does not know is bad input. */
#include "helpers.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* ENV scripts/plots.sh [--lecture] RUN OUT (scripts of scripts_dir), stdout
 * and stderr into dir/out and dir/err; its status. */
static int draw(const char *dir, const char *env, const char *scripts_dir, int lecture, const char *run, const char *out)
{
	char cmd[8 * PATH_MAX];
	int n = snprintf(cmd, sizeof(cmd), "%s IOPATHS=%s %s/plots.sh %s %s %s >%s/out 2>%s/err", env, iopaths_bin(),
			 scripts_dir, lecture ? "--lecture" : "", run, out, dir, dir);
	assert_true(n > 0 && (size_t)n < sizeof(cmd));
	return shell_status(cmd);
}

/* Fails unless the drawing said nothing on stderr and exited 0. */
/* No file of out is empty, and the figures drawn are exactly those figures.csv
 * says were drawn, each in its three formats; each one not drawn has its
 * reason there and a line of stdout (dir/out).  Returns how many were drawn. */
static int expect_consistent(const char *dir, const char *out)
{
	DIR *d = opendir(out);
	assert_non_null(d);
	for (struct dirent *e; (e = readdir(d));) {
		char path[2 * PATH_MAX];
		struct stat st;
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", out, e->d_name);
		assert_int_equal(stat(path, &st), 0);
		if (S_ISREG(st.st_mode) && st.st_size == 0)
			fail_msg("%s is empty", path);
	}
	closedir(d);
	char path[2 * PATH_MAX];
	struct table t;
	snprintf(path, sizeof(path), "%s/figures.csv", out);
	assert_int_equal(table_read(&t, path), 0);
	char *said = slurp_at(dir, "out");
	int drawn = 0;
	for (size_t r = 1; r < t.rows; r++) {
		const char *fig = table_get(&t, r, "figure");
		int is_drawn = strcmp(table_get(&t, r, "drawn"), "1") == 0;
		for (const char *const *fmt = (const char *const[]){ "png", "svg", "pdf", NULL }; *fmt; fmt++) {
			char name[256];
			snprintf(name, sizeof(name), "%s.%s", fig, *fmt);
			if (file_in(out, name) != is_drawn)
				fail_msg("%s/%s %s", out, name, is_drawn ? "is missing" : "is there, yet not drawn");
		}
		if (!is_drawn) {
			char line[512];
			snprintf(line, sizeof(line), ": %s not drawn: %s\n", fig, table_get(&t, r, "why_not_drawn"));
			if (!table_get(&t, r, "why_not_drawn")[0] || !strstr(said, line))
				fail_msg("%s was not drawn without one line saying why: %s", fig, said);
		}
		drawn += is_drawn;
	}
	free(said);
	table_free(&t);
	return drawn;
}

/* The rows of out/figures.csv, by figure name, as "name,name,"; drawn ones only. */
static void drawn_names(const char *out, char *names, size_t len)
{
	char path[2 * PATH_MAX];
	struct table t;
	snprintf(path, sizeof(path), "%s/figures.csv", out);
	assert_int_equal(table_read(&t, path), 0);
	names[0] = '\0';
	for (size_t r = 1; r < t.rows; r++)
		if (strcmp(table_get(&t, r, "drawn"), "1") == 0) {
			strncat(names, table_get(&t, r, "figure"), len - strlen(names) - 2);
			strncat(names, ",", len - strlen(names) - 1);
		}
	table_free(&t);
}

/* The README's table "The seed article, one command per topic": every
 * `build/iopaths run ...` of it, run with one small size and two repetitions,
 * then drawn by plots.sh (make plots) and the lecture, and put on the page:
 * nothing fails, nothing is empty, what is not drawn says why. */
static void every_topic_run_of_the_readme_draws(void **state)
{
	(void)state;
	char *readme = slurp("README.md");
	assert_non_null(readme);
	char *at = strstr(readme, "## The seed article, one command per topic");
	assert_non_null(at);
	char *end = strstr(at + 10, "\n## ");
	if (end)
		*end = '\0';
	int runs = 0;
	for (char *line = strtok(at, "\n"); line; line = strtok(NULL, "\n")) {
		char *cmd = strstr(line, "`build/iopaths run ");
		if (!cmd)
			continue;
		cmd += strlen("`build/iopaths ");
		char *close = strchr(cmd, '`');
		assert_non_null(close);
		*close = '\0';
		/* Its words, with --sizes made small and the repetitions few. */
		const char *args[64];
		char *words = strdup(cmd), *save = NULL;
		size_t n = 0;
		for (char *w = strtok_r(words, " ", &save); w && n < 50; w = strtok_r(NULL, " ", &save)) {
			if (strcmp(w, "--sizes") == 0) {
				(void)strtok_r(NULL, " ", &save);
				continue;
			}
			args[n++] = w;
		}
		const char *small[] = { "--sizes", "64K", "--reps", "2", "--warmup", "0", "--min-sample-ms", "1", NULL };
		for (size_t i = 0; small[i]; i++)
			args[n++] = small[i];
		args[n] = NULL;
		char name[32], run[PATH_MAX], dir[PATH_MAX + 32], out[PATH_MAX + 64];
		snprintf(name, sizeof(name), "topic%d", ++runs);
		run_in_work(name, args, run, sizeof(run));
		snprintf(dir, sizeof(dir), "%s/%s.draw", work, name);
		assert_int_equal(mkdir(dir, 0755), 0);

		snprintf(out, sizeof(out), "%s/plots", dir);
		expect_quiet(dir, draw(dir, "", "scripts", 0, run, out), cmd);
		int drawn = expect_consistent(dir, out);
		char report[4 * PATH_MAX];
		snprintf(report, sizeof(report), "%s report %s %s >/dev/null 2>&1", iopaths_bin(), run, out);
		assert_int_equal(shell_status(report), 0);
		assert_true(drawn > 0);

		snprintf(out, sizeof(out), "%s/lecture", dir);
		expect_quiet(dir, draw(dir, "", "scripts", 1, run, out), cmd);
		assert_true(expect_consistent(dir, out) > 0);
		free(words);
	}
	assert_true(runs >= 4);
	free(readme);
}

/* Every slide of the fixture run is drawn: a 1920x1080 PNG, an SVG of 960 x
 * 540 px (10 x 5.625 in at 96 px per inch) whose every text is 24 px (18 pt)
 * or more, a PDF of 720 x 405 pt. */
static void every_slide_is_drawn_in_the_slide_format(void **state)
{
	(void)state;
	char dir[1024], out[PATH_MAX];
	tmpdir_make(dir, sizeof(dir));
	snprintf(out, sizeof(out), "%s/lecture", dir);
	expect_quiet(dir, draw(dir, "", "scripts", 1, "tests/fixtures/run", out), "lecture of the fixture");
	char **figures = figures_in("scripts/lecture");
	int nfigures = 0;
	for (char **fig = figures; *fig; fig++, nfigures++)
		expect_slide(out, *fig);
	assert_int_equal(expect_consistent(dir, out), nfigures);
	figures_free(figures);
	tmpdir_remove(dir);
}

/* FIGURES= redraws those figures only: the others keep their files and
 * their rows of figures.csv, as an earlier drawing left them; STRATEGIES= and SINKS= keep only their series, so a
 * figure of the others is skipped; SIZES= of a size the run lacks skips
 * every figure, with status 0. */
static void subsets_draw_only_what_was_asked(void **state)
{
	(void)state;
	char dir[1024], out[PATH_MAX], names[1024];
	tmpdir_make(dir, sizeof(dir));
	snprintf(out, sizeof(out), "%s/lecture", dir);
	expect_quiet(dir, draw(dir, "", "scripts", 1, "tests/fixtures/run", out), "lecture of the fixture");
	char all_names[1024], path[2 * PATH_MAX];
	drawn_names(out, all_names, sizeof(all_names));
	struct stat kept, redrawn, st;
	snprintf(path, sizeof(path), "%s/cow.svg", out);
	assert_int_equal(stat(path, &kept), 0);
	snprintf(path, sizeof(path), "%s/faults.svg", out);
	assert_int_equal(stat(path, &redrawn), 0);

	expect_quiet(dir, draw(dir, "FIGURES=faults,msync", "scripts", 1, "tests/fixtures/run", out), "FIGURES=faults,msync");
	assert_int_equal(expect_consistent(dir, out), 7);
	drawn_names(out, names, sizeof(names));
	assert_string_equal(names, all_names); /* the same figures, in the same order */
	char *said = slurp_at(dir, "out");
	assert_non_null(strstr(said, "{faults,msync}"));
	free(said);
	snprintf(path, sizeof(path), "%s/cow.svg", out);
	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_ino == kept.st_ino); /* not asked for: not drawn again, not removed */
	snprintf(path, sizeof(path), "%s/faults.svg", out);
	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_ino != redrawn.st_ino); /* asked for: drawn again and renamed in */

	expect_quiet(dir, draw(dir, "STRATEGIES=mmap-private,mmap-private-write", "scripts", 1, "tests/fixtures/run", out),
		     "STRATEGIES=mmap-private,mmap-private-write");
	expect_consistent(dir, out);
	drawn_names(out, names, sizeof(names));
	assert_string_equal(names, "faults,cow,");

	/* A label's strategy is its part before '[': mmap-shared-write[msync=sync] is mmap-shared-write. */
	expect_quiet(dir, draw(dir, "STRATEGIES=mmap-shared-write,write", "scripts", 1, "tests/fixtures/run", out),
		     "STRATEGIES=mmap-shared-write,write");
	expect_consistent(dir, out);
	drawn_names(out, names, sizeof(names));
	assert_string_equal(names, "msync,cow,");

	expect_quiet(dir, draw(dir, "SINKS=unix", "scripts", 1, "tests/fixtures/run", out), "SINKS=unix");
	expect_consistent(dir, out);
	drawn_names(out, names, sizeof(names));
	assert_string_equal(names, "zerocopy,");

	/* make plots: the writes figure goes with the write strategies. */
	snprintf(out, sizeof(out), "%s/plots", dir);
	expect_quiet(dir, draw(dir, "STRATEGIES=read,mmap-shared SIZES=64K,1M", "scripts", 0, "tests/fixtures/run", out),
		     "plots STRATEGIES=read,mmap-shared");
	expect_consistent(dir, out);
	drawn_names(out, names, sizeof(names));
	assert_null(strstr(names, "writes,"));
	assert_non_null(strstr(names, "throughput,"));

	expect_quiet(dir, draw(dir, "SIZES=2M", "scripts", 0, "tests/fixtures/run", out), "SIZES=2M");
	assert_int_equal(expect_consistent(dir, out), 0);
	tmpdir_remove(dir);
}

/* A strategy, sink or figure the subset names but nothing knows, or a size
 * that is no size: one line "iopaths: ...", status 2, no folder made. */
static void a_subset_of_unknown_names_is_bad_input(void **state)
{
	(void)state;
	const char *bad[] = { "STRATEGIES=read,mmap", "SINKS=pipe", "FIGURES=faults,nope", "SIZES=1M,12Q", "SIZES=17179869184G",
			      "SIZES=1M,,4M", "STRATEGIES='read;x'", NULL };
	char dir[1024], out[PATH_MAX];
	tmpdir_make(dir, sizeof(dir));
	snprintf(out, sizeof(out), "%s/never", dir);
	for (int lecture = 0; lecture < 2; lecture++)
		for (const char **b = bad; *b; b++) {
			int rc = draw(dir, *b, "scripts", lecture, "tests/fixtures/run", out);
			char *err = slurp_at(dir, "err");
			if (rc != 2 || strncmp(err, "iopaths: ", 9) != 0 || strchr(err, '\n') != err + strlen(err) - 1)
				fail_msg("%s: status %d, said: %s", *b, rc, err);
			free(err);
			assert_false(file_in(dir, "never"));
		}
	tmpdir_remove(dir);
}

/* dir/scripts: a copy of scripts/ whose lecture folder also holds 99-extra.gp
 * with these says: and textbook: lines. */
static void scripts_with_extra(const char *dir, const char *says)
{
	char path[PATH_MAX + 64];
	snprintf(path, sizeof(path), "cp -r scripts %s/scripts", dir);
	assert_int_equal(shell_status(path), 0);
	snprintf(path, sizeof(path), "%s/scripts/lecture/99-extra.gp", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f,
		"# title: An extra slide\n"
		"# caption: The static caption, which claims no result.\n"
		"# columns: file_bytes mibps_median\n"
		"# list: extra cache=hot sink=process label=read|mmap-shared mibps_median>0\n"
		"%s"
		"#\n"
		"question = \"extra\"\n"
		"set logscale y 10\n"
		"@slide_heading\n"
		"plot for [t in extra] data index (t - 1) using (pos($1)):(pos($2)) with linespoints lt lt_of[t + 0] title "
		"label[t + 0]\n",
		says);
	assert_int_equal(fclose(f), 0);
}

/* The caption of figures.csv: the paragraphs `iopaths caption` wrote from the
 * run for the says: lines (the textbook: line going to the one with
 * --expect), then the static caption; a says: line whose rows the run lacks
 * gives no paragraph. */
static void captions_come_from_the_run(void **state)
{
	(void)state;
	/* A run with the raw samples (runs.csv) the captions' tests need. */
	const char *args[] = { "run", "--strategy", "read,mmap-shared", "--sizes", "64K,1M", "--reps", "5", "--warmup", "0",
			       "--min-sample-ms", "1", NULL };
	char run[PATH_MAX];
	run_in_work("r", args, run, sizeof(run));
	char dir[1024], scripts[PATH_MAX], out[PATH_MAX];
	tmpdir_make(dir, sizeof(dir));
	scripts_with_extra(dir, "# says: --metric mibps --where cache=hot,sink=process --labels read,mmap-shared --at largest "
				"--expect mmap-shared>read --evidence minflt,user_ns,sys_ns\n"
				"# textbook: Zebra-sentinel expects mmap-shared to lead\n"
				"# says: --metric mibps --where cache=hot,sink=null --labels read\n");
	snprintf(scripts, sizeof(scripts), "%s/scripts", dir);
	snprintf(out, sizeof(out), "%s/lecture", dir);
	expect_quiet(dir, draw(dir, "FIGURES=extra", scripts, 1, run, out), "the extra slide");
	struct table t;
	char path[PATH_MAX + 32];
	snprintf(path, sizeof(path), "%s/figures.csv", out);
	assert_int_equal(table_read(&t, path), 0);
	assert_int_equal(t.rows, 2);
	const char *caption = table_get(&t, 1, "caption");
	const char *static_caption = "The static caption, which claims no result.";
	size_t len = strlen(caption), slen = strlen(static_caption);
	if (len <= slen + 1 || strcmp(caption + len - slen, static_caption) != 0 || caption[len - slen - 1] != ' ')
		fail_msg("the caption does not end with the static one after the run's words: %s", caption);
	assert_non_null(strstr(caption, "Zebra-sentinel expects mmap-shared to lead"));
	assert_non_null(strstr(caption, "mmap-shared"));
	assert_null(strchr(caption, '\n'));
	assert_null(strstr(caption, "null"));
	table_free(&t);

	/* The slides this run has data for: a caption from the run before their own. */
	snprintf(out, sizeof(out), "%s/all", dir);
	expect_quiet(dir, draw(dir, "", "scripts", 1, run, out), "the lecture");
	snprintf(path, sizeof(path), "%s/figures.csv", out);
	assert_int_equal(table_read(&t, path), 0);
	int captioned = 0;
	for (size_t r = 1; r < t.rows; r++) {
		if (strcmp(table_get(&t, r, "drawn"), "1") != 0)
			continue;
		if (!strstr(table_get(&t, r, "caption"), "n = 5"))
			fail_msg("%s has no caption written from the run: %s", table_get(&t, r, "figure"),
				 table_get(&t, r, "caption"));
		captioned++;
	}
	assert_true(captioned >= 3); /* read-mmap, faults, time */
	table_free(&t);
	tmpdir_remove(dir);
}

/* The read-mmap slide of a run where read wins and of one where mmap-shared
 * wins (tests/fixtures/caption-*): opposite sentences about the textbook,
 * each true of its run, and the evidence only where the run contradicts it. */
static void the_slide_caption_follows_the_run_not_the_textbook(void **state)
{
	(void)state;
	const char *fixtures[] = { "tests/fixtures/caption-read-wins", "tests/fixtures/caption-mmap-wins" };
	char dir[1024], out[PATH_MAX], path[PATH_MAX + 32];
	tmpdir_make(dir, sizeof(dir));
	for (int mmap_wins = 0; mmap_wins < 2; mmap_wins++) {
		snprintf(out, sizeof(out), "%s/lecture%d", dir, mmap_wins);
		expect_quiet(dir, draw(dir, "FIGURES=read-mmap", "scripts", 1, fixtures[mmap_wins], out), fixtures[mmap_wins]);
		struct table t;
		snprintf(path, sizeof(path), "%s/figures.csv", out);
		assert_int_equal(table_read(&t, path), 0);
		const char *caption = table_get(&t, 1, "caption");
		const char *agrees = strstr(caption, "this run agrees"), *opposite = strstr(caption, "this run shows the opposite");
		const char *evidence = strstr(caption, "The run holds");
		if (mmap_wins ? !agrees || opposite || evidence : agrees || !opposite || !evidence)
			fail_msg("%s: the caption does not say what its run shows: %s", fixtures[mmap_wins], caption);
		table_free(&t);
	}
	tmpdir_remove(dir);
}

/* A says: line whose rows the run lacks leaves the static caption alone; one
 * with words beyond [-a-z0-9_=,.<>[]] is refused before anything runs. */
static void a_says_line_without_rows_keeps_the_static_caption(void **state)
{
	(void)state;
	char dir[1024], scripts[PATH_MAX], out[PATH_MAX];
	tmpdir_make(dir, sizeof(dir));
	scripts_with_extra(dir, "# says: --metric mibps --where cache=hot,sink=null --labels read\n");
	snprintf(scripts, sizeof(scripts), "%s/scripts", dir);
	snprintf(out, sizeof(out), "%s/lecture", dir);
	expect_quiet(dir, draw(dir, "FIGURES=extra", scripts, 1, "tests/fixtures/run", out), "the extra slide");
	struct table t;
	char path[PATH_MAX + 32];
	snprintf(path, sizeof(path), "%s/figures.csv", out);
	assert_int_equal(table_read(&t, path), 0);
	assert_string_equal(table_get(&t, 1, "caption"), "The static caption, which claims no result.");
	table_free(&t);
	tmpdir_remove(dir);

	tmpdir_make(dir, sizeof(dir));
	scripts_with_extra(dir, "# says: --metric mibps --where cache=hot $(touch planted)\n");
	snprintf(scripts, sizeof(scripts), "%s/scripts", dir);
	snprintf(out, sizeof(out), "%s/lecture", dir);
	int rc = draw(dir, "", scripts, 1, "tests/fixtures/run", out);
	char *err = slurp_at(dir, "err");
	if (rc != 2 || !strstr(err, "says:") || strchr(err, '\n') != err + strlen(err) - 1)
		fail_msg("a says: line with $( in it: status %d, said: %s", rc, err);
	free(err);
	assert_false(file_in(".", "planted") || file_in(dir, "planted"));
	tmpdir_remove(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(every_topic_run_of_the_readme_draws, work_on_disk, work_remove),
		cmocka_unit_test(every_slide_is_drawn_in_the_slide_format),
		cmocka_unit_test(subsets_draw_only_what_was_asked),
		cmocka_unit_test(a_subset_of_unknown_names_is_bad_input),
		cmocka_unit_test_setup_teardown(captions_come_from_the_run, work_in_tmp, work_remove),
		cmocka_unit_test(the_slide_caption_follows_the_run_not_the_textbook),
		cmocka_unit_test(a_says_line_without_rows_keeps_the_static_caption),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
