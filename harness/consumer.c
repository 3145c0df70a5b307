#include "consumer.h"

void consumer_reset(struct consumer *c)
{
	checksum_init(&c->sum);
}

void consumer_take(struct consumer *c, const void *p, size_t n)
{
	checksum_update(&c->sum, p, n);
}

uint64_t consumer_bytes(const struct consumer *c)
{
	return c->sum.bytes;
}

uint64_t consumer_checksum(const struct consumer *c)
{
	return checksum_final(&c->sum);
}
