/* read(): the classic path.  Each call copies one block from the page cache
 * into our buffer (copy 1: kernel -> user), then the consumer reads it there. */
#include "strategy.h"

#include <errno.h>
#include <unistd.h>

static int move(struct job *j)
{
	if (lseek(j->fd, 0, SEEK_SET) != 0)                 /* the same fd serves every pass */
		return job_fail(j, "lseek");
	for (;;) {
		ssize_t n = read(j->fd, j->buf, j->block);   /* page cache -> buf */
		if (n == 0)
			return 0;                            /* end of file */
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return job_fail(j, "read");
		}
		consume(j, j->buf, (size_t)n);               /* short reads are fine */
	}
}

const struct strategy strategy_read = {
	.name = "read",
	.summary = "read() each block into a buffer: one kernel->user copy per byte",
	.sinks = SINK_PROCESS,
	.cpu_copies = 1,
	.move = move,
};
