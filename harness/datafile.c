#include "datafile.h"

#include "checksum.h"
#include "units.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#define CHUNK (1u << 20)

/* splitmix64 over the word index: a counter-based generator, so any part of
 * the file can be produced without the parts before it. */
static uint64_t word_at(uint64_t seed, uint64_t index)
{
	uint64_t x = seed + (index + 1) * 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

void data_fill(uint64_t seed, uint64_t offset, void *buf, size_t n)
{
	unsigned char *p = buf;
	uint64_t index = offset / 8;

	for (; n >= 8; n -= 8, p += 8) {
		uint64_t w = word_at(seed, index++);
		memcpy(p, &w, 8);
	}
	if (n > 0) {
		uint64_t w = word_at(seed, index);
		memcpy(p, &w, n);
	}
}

uint64_t data_checksum(uint64_t seed, uint64_t size)
{
	unsigned char *buf = malloc(CHUNK);
	struct checksum c;

	if (!buf)
		abort();
	memset(buf, 0xff, CHUNK); /* faulted in whatever the size (not 0: see datafile_make) */
	checksum_init(&c);
	for (uint64_t off = 0; off < size; off += CHUNK) {
		size_t n = size - off < CHUNK ? (size_t)(size - off) : CHUNK;
		data_fill(seed, off, buf, n);
		checksum_update(&c, buf, n);
	}
	free(buf);
	return checksum_final(&c);
}

static int write_all(int fd, const unsigned char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int datafile_make(struct datafile *d, const char *dir, uint64_t size, uint64_t seed,
		  volatile const int *stop, char *err, size_t errlen)
{
	struct stat st;
	char need[32], have[32];

	memset(d, 0, sizeof(*d));
	d->size = size;
	snprintf(d->path, sizeof(d->path), "%s/iopaths-%llu-%016llx.dat", dir,
		 (unsigned long long)size, (unsigned long long)seed);

	if (lstat(d->path, &st) == 0) {
		if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size != size) {
			snprintf(err, errlen, "%s exists and is not an iopaths data file of %llu bytes; "
				 "not touching it", d->path, (unsigned long long)size);
			return -1;
		}
		d->checksum = data_checksum(seed, size);
		return 0;
	}

	int64_t avail = free_bytes(dir);
	if (avail >= 0 && (uint64_t)avail < size) {
		format_bytes(size, need, sizeof(need));
		format_bytes((uint64_t)avail, have, sizeof(have));
		snprintf(err, errlen, "%s: needs %s free for a data file, has %s", dir, need, have);
		return -1;
	}

	int fd = open(d->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", d->path, strerror(errno));
		return -1;
	}
	d->created = 1;

	/* Touched in full now, so making a file takes the same page faults
	 * whatever its size (perf stat's whole-process count is compared). */
	unsigned char *buf = malloc(CHUNK);
	struct checksum c;
	int rc = buf ? 0 : -1;
	if (buf) /* not 0: the compiler turns malloc + memset(0) into calloc, which touches nothing */
		memset(buf, 0xff, CHUNK);
	checksum_init(&c);
	for (uint64_t off = 0; rc == 0 && off < size; off += CHUNK) {
		size_t n = size - off < CHUNK ? (size_t)(size - off) : CHUNK;
		if (stop && *stop) {
			snprintf(err, errlen, "interrupted while writing %s", d->path);
			rc = -1;
			break;
		}
		data_fill(seed, off, buf, n);
		checksum_update(&c, buf, n);
		if (write_all(fd, buf, n) != 0) {
			snprintf(err, errlen, "%s: write: %s", d->path, strerror(errno));
			rc = -1;
		}
	}
	free(buf);
	if (rc == 0 && fsync(fd) != 0) { /* the data is on disk before any cold-cache run */
		snprintf(err, errlen, "%s: fsync: %s", d->path, strerror(errno));
		rc = -1;
	}
	if (close(fd) != 0 && rc == 0) {
		snprintf(err, errlen, "%s: close: %s", d->path, strerror(errno));
		rc = -1;
	}
	if (rc != 0) {
		datafile_remove(d);
		return -1;
	}
	d->checksum = checksum_final(&c);
	return 0;
}

void datafile_remove(struct datafile *d)
{
	if (d->created && unlink(d->path) != 0 && errno != ENOENT)
		fprintf(stderr, "iopaths: warning: could not remove %s: %s\n", d->path, strerror(errno));
	d->created = 0;
}

int64_t free_bytes(const char *dir)
{
	struct statvfs sv;
	if (statvfs(dir, &sv) != 0)
		return -1;
	return (int64_t)((uint64_t)sv.f_bavail * sv.f_frsize);
}
