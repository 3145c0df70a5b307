/* read(): the classic path.  Each call copies one block from the page cache
 * into our buffer (copy 1: kernel -> user), then the consumer reads it there. */
#include "strategy.h"

#include <errno.h>
#include <unistd.h>

/* lseek, one read per block, and the last, empty read; random: a
 * seek to each span, and one to the end. */
static double predict(const struct job *j)
{
	return 2 + spans_of(j, j->block) + span_seeks(j) + (span_seeks(j) > 0);
}

static int move(struct job *j)
{
	if (lseek(j->fd, 0, SEEK_SET) != 0)                 /* the same fd serves every pass */
		return job_fail(j, "lseek");
	for (struct span s;;) {
		span_next(j, &s, j->block);                  /* after the last span, an empty one: the end */
		if (!span_follows(j, &s) && lseek(j->fd, s.off, SEEK_SET) < 0) /* random order: go there */
			return job_fail(j, "lseek");
		ssize_t n = read(j->fd, j->buf, s.len);      /* page cache -> buf, at the fd's offset: s.off */
		if (n < 0 && io_retry(j))
			continue;
		if (n <= 0)
			return n ? job_fail(j, "read") : 0;  /* 0: end of file */
		consume(j, j->buf, (size_t)n);               /* short reads are fine */
		span_moved(j, (size_t)n);
	}
}

const struct strategy strategy_read = {
	.name = "read",
	.summary = "read() each block into a buffer: one kernel->user copy per byte",
	.sinks = SINK_PROCESS,
	.cpu_copies = 1,
	.move = move,
	.unthreaded = "read follows the one position of the data file's fd, which threads would share: "
		      "use pread",
	.path = "disk -> page cache --read(), CPU copy--> buffer -> consumer",
	.crossings = "one read() per block: into the kernel and back, 2 crossings",
	.seed = "the traditional path the article starts from: the kernel copies every byte into "
		"a user buffer before the program can look at it",
	.predict_syscalls = predict,
};
