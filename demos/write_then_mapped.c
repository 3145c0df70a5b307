/* write-then-mapped: not written yet. */
#include "demo.h"

static int run(struct demo_ctx *ctx)
{
	return demo_cannot(ctx, "not written yet");
}

const struct demo demo_write_then_mapped = {
	.name = "write-then-mapped",
	.summary = "not written yet",
	.prediction = "not written yet",
	.run = run,
};
