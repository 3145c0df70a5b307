/* pread() with O_DIRECT: the disk DMAs straight into an aligned user buffer,
 * past the page cache.  Cold by nature: whatever the cache holds, every
 * block comes from the device, so a "hot" cell measures the same path. */
#include "direct.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

struct direct {
	int fd;       /* the data file again, O_DIRECT */
	size_t align; /* offsets, lengths and the buffer's address: multiples of it */
	unsigned char *buf; /* used only when the job's own buffer is off the alignment */
};

static void teardown(struct job *j)
{
	struct direct *d = j->state;
	if (d) {
		if (d->fd >= 0)
			close(d->fd);
		free(d->buf);
		free(d);
	}
	j->state = NULL;
}

/* Untimed: the O_DIRECT descriptor and a --block buffer on its alignment. */
static int setup(struct job *j)
{
	struct direct *d = calloc(1, sizeof(*d));
	if (!d)
		return job_fail(j, "calloc");
	j->state = d;
	if ((d->fd = direct_open(j)) < 0)
		return job_fail(j, "open O_DIRECT");
	d->align = direct_align(d->fd);
	if (j->block % d->align != 0) {
		errno = EINVAL; /* refused before the sweep; a file moved under us */
		return job_fail(j, "statx STATX_DIOALIGN");
	}
	if (!(d->buf = direct_buffer(d->align, j->block)))
		return job_fail(j, "posix_memalign");
	return 0;
}

static double predict(const struct job *j)
{
	return spans_of(j, j->block); /* random: spans of --io-size at most */
}

static int move(struct job *j)
{
	struct direct *d = j->state;
	/* Each mover's own --block buffer (page-aligned, from the harness) when
	 * the device's alignment allows it, so threads never share one. */
	unsigned char *buf = (uintptr_t)j->buf % d->align == 0 ? j->buf : d->buf;
	if (buf == d->buf && j->threads > 1) {
		errno = EINVAL; /* an alignment above the page size: one buffer, which threads would share */
		return job_fail(j, "odirect-pread: a buffer aligned to the device for each thread");
	}
	for (struct span s; span_next(j, &s, j->block);) {
		/* The last block's length rounded up: the read stops at EOF. */
		ssize_t n = pread(d->fd, buf, direct_round_up(s.len, d->align), s.off); /* disk -DMA-> buf */
		if (n == 0)
			break;                                          /* file shrank */
		if (n < 0) {
			if (io_retry(j))
				continue;
			return job_fail(j, "pread");
		}
		size_t got = (size_t)n >= s.len ? s.len : (size_t)n;
		if (got < s.len && got % d->align != 0) {       /* stopped off its alignment: at EOF */
			errno = EIO;                            /* the file is shorter than it was */
			return job_fail(j, "pread");
		}
		consume(j, buf, got);                           /* short mid-file: the next read starts aligned */
		span_moved(j, got);
	}
	return 0;
}

const struct strategy strategy_odirect_pread = {
	.name = "odirect-pread",
	.summary = "pread() each block with O_DIRECT into an aligned buffer: DMA past the page cache, cold by nature",
	.sinks = SINK_PROCESS,
	.named_only = 1, /* O_DIRECT: only when --strategy names it */
	.cpu_copies = 0,
	.setup = setup,
	.teardown = teardown,
	.refuse = direct_refuse,
	.move = move,
	.path = "disk --DMA, O_DIRECT, no page cache--> aligned buffer -> consumer (every pass reads the device: "
		"a hot cache changes nothing)",
	.crossings = "one pread() per block: 2 crossings, and a wait for the device each",
	.seed = "not in the article, which follows the page cache: O_DIRECT is how databases keep their own "
		"cache and skip the kernel's copy",
	.predict_syscalls = predict,
};
