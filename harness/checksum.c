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

uint64_t checksum_final(const struct checksum *c)
{
	struct checksum last = *c;

	if (last.tail_len > 0) { /* zero-pad the tail; the length below tells the padding apart */
		memset(last.tail + last.tail_len, 0, CHECKSUM_BLOCK - last.tail_len);
		sum_blocks(&last, last.tail, 1);
	}
	uint64_t h = mix64(last.bytes);
	for (int k = 0; k < 4; k++)
		for (int lane = 0; lane < 2; lane++) {
			h = mix64(h ^ last.a[k][lane]);
			h = mix64(h ^ last.b[k][lane]);
		}
	return h;
}

uint64_t checksum_of(const void *p, size_t n)
{
	struct checksum c;
	checksum_init(&c);
	checksum_update(&c, p, n);
	return checksum_final(&c);
}
