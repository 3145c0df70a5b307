/* pread(): like read(), but every call names its offset, so the file
 * position is never shared state.  Same single copy: page cache -> buffer. */
#include "strategy.h"

#include <errno.h>
#include <unistd.h>

static double predict(const struct job *j)
{
	return spans_of(j, j->block);
}

static int move(struct job *j)
{
	for (struct span s; span_next(j, &s, j->block);) {
		ssize_t n = pread(j->fd, j->buf, s.len, s.off);         /* page cache -> buf */
		if (n == 0)
			break;                                           /* file shrank */
		if (n < 0) {
			if (io_retry(j))
				continue;
			return job_fail(j, "pread");
		}
		consume(j, j->buf, (size_t)n);
		span_moved(j, (size_t)n);                                /* short: the rest comes next */
	}
	return 0;
}

const struct strategy strategy_pread = {
	.name = "pread",
	.summary = "pread() each block at its offset: one kernel->user copy per byte",
	.sinks = SINK_PROCESS,
	.cpu_copies = 1,
	.move = move,
	.path = "disk -> page cache --pread(), CPU copy--> buffer -> consumer",
	.crossings = "one pread() per block: 2 crossings",
	.seed = "read() with the offset in the call: the same single copy into user space",
	.predict_syscalls = predict,
};
