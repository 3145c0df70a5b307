/* What the harness offers strategies besides the consumer: spans, options,
 * failure reporting, the resident copy, and the table of strategies. */
#include "measure.h"

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

/* Sequential over the whole file for now.  The order (random) and the share
 * (one thread's) will be decided here, and nowhere else (issue 11). */
int span_next(struct job *j, struct span *s, size_t max)
{
	uint64_t left = j->span_at < j->size ? j->size - j->span_at : 0;
	s->off = (off_t)j->span_at;
	s->len = left && left < max ? (size_t)left : max;
	return left > 0;
}

void span_moved(struct job *j, size_t n)
{
	j->span_at += n;
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
