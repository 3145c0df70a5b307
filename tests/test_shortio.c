/* Every path through short transfers and EINTR, at small sizes: iopaths
 * runs under build/tests/shortio.so (tests/shortio.c), which makes every
 * transfer call move at most 1000 to 3000 bytes and fails every fifth with EINTR.
 * A loop that stops after its first call, or counts a short call as a
 * whole one, delivers the wrong bytes, and verification says so; in a
 * random order and with threads too (a short transfer leaves the rest of
 * its span, wherever the span is). */
#include "helpers.h"

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


/* Runs iopaths under the shim; fails with its stderr unless it exits 0 with
 * every row verified (but /dev/null's, which nothing checks). */
static void run_shortened(const char *name, const char *const *args)
{
	char out[PATH_MAX], path[PATH_MAX + 32];
	const char *argv[40];
	size_t a = 0;
	for (; args[a]; a++)
		argv[a] = args[a];
	argv[a++] = "--reps";
	argv[a++] = "1";
	argv[a++] = "--warmup";
	argv[a++] = "0";
	argv[a] = NULL;
	run_in_work(name, argv, out, sizeof(out)); /* under the short-transfer shim */
	struct table t;
	snprintf(path, sizeof(path), "%s/runs.csv", out);
	assert_int_equal(table_read(&t, path), 0);
	assert_true(t.rows > 1);
	for (size_t r = 1; r < t.rows; r++)
		if (strcmp(table_get(&t, r, "sink"), "null") != 0 && strcmp(table_get(&t, r, "verified"), "1") != 0)
			fail_msg("%s to %s at %s bytes: not verified", table_get(&t, r, "strategy"),
				 table_get(&t, r, "sink"), table_get(&t, r, "file_bytes"));
	table_free(&t);
}

static void every_path_survives_short_transfers_and_eintr(void **state)
{
	(void)state;
#if defined(__SANITIZE_ADDRESS__)
	print_message("ASan build: the LD_PRELOAD shim runs in the normal build only (ASan must load first)\n");
	skip();
#endif
	char bin[PATH_MAX], shim[PATH_MAX + 32], report[PATH_MAX + 16];
	snprintf(bin, sizeof(bin), "%s", iopaths_bin());
	snprintf(shim, sizeof(shim), "%s/tests/shortio.so", dirname(bin));
	if (access(shim, R_OK) != 0)
		fail_msg("%s is missing: make build/tests/shortio.so", shim);
	snprintf(report, sizeof(report), "%s/shim-report", work);
	setenv("LD_PRELOAD", shim, 1);
	setenv("IOPATHS_SHORTIO_REPORT", report, 1);

	/* Sinks that fail at once first; sockets would wait out their bound. */
	run_shortened("local", (const char *const[]){ "run", "--op", "both", "--sink", "process,file,null",
		"--sizes", "0,1,4097,70001", "--block", "8K", "--msync", "sync,none", "--fsync=both",
		"--min-sample-ms", "0", "--pattern", "seq,random", "--io-size", "3000", "--threads", "1,3", NULL });
	run_shortened("sockets", (const char *const[]){ "run", "--sink", "unix,tcp", "--sizes", "1,4097,70001",
		"--block", "8K", "--min-sample-ms", "1", NULL });
	unsetenv("LD_PRELOAD");
	unsetenv("IOPATHS_SHORTIO_REPORT");

	/* The shim was really in the way, in both runs. */
	char *text = slurp(report);
	assert_non_null(text);
	unsigned long shortened, interrupted;
	int runs = 0;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"), runs++) {
		assert_int_equal(sscanf(line, "shortened %lu interrupted %lu", &shortened, &interrupted), 2);
		assert_true(shortened > 100 && interrupted > 100);
	}
	assert_int_equal(runs, 2);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(every_path_survives_short_transfers_and_eintr, work_on_disk, work_remove),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
