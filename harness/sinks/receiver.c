#include "receiver.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define RECV_BUF (1u << 20)

struct receiver {
	const char *name;          /* the sink's, for messages */
	int peer;                  /* the receiver's end */
	pthread_t thread;
	int thread_started;
	int sender_cpu;
	uint64_t size;
	struct consumer consumer;  /* the receiver's */
	uint64_t pass_bytes;       /* receiver only */
	uint64_t received;         /* atomic */
	uint64_t target;           /* under lock */
	int failed;                /* atomic: the receiver's errno */
	int closing;               /* atomic: the harness is closing the sink */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned char *buf;
};

static cpu_set_t receiver_cpus;

void sink_set_receiver_cpus(const cpu_set_t *allowed)
{
	receiver_cpus = *allowed;
}

static void wake(struct receiver *st)
{
	pthread_mutex_lock(&st->lock);
	pthread_cond_broadcast(&st->cond);
	pthread_mutex_unlock(&st->lock);
}

/* The target is read under the lock the drain sets it under, so either the
 * drain sees these bytes before it sleeps, or this sees its target and wakes
 * it: no wakeup is missed (two atomics alone could both read the old value). */
static void wake_if_done(struct receiver *st, uint64_t got)
{
	pthread_mutex_lock(&st->lock);
	if (got >= st->target)
		pthread_cond_broadcast(&st->cond);
	pthread_mutex_unlock(&st->lock);
}

/* Cut the stream back into passes of `size` bytes for the consumer. */
static void feed(struct receiver *st, const unsigned char *p, size_t n)
{
	while (n > 0) {
		uint64_t left = st->size - st->pass_bytes;
		size_t take = n < left ? n : (size_t)left;
		consumer_take(&st->consumer, p, take);
		st->pass_bytes += take;
		p += take;
		n -= take;
		if (st->pass_bytes == st->size) {
			consumer_end_pass(&st->consumer);
			st->pass_bytes = 0;
		}
	}
}

static void *receive(void *arg)
{
	struct receiver *st = arg;

	/* On the CPUs the process was allowed before pinning, but the sender's,
	 * like a real peer; where that leaves none, alongside the sender. */
	if (st->sender_cpu >= 0) {
		cpu_set_t others = receiver_cpus;
		CPU_CLR(st->sender_cpu, &others);
		if (CPU_COUNT(&others) > 0)
			sched_setaffinity(0, sizeof(others), &others);
	}
	for (;;) {
		ssize_t n = recv(st->peer, st->buf, RECV_BUF, 0);
		if (n == 0)
			break; /* the sender closed: the end */
		if (n < 0) {
			if (errno == EINTR)
				continue;
			__atomic_store_n(&st->failed, errno, __ATOMIC_RELEASE);
			shutdown(st->peer, SHUT_RDWR); /* the sender sees EPIPE, not a full socket */
			wake(st);
			break;
		}
		feed(st, st->buf, (size_t)n);
		wake_if_done(st, __atomic_add_fetch(&st->received, (uint64_t)n, __ATOMIC_SEQ_CST));
	}
	/* An end the harness did not ask for: say so at once, rather than let
	 * the harness wait out its deadline for bytes that will never come. */
	if (!__atomic_load_n(&st->closing, __ATOMIC_ACQUIRE) && !__atomic_load_n(&st->failed, __ATOMIC_ACQUIRE)) {
		__atomic_store_n(&st->failed, ECONNRESET, __ATOMIC_RELEASE);
		wake(st);
	}
	return NULL;
}

int receiver_start(struct job *j, int sender, int peer, const struct sink_opts *o, char *err, size_t errlen)
{
	struct receiver *st = calloc(1, sizeof(*st));
	if (!st)
		abort();
	st->name = j->sink_state->ops->name;
	st->peer = peer;
	st->size = j->size;
	st->sender_cpu = o->sender_cpu;
	j->sink_state->own = st;
	j->out = sender;

	/* A receiver that dies must be an EPIPE error, never a SIGPIPE that kills us. */
	signal(SIGPIPE, SIG_IGN);
	/* Blocking sends return EAGAIN after 30 s, so a receiver that stalls
	 * without dying ends in io_retry's bound, not a hang. */
	struct timeval bound = { .tv_sec = 30 };
	if (setsockopt(j->out, SOL_SOCKET, SO_SNDTIMEO, &bound, sizeof(bound)) != 0) {
		snprintf(err, errlen, "setsockopt: %s", strerror(errno));
		return -1;
	}
	st->buf = malloc(RECV_BUF);
	if (!st->buf)
		abort();
	pthread_mutex_init(&st->lock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&st->cond, &ca);
	pthread_condattr_destroy(&ca);
	st->target = UINT64_MAX;
	consumer_reset(&st->consumer, CONSUME_CHECKSUM, j->size, 0);

	/* Signals go to the main thread, which stops the sweep. */
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGQUIT);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	int rc = pthread_create(&st->thread, NULL, receive, st);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		snprintf(err, errlen, "starting the receiver thread: %s", strerror(rc));
		return -1;
	}
	st->thread_started = 1;
	return 0;
}

void receiver_close(struct job *j)
{
	struct receiver *st = j->sink_state->own;
	if (!st)
		return;
	__atomic_store_n(&st->closing, 1, __ATOMIC_RELEASE);
	if (st->thread_started) {
		if (j->out >= 0)
			shutdown(j->out, SHUT_WR); /* the receiver reads EOF and ends */
		pthread_join(st->thread, NULL);
		pthread_mutex_destroy(&st->lock);
		pthread_cond_destroy(&st->cond);
	}
	if (st->peer >= 0)
		close(st->peer);
	free(st->buf);
	free(st);
	j->sink_state->own = NULL;
}

void sink_kill_receiver(struct job *j)
{
	struct sink_state *s = j->sink_state;
	struct receiver *st = s && s->ops->close == receiver_close ? s->own : NULL;
	if (st && st->peer >= 0)
		shutdown(st->peer, SHUT_RDWR);
}

int receiver_arm(struct job *j, enum consume_mode mode, uint64_t expected, char *err, size_t errlen)
{
	struct receiver *st = j->sink_state->own;
	if (st->target != UINT64_MAX && __atomic_load_n(&st->received, __ATOMIC_SEQ_CST) != st->target) {
		snprintf(err, errlen, "the %s receiver got more bytes after the last sample than it held", st->name);
		return -1;
	}
	/* The receiver is idle: the last sample was drained in full. */
	consumer_reset(&st->consumer, mode, j->size, expected);
	st->pass_bytes = 0;
	pthread_mutex_lock(&st->lock);
	st->target = UINT64_MAX;
	__atomic_store_n(&st->received, 0, __ATOMIC_SEQ_CST);
	pthread_mutex_unlock(&st->lock);
	return 0;
}

int receiver_drain(struct job *j, unsigned passes, char *err, size_t errlen)
{
	struct receiver *st = j->sink_state->own;
	uint64_t target = (uint64_t)passes * j->size;
	struct timespec deadline;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	/* 30 s, plus what the slowest path plausibly needs (20 MiB/s). */
	deadline.tv_sec += 30 + (time_t)(target / (20u << 20));

	int rc = 0;
	pthread_mutex_lock(&st->lock);
	st->target = target;
	while (__atomic_load_n(&st->received, __ATOMIC_SEQ_CST) < target &&
	       !__atomic_load_n(&st->failed, __ATOMIC_ACQUIRE) && rc == 0)
		rc = pthread_cond_timedwait(&st->cond, &st->lock, &deadline);
	pthread_mutex_unlock(&st->lock);

	int failed = __atomic_load_n(&st->failed, __ATOMIC_ACQUIRE);
	uint64_t got = __atomic_load_n(&st->received, __ATOMIC_ACQUIRE);
	if (failed) {
		snprintf(err, errlen, "the %s receiver failed: %s", st->name,
			 failed == ECONNRESET ? "it stopped before all bytes arrived" : strerror(failed));
		return -1;
	}
	if (got < target) {
		snprintf(err, errlen, "the %s receiver got %llu of %llu bytes before its deadline", st->name,
			 (unsigned long long)got, (unsigned long long)target);
		return -1;
	}
	return 0;
}

int receiver_verify(struct job *j, const struct sink_check *c, struct sample *out, char *err, size_t errlen)
{
	struct receiver *st = j->sink_state->own;
	struct consumer *rc = &st->consumer;
	unsigned passes = c->passes;
	uint64_t got = __atomic_load_n(&st->received, __ATOMIC_SEQ_CST);
	if (got != (uint64_t)passes * j->size) {
		snprintf(err, errlen, "the %s receiver got %llu bytes for %u passes of %llu", st->name,
			 (unsigned long long)got, passes, (unsigned long long)j->size);
		return -1;
	}
	if (rc->passes_bad || (j->size > 0 && rc->passes_ok != passes)) {
		snprintf(err, errlen, "the %s receiver got bytes that do not match the file (%llu of %u passes bad)",
			 st->name, (unsigned long long)(rc->passes_bad + passes - rc->passes_ok - rc->passes_bad), passes);
		return -1;
	}
	out->verified = rc->mode == CONSUME_CHECKSUM;
	return 0;
}
