/* io_uring (liburing): up to `qd` reads of --block in flight at once, asked
 * for through a ring shared with the kernel, one io_uring_enter() submitting
 * them and waiting for the first to finish.  Buffered reads copy out of the
 * page cache as read() does; direct=on DMAs past it (O_DIRECT, as
 * odirect-pread); register=on hands the kernel the buffers and the file once,
 * in setup, so no read has to pin its pages or look up its fd. */
#include "direct.h"

#include <errno.h>
#include <liburing.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

enum { OFF, ON };

#define MAX_RING_BYTES (1ULL << 30) /* qd buffers of --block together */

/* Before the sweep: direct=on as odirect-pread; and no more than 1 GiB of buffers. */
static int refuse(const struct job *j, const char *dir, int cold, char *why, size_t len)
{
	uint64_t qd = job_option(j, "qd");
	if (qd * j->block > MAX_RING_BYTES) {
		snprintf(why, len, "io-uring: qd %llu reads of --block %zu need %llu bytes of buffers; at most 1 GiB",
			 (unsigned long long)qd, j->block, (unsigned long long)(qd * j->block));
		return -1;
	}
	return job_option(j, "direct") == ON ? direct_refuse(j, dir, cold, why, len) : 0;
}

/* One read in flight: a span claimed from the harness, and how much of it has arrived. */
struct slot {
	off_t off;
	size_t len, done;
};

struct ring {
	struct io_uring ring;
	int ring_made;
	int fd;          /* j->fd, or our own O_DIRECT descriptor */
	int own_fd;
	size_t align;    /* direct=on: what offsets and lengths are multiples of; 1 otherwise */
	unsigned qd, registered;
	unsigned char *bufs; /* qd buffers of --block, one per slot */
	struct slot *slots;  /* a ring in the order spans were claimed: slot k % qd holds the k-th */
};

static void teardown(struct job *j)
{
	struct ring *r = j->state;
	if (r) {
		if (r->ring_made)
			io_uring_queue_exit(&r->ring); /* unregisters buffers and file with it */
		if (r->own_fd)
			close(r->fd);
		free(r->bufs);
		free(r->slots);
		free(r);
	}
	j->state = NULL;
}

/* liburing returns -errno; job_fail wants errno. */
static int uring_fail(struct job *j, const char *call, int rc)
{
	errno = -rc;
	return job_fail(j, call);
}

/* Untimed: the ring, the buffers, and with register=on, both registered. */
static int setup(struct job *j)
{
	struct ring *r = calloc(1, sizeof(*r));
	if (!r)
		return job_fail(j, "calloc");
	j->state = r;
	r->qd = (unsigned)job_option(j, "qd");
	r->fd = j->fd;
	r->align = 1;
	if (job_option(j, "direct") == ON) {
		if ((r->fd = direct_open(j)) < 0)
			return job_fail(j, "open O_DIRECT");
		r->own_fd = 1;
		r->align = direct_align(r->fd);
		if (j->block % r->align != 0) {
			errno = EINVAL; /* refused before the sweep; a file moved under us */
			return job_fail(j, "statx STATX_DIOALIGN");
		}
	}
	if (!(r->slots = calloc(r->qd, sizeof(*r->slots))))
		return job_fail(j, "calloc");
	if (!(r->bufs = direct_buffer(r->align > 4096 ? r->align : 4096, (size_t)r->qd * j->block)))
		return job_fail(j, "posix_memalign");
	int rc = io_uring_queue_init(r->qd, &r->ring, 0);
	if (rc < 0)
		return uring_fail(j, "io_uring_queue_init", rc);
	r->ring_made = 1;
	if (job_option(j, "register") == ON) {
		struct iovec *iov = calloc(r->qd, sizeof(*iov));
		if (!iov)
			return job_fail(j, "calloc");
		for (unsigned k = 0; k < r->qd; k++)
			iov[k] = (struct iovec){ r->bufs + (size_t)k * j->block, j->block };
		rc = io_uring_register_buffers(&r->ring, iov, r->qd);
		free(iov);
		if (rc < 0)
			return uring_fail(j, "io_uring_register_buffers", rc);
		if ((rc = io_uring_register_files(&r->ring, &r->fd, 1)) < 0)
			return uring_fail(j, "io_uring_register_files", rc);
		r->registered = 1;
	}
	return 0;
}

/* Ask for what slot k still lacks.  Direct reads keep offset and length
 * aligned: the last block's length is rounded up, and the read stops at EOF. */
static void prep_read(struct ring *r, struct job *j, unsigned k)
{
	struct slot *s = &r->slots[k];
	struct io_uring_sqe *sqe = io_uring_get_sqe(&r->ring); /* never NULL: at most qd in flight */
	unsigned char *buf = r->bufs + (size_t)k * j->block + s->done;
	unsigned len = (unsigned)direct_round_up(s->len - s->done, r->align);
	if (r->registered) {
		io_uring_prep_read_fixed(sqe, 0, buf, len, (uint64_t)s->off + s->done, (int)k); /* file 0, buffer k */
		sqe->flags |= IOSQE_FIXED_FILE;
	} else {
		io_uring_prep_read(sqe, r->fd, buf, len, (uint64_t)s->off + s->done);
	}
	io_uring_sqe_set_data64(sqe, k);
}

/* The reads the kernel has and has not finished: the claimed slots still
 * short of their length, less the ones prepared and not yet submitted. */
static unsigned reads_in_kernel(const struct ring *r, unsigned head, unsigned inflight)
{
	unsigned n = 0;
	for (unsigned i = 0; i < inflight; i++) {
		const struct slot *s = &r->slots[(head + i) % r->qd];
		n += s->done < s->len;
	}
	unsigned queued = io_uring_sq_ready(&r->ring);
	return n > queued ? n - queued : 0;
}

/* One io_uring_enter: submit what is prepared and wait for one completion
 * (head and inflight: the claimed slots, as in move).  0 when there are
 * completions to reap, which the caller reaps before it submits again. */
static int enter(struct job *j, struct ring *r, unsigned prepared, unsigned head, unsigned inflight)
{
	for (;;) {
		struct io_uring_cqe *cqe;
		int rc = prepared ? io_uring_submit_and_wait(&r->ring, 1) : io_uring_wait_cqe(&r->ring, &cqe);
		if (rc >= 0)
			return 0;
		if (rc == -EINTR) { /* a signal */
			if (prepared && io_uring_sq_ready(&r->ring) == 0)
				prepared = 0; /* submitted before the wait was cut short */
			continue;
		}
		if (rc == -EBUSY || rc == -EAGAIN) {
			/* Nothing was submitted: the CQ is full (completions not yet
			 * reaped) or the kernel is short of memory.  Asked again
			 * before reaping, it would refuse again: the completions
			 * there are go first, or the next one, waited for, when all
			 * are still in flight; with none in flight, ask again. */
			if (io_uring_cq_ready(&r->ring) > 0)
				return 0;
			if (prepared && reads_in_kernel(r, head, inflight) > 0)
				prepared = 0;
			continue;
		}
		return uring_fail(j, "io_uring_enter", rc);
	}
}

/* A completion for slot k: count what arrived, or ask again for the rest. */
static int complete(struct job *j, struct ring *r, unsigned k, int res, unsigned *prepared)
{
	struct slot *s = &r->slots[k];
	if (res == -EINTR || res == -EAGAIN) {
		prep_read(r, j, k);
		++*prepared;
		return 0;
	}
	if (res < 0)
		return uring_fail(j, r->registered ? "IORING_OP_READ_FIXED" : "IORING_OP_READ", res);
	if (res == 0) {
		errno = EIO; /* the file is shorter than it was */
		return job_fail(j, "IORING_OP_READ");
	}
	s->done += (size_t)res;
	if (s->done >= s->len) {
		s->done = s->len; /* a direct read of the last block reaches EOF */
		return 0;
	}
	if (s->done & (r->align - 1)) { /* a direct read that stops off its alignment: at EOF */
		errno = EIO;              /* the file is shorter than it was */
		return job_fail(j, "IORING_OP_READ");
	}
	prep_read(r, j, k);
	++*prepared;
	return 0;
}

/* Syscalls per pass: one io_uring_enter per queue-full when reads finish as
 * they are submitted (buffered, hot: copied inline); more when they finish
 * one at a time (cold, direct), up to one per block. */
static double predict(const struct job *j)
{
	return blocks_of((uint64_t)spans_of(j, j->block), job_option(j, "qd"));
}

static int move(struct job *j)
{
	struct ring *r = j->state;
	unsigned head = 0, inflight = 0, prepared = 0; /* head: the oldest claimed slot */
	struct span s;
	for (;;) {
		/* Fill the queue: each new span to the slot after the newest. */
		while (inflight < r->qd && span_next(j, &s, j->block)) {
			unsigned k = (head + inflight++) % r->qd;
			r->slots[k] = (struct slot){ s.off, s.len, 0 };
			span_moved(j, s.len);             /* claimed whole; short reads are resubmitted here */
			prep_read(r, j, k);
			prepared++;
		}
		if (inflight == 0)
			return 0;
		if (prepared || io_uring_cq_ready(&r->ring) == 0) {
			if (enter(j, r, prepared, head, inflight) != 0)
				return -1;
			prepared = io_uring_sq_ready(&r->ring); /* what the kernel did not take yet goes next time */
		}
		struct io_uring_cqe *cqe;
		while (io_uring_peek_cqe(&r->ring, &cqe) == 0) { /* every completion there is */
			unsigned k = (unsigned)io_uring_cqe_get_data64(cqe);
			int res = cqe->res;
			io_uring_cqe_seen(&r->ring, cqe);
			if (complete(j, r, k, res, &prepared) != 0)
				return -1;
		}
		/* Consume in claim order, the oldest first (the checksum is keyed by
		 * offset now, so completion order would do too: see the README). */
		while (inflight > 0 && r->slots[head].done == r->slots[head].len) {
			struct slot *o = &r->slots[head];
			consume_at(j, o->off, r->bufs + (size_t)head * j->block, o->len); /* buffer -> consumer */
			head = (head + 1) % r->qd;
			inflight--;
		}
	}
}

const struct strategy strategy_io_uring = {
	.name = "io-uring",
	.summary = "io_uring reads of --block, qd in flight (--qd), buffered or O_DIRECT, registered buffers "
		   "and file or not",
	.sinks = SINK_PROCESS,
	.named_only = 1, /* O_DIRECT, liburing: only when --strategy names it */
	.cpu_copies = 1,
	.options = {
		{ "qd", "reads in flight at once, the ring's size (--qd)", .dflt = 1, .min = 1, .max = 1024,
		  .label = LABEL_CHANGED },
		{ "direct", "on: O_DIRECT, past the page cache (as odirect-pread, 0 CPU copies); off: buffered",
		  OPTION_VALUES("off", "on"), .dflt = OFF, .label = LABEL_CHANGED },
		{ "register", "on: buffers and file registered in setup, reads are IORING_OP_READ_FIXED",
		  OPTION_VALUES("off", "on"), .dflt = OFF, .label = LABEL_CHANGED },
	},
	.setup = setup,
	.teardown = teardown,
	.refuse = refuse,
	.move = move,
	.unthreaded = "io-uring has one ring and one set of buffers, made in setup, which threads would share: "
		      "raise --qd instead",
	.path = "disk -> page cache --IORING_OP_READ, CPU copy--> buffer -> consumer; direct=on: disk --DMA--> "
		"buffer, past the page cache",
	.crossings = "one io_uring_enter() per queue-full at best (it submits and waits), up to one per block "
		     "when reads finish one at a time: 2 crossings each",
	.seed = "not in the article (2019, after it): a ring of requests shared with the kernel, so many reads "
		"cost one system call",
	.predict_syscalls = predict,
};
