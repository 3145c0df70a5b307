#include "checksum.h"

#include <string.h>

void checksum_init(struct checksum *c)
{
	memset(c, 0, sizeof(*c));
}

/* The hot loop: whole 64-byte blocks, sums kept in registers. */
static void sum_blocks(struct checksum *c, const unsigned char *p, size_t nblocks)
{
	checksum_vec a0 = c->a[0], a1 = c->a[1], a2 = c->a[2], a3 = c->a[3];
	checksum_vec b0 = c->b[0], b1 = c->b[1], b2 = c->b[2], b3 = c->b[3];

	for (size_t i = 0; i < nblocks; i++, p += CHECKSUM_BLOCK) {
		checksum_vec w0, w1, w2, w3;
		memcpy(&w0, p, 16);
		memcpy(&w1, p + 16, 16);
		memcpy(&w2, p + 32, 16);
		memcpy(&w3, p + 48, 16);
		a0 += w0; a1 += w1; a2 += w2; a3 += w3;
		b0 += a0; b1 += a1; b2 += a2; b3 += a3;
	}
	c->a[0] = a0; c->a[1] = a1; c->a[2] = a2; c->a[3] = a3;
	c->b[0] = b0; c->b[1] = b1; c->b[2] = b2; c->b[3] = b3;
}

void checksum_update(struct checksum *c, const void *src, size_t n)
{
	const unsigned char *p = src;

	if (n == 0) /* p may be NULL then, and memcpy must not see it */
		return;
	c->bytes += n;
	if (c->tail_len > 0) {
		size_t take = CHECKSUM_BLOCK - c->tail_len;
		if (take > n)
			take = n;
		memcpy(c->tail + c->tail_len, p, take);
		c->tail_len += take;
		p += take;
		n -= take;
		if (c->tail_len < CHECKSUM_BLOCK)
			return;
		sum_blocks(c, c->tail, 1);
		c->tail_len = 0;
	}
	sum_blocks(c, p, n / CHECKSUM_BLOCK);
	p += n - n % CHECKSUM_BLOCK;
	c->tail_len = n % CHECKSUM_BLOCK;
	memcpy(c->tail, p, c->tail_len);
}

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static const uint64_t weight[16] = {
	0x9e3779b97f4a7c15, 0xbf58476d1ce4e5b9, 0x94d049bb133111eb, 0xd6e8feb86659fd93,
	0xa0761d6478bd642f, 0xe7037ed1a0b428db, 0x8ebc6af09c88c6e3, 0x589965cc75374cc3,
	0x1d8e4e27c47d124f, 0xc2b2ae3d27d4eb4f, 0x165667b19e3779f9, 0x27d4eb2f165667c5,
	0x85ebca77c2b2ae63, 0xff51afd7ed558ccd, 0xc4ceb9fe1a85ec53, 0x9fb21c651e98df25,
};

uint64_t checksum_final(const struct checksum *c)
{
	/* Distinct odd weights per lane: odd numbers are invertible mod 2^64, so
	 * a change in any one lane always changes the sum; one mix spreads it.
	 * Independent products, no chain of mixes: this runs once per pass inside
	 * the timed region.  A detector of accidents, not of adversaries. */
	struct checksum last;
	const struct checksum *s = c;

	if (c->tail_len > 0) { /* zero-pad the tail; the length below tells the padding apart */
		last = *c;
		memset(last.tail + last.tail_len, 0, CHECKSUM_BLOCK - last.tail_len);
		sum_blocks(&last, last.tail, 1);
		s = &last;
	}
	uint64_t h = s->bytes * 0xd1b54a32d192ed03ULL;
	for (int k = 0; k < 4; k++)
		for (int lane = 0; lane < 2; lane++)
			h += s->a[k][lane] * weight[2 * k + lane] + s->b[k][lane] * weight[8 + 2 * k + lane];
	return mix64(h);
}

uint64_t checksum_of(const void *p, size_t n)
{
	struct checksum c;
	checksum_init(&c);
	checksum_update(&c, p, n);
	return checksum_final(&c);
}

void checksum_lanes_init(struct checksum_lanes *l, uint64_t bytes_total)
{
	memset(l, 0, sizeof(*l));
	l->blocks = (bytes_total + CHECKSUM_BLOCK - 1) / CHECKSUM_BLOCK;
}

/* One byte at `off`: its place in its lane's word, and its block's weight in b. */
static void add_byte(struct checksum_lanes *l, uint64_t off, unsigned char v)
{
	uint64_t w = (uint64_t)v << (8 * (off % 8));
	unsigned lane = (unsigned)(off % CHECKSUM_BLOCK) / 8;
	l->a[lane] += w;
	l->b[lane] += w * (l->blocks - off / CHECKSUM_BLOCK);
}

void checksum_lanes_add(struct checksum_lanes *l, uint64_t off, const void *src, size_t n)
{
	const unsigned char *p = src;
	if (n == 0)
		return;
	l->bytes += n;
	for (; n > 0 && off % CHECKSUM_BLOCK; off++, p++, n--) /* the head, up to a block boundary */
		add_byte(l, off, *p);
	size_t m = n / CHECKSUM_BLOCK;
	if (m > 0) { /* whole blocks at full speed; b of the piece counts from its own end */
		struct checksum piece;
		checksum_init(&piece);
		sum_blocks(&piece, p, m);
		uint64_t after = l->blocks - off / CHECKSUM_BLOCK - m; /* blocks of the stream after the piece */
		for (int k = 0; k < 4; k++)
			for (int lane = 0; lane < 2; lane++) {
				l->a[2 * k + lane] += piece.a[k][lane];
				l->b[2 * k + lane] += piece.b[k][lane] + after * piece.a[k][lane];
			}
		off += m * CHECKSUM_BLOCK;
		p += m * CHECKSUM_BLOCK;
		n -= m * CHECKSUM_BLOCK;
	}
	for (; n > 0; off++, p++, n--) /* the tail */
		add_byte(l, off, *p);
}

void checksum_lanes_merge(struct checksum_lanes *into, const struct checksum_lanes *from)
{
	for (int k = 0; k < 8; k++) {
		into->a[k] += from->a[k];
		into->b[k] += from->b[k];
	}
	into->bytes += from->bytes;
}

uint64_t checksum_lanes_final(const struct checksum_lanes *l)
{
	uint64_t h = l->bytes * 0xd1b54a32d192ed03ULL;
	for (int k = 0; k < 8; k++)
		h += l->a[k] * weight[k] + l->b[k] * weight[8 + k];
	return mix64(h);
}
