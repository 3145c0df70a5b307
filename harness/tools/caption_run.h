/* What `iopaths caption` reads (caption.c), what it was asked (caption_args.c)
 * and what it says (caption_say.c). */
#ifndef IOPATHS_CAPTION_RUN_H
#define IOPATHS_CAPTION_RUN_H

#include "cell.h"
#include "strmap.h"

#include <stddef.h>
#include <stdint.h>

#define CAPTION_ALPHA 0.05
#define CAPTION_NOISE_PCT 2.0 /* compare's default --noise: the same threshold for every verdict */
#define CAPTION_AT_EACH_MAX 4 /* --at each: sentences for at most this many sizes */
#define CAPTION_LIST_MAX 64

enum caption_at { AT_LARGEST, AT_SMALL, AT_EACH, AT_BYTES };

struct caption_args {
	const char *dir;  /* NULL: --help was printed */
	const char *metric;
	int per_mib;
	int higher_better;
	char *where_key[CAPTION_LIST_MAX], *where_value[CAPTION_LIST_MAX];
	size_t nwhere;
	enum caption_at at;
	uint64_t at_bytes;
	char *labels[CAPTION_LIST_MAX], *strategies[CAPTION_LIST_MAX], *sinks[CAPTION_LIST_MAX];
	size_t nlabels, nstrategies, nsinks;
	char *expect_a, *expect_b; /* --expect A>B: A ranks above B; NULL without */
	const char *textbook;
	int across_cache; /* --across cache: each series hot against itself cold */
	char *show[CAPTION_LIST_MAX], *evidence[CAPTION_LIST_MAX];
	size_t nshow, nevidence;
	uint64_t sizes[CAPTION_LIST_MAX];
	size_t nsizes;
	char *copies[16]; /* the strings the lists point into */
	size_t ncopies;
};

/* Fills a from argv; on bad usage prints one line and exits 2. */
void caption_parse(int argc, char **argv, struct caption_args *a);
void caption_args_free(struct caption_args *a);

/* One summary.csv row: a series at one size, and its repetitions' values. */
struct series {
	char **f;        /* its fields, as in the header (one allocation) */
	size_t nf;
	char *key;       /* its cell's key columns, joined: how runs.csv rows find it */
	size_t order;    /* row number: ties keep the file's order */
	uint64_t bytes;
	double median;   /* the metric's median (per MiB with --per-mib); NaN when NA */
	double *samples; /* the metric per repetition, likewise */
	int *workers;    /* [i]: the worker process of samples[i] (runs.csv's worker; 1 when it has none) */
	size_t nsamples, cap;
	size_t *ones, *zeros; /* per --show column that is 0/1: repetitions holding 1, 0 */
	int keep;        /* passes every filter and has a median */
};

struct run {
	const struct caption_args *a;
	char **head;     /* summary.csv's header (one allocation) */
	size_t nhead;
	struct series *s;
	size_t n, cap;
	int c_label, c_strategy, c_sink, c_cache, c_bytes, c_block, c_n, c_median;
	int *c_show, *c_evidence, *c_where; /* summary.csv columns of the lists */
	int header_seen; /* runs.csv */
	int r_metric;
	int r_worker;    /* runs.csv's worker column; -1: none */
	int *r_show;     /* runs.csv column of each 0/1 --show column; -1: none */
	int r_key[NDIMS + 64];
	struct strmap keys; /* a series' key -> the series: runs.csv's rows joined in constant time */
	char err[512];
};

const char *caption_field(const struct series *s, int col); /* "" when absent */
int caption_is_flag(const char *col);                       /* a 0/1 column: persisted_all, fsync, ... */
/* --expect's names as labels: a label itself, or a strategy with one label
 * among the rows kept.  NULL with a message in err. */
const char *caption_label_of(const struct run *r, const char *name, char *err, size_t errlen);

/* Writes the paragraph to stdout: 0; or 1 with a message in err when the rows
 * it needs are absent. */
int caption_say(const struct run *r, char *err, size_t errlen);

#endif
