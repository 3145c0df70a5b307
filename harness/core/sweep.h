/* The sweep: every size x strategy x repetition, in one place. */
#ifndef IOPATHS_SWEEP_H
#define IOPATHS_SWEEP_H

#include "cache.h"
#include "cell.h"
#include "meta.h"
#include "strategy.h"

#include <limits.h>
#include <signal.h>

struct memcg;

#define MAX_ITEMS 64

#define MAX_PAIRS (MAX_ITEMS * NSINKS)
#define MAX_WORKERS 1000

struct run_config {
	/* The plan (plan.c): a strategy delivering to a sink, with a value for
	 * each of its options and each planned dimension.  The sweep crosses
	 * them with the sizes and cache states, and adds block and consume. */
	struct cell_key pairs[MAX_PAIRS];
	size_t npairs;
	uint64_t sizes[MAX_ITEMS];
	size_t nsizes;
	size_t block;
	uint64_t io_size;           /* --io-size; 0: block */
	unsigned reps, warmup;
	enum cache_state caches[2]; /* hot, cold, or both in that order */
	size_t ncaches;
	int drop_caches;            /* cold: also echo 3 > drop_caches */
	enum consume_mode consume;
	double min_sample_ms;       /* calibrate passes per sample to last this long */
	int pin_cpu;                /* the measuring thread's CPU, or -1 */
	int explain;                /* print predicted and measured syscalls afterwards */
	char dir[PATH_MAX], out[PATH_MAX];
	int keep;
	uint64_t seed;
	uint64_t mem_limit;         /* --mem-limit; 0: none */
	double duration_s;          /* --duration; 0: counted passes */
	double interval_s;          /* --interval */
	uint64_t plant_ns;          /* --plant-ns: a busy-wait of this many ns at every span_moved; 0: none */
	struct memcg *memcg;        /* made by cmd_run when mem_limit; NULL otherwise */
	unsigned workers;           /* --workers: 1 runs the sweep in this process (plan/workers.c) */
	unsigned warmup_workers;    /* --warmup-workers: run first and discarded, 0 or 1 */
	char turns[2 * PATH_MAX + 2]; /* --turns IN,OUT: wait for a turn before each worker (ABBA) */
	int argc;                   /* the command line ("run" and its options), for the workers */
	char **argv;
	/* In a worker process (core/worker.h) only: */
	int is_worker;              /* samples go to worker_fd, in an order drawn from worker_seed */
	int worker_fd;
	uint64_t worker_seed;
};

/* Set by SIGINT, SIGTERM, SIGHUP or SIGQUIT; the sweep stops before the next sample. */
extern volatile sig_atomic_t stop_signal;
void install_stop_handlers(void);

/* Runs the sweep into cfg->out (which exists and is empty).  Returns the exit
 * status: 0 done, 1 a transfer failed or did not verify, 130 interrupted.
 * In a worker process (cfg->is_worker, meta NULL) it writes nothing into
 * cfg->out: every sample, and how it ended, goes to cfg->worker_fd. */
int sweep_run(const struct run_config *cfg, struct meta *meta);

/* The cells of the plan, [size][cache][pair], as the sweep numbers them; each
 * keyed, with no sample.  cells_free() frees them. */
struct cell *sweep_cells(const struct run_config *cfg, size_t *ncells);

/* Whether pair k runs in cache state ci (cold writes into a new file do not). */
int sweep_pair_runs(const struct run_config *cfg, size_t k, size_t ci);

/* Progress on a terminal with an ETA, work counted in bytes plus a fixed cost
 * per repetition; `rounds` sweeps of the plan in all (one per worker). */
struct progress {
	int on;
	double start, done, total;
	unsigned steps_done, steps_total;
	char prefix[32]; /* "worker 2/5 " */
};
void progress_init(struct progress *p, const struct run_config *cfg, unsigned rounds);
/* rep counts the warm-up repetitions first, as the sweep does. */
void progress_step(struct progress *p, const char *strategy, uint64_t size, unsigned rep,
		   const struct run_config *cfg);

/* meta.csv's perf_* keys and the measuring context's calibration. */
void sweep_record_calibration(struct meta *meta, const char (*perf_status)[160], double syscall_baseline,
			      double sender_syscall_baseline, double pass_overhead_ns);
/* --plant-ns: the measured cost of one planted wait into meta under key. */
void sweep_record_plant(uint64_t ns, struct meta *meta, const char *key);

#endif
