/* --duration: the time-series mode (driver_duration.c, timeseries.c): rows
 * per interval, every span checked against the file's content, endless
 * spans that stop, Ctrl-C keeps the rows, a bad span fails the run, and,
 * with --mem-limit (root, a memory controller), memory held under it. */
#include "helpers.h"

#include "consumer.h"
#include "datafile.h"
#include "measure.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define LIMIT (32ULL << 20)

static const char *meta_of(const struct table *m, const char *key)
{
	for (size_t r = 1; r < m->rows; r++)
		if (strcmp(m->cell[r][0], key) == 0)
			return m->cell[r][1];
	return NULL;
}

static double num(const struct table *t, size_t r, const char *col)
{
	const char *v = table_get(t, r, col);
	assert_non_null(v);
	return *v ? strtod(v, NULL) : 0;
}

/* Rows of one strategy: at least 5, spans checked, none bad, used = ops x 4 KiB. */
#define MOVERS 2 /* the threaded run's --threads */

static void expect_series(const struct table *t, const char *strategy, int device)
{
	size_t rows = 0;
	double checked = 0, bad = 0, dev = 0, ops = 0, own = 0, used = 0;
	for (size_t r = 1; r < t->rows; r++) {
		if (strcmp(table_get(t, r, "strategy"), strategy) != 0)
			continue;
		rows++;
		checked += num(t, r, "spans_checked");
		bad += num(t, r, "spans_bad");
		dev += num(t, r, "dev_read_bytes");
		ops += num(t, r, "ops");
		own += num(t, r, "proc_read_bytes");
		used += num(t, r, "used_bytes");
		assert_true(num(t, r, "dt_s") > 0);
		assert_true(num(t, r, "used_bytes") == num(t, r, "ops") * 4096);
	}
	if (rows < 5 || !(checked > 0) || bad != 0 || !(ops > 0))
		fail_msg("%s: %zu rows, %.0f ops, %.0f spans checked, %.0f bad", strategy, rows, ops, checked, bad);
	if (device && !(dev > 0))
		fail_msg("%s read %.0f bytes from the device, cold", strategy, dev);
	if (!(own > 0)) /* cold: this process read from storage */
		fail_msg("%s: this process read %.0f bytes from storage, cold", strategy, own);
	/* O_DIRECT has no cache: every span used was read from the device, but
	 * for those in flight at the first sample (the sampler reads
	 * /proc/self/io, then the movers' counts): at most one per mover */
	if (strcmp(strategy, "odirect-pread") == 0 && own + MOVERS * 4096.0 < used)
		fail_msg("odirect-pread read %.0f bytes from storage for %.0f used", own, used);
}

static void read_run(const char *out, struct table *ts, struct table *meta)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/timeseries.csv", out);
	assert_int_equal(table_read(ts, path), 0);
	snprintf(path, sizeof(path), "%s/meta.csv", out);
	assert_int_equal(table_read(meta, path), 0);
}

#define DURATION_ARGS "--pattern", "random", "--block", "4K", "--io-size", "4K", "--cache", "cold", \
	"--sizes", "64M", "--duration", "3", "--interval", "0.5"

static void every_strategy_writes_checked_rows(void **state)
{
	(void)state;
	char out[PATH_MAX], out2[PATH_MAX];
	struct table ts, meta, ts2, meta2;
	run_in_work("threads", (const char *const[]){ "run", "--strategy", "mmap-shared,pread,odirect-pread",
		    "--variant", "mmap-shared.madvise=random", "--threads", "2", DURATION_ARGS, NULL }, out, sizeof(out));
	run_in_work("uring", (const char *const[]){ "run", "--strategy", "io-uring", "--qd", "4", "--threads", "1",
		    DURATION_ARGS, NULL }, out2, sizeof(out2));
	read_run(out, &ts, &meta);
	read_run(out2, &ts2, &meta2);
	int device = meta_of(&meta, "dev") && *meta_of(&meta, "dev");
	expect_series(&ts, "mmap-shared", device);
	expect_series(&ts, "pread", device);
	expect_series(&ts, "odirect-pread", device);
	expect_series(&ts2, "io-uring", device);
	assert_string_equal(table_get(&ts, 1, "madvise"), "random");
	assert_string_equal(table_get(&ts, 1, "threads"), "2");
	assert_string_equal(table_get(&ts2, 1, "qd"), "4");
	assert_string_equal(meta_of(&meta, "status"), "complete");
	table_free(&ts);
	table_free(&meta);
	table_free(&ts2);
	table_free(&meta2);
}

/* Root and a memory controller, or skip. */
static int can_limit(void)
{
	return geteuid() == 0 && (access("/sys/fs/cgroup/memory/memory.limit_in_bytes", F_OK) == 0 ||
				  access("/sys/fs/cgroup/cgroup.controllers", F_OK) == 0);
}

static void memory_stays_under_the_limit(void **state)
{
	(void)state;
	if (!can_limit())
		skip();
	char out[PATH_MAX];
	struct table ts, meta;
	run_in_work("limit", (const char *const[]){ "run", "--strategy", "mmap-shared", "--variant",
		    "madvise=random", "--threads", "2", "--mem-limit", "32M", DURATION_ARGS, NULL }, out, sizeof(out));
	read_run(out, &ts, &meta);
	expect_series(&ts, "mmap-shared", 0);
	double majflt = 0;
	for (size_t r = 1; r < ts.rows; r++) {
		double mem = num(&ts, r, "mem_bytes");
		if (!(mem > 0 && mem <= (double)LIMIT))
			fail_msg("row %zu: mem_bytes %.0f, the limit %llu", r, mem, LIMIT);
		majflt += num(&ts, r, "majflt");
		assert_string_equal(table_get(&ts, r, "mem_limit_bytes"), "33554432");
	}
	assert_true(majflt > 0); /* a 64 MiB file in 32 MiB: pages are evicted and faulted in again */
	struct stat st;
	assert_non_null(meta_of(&meta, "memcg_path"));
	assert_int_not_equal(stat(meta_of(&meta, "memcg_path"), &st), 0); /* removed */
	table_free(&ts);
	table_free(&meta);
}

static size_t lines_in(const char *path)
{
	char *text = slurp(path);
	size_t n = 0;
	for (char *p = text; p && *p; p++)
		n += *p == '\n';
	free(text);
	return n;
}

/* Ctrl-C after two rows: status 130, the rows kept, the run marked interrupted. */
static void sigint_keeps_the_rows(void **state)
{
	(void)state;
	char out[PATH_MAX], data[PATH_MAX], csv[PATH_MAX + 32];
	snprintf(out, sizeof(out), "%s/int", work);
	snprintf(data, sizeof(data), "%s/int.data", work);
	snprintf(csv, sizeof(csv), "%s/timeseries.csv", out);
	int limit = can_limit();
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		if (null < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0)
			_exit(127);
		const char *argv[] = { iopaths_bin(), "run", "--strategy", "pread", "--pattern", "random", "--block",
				       "4K", "--io-size", "4K", "--cache", "cold", "--sizes", "64M", "--duration", "60",
				       "--interval", "0.5", "--dir", data, "--out", out,
				       limit ? "--mem-limit" : NULL, "32M", NULL };
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	struct timespec tick = { 0, 50 * 1000 * 1000 };
	for (int i = 0; i < 1200 && lines_in(csv) < 3; i++) /* the header and two rows; at most 60 s */
		nanosleep(&tick, NULL);
	assert_int_equal(kill(pid, SIGINT), 0);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 130);
	struct table ts, meta;
	read_run(out, &ts, &meta);
	assert_true(ts.rows >= 3);
	assert_true(ts.rows < 120); /* it stopped long before the 60 s */
	assert_string_equal(meta_of(&meta, "status"), "interrupted");
	if (limit) {
		struct stat st;
		assert_int_not_equal(stat(meta_of(&meta, "memcg_path"), &st), 0);
	}
	table_free(&ts);
	table_free(&meta);
}

/* A run stopped (SIGSTOP) for several intervals: the sampler wakes late
 * once, and that wake is one row of its real length with missed_ticks
 * saying how many ticks it passed over, never a burst of catch-up rows of
 * no length and 0 ops; `iopaths pressure` on the series finds no cliff and
 * a steady state after near the rest. */
static void a_stopped_run_has_no_catch_up_rows(void **state)
{
	(void)state;
	char out[PATH_MAX], data[PATH_MAX], csv[PATH_MAX + 32], err[PATH_MAX + 16];
	snprintf(out, sizeof(out), "%s/stop", work);
	snprintf(data, sizeof(data), "%s/stop.data", work);
	snprintf(csv, sizeof(csv), "%s/timeseries.csv", out);
	snprintf(err, sizeof(err), "%s/stop.err", work);
	int limit = can_limit();
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY), fe = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (null < 0 || fe < 0 || dup2(null, 1) < 0 || dup2(fe, 2) < 0)
			_exit(127);
		const char *argv[] = { iopaths_bin(), "run", "--strategy", "pread", "--pattern", "random", "--block",
				       "4K", "--io-size", "4K", "--cache", "cold", "--sizes", "16M", "--duration", "5",
				       "--interval", "0.5", "--dir", data, "--out", out,
				       limit ? "--mem-limit" : NULL, "8M", NULL };
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	struct timespec tick = { 0, 20 * 1000 * 1000 };
	for (int i = 0; i < 3000 && lines_in(csv) < 3; i++) /* the header and two rows; at most 60 s */
		nanosleep(&tick, NULL);
	assert_int_equal(kill(pid, SIGSTOP), 0);
	nanosleep(&(struct timespec){ 2, 500 * 1000 * 1000 }, NULL); /* five intervals */
	assert_int_equal(kill(pid, SIGCONT), 0);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	struct table ts;
	assert_int_equal(table_read(&ts, csv), 0);
	assert_true(ts.rows >= 4);
	double missed = 0, longest = 0;
	for (size_t r = 1; r < ts.rows; r++) {
		double dt = num(&ts, r, "dt_s");
		if (r + 1 < ts.rows && dt < 0.5 * 0.5)
			fail_msg("row %zu of %zu: an interval of %g s (--interval 0.5), %s ops", r, ts.rows - 1, dt,
				 table_get(&ts, r, "ops"));
		longest = dt > longest ? dt : longest;
	}
	for (size_t r = 1; r < ts.rows; r++)
		missed += num(&ts, r, "missed_ticks");
	if (!(missed >= 3 && longest >= 2))
		fail_msg("a 2.5 s stop: %g missed ticks, the longest interval %g s", missed, longest);
	table_free(&ts);
	char *text = slurp(err);
	assert_non_null(text);
	assert_non_null(strstr(text, "the sampler woke"));
	free(text);

	assert_int_equal(run_iopaths(work, NULL, NULL, (const char *const[]){ "pressure", out, NULL }), 0);
	struct table p;
	snprintf(csv, sizeof(csv), "%s/pressure.csv", out);
	assert_int_equal(table_read(&p, csv), 0);
	assert_int_equal(p.rows, 2);
	const char *outcome = table_get(&p, 1, "outcome");
	if (strcmp(outcome, "cliff") == 0 || (limit && !(num(&p, 1, "mibps_after") > 0)))
		fail_msg("a stopped run judged \"%s\", mibps_after %s", outcome, table_get(&p, 1, "mibps_after"));
	table_free(&p);
}

/* A span that arrives wrong (the test hook flips a word of the 50th) fails the run. */
static void a_bad_span_fails_the_run(void **state)
{
	(void)state;
	char out[PATH_MAX], err[PATH_MAX + 16];
	const char *argv[] = { "run", "--strategy", "pread", "--threads", "2", "--pattern", "random", "--block", "4K",
			       "--io-size", "4K", "--cache", "cold", "--sizes", "16M", "--duration", "1",
			       "--interval", "0.5", "--dir", NULL, "--out", NULL, NULL };
	char data[PATH_MAX];
	snprintf(out, sizeof(out), "%s/bad", work);
	snprintf(data, sizeof(data), "%s/bad.data", work);
	snprintf(err, sizeof(err), "%s/bad.err", work);
	argv[20] = data;
	argv[22] = out;
	setenv("IOPATHS_TEST_CORRUPT_SPAN", "50", 1);
	int rc = run_iopaths(work, NULL, err, argv);
	unsetenv("IOPATHS_TEST_CORRUPT_SPAN");
	assert_int_equal(rc, 1);
	char *text = slurp(err);
	assert_non_null(text);
	assert_non_null(strstr(text, "pread delivered 1 spans that do not match the file, first at offset"));
	free(text);
}

/* ---- every sampler column against its readings, and the readings against
 * the test's own, on ext4 on a loop device (the backing device's branch) ---- */

static char loop_dev[64], loop_mnt[PATH_MAX], loop_img[PATH_MAX];

static int loop_mount(void **state)
{
	char cmd[6 * PATH_MAX], path[PATH_MAX + 16];
	work_on_disk(state);
	loop_dev[0] = '\0';
	if (geteuid() != 0)
		return 0;
	snprintf(loop_img, sizeof(loop_img), "%s/img", work);
	snprintf(loop_mnt, sizeof(loop_mnt), "%s/mnt", work);
	snprintf(path, sizeof(path), "%s/loopdev", work);
	snprintf(cmd, sizeof(cmd), "truncate -s 160M %s && mkfs.ext4 -q -F %s && mkdir %s && losetup -f --show %s >%s",
		 loop_img, loop_img, loop_mnt, loop_img, path);
	if (shell_status(cmd) != 0)
		return 0; /* no loop device here: the test skips */
	char *dev = slurp(path);
	if (dev) {
		dev[strcspn(dev, "\n")] = '\0';
		snprintf(loop_dev, sizeof(loop_dev), "%s", dev);
	}
	free(dev);
	snprintf(cmd, sizeof(cmd), "mount -t ext4 %s %s", loop_dev, loop_mnt);
	if (!loop_dev[0] || shell_status(cmd) != 0) {
		snprintf(cmd, sizeof(cmd), "losetup -d %s", loop_dev);
		if (loop_dev[0])
			shell_status(cmd);
		loop_dev[0] = '\0';
	}
	return 0;
}

static int loop_umount(void **state)
{
	if (loop_dev[0]) {
		char cmd[3 * PATH_MAX];
		snprintf(cmd, sizeof(cmd), "umount %s || umount -l %s; losetup -d %s", loop_mnt, loop_mnt, loop_dev);
		shell_status(cmd);
		loop_dev[0] = '\0';
	}
	return work_remove(state);
}

/* One reading of the sampler (IOPATHS_TEST_SAMPLER_LOG), in its order. */
enum { R_CELL, R_BEGIN, R_END, R_OPS, R_CHECKED, R_BAD, R_PROC, R_SEC, R_BSEC, R_MAJ, R_MIN, R_TLB, R_USAGE,
	R_FILE, R_REFAULT, R_PGSCAN, R_PGSTEAL, R_OOM, R_VM_PGSCAN, R_VM_PGSTEAL, R_VM_REFAULT, R_BEGIN_T, R_N };
#define MAX_READINGS 256

static size_t readings_of(const char *path, double r[][R_N])
{
	FILE *f = fopen(path, "r");
	size_t n = 0;
	assert_non_null(f);
	char line[1024];
	while (n < MAX_READINGS && fgets(line, sizeof(line), f)) {
		char *p = line;
		for (int k = 0; k < R_N; k++)
			r[n][k] = strtod(p, &p);
		n++;
	}
	fclose(f);
	return n;
}

/* The test's own reading, between two clock reads. */
struct own {
	double begin, end, proc, maj, min, sec, bsec, tlb;
};

static double field_after(const char *text, const char *key)
{
	const char *p = text ? strstr(text, key) : NULL;
	return p ? strtod(p + strlen(key), NULL) : NAN;
}

static double mono(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double sectors_read(unsigned maj, unsigned min)
{
	char path[64];
	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/stat", maj, min);
	char *text = slurp(path);
	double v = NAN;
	if (text) {
		char *p = text;
		strtod(p, &p);
		strtod(p, &p);
		v = strtod(p, NULL); /* the third field: sectors read */
	}
	free(text);
	return v;
}

static double tlb_sum(void)
{
	char *text = slurp("/proc/interrupts");
	const char *p = text ? strstr(text, "TLB:") : NULL;
	double sum = NAN;
	if (p) {
		char *q = (char *)p + 4, *end;
		sum = 0;
		for (double v; (v = strtod(q, &end)), end != q; q = end)
			sum += v;
	}
	free(text);
	return sum;
}

static void own_reading(pid_t pid, unsigned dmaj, unsigned dmin, unsigned bmaj, unsigned bmin, struct own *o)
{
	char path[64];
	o->begin = mono();
	snprintf(path, sizeof(path), "/proc/%d/io", (int)pid);
	char *text = slurp(path);
	o->proc = field_after(text, "\nread_bytes:");
	free(text);
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	text = slurp(path);
	o->maj = o->min = NAN;
	if (text && strrchr(text, ')')) {
		char *p = strrchr(text, ')') + 1;
		double f[10];
		strtok(p, " "); /* the state */
		for (int k = 0; k < 10; k++) {
			char *w = strtok(NULL, " ");
			f[k] = w ? strtod(w, NULL) : NAN;
		}
		o->min = f[6]; /* minflt: field 10 */
		o->maj = f[8]; /* majflt: field 12 */
	}
	free(text);
	o->sec = sectors_read(dmaj, dmin);
	o->bsec = sectors_read(bmaj, bmin);
	o->tlb = tlb_sum();
	o->end = mono();
}

static int same(double csv, double want)
{
	return (isnan(csv) && isnan(want)) || fabs(csv - want) <= 1e-9 * fmax(1, fabs(want));
}

static double cell_num(const struct table *t, size_t r, const char *col)
{
	const char *v = table_get(t, r, col);
	assert_non_null(v);
	return *v ? strtod(v, NULL) : NAN;
}

static void every_column_is_its_readings_delta(void **state)
{
	(void)state;
	if (!loop_dev[0]) {
		print_message("skipped: no ext4 on a loop device here (root, losetup, mkfs.ext4)\n");
		skip();
	}
	char out[PATH_MAX + 16], data[PATH_MAX + 16], log[PATH_MAX + 16], err[PATH_MAX + 16];
	snprintf(out, sizeof(out), "%s/cols", work);
	snprintf(data, sizeof(data), "%s/data", loop_mnt);
	snprintf(log, sizeof(log), "%s/readings", work);
	snprintf(err, sizeof(err), "%s/cols.err", work);
	struct stat dev, img;
	assert_int_equal(stat(loop_dev, &dev), 0);
	assert_int_equal(stat(loop_img, &img), 0);
	unsigned dmaj = major(dev.st_rdev), dmin = minor(dev.st_rdev), bmaj = major(img.st_dev), bmin = minor(img.st_dev);
	int limit = can_limit();
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY), fe = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (null < 0 || fe < 0 || dup2(null, 1) < 0 || dup2(fe, 2) < 0 || setenv("IOPATHS_TEST_SAMPLER_LOG", log, 1))
			_exit(127);
		const char *argv[] = { iopaths_bin(), "run", "--strategy", "pread", "--pattern", "random", "--block", "4K",
				       "--io-size", "4K", "--cache", "cold", "--sizes", "16M", "--duration", "3",
				       "--interval", "0.5", "--dir", data, "--out", out,
				       limit ? "--mem-limit" : NULL, "8M", NULL };
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	static struct own own[1024];
	size_t nown = 0;
	int status = 0;
	pid_t got = 0;
	for (int i = 0; i < 2400 && (got = waitpid(pid, &status, WNOHANG)) == 0; i++) { /* 2 min at most */
		if (nown < 1024)
			own_reading(pid, dmaj, dmin, bmaj, bmin, &own[nown++]);
		nanosleep(&(struct timespec){ .tv_nsec = 30 * 1000 * 1000 }, NULL);
	}
	if (got != pid) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		fail_msg("the run did not end");
	}
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);

	/* meta.csv names the loop device and its backing device. */
	struct table ts, meta;
	read_run(out, &ts, &meta);
	char want[64];
	snprintf(want, sizeof(want), " %u:%u", dmaj, dmin);
	assert_non_null(strstr(meta_of(&meta, "dev"), want));
	snprintf(want, sizeof(want), " %u:%u", bmaj, bmin);
	assert_non_null(strstr(meta_of(&meta, "dev_backing"), want));

	/* Each row is the difference of two readings in a row (gauges: the later). */
	static double r[MAX_READINGS][R_N];
	size_t n = readings_of(log, r);
	if (n != ts.rows) /* the first reading starts the series: rows + 1 readings, the header one row */
		fail_msg("%zu readings for %zu rows", n, ts.rows - 1);
	for (size_t row = 1; row < ts.rows; row++) {
		const double *a = r[row - 1], *b = r[row];
		int cgroup_scan = strcmp(table_get(&ts, row, "scan_scope"), "cgroup") == 0;
		const struct {
			const char *col;
			double want;
		} cols[] = {
			{ "ops", b[R_OPS] - a[R_OPS] },
			{ "used_bytes", (b[R_OPS] - a[R_OPS]) * 4096 },
			{ "spans_checked", b[R_CHECKED] - a[R_CHECKED] },
			{ "spans_bad", b[R_BAD] - a[R_BAD] },
			{ "proc_read_bytes", b[R_PROC] - a[R_PROC] },
			{ "dev_read_bytes", (b[R_SEC] - a[R_SEC]) * 512 },
			{ "backing_read_bytes", (b[R_BSEC] - a[R_BSEC]) * 512 },
			{ "majflt", b[R_MAJ] - a[R_MAJ] },
			{ "minflt", b[R_MIN] - a[R_MIN] },
			{ "tlb_shootdowns", b[R_TLB] - a[R_TLB] },
			{ "mem_bytes", b[R_USAGE] },
			{ "mem_file_bytes", b[R_FILE] },
			{ "refault_file", !isnan(b[R_REFAULT]) ? b[R_REFAULT] - a[R_REFAULT] : b[R_VM_REFAULT] - a[R_VM_REFAULT] },
			{ "pgscan", cgroup_scan ? b[R_PGSCAN] - a[R_PGSCAN] : b[R_VM_PGSCAN] - a[R_VM_PGSCAN] },
			{ "pgsteal", cgroup_scan ? b[R_PGSTEAL] - a[R_PGSTEAL] : b[R_VM_PGSTEAL] - a[R_VM_PGSTEAL] },
			{ "oom_kill", b[R_OOM] - a[R_OOM] },
		};
		for (size_t k = 0; k < sizeof(cols) / sizeof(cols[0]); k++)
			if (!same(cell_num(&ts, row, cols[k].col), cols[k].want))
				fail_msg("row %zu: %s is %s, its readings' delta %.17g", row, cols[k].col,
					 table_get(&ts, row, cols[k].col), cols[k].want);
		/* times (the row's t is taken within the reading) and the ratios, to their 6 digits */
		double t = cell_num(&ts, row, "t_s"), dt = cell_num(&ts, row, "dt_s"), used = cell_num(&ts, row, "used_bytes");
		double t_prev = row > 1 ? cell_num(&ts, row - 1, "t_s") : 0;
		if (!(t >= b[R_BEGIN_T] - 1e-5 && t <= b[R_BEGIN_T] + (b[R_END] - b[R_BEGIN]) + 1e-5) ||
		    fabs(dt - (t - t_prev)) > 1.5e-5 * fmax(1, t))
			fail_msg("row %zu: t_s %g, dt_s %g; the reading began at %.6f s and took %.6f s", row, t, dt,
				 b[R_BEGIN_T], b[R_END] - b[R_BEGIN]);
		const struct {
			const char *col;
			double want;
		} ratios[] = {
			{ "mibps", used / 1048576.0 / dt },
			{ "read_amp", used > 0 ? (b[R_BSEC] - a[R_BSEC]) * 512 / used : NAN }, /* a loop device: its backing's */
			{ "proc_read_amp", used > 0 ? (b[R_PROC] - a[R_PROC]) / used : NAN },
			{ "tlb_per_s", (b[R_TLB] - a[R_TLB]) / dt },
		};
		for (size_t k = 0; k < sizeof(ratios) / sizeof(ratios[0]); k++) {
			double v = cell_num(&ts, row, ratios[k].col);
			if (!((isnan(v) && isnan(ratios[k].want)) || fabs(v - ratios[k].want) <= 1e-5 * fmax(1e-3, fabs(ratios[k].want))))
				fail_msg("row %zu: %s is %s, its readings say %.17g", row, ratios[k].col,
					 table_get(&ts, row, ratios[k].col), ratios[k].want);
		}
		assert_true(b[R_CELL] == a[R_CELL]);
	}

	/* The readings against the test's own, taken between two of them:
	 * every counter is monotone, so it lies between the two. */
	size_t bracketed = 0;
	for (size_t i = 0; i < nown; i++)
		for (size_t k = 0; k + 1 < n; k++) {
			if (!(r[k][R_END] < own[i].begin && own[i].end < r[k + 1][R_BEGIN]))
				continue;
			const struct {
				const char *what;
				double lo, test, hi;
			} c[] = {
				{ "/proc/PID/io read_bytes", r[k][R_PROC], own[i].proc, r[k + 1][R_PROC] },
				{ "/proc/PID/stat majflt", r[k][R_MAJ], own[i].maj, r[k + 1][R_MAJ] },
				{ "/proc/PID/stat minflt", r[k][R_MIN], own[i].min, r[k + 1][R_MIN] },
				{ "the loop device's sectors read", r[k][R_SEC], own[i].sec, r[k + 1][R_SEC] },
				{ "the backing device's sectors read", r[k][R_BSEC], own[i].bsec, r[k + 1][R_BSEC] },
				{ "/proc/interrupts TLB", r[k][R_TLB], own[i].tlb, r[k + 1][R_TLB] },
			};
			for (size_t j = 0; j < sizeof(c) / sizeof(c[0]); j++)
				if (!(c[j].lo <= c[j].test && c[j].test <= c[j].hi))
					fail_msg("%s: the test read %.17g between the sampler's %.17g and %.17g", c[j].what,
						 c[j].test, c[j].lo, c[j].hi);
			bracketed++;
		}
	if (bracketed < 3)
		fail_msg("only %zu of the test's %zu readings fell between two of the sampler's", bracketed, nown);
	/* The cold reads went to the loop device. */
	assert_true(r[n - 1][R_SEC] > r[0][R_SEC]);
	table_free(&ts);
	table_free(&meta);
}

/* data_word is data_fill's word. */
static void data_word_is_the_file(void **state)
{
	(void)state;
	uint64_t buf[64];
	data_fill(1096309, 4096 * 3, buf, sizeof(buf));
	for (int i = 0; i < 64; i++)
		assert_true(buf[i] == data_word(1096309, 4096 * 3 / 8 + (uint64_t)i));
}

/* The check: first and last words always, a middle word in a fully checked span. */
static void spans_mode_catches_wrong_words(void **state)
{
	(void)state;
	const uint64_t seed = 7;
	static uint64_t span[512];
	struct consumer c;
	uint64_t full = UINT64_MAX, light = UINT64_MAX; /* a span checked whole, one checked at its ends */
	for (uint64_t k = 0; k < 4096 && (full == UINT64_MAX || light == UINT64_MAX); k++)
		if (((k * 0x9e3779b97f4a7c15ULL) >> 58) == 0)
			full = full == UINT64_MAX ? k : full;
		else
			light = light == UINT64_MAX ? k : light;
	assert_true(full != UINT64_MAX && light != UINT64_MAX);
	consumer_reset(&c, CONSUME_SPANS, 0, 0);
	consumer_spans(&c, seed, 4096);
	uint64_t at[2] = { full * 4096, light * 4096 };
	for (int i = 0; i < 2; i++) {
		data_fill(seed, at[i], span, sizeof(span));
		consumer_take_at(&c, at[i], span, sizeof(span));
	}
	assert_int_equal(c.spans_checked, 2);
	assert_int_equal(c.spans_bad, 0);
	span[511] ^= 1; /* the last word of the light one */
	consumer_take_at(&c, at[1], span, sizeof(span));
	assert_int_equal(c.spans_bad, 1);
	assert_int_equal(c.first_bad, at[1]);
	data_fill(seed, at[0], span, sizeof(span));
	span[200] ^= 1; /* a middle word of the full one */
	consumer_take_at(&c, at[0], span, sizeof(span));
	assert_int_equal(c.spans_bad, 2);
	data_fill(seed, at[0] + 4096, span, sizeof(span)); /* the right words at the wrong offset */
	consumer_take_at(&c, at[0], span, sizeof(span));
	assert_int_equal(c.spans_bad, 3);
	assert_int_equal(c.spans_checked, 5);
}

/* Endless spans: random io-size spans without end, none once stop is set. */
static void endless_spans_stop_at_the_flag(void **state)
{
	(void)state;
	struct job j;
	int stop = 0;
	struct span s;
	memset(&j, 0, sizeof(j));
	j.size = 1 << 20;
	j.block = 4096;
	span_plan(&j, PATTERN_RANDOM, 4096, 1);
	j.endless = 1;
	j.stop = &stop;
	j.rng = 42;
	uint64_t seen[256] = { 0 };
	for (int i = 0; i < 1000; i++) { /* more spans than the file has: with replacement */
		assert_int_equal(span_next(&j, &s, 4096), 1);
		assert_int_equal(s.off % 4096, 0);
		assert_int_equal(s.len, 4096);
		assert_true((uint64_t)s.off < j.size);
		seen[s.off / 4096]++;
		span_moved(&j, 4096);
	}
	assert_int_equal(j.spans_done, 1000);
	size_t distinct = 0;
	for (int i = 0; i < 256; i++)
		distinct += seen[i] > 0;
	assert_true(distinct > 200 && distinct < 256 + 1);
	assert_int_equal(span_next(&j, &s, 1000), 1); /* a short span: the rest comes next */
	span_moved(&j, 1000);
	assert_int_equal(j.spans_done, 1000);
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED); /* as the sampler sets it */
	assert_int_equal(span_next(&j, &s, 4096), 0);
	assert_int_equal((uint64_t)s.off, j.size);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(data_word_is_the_file),
		cmocka_unit_test(spans_mode_catches_wrong_words),
		cmocka_unit_test(endless_spans_stop_at_the_flag),
		cmocka_unit_test_setup_teardown(every_strategy_writes_checked_rows, work_on_disk, work_remove),
		cmocka_unit_test_setup_teardown(memory_stays_under_the_limit, work_on_disk, work_remove),
		cmocka_unit_test_setup_teardown(sigint_keeps_the_rows, work_on_disk, work_remove),
		cmocka_unit_test_setup_teardown(a_bad_span_fails_the_run, work_on_disk, work_remove),
		cmocka_unit_test_setup_teardown(a_stopped_run_has_no_catch_up_rows, work_on_disk, work_remove),
		cmocka_unit_test_setup_teardown(every_column_is_its_readings_delta, loop_mount, loop_umount),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
