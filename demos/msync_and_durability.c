/* msync-and-durability: not written yet. */
#include "demo.h"

static int run(struct demo_ctx *ctx)
{
	return demo_cannot(ctx, "not written yet");
}

const struct demo demo_msync_and_durability = {
	.name = "msync-and-durability",
	.summary = "not written yet",
	.prediction = "not written yet",
	.run = run,
};
