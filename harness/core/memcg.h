/* --mem-limit: a memory cgroup iopaths makes under the one this process is
 * in, joins for the measured work, and removes on every path (normal end,
 * error, Ctrl-C, exit; a killed run's is removed by the next run).
 *
 * cgroup v1 (memory.limit_in_bytes, memory.memsw.limit_in_bytes) and v2
 * (memory.max, memory.swap.max).  The env IOPATHS_CGROUP_FS=DIR replaces
 * the mount table for tests: DIR/memory is a v1 memory mount when it holds
 * memory.limit_in_bytes, DIR/unified (or DIR) a v2 one when its
 * cgroup.controllers lists memory; this process is taken to be in its root. */
#ifndef IOPATHS_MEMCG_H
#define IOPATHS_MEMCG_H

#include "meta.h"

#include <limits.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#define MEMCG_MIN_LIMIT (4ULL << 20) /* --mem-limit below this is refused */

enum memcg_version { MEMCG_NONE, MEMCG_V1, MEMCG_V2 };

struct memcg {
	enum memcg_version v;
	char mount[PATH_MAX];    /* the controller's mount point */
	char parent[PATH_MAX];   /* the cgroup we were in: we go back there */
	char base[PATH_MAX];     /* where the child is made: parent, or (v2) the mount root */
	char path[PATH_MAX];     /* <base>/iopaths-<pid>-<pidspacetag> */
	uint64_t limit;          /* as read back (the kernel rounds to pages) */
	uint64_t swap_limit;     /* memsw (v1) or swap.max (v2) as read back; UINT64_MAX: not set */
	int swap_limited;        /* 1: memsw (v1) or memory.swap.max=0 (v2) set */
	int joined, made;
	int fd_usage;            /* memory.usage_in_bytes | memory.current, open */
	int fd_stat;             /* memory.stat, open */
	int fd_events;           /* v2 memory.events (oom_kill); v1 memory.oom_control */
	char text[16384];        /* memory.stat text, touched at open */
	/* v1's OOM guard: the OOM killer disabled (memory.oom_control), an
	 * eventfd told of an OOM (cgroup.event_control) and a thread that waits
	 * on it: it sets oom and *stop, and lifts the limit so that the faults
	 * waiting in the OOM go on to the stop.  Not there (v2, a fake tree):
	 * the kernel's OOM killer kills the run. */
	int guarded;
	int fd_oom_event, fd_quit, fd_limit, fd_memsw; /* -1: none */
	pthread_t watcher;
	int oom;                 /* 1 once an OOM was told (atomic) */
	int *stop;               /* set to 1 on an OOM (the sweep's stop flag), or NULL */
};

struct memcg_stat {          /* one reading; NaN where absent */
	double usage;            /* bytes: memory.current | memory.usage_in_bytes */
	double file;             /* bytes: v2 "file" | v1 "cache" */
	double refault_file;     /* pages (cumulative): workingset_refault_file */
	double pgscan, pgsteal;  /* pages (cumulative): v2 memory.stat; v1 NaN (see sampler) */
	double pgmajfault;       /* cumulative, memcg-wide */
	double oom_kill;         /* v2 memory.events oom_kill | v1 oom_control oom_kill */
};

/* Which controller this process can use, and why not: 0, or -1 + one line. */
int memcg_probe(enum memcg_version *v, char *why, size_t len);
/* Probes, removes orphans, mkdir, sets the limit and no swap; does not join.
 * 0, or -1 + why (one line; refused for lack of root or a controller). */
int memcg_make(struct memcg *m, uint64_t limit, char *why, size_t len);
/* Moves the whole process (cgroup.procs).  0 or -1 + why. */
int memcg_join(struct memcg *m, char *why, size_t len);
/* Moves the process back to the parent and keeps the cgroup (e.g. while a
 * data file is written, whose pages must not be charged to it). */
void memcg_step_out(struct memcg *m);
/* Back to the parent, then rmdir.  Idempotent; only open/write/close/rmdir,
 * so it can run from atexit and the error paths. */
void memcg_leave(struct memcg *m);
/* Did the cgroup run out of memory (v1's guard told of an OOM)? */
int memcg_oom_seen(const struct memcg *m);
/* memcg_leave of the cgroup memcg_make made last: for atexit. */
void memcg_leave_global(void);
void memcg_read(struct memcg *m, struct memcg_stat *s);
/* The most memory in use since it was made (v1 memory.max_usage_in_bytes,
 * v2 memory.peak), bytes; NaN when the kernel does not say. */
double memcg_peak(const struct memcg *m);
/* Removes <dir>/iopaths-PID-TAG cgroups whose PID (same pid space tag) is
 * gone and whose cgroup.procs is empty; one stderr line each; returns count. */
int memcg_remove_orphans(const char *dir);
/* For meta.csv: version, path, limit, memsw/swap.max, swappiness, swap state. */
void memcg_record(const struct memcg *m, struct meta *meta);

#endif
