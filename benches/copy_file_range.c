/* copy_file_range(): file to file inside the kernel.  The filesystem may
 * copy the bytes through the page cache, or share the blocks (reflink, on
 * btrfs and xfs), or let a network filesystem copy on the server. */
#include "strategy.h"

#include <errno.h>
#include <unistd.h>

static double predict(const struct job *j)
{
	return blocks_of(j->size, 0x7ffff000u); /* at most that much per call */
}

static int move(struct job *j)
{
	off_t in = 0, out = 0;
	while ((uint64_t)in < j->size) {
		ssize_t n = copy_file_range(j->fd, &in, j->out, &out, j->size - (uint64_t)in, 0);
		if (n == 0) {
			errno = EIO;                    /* the file is shorter than it was */
			return job_fail(j, "copy_file_range");
		}
		if (n < 0) {
			if (io_retry(j))
				continue;
			return job_fail(j, "copy_file_range");
		}
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
