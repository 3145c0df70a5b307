/* O_DIRECT for the strategies (direct.h). */
#include "direct.h"

#include "meta.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#define DIRECT_ALIGN_FALLBACK 4096 /* every logical block size Linux has, when statx does not say */
#define TMPFS_MAGIC_NUMBER 0x01021994

size_t direct_align(int fd)
{
	struct statx st;
	if (statx(fd, "", AT_EMPTY_PATH, STATX_DIOALIGN, &st) != 0 || !(st.stx_mask & STATX_DIOALIGN))
		return DIRECT_ALIGN_FALLBACK;
	return st.stx_dio_offset_align > st.stx_dio_mem_align ? st.stx_dio_offset_align : st.stx_dio_mem_align;
}

int direct_open(const struct job *j)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", j->fd);
	return open(path, O_RDONLY | O_DIRECT | O_CLOEXEC);
}

void *direct_buffer(size_t align, size_t n)
{
	void *p = NULL;
	int e = posix_memalign(&p, align < sizeof(void *) ? sizeof(void *) : align, n ? n : align);
	if (e != 0) {
		errno = e;
		return NULL;
	}
	memset(p, 0, n ? n : align);
	return p;
}

/* A probe file is made in dir, opened O_DIRECT and removed. */
int direct_refuse(const struct job *j, const char *dir, int cold, char *why, size_t len)
{
	(void)cold; /* O_DIRECT passes the page cache by: hot or cold, the same */
	char probe[PATH_MAX];
	struct statfs sf;
	struct mount mt;
	mount_of(dir, &mt); /* its type names the filesystem in the refusal ("NA" if unknown) */
	/* tmpfs accepts O_DIRECT since Linux 6.6, but its files are page-cache
	 * pages: the reads would be buffered ones under another name. */
	if (statfs(dir, &sf) == 0 && sf.f_type == TMPFS_MAGIC_NUMBER) {
		snprintf(why, len, "%s: --dir %s is on %s, whose files live in memory: it has no direct I/O to "
			 "measure (put --dir on a disk filesystem)", j->strategy->name, dir, mt.type);
		return -1;
	}
	snprintf(probe, sizeof(probe), "%s/.iopaths-direct-XXXXXX", dir);
	int fd = mkstemp(probe);
	if (fd < 0) {
		snprintf(why, len, "%s: --dir %s: a probe file: %s", j->strategy->name, dir, strerror(errno));
		return -1;
	}
	close(fd);
	fd = open(probe, O_RDONLY | O_DIRECT | O_CLOEXEC);
	int e = errno;
	if (fd < 0) {
		unlink(probe);
		snprintf(why, len, "%s: --dir %s is on %s, which refuses O_DIRECT (%s)", j->strategy->name, dir, mt.type,
			 strerror(e));
		return -1;
	}
	size_t align = direct_align(fd);
	close(fd);
	unlink(probe);
	if (j->block % align != 0) {
		snprintf(why, len, "%s: --block %zu is not a multiple of %zu, the direct I/O alignment of %s at %s",
			 j->strategy->name, j->block, align, mt.type, dir);
		return -1;
	}
	if (j->pattern == PATTERN_RANDOM && j->io_bytes % align != 0) { /* random spans start at multiples of it */
		snprintf(why, len, "%s: --io-size %llu is not a multiple of %zu, the direct I/O alignment of %s at %s",
			 j->strategy->name, (unsigned long long)j->io_bytes, align, mt.type, dir);
		return -1;
	}
	return 0;
}
