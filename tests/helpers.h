/* Test helpers: temporary folders, running build/iopaths, reading CSV back. */
#ifndef IOPATHS_TEST_HELPERS_H
#define IOPATHS_TEST_HELPERS_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>

/* A fresh folder under $TMPDIR (or /tmp); rm -rf'd by tmpdir_remove. */
void tmpdir_make(char *out, size_t len);
void tmpdir_remove(const char *dir);
int dir_entries(const char *dir); /* entries besides . and ..; -1 when absent */

/* The folder a test works in, as cmocka setup and teardown: made fresh under
 * $TMPDIR (or /tmp), or on a disk filesystem whose page cache can be evicted
 * ($IOPATHS_TEST_DATA, or /var/tmp); removed after. */
extern char work[1024]; /* short enough for the paths the tests build on it */
int work_in_tmp(void **state);
int work_on_disk(void **state);
int work_remove(void **state);

/* Runs `iopaths ARGS --dir WORK/NAME.data --out WORK/NAME` in work, stderr
 * kept in WORK/NAME.err; the test fails with that stderr unless it exits 0.
 * out: WORK/NAME, where runs.csv, summary.csv and meta.csv are. */
void run_in_work(const char *name, const char *const *args, char *out, size_t len);

/* For tests that build jobs by hand: work on disk (the cache tests evict) and
 * a measuring context, job_ctx, opened once for the group and closed after it. */
#include "measure.h"
extern struct measure_ctx job_ctx;
int work_and_ctx_open(void **state);
int work_and_ctx_close(void **state);

/* Runs $IOPATHS_BIN (default build/iopaths) with a NULL-terminated argv in cwd,
 * stdout and stderr into files under cwd if given.  Returns the exit status. */
int run_iopaths(const char *cwd, const char *out_file, const char *err_file, const char *const *args);
const char *iopaths_bin(void);
/* argv (cap slots) = iopaths_bin(), then args up to their NULL, NULL-ended. */
void iopaths_argv(const char **argv, size_t cap, const char *const *args);
/* Starts argv with stdout on a pipe; its first line (or what came in 20 s)
 * in line.  The child's pid. */
#include <sys/types.h>
pid_t spawn_first_line(const char *const *argv, char *line, size_t len);
/* SIGKILL and reap *pid when it is > 0 (a server a failed test left), then -1. */
void kill_and_reap(pid_t *pid);

/* A whole CSV file as rows of strings, through libcsv. */
struct table {
	size_t rows, cols; /* rows counts the header */
	char ***cell;      /* cell[row][col] */
};
int table_read(struct table *t, const char *path);
int table_col(const struct table *t, const char *name); /* -1 when missing */
const char *table_get(const struct table *t, size_t row, const char *name);
void table_free(struct table *t);

char *slurp(const char *path); /* whole file, NUL-terminated; NULL when unreadable */
char *slurp_at(const char *dir, const char *name); /* dir/name whole; fails the test when unreadable */
int file_in(const char *dir, const char *name);    /* does dir/name exist? */
int shell_status(const char *cmd);                 /* sh -c cmd: its exit status, 128 for a signal */
/* Fails unless a drawing exited 0 and wrote nothing to dir/err. */
void expect_quiet(const char *dir, int rc, const char *what);
/* Fails unless figure fig of folder out is a slide (scripts/gnuplot/slide.gp):
 * a 1920x1080 PNG, an SVG of 960x540 px whose every text is 24 px (18 pt)
 * or more, a PDF of 720x405 pt. */
void expect_slide(const char *out, const char *fig);

/* iopaths demo: runs `iopaths demo NAME` in work (its private folder in
 * WORK/NAME.data, which must be empty after); its one row of demos.csv in *t
 * (row 1), with something observed.  row_detail_text: the text after "key="
 * in the row's details ("a=1; b=2; time=...") up to the next "; ", in buf, or
 * NULL; row_detail: that as a number (0x allowed), failing the test when
 * absent; expect_as_taught fails with the row's words unless it is. */
void demo_row(const char *name, struct table *t);
const char *row_detail_text(const struct table *t, const char *key, char *buf, size_t len);
long long row_detail(const struct table *t, const char *key);
void expect_as_taught(const struct table *t);

/* The figures a folder of figure files defines (NN-NAME.gp: scripts/figures/,
 * scripts/figures/compare/), by NAME, in the order plots.sh draws them; a
 * NULL-terminated array of at least one, freed by figures_free. */
char **figures_in(const char *folder);
void figures_free(char **names);

#endif
