/* The table of sinks (from sinks.def), and the calls the driver makes on
 * whichever sink a job has.  Each sink's own code is in sink_<name>.c. */
#include "sink.h"

#include "cache.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#define SINK(NAME, name) extern const struct sink_ops sink_##name;
#include "sinks.def"
#undef SINK

static const struct sink_ops *const sink_table[NSINKS] = {
#define SINK(NAME, name) [SINK_BIT_##NAME] = &sink_##name,
#include "sinks.def"
#undef SINK
};

const char *const sink_names[NSINKS] = {
#define SINK(NAME, name) [SINK_BIT_##NAME] = #name,
#include "sinks.def"
#undef SINK
};

const struct sink_ops *sink_ops_of(enum sink bit)
{
	return sink_table[__builtin_ctz(bit)];
}

int sink_open(struct job *j, enum sink kind, const struct sink_opts *o, char *err, size_t errlen)
{
	struct sink_state *st = calloc(1, sizeof(*st));
	if (!st)
		abort();
	st->ops = sink_ops_of(kind);
	j->sink = kind;
	j->sink_state = st;
	j->out = -1;
	/* On failure, the caller's sink_close undoes what was done. */
	return st->ops->open ? st->ops->open(j, o, err, errlen) : 0;
}

void sink_close(struct job *j)
{
	struct sink_state *st = j->sink_state;
	if (!st)
		return;
	if (st->ops->close)
		st->ops->close(j);
	if (j->out >= 0)
		close(j->out);
	free(st);
	j->sink_state = NULL;
	j->out = -1;
}

int sink_arm(struct job *j, enum consume_mode mode, uint64_t expected, char *err, size_t errlen)
{
	const struct sink_ops *ops = j->sink_state->ops;
	return ops->arm ? ops->arm(j, mode, expected, err, errlen) : 0;
}

int sink_drain(struct job *j, unsigned passes, char *err, size_t errlen)
{
	const struct sink_ops *ops = j->sink_state->ops;
	return ops->drain ? ops->drain(j, passes, err, errlen) : 0;
}

int sink_verify(struct job *j, const struct sink_check *c, struct sample *out, char *err, size_t errlen)
{
	const struct sink_ops *ops = j->sink_state->ops;
	return ops->verify ? ops->verify(j, c, out, err, errlen) : 0;
}

int file_checksum(int fd, uint64_t size, int from_disk, void *buf, size_t buflen, uint64_t *sum)
{
	struct checksum c;
	if (from_disk && cache_evict(fd, 0) != 0) /* fsync, then drop the page cache */
		return -1;
	checksum_init(&c);
	for (uint64_t off = 0; off < size;) {
		ssize_t n = pread(fd, buf, buflen, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return -1;
		}
		checksum_update(&c, buf, (size_t)n);
		off += (uint64_t)n;
	}
	*sum = checksum_final(&c);
	return 0;
}
