/* threads-and-a-mutex: not written yet. */
#include "demo.h"

static int run(struct demo_ctx *ctx)
{
	return demo_cannot(ctx, "not written yet");
}

const struct demo demo_threads_and_a_mutex = {
	.name = "threads-and-a-mutex",
	.summary = "not written yet",
	.prediction = "not written yet",
	.run = run,
};
