/* The duration driver (driver.h): --duration's one timed region per cell. */
#include "driver.h"

#include "crew.h"
#include "sigbus.h"
#include "timeseries.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#define GOLDEN 0x9e3779b97f4a7c15ULL

struct region {
	const struct strategy *s;
	struct job *j;
	struct crew *crew; /* NULL: this thread alone */
};

/* The one pass: every mover runs move() until the sampler sets the stop flag. */
static int run_region(void *arg)
{
	struct region *r = arg;
	return r->crew ? crew_pass(r->crew, r->j) : r->s->move(r->j);
}

static int measure_sample(struct measure_ctx *m, const struct strategy *s, struct job *j, const struct expected *want,
			  unsigned iters, double min_ns, struct sample *out, char *err, size_t errlen)
{
	static struct crew crew; /* large; one cell at a time */
	static int stop;
	struct ts_cell *cell = m->ts_cell;
	(void)want;
	(void)iters;
	(void)min_ns;
	if (!m->ts || !cell) {
		snprintf(err, errlen, "the duration driver has no time series to write");
		return -1;
	}

	/* Untimed: endless spans, each mover its own random stream, every span checked. */
	memset(out, 0, sizeof(*out));
	out->persisted = out->file_unchanged = NAN;
	__atomic_store_n(&stop, 0, __ATOMIC_RELAXED);
	const int *ctrl_c = j->stop; /* the sweep's, back after the region */
	j->endless = 1;
	j->stop = &stop;
	j->spans_done = 0;
	j->rng = m->data_seed ^ GOLDEN ^ (m->cell_index * 0xbf58476d1ce4e5b9ULL);
	j->failed_call = NULL;
	consumer_reset(&j->consumer, CONSUME_SPANS, j->size, 0);
	consumer_spans(&j->consumer, m->data_seed, j->io_bytes);
	if (crew_start(&crew, s, j, err, errlen) != 0) {
		j->endless = 0;
		j->stop = ctrl_c;
		return -1;
	}
	cell->nmovers = 0;
	cell->movers[cell->nmovers++] = j;
	for (unsigned t = 1; t < crew.n; t++) {
		struct job *w = &crew.jobs[t];
		w->spans_done = 0;
		w->rng = j->rng ^ (GOLDEN * (t + 1));
		consumer_spans(&w->consumer, m->data_seed, j->io_bytes);
		cell->movers[cell->nmovers++] = w;
	}
	cell->stop = &stop;

	struct rusage r0, r1;
	struct vmstat_snapshot vm0, vm1;
	pthread_t sampler;
	int rc = 0, sampled = 0, ts_rc = 0;
	span_pass_start(j);
	vmstat_snap(&m->vmstat, &vm0);
	getrusage(RUSAGE_SELF, &r0);
	rc = s->pass_begin ? s->pass_begin(j) : 0; /* mmap: the whole file mapped once, madvise applied */
	if (rc == 0) {
		int e = timeseries_start(m->ts, cell, &sampler);
		if (e != 0) {
			errno = e;
			rc = job_fail(j, "pthread_create (the sampler)");
		} else {
			sampled = 1;
		}
	}
	struct sigbus_fault fault;
	if (rc == 0) {
		struct region r = { s, j, crew.n > 1 ? &crew : NULL };
		rc = sigbus_guard(run_region, &r, &fault);
		__atomic_store_n(&stop, 1, __ATOMIC_RELAXED); /* a failed mover: the sampler ends too */
		int end = s->pass_end ? s->pass_end(j) : 0;
		rc = rc ? rc : end;
	}
	if (sampled)
		ts_rc = timeseries_join(sampler);
	int ts_errno = errno;
	getrusage(RUSAGE_SELF, &r1);
	vmstat_snap(&m->vmstat, &vm1);
	crew_stop(&crew, j);
	j->endless = 0;
	j->stop = ctrl_c;

	if (rc == SIGBUS_TRAPPED) {
		char why[PATH_MAX + 256];
		sigbus_explain(&fault, j, why, sizeof(why));
		snprintf(err, errlen, "%s: %s", s->name, why);
		return -1;
	}
	if (rc != 0) {
		snprintf(err, errlen, "%s: %s: %s", s->name, j->failed_call ? j->failed_call : "move",
			 strerror(j->failed_errno));
		return -1;
	}
	if (ts_rc != 0) {
		snprintf(err, errlen, "writing timeseries.csv: %s", strerror(ts_errno));
		return -1;
	}
	if (j->consumer.spans_bad > 0) {
		snprintf(err, errlen, "%s delivered %llu spans that do not match the file, first at offset %llu",
			 s->name, (unsigned long long)j->consumer.spans_bad, (unsigned long long)j->consumer.first_bad);
		return -1;
	}
	if (cell->interrupted) {
		snprintf(err, errlen, "interrupted");
		return -1;
	}
	if (j->consumer.spans_checked == 0) {
		snprintf(err, errlen, "%s moved no span in %.1f s", s->name, cell->wall_s);
		return -1;
	}

	/* The cell as one sample: its rows' totals, over the rows' time. */
	double used = cell->ops * (double)j->io_bytes;
	out->iters = 1;
	out->c[C_WALL_NS] = used > 0 ? cell->wall_s * 1e9 * (double)j->size / used : INFINITY;
	sample_rusage(out, &r0, &r1);
	for (int k = C_PF; k <= C_SENDER_SYS_NS; k++)
		out->c[k] = NAN; /* perf is the in-process driver's */
	vmstat_delta(&vm0, &vm1, &out->c[C_PGFAULT]);
	out->tlb_shootdowns = cell->tlb;
	out->resident_pct = NAN;
	out->moves = NAN; /* counted passes only: what --plant-ns's expected change is computed from */
	out->verified = 0; /* spans are checked, not every byte (consumer.h) */
	return 0;
}

const struct driver driver_duration = {
	.name = "duration",
	.measure_sample = measure_sample,
};
