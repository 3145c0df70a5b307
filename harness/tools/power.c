/* iopaths power OUT_DIR COMPARE.csv (issue 19): the proof of compare's power
 * on this machine.  COMPARE.csv compares a plain run (its first run, the
 * base) with runs made with --plant-ns.  A planted run says in meta.csv what
 * one planted wait measured (plant_wait_ns, before and after its sweep), and
 * in summary.csv how many waits a pass paid (moves_per_pass_median); the base
 * says how long a pass took without them (base_mibps_median).  So each cell's
 * expected change is known before compare is asked, and power.csv says, per
 * band of expected change, the share of cells compare called slower (right),
 * faster (the wrong sign), or neither.  power_cells.csv has every cell. */
#include "power.h"

#include "csvio.h"
#include "outfile.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const double power_bands[POWER_NBANDS] = { 2, 5, 10, 20 };
const double power_band_lo[POWER_NBANDS] = { 1.4142135623730951, 3.1622776601683795, 7.0710678118654755,
					     14.142135623730951 };
const double power_band_hi[POWER_NBANDS] = { 3.1622776601683795, 7.0710678118654755, 14.142135623730951,
					     28.284271247461902 };

double power_expected_pct(double base_wall_ns, double moves_per_pass, double threads, double wait_ns)
{
	if (!(base_wall_ns > 0) || !(moves_per_pass >= 0) || !(wait_ns >= 0))
		return NAN;
	double added = moves_per_pass / (threads >= 1 ? threads : 1) * wait_ns;
	return 100 * (base_wall_ns / (base_wall_ns + added) - 1);
}

int power_band_of(double expected_pct)
{
	double e = fabs(expected_pct);
	for (int b = 0; b < POWER_NBANDS; b++)
		if (e >= power_band_lo[b] && e < power_band_hi[b])
			return b;
	return -1;
}

static const char usage[] =
	"usage: iopaths power OUT_DIR COMPARE.csv...\n"
	"\n"
	"Each COMPARE.csv is `iopaths compare`'s, of a plain run (the base, its first\n"
	"run) against runs made with `iopaths run --plant-ns N`.  For each cell of each\n"
	"planted run: the expected change of MiB/s, from the base's time per pass\n"
	"(base_mibps_median), the planted run's waits per pass (summary.csv,\n"
	"moves_per_pass_median, divided by its threads) and the measured cost of one\n"
	"wait (meta.csv, the mean of plant_wait_ns and plant_wait_ns_end); its band\n"
	"(2, 5, 10 or 20 %: the nearest on a log scale, edges 1.41, 3.16, 7.07, 14.1\n"
	"and 28.3 %; outside them, none); and the outcome: right (slower), wrong sign\n"
	"(faster) or no verdict (anything else).  Writes OUT_DIR/power.csv (one row a\n"
	"band) and OUT_DIR/power_cells.csv (one row a cell), each whole, never over an\n"
	"earlier one, and prints one line a band.  Status 2 on bad input.\n";

/* ---- reading ---- */

/* A cell's name is six columns, the same in compare.csv and summary.csv:
 * label, sink, cache, file_bytes, block_bytes, consume. */
#define ID_FIELDS 6

/* compare.csv's text fields, by C_ column (run, run_dir, the name, verdict). */
#define CMP_TEXT 9
struct cmp_row {
	size_t f[CMP_TEXT]; /* places in the text store (kept) */
	double base_mibps, change_pct;
	int is_base; /* a row of its file's base run (the first) */
};

/* A planted run's summary.csv row: what its passes paid. */
struct planted_cell {
	size_t id[ID_FIELDS]; /* places in the text store (kept) */
	double moves_per_pass, threads;
};

enum { C_RUN, C_RUN_DIR, C_LABEL, C_SINK, C_CACHE, C_FILE_BYTES, C_BLOCK_BYTES, C_CONSUME, C_VERDICT,
       C_BASE_MIBPS, C_CHANGE, C_METRIC, C_NCOLS };
static const char *const cmp_cols[C_NCOLS] = { "run", "run_dir", "label", "sink", "cache", "file_bytes",
	"block_bytes", "consume", "verdict", "base_mibps_median", "change_pct", "metric" };

struct rows;
struct planted_cells;
struct meta_read;

struct reader {
	const char *what;   /* for messages */
	const char *const *names;
	int ncols, nneeded; /* the first nneeded columns must be there */
	int col[C_NCOLS];
	int header_seen;
	char err[PATH_MAX + 256];
	struct rows *rows;           /* what row fills: one of these */
	struct planted_cells *cells;
	struct meta_read *meta;
	int (*row)(struct reader *rd, char **f, size_t n);
};

static const char *field(const struct reader *rd, char **f, size_t n, int c)
{
	return rd->col[c] >= 0 && (size_t)rd->col[c] < n ? f[rd->col[c]] : "";
}

static int on_row(char **f, size_t n, void *arg)
{
	struct reader *rd = arg;
	if (rd->header_seen)
		return rd->row(rd, f, n);
	rd->header_seen = 1;
	for (int c = 0; c < rd->ncols; c++) {
		rd->col[c] = -1;
		for (size_t i = 0; i < n; i++)
			if (strcmp(f[i], rd->names[c]) == 0 && rd->col[c] < 0)
				rd->col[c] = (int)i;
		if (c < rd->nneeded && rd->col[c] < 0) {
			snprintf(rd->err, sizeof(rd->err), "%s has no column %s", rd->what, rd->names[c]);
			return 1;
		}
	}
	return 0;
}

/* 0, or -1 with the reason in rd->err. */
static int read_csv(const char *path, struct reader *rd)
{
	char err[PATH_MAX + 256];
	rd->header_seen = 0;
	rd->err[0] = '\0';
	if (csv_read_file(path, on_row, rd, err, sizeof(err)) != 0) {
		snprintf(rd->err, sizeof(rd->err), "%s", err);
		return -1;
	}
	if (rd->err[0])
		return -1;
	if (!rd->header_seen) {
		snprintf(rd->err, sizeof(rd->err), "%s is empty", path);
		return -1;
	}
	return 0;
}

/* Every text read is kept in one store, rows holding places in it: one
 * buffer to free, whatever was read. */
static struct {
	char *text;
	size_t used, cap;
} store;

static size_t keep(const char *s)
{
	size_t len = strlen(s) + 1, at = store.used;
	if (store.used + len > store.cap) {
		size_t cap = store.cap ? store.cap : 1 << 16;
		while (store.used + len > cap)
			cap *= 2;
		char *grown = realloc(store.text, cap);
		if (!grown)
			abort();
		store.text = grown;
		store.cap = cap;
	}
	memcpy(store.text + at, s, len);
	store.used += len;
	return at;
}

static const char *kept(size_t at)
{
	return store.text + at;
}

/* A number, or NaN for an empty field or text that is not one. */
static double number(const char *s)
{
	char *end;
	if (!*s)
		return NAN;
	errno = 0;
	double v = strtod(s, &end);
	return *end || errno ? NAN : v;
}

struct rows {
	struct cmp_row *r;
	size_t n, cap;
};

/* A new zeroed row at the end, the table grown when full. */
static struct cmp_row *new_cmp_row(struct rows *rows)
{
	if (rows->n == rows->cap) {
		size_t cap = rows->cap ? 2 * rows->cap : 64;
		struct cmp_row *grown = realloc(rows->r, cap * sizeof(*grown));
		if (!grown)
			abort();
		rows->r = grown;
		rows->cap = cap;
	}
	struct cmp_row *r = &rows->r[rows->n++];
	memset(r, 0, sizeof(*r));
	return r;
}

static int on_cmp_row(struct reader *rd, char **f, size_t n)
{
	struct rows *rows = rd->rows;
	const char *metric = field(rd, f, n, C_METRIC);
	if (*metric && strcmp(metric, "mibps") != 0)
		return 0; /* a pressure.csv metric: no planted wait is known for it */
	struct cmp_row *r = new_cmp_row(rows);
	for (int c = C_RUN; c <= C_VERDICT; c++)
		r->f[c] = keep(field(rd, f, n, c));
	r->base_mibps = number(field(rd, f, n, C_BASE_MIBPS));
	r->change_pct = number(field(rd, f, n, C_CHANGE));
	return 0;
}

/* What one planted run says. */
struct planted {
	size_t dir; /* its run_dir, kept */
	double plant_ns, wait_ns;
	struct planted_cell *cells; /* its summary.csv rows */
	size_t ncells;
};

enum { M_KEY, M_VALUE, M_NCOLS };
static const char *const meta_cols[M_NCOLS] = { "key", "value" };

struct meta_read {
	double plant_ns, wait, wait_end;
};

static int on_meta_row(struct reader *rd, char **f, size_t n)
{
	struct meta_read *m = rd->meta;
	const char *k = field(rd, f, n, M_KEY), *v = field(rd, f, n, M_VALUE);
	if (strcmp(k, "plant_ns") == 0)
		m->plant_ns = number(v);
	else if (strcmp(k, "plant_wait_ns") == 0)
		m->wait = number(v);
	else if (strcmp(k, "plant_wait_ns_end") == 0)
		m->wait_end = number(v);
	return 0;
}

enum { S_LABEL, S_SINK, S_CACHE, S_FILE_BYTES, S_BLOCK_BYTES, S_CONSUME, S_MOVES, S_THREADS, S_NCOLS };
static const char *const sum_cols[S_NCOLS] = { "label", "sink", "cache", "file_bytes", "block_bytes", "consume",
	"moves_per_pass_median", "threads" };

struct planted_cells {
	struct planted_cell *c;
	size_t n, cap;
};

static struct planted_cell *new_planted_cell(struct planted_cells *cells)
{
	if (cells->n == cells->cap) {
		size_t cap = cells->cap ? 2 * cells->cap : 64;
		struct planted_cell *grown = realloc(cells->c, cap * sizeof(*grown));
		if (!grown)
			abort();
		cells->c = grown;
		cells->cap = cap;
	}
	struct planted_cell *c = &cells->c[cells->n++];
	memset(c, 0, sizeof(*c));
	return c;
}

static int on_sum_row(struct reader *rd, char **f, size_t n)
{
	struct planted_cells *cells = rd->cells;
	struct planted_cell *c = new_planted_cell(cells);
	for (int k = 0; k < ID_FIELDS; k++)
		c->id[k] = keep(field(rd, f, n, S_LABEL + k));
	c->moves_per_pass = number(field(rd, f, n, S_MOVES));
	double threads = number(field(rd, f, n, S_THREADS));
	c->threads = isnan(threads) ? 1 : threads; /* before the threads column: one */
	return 0;
}

static int same_cell(const size_t *a, const size_t *b)
{
	for (int k = 0; k < ID_FIELDS; k++)
		if (strcmp(kept(a[k]), kept(b[k])) != 0)
			return 0;
	return 1;
}

/* The planted run's meta and summary; 2 with a message on bad input. */
static int planted_read(struct planted *p, size_t dir_at)
{
	char path[PATH_MAX + 32], dir[PATH_MAX];
	snprintf(dir, sizeof(dir), "%s", kept(dir_at)); /* the store grows as the summary is read */
	p->dir = dir_at;
	struct meta_read m = { NAN, NAN, NAN };
	struct reader rd = { .what = path, .names = meta_cols, .ncols = M_NCOLS, .nneeded = M_NCOLS, .meta = &m,
			     .row = on_meta_row };
	snprintf(path, sizeof(path), "%s/meta.csv", dir);
	if (read_csv(path, &rd) != 0) {
		fprintf(stderr, "iopaths: power: %s\n", rd.err);
		return 2;
	}
	if (!(m.plant_ns > 0) || !(m.wait > 0)) {
		fprintf(stderr, "iopaths: power: %s was not run with --plant-ns (its meta.csv has no plant_ns above 0 "
			"with a measured plant_wait_ns)\n", dir);
		return 2;
	}
	p->plant_ns = m.plant_ns;
	p->wait_ns = m.wait_end > 0 ? (m.wait + m.wait_end) / 2 : m.wait; /* a stopped run has no end */
	struct planted_cells cells = { 0 };
	struct reader rs = { .what = path, .names = sum_cols, .ncols = S_NCOLS, .nneeded = S_MOVES + 1,
			     .cells = &cells, .row = on_sum_row };
	snprintf(path, sizeof(path), "%s/summary.csv", dir);
	if (read_csv(path, &rs) != 0) {
		fprintf(stderr, "iopaths: power: %s\n", rs.err);
		free(cells.c);
		return 2;
	}
	p->cells = cells.c;
	p->ncells = cells.n;
	return 0;
}

/* ---- writing ---- */

static const char *const outcome_names[] = { "right", "wrong sign", "no verdict" };

static int outcome_of(const char *verdict)
{
	return strcmp(verdict, "slower") == 0 ? 0 : strcmp(verdict, "faster") == 0 ? 1 : 2;
}

static int refuse_existing(const char *dir, const char *name)
{
	char path[PATH_MAX + 32];
	struct stat st;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (lstat(path, &st) == 0) {
		fprintf(stderr, "iopaths: power: %s exists; not replacing it\n", path);
		return 2;
	}
	return 0;
}

int cmd_power(int argc, char **argv)
{
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(usage, stdout);
		return 0;
	}
	if (argc < 3) {
		fputs("iopaths: power: needs OUT_DIR and COMPARE.csv (see --help)\n", stderr);
		return 2;
	}
	const char *out = argv[1];
	char err[PATH_MAX + 256];
	if (out_dir_check(out, err, sizeof(err)) != 0) {
		fprintf(stderr, "iopaths: power: %s\n", err);
		return 2;
	}
	if (refuse_existing(out, "power.csv") || refuse_existing(out, "power_cells.csv"))
		return 2;

	struct rows rows = { 0 };
	struct planted planted[64];
	size_t nplanted = 0;
	int rc = 0;
	/* In each file the base is the first run; every other run_dir is a planted run. */
	for (int a = 2; a < argc; a++) {
		const char *cmp = argv[a];
		size_t first = rows.n, planted_runs = 0;
		struct reader rd = { .what = cmp, .names = cmp_cols, .ncols = C_NCOLS, .nneeded = C_METRIC,
				     .rows = &rows, .row = on_cmp_row };
		if (read_csv(cmp, &rd) != 0) {
			fprintf(stderr, "iopaths: power: %s\n", rd.err);
			rc = 2;
			goto done;
		}
		if (rows.n == first) {
			fprintf(stderr, "iopaths: power: %s has no MiB/s cell\n", cmp);
			rc = 2;
			goto done;
		}
		for (size_t i = first; i < rows.n; i++) {
			rows.r[i].is_base = strcmp(kept(rows.r[i].f[C_RUN_DIR]), kept(rows.r[first].f[C_RUN_DIR])) == 0;
			planted_runs += !rows.r[i].is_base;
		}
		if (planted_runs == 0) {
			fprintf(stderr, "iopaths: power: %s compares no run against its base %s\n", cmp,
				kept(rows.r[first].f[C_RUN_DIR]));
			rc = 2;
			goto done;
		}
	}
	for (size_t i = 0; i < rows.n && rc == 0; i++) {
		size_t dir = rows.r[i].f[C_RUN_DIR], k = 0;
		if (rows.r[i].is_base)
			continue;
		while (k < nplanted && strcmp(kept(planted[k].dir), kept(dir)) != 0)
			k++;
		if (k < nplanted)
			continue;
		if (nplanted == sizeof(planted) / sizeof(planted[0])) {
			fprintf(stderr, "iopaths: power: more than %zu planted runs\n", nplanted);
			rc = 2;
		} else if ((rc = planted_read(&planted[nplanted], dir)) == 0) {
			nplanted++;
		}
	}
	if (rc != 0)
		goto freed;

	struct csv_out wc, wb;
	if (csv_out_create(&wc, out, "power_cells.csv") != 0) {
		fprintf(stderr, "iopaths: power: %s/power_cells.csv: %s\n", out, strerror(errno));
		rc = 1;
		goto freed;
	}
	csv_out_header(&wc, (const char *const[]){ "run", "run_dir", "label", "sink", "cache", "file_bytes",
		"block_bytes", "consume", "plant_ns", "plant_wait_ns", "moves_per_pass", "threads", "base_wall_ns",
		"planted_ns_per_pass", "expected_change_pct", "change_pct", "verdict", "band_pct", "outcome", NULL });
	unsigned cells[POWER_NBANDS] = { 0 }, outcomes[POWER_NBANDS][3] = { { 0 } }, outside = 0, unknown = 0;
	for (size_t i = 0; i < rows.n; i++) {
		const struct cmp_row *r = &rows.r[i];
		if (r->is_base)
			continue;
		const struct planted *p = planted;
		while (strcmp(kept(p->dir), kept(r->f[C_RUN_DIR])) != 0)
			p++;
		const struct planted_cell *s = NULL;
		for (size_t k = 0; k < p->ncells && !s; k++)
			if (same_cell(p->cells[k].id, &r->f[C_LABEL]))
				s = &p->cells[k];
		double bytes = number(kept(r->f[C_FILE_BYTES]));
		double wall = r->base_mibps > 0 && bytes >= 0 ? bytes / 1048576.0 / r->base_mibps * 1e9 : NAN;
		double moves = s ? s->moves_per_pass : NAN, threads = s ? s->threads : 1;
		double expected = power_expected_pct(wall, moves, threads, p->wait_ns);
		int band = isnan(expected) ? -1 : power_band_of(expected);
		int outcome = outcome_of(kept(r->f[C_VERDICT]));
		if (isnan(expected))
			unknown++;
		else if (band < 0)
			outside++;
		else {
			cells[band]++;
			outcomes[band][outcome]++;
		}
		for (int c = C_RUN; c <= C_CONSUME; c++)
			csv_out_str(&wc, kept(r->f[c]));
		csv_out_double(&wc, p->plant_ns);
		csv_out_double(&wc, p->wait_ns);
		csv_out_double(&wc, moves);
		csv_out_double(&wc, threads);
		csv_out_double(&wc, wall);
		csv_out_double(&wc, isnan(expected) ? NAN : moves / (threads >= 1 ? threads : 1) * p->wait_ns);
		csv_out_double(&wc, expected);
		csv_out_double(&wc, r->change_pct);
		csv_out_str(&wc, kept(r->f[C_VERDICT]));
		csv_out_double(&wc, band < 0 ? NAN : power_bands[band]);
		csv_out_str(&wc, outcome_names[outcome]);
		csv_out_end_row(&wc);
	}
	if (csv_out_create(&wb, out, "power.csv") != 0) {
		fprintf(stderr, "iopaths: power: %s/power.csv: %s\n", out, strerror(errno));
		csv_out_abort(&wc);
		rc = 1;
		goto freed;
	}
	csv_out_header(&wb, (const char *const[]){ "band_pct", "band_lo_pct", "band_hi_pct", "cells", "right",
		"right_pct", "wrong_sign", "no_verdict", NULL });
	for (int b = 0; b < POWER_NBANDS; b++) {
		csv_out_double(&wb, power_bands[b]);
		csv_out_double(&wb, power_band_lo[b]);
		csv_out_double(&wb, power_band_hi[b]);
		csv_out_u64(&wb, cells[b]);
		csv_out_u64(&wb, outcomes[b][0]);
		csv_out_double(&wb, cells[b] ? 100.0 * outcomes[b][0] / cells[b] : NAN);
		csv_out_u64(&wb, outcomes[b][1]);
		csv_out_u64(&wb, outcomes[b][2]);
		csv_out_end_row(&wb);
	}
	int bad_cells = csv_out_close(&wc) != 0, bad_bands = csv_out_close(&wb) != 0;
	if (bad_cells || bad_bands) {
		fprintf(stderr, "iopaths: power: writing %s/%s failed\n", out, bad_cells ? "power_cells.csv" : "power.csv");
		rc = 1;
		goto freed;
	}
	for (int b = 0; b < POWER_NBANDS; b++) {
		printf("power: expected change %g %% (%.3g to %.3g %%): ", power_bands[b], power_band_lo[b],
		       power_band_hi[b]);
		if (cells[b] == 0)
			printf("no cell\n");
		else
			printf("%u of %u cells found slower (%.0f %%), %u of the wrong sign, %u without a verdict\n",
			       outcomes[b][0], cells[b], 100.0 * outcomes[b][0] / cells[b], outcomes[b][1],
			       outcomes[b][2]);
	}
	printf("power: %u cells outside the bands, %u without an expected change (no moves counted or no base)\n",
	       outside, unknown);
freed:
	for (size_t k = 0; k < nplanted; k++)
		free(planted[k].cells);
done:
	free(rows.r);
	free(store.text);
	store.text = NULL;
	store.used = store.cap = 0;
	return rc;
}
