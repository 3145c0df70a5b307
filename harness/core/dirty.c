/* How many of a file's pages are dirty: see dirty.h. */
#include "dirty.h"

#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

/* How many of the file's pages are dirty, without starting any writeback
 * (posix_fadvise(DONTNEED) would: it writes back before it drops, and for a
 * large file that can make everything look persisted).  Maps the file, reads
 * each page's frame from /proc/self/pagemap and its dirty bit from
 * /proc/kpageflags.  Root only; -1 when it cannot tell. */
#define KPF_DIRTY 4
#define KPF_WRITEBACK 8
#define PAGEMAP_PRESENT (1ULL << 63)
#define PAGEMAP_PFN ((1ULL << 55) - 1)

int64_t file_dirty_pages(int fd, uint64_t size)
{
	long page = sysconf(_SC_PAGESIZE);
	uint64_t pages = (size + (uint64_t)page - 1) / (uint64_t)page;
	int pm = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	int kf = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC);
	/* Populating a shared read mapping faults the cached pages in without
	 * dirtying them; pages not in the cache come clean from the disk. */
	char *map = mmap(NULL, size, PROT_READ, MAP_SHARED | MAP_POPULATE, fd, 0);
	int64_t dirty = -1;
	if (pm >= 0 && kf >= 0 && map != MAP_FAILED) {
		uint64_t entries[512];
		dirty = 0;
		for (uint64_t first = 0; first < pages && dirty >= 0; first += 512) {
			size_t n = pages - first < 512 ? (size_t)(pages - first) : 512;
			off_t at = (off_t)(((uintptr_t)map / (uint64_t)page + first) * sizeof(uint64_t));
			if (pread(pm, entries, n * sizeof(uint64_t), at) != (ssize_t)(n * sizeof(uint64_t))) {
				dirty = -1;
				break;
			}
			for (size_t i = 0; i < n; i++) {
				uint64_t flags, pfn = entries[i] & PAGEMAP_PFN;
				if (!(entries[i] & PAGEMAP_PRESENT) || pfn == 0 ||
				    pread(kf, &flags, sizeof(flags), (off_t)(pfn * sizeof(flags))) != sizeof(flags)) {
					dirty = -1; /* not root: the frame numbers read as 0 */
					break;
				}
				/* under writeback is not on disk yet either */
				dirty += ((flags >> KPF_DIRTY) | (flags >> KPF_WRITEBACK)) & 1;
			}
		}
	}
	if (map != MAP_FAILED)
		munmap(map, size);
	if (pm >= 0)
		close(pm);
	if (kf >= 0)
		close(kf);
	return dirty;
}
