/* One sample: untimed preparation, the timed region (iters passes of the
 * strategy's move), verification.  Values are per pass. */
#ifndef IOPATHS_MEASURE_H
#define IOPATHS_MEASURE_H

#include "datafile.h"
#include "interrupts.h"
#include "perf.h"
#include "strategy.h"
#include "vmstat.h"

/* What one sample cost, measured around the timed region only and divided
 * by its number of passes.  NaN marks what this machine cannot measure. */
enum counter {
	C_WALL_NS,     /* CLOCK_MONOTONIC */
	C_USER_NS,     /* getrusage(RUSAGE_SELF) deltas, to C_NIVCSW */
	C_SYS_NS,
	C_MINFLT,
	C_MAJFLT,
	C_NVCSW,
	C_NIVCSW,
	C_PF,          /* perf_event_open, to C_SYSCALLS: see perf.h */
	C_PF_MIN,
	C_PF_MAJ,
	C_CTX,
	C_MIGR,
	C_TASK_CLOCK,
	C_CYCLES,
	C_INSTR,
	C_CACHE_MISS,
	C_DTLB_MISS,
	C_SYSCALLS,
	C_SENDER_SYSCALLS, /* the measuring (sending) thread's own */
	C_SENDER_USER_NS,  /* getrusage(RUSAGE_THREAD) of the measuring thread */
	C_SENDER_SYS_NS,
	C_PGFAULT,     /* /proc/vmstat deltas, system-wide, to C_THP_FAULT_ALLOC: see vmstat.h */
	C_PGMAJFAULT,
	C_PGSCAN,
	C_PGSTEAL,
	C_WORKINGSET_REFAULT_FILE,
	C_THP_FAULT_ALLOC,
	C_COUNT
};
extern const char *const counter_names[C_COUNT]; /* the CSV column names */

struct sample {
	double c[C_COUNT];
	double resident_pct; /* share of the file in the page cache just before the region */
	unsigned iters;      /* passes in the timed region */
	int verified;        /* every pass's bytes were checksummed and matched */
	double persisted;    /* file sink: nothing was left dirty after the region; else NaN */
	double file_unchanged; /* mmap-private-write: the data file is as it was; else NaN */
	double tlb_shootdowns; /* per pass, system-wide (interrupts.h); NaN where not counted */
	unsigned worker;     /* the worker process that took it, 1..K: set by the sweep, not the driver */
	double moves;        /* span_moved calls that moved bytes, per pass (all threads); NaN where not counted */
};

/* What a sample must deliver. */
struct expected {
	uint64_t delivered; /* checksum of the bytes that must arrive at the sink */
	uint64_t source;    /* checksum of the data file, which must not change */
};

/* MiB/s of one sample: bytes / 2^20 / seconds per pass; NaN when no time passed. */
double sample_mibps(const struct sample *s, uint64_t bytes);
/* getrusage's counters between r0 and r1 into the sample: user and system ns,
 * minor and major faults, voluntary and involuntary context switches. */
struct rusage;
void sample_rusage(struct sample *out, const struct rusage *r0, const struct rusage *r1);

struct driver;
struct timeseries;
struct ts_cell;

/* What stays the same for every sample of a run. */
struct measure_ctx {
	const struct driver *driver; /* how a sample is timed (driver.h) */
	struct perf_set perf;
	struct vmstat_reader vmstat;
	struct interrupts_reader interrupts;
	double syscall_baseline;   /* syscalls an empty region counts (the counter's own stop) */
	double sender_syscall_baseline;
	double pass_overhead_ns;   /* the harness's own time per pass in the region: loop, end-of-pass check */
	enum consume_mode consume;
	/* --duration (driver_duration.c), set by the sweep before each cell */
	struct timeseries *ts;
	struct ts_cell *ts_cell;
	uint64_t data_seed;   /* the data file's content (data_word) */
	uint64_t cell_index;  /* mixed into the movers' random streams */
	char first_bad[160];  /* out: the first span that did not match, said in one line */
};

struct cell_key; /* cell.h */

/* How the harness prepares a job. */
struct job_opts {
	size_t block;
	const struct cell_key *key; /* the strategy's options and the planned dimensions; NULL: defaults */
	const char *dir;   /* for file sinks */
	int sender_cpu;    /* -1: not pinned */
	const unsigned char *write_bytes; /* what write strategies write (shared, not owned) */
	void *buf;         /* a prefaulted block buffer shared by the sweep's jobs; NULL: the job's own */
	uint64_t write_checksum;
	uint64_t io_bytes;  /* --io-size; 0: block */
	uint64_t order_seed; /* --seed: where the random orders come from */
	uint64_t plant_ns;   /* --plant-ns: the busy-wait at every span_moved; 0: none */
};
#define WRITE_SEED_XOR 0x5772697465ULL /* "Write": the seed of what write strategies write */

/* Opens the counters and picks the driver, which calibrates itself. */
void measure_ctx_open(struct measure_ctx *m, enum consume_mode consume);
void measure_ctx_close(struct measure_ctx *m);
/* Another driver by name ("duration"), calibrated now; -1 when there is none. */
int measure_ctx_use(struct measure_ctx *m, const char *driver);

/* Untimed: open the file and the sink, allocate and prefault the block
 * buffer (and, for writes, the bytes to write), run setup.  *want says what
 * the samples must then deliver. */
int job_prepare(struct job *j, const struct strategy *s, enum sink sink, const struct datafile *d,
		const struct job_opts *o, struct expected *want, char *err, size_t errlen);
void job_release(struct job *j, const struct strategy *s);

/* The harness's side of spans (job.c).  span_plan: the pattern, the
 * io size and the threads of the job's cell, the whole file its share;
 * span_share: mover t of n takes its share (seq: contiguous spans; random:
 * a slice of the order); span_pass_start: the share anew, at a pass's start;
 * span_order_draw: a fresh random order, untimed, before a sample. */
void span_plan(struct job *j, enum pattern pattern, uint64_t io_bytes, unsigned threads);
void span_share(struct job *j, unsigned t, unsigned n);
void span_pass_start(struct job *j);
int span_order_draw(struct job *j, uint64_t seed);
void span_order_free(struct job *j);

/* An anonymous buffer of `block` bytes, written once; NULL with errno. */
void *block_buffer(size_t block);
void job_free_resident(struct job *j);

/* Runs s->move `iters` times in one timed region, and then on while less than
 * min_ns has passed (0: exactly iters; the passes run are in out->iters).
 * 0 with *out filled; -1 with a one-line reason in err (a failed call, or
 * bytes that do not match).  The context's driver does it (driver.h). */
int measure_once(struct measure_ctx *m, const struct strategy *s, struct job *j, const struct expected *want,
		 unsigned iters, double min_ns, struct sample *out, char *err, size_t errlen);

#define MAX_ITERS 1000000u

#endif
