#include "csvio.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
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
	int rc = w->error ? -1 : 0;
	if (fclose(w->f) != 0)
		rc = -1;
	w->f = NULL;
	return rc;
}

struct reader {
	char **fields;
	size_t count, cap;
	csv_row_fn row;
	void *arg;
	int stop; /* the callback asked to stop, or memory ran out */
};

static void on_field(void *data, size_t len, void *arg)
{
	struct reader *r = arg;
	if (r->stop)
		return;
	if (r->count == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 16;
		char **grown = realloc(r->fields, cap * sizeof(*grown));
		if (!grown) {
			r->stop = -1;
			return;
		}
		r->fields = grown;
		r->cap = cap;
	}
	r->fields[r->count] = strndup(data ? data : "", len);
	if (!r->fields[r->count]) {
		r->stop = -1;
		return;
	}
	r->count++;
}

static void drop_fields(struct reader *r)
{
	for (size_t i = 0; i < r->count; i++)
		free(r->fields[i]);
	r->count = 0;
}

static void on_row(int terminator, void *arg)
{
	struct reader *r = arg;
	(void)terminator;
	if (!r->stop && r->row(r->fields, r->count, r->arg) != 0)
		r->stop = 1;
	drop_fields(r);
}

int csv_read_file(const char *path, csv_row_fn row, void *arg, char *err, size_t errlen)
{
	struct csv_parser p;
	struct reader r = { .row = row, .arg = arg };
	char buf[65536];
	int rc = 0;
	FILE *f = fopen(path, "r");

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
		fclose(f);
		snprintf(err, errlen, "%s: csv_init failed", path);
		return -1;
	}
	size_t n;
	while (!r.stop && (n = fread(buf, 1, sizeof(buf), f)) > 0)
		if (csv_parse(&p, buf, n, on_field, on_row, &r) != n) {
			snprintf(err, errlen, "%s: %s", path, csv_strerror(csv_error(&p)));
			rc = -1;
			break;
		}
	if (rc == 0 && ferror(f)) {
		snprintf(err, errlen, "%s: read error", path);
		rc = -1;
	}
	if (rc == 0 && !r.stop && csv_fini(&p, on_field, on_row, &r) != 0) {
		snprintf(err, errlen, "%s: %s", path, csv_strerror(csv_error(&p)));
		rc = -1;
	}
	if (rc == 0 && r.stop < 0) {
		snprintf(err, errlen, "%s: out of memory", path);
		rc = -1;
	}
	drop_fields(&r);
	free(r.fields);
	csv_free(&p);
	fclose(f);
	return rc;
}
