/* mmap(MAP_SHARED): map the file and read it as memory.  No copy: the
 * consumer reads the page-cache pages themselves.  The cost moves into page
 * faults, taken on first touch of each page (demand paging), and into
 * setting up and tearing down the mapping, so munmap is timed too. */
#include "strategy.h"

#include <sys/mman.h>

static int move(struct job *j)
{
	if (j->size == 0)
		return 0;                             /* mmap cannot map 0 bytes */
	void *map = mmap(NULL, j->size, PROT_READ, MAP_SHARED, j->fd, 0);
	if (map == MAP_FAILED)
		return job_fail(j, "mmap");
	consume(j, map, j->size);                     /* faults pull pages in */
	if (munmap(map, j->size) != 0)
		return job_fail(j, "munmap");
	return 0;
}

const struct strategy strategy_mmap_shared = {
	.name = "mmap-shared",
	.summary = "mmap(MAP_SHARED) the whole file, read the mapping: zero copies, page faults instead",
	.sinks = SINK_PROCESS,
	.cpu_copies = 0,
	.move = move,
};
