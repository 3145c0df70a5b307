/* A streaming checksum of a byte stream, independent of how the stream is cut.
 *
 * Fletcher-style sums over eight 64-bit lanes: `a` sums the words, `b` sums the
 * running `a`, so the position of every 64-byte block matters.  Built from GNU C
 * vector types so it runs at several times memory-copy speed on plain SSE2.
 */
#ifndef IOPATHS_CHECKSUM_H
#define IOPATHS_CHECKSUM_H

#include <stddef.h>
#include <stdint.h>

#define CHECKSUM_BLOCK 64

typedef uint64_t checksum_vec __attribute__((vector_size(16)));

struct checksum {
	checksum_vec a[4], b[4];
	unsigned char tail[CHECKSUM_BLOCK]; /* bytes not yet forming a whole block */
	size_t tail_len;
	uint64_t bytes;
};

void checksum_init(struct checksum *c);
void checksum_update(struct checksum *c, const void *p, size_t n);
uint64_t checksum_final(const struct checksum *c);
uint64_t checksum_of(const void *p, size_t n);

/* The same checksum, keyed by offset: pieces of a stream of `bytes_total`
 * bytes added in any order, by any number of adders, give exactly
 * checksum_final of the stream.  It works because the sums are linear in
 * the words: a word of block i adds itself to `a` and (blocks - i) times
 * itself to `b`, whatever came before.  Two sets of lanes over disjoint
 * pieces add up (checksum_lanes_merge). */
struct checksum_lanes {
	uint64_t a[8], b[8]; /* lane k: bytes 8k..8k+7 of every 64-byte block */
	uint64_t bytes;
	uint64_t blocks;     /* of the whole stream, its zero-padded tail included */
};
void checksum_lanes_init(struct checksum_lanes *l, uint64_t bytes_total);
void checksum_lanes_add(struct checksum_lanes *l, uint64_t off, const void *p, size_t n);
void checksum_lanes_merge(struct checksum_lanes *into, const struct checksum_lanes *from);
uint64_t checksum_lanes_final(const struct checksum_lanes *l);

#endif
