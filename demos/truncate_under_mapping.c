/* truncate-under-mapping: not written yet. */
#include "demo.h"

static int run(struct demo_ctx *ctx)
{
	return demo_cannot(ctx, "not written yet");
}

const struct demo demo_truncate_under_mapping = {
	.name = "truncate-under-mapping",
	.summary = "not written yet",
	.prediction = "not written yet",
	.run = run,
};
