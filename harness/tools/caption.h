/* iopaths caption RUN_DIR [...]: one paragraph about a run, written from its
 * summary.csv and runs.csv: what was measured, the ranking, the key ratio with
 * its Hodges–Lehmann interval and verdict, and, with --expect, whether the run
 * agrees with the textbook.  The figures' captions are made by it. */
#ifndef IOPATHS_CAPTION_H
#define IOPATHS_CAPTION_H

/* 0 with the paragraph on stdout; 1 with one line on stderr when the rows it
 * needs are absent; 2 with one line on bad usage. */
int cmd_caption(int argc, char **argv);

#endif
