/* The sinks a strategy delivers to, and how the harness checks what arrived.
 *
 * A sink is one file, harness/sink_<name>.c, that defines a struct sink_ops,
 * and one line in harness/sinks/sinks.def.  The timed-region driver (driver.h)
 * calls them in this order, and only through the sink_* functions below:
 *
 *   open        untimed, once per job: make j->out (and any receiver)
 *   arm         untimed, before every sample: empty what the last one left
 *   after_pass  timed, after every pass of move()
 *   drain       timed, after the passes: wait until every byte has arrived
 *   verify      untimed, after the sample: check what arrived
 *   close       untimed, once: undo open, even a partial one (j->out is
 *               closed by the harness afterwards)
 *
 * Every hook may be NULL: nothing to do.  The sinks today:
 * process (sink_process.c): the bytes go to the job's consumer, which closes
 * each pass's checksum after it.  unix, tcp (sink_unix.c, sink_tcp.c): a
 * connected stream socket; a receiver thread (receiver.c, in this process, so
 * the counters include it) drains it and checksums every pass, and the timed
 * region ends when it has every byte, not when the sender is done.  file
 * (sink_file.c): a new file in --dir, emptied before every sample, then
 * checked after it: whether the write left nothing dirty (persisted), then
 * read back and checksummed.  null (sink_null.c): /dev/null.  Every wait has
 * a bound. */
#ifndef IOPATHS_SINK_H
#define IOPATHS_SINK_H

#include "measure.h"
#include "strategy.h"

#include <sched.h>

struct sink_opts {
	const char *dir; /* for the file sink */
	int sender_cpu;  /* the measuring thread's CPU, or -1: receivers run elsewhere */
};

/* What verify is told about the sample it checks. */
struct sink_check {
	const struct strategy *strategy; /* what delivered: its name and op */
	unsigned passes;                 /* passes in the timed region */
	enum consume_mode consume;
	const struct expected *want;     /* what must have arrived, what must not have changed */
};

struct sink_ops {
	const char *name; /* as in sinks.def: --sink, CSV and messages */
	enum sink bit;
	int (*open)(struct job *j, const struct sink_opts *o, char *err, size_t errlen);
	int (*arm)(struct job *j, enum consume_mode mode, uint64_t expected, char *err, size_t errlen);
	/* Timed, so only what the measured path itself would do: 0, or job_fail(). */
	int (*after_pass)(struct job *j);
	int (*drain)(struct job *j, unsigned passes, char *err, size_t errlen);
	/* Sets out->verified (the bytes were checked), and where they apply
	 * out->persisted and out->file_unchanged (else left NaN). */
	int (*verify)(struct job *j, const struct sink_check *c, struct sample *out, char *err, size_t errlen);
	void (*close)(struct job *j);
};

/* An open sink: the harness's, in j->sink_state. */
struct sink_state {
	const struct sink_ops *ops;
	void *own; /* the sink's: its receiver, its file's path; NULL for none */
};

/* The sink of a bit, from the table in sinks.def. */
const struct sink_ops *sink_ops_of(enum sink bit);

int sink_open(struct job *j, enum sink kind, const struct sink_opts *o, char *err, size_t errlen);
void sink_close(struct job *j);

/* Untimed, before a sample: empty the file; arm the receiver's consumer. */
int sink_arm(struct job *j, enum consume_mode mode, uint64_t expected, char *err, size_t errlen);

/* Timed, after the passes: wait until the receiver holds passes * size bytes. */
int sink_drain(struct job *j, unsigned passes, char *err, size_t errlen);

/* Untimed, after a sample: check what arrived (see sink_ops.verify). */
int sink_verify(struct job *j, const struct sink_check *c, struct sample *out, char *err, size_t errlen);

/* The CPUs the process may use, saved before the measuring thread is pinned:
 * socket receivers run on these, less the sender's (receiver.c). */
void sink_set_receiver_cpus(const cpu_set_t *allowed);

/* For tests: make the receiver fail, as a crashed peer would. */
void sink_kill_receiver(struct job *j);

/* Checksum of a whole file: as it is on disk (fsync, page cache dropped
 * first), or as every process sees it now (the page cache). */
int file_checksum(int fd, uint64_t size, int from_disk, void *buf, size_t buflen, uint64_t *sum);

#endif
