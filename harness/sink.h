/* The sinks a strategy delivers to, and how the harness checks what arrived.
 *
 * unix, tcp: a connected stream socket; a receiver thread (in this process,
 * so the counters include it) drains it and checksums every pass.  The timed
 * region ends when the receiver has every byte, not when the sender is done.
 * file: a new file in --dir, emptied before every sample, then checked after
 * it: whether the write left nothing dirty (persisted), then read back from
 * disk and checksummed.  null: /dev/null.  Every wait has a bound. */
#ifndef IOPATHS_SINK_H
#define IOPATHS_SINK_H

#include "strategy.h"

#include <sched.h>

struct sink_opts {
	const char *dir; /* for the file sink */
	int sender_cpu;  /* the measuring thread's CPU, or -1: receivers run elsewhere */
};

/* The CPUs the process may use, saved before the measuring thread is pinned:
 * socket receivers run on these, less the sender's. */
void sink_set_receiver_cpus(const cpu_set_t *allowed);

int sink_open(struct job *j, enum sink kind, const struct sink_opts *o, char *err, size_t errlen);
void sink_close(struct job *j);

/* Untimed, before a sample: empty the file; arm the receiver's consumer. */
int sink_arm(struct job *j, enum consume_mode mode, uint64_t expected, char *err, size_t errlen);

/* Timed, after the passes: wait until the receiver holds passes * size bytes. */
int sink_drain(struct job *j, unsigned passes, char *err, size_t errlen);

/* Untimed, after a sample: check what arrived.  A file written by a write
 * strategy (on_disk) is checked for dirty pages (*persisted: 1 when none was
 * left, NaN elsewhere) and read back from disk; a file a transfer wrote is
 * read back from the page cache, and emptied without being written back.
 * *verified: the bytes were checked. */
int sink_verify(struct job *j, unsigned passes, uint64_t expected, int on_disk, double *persisted, int *verified,
		char *err, size_t errlen);

/* For tests: make the receiver fail, as a crashed peer would. */
void sink_kill_receiver(struct job *j);

/* Checksum of a whole file: as it is on disk (fsync, page cache dropped
 * first), or as every process sees it now (the page cache). */
int file_checksum(int fd, uint64_t size, int from_disk, void *buf, size_t buflen, uint64_t *sum);

#endif
