#include "speed.h"

#include "consumer.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RUN_NS 200000000LL
#define SOURCE_BYTES (64u << 20)

static int64_t now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static unsigned char *filled(size_t n)
{
	unsigned char *p = malloc(n ? n : 1);
	if (!p)
		abort();
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(i * 131 + 7);
	return p;
}

double consumer_speed_mibps(size_t block)
{
	unsigned char *buf = filled(block);
	struct consumer c;
	uint64_t bytes = 0;
	int64_t start = now_ns(), elapsed;

	consumer_reset(&c, CONSUME_CHECKSUM, 0, 0);
	do {
		for (int i = 0; i < 64; i++)
			consumer_take(&c, buf, block);
		bytes += 64 * (uint64_t)block;
		elapsed = now_ns() - start;
	} while (elapsed < RUN_NS);
	volatile uint64_t sink = checksum_lanes_final(&c.sum); /* the sums are used */
	(void)sink;
	free(buf);
	return (double)bytes / (1 << 20) / ((double)elapsed / 1e9);
}

double memcpy_speed_mibps(size_t block)
{
	size_t chunk = block < SOURCE_BYTES ? block : SOURCE_BYTES;
	unsigned char *src = filled(SOURCE_BYTES), *dst = filled(chunk);
	uint64_t bytes = 0;
	int64_t start = now_ns(), elapsed;

	do {
		for (size_t off = 0; off + chunk <= SOURCE_BYTES; off += chunk) {
			memcpy(dst, src + off, chunk);
			__asm__ volatile("" : : "r"(dst) : "memory"); /* the copy is "used" */
		}
		bytes += SOURCE_BYTES - SOURCE_BYTES % chunk;
		elapsed = now_ns() - start;
	} while (elapsed < RUN_NS);
	free(src);
	free(dst);
	return (double)bytes / (1 << 20) / ((double)elapsed / 1e9);
}
