#ifndef IOPATHS_TABULATE_H
#define IOPATHS_TABULATE_H
/* `iopaths tabulate`: key=value lines on stdin into a CSV file, through
 * libcsv (scripts/bench-serve.sh writes serve.csv and meta.csv with it). */
int cmd_tabulate(int argc, char **argv);
#endif
