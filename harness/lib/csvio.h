/* CSV in and out, through libcsv.  Every field is written with csv_fwrite
 * (quoted, inner quotes doubled); a missing value (NA) is an empty field. */
#ifndef IOPATHS_CSVIO_H
#define IOPATHS_CSVIO_H

#include "outfile.h"

#include <stdint.h>
#include <stdio.h>

/* Far above any real field or row of a results file, and far below what
 * makes libcsv (which grows its buffer 128 bytes at a time) slow. */
#define CSV_MAX_FIELD_BYTES (64u << 10)
#define CSV_MAX_FIELDS 4096u

struct csv_out {
	FILE *f;
	int fields; /* written so far in this row */
	int error;  /* sticky: any write failed */
	int whole;  /* made by csv_out_create: renamed into place by csv_out_close */
	struct out_file out;
};

/* A file written row by row at its final name (runs.csv: rows survive a
 * crash): O_CREAT|O_EXCL, so it never overwrites and never follows a link. */
int csv_out_open(struct csv_out *w, const char *path);
/* A file written whole (summary.csv, meta.csv): under a private temporary name
 * in dir (outfile.h), renamed to dir/name by csv_out_close when every write
 * succeeded, so a reader sees the old file or the new one, never a part.
 * Replaces what stands at dir/name, a symlink included, never writing through it. */
int csv_out_create(struct csv_out *w, const char *dir, const char *name);
int csv_out_create_path(struct csv_out *w, const char *path); /* dir and name from a path */
void csv_out_str(struct csv_out *w, const char *s);
void csv_out_u64(struct csv_out *w, uint64_t v);
void csv_out_i64(struct csv_out *w, int64_t v);
void csv_out_double(struct csv_out *w, double v); /* NaN is written as NA */
void csv_out_na(struct csv_out *w);
int csv_out_end_row(struct csv_out *w);          /* newline and flush: rows survive a crash */
int csv_out_close(struct csv_out *w);           /* 0, or -1 with errno; a failed whole file is removed */
void csv_out_abort(struct csv_out *w);          /* a whole file: removed, the final name untouched */
void csv_out_header(struct csv_out *w, const char *const *names);

/* Reads a whole file: calls row(fields, count, arg) for every row, header
 * included, until row returns nonzero.  0 on success; -1 with a message in
 * err naming the file: unreadable, not a regular file or a symbolic link
 * (opened by in_open, infile.h), not CSV, a field longer than
 * CSV_MAX_FIELD_BYTES or a row of more than CSV_MAX_FIELDS fields. */
typedef int (*csv_row_fn)(char **fields, size_t count, void *arg);
int csv_read_file(const char *path, csv_row_fn row, void *arg, char *err, size_t errlen);
/* The index of the header field name among fields[0..count), or -1. */
int csv_column(char *const *fields, size_t count, const char *name);

#endif
