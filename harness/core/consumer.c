#include "consumer.h"

#include <string.h>
#include <unistd.h>

const char *const consume_names[3] = { "checksum", "touch", "none" };

static uintptr_t page_size;

void consumer_reset(struct consumer *c, enum consume_mode mode, uint64_t bytes, uint64_t checksum)
{
	memset(c, 0, sizeof(*c));
	c->mode = mode;
	c->expect_bytes = bytes;
	c->expect_checksum = checksum;
	checksum_lanes_init(&c->sum, bytes);
	if (!page_size)
		page_size = (uintptr_t)sysconf(_SC_PAGESIZE);
}

/* One byte in every page the range [p, p + n) reaches. */
static uint64_t touch_pages(const unsigned char *p, size_t n)
{
	uint64_t sum = 0;
	const unsigned char *end = p + n;
	while (p < end) {
		sum += *p;
		p = (const unsigned char *)(((uintptr_t)p | (page_size - 1)) + 1);
	}
	return sum;
}

void consumer_take_at(struct consumer *c, uint64_t off, const void *p, size_t n)
{
	c->bytes += n;
	switch (c->mode) {
	case CONSUME_CHECKSUM: checksum_lanes_add(&c->sum, off, p, n); break;
	case CONSUME_TOUCH: c->touched += touch_pages(p, n); break;
	case CONSUME_NONE: break;
	}
}

void consumer_end_pass(struct consumer *c)
{
	int ok = c->bytes == c->expect_bytes &&
		 (c->mode != CONSUME_CHECKSUM || checksum_lanes_final(&c->sum) == c->expect_checksum);
	if (ok) {
		c->passes_ok++;
	} else {
		c->passes_bad++;
		c->bad_bytes = c->bytes;
	}
	c->bytes = 0;
	c->at = 0;
	checksum_lanes_init(&c->sum, c->expect_bytes);
}

void consumer_merge(struct consumer *into, struct consumer *from)
{
	into->bytes += from->bytes;
	into->touched += from->touched;
	checksum_lanes_merge(&into->sum, &from->sum);
	from->bytes = 0;
	from->at = 0;
	checksum_lanes_init(&from->sum, from->expect_bytes);
}
