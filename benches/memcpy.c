/* memcpy from memory: the ceiling for copying paths.  The file already sits
 * in anonymous memory (copied there untimed), so this is read()'s copy with
 * no kernel, no syscall and no page cache: no path that copies can beat it.
 * Zero-copy paths (mmap) can, since they skip the copy altogether. */
#include "strategy.h"

#include <string.h>

static int setup(struct job *j)
{
	return job_load_resident(j);                  /* untimed: file -> anonymous memory */
}

static double predict(const struct job *j)
{
	(void)j;
	return 0;
}

static int move(struct job *j)
{
	for (struct span s; span_next(j, &s, j->block); span_moved(j, s.len)) {
		memcpy(j->buf, j->resident + s.off, s.len);   /* memory -> buf */
		consume(j, j->buf, s.len);
	}
	return 0;
}

const struct strategy strategy_memcpy = {
	.name = "memcpy",
	.summary = "memcpy blocks from a resident anonymous copy: the ceiling for paths that copy",
	.sinks = SINK_PROCESS,
	.cpu_copies = 1,
	.setup = setup,
	.move = move,
	.path = "anonymous memory --memcpy, CPU copy--> buffer -> consumer (no kernel)",
	.crossings = "none: no system call at all",
	.seed = "not in the article: the ceiling, read()'s copy without the kernel",
	.predict_syscalls = predict,
};
