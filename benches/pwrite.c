/* pwrite(): write() with the offset in the call, so no shared file position. */
#include "strategy.h"

#include <unistd.h>

static double predict(const struct job *j)
{
	return spans_of(j, j->block);
}

static int move(struct job *j)
{
	for (struct span s; span_next(j, &s, j->block);) {
		ssize_t w = pwrite(j->out, j->resident + s.off, s.len, s.off); /* memory -> page cache */
		if (w < 0) {
			if (io_retry(j))
				continue;
			return job_fail(j, "pwrite");
		}
		span_moved(j, (size_t)w);                    /* short: the rest comes next */
	}
	return 0;
}

const struct strategy strategy_pwrite = {
	.name = "pwrite",
	.summary = "pwrite() blocks at their offsets into a new file: one CPU copy",
	.op = OP_WRITE,
	.sinks = SINK_FILE,
	.cpu_copies = 1,
	.move = move,
	.path = "memory --pwrite, CPU copy--> page cache (dirty) -> disk at writeback or fsync",
	.crossings = "one pwrite() per block: 2 crossings",
	.seed = "as write(), with the offset in the call",
	.predict_syscalls = predict,
};
