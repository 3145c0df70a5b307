/* The comparison table, shared by compare.c (loading, the test) and
 * compare_out.c (text, compare.csv, index.html).  Internal to compare. */
#ifndef IOPATHS_COMPARE_TABLE_H
#define IOPATHS_COMPARE_TABLE_H

#include "cell.h"
#include "strmap.h"
#include "twosample.h"

#include <stddef.h>
#include <stdio.h>

#define COMPARE_ALPHA 0.05
#define MAX_KEY_COLUMNS (NDIMS + 64) /* cell.h's key columns: its dimensions, then the options */

/* summary.csv columns compare shows; label to consume name a cell in tables.
 * What identifies a cell across runs, and joins runs.csv to summary.csv, is
 * its key: every identity column of cell.h. */
enum field { F_LABEL, F_SINK, F_CACHE, F_BYTES, F_BLOCK, F_CONSUME, F_MEDIAN, F_LO, F_HI, F_NFIELDS };
#define F_CELL_LAST F_CONSUME

struct row {
	char *f[F_NFIELDS];
	char **key; /* the text of each of cell.h's key columns; a column a run lacks reads as its default;
		     * NULL in a pressure.csv row */
	const char *metric; /* "mibps": a summary.csv cell; else a pressure.csv metric (compare.c) */
	char *mem_limit;    /* a pressure.csv row's mem_limit_bytes; NULL in a summary.csv cell */
	double *mibps; /* every repetition's MiB/s, from runs.csv; a pressure.csv row: its one value */
	int *worker;   /* [i]: the worker process of mibps[i] (runs.csv's worker; 1 when it has none) */
	size_t n, cap;
};

struct run {
	const char *dir;
	char name[256]; /* R1:ext4:6.18.44, no blanks: figures split on them */
	char host[128], kernel[128], fs[64];
	int abba; /* meta worker_order is abba:...: one side of an interleaved sitting */
	struct row *rows;
	size_t nrows, cap;
};

/* One cell in one run. */
struct result {
	const struct row *row;  /* NULL: the cell is not in this run */
	const struct row *base; /* the same cell in the base run; NULL: none */
	size_t n;                   /* positive MiB/s samples */
	double hmean, cv, min, max; /* of those; cv in % */
	double hmean_change;        /* Hmean against the base's, in % */
	struct twosample t;         /* per repetition against the base (run 2 on): the change and its interval only */
	struct worker_test w;       /* across workers against the base: p, the interval, the verdict */
	double floor_pct;           /* --floor's for this cell; NaN: none */
	double q;                   /* Benjamini–Hochberg over every test of the table */
	const char *verdict;
	double group_gmean; /* geometric mean of Hmean ratios over the cells of this label */
	size_t group_cells;
};

struct table {
	struct run *runs;
	int nruns;
	const struct row **cells; /* distinct cells, in order of first appearance */
	size_t ncells;
	size_t *group;            /* group[cell]: its label's number, in order of first appearance */
	const char **group_label; /* [group] */
	size_t ngroups;
	struct result *res; /* res[cell * nruns + run] */
	double noise_pct;            /* --noise: the threshold delta */
	struct strmap floors;        /* --floor: a cell's key -> index in floor_pct */
	double *floor_pct;
	size_t nfloors;
	unsigned faster, slower, same, cannot_tell, one_worker, too_few, no_base;
	unsigned tested, p_below_alpha; /* tests with a p-value; of those, p <= alpha before correction */
};

static inline struct result *result_at(const struct table *t, size_t cell, int run)
{
	return &t->res[cell * (size_t)t->nruns + (size_t)run];
}

/* faster or slower: the change is marked between stars, as mmtests'
 * compare-kernels marks a significant one (*+12.30%*). */
int verdict_is_change(const char *verdict);

/* A pressure.csv row, not a MiB/s cell. */
static inline int row_is_metric(const struct row *row)
{
	return row->key == NULL;
}

void compare_print(FILE *f, const struct table *t);
int compare_write_csv(const struct table *t, const char *path); /* 0, or -1 with errno */
void compare_write_html(FILE *f, const struct table *t);
#endif
