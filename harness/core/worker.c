#include "worker.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

static int write_full(int fd, const void *p, size_t n)
{
	const char *c = p;
	while (n > 0) {
		ssize_t w = write(fd, c, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

/* 1 all read, 0 end of file at once, -1 error (EINTR only when nothing was read). */
static int read_full(int fd, void *p, size_t n, int eintr_ok)
{
	char *c = p;
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, c + got, n - got);
		if (r < 0 && errno == EINTR && (got > 0 || !eintr_ok))
			continue;
		if (r < 0)
			return -1;
		if (r == 0) {
			if (got == 0)
				return 0;
			errno = EPROTO; /* cut in the middle */
			return -1;
		}
		got += (size_t)r;
	}
	return 1;
}

int worker_send(int fd, uint32_t type, const void *payload, size_t len)
{
	struct wmsg m;
	m.type = type;
	m.len = (uint32_t)len;
	memcpy(&m.u, payload, len);
	return write_full(fd, &m, offsetof(struct wmsg, u) + len);
}

static size_t payload_len(uint32_t type)
{
	return type == WMSG_CALIBRATION ? sizeof(struct wmsg_calibration)
	       : type == WMSG_SAMPLE	? sizeof(struct wmsg_sample)
	       : type == WMSG_END	? sizeof(struct wmsg_end)
					: 0;
}

int worker_receive(int fd, struct wmsg *m)
{
	int r = read_full(fd, m, offsetof(struct wmsg, u), 1);
	if (r <= 0)
		return r;
	if (payload_len(m->type) == 0 || m->len != payload_len(m->type)) {
		errno = EPROTO;
		return -1;
	}
	r = read_full(fd, &m->u, m->len, 0);
	if (r == 0)
		errno = EPROTO;
	return r == 1 ? 1 : -1;
}

uint64_t worker_random(uint64_t *state)
{
	uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

uint64_t worker_seed(uint64_t seed, unsigned i)
{
	uint64_t state = seed ^ (0x576F726BULL << 32); /* "Work" */
	for (unsigned k = 0; k < i; k++)
		worker_random(&state);
	return worker_random(&state);
}

void worker_shuffle(uint64_t *state, size_t *order, size_t n)
{
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	for (size_t i = n; i > 1; i--) {
		size_t j = (size_t)(worker_random(state) % i);
		size_t t = order[i - 1];
		order[i - 1] = order[j];
		order[j] = t;
	}
}
