/* What the harness offers strategies besides the consumer: spans, options,
 * failure reporting, the resident copy, and the table of strategies. */
#include "measure.h"
#include "plant.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

const char *const op_names[2] = { "read", "write" };

uint64_t job_option(const struct job *j, const char *name)
{
	for (int i = 0; i < MAX_OPTIONS && j->strategy->options[i].name; i++)
		if (strcmp(j->strategy->options[i].name, name) == 0)
			return j->opt[i];
	abort(); /* a strategy asked for an option it does not declare */
}

const char *const pattern_names[2] = { "seq", "random" };

/* The current random span: its first byte and its end. */
static uint64_t span_start(const struct job *j, uint64_t k)
{
	return j->order[k] * j->io_bytes;
}

static uint64_t span_end(const struct job *j, uint64_t k)
{
	uint64_t end = span_start(j, k) + j->io_bytes;
	return end < j->size ? end : j->size;
}

/* The end of a seq share: its last span's end, or the file's. */
static uint64_t share_end(const struct job *j)
{
	return j->share_hi >= j->nspans ? j->size : j->share_hi * j->io_bytes;
}

static uint64_t splitmix64(uint64_t *x);

/* --duration: spans drawn uniformly with replacement, as mmapbench's rnd(gen),
 * so a span cached earlier can be read again (the page cache's hit rate is
 * what memory pressure changes); no order[] is made. */
static int span_next_endless(struct job *j, struct span *s, size_t max)
{
	if (__atomic_load_n(j->stop, __ATOMIC_RELAXED) || j->nspans == 0) {
		s->off = (off_t)j->size;
		s->len = 0; /* the end: empty (span_next) */
		return 0;
	}
	if (j->span_done == 0)
		j->cur = splitmix64(&j->rng) % j->nspans;
	uint64_t start = j->cur * j->io_bytes, end = start + j->io_bytes < j->size ? start + j->io_bytes : j->size;
	uint64_t at = start + j->span_done, left = end - at;
	s->off = (off_t)at;
	s->len = left < max ? (size_t)left : max;
	j->consumer.at = at;
	return 1;
}

static void span_moved_endless(struct job *j, size_t n)
{
	uint64_t start = j->cur * j->io_bytes, end = start + j->io_bytes < j->size ? start + j->io_bytes : j->size;
	j->span_done += n;
	j->moved_end = start + j->span_done;
	if (j->moved_end >= end) {
		j->span_done = 0;
		/* only this mover writes it; the sampler reads it */
		__atomic_store_n(&j->spans_done, j->spans_done + 1, __ATOMIC_RELAXED);
	}
}

/* The order and the share are decided here, and nowhere else (issue 11).
 * At the end the span is empty: a read there returns 0, as the read that
 * finds the end does, and can never take a byte past the size the job was
 * given, however the file grew since (serve: no byte after a
 * Content-Length, issue 18). */
int span_next(struct job *j, struct span *s, size_t max)
{
	if (j->endless)
		return span_next_endless(j, s, max);
	if (j->stop && __atomic_load_n(j->stop, __ATOMIC_RELAXED)) { /* Ctrl-C: the pass ends at this span */
		s->off = (off_t)j->size;
		s->len = 0;
		return 0;
	}
	if (j->pattern == PATTERN_RANDOM) {
		if (j->span_at >= j->share_hi) { /* done: the end of the file, where EOF is found */
			s->off = (off_t)j->size;
			s->len = 0;
			return 0;
		}
		uint64_t at = span_start(j, j->span_at) + j->span_done, left = span_end(j, j->span_at) - at;
		s->off = (off_t)at;
		s->len = left < max ? (size_t)left : max;
		j->consumer.at = at;
		return 1;
	}
	uint64_t end = share_end(j);
	uint64_t left = j->span_at < end ? end - j->span_at : 0;
	s->off = (off_t)j->span_at;
	s->len = left < max ? (size_t)left : max; /* the end: 0 */
	j->consumer.at = j->span_at;
	return left > 0;
}

/* Every strategy hands each call's bytes over here, whatever the call (a
 * read, a sendfile, an io_uring completion, a memcpy out of a mapping), so
 * the planted wait (--plant-ns) costs the same on every path and counts
 * exactly what it multiplies: moves per pass x the wait is what a pass gains. */
void span_moved(struct job *j, size_t n)
{
	if (n > 0) {
		j->moves++;
		plant_wait(j->plant_ns);
	}
	if (j->endless) {
		span_moved_endless(j, n);
		return;
	}
	if (j->pattern == PATTERN_RANDOM) {
		if (j->span_at >= j->share_hi)
			return;
		j->span_done += n;
		j->moved_end = span_start(j, j->span_at) + j->span_done;
		if (j->moved_end >= span_end(j, j->span_at)) {
			j->span_at++;
			j->span_done = 0;
		}
		return;
	}
	j->span_at += n;
	j->moved_end = j->span_at;
}

void span_plan(struct job *j, enum pattern pattern, uint64_t io_bytes, unsigned threads)
{
	j->pattern = pattern;
	j->io_bytes = io_bytes ? io_bytes : (j->block ? j->block : 1);
	j->threads = threads ? threads : 1;
	j->nspans = (j->size + j->io_bytes - 1) / j->io_bytes;
	span_share(j, 0, 1);
}

void span_share(struct job *j, unsigned t, unsigned n)
{
	j->share_lo = j->nspans * t / n;
	j->share_hi = j->nspans * (t + 1) / n;
}

void span_pass_start(struct job *j)
{
	j->span_done = 0;
	if (j->pattern == PATTERN_RANDOM) {
		j->span_at = j->share_lo;
		j->moved_end = 0; /* where a path that follows an fd's position starts a pass */
	} else {
		j->span_at = j->share_lo >= j->nspans ? j->size : j->share_lo * j->io_bytes;
		j->moved_end = j->span_at;
	}
}

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

int span_order_draw(struct job *j, uint64_t seed)
{
	if (j->pattern != PATTERN_RANDOM || j->nspans == 0 || j->endless)
		return 0;
	if (!j->order) {
		j->order = malloc(j->nspans * sizeof(*j->order));
		if (!j->order) {
			errno = ENOMEM;
			return job_fail(j, "malloc");
		}
	}
	for (uint64_t i = 0; i < j->nspans; i++)
		j->order[i] = i;
	/* Fisher-Yates; the bias of a modulo over 64 bits is far below anything measured. */
	for (uint64_t i = j->nspans - 1; i > 0; i--) {
		uint64_t k = splitmix64(&seed) % (i + 1), t = j->order[i];
		j->order[i] = j->order[k];
		j->order[k] = t;
	}
	return 0;
}

void span_order_free(struct job *j)
{
	free(j->order);
	j->order = NULL;
}

static double pieces(uint64_t bytes, uint64_t max)
{
	return bytes == 0 ? 0 : (double)(bytes / max + (bytes % max != 0));
}

double spans_of(const struct job *j, uint64_t max)
{
	if (j->pattern != PATTERN_RANDOM)
		return pieces(j->size, max);
	uint64_t io = j->io_bytes ? j->io_bytes : j->block;
	return (double)(j->size / io) * pieces(io, max) + pieces(j->size % io, max);
}

/* One a span, but none for a file of one span, whose one order is in order.
 * (An order that happens to go on where it was saves one; not predicted.) */
double span_seeks(const struct job *j)
{
	uint64_t io = j->io_bytes ? j->io_bytes : j->block;
	double n = pieces(j->size, io);
	return j->pattern == PATTERN_RANDOM && n > 1 ? n : 0;
}

int job_fail(struct job *j, const char *call)
{
	j->failed_call = call;
	j->failed_errno = errno;
	return -1;
}

#define RETRY_WAIT_MS 30000

int io_retry(struct job *j)
{
	if (errno == EINTR)
		return 1;
	if (errno != EAGAIN && errno != EWOULDBLOCK)
		return 0;
	if (j->yield_on_full) { /* serve: the worker waits for EPOLLOUT, never here */
		j->would_block = 1;
		return 0;
	}
	/* A full socket that stays full for 30 s has a dead or stuck receiver. */
	struct pollfd p = { .fd = j->out, .events = POLLOUT };
	int n;
	do
		n = poll(&p, 1, RETRY_WAIT_MS);
	while (n < 0 && errno == EINTR);
	if (n > 0 && !(p.revents & (POLLERR | POLLHUP | POLLNVAL)))
		return 1;
	errno = n == 0 ? ETIMEDOUT : EPIPE;
	return 0;
}

int write_all(struct job *j, const void *src, size_t n)
{
	const unsigned char *p = src;
	while (n > 0) {
		ssize_t w = write(j->out, p, n);
		if (w < 0) {
			if (io_retry(j))
				continue;
			if (j->would_block) /* serve: what went out is moved; the caller moves the rest later */
				span_moved(j, (size_t)(p - (const unsigned char *)src));
			return job_fail(j, "write");
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int job_load_resident(struct job *j)
{
	if (j->size == 0)
		return 0;
	/* Anonymous memory, written in full here, so the timed copy takes no faults. */
	unsigned char *mem = mmap(NULL, j->size, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (mem == MAP_FAILED)
		return job_fail(j, "mmap");
	for (uint64_t off = 0; off < j->size;) {
		ssize_t n = pread(j->fd, mem + off, j->size - off, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO; /* the file is shorter than it was */
			job_fail(j, "pread");
			munmap(mem, j->size);
			return -1;
		}
		off += (uint64_t)n;
	}
	j->resident = mem;
	j->resident_owned = 1;
	return 0;
}

void job_free_resident(struct job *j)
{
	if (j->resident && j->resident_owned)
		munmap((void *)j->resident, j->size);
	j->resident = NULL;
	j->resident_owned = 0;
}

#define STRATEGY(x) extern const struct strategy x;
#include "strategies.def"
#undef STRATEGY

const struct strategy *const strategies[] = {
#define STRATEGY(x) &x,
#include "strategies.def"
#undef STRATEGY
};
const size_t strategy_count = sizeof(strategies) / sizeof(strategies[0]);

const struct strategy *strategy_find(const char *name)
{
	for (size_t i = 0; i < strategy_count; i++)
		if (strcmp(strategies[i]->name, name) == 0)
			return strategies[i];
	return NULL;
}
