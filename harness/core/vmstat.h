/* /proc/vmstat counters around the timed region: a snapshot before and one
 * after, both outside the clock reads.  They are system-wide: every process
 * on the machine adds to them, this one included. */
#ifndef IOPATHS_VMSTAT_H
#define IOPATHS_VMSTAT_H

#include <stddef.h>
#include <stdint.h>

enum vm_counter {
	VM_PGFAULT,                 /* pgfault */
	VM_PGMAJFAULT,              /* pgmajfault */
	VM_PGSCAN,                  /* pages scanned by reclaim: see vmstat_parse */
	VM_PGSTEAL,                 /* pages reclaimed */
	VM_WORKINGSET_REFAULT_FILE, /* file pages read again soon after eviction */
	VM_THP_FAULT_ALLOC,         /* huge pages allocated at fault time */
	VM_NCOUNTERS
};

/* One reading; bit k of present is set when this kernel has counter k. */
struct vmstat_snapshot {
	uint64_t value[VM_NCOUNTERS];
	unsigned present;
};

/* /proc/vmstat is ~4 KiB on 6.x kernels; far more room than that, because a
 * reading that fills the buffer loses the lines past its end. */
#define VMSTAT_TEXT_MAX (32 * 1024)

struct vmstat_reader {
	int fd;                     /* -1: no /proc/vmstat, every counter reads NA */
	char text[VMSTAT_TEXT_MAX]; /* touched once at open, so reading never faults */
};

void vmstat_open(struct vmstat_reader *r);
void vmstat_close(struct vmstat_reader *r);

/* One pread of the open file, parsed in place; nothing present when unreadable. */
void vmstat_snap(struct vmstat_reader *r, struct vmstat_snapshot *out);

/* Parses len bytes of /proc/vmstat text.  Only whole lines count: a line
 * cut by the end of the text is ignored.  pgscan and pgsteal are totals:
 * pgscan_anon + pgscan_file where the kernel splits by type (5.8+, and they
 * count memory-cgroup reclaim too), else the sum of the per-reclaimer
 * counters (pgscan_kswapd*, pgscan_direct*, ...), never pgscan_direct_throttle,
 * which counts throttling events, not pages. */
void vmstat_parse(const char *text, size_t len, struct vmstat_snapshot *out);

/* after - before per counter, as doubles; NaN where either lacks it. */
void vmstat_delta(const struct vmstat_snapshot *before, const struct vmstat_snapshot *after,
		  double out[VM_NCOUNTERS]);

extern const char *const vm_counter_names[VM_NCOUNTERS]; /* the /proc/vmstat names */

#endif
