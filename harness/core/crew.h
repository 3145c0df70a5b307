/* The threads that share one pass (--threads): the measuring thread moves
 * the first share itself, and threads started before the timed region move
 * the others, each with its own job (its own share of the spans, buffer
 * and consumer) and the strategy's shared state.  Their consumers are added
 * into the measuring thread's at the end of every pass, so the pass is
 * verified as one. */
#ifndef IOPATHS_CREW_H
#define IOPATHS_CREW_H

#include "sigbus.h"
#include "strategy.h"

#include <pthread.h>

struct crew {
	unsigned n;                        /* movers, the measuring thread the first */
	const struct strategy *s;
	struct job jobs[MAX_THREADS];      /* [0] unused: the measuring thread moves its own job */
	int rc[MAX_THREADS];
	struct sigbus_fault fault[MAX_THREADS];
	pthread_t tid[MAX_THREADS];
	pthread_mutex_t mu;
	pthread_cond_t go, done;           /* a pass starts (gen moves on); the last mover finished */
	unsigned gen, running;
	int quit;
	char why[512];                     /* a mover's SIGBUS, explained (failed_call points here) */
};

#include <sched.h>

/* The CPUs the process was allowed before the measuring thread was pinned to
 * pin_cpu (-1: not pinned).  Mover t then runs on the t-th allowed CPU after
 * pin_cpu, round the set, so N threads spread over N CPUs as they would
 * without pinning, placed the same way every run; unpinned, movers go where
 * the scheduler puts them. */
void crew_set_cpus(const cpu_set_t *allowed, int pin_cpu);
int crew_mover_cpu(unsigned t); /* mover t's CPU (t >= 1), or -1: not pinned */
/* Where a crew of `threads` runs, for meta.csv's thread_cpus: "threads=3:
 * cpus 1,0,1", or "threads=2: not pinned".  1 when there are more threads
 * than allowed CPUs (they go round the set: some share one). */
int crew_placement(unsigned threads, char *out, size_t len);

/* Untimed: j's share becomes the first of j->threads; the other threads
 * start and wait.  0, or -1 with a one-line reason. */
int crew_start(struct crew *c, const struct strategy *s, struct job *j, char *err, size_t errlen);
/* Timed, after pass_begin: every mover moves its share of one pass; the
 * consumers are combined into j's.  0, or -1 with j's failed_call set. */
int crew_pass(struct crew *c, struct job *j);
/* Untimed: the threads end, j's share is the whole file again. */
void crew_stop(struct crew *c, struct job *j);

#endif
