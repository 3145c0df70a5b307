/* sendfile(): the kernel moves the bytes from the page cache to the sink
 * itself; they never enter user space.  To a socket it still copies them
 * into the socket buffer (one CPU copy); to a file, into its page cache. */
#include "strategy.h"

#include <errno.h>
#include <sys/sendfile.h>
#include <unistd.h>

#define SENDFILE_MAX 0x7ffff000u /* the most one call moves */

static double predict(const struct job *j)
{
	return spans_of(j, SENDFILE_MAX) + span_seeks(j); /* random: the sink sought to each span */
}

static int move(struct job *j)
{
	for (struct span s; span_next(j, &s, SENDFILE_MAX);) { /* the rest of the file, as far as a call goes */
		if (!span_follows(j, &s) && lseek(j->out, s.off, SEEK_SET) < 0) /* random order: a file sink */
			return job_fail(j, "lseek");                     /* writes at its own position */
		ssize_t n = sendfile(j->out, j->fd, &s.off, s.len); /* page cache -> sink; the fd's offset unused */
		if (n == 0) {                   /* the file is shorter than it was */
			errno = EIO;
			return job_fail(j, "sendfile");
		}
		if (n < 0) {
			if (io_retry(j))
				continue;
			return job_fail(j, "sendfile");
		}
		span_moved(j, (size_t)n);
	}
	return 0;
}

const struct strategy strategy_sendfile = {
	.name = "sendfile",
	.summary = "sendfile() from the file to the sink: the kernel moves it, no user-space copy",
	.sinks = SINK_UNIX | SINK_TCP | SINK_FILE | SINK_NULL,
	.cpu_copies = 1,
	.move = move,
	.path = "disk -> page cache --sendfile, CPU copy in the kernel--> socket buffer or page "
		"cache -> peer",
	.crossings = "one sendfile() per 2 GiB: 2 crossings for a whole file",
	.seed = "zero-copy transfer: the article's point taken further; the data never visits user "
		"space and the syscalls per file collapse to one",
	.predict_syscalls = predict,
};
