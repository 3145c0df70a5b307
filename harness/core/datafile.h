/* Test data: one file per size, deterministic pseudo-random bytes from a seed.
 * Byte i of every file depends only on (seed, i), so the same size always has
 * the same content and the reference checksum is known without reading it. */
#ifndef IOPATHS_DATAFILE_H
#define IOPATHS_DATAFILE_H

#include <limits.h>
#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>

struct datafile {
	char path[PATH_MAX];
	uint64_t size;
	uint64_t checksum; /* reference: checksum of the content the seed defines */
	int created;       /* 1: this process made it, so it may remove it */
	int fd;            /* open on the file, whatever later happens to its name; -1: none */
};

/* Fill buf with the content at [offset, offset + n); offset must be a multiple of 8. */
void data_fill(uint64_t seed, uint64_t offset, void *buf, size_t n);

/* The 8-byte word at byte offset 8 * index, alone (what data_fill writes there):
 * spans read in an endless random stream are checked against it. */
uint64_t data_word(uint64_t seed, uint64_t index);

/* The reference checksum of a file of `size` bytes from `seed`, without a file. */
uint64_t data_checksum(uint64_t seed, uint64_t size);

/* <dir>/iopaths-<size>-<seed>.dat, open in d->fd: an existing one of that size
 * (left by a --keep run, or made by a run going on now) is reused; every
 * transfer verifies it anyway.  Otherwise it is written under a temporary
 * name that carries this process's PID, fsynced, and put at the final name
 * only if nothing stands there; if another run got there first, its file is
 * used.  So the final name only ever holds a complete file.  A file of that
 * name with another size, or that is not a regular file, is refused and never
 * touched.  *stop is polled so a signal can abort a long write.  0 on success;
 * -1 with a one-line reason in err. */
int datafile_make(struct datafile *d, const char *dir, uint64_t size, uint64_t seed,
		  volatile const int *stop, char *err, size_t errlen);

/* A new read-only open of the data file, with its own file offset; it works
 * even after the run that made the file removed its name.  -1 with errno. */
int datafile_open(const struct datafile *d);

/* Closes d->fd; the file stays. */
void datafile_close(struct datafile *d);

/* Closes d->fd, and removes the file if this process created it (and the
 * name still is that file). */
void datafile_remove(struct datafile *d);

/* Removes, from dir, files that runs killed before they could clean up left:
 * file sinks (iopaths-out-PID-*.dat) and data files being written
 * (iopaths-tmp-PID-*.dat) whose PID, in this PID space, is gone
 * (kill(pid, 0) fails with ESRCH).  A live PID's files, and every other file,
 * are left alone.  Call it before this process makes any file in dir.  Says
 * so on stderr, one line a file; returns how many it removed. */
int datafile_remove_orphans(const char *dir);

/* 8 hex digits naming the PID space of this process's PID (boot and PID
 * namespace); part of the names above. */
const char *pid_space_tag(void);

/* Is the process whose PID (of this PID space) names a leftover gone?  No
 * such process (kill(pid, 0) fails with ESRCH), or this process's own PID,
 * when it has made nothing yet: an earlier holder of its PID did.  What
 * every reclaim of what killed runs left judges by (data files, file sinks,
 * `iopaths demo`'s private folders). */
int owner_gone(pid_t pid);

/* Free bytes for an unprivileged writer in dir, or -1. */
int64_t free_bytes(const char *dir);

#endif
