#include "plant.h"

#include <stdlib.h>
#include <time.h>

static uint64_t now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t); /* vDSO: no syscall, so syscall counts stay the path's */
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static uint64_t waits_done; /* relaxed atomic: movers of a crew wait at once */

uint64_t plant_waits(void)
{
	return __atomic_load_n(&waits_done, __ATOMIC_RELAXED);
}

void plant_wait(uint64_t ns)
{
	if (ns == 0)
		return;
	__atomic_add_fetch(&waits_done, 1, __ATOMIC_RELAXED);
	uint64_t start = now_ns();
	while (now_ns() - start < ns)
		; /* a spin, not a sleep: a sleep's wake-up costs far more than asked, and varies */
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

double plant_calibrate(uint64_t ns, unsigned batches, unsigned waits)
{
	double mean[64];
	if (batches == 0 || waits == 0)
		return 0;
	if (batches > 64)
		batches = 64;
	for (unsigned b = 0; b < batches; b++) {
		uint64_t t0 = now_ns();
		for (unsigned w = 0; w < waits; w++)
			plant_wait(ns);
		mean[b] = (double)(now_ns() - t0) / waits;
	}
	qsort(mean, batches, sizeof(mean[0]), by_value);
	return batches % 2 ? mean[batches / 2] : (mean[batches / 2 - 1] + mean[batches / 2]) / 2;
}
