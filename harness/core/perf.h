/* perf_event_open counters around the timed region only.
 *
 * Two groups, opened separately so a missing PMU never costs the software
 * events: software (page faults, context switches, migrations, task clock)
 * and hardware (cycles, instructions, cache misses, dTLB load misses), plus
 * the raw_syscalls:sys_enter tracepoint.  exclude_kernel = 0, because faults
 * taken inside syscalls must count; inherit = 1, so threads a strategy starts
 * count too.  An event that cannot be opened reads as NaN (NA), and
 * perf_status() says why. */
#ifndef IOPATHS_PERF_H
#define IOPATHS_PERF_H

#include <stddef.h>

enum perf_counter {
	PERF_PF, PERF_PF_MIN, PERF_PF_MAJ, PERF_CTX, PERF_MIGR, PERF_TASK_CLOCK, /* software */
	PERF_CYCLES, PERF_INSTR, PERF_CACHE_MISS, PERF_DTLB_MISS,                 /* hardware */
	PERF_SYSCALLS,                                                            /* tracepoint */
	PERF_SENDER_SYSCALLS, /* the same, measuring thread only (inherit = 0) */
	PERF_NCOUNTERS
};

struct perf_set {
	int fd[PERF_NCOUNTERS];
	char status[PERF_NCOUNTERS][160]; /* "ok" or why not */
};

extern const char *const perf_event_names[PERF_NCOUNTERS]; /* perf's own names, for meta.csv */

void perf_open(struct perf_set *p);
void perf_close(struct perf_set *p);
void perf_start(struct perf_set *p); /* reset and enable every open counter */
void perf_stop(struct perf_set *p);
void perf_stop_one(struct perf_set *p, enum perf_counter k); /* one counter, earlier than the rest */
/* Values since perf_start, scaled by time_enabled / time_running; NaN when not open. */
void perf_read(struct perf_set *p, double out[PERF_NCOUNTERS]);

#endif
