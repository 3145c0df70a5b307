/* pressure.csv (DESIGN-14 §4.2): one row per cell of a --duration run, from
 * its timeseries.csv, through the cliff rule (cliff.h). */
#ifndef IOPATHS_PRESSURE_OUT_H
#define IOPATHS_PRESSURE_OUT_H

#include <stddef.h>

/* The columns of timeseries.csv this reads (the rest are for the figures). */
extern const char *const pressure_ts_columns[];
/* pressure.csv's header, in order. */
extern const char *const pressure_columns[];

/* Reads RUN/timeseries.csv, writes RUN/pressure.csv whole (renamed into
 * place).  0; 2 with one line in err for bad input (no file, a column
 * missing, no rows, a label with no intervals); 1 when writing failed. */
int pressure_write(const char *run, char *err, size_t errlen);

#endif
