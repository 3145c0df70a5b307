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
};

/* Set by SIGINT, SIGTERM, SIGHUP or SIGQUIT; the sweep stops before the next sample. */
extern volatile sig_atomic_t stop_signal;
void install_stop_handlers(void);

/* Runs the sweep into cfg->out (which exists and is empty).  Returns the exit
 * status: 0 done, 1 a transfer failed or did not verify, 130 interrupted. */
int sweep_run(const struct run_config *cfg, struct meta *meta);

#endif
