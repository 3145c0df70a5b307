/* The pitfall demos (truncate-under-mapping, permissions-and-alignment,
 * msync-and-durability) as a user runs them: exit 0, one row in demos.csv,
 * the verdict this kernel earns, the numbers behind it in details, and the
 * private folder gone. */
#include "helpers.h"

#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

static void expect_detail(const struct table *t, const char *key, const char *want)
{
	char buf[256];
	if (!row_detail_text(t, key, buf, sizeof(buf)))
		fail_msg("no %s in details: %s", key, table_get(t, 1, "details"));
	assert_string_equal(buf, want);
}

static void a_shrunk_file_faults_past_its_end_and_drops_the_tail(void **state)
{
	(void)state;
	struct table t;
	char end[256];
	demo_row("truncate-under-mapping", &t);
	expect_as_taught(&t);
	long size = row_detail(&t, "new_size");
	long page = sysconf(_SC_PAGESIZE);
	assert_true(size > page && size % page != 0); /* a partial last page */
	/* SIGBUS, BUS_ADRERR, at the very address touched */
	assert_non_null(row_detail_text(&t, "end", end, sizeof(end)));
	assert_non_null(strstr(end, "SIGBUS (BUS_ADRERR) at "));
	assert_int_equal(strtoul(strstr(end, " at ") + 4, NULL, 0), (unsigned long)row_detail(&t, "touched"));
	assert_int_equal(row_detail(&t, "kept_bytes_right"), size);
	assert_int_equal(row_detail(&t, "tail_bytes_zero"), 2 * page - size);
	assert_int_equal(row_detail(&t, "size_after_tail_write"), size);
	assert_int_equal(row_detail(&t, "read_bytes"), size);
	assert_int_equal(row_detail(&t, "read_bytes_right"), size);
	assert_int_equal(row_detail(&t, "tail_zero_remapped_after_fsync"), 1);
	table_free(&t);
}

static void mmap_refuses_what_it_must_and_faults_past_eof(void **state)
{
	(void)state;
	struct table t;
	char end[256];
	demo_row("permissions-and-alignment", &t);
	expect_as_taught(&t);
	expect_detail(&t, "rdonly_shared_write", "EACCES");
	expect_detail(&t, "rdonly_private_write", "allowed");
	expect_detail(&t, "offset_half_page", "EINVAL");
	expect_detail(&t, "length_0", "EINVAL");
	expect_detail(&t, "map_past_eof", "allowed");
	assert_non_null(row_detail_text(&t, "touch_past_eof", end, sizeof(end)));
	assert_non_null(strstr(end, "SIGBUS (BUS_ADRERR) at "));
	assert_int_equal(strtoul(strstr(end, " at ") + 4, NULL, 0), (unsigned long)row_detail(&t, "touched"));
	table_free(&t);
}

/* The page cache outlives a killed writer; MS_SYNC leaves nothing dirty;
 * MS_ASYNC gets the verdict its dirty count earns (on Linux it starts no
 * writeback, so "differs", naming MS_ASYNC and nothing else). */
static void a_killed_writer_loses_nothing_and_msync_is_for_the_disk(void **state)
{
	(void)state;
	struct table t;
	char na[256];
	demo_row("msync-and-durability", &t);
	long len = 4 * sysconf(_SC_PAGESIZE);
	assert_int_equal(row_detail(&t, "bytes_seen_after_kill"), len);
	struct statfs fs;
	assert_int_equal(statfs(work, &fs), 0);
	int countable = geteuid() == 0 && access("/proc/kpageflags", R_OK) == 0 && fs.f_type != TMPFS_MAGIC;
	if (row_detail_text(&t, "persisted", na, sizeof(na))) {
		assert_false(countable); /* NA only where the counts cannot be made */
		assert_non_null(strstr(na, "NA ("));
		expect_as_taught(&t);
		table_free(&t);
		return;
	}
	assert_true(row_detail(&t, "dirty_after_kill") > 0); /* in the cache, not on disk */
	assert_int_equal(row_detail(&t, "dirty_before_ms_sync"), 4);
	assert_int_equal(row_detail(&t, "dirty_after_ms_sync"), 0);
	assert_int_equal(row_detail(&t, "dirty_before_ms_async"), 4);
	const char *verdict = table_get(&t, 1, "verdict");
	if (row_detail(&t, "dirty_after_ms_async_waited") == 0) {
		expect_as_taught(&t);
	} else {
		assert_non_null(strstr(verdict, "differs: MS_ASYNC started no write"));
		assert_null(strstr(verdict, "; ")); /* the only part that differed */
	}
	table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_shrunk_file_faults_past_its_end_and_drops_the_tail),
		cmocka_unit_test(mmap_refuses_what_it_must_and_faults_past_eof),
		cmocka_unit_test(a_killed_writer_loses_nothing_and_msync_is_for_the_disk),
	};
	return cmocka_run_group_tests(tests, work_on_disk, work_remove);
}
