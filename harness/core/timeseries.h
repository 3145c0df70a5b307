/* --duration's sampler: a thread that wakes every --interval, reads the
 * movers' span counts and the system's counters, and writes one row of
 * timeseries.csv (flushed, so an interrupted run keeps its rows).  It owns
 * the cell's clock: it sets the movers' stop flag at t0 + duration, or at
 * the first wake after a stop signal. */
#ifndef IOPATHS_TIMESERIES_H
#define IOPATHS_TIMESERIES_H

#include "csvio.h"
#include "diskstats.h"
#include "interrupts.h"
#include "strategy.h"
#include "vmstat.h"

#include <signal.h>

/* One reading of the memory cgroup (memcg.h's memcg_stat); NaN where absent. */
struct ts_mem {
	double usage, file, refault_file, pgscan, pgsteal, pgmajfault, oom_kill;
};
typedef void (*ts_mem_fn)(void *arg, struct ts_mem *out);

/* What stays the same for every cell of a run. */
struct timeseries {
	struct csv_out out;
	int open;
	double duration_s, interval_s;
	uint64_t mem_limit;         /* 0: none */
	const char *cgroup_version; /* "v1", "v2", "" */
	ts_mem_fn mem_read;         /* NULL: no memory cgroup, the memory columns are NA */
	void *mem_arg;
	struct diskdev dev;
	struct diskstats_reader ds;
	int fd_io;                  /* /proc/self/io: this process's own reads; -1: none */
	int fd_log;                 /* the tests' hook: every raw reading (IOPATHS_TEST_SAMPLER_LOG); -1 */
	unsigned cells;             /* cells started, for the hook's lines */
	struct vmstat_reader vmstat; /* the sampler's own readers */
	struct interrupts_reader interrupts;
	const volatile sig_atomic_t *stop_signal; /* polled at least every 50 ms */
	const int *stop_other;      /* the same for another stop (an OOM), or NULL: no row, not "interrupted" */
};

/* The cell a series is of: its identity columns and its movers. */
struct ts_cell {
	char strategy[64], label[256], madvise[32], qd[32], direct[32];
	unsigned threads;
	uint64_t io_bytes, file_bytes;
	struct job *movers[MAX_THREADS]; /* spans_done and their consumers' counts are read */
	unsigned nmovers;
	int *stop;                       /* the movers' flag, set by the sampler */
	/* out, the cell's totals over its rows */
	unsigned rows;
	unsigned missed;                 /* the sampler's ticks passed over (it woke late) */
	int interrupted;                 /* the stop signal ended it */
	double wall_s, ops, majflt, minflt, tlb, dev_bytes, oom_kill;
	double mem_peak;                 /* NaN without a memory cgroup */
};

extern const char *const timeseries_columns[];

/* Opens <dir>/timeseries.csv with its header: 0 or -1 with errno. */
int timeseries_open(struct timeseries *ts, const char *dir);
int timeseries_close(struct timeseries *ts);

/* Starts the sampler for one cell (movers not yet started or just started;
 * t0 is taken now).  0, or an errno. */
int timeseries_start(struct timeseries *ts, struct ts_cell *c, pthread_t *tid);
/* Waits for it: the cell's totals are in c.  0, or -1 when a row could not
 * be written (errno). */
int timeseries_join(pthread_t tid);

#endif
