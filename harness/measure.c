#include "measure.h"

#include "cache.h"
#include "cell.h"
#include "sigbus.h"
#include "sink.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

const char *const counter_names[C_COUNT] = {
	[C_WALL_NS] = "wall_ns", [C_USER_NS] = "user_ns", [C_SYS_NS] = "sys_ns",
	[C_MINFLT] = "minflt", [C_MAJFLT] = "majflt", [C_NVCSW] = "nvcsw", [C_NIVCSW] = "nivcsw",
	[C_PF] = "pf", [C_PF_MIN] = "pf_min", [C_PF_MAJ] = "pf_maj", [C_CTX] = "ctx_switches",
	[C_MIGR] = "cpu_migrations", [C_TASK_CLOCK] = "task_clock_ns", [C_CYCLES] = "cycles",
	[C_INSTR] = "instructions", [C_CACHE_MISS] = "cache_misses", [C_DTLB_MISS] = "dtlb_misses",
	[C_SYSCALLS] = "syscalls", [C_SENDER_SYSCALLS] = "sender_syscalls",
	[C_SENDER_USER_NS] = "sender_user_ns", [C_SENDER_SYS_NS] = "sender_sys_ns",
	[C_PGFAULT] = "pgfault", [C_PGMAJFAULT] = "pgmajfault", [C_PGSCAN] = "pgscan", [C_PGSTEAL] = "pgsteal",
	[C_WORKINGSET_REFAULT_FILE] = "workingset_refault_file", [C_THP_FAULT_ALLOC] = "thp_fault_alloc",
};
_Static_assert(C_THP_FAULT_ALLOC - C_PGFAULT + 1 == VM_NCOUNTERS && C_THP_FAULT_ALLOC + 1 == C_COUNT,
	       "vmstat deltas are copied into the sample in one run");

_Static_assert(C_SENDER_SYSCALLS - C_PF == PERF_SENDER_SYSCALLS - PERF_PF &&
	       C_SENDER_SYSCALLS - C_PF + 1 == PERF_NCOUNTERS,
	       "perf counters are copied into the sample in one run");

double sample_mibps(const struct sample *s, uint64_t bytes)
{
	if (!(s->c[C_WALL_NS] > 0))
		return NAN;
	return (double)bytes / (1 << 20) / (s->c[C_WALL_NS] / 1e9);
}

/* The region with nothing in it, to learn what the counters count of themselves. */
static int move_nothing(struct job *j)
{
	(void)j;
	return 0;
}

void measure_ctx_open(struct measure_ctx *m, enum consume_mode consume)
{
	memset(m, 0, sizeof(*m));
	m->consume = consume;
	sigbus_install(); /* before the first region: a shrinking file is an error, not a crash */
	perf_open(&m->perf);
	vmstat_open(&m->vmstat);

	const struct strategy empty = { .name = "empty", .move = move_nothing };
	struct job j = { .fd = -1, .out = -1, .sink = SINK_PROCESS };
	struct expected want = { checksum_of(NULL, 0), 0 };
	struct sample s;
	char err[256];
	double least = INFINITY, least_sender = INFINITY;
	struct sink_opts so = { .dir = "/", .sender_cpu = -1 };
	if (sink_open(&j, SINK_PROCESS, &so, err, sizeof(err)) == 0) {
		for (int i = 0; i < 5; i++)
			if (measure_once(m, &empty, &j, &want, 1, 0, &s, err, sizeof(err)) == 0) {
				least = fmin(least, s.c[C_SYSCALLS]);
				least_sender = fmin(least_sender, s.c[C_SENDER_SYSCALLS]);
			}
		/* An empty pass is the floor every pass pays: the loop and closing the
		 * pass's checksum.  Recorded, not subtracted. */
		m->pass_overhead_ns = INFINITY;
		for (int i = 0; i < 3; i++)
			if (measure_once(m, &empty, &j, &want, 100000, 0, &s, err, sizeof(err)) == 0)
				m->pass_overhead_ns = fmin(m->pass_overhead_ns, s.c[C_WALL_NS]);
		sink_close(&j);
	}
	if (!isfinite(m->pass_overhead_ns))
		m->pass_overhead_ns = NAN;
	m->syscall_baseline = isfinite(least) ? least : 0;
	m->sender_syscall_baseline = isfinite(least_sender) ? least_sender : 0;
}

void measure_ctx_close(struct measure_ctx *m)
{
	perf_close(&m->perf);
	vmstat_close(&m->vmstat);
}

void *block_buffer(size_t block)
{
	void *buf = mmap(NULL, block, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		return NULL;
	memset(buf, 0xa5, block);
	return buf;
}

int job_prepare(struct job *j, const struct strategy *s, enum sink sink, const struct datafile *d,
		const struct job_opts *o, struct expected *want, char *err, size_t errlen)
{
	struct sink_opts so = { .dir = o->dir, .sender_cpu = o->sender_cpu };

	memset(j, 0, sizeof(*j));
	j->out = -1;
	j->size = d->size;
	j->block = o->block;
	job_take_key(j, s, o->key);
	want->source = want->delivered = d->checksum;
	j->fd = datafile_open(d); /* its own offset; still there if another run removes the name */
	if (j->fd < 0) {
		snprintf(err, errlen, "%s: %s", d->path, strerror(errno));
		return -1;
	}
	/* The sweep shares one buffer: its jobs never run at once.  Written
	 * once, so the timed region never faults on it. */
	j->buf = o->buf;
	if (!j->buf && !(j->buf = block_buffer(o->block))) {
		snprintf(err, errlen, "mmap of a %zu-byte buffer: %s", o->block, strerror(errno));
		job_release(j, s);
		return -1;
	}
	j->buf_owned = !o->buf;
	if (sink_open(j, sink, &so, err, errlen) != 0) {
		job_release(j, s);
		return -1;
	}
	if (s->op == OP_WRITE) { /* what every write strategy writes, made once per size */
		j->resident = o->write_bytes;
		want->delivered = o->write_checksum;
	}
	if (s->setup && s->setup(j) != 0) {
		snprintf(err, errlen, "%s setup: %s: %s", s->name, j->failed_call, strerror(j->failed_errno));
		job_release(j, s);
		return -1;
	}
	return 0;
}

void job_release(struct job *j, const struct strategy *s)
{
	if (s->teardown)
		s->teardown(j);
	job_free_resident(j);
	sink_close(j);
	if (j->buf && j->buf_owned)
		munmap(j->buf, j->block);
	if (j->fd >= 0)
		close(j->fd);
	j->buf = NULL;
	j->fd = -1;
}

static double ns_of(struct timespec t)
{
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static double tv_ns(struct timeval t)
{
	return (double)t.tv_sec * 1e9 + (double)t.tv_usec * 1e3;
}

/* After a failed sample: what became of the data file, when it shrank.
 * Only a touch of a mapping raises SIGBUS (sigbus.c); a syscall that reads
 * a mapping past the end fails with EFAULT, and read() simply comes up
 * short, so those errors need the cause spelled out. */
static const char *shrank_note(const struct job *j, char note[128])
{
	struct stat st;
	note[0] = '\0';
	if (j->fd >= 0 && fstat(j->fd, &st) == 0 && (uint64_t)st.st_size < j->size)
		snprintf(note, 128, " (the data file shrank under the transfer: it is now %llu bytes, not %llu)",
			 (unsigned long long)st.st_size, (unsigned long long)j->size);
	return note;
}

/* The passes of one sample: the only code in the region that runs the
 * strategy, and so the only code that can touch a mapping (see sigbus.c). */
struct pass_loop {
	const struct strategy *s;
	struct job *j;
	unsigned iters;
	double min_ns;
	struct timespec t0;
	unsigned passes; /* out */
};

static int run_passes(void *arg)
{
	struct pass_loop *p = arg;
	struct job *j = p->j;
	struct timespec t1;
	unsigned passes = 0;
	int rc = 0;
	while (rc == 0 && passes < MAX_ITERS) {
		j->span_at = 0; /* every pass moves the whole share anew */
		rc = p->s->move(j);
		if (j->sink == SINK_PROCESS)
			consumer_end_pass(&j->consumer);
		if (rc == 0 && j->fsync && j->sink == SINK_FILE && fsync(j->out) != 0)
			rc = job_fail(j, "fsync");
		passes++;
		if (passes >= p->iters) { /* calibrating: go on until min_ns has passed */
			if (p->min_ns <= 0)
				break;
			clock_gettime(CLOCK_MONOTONIC, &t1);
			if (ns_of(t1) - ns_of(p->t0) >= p->min_ns)
				break;
		}
	}
	p->passes = passes;
	return rc;
}

int measure_once(struct measure_ctx *m, const struct strategy *s, struct job *j, const struct expected *want,
		 unsigned iters, double min_ns, struct sample *out, char *err, size_t errlen)
{
	struct rusage r0, r1, t0r, t1r;
	struct timespec t0, t1;
	struct vmstat_snapshot vm0, vm1;
	double perf[PERF_NCOUNTERS];
	int rc = 0;

	/* Untimed: how much of the file is cached now, an armed consumer and sink. */
	memset(out, 0, sizeof(*out));
	out->persisted = out->file_unchanged = NAN;
	out->resident_pct = j->fd >= 0 ? cache_resident_pct(j->fd, j->size) : NAN;
	consumer_reset(&j->consumer, m->consume, j->size, want->delivered);
	j->failed_call = NULL;
	if (sink_arm(j, m->consume, want->delivered, err, errlen) != 0)
		return -1;

	/* Timed.  /proc/vmstat, getrusage and the perf ioctls sit outside the
	 * clock reads; vmstat outermost, so its window holds getrusage's. */
	vmstat_snap(&m->vmstat, &vm0);
	getrusage(RUSAGE_SELF, &r0);
	getrusage(RUSAGE_THREAD, &t0r);
	perf_start(&m->perf);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct pass_loop loop = { .s = s, .j = j, .iters = iters, .min_ns = min_ns, .t0 = t0 };
	struct sigbus_fault fault;
	rc = sigbus_guard(run_passes, &loop, &fault);
	unsigned passes = loop.passes;
	/* The sender's own syscalls end with its passes: the wait for the
	 * receiver below is the harness's, not the path's. */
	perf_stop_one(&m->perf, PERF_SENDER_SYSCALLS);
	char drain_err[256] = "";
	int drained = rc == 0 ? sink_drain(j, passes, drain_err, sizeof(drain_err)) : 0;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	perf_stop(&m->perf);
	getrusage(RUSAGE_THREAD, &t1r);
	getrusage(RUSAGE_SELF, &r1);
	vmstat_snap(&m->vmstat, &vm1);
	perf_read(&m->perf, perf);

	if (rc == SIGBUS_TRAPPED) {
		char why[PATH_MAX + 256];
		sigbus_explain(&fault, j, why, sizeof(why));
		snprintf(err, errlen, "%s to %s: %s", s->name, sink_names[__builtin_ctz(j->sink)], why);
		return -1;
	}
	char shrank[128];
	if (rc != 0) {
		snprintf(err, errlen, "%s to %s: %s: %s%s", s->name, sink_names[__builtin_ctz(j->sink)],
			 j->failed_call ? j->failed_call : "move", strerror(j->failed_errno), shrank_note(j, shrank));
		return -1;
	}
	if (drained != 0) {
		snprintf(err, errlen, "%s: %s%s", s->name, drain_err, shrank_note(j, shrank));
		return -1;
	}
	if (j->consumer.passes_bad > 0) {
		if (j->consumer.bad_bytes != j->size)
			snprintf(err, errlen, "%s delivered %llu bytes of a %llu-byte file%s", s->name,
				 (unsigned long long)j->consumer.bad_bytes, (unsigned long long)j->size,
				 shrank_note(j, shrank));
		else
			snprintf(err, errlen, "%s delivered %llu bytes that do not match the file (checksum)",
				 s->name, (unsigned long long)j->size);
		return -1;
	}
	out->c[C_WALL_NS] = ns_of(t1) - ns_of(t0);
	out->c[C_USER_NS] = tv_ns(r1.ru_utime) - tv_ns(r0.ru_utime);
	out->c[C_SYS_NS] = tv_ns(r1.ru_stime) - tv_ns(r0.ru_stime);
	out->c[C_MINFLT] = (double)(r1.ru_minflt - r0.ru_minflt);
	out->c[C_MAJFLT] = (double)(r1.ru_majflt - r0.ru_majflt);
	out->c[C_NVCSW] = (double)(r1.ru_nvcsw - r0.ru_nvcsw);
	out->c[C_NIVCSW] = (double)(r1.ru_nivcsw - r0.ru_nivcsw);
	out->c[C_SENDER_USER_NS] = tv_ns(t1r.ru_utime) - tv_ns(t0r.ru_utime);
	out->c[C_SENDER_SYS_NS] = tv_ns(t1r.ru_stime) - tv_ns(t0r.ru_stime);
	for (int k = 0; k < PERF_NCOUNTERS; k++)
		out->c[C_PF + k] = perf[k];
	vmstat_delta(&vm0, &vm1, &out->c[C_PGFAULT]);
	out->c[C_SYSCALLS] -= m->syscall_baseline;
	out->c[C_SENDER_SYSCALLS] -= m->sender_syscall_baseline;
	out->iters = passes;
	for (int k = 0; k < C_COUNT; k++)
		out->c[k] /= passes;

	/* Untimed: what arrived at the sink, and what must not have changed. */
	int sink_verified = 0;
	if (sink_verify(j, passes, want->delivered, s->op == OP_WRITE, &out->persisted, &sink_verified, err,
			errlen) != 0)
		return -1;
	out->verified = j->sink == SINK_PROCESS ? m->consume == CONSUME_CHECKSUM : sink_verified;
	if (s->op == OP_WRITE && j->sink == SINK_PROCESS) {
		/* Written through a private mapping: the file must be untouched.  Its
		 * page cache is the file as every process sees it, and where a leak
		 * would show; reading it leaves the hot cache hot for the others. */
		uint64_t sum;
		if (file_checksum(j->fd, j->size, 0, j->buf, j->block, &sum) != 0) {
			snprintf(err, errlen, "reading back the data file: %s", strerror(errno));
			return -1;
		}
		out->file_unchanged = sum == want->source;
		if (sum != want->source) {
			snprintf(err, errlen, "%s changed the data file it mapped privately", s->name);
			return -1;
		}
	}
	return 0;
}
