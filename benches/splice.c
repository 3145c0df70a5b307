/* splice(): file -> pipe -> sink.  Splicing the file into the pipe moves
 * references to page-cache pages, not bytes; splicing the pipe out to a
 * socket copies them into the socket buffer (one CPU copy). */
#include "strategy.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct pipe_ends {
	int fd[2];
	size_t size;
	size_t pending; /* in the pipe, not yet out: 0 at a move's start but when serve resumes it */
};

/* Untimed: one pipe, as large as its pipe_size option if the system allows it. */
static int setup(struct job *j)
{
	struct pipe_ends *p = calloc(1, sizeof(*p));
	if (!p || pipe2(p->fd, O_CLOEXEC) != 0) {
		free(p);
		return job_fail(j, "pipe2");
	}
	uint64_t want = job_option(j, "pipe_size");
	if (fcntl(p->fd[1], F_SETPIPE_SZ, (int)want) < 0) {
		static int warned;
		if (!warned++)
			fprintf(stderr, "iopaths: warning: F_SETPIPE_SZ %llu refused (%s, see "
				"/proc/sys/fs/pipe-max-size); splice uses the default pipe size\n",
				(unsigned long long)want, strerror(errno));
	}
	p->size = (size_t)fcntl(p->fd[1], F_GETPIPE_SZ);
	j->state = p;
	return 0;
}

static void teardown(struct job *j)
{
	struct pipe_ends *p = j->state;
	if (p) {
		close(p->fd[0]);
		close(p->fd[1]);
		free(p);
	}
	j->state = NULL;
}

static double predict(const struct job *j)
{
	/* in and out, a pipeful at a time; random: the sink sought to each span */
	return 2 * spans_of(j, job_option(j, "pipe_size")) + span_seeks(j);
}

/* pipe -> sink, until the pipe is empty */
static int drain(struct job *j, struct pipe_ends *p)
{
	while (p->pending > 0) {
		ssize_t out = splice(p->fd[0], NULL, j->out, NULL, p->pending, SPLICE_F_MOVE);
		if (out < 0) {
			if (io_retry(j))
				continue;
			return job_fail(j, "splice");
		}
		p->pending -= (size_t)out;
	}
	return 0;
}

static int move(struct job *j)
{
	struct pipe_ends *p = j->state;
	if (drain(j, p) != 0)                                   /* serve: what a full socket left */
		return -1;
	for (struct span s; span_next(j, &s, p->size);) {       /* a pipeful at a time */
		if (!span_follows(j, &s) && lseek(j->out, s.off, SEEK_SET) < 0) /* random order: a file */
			return job_fail(j, "lseek");                     /* sink writes at its position */
		ssize_t in = splice(j->fd, &s.off, p->fd[1], NULL, s.len, SPLICE_F_MOVE); /* pages -> pipe */
		if (in == 0) {
			errno = EIO;                    /* the file is shorter than it was */
			return job_fail(j, "splice");
		}
		if (in < 0) {
			if (io_retry(j))
				continue;
			return job_fail(j, "splice");
		}
		span_moved(j, (size_t)in);
		p->pending = (size_t)in;
		if (drain(j, p) != 0)
			return -1;
	}
	return 0;
}

const struct strategy strategy_splice = {
	.name = "splice",
	.summary = "splice() file -> pipe -> sink: page references through a pipe, --pipe-size at a time",
	.sinks = SINK_UNIX | SINK_TCP | SINK_FILE | SINK_NULL,
	.cpu_copies = 1,
	.options = { { "pipe_size", "the pipe's size, F_SETPIPE_SZ (--pipe-size)", .dflt = 1 << 20, .min = 4 << 10,
		       .max = 1 << 30, .label = LABEL_NEVER } },
	.setup = setup,
	.teardown = teardown,
	.move = move,
	.path = "disk -> page cache --splice, page references--> pipe --splice, CPU copy--> socket "
		"buffer or page cache -> peer",
	.crossings = "two splice() calls per pipeful: 4 crossings per --pipe-size bytes",
	.seed = "not in the article: the general zero-copy primitive sendfile() is built on",
	.predict_syscalls = predict,
};
