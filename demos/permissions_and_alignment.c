/* permissions-and-alignment: not written yet. */
#include "demo.h"

static int run(struct demo_ctx *ctx)
{
	return demo_cannot(ctx, "not written yet");
}

const struct demo demo_permissions_and_alignment = {
	.name = "permissions-and-alignment",
	.summary = "not written yet",
	.prediction = "not written yet",
	.run = run,
};
