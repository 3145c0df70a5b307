/* The in-process driver (driver.h): the timed region around N passes of
 * move() in this thread, and its calibration. */
#include "driver.h"

#include "cache.h"
#include "crew.h"
#include "sigbus.h"
#include "sink.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

static int measure_sample(struct measure_ctx *m, const struct strategy *s, struct job *j, const struct expected *want,
			  unsigned iters, double min_ns, struct sample *out, char *err, size_t errlen);

/* The region with nothing in it, to learn what the counters count of themselves. */
static int move_nothing(struct job *j)
{
	(void)j;
	return 0;
}

static void calibrate(struct measure_ctx *m)
{
	const struct strategy empty = { .name = "empty", .move = move_nothing };
	struct job j = { .fd = -1, .out = -1, .sink = SINK_PROCESS };
	struct expected want = { checksum_of(NULL, 0), 0 };
	struct sample s;
	char err[256];
	double least = INFINITY, least_sender = INFINITY;
	struct sink_opts so = { .dir = "/", .sender_cpu = -1 };
	if (sink_open(&j, SINK_PROCESS, &so, err, sizeof(err)) == 0) {
		for (int i = 0; i < 5; i++)
			if (measure_sample(m, &empty, &j, &want, 1, 0, &s, err, sizeof(err)) == 0) {
				least = fmin(least, s.c[C_SYSCALLS]);
				least_sender = fmin(least_sender, s.c[C_SENDER_SYSCALLS]);
			}
		/* An empty pass is the floor every pass pays: the loop and closing the
		 * pass's checksum.  Recorded, not subtracted. */
		m->pass_overhead_ns = INFINITY;
		for (int i = 0; i < 3; i++)
			if (measure_sample(m, &empty, &j, &want, 100000, 0, &s, err, sizeof(err)) == 0)
				m->pass_overhead_ns = fmin(m->pass_overhead_ns, s.c[C_WALL_NS]);
		sink_close(&j);
	}
	if (!isfinite(m->pass_overhead_ns))
		m->pass_overhead_ns = NAN;
	m->syscall_baseline = isfinite(least) ? least : 0;
	m->sender_syscall_baseline = isfinite(least_sender) ? least_sender : 0;
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
	int (*after_pass)(struct job *); /* the sink's, or NULL */
	struct crew *crew;               /* the threads of a pass; NULL: this thread alone */
	unsigned iters;
	double min_ns;
	struct timespec t0;
	unsigned passes; /* out */
};

static int run_passes(void *arg)
{
	struct pass_loop *p = arg;
	struct job *j = p->j;
	int (*after_pass)(struct job *) = p->after_pass;
	struct timespec t1;
	unsigned passes = 0;
	int rc = 0;
	while (rc == 0 && passes < MAX_ITERS) {
		span_pass_start(j); /* every pass moves the whole share anew */
		rc = p->s->pass_begin ? p->s->pass_begin(j) : 0;
		if (rc == 0) {
			rc = p->crew ? crew_pass(p->crew, j) : p->s->move(j);
			/* after a failed move too: what pass_begin made (a mapping) is undone */
			int end = p->s->pass_end ? p->s->pass_end(j) : 0;
			rc = rc ? rc : end;
		}
		if (rc == 0 && j->stop && __atomic_load_n(j->stop, __ATOMIC_RELAXED)) {
			errno = EINTR; /* Ctrl-C: the pass was cut short; the sample is given up */
			rc = job_fail(j, "interrupted");
		}
		if (rc == 0 && after_pass)
			rc = after_pass(j);
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

static int measure_sample(struct measure_ctx *m, const struct strategy *s, struct job *j, const struct expected *want,
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
	j->moves = 0;
	/* Each sample its own random order: another pass over the same order
	 * would only repeat it, another sample shows whether the order matters. */
	if (span_order_draw(j, j->order_seed ^ (0x9e3779b97f4a7c15ULL * ++j->orders_drawn)) != 0) {
		snprintf(err, errlen, "%s: the random order: %s", s->name, strerror(j->failed_errno));
		return -1;
	}
	if (sink_arm(j, m->consume, want->delivered, err, errlen) != 0)
		return -1;
	int (*after_pass)(struct job *) = j->sink_state->ops->after_pass;
	static struct crew crew; /* large; one sample at a time */
	if (crew_start(&crew, s, j, err, errlen) != 0)
		return -1;

	/* Timed.  /proc/vmstat, getrusage and the perf ioctls sit outside the
	 * clock reads; vmstat outermost, so its window holds getrusage's. */
	double tlb0 = interrupts_tlb(&m->interrupts);
	vmstat_snap(&m->vmstat, &vm0);
	getrusage(RUSAGE_SELF, &r0);
	getrusage(RUSAGE_THREAD, &t0r);
	perf_start(&m->perf);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct pass_loop loop = { .s = s, .j = j, .after_pass = after_pass, .crew = crew.n > 1 ? &crew : NULL,
				  .iters = iters, .min_ns = min_ns, .t0 = t0 };
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
	double tlb1 = interrupts_tlb(&m->interrupts);
	perf_read(&m->perf, perf);
	crew_stop(&crew, j);

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
	sample_rusage(out, &r0, &r1);
	out->c[C_SENDER_USER_NS] = tv_ns(t1r.ru_utime) - tv_ns(t0r.ru_utime);
	out->c[C_SENDER_SYS_NS] = tv_ns(t1r.ru_stime) - tv_ns(t0r.ru_stime);
	for (int k = 0; k < PERF_NCOUNTERS; k++)
		out->c[C_PF + k] = perf[k];
	vmstat_delta(&vm0, &vm1, &out->c[C_PGFAULT]);
	out->c[C_SYSCALLS] -= m->syscall_baseline;
	out->c[C_SENDER_SYSCALLS] -= m->sender_syscall_baseline;
	out->iters = passes;
	out->moves = (double)j->moves / passes;
	for (int k = 0; k < C_COUNT; k++)
		out->c[k] /= passes;
	out->tlb_shootdowns = (tlb1 - tlb0) / passes; /* NaN where there is no TLB line */

	/* Untimed: what arrived at the sink, and what must not have changed. */
	struct sink_check check = { .strategy = s, .passes = passes, .consume = m->consume, .want = want };
	return sink_verify(j, &check, out, err, errlen);
}

const struct driver driver_in_process = {
	.name = "in-process",
	.calibrate = calibrate,
	.measure_sample = measure_sample,
};
