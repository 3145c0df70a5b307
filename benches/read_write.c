/* read() + write(): the traditional way a server sends a file.  The CPU
 * copies every block twice: page cache -> our buffer (read), then buffer ->
 * socket buffer or the destination's page cache (write).  With the two DMA
 * copies (disk -> page cache, socket -> NIC) that is the seed's four copies. */
#include "strategy.h"

#include <unistd.h>

/* lseek, a read and a write per block, the last read (empty: the end);
 * random: both fds sought to each span, and to the end. */
static double predict(const struct job *j)
{
	return 2 + 2 * spans_of(j, j->block) + 2 * (span_seeks(j) + (span_seeks(j) > 0));
}

static int move(struct job *j)
{
	off_t at = (off_t)j->moved_end;                     /* a pass's start: 0; serve's resumed move: */
	if (lseek(j->fd, at, SEEK_SET) != at)               /* where the bytes stopped */
		return job_fail(j, "lseek");
	for (struct span s;;) {
		span_next(j, &s, j->block);                 /* after the last span, an empty one: the end */
		if (!span_follows(j, &s) && (lseek(j->fd, s.off, SEEK_SET) < 0 || /* random order: go there, */
					     lseek(j->out, s.off, SEEK_SET) < 0)) /* in the copy too */
			return job_fail(j, "lseek");
		ssize_t n = read(j->fd, j->buf, s.len);     /* page cache -> buf, at the fd's offset: s.off */
		if (n < 0 && io_retry(j))
			continue;
		if (n <= 0)
			return n ? job_fail(j, "read") : 0; /* 0: end of file */
		if (write_all(j, j->buf, (size_t)n) != 0)   /* buf -> sink */
			return -1;
		span_moved(j, (size_t)n);
	}
}

const struct strategy strategy_read_write = {
	.name = "read-write",
	.summary = "read() a block into a buffer, write() it to the sink: two CPU copies",
	.sinks = SINK_UNIX | SINK_TCP | SINK_FILE | SINK_NULL,
	.cpu_copies = 2,
	.move = move,
	.path = "disk -> page cache --read, CPU copy--> buffer --write, CPU copy--> socket buffer "
		"or page cache -> peer",
	.crossings = "read() and write() per block: 4 crossings",
	.seed = "traditional I/O: four copies (disk to page cache, page cache to user buffer, user "
		"buffer to socket buffer, socket buffer to the NIC), two of them by the CPU",
	.predict_syscalls = predict,
};
