/* The design slides of issue 11 (scripts/design/, `make design`) and
 * scripts/vs-fio.sh's arguments.  The slides are drawn from
 * tests/fixtures/design (a run of the patterns and threads with the mapping
 * options and the new strategies' rows added, its README says how) in the
 * lecture's format, each with a caption written from the run; a slide whose
 * rows the run lacks is skipped with one line; vs-fio.sh refuses bad
 * arguments with one line and status 2 before it needs fio.  No timings. */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FIXTURE "tests/fixtures/design"

/* ENV scripts/plots.sh --design RUN OUT, stdout and stderr into dir/out and dir/err. */
static int draw(const char *dir, const char *env, const char *run, const char *out)
{
	char cmd[8 * PATH_MAX];
	int n = snprintf(cmd, sizeof(cmd), "%s IOPATHS=%s scripts/plots.sh --design %s %s >%s/out 2>%s/err", env,
			 iopaths_bin(), run, out, dir, dir);
	assert_true(n > 0 && (size_t)n < sizeof(cmd));
	return shell_status(cmd);
}

/* Every design slide of the fixture: PNG 1920x1080, an SVG of 960 x 540
 * with no text under 24 px (18 pt), a PDF of 720 x 405 pt; in figures.csv
 * drawn, with a caption that starts with words written from the run (its
 * "n = 3") and ends with the slide's own. */
static void every_design_slide_is_drawn_from_the_fixture(void **state)
{
	(void)state;
	char dir[1024], out[PATH_MAX];
	tmpdir_make(dir, sizeof(dir));
	snprintf(out, sizeof(out), "%s/design", dir);
	expect_quiet(dir, draw(dir, "", FIXTURE, out), "design slides of the fixture");
	char **figures = figures_in("scripts/design");
	int nfigures = 0;
	for (char **fig = figures; *fig; fig++, nfigures++)
		expect_slide(out, *fig);
	assert_int_equal(nfigures, 3);
	figures_free(figures);

	struct table t;
	char path[PATH_MAX + 32];
	snprintf(path, sizeof(path), "%s/figures.csv", out);
	assert_int_equal(table_read(&t, path), 0);
	assert_int_equal(t.rows, 1 + 3);
	for (size_t r = 1; r < t.rows; r++) {
		const char *caption = table_get(&t, r, "caption");
		if (strcmp(table_get(&t, r, "drawn"), "1") != 0)
			fail_msg("%s was not drawn: %s", table_get(&t, r, "figure"), table_get(&t, r, "why_not_drawn"));
		if (strncmp(caption, "Measured: ", 10) != 0 || !strstr(caption, "n = 3"))
			fail_msg("%s has no caption written from the run: %s", table_get(&t, r, "figure"), caption);
		assert_null(strchr(caption, '\n'));
	}
	/* The random slide's says: line names labels with a comma inside [...]: kept whole. */
	assert_non_null(strstr(table_get(&t, 1, "caption"), "mmap-shared[madvise=random,pattern=random]"));
	assert_non_null(strstr(table_get(&t, 2, "caption"), "tlb_shootdowns"));
	table_free(&t);
	tmpdir_remove(dir);
}

/* A slide whose rows the run lacks: one line saying why, a row of
 * figures.csv with the reason, no file of it; the others drawn. */
static void a_slide_without_its_data_is_skipped_with_one_line(void **state)
{
	(void)state;
	char dir[1024], out[PATH_MAX], run[PATH_MAX];
	tmpdir_make(dir, sizeof(dir));
	snprintf(out, sizeof(out), "%s/design", dir);
	expect_quiet(dir, draw(dir, "STRATEGIES=pread,mmap-shared", FIXTURE, out), "STRATEGIES=pread,mmap-shared");
	char *said = slurp_at(dir, "out");
	assert_null(strstr(said, "not drawn")); /* pread alone fills each slide */
	free(said);

	/* Without threads above 1, nor map or populate variants: only the random slide's rows. */
	snprintf(run, sizeof(run), "%s/run", dir);
	char cmd[8 * PATH_MAX];
	snprintf(cmd, sizeof(cmd),
		 "mkdir %s && cp " FIXTURE "/meta.csv %s/ && awk -F, 'NR == 1 || ($0 !~ /threads=/ && $0 !~ /map=once/ && "
		 "$0 !~ /populate=on/)' " FIXTURE "/summary.csv >%s/summary.csv && "
		 "cp " FIXTURE "/runs.csv %s/",
		 run, run, run, run);
	assert_int_equal(shell_status(cmd), 0);
	snprintf(out, sizeof(out), "%s/design2", dir);
	expect_quiet(dir, draw(dir, "", run, out), "the fixture without threads");
	said = slurp_at(dir, "out");
	if (!strstr(said, "design: threads not drawn: ") || strstr(said, "random not drawn"))
		fail_msg("the threads slide was not skipped with one line: %s", said);
	assert_false(file_in(out, "threads.png") || file_in(out, "threads.svg") || file_in(out, "threads.pdf"));
	assert_true(file_in(out, "random.png"));
	struct table t;
	char path[PATH_MAX + 32];
	snprintf(path, sizeof(path), "%s/figures.csv", out);
	assert_int_equal(table_read(&t, path), 0);
	assert_string_equal(table_get(&t, 2, "figure"), "threads");
	assert_string_equal(table_get(&t, 2, "drawn"), "0");
	assert_non_null(strstr(said, table_get(&t, 2, "why_not_drawn")));
	table_free(&t);
	free(said);

	/* A subset of strategies the slides do not draw: every one skipped, status 0. */
	snprintf(out, sizeof(out), "%s/design3", dir);
	expect_quiet(dir, draw(dir, "STRATEGIES=read", FIXTURE, out), "STRATEGIES=read");
	said = slurp_at(dir, "out");
	assert_non_null(strstr(said, "design: random not drawn: "));
	assert_non_null(strstr(said, "design: threads not drawn: "));
	assert_non_null(strstr(said, "design: mapping not drawn: "));
	free(said);
	tmpdir_remove(dir);
}

/* Copies the fixture's summary.csv to dir/run/ with the column col set to
 * value in every row (fields split at commas outside quotes), and meta.csv. */
static void fixture_with(const char *dir, const char *col, const char *value)
{
	char path[PATH_MAX + 64], quoted[64];
	snprintf(quoted, sizeof(quoted), "\"%s\"", col);
	snprintf(path, sizeof(path), "mkdir -p %s/run && cp " FIXTURE "/meta.csv " FIXTURE "/runs.csv %s/run/", dir, dir);
	assert_int_equal(shell_status(path), 0);
	FILE *in = fopen(FIXTURE "/summary.csv", "r");
	snprintf(path, sizeof(path), "%s/run/summary.csv", dir);
	FILE *out = fopen(path, "w");
	assert_non_null(in);
	assert_non_null(out);
	char line[1 << 16];
	long target = -1;
	while (fgets(line, sizeof(line), in)) {
		long field = 0;
		int quoted_now = 0;
		char *start = line;
		for (char *p = line;; p++) {
			if (*p == '"')
				quoted_now = !quoted_now;
			if ((*p == ',' && !quoted_now) || *p == '\n' || *p == '\0') {
				char end = *p;
				*p = '\0';
				if (target < 0 && strcmp(start, quoted) == 0)
					target = field;
				fprintf(out, "%s%s", field ? "," : "", field == target && strcmp(start, quoted) != 0 ? value : start);
				if (end != ',') {
					fputc('\n', out);
					break;
				}
				start = p + 1;
				field++;
			}
		}
	}
	assert_true(target >= 0);
	fclose(in);
	assert_int_equal(fclose(out), 0);
}

/* The threads slide of a run whose shootdowns are all 0, or NA (a kernel
 * without the TLB line): drawn, quietly (gnuplot says nothing). */
static void the_threads_slide_draws_zero_and_absent_shootdowns(void **state)
{
	(void)state;
	const char *values[] = { "\"0\"", "", NULL };
	for (const char **v = values; *v; v++) {
		char dir[1024], run[PATH_MAX], out[PATH_MAX];
		tmpdir_make(dir, sizeof(dir));
		fixture_with(dir, "tlb_shootdowns_median", *v);
		snprintf(run, sizeof(run), "%s/run", dir);
		snprintf(out, sizeof(out), "%s/design", dir);
		expect_quiet(dir, draw(dir, "FIGURES=threads", run, out), **v ? "shootdowns all 0" : "shootdowns NA");
		assert_true(file_in(out, "threads.png"));
		tmpdir_remove(dir);
	}
}

/* make design RUN=: a folder of the slides' runs draws each slide from its
 * own; one that holds none is one line and status 2. */
static void make_design_draws_a_folder_of_runs(void **state)
{
	(void)state;
	char dir[1024], cmd[8 * PATH_MAX];
	tmpdir_make(dir, sizeof(dir));
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/parts && cp -r " FIXTURE " %s/parts/mapping && "
		 "IOPATHS=%s RUN=%s/parts PLOTS_DIR=%s/plots scripts/design.sh >%s/out 2>%s/err",
		 dir, dir, iopaths_bin(), dir, dir, dir, dir);
	expect_quiet(dir, shell_status(cmd), "design.sh of a folder with one slide's run");
	char path[PATH_MAX + 64];
	snprintf(path, sizeof(path), "%s/plots/parts/design", dir);
	expect_slide(path, "mapping");
	assert_false(file_in(path, "random.png"));
	char *said = slurp_at(dir, "out");
	assert_non_null(strstr(said, "design: random not drawn: "));
	free(said);

	snprintf(cmd, sizeof(cmd), "IOPATHS=%s RUN=%s/none PLOTS_DIR=%s/plots scripts/design.sh >%s/out 2>%s/err",
		 iopaths_bin(), dir, dir, dir, dir);
	assert_int_equal(shell_status(cmd), 2);
	char *err = slurp_at(dir, "err");
	if (strncmp(err, "iopaths: ", 9) != 0 || strchr(err, '\n') != err + strlen(err) - 1)
		fail_msg("a RUN without runs: said %s", err);
	free(err);
	assert_false(file_in(dir, "plots/none"));
	tmpdir_remove(dir);
}

/* scripts/vs-fio.sh: a bad size, round count or case, or too many
 * arguments: one line "iopaths: vs-fio: ...", status 2, before anything
 * runs (no fio needed) and nothing left in DIR. */
static void vs_fio_refuses_bad_arguments(void **state)
{
	(void)state;
	/* Each with the words its refusal must hold: on a machine without fio
	 * every command line is refused, so the reason is what is checked. */
	const char *bad[][2] = { { "12Q", "SIZE" }, { "0", "SIZE" }, { "4097", "SIZE" }, { "65G", "SIZE" },
				 { "999999999999G", "SIZE" }, { "1G 0", "ROUNDS" }, { "1G 101", "ROUNDS" },
				 { "1G x", "ROUNDS" }, { "1G 5 nope", "no case" },
				 { "1G 5 rand-psync,,seq-psync", "empty item" }, { "1G 5 ''", "empty item" },
				 { "1G 1 seq-psync extra", "usage" }, { "(DIR with :)", "DIR" }, { NULL, NULL } };
	char dir[1024];
	tmpdir_make(dir, sizeof(dir));
	for (const char *(*b)[2] = bad; (*b)[0]; b++) {
		char cmd[4 * PATH_MAX];
		/* the last: a DIR with a ':', which fio would split */
		snprintf(cmd, sizeof(cmd), "DIR=%s%s IOPATHS=%s scripts/vs-fio.sh %s >%s/out 2>%s/err", dir,
			 b[1][0] ? "" : "/a:b", iopaths_bin(), b[1][0] ? (*b)[0] : "4M 1", dir, dir);
		int rc = shell_status(cmd);
		char *err = slurp_at(dir, "err"), *out = slurp_at(dir, "out");
		if (rc != 2 || strncmp(err, "iopaths: vs-fio: ", 17) != 0 || strchr(err, '\n') != err + strlen(err) - 1 ||
		    !strstr(err, (*b)[1]) || out[0])
			fail_msg("vs-fio.sh %s: status %d, said: %s%s", (*b)[0], rc, out, err);
		free(err);
		free(out);
		assert_int_equal(dir_entries(dir), 2); /* out and err */
	}
	tmpdir_remove(dir);
}

/* A label's "%" reaches the random slide's axis as text, not as a format
 * (gnuplot reads an explicit tic label as one). */
static void a_percent_in_a_label_is_text_on_the_axis(void **state)
{
	(void)state;
	char dir[1024], cmd[4 * PATH_MAX], run[1100], out[1100];
	tmpdir_make(dir, sizeof(dir));
	snprintf(run, sizeof(run), "%s/run", dir);
	snprintf(out, sizeof(out), "%s/slides", dir); /* dir/out is draw()'s stdout */
	snprintf(cmd, sizeof(cmd), "cp -r " FIXTURE " %s && sed -i 's/io-uring\\[qd=32,pattern=random\\]/"
		 "io-uring[qd=32%%s%%n,pattern=random]/g' %s/summary.csv && grep -q 'qd=32%%s%%n' %s/summary.csv",
		 run, run, run);
	assert_int_equal(shell_status(cmd), 0);
	expect_quiet(dir, draw(dir, "FIGURES=random", run, out), "a label with %s%n");
	char *svg = slurp_at(out, "random.svg");
	assert_non_null(strstr(svg, "uring qd32%s%n"));
	free(svg);
	tmpdir_remove(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_design_slide_is_drawn_from_the_fixture),
		cmocka_unit_test(a_slide_without_its_data_is_skipped_with_one_line),
		cmocka_unit_test(the_threads_slide_draws_zero_and_absent_shootdowns),
		cmocka_unit_test(make_design_draws_a_folder_of_runs),
		cmocka_unit_test(vs_fio_refuses_bad_arguments),
		cmocka_unit_test(a_percent_in_a_label_is_text_on_the_axis),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
