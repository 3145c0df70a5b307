/* iopaths tabulate OUT.csv COL,COL,...  and  iopaths tabulate --meta DIR OUT.csv:
 * rows of key=value lines on stdin into a CSV file, written through libcsv
 * (csvio.h) whole and renamed into place, so a script never formats CSV
 * itself.  A value is the rest of its line after the first '=', taken as
 * data: any bytes but a line break and NUL. */
#include "tabulate.h"

#include "csvio.h"
#include "meta.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: iopaths tabulate OUT.csv COL,COL,...\n"
	"       iopaths tabulate --meta DIR OUT.csv\n"
	"\n"
	"Writes OUT.csv through libcsv from key=value lines on stdin (a value is the\n"
	"rest of the line after the first '=': any text but a line break or NUL).\n"
	"The first form: one row per record, records separated by an empty line; the\n"
	"header is the columns named (letters a-z, digits, _), in that order; a key\n"
	"that is not a column, or twice in a record, is bad input; a column a record\n"
	"lacks is NA (empty).  --meta: a meta.csv (key,value) holding what\n"
	"`iopaths run` records of the machine and of the filesystem of DIR, then one\n"
	"row per line of stdin (a key given there replaces the machine's).\n"
	"The file is written whole under a temporary name and renamed into place.\n"
	"Status 2, one line on stderr and no file on bad input; 1 when writing failed.\n";

static int plain_name(const char *s, size_t n)
{
	if (n == 0 || n > 64)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

struct lines {
	char *line;
	size_t cap;
	long number;
};

/* The next line of stdin without its line break: its length, or -1 at the end;
 * exits 2 on a NUL byte. */
static ssize_t next_line(struct lines *in)
{
	ssize_t n = getline(&in->line, &in->cap, stdin);
	if (n < 0)
		return -1;
	in->number++;
	if (n > 0 && in->line[n - 1] == '\n')
		in->line[--n] = '\0';
	if (strlen(in->line) != (size_t)n) {
		fprintf(stderr, "iopaths: tabulate: stdin line %ld holds a NUL byte\n", in->number);
		exit(2);
	}
	return n;
}

/* key=value: the key's length, after checking it; exits 2 when not. */
static size_t key_of(const struct lines *in)
{
	const char *eq = strchr(in->line, '=');
	if (!eq || !plain_name(in->line, (size_t)(eq - in->line))) {
		fprintf(stderr, "iopaths: tabulate: stdin line %ld is not key=value (a key of a-z, 0-9, _)\n",
			in->number);
		exit(2);
	}
	return (size_t)(eq - in->line);
}

static int tabulate_meta(const char *dir, const char *out)
{
	struct meta m = { 0 };
	struct lines in = { 0 };
	meta_collect_machine(&m, dir);
	while (next_line(&in) >= 0) {
		if (in.line[0] == '\0')
			continue;
		size_t k = key_of(&in);
		in.line[k] = '\0';
		meta_set(&m, in.line, "%s", in.line + k + 1);
	}
	free(in.line);
	int rc = meta_write(&m, out);
	meta_free(&m);
	if (rc != 0) {
		perror("iopaths: tabulate: writing meta");
		return 1;
	}
	return 0;
}

int cmd_tabulate(int argc, char **argv)
{
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(usage, stdout);
		return 0;
	}
	if (argc == 4 && strcmp(argv[1], "--meta") == 0)
		return tabulate_meta(argv[2], argv[3]);
	if (argc != 3) {
		fputs("iopaths: tabulate: needs OUT.csv and COL,COL,... (see --help)\n", stderr);
		return 2;
	}
	/* The columns: plain names, none twice. */
	char *spec = strdup(argv[2]);
	const char **cols = calloc(strlen(argv[2]) / 2 + 2, sizeof(*cols));
	if (!spec || !cols)
		abort();
	size_t ncols = 0;
	for (char *save = NULL, *c = strtok_r(spec, ",", &save); c; c = strtok_r(NULL, ",", &save)) {
		int dup = 0;
		for (size_t i = 0; i < ncols; i++)
			dup |= strcmp(cols[i], c) == 0;
		if (!plain_name(c, strlen(c)) || dup) {
			fprintf(stderr, "iopaths: tabulate: '%s' is %s\n", c,
				dup ? "named twice" : "not a column name (a-z, 0-9, _)");
			free(spec);
			free(cols);
			return 2;
		}
		cols[ncols++] = c;
	}
	if (ncols == 0 || argv[2][0] == ',' || argv[2][strlen(argv[2]) - 1] == ',' || strstr(argv[2], ",,")) {
		fprintf(stderr, "iopaths: tabulate: '%s' is not a list of columns\n", argv[2]);
		free(spec);
		free(cols);
		return 2;
	}
	cols[ncols] = NULL;

	/* Every row read before anything is written: bad input leaves no file. */
	char **cells = NULL; /* row-major, ncols per row; NULL: NA */
	size_t nrows = 0, cap = 0;
	int open_row = 0;
	struct lines in = { 0 };
	ssize_t n;
	int rc = 0;
	while ((n = next_line(&in)) >= 0 || open_row) {
		if (n <= 0) { /* an empty line, or the end: the record ends */
			if (open_row)
				nrows++;
			open_row = 0;
			if (n < 0)
				break;
			continue;
		}
		if (!open_row) {
			if (nrows == cap) {
				cap = cap ? cap * 2 : 64;
				cells = realloc(cells, cap * ncols * sizeof(*cells));
				if (!cells)
					abort();
			}
			memset(cells + nrows * ncols, 0, ncols * sizeof(*cells));
			open_row = 1;
		}
		size_t k = key_of(&in), c = 0;
		while (c < ncols && (strlen(cols[c]) != k || strncmp(cols[c], in.line, k) != 0))
			c++;
		char **cell = cells + nrows * ncols + c;
		if (c == ncols || *cell) {
			fprintf(stderr, "iopaths: tabulate: stdin line %ld: '%.*s' is %s\n", in.number, (int)k,
				in.line, c == ncols ? "not a column" : "given twice in one row");
			nrows += open_row; /* freed below */
			rc = 2;
			break;
		}
		*cell = strdup(in.line + k + 1);
		if (!*cell)
			abort();
	}
	free(in.line);
	if (rc == 0 && nrows == 0) {
		fputs("iopaths: tabulate: no rows on stdin\n", stderr);
		rc = 2;
	}
	if (rc == 0) {
		struct csv_out w;
		if (csv_out_create_path(&w, argv[1]) != 0) {
			fprintf(stderr, "iopaths: tabulate: cannot create %s: %s\n", argv[1], strerror(errno));
			rc = 1;
		} else {
			csv_out_header(&w, cols);
			for (size_t r = 0; r < nrows; r++) {
				for (size_t c = 0; c < ncols; c++) {
					if (cells[r * ncols + c])
						csv_out_str(&w, cells[r * ncols + c]);
					else
						csv_out_na(&w);
				}
				csv_out_end_row(&w);
			}
			if (csv_out_close(&w) != 0) {
				fprintf(stderr, "iopaths: tabulate: writing %s: %s\n", argv[1], strerror(errno));
				rc = 1;
			}
		}
	}
	for (size_t i = 0; i < nrows * ncols; i++)
		free(cells[i]);
	free(cells);
	free(spec);
	free(cols);
	return rc;
}
