/* What identifies a cell: one definition, the table in dimensions.def plus
 * the options each strategy declares.  CSV identity columns, cell lookup,
 * labels, compare's key and the plan all read it from here. */
#ifndef IOPATHS_CELL_H
#define IOPATHS_CELL_H

#include "cache.h"
#include "strategy.h"

#include <stddef.h>
#include <stdint.h>

#define ALL_SINKS ((1u << NSINKS) - 1)

enum dim_kind { DIM_STRATEGY, DIM_NAME, DIM_BYTES, DIM_FLAG };

struct dim {
	const char *column;
	enum dim_kind kind;
	const char *const *names; /* DIM_NAME: its values, by number */
	size_t nnames;
	uint64_t dflt;
	unsigned sinks;           /* where it means something; elsewhere NA */
	enum label_rule label;
	int planned;              /* crossed by the plan from --variant COLUMN=... */
};

enum dim_id {
#define DIM(id, ...) D_##id,
#include "dimensions.def"
#undef DIM
	NDIMS
};
extern const struct dim dims[NDIMS];

/* A cell's value in every dimension and in every option of its strategy. */
struct cell_key {
	uint64_t dim[NDIMS];       /* DIM_STRATEGY: index into strategies[]; DIM_NAME: into names */
	uint64_t opt[MAX_OPTIONS]; /* by place in the strategy's options; 0 past its last */
};

/* A key for strategy s (which must be in strategies[]) and sink, every other
 * dimension and every option at its default. */
void key_init(struct cell_key *k, const struct strategy *s, enum sink sink);
const struct strategy *key_strategy(const struct cell_key *k);
enum sink key_sink(const struct cell_key *k);
const char *key_name(const struct cell_key *k, enum dim_id d); /* a DIM_NAME value's name */

/* The identity columns: the dimensions in table order, then every option
 * name the strategies declare, once, in strategies.def order. */
size_t key_columns(void);
const char *key_column(size_t i);
/* Column i of key k as text; 0 where it does not apply (an NA). */
int key_text(const struct cell_key *k, size_t i, char *out, size_t len);
/* What a CSV without column i means for a row of strategy s (NULL: one this
 * build does not know) and sink (0: unknown): the default where it applies. */
void key_default_text(size_t i, const struct strategy *s, enum sink sink, char *out, size_t len);

/* Equal in every dimension but `except` (NDIMS: none) and every option. */
int key_same(const struct cell_key *a, const struct cell_key *b, enum dim_id except);

/* "write[fsync]", "mmap-shared-write[msync=async]": the strategy and the
 * dimensions and options its label rules show, without blanks (figures split
 * lists of labels on them). */
void key_label(const struct cell_key *k, char *out, size_t len);

/* A strategy's options: how many, which one is called name (-1: none). */
size_t option_count(const struct strategy *s);
int option_index(const struct strategy *s, const char *name);
/* An option's value from text ("async", "64K"): 0, or -1 when it is not one. */
int option_parse(const struct strategy_option *o, const char *text, uint64_t *v);
void option_text(const struct strategy_option *o, uint64_t v, char *out, size_t len);
/* "one of none, async, sync" or "a size from 4K to 1G": what option_parse takes. */
void option_takes(const struct strategy_option *o, char *out, size_t len);
/* What the job carries of the key: the strategy's options (k NULL: their
 * defaults) and the dimensions the harness acts on in the timed region. */
void job_take_key(struct job *j, const struct strategy *s, const struct cell_key *k);

/* A planned dimension's value from text, likewise. */
int dim_parse(enum dim_id d, const char *text, uint64_t *v);

#endif
