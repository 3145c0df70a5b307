/* The runner's side of demo.h: `iopaths demo`, and what its signal
 * handlers need from the children's table. */
#ifndef IOPATHS_DEMO_RUN_H
#define IOPATHS_DEMO_RUN_H

int cmd_demo(int argc, char **argv);
struct demo_ctx;
/* The verdict of a demo that ran (ran: 1) or not: "as taught", "differs:
 * what differed", "could not run: why".  1 when it ran and checked something. */
int demo_verdict(const struct demo_ctx *ctx, int ran, char *out, size_t len);
/* SIGKILL to every child a demo has running (async-signal-safe). */
void demo_kill_children(void);

#endif
