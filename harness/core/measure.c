/* What stays the same whatever the driver: the counters' names, the run's
 * context, and a job prepared and released; measure_once hands the sample
 * to the context's driver (driver.h). */
#include "measure.h"

#include "cell.h"
#include "driver.h"
#include "sigbus.h"
#include "sink.h"

#include <sys/resource.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
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

/* The drivers (driver.h); the first is the one measure_ctx_open picks. */
static const struct driver *const drivers[] = { &driver_in_process, &driver_duration };

void measure_ctx_open(struct measure_ctx *m, enum consume_mode consume)
{
	memset(m, 0, sizeof(*m));
	m->consume = consume;
	sigbus_install(); /* before the first region: a shrinking file is an error, not a crash */
	perf_open(&m->perf);
	vmstat_open(&m->vmstat);
	interrupts_open(&m->interrupts);
	m->driver = drivers[0];
	m->pass_overhead_ns = NAN; /* unless the driver's calibration measures it */
	if (m->driver->calibrate)
		m->driver->calibrate(m);
}

int measure_ctx_use(struct measure_ctx *m, const char *name)
{
	for (size_t i = 0; i < sizeof(drivers) / sizeof(drivers[0]); i++)
		if (strcmp(drivers[i]->name, name) == 0) {
			m->driver = drivers[i];
			if (m->driver->calibrate)
				m->driver->calibrate(m);
			return 0;
		}
	return -1;
}

void measure_ctx_close(struct measure_ctx *m)
{
	perf_close(&m->perf);
	vmstat_close(&m->vmstat);
	interrupts_close(&m->interrupts);
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
	span_plan(j, j->pattern, o->key ? j->io_bytes : o->io_bytes, j->threads);
	j->order_seed = o->order_seed;
	j->plant_ns = o->plant_ns;
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
	span_order_free(j);
	sink_close(j);
	if (j->buf && j->buf_owned)
		munmap(j->buf, j->block);
	if (j->fd >= 0)
		close(j->fd);
	j->buf = NULL;
	j->fd = -1;
}

int measure_once(struct measure_ctx *m, const struct strategy *s, struct job *j, const struct expected *want,
		 unsigned iters, double min_ns, struct sample *out, char *err, size_t errlen)
{
	return m->driver->measure_sample(m, s, j, want, iters, min_ns, out, err, errlen);
}

static double tv_ns(struct timeval t)
{
	return (double)t.tv_sec * 1e9 + (double)t.tv_usec * 1e3;
}

void sample_rusage(struct sample *out, const struct rusage *r0, const struct rusage *r1)
{
	out->c[C_USER_NS] = tv_ns(r1->ru_utime) - tv_ns(r0->ru_utime);
	out->c[C_SYS_NS] = tv_ns(r1->ru_stime) - tv_ns(r0->ru_stime);
	out->c[C_MINFLT] = (double)(r1->ru_minflt - r0->ru_minflt);
	out->c[C_MAJFLT] = (double)(r1->ru_majflt - r0->ru_majflt);
	out->c[C_NVCSW] = (double)(r1->ru_nvcsw - r0->ru_nvcsw);
	out->c[C_NIVCSW] = (double)(r1->ru_nivcsw - r0->ru_nivcsw);
}
