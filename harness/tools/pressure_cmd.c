/* iopaths pressure RUN_DIR: the cliff of every cell of a --duration run
 * (core/cliff.c), one row each, into RUN_DIR/pressure.csv.  A command of its
 * own, not only a step of the run, so that a run's pressure.csv can be
 * written again from its timeseries.csv (a run stopped by Ctrl-C keeps its
 * rows; a newer rule reads an older run), and so that the analysis is tested
 * on hand-written series without a cgroup or a device. */
#include "pressure_cmd.h"

#include "outfile.h"
#include "pressure_out.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

int cmd_pressure(int argc, char **argv)
{
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs("usage: iopaths pressure RUN_DIR\n\n"
		      "Reads RUN_DIR/timeseries.csv (iopaths run --mem-limit SIZE --duration SEC) and\n"
		      "writes RUN_DIR/pressure.csv, one row per cell (label): when memory in use first\n"
		      "reached 0.95 of the limit (limit_reached_s), the median MiB/s before it\n"
		      "(intervals 1 to the reach) and in the steady state after (the last half of\n"
		      "the intervals from the reach on), the depth (1 - after/before), the cliff\n"
		      "(cliff_s: the start of the first interval from the reach whose MiB/s is below\n"
		      "0.5 of the median before; empty when none is), read amplification (device\n"
		      "bytes / bytes used, a ratio of sums) and TLB shootdowns/s in both phases,\n"
		      "and the outcome: cliff, held, not reached, or too soon (reached in the\n"
		      "first two intervals: no baseline).  Status 2 for a folder without a\n"
		      "timeseries.csv of rows and the columns it needs.\n", stdout);
		return 0;
	}
	if (argc != 2) {
		fputs("iopaths: pressure: needs RUN_DIR (see --help)\n", stderr);
		return 2;
	}
	char err[PATH_MAX + 256];
	if (out_dir_check(argv[1], err, sizeof(err)) != 0) {
		fprintf(stderr, "iopaths: pressure: %s\n", err);
		return 2;
	}
	int rc = pressure_write(argv[1], err, sizeof(err));
	if (rc != 0) {
		fprintf(stderr, "iopaths: pressure: %s\n", err);
		return rc;
	}
	fprintf(stderr, "iopaths: pressure: %s/pressure.csv\n", argv[1]);
	return 0;
}
