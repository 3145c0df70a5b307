/* The mmap cliff of a time series (DESIGN-14 §4.1), pure: no I/O, no state.
 * Intervals 0..n-1 of one cell, each with its measured length and what was
 * counted in it.  The limit counts as reached at the first interval whose
 * memory in use is at least REACHED_SHARE of it (v1's usage hovers a little
 * under the limit while reclaiming); the cliff is the first interval from
 * there whose MiB/s is below CLIFF_FRACTION of the median before it
 * (intervals 1..reached-1: interval 0 is the threads starting up).  The
 * steady state after is the last half of the intervals from the reach on.
 * Only intervals whose length is DT_SHARE_MIN to DT_SHARE_MAX of the cell's
 * median length are judged (medians, the cliff): a shorter one is a late
 * sampler's catch-up, a longer one may be half a stop (SIGSTOP, a starved
 * process); the ratios of sums keep them all. */
#ifndef IOPATHS_CLIFF_H
#define IOPATHS_CLIFF_H

#include <stddef.h>

#define CLIFF_FRACTION 0.5
#define REACHED_SHARE 0.95
#define DT_SHARE_MIN 0.5
#define DT_SHARE_MAX 2.0

struct cliff_in {
	size_t n;
	/* per interval: end time since t0 and measured length (s), MiB/s, memory
	 * in use (B, gauge), device bytes read, bytes used, TLB shootdowns; NaN
	 * where not measured.  majflt and refault may be NULL (then NaN out). */
	const double *t_s, *dt_s, *mibps, *mem, *dev, *used, *tlb;
	const double *majflt, *refault;
	double limit; /* bytes; 0 or NaN: no limit, never reached */
};

enum cliff_outcome {
	CLIFF_NOT_REACHED, /* memory never reached the limit: all intervals are "before" */
	CLIFF_TOO_SOON,    /* reached in interval 0 or 1: no baseline before it */
	CLIFF_HELD,        /* reached; no interval fell below the fraction */
	CLIFF_FOUND,
};
extern const char *const cliff_outcome_names[]; /* "not reached", "too soon", "held", "cliff" */

struct cliff_out {
	enum cliff_outcome outcome;
	long reached; /* first interval index with mem >= REACHED_SHARE * limit, -1 none */
	long cliff;   /* index, -1 none */
	double reached_s, cliff_s, before_mibps, after_mibps, depth, amp_before, amp_after,
		tlb_per_s_before, tlb_per_s_after, majflt_per_s_after, refault_per_s_after;
	long before_lo, before_hi, after_lo, after_hi; /* the phases' intervals [lo, hi); empty: lo == hi */
};

void cliff_find(const struct cliff_in *in, struct cliff_out *out);

#endif
