/* One repetition: untimed preparation, the timed move, verification. */
#ifndef IOPATHS_MEASURE_H
#define IOPATHS_MEASURE_H

#include "datafile.h"
#include "strategy.h"

/* What one repetition cost, measured around the timed region only.  Every
 * counter is a 64-bit integer; COUNTER_NA marks one this machine cannot give. */
enum counter {
	C_WALL_NS,  /* CLOCK_MONOTONIC */
	C_USER_NS,  /* getrusage(RUSAGE_SELF) deltas from here on */
	C_SYS_NS,
	C_MINFLT,
	C_MAJFLT,
	C_NVCSW,
	C_NIVCSW,
	C_COUNT
};
#define COUNTER_NA INT64_MIN
extern const char *const counter_names[C_COUNT]; /* the CSV column names */

struct sample {
	int64_t c[C_COUNT];
	int verified; /* the consumer's checksum matched the file's */
};

/* MiB/s of one sample: bytes / 2^20 / seconds; NaN when no time passed. */
double sample_mibps(const struct sample *s, uint64_t bytes);

/* Untimed: open the file, allocate and prefault the block buffer, run setup. */
int job_prepare(struct job *j, const struct strategy *s, const struct datafile *d,
		size_t block, char *err, size_t errlen);
void job_release(struct job *j, const struct strategy *s);
void job_free_resident(struct job *j);

/* Runs s->move once.  0 with *out filled and verified; -1 with a one-line
 * reason in err (a failed call, or bytes that do not match the file). */
int measure_once(const struct strategy *s, struct job *j, uint64_t expected,
		 struct sample *out, char *err, size_t errlen);

#endif
