#ifndef IOPATHS_COMPARE_H
#define IOPATHS_COMPARE_H
/* `iopaths compare`: runs against a base run, cell by cell. */
int cmd_compare(int argc, char **argv);

/* faster / slower when the intervals [lo, hi] do not overlap, else same. */
const char *compare_verdict(double a_lo, double a_hi, double b_lo, double b_hi);
#endif
