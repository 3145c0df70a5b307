/* iopaths floor OUT.csv AA_COMPARE.csv...: the machine's noise floor per cell,
 * from A/A comparisons (make aa's compare.csv: the same build run twice, one
 * after the other).  Each A/A table gives a cell one value, the far end of its
 * interval of change, max(|ci_lo_pct|, |ci_hi_pct|): the largest change a
 * rerun with nothing changed was seen to allow at 95 %.  The floor is the 95th
 * percentile of those values over the tables (nearest rank: with fewer than
 * 20 tables, the largest).  `iopaths compare --floor OUT.csv` then calls no
 * change inside a cell's floor: what a comparison across boots needs, where
 * the two sides cannot take turns. */
#include "floor.h"

#include "cell.h"
#include "compare_table.h"
#include "csvio.h"
#include "strmap.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { C_VERDICT, C_METRIC, C_LO, C_HI, C_NCOLS };
static const char *const col_names[C_NCOLS] = { "verdict", "metric", "ci_lo_pct", "ci_hi_pct" };

struct cell {
	char **key; /* key_columns() texts */
	double *far; /* one value a table */
	size_t n, cap;
};

struct floors {
	struct cell *cells;
	size_t ncells, cap;
	struct strmap index; /* joined key -> cell */
	char *text;
	size_t text_cap;
	/* the file being read */
	const char *path;
	int header_seen;
	int col[C_NCOLS];
	int key_col[MAX_KEY_COLUMNS];
	size_t rows; /* cells taken from this file */
	char err[PATH_MAX + 128];
};

static int on_header(struct floors *fl, char **fields, size_t count)
{
	for (int c = 0; c < C_NCOLS; c++)
		if ((fl->col[c] = csv_column(fields, count, col_names[c])) < 0)
			goto missing;
	for (size_t k = 0; k < key_columns(); k++)
		if ((fl->key_col[k] = csv_column(fields, count, key_column(k))) < 0) {
			snprintf(fl->err, sizeof(fl->err),
				 "%s has no column %s: made by an iopaths compare before the cell's whole key was "
				 "written; run compare on its folders again",
				 fl->path, key_column(k));
			return 1;
		}
	fl->header_seen = 1;
	return 0;
missing:
	for (int c = 0; c < C_NCOLS; c++)
		if (fl->col[c] < 0) {
			snprintf(fl->err, sizeof(fl->err), "%s has no column %s: not iopaths compare's compare.csv",
				 fl->path, col_names[c]);
			break;
		}
	return 1;
}

static const char *field(char **fields, size_t count, int col)
{
	return col >= 0 && (size_t)col < count ? fields[col] : "";
}

static int on_row(char **fields, size_t count, void *arg)
{
	struct floors *fl = arg;
	if (!fl->header_seen)
		return on_header(fl, fields, count);
	const char *metric = field(fields, count, fl->col[C_METRIC]);
	const char *lo = field(fields, count, fl->col[C_LO]), *hi = field(fields, count, fl->col[C_HI]);
	/* The base run's rows, a pressure metric, and a cell without an interval (one worker) give nothing. */
	if (strcmp(field(fields, count, fl->col[C_VERDICT]), "base") == 0 || (*metric && strcmp(metric, "mibps") != 0) ||
	    !*lo || !*hi)
		return 0;
	char *end_lo, *end_hi;
	double l = strtod(lo, &end_lo), h = strtod(hi, &end_hi);
	if (*end_lo || *end_hi || !isfinite(l) || !isfinite(h)) {
		snprintf(fl->err, sizeof(fl->err), "%s: ci_lo_pct or ci_hi_pct is not a number: %.40s, %.40s",
			 fl->path, lo, hi);
		return 1;
	}
	const char *key[MAX_KEY_COLUMNS];
	for (size_t k = 0; k < key_columns(); k++)
		key[k] = field(fields, count, fl->key_col[k]);
	size_t len = strmap_join(&fl->text, &fl->text_cap, key, key_columns());
	size_t i = strmap_find(&fl->index, fl->text, len);
	if (i == STRMAP_NONE) {
		if (fl->ncells == fl->cap) {
			size_t cap = fl->cap ? 2 * fl->cap : 64;
			struct cell *grown = realloc(fl->cells, cap * sizeof(*grown));
			if (!grown)
				abort();
			fl->cells = grown;
			fl->cap = cap;
		}
		struct cell *c = &fl->cells[fl->ncells];
		*c = (struct cell){ .key = calloc(key_columns(), sizeof(char *)) };
		if (!c->key)
			abort();
		for (size_t k = 0; k < key_columns(); k++)
			if (!(c->key[k] = strdup(key[k])))
				abort();
		strmap_add(&fl->index, fl->text, len, fl->ncells);
		i = fl->ncells++;
	}
	struct cell *c = &fl->cells[i];
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 4;
		double *grown = realloc(c->far, cap * sizeof(*grown));
		if (!grown)
			abort();
		c->far = grown;
		c->cap = cap;
	}
	c->far[c->n++] = fmax(fabs(l), fabs(h));
	fl->rows++;
	return 0;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The 95th percentile by nearest rank: the ceil(0.95 n)-th smallest. */
double floor_percentile95(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), by_value);
	size_t rank = (size_t)ceil(0.95 * (double)n);
	return v[(rank ? rank : 1) - 1];
}

static const char usage[] =
	"usage: iopaths floor OUT.csv AA_COMPARE.csv...\n"
	"\n"
	"The machine's noise floor per cell, from A/A comparisons: each\n"
	"AA_COMPARE.csv is iopaths compare's of two runs of the same build one after\n"
	"the other (make aa writes them).  Each table gives a cell the far end of its\n"
	"interval of change, max(|ci_lo_pct|, |ci_hi_pct|); the cell's floor_pct is\n"
	"the 95th percentile of those over the tables (nearest rank: with fewer than\n"
	"20 tables, the largest), with aa_tables the count.  OUT.csv holds the key\n"
	"columns, floor_pct and aa_tables, written whole and never over an existing\n"
	"file; give it to iopaths compare --floor, which then calls no change inside\n"
	"a cell's floor.  Status 2 on bad input.\n";

int cmd_floor(int argc, char **argv)
{
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(usage, stdout);
		return 0;
	}
	if (argc < 3) {
		fputs("iopaths: floor: needs OUT.csv and at least one A/A compare.csv (see --help)\n", stderr);
		return 2;
	}
	const char *out = argv[1];
	struct stat st;
	if (lstat(out, &st) == 0) {
		fprintf(stderr, "iopaths: floor: %s exists; not replacing it\n", out);
		return 2;
	}
	struct floors fl = { 0 };
	int rc = 0;
	for (int a = 2; a < argc && rc == 0; a++) {
		char err[PATH_MAX + 256];
		fl.path = argv[a];
		fl.header_seen = 0;
		fl.rows = 0;
		fl.err[0] = 0;
		if (csv_read_file(argv[a], on_row, &fl, err, sizeof(err)) != 0 || fl.err[0]) {
			fprintf(stderr, "iopaths: floor: %s\n", fl.err[0] ? fl.err : err); /* a row's complaint stops the read */
			rc = 2;
		} else if (!fl.header_seen || fl.rows == 0) {
			fprintf(stderr, "iopaths: floor: %s has no compared MiB/s cell with an interval\n", argv[a]);
			rc = 2;
		}
	}
	struct csv_out w;
	if (rc == 0 && csv_out_create_path(&w, out) != 0) {
		fprintf(stderr, "iopaths: floor: %s: %s\n", out, strerror(errno));
		rc = 1;
	}
	if (rc == 0) {
		const char *names[MAX_KEY_COLUMNS + 3];
		size_t n = 0;
		for (size_t k = 0; k < key_columns(); k++)
			names[n++] = key_column(k);
		names[n++] = "floor_pct";
		names[n++] = "aa_tables";
		names[n] = NULL;
		csv_out_header(&w, names);
		for (size_t i = 0; i < fl.ncells; i++) {
			struct cell *c = &fl.cells[i];
			for (size_t k = 0; k < key_columns(); k++)
				csv_out_str(&w, c->key[k]);
			csv_out_double(&w, floor_percentile95(c->far, c->n));
			csv_out_u64(&w, c->n);
			csv_out_end_row(&w);
		}
		if (csv_out_close(&w) != 0) {
			fprintf(stderr, "iopaths: floor: writing %s failed: %s\n", out, strerror(errno));
			rc = 1;
		} else {
			printf("iopaths: floor: %zu cells from %d A/A tables: %s\n", fl.ncells, argc - 2, out);
		}
	}
	for (size_t i = 0; i < fl.ncells; i++) {
		for (size_t k = 0; k < key_columns(); k++)
			free(fl.cells[i].key[k]);
		free(fl.cells[i].key);
		free(fl.cells[i].far);
	}
	free(fl.cells);
	free(fl.text);
	strmap_free(&fl.index);
	return rc;
}
