/* mmap(MAP_PRIVATE): a copy-on-write view.  For reading it is the shared
 * mapping's twin: pages are only copied when written, and nobody writes here,
 * so the consumer reads the page cache directly, as with MAP_SHARED. */
#include "strategy.h"

#include <sys/mman.h>

static int move(struct job *j)
{
	if (j->size == 0)
		return 0;                             /* mmap cannot map 0 bytes */
	void *map = mmap(NULL, j->size, PROT_READ, MAP_PRIVATE, j->fd, 0);
	if (map == MAP_FAILED)
		return job_fail(j, "mmap");
	consume(j, map, j->size);                     /* no write, so no copy-on-write */
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
};
