/* pread(): like read(), but every call names its offset, so the file
 * position is never shared state.  Same single copy: page cache -> buffer. */
#include "strategy.h"

#include <errno.h>
#include <unistd.h>

static int move(struct job *j)
{
	uint64_t off = 0;
	while (off < j->size) {
		ssize_t n = pread(j->fd, j->buf, j->block, (off_t)off);   /* page cache -> buf */
		if (n == 0)
			break;                                           /* file shrank */
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return job_fail(j, "pread");
		}
		consume(j, j->buf, (size_t)n);
		off += (uint64_t)n;
	}
	return 0;
}

const struct strategy strategy_pread = {
	.name = "pread",
	.summary = "pread() each block at its offset: one kernel->user copy per byte",
	.sinks = SINK_PROCESS,
	.cpu_copies = 1,
	.move = move,
};
