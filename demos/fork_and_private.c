/* fork-and-private: not written yet. */
#include "demo.h"

static int run(struct demo_ctx *ctx)
{
	return demo_cannot(ctx, "not written yet");
}

const struct demo demo_fork_and_private = {
	.name = "fork-and-private",
	.summary = "not written yet",
	.prediction = "not written yet",
	.run = run,
};
