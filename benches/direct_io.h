/* O_DIRECT for the strategies that bypass the page cache (odirect-pread,
 * io-uring direct=on): the alignment a file's direct reads need, their own
 * O_DIRECT descriptor, and the check that refuses a run before the sweep when
 * --dir's filesystem cannot do direct I/O or --block is not aligned.
 *
 * Direct reads need an aligned buffer, offset and length.  Offsets are
 * multiples of --block, so --block must be a multiple of the alignment; the
 * file's last block is read with its length rounded up, and the read returns
 * short at EOF with exactly the bytes the file has. */
#ifndef IOPATHS_DIRECT_IO_H
#define IOPATHS_DIRECT_IO_H

#include "strategy.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define DIRECT_ALIGN_FALLBACK 4096 /* every logical block size Linux has, when statx does not say */
#define TMPFS_MAGIC_NUMBER 0x01021994

/* The alignment of direct reads on the file `fd` (statx STATX_DIOALIGN,
 * Linux 6.1; else 4096); 0 when the filesystem says it has no direct I/O. */
static inline size_t direct_align(int fd)
{
	struct statx st;
	if (statx(fd, "", AT_EMPTY_PATH, STATX_DIOALIGN, &st) != 0 || !(st.stx_mask & STATX_DIOALIGN))
		return DIRECT_ALIGN_FALLBACK;
	return st.stx_dio_offset_align > st.stx_dio_mem_align ? st.stx_dio_offset_align : st.stx_dio_mem_align;
}

/* A second descriptor of the job's data file, opened O_DIRECT: its own file
 * description, so the harness's fd keeps its flags.  -1 with errno. */
static inline int direct_open(const struct job *j)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", j->fd);
	return open(path, O_RDONLY | O_DIRECT | O_CLOEXEC);
}

/* An aligned buffer of `n` bytes, written once so the timed region takes no
 * faults on it.  NULL with errno. */
static inline void *direct_buffer(size_t align, size_t n)
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

/* x rounded up to a multiple of a (a power of two). */
static inline size_t direct_round_up(size_t x, size_t a)
{
	return (x + a - 1) & ~(a - 1);
}

/* The name of the filesystem `dir` is on, from /proc/self/mountinfo (the
 * last mount of its device), else statfs's magic number in hex. */
static inline void direct_fs_name(const char *dir, char *out, size_t len)
{
	struct stat st;
	struct statfs sf;
	snprintf(out, len, "unknown");
	if (statfs(dir, &sf) == 0)
		snprintf(out, len, "filesystem 0x%llx", (unsigned long long)sf.f_type);
	FILE *f = fopen("/proc/self/mountinfo", "re");
	if (!f || stat(dir, &st) != 0) {
		if (f)
			fclose(f);
		return;
	}
	char line[4096], dev[32];
	snprintf(dev, sizeof(dev), " %u:%u ", major(st.st_dev), minor(st.st_dev));
	while (fgets(line, sizeof(line), f)) {
		const char *sep = strstr(line, " - ");
		char type[64];
		if (strstr(line, dev) && sep && sscanf(sep + 3, "%63s", type) == 1)
			snprintf(out, len, "%s", type); /* the last one wins: a mount over an earlier one */
	}
	fclose(f);
}

/* Before the sweep: can files in `dir` be read O_DIRECT in --block (j->block)
 * reads?  A probe file is made, opened O_DIRECT and removed.  0, or -1 with
 * one line in why. */
static inline int direct_refuse(const struct job *j, const char *dir, int cold, char *why, size_t len)
{
	(void)cold; /* O_DIRECT passes the page cache by: hot or cold, the same */
	char probe[PATH_MAX], fs[64];
	struct statfs sf;
	direct_fs_name(dir, fs, sizeof(fs));
	/* tmpfs accepts O_DIRECT since Linux 6.6, but its files are page-cache
	 * pages: the reads would be buffered ones under another name. */
	if (statfs(dir, &sf) == 0 && sf.f_type == TMPFS_MAGIC_NUMBER) {
		snprintf(why, len, "%s: --dir %s is on %s, whose files live in memory: it has no direct I/O to "
			 "measure (put --dir on a disk filesystem)", j->strategy->name, dir, fs);
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
	size_t align = fd >= 0 ? direct_align(fd) : 0;
	if (fd >= 0)
		close(fd);
	unlink(probe);
	if (fd < 0 || align == 0) {
		snprintf(why, len, "%s: --dir %s is on %s, which refuses O_DIRECT (%s)", j->strategy->name, dir, fs,
			 fd < 0 ? strerror(e) : "statx gives no direct I/O alignment");
		return -1;
	}
	if (j->block % align != 0) {
		snprintf(why, len, "%s: --block %zu is not a multiple of %zu, the direct I/O alignment of %s at %s",
			 j->strategy->name, j->block, align, fs, dir);
		return -1;
	}
	if (j->pattern == PATTERN_RANDOM && j->io_bytes % align != 0) { /* random spans start at multiples of it */
		snprintf(why, len, "%s: --io-size %llu is not a multiple of %zu, the direct I/O alignment of %s at %s",
			 j->strategy->name, (unsigned long long)j->io_bytes, align, fs, dir);
		return -1;
	}
	return 0;
}

#endif
