/* Run planning: from what the command line named to the pairs the sweep runs,
 * each a strategy, a sink and a value for every variant (cell.h). */
#ifndef IOPATHS_PLAN_H
#define IOPATHS_PLAN_H

#include "sweep.h"

/* --op: which strategies run when none is named. */
enum op_choice { OPS_READ = OP_READ, OPS_WRITE = OP_WRITE, OPS_BOTH, OPS_UNNAMED };
extern const char *const op_choice_names[3]; /* read, write, both */

/* --fsync: the file sink fsynced after every pass, never, or both ways. */
enum fsync_choice { FSYNC_OFF, FSYNC_ON, FSYNC_BOTH };
extern const char *const fsync_choice_names[3]; /* off, on, both */

#define MAX_VARIANT_VALUES 16
#define MAX_VARIANT_CHOICES 16

/* The values the command line gave an option or a planned dimension. */
struct variant_choice {
	const struct strategy *only; /* NULL: every strategy that declares it */
	char name[32];
	char values[MAX_VARIANT_VALUES][32];
	size_t n;
};

/* What the command line named, before pairs are made. */
struct choice {
	const struct strategy *strategies[MAX_ITEMS];
	size_t nstrategies;
	unsigned sinks; /* a bit per sink named; 0: none named */
	enum op_choice op;
	enum fsync_choice fsync;
	struct variant_choice variants[MAX_VARIANT_CHOICES]; /* a later one for the same name wins */
	size_t nvariants;
	int explain;
	char skipped[2048]; /* out: "strategy>sink" pairs that cannot run */
	char refused[512];  /* out: why the last combination skipped cannot run */
};

/* Values for option `name` (of `only`, or of every strategy that declares
 * it) or for a planned dimension, as --variant, --msync or --pipe-size
 * (`flag`, for messages) gave them.  0; -1 with a message in err. */
int plan_variant(struct choice *ch, const char *flag, const struct strategy *only, const char *name,
		 char *const *values, size_t n, char *err, size_t errlen);

/* The values given for `name`, as meta.csv records them ("sync,none",
 * "65536"), or its default. */
void plan_variant_text(const struct choice *ch, const char *name, char *out, size_t len);

/* Fills cfg->pairs: every strategy named (or of --op) to every sink named
 * (or it supports), crossed with the values of its options, the planned
 * dimensions and --fsync.  0; -1 with a message in err. */
int plan_pairs(struct run_config *cfg, struct choice *ch, char *err, size_t errlen);

#endif
