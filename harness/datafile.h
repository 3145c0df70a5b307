/* Test data: one file per size, deterministic pseudo-random bytes from a seed.
 * Byte i of every file depends only on (seed, i), so the same size always has
 * the same content and the reference checksum is known without reading it. */
#ifndef IOPATHS_DATAFILE_H
#define IOPATHS_DATAFILE_H

#include <limits.h>
#include <stdint.h>
#include <stddef.h>

struct datafile {
	char path[PATH_MAX];
	uint64_t size;
	uint64_t checksum; /* reference: checksum of the content the seed defines */
	int created;       /* 1: this process made it, so it may remove it */
};

/* Fill buf with the content at [offset, offset + n); offset must be a multiple of 8. */
void data_fill(uint64_t seed, uint64_t offset, void *buf, size_t n);

/* The reference checksum of a file of `size` bytes from `seed`, without a file. */
uint64_t data_checksum(uint64_t seed, uint64_t size);

/* Create <dir>/iopaths-<size>-<seed>.dat, or reuse one of that name and size left
 * by an earlier --keep run (every transfer verifies it anyway).  Refuses to touch
 * a file of that name with another size.  *stop is polled so a signal can abort
 * a long write.  0 on success; -1 with a one-line reason in err. */
int datafile_make(struct datafile *d, const char *dir, uint64_t size, uint64_t seed,
		  volatile const int *stop, char *err, size_t errlen);

/* Removes the file only if this process created it. */
void datafile_remove(struct datafile *d);

/* Free bytes for an unprivileged writer in dir, or -1. */
int64_t free_bytes(const char *dir);

#endif
