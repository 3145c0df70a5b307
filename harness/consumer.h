/* The one consumer every strategy hands its bytes to.
 *
 * It reads every byte (a checksum), so no path can look fast by not touching
 * its data, and it lives in its own translation unit so the compiler cannot
 * drop the reads.  The harness compares the result with the file's reference.
 */
#ifndef IOPATHS_CONSUMER_H
#define IOPATHS_CONSUMER_H

#include "checksum.h"

struct consumer {
	struct checksum sum;
};

void consumer_reset(struct consumer *c);
void consumer_take(struct consumer *c, const void *p, size_t n);
uint64_t consumer_bytes(const struct consumer *c);
uint64_t consumer_checksum(const struct consumer *c);

#endif
