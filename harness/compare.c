/* iopaths compare OUT_DIR RUN_A RUN_B [RUN ...]: every cell of every run
 * against the same cell of RUN_A (the base), by median MiB/s, and a verdict:
 * faster or slower when the confidence intervals of the medians do not
 * overlap, same when they do.  Runs from different machines, kernels and
 * filesystems combine: a cell is (label, sink, cache, file size, block size,
 * consume mode).  Prints a table; writes OUT_DIR/compare.csv for the figures. */
#include "compare.h"

#include "csvio.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_RUNS 16

enum field { F_LABEL, F_SINK, F_CACHE, F_BYTES, F_BLOCK, F_CONSUME, F_MEDIAN, F_LO, F_HI, F_NFIELDS };
static const char *const field_names[F_NFIELDS] = { "label", "sink", "cache", "file_bytes", "block_bytes",
						    "consume", "mibps_median", "mibps_ci_lo", "mibps_ci_hi" };

struct row {
	char *f[F_NFIELDS];
};

struct run {
	const char *dir;
	char name[96]; /* R1:ext4:6.18.44, no blanks: figures split on them */
	char host[128], kernel[128], fs[64];
	struct row *rows;
	size_t nrows, cap;
	int col[F_NFIELDS]; /* column index of each field, from the header */
	int header_seen;
	char err[256];
};

static int on_summary_row(char **fields, size_t count, void *arg)
{
	struct run *r = arg;
	if (!r->header_seen) {
		for (int f = 0; f < F_NFIELDS; f++) {
			r->col[f] = -1;
			for (size_t i = 0; i < count; i++)
				if (strcmp(fields[i], field_names[f]) == 0)
					r->col[f] = (int)i;
			if (r->col[f] < 0) {
				snprintf(r->err, sizeof(r->err), "summary.csv has no column %s", field_names[f]);
				return 1;
			}
		}
		r->header_seen = 1;
		return 0;
	}
	if (r->nrows == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 64;
		r->rows = realloc(r->rows, r->cap * sizeof(*r->rows));
		if (!r->rows)
			abort();
	}
	struct row *row = &r->rows[r->nrows++];
	for (int f = 0; f < F_NFIELDS; f++)
		row->f[f] = strdup((size_t)r->col[f] < count ? fields[r->col[f]] : "");
	return 0;
}

struct meta_pick {
	struct run *r;
};

static int on_meta_row(char **fields, size_t count, void *arg)
{
	struct run *r = ((struct meta_pick *)arg)->r;
	if (count < 2)
		return 0;
	if (strcmp(fields[0], "hostname") == 0)
		snprintf(r->host, sizeof(r->host), "%s", fields[1]);
	else if (strcmp(fields[0], "kernel_release") == 0)
		snprintf(r->kernel, sizeof(r->kernel), "%s", fields[1]);
	else if (strcmp(fields[0], "fs_type") == 0)
		snprintf(r->fs, sizeof(r->fs), "%s", fields[1]);
	return 0;
}

static int load_run(struct run *r, int index, char *err, size_t errlen)
{
	char path[PATH_MAX + 32];
	struct meta_pick pick = { r };
	snprintf(r->host, sizeof(r->host), "?");
	snprintf(r->kernel, sizeof(r->kernel), "?");
	snprintf(r->fs, sizeof(r->fs), "?");
	snprintf(path, sizeof(path), "%s/meta.csv", r->dir);
	if (csv_read_file(path, on_meta_row, &pick, err, errlen) != 0)
		return -1;
	snprintf(path, sizeof(path), "%s/summary.csv", r->dir);
	if (csv_read_file(path, on_summary_row, r, err, errlen) != 0)
		return -1;
	if (r->err[0]) {
		snprintf(err, errlen, "%s: %s", path, r->err);
		return -1;
	}
	snprintf(r->name, sizeof(r->name), "R%d:%s:%s", index, r->fs, r->kernel);
	for (char *p = r->name; *p; p++)
		if (*p == ' ')
			*p = '_';
	return 0;
}

static const struct row *find(const struct run *r, const struct row *like)
{
	for (size_t i = 0; i < r->nrows; i++) {
		int same = 1;
		for (int f = F_LABEL; f <= F_CONSUME && same; f++)
			same = strcmp(r->rows[i].f[f], like->f[f]) == 0;
		if (same)
			return &r->rows[i];
	}
	return NULL;
}

const char *compare_verdict(double a_lo, double a_hi, double b_lo, double b_hi)
{
	if (isnan(a_lo) || isnan(a_hi) || isnan(b_lo) || isnan(b_hi))
		return "unknown";
	if (b_lo > a_hi)
		return "faster";
	if (b_hi < a_lo)
		return "slower";
	return "same";
}

static double num(const char *s)
{
	return *s ? strtod(s, NULL) : NAN;
}

int cmd_compare(int argc, char **argv)
{
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs("usage: iopaths compare OUT_DIR RUN_A RUN_B [RUN ...]\n\n"
		      "Compares every cell of every run with the same cell of RUN_A, the base:\n"
		      "ratio = median MiB/s of the run / median MiB/s of the base, and a verdict:\n"
		      "faster or slower when the confidence intervals of the medians do not\n"
		      "overlap, same when they do.  Prints the table and writes OUT_DIR/compare.csv\n"
		      "(created if missing; an existing compare.csv is not overwritten).\n", stdout);
		return 0;
	}
	if (argc < 4 || argc - 2 > MAX_RUNS) {
		fprintf(stderr, "iopaths: compare: needs OUT_DIR and 2 to %d run folders (see --help)\n", MAX_RUNS);
		return 2;
	}
	const char *out = argv[1];
	int nruns = argc - 2;
	struct run *runs = calloc((size_t)nruns, sizeof(*runs));
	char err[2 * PATH_MAX], path[PATH_MAX + 32];
	if (!runs)
		abort();
	for (int i = 0; i < nruns; i++) {
		runs[i].dir = argv[i + 2];
		if (load_run(&runs[i], i + 1, err, sizeof(err)) != 0) {
			fprintf(stderr, "iopaths: compare: %s\n", err);
			return 2;
		}
	}
	if (mkdir(out, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "iopaths: compare: cannot create %s: %s\n", out, strerror(errno));
		return 2;
	}
	struct csv_out w;
	snprintf(path, sizeof(path), "%s/compare.csv", out);
	if (csv_out_open(&w, path) != 0) {
		fprintf(stderr, "iopaths: compare: %s: %s\n", path, strerror(errno));
		return 2;
	}
	csv_out_header(&w, (const char *const[]){ "run", "run_dir", "host", "kernel", "fs", "label", "sink", "cache",
		"file_bytes", "block_bytes", "consume", "mibps_median", "mibps_ci_lo", "mibps_ci_hi",
		"base_mibps_median", "ratio", "verdict", NULL });

	for (int i = 0; i < nruns; i++)
		printf("%s  %s  (host %s, kernel %s, %s)%s\n", runs[i].name, runs[i].dir, runs[i].host, runs[i].kernel,
		       runs[i].fs, i == 0 ? "  <- base" : "");
	printf("\n%-30s %-7s %-5s %11s %-22s %9s %9s %7s  %s\n", "strategy", "sink", "cache", "bytes", "run",
	       "base", "run", "ratio", "verdict");
	unsigned counts[4] = { 0 }; /* faster, slower, same, unknown (a run without intervals) */
	for (int i = 0; i < nruns; i++)
		for (size_t k = 0; k < runs[i].nrows; k++) {
			const struct row *row = &runs[i].rows[k], *base = find(&runs[0], row);
			double b = num(row->f[F_MEDIAN]), a = base ? num(base->f[F_MEDIAN]) : NAN;
			const char *verdict = i == 0 ? "base" : !base ? "no base"
				: compare_verdict(num(base->f[F_LO]), num(base->f[F_HI]), num(row->f[F_LO]), num(row->f[F_HI]));
			csv_out_str(&w, runs[i].name);
			csv_out_str(&w, runs[i].dir);
			csv_out_str(&w, runs[i].host);
			csv_out_str(&w, runs[i].kernel);
			csv_out_str(&w, runs[i].fs);
			for (int f = F_LABEL; f <= F_HI; f++)
				csv_out_str(&w, row->f[f]);
			csv_out_double(&w, a);
			csv_out_double(&w, a > 0 ? b / a : NAN);
			csv_out_str(&w, verdict);
			csv_out_end_row(&w);
			if (i == 0 || !base)
				continue;
			counts[strcmp(verdict, "faster") == 0 ? 0 : strcmp(verdict, "slower") == 0 ? 1
			       : strcmp(verdict, "same") == 0 ? 2 : 3]++;
			printf("%-30s %-7s %-5s %11s %-22s %9.0f %9.0f %7.2f  %s\n", row->f[F_LABEL], row->f[F_SINK],
			       row->f[F_CACHE], row->f[F_BYTES], runs[i].name, a, b, a > 0 ? b / a : NAN, verdict);
		}
	printf("\n%u faster, %u slower, %u no difference (confidence intervals overlap)", counts[0], counts[1],
	       counts[2]);
	if (counts[3])
		printf(", %u unknown (no interval)", counts[3]);
	putchar('\n');
	int rc = csv_out_close(&w) == 0 ? 0 : 1;
	for (int i = 0; i < nruns; i++) {
		for (size_t k = 0; k < runs[i].nrows; k++)
			for (int f = 0; f < F_NFIELDS; f++)
				free(runs[i].rows[k].f[f]);
		free(runs[i].rows);
	}
	free(runs);
	fprintf(stderr, "iopaths: compare: %s\n", path);
	return rc;
}
