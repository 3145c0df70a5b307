#include "consumer.h"

#include "datafile.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *const consume_names[4] = { "checksum", "touch", "none", "spans" };

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

static uint64_t corrupt_at;   /* the test hook: 0 off */
static uint64_t spans_taken; /* the hook's count, all consumers of the process */

void consumer_spans(struct consumer *c, uint64_t seed, uint64_t io_bytes)
{
	c->mode = CONSUME_SPANS;
	c->seed = seed;
	c->io_bytes = io_bytes ? io_bytes : 1;
	c->first_bad = UINT64_MAX;
	const char *hook = getenv("IOPATHS_TEST_CORRUPT_SPAN");
	corrupt_at = hook ? strtoull(hook, NULL, 10) : 0;
}

static uint64_t word_in(const unsigned char *p)
{
	uint64_t w;
	memcpy(&w, p, 8);
	return w;
}

/* The 8-byte words that lie wholly inside [off, off + n) are the file's:
 * the first and the last always, all of them for 1 span in 64. */
static int span_ok(const struct consumer *c, uint64_t off, const unsigned char *p, size_t n)
{
	uint64_t first = (off + 7) / 8, end = (off + n) / 8; /* word indexes [first, end) */
	if (first >= end)
		return 1;
	const unsigned char *q = p + (first * 8 - off);
	uint64_t flip = 0;
	if (corrupt_at && __atomic_add_fetch(&spans_taken, 1, __ATOMIC_RELAXED) == corrupt_at)
		flip = 1;
	if ((word_in(q) ^ flip) != data_word(c->seed, first) ||
	    word_in(q + (end - 1 - first) * 8) != data_word(c->seed, end - 1))
		return 0;
	if (((off / c->io_bytes) * 0x9e3779b97f4a7c15ULL) >> 58 == 0)
		for (uint64_t k = first + 1; k + 1 < end; k++)
			if (word_in(q + (k - first) * 8) != data_word(c->seed, k))
				return 0;
	return 1;
}

void consumer_take_at(struct consumer *c, uint64_t off, const void *p, size_t n)
{
	c->bytes += n;
	switch (c->mode) {
	case CONSUME_CHECKSUM: checksum_lanes_add(&c->sum, off, p, n); break;
	case CONSUME_TOUCH: c->touched += touch_pages(p, n); break;
	case CONSUME_NONE: break;
	case CONSUME_SPANS:
		if (!span_ok(c, off, p, n)) {
			if (c->spans_bad == 0)
				c->first_bad = off;
			__atomic_store_n(&c->spans_bad, c->spans_bad + 1, __ATOMIC_RELAXED);
		}
		__atomic_store_n(&c->spans_checked, c->spans_checked + 1, __ATOMIC_RELAXED);
		break;
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
	if (from->spans_bad && (!into->spans_bad || from->first_bad < into->first_bad))
		into->first_bad = from->first_bad;
	into->spans_checked += from->spans_checked;
	into->spans_bad += from->spans_bad;
	from->spans_checked = from->spans_bad = 0;
	checksum_lanes_merge(&into->sum, &from->sum);
	from->bytes = 0;
	from->at = 0;
	checksum_lanes_init(&from->sum, from->expect_bytes);
}
