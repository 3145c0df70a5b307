/* iopaths pressure RUN_DIR: RUN_DIR/pressure.csv from RUN_DIR/timeseries.csv. */
#ifndef IOPATHS_PRESSURE_CMD_H
#define IOPATHS_PRESSURE_CMD_H

int cmd_pressure(int argc, char **argv);

#endif
