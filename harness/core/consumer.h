/* The one consumer every strategy hands its bytes to.
 *
 * checksum (default): reads every byte (a checksum), so no path can look fast
 * by not touching its data, and the harness verifies what arrived.
 * touch: reads one byte per page, the cost of faulting and mapping alone.
 * none: only counts the bytes; right for paths that copy (the copy already
 * touched them), meaningless for mmap (nothing would touch the pages at all).
 * It lives in its own translation unit so the compiler cannot drop the reads. */
#ifndef IOPATHS_CONSUMER_H
#define IOPATHS_CONSUMER_H

#include "checksum.h"

enum consume_mode { CONSUME_CHECKSUM, CONSUME_TOUCH, CONSUME_NONE };
extern const char *const consume_names[3];

struct consumer {
	enum consume_mode mode;
	uint64_t expect_bytes, expect_checksum; /* what one pass must deliver */
	uint64_t bytes;                         /* this pass */
	uint64_t at;                            /* the file offset of the next byte consumer_take gets */
	struct checksum_lanes sum;              /* this pass, checksum mode: keyed by offset, so
						   any order and any number of consumers verify */
	uint64_t touched;                       /* sum of touched bytes, touch mode */
	uint64_t passes_ok, passes_bad;
	uint64_t bad_bytes;                     /* what the last bad pass delivered */
};

/* Arms the consumer for passes of `bytes` bytes with the given checksum. */
void consumer_reset(struct consumer *c, enum consume_mode mode, uint64_t bytes, uint64_t checksum);
/* n bytes of the file at offset `off`, in any order. */
void consumer_take_at(struct consumer *c, uint64_t off, const void *p, size_t n);
/* n bytes at c->at, which then moves past them: a stream in file order (a
 * receiver), or the rest of the span span_next set it to (strategy.h). */
static inline void consumer_take(struct consumer *c, const void *p, size_t n)
{
	consumer_take_at(c, c->at, p, n);
	c->at += n;
}
/* Adds what `from` took this pass to `into` (threads of one pass), and
 * empties `from`'s pass. */
void consumer_merge(struct consumer *into, struct consumer *from);
/* Closes a pass: checks it (byte count; checksum in checksum mode), starts the next. */
void consumer_end_pass(struct consumer *c);

#endif
