/* iopaths compare OUT_DIR RUN_A RUN_B [RUN ...]: every cell of every run
 * against the same cell of RUN_A (the base).  A cell is its key (cell.h:
 * strategy, sink, cache, file size, block size, consume mode, fsync and the
 * strategy's options), so runs from different machines, kernels and
 * filesystems combine.  The verdict comes from a test across the worker
 * processes of each run (one value a worker: the median of its repetitions'
 * MiB/s in runs.csv), corrected for the number of cells with Benjamini–Hochberg,
 * and a bootstrap interval against a noise threshold (twosample.h says why).  Prints the
 * table; writes OUT_DIR/compare.csv for the figures and OUT_DIR/index.html. */
#include "compare.h"

#include "cell.h"
#include "compare_table.h"
#include "csvio.h"
#include "outfile.h"
#include "strmap.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>

#define MAX_RUNS 16

static char *dup_or_die(const char *s)
{
	char *d = strdup(s);
	if (!d)
		abort();
	return d;
}

static const char *const field_names[F_NFIELDS] = { "label", "sink", "cache", "file_bytes", "block_bytes",
						    "consume", "mibps_median", "mibps_ci_lo", "mibps_ci_hi" };

/* runs.csv: its MiB/s, besides the key. */
enum { R_MIBPS = F_NFIELDS };

struct reader {
	struct run *r;
	int col[F_NFIELDS + 1]; /* column index of each field, from the header; -1: absent */
	int key_col[MAX_KEY_COLUMNS]; /* likewise for each key column */
	int worker_col;               /* runs.csv's worker; -1: a folder of one worker */
	int floor_col;                /* a --floor file's floor_pct */
	struct table *floors;         /* reading a --floor file into it */
	char *key[MAX_KEY_COLUMNS];   /* the current row's key */
	int header_seen;
	size_t data_rows;
	size_t first; /* the first row of this folder's summary.csv: runs.csv joins from there */
	struct strmap rows; /* runs.csv: a summary row's key -> the row, from first on */
	char *text;         /* a key joined, grown */
	size_t text_cap;
	char err[256];
};

/* The wanted fields, and every key column: one the file lacks reads as its
 * default, but strategy and sink, which the defaults depend on, must be there. */
static int read_header(struct reader *rd, char **fields, size_t count, const int *want, size_t nwant,
		       const char *file)
{
	for (size_t w = 0; w < nwant; w++) {
		int f = want[w];
		const char *name = f == R_MIBPS ? "mibps" : field_names[f];
		if ((rd->col[f] = csv_column(fields, count, name)) < 0) {
			snprintf(rd->err, sizeof(rd->err), "%s has no column %s", file, name);
			return 1;
		}
	}
	for (size_t k = 0; k < key_columns(); k++) {
		rd->key_col[k] = csv_column(fields, count, key_column(k));
		if (rd->key_col[k] < 0 && (k == D_STRATEGY || k == D_SINK)) {
			snprintf(rd->err, sizeof(rd->err), "%s has no column %s", file, key_column(k));
			return 1;
		}
	}
	rd->header_seen = 1;
	return 0;
}

static const char *field_of(const struct reader *rd, char **fields, size_t count, int f)
{
	return rd->col[f] >= 0 && (size_t)rd->col[f] < count ? fields[rd->col[f]] : "";
}

static const char *key_field(const struct reader *rd, char **fields, size_t count, size_t k)
{
	return rd->key_col[k] >= 0 && (size_t)rd->key_col[k] < count ? fields[rd->key_col[k]] : NULL;
}

/* The row's key in rd->key, as text; freed by the caller or kept. */
static void read_key(struct reader *rd, char **fields, size_t count)
{
	char dflt[64];
	unsigned sink = 0;
	const char *strategy = key_field(rd, fields, count, D_STRATEGY), *sink_name = key_field(rd, fields, count, D_SINK);
	for (int k = 0; k < NSINKS; k++)
		if (sink_name && strcmp(sink_names[k], sink_name) == 0)
			sink = 1u << k;
	for (size_t k = 0; k < key_columns(); k++) {
		const char *text = key_field(rd, fields, count, k);
		if (!text && k == D_IO_BYTES) /* a run before --io-size: it was the block */
			text = key_field(rd, fields, count, D_BLOCK_BYTES);
		if (!text)
			key_default_text(k, strategy ? strategy_find(strategy) : NULL, (enum sink)sink, dflt, sizeof(dflt));
		rd->key[k] = dup_or_die(text ? text : dflt);
	}
}

static void key_free(char **key)
{
	for (size_t k = 0; k < key_columns(); k++)
		free(key[k]);
}

/* A key's columns as one string for strmap (unambiguous: strmap_join). */
static size_t join_key(char **text, size_t *cap, char *const *key)
{
	return strmap_join(text, cap, (const char *const *)key, key_columns());
}

/* What makes a row's cell, as one string: its metric, then its key (a
 * summary.csv cell) or its label, file size and memory limit (pressure.csv). */
static size_t join_cell(char **text, size_t *cap, const struct row *row)
{
	size_t n = key_columns(), len;
	const char *parts[MAX_KEY_COLUMNS + 1] = { row->metric };
	if (row_is_metric(row)) {
		parts[1] = row->f[F_LABEL];
		parts[2] = row->f[F_BYTES];
		parts[3] = row->mem_limit;
		n = 3;
	} else {
		for (size_t k = 0; k < n; k++)
			parts[k + 1] = row->key[k];
	}
	len = strmap_join(text, cap, parts, n + 1);
	return len;
}

/* A new zeroed row at the end of r->rows, the table grown when full. */
static struct row *new_row(struct run *r)
{
	if (r->nrows == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 64;
		struct row *grown = realloc(r->rows, cap * sizeof(*grown));
		if (!grown)
			abort();
		r->rows = grown;
		r->cap = cap;
	}
	struct row *row = &r->rows[r->nrows++];
	memset(row, 0, sizeof(*row));
	return row;
}

static int on_summary_row(char **fields, size_t count, void *arg)
{
	struct reader *rd = arg;
	struct run *r = rd->r;
	if (!rd->header_seen) {
		int want[F_NFIELDS];
		for (int f = 0; f < F_NFIELDS; f++)
			want[f] = f;
		return read_header(rd, fields, count, want, F_NFIELDS, "summary.csv");
	}
	struct row *row = new_row(r);
	for (int f = 0; f < F_NFIELDS; f++)
		row->f[f] = dup_or_die(field_of(rd, fields, count, f));
	read_key(rd, fields, count);
	if (!(row->key = malloc(key_columns() * sizeof(*row->key))))
		abort();
	memcpy(row->key, rd->key, key_columns() * sizeof(*row->key));
	row->metric = "mibps";
	rd->data_rows++;
	return 0;
}

static int on_runs_row(char **fields, size_t count, void *arg)
{
	struct reader *rd = arg;
	struct run *r = rd->r;
	if (!rd->header_seen) {
		for (size_t k = rd->first; k < r->nrows; k++) /* the first row of a key wins */
			if (r->rows[k].key) {
				size_t len = join_key(&rd->text, &rd->text_cap, r->rows[k].key);
				if (strmap_find(&rd->rows, rd->text, len) == STRMAP_NONE)
					strmap_add(&rd->rows, rd->text, len, k);
			}
		rd->worker_col = csv_column(fields, count, "worker");
		return read_header(rd, fields, count, (const int[]){ R_MIBPS }, 1, "runs.csv");
	}
	rd->data_rows++;
	read_key(rd, fields, count);
	size_t k = strmap_find(&rd->rows, rd->text, join_key(&rd->text, &rd->text_cap, rd->key));
	key_free(rd->key);
	if (k == STRMAP_NONE)
		return 0; /* a repetition of a cell summary.csv does not have: nothing to compare it with */
	struct row *row = &r->rows[k];
	const char *text = field_of(rd, fields, count, R_MIBPS);
	if (row->n == row->cap) {
		size_t cap = row->cap ? 2 * row->cap : 8;
		double *grown = realloc(row->mibps, cap * sizeof(*grown));
		int *workers = grown ? realloc(row->worker, cap * sizeof(*workers)) : NULL;
		if (!grown || !workers)
			abort();
		row->mibps = grown;
		row->worker = workers;
		row->cap = cap;
	}
	const char *worker = rd->worker_col >= 0 && (size_t)rd->worker_col < count ? fields[rd->worker_col] : "";
	row->worker[row->n] = *worker ? atoi(worker) : 1;
	row->mibps[row->n++] = *text ? strtod(text, NULL) : NAN;
	return 0;
}

/* A --floor file (make aa's): the key columns and floor_pct, a row a cell. */
static int on_floor_row(char **fields, size_t count, void *arg)
{
	struct reader *rd = arg;
	struct table *t = rd->floors;
	if (!rd->header_seen) {
		if ((rd->floor_col = csv_column(fields, count, "floor_pct")) < 0) {
			snprintf(rd->err, sizeof(rd->err), "has no column floor_pct");
			return 1;
		}
		return read_header(rd, fields, count, NULL, 0, "the floor file");
	}
	const char *text = (size_t)rd->floor_col < count ? fields[rd->floor_col] : "";
	char *end = NULL;
	double v = strtod(text, &end);
	if (!*text || *end || !(v >= 0) || !isfinite(v)) {
		snprintf(rd->err, sizeof(rd->err), "floor_pct is not a percentage >= 0: %.40s", text);
		return 1;
	}
	rd->data_rows++;
	read_key(rd, fields, count);
	size_t len = join_key(&rd->text, &rd->text_cap, rd->key);
	key_free(rd->key);
	if (strmap_find(&t->floors, rd->text, len) != STRMAP_NONE)
		return 0; /* the first row of a cell wins, as in summary.csv */
	double *grown = realloc(t->floor_pct, (t->nfloors + 1) * sizeof(*grown));
	if (!grown)
		abort();
	t->floor_pct = grown;
	t->floor_pct[t->nfloors] = v;
	strmap_add(&t->floors, rd->text, len, t->nfloors++);
	return 0;
}

static int read_floor(struct table *t, const char *path, char *err, size_t errlen)
{
	struct reader rd = { .floors = t };
	int rc = csv_read_file(path, on_floor_row, &rd, err, errlen);
	free(rd.text);
	if (rc != 0)
		return -1;
	if (rd.err[0])
		snprintf(err, errlen, "--floor %s %s", path, rd.err);
	else if (!rd.header_seen)
		snprintf(err, errlen, "--floor %s is empty", path);
	else
		return 0;
	return -1;
}

/* pressure.csv (iopaths pressure): per row, each of these is a compared row
 * of one value, keyed by label, file_bytes, mem_limit_bytes and the metric. */
static const char *const pressure_metrics[] = { "mibps_before", "mibps_after", "cliff_s", "depth",
						"amp_before", "amp_after", "tlb_per_s_after" };
#define NMETRICS (sizeof(pressure_metrics) / sizeof(pressure_metrics[0]))

struct pressure_reader {
	struct run *r;
	int label, file_bytes, mem_limit, metric[NMETRICS]; /* column indexes */
	int header_seen;
	char err[256];
};

static int on_pressure_row(char **fields, size_t count, void *arg)
{
	struct pressure_reader *pr = arg;
	if (!pr->header_seen) {
		pr->label = csv_column(fields, count, "label");
		pr->file_bytes = csv_column(fields, count, "file_bytes");
		pr->mem_limit = csv_column(fields, count, "mem_limit_bytes");
		const char *missing = pr->label < 0 ? "label" : pr->file_bytes < 0 ? "file_bytes"
							 : pr->mem_limit < 0 ? "mem_limit_bytes" : NULL;
		for (size_t m = 0; m < NMETRICS; m++)
			if ((pr->metric[m] = csv_column(fields, count, pressure_metrics[m])) < 0 && !missing)
				missing = pressure_metrics[m];
		if (missing) {
			snprintf(pr->err, sizeof(pr->err), "pressure.csv has no column %s", missing);
			return 1;
		}
		pr->header_seen = 1;
		return 0;
	}
#define PFIELD(i) ((size_t)(i) < count ? fields[i] : "")
	for (size_t m = 0; m < NMETRICS; m++) {
		struct row *row = new_row(pr->r);
		const char *text = PFIELD(pr->metric[m]);
		char *end = NULL;
		double v = *text ? strtod(text, &end) : NAN;
		if (end && *end) {
			snprintf(pr->err, sizeof(pr->err), "pressure.csv: %s is not a number: %.40s", pressure_metrics[m],
				 text);
			return 1;
		}
		for (int f = 0; f < F_NFIELDS; f++)
			row->f[f] = dup_or_die(f == F_LABEL ? PFIELD(pr->label)
					       : f == F_BYTES ? PFIELD(pr->file_bytes)
					       : f == F_MEDIAN ? text : "");
		row->mem_limit = dup_or_die(PFIELD(pr->mem_limit));
		row->metric = pressure_metrics[m];
		if (!(row->mibps = malloc(sizeof(*row->mibps))) || !(row->worker = malloc(sizeof(*row->worker))))
			abort();
		row->mibps[0] = v;
		row->worker[0] = 1;
		row->n = row->cap = 1;
	}
#undef PFIELD
	return 0;
}

/* DIR/pressure.csv, when there is one: a run without one is as before. */
static int read_pressure(struct run *r, const char *dir, char *err, size_t errlen)
{
	char path[PATH_MAX + 32];
	struct stat st;
	struct pressure_reader pr = { .r = r };
	snprintf(path, sizeof(path), "%s/pressure.csv", dir);
	if (stat(path, &st) != 0 && errno == ENOENT)
		return 0;
	if (csv_read_file(path, on_pressure_row, &pr, err, errlen) != 0)
		return -1;
	if (!pr.err[0])
		return 0;
	snprintf(err, errlen, "%s/%s", dir, pr.err);
	return -1;
}

static int on_meta_row(char **fields, size_t count, void *arg)
{
	struct run *r = arg;
	if (count < 2)
		return 0;
	if (strcmp(fields[0], "hostname") == 0)
		snprintf(r->host, sizeof(r->host), "%s", fields[1]);
	else if (strcmp(fields[0], "kernel_release") == 0)
		snprintf(r->kernel, sizeof(r->kernel), "%s", fields[1]);
	else if (strcmp(fields[0], "fs_type") == 0)
		snprintf(r->fs, sizeof(r->fs), "%s", fields[1]);
	else if (strcmp(fields[0], "worker_order") == 0)
		r->abba = strncmp(fields[1], "abba:", 5) == 0;
	return 0;
}

/* Reads one of the run's CSV files; -1 with a message in err when it cannot
 * be read, lacks a column, or holds no rows. */
static int read_csv(struct run *r, const char *dir, size_t first, const char *file, csv_row_fn fn, char *err,
		    size_t errlen)
{
	char path[PATH_MAX + 32];
	struct reader rd = { .r = r, .first = first };
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	int rc = csv_read_file(path, fn, &rd, err, errlen);
	strmap_free(&rd.rows);
	free(rd.text);
	if (rc != 0)
		return -1;
	if (rd.err[0])
		snprintf(err, errlen, "%s: %s", path, rd.err);
	else if (!rd.header_seen)
		snprintf(err, errlen, "%s is empty", path);
	else if (rd.data_rows == 0)
		snprintf(err, errlen, "%s has a header and no rows: nothing to compare", path);
	else
		return 0;
	return -1;
}

/* One folder's summary.csv, runs.csv and pressure.csv (optional). */
static int load_folder(struct run *r, const char *dir, char *err, size_t errlen)
{
	size_t first = r->nrows;
	if (read_csv(r, dir, first, "summary.csv", on_summary_row, err, errlen) != 0 ||
	    read_csv(r, dir, first, "runs.csv", on_runs_row, err, errlen) != 0)
		return -1;
	return read_pressure(r, dir, err, errlen);
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* A folder without summary.csv (make bench-pressure's results/<id>/): its
 * sub-folders that hold one, in name order, make the run together; its own
 * pressure.csv repeats theirs and is not read. */
static int load_subfolders(struct run *r, char *err, size_t errlen)
{
	char path[PATH_MAX + 32];
	struct dirent **list = NULL;
	int n = scandir(r->dir, &list, NULL, by_name), found = 0, rc = 0;
	if (n < 0) {
		snprintf(err, errlen, "%s: %s", r->dir, strerror(errno));
		return -1;
	}
	for (int i = 0; i < n; i++) {
		struct stat st;
		snprintf(path, sizeof(path), "%s/%s/summary.csv", r->dir, list[i]->d_name);
		if (rc == 0 && list[i]->d_name[0] != '.' && stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			found++;
			snprintf(path, sizeof(path), "%s/%s", r->dir, list[i]->d_name);
			rc = load_folder(r, path, err, errlen);
		}
		free(list[i]);
	}
	free(list);
	if (rc == 0 && !found) {
		snprintf(err, errlen, "%s/summary.csv: %s, and no sub-folder of %s holds one", r->dir, strerror(ENOENT),
			 r->dir);
		rc = -1;
	}
	return rc;
}

static int load_run(struct run *r, int index, char *err, size_t errlen)
{
	char path[PATH_MAX + 32];
	struct stat st;
	snprintf(r->host, sizeof(r->host), "?");
	snprintf(r->kernel, sizeof(r->kernel), "?");
	snprintf(r->fs, sizeof(r->fs), "?");
	snprintf(path, sizeof(path), "%s/meta.csv", r->dir);
	if (csv_read_file(path, on_meta_row, r, err, errlen) != 0)
		return -1;
	snprintf(path, sizeof(path), "%s/summary.csv", r->dir);
	if (stat(path, &st) != 0 && errno == ENOENT ? load_subfolders(r, err, errlen) != 0
						    : load_folder(r, r->dir, err, errlen) != 0)
		return -1;
	snprintf(r->name, sizeof(r->name), "R%d:%s:%s", index, r->fs, r->kernel);
	for (char *p = r->name; *p; p++)
		if (*p == ' ')
			*p = '_';
	return 0;
}

int verdict_is_change(const char *verdict)
{
	return strcmp(verdict, "faster") == 0 || strcmp(verdict, "slower") == 0;
}

/* Hmean (the mean for rates: bytes over the mean time), CoeffVar, min, max. */
static void describe(struct result *res, const struct row *row)
{
	double inv = 0, sum = 0, ss = 0;
	size_t n = 0;
	res->min = res->max = NAN;
	if (row_is_metric(row)) { /* one value, any sign (depth is negative): itself */
		int ok = row->n == 1 && isfinite(row->mibps[0]);
		res->n = ok;
		res->hmean = res->min = res->max = ok ? row->mibps[0] : NAN;
		res->cv = NAN;
		return;
	}
	for (size_t i = 0; i < row->n; i++) {
		double v = row->mibps[i];
		if (!isfinite(v) || v <= 0)
			continue;
		inv += 1 / v;
		sum += v;
		res->min = n == 0 || v < res->min ? v : res->min;
		res->max = n == 0 || v > res->max ? v : res->max;
		n++;
	}
	double mean = n ? sum / n : NAN;
	for (size_t i = 0; i < row->n; i++)
		if (isfinite(row->mibps[i]) && row->mibps[i] > 0)
			ss += (row->mibps[i] - mean) * (row->mibps[i] - mean);
	res->n = n;
	res->hmean = n ? n / inv : NAN;
	res->cv = n > 1 ? 100 * sqrt(ss / (n - 1)) / mean : NAN;
}

/* The threshold of a cell: --noise, or its --floor when larger: a change
 * inside the machine's A/A floor is never called. */
static double threshold_of(const struct table *t, const struct result *res)
{
	return isnan(res->floor_pct) ? t->noise_pct : fmax(t->noise_pct, res->floor_pct);
}

/* The floor of a cell's key, NaN when --floor has none for it. */
static double floor_of(const struct table *t, const struct row *row, char **text, size_t *cap)
{
	if (!t->nfloors || row_is_metric(row))
		return NAN;
	size_t i = strmap_find(&t->floors, *text, join_key(text, cap, row->key));
	return i == STRMAP_NONE ? NAN : t->floor_pct[i];
}

/* The verdict of one tested cell, once q is known: a change only when the
 * corrected q reaches alpha, its direction from the estimated shift. */
static const char *verdict_of(const struct table *t, const struct result *res)
{
	if (row_is_metric(res->row))
		return "too few samples";
	return twosample_verdict_name(twosample_verdict(&res->w, res->q, COMPARE_ALPHA, threshold_of(t, res)));
}

/* Per run, the geometric mean of the Hmean ratios over the MiB/s cells of
 * each label: one pass summing by label, one giving each cell its label's. */
static void group_gmeans(struct table *t)
{
	double *logs = calloc(t->ngroups + 1, sizeof(*logs));
	size_t *n = calloc(t->ngroups + 1, sizeof(*n));
	if (!logs || !n)
		abort();
	for (int j = 1; j < t->nruns; j++) {
		memset(logs, 0, (t->ngroups + 1) * sizeof(*logs));
		memset(n, 0, (t->ngroups + 1) * sizeof(*n));
		for (size_t d = 0; d < t->ncells; d++) {
			const struct result *other = result_at(t, d, j), *base = result_at(t, d, 0);
			if (other->row && base->row && !row_is_metric(t->cells[d]) && other->hmean > 0 && base->hmean > 0) {
				logs[t->group[d]] += log(other->hmean / base->hmean);
				n[t->group[d]]++;
			}
		}
		for (size_t c = 0; c < t->ncells; c++) {
			struct result *res = result_at(t, c, j);
			if (!res->row || row_is_metric(res->row))
				continue;
			size_t g = t->group[c];
			res->group_gmean = n[g] ? exp(logs[g] / n[g]) : NAN;
			res->group_cells = n[g];
		}
	}
	free(logs);
	free(n);
}

/* Each cell's label's group, labels numbered in order of first appearance. */
static void label_groups(struct table *t)
{
	struct strmap labels = { 0 };
	t->group = calloc(t->ncells + 1, sizeof(*t->group));
	t->group_label = calloc(t->ncells + 1, sizeof(*t->group_label));
	if (!t->group || !t->group_label)
		abort();
	for (size_t c = 0; c < t->ncells; c++) {
		const char *label = t->cells[c]->f[F_LABEL];
		size_t len = strlen(label), g = strmap_find(&labels, label, len);
		if (g == STRMAP_NONE) {
			g = t->ngroups++;
			strmap_add(&labels, label, len, g);
			t->group_label[g] = label;
		}
		t->group[c] = g;
	}
	strmap_free(&labels);
}

static void build(struct table *t)
{
	size_t cap = 0;
	for (int i = 0; i < t->nruns; i++)
		cap += t->runs[i].nrows;
	t->cells = calloc(cap + 1, sizeof(*t->cells));
	/* row_at[c * nruns + j]: cell c's first row in run j, NULL: none */
	const struct row **row_at = calloc(cap * (size_t)t->nruns + 1, sizeof(*row_at));
	if (!t->cells || !row_at)
		abort();
	struct strmap cells = { 0 };
	char *text = NULL;
	size_t text_cap = 0;
	for (int i = 0; i < t->nruns; i++)
		for (size_t k = 0; k < t->runs[i].nrows; k++) {
			const struct row *row = &t->runs[i].rows[k];
			size_t len = join_cell(&text, &text_cap, row), c = strmap_find(&cells, text, len);
			if (c == STRMAP_NONE) {
				c = t->ncells++;
				strmap_add(&cells, text, len, c);
				t->cells[c] = row;
			}
			if (!row_at[c * (size_t)t->nruns + (size_t)i])
				row_at[c * (size_t)t->nruns + (size_t)i] = row;
		}
	strmap_free(&cells);
	label_groups(t);
	t->res = calloc(t->ncells * (size_t)t->nruns + 1, sizeof(*t->res));
	double *p = calloc(t->ncells * (size_t)t->nruns + 1, sizeof(*p)), *q = NULL;
	if (!t->res || !p || !(q = calloc(t->ncells * (size_t)t->nruns + 1, sizeof(*q))))
		abort();
	for (size_t c = 0; c < t->ncells; c++)
		for (int j = 0; j < t->nruns; j++) {
			struct result *res = result_at(t, c, j);
			res->row = row_at[c * (size_t)t->nruns + (size_t)j];
			res->base = row_at[c * (size_t)t->nruns];
			res->q = res->hmean_change = res->group_gmean = NAN;
			res->t = (struct twosample){ .p = NAN };
			res->w = (struct worker_test){ .p = NAN, .est = NAN, .lo = NAN, .hi = NAN, .mde = NAN };
			p[c * (size_t)t->nruns + (size_t)j] = NAN;
			if (!res->row)
				continue;
			res->floor_pct = floor_of(t, res->row, &text, &text_cap);
			describe(res, res->row);
			if (j == 0 || !res->base)
				continue;
			const struct row *a = res->base, *b = res->row;
			if (row_is_metric(b)) { /* one value a side: never a test */
				res->t.m = result_at(t, c, 0)->n; /* 0 when its cell is empty */
				res->t.n = res->n;
				res->t.shift = res->t.shift_lo = res->t.shift_hi = res->t.mde = NAN;
				continue;
			}
			twosample_test(a->mibps, a->n, b->mibps, b->n, COMPARE_ALPHA, &res->t);
			twosample_workers(a->mibps, a->worker, a->n, b->mibps, b->worker, b->n,
					  t->runs[0].abba && t->runs[j].abba, COMPARE_ALPHA, threshold_of(t, res), &res->w);
			p[c * (size_t)t->nruns + (size_t)j] = res->w.p;
		}
	free(text);
	twosample_bh(p, t->ncells * (size_t)t->nruns, q);
	for (size_t c = 0; c < t->ncells; c++)
		for (int j = 0; j < t->nruns; j++) {
			struct result *res = result_at(t, c, j);
			if (!res->row)
				continue;
			const struct result *base = result_at(t, c, 0);
			res->q = q[c * (size_t)t->nruns + (size_t)j];
			if (row_is_metric(res->row)) /* a ratio of two negative depths means too */
				res->hmean_change = base->row && base->hmean != 0 ? 100 * (res->hmean / base->hmean - 1) : NAN;
			else
				res->hmean_change = base->row && base->hmean > 0 ? 100 * (res->hmean / base->hmean - 1) : NAN;
			res->verdict = j == 0 ? "base" : !res->base ? "no base" : verdict_of(t, res);
			if (j == 0)
				continue;
			const char *v = res->verdict;
			if (!isnan(res->w.p)) {
				t->tested++;
				t->p_below_alpha += res->w.p <= COMPARE_ALPHA;
			}
			if (strcmp(v, "faster") == 0)
				t->faster++;
			else if (strcmp(v, "slower") == 0)
				t->slower++;
			else if (strcmp(v, "same") == 0)
				t->same++;
			else if (strcmp(v, "cannot tell") == 0)
				t->cannot_tell++;
			else if (strcmp(v, "no verdict") == 0)
				t->one_worker++;
			else if (strcmp(v, "too few samples") == 0)
				t->too_few++;
			else
				t->no_base++;
		}
	free(p);
	free(q);
	free(row_at);
	group_gmeans(t);
}

static void table_free(struct table *t)
{
	for (int i = 0; t->runs && i < t->nruns; i++) {
		for (size_t k = 0; k < t->runs[i].nrows; k++) {
			for (int f = 0; f < F_NFIELDS; f++)
				free(t->runs[i].rows[k].f[f]);
			if (t->runs[i].rows[k].key)
				key_free(t->runs[i].rows[k].key);
			free(t->runs[i].rows[k].key);
			free(t->runs[i].rows[k].mem_limit);
			free(t->runs[i].rows[k].mibps);
			free(t->runs[i].rows[k].worker);
		}
		free(t->runs[i].rows);
	}
	free(t->runs);
	free(t->cells);
	free(t->group);
	free(t->group_label);
	free(t->res);
	strmap_free(&t->floors);
	free(t->floor_pct);
}

static const char usage[] =
	"usage: iopaths compare [--noise PCT] [--floor FILE] OUT_DIR RUN_A RUN_B [RUN ...]\n\n"
	"Compares every cell of every run with the same cell of RUN_A, the base.  A\n"
	"cell is (strategy and its options, sink, cache, file size, block size,\n"
	"consume, fsync); a run whose CSV lacks one of these means its default.\n\n"
	"The unit is the worker process (iopaths run --workers K): the repetitions of\n"
	"one process share its layout and the machine's state, so they are not\n"
	"independent.  Each worker gives a cell one value, the median of its\n"
	"repetitions' MiB/s; the test is Welch's t on the logs of those values, K\n"
	"against K (a paired t when both runs are sides of one interleaved ABBA\n"
	"sitting: meta worker_order=abba:...), its p corrected over the whole table\n"
	"with Benjamini-Hochberg (q).  The change's 95% interval comes from a\n"
	"bootstrap that draws workers, then repetitions within each drawn worker\n"
	"(seeded: a rerun prints the same numbers).  Verdicts:\n"
	"  faster, slower   q <= 0.05 AND the interval wholly beyond +-delta\n"
	"  same             the interval wholly inside +-delta\n"
	"  cannot tell      neither; mde is the smallest change this test would find\n"
	"                   80% of the time at this K and spread\n"
	"  no verdict       a side has one worker (every folder made before --workers)\n"
	"delta is --noise PCT (default 2), or the cell's floor in --floor FILE when\n"
	"larger: FILE is a CSV of the key columns and floor_pct, as make aa writes it\n"
	"(the 95th percentile of the A/A changes of the cell); a change inside it is\n"
	"never called.  A cell FILE does not name has delta alone.\n\n"
	"Per cell and run: Hmean of MiB/s (the mean for rates) with its % change\n"
	"against the base, between stars (mmtests' marks, *+12.3%*) when the verdict\n"
	"is a change; CoeffVar; min and max; the change across workers with its\n"
	"interval; the per-repetition Hodges-Lehmann change with its rank interval\n"
	"(compare.csv's change_pct columns: shown, never a verdict); p, q, mde.  Then\n"
	"the geometric mean of the Hmean ratios per strategy, and how many verdicts\n"
	"chance alone would give.\n\n"
	"A run folder with a pressure.csv (iopaths pressure) adds, per row of it, one\n"
	"compared row per metric: mibps_before, mibps_after, cliff_s, depth,\n"
	"amp_before, amp_after, tlb_per_s_after, keyed by label, file size, memory\n"
	"limit and metric (compare.csv's metric column; mibps for every other row).\n"
	"One value a run: the ratio to the base is shown, the verdict is always \"too\n"
	"few samples\".  A folder without summary.csv (make bench-pressure's\n"
	"results/<id>) is the sub-folders that hold one, together.\n\n"
	"Prints the table; writes OUT_DIR/compare.csv (created if missing; an existing\n"
	"compare.csv is not overwritten) and OUT_DIR/index.html.  Exit status: 0; 1\n"
	"when a file could not be written; 2 on bad input (a bad option, a missing,\n"
	"empty or malformed meta.csv, summary.csv, runs.csv, pressure.csv or floor).\n";

int cmd_compare(int argc, char **argv)
{
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(usage, stdout);
		return 0;
	}
	struct table t = { .noise_pct = 2 };
	const char *floor_file = NULL;
	char err[2 * PATH_MAX];
	int rc = 2;
	while (argc >= 3 && (strcmp(argv[1], "--noise") == 0 || strcmp(argv[1], "--floor") == 0)) {
		if (strcmp(argv[1], "--floor") == 0) {
			floor_file = argv[2];
		} else {
			char *end = NULL;
			t.noise_pct = strtod(argv[2], &end);
			if (!*argv[2] || *end || !(t.noise_pct >= 0 && t.noise_pct < 100)) {
				fprintf(stderr, "iopaths: compare: --noise takes a percentage from 0 to 100, not '%.40s'\n",
					argv[2]);
				return 2;
			}
		}
		argc -= 2;
		argv += 2;
	}
	if (argc < 4 || argc - 2 > MAX_RUNS) {
		fprintf(stderr, "iopaths: compare: needs OUT_DIR and 2 to %d run folders (see --help)\n", MAX_RUNS);
		return 2;
	}
	const char *out = argv[1];
	t.nruns = argc - 2;
	t.runs = calloc((size_t)t.nruns, sizeof(*t.runs));
	if (!t.runs)
		abort();
	if (floor_file && read_floor(&t, floor_file, err, sizeof(err)) != 0) {
		fprintf(stderr, "iopaths: compare: %s\n", err);
		goto done;
	}
	for (int i = 0; i < t.nruns; i++) {
		t.runs[i].dir = argv[i + 2];
		if (load_run(&t.runs[i], i + 1, err, sizeof(err)) != 0) {
			fprintf(stderr, "iopaths: compare: %s\n", err);
			goto done;
		}
	}
	int made;
	if (out_dir_make(out, &made, err, sizeof(err)) != 0) {
		fprintf(stderr, "iopaths: compare: %s\n", err);
		goto done;
	}
	build(&t);

	char path[PATH_MAX + 32];
	struct out_file page;
	snprintf(path, sizeof(path), "%s/compare.csv", out);
	if (out_file_open(&page, out, "index.html") != 0) {
		fprintf(stderr, "iopaths: compare: %s/index.html: %s\n", out, strerror(errno));
		rc = 1;
		goto done;
	}
	if (compare_write_csv(&t, path) != 0) {
		int e = errno;
		out_file_abort(&page);
		fprintf(stderr, "iopaths: compare: %s: %s\n", path, strerror(e));
		rc = e == EEXIST ? 2 : 1;
		goto done;
	}
	compare_write_html(page.f, &t);
	rc = 0;
	if (out_file_commit(&page) != 0) {
		fprintf(stderr, "iopaths: compare: %s/index.html: %s\n", out, strerror(errno));
		rc = 1;
	}
	compare_print(stdout, &t);
	fprintf(stderr, "iopaths: compare: %s, %s/index.html\n", path, out);
done:
	table_free(&t);
	return rc;
}
