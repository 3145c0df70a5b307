/* file: a new file in --dir, emptied before every sample and checked after
 * it: for a write, whether it left nothing dirty (persisted) and then read
 * back from disk; for a transfer, read back from the page cache. */
#include "sink.h"

#include "datafile.h"
#include "dirty.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct file_sink {
	char path[PATH_MAX];
};

static int file_open(struct job *j, const struct sink_opts *o, char *err, size_t errlen)
{
	static unsigned serial;
	struct file_sink *st = calloc(1, sizeof(*st));
	if (!st)
		abort();
	j->sink_state->own = st;
	/* PID and PID space in the name: a run killed before it removed
	 * this is known by them, and the next run removes it. */
	snprintf(st->path, sizeof(st->path), "%s/iopaths-out-%d-%s-%u.dat", o->dir, (int)getpid(), pid_space_tag(),
		 serial++);
	j->out = open(st->path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (j->out < 0) {
		snprintf(err, errlen, "%s: %s", st->path, strerror(errno));
		st->path[0] = '\0';
		return -1;
	}
	return 0;
}

static void file_close(struct job *j)
{
	struct file_sink *st = j->sink_state->own;
	if (st && st->path[0] && unlink(st->path) != 0)
		fprintf(stderr, "iopaths: warning: could not remove %s: %s\n", st->path, strerror(errno));
	free(st);
	j->sink_state->own = NULL;
}

static int file_arm(struct job *j, enum consume_mode mode, uint64_t expected, char *err, size_t errlen)
{
	struct file_sink *st = j->sink_state->own;
	(void)mode, (void)expected;
	if (ftruncate(j->out, 0) != 0 || lseek(j->out, 0, SEEK_SET) != 0) {
		snprintf(err, errlen, "emptying %s: %s", st->path, strerror(errno));
		return -1;
	}
	return 0;
}

/* --fsync: inside the timed region, as a program that must persist would. */
static int file_after_pass(struct job *j)
{
	if (j->fsync && fsync(j->out) != 0)
		return job_fail(j, "fsync");
	return 0;
}

/* A file written by a write strategy is checked for dirty pages (persisted:
 * 1 when none was left) and read back from disk; a file a transfer wrote is
 * read back from the page cache, and emptied without being written back. */
static int file_verify(struct job *j, const struct sink_check *c, struct sample *out, char *err, size_t errlen)
{
	struct file_sink *st = j->sink_state->own;
	int on_disk = c->strategy->op == OP_WRITE;

	/* Persisted: no page of the file was still dirty after the timed region. */
	if (on_disk && j->size > 0) {
		int64_t dirty = file_dirty_pages(j->out, j->size);
		out->persisted = dirty < 0 ? NAN : dirty == 0;
	}

	struct stat sb;
	uint64_t sum;
	if (fstat(j->out, &sb) != 0 || file_checksum(j->out, j->size, on_disk, j->buf, j->block, &sum) != 0) {
		snprintf(err, errlen, "reading back %s: %s", st->path, strerror(errno));
		return -1;
	}
	if ((uint64_t)sb.st_size != j->size || sum != c->want->delivered) {
		snprintf(err, errlen, "%s holds %llu bytes that do not match what was sent (%llu bytes)", st->path,
			 (unsigned long long)sb.st_size, (unsigned long long)j->size);
		return -1;
	}
	out->verified = 1;
	if (ftruncate(j->out, 0) != 0) { /* give the space back at once */
		snprintf(err, errlen, "emptying %s: %s", st->path, strerror(errno));
		return -1;
	}
	return 0;
}

const struct sink_ops sink_file = {
	.name = "file",
	.bit = SINK_FILE,
	.open = file_open,
	.arm = file_arm,
	.after_pass = file_after_pass,
	.verify = file_verify,
	.close = file_close,
};
