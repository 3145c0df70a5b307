/* `iopaths run`'s options, one row each: flag, parser, default, help line and
 * meta.csv key.  --help is printed from the table, meta.csv records from it,
 * and a test holds README's option table to it. */
#ifndef IOPATHS_RUN_OPTIONS_H
#define IOPATHS_RUN_OPTIONS_H

#include "meta.h"
#include "plan.h"
#include "sweep.h"

#include <stdio.h>

#define PIN_DEFAULT -2 /* --pin not given: the last allowed CPU when there are several */
#define PIN_NONE -1    /* --pin none, or no CPU to pin to */

/* What the options fill in. */
struct run_args {
	struct run_config *cfg;
	struct choice *ch;
	int pin; /* PIN_DEFAULT, PIN_NONE or a CPU */
};

struct run_option {
	const char *flag;     /* without the dashes */
	int has_arg;          /* getopt's no_argument, required_argument or optional_argument */
	const char *arg;      /* what --help shows after the flag: "LIST", "[=WHEN]" */
	const char *help;     /* what it does, for --help and README */
	const char *dflt;     /* the default, in README's words; NULL: none */
	int dflt_parsed;      /* 1: dflt is a value, parsed before the command line */
	const char *meta_key; /* the meta.csv key that records it; NULL: none */
	void (*parse)(struct run_args *a, const char *text); /* text NULL: the flag alone */
	void (*record)(const struct run_args *a, char *out, size_t len); /* the meta value */
};

extern const struct run_option run_options[];
extern const size_t run_option_count;

/* Reads argv into a, defaults first; bad input is a usage error (status 2).
 * Ends by planning the pairs.  --help prints and exits 0. */
void run_options_parse(struct run_args *a, int argc, char **argv);

void run_options_help(FILE *f);

/* Sets each option's meta.csv key. */
void run_options_record(struct meta *m, const struct run_args *a);

#endif
