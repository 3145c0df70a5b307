#include "csvio.h"

#include "infile.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int csv_out_open(struct csv_out *w, const char *path)
{
	memset(w, 0, sizeof(*w));
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	w->f = fdopen(fd, "w");
	if (!w->f) {
		close(fd);
		return -1;
	}
	return 0;
}

int csv_out_create(struct csv_out *w, const char *dir, const char *name)
{
	memset(w, 0, sizeof(*w));
	if (out_file_open(&w->out, dir, name) != 0)
		return -1;
	w->f = w->out.f;
	w->whole = 1;
	return 0;
}

int csv_out_create_path(struct csv_out *w, const char *path)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	if (!slash)
		return csv_out_create(w, ".", path);
	if ((size_t)(slash - path) >= sizeof(dir)) {
		memset(w, 0, sizeof(*w));
		errno = ENAMETOOLONG;
		return -1;
	}
	snprintf(dir, sizeof(dir), "%.*s", slash == path ? 1 : (int)(slash - path), path);
	return csv_out_create(w, dir, slash + 1);
}

static void separator(struct csv_out *w)
{
	if (w->fields++ > 0 && fputc(',', w->f) == EOF)
		w->error = 1;
}

void csv_out_str(struct csv_out *w, const char *s)
{
	separator(w);
	if (csv_fwrite(w->f, s, strlen(s)) != 0)
		w->error = 1;
}

void csv_out_u64(struct csv_out *w, uint64_t v)
{
	char text[24];
	snprintf(text, sizeof(text), "%" PRIu64, v);
	csv_out_str(w, text);
}

void csv_out_i64(struct csv_out *w, int64_t v)
{
	char text[24];
	snprintf(text, sizeof(text), "%" PRId64, v);
	csv_out_str(w, text);
}

void csv_out_double(struct csv_out *w, double v)
{
	char text[40];
	if (isnan(v)) {
		csv_out_na(w);
		return;
	}
	/* Whole numbers in full (nanoseconds, counts), fractions to 6 digits. */
	if (v == floor(v) && fabs(v) < 1e18)
		snprintf(text, sizeof(text), "%.0f", v);
	else if (fabs(v) >= 1e5)
		snprintf(text, sizeof(text), "%.1f", v);
	else
		snprintf(text, sizeof(text), "%.6g", v);
	csv_out_str(w, text);
}

void csv_out_na(struct csv_out *w)
{
	separator(w); /* nothing between the commas */
}

int csv_out_end_row(struct csv_out *w)
{
	w->fields = 0;
	if (fputc('\n', w->f) == EOF || fflush(w->f) != 0)
		w->error = 1;
	return w->error ? -1 : 0;
}

void csv_out_header(struct csv_out *w, const char *const *names)
{
	for (; *names; names++)
		csv_out_str(w, *names);
	csv_out_end_row(w);
}

int csv_out_close(struct csv_out *w)
{
	if (!w->f)
		return 0;
	if (w->whole) {
		w->f = NULL;
		if (w->error) {
			out_file_abort(&w->out);
			errno = EIO;
			return -1;
		}
		return out_file_commit(&w->out);
	}
	int rc = w->error ? -1 : 0;
	if (fclose(w->f) != 0)
		rc = -1;
	w->f = NULL;
	return rc;
}

void csv_out_abort(struct csv_out *w)
{
	if (!w->f)
		return;
	if (w->whole)
		out_file_abort(&w->out);
	else
		fclose(w->f);
	w->f = NULL;
}

/* One row at a time: its fields' bytes, each NUL-terminated, in one growing
 * buffer, so an error path has one thing to free. */
struct reader {
	char *text;
	size_t text_len, text_cap;
	size_t start[CSV_MAX_FIELDS]; /* where each field of the row begins in text */
	char *fields[CSV_MAX_FIELDS];
	size_t count;
	size_t rows; /* finished, header included */
	csv_row_fn row;
	void *arg;
	int stop;    /* 1: the callback asked to stop; -1: an error, in why */
	char why[96];
};

static void __attribute__((format(printf, 2, 3))) refuse(struct reader *r, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(r->why, sizeof(r->why), "row %zu: ", r->rows + 1);
	va_start(ap, fmt);
	vsnprintf(r->why + n, sizeof(r->why) - (size_t)n, fmt, ap);
	va_end(ap);
	r->stop = -1;
}

static void too_long(struct reader *r)
{
	refuse(r, "a field longer than %u bytes; not a results file", CSV_MAX_FIELD_BYTES);
}

static void on_field(void *data, size_t len, void *arg)
{
	struct reader *r = arg;
	if (r->stop)
		return;
	if (len > CSV_MAX_FIELD_BYTES) {
		too_long(r);
		return;
	}
	if (r->count == CSV_MAX_FIELDS) {
		refuse(r, "more than %u fields; not a results file", CSV_MAX_FIELDS);
		return;
	}
	if (r->text_cap - r->text_len < len + 1) {
		size_t cap = r->text_cap ? r->text_cap : 4096;
		while (cap - r->text_len < len + 1)
			cap *= 2;
		char *grown = realloc(r->text, cap);
		if (!grown) {
			refuse(r, "out of memory");
			return;
		}
		r->text = grown;
		r->text_cap = cap;
	}
	if (len)
		memcpy(r->text + r->text_len, data, len);
	r->text[r->text_len + len] = '\0';
	r->start[r->count++] = r->text_len;
	r->text_len += len + 1;
}

static void on_row(int terminator, void *arg)
{
	struct reader *r = arg;
	(void)terminator;
	for (size_t i = 0; i < r->count; i++)
		r->fields[i] = r->text + r->start[i];
	if (!r->stop && r->row(r->fields, r->count, r->arg) != 0)
		r->stop = 1;
	r->rows++;
	r->count = 0;
	r->text_len = 0;
}

/* libcsv grows the buffer of the field it is reading by blk_size bytes at a
 * time, so a huge field costs time quadratic in its length (a 10 MB field took
 * minutes under ASan).  Bigger steps, and a look at the buffer after every
 * chunk, stop such a field within one chunk of the cap. */
#define READ_CHUNK 16384
#define FIELD_BUFFER_STEP 4096

int csv_read_file(const char *path, csv_row_fn row, void *arg, char *err, size_t errlen)
{
	struct csv_parser p;
	char buf[READ_CHUNK];
	FILE *f = in_fopen(path, err, errlen); /* a regular file, not through a link */
	if (!f)
		return -1;
	struct reader *r = calloc(1, sizeof(*r)); /* 64 KiB of arrays: not on the stack */
	if (!r || csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
		free(r);
		fclose(f);
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	r->row = row;
	r->arg = arg;
	csv_set_blk_size(&p, FIELD_BUFFER_STEP);

	int rc = 0;
	size_t n;
	while (!r->stop && (n = fread(buf, 1, sizeof(buf), f)) > 0) {
		if (csv_parse(&p, buf, n, on_field, on_row, r) != n && !r->stop) {
			snprintf(err, errlen, "%s: row %zu: %s", path, r->rows + 1, csv_strerror(csv_error(&p)));
			rc = -1;
			break;
		}
		if (!r->stop && csv_get_buffer_size(&p) > CSV_MAX_FIELD_BYTES + FIELD_BUFFER_STEP)
			too_long(r);
	}
	if (rc == 0 && !r->stop && ferror(f)) {
		snprintf(err, errlen, "%s: read error", path);
		rc = -1;
	}
	if (rc == 0 && !r->stop && csv_fini(&p, on_field, on_row, r) != 0) {
		snprintf(err, errlen, "%s: row %zu: %s", path, r->rows + 1, csv_strerror(csv_error(&p)));
		rc = -1;
	}
	if (rc == 0 && r->stop < 0) {
		snprintf(err, errlen, "%s: %s", path, r->why);
		rc = -1;
	}
	free(r->text);
	free(r);
	csv_free(&p);
	fclose(f);
	return rc;
}

int csv_column(char *const *fields, size_t count, const char *name)
{
	for (size_t i = 0; i < count; i++)
		if (strcmp(fields[i], name) == 0)
			return (int)i;
	return -1;
}
