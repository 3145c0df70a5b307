/* How fast the consumer and plain memcpy are on this machine, so meta.csv
 * shows the consumer never limits a path: it must outrun memcpy. */
#ifndef IOPATHS_SPEED_H
#define IOPATHS_SPEED_H

#include <stddef.h>

/* MiB/s of the consumer over a resident block of `block` bytes, ~0.2 s. */
double consumer_speed_mibps(size_t block);

/* MiB/s of memcpy in `block` chunks out of a resident 64 MiB buffer, ~0.2 s. */
double memcpy_speed_mibps(size_t block);

#endif
