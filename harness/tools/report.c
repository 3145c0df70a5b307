/* iopaths report RUN_DIR PLOTS_DIR: RUN_DIR/index.html, a page that opens
 * from disk with no server and no network: first the lecture's figures
 * (PLOTS_DIR/lecture/figures.csv, when `make lecture` drew them), then every
 * figure of PLOTS_DIR/figures.csv, each with its title and caption (written
 * from the run by `iopaths caption` where the figure says how) and its SVG
 * embedded (as a data URI, so the figures' element ids cannot clash, and an
 * SVG shown as an image loads nothing), then the summary table, the strategy
 * first, and meta.csv.  The page's own words say where the numbers are, never
 * what they show: that is the captions' job. */
#include "report.h"

#include "csvio.h"
#include "html.h"
#include "infile.h"
#include "outfile.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void base64_file(FILE *out, FILE *in)
{
	static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned char b[3];
	size_t n;
	while ((n = fread(b, 1, 3, in)) > 0) {
		unsigned v = (unsigned)b[0] << 16 | (n > 1 ? (unsigned)b[1] << 8 : 0) | (n > 2 ? b[2] : 0);
		fputc(digits[v >> 18 & 63], out);
		fputc(digits[v >> 12 & 63], out);
		fputc(n > 1 ? digits[v >> 6 & 63] : '=', out);
		fputc(n > 2 ? digits[v & 63] : '=', out);
	}
}

/* The table of a CSV file, or of some of its columns in the order asked:
 * the first is the series (its label), kept in view when the table scrolls
 * sideways.  A run from before labels existed has its strategy there. */
struct table_out {
	FILE *f;
	const char *const *only; /* NULL: every column, in the file's order */
	int pick[64];
	int npick;
	int rows;
};

static void pick_columns(struct table_out *t, char **fields, size_t count)
{
	t->npick = 0;
	if (!t->only) {
		for (size_t i = 0; i < count && t->npick < 64; i++)
			t->pick[t->npick++] = (int)i;
		return;
	}
	for (const char *const *o = t->only; *o && t->npick < 64; o++) {
		int i = csv_column(fields, count, *o);
		if (i < 0 && o == t->only && strcmp(*o, "label") == 0)
			i = csv_column(fields, count, "strategy");
		if (i >= 0)
			t->pick[t->npick++] = i;
	}
}

static int table_row(char **fields, size_t count, void *arg)
{
	struct table_out *t = arg;
	if (t->rows++ == 0)
		pick_columns(t, fields, count);
	fputs(t->rows == 1 ? "<thead><tr>" : "<tr>", t->f);
	for (int k = 0; k < t->npick; k++) {
		fputs(t->rows == 1 ? "<th>" : "<td>", t->f);
		html_text(t->f, (size_t)t->pick[k] < count ? fields[t->pick[k]] : "");
		fputs(t->rows == 1 ? "</th>" : "</td>", t->f);
	}
	fputs(t->rows == 1 ? "</tr></thead><tbody>\n" : "</tr>\n", t->f);
	return 0;
}

/* A table of numbers, or of text (meta.csv: words, left-aligned, long ones
 * broken so that no value runs off the screen). */
static int write_table(FILE *f, const char *path, const char *const *only, int text, char *err, size_t errlen)
{
	struct table_out t = { .f = f, .only = only };
	fputs(text ? "<div class=\"scroll\"><table class=\"text\">\n" : "<div class=\"scroll\"><table>\n", f);
	int rc = csv_read_file(path, table_row, &t, err, errlen);
	fputs("</tbody></table></div>\n", f);
	return rc;
}

/* What a results CSV must hold before the page is made from it: these
 * columns in its header, and at least one row below it. */
struct expect {
	const char *file;
	const char *const *columns;
	size_t rows; /* header included */
	char missing[64];
};

static int check_row(char **fields, size_t count, void *arg)
{
	struct expect *e = arg;
	if (e->rows++ > 0)
		return 0;
	for (const char *const *c = e->columns; *c; c++) {
		size_t i = 0;
		while (i < count && strcmp(fields[i], *c) != 0)
			i++;
		if (i == count) {
			snprintf(e->missing, sizeof(e->missing), "%s", *c);
			return 1;
		}
	}
	return 0;
}

/* 0 when dir/name is a regular file (not a link) with the expected header
 * and a row; -1 with one line in err. */
static int check_input(const char *dir, struct expect *e, char *err, size_t errlen)
{
	char path[PATH_MAX + 64];
	snprintf(path, sizeof(path), "%s/%s", dir, e->file);
	if (csv_read_file(path, check_row, e, err, errlen) != 0)
		return -1;
	if (e->missing[0])
		snprintf(err, errlen, "%s has no column '%s'; not a results file", path, e->missing);
	else if (e->rows == 0)
		snprintf(err, errlen, "%s is empty; not a results file", path);
	else if (e->rows == 1)
		snprintf(err, errlen, "%s has a header and no rows; nothing to report", path);
	else
		return 0;
	return -1;
}

/* An SVG of the plots folder, opened only when it is a regular file, so a
 * planted link cannot put a foreign file into the page. */
static FILE *open_figure(const char *path)
{
	char err[64];
	return in_fopen(path, err, sizeof(err));
}

/* The figures that scripts/plots.sh lists in PLOTS_DIR/figures.csv, in its
 * order: each one's title and caption (from its file in scripts/figures/), and
 * its SVG, or why it was not drawn.  The plots folder may come from anyone:
 * its values are text, and a figure's name must be a plain file name. */
struct figures_out {
	FILE *f;
	const char *plots;
	int col[5]; /* figure, title, caption, drawn, why_not_drawn */
	int rows;
};

static const char *const figure_columns[] = { "figure", "title", "caption", "drawn", "why_not_drawn", NULL };

static int figure_row(char **fields, size_t count, void *arg)
{
	struct figures_out *o = arg;
	const char *v[5];
	if (o->rows++ == 0) {
		for (int k = 0; k < 5; k++)
			for (size_t i = 0; i < count; i++)
				if (strcmp(fields[i], figure_columns[k]) == 0)
					o->col[k] = (int)i;
		return 0;
	}
	for (int k = 0; k < 5; k++)
		v[k] = (size_t)o->col[k] < count ? fields[o->col[k]] : "";
	fputs("<h2>", o->f);
	html_text(o->f, v[1]);
	fputs("</h2>\n", o->f);
	if (v[2][0]) {
		fputs("<p class=\"look\">", o->f);
		html_text(o->f, v[2]);
		fputs("</p>\n", o->f);
	}
	char path[PATH_MAX + 64];
	int plain = v[0][0] && strspn(v[0], "abcdefghijklmnopqrstuvwxyz0123456789-") == strlen(v[0]);
	snprintf(path, sizeof(path), "%s/%s.svg", o->plots, v[0]);
	int drawn = strcmp(v[3], "1") == 0;
	FILE *svg = plain && drawn ? open_figure(path) : NULL;
	if (!svg) {
		fputs(!plain ? "<p><em>not a figure's name: " : drawn ? "<p><em>figure missing: " : "<p><em>not drawn: ", o->f);
		html_text(o->f, !plain ? v[0] : drawn ? path : v[4]);
		fputs("</em></p>\n", o->f);
		return 0;
	}
	fputs("<img alt=\"", o->f);
	html_text(o->f, v[1]);
	fputs("\" src=\"data:image/svg+xml;base64,", o->f);
	base64_file(o->f, svg);
	fclose(svg);
	fputs("\">\n", o->f);
	return 0;
}

/* A plots folder without a readable figures.csv (never drawn, or by an older
 * plots.sh) is no error: the page says so, and which command draws them, and
 * goes on. */
static void write_figures(FILE *f, const char *plots, const char *drawn_by)
{
	char err[PATH_MAX + 256];
	struct expect index = { .file = "figures.csv", .columns = figure_columns };
	struct figures_out o = { .f = f, .plots = plots };
	if (check_input(plots, &index, err, sizeof(err)) == 0) {
		char path[PATH_MAX + 64];
		snprintf(path, sizeof(path), "%s/figures.csv", plots);
		if (csv_read_file(path, figure_row, &o, err, sizeof(err)) == 0)
			return;
	}
	fputs("<p><em>no figures: ", f);
	html_text(f, err);
	fputs(" (", f);
	html_text(f, drawn_by);
	fputs(" draws them)</em></p>\n", f);
}

/* The lecture's figures (`make lecture` draws them into PLOTS_DIR/lecture,
 * listed the same way) come first: they are what a lecturer shows.  Most
 * runs have none, and then the page says nothing of them; a linked folder
 * is not read through. */
static void write_lecture_figures(FILE *f, const char *plots)
{
	char dir[PATH_MAX + 64];
	struct stat st;
	snprintf(dir, sizeof(dir), "%s/lecture", plots);
	int found = lstat(dir, &st) == 0;
	if (!found && errno == ENOENT)
		return;
	fputs("<h2 class=\"part\" id=\"lecture\">The lecture's figures</h2>\n", f);
	if (!found || S_ISLNK(st.st_mode)) {
		fputs("<p><em>no figures: ", f);
		html_text(f, dir);
		fputs(found ? " is a symbolic link; not reading through it" : ": ", f);
		if (!found)
			html_text(f, strerror(errno));
		fputs("</em></p>\n", f);
	} else {
		write_figures(f, dir, "make lecture");
	}
	fputs("<h2 class=\"part\" id=\"figures\">The run's figures</h2>\n", f);
}

/* serve.csv (make bench-serve): the figures scripts/serve/plots.sh drew into
 * PLOTS_DIR/serve (and its slide into PLOTS_DIR/serve/lecture), then the
 * table, every row. */
static const char *const serve_columns[] = { "server", "file_bytes", "connections", "round", NULL };

/* A part's figures (PLOTS_DIR/PART, drawn by drawn_by) and, when it has
 * one, its slide (PLOTS_DIR/PART/lecture) under "HEADING: the slide". */
static void write_part_figures(FILE *f, const char *plots, const char *part, const char *heading, const char *drawn_by)
{
	char path[PATH_MAX + 64];
	struct stat st;
	snprintf(path, sizeof(path), "%s/%s", plots, part);
	write_figures(f, path, drawn_by);
	snprintf(path, sizeof(path), "%s/%s/lecture", plots, part);
	if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		fprintf(f, "<h2 id=\"%s-slide\">", part);
		html_text(f, heading);
		fputs(": the slide</h2>\n", f);
		write_figures(f, path, drawn_by);
	}
}

static int write_serve(FILE *f, const char *run, const char *plots, char *err, size_t errlen)
{
	char path[PATH_MAX + 64];
	fputs("<h2 class=\"part\" id=\"serve\">Served files: iopaths serve and nginx under wrk</h2>\n<p>One row per "
	      "server, file size, connection count and round, from <code>serve.csv</code> (make bench-serve): "
	      "requests/s and MiB/s as wrk counted them, latency percentiles in &micro;s, the server's CPU "
	      "(user + system, /proc/PID/stat) per request in &micro;s and per MiB in ms, its page faults and "
	      "context switches during the cell. Every server's bodies were checked against the files before "
	      "the load (verified = 1).</p>\n", f);
	write_part_figures(f, plots, "serve", "Served files", "make bench-serve");
	fputs("<h2 id=\"serve-table\">Served files: the table (serve.csv)</h2>\n", f);
	snprintf(path, sizeof(path), "%s/serve.csv", run);
	return write_table(f, path, NULL, 0, err, errlen);
}

/* pressure.csv (make bench-pressure): what the run was, from meta.csv (each
 * value escaped), the rules of the cliff, the figures scripts/pressure/plots.sh
 * drew into PLOTS_DIR/pressure (its slide in PLOTS_DIR/pressure/lecture),
 * then pressure.csv, every row. */
static const char *const pressure_page_columns[] = { "label", "outcome", "limit_reached_s", "cliff_s", "depth",
	"mibps_before", "mibps_after", "amp_before", "amp_after", "tlb_per_s_before", "tlb_per_s_after",
	"majflt_per_s_after", "refault_per_s_after", "spans_checked", "spans_bad", "threads", "qd", "file_bytes",
	"mem_limit_bytes", "intervals", NULL };

struct meta_pick {
	const char *const *keys;
	char (*values)[128];
	int rows;
};

static int meta_pick_row(char **fields, size_t count, void *arg)
{
	struct meta_pick *m = arg;
	if (m->rows++ == 0 || count < 2)
		return 0;
	for (int k = 0; m->keys[k]; k++)
		if (strcmp(fields[0], m->keys[k]) == 0)
			snprintf(m->values[k], sizeof(m->values[k]), "%s", fields[1]);
	return 0;
}

static int write_pressure(FILE *f, const char *run, const char *plots, char *err, size_t errlen)
{
	static const char *const keys[] = { "mem_limit_bytes", "duration_s", "interval_s", "cgroup_version",
		"memcg_swap", "read_ahead_kb", NULL };
	static const char *const names[] = { "memory limit (bytes)", "duration (s)", "interval (s)",
		"cgroup version", "swap", "device read_ahead_kb" };
	char values[6][128] = { { 0 } };
	char path[PATH_MAX + 64], merr[PATH_MAX + 256];
	struct meta_pick m = { .keys = keys, .values = values };
	snprintf(path, sizeof(path), "%s/meta.csv", run);
	/* meta.csv was checked before; what it lacks reads "not recorded" here */
	(void)csv_read_file(path, meta_pick_row, &m, merr, sizeof(merr));
	fputs("<h2 class=\"part\" id=\"pressure\">Memory pressure: the mmap cliff</h2>\n<p>Random reads by "
	      "each strategy over a file several times the limit of a memory cgroup made for the run, one row "
	      "per interval in <code>timeseries.csv</code>, one per cell in <code>pressure.csv</code> "
	      "(<code>iopaths pressure</code>).", f);
	for (int k = 0; keys[k]; k++) {
		fputs(k == 0 ? " The run: " : "; ", f);
		html_text(f, names[k]);
		fputs(" ", f);
		html_text(f, values[k][0] ? values[k] : "not recorded");
	}
	fputs(". The limit counts as reached at the first interval whose memory in use is at least 0.95 of it; "
	      "the cliff is the first interval from there whose MiB/s is below 0.5 of the median of the "
	      "intervals before it (the first interval, the threads starting, left out); the steady state "
	      "after is the median of the last half of the intervals from the reach on; the depth is 1 - "
	      "after/before. Amplification is device bytes read / bytes used, a ratio of sums per phase. "
	      "TLB shootdowns and device reads are system-wide counters. "
	      "Reclaim under a cgroup limit runs in the faulting threads, not in kswapd as when the whole "
	      "machine runs out.</p>\n", f);
	write_part_figures(f, plots, "pressure", "Memory pressure", "make bench-pressure");
	fputs("<h2 id=\"pressure-table\">Memory pressure: the cells (pressure.csv)</h2>\n", f);
	snprintf(path, sizeof(path), "%s/pressure.csv", run);
	return write_table(f, path, pressure_page_columns, 0, err, errlen);
}

/* demos.csv (iopaths demo), in the order a reader wants: the verdict beside the name. */
static const char *const demo_columns[] = { "demo", "verdict", "prediction", "observed", "details", NULL };

int cmd_report(int argc, char **argv)
{
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs("usage: iopaths report RUN_DIR PLOTS_DIR\n\n"
		      "Writes RUN_DIR/index.html: first the lecture's figures, when PLOTS_DIR/lecture/\n"
		      "figures.csv lists them (make lecture), then those PLOTS_DIR/figures.csv lists\n"
		      "(scripts/plots.sh), each with its title, its caption and its SVG embedded, or\n"
		      "why it was not drawn; then the summary table, the series (label) first, and\n"
		      "meta.csv.  It opens from disk, with no server and no network.  RUN_DIR must be a folder of this user\n"
		      "(or root), not a link, not writable by others; summary.csv and meta.csv must\n"
		      "be regular files with their header and at least one row.  Status 2 (and no\n"
		      "page) when they are not.  RUN_DIR/demos.csv (iopaths demo), when there, adds\n"
		      "the demos' table; a folder with demos.csv and no summary.csv gets a page of\n"
		      "the demos and meta.csv alone.  RUN_DIR/serve.csv (make bench-serve), when\n"
		      "there, adds the served files' figures (PLOTS_DIR/serve/figures.csv) and table;\n"
		      "a folder with serve.csv and no summary.csv gets a page of those and meta.csv.\n"
		      "RUN_DIR/pressure.csv (make bench-pressure), likewise, adds the memory pressure\n"
		      "section: its figures (PLOTS_DIR/pressure/figures.csv), its slide and its table.\n", stdout);
		return 0;
	}
	if (argc != 3) {
		fputs("iopaths: report: needs RUN_DIR and PLOTS_DIR (see --help)\n", stderr);
		return 2;
	}
	const char *run = argv[1], *plots = argv[2];
	char path[PATH_MAX + 64], err[PATH_MAX + 256];
	static const char *const summary_columns[] = { "label", "sink", "cache", "file_bytes", "n", "mibps_median",
		"mibps_ci_lo", "mibps_ci_hi", "ci_coverage", "minflt_median", "majflt_median", "syscalls_median",
		"user_ns_median", "sys_ns_median", "resident_pct_median", "iters_median", "persisted_all",
		"file_unchanged_all", NULL };
	struct expect summary = { .file = "summary.csv",
		.columns = (const char *const[]){ "strategy", "sink", "cache", "file_bytes", "n", "mibps_median", NULL } };
	struct expect meta = { .file = "meta.csv", .columns = (const char *const[]){ "key", "value", NULL } };
	struct expect demos = { .file = "demos.csv", .columns = demo_columns };
	struct expect serve = { .file = "serve.csv", .columns = serve_columns };
	struct expect pressure = { .file = "pressure.csv",
		.columns = (const char *const[]){ "label", "limit_reached_s", "cliff_s", "depth", NULL } };
	struct stat st;
	snprintf(path, sizeof(path), "%s/demos.csv", run);
	int has_demos = lstat(path, &st) == 0;
	snprintf(path, sizeof(path), "%s/serve.csv", run);
	int has_serve = lstat(path, &st) == 0;
	snprintf(path, sizeof(path), "%s/pressure.csv", run);
	int has_pressure = lstat(path, &st) == 0;
	snprintf(path, sizeof(path), "%s/summary.csv", run);
	/* a folder of `make demos` has only demos, one of `make bench-serve` only
	 * serve.csv; one of `iopaths pressure` may have pressure.csv alone */
	int has_summary = (!has_demos && !has_serve && !has_pressure) || lstat(path, &st) == 0;
	if (out_dir_check(run, err, sizeof(err)) != 0 || (has_summary && check_input(run, &summary, err, sizeof(err)) != 0) ||
	    (has_demos && check_input(run, &demos, err, sizeof(err)) != 0) ||
	    (has_serve && check_input(run, &serve, err, sizeof(err)) != 0) ||
	    (has_pressure && check_input(run, &pressure, err, sizeof(err)) != 0) || check_input(run, &meta, err, sizeof(err)) != 0) {
		fprintf(stderr, "iopaths: report: %s\n", err);
		return 2;
	}

	struct out_file page;
	if (out_file_open(&page, run, "index.html") != 0) {
		fprintf(stderr, "iopaths: report: cannot create a file in %s: %s\n", run, strerror(errno));
		return 1;
	}
	FILE *f = page.f;
	const char *id = strrchr(run, '/') ? strrchr(run, '/') + 1 : run;
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>iopaths: ", f);
	html_text(f, id);
	/* Sized for a projector: large text, figures the width of the screen,
	 * and a table whose header and series column stay in view as it scrolls. */
	fputs("</title>\n<style>body{font-family:sans-serif;font-size:20px;line-height:1.4;max-width:1700px;"
	      "margin:1em auto;padding:0 1em;color:#111}img{width:100%;border:1px solid #ccc}"
	      "h2.part{border-bottom:3px solid #444;margin-top:2em}p.look{max-width:70em;white-space:pre-line}"
	      ".scroll{max-height:75vh;overflow:auto;border:1px solid #ccc}table{border-collapse:separate;"
	      "border-spacing:0;font-size:17px}td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}"
	      "th{background:#eee;position:sticky;top:0;z-index:1}td:first-child,th:first-child{text-align:left;"
	      "position:sticky;left:0;font-weight:bold;white-space:nowrap}"
	      "td:first-child{background:#fff}th:first-child{z-index:2}"
	      "table.text td,table.text th{text-align:left;overflow-wrap:anywhere}</style></head><body>\n", f);
	fputs(has_summary ? "<h1>iopaths run " : has_demos ? "<h1>iopaths demos " : has_serve ? "<h1>iopaths served files "
	      : "<h1>iopaths memory pressure ", f);
	html_text(f, id);
	/* Where the numbers are and how to read them, never what they show: a
	 * fixed sentence about a result would be wrong on some machine. */
	fputs("</h1>\n", f);
	if (has_summary)
		fputs("<p>Where the numbers are: every repetition in <code>runs.csv</code>, the medians with their "
		      "confidence intervals (and the intervals' coverage) in <code>summary.csv</code>, the machine in "
		      "<code>meta.csv</code>. Values are per pass over the file; MiB/s = bytes / 2<sup>20</sup> / s. Under "
		      "each figure is its caption as drawn: written from this run's rows where the figure says how "
		      "(<code>iopaths caption</code>), otherwise only what to look for.</p>\n", f);
	else if (has_demos)
		fputs("<p>The demos' rows are in <code>demos.csv</code>, the machine in <code>meta.csv</code>.</p>\n", f);
	else if (!has_serve)
		fputs("<p>The cells' rows are in <code>pressure.csv</code>, their intervals in "
		      "<code>timeseries.csv</code>, the machine in <code>meta.csv</code>. Under each figure is its "
		      "caption as drawn: its first sentences written from this run's rows, then what to look "
		      "for.</p>\n", f);
	else
		fputs("<p>The served files' rows are in <code>serve.csv</code>, the machine in <code>meta.csv</code>. "
		      "Under each figure is its caption as drawn: its first sentences written from this run's "
		      "rows, then what to look for.</p>\n", f);
	int rc = 0;
	if (has_summary) {
		write_lecture_figures(f, plots);
		write_figures(f, plots, "scripts/plots.sh");
	}
	if (has_demos) {
		fputs("<h2 id=\"demos\">Demos: the textbook's prediction, then what the kernel did</h2>\n<p>One row per "
		      "demo of <code>iopaths demo</code>, from <code>demos.csv</code>; the verdict is \"as taught\" "
		      "or \"differs\", with what differed.</p>\n", f);
		snprintf(path, sizeof(path), "%s/demos.csv", run);
		rc = write_table(f, path, demo_columns, 1, err, sizeof(err));
	}
	if (has_serve && rc == 0)
		rc = write_serve(f, run, plots, err, sizeof(err));
	if (has_pressure && rc == 0)
		rc = write_pressure(f, run, plots, err, sizeof(err));
	if (has_summary && rc == 0) {
		fputs("<h2 id=\"summary\">Summary</h2>\n<p>Per pass; the whole table, with every column, is "
		      "<code>summary.csv</code>.</p>\n", f);
		snprintf(path, sizeof(path), "%s/summary.csv", run);
		rc = write_table(f, path, summary_columns, 0, err, sizeof(err));
	}
	fputs("<h2 id=\"meta\">The machine and the run (meta.csv)</h2>\n", f);
	snprintf(path, sizeof(path), "%s/meta.csv", run);
	if (rc == 0)
		rc = write_table(f, path, NULL, 1, err, sizeof(err));
	fputs("</body></html>\n", f);
	if (rc != 0) {
		out_file_abort(&page);
		fprintf(stderr, "iopaths: report: %s\n", err);
		return 1;
	}
	if (out_file_commit(&page) != 0) {
		fprintf(stderr, "iopaths: report: %s: %s\n", page.final, strerror(errno));
		return 1;
	}
	fprintf(stderr, "iopaths: report: %s\n", page.final);
	return 0;
}
