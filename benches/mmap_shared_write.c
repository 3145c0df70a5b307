/* Writing through mmap(MAP_SHARED): stores into the mapping land in the page
 * cache of the file itself (page faults allocate the pages); msync decides
 * when they reach the disk: MS_SYNC waits, MS_ASYNC only schedules, and
 * without msync the kernel writes them back whenever it likes. */
#include "strategy.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* The values of its msync option, in the order their cells are made. */
enum { MSYNC_NONE, MSYNC_ASYNC, MSYNC_SYNC };

static double predict(const struct job *j)
{
	return j->size ? 3 + (job_option(j, "msync") != MSYNC_NONE) : 0; /* ftruncate, mmap, [msync], munmap */
}

static int move(struct job *j)
{
	static const int msync_flags[] = { [MSYNC_ASYNC] = MS_ASYNC, [MSYNC_SYNC] = MS_SYNC };
	uint64_t mode = job_option(j, "msync");
	if (j->size == 0)
		return 0;
	if (ftruncate(j->out, (off_t)j->size) != 0)          /* a mapping cannot grow a file */
		return job_fail(j, "ftruncate");
	char *map = mmap(NULL, j->size, PROT_READ | PROT_WRITE, MAP_SHARED, j->out, 0);
	if (map == MAP_FAILED)
		return job_fail(j, "mmap");
	for (struct span s; span_next(j, &s, SIZE_MAX); span_moved(j, s.len))
		memcpy(map + s.off, j->resident + s.off, s.len); /* memory -> page cache, by faults */
	if (mode != MSYNC_NONE && msync(map, j->size, msync_flags[mode]) != 0) {
		int rc = job_fail(j, "msync");
		munmap(map, j->size);
		return rc;
	}
	if (munmap(map, j->size) != 0)
		return job_fail(j, "munmap");
	return 0;
}

const struct strategy strategy_mmap_shared_write = {
	.name = "mmap-shared-write",
	.summary = "ftruncate a new file, mmap(MAP_SHARED) it, memcpy into it, msync per --msync",
	.op = OP_WRITE,
	.sinks = SINK_FILE,
	.cpu_copies = 1,
	.options = { { "msync", "when the pages reach the disk: MS_SYNC waits, MS_ASYNC schedules, none "
		       "leaves them to writeback", OPTION_VALUES("none", "async", "sync"), .dflt = MSYNC_SYNC,
		       .label = LABEL_ALWAYS, .persists = 1 } },
	.move = move,
	.path = "memory --memcpy, CPU copy--> mapped page cache of the file (dirty) -> disk at msync "
		"(MS_SYNC), soon (MS_ASYNC) or at writeback",
	.crossings = "ftruncate, mmap, msync, munmap: 2 crossings each; a page fault per page or "
		     "folio written",
	.seed = "MAP_SHARED: writes go to the file and other processes see them; msync with MS_SYNC "
		"or MS_ASYNC controls when they reach the disk",
	.predict_syscalls = predict,
};
