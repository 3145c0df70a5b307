/* iopaths run --workers K: the parent of K worker processes (workers.c). */
#ifndef IOPATHS_WORKERS_H
#define IOPATHS_WORKERS_H

#include "meta.h"
#include "sweep.h"

/* How the parent tells the exec'd binary it is a worker: after "run", before
 * the run's own options; not an option of the table (no user gives it). */
#define WORKER_FLAG "--worker-child"

/* The parent's part: cfg->out made, meta collected.  Runs the workers one
 * after another (with --turns, each when its turn comes), merges their
 * samples into runs.csv and summary.csv, writes meta.csv; the exit status as
 * sweep_run's. */
int workers_run(const struct run_config *cfg, struct meta *meta);

/* In a worker: 2 (the words to skip after argv[0]) when argv is a worker's
 * command line, its seed and pipe set in cfg; 0 when it is not one. */
int worker_child_args(int argc, char **argv, struct run_config *cfg);

#endif
