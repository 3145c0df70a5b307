/* mmap(MAP_SHARED): map the file and read it as memory.  No copy: the
 * consumer reads the page-cache pages themselves.  The cost moves into page
 * faults, taken on first touch of each page (demand paging), and into
 * setting up and tearing down the mapping, so mmap and munmap are timed too
 * (pass_begin, pass_end).  The variants (populate, madvise, map, window) and
 * the code they share with mmap-private are in mapping.h. */
#include "mapping.h"

static int setup(struct job *j)
{
	return mapping_setup(j, MAP_SHARED);
}

const struct strategy strategy_mmap_shared = {
	.name = "mmap-shared",
	.summary = "mmap(MAP_SHARED) the whole file, read the mapping: zero copies, page faults instead",
	.sinks = SINK_PROCESS,
	.cpu_copies = 0,
	.options = { MAPPING_OPTIONS },
	.setup = setup,
	.pass_begin = mapping_pass_begin, /* mmap (map=per-pass, window=0) */
	.move = mapping_move,             /* read the spans; with a window, mmap and munmap each */
	.pass_end = mapping_pass_end,     /* munmap */
	.teardown = mapping_teardown,
	.refuse = mapping_refuse,
	.path = "disk -> page cache <-mapped (mmap, MAP_SHARED)- the consumer reads the pages in place",
	.crossings = "mmap and munmap: 4 crossings per file (per window with window=SIZE, none per pass with "
		     "map=once, 2 more for madvise), then one page fault (a kernel entry) per fault-around "
		     "chunk the consumer first touches (none with populate=on)",
	.seed = "mmap maps the file into the address space, so there is no copy into a user buffer; "
		"pages arrive by demand paging, one page fault at first touch",
	.predict_syscalls = mapping_predict,
};
