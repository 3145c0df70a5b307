/* How many of a file's pages are dirty in the page cache: written, not yet
 * on disk.  For the file sink's persisted column and the msync demo. */
#ifndef IOPATHS_DIRTY_H
#define IOPATHS_DIRTY_H

#include <stdint.h>

/* The dirty (or under writeback) pages among the first `size` bytes of the
 * file `fd`, without starting any writeback.  Root only (/proc/kpageflags);
 * -1 when it cannot tell. */
int64_t file_dirty_pages(int fd, uint64_t size);

#endif
