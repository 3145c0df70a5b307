/* iopaths query FILE COLUMN [COL=VALUE ...]: the COLUMN of every row whose
 * named columns hold those values, one per line.  Scripts read results
 * through this (and so through libcsv) instead of splitting CSV by hand. */
#include "query.h"

#include "csvio.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct query {
	const char *column;
	char **filters; /* "col=value" */
	int nfilters;
	int want;       /* index of column, -1 before the header */
	int *filter_col;
	int matched;
	size_t rows; /* header included */
	char err[256];
};

static int on_row(char **fields, size_t count, void *arg)
{
	struct query *q = arg;
	q->rows++;
	if (q->want < 0) { /* the header */
		for (size_t i = 0; i < count; i++)
			if (strcmp(fields[i], q->column) == 0)
				q->want = (int)i;
		if (q->want < 0) {
			snprintf(q->err, sizeof(q->err), "no column '%s'", q->column);
			return 1;
		}
		for (int f = 0; f < q->nfilters; f++) {
			size_t name_len = strcspn(q->filters[f], "=");
			q->filter_col[f] = -1;
			for (size_t i = 0; i < count; i++)
				if (strlen(fields[i]) == name_len && strncmp(fields[i], q->filters[f], name_len) == 0)
					q->filter_col[f] = (int)i;
			if (q->filter_col[f] < 0) {
				snprintf(q->err, sizeof(q->err), "no column '%.*s'", (int)name_len, q->filters[f]);
				return 1;
			}
		}
		return 0;
	}
	for (int f = 0; f < q->nfilters; f++) {
		const char *value = strchr(q->filters[f], '=') + 1;
		if ((size_t)q->filter_col[f] >= count || strcmp(fields[q->filter_col[f]], value) != 0)
			return 0;
	}
	if ((size_t)q->want < count)
		printf("%s\n", fields[q->want]);
	q->matched++;
	return 0;
}

int cmd_query(int argc, char **argv)
{
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs("usage: iopaths query FILE COLUMN [COL=VALUE ...]\n\n"
		      "Prints COLUMN of every row of the CSV FILE whose columns COL hold VALUE\n"
		      "(all of them), one per line; an empty line is an NA.  Exit status 1\n"
		      "when no row matched; 2, with one line on stderr, on bad input: FILE missing,\n"
		      "not CSV, empty or a header alone, or no column of that name.\n", stdout);
		return 0;
	}
	if (argc < 3) {
		fputs("iopaths: query: needs FILE and COLUMN (see --help)\n", stderr);
		return 2;
	}
	struct query q = { .column = argv[2], .filters = argv + 3, .nfilters = argc - 3, .want = -1 };
	for (int f = 0; f < q.nfilters; f++)
		if (!strchr(q.filters[f], '=')) {
			fprintf(stderr, "iopaths: query: '%s' is not COL=VALUE (see --help)\n", q.filters[f]);
			return 2;
		}
	q.filter_col = calloc((size_t)q.nfilters + 1, sizeof(int));
	if (!q.filter_col)
		abort();
	char err[512];
	int rc = csv_read_file(argv[1], on_row, &q, err, sizeof(err));
	free(q.filter_col);
	if (rc != 0 || q.err[0]) {
		if (rc != 0)
			fprintf(stderr, "iopaths: query: %s\n", err);
		else
			fprintf(stderr, "iopaths: query: %s has %s\n", argv[1], q.err);
		return 2;
	}
	if (q.rows < 2) {
		fprintf(stderr, "iopaths: query: %s %s\n", argv[1],
			q.rows ? "has a header and no rows" : "is empty: no header, no rows");
		return 2;
	}
	return q.matched ? 0 : 1;
}
