/* TLB shootdowns from /proc/interrupts: the `TLB` line, summed over every
 * CPU, read before and after the timed region (outside the clock reads).
 * A shootdown is an interrupt one CPU sends another to flush a translation
 * it may cache: unmapping or changing a mapping that several threads'
 * CPUs have used.  System-wide, like vmstat; NaN where the line is absent
 * (other architectures, some kernels). */
#ifndef IOPATHS_INTERRUPTS_H
#define IOPATHS_INTERRUPTS_H

struct interrupts_reader {
	int fd;     /* -1: no /proc/interrupts */
	char *text; /* room for the whole file, touched once at open */
	unsigned long cap;
};

void interrupts_open(struct interrupts_reader *r);
void interrupts_close(struct interrupts_reader *r);
/* The sum of the TLB line over the CPUs now; NaN when there is none. */
double interrupts_tlb(struct interrupts_reader *r);
/* The same, from the text of /proc/interrupts (for tests). */
double interrupts_tlb_parse(const char *text);

#endif
