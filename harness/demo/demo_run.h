/* The runner's side of demo.h: `iopaths demo`, and what its signal
 * handlers need from the children's table. */
#ifndef IOPATHS_DEMO_RUN_H
#define IOPATHS_DEMO_RUN_H

int cmd_demo(int argc, char **argv);
/* SIGKILL to every child a demo has running (async-signal-safe). */
void demo_kill_children(void);

#endif
