/* The mmap strategies' variants (benches/mapping.h): populate, madvise,
 * map=per-pass|once and window=SIZE.  Every value delivers exactly the file's
 * bytes at awkward sizes, takes the syscalls --explain predicts, and does
 * what it says to the mapping; the CLI labels them, gives them columns and
 * refuses combinations that cannot run. */
#include "helpers.h"

#include "cell.h"
#include "checksum.h"
#include "datafile.h"
#include "mapping.h"
#include "measure.h"
#include "sink.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define SEED 0x6d6170ULL

static const uint64_t sizes[] = { 0, 1, 4097, 8 << 20 };

/* One cell's options, by name; the others at their defaults. */
struct variant {
	const char *name[2];
	uint64_t value[2];
};

static const struct variant variants[] = {
	{ { NULL }, { 0 } },
	{ { "populate" }, { POPULATE_ON } },
	{ { "madvise" }, { ADVISE_SEQUENTIAL } },
	{ { "madvise" }, { ADVISE_RANDOM } },
	{ { "madvise" }, { ADVISE_WILLNEED } },
	{ { "madvise" }, { ADVISE_HUGEPAGE } },
	{ { "map" }, { MAP_ONCE } },
	{ { "map", "populate" }, { MAP_ONCE, POPULATE_ON } },
	{ { "map", "madvise" }, { MAP_ONCE, ADVISE_RANDOM } },
	{ { "window" }, { 4096 } },
	{ { "window" }, { 5000 } },           /* not a multiple of the page: windows start mid-page */
	{ { "window" }, { 12288 } },          /* divides neither 4097 nor 8 MiB */
	{ { "window" }, { 3 << 20 } },        /* 8 MiB in 3 windows, the last short */
	{ { "window" }, { 16 << 20 } },       /* larger than the file */
	{ { "window", "madvise" }, { 1 << 20, ADVISE_RANDOM } },
	{ { "window", "populate" }, { 12288, POPULATE_ON } },
};

static void key_for(struct cell_key *k, const struct strategy *s, const struct variant *v)
{
	key_init(k, s, SINK_PROCESS);
	for (int i = 0; i < 2 && v->name[i]; i++)
		k->opt[option_index(s, v->name[i])] = v->value[i];
}

static void describe(char *out, size_t len, const struct strategy *s, const struct cell_key *k, uint64_t size)
{
	char label[128];
	key_label(k, label, sizeof(label));
	snprintf(out, len, "%s at %llu bytes", label, (unsigned long long)size);
	(void)s;
}

/* Every variant of both strategies, at every size, in one and three passes. */
static void every_variant_delivers_the_file_at_every_size(void **state)
{
	(void)state;
	char err[PATH_MAX + 256], what[256];
	for (size_t z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
		struct datafile d;
		if (datafile_make(&d, work, sizes[z], SEED, NULL, err, sizeof(err)) != 0)
			fail_msg("%s", err);
		for (const char *const *name = (const char *const[]){ "mmap-shared", "mmap-private", NULL }; *name;
		     name++) {
			const struct strategy *s = strategy_find(*name);
			for (size_t v = 0; v < sizeof(variants) / sizeof(variants[0]); v++) {
				struct cell_key k;
				struct job j;
				struct expected want;
				struct sample smp;
				key_for(&k, s, &variants[v]);
				describe(what, sizeof(what), s, &k, sizes[z]);
				struct job_opts o = { .block = 128 << 10, .key = &k, .dir = work, .sender_cpu = -1 };
				if (job_prepare(&j, s, SINK_PROCESS, &d, &o, &want, err, sizeof(err)) != 0)
					fail_msg("%s: %s", what, err);
				const struct mapping *m = j.state;
				int once = job_option(&j, "map") == MAP_ONCE;
				char *first = m->map;
				/* map=once maps in setup (a 0-byte file: nothing); per-pass, between passes, nothing */
				assert_int_equal(first != NULL, once && sizes[z] > 0);
				for (unsigned iters = 1; iters <= 3; iters += 2) {
					if (measure_once(&job_ctx, s, &j, &want, iters, 0, &smp, err, sizeof(err)) != 0)
						fail_msg("%s, %u passes: %s", what, iters, err);
					assert_int_equal(smp.verified, 1);
					assert_int_equal(smp.iters, iters);
					assert_ptr_equal(m->map, first); /* once: the same mapping, every pass */
					double predicted = s->predict_syscalls(&j);
					if (!isnan(smp.c[C_SENDER_SYSCALLS]) && smp.c[C_SENDER_SYSCALLS] != predicted)
						fail_msg("%s: predicted %g syscalls per pass, measured %g", what, predicted,
							 smp.c[C_SENDER_SYSCALLS]);
				}
				job_release(&j, s);
				assert_null(j.state);
			}
		}
		datafile_remove(&d);
	}
}

/* The faults say where establishing the mapping went: per pass on first touch
 * by default; into mmap with populate (faults the kernel takes for itself,
 * which getrusage counts and perf's page-faults event does not); out of the
 * timed region with map=once and populate. */
static void populate_and_once_move_the_faults(void **state)
{
	(void)state;
	char err[PATH_MAX + 256];
	struct datafile d;
	assert_int_equal(datafile_make(&d, work, 8 << 20, SEED, NULL, err, sizeof(err)), 0);
	const struct strategy *s = strategy_find("mmap-shared");
	static const struct variant cases[] = {
		{ { NULL }, { 0 } },
		{ { "populate" }, { POPULATE_ON } },
		{ { "map", "populate" }, { MAP_ONCE, POPULATE_ON } },
	};
	double touch[3], all[3];
	for (int c = 0; c < 3; c++) {
		struct cell_key k;
		struct job j;
		struct expected want;
		struct sample smp;
		key_for(&k, s, &cases[c]);
		struct job_opts o = { .block = 128 << 10, .key = &k, .dir = work, .sender_cpu = -1 };
		assert_int_equal(job_prepare(&j, s, SINK_PROCESS, &d, &o, &want, err, sizeof(err)), 0);
		if (measure_once(&job_ctx, s, &j, &want, 3, 0, &smp, err, sizeof(err)) != 0)
			fail_msg("%s", err);
		touch[c] = smp.c[C_PF];
		all[c] = smp.c[C_MINFLT];
		job_release(&j, s);
	}
	if (!isnan(touch[0])) {
		assert_true(touch[0] > 0);   /* demand paging: faults on first touch */
		assert_true(touch[1] == 0);  /* populate: none taken by the reads */
		assert_true(touch[2] == 0);
	}
	assert_true(all[1] > 0);             /* populate: mmap took them */
	assert_true(all[2] == 0);            /* once + populate: all of it in setup */
	datafile_remove(&d);
}

/* Through the CLI: labels name a variant only off its default, the columns
 * hold every option's value (empty for other strategies), --explain's
 * predictions are what was measured. */
static void labels_columns_and_explain(void **state)
{
	(void)state;
	char out[PATH_MAX], dir[PATH_MAX], said[PATH_MAX], path[PATH_MAX + 32];
	snprintf(out, sizeof(out), "%s/cli", work);
	snprintf(dir, sizeof(dir), "%s/cli.data", work);
	snprintf(said, sizeof(said), "%s/cli.out", work);
	assert_int_equal(run_iopaths(work, said, NULL, (const char *const[]){ "run", "--strategy",
		"read,mmap-shared,mmap-private", "--sizes", "4097,1M", "--reps", "1", "--warmup", "0",
		"--min-sample-ms", "0", "--variant", "populate=off,on", "--variant", "mmap-shared.window=0,12K",
		"--variant", "mmap-private.map=per-pass,once", "--variant", "mmap-private.madvise=normal,random",
		"--explain", "--out", out, "--dir", dir, NULL }), 0);
	struct table t;
	snprintf(path, sizeof(path), "%s/summary.csv", out);
	assert_int_equal(table_read(&t, path), 0);
	static const char *const want[][6] = {
		/* label, populate, madvise, map, window */
		{ "read", "", "", "", "" },
		{ "mmap-shared", "off", "normal", "per-pass", "0" },
		{ "mmap-shared[window=12288]", "off", "normal", "per-pass", "12288" },
		{ "mmap-shared[populate=on]", "on", "normal", "per-pass", "0" },
		{ "mmap-shared[populate=on,window=12288]", "on", "normal", "per-pass", "12288" },
		{ "mmap-private", "off", "normal", "per-pass", "0" },
		{ "mmap-private[madvise=random]", "off", "random", "per-pass", "0" },
		{ "mmap-private[map=once]", "off", "normal", "once", "0" },
		{ "mmap-private[madvise=random,map=once]", "off", "random", "once", "0" },
		{ "mmap-private[populate=on]", "on", "normal", "per-pass", "0" },
		{ "mmap-private[populate=on,madvise=random,map=once]", "on", "random", "once", "0" },
	};
	size_t found = 0;
	for (size_t w = 0; w < sizeof(want) / sizeof(want[0]); w++)
		for (size_t r = 1; r < t.rows; r++) {
			if (strcmp(table_get(&t, r, "label"), want[w][0]) != 0)
				continue;
			assert_string_equal(table_get(&t, r, "populate"), want[w][1]);
			assert_string_equal(table_get(&t, r, "madvise"), want[w][2]);
			assert_string_equal(table_get(&t, r, "map"), want[w][3]);
			assert_string_equal(table_get(&t, r, "window"), want[w][4]);
			found++;
		}
	assert_int_equal(found, 2 * sizeof(want) / sizeof(want[0])); /* at both sizes */
	assert_int_equal(t.rows - 1, 2 * (1 + 4 + 8));                 /* and nothing else */
	/* the new columns come after every column there was */
	assert_true(table_col(&t, "populate") > table_col(&t, "pipe_size"));
	table_free(&t);

	/* --explain: every cell's prediction was measured (as root). */
	char *text = slurp(said);
	assert_non_null(text);
	assert_non_null(strstr(text, "predicted"));
	{
		char *save = NULL;
		int in_table = 0, rows = 0;
		for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			char label[96], sink[16], cache[16], size[16], predicted[32], measured[32];
			if (strncmp(line, "strategy ", 9) == 0 && strstr(line, "predicted")) {
				in_table = 1;
				continue;
			}
			if (!in_table || line[0] == '(')
				continue;
			int n = sscanf(line, "%95s %15s %15s %15s %31s %31s", label, sink, cache, size, predicted, measured);
			assert_true(n >= 5);
			if (n == 6 && strtod(predicted, NULL) != strtod(measured, NULL)) /* measured: root only */
				fail_msg("%s at %s: predicted %s syscalls, measured %s", label, size, predicted, measured);
			rows++;
		}
		assert_int_equal(rows, 2 * (1 + 4 + 8));
	}
	free(text);
}

/* Both patterns, one and three threads: every variant verified; windows in a
 * random order take a mapping per piece of a span (an order that happens to
 * stay in a window saves one, so measured <= predicted), in order exactly
 * the prediction. */
static void patterns_and_threads(void **state)
{
	(void)state;
	for (const char *const *threads = (const char *const[]){ "1", "3", NULL }; *threads; threads++) {
		char out[PATH_MAX], dir[PATH_MAX], said[PATH_MAX], path[PATH_MAX + 32];
		snprintf(out, sizeof(out), "%s/pt%s", work, *threads);
		snprintf(dir, sizeof(dir), "%s/pt%s.data", work, *threads);
		snprintf(said, sizeof(said), "%s/pt%s.out", work, *threads);
		assert_int_equal(run_iopaths(work, said, NULL, (const char *const[]){ "run", "--strategy",
			"mmap-shared,mmap-private", "--sizes", "0,1,4097,8M", "--reps", "1", "--warmup", "0",
			"--min-sample-ms", "0", "--pattern", "seq,random", "--io-size", "4K", "--threads", *threads,
			"--variant", "window=0,12K,5000", "--variant", "madvise=normal,random", "--variant",
			"populate=off,on", "--explain", "--out", out, "--dir", dir, NULL }), 0);
		struct table t;
		snprintf(path, sizeof(path), "%s/runs.csv", out);
		assert_int_equal(table_read(&t, path), 0);
		assert_int_equal(t.rows - 1, 2 * 4 * 2 * 3 * 2 * 2);
		for (size_t r = 1; r < t.rows; r++)
			assert_string_equal(table_get(&t, r, "verified"), "1");
		table_free(&t);
		if (strcmp(*threads, "1") != 0)
			continue; /* with threads, the crew's own calls are the harness's */
		char *text = slurp(said), *save = NULL;
		assert_non_null(text);
		int in_table = 0;
		for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			char label[128], sink[16], cache[16], size[16], predicted[32], measured[32];
			if (strncmp(line, "strategy ", 9) == 0 && strstr(line, "predicted")) {
				in_table = 1;
				continue;
			}
			if (!in_table || line[0] == '(' ||
			    sscanf(line, "%127s %15s %15s %15s %31s %31s", label, sink, cache, size, predicted,
				   measured) != 6)
				continue;
			double p = strtod(predicted, NULL), m = strtod(measured, NULL);
			if (strstr(label, "random") ? m > p || m < 0.99 * p : m != p)
				fail_msg("%s at %s: predicted %s syscalls, measured %s", label, size, predicted, measured);
		}
		free(text);
	}
}

/* `iopaths explain` predicts each variant: madvise adds a call per mapping,
 * populate none (a flag of mmap), a window a mapping per window, once none. */
static void explain_predicts_every_variant(void **state)
{
	(void)state;
	static const struct {
		const char *args[7];
		const char *says;
	} cases[] = {
		{ { "--size", "64M" }, "64M file, 128K blocks: 2 syscalls per pass" },
		{ { "--size", "64M", "--populate", "on" }, "64M file, 128K blocks: 2 syscalls per pass" },
		{ { "--size", "64M", "--madvise", "random" }, "64M file, 128K blocks: 3 syscalls per pass" },
		{ { "--size", "64M", "--map", "once", "--populate", "on" }, "64M file, 128K blocks: 0 syscalls per pass" },
		{ { "--size", "256M", "--window", "1M" }, "256M file, 128K blocks: 512 syscalls per pass" },
		{ { "--size", "256M", "--window", "1M", "--madvise", "willneed" }, "256M file, 128K blocks: 768 syscalls" },
		{ { "--size", "8M", "--window", "3M" }, "8M file, 128K blocks: 6 syscalls per pass" },
		{ { "--size", "1", "--window", "1M" }, "1 file, 128K blocks: 2 syscalls per pass" },
		{ { "--size", "0", "--window", "1M" }, "0 file, 128K blocks: 0 syscalls per pass" },
	};
	char said[PATH_MAX];
	snprintf(said, sizeof(said), "%s/explain.out", work);
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++)
		for (const char *const *name = (const char *const[]){ "mmap-shared", "mmap-private", NULL }; *name;
		     name++) {
			const char *argv[10] = { "explain", *name };
			for (size_t a = 0; cases[c].args[a]; a++)
				argv[2 + a] = cases[c].args[a];
			assert_int_equal(run_iopaths(work, said, NULL, argv), 0);
			char *text = slurp(said);
			assert_non_null(text);
			if (!strstr(text, cases[c].says))
				fail_msg("explain %s %s %s ...: wanted \"%s\" in:\n%s", *name, cases[c].args[0],
					 cases[c].args[1], cases[c].says, text);
			free(text);
		}
}

/* What cannot run is refused before anything is made: status 2, one line. */
static void nonsense_is_refused(void **state)
{
	(void)state;
	static const char *const bad[][2] = {
		{ "mmap-shared.window=100", "smaller than a page" },
		{ "window=4095", "smaller than a page" },
		{ "window=abc", "is not a size" },
		{ "mmap-shared.madvise=huge", "is not one of normal, sequential, random, willneed, hugepage" },
		{ "map=twice", "is not one of per-pass, once" },
	};
	char out[PATH_MAX], dir[PATH_MAX], errf[PATH_MAX];
	snprintf(out, sizeof(out), "%s/o", work);
	snprintf(dir, sizeof(dir), "%s/d", work);
	snprintf(errf, sizeof(errf), "%s/err", work);
	/* and combinations: a window with map=once; map=once with a cold cache (its
	 * mapped pages would keep the file hot) */
	static const char *const combined[][4] = {
		{ "map=once", "window=0,1M", "hot", "map=once maps the whole file once" },
		{ "map=per-pass,once", "window=0", "cold", "a mapped page cannot be evicted" },
		{ "map=once", "window=0", "both", "a mapped page cannot be evicted" },
	};
	size_t nbad = sizeof(bad) / sizeof(bad[0]);
	for (size_t b = 0; b < nbad + sizeof(combined) / sizeof(combined[0]); b++) {
		const char *const *c = b < nbad ? NULL : combined[b - nbad];
		const char *variant = c ? c[0] : bad[b][0];
		int rc = run_iopaths(work, NULL, errf, (const char *const[]){ "run", "--strategy", "mmap-shared",
			"--sizes", "4K", "--variant", variant, "--variant", c ? c[1] : "populate=off", "--cache",
			c ? c[2] : "hot", "--out", out, "--dir", dir, NULL });
		char *msg = slurp(errf);
		assert_non_null(msg);
		const char *says = c ? c[3] : bad[b][1];
		if (rc != 2 || strncmp(msg, "iopaths: ", 9) != 0 || !strstr(msg, says) ||
		    strchr(msg, '\n') != msg + strlen(msg) - 1)
			fail_msg("--variant %s: status %d, said: %s", variant, rc, msg);
		free(msg);
		struct stat st;
		assert_int_equal(stat(out, &st), -1); /* nothing made */
		assert_int_equal(stat(dir, &st), -1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_variant_delivers_the_file_at_every_size),
		cmocka_unit_test(populate_and_once_move_the_faults),
		cmocka_unit_test(labels_columns_and_explain),
		cmocka_unit_test(patterns_and_threads),
		cmocka_unit_test(explain_predicts_every_variant),
		cmocka_unit_test(nonsense_is_refused),
	};
	return cmocka_run_group_tests(tests, work_and_ctx_open, work_and_ctx_close);
}
