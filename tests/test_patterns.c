/* Issue 11's harness core: --pattern random visits every span once per
 * pass, in an order drawn from --seed; --threads shares a pass among
 * threads; both are verified byte for byte, whatever the order; what cannot
 * run is refused; tlb_shootdowns is a column. */
#include "helpers.h"
#include "crew.h"

#include "cell.h"
#include "datafile.h"
#include "explain.h"
#include "interrupts.h"
#include "measure.h"
#include "sink.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SEED 0x5eedULL
#define IO 4096

static const uint64_t sizes[] = { 0, 1, 4097, 8 << 20 };

/* What plan.c refuses (README: --pattern, --threads). */
static int allowed(const struct strategy *s, enum sink sink, enum pattern p, unsigned threads)
{
	if (p == PATTERN_RANDOM && (sink & SINK_SOCKETS))
		return 0;
	return threads == 1 || (sink == SINK_PROCESS && !s->unthreaded);
}

static void prepare(struct job *j, const struct strategy *s, enum sink sink, const struct datafile *d,
		    const unsigned char *to_write, enum pattern p, unsigned threads, size_t block, uint64_t seed,
		    struct expected *want)
{
	char err[PATH_MAX + 256];
	struct cell_key k;
	key_init(&k, s, sink);
	k.dim[D_PATTERN] = p;
	k.dim[D_THREADS] = threads;
	k.dim[D_IO_BYTES] = IO;
	k.dim[D_BLOCK_BYTES] = block;
	struct job_opts o = { .block = block, .key = &k, .dir = work, .sender_cpu = -1, .write_bytes = to_write,
			      .write_checksum = data_checksum(SEED ^ WRITE_SEED_XOR, d->size), .order_seed = seed };
	if (job_prepare(j, s, sink, d, &o, want, err, sizeof(err)) != 0)
		fail_msg("%s to %s: %s", s->name, sink_names[__builtin_ctz(sink)], err);
}

static void every_strategy_verifies_in_both_orders_and_with_threads(void **state)
{
	(void)state;
	char err[PATH_MAX + 256];
	for (size_t z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
		struct datafile d;
		if (datafile_make(&d, work, sizes[z], SEED, NULL, err, sizeof(err)) != 0)
			fail_msg("%s", err);
		unsigned char *to_write = malloc(sizes[z] ? sizes[z] : 1);
		assert_non_null(to_write);
		data_fill(SEED ^ WRITE_SEED_XOR, 0, to_write, sizes[z]);
		for (size_t i = 0; i < strategy_count; i++)
			for (int k = 0; k < NSINKS; k++)
				for (int p = PATTERN_SEQ; p <= PATTERN_RANDOM; p++)
					for (unsigned threads = 1; threads <= 3; threads += 2) {
						const struct strategy *s = strategies[i];
						enum sink sink = (enum sink)(1u << k);
						if (!(s->sinks & sink) || !allowed(s, sink, (enum pattern)p, threads))
							continue;
						struct job j;
						struct expected want;
						struct sample smp;
						unsigned iters = sink == SINK_FILE ? 1 : 2;
						/* block 8K over 4K spans: random hands out whole spans */
						prepare(&j, s, sink, &d, to_write, (enum pattern)p, threads, 8192, SEED, &want);
						if (measure_once(&job_ctx, s, &j, &want, iters, 0, &smp, err, sizeof(err)) != 0)
							fail_msg("%s to %s at %llu bytes, %s, %u threads: %s", s->name,
								 sink_names[k], (unsigned long long)sizes[z],
								 pattern_names[p], threads, err);
						assert_int_equal(smp.iters, iters);
						assert_int_equal(smp.verified, sink != SINK_NULL);
						job_release(&j, s);
					}
		free(to_write);
		datafile_remove(&d);
		assert_int_equal(dir_entries(work), 0);
	}
}

/* A strategy that records the spans it is handed (every thread's), and
 * moves them as pread does, so the pass verifies. */
#define MAX_LOG 4096
static struct span logged[MAX_LOG];
static size_t nlogged;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

static int move_and_log(struct job *j)
{
	for (struct span s; span_next(j, &s, j->block);) {
		ssize_t n = pread(j->fd, j->buf, s.len, s.off);
		if (n <= 0)
			return job_fail(j, "pread");
		pthread_mutex_lock(&log_lock);
		if (nlogged < MAX_LOG)
			logged[nlogged++] = (struct span){ s.off, (size_t)n };
		pthread_mutex_unlock(&log_lock);
		consume(j, j->buf, (size_t)n);
		span_moved(j, (size_t)n);
	}
	return 0;
}

/* Runs one sample of `logger` and returns the offsets visited, in order,
 * after checking that they cover every span of the file exactly once. */
static size_t visit(const struct strategy *logger, struct job *j, const struct expected *want, uint64_t size,
		    uint64_t *order)
{
	char err[256];
	struct sample smp;
	nlogged = 0;
	if (measure_once(&job_ctx, logger, j, want, 1, 0, &smp, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	size_t nspans = (size + IO - 1) / IO;
	unsigned char *seen = calloc(nspans, 1);
	assert_non_null(seen);
	assert_int_equal(nlogged, nspans);
	for (size_t i = 0; i < nlogged; i++) {
		assert_int_equal(logged[i].off % IO, 0);
		size_t k = (size_t)logged[i].off / IO;
		assert_true(k < nspans);
		if (seen[k]++)
			fail_msg("span %zu visited twice", k);
		assert_int_equal(logged[i].len, k + 1 < nspans ? IO : size - k * IO);
		order[i] = k;
	}
	free(seen);
	return nlogged;
}

static void random_visits_every_span_once_in_an_order_from_the_seed(void **state)
{
	(void)state;
	const struct strategy logger = { .name = "logger", .sinks = SINK_PROCESS, .move = move_and_log };
	uint64_t size = 200 * IO + 123; /* 201 spans, the last short */
	char err[PATH_MAX + 256];
	struct datafile d;
	if (datafile_make(&d, work, size, SEED, NULL, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	static uint64_t a[MAX_LOG], b[MAX_LOG], c[MAX_LOG], s3[MAX_LOG];
	struct expected want;
	struct job j;

	/* seq: in file order */
	prepare(&j, &logger, SINK_PROCESS, &d, NULL, PATTERN_SEQ, 1, IO, 1, &want);
	visit(&logger, &j, &want, size, a);
	for (size_t i = 0; i < 201; i++)
		assert_int_equal(a[i], i);
	job_release(&j, &logger);

	/* random: seed 1 twice over (two samples: each its own order), seed 2 */
	prepare(&j, &logger, SINK_PROCESS, &d, NULL, PATTERN_RANDOM, 1, IO, 1, &want);
	visit(&logger, &j, &want, size, a);
	visit(&logger, &j, &want, size, c);
	job_release(&j, &logger);
	prepare(&j, &logger, SINK_PROCESS, &d, NULL, PATTERN_RANDOM, 1, IO, 2, &want);
	visit(&logger, &j, &want, size, b);
	job_release(&j, &logger);
	size_t in_place = 0;
	for (size_t i = 0; i < 201; i++)
		in_place += a[i] == i;
	assert_true(in_place < 20); /* not file order: a shuffle leaves ~1 in place */
	assert_memory_not_equal(a, b, 201 * sizeof(*a));
	assert_memory_not_equal(a, c, 201 * sizeof(*a));

	/* the same seed, a fresh job: the same first order (the seed decides it) */
	prepare(&j, &logger, SINK_PROCESS, &d, NULL, PATTERN_RANDOM, 1, IO, 1, &want);
	visit(&logger, &j, &want, size, c);
	assert_memory_equal(a, c, 201 * sizeof(*a));
	job_release(&j, &logger);

	/* three threads: together every span once, and each thread a slice of the order */
	prepare(&j, &logger, SINK_PROCESS, &d, NULL, PATTERN_RANDOM, 3, IO, 1, &want);
	visit(&logger, &j, &want, size, s3);
	job_release(&j, &logger);
	prepare(&j, &logger, SINK_PROCESS, &d, NULL, PATTERN_SEQ, 3, IO, 1, &want);
	visit(&logger, &j, &want, size, s3);
	job_release(&j, &logger);
	datafile_remove(&d);
}

/* A pread that hands one wrong byte (at `planted`) to the consumer, or, when
 * `swapped`, the right bytes of span 0 and span 1 each at the other's offset. */
static uint64_t planted = UINT64_MAX;
static int swapped;

static int move_and_lie(struct job *j)
{
	for (struct span s; span_next(j, &s, j->block);) {
		ssize_t n = pread(j->fd, j->buf, s.len, s.off);
		if (n <= 0)
			return job_fail(j, "pread");
		unsigned char *p = j->buf;
		if (planted >= (uint64_t)s.off && planted < (uint64_t)s.off + (uint64_t)n)
			p[planted - (uint64_t)s.off] ^= 0x10;
		off_t at = s.off;
		if (swapped && (s.off == 0 || s.off == IO))
			at = IO - s.off;
		consume_at(j, at, j->buf, (size_t)n);
		span_moved(j, (size_t)n);
	}
	return 0;
}

static void a_wrong_byte_anywhere_fails_in_any_order(void **state)
{
	(void)state;
	const struct strategy liar = { .name = "liar", .sinks = SINK_PROCESS, .move = move_and_lie };
	uint64_t size = 37 * IO + 77;
	const uint64_t at[] = { 0, 1, 7, 63, 64, 65, IO - 1, IO, 5 * IO + 33, size / 2, size - 64, size - 1 };
	char err[PATH_MAX + 256];
	struct datafile d;
	if (datafile_make(&d, work, size, SEED, NULL, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	for (unsigned threads = 1; threads <= 3; threads += 2)
		for (int p = PATTERN_SEQ; p <= PATTERN_RANDOM; p++) {
			struct expected want;
			struct sample smp;
			struct job j;
			prepare(&j, &liar, SINK_PROCESS, &d, NULL, (enum pattern)p, threads, IO, SEED, &want);
			planted = UINT64_MAX;
			swapped = 0;
			if (measure_once(&job_ctx, &liar, &j, &want, 2, 0, &smp, err, sizeof(err)) != 0)
				fail_msg("honest, %s, %u threads: %s", pattern_names[p], threads, err);
			for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
				planted = at[i];
				assert_int_equal(measure_once(&job_ctx, &liar, &j, &want, 2, 0, &smp, err, sizeof(err)), -1);
				assert_non_null(strstr(err, "do not match"));
			}
			planted = UINT64_MAX;
			swapped = 1; /* every byte right, two spans in each other's place */
			assert_int_equal(measure_once(&job_ctx, &liar, &j, &want, 2, 0, &smp, err, sizeof(err)), -1);
			assert_non_null(strstr(err, "do not match"));
			swapped = 0;
			job_release(&j, &liar);
		}
	datafile_remove(&d);
}

/* Exit status 2, one line "iopaths: ...", and no results folder. */
static void refused(const char *const *args, const char *says)
{
	char out[PATH_MAX], errf[PATH_MAX];
	snprintf(out, sizeof(out), "%s/out", work);
	snprintf(errf, sizeof(errf), "%s/err", work);
	const char *argv[32] = { "run", "--sizes", "4K", "--reps", "1", "--warmup", "0", "--out", out, "--dir", work };
	size_t n = 11;
	while (*args)
		argv[n++] = *args++;
	argv[n] = NULL;
	int rc = run_iopaths(work, NULL, errf, argv);
	char *text = slurp(errf);
	assert_non_null(text);
	if (rc != 2 || strncmp(text, "iopaths: ", 9) != 0 || strchr(text, '\n') != text + strlen(text) - 1 ||
	    !strstr(text, says))
		fail_msg("%s ...: status %d, stderr '%s' (wanted 2 and one line with '%s')", argv[11], rc, text, says);
	free(text);
	struct stat st;
	assert_int_not_equal(stat(out, &st), 0);
	unlink(errf);
}

static void impossible_combinations_are_refused(void **state)
{
	(void)state;
	refused((const char *const[]){ "--strategy", "read", "--threads", "1,3", NULL }, "use pread");
	refused((const char *const[]){ "--strategy", "pwrite", "--threads", "2", NULL }, "process sink");
	refused((const char *const[]){ "--strategy", "sendfile", "--sink", "unix", "--pattern", "random", NULL },
		"socket");
	refused((const char *const[]){ "--strategy", "mmap-send", "--pattern", "random", NULL }, "socket");
	refused((const char *const[]){ "--strategy", "pread", "--threads", "0", NULL }, "--threads");
	refused((const char *const[]){ "--strategy", "pread", "--threads", "65", NULL }, "--threads");
	refused((const char *const[]){ "--strategy", "pread", "--variant", "threads=0", NULL }, "threads");
	refused((const char *const[]){ "--strategy", "pread", "--pattern", "sideways", NULL }, "--pattern");
	refused((const char *const[]){ "--strategy", "pread", "--io-size", "0", NULL }, "--io-size");
	refused((const char *const[]){ "--strategy", "io-uring", "--threads", "2", NULL }, "raise --qd");
	refused((const char *const[]){ "--strategy", "odirect-pread", "--pattern", "random", "--io-size", "1000", NULL },
		"--io-size 1000 is not a multiple");
	refused((const char *const[]){ "--strategy", "pread", "--pattern", "seq,random", "--io-size", "1", "--sizes",
				       "4K,1G", NULL }, "spans to shuffle");
}

static void tlb_shootdowns_sum_the_tlb_line(void **state)
{
	(void)state;
	assert_true(interrupts_tlb_parse("           CPU0       CPU1\n  0:   11   0   IO-APIC   2-edge   timer\n"
					 " TLB:     660550     575032   TLB shootdowns\n") == 660550.0 + 575032.0);
	assert_true(isnan(interrupts_tlb_parse("           CPU0\n  0:   11   IO-APIC   2-edge   timer\n")));
	assert_true(isnan(interrupts_tlb_parse("")));
}

/* A run's rows: the new columns, a tlb_shootdowns number (or NA where the
 * machine has no TLB line), and --explain's predictions met for random. */
static void a_run_records_pattern_threads_and_shootdowns(void **state)
{
	(void)state;
	char out[PATH_MAX], path[PATH_MAX + 16];
	run_in_work("pt", (const char *const[]){ "run", "--strategy", "pread,mmap-shared", "--sizes", "64K",
						  "--reps", "1", "--warmup", "0", "--pattern", "seq,random",
						  "--threads", "1,2", "--io-size", "4K", NULL },
		    out, sizeof(out));
	char *irq = slurp("/proc/interrupts");
	int has_tlb = irq && !isnan(interrupts_tlb_parse(irq));
	free(irq);
	const char *files[] = { "runs.csv", "summary.csv" };
	for (int f = 0; f < 2; f++) {
		struct table t;
		snprintf(path, sizeof(path), "%s/%s", out, files[f]);
		assert_int_equal(table_read(&t, path), 0);
		assert_int_equal(t.rows, 1 + 8);
		const char *tlb = f ? "tlb_shootdowns_median" : "tlb_shootdowns";
		assert_true(table_col(&t, "pattern") > table_col(&t, "pipe_size"));
		assert_int_equal(table_col(&t, "io_bytes"), table_col(&t, "pattern") + 1);
		assert_int_equal(table_col(&t, "threads"), table_col(&t, "pattern") + 2);
		assert_int_equal(table_col(&t, tlb), table_col(&t, "pattern") + 3);
		int random = 0, threaded = 0;
		for (size_t r = 1; r < t.rows; r++) {
			random += strcmp(table_get(&t, r, "pattern"), "random") == 0;
			threaded += strcmp(table_get(&t, r, "threads"), "2") == 0;
			assert_string_equal(table_get(&t, r, "io_bytes"), "4096");
			const char *v = table_get(&t, r, tlb);
			char *end;
			if (has_tlb) {
				double x = strtod(v, &end);
				assert_true(*v && *end == '\0' && x >= 0);
			} else {
				assert_string_equal(v, "");
			}
		}
		assert_int_equal(random, 4);
		assert_int_equal(threaded, 4);
		table_free(&t);
	}
}

/* The sender's syscalls under random: a seek per span where the path
 * follows an fd's position, the spans of io size, as predicted; an order
 * that happens to go on where it was saves a seek (one per fd). */
static void random_predictions_hold(void **state)
{
	(void)state;
	char err[PATH_MAX + 256];
	uint64_t size = 64 * IO + 100;
	struct datafile d;
	if (datafile_make(&d, work, size, SEED, NULL, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	unsigned char *to_write = malloc(size);
	assert_non_null(to_write);
	data_fill(SEED ^ WRITE_SEED_XOR, 0, to_write, size);
	int checked = 0;
	for (size_t i = 0; i < strategy_count; i++)
		for (int k = 0; k < NSINKS; k++) {
			const struct strategy *s = strategies[i];
			enum sink sink = (enum sink)(1u << k);
			if (!(s->sinks & sink) || !allowed(s, sink, PATTERN_RANDOM, 1))
				continue;
			struct job j;
			struct expected want;
			struct sample smp;
			struct cell_key key;
			prepare(&j, s, sink, &d, to_write, PATTERN_RANDOM, 1, 8192, SEED, &want);
			if (measure_once(&job_ctx, s, &j, &want, 1, 0, &smp, err, sizeof(err)) != 0)
				fail_msg("%s: %s", s->name, err);
			key_init(&key, s, sink);
			key.dim[D_PATTERN] = PATTERN_RANDOM;
			key.dim[D_IO_BYTES] = IO;
			key.dim[D_BLOCK_BYTES] = 8192;
			key.dim[D_FILE_BYTES] = size;
			double predicted = predicted_syscalls(&key), measured = smp.c[C_SENDER_SYSCALLS];
			/* the seeks this order saved: it starts at 0, goes on where it was, or ends at the end */
			unsigned follows = (j.order[0] == 0) + (j.order[j.nspans - 1] == j.nspans - 1);
			for (uint64_t n = 1; n < j.nspans; n++)
				follows += j.order[n] == j.order[n - 1] + 1;
			job_release(&j, s);
			if (isnan(measured))
				continue; /* no tracepoint (not root) */
			if (measured > predicted || measured < predicted - 2 * follows)
				fail_msg("%s to %s, random: predicted %g syscalls, measured %g (%u follows)", s->name,
					 sink_names[k], predicted, measured, follows);
			checked++;
		}
	free(to_write);
	datafile_remove(&d);
	if (!checked)
		skip();
}

/* A run from before --io-size (no io_bytes column) at block 4K is the same
 * cell as a seq run now at block 4K, whose io_bytes is the block: compare
 * matches them. */
static void an_older_run_matches_by_its_block(void **state)
{
	(void)state;
	char cmd[4 * PATH_MAX];
	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && cp -r $OLDPWD/tests/fixtures/verdict-a old && cp -r $OLDPWD/tests/fixtures/verdict-a new && "
		 "sed -i 's/\"131072\"/\"4096\"/g' old/runs.csv old/summary.csv new/runs.csv new/summary.csv && "
		 "for f in new/runs.csv new/summary.csv; do awk 'NR == 1 { print $0 \",\\\"pattern\\\",\\\"io_bytes"
		 "\\\",\\\"threads\\\"\"; next } { print $0 \",\\\"seq\\\",\\\"4096\\\",\\\"1\\\"\" }' "
		 "$f > $f.new && mv $f.new $f; done && %s compare cmp old new > /dev/null",
		 work, iopaths_bin());
	assert_int_equal(shell_status(cmd), 0);
	struct table t;
	snprintf(cmd, sizeof(cmd), "%s/cmp/compare.csv", work);
	assert_int_equal(table_read(&t, cmd), 0);
	size_t matched = 0;
	for (size_t r = 1; r < t.rows; r++) {
		assert_string_not_equal(table_get(&t, r, "verdict"), "no base");
		matched += strcmp(table_get(&t, r, "verdict"), "base") != 0;
	}
	assert_true(matched > 0);
	table_free(&t);
}

/* --threads with a pinned measuring thread: the movers spread over the CPUs
 * the process was allowed, from the pinned one on, round the set; they do
 * not inherit its one CPU (seen: 1, 2 and 4 threads all as fast as one). */
static void movers_spread_from_the_pinned_cpu(void **state)
{
	(void)state;
	cpu_set_t cpus;
	CPU_ZERO(&cpus);
	CPU_SET(0, &cpus);
	CPU_SET(1, &cpus);
	CPU_SET(3, &cpus);
	crew_set_cpus(&cpus, 1);
	assert_int_equal(crew_mover_cpu(1), 3);
	assert_int_equal(crew_mover_cpu(2), 0);
	assert_int_equal(crew_mover_cpu(3), 1);
	crew_set_cpus(&cpus, -1);
	assert_int_equal(crew_mover_cpu(1), -1);
}

/* meta.csv's value for key, or NULL. */
static const char *meta_value(const struct table *t, const char *key)
{
	for (size_t r = 1; r < t->rows; r++)
		if (strcmp(table_get(t, r, "key"), key) == 0)
			return table_get(t, r, "value");
	return NULL;
}

/* As many threads as CPUs, and one more: the movers go round the allowed
 * set from the pinned CPU, so with one more two share one.  The run says so
 * on stderr, for that count alone, and meta.csv's thread_cpus names every
 * thread's CPU for both. */
static void more_threads_than_cpus_is_said(void **state)
{
	(void)state;
	cpu_set_t mine;
	assert_int_equal(sched_getaffinity(0, sizeof(mine), &mine), 0);
	int cpu[CPU_SETSIZE], ncpu = 0;
	for (int c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &mine))
			cpu[ncpu++] = c;
	if (ncpu < 2 || ncpu >= MAX_THREADS)
		skip(); /* pinned by default only with 2 CPUs or more; at most 64 threads */
	char threads[32], want[1024] = "", note[128], out[PATH_MAX], path[PATH_MAX + 16];
	snprintf(threads, sizeof(threads), "%d,%d", ncpu, ncpu + 1);
	/* the default pin: the last allowed CPU; thread t on the t-th after it, round the set */
	size_t len = 0;
	for (int n = ncpu; n <= ncpu + 1; n++) {
		len += (size_t)snprintf(want + len, sizeof(want) - len, "%sthreads=%d: cpus ", n > ncpu ? "; " : "", n);
		for (int t = 0; t < n; t++)
			len += (size_t)snprintf(want + len, sizeof(want) - len, "%s%d", t ? "," : "", cpu[(ncpu - 1 + t) % ncpu]);
	}
	snprintf(want + len, sizeof(want) - len, " (more threads than the %d CPUs: some share one)", ncpu);
	run_in_work("wrap", (const char *const[]){ "run", "--strategy", "pread", "--sizes", "64K", "--reps", "1",
						    "--warmup", "0", "--threads", threads, NULL },
		    out, sizeof(out));
	struct table t;
	snprintf(path, sizeof(path), "%s/meta.csv", out);
	assert_int_equal(table_read(&t, path), 0);
	const char *got = meta_value(&t, "thread_cpus");
	if (!got || strcmp(got, want) != 0)
		fail_msg("thread_cpus: \"%s\", want \"%s\"", got ? got : "(none)", want);
	table_free(&t);
	char *err = slurp_at(work, "wrap.err");
	snprintf(note, sizeof(note), "iopaths: note: --threads %d on %d CPUs: ", ncpu + 1, ncpu);
	const char *at = strstr(err, note);
	if (!at || strstr(at + 1, "iopaths: note: --threads"))
		fail_msg("not one \"%s\" line in stderr: %s", note, err);
	free(err);
}

/* A mover that cannot be pinned where the crew puts it (here a CPU this
 * machine lacks): the sample fails, in one line that names the thread and
 * the CPU, and no mover is left running. */
static void a_mover_that_cannot_be_pinned_fails_the_sample(void **state)
{
	(void)state;
	char err[PATH_MAX + 256];
	struct datafile d;
	struct job j;
	struct expected want;
	struct sample smp;
	const struct strategy *s = strategy_find("pread");
	assert_int_equal(datafile_make(&d, work, 65536, SEED, NULL, err, sizeof(err)), 0);
	prepare(&j, s, SINK_PROCESS, &d, NULL, PATTERN_SEQ, 2, 8192, SEED, &want);
	cpu_set_t fake;
	CPU_ZERO(&fake);
	CPU_SET(0, &fake);
	CPU_SET(CPU_SETSIZE - 1, &fake); /* no machine this runs on has CPU 1023 online */
	crew_set_cpus(&fake, 0);
	int rc = measure_once(&job_ctx, s, &j, &want, 1, 0, &smp, err, sizeof(err));
	crew_set_cpus(&fake, -1);
	assert_int_equal(rc, -1);
	if (!strstr(err, "thread 1 could not be pinned to CPU 1023"))
		fail_msg("unclear error: %s", err);
	/* the crew stopped whole: the same job runs unpinned again */
	assert_int_equal(measure_once(&job_ctx, s, &j, &want, 1, 0, &smp, err, sizeof(err)), 0);
	job_release(&j, s);
	datafile_remove(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(movers_spread_from_the_pinned_cpu),
		cmocka_unit_test(every_strategy_verifies_in_both_orders_and_with_threads),
		cmocka_unit_test(random_visits_every_span_once_in_an_order_from_the_seed),
		cmocka_unit_test(a_wrong_byte_anywhere_fails_in_any_order),
		cmocka_unit_test(impossible_combinations_are_refused),
		cmocka_unit_test(tlb_shootdowns_sum_the_tlb_line),
		cmocka_unit_test(a_run_records_pattern_threads_and_shootdowns),
		cmocka_unit_test(random_predictions_hold),
		cmocka_unit_test(an_older_run_matches_by_its_block),
		cmocka_unit_test(a_mover_that_cannot_be_pinned_fails_the_sample),
		cmocka_unit_test(more_threads_than_cpus_is_said),
	};
	return cmocka_run_group_tests(tests, work_and_ctx_open, work_and_ctx_close);
}
