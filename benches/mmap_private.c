/* mmap(MAP_PRIVATE): a copy-on-write view.  For reading it is the shared
 * mapping's twin: pages are only copied when written, and nobody writes here,
 * so the consumer reads the page cache directly, as with MAP_SHARED.  So all
 * of mapping.h's variants mean the same here (populate maps the cache's
 * pages read-only, it copies none). */
#include "mapping.h"

static int setup(struct job *j)
{
	return mapping_setup(j, MAP_PRIVATE);
}

const struct strategy strategy_mmap_private = {
	.name = "mmap-private",
	.summary = "mmap(MAP_PRIVATE) the whole file, read the mapping: zero copies until written",
	.sinks = SINK_PROCESS,
	.cpu_copies = 0,
	.options = { MAPPING_OPTIONS },
	.setup = setup,
	.pass_begin = mapping_pass_begin, /* mmap (map=per-pass, window=0) */
	.move = mapping_move,             /* no write, so no copy-on-write */
	.pass_end = mapping_pass_end,     /* munmap */
	.teardown = mapping_teardown,
	.refuse = mapping_refuse,
	.path = "disk -> page cache <-mapped (mmap, MAP_PRIVATE)- the consumer reads the pages in place",
	.crossings = "mmap and munmap: 4 crossings per file (per window with window=SIZE, none per pass with "
		     "map=once, 2 more for madvise), then one page fault (a kernel entry) per fault-around "
		     "chunk the consumer first touches (none with populate=on)",
	.seed = "mmap maps the file into the address space, so there is no copy into a user buffer; "
		"pages arrive by demand paging, one page fault at first touch",
	.predict_syscalls = mapping_predict,
};
