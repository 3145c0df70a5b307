/* What a strategy is, and what the harness hands it.
 *
 * A strategy is one way of moving a file's bytes.  It lives in one small file
 * under benches/ and knows nothing of timing, counters, CSV or verification:
 * the harness opens the file, sets up buffers, starts the clocks, calls
 * move() once, stops the clocks and checks the checksum of what arrived.
 */
#ifndef IOPATHS_STRATEGY_H
#define IOPATHS_STRATEGY_H

#include <stddef.h>
#include <stdint.h>

#include "consumer.h"

/* Where the bytes end up.  A bit mask, so a strategy can name several. */
enum sink {
	SINK_PROCESS = 1u << 0, /* into this process's memory, read by the consumer */
};

/* One transfer of one file, as the harness prepared it. */
struct job {
	int fd;                        /* the data file, open read-only, at offset 0 */
	uint64_t size;                 /* its length in bytes */
	size_t block;                  /* --block: bytes per call for block-wise paths */
	void *buf;                     /* `block` bytes, allocated and prefaulted */
	const unsigned char *resident; /* the file's bytes in anonymous memory, after job_load_resident() */
	struct consumer consumer;      /* where every strategy hands its bytes */
	void *state;                   /* the strategy's own, from its setup */
	const char *failed_call;       /* set by job_fail(): the call that failed */
	int failed_errno;
};

struct strategy {
	const char *name;
	const char *summary;            /* one line, for `iopaths list` */
	unsigned sinks;                 /* enum sink bits it can deliver to */
	unsigned cpu_copies;            /* times the CPU copies each byte before the consumer sees it */
	int (*setup)(struct job *);     /* optional, untimed */
	int (*move)(struct job *);      /* timed: move the whole file once; 0 or job_fail() */
	void (*teardown)(struct job *); /* optional, untimed */
};

/* Hand `n` bytes at `p` to the consumer (checksums them). */
static inline void consume(struct job *j, const void *p, size_t n)
{
	consumer_take(&j->consumer, p, n);
}

/* Record that `call` failed with the current errno; returns -1 for `return job_fail(...)`. */
int job_fail(struct job *j, const char *call);

/* Untimed setup helper: copy the whole file into anonymous memory at j->resident. */
int job_load_resident(struct job *j);

/* The table of strategies, from benches/strategies.def. */
extern const struct strategy *const strategies[];
extern const size_t strategy_count;
const struct strategy *strategy_find(const char *name);

#endif
