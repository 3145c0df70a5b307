#include "crew.h"

#include "measure.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

struct mover {
	struct crew *c;
	unsigned t;
};
static struct mover movers[MAX_THREADS]; /* one crew at a time: the sweep runs one sample at a time */
static cpu_set_t crew_cpus;
static int crew_pin = -1;

void crew_set_cpus(const cpu_set_t *allowed, int pin_cpu)
{
	crew_cpus = *allowed;
	crew_pin = pin_cpu;
}

/* Mover t's CPU: the t-th allowed CPU after the measuring thread's, round the
 * set (threads inherit the measuring thread's pinning otherwise, and all of
 * them would share its one CPU); -1 when the measuring thread is not pinned. */
int crew_mover_cpu(unsigned t)
{
	int n = CPU_COUNT(&crew_cpus);
	if (crew_pin < 0 || n == 0)
		return -1;
	int c = crew_pin;
	for (unsigned k = 0; k < t;) {
		c = (c + 1) % CPU_SETSIZE;
		if (CPU_ISSET(c, &crew_cpus))
			k++;
	}
	return c;
}

static void append(char *out, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void append(char *out, size_t len, const char *fmt, ...)
{
	size_t used = strlen(out);
	va_list ap;
	va_start(ap, fmt);
	if (used + 1 < len)
		vsnprintf(out + used, len - used, fmt, ap);
	va_end(ap);
}

int crew_placement(unsigned threads, char *out, size_t len)
{
	int ncpus = CPU_COUNT(&crew_cpus);
	int shared = ncpus > 0 && threads > (unsigned)ncpus;
	if (len == 0)
		return shared;
	out[0] = '\0';
	append(out, len, "threads=%u: ", threads);
	if (crew_mover_cpu(0) < 0)
		append(out, len, "not pinned");
	else
		for (unsigned t = 0; t < threads; t++)
			append(out, len, "%s%d", t ? "," : "cpus ", crew_mover_cpu(t));
	return shared;
}

static int move_share(void *arg)
{
	struct job *j = arg;
	return j->strategy->move(j);
}

static void *mover_main(void *arg)
{
	struct mover *m = arg;
	struct crew *c = m->c;
	unsigned seen = 0;
	for (;;) {
		pthread_mutex_lock(&c->mu);
		while (c->gen == seen && !c->quit)
			pthread_cond_wait(&c->go, &c->mu);
		seen = c->gen;
		int quit = c->quit;
		pthread_mutex_unlock(&c->mu);
		if (quit)
			return NULL;
		/* A mapping touched past the file's end raises SIGBUS in this thread. */
		c->rc[m->t] = sigbus_guard(move_share, &c->jobs[m->t], &c->fault[m->t]);
		pthread_mutex_lock(&c->mu);
		if (--c->running == 0)
			pthread_cond_signal(&c->done);
		pthread_mutex_unlock(&c->mu);
	}
}

int crew_start(struct crew *c, const struct strategy *s, struct job *j, char *err, size_t errlen)
{
	unsigned n = j->threads > 1 ? j->threads : 1;
	memset(c, 0, sizeof(*c));
	c->s = s;
	if (n == 1)
		return 0;
	pthread_mutex_init(&c->mu, NULL);
	pthread_cond_init(&c->go, NULL);
	pthread_cond_init(&c->done, NULL);
	span_share(j, 0, n);
	c->n = 1;
	for (unsigned t = 1; t < n; t++) {
		struct job *w = &c->jobs[t];
		*w = *j;
		w->buf = block_buffer(j->block);
		w->buf_owned = 1;
		if (!w->buf) {
			snprintf(err, errlen, "mmap of a %zu-byte buffer: %s", j->block, strerror(errno));
			crew_stop(c, j);
			return -1;
		}
		consumer_reset(&w->consumer, j->consumer.mode, j->size, 0);
		span_share(w, t, n);
		movers[t] = (struct mover){ c, t };
		pthread_attr_t attr;
		int rc = pthread_attr_init(&attr);
		if (rc != 0) {
			snprintf(err, errlen, "pthread_attr_init: %s", strerror(rc));
			crew_stop(c, j);
			return -1;
		}
		/* Pinned where crew_mover_cpu says, or not started: a mover left
		 * wherever the scheduler puts it would be measured as if placed. */
		int cpu = crew_mover_cpu(t);
		if (cpu >= 0) {
			cpu_set_t one;
			CPU_ZERO(&one);
			CPU_SET(cpu, &one);
			rc = pthread_attr_setaffinity_np(&attr, sizeof(one), &one);
		}
		const char *call = rc ? "pthread_attr_setaffinity_np" : "pthread_create";
		if (rc == 0)
			rc = pthread_create(&c->tid[t], &attr, mover_main, &movers[t]);
		pthread_attr_destroy(&attr);
		if (rc != 0) {
			/* pthread_create fails with EINVAL too when the new thread
			 * cannot be given its CPU (offline, or out of the cpuset) */
			if (cpu >= 0)
				snprintf(err, errlen, "--threads: thread %u could not be pinned to CPU %d (%s: %s)", t,
					 cpu, call, strerror(rc));
			else
				snprintf(err, errlen, "%s: %s", call, strerror(rc));
			crew_stop(c, j);
			return -1;
		}
		c->n++;
	}
	return 0;
}

int crew_pass(struct crew *c, struct job *j)
{
	for (unsigned t = 1; t < c->n; t++) {
		struct job *w = &c->jobs[t];
		span_pass_start(w);
		w->state = j->state; /* what pass_begin made: one mapping for all */
		w->failed_call = NULL;
	}
	pthread_mutex_lock(&c->mu);
	c->running = c->n - 1;
	c->gen++;
	pthread_cond_broadcast(&c->go);
	pthread_mutex_unlock(&c->mu);
	/* The measuring thread's share under a guard of its own too: a SIGBUS
	 * here must not jump out past the wait for the others, whose faults
	 * would then never be explained, nor their mappings let go. */
	c->rc[0] = sigbus_guard(move_share, j, &c->fault[0]);
	pthread_mutex_lock(&c->mu);
	while (c->running > 0)
		pthread_cond_wait(&c->done, &c->mu);
	pthread_mutex_unlock(&c->mu);
	int rc = 0;
	for (unsigned t = 0; t < c->n; t++) {
		struct job *w = t ? &c->jobs[t] : j;
		if (t) {
			consumer_merge(&j->consumer, &w->consumer);
			j->moves += w->moves; /* the sample's count is of every mover */
			w->moves = 0;
		}
		if (c->rc[t] == SIGBUS_TRAPPED) {
			/* Every mover's fault is explained now that all have stopped,
			 * while the mapping each touched is still there (pass_end may
			 * remove it), and so each mapping is let go of the file: one
			 * that a mover made in move() died with its frame, and its
			 * munmap never ran.  The first failure is the one told. */
			char other[sizeof(c->why)];
			sigbus_explain(&c->fault[t], w, rc == 0 ? c->why : other, sizeof(other));
			if (rc == 0) {
				j->failed_call = c->why;
				j->failed_errno = EFAULT;
			}
			rc = -1;
		} else if (c->rc[t] != 0 && rc == 0) {
			j->failed_call = w->failed_call; /* t 0: already j's */
			j->failed_errno = w->failed_errno;
			rc = -1;
		}
	}
	return rc;
}

void crew_stop(struct crew *c, struct job *j)
{
	if (j->threads <= 1)
		return;
	pthread_mutex_lock(&c->mu);
	c->quit = 1;
	pthread_cond_broadcast(&c->go);
	pthread_mutex_unlock(&c->mu);
	for (unsigned t = 1; t < c->n; t++)
		pthread_join(c->tid[t], NULL);
	for (unsigned t = 1; t < MAX_THREADS; t++)
		if (c->jobs[t].buf_owned && c->jobs[t].buf)
			munmap(c->jobs[t].buf, j->block);
	pthread_cond_destroy(&c->go);
	pthread_cond_destroy(&c->done);
	pthread_mutex_destroy(&c->mu);
	span_share(j, 0, 1);
	c->n = 0;
}
