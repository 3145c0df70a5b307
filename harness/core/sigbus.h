/* SIGBUS in the timed region: an error with its cause, never a dead run.
 *
 * A mapping outlives the size of its file: when the file shrinks (truncate,
 * another process), touching a page past the new end raises SIGBUS, whose
 * default action kills the process with nothing written.  The strategies that
 * map (mmap-shared, mmap-private, mmap-private-write, mmap-shared-write) touch
 * their mapping from plain loads and stores, so the harness runs the passes
 * under sigbus_guard(): a SIGBUS the kernel raises there jumps back out of the
 * handler, and the sample fails with what happened.  Strategies need no code
 * for it: the address is looked up in /proc/self/maps afterwards. */
#ifndef IOPATHS_SIGBUS_H
#define IOPATHS_SIGBUS_H

#include "strategy.h"

#include <stddef.h>

struct sigbus_fault {
	void *addr; /* si_addr: the byte the faulting load or store touched */
	int code;   /* si_code: BUS_ADRERR for a page past the end of the file */
};

#define SIGBUS_TRAPPED (-2)

/* Installs the handler (again, if something replaced it). */
void sigbus_install(void);

/* Runs fn(arg) and returns what it returns; SIGBUS_TRAPPED, with *fault
 * filled, when a SIGBUS raised by a fault in this thread ended it.  Outside
 * a guard, SIGBUS kills the process as it always did. */
int sigbus_guard(int (*fn)(void *), void *arg, struct sigbus_fault *fault);

/* After SIGBUS_TRAPPED: a one-line cause in err, found by looking the address
 * up in /proc/self/maps and comparing the mapped file with the job's data
 * file (j->fd) and file sink (j->out); when it is one of theirs, the mapping
 * is replaced by an inaccessible reservation of the same addresses, which
 * the strategy may still munmap. */
void sigbus_explain(const struct sigbus_fault *fault, struct job *j, char *err, size_t errlen);

#endif
