/* iopaths floor OUT.csv AA_COMPARE.csv...: the machine's noise floor per
 * cell from make aa's A/A comparisons, for iopaths compare --floor. */
#ifndef IOPATHS_FLOOR_H
#define IOPATHS_FLOOR_H

#include <stddef.h>

/* The 95th percentile of v[0..n) (n >= 1) by nearest rank; sorts v. */
double floor_percentile95(double *v, size_t n);

int cmd_floor(int argc, char **argv);

#endif
