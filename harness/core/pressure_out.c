/* pressure.csv from timeseries.csv; see pressure_out.h.  One cell is one
 * label: its rows, in file order, are its intervals. */
#include "pressure_out.h"

#include "cliff.h"
#include "csvio.h"
#include "strmap.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const pressure_ts_columns[] = { "label", "strategy", "madvise", "threads", "qd", "direct", "file_bytes",
	"mem_limit_bytes", "t_s", "dt_s", "used_bytes", "mibps", "majflt", "mem_bytes", "refault_file",
	"tlb_shootdowns", "dev_read_bytes", "backing_read_bytes", "spans_checked", "spans_bad", NULL };
enum { TS_LABEL, TS_STRATEGY, TS_MADVISE, TS_THREADS, TS_QD, TS_DIRECT, TS_FILE, TS_LIMIT, TS_T, TS_DT, TS_USED,
	TS_MIBPS, TS_MAJFLT, TS_MEM, TS_REFAULT, TS_TLB, TS_DEV, TS_BACKING, TS_CHECKED, TS_BAD, TS_NCOLS };
#define NKEYS TS_T /* label .. mem_limit_bytes: the cell's key, from its first row */

const char *const pressure_columns[] = { "label", "strategy", "madvise", "threads", "qd", "direct", "file_bytes",
	"mem_limit_bytes", "limit_reached_s", "cliff_s", "depth", "mibps_before", "mibps_after", "amp_before",
	"amp_after", "tlb_per_s_before", "tlb_per_s_after", "majflt_per_s_after", "refault_per_s_after",
	"spans_checked", "spans_bad", "cliff_fraction", "reached_share", "outcome", "intervals", NULL };

enum { V_T, V_DT, V_MIBPS, V_MEM, V_DEV, V_USED, V_TLB, V_MAJFLT, V_REFAULT, V_CHECKED, V_BAD, NV };

#define KEY_MAX 512 /* a label of iopaths is far shorter; a longer one is refused */

struct cell {
	char *key[NKEYS]; /* into one allocation, key[0]'s */
	size_t n;         /* intervals */
	size_t first;     /* where its points begin in the points ordered by cell */
};

struct point { /* one interval of one cell */
	size_t cell;
	double v[NV];
};

struct reading {
	int col[TS_NCOLS];
	size_t rows;
	struct cell *cells;
	size_t ncells, cap;
	struct strmap index; /* label -> cell: a row's cell in constant time */
	struct point *pts;
	size_t npts, ptscap;
	char *err;
	size_t errlen;
	const char *path;
};

/* A number, or NaN for an empty field (NA) or anything else. */
static double number(const char *s)
{
	if (!s || !*s)
		return NAN;
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	return *end || errno ? NAN : v;
}

static int ts_row(char **fields, size_t count, void *arg)
{
	struct reading *r = arg;
	if (r->rows++ == 0) {
		for (int k = 0; k < TS_NCOLS; k++) {
			r->col[k] = -1;
			for (size_t i = 0; i < count; i++)
				if (strcmp(fields[i], pressure_ts_columns[k]) == 0)
					r->col[k] = (int)i;
			if (r->col[k] < 0) {
				snprintf(r->err, r->errlen, "%s has no column %s: not a timeseries.csv of iopaths run --duration",
					 r->path, pressure_ts_columns[k]);
				return 1;
			}
		}
		return 0;
	}
	const char *f[TS_NCOLS];
	for (int k = 0; k < TS_NCOLS; k++)
		f[k] = (size_t)r->col[k] < count ? fields[r->col[k]] : "";
	if (!f[TS_LABEL][0]) {
		snprintf(r->err, r->errlen, "%s: row %zu has no label", r->path, r->rows);
		return 1;
	}
	for (int k = 0; k < NKEYS; k++)
		if (strlen(f[k]) >= KEY_MAX) {
			snprintf(r->err, r->errlen, "%s: row %zu: its %s is longer than %d bytes", r->path, r->rows,
				 pressure_ts_columns[k], KEY_MAX - 1);
			return 1;
		}
	struct cell *c = NULL;
	size_t label_len = strlen(f[TS_LABEL]), at = strmap_find(&r->index, f[TS_LABEL], label_len);
	if (at != STRMAP_NONE)
		c = &r->cells[at];
	else {
		if (r->ncells == r->cap) {
			r->cap = r->cap ? 2 * r->cap : 8;
			struct cell *grown = realloc(r->cells, r->cap * sizeof(*grown));
			if (!grown)
				abort();
			r->cells = grown;
		}
		strmap_add(&r->index, f[TS_LABEL], label_len, r->ncells);
		c = &r->cells[r->ncells++];
		memset(c, 0, sizeof(*c));
		size_t len = 0;
		for (int k = 0; k < NKEYS; k++)
			len += strlen(f[k]) + 1;
		char *keys = malloc(len);
		if (!keys)
			abort();
		for (int k = 0; k < NKEYS; k++) {
			c->key[k] = keys;
			keys = stpcpy(keys, f[k]) + 1;
		}
	}
	if (r->npts == r->ptscap) {
		r->ptscap = r->ptscap ? 2 * r->ptscap : 256;
		struct point *grown = realloc(r->pts, r->ptscap * sizeof(*grown));
		if (!grown)
			abort();
		r->pts = grown;
	}
	struct point *p = &r->pts[r->npts++];
	p->cell = (size_t)(c - r->cells);
	c->n++;
	p->v[V_T] = number(f[TS_T]);
	p->v[V_DT] = number(f[TS_DT]);
	p->v[V_MIBPS] = number(f[TS_MIBPS]);
	p->v[V_MEM] = number(f[TS_MEM]);
	/* a loop device's reads are its backing device's (DESIGN-14 §2.7) */
	p->v[V_DEV] = f[TS_BACKING][0] ? number(f[TS_BACKING]) : number(f[TS_DEV]);
	p->v[V_USED] = number(f[TS_USED]);
	p->v[V_TLB] = number(f[TS_TLB]);
	p->v[V_MAJFLT] = number(f[TS_MAJFLT]);
	p->v[V_REFAULT] = number(f[TS_REFAULT]);
	p->v[V_CHECKED] = number(f[TS_CHECKED]);
	p->v[V_BAD] = number(f[TS_BAD]);
	return 0;
}

static void cells_free(struct reading *r)
{
	for (size_t i = 0; i < r->ncells; i++)
		free(r->cells[i].key[0]);
	strmap_free(&r->index);
	free(r->cells);
	free(r->pts);
}

static double sum(const double *v, size_t n)
{
	double s = 0;
	for (size_t i = 0; i < n; i++)
		if (!isnan(v[i]))
			s += v[i];
	return s;
}

/* Cell number `cell` of r: its intervals, in file order (order: the points'
 * indexes grouped by cell, by_cell), as one column per value (one
 * allocation), through the cliff rule, as one row. */
static void write_cell(struct csv_out *w, const struct reading *r, size_t cell, const size_t *order)
{
	const struct cell *c = &r->cells[cell];
	double *col = malloc(NV * c->n * sizeof(*col));
	if (!col)
		abort();
	for (size_t i = 0; i < c->n; i++) {
		const struct point *pt = &r->pts[order[c->first + i]];
		for (int k = 0; k < NV; k++)
			col[(size_t)k * c->n + i] = pt->v[k];
	}
#define V(k) (col + (size_t)(k) * c->n)
	struct cliff_in in = { .n = c->n, .t_s = V(V_T), .dt_s = V(V_DT), .mibps = V(V_MIBPS), .mem = V(V_MEM),
		.dev = V(V_DEV), .used = V(V_USED), .tlb = V(V_TLB), .majflt = V(V_MAJFLT), .refault = V(V_REFAULT),
		.limit = number(c->key[TS_LIMIT]) };
	struct cliff_out o;
	cliff_find(&in, &o);
	for (int k = 0; k < NKEYS; k++)
		csv_out_str(w, c->key[k]);
	csv_out_double(w, o.reached_s);
	csv_out_double(w, o.cliff_s);
	csv_out_double(w, o.depth);
	csv_out_double(w, o.before_mibps);
	csv_out_double(w, o.after_mibps);
	csv_out_double(w, o.amp_before);
	csv_out_double(w, o.amp_after);
	csv_out_double(w, o.tlb_per_s_before);
	csv_out_double(w, o.tlb_per_s_after);
	csv_out_double(w, o.majflt_per_s_after);
	csv_out_double(w, o.refault_per_s_after);
	csv_out_u64(w, (uint64_t)sum(V(V_CHECKED), c->n));
	csv_out_u64(w, (uint64_t)sum(V(V_BAD), c->n));
	csv_out_double(w, CLIFF_FRACTION);
	csv_out_double(w, REACHED_SHARE);
	csv_out_str(w, cliff_outcome_names[o.outcome]);
	csv_out_u64(w, c->n);
	csv_out_end_row(w);
	free(col);
#undef V
}

/* The points' indexes grouped by cell, each cell's in file order, from
 * cells[c].first on: a counting sort, linear in the points. */
static size_t *by_cell(struct reading *r)
{
	size_t *order = malloc((r->npts + 1) * sizeof(*order)), next = 0;
	if (!order)
		abort();
	for (size_t c = 0; c < r->ncells; c++) {
		r->cells[c].first = next;
		next += r->cells[c].n;
		r->cells[c].n = 0; /* counted again as they are placed */
	}
	for (size_t p = 0; p < r->npts; p++) {
		struct cell *c = &r->cells[r->pts[p].cell];
		order[c->first + c->n++] = p;
	}
	return order;
}

int pressure_write(const char *run, char *err, size_t errlen)
{
	char path[PATH_MAX + 32];
	snprintf(path, sizeof(path), "%s/timeseries.csv", run);
	struct reading r = { .err = err, .errlen = errlen, .path = path };
	err[0] = 0;
	int rc = csv_read_file(path, ts_row, &r, err, errlen);
	if (rc == 0 && err[0] == 0 && r.ncells == 0)
		snprintf(err, errlen, "%s has no rows", path);
	if (rc != 0 || err[0]) {
		cells_free(&r);
		return 2;
	}
	struct csv_out w;
	if (csv_out_create(&w, run, "pressure.csv") != 0) {
		snprintf(err, errlen, "cannot create pressure.csv in %s: %s", run, strerror(errno));
		cells_free(&r);
		return 1;
	}
	csv_out_header(&w, pressure_columns);
	size_t *order = by_cell(&r);
	for (size_t i = 0; i < r.ncells; i++)
		write_cell(&w, &r, i, order);
	free(order);
	cells_free(&r);
	if (csv_out_close(&w) != 0) {
		snprintf(err, errlen, "%s/pressure.csv: %s", run, strerror(errno));
		return 1;
	}
	return 0;
}
