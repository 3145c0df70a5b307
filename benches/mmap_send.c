/* mmap + send: the seed's static-file server.  The file is mapped, and
 * send() copies straight from the mapping (the page cache) into the socket
 * buffer: the copy into a user buffer is gone, one CPU copy remains. */
#include "strategy.h"

#include <sys/mman.h>
#include <sys/socket.h>

static double predict(const struct job *j)
{
	return j->size ? 2 + spans_of(j, j->block) : 0; /* mmap, a send per block, munmap */
}

static int move(struct job *j)
{
	if (j->size == 0)
		return 0;                                    /* mmap cannot map 0 bytes */
	const char *map = mmap(NULL, j->size, PROT_READ, MAP_SHARED, j->fd, 0);
	if (map == MAP_FAILED)
		return job_fail(j, "mmap");
	for (struct span s; span_next(j, &s, j->block);) {
		ssize_t sent = send(j->out, map + s.off, s.len, MSG_NOSIGNAL); /* page cache -> socket */
		if (sent < 0) {
			if (io_retry(j))
				continue;
			int rc = job_fail(j, "send");
			munmap((void *)map, j->size);
			return rc;
		}
		span_moved(j, (size_t)sent);                          /* short: the rest comes next */
	}
	if (munmap((void *)map, j->size) != 0)
		return job_fail(j, "munmap");
	return 0;
}

const struct strategy strategy_mmap_send = {
	.name = "mmap-send",
	.summary = "mmap() the file, send() from the mapping in blocks: one CPU copy, no user buffer",
	.sinks = SINK_UNIX | SINK_TCP,
	.cpu_copies = 1,
	.move = move,
	.path = "disk -> page cache <-mapped- send(), CPU copy --> socket buffer -> peer",
	.crossings = "mmap, munmap, and one send() per block: 2 crossings each; page faults happen "
		     "inside send(), in the kernel",
	.seed = "zero-copy with mmap + send: the copies drop from four to three (disk to page cache, "
		"page cache to socket buffer, socket buffer to the NIC)",
	.predict_syscalls = predict,
};
