/* The one consumer every strategy hands its bytes to.
 *
 * checksum (default): reads every byte (a checksum), so no path can look fast
 * by not touching its data, and the harness verifies what arrived.
 * touch: reads one byte per page, the cost of faulting and mapping alone.
 * none: only counts the bytes; right for paths that copy (the copy already
 * touched them), meaningless for mmap (nothing would touch the pages at all).
 * spans (--duration's endless random stream, where no pass ends to close a
 * checksum): every span taken is checked against the file's known content
 * (data_word): its first and last 8-byte words always, every word of about
 * one span in 64 (chosen by its offset).  The first word's load also uses
 * the page, as mmapbench's one-byte read does.
 * It lives in its own translation unit so the compiler cannot drop the reads. */
#ifndef IOPATHS_CONSUMER_H
#define IOPATHS_CONSUMER_H

#include "checksum.h"

enum consume_mode { CONSUME_CHECKSUM, CONSUME_TOUCH, CONSUME_NONE, CONSUME_SPANS };
/* The first three are --consume's; spans is --duration's own (below). */
extern const char *const consume_names[4];

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
	uint64_t seed, io_bytes;                /* spans mode: the data file's seed, the span size */
	uint64_t spans_checked, spans_bad;      /* spans mode; relaxed atomics (only the owner writes) */
	uint64_t first_bad;                     /* spans mode: the offset of the first bad span */
};

/* Arms spans mode (after consumer_reset): the content comes from `seed`. */
void consumer_spans(struct consumer *c, uint64_t seed, uint64_t io_bytes);
/* Test hook: IOPATHS_TEST_CORRUPT_SPAN=N makes the Nth span checked in this
 * process (from 1) look as if one word arrived flipped. */

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
