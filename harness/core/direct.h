/* O_DIRECT, offered to the strategies that bypass the page cache
 * (odirect-pread, io-uring direct=on) as the harness offers spans and the
 * resident copy: the alignment a file's direct reads need, their own
 * O_DIRECT descriptor and buffer, and the check that refuses a run before
 * the sweep when --dir's filesystem cannot do direct I/O or --block (or a
 * random --io-size) is not aligned.
 *
 * Direct reads need an aligned buffer, offset and length.  Offsets are
 * multiples of --block, so --block must be a multiple of the alignment; the
 * file's last block is read with its length rounded up, and the read returns
 * short at EOF with exactly the bytes the file has. */
#ifndef IOPATHS_DIRECT_H
#define IOPATHS_DIRECT_H

#include "strategy.h"

#include <stddef.h>

/* The alignment of direct reads on the file `fd` (statx STATX_DIOALIGN,
 * Linux 6.1; else 4096). */
size_t direct_align(int fd);
/* A second descriptor of the job's data file, opened O_DIRECT: its own file
 * description, so the harness's fd keeps its flags.  -1 with errno. */
int direct_open(const struct job *j);
/* An aligned buffer of `n` bytes, written once so the timed region takes no
 * faults on it; free() it.  NULL with errno. */
void *direct_buffer(size_t align, size_t n);
/* x rounded up to a multiple of a (a power of two). */
static inline size_t direct_round_up(size_t x, size_t a)
{
	return (x + a - 1) & ~(a - 1);
}
/* A strategy's .refuse: can files in `dir` be read O_DIRECT in --block
 * reads?  0, or -1 with one line in why. */
int direct_refuse(const struct job *j, const char *dir, int cold, char *why, size_t len);

#endif
