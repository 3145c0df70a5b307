/* Writing through mmap(MAP_PRIVATE): copy-on-write.  The first store to each
 * page makes the process a private copy of it; the file never changes.  The
 * consumer reads the mapping back, so the process's own view is verified, and
 * the harness checks the file on disk is byte for byte what it was. */
#include "strategy.h"

#include <string.h>
#include <sys/mman.h>

static double predict(const struct job *j)
{
	return j->size ? 2 : 0; /* mmap, munmap */
}

static int move(struct job *j)
{
	if (j->size == 0)
		return 0;
	char *map = mmap(NULL, j->size, PROT_READ | PROT_WRITE, MAP_PRIVATE, j->fd, 0);
	if (map == MAP_FAILED)
		return job_fail(j, "mmap");
	for (struct span s; span_next(j, &s, SIZE_MAX); span_moved(j, s.len)) {
		memcpy(map + s.off, j->resident + s.off, s.len); /* each page: fault, copy the file's page, write */
		consume(j, map + s.off, s.len);                  /* this process sees its writes... */
	}
	if (munmap(map, j->size) != 0)          /* ...and they are gone: the file never had them */
		return job_fail(j, "munmap");
	return 0;
}

const struct strategy strategy_mmap_private_write = {
	.name = "mmap-private-write",
	.summary = "mmap(MAP_PRIVATE) the data file, write all of it: copy-on-write, file unchanged",
	.op = OP_WRITE,
	.sinks = SINK_PROCESS,
	.cpu_copies = 2,
	.move = move,
	.path = "page cache --fault: kernel copies the page--> private anonymous page <--memcpy, "
		"CPU copy-- memory; the file's pages stay as they were",
	.crossings = "mmap, munmap; a copy-on-write page fault per page (or folio) written",
	.seed = "MAP_PRIVATE: a private copy-on-write view; modifications are kept in separate pages "
		"and never reach the original file",
	.predict_syscalls = predict,
};
