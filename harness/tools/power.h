/* iopaths power OUT_DIR COMPARE.csv: how many of the planted changes
 * (`iopaths run --plant-ns N`) compare found, per band of expected change. */
#ifndef IOPATHS_POWER_H
#define IOPATHS_POWER_H

#include <stdint.h>

/* The bands of expected slowdown, in % of MiB/s, and their edges: each band
 * is [lo, hi), the edges the geometric means of neighbouring bands (and of
 * 2 / 2 and 20 * 2 at the ends), so that a cell goes to the nearest band on
 * a log scale and none to two. */
#define POWER_NBANDS 4
extern const double power_bands[POWER_NBANDS];
extern const double power_band_lo[POWER_NBANDS], power_band_hi[POWER_NBANDS];

/* The slowdown of MiB/s, in % (negative), that a planted wait of wait_ns
 * paid moves/threads times per pass adds to a pass of base_wall_ns: its
 * threads run at once, each paying its share of the waits. */
double power_expected_pct(double base_wall_ns, double moves_per_pass, double threads, double wait_ns);

/* The band whose [lo, hi) holds |expected_pct|, or -1. */
int power_band_of(double expected_pct);

int cmd_power(int argc, char **argv);

#endif
