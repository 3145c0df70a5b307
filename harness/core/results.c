#include "results.h"

#include "stats.h"
#include "units.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Later versions only append to these lists; a column is never renamed.  The
 * identity columns among them are written where they stand; a key column
 * that is not among them (a new dimension or strategy option: cell.h) comes
 * after them by itself, in key order.  Key order is not the order things
 * were added, so once such a column is released, append its name here too,
 * where it stands (and to released_keys): then no later column can move it. */
const char *const runs_columns[] = {
	"strategy", "sink", "cache", "file_bytes", "block_bytes", "rep",
	"wall_ns", "user_ns", "sys_ns", "minflt", "majflt", "nvcsw", "nivcsw",
	"verified", "mibps",
	"pf", "pf_min", "pf_maj", "ctx_switches", "cpu_migrations", "task_clock_ns",
	"cycles", "instructions", "cache_misses", "dtlb_misses", "syscalls",
	"resident_pct", "consume", "iters",
	"sender_user_ns", "sender_sys_ns", "sender_syscalls", "op", "msync", "fsync", "persisted",
	"file_unchanged",
	"pgfault", "pgmajfault", "pgscan", "pgsteal", "workingset_refault_file", "thp_fault_alloc",
	"pipe_size", "pattern", "io_bytes", "threads", "tlb_shootdowns",
	"populate", "madvise", "map", "window", "qd", "direct", "register", "worker",
	"moves_per_pass", /* issue 19, i19-power: after every column before it, `worker` included */
	NULL,
};

const char *const summary_columns[] = {
	"strategy", "sink", "cache", "file_bytes", "block_bytes", "n",
	"wall_ns_median", "wall_ns_min", "wall_ns_max", "wall_ns_mean", "wall_ns_stddev",
	"wall_ns_ci_lo", "wall_ns_ci_hi",
	"mibps_median", "mibps_min", "mibps_max", "mibps_mean", "mibps_stddev",
	"mibps_ci_lo", "mibps_ci_hi", "ci_coverage",
	"user_ns_median", "sys_ns_median", "minflt_median", "majflt_median",
	"nvcsw_median", "nivcsw_median",
	"pf_median", "pf_min_median", "pf_maj_median", "ctx_switches_median", "cpu_migrations_median",
	"task_clock_ns_median", "cycles_median", "instructions_median", "cache_misses_median",
	"dtlb_misses_median", "syscalls_median", "resident_pct_median", "consume", "iters_median",
	"sender_user_ns_median", "sender_sys_ns_median", "sender_syscalls_median", "op", "msync", "fsync",
	"persisted_all", "file_unchanged_all", "label",
	"pgfault_median", "pgmajfault_median", "pgscan_median", "pgsteal_median",
	"workingset_refault_file_median", "thp_fault_alloc_median", "pipe_size",
	"pattern", "io_bytes", "threads", "tlb_shootdowns_median",
	"populate", "madvise", "map", "window", "qd", "direct", "register",
	"workers", "var_within", "var_between", "kj_reps_per_worker",
	"moves_per_pass_median", /* issue 19, i19-power: after every column before it */
	NULL,
};

static int among(const char *const *names, const char *name)
{
	while (*names && strcmp(*names, name) != 0)
		names++;
	return *names != NULL;
}

static void key_put(struct csv_out *w, const struct cell *c, size_t column)
{
	char text[128];
	if (key_text(&c->key, column, text, sizeof(text)))
		csv_out_str(w, text);
	else
		csv_out_na(w);
}

/* The key columns of `names`, in its order, where they stand there. */
static void key_put_named(struct csv_out *w, const struct cell *c, const char *const *names)
{
	for (; *names; names++)
		for (size_t i = 0; i < key_columns(); i++)
			if (strcmp(key_column(i), *names) == 0)
				key_put(w, c, i);
}

/* The key columns `historic` lacks, in key order: they come after all of it. */
static void key_put_new(struct csv_out *w, const struct cell *c, const char *const *historic)
{
	for (size_t i = 0; i < key_columns(); i++)
		if (!among(historic, key_column(i)))
			key_put(w, c, i);
}

/* The key columns released after the counters, where they stand in both lists. */
static const char *const released_keys[] = { "pipe_size", "pattern", "io_bytes", "threads", NULL };
/* The strategy options released after tlb_shootdowns, where they stand: the
 * worker columns come after them. */
static const char *const released_options[] = { "populate", "madvise", "map", "window", "qd", "direct",
						 "register", NULL };

static void header(struct csv_out *w, const char *const *historic)
{
	const char *names[CSV_MAX_FIELDS / 8];
	size_t n = 0;
	for (; historic[n]; n++)
		names[n] = historic[n];
	for (size_t i = 0; i < key_columns(); i++)
		if (!among(historic, key_column(i)))
			names[n++] = key_column(i);
	names[n] = NULL;
	csv_out_header(w, names);
}

/* The run settings that apply to a cell, NA where they do not. */
static void settings(struct csv_out *w, const struct cell *c)
{
	csv_out_str(w, op_names[key_strategy(&c->key)->op]);
	key_put_named(w, c, (const char *const[]){ "msync", "fsync", NULL });
}

static void identity(struct csv_out *w, const struct cell *c)
{
	key_put_named(w, c, (const char *const[]){ "strategy", "sink", "cache", "file_bytes", "block_bytes", NULL });
}

int runs_open(struct csv_out *w, const char *path)
{
	if (csv_out_open(w, path) != 0)
		return -1;
	header(w, runs_columns);
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
	for (int k = C_WALL_NS; k <= C_NIVCSW; k++)
		csv_out_double(w, s->c[k]);
	csv_out_u64(w, (uint64_t)s->verified);
	csv_out_double(w, sample_mibps(s, cell_bytes(c)));
	for (int k = C_PF; k <= C_SYSCALLS; k++)
		csv_out_double(w, s->c[k]);
	csv_out_double(w, s->resident_pct);
	key_put_named(w, c, (const char *const[]){ "consume", NULL });
	csv_out_u64(w, s->iters);
	csv_out_double(w, s->c[C_SENDER_USER_NS]);
	csv_out_double(w, s->c[C_SENDER_SYS_NS]);
	csv_out_double(w, s->c[C_SENDER_SYSCALLS]);
	settings(w, c);
	csv_out_double(w, s->persisted);
	csv_out_double(w, s->file_unchanged);
	for (int k = C_PGFAULT; k <= C_THP_FAULT_ALLOC; k++)
		csv_out_double(w, s->c[k]);
	key_put_named(w, c, released_keys);
	csv_out_double(w, s->tlb_shootdowns);
	key_put_named(w, c, released_options);
	csv_out_u64(w, s->worker);
	csv_out_double(w, s->moves);
	key_put_new(w, c, runs_columns);
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

/* The median of one value over the samples that have it; NaN when none do. */
static double median_of(const struct cell *c, double (*get)(const struct sample *, int), int k)
{
	double *v = malloc(c->n * sizeof(*v));
	size_t n = 0;
	if (!v)
		abort();
	for (size_t i = 0; i < c->n; i++) {
		double x = get(&c->samples[i], k);
		if (!isnan(x))
			v[n++] = x;
	}
	double m = n ? stats_median(v, n) : NAN;
	free(v);
	return m;
}

static double get_counter(const struct sample *s, int k) { return s->c[k]; }
static double get_resident(const struct sample *s, int k) { (void)k; return s->resident_pct; }
static double get_iters(const struct sample *s, int k) { (void)k; return s->iters; }
static double get_tlb(const struct sample *s, int k) { (void)k; return s->tlb_shootdowns; }
static double get_moves(const struct sample *s, int k) { (void)k; return s->moves; }

/* 1 when every sample has the flag, 0 when one lacks it, NaN when none measured it. */
static double all_of(const struct cell *c, double (*get)(const struct sample *))
{
	double all = NAN;
	for (size_t i = 0; i < c->n; i++) {
		double x = get(&c->samples[i]);
		if (!isnan(x))
			all = (isnan(all) || all > 0) && x > 0 ? 1 : 0;
	}
	return all;
}

static double get_persisted(const struct sample *s) { return s->persisted; }
static double get_unchanged(const struct sample *s) { return s->file_unchanged; }

/* The variance components of ln(MiB/s) between and within the workers, and
 * Kalibera & Jones's repetitions per worker: sqrt(c_worker / c_rep *
 * within / between), rounded up, at least 1; NA without a between-worker
 * component (none measured, or 0: then more repetitions always pay) or
 * without the costs. */
static void worker_columns(struct csv_out *w, const struct cell *c, const double *mibps, double cost_ratio)
{
	double *ln = malloc(c->n * sizeof(*ln));
	unsigned *worker = malloc(c->n * sizeof(*worker));
	if (!ln || !worker)
		abort();
	for (size_t r = 0; r < c->n; r++) {
		ln[r] = log(mibps[r]);
		worker[r] = c->samples[r].worker;
	}
	struct anova1 a;
	stats_anova1(ln, worker, c->n, &a);
	csv_out_u64(w, a.groups);
	csv_out_double(w, a.within);
	csv_out_double(w, a.between);
	double kj = NAN;
	if (a.between > 0 && cost_ratio > 0 && !isnan(a.within)) {
		kj = ceil(sqrt(cost_ratio * a.within / a.between));
		kj = kj < 1 ? 1 : kj;
	}
	csv_out_double(w, kj);
	free(ln);
	free(worker);
}

int summary_write(const char *path, const struct cell *cells, size_t ncells, double cost_ratio)
{
	struct csv_out w;
	if (csv_out_create_path(&w, path) != 0) /* written whole, renamed into place */
		return -1;
	header(&w, summary_columns);
	for (size_t i = 0; i < ncells; i++) {
		const struct cell *c = &cells[i];
		if (c->n == 0)
			continue;
		double *wall = malloc(c->n * sizeof(*wall)), *mibps = malloc(c->n * sizeof(*mibps));
		if (!wall || !mibps)
			abort();
		for (size_t r = 0; r < c->n; r++) {
			wall[r] = c->samples[r].c[C_WALL_NS];
			mibps[r] = sample_mibps(&c->samples[r], cell_bytes(c));
		}
		struct stats sw, sm;
		stats_compute(wall, c->n, &sw);
		stats_compute(mibps, c->n, &sm);
		identity(&w, c);
		csv_out_u64(&w, c->n);
		stats_columns(&w, &sw, 0);
		stats_columns(&w, &sm, 1);
		for (int k = C_USER_NS; k <= C_NIVCSW; k++)
			csv_out_double(&w, median_of(c, get_counter, k));
		for (int k = C_PF; k <= C_SYSCALLS; k++)
			csv_out_double(&w, median_of(c, get_counter, k));
		csv_out_double(&w, median_of(c, get_resident, 0));
		key_put_named(&w, c, (const char *const[]){ "consume", NULL });
		csv_out_double(&w, median_of(c, get_iters, 0));
		for (int k = C_SENDER_USER_NS; k <= C_SENDER_SYS_NS; k++)
			csv_out_double(&w, median_of(c, get_counter, k));
		csv_out_double(&w, median_of(c, get_counter, C_SENDER_SYSCALLS));
		settings(&w, c);
		csv_out_double(&w, all_of(c, get_persisted));
		csv_out_double(&w, all_of(c, get_unchanged));
		char label[64];
		key_label(&c->key, label, sizeof(label));
		csv_out_str(&w, label);
		for (int k = C_PGFAULT; k <= C_THP_FAULT_ALLOC; k++)
			csv_out_double(&w, median_of(c, get_counter, k));
		key_put_named(&w, c, released_keys);
		csv_out_double(&w, median_of(c, get_tlb, 0));
		key_put_named(&w, c, released_options);
		worker_columns(&w, c, mibps, cost_ratio);
		csv_out_double(&w, median_of(c, get_moves, 0));
		key_put_new(&w, c, summary_columns);
		csv_out_end_row(&w);
		free(wall);
		free(mibps);
	}
	return csv_out_close(&w);
}

/* The cell that is `like` in every way but its size, which is `size`. */
static const struct cell *find_cell(const struct cell *cells, size_t ncells, const struct cell *like, uint64_t size)
{
	for (size_t i = 0; i < ncells; i++)
		if (cell_bytes(&cells[i]) == size && key_same(&cells[i].key, &like->key, D_FILE_BYTES))
			return &cells[i];
	return NULL;
}

/* Distinct strings in order of first appearance. */
static size_t distinct(const char **out, size_t max, const struct cell *cells, size_t ncells, enum dim_id d)
{
	size_t n = 0;
	for (size_t i = 0; i < ncells; i++) {
		const char *v = key_name(&cells[i].key, d);
		size_t k = 0;
		while (k < n && strcmp(out[k], v) != 0)
			k++;
		if (k == n && n < max)
			out[n++] = v;
	}
	return n;
}

/* One table per cache state and sink: strategies down, sizes across. */
void print_table(FILE *f, const struct cell *cells, size_t ncells, const uint64_t *sizes, size_t nsizes)
{
	const char *caches[2], *sinks[8];
	size_t ncaches = distinct(caches, 2, cells, ncells, D_CACHE), nsinks = distinct(sinks, 8, cells, ncells, D_SINK);
	char label[32];
	int first = 1;

	for (size_t ci = 0; ci < ncaches; ci++)
		for (size_t si = 0; si < nsinks; si++) {
			fprintf(f, "%smedian MiB/s (sink %s, %s cache, consume %s, block %zu B)\n", first ? "" : "\n",
				sinks[si], caches[ci], key_name(&cells[0].key, D_CONSUME),
				(size_t)cells[0].key.dim[D_BLOCK_BYTES]);
			first = 0;
			fprintf(f, "%-30s", "strategy");
			for (size_t z = 0; z < nsizes; z++) {
				format_size(sizes[z], label, sizeof(label));
				fprintf(f, " %9s", label);
			}
			fputc('\n', f);
			for (size_t i = 0; i < ncells; i++) { /* each strategy once, in sweep order */
				const struct cell *row = &cells[i];
				if (cell_bytes(row) != sizes[0] || strcmp(key_name(&row->key, D_CACHE), caches[ci]) != 0 ||
				    strcmp(key_name(&row->key, D_SINK), sinks[si]) != 0)
					continue;
				char name[64];
				key_label(&row->key, name, sizeof(name));
				fprintf(f, "%-30s", name);
				for (size_t z = 0; z < nsizes; z++) {
					const struct cell *c = find_cell(cells, ncells, row, sizes[z]);
					if (!c || c->n == 0) {
						fprintf(f, " %9s", "-");
						continue;
					}
					double *v = malloc(c->n * sizeof(*v));
					if (!v)
						abort();
					for (size_t r = 0; r < c->n; r++)
						v[r] = sample_mibps(&c->samples[r], cell_bytes(c));
					fprintf(f, " %9.0f", stats_median(v, c->n));
					free(v);
				}
				fputc('\n', f);
			}
		}
}

void cells_free(struct cell *cells, size_t ncells)
{
	for (size_t i = 0; i < ncells; i++)
		free(cells[i].samples);
	free(cells);
}
