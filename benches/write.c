/* write(): the CPU copies each block from our memory into the page cache;
 * the kernel writes the dirty pages to disk later (or at fsync). */
#include "strategy.h"

#include <unistd.h>

static double predict(const struct job *j)
{
	return spans_of(j, j->block) + span_seeks(j); /* random: a seek to each span */
}

static int move(struct job *j)
{
	for (struct span s; span_next(j, &s, j->block); span_moved(j, s.len)) {
		if (!span_follows(j, &s) && lseek(j->out, s.off, SEEK_SET) < 0) /* random order: go there */
			return job_fail(j, "lseek");
		if (write_all(j, j->resident + s.off, s.len) != 0) /* memory -> page cache, at the fd's offset */
			return -1;
	}
	return 0;
}

const struct strategy strategy_write = {
	.name = "write",
	.summary = "write() blocks from memory into a new file: one CPU copy into the page cache",
	.op = OP_WRITE,
	.sinks = SINK_FILE,
	.cpu_copies = 1,
	.move = move,
	.path = "memory --write, CPU copy--> page cache (dirty) -> disk at writeback or fsync",
	.crossings = "one write() per block: 2 crossings",
	.seed = "the write side of traditional I/O; durability needs fsync",
	.predict_syscalls = predict,
};
