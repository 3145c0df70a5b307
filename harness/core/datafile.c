#include "datafile.h"

#include "checksum.h"
#include "units.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#define CHUNK (1u << 20)

/* splitmix64 over the word index: a counter-based generator, so any part of
 * the file can be produced without the parts before it. */
uint64_t data_word(uint64_t seed, uint64_t index)
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
		uint64_t w = data_word(seed, index++);
		memcpy(p, &w, 8);
	}
	if (n > 0) {
		uint64_t w = data_word(seed, index);
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

/* What stands at the final name: 1 a data file of this size, now open in
 * d->fd; 0 nothing; -1 something else (refused, never touched). */
static int open_existing(struct datafile *d, char *err, size_t errlen)
{
	struct stat st;
	if (lstat(d->path, &st) != 0) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "%s: %s", d->path, strerror(errno));
		return -1;
	}
	/* O_NONBLOCK: a FIFO planted here since the lstat must not hang the open. */
	int fd = S_ISREG(st.st_mode) ? open(d->path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC) : -1;
	if (fd < 0 && S_ISREG(st.st_mode) && errno == ENOENT)
		return 0; /* removed since the lstat: by the run that made it */
	if (fd >= 0 && fstat(fd, &st) != 0)
		st.st_mode = 0;
	if (fd < 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size != d->size) {
		snprintf(err, errlen, "%s exists and is not an iopaths data file of %llu bytes; not touching it",
			 d->path, (unsigned long long)d->size);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	d->fd = fd;
	return 1;
}

/* Writes the file under this process's own temporary name and puts it at
 * the final name only when it is complete and on disk, without ever
 * replacing what stands there: a run killed while writing leaves a
 * temporary (removed by the next run, see datafile_remove_orphans), never a
 * partial file under the final name.  1 in place, 0 another run put its
 * file there first (ours is removed), -1 error. */
static int create(struct datafile *d, const char *dir, uint64_t seed, volatile const int *stop, char *err,
		  size_t errlen)
{
	char tmp[PATH_MAX + 64];
	int64_t avail = free_bytes(dir);
	if (avail >= 0 && (uint64_t)avail < d->size) {
		char need[32], have[32];
		format_bytes(d->size, need, sizeof(need));
		format_bytes((uint64_t)avail, have, sizeof(have));
		snprintf(err, errlen, "%s: needs %s free for a data file, has %s", dir, need, have);
		return -1;
	}
	snprintf(tmp, sizeof(tmp), "%s/iopaths-tmp-%d-%s-%llu-%016llx.dat", dir, (int)getpid(), pid_space_tag(),
		 (unsigned long long)d->size, (unsigned long long)seed);
	int fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		return -1;
	}

	/* Touched in full now, so making a file takes the same page faults
	 * whatever its size (perf stat's whole-process count is compared). */
	unsigned char *buf = malloc(CHUNK);
	struct checksum c;
	int rc = buf ? 0 : -1;
	if (buf) /* not 0: the compiler turns malloc + memset(0) into calloc, which touches nothing */
		memset(buf, 0xff, CHUNK);
	else
		snprintf(err, errlen, "%s: no memory for a buffer", tmp);
	checksum_init(&c);
	for (uint64_t off = 0; rc == 0 && off < d->size; off += CHUNK) {
		size_t n = d->size - off < CHUNK ? (size_t)(d->size - off) : CHUNK;
		if (stop && *stop) {
			snprintf(err, errlen, "interrupted while writing %s", tmp);
			rc = -1;
			break;
		}
		data_fill(seed, off, buf, n);
		checksum_update(&c, buf, n);
		if (write_all(fd, buf, n) != 0) {
			snprintf(err, errlen, "%s: write: %s", tmp, strerror(errno));
			rc = -1;
		}
	}
	free(buf);
	if (rc == 0 && fsync(fd) != 0) { /* on disk before it has its name, and before any cold-cache run */
		snprintf(err, errlen, "%s: fsync: %s", tmp, strerror(errno));
		rc = -1;
	}
	/* Never over another run's file: RENAME_NOREPLACE, or where the
	 * filesystem lacks it, link() (which fails on an existing name too).
	 * The directory is not fsynced: after a crash the name is either there,
	 * on complete content, or the temporary is, and the next run removes it. */
	int placed = 0, renamed = 0;
	if (rc == 0) {
		if (renameat2(AT_FDCWD, tmp, AT_FDCWD, d->path, RENAME_NOREPLACE) == 0)
			placed = renamed = 1;
		else if (errno == EINVAL || errno == ENOSYS)
			placed = link(tmp, d->path) == 0;
		if (!placed && errno != EEXIST) {
			snprintf(err, errlen, "%s: putting it in place as %s: %s", tmp, d->path, strerror(errno));
			rc = -1;
		}
	}
	if (!renamed && unlink(tmp) != 0 && rc == 0) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		rc = -1;
	}
	if (rc != 0 || !placed) {
		close(fd);
		return rc != 0 ? -1 : 0; /* lost the race: the winner's file is used */
	}
	d->fd = fd;
	d->created = 1;
	d->checksum = checksum_final(&c);
	return 1;
}

int datafile_make(struct datafile *d, const char *dir, uint64_t size, uint64_t seed,
		  volatile const int *stop, char *err, size_t errlen)
{
	memset(d, 0, sizeof(*d));
	d->fd = -1;
	d->size = size;
	snprintf(d->path, sizeof(d->path), "%s/iopaths-%llu-%016llx.dat", dir, (unsigned long long)size,
		 (unsigned long long)seed);

	/* A few rounds: another run's file can vanish between our look and our
	 * open (it removes what it made at its end), and we may then make it. */
	for (int round = 0; round < 4; round++) {
		int rc = open_existing(d, err, errlen);
		if (rc == 0)
			rc = create(d, dir, seed, stop, err, errlen);
		if (rc < 0)
			return -1;
		if (rc == 1) {
			if (!d->created) /* every transfer verifies it against this */
				d->checksum = data_checksum(seed, size);
			return 0;
		}
	}
	snprintf(err, errlen, "%s: other runs kept making and removing it; try again", d->path);
	return -1;
}

int datafile_open(const struct datafile *d)
{
	char self[64];
	snprintf(self, sizeof(self), "/proc/self/fd/%d", d->fd);
	int fd = d->fd >= 0 ? open(self, O_RDONLY | O_CLOEXEC) : -1;
	return fd >= 0 ? fd : open(d->path, O_RDONLY | O_CLOEXEC);
}

void datafile_close(struct datafile *d)
{
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
	d->created = 0;
}

void datafile_remove(struct datafile *d)
{
	struct stat ours, named;
	/* Only if the name still is our file: after our look, someone may have
	 * replaced it, and theirs is not ours to remove. */
	if (d->created && d->fd >= 0 && fstat(d->fd, &ours) == 0 && lstat(d->path, &named) == 0 &&
	    ours.st_dev == named.st_dev && ours.st_ino == named.st_ino && unlink(d->path) != 0 && errno != ENOENT)
		fprintf(stderr, "iopaths: warning: could not remove %s: %s\n", d->path, strerror(errno));
	datafile_close(d);
}

/* The PID space a PID in a file name belongs to: this boot of this kernel
 * (boot_id) and this PID namespace.  kill(pid, 0) only answers for the PID
 * space it runs in; a file from another machine sharing --dir, another boot
 * or another container must never be judged by a process here that merely
 * has the same number. */
const char *pid_space_tag(void)
{
	static char tag[9];
	if (tag[0])
		return tag;
	uint32_t h = 2166136261u; /* FNV-1a */
	char text[128] = "";
	struct stat ns;
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "re");
	if (f) {
		if (!fgets(text, 40, f))
			text[0] = '\0';
		fclose(f);
	}
	size_t used = strcspn(text, "\n");
	snprintf(text + used, sizeof(text) - used, " %llu",
		 stat("/proc/self/ns/pid", &ns) == 0 ? (unsigned long long)ns.st_ino : 0ULL);
	for (const char *p = text; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	snprintf(tag, sizeof(tag), "%08x", h);
	return tag;
}

/* Reads a run of digits (base 10, or 16 lowercase); NULL when there is none or too many. */
static const char *number(const char *p, int base, int max_digits, unsigned long long *v)
{
	const char *start = p;
	*v = 0;
	for (; (*p >= '0' && *p <= '9') || (base == 16 && *p >= 'a' && *p <= 'f'); p++)
		*v = *v * (unsigned)base + (unsigned)(*p <= '9' ? *p - '0' : *p - 'a' + 10);
	return p > start && p - start <= max_digits ? p : NULL;
}

/* The PID in a name iopaths gives its own files, when the name is one of
 * them and its PID belongs to this PID space; 0 otherwise:
 *   iopaths-out-PID-TAG-N.dat          a file sink
 *   iopaths-tmp-PID-TAG-BYTES-SEED.dat a data file being written
 *   iopaths-out-PID-N.dat              a file sink of a version without TAG
 *                                      (judged by the PID alone, as then) */
static pid_t owner_of(const char *name)
{
	unsigned long long pid, x;
	const char *p, *tag;
	int tmp = strncmp(name, "iopaths-tmp-", 12) == 0;
	if (!tmp && strncmp(name, "iopaths-out-", 12) != 0)
		return 0;
	if (!(p = number(name + 12, 10, 10, &pid)) || *p++ != '-' || pid == 0 || pid > INT_MAX)
		return 0;
	tag = p;
	if (!tmp && (p = number(tag, 10, 10, &x)) && strcmp(p, ".dat") == 0)
		return (pid_t)pid; /* no tag */
	if (!(p = number(tag, 16, 8, &x)) || p - tag != 8 || strncmp(tag, pid_space_tag(), 8) != 0 || *p++ != '-')
		return 0;
	if (!(p = number(p, 10, 20, &x)))
		return 0;
	if (tmp && (*p++ != '-' || !(p = number(p, 16, 16, &x))))
		return 0;
	return strcmp(p, ".dat") == 0 ? (pid_t)pid : 0;
}

int owner_gone(pid_t pid)
{
	return pid == getpid() || (kill(pid, 0) != 0 && errno == ESRCH);
}

int datafile_remove_orphans(const char *dir)
{
	DIR *d = opendir(dir);
	int removed = 0;
	if (!d)
		return 0;
	for (struct dirent *e; (e = readdir(d));) {
		struct stat st;
		pid_t pid = owner_of(e->d_name);
		if (pid == 0 || fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (!owner_gone(pid))
			continue;
		if (unlinkat(dirfd(d), e->d_name, 0) == 0) {
			fprintf(stderr, "iopaths: removed %s/%s, left by process %d, which is gone\n", dir, e->d_name,
				(int)pid);
			removed++;
		}
	}
	closedir(d);
	return removed;
}

int64_t free_bytes(const char *dir)
{
	struct statvfs sv;
	if (statvfs(dir, &sv) != 0)
		return -1;
	return (int64_t)((uint64_t)sv.f_bavail * sv.f_frsize);
}
