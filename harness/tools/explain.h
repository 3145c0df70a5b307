/* `iopaths explain STRATEGY`, and the predicted-vs-measured table of --explain. */
#ifndef IOPATHS_EXPLAIN_H
#define IOPATHS_EXPLAIN_H

#include "results.h"

int cmd_explain(int argc, char **argv, const char *usage);

/* The sending thread's syscalls per pass the strategy predicts for this cell. */
double predicted_syscalls(const struct cell_key *k);

/* For every cell: predicted and measured sender syscalls, per pass and per MiB. */
void print_explain(FILE *f, const struct cell *cells, size_t ncells);

/* One line per option of s, after indent: its values, default and help. */
void print_options(FILE *f, const struct strategy *s, const char *indent);

#endif
