/* copy_file_range(): file to file inside the kernel.  The filesystem may
 * copy the bytes through the page cache, or share the blocks (reflink, on
 * btrfs and xfs), or let a network filesystem copy on the server. */
#include "strategy.h"

#include <errno.h>
#include <unistd.h>

static double predict(const struct job *j)
{
	return spans_of(j, 0x7ffff000u); /* at most that much per call */
}

static int move(struct job *j)
{
	for (struct span s; span_next(j, &s, SIZE_MAX);) {      /* the rest of the file, in one span */
		off_t out = s.off;                               /* the same offset in the new file */
		ssize_t n = copy_file_range(j->fd, &s.off, j->out, &out, s.len, 0); /* in the kernel */
		if (n == 0) {
			errno = EIO;                    /* the file is shorter than it was */
			return job_fail(j, "copy_file_range");
		}
		if (n < 0) {
			if (io_retry(j))
				continue;
			return job_fail(j, "copy_file_range");
		}
		span_moved(j, (size_t)n);
	}
	return 0;
}

const struct strategy strategy_copy_file_range = {
	.name = "copy-file-range",
	.summary = "copy_file_range() file to file in the kernel (or a reflink, where the fs can)",
	.sinks = SINK_FILE,
	.cpu_copies = 1,
	.move = move,
	.path = "disk -> page cache --copy_file_range, in the kernel--> destination page cache -> disk "
		"(or shared blocks: no copy at all)",
	.crossings = "one call per 2 GiB",
	.seed = "not in the article: the in-kernel copy for file-to-file transfers",
	.predict_syscalls = predict,
};
