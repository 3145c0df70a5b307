/* CSV in and out, through libcsv.  Every field is written with csv_fwrite
 * (quoted, inner quotes doubled); a missing value (NA) is an empty field. */
#ifndef IOPATHS_CSVIO_H
#define IOPATHS_CSVIO_H

#include <stdint.h>
#include <stdio.h>

struct csv_out {
	FILE *f;
	int fields; /* written so far in this row */
	int error;  /* sticky: any write failed */
};

int csv_out_open(struct csv_out *w, const char *path); /* creates; never overwrites */
void csv_out_str(struct csv_out *w, const char *s);
void csv_out_u64(struct csv_out *w, uint64_t v);
void csv_out_i64(struct csv_out *w, int64_t v);
void csv_out_double(struct csv_out *w, double v); /* NaN is written as NA */
void csv_out_na(struct csv_out *w);
int csv_out_end_row(struct csv_out *w);          /* newline and flush: rows survive a crash */
int csv_out_close(struct csv_out *w);
void csv_out_header(struct csv_out *w, const char *const *names);

/* Reads a whole file: calls row(fields, count, arg) for every row, header
 * included.  0 on success; -1 with a message in err. */
typedef int (*csv_row_fn)(char **fields, size_t count, void *arg);
int csv_read_file(const char *path, csv_row_fn row, void *arg, char *err, size_t errlen);

#endif
