/* The sink table: each line of harness/sinks/sinks.def names the sink its file
 * defines, and every sink opens and closes leaving nothing behind. */
#include "helpers.h"

#include "sink.h"

#include <dirent.h>
#include <string.h>
#include <unistd.h>

static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;
	assert_non_null(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

static void the_table_and_the_sink_files_agree(void **state)
{
	(void)state;
	for (int k = 0; k < NSINKS; k++) {
		const struct sink_ops *ops = sink_ops_of((enum sink)(1u << k));
		assert_non_null(ops);
		if (strcmp(ops->name, sink_names[k]) != 0 || ops->bit != (enum sink)(1u << k))
			fail_msg("sinks.def line %d says %s (bit %#x); its file says %s (bit %#x)", k + 1, sink_names[k],
				 1u << k, ops->name, (unsigned)ops->bit);
	}
}

/* Open and closed without a sample, as a sweep that fails early does. */
static void every_sink_closes_what_it_opened(void **state)
{
	(void)state;
	char dir[PATH_MAX], err[PATH_MAX + 256];
	tmpdir_make(dir, sizeof(dir));
	int before = open_fds();
	for (int k = 0; k < NSINKS; k++) {
		struct job j = { .fd = -1, .out = -1, .size = 4096 };
		struct sink_opts o = { .dir = dir, .sender_cpu = -1 };
		if (sink_open(&j, (enum sink)(1u << k), &o, err, sizeof(err)) != 0)
			fail_msg("%s: %s", sink_names[k], err);
		assert_int_equal(j.sink, 1u << k);
		sink_close(&j);
		assert_null(j.sink_state);
		assert_int_equal(j.out, -1);
		sink_close(&j); /* twice is harmless: job_release after a failed prepare */
		if (open_fds() != before)
			fail_msg("%s: %d descriptors open after close, %d before", sink_names[k], open_fds(), before);
	}
	assert_int_equal(dir_entries(dir), 0);
	tmpdir_remove(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_table_and_the_sink_files_agree),
		cmocka_unit_test(every_sink_closes_what_it_opened),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
