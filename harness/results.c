#include "results.h"

#include "stats.h"
#include "units.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Later versions only append to these lists; a column is never renamed. */
const char *const runs_columns[] = {
	"strategy", "sink", "cache", "file_bytes", "block_bytes", "rep",
	"wall_ns", "user_ns", "sys_ns", "minflt", "majflt", "nvcsw", "nivcsw",
	"verified", "mibps", NULL,
};

const char *const summary_columns[] = {
	"strategy", "sink", "cache", "file_bytes", "block_bytes", "n",
	"wall_ns_median", "wall_ns_min", "wall_ns_max", "wall_ns_mean", "wall_ns_stddev",
	"wall_ns_ci_lo", "wall_ns_ci_hi",
	"mibps_median", "mibps_min", "mibps_max", "mibps_mean", "mibps_stddev",
	"mibps_ci_lo", "mibps_ci_hi", "ci_coverage",
	"user_ns_median", "sys_ns_median", "minflt_median", "majflt_median",
	"nvcsw_median", "nivcsw_median", NULL,
};

static void identity(struct csv_out *w, const struct cell *c)
{
	csv_out_str(w, c->strategy->name);
	csv_out_str(w, c->sink);
	csv_out_str(w, c->cache);
	csv_out_u64(w, c->file_bytes);
	csv_out_u64(w, c->block_bytes);
}

static void counter(struct csv_out *w, int64_t v)
{
	if (v == COUNTER_NA)
		csv_out_na(w);
	else
		csv_out_i64(w, v);
}

int runs_open(struct csv_out *w, const char *path)
{
	if (csv_out_open(w, path) != 0)
		return -1;
	csv_out_header(w, runs_columns);
	return w->error ? -1 : 0;
}

int runs_record(struct csv_out *w, struct cell *c, unsigned rep, const struct sample *s)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 8;
		c->samples = realloc(c->samples, c->cap * sizeof(*c->samples));
		if (!c->samples)
			abort();
	}
	c->samples[c->n++] = *s;

	identity(w, c);
	csv_out_u64(w, rep);
	for (int k = 0; k < C_COUNT; k++)
		counter(w, s->c[k]);
	csv_out_u64(w, (uint64_t)s->verified);
	csv_out_double(w, sample_mibps(s, c->file_bytes));
	return csv_out_end_row(w);
}

static void stats_columns(struct csv_out *w, const struct stats *st, int with_coverage)
{
	csv_out_double(w, st->median);
	csv_out_double(w, st->min);
	csv_out_double(w, st->max);
	csv_out_double(w, st->mean);
	csv_out_double(w, st->stddev);
	csv_out_double(w, st->ci_lo);
	csv_out_double(w, st->ci_hi);
	if (with_coverage)
		csv_out_double(w, st->ci_coverage);
}

/* The median of counter k over the samples that have it; NaN when none do. */
static double counter_median(const struct cell *c, int k)
{
	double *v = malloc(c->n * sizeof(*v));
	size_t n = 0;
	if (!v)
		abort();
	for (size_t i = 0; i < c->n; i++)
		if (c->samples[i].c[k] != COUNTER_NA)
			v[n++] = (double)c->samples[i].c[k];
	double m = n ? stats_median(v, n) : NAN;
	free(v);
	return m;
}

int summary_write(const char *path, const struct cell *cells, size_t ncells)
{
	struct csv_out w;
	if (csv_out_open(&w, path) != 0)
		return -1;
	csv_out_header(&w, summary_columns);
	for (size_t i = 0; i < ncells; i++) {
		const struct cell *c = &cells[i];
		if (c->n == 0)
			continue;
		double *wall = malloc(c->n * sizeof(*wall)), *mibps = malloc(c->n * sizeof(*mibps));
		if (!wall || !mibps)
			abort();
		for (size_t r = 0; r < c->n; r++) {
			wall[r] = (double)c->samples[r].c[C_WALL_NS];
			mibps[r] = sample_mibps(&c->samples[r], c->file_bytes);
		}
		struct stats sw, sm;
		stats_compute(wall, c->n, &sw);
		stats_compute(mibps, c->n, &sm);
		identity(&w, c);
		csv_out_u64(&w, c->n);
		stats_columns(&w, &sw, 0);
		stats_columns(&w, &sm, 1);
		for (int k = C_USER_NS; k < C_COUNT; k++)
			csv_out_double(&w, counter_median(c, k));
		csv_out_end_row(&w);
		free(wall);
		free(mibps);
	}
	return csv_out_close(&w);
}

static const struct cell *find_cell(const struct cell *cells, size_t ncells,
				    const struct strategy *s, uint64_t size)
{
	for (size_t i = 0; i < ncells; i++)
		if (cells[i].strategy == s && cells[i].file_bytes == size)
			return &cells[i];
	return NULL;
}

void print_table(FILE *f, const struct cell *cells, size_t ncells, const uint64_t *sizes, size_t nsizes)
{
	const struct strategy *seen[256];
	size_t nseen = 0;
	char label[32];

	if (ncells == 0)
		return;
	for (size_t i = 0; i < ncells && nseen < 256; i++) {
		size_t k = 0;
		while (k < nseen && seen[k] != cells[i].strategy)
			k++;
		if (k == nseen)
			seen[nseen++] = cells[i].strategy;
	}
	fprintf(f, "median MiB/s (sink %s, %s cache, block %zu B)\n", cells[0].sink, cells[0].cache,
		cells[0].block_bytes);
	fprintf(f, "%-14s", "strategy");
	for (size_t z = 0; z < nsizes; z++) {
		format_size(sizes[z], label, sizeof(label));
		fprintf(f, " %9s", label);
	}
	fputc('\n', f);
	for (size_t k = 0; k < nseen; k++) {
		fprintf(f, "%-14s", seen[k]->name);
		for (size_t z = 0; z < nsizes; z++) {
			const struct cell *c = find_cell(cells, ncells, seen[k], sizes[z]);
			if (!c || c->n == 0) {
				fprintf(f, " %9s", "-");
				continue;
			}
			double *v = malloc(c->n * sizeof(*v));
			if (!v)
				abort();
			for (size_t r = 0; r < c->n; r++)
				v[r] = sample_mibps(&c->samples[r], c->file_bytes);
			fprintf(f, " %9.0f", stats_median(v, c->n));
			free(v);
		}
		fputc('\n', f);
	}
}

void cells_free(struct cell *cells, size_t ncells)
{
	for (size_t i = 0; i < ncells; i++)
		free(cells[i].samples);
	free(cells);
}
