/* iopaths caption: a figure's caption written from the run it draws.
 *
 * Every number it prints is a median from summary.csv (rounded to 3
 * significant digits) or comes from the test compare uses (twosample_workers
 * on the repetitions in runs.csv, the worker process as the unit): the
 * ranking is by median, the key ratio is the mean over workers of their
 * medians (as logs) with its interval, and a difference is called one, or a
 * textbook prediction confirmed or contradicted, only with compare's verdict:
 * p <= 0.05 across workers and an interval wholly beyond the +-2 % noise
 * threshold.  Where it cannot (one worker a side, no difference) the caption
 * says that instead. */
#include "caption.h"

#include "caption_run.h"

#include "cell.h"
#include "csvio.h"
#include "units.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *caption_field(const struct series *s, int col)
{
	return col >= 0 && (size_t)col < s->nf ? s->f[col] : "";
}

/* COL_median when summary.csv has it, else COL itself (persisted_all, label). */
static int summary_column(const struct run *r, const char *col)
{
	char name[256];
	snprintf(name, sizeof(name), "%s_median", col);
	int c = csv_column(r->head, r->nhead, name);
	return c >= 0 ? c : csv_column(r->head, r->nhead, col);
}

/* 0/1 columns print as no/yes: persisted_all, file_unchanged_all, fsync, ... */
int caption_is_flag(const char *col)
{
	size_t len = strlen(col);
	return (len > 4 && strcmp(col + len - 4, "_all") == 0) || strcmp(col, "persisted") == 0 ||
	       strcmp(col, "file_unchanged") == 0 || strcmp(col, "fsync") == 0 || strcmp(col, "verified") == 0;
}

/* The runs.csv column behind a 0/1 summary column: persisted_all -> persisted. */
static void flag_base(const char *col, char *out, size_t len)
{
	size_t n = strlen(col);
	if (n > 4 && strcmp(col + n - 4, "_all") == 0)
		n -= 4;
	snprintf(out, len, "%.*s", (int)n, col);
}

/* A row's fields in one allocation: the pointers, then the bytes they point
 * to; one free releases it. */
static char **copy_fields(char *const *fields, size_t count)
{
	size_t bytes = (count + 1) * sizeof(char *);
	for (size_t i = 0; i < count; i++)
		bytes += strlen(fields[i]) + 1;
	char **copy = malloc(bytes);
	if (!copy)
		abort();
	char *text = (char *)(copy + count + 1);
	for (size_t i = 0; i < count; i++) {
		size_t len = strlen(fields[i]) + 1;
		copy[i] = memcpy(text, fields[i], len);
		text += len;
	}
	copy[count] = NULL;
	return copy;
}

/* The row's identity (cell.h's key columns, a missing one at its default) as
 * one string, the values joined by a unit separator: equal strings, same cell. */
static char *read_key(char *const *fields, size_t count, const int *cols)
{
	char dflt[64], *key = NULL;
	size_t len = 0;
	const char *strategy = cols[D_STRATEGY] >= 0 && (size_t)cols[D_STRATEGY] < count ? fields[cols[D_STRATEGY]] : "";
	const char *sink_name = cols[D_SINK] >= 0 && (size_t)cols[D_SINK] < count ? fields[cols[D_SINK]] : "";
	unsigned sink = 0;
	for (int k = 0; k < NSINKS; k++)
		if (strcmp(sink_names[k], sink_name) == 0)
			sink = 1u << k;
	FILE *f = open_memstream(&key, &len);
	if (!f)
		abort();
	for (size_t k = 0; k < key_columns(); k++) {
		const char *text = dflt;
		if (cols[k] >= 0 && (size_t)cols[k] < count)
			text = fields[cols[k]];
		else if (k == D_IO_BYTES && cols[D_BLOCK_BYTES] >= 0 && (size_t)cols[D_BLOCK_BYTES] < count)
			text = fields[cols[D_BLOCK_BYTES]]; /* a run before --io-size: it was the block */
		else
			key_default_text(k, strategy_find(strategy), (enum sink)sink, dflt, sizeof(dflt));
		fprintf(f, "%s\x1f", text);
	}
	if (fclose(f) != 0)
		abort();
	return key;
}

static int key_columns_of(char *const *head, size_t n, int *cols)
{
	for (size_t k = 0; k < key_columns(); k++)
		cols[k] = csv_column(head, n, key_column(k));
	return cols[D_STRATEGY] >= 0 && cols[D_SINK] >= 0;
}

static double number(const char *text)
{
	char *end;
	if (!*text)
		return NAN;
	double v = strtod(text, &end);
	return *end ? NAN : v;
}

static double mib_of(const struct series *s)
{
	return (double)s->bytes / (1 << 20);
}

static int on_summary(char **fields, size_t count, void *arg)
{
	struct run *r = arg;
	const struct caption_args *a = r->a;
	if (!r->head) {
		r->nhead = count;
		r->head = copy_fields(fields, count);
		static const char *const need[] = { "label", "strategy", "sink", "cache", "file_bytes", "n" };
		for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++)
			if (csv_column(r->head, count, need[i]) < 0) {
				snprintf(r->err, sizeof(r->err), "summary.csv has no column %s", need[i]);
				return 1;
			}
		r->c_label = csv_column(r->head, count, "label");
		r->c_strategy = csv_column(r->head, count, "strategy");
		r->c_sink = csv_column(r->head, count, "sink");
		r->c_cache = csv_column(r->head, count, "cache");
		r->c_bytes = csv_column(r->head, count, "file_bytes");
		r->c_block = csv_column(r->head, count, "block_bytes");
		r->c_n = csv_column(r->head, count, "n");
		char name[256];
		snprintf(name, sizeof(name), "%s_median", a->metric);
		if ((r->c_median = csv_column(r->head, count, name)) < 0) {
			snprintf(r->err, sizeof(r->err), "summary.csv has no column %s", name);
			return 1;
		}
		if (!key_columns_of(r->head, count, r->r_key)) {
			snprintf(r->err, sizeof(r->err), "summary.csv has no strategy or sink column");
			return 1;
		}
		const char *missing = NULL;
		for (size_t i = 0; i < a->nshow && !missing; i++)
			if ((r->c_show[i] = summary_column(r, a->show[i])) < 0)
				missing = a->show[i];
		for (size_t i = 0; i < a->nevidence && !missing; i++)
			if ((r->c_evidence[i] = summary_column(r, a->evidence[i])) < 0)
				missing = a->evidence[i];
		for (size_t i = 0; i < a->nwhere && !missing; i++)
			if ((r->c_where[i] = csv_column(r->head, count, a->where_key[i])) < 0)
				missing = a->where_key[i];
		if (missing) {
			snprintf(r->err, sizeof(r->err), "summary.csv has no column %s", missing);
			return 1;
		}
		return 0;
	}
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 64;
		struct series *grown = realloc(r->s, r->cap * sizeof(*grown));
		if (!grown)
			abort();
		r->s = grown;
	}
	struct series *s = &r->s[r->n];
	memset(s, 0, sizeof(*s));
	s->order = r->n++;
	s->nf = count;
	s->f = copy_fields(fields, count);
	s->key = read_key(fields, count, r->r_key);
	if (!(s->ones = calloc(a->nshow + 1, sizeof(*s->ones))) || !(s->zeros = calloc(a->nshow + 1, sizeof(*s->zeros))))
		abort();
	uint64_t bytes = 0;
	if (parse_size(caption_field(s, r->c_bytes), &bytes) != 0)
		bytes = 0;
	s->bytes = bytes;
	s->median = number(caption_field(s, r->c_median));
	if (a->per_mib)
		s->median = bytes ? s->median / mib_of(s) : NAN;
	return 0;
}

static int on_runs(char **fields, size_t count, void *arg)
{
	struct run *r = arg;
	const struct caption_args *a = r->a;
	if (!r->header_seen) {
		r->header_seen = 1;
		r->r_worker = csv_column(fields, count, "worker");
		if ((r->r_metric = csv_column(fields, count, a->metric)) < 0) {
			snprintf(r->err, sizeof(r->err), "runs.csv has no column %s", a->metric);
			return 1;
		}
		for (size_t i = 0; i < a->nshow; i++) {
			char base[256];
			flag_base(a->show[i], base, sizeof(base));
			r->r_show[i] = caption_is_flag(a->show[i]) ? csv_column(fields, count, base) : -1;
		}
		if (!key_columns_of(fields, count, r->r_key)) {
			snprintf(r->err, sizeof(r->err), "runs.csv has no strategy or sink column");
			return 1;
		}
		for (size_t k = 0; k < r->n; k++) /* the first series of a key wins */
			if (strmap_find(&r->keys, r->s[k].key, strlen(r->s[k].key)) == STRMAP_NONE)
				strmap_add(&r->keys, r->s[k].key, strlen(r->s[k].key), k);
		return 0;
	}
	char *key = read_key(fields, count, r->r_key);
	size_t k = strmap_find(&r->keys, key, strlen(key));
	free(key);
	if (k == STRMAP_NONE)
		return 0; /* a repetition of a cell summary.csv does not have */
	struct series *s = &r->s[k];
	if (s->nsamples == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 8;
		double *grown = realloc(s->samples, s->cap * sizeof(*grown));
		if (!grown)
			abort();
		s->samples = grown;
		int *workers = realloc(s->workers, s->cap * sizeof(*workers));
		if (!workers)
			abort();
		s->workers = workers;
	}
	double v = (size_t)r->r_metric < count ? number(fields[r->r_metric]) : NAN;
	if (a->per_mib)
		v = s->bytes ? v / mib_of(s) : NAN;
	/* runs.csv's worker process; a folder from before iopaths run --workers is one worker */
	const char *w = r->r_worker >= 0 && (size_t)r->r_worker < count ? fields[r->r_worker] : "";
	s->workers[s->nsamples] = *w ? atoi(w) : 1;
	s->samples[s->nsamples++] = v;
	for (size_t i = 0; i < a->nshow; i++) {
		if (r->r_show[i] < 0 || (size_t)r->r_show[i] >= count)
			continue;
		const char *t = fields[r->r_show[i]];
		if (strcmp(t, "1") == 0)
			s->ones[i]++;
		else if (strcmp(t, "0") == 0)
			s->zeros[i]++;
	}
	return 0;
}

static int load(struct run *r, char *err, size_t errlen)
{
	char path[PATH_MAX + 32];
	snprintf(path, sizeof(path), "%s/summary.csv", r->a->dir);
	if (csv_read_file(path, on_summary, r, err, errlen) != 0)
		return -1;
	if (!r->err[0] && !r->head)
		snprintf(r->err, sizeof(r->err), "summary.csv is empty");
	if (!r->err[0]) {
		snprintf(path, sizeof(path), "%s/runs.csv", r->a->dir);
		if (csv_read_file(path, on_runs, r, err, errlen) != 0)
			return -1;
		if (!r->err[0] && !r->header_seen)
			snprintf(r->err, sizeof(r->err), "runs.csv is empty");
	}
	if (r->err[0]) {
		snprintf(err, errlen, "%s: %s", r->a->dir, r->err);
		return -1;
	}
	return 0;
}

static void run_free(struct run *r)
{
	for (size_t i = 0; i < r->n; i++) {
		struct series *s = &r->s[i];
		free(s->f);
		free(s->key);
		free(s->samples);
		free(s->workers);
		free(s->ones);
		free(s->zeros);
	}
	free(r->head);
	free(r->s);
	strmap_free(&r->keys);
}

static int in_list(char *const *list, size_t n, const char *v)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], v) == 0)
			return 1;
	return 0;
}

static int where_matches(const struct run *r, const struct series *s, size_t i)
{
	const char *key = r->a->where_key[i], *want = r->a->where_value[i], *have = caption_field(s, r->c_where[i]);
	uint64_t x, y;
	if ((strcmp(key, "file_bytes") == 0 || strcmp(key, "block_bytes") == 0) && parse_size(want, &x) == 0 &&
	    parse_size(have, &y) == 0)
		return x == y;
	return strcmp(want, have) == 0;
}

static void apply_filters(struct run *r)
{
	const struct caption_args *a = r->a;
	for (size_t i = 0; i < r->n; i++) {
		struct series *s = &r->s[i];
		const char *strategy = caption_field(s, r->c_strategy), *label = caption_field(s, r->c_label);
		int keep = !isnan(s->median);
		for (size_t w = 0; w < a->nwhere; w++)
			keep = keep && where_matches(r, s, w);
		if (a->nstrategies)
			keep = keep && (in_list(a->strategies, a->nstrategies, strategy) ||
					in_list(a->strategies, a->nstrategies, label));
		if (a->nsinks)
			keep = keep && in_list(a->sinks, a->nsinks, caption_field(s, r->c_sink));
		if (a->nsizes) {
			int found = 0;
			for (size_t z = 0; z < a->nsizes; z++)
				found |= a->sizes[z] == s->bytes;
			keep = keep && found;
		}
		if (a->nlabels)
			keep = keep && (in_list(a->labels, a->nlabels, label) || in_list(a->labels, a->nlabels, strategy));
		s->keep = keep;
	}
}

const char *caption_label_of(const struct run *r, const char *name, char *err, size_t errlen)
{
	const char *found = NULL;
	for (size_t i = 0; i < r->n; i++)
		if (r->s[i].keep && strcmp(caption_field(&r->s[i], r->c_label), name) == 0)
			return caption_field(&r->s[i], r->c_label);
	for (size_t i = 0; i < r->n; i++) {
		const struct series *s = &r->s[i];
		if (!s->keep || strcmp(caption_field(s, r->c_strategy), name) != 0)
			continue;
		if (found && strcmp(found, caption_field(s, r->c_label)) != 0) {
			snprintf(err, errlen, "'%s' names several series (%s, %s, ...): give one label", name, found,
				 caption_field(s, r->c_label));
			return NULL;
		}
		found = caption_field(s, r->c_label);
	}
	if (!found)
		snprintf(err, errlen, "no series '%s' among the rows asked for", name);
	return found;
}

int cmd_caption(int argc, char **argv)
{
	struct caption_args a;
	caption_parse(argc, argv, &a); /* exits 2 on bad usage */
	if (!a.dir) /* --help */
		return 0;
	struct run r = { .a = &a, .c_show = calloc(a.nshow + 1, sizeof(int)),
			 .c_evidence = calloc(a.nevidence + 1, sizeof(int)), .c_where = calloc(a.nwhere + 1, sizeof(int)),
			 .r_show = calloc(a.nshow + 1, sizeof(int)) };
	if (!r.c_show || !r.c_evidence || !r.c_where || !r.r_show)
		abort();
	char err[1024] = "";
	int rc = 1;
	if (load(&r, err, sizeof(err)) == 0) {
		apply_filters(&r);
		rc = caption_say(&r, err, sizeof(err));
	}
	if (rc != 0)
		fprintf(stderr, "iopaths: caption: %s\n", err);
	run_free(&r);
	free(r.c_show);
	free(r.c_evidence);
	free(r.c_where);
	free(r.r_show);
	caption_args_free(&a);
	return rc;
}
