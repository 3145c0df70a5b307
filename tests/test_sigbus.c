/* A file that shrinks under a mapping: the sample fails with the cause, the
 * run keeps its rows and says why, and no SIGBUS kills the harness.  Every
 * case runs in a child process, so code that dies of SIGBUS fails the test
 * instead of ending the test binary. */
#include "helpers.h"

#include "datafile.h"
#include "measure.h"
#include "sink.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <errno.h>
#include <time.h>
#include <unistd.h>

#define SEED 0x5eedULL
#define SIZE (1u << 20)
#define KEEP 12288 /* what the file is cut to: three whole pages */

static char dir[PATH_MAX];
static char case_dir[PATH_MAX + 32]; /* one per case: what one left cannot upset the next */
static char data_path[PATH_MAX];

/* Maps the data file, cuts the file to KEEP bytes, then reads the mapping:
 * the first page past the new end raises SIGBUS. */
static int move_cut_data_file(struct job *j)
{
	void *map = mmap(NULL, j->size, PROT_READ, MAP_SHARED, j->fd, 0);
	if (map == MAP_FAILED)
		return job_fail(j, "mmap");
	if (truncate(data_path, KEEP) != 0)
		return job_fail(j, "truncate");
	consume(j, map, j->size);
	munmap(map, j->size);
	return 0;
}

/* mmap-shared-write's steps, with the sink file cut to one page between the
 * mapping and the copy into it. */
static int move_cut_sink_file(struct job *j)
{
	if (ftruncate(j->out, (off_t)j->size) != 0)
		return job_fail(j, "ftruncate");
	char *map = mmap(NULL, j->size, PROT_READ | PROT_WRITE, MAP_SHARED, j->out, 0);
	if (map == MAP_FAILED)
		return job_fail(j, "mmap");
	if (ftruncate(j->out, 4096) != 0)
		return job_fail(j, "ftruncate");
	memcpy(map, j->resident, j->size);
	munmap(map, j->size);
	return 0;
}

/* A window of the file mapped from WINDOW on, as a sliding-window strategy
 * would: the fault's file offset is the window's start plus the distance into it. */
#define WINDOW 8192
static int move_cut_window(struct job *j)
{
	void *map = mmap(NULL, j->size - WINDOW, PROT_READ, MAP_SHARED, j->fd, WINDOW);
	if (map == MAP_FAILED)
		return job_fail(j, "mmap");
	if (truncate(data_path, KEEP) != 0)
		return job_fail(j, "truncate");
	consume(j, map, j->size - WINDOW);
	munmap(map, j->size - WINDOW);
	return 0;
}

/* A strategy that keeps its mapping in j->state (as mapping.h does with
 * map=once), unmapped in teardown: after the SIGBUS the harness must leave
 * the addresses reserved, or teardown's munmap would unmap whatever was
 * mapped there since. */
static void *kept_map;
static int setup_kept(struct job *j)
{
	kept_map = mmap(NULL, j->size, PROT_READ, MAP_SHARED, j->fd, 0);
	j->state = kept_map == MAP_FAILED ? NULL : kept_map;
	return j->state ? 0 : job_fail(j, "mmap");
}
static int move_cut_kept(struct job *j)
{
	if (truncate(data_path, KEEP) != 0)
		return job_fail(j, "truncate");
	consume(j, j->state, j->size);
	return 0;
}
static void teardown_kept(struct job *j)
{
	if (j->state)
		munmap(j->state, j->size);
	j->state = NULL;
}
static const struct strategy cut_kept = { .name = "cut-kept", .sinks = SINK_PROCESS, .setup = setup_kept,
					  .move = move_cut_kept, .teardown = teardown_kept };

/* Threads sharing one mapping (as mapping.h with --threads): the file is cut
 * past the measuring thread's share, so only the other threads fault. */
#define CUT_SHARED_KEEP (SIZE / 2)
static char *shared_map;
extern const struct strategy strategy_odirect_pread; /* benches/odirect_pread.c */
static int begin_cut_shared(struct job *j)
{
	shared_map = mmap(NULL, j->size, PROT_READ, MAP_SHARED, j->fd, 0);
	if (shared_map == MAP_FAILED)
		return job_fail(j, "mmap");
	return truncate(data_path, CUT_SHARED_KEEP) == 0 ? 0 : job_fail(j, "truncate");
}
static int move_cut_shared(struct job *j)
{
	for (struct span sp; span_next(j, &sp, SIZE_MAX); span_moved(j, sp.len))
		consume_at(j, sp.off, shared_map + sp.off, sp.len);
	return 0;
}
static int end_cut_shared(struct job *j)
{
	return munmap(shared_map, j->size) == 0 ? 0 : job_fail(j, "munmap");
}
static const struct strategy cut_shared = { .name = "cut-shared", .sinks = SINK_PROCESS, .pass_begin = begin_cut_shared,
					    .move = move_cut_shared, .pass_end = end_cut_shared };

/* Two threads, each with a mapping of its own made in move() (as mapping.h's
 * window=), both faulting: the measuring thread waits until the other
 * thread has mapped, so both really fault, whichever is first. */
static int arrived;
static int begin_cut_both(struct job *j)
{
	__atomic_store_n(&arrived, 0, __ATOMIC_RELEASE);
	return truncate(data_path, KEEP) == 0 ? 0 : job_fail(j, "truncate");
}
static int move_cut_both(struct job *j)
{
	void *map = mmap(NULL, j->size, PROT_READ, MAP_SHARED, j->fd, 0);
	if (map == MAP_FAILED)
		return job_fail(j, "mmap");
	__atomic_add_fetch(&arrived, 1, __ATOMIC_ACQ_REL);
	for (int waited = 0; __atomic_load_n(&arrived, __ATOMIC_ACQUIRE) < 2 && waited < 10000; waited++)
		nanosleep(&(struct timespec){ 0, 1000000 }, NULL); /* at most 10 s */
	consume(j, map, j->size);
	munmap(map, j->size);
	return 0;
}
static const struct strategy cut_both = { .name = "cut-both", .sinks = SINK_PROCESS, .pass_begin = begin_cut_both,
					  .move = move_cut_both };

/* Two threads, the pass's mapping touched again in pass_end, after the
 * crew's pass, once the file is cut: the driver's guard must still be armed
 * there, after the crew's own guard ended. */
static char *after_map;
static int begin_cut_after(struct job *j)
{
	after_map = mmap(NULL, j->size, PROT_READ, MAP_SHARED, j->fd, 0);
	return after_map == MAP_FAILED ? job_fail(j, "mmap") : 0;
}
static int move_cut_after(struct job *j)
{
	for (struct span sp; span_next(j, &sp, SIZE_MAX); span_moved(j, sp.len))
		consume_at(j, sp.off, after_map + sp.off, sp.len);
	return 0;
}
static int end_cut_after(struct job *j)
{
	if (truncate(data_path, KEEP) != 0)
		return job_fail(j, "truncate");
	volatile char last = after_map[j->size - 1]; /* past the new end: SIGBUS */
	(void)last;
	return munmap(after_map, j->size) == 0 ? 0 : job_fail(j, "munmap");
}
static const struct strategy cut_after = { .name = "cut-after", .sinks = SINK_PROCESS, .pass_begin = begin_cut_after,
					   .move = move_cut_after, .pass_end = end_cut_after };

static const struct strategy cut_window = { .name = "cut-window", .sinks = SINK_PROCESS, .move = move_cut_window };
static const struct strategy cut_data = { .name = "cut-data", .sinks = SINK_PROCESS, .move = move_cut_data_file };
static const struct strategy cut_sink = { .name = "cut-sink", .op = OP_WRITE, .sinks = SINK_FILE,
					  .move = move_cut_sink_file };

/* Mappings of the file with this inode in /proc/self/maps. */
static int mappings_of(ino_t ino)
{
	FILE *maps = fopen("/proc/self/maps", "r");
	char line[PATH_MAX + 128];
	int n = 0;
	while (maps && fgets(line, sizeof(line), maps)) {
		unsigned long long i = 0;
		if (sscanf(line, "%*s %*s %*s %*s %llu", &i) == 1 && i == (unsigned long long)ino)
			n++;
	}
	if (maps)
		fclose(maps);
	return n;
}

/* In a child: SIGBUS as a process starts with it (cmocka catches it in the
 * tests it runs, and would go on running them in the child), and no core
 * file when it kills. */
static void child_defaults(void)
{
	signal(SIGBUS, SIG_DFL);
	setrlimit(RLIMIT_CORE, &(struct rlimit){ 0, 0 });
}

/* What a child measured: both samples' status and error, the mappings left. */
struct report {
	int rc[2];
	char err[2][512];
	int mappings_left;
	int kept_reserved; /* cut-kept: its addresses could not be mapped again before teardown */
};

/* In a child: a fresh data file and job, two samples of s (the second shows
 * the handler still works after the first jump), then the mappings left.
 * Returns the report; fails the test when the child died. */
static void run_in_child(const struct strategy *s, enum sink sink, struct report *r)
{
	int fds[2];
	snprintf(case_dir, sizeof(case_dir), "%s/%s", dir, s->name);
	assert_int_equal(mkdir(case_dir, 0755), 0);
	assert_int_equal(pipe(fds), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct measure_ctx ctx;
		struct datafile d;
		struct job j;
		struct expected want;
		struct sample smp;
		struct report out = { { 0, 0 }, { "", "" }, -1, 0 };
		char err[PATH_MAX + 256];
		child_defaults();
		close(fds[0]);
		if (datafile_make(&d, case_dir, SIZE, SEED, NULL, err, sizeof(err)) != 0)
			_exit(3);
		snprintf(data_path, sizeof(data_path), "%s", d.path);
		unsigned char *to_write = malloc(SIZE);
		if (!to_write)
			_exit(3);
		data_fill(SEED ^ WRITE_SEED_XOR, 0, to_write, SIZE);
		struct job_opts o = { .block = 64 << 10, .dir = case_dir, .sender_cpu = -1, .write_bytes = to_write,
				      .write_checksum = checksum_of(to_write, SIZE) };
		measure_ctx_open(&ctx, CONSUME_CHECKSUM);
		if (job_prepare(&j, s, sink, &d, &o, &want, err, sizeof(err)) != 0)
			_exit(4);
		if (s == &cut_shared)
			span_plan(&j, PATTERN_SEQ, 0, 3); /* three threads: share 0 is the first third */
		if (s == &cut_both || s == &cut_after)
			span_plan(&j, PATTERN_SEQ, 0, 2);
		if (s == &strategy_odirect_pread) {      /* cut to a length off the direct I/O alignment */
			alarm(30);                        /* a pass that never ends kills the child */
			if (truncate(data_path, SIZE / 2 + 100) != 0)
				_exit(5);
		}
		struct stat st;
		if (fstat(sink == SINK_FILE ? j.out : j.fd, &st) != 0)
			_exit(5);
		/* cut-kept: one sample; its mapping is a reservation after the first
		 * (a run stops at a failed sample: nothing reads it again). */
		for (int k = 0; k < (s == &cut_kept || s == &cut_shared || s == &strategy_odirect_pread ||
				     s == &cut_after ? 1 : 2); k++) {
			if (s == &cut_both && k == 1 && truncate(data_path, SIZE) != 0) /* whole again: cut anew */
				_exit(5);
			out.rc[k] = measure_once(&ctx, s, &j, &want, 1, 0, &smp, err, sizeof(err));
			snprintf(out.err[k], sizeof(out.err[k]), "%.500s", err);
		}
		out.mappings_left = mappings_of(st.st_ino);
		if (s == &cut_kept) {
			/* Were the addresses let go, this would map there, and teardown
			 * would then unmap it. */
			void *p = mmap(kept_map, SIZE, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
			out.kept_reserved = p == MAP_FAILED && errno == EEXIST;
			if (p != MAP_FAILED && p != kept_map)
				munmap(p, SIZE);
		}
		job_release(&j, s);
		datafile_remove(&d);
		measure_ctx_close(&ctx);
		free(to_write);
		_exit(write(fds[1], &out, sizeof(out)) == (ssize_t)sizeof(out) ? 0 : 6);
	}
	close(fds[1]);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (WIFSIGNALED(status))
		fail_msg("%s: the harness was killed by signal %d (%s)", s->name, WTERMSIG(status),
			 strsignal(WTERMSIG(status)));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(read(fds[0], r, sizeof(*r)), sizeof(*r));
	close(fds[0]);
}

/* "… SIGBUS at offset N of a M-byte file (file is now K bytes)": N, checked against [lo, hi). */
static void expect_shrank(const char *err, const char *which, unsigned long long lo, unsigned long long hi,
			  unsigned long long now)
{
	char want[128];
	unsigned long long offset, size, size_now;
	snprintf(want, sizeof(want), "the %s shrank under the mapping: SIGBUS at offset ", which);
	const char *at = strstr(err, want);
	if (!at || sscanf(at + strlen(want), "%llu of a %llu-byte file (file is now %llu bytes)", &offset, &size,
			  &size_now) != 3)
		fail_msg("unclear error: %s", err);
	if (offset < lo || offset >= hi || size != SIZE || size_now != now)
		fail_msg("wrong figures: %s", err);
}

static void a_data_file_cut_under_the_mapping_is_an_error(void **state)
{
	(void)state;
	struct report r;
	run_in_child(&cut_data, SINK_PROCESS, &r);
	for (int k = 0; k < 2; k++) {
		assert_int_equal(r.rc[k], -1);
		assert_non_null(strstr(r.err[k], "cut-data to process: "));
		/* The consumer reads in order: the first byte it misses is the first past the end. */
		expect_shrank(r.err[k], "data file", KEEP, KEEP + 4096, KEEP);
	}
	assert_int_equal(r.mappings_left, 0); /* the strategy's mapping was released */
	assert_int_equal(dir_entries(case_dir), 0);
}

/* A mapping the strategy keeps (in j->state) is let go of its file pages,
 * but its addresses stay reserved until the strategy's own munmap. */
static void a_kept_mapping_is_reserved_for_its_owner(void **state)
{
	(void)state;
	struct report r;
	run_in_child(&cut_kept, SINK_PROCESS, &r);
	assert_int_equal(r.rc[0], -1);
	expect_shrank(r.err[0], "data file", KEEP, KEEP + 4096, KEEP);
	assert_int_equal(r.mappings_left, 0); /* the file's pages: released */
	assert_true(r.kept_reserved);         /* its addresses: not */
	assert_int_equal(dir_entries(case_dir), 0);
}

/* A SIGBUS in another thread of the pass is explained as the measuring
 * thread's would be, and the shared mapping is gone after the pass. */
static void a_fault_in_another_thread_is_explained(void **state)
{
	(void)state;
	struct report r;
	run_in_child(&cut_shared, SINK_PROCESS, &r);
	assert_int_equal(r.rc[0], -1);
	assert_non_null(strstr(r.err[0], "cut-shared to process: "));
	expect_shrank(r.err[0], "data file", CUT_SHARED_KEEP, CUT_SHARED_KEEP + 4096, CUT_SHARED_KEEP);
	assert_int_equal(r.mappings_left, 0);
	assert_int_equal(dir_entries(case_dir), 0);
}

/* Both threads fault, each in a mapping it made itself: both mappings are
 * let go of the file, not only the one whose fault is explained (issue 18:
 * the other thread's munmap never ran, and its mapping stayed). */
static void every_threads_own_mapping_is_released(void **state)
{
	(void)state;
	struct report r;
	run_in_child(&cut_both, SINK_PROCESS, &r);
	for (int k = 0; k < 2; k++) {
		assert_int_equal(r.rc[k], -1);
		assert_non_null(strstr(r.err[k], "cut-both to process: "));
		expect_shrank(r.err[k], "data file", KEEP, KEEP + 4096, KEEP);
	}
	assert_int_equal(r.mappings_left, 0);
	assert_int_equal(dir_entries(case_dir), 0);
}

/* A fault after the threads' share of the pass (here in pass_end) is caught
 * as well: the crew's guard of the measuring thread's share, once it ends,
 * leaves the driver's armed. */
static void a_fault_after_the_crews_pass_is_caught(void **state)
{
	(void)state;
	struct report r;
	run_in_child(&cut_after, SINK_PROCESS, &r);
	assert_int_equal(r.rc[0], -1);
	assert_non_null(strstr(r.err[0], "cut-after to process: "));
	expect_shrank(r.err[0], "data file", SIZE - 4096, SIZE, KEEP);
}

/* O_DIRECT: a file cut to a length off the alignment ends a direct read
 * short and unaligned, before the span's end: an error that names the
 * shrunken file, not a pass that retries the same read for ever. */
static void a_direct_read_cut_short_fails(void **state)
{
	(void)state;
	struct report r;
	run_in_child(&strategy_odirect_pread, SINK_PROCESS, &r);
	assert_int_equal(r.rc[0], -1);
	if (!strstr(r.err[0], "odirect-pread to process: pread: Input/output error") ||
	    !strstr(r.err[0], "the data file shrank under the transfer"))
		fail_msg("unclear error: %s", r.err[0]);
}

static void the_offset_is_in_the_file_not_in_the_mapping(void **state)
{
	(void)state;
	struct report r;
	run_in_child(&cut_window, SINK_PROCESS, &r);
	assert_int_equal(r.rc[0], -1);
	expect_shrank(r.err[0], "data file", KEEP, KEEP + 4096, KEEP);
}

static void a_sink_file_cut_under_the_mapping_is_an_error(void **state)
{
	(void)state;
	struct report r;
	run_in_child(&cut_sink, SINK_FILE, &r);
	for (int k = 0; k < 2; k++) {
		assert_int_equal(r.rc[k], -1);
		assert_non_null(strstr(r.err[k], "cut-sink to file: "));
		expect_shrank(r.err[k], "sink file", 4096, SIZE, 4096);
	}
	assert_int_equal(r.mappings_left, 0);
	assert_int_equal(dir_entries(case_dir), 0); /* the sink file was removed too */
}

/* A syscall meets a shrunken file without any SIGBUS: read() comes up short,
 * send() from a mapping fails with EFAULT.  The error says why. */
static void a_short_transfer_names_the_shrunken_file(void **state)
{
	(void)state;
	struct measure_ctx ctx;
	struct datafile d;
	struct job j;
	struct expected want;
	struct sample smp;
	char err[PATH_MAX + 256];
	const struct strategy *rd = strategy_find("read");
	snprintf(case_dir, sizeof(case_dir), "%s/short", dir);
	assert_int_equal(mkdir(case_dir, 0755), 0);
	assert_int_equal(datafile_make(&d, case_dir, SIZE, SEED, NULL, err, sizeof(err)), 0);
	struct job_opts o = { .block = 64 << 10, .dir = case_dir, .sender_cpu = -1 };
	measure_ctx_open(&ctx, CONSUME_CHECKSUM);
	assert_int_equal(job_prepare(&j, rd, SINK_PROCESS, &d, &o, &want, err, sizeof(err)), 0);
	assert_int_equal(truncate(d.path, KEEP), 0);
	assert_int_equal(measure_once(&ctx, rd, &j, &want, 1, 0, &smp, err, sizeof(err)), -1);
	assert_string_equal(err, "read delivered 12288 bytes of a 1048576-byte file (the data file shrank under the "
				 "transfer: it is now 12288 bytes, not 1048576)");
	job_release(&j, rd);
	datafile_remove(&d);
	measure_ctx_close(&ctx);
}

/* Only a fault in the timed passes is caught: one anywhere else, or a SIGBUS
 * sent by kill, still ends the process the default way. */
static void sigbus_elsewhere_still_kills(void **state)
{
	(void)state;
	for (int sent = 0; sent < 2; sent++) {
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			struct measure_ctx ctx;
			child_defaults();
			measure_ctx_open(&ctx, CONSUME_CHECKSUM); /* installs the handler */
			if (sent)
				raise(SIGBUS);
			char path[PATH_MAX + 16];
			snprintf(path, sizeof(path), "%s/f", dir);
			int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
			if (fd < 0 || ftruncate(fd, 8192) != 0)
				_exit(3);
			volatile char *map = mmap(NULL, 8192, PROT_READ, MAP_SHARED, fd, 0);
			if (map == MAP_FAILED || ftruncate(fd, 0) != 0 || unlink(path) != 0)
				_exit(3);
			(void)map[4096];
			_exit(0);
		}
		int status;
		assert_int_equal(waitpid(pid, &status, 0), pid);
		if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGBUS)
			fail_msg("%s SIGBUS outside the passes did not kill: status %#x", sent ? "a sent" : "a faulting",
				 status);
	}
}

/* The case, through the command line: the data file is cut to
 * nothing while mmap-shared runs.  Every later sample maps a 0-byte file and
 * faults at its first touch, so however the cut falls, the next sample fails. */
static void a_run_whose_data_file_is_cut_fails_cleanly(void **state)
{
	(void)state;
	char top[PATH_MAX], out[PATH_MAX + 8], data[PATH_MAX + 8], path[PATH_MAX + 64], err_file[PATH_MAX + 16];
	tmpdir_make(top, sizeof(top));
	snprintf(out, sizeof(out), "%s/out", top);
	snprintf(data, sizeof(data), "%s/data", top);
	snprintf(err_file, sizeof(err_file), "%s/stderr", top);
	snprintf(path, sizeof(path), "%s/runs.csv", out);

	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		child_defaults();
		if (freopen("/dev/null", "w", stdout) && freopen(err_file, "w", stderr))
			execl(iopaths_bin(), "iopaths", "run", "--strategy", "mmap-shared", "--sizes", "64M", "--reps",
			      "500", "--keep", "--dir", data, "--out", out, (char *)NULL);
		_exit(127);
	}
	/* Once a row is on disk (at most 60 s), cut the file. */
	for (int tries = 0; tries < 6000; tries++) {
		char *text = slurp(path);
		int lines = 0;
		for (char *p = text; p && *p; p++)
			lines += *p == '\n';
		free(text);
		if (lines >= 2)
			break;
		nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
	}
	char data_file[PATH_MAX + 64];
	snprintf(data_file, sizeof(data_file), "%s/iopaths-%llu-%016llx.dat", data, 64ULL << 20, 1096309ULL);
	assert_int_equal(truncate(data_file, 0), 0);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	char *err = slurp(err_file);
	assert_non_null(err);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 1)
		fail_msg("exit status %#x (want exit 1), stderr: %s", status, err);
	if (!strstr(err, "iopaths: mmap-shared to process: the data file shrank under the mapping: SIGBUS at offset ") ||
	    !strstr(err, "of a 67108864-byte file (file is now 0 bytes)"))
		fail_msg("stderr: %s", err);
	free(err);

	struct table t;
	assert_int_equal(table_read(&t, path), 0); /* every finished row kept */
	size_t rows = t.rows - 1;
	assert_true(rows >= 1);
	for (size_t r = 1; r < t.rows; r++)
		assert_string_equal(table_get(&t, r, "verified"), "1");
	table_free(&t);
	snprintf(path, sizeof(path), "%s/summary.csv", out);
	assert_int_equal(table_read(&t, path), 0);
	assert_int_equal(t.rows - 1, 1);
	assert_int_equal(atoll(table_get(&t, 1, "n")), rows);
	table_free(&t);
	snprintf(path, sizeof(path), "%s/meta.csv", out);
	char *meta = slurp(path);
	assert_non_null(meta);
	assert_non_null(strstr(meta, "\"status\",\"failed\""));
	assert_non_null(strstr(meta, "\"error\",\"mmap-shared to process: the data file shrank under the mapping"));
	free(meta);
	tmpdir_remove(top);
}

static int setup(void **state)
{
	(void)state;
	tmpdir_make(dir, sizeof(dir));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tmpdir_remove(dir);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_data_file_cut_under_the_mapping_is_an_error),
		cmocka_unit_test(a_kept_mapping_is_reserved_for_its_owner),
		cmocka_unit_test(a_fault_in_another_thread_is_explained),
		cmocka_unit_test(every_threads_own_mapping_is_released),
		cmocka_unit_test(a_fault_after_the_crews_pass_is_caught),
		cmocka_unit_test(a_direct_read_cut_short_fails),
		cmocka_unit_test(the_offset_is_in_the_file_not_in_the_mapping),
		cmocka_unit_test(a_sink_file_cut_under_the_mapping_is_an_error),
		cmocka_unit_test(a_short_transfer_names_the_shrunken_file),
		cmocka_unit_test(sigbus_elsewhere_still_kills),
		cmocka_unit_test(a_run_whose_data_file_is_cut_fails_cleanly),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
