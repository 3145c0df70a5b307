/* What a worker process (`iopaths run --workers K`, plan/workers.c) tells its
 * parent through a pipe: the measuring context's calibration once, then every
 * sample as it is taken, then how it ended.  Parent and worker are the same
 * binary (the parent execs /proc/self/exe), so the structs go as they are. */
#ifndef IOPATHS_WORKER_H
#define IOPATHS_WORKER_H

#include "measure.h"
#include "perf.h"

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

enum worker_msg_type { WMSG_CALIBRATION = 1, WMSG_SAMPLE, WMSG_END };

struct wmsg_calibration {
	char perf_status[PERF_NCOUNTERS][160];
	double syscall_baseline, sender_syscall_baseline, pass_overhead_ns;
};

struct wmsg_sample {
	uint32_t cell;      /* index into sweep_cells() */
	uint32_t rep;       /* warm-up repetitions first, as the sweep counts them */
	uint32_t warmup;    /* 1: unrecorded, for the progress only */
	double elapsed_ns;  /* the whole sample, the page cache's preparation included: the cost of a repetition */
	struct sample s;
};

struct wmsg_end {
	int rc;             /* the worker's exit status: 0, 1 or 130 */
	unsigned cache_misses;
	char err[PATH_MAX + 512];
};

struct wmsg {
	uint32_t type, len; /* len: the payload's bytes */
	union {
		struct wmsg_calibration cal;
		struct wmsg_sample sample;
		struct wmsg_end end;
	} u;
};

/* Writes one message whole (EINTR and short writes resumed); -1 on error. */
int worker_send(int fd, uint32_t type, const void *payload, size_t len);
/* Reads one message whole.  1 read, 0 end of file before a message, -1 an
 * error or a message that is not one (errno EPROTO); EINTR is returned as -1
 * with errno EINTR when nothing of the message was read yet, so that the
 * caller can see a stop signal. */
int worker_receive(int fd, struct wmsg *m);

/* Worker i's seed (i from 0: 0 is the warm-up worker when there is one),
 * from the run's --seed: different for every i, the same in every run. */
uint64_t worker_seed(uint64_t seed, unsigned i);

/* A random stream (splitmix64) and a Fisher-Yates shuffle of 0..n-1 from it. */
uint64_t worker_random(uint64_t *state);
void worker_shuffle(uint64_t *state, size_t *order, size_t n);

#endif
