/* Page-cache state of the data file: make it hot or cold, and measure it. */
#ifndef IOPATHS_CACHE_H
#define IOPATHS_CACHE_H

#include <stddef.h>
#include <stdint.h>

enum cache_state { CACHE_HOT, CACHE_COLD };

extern const char *const cache_names[2];

/* Hot: read the whole file (untimed) through buf, a buffer already faulted
 * in, so warming takes no page faults that grow with the file. */
int cache_warm(int fd, uint64_t size, void *buf, size_t buflen);

/* Cold: fsync, then POSIX_FADV_DONTNEED; with drop_caches, also sync and
 * echo 3 > /proc/sys/vm/drop_caches (root).  0, or -1 with errno. */
int cache_evict(int fd, int drop_caches);

/* Share of the file's pages in the page cache, 0..100, by mincore() over a
 * mapping of the file; NaN for an empty file. */
double cache_resident_pct(int fd, uint64_t size);

/* Whether this process may write /proc/sys/vm/drop_caches. */
int cache_can_drop(void);

#endif
