#include "measure.h"

#include <errno.h>
#include <math.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

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

const char *const counter_names[C_COUNT] = {
	[C_WALL_NS] = "wall_ns", [C_USER_NS] = "user_ns", [C_SYS_NS] = "sys_ns",
	[C_MINFLT] = "minflt",   [C_MAJFLT] = "majflt",   [C_NVCSW] = "nvcsw",
	[C_NIVCSW] = "nivcsw",
};

double sample_mibps(const struct sample *s, uint64_t bytes)
{
	if (s->c[C_WALL_NS] <= 0)
		return NAN;
	return (double)bytes / (1 << 20) / ((double)s->c[C_WALL_NS] / 1e9);
}

static int64_t ns_of(struct timespec t)
{
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static int64_t tv_ns(struct timeval t)
{
	return (int64_t)t.tv_sec * 1000000000 + (int64_t)t.tv_usec * 1000;
}

int measure_once(const struct strategy *s, struct job *j, uint64_t expected,
		 struct sample *out, char *err, size_t errlen)
{
	struct rusage r0, r1;
	struct timespec t0, t1;

	/* Untimed: rewind, empty the consumer. */
	if (lseek(j->fd, 0, SEEK_SET) != 0) {
		snprintf(err, errlen, "lseek: %s", strerror(errno));
		return -1;
	}
	consumer_reset(&j->consumer);
	j->failed_call = NULL;

	/* Timed: rusage outside the clock reads, so its own cost is not timed. */
	getrusage(RUSAGE_SELF, &r0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int rc = s->move(j);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	getrusage(RUSAGE_SELF, &r1);

	if (rc != 0) {
		snprintf(err, errlen, "%s: %s: %s", s->name, j->failed_call ? j->failed_call : "move",
			 strerror(j->failed_errno));
		return -1;
	}
	memset(out, 0, sizeof(*out));
	out->c[C_WALL_NS] = ns_of(t1) - ns_of(t0);
	out->c[C_USER_NS] = tv_ns(r1.ru_utime) - tv_ns(r0.ru_utime);
	out->c[C_SYS_NS] = tv_ns(r1.ru_stime) - tv_ns(r0.ru_stime);
	out->c[C_MINFLT] = r1.ru_minflt - r0.ru_minflt;
	out->c[C_MAJFLT] = r1.ru_majflt - r0.ru_majflt;
	out->c[C_NVCSW] = r1.ru_nvcsw - r0.ru_nvcsw;
	out->c[C_NIVCSW] = r1.ru_nivcsw - r0.ru_nivcsw;

	uint64_t got = consumer_bytes(&j->consumer);
	if (got != j->size) {
		snprintf(err, errlen, "%s delivered %llu bytes of a %llu-byte file", s->name,
			 (unsigned long long)got, (unsigned long long)j->size);
		return -1;
	}
	if (consumer_checksum(&j->consumer) != expected) {
		snprintf(err, errlen, "%s delivered %llu bytes that do not match the file (checksum)",
			 s->name, (unsigned long long)got);
		return -1;
	}
	out->verified = 1;
	return 0;
}
