/* Provenance: the machine facts in meta.csv, and the /proc/vmstat deltas
 * around the timed region in runs.csv and summary.csv. */
#include "helpers.h"

#include "provenance.h"
#include "stats.h"
#include "vmstat.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>
#include <unistd.h>

#ifndef TMPFS_MAGIC
#define TMPFS_MAGIC 0x01021994
#endif


static const char *const vm_columns[] = { "pgfault", "pgmajfault", "pgscan", "pgsteal",
					  "workingset_refault_file", "thp_fault_alloc" };
enum { NVM = sizeof(vm_columns) / sizeof(vm_columns[0]) };

/* Captured from a 6.18 kernel, with workingset_refault_file and
 * thp_fault_alloc taken out, as on a kernel that lacks them. */
static const char captured[] =
	"nr_free_pages 5611622\n"
	"workingset_refault_anon 0\n"
	"workingset_activate_file 1201\n"
	"pgpgin 2473064\n"
	"pgfault 5699160\n"
	"pgmajfault 1153\n"
	"pgsteal_kswapd 40\n"
	"pgsteal_direct 2\n"
	"pgsteal_khugepaged 0\n"
	"pgsteal_proactive 0\n"
	"pgscan_kswapd 100\n"
	"pgscan_direct 20\n"
	"pgscan_khugepaged 0\n"
	"pgscan_proactive 0\n"
	"pgscan_direct_throttle 7\n"
	"pgscan_anon 30\n"
	"pgscan_file 95\n"
	"pgsteal_anon 10\n"
	"pgsteal_file 37\n"
	"thp_fault_fallback 0\n"
	"thp_fault_fallback_charge 0\n";

static void vmstat_parser_reads_totals_and_leaves_missing_counters_na(void **state)
{
	(void)state;
	struct vmstat_snapshot s;
	vmstat_parse(captured, sizeof(captured) - 1, &s);
	assert_true(s.present & (1u << VM_PGFAULT));
	assert_int_equal(s.value[VM_PGFAULT], 5699160);
	assert_int_equal(s.value[VM_PGMAJFAULT], 1153);
	/* By type, which counts cgroup reclaim too; not by type and by reclaimer
	 * added up (the same pages twice), nor the throttle events. */
	assert_int_equal(s.value[VM_PGSCAN], 30 + 95);
	assert_int_equal(s.value[VM_PGSTEAL], 10 + 37);
	/* workingset_refault_anon and thp_fault_fallback are not the counters asked for */
	assert_false(s.present & (1u << VM_WORKINGSET_REFAULT_FILE));
	assert_false(s.present & (1u << VM_THP_FAULT_ALLOC));

	/* The same text a little later: the delta, NaN where a counter is missing. */
	static const char later[] = "pgfault 5699260\npgmajfault 1153\npgscan_anon 30\npgscan_file 100\n"
				    "pgsteal_anon 10\npgsteal_file 40\nworkingset_refault_file 9\n";
	struct vmstat_snapshot t;
	double d[VM_NCOUNTERS];
	vmstat_parse(later, sizeof(later) - 1, &t);
	vmstat_delta(&s, &t, d);
	assert_true(d[VM_PGFAULT] == 100);
	assert_true(d[VM_PGMAJFAULT] == 0);
	assert_true(d[VM_PGSCAN] == 5);
	assert_true(d[VM_PGSTEAL] == 3);
	assert_true(isnan(d[VM_WORKINGSET_REFAULT_FILE])); /* in the later reading only */
	assert_true(isnan(d[VM_THP_FAULT_ALLOC]));          /* in neither */
}

static void vmstat_parser_handles_old_kernels_and_cut_text(void **state)
{
	(void)state;
	struct vmstat_snapshot s;
	/* Before 5.8 there is no split by type: the reclaimers add up, per zone on
	 * kernels before 4.8.  pgscan_direct_throttle counts events, not pages. */
	static const char old[] = "pgfault 10\npgsteal_kswapd_normal 4\npgsteal_direct_normal 1\n"
				  "pgscan_kswapd_dma 3\npgscan_kswapd_normal 9\npgscan_direct_normal 2\n"
				  "pgscan_direct_throttle 50\nthp_fault_alloc 6\n";
	vmstat_parse(old, sizeof(old) - 1, &s);
	assert_int_equal(s.value[VM_PGSCAN], 3 + 9 + 2);
	assert_int_equal(s.value[VM_PGSTEAL], 4 + 1);
	assert_int_equal(s.value[VM_THP_FAULT_ALLOC], 6);
	assert_false(s.present & (1u << VM_PGMAJFAULT));

	/* A line cut by the end of the text is not a value; nor is a malformed one. */
	static const char cut[] = "pgfault 123\npgmajfault x\npgscan_file 12";
	vmstat_parse(cut, sizeof(cut) - 1, &s);
	assert_int_equal(s.present, 1u << VM_PGFAULT);
	assert_int_equal(s.value[VM_PGFAULT], 123);

	/* Unreadable /proc/vmstat: every counter missing, every delta NaN. */
	static struct vmstat_reader none = { .fd = -1 };
	struct vmstat_snapshot a, b;
	double d[VM_NCOUNTERS];
	vmstat_snap(&none, &a);
	vmstat_snap(&none, &b);
	assert_int_equal(a.present, 0);
	vmstat_delta(&a, &b, d);
	for (int k = 0; k < VM_NCOUNTERS; k++)
		assert_true(isnan(d[k]));
}

static void hypervisor_sources_parse(void **state)
{
	(void)state;
	char name[64], token[64];
	static const char rec[] = "6,1,0,-;Hypervisor detected: PVM\n SUBSYSTEM=x\n";
	assert_true(hypervisor_in_log_record(rec, sizeof(rec) - 1, name, sizeof(name)));
	assert_string_equal(name, "PVM");
	static const char other[] = "6,2,0,-;Linux version 6.18 Hypervisor detected: no\n";
	assert_false(hypervisor_in_log_record(other, sizeof(other) - 1, name, sizeof(name)));
	static const char no_text[] = "6,3,0,-";
	assert_false(hypervisor_in_log_record(no_text, sizeof(no_text) - 1, name, sizeof(name)));

	static const char *const pairs[][2] = { { "KVMKVMKVM", "kvm" },       { "KVM", "kvm" },
						{ "Microsoft Hyper-V", "microsoft" }, { "Microsoft Hv", "microsoft" },
						{ "Xen HVM", "xen" },           { "PVM", "pvm" },
						{ "none", "none" } };
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		hypervisor_token(pairs[i][0], token, sizeof(token));
		assert_string_equal(token, pairs[i][1]);
	}
}

/* Runs one small sweep into work/out with data under dir; 0 on success. */
static int run_into(const char *dir, const char *strategy, const char *size, const char *reps)
{
	char out[PATH_MAX];
	snprintf(out, sizeof(out), "%s/out", work);
	return run_iopaths(work, NULL, NULL, (const char *const[]){ "run", "--strategy", strategy, "--sizes", size,
		"--reps", reps, "--dir", dir, "--out", out, NULL });
}

static const char *meta_value(const struct table *t, const char *key)
{
	for (size_t r = 1; r < t->rows; r++)
		if (strcmp(t->cell[r][0], key) == 0)
			return t->cell[r][1];
	return NULL;
}

/* The first line of a file, as meta.csv should hold it. */
static void first_line(const char *path, char *out, size_t len)
{
	char *text = slurp(path);
	assert_non_null(text);
	text[strcspn(text, "\n")] = '\0';
	snprintf(out, len, "%s", text);
	free(text);
}

static void meta_records_the_machine_and_its_block_device(void **state)
{
	(void)state;
	static const char *const keys[] = {
		"hypervisor", "hypervisor_kernel_log", "hypervisor_systemd", "hypervisor_cpuid", "hypervisor_sys",
		"container", "cpu_governor", "fs_source", "block_device", "read_ahead_kb", "io_scheduler",
		"loop_backing_file", "loop_dio", "vm_dirty_ratio", "vm_dirty_background_ratio", "vm_dirty_bytes",
		"vm_dirty_background_bytes", "vm_dirty_expire_centisecs", "vm_dirty_writeback_centisecs",
		"cpu_vulnerabilities", "kernel_cmdline",
	};
	char dir[PATH_MAX], path[PATH_MAX], want[8192];
	snprintf(dir, sizeof(dir), "%s/data", work);
	assert_int_equal(run_into(dir, "read", "4K", "1"), 0);
	snprintf(path, sizeof(path), "%s/out/meta.csv", work);
	struct table t;
	assert_int_equal(table_read(&t, path), 0);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *v = meta_value(&t, keys[i]);
		if (!v || !v[0])
			fail_msg("meta.csv: key %s %s", keys[i], v ? "is empty (want a value or NA)" : "is missing");
	}
	/* What can be checked against the files themselves. */
	first_line("/proc/cmdline", want, sizeof(want));
	assert_string_equal(meta_value(&t, "kernel_cmdline"), want);
	first_line("/proc/sys/vm/dirty_ratio", want, sizeof(want));
	assert_string_equal(meta_value(&t, "vm_dirty_ratio"), want);
	first_line("/proc/sys/vm/dirty_writeback_centisecs", want, sizeof(want));
	assert_string_equal(meta_value(&t, "vm_dirty_writeback_centisecs"), want);
	if (access("/sys/devices/system/cpu/vulnerabilities/spectre_v1", R_OK) == 0) {
		first_line("/sys/devices/system/cpu/vulnerabilities/spectre_v1", want, sizeof(want));
		const char *v = meta_value(&t, "cpu_vulnerabilities");
		if (strcmp(want, "Not affected") == 0)
			assert_non_null(strstr(v, "spectre_v1"));
		else {
			char entry[sizeof(want) + 16];
			snprintf(entry, sizeof(entry), "spectre_v1: %s", want);
			assert_non_null(strstr(v, entry));
		}
	}
#if defined(__x86_64__) || defined(__i386__)
	assert_string_not_equal(meta_value(&t, "hypervisor_cpuid"), "NA"); /* "none" on bare metal */
	assert_string_not_equal(meta_value(&t, "hypervisor"), "NA");
#endif
	/* A block device: its queue settings, read where the README says. */
	struct stat st;
	assert_int_equal(stat(dir, &st), 0);
	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/queue/read_ahead_kb", major(st.st_dev), minor(st.st_dev));
	if (access(path, R_OK) == 0) {
		first_line(path, want, sizeof(want));
		assert_string_equal(meta_value(&t, "read_ahead_kb"), want);
		assert_string_not_equal(meta_value(&t, "io_scheduler"), "NA");
		assert_null(strchr(meta_value(&t, "io_scheduler"), '['));
	}
	table_free(&t);
}

static void meta_says_na_for_a_filesystem_without_a_block_device(void **state)
{
	(void)state;
	struct statfs fs;
	if (statfs("/dev/shm", &fs) != 0 || fs.f_type != TMPFS_MAGIC)
		skip();
	char dir[PATH_MAX], path[PATH_MAX + 16];
	snprintf(dir, sizeof(dir), "/dev/shm/iopaths-test-%ld", (long)getpid());
	int rc = run_into(dir, "read", "4K", "1");
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	assert_int_equal(system(path), 0);
	assert_int_equal(rc, 0);
	snprintf(path, sizeof(path), "%s/out/meta.csv", work);
	struct table t;
	assert_int_equal(table_read(&t, path), 0);
	assert_string_equal(meta_value(&t, "fs_type"), "tmpfs");
	for (const char *const *k = (const char *const[]){ "block_device", "read_ahead_kb", "io_scheduler",
							   "loop_backing_file", "loop_dio", NULL }; *k; k++)
		if (!meta_value(&t, *k) || strcmp(meta_value(&t, *k), "NA") != 0)
			fail_msg("%s on tmpfs: %s, want NA", *k, meta_value(&t, *k) ? meta_value(&t, *k) : "(missing)");
	table_free(&t);
}

/* Whether this kernel's /proc/vmstat has the counter (pgscan: any pgscan_*). */
static int kernel_has(const char *vmstat, const char *column)
{
	char needle[64];
	int total = strcmp(column, "pgscan") == 0 || strcmp(column, "pgsteal") == 0;
	snprintf(needle, sizeof(needle), total ? "\n%s_" : "\n%s ", column);
	return strstr(vmstat, needle) != NULL;
}

static void vmstat_columns_are_appended_and_include_our_own_faults(void **state)
{
	(void)state;
	char dir[PATH_MAX], path[PATH_MAX];
	char *vmstat = slurp("/proc/vmstat");
	assert_non_null(vmstat);
	char *text = malloc(strlen(vmstat) + 2); /* a newline before the first line, for kernel_has */
	assert_non_null(text);
	sprintf(text, "\n%s", vmstat);
	free(vmstat);

	snprintf(dir, sizeof(dir), "%s/data", work);
	assert_int_equal(run_into(dir, "mmap-shared", "4M", "3"), 0);

	struct table runs, summary;
	snprintf(path, sizeof(path), "%s/out/runs.csv", work);
	assert_int_equal(table_read(&runs, path), 0);
	snprintf(path, sizeof(path), "%s/out/summary.csv", work);
	assert_int_equal(table_read(&summary, path), 0);
	for (int k = 0; k < NVM; k++)
		if (table_col(&runs, vm_columns[k]) < 0)
			fail_msg("runs.csv has no column %s", vm_columns[k]);
	/* Appended, in this order, right after the columns that were last before
	 * them (only identity columns added later come after them: cell.h). */
	int runs_at = table_col(&runs, "file_unchanged") + 1, summary_at = table_col(&summary, "label") + 1;
	assert_true(runs_at > 0 && summary_at > 0);
	assert_true((size_t)runs_at + NVM <= runs.cols && (size_t)summary_at + NVM <= summary.cols);
	for (int k = 0; k < NVM; k++) {
		char median[64];
		snprintf(median, sizeof(median), "%s_median", vm_columns[k]);
		assert_string_equal(runs.cell[0][runs_at + k], vm_columns[k]);
		assert_string_equal(summary.cell[0][summary_at + k], median);
	}
	assert_int_equal(runs.rows, 1 + 3);
	assert_int_equal(summary.rows, 1 + 1);
	for (int k = 0; k < NVM; k++) {
		int has = kernel_has(text, vm_columns[k]);
		double v[3];
		for (size_t r = 1; r < runs.rows; r++) {
			const char *cell = table_get(&runs, r, vm_columns[k]);
			if (!has) { /* NA where this kernel lacks the counter */
				assert_string_equal(cell, "");
				continue;
			}
			char *end;
			v[r - 1] = strtod(cell, &end);
			if (!cell[0] || *end || !(v[r - 1] >= 0))
				fail_msg("runs.csv row %zu: %s = '%s', want a count >= 0", r, vm_columns[k], cell);
		}
		char median[64];
		snprintf(median, sizeof(median), "%s_median", vm_columns[k]);
		const char *cell = table_get(&summary, 1, median);
		if (!has)
			assert_string_equal(cell, "");
		else if (fabs(strtod(cell, NULL) - stats_median(v, 3)) > 1e-6 * (1 + stats_median(v, 3)))
			fail_msg("%s = %s, but the median of runs.csv's %s is %g", median, cell, vm_columns[k],
				 stats_median(v, 3));
	}
	/* System-wide faults include this process's own: never fewer.  The vmstat
	 * readings enclose getrusage's, and both are divided by the same passes. */
	if (kernel_has(text, "pgfault"))
		for (size_t r = 1; r < runs.rows; r++) {
			double pgfault = strtod(table_get(&runs, r, "pgfault"), NULL);
			double own = strtod(table_get(&runs, r, "minflt"), NULL) +
				     strtod(table_get(&runs, r, "majflt"), NULL);
			if (!(own > 0) || !(pgfault >= own * (1 - 1e-12)))
				fail_msg("row %zu: pgfault %g per pass, the process's own minflt + majflt %g", r,
					 pgfault, own);
		}
	free(text);
	table_free(&runs);
	table_free(&summary);
}

static void the_page_shows_the_new_meta_keys(void **state)
{
	(void)state;
	char dir[PATH_MAX], run[PATH_MAX], plots[PATH_MAX], page[PATH_MAX + 16];
	snprintf(dir, sizeof(dir), "%s/data", work);
	assert_int_equal(run_into(dir, "read", "4K", "1"), 0);
	snprintf(run, sizeof(run), "%s/out", work);
	snprintf(plots, sizeof(plots), "%s/plots", work);
	assert_int_equal(mkdir(plots, 0755), 0);
	assert_int_equal(run_iopaths(work, NULL, NULL, (const char *const[]){ "report", run, plots, NULL }), 0);
	snprintf(page, sizeof(page), "%s/index.html", run);
	char *html = slurp(page);
	assert_non_null(html);
	for (const char *const *k = (const char *const[]){ "hypervisor", "cpu_governor", "read_ahead_kb",
			"io_scheduler", "loop_dio", "vm_dirty_ratio", "cpu_vulnerabilities", "kernel_cmdline", NULL };
	     *k; k++)
		if (!strstr(html, *k))
			fail_msg("the page does not show meta key %s", *k);
	free(html);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(vmstat_parser_reads_totals_and_leaves_missing_counters_na),
		cmocka_unit_test(vmstat_parser_handles_old_kernels_and_cut_text),
		cmocka_unit_test(hypervisor_sources_parse),
		cmocka_unit_test_setup_teardown(meta_records_the_machine_and_its_block_device, work_in_tmp, work_remove),
		cmocka_unit_test_setup_teardown(meta_says_na_for_a_filesystem_without_a_block_device, work_in_tmp, work_remove),
		cmocka_unit_test_setup_teardown(vmstat_columns_are_appended_and_include_our_own_faults, work_in_tmp, work_remove),
		cmocka_unit_test_setup_teardown(the_page_shows_the_new_meta_keys, work_in_tmp, work_remove),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
