/* runs.csv (one row per recorded repetition, flushed as it happens),
 * summary.csv (statistics per strategy and size) and the table on stdout. */
#ifndef IOPATHS_RESULTS_H
#define IOPATHS_RESULTS_H

#include "csvio.h"
#include "measure.h"

/* Every recorded sample of one (strategy, sink, cache, size, block). */
struct cell {
	const struct strategy *strategy;
	const char *sink, *cache, *consume, *msync;
	int fsync;
	uint64_t file_bytes;
	size_t block_bytes;
	struct sample *samples;
	size_t n, cap;
	unsigned iters;       /* passes per sample, once calibrated; 0 before */
	int cache_warned;     /* the requested cache state was missed, and said so */
};

extern const char *const runs_columns[];
extern const char *const summary_columns[];

int runs_open(struct csv_out *w, const char *path);
/* Appends the sample to the cell and its row to runs.csv.  -1 when the write fails. */
int runs_record(struct csv_out *w, struct cell *c, unsigned rep, const struct sample *s);

int summary_write(const char *path, const struct cell *cells, size_t ncells);

/* strategy x size, median MiB/s, for a terminal. */
void print_table(FILE *f, const struct cell *cells, size_t ncells, const uint64_t *sizes, size_t nsizes);

/* "write[fsync]", "mmap-shared-write[msync=async]": the strategy and its variant,
 * without spaces (figures split lists of labels on blanks). */
void cell_label(const struct cell *c, char *out, size_t len);

void cells_free(struct cell *cells, size_t ncells);

#endif
