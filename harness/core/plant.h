/* A planted slowdown of known size (`iopaths run --plant-ns N`, issue 19):
 * a busy-wait of N ns each time a strategy hands moved bytes to the harness
 * (span_moved, job.c).  `make power` runs a side B with it and checks that
 * compare finds the change its size predicts. */
#ifndef IOPATHS_PLANT_H
#define IOPATHS_PLANT_H

#include <stdint.h>

/* Spins on CLOCK_MONOTONIC until ns have passed since the call (0: returns). */
void plant_wait(uint64_t ns);
/* Waits of ns above 0 done so far in this process (calibration's included):
 * what the tests count, since a wait's time is not theirs to assert. */
uint64_t plant_waits(void);

/* What one plant_wait(ns) costs here, as the run pays it: the median over
 * `batches` batches of the mean time of `waits` back-to-back waits, in ns.
 * The median, so that a batch the scheduler interrupted does not set it. */
double plant_calibrate(uint64_t ns, unsigned batches, unsigned waits);
#define PLANT_BATCHES 9u

#endif
