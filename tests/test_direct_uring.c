/* odirect-pread and io-uring: every byte verified at awkward sizes in every
 * variant (queue depth 1 and 32, buffered and O_DIRECT, registered or not),
 * hot and cold; refused before the sweep, with status 2 and one line, where
 * direct I/O cannot run or the options make no sense; the syscalls --explain
 * predicts are the ones measured; and a default run leaves them out. */
#include "helpers.h"

#include "cell.h"
#include "datafile.h"
#include "measure.h"

#include <dlfcn.h>
#include <errno.h>
#include <liburing.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#define TMPFS_MAGIC_NUMBER 0x01021994

static double num(const struct table *t, size_t row, const char *col)
{
	const char *v = table_get(t, row, col);
	return *v ? strtod(v, NULL) : NAN;
}

/* The io_uring_enter calls a pass takes at best (one per queue-full) and at
 * worst (one per block); odirect-pread: one pread per block. */
static void syscalls_bounds(const struct table *t, size_t r, double *lo, double *hi)
{
	double blocks = ceil(num(t, r, "file_bytes") / num(t, r, "block_bytes"));
	double qd = strcmp(table_get(t, r, "strategy"), "io-uring") == 0 ? num(t, r, "qd") : 1;
	*lo = ceil(blocks / qd);
	*hi = blocks;
}

/* Runs one sweep of both strategies and checks every row: verified, each
 * variant present, and the sender's syscalls where --explain says. */
static void sweep_verifies(const char *name, const char *block, const char *sizes, size_t nsizes, const char *cache)
{
	char out[PATH_MAX], path[PATH_MAX + 32];
	run_in_work(name, (const char *const[]){ "run", "--strategy", "odirect-pread,io-uring", "--qd", "1,32",
		"--variant", "io-uring.direct=off,on", "--variant", "io-uring.register=off,on", "--sizes", sizes,
		"--block", block, "--cache", cache, "--reps", "1", "--warmup", "0", "--min-sample-ms", "0",
		"--explain", NULL }, out, sizeof(out));
	struct table t;
	snprintf(path, sizeof(path), "%s/runs.csv", out);
	assert_int_equal(table_read(&t, path), 0);
	size_t ncaches = strcmp(cache, "both") == 0 ? 2 : 1;
	assert_int_equal(t.rows - 1, ncaches * nsizes * (1 + 2 * 2 * 2)); /* odirect-pread, io-uring's 8 */
	int seen[2][2][2] = { { { 0 } } };
	int root = geteuid() == 0;
	for (size_t r = 1; r < t.rows; r++) {
		const char *strategy = table_get(&t, r, "strategy");
		if (strcmp(table_get(&t, r, "verified"), "1") != 0)
			fail_msg("%s qd %s direct %s register %s at %s bytes, %s: not verified", strategy,
				 table_get(&t, r, "qd"), table_get(&t, r, "direct"), table_get(&t, r, "register"),
				 table_get(&t, r, "file_bytes"), table_get(&t, r, "cache"));
		if (strcmp(strategy, "io-uring") == 0)
			seen[num(&t, r, "qd") == 32][strcmp(table_get(&t, r, "direct"), "on") == 0]
			    [strcmp(table_get(&t, r, "register"), "on") == 0]++;
		else
			assert_string_equal(table_get(&t, r, "qd"), ""); /* not its option */
		double lo, hi, got = num(&t, r, "sender_syscalls");
		syscalls_bounds(&t, r, &lo, &hi);
		if (root && !(got >= lo && got <= hi))
			fail_msg("%s qd %s direct %s at %s bytes: %g syscalls, not within [%g, %g]", strategy,
				 table_get(&t, r, "qd"), table_get(&t, r, "direct"), table_get(&t, r, "file_bytes"), got,
				 lo, hi);
		/* Buffered and hot, every read is copied as it is submitted: exactly one per queue-full. */
		int exact = strcmp(strategy, "odirect-pread") == 0 || num(&t, r, "qd") == 1 ||
			    (strcmp(table_get(&t, r, "direct"), "off") == 0 && strcmp(table_get(&t, r, "cache"), "hot") == 0);
		if (root && exact && got != lo)
			fail_msg("%s qd %s direct %s %s at %s bytes: %g syscalls, predicted %g", strategy,
				 table_get(&t, r, "qd"), table_get(&t, r, "direct"), table_get(&t, r, "cache"),
				 table_get(&t, r, "file_bytes"), got, lo);
	}
	for (int q = 0; q < 2; q++)
		for (int d = 0; d < 2; d++)
			for (int g = 0; g < 2; g++)
				assert_int_equal(seen[q][d][g], (int)(ncaches * nsizes));
	table_free(&t);
}

static void every_variant_verifies_at_awkward_sizes(void **state)
{
	(void)state;
	/* 4 KiB blocks: 4097 bytes end in a 1-byte block, read O_DIRECT as 4096 that stop at EOF. */
	sweep_verifies("small-blocks", "4K", "0,1,4097,8M", 4, "both");
	sweep_verifies("large-blocks", "128K", "1,4097,8M", 3, "cold");
}

/* Runs iopaths expecting status 2 and one line naming `want`; nothing made. */
static void refused(const char *dir, const char *want, const char *const *args)
{
	char out_file[PATH_MAX + 32], err_file[PATH_MAX + 32], results[PATH_MAX + 32];
	const char *argv[40];
	size_t a = 0;
	snprintf(out_file, sizeof(out_file), "%s/refused.out", work);
	snprintf(err_file, sizeof(err_file), "%s/refused.err", work);
	snprintf(results, sizeof(results), "%s/results", work);
	for (; args[a]; a++)
		argv[a] = args[a];
	const char *tail[] = { "--sizes", "4K", "--reps", "1", "--warmup", "0", "--dir", dir, "--out", results, NULL };
	for (size_t k = 0; tail[k]; k++)
		argv[a++] = tail[k];
	argv[a] = NULL;
	int rc = run_iopaths(work, out_file, err_file, argv);
	char *err = slurp(err_file);
	assert_non_null(err);
	if (rc != 2 || strncmp(err, "iopaths: ", 9) != 0 || !strstr(err, want) || strchr(err, '\n') != err + strlen(err) - 1)
		fail_msg("%s: exit %d, wanted 2 and one line with '%s': %s", args[2], rc, want, err);
	free(err);
	struct stat st;
	assert_int_not_equal(stat(results, &st), 0); /* no results folder */
	assert_int_equal(dir_entries(dir) > 0, 0);   /* no data file, no probe */
}

/* What the refusal test made outside work, or mounted in it: removed by its
 * teardown even when the test fails half-way. */
static char shm_dir[PATH_MAX], mounted[2][PATH_MAX];

static int remove_mounts_and_work(void **state)
{
	for (int k = 0; k < 2; k++)
		if (mounted[k][0] && umount2(mounted[k], MNT_DETACH) == 0)
			mounted[k][0] = '\0';
	if (shm_dir[0]) {
		tmpdir_remove(shm_dir);
		shm_dir[0] = '\0';
	}
	return work_remove(state);
}

/* A tmpfs folder: in /dev/shm when it is one, else one mounted here (root). */
static int tmpfs_dir(char *out, size_t len)
{
	struct statfs sf;
	snprintf(out, len, "/dev/shm/iopaths-direct-%d", (int)getpid());
	if (statfs("/dev/shm", &sf) == 0 && sf.f_type == TMPFS_MAGIC_NUMBER && mkdir(out, 0700) == 0) {
		snprintf(shm_dir, sizeof(shm_dir), "%s", out);
		return 0;
	}
	snprintf(out, len, "%s/tmpfs", work);
	if (mkdir(out, 0700) != 0 || mount("tmpfs", out, "tmpfs", 0, "size=16m") != 0)
		return -1;
	snprintf(mounted[0], sizeof(mounted[0]), "%s", out);
	return 0;
}

static void direct_io_is_refused_where_it_cannot_run(void **state)
{
	(void)state;
	char shm[PATH_MAX];
	if (tmpfs_dir(shm, sizeof(shm)) != 0) {
		print_message("no tmpfs folder (not root, no /dev/shm): refusals on tmpfs not checked\n");
		skip();
	}
	refused(shm, "tmpfs", (const char *const[]){ "run", "--strategy", "odirect-pread", NULL });
	refused(shm, "tmpfs", (const char *const[]){ "run", "--strategy", "io-uring", "--variant", "direct=on", NULL });
	refused(shm, "tmpfs", (const char *const[]){ "run", "--strategy", "pread,io-uring", "--variant", "direct=off,on",
		NULL });
	/* Buffered io_uring runs there, and leaves nothing behind. */
	char results[PATH_MAX + 32], out_file[PATH_MAX + 32], err_file[PATH_MAX + 32];
	snprintf(results, sizeof(results), "%s/buffered-on-tmpfs", work);
	snprintf(out_file, sizeof(out_file), "%s/buffered.out", work);
	snprintf(err_file, sizeof(err_file), "%s/buffered.err", work);
	int rc = run_iopaths(work, out_file, err_file, (const char *const[]){ "run", "--strategy", "io-uring", "--qd", "4",
		"--sizes", "4097", "--block", "1K", "--reps", "1", "--warmup", "0", "--min-sample-ms", "0", "--dir", shm,
		"--out", results, NULL });
	if (rc != 0) {
		char *err = slurp(err_file);
		fail_msg("buffered io-uring on tmpfs: exit %d: %s", rc, err ? err : "");
	}
	assert_int_equal(dir_entries(results) > 0, 1);
	assert_int_equal(dir_entries(shm), 0);

	/* ramfs has no direct I/O at all: open(O_DIRECT) fails with EINVAL. */
	char ram[PATH_MAX];
	snprintf(ram, sizeof(ram), "%s/ramfs", work);
	if (mkdir(ram, 0700) == 0 && mount("ramfs", ram, "ramfs", 0, NULL) == 0) {
		snprintf(mounted[1], sizeof(mounted[1]), "%s", ram);
		refused(ram, "ramfs, which refuses O_DIRECT",
			(const char *const[]){ "run", "--strategy", "odirect-pread", NULL });
	} else {
		print_message("ramfs not mounted (not root?): EINVAL at open not checked\n");
	}
}

static void bad_options_are_refused(void **state)
{
	(void)state;
	char disk[PATH_MAX];
	snprintf(disk, sizeof(disk), "%s/data", work);
	assert_int_equal(mkdir(disk, 0700), 0);
	refused(disk, "not a multiple of", (const char *const[]){ "run", "--strategy", "odirect-pread", "--block",
		"1000", NULL });
	refused(disk, "not a multiple of", (const char *const[]){ "run", "--strategy", "io-uring", "--variant",
		"direct=on", "--block", "100", NULL });
	refused(disk, "--qd", (const char *const[]){ "run", "--strategy", "io-uring", "--qd", "0", NULL });
	refused(disk, "--qd", (const char *const[]){ "run", "--strategy", "io-uring", "--qd", "1025", NULL });
	refused(disk, "1 GiB", (const char *const[]){ "run", "--strategy", "io-uring", "--qd", "1024", "--block",
		"2M", NULL });
}

/* The default sweep is the one it was: they run only when named. */
static void a_default_run_leaves_them_out(void **state)
{
	(void)state;
	char out[PATH_MAX], path[PATH_MAX + 32];
	run_in_work("default", (const char *const[]){ "run", "--sizes", "4K", "--reps", "1", "--warmup", "0",
		"--min-sample-ms", "0", NULL }, out, sizeof(out));
	struct table t;
	snprintf(path, sizeof(path), "%s/runs.csv", out);
	assert_int_equal(table_read(&t, path), 0);
	assert_true(t.rows > 1);
	for (size_t r = 1; r < t.rows; r++)
		if (strcmp(table_get(&t, r, "strategy"), "odirect-pread") == 0 ||
		    strcmp(table_get(&t, r, "strategy"), "io-uring") == 0)
			fail_msg("a run that names no strategy ran %s", table_get(&t, r, "strategy"));
	table_free(&t);
}

/* `iopaths explain` tells the path and predicts one io_uring_enter per queue-full. */
static void explain_predicts_one_enter_per_queue_full(void **state)
{
	(void)state;
	char out_file[PATH_MAX + 32], err_file[PATH_MAX + 32];
	snprintf(out_file, sizeof(out_file), "%s/explain.out", work);
	snprintf(err_file, sizeof(err_file), "%s/explain.err", work);
	assert_int_equal(run_iopaths(work, out_file, err_file, (const char *const[]){ "explain", "io-uring", "--qd",
		"32", "--size", "64M", "--block", "128K", NULL }), 0);
	char *text = slurp(out_file);
	assert_non_null(text);
	if (!strstr(text, "IORING_OP_READ") || !strstr(text, ": 16 syscalls per pass"))
		fail_msg("explain io-uring --qd 32: %s", text);
	free(text);
	assert_int_equal(run_iopaths(work, out_file, err_file, (const char *const[]){ "explain", "odirect-pread",
		"--size", "64M", "--block", "128K", NULL }), 0);
	text = slurp(out_file);
	assert_non_null(text);
	if (!strstr(text, "O_DIRECT") || !strstr(text, ": 512 syscalls per pass") || !strstr(text, "cold"))
		fail_msg("explain odirect-pread: %s", text);
	free(text);
}

/* io_uring_enter refusing a submission with -EBUSY, as the kernel does while
 * completions are due that were not reaped (the CQ is full): this binary's
 * own io_uring_submit_and_wait, which io_uring.c's calls reach before
 * liburing's.  While `busy` is set, every other call where completions are
 * due (in the CQ, or in flight: then it waits for one first) submits nothing
 * and returns -EBUSY; a call after that with the CQ's head where the -EBUSY
 * left it was a resubmission without reaping, counted in unreaped (and let
 * through, so that a wrong strategy ends instead of spinning). */
static struct {
	int busy;
	struct io_uring *ring;
	unsigned submitted, head0; /* since the ring was first seen: taken by the kernel, and its first head */
	unsigned calls, busied, unreaped;
	int after_busy;
	unsigned busy_head;
} shim;

int io_uring_submit_and_wait(struct io_uring *ring, unsigned wait_nr)
{
	static int (*real)(struct io_uring *, unsigned);
	if (!real && !(real = (int (*)(struct io_uring *, unsigned))dlsym(RTLD_NEXT, "io_uring_submit_and_wait")))
		return -ENOSYS;
	if (!shim.busy)
		return real(ring, wait_nr);
	unsigned head = IO_URING_READ_ONCE(*ring->cq.khead);
	if (ring != shim.ring) {
		shim.ring = ring;
		shim.submitted = 0;
		shim.head0 = head;
	}
	if (shim.after_busy && head == shim.busy_head && io_uring_cq_ready(ring) > 0)
		shim.unreaped++;
	shim.after_busy = 0;
	unsigned due = shim.submitted - (head - shim.head0); /* in flight or in the CQ */
	if (++shim.calls % 2 == 0 && due > 0) {
		struct io_uring_cqe *cqe;
		if (io_uring_cq_ready(ring) == 0 && io_uring_wait_cqe(ring, &cqe) != 0)
			return real(ring, wait_nr);
		shim.busied++;
		shim.after_busy = 1;
		shim.busy_head = IO_URING_READ_ONCE(*ring->cq.khead);
		return -EBUSY;
	}
	/* Each read to the kernel's workers (IOSQE_ASYNC: the same read, done
	 * off this thread), so that some are still in flight at the next call. */
	for (unsigned i = ring->sq.sqe_head; i != ring->sq.sqe_tail; i++)
		ring->sq.sqes[i & ring->sq.ring_mask].flags |= IOSQE_ASYNC;
	int rc = real(ring, wait_nr);
	if (rc > 0)
		shim.submitted += (unsigned)rc;
	return rc;
}

/* -EBUSY from submit: the completions are reaped before the reads are
 * submitted again, and the pass ends verified (it retried the submission
 * with the CQ unreaped, as a kernel would refuse for ever). */
static void a_busy_ring_is_reaped_before_resubmitting(void **state)
{
	(void)state;
	extern const struct strategy strategy_io_uring;
	const struct strategy *s = &strategy_io_uring;
	char err[PATH_MAX + 256];
	struct measure_ctx ctx;
	struct datafile d;
	struct job j;
	struct expected want;
	struct sample smp;
	struct cell_key k;
	key_init(&k, s, SINK_PROCESS);
	k.opt[option_index(s, "qd")] = 8;
	k.opt[option_index(s, "direct")] = 1; /* on: more reads still in flight at the next submission */
	k.dim[D_BLOCK_BYTES] = 16384;
	measure_ctx_open(&ctx, CONSUME_CHECKSUM);
	assert_int_equal(datafile_make(&d, work, 4 << 20, 0x5eedULL, NULL, err, sizeof(err)), 0);
	struct job_opts o = { .block = 16384, .key = &k, .dir = work, .sender_cpu = -1 };
	if (job_prepare(&j, s, SINK_PROCESS, &d, &o, &want, err, sizeof(err)) != 0)
		fail_msg("io-uring direct=on: %s", err);
	memset(&shim, 0, sizeof(shim));
	shim.busy = 1;
	int rc = 0;
	for (int n = 0; rc == 0 && n < 20 && shim.busied == 0; n++) /* till a -EBUSY came while reads were due */
		rc = measure_once(&ctx, s, &j, &want, 1, 0, &smp, err, sizeof(err));
	shim.busy = 0;
	job_release(&j, s);
	datafile_remove(&d);
	measure_ctx_close(&ctx);
	if (rc != 0)
		fail_msg("io-uring under -EBUSY: %s", err);
	if (shim.busied == 0)
		fail_msg("no read was in flight at a submission in 20 passes: -EBUSY never tried (%u calls, %u submitted)", shim.calls, shim.submitted);
	if (shim.unreaped != 0)
		fail_msg("%u of %u -EBUSY were answered by submitting again with the completions unreaped",
			 shim.unreaped, shim.busied);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(every_variant_verifies_at_awkward_sizes, work_on_disk, work_remove),
		cmocka_unit_test_setup_teardown(direct_io_is_refused_where_it_cannot_run, work_on_disk,
						remove_mounts_and_work),
		cmocka_unit_test_setup_teardown(bad_options_are_refused, work_on_disk, work_remove),
		cmocka_unit_test_setup_teardown(a_default_run_leaves_them_out, work_on_disk, work_remove),
		cmocka_unit_test_setup_teardown(explain_predicts_one_enter_per_queue_full, work_on_disk, work_remove),
		cmocka_unit_test_setup_teardown(a_busy_ring_is_reaped_before_resubmitting, work_on_disk, work_remove),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
