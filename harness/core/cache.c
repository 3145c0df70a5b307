#include "cache.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

const char *const cache_names[2] = { "hot", "cold" };

int cache_warm(int fd, uint64_t size, void *buf, size_t buflen)
{
	for (uint64_t off = 0; off < size;) {
		ssize_t n = pread(fd, buf, buflen, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n == 0 ? 0 : -1;
		off += (uint64_t)n;
	}
	return 0;
}

int cache_evict(int fd, int drop_caches)
{
	/* Dirty pages cannot be dropped: write them back first. */
	if (fsync(fd) != 0)
		return -1;
	int rc = posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	if (rc != 0) {
		errno = rc;
		return -1;
	}
	if (drop_caches) {
		sync();
		int d = open("/proc/sys/vm/drop_caches", O_WRONLY | O_CLOEXEC);
		if (d < 0)
			return -1;
		ssize_t w = write(d, "3\n", 2);
		int e = errno;
		close(d);
		if (w != 2) {
			errno = w < 0 ? e : EIO;
			return -1;
		}
	}
	return 0;
}

double cache_resident_pct(int fd, uint64_t size)
{
	if (size == 0)
		return NAN;
	long page = sysconf(_SC_PAGESIZE);
	size_t pages = (size_t)((size + (uint64_t)page - 1) / (uint64_t)page);
	/* Mapping does not fault anything in; mincore only looks. */
	void *map = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		return NAN;
	/* A fixed vector, a chunk at a time: this untimed step must not take
	 * more page faults for a bigger file (perf stat cross-checks). */
	static unsigned char vec[4096];
	size_t in = 0;
	for (size_t first = 0; first < pages; first += sizeof(vec)) {
		size_t n = pages - first < sizeof(vec) ? pages - first : sizeof(vec);
		uint64_t len = (uint64_t)n * (uint64_t)page;
		if (first * (uint64_t)page + len > size)
			len = size - first * (uint64_t)page;
		if (mincore((char *)map + first * (uint64_t)page, len, vec) != 0) {
			munmap(map, size);
			return NAN;
		}
		/* cppcheck-suppress knownConditionTrueFalse ; mincore filled vec, which cppcheck cannot see */
		for (size_t i = 0; i < n; i++)
			in += vec[i] & 1;
	}
	munmap(map, size);
	return 100.0 * (double)in / (double)pages;
}

int cache_can_drop(void)
{
	return access("/proc/sys/vm/drop_caches", W_OK) == 0 && geteuid() == 0;
}
