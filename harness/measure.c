#include "measure.h"

#include "cache.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

const char *const counter_names[C_COUNT] = {
	[C_WALL_NS] = "wall_ns", [C_USER_NS] = "user_ns", [C_SYS_NS] = "sys_ns",
	[C_MINFLT] = "minflt", [C_MAJFLT] = "majflt", [C_NVCSW] = "nvcsw", [C_NIVCSW] = "nivcsw",
	[C_PF] = "pf", [C_PF_MIN] = "pf_min", [C_PF_MAJ] = "pf_maj", [C_CTX] = "ctx_switches",
	[C_MIGR] = "cpu_migrations", [C_TASK_CLOCK] = "task_clock_ns", [C_CYCLES] = "cycles",
	[C_INSTR] = "instructions", [C_CACHE_MISS] = "cache_misses", [C_DTLB_MISS] = "dtlb_misses",
	[C_SYSCALLS] = "syscalls",
};

_Static_assert(C_SYSCALLS - C_PF == PERF_SYSCALLS - PERF_PF && C_COUNT - C_PF == PERF_NCOUNTERS,
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
	perf_open(&m->perf);

	const struct strategy empty = { .name = "empty", .move = move_nothing };
	struct job j = { .fd = -1 };
	struct sample s;
	char err[64];
	double least = INFINITY;
	for (int i = 0; i < 5; i++)
		if (measure_once(m, &empty, &j, checksum_of(NULL, 0), 1, 0, &s, err, sizeof(err)) == 0 &&
		    s.c[C_SYSCALLS] < least)
			least = s.c[C_SYSCALLS];
	m->syscall_baseline = isfinite(least) ? least : 0;
}

void measure_ctx_close(struct measure_ctx *m)
{
	perf_close(&m->perf);
}

int job_prepare(struct job *j, const struct strategy *s, const struct datafile *d,
		size_t block, char *err, size_t errlen)
{
	memset(j, 0, sizeof(*j));
	j->size = d->size;
	j->block = block;
	j->fd = open(d->path, O_RDONLY | O_CLOEXEC);
	if (j->fd < 0) {
		snprintf(err, errlen, "%s: %s", d->path, strerror(errno));
		return -1;
	}
	/* Written once now, so the timed region never faults on its own buffer. */
	j->buf = mmap(NULL, block, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (j->buf == MAP_FAILED) {
		snprintf(err, errlen, "mmap of a %zu-byte buffer: %s", block, strerror(errno));
		j->buf = NULL;
		job_release(j, s);
		return -1;
	}
	memset(j->buf, 0xa5, block);
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
	if (j->buf)
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

int measure_once(struct measure_ctx *m, const struct strategy *s, struct job *j, uint64_t expected,
		 unsigned iters, double min_ns, struct sample *out, char *err, size_t errlen)
{
	struct rusage r0, r1;
	struct timespec t0, t1;
	double perf[PERF_NCOUNTERS];
	int rc = 0;

	/* Untimed: how much of the file is cached now, an armed consumer. */
	memset(out, 0, sizeof(*out));
	out->resident_pct = j->fd >= 0 ? cache_resident_pct(j->fd, j->size) : NAN;
	consumer_reset(&j->consumer, m->consume, j->size, expected);
	j->failed_call = NULL;

	/* Timed.  getrusage and the perf ioctls sit outside the clock reads. */
	getrusage(RUSAGE_SELF, &r0);
	perf_start(&m->perf);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	unsigned passes = 0;
	while (rc == 0 && passes < MAX_ITERS) {
		rc = s->move(j);
		consumer_end_pass(&j->consumer);
		passes++;
		if (passes >= iters) { /* calibrating: go on until min_ns has passed */
			if (min_ns <= 0)
				break;
			clock_gettime(CLOCK_MONOTONIC, &t1);
			if (ns_of(t1) - ns_of(t0) >= min_ns)
				break;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	perf_stop(&m->perf);
	getrusage(RUSAGE_SELF, &r1);
	perf_read(&m->perf, perf);

	if (rc != 0) {
		snprintf(err, errlen, "%s: %s: %s", s->name, j->failed_call ? j->failed_call : "move",
			 strerror(j->failed_errno));
		return -1;
	}
	if (j->consumer.passes_bad > 0) {
		if (j->consumer.bad_bytes != j->size)
			snprintf(err, errlen, "%s delivered %llu bytes of a %llu-byte file", s->name,
				 (unsigned long long)j->consumer.bad_bytes, (unsigned long long)j->size);
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
	for (int k = 0; k < PERF_NCOUNTERS; k++)
		out->c[C_PF + k] = perf[k];
	out->c[C_SYSCALLS] -= m->syscall_baseline;
	out->iters = passes;
	for (int k = 0; k < C_COUNT; k++)
		out->c[k] /= passes;
	out->verified = m->consume == CONSUME_CHECKSUM;
	return 0;
}
