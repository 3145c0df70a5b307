/* What a strategy is, and what the harness hands it.
 *
 * A strategy is one way of moving a file's bytes.  It lives in one small file
 * under benches/ and knows nothing of timing, counters, CSV or verification:
 * the harness opens the file, sets up buffers, starts the clocks, calls
 * move() once, stops the clocks and checks the checksum of what arrived.
 * move() asks the harness which bytes to move (span_next), and reads the
 * options it declares (job_option); it decides nothing else.
 */
#ifndef IOPATHS_STRATEGY_H
#define IOPATHS_STRATEGY_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "consumer.h"

/* Where the bytes end up: one bit per line of harness/sinks/sinks.def, so a
 * strategy can name several. */
enum sink_bit {
#define SINK(NAME, name) SINK_BIT_##NAME,
#include "sinks.def"
#undef SINK
	NSINKS
};
enum sink {
#define SINK(NAME, name) SINK_##NAME = 1u << SINK_BIT_##NAME,
#include "sinks.def"
#undef SINK
};
#define SINK_SOCKETS (SINK_UNIX | SINK_TCP)
extern const char *const sink_names[NSINKS]; /* by bit index */

/* Which way the bytes go: out of the data file (read), or from memory into a file (write). */
enum op { OP_READ, OP_WRITE };
extern const char *const op_names[2];

/* How a cell's label ("write[fsync]", "mmap-shared-write[msync=async]") shows
 * an option or a dimension (cell.h). */
enum label_rule {
	LABEL_CHANGED, /* "[name=value]" only when not the default, so a new option renames no cell */
	LABEL_ALWAYS,  /* always, the default too */
	LABEL_NEVER,   /* never: shown beside the label (sink, cache, size), or one value per run */
};

/* An option a strategy declares, as fio's engine options: the run crosses the
 * values it is given (`--variant`, or a spelling like `--msync`), each value
 * its own cell with the option's own CSV column, and the job carries the
 * value to the strategy (job_option).  One line in the strategy's file. */
struct strategy_option {
	const char *name;          /* its CSV column, and its name in labels and --variant */
	const char *help;          /* one line, for list and explain */
	const char *const *values; /* named values, in the order cells are made; NULL: a size in bytes */
	uint64_t dflt;             /* the default: an index into values, or a size */
	uint64_t min, max;         /* a size's range */
	enum label_rule label;     /* LABEL_NEVER: one value per run, a setting */
	unsigned persists : 1;     /* it decides when the bytes reach the disk: --fsync=both leaves it alone */
};
#define MAX_OPTIONS 4
#define MAX_THREADS 64 /* --threads: movers of one pass */
#define OPTION_VALUES(...) .values = (const char *const[]){ __VA_ARGS__, NULL }

/* A piece of the file: its offset and length. */
struct span {
	off_t off; /* an off_t, so sendfile, splice and copy_file_range can take &s.off */
	size_t len;
};

struct sink_state; /* harness/sinks/sink.h */

/* In which order a pass visits the file's spans (the pattern dimension). */
enum pattern { PATTERN_SEQ, PATTERN_RANDOM };
#define RANDOM_ORDER_MAX_SPANS (1ULL << 27) /* a random order of 8-byte span numbers: 1 GiB at most */
extern const char *const pattern_names[2];

/* One transfer of one file, as the harness prepared it. */
struct job {
	int fd;                        /* the data file, open read-only */
	uint64_t size;                 /* its length in bytes */
	size_t block;                  /* --block: bytes per call for block-wise paths */
	void *buf;                     /* `block` bytes, allocated and prefaulted */
	const unsigned char *resident; /* bytes in anonymous memory: the file's (memcpy), or
					  what a write strategy writes */
	int out;                       /* the sink: socket, new empty file or /dev/null; -1 for process */
	enum sink sink;
	const struct strategy *strategy;
	uint64_t opt[MAX_OPTIONS];     /* the value of each of the strategy's options, by place */
	enum pattern pattern;          /* the harness's, from the cell: the order of the spans */
	uint64_t io_bytes;             /* the harness's: random visits the file in spans of this size */
	unsigned threads;              /* the harness's: movers that share one pass */
	uint64_t *order;               /* the harness's, random: span numbers in visiting order */
	uint64_t order_seed;           /* the harness's: --seed, whence each sample's order */
	uint64_t orders_drawn;         /* the harness's: samples so far, so each draws its own order */
	uint64_t nspans;               /* ceil(size / io_bytes) */
	uint64_t share_lo, share_hi;   /* the harness's: this mover's spans, [lo, hi) of the order */
	uint64_t span_at;              /* the harness's, seq: where the next span starts;
					  random: the place in the order of the current span */
	uint64_t span_done;            /* the harness's, random: bytes of the current span moved */
	uint64_t moved_end;            /* the harness's: where the last bytes moved ended (span_follows) */
	struct sink_state *sink_state; /* the harness's: the open sink (its receiver thread, file path) */
	struct consumer consumer;      /* where every strategy hands its bytes */
	void *state;                   /* the strategy's own, from its setup */
	const char *failed_call;       /* set by job_fail(): the call that failed */
	int failed_errno;
	int resident_owned;            /* the harness's: resident was loaded for this job */
	int buf_owned;                 /* the harness's: buf was allocated for this job */
	int fsync;                     /* the harness's: fsync the file sink after every pass, timed (the
					  fsync dimension, cell.h) */
	int yield_on_full;             /* `iopaths serve`: a full socket ends move() (io_retry says 0,
					  errno EAGAIN) instead of a wait; move() again goes on from the cursor */
	int would_block;               /* set when it did: the server waits for EPOLLOUT, then calls move() */
	/* --duration (driver_duration.c): spans drawn at random with replacement,
	 * without end, until *stop is set; move() then ends within one span. */
	int endless;                   /* the harness's: 1 in time-series mode */
	const int *stop;               /* the harness's: read with a relaxed atomic load at every span; counted
					* passes end at the next span once it is set (Ctrl-C), endless spans stop */
	uint64_t rng;                  /* the harness's: this mover's splitmix64 state */
	uint64_t cur;                  /* the harness's: the span number being moved */
	uint64_t spans_done;           /* the harness's: spans completed; relaxed atomic, read by the sampler */
	uint64_t plant_ns;             /* the harness's: --plant-ns, a busy-wait at every span_moved (plant.h) */
	uint64_t moves;                /* the harness's: span_moved calls that moved bytes, this sample */
};

struct strategy {
	const char *name;
	const char *summary;            /* one line, for `iopaths list` */
	enum op op;
	unsigned sinks;                 /* enum sink bits it can deliver to */
	unsigned cpu_copies;            /* times the CPU copies each byte on the way to the sink
					   (to the consumer, for process) */
	unsigned named_only : 1;        /* runs only when --strategy names it, never by default: it needs
					   what not every --dir has (O_DIRECT), and the default sweep stays as it was */
	struct strategy_option options[MAX_OPTIONS]; /* its variants, if any; see job_option */
	int (*setup)(struct job *);     /* optional, untimed */
	int (*pass_begin)(struct job *); /* optional, timed, once per pass before move(), by one thread:
					    what all of a pass's movers share (a mapping) */
	int (*move)(struct job *);      /* timed: move the spans it is handed, once; 0 or job_fail() */
	int (*pass_end)(struct job *);  /* optional, timed, once per pass after move(), by one thread */
	void (*teardown)(struct job *); /* optional, untimed */
	const char *unthreaded;         /* set: why it cannot share a pass among threads (it follows
					   the one position of a shared fd); --threads above 1 is refused */
	int (*refuse)(const struct job *, const char *dir, int cold, char *why, size_t len); /* optional,
					    before the sweep, on a job with only block, strategy and options set, once
					    per cache state of the run (cold: 1): -1 with one line in why when the run
					    cannot be made (O_DIRECT on tmpfs, map=once with a cold cache), else 0 */

	/* For `iopaths explain`: the teaching text, and a prediction to check. */
	const char *path;               /* where the bytes go, as a text diagram */
	const char *crossings;          /* user/kernel crossings per block */
	const char *seed;               /* what the seed article says of this path */
	double (*predict_syscalls)(const struct job *); /* the sending thread's, per pass */
};

/* Hand `n` bytes at `p` to the consumer (checksums them). */
static inline void consume(struct job *j, const void *p, size_t n)
{
	consumer_take(&j->consumer, p, n); /* at the offset span_next last gave, and on */
}

/* Hand `n` bytes that sit at file offset `off` to the consumer: for a path
 * that has several spans in flight (io_uring) and consumes them as they
 * complete, in any order (the consumer's checksum is keyed by offset). */
static inline void consume_at(struct job *j, off_t off, const void *p, size_t n)
{
	consumer_take_at(&j->consumer, (uint64_t)off, p, n);
}

/* The value of the strategy's option `name`: an index into its values, or a size. */
uint64_t job_option(const struct job *j, const char *name);

/* The next span of the file to move, at most `max` bytes, in the order and
 * from the share of the file the harness decides: seq, the share in file
 * order (contiguous io-size spans merge, so a span is as long as `max`
 * allows); random, one io-size span at a time (or less, when `max` is less)
 * in the order drawn from --seed.  1 while the share has bytes left; 0 at
 * its end, with *s then an empty span at the end of the file (seq: of the
 * share): a read() loop's last read, of 0 bytes, returns 0 as one at the
 * end of the file does, and never takes a byte past j->size, whatever the
 * file did since it was opened (serve: nothing past the Content-Length,
 * issue 18).  consume() then
 * hands bytes to the consumer from s->off on.  Endless (--duration): one
 * io-size span drawn at random, with replacement, until the stop flag is
 * set; then 0 as at the end of a share. */
int span_next(struct job *j, struct span *s, size_t max);
/* n bytes of the last span were moved: a short transfer leaves the rest of
 * it for the next span_next, a retried one (n = 0) all of it. */
void span_moved(struct job *j, size_t n);
/* 1 when s starts where the last bytes moved ended (at a pass's start: at 0),
 * so a path that follows an fd's position (read, write) is there already;
 * 0 when it must seek first, which only the random pattern asks. */
static inline int span_follows(const struct job *j, const struct span *s)
{
	return (uint64_t)s->off == j->moved_end;
}
/* For predictions: the spans of at most `max` bytes span_next hands out in
 * one pass, and how many of them start away from where the last ended (seeks). */
double spans_of(const struct job *j, uint64_t max);
double span_seeks(const struct job *j);

/* Record that `call` failed with the current errno; returns -1 for `return job_fail(...)`. */
int job_fail(struct job *j, const char *call);

/* After a call failed: 1 when it should be retried (EINTR; EAGAIN once the sink
 * is writable again, waiting at most 30 s), 0 when it really failed.  With
 * yield_on_full (serve), EAGAIN is 0 at once, and would_block is set. */
int io_retry(struct job *j);

/* Write all n bytes to j->out, through short writes, EINTR and EAGAIN.  When it
 * yields on a full socket (serve), the bytes it did write are span_moved, so a
 * resumed move() goes on after them. */
int write_all(struct job *j, const void *p, size_t n);

/* ceil(a / b), for predictions. */
static inline double blocks_of(uint64_t a, uint64_t b)
{
	return b ? (double)((a + b - 1) / b) : 0;
}

/* Untimed setup helper: copy the whole file into anonymous memory at j->resident. */
int job_load_resident(struct job *j);

/* The table of strategies, from benches/strategies.def. */
extern const struct strategy *const strategies[];
extern const size_t strategy_count;
const struct strategy *strategy_find(const char *name);

#endif
