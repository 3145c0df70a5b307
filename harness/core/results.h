/* runs.csv (one row per recorded repetition, flushed as it happens),
 * summary.csv (statistics per strategy and size) and the table on stdout. */
#ifndef IOPATHS_RESULTS_H
#define IOPATHS_RESULTS_H

#include "cell.h"
#include "csvio.h"
#include "measure.h"

/* Every recorded sample of one cell. */
struct cell {
	struct cell_key key;  /* what identifies it: cell.h */
	struct sample *samples;
	size_t n, cap;
	unsigned iters;       /* passes per sample, once calibrated; 0 before */
	int cache_warned;     /* the requested cache state was missed, and said so */
};

/* The columns as they stood; the key columns not among them follow them. */
extern const char *const runs_columns[];
extern const char *const summary_columns[];

int runs_open(struct csv_out *w, const char *path);
/* Appends the sample to the cell and its row to runs.csv.  -1 when the write fails. */
int runs_record(struct csv_out *w, struct cell *c, unsigned rep, const struct sample *s);

/* cost_ratio: c_worker / c_rep, a worker's fixed cost over one repetition's
 * (both measured, worker.h); NaN when not measured (one in-process worker). */
int summary_write(const char *path, const struct cell *cells, size_t ncells, double cost_ratio);

/* strategy x size, median MiB/s, for a terminal. */
void print_table(FILE *f, const struct cell *cells, size_t ncells, const uint64_t *sizes, size_t nsizes);

void cells_free(struct cell *cells, size_t ncells);

static inline uint64_t cell_bytes(const struct cell *c)
{
	return c->key.dim[D_FILE_BYTES];
}

#endif
