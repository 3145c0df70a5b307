/* mmap(MAP_PRIVATE): a copy-on-write view.  For reading it is the shared
 * mapping's twin: pages are only copied when written, and nobody writes here,
 * so the consumer reads the page cache directly, as with MAP_SHARED. */
#include "strategy.h"

#include <sys/mman.h>

static double predict(const struct job *j)
{
	return j->size ? 2 : 0; /* mmap, munmap */
}

static int move(struct job *j)
{
	if (j->size == 0)
		return 0;                             /* mmap cannot map 0 bytes */
	char *map = mmap(NULL, j->size, PROT_READ, MAP_PRIVATE, j->fd, 0);
	if (map == MAP_FAILED)
		return job_fail(j, "mmap");
	for (struct span s; span_next(j, &s, SIZE_MAX); span_moved(j, s.len))
		consume(j, map + s.off, s.len);       /* no write, so no copy-on-write */
	if (munmap(map, j->size) != 0)
		return job_fail(j, "munmap");
	return 0;
}

const struct strategy strategy_mmap_private = {
	.name = "mmap-private",
	.summary = "mmap(MAP_PRIVATE) the whole file, read the mapping: zero copies until written",
	.sinks = SINK_PROCESS,
	.cpu_copies = 0,
	.move = move,
	.path = "disk -> page cache <-mapped (mmap, MAP_PRIVATE)- the consumer reads the pages in place",
	.crossings = "mmap and munmap: 4 crossings per file, then one page fault (a kernel entry) "
		     "per fault-around chunk the consumer first touches",
	.seed = "mmap maps the file into the address space, so there is no copy into a user buffer; "
		"pages arrive by demand paging, one page fault at first touch",
	.predict_syscalls = predict,
};
