/* The comparison table three ways: text for a terminal, compare.csv for the
 * figures and scripts, index.html for people. */
#include "compare_table.h"
#include "html.h"

#include "csvio.h"
#include "units.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define COL 38 /* width of one run's column in the text table */

static void fmt_num(char *out, size_t len, double v)
{
	if (isnan(v))
		snprintf(out, len, "-");
	else
		snprintf(out, len, "%.2f", v);
}

static void fmt_pct(char *out, size_t len, double pct)
{
	if (isnan(pct))
		snprintf(out, len, "-");
	else
		snprintf(out, len, "%+.2f%%", pct);
}

static double pct_of_shift(double shift)
{
	return 100 * expm1(shift);
}

/* Hmean and its change: "130.00 (+30.00%)", between stars when a verdict. */
static void fmt_hmean(char *out, size_t len, const struct result *res)
{
	char v[32], c[32];
	fmt_num(v, sizeof(v), res->hmean);
	fmt_pct(c, sizeof(c), res->hmean_change);
	if (verdict_is_change(res->verdict))
		snprintf(out, len, "%s *%s*", v, c);
	else
		snprintf(out, len, "%s (%s)", v, c);
}

/* The Hodges–Lehmann change and its interval: "+30.0% [+20.0%, +41.0%]". */
static void fmt_change(char *out, size_t len, const struct result *res)
{
	if (isnan(res->t.shift))
		snprintf(out, len, "-");
	else if (isnan(res->t.shift_lo))
		snprintf(out, len, "%+.1f%% [no interval]", pct_of_shift(res->t.shift));
	else
		snprintf(out, len, "%+.1f%% [%+.1f%%, %+.1f%%]", pct_of_shift(res->t.shift),
			 pct_of_shift(res->t.shift_lo), pct_of_shift(res->t.shift_hi));
}

static void fmt_mde(char *out, size_t len, const struct result *res)
{
	if (isnan(res->w.mde))
		snprintf(out, len, "-");
	else
		snprintf(out, len, "%.1f%%", pct_of_shift(res->w.mde));
}

/* The change across workers and its bootstrap interval, or, with one worker
 * a side, the per-repetition one marked as such. */
static void fmt_worker_change(char *out, size_t len, const struct result *res)
{
	if (!res->w.tested) {
		char rep[96];
		fmt_change(rep, sizeof(rep), res);
		snprintf(out, len, "%s (reps)", rep);
	} else {
		snprintf(out, len, "%+.1f%% [%+.1f%%, %+.1f%%]", pct_of_shift(res->w.est), pct_of_shift(res->w.lo),
			 pct_of_shift(res->w.hi));
	}
}

/* The verdict with what it rests on. */
static void fmt_verdict(char *out, size_t len, const struct table *t, const struct result *res)
{
	char a[64];
	double th = isnan(res->floor_pct) ? t->noise_pct : fmax(t->noise_pct, res->floor_pct);
	if (row_is_metric(res->row)) {
		snprintf(out, len, "%s (%zu vs %zu)", res->verdict, res->t.m, res->t.n);
	} else if (!res->w.tested) {
		snprintf(out, len, "%s (%zu vs %zu workers)", res->verdict, res->w.ka, res->w.kb);
	} else {
		fmt_mde(a, sizeof(a), res);
		if (strcmp(res->verdict, "same") == 0)
			snprintf(out, len, "same within +-%.1f%% q=%.2g", th, res->q);
		else if (strcmp(res->verdict, "cannot tell") == 0)
			snprintf(out, len, "cannot tell q=%.2g: smallest detectable %s", res->q, a);
		else
			snprintf(out, len, "%s p=%.2g q=%.2g", res->verdict, res->w.p, res->q);
	}
}

static void cell_title(char *out, size_t len, const struct row *cell)
{
	char size[32], block[32];
	format_size(strtoull(cell->f[F_BYTES], NULL, 10), size, sizeof(size));
	if (row_is_metric(cell)) {
		format_size(strtoull(cell->mem_limit, NULL, 10), block, sizeof(block));
		snprintf(out, len, "%s  %s  %s  (pressure.csv, limit %s: one value a run)", cell->f[F_LABEL],
			 cell->metric, size, block);
		return;
	}
	format_size(strtoull(cell->f[F_BLOCK], NULL, 10), block, sizeof(block));
	snprintf(out, len, "%s  %s  %s  %s  (block %s, consume %s)", cell->f[F_LABEL], cell->f[F_SINK],
		 cell->f[F_CACHE], size, block, cell->f[F_CONSUME]);
}

/* One run's column: padded to COL, except the last, so no line ends in blanks. */
static void column(FILE *f, const char *text, int last)
{
	if (last && *text)
		fprintf(f, " %s", text);
	else if (last)
		return;
	else
		fprintf(f, " %-*s", COL, text);
}

static void print_cell(FILE *f, const struct table *t, size_t c)
{
	char title[512], text[160], a[64], b[64];
	cell_title(title, sizeof(title), t->cells[c]);
	fprintf(f, "%s\n", title);
	for (int line = 0; line < 5; line++) {
		static const char *const names[] = { "Hmean MiB/s", "CoeffVar", "Min..Max", "Change [95% CI]",
						     "Verdict" };
		char v[160];
		fprintf(f, "  %-17s", line == 0 && row_is_metric(t->cells[c]) ? "Value" : names[line]);
		for (int j = 0; j < t->nruns; j++) {
			const struct result *res = result_at(t, c, j);
			if (!res->row) {
				column(f, "(not in this run)", j == t->nruns - 1);
				continue;
			}
			switch (line) {
			case 0: fmt_hmean(text, sizeof(text), res); break;
			case 1:
				fmt_num(a, sizeof(a), res->cv);
				snprintf(text, sizeof(text), "%s%%  n=%zu", a, res->n);
				break;
			case 2:
				fmt_num(a, sizeof(a), res->min);
				fmt_num(b, sizeof(b), res->max);
				snprintf(text, sizeof(text), "%s..%s", a, b);
				break;
			case 3:
				if (j == 0 || !res->base)
					snprintf(text, sizeof(text), "%s", "");
				else
					fmt_worker_change(text, sizeof(text), res);
				break;
			default:
				if (j == 0 || !res->base) {
					snprintf(text, sizeof(text), "%s", res->verdict);
				} else {
					fmt_verdict(v, sizeof(v), t, res);
					snprintf(text, sizeof(text), "%s", v);
				}
			}
			column(f, text, j == t->nruns - 1);
		}
		fputc('\n', f);
	}
}

/* Each label's group's result in run j: that of its first cell that has
 * one, or NULL; out[group * nruns + j], one pass over the cells. */
static const struct result **groups_of(const struct table *t)
{
	const struct result **out = calloc(t->ngroups * (size_t)t->nruns + 1, sizeof(*out));
	if (!out)
		abort();
	for (size_t c = 0; c < t->ncells; c++)
		for (int j = 0; j < t->nruns; j++) {
			const struct result **g = &out[t->group[c] * (size_t)t->nruns + (size_t)j];
			if (!*g && result_at(t, c, j)->row && result_at(t, c, j)->group_cells > 0)
				*g = result_at(t, c, j);
		}
	return out;
}

static void fmt_gmean(char *out, size_t len, const struct result *g)
{
	if (!g)
		snprintf(out, len, "-");
	else
		snprintf(out, len, "%.3f (%+.2f%%, n=%zu)", g->group_gmean, 100 * (g->group_gmean - 1),
			 g->group_cells);
}

/* How many verdicts chance alone would give: the closing lines of text and page. */
static void fmt_chance(char *out, size_t len, const struct table *t)
{
	snprintf(out, len,
		 "Welch's t across workers tested %u cells at alpha %.2f: %u had p <= %.2f before correction; if nothing had "
		 "changed, chance alone would give about %.1f such cells (%.2f x %u). The verdicts use "
		 "Benjamini-Hochberg q <= %.2f instead: if nothing changed, the chance of even one false verdict in "
		 "this table is at most %.0f%%, and otherwise at most %.0f%% of the verdicts are expected to be false; "
		 "a verdict also needs its interval wholly beyond +-%.1f%% (--noise) or the cell's floor.",
		 t->tested, COMPARE_ALPHA, t->p_below_alpha, COMPARE_ALPHA, COMPARE_ALPHA * t->tested, COMPARE_ALPHA,
		 t->tested, COMPARE_ALPHA, 100 * COMPARE_ALPHA, 100 * COMPARE_ALPHA, t->noise_pct);
}

static void fmt_counts(char *out, size_t len, const struct table *t)
{
	int n = snprintf(out, len, "%u faster, %u slower, %u same within +-%.1f%%, %u cannot tell, %u no verdict, %u too "
			 "few samples", t->faster, t->slower, t->same, t->noise_pct, t->cannot_tell, t->one_worker,
			 t->too_few);
	if (t->no_base && n > 0 && (size_t)n < len)
		snprintf(out + n, len - (size_t)n, ", %u with no base", t->no_base);
}

/* Words of text on lines of at most width columns. */
static void wrap(FILE *f, const char *text, int width)
{
	int used = 0;
	while (*text) {
		int word = (int)strcspn(text, " ");
		if (used > 0 && used + 1 + word > width) {
			fputc('\n', f);
			used = 0;
		} else if (used > 0) {
			fputc(' ', f);
			used++;
		}
		fprintf(f, "%.*s", word, text);
		used += word;
		text += word;
		text += strspn(text, " ");
	}
	fputc('\n', f);
}

void compare_print(FILE *f, const struct table *t)
{
	char text[1024];
	for (int i = 0; i < t->nruns; i++)
		fprintf(f, "%s  %s  (host %s, kernel %s, %s)%s\n", t->runs[i].name, t->runs[i].dir, t->runs[i].host,
			t->runs[i].kernel, t->runs[i].fs, i == 0 ? "  <- base" : "");
	fprintf(f, "\nPer cell: Hmean of every repetition's MiB/s and its change against the base, *between stars*\n"
		   "when the verdict is a change; the change across workers (each worker's median) with its 95%%\n"
		   "bootstrap interval; the verdict from Welch's t on the workers' log medians (paired in an ABBA\n"
		   "sitting), q corrected by Benjamini-Hochberg over the table, and the interval against +-%.1f%%.\n\n",
		t->noise_pct);
	fprintf(f, "  %-17s", "");
	for (int j = 0; j < t->nruns; j++) {
		snprintf(text, sizeof(text), "%s%s", t->runs[j].name, j == 0 ? " (base)" : "");
		column(f, text, j == t->nruns - 1);
	}
	fputc('\n', f);
	for (size_t c = 0; c < t->ncells; c++)
		print_cell(f, t, c);

	const struct result **g = groups_of(t);
	fprintf(f, "\nGmean: the geometric mean of Hmean ratios to the base, by strategy\n  %-30s", "");
	for (int j = 1; j < t->nruns; j++)
		column(f, t->runs[j].name, j == t->nruns - 1);
	fputc('\n', f);
	for (size_t l = 0; l < t->ngroups; l++) {
		fprintf(f, "  %-30s", t->group_label[l]);
		for (int j = 1; j < t->nruns; j++) {
			fmt_gmean(text, sizeof(text), g[l * (size_t)t->nruns + (size_t)j]);
			column(f, text, j == t->nruns - 1);
		}
		fputc('\n', f);
	}
	free(g);
	fmt_counts(text, sizeof(text), t);
	fprintf(f, "\n%s.\n", text);
	if (t->one_worker)
		fprintf(f, "No verdict for %u cells: a side has one worker process (a folder from before iopaths run "
			   "--workers, or --workers 1), whose repetitions cannot tell a change from that process's luck.\n",
			t->one_worker);
	fmt_chance(text, sizeof(text), t);
	wrap(f, text, 100);
}

int compare_write_csv(const struct table *t, const char *path)
{
	struct csv_out w;
	struct stat st;
	/* Never replaces an earlier comparison; written whole, then renamed in. */
	if (lstat(path, &st) == 0) {
		errno = EEXIST;
		return -1;
	}
	if (csv_out_create_path(&w, path) != 0)
		return -1;
	static const char *const fixed[] = { "run", "run_dir", "host", "kernel", "fs", "label", "sink", "cache",
		"file_bytes", "block_bytes", "consume", "mibps_median", "mibps_ci_lo", "mibps_ci_hi",
		"base_mibps_median", "ratio", "verdict",
		"n", "base_n", "mibps_hmean", "mibps_coeffvar", "mibps_min", "mibps_max", "base_mibps_hmean",
		"hmean_change_pct", "change_pct", "change_ci_lo_pct", "change_ci_hi_pct", "change_ci_coverage",
		"p_value", "q_value", "mde_pct", "test", "group_gmean_ratio", "group_cells", "metric", "workers_base",
		"workers_run", "ci_lo_pct", "ci_hi_pct", "noise_pct", "floor_pct", "worker_change_pct" };
	/* Then the rest of the cell's key (cell.h: strategy, fsync, pattern, io_bytes, threads, the options),
	 * so that a cell is named whole here too: make aa's floor file (iopaths floor) is keyed by it. */
	enum { NFIXED = sizeof(fixed) / sizeof(fixed[0]) };
	const char *names[NFIXED + MAX_KEY_COLUMNS + 1];
	size_t extra[MAX_KEY_COLUMNS], nextra = 0, nnames = NFIXED;
	memcpy(names, fixed, sizeof(fixed));
	for (size_t k = 0; k < key_columns() && k < MAX_KEY_COLUMNS; k++) {
		size_t i = 0;
		while (i < NFIXED && strcmp(fixed[i], key_column(k)) != 0)
			i++;
		if (i == NFIXED) {
			extra[nextra++] = k;
			names[nnames++] = key_column(k);
		}
	}
	names[nnames] = NULL;
	csv_out_header(&w, names);
	/* Run by run, row by row, as before: scripts read the first rows of a run. */
	for (int j = 0; j < t->nruns; j++)
		for (size_t c = 0; c < t->ncells; c++) {
			const struct result *res = result_at(t, c, j), *base = result_at(t, c, 0);
			if (!res->row)
				continue;
			const struct run *r = &t->runs[j];
			double a = res->base && (*res->base->f[F_MEDIAN] || !row_is_metric(res->base))
					   ? strtod(res->base->f[F_MEDIAN], NULL)
					   : NAN; /* a metric's empty value: none, not 0 */
			double b = *res->row->f[F_MEDIAN] ? strtod(res->row->f[F_MEDIAN], NULL) : NAN;
			int tested = j > 0 && res->base;
			csv_out_str(&w, r->name);
			csv_out_str(&w, r->dir);
			csv_out_str(&w, r->host);
			csv_out_str(&w, r->kernel);
			csv_out_str(&w, r->fs);
			for (int f = F_LABEL; f <= F_HI; f++)
				csv_out_str(&w, res->row->f[f]);
			csv_out_double(&w, a);
			csv_out_double(&w, a > 0 || (row_is_metric(res->row) && a != 0) ? b / a : NAN);
			csv_out_str(&w, res->verdict);
			csv_out_u64(&w, res->n);
			if (base->row)
				csv_out_u64(&w, base->n);
			else
				csv_out_na(&w);
			csv_out_double(&w, res->hmean);
			csv_out_double(&w, res->cv);
			csv_out_double(&w, res->min);
			csv_out_double(&w, res->max);
			csv_out_double(&w, base->row ? base->hmean : NAN);
			csv_out_double(&w, res->hmean_change);
			csv_out_double(&w, tested ? pct_of_shift(res->t.shift) : NAN);
			csv_out_double(&w, tested ? pct_of_shift(res->t.shift_lo) : NAN);
			csv_out_double(&w, tested ? pct_of_shift(res->t.shift_hi) : NAN);
			csv_out_double(&w, tested ? res->t.coverage : NAN);
			int by_workers = tested && res->w.tested;
			csv_out_double(&w, by_workers ? res->w.p : NAN);
			csv_out_double(&w, by_workers ? res->q : NAN);
			csv_out_double(&w, by_workers ? pct_of_shift(res->w.mde) : NAN);
			if (by_workers)
				csv_out_str(&w, res->w.paired ? "paired-t-workers" : "welch-t-workers");
			else
				csv_out_na(&w);
			csv_out_double(&w, j > 0 ? res->group_gmean : NAN);
			if (j > 0)
				csv_out_u64(&w, res->group_cells);
			else
				csv_out_na(&w);
			csv_out_str(&w, res->row->metric);
			int mibps = tested && !row_is_metric(res->row);
			if (mibps) {
				csv_out_u64(&w, res->w.ka);
				csv_out_u64(&w, res->w.kb);
			} else {
				csv_out_na(&w);
				csv_out_na(&w);
			}
			csv_out_double(&w, by_workers ? pct_of_shift(res->w.lo) : NAN);
			csv_out_double(&w, by_workers ? pct_of_shift(res->w.hi) : NAN);
			csv_out_double(&w, t->noise_pct);
			csv_out_double(&w, res->floor_pct);
			csv_out_double(&w, mibps ? pct_of_shift(res->w.est) : NAN);
			for (size_t e = 0; e < nextra; e++)
				if (res->row->key)
					csv_out_str(&w, res->row->key[extra[e]]);
				else
					csv_out_na(&w); /* a pressure.csv metric: no cell key */
			csv_out_end_row(&w);
		}
	return csv_out_close(&w);
}

/* One element with escaped text: <td class="x">text</td>. */
static void html_el(FILE *f, const char *tag, const char *cls, const char *text)
{
	fprintf(f, "<%s%s%s%s>", tag, cls ? " class=\"" : "", cls ? cls : "", cls ? "\"" : "");
	html_text(f, text);
	fprintf(f, "</%s>", tag);
}

static const char style[] =
	"body{font-family:sans-serif;margin:1.5em;max-width:110em}"
	"table{border-collapse:collapse;font-size:90%}td,th{border:1px solid #ccc;padding:2px 6px}"
	"td{text-align:right}td.k{text-align:left}th{background:#eee}"
	".faster{background:#d8f5d8}.slower{background:#f8d8d8}.few{color:#888}";

static void html_cell_row(FILE *f, const struct table *t, size_t c)
{
	char text[160], a[64], b[64];
	const struct row *cell = t->cells[c];
	fputs("<tr>", f);
	for (int k = F_LABEL; k <= F_CELL_LAST; k++) {
		if (k == F_LABEL && row_is_metric(cell)) { /* a pressure.csv row: which number */
			char label[512];
			snprintf(label, sizeof(label), "%s %s (limit %s bytes)", cell->f[k], cell->metric, cell->mem_limit);
			html_el(f, "td", "k", label);
		} else {
			html_el(f, "td", "k", cell->f[k]);
		}
	}
	for (int j = 0; j < t->nruns; j++) {
		const struct result *res = result_at(t, c, j);
		int cols = j == 0 ? 5 : 10;
		if (!res->row) {
			fprintf(f, "<td colspan=\"%d\" class=\"few\">not in this run</td>", cols);
			continue;
		}
		const char *cls = strcmp(res->verdict, "faster") == 0 ? "faster"
				  : strcmp(res->verdict, "slower") == 0 ? "slower" : NULL;
		fmt_hmean(text, sizeof(text), res);
		html_el(f, "td", cls, text);
		fmt_num(a, sizeof(a), res->cv);
		html_el(f, "td", NULL, a);
		fmt_num(a, sizeof(a), res->min);
		html_el(f, "td", NULL, a);
		fmt_num(b, sizeof(b), res->max);
		html_el(f, "td", NULL, b);
		snprintf(text, sizeof(text), "%zu", res->n);
		html_el(f, "td", NULL, text);
		if (j == 0)
			continue;
		int tested = res->base && res->w.tested;
		fmt_worker_change(text, sizeof(text), res);
		html_el(f, "td", NULL, res->base && !row_is_metric(res->row) ? text : "-");
		fmt_mde(a, sizeof(a), res);
		html_el(f, "td", NULL, tested ? a : "-");
		snprintf(a, sizeof(a), "%.2g", res->w.p);
		html_el(f, "td", NULL, tested ? a : "-");
		snprintf(b, sizeof(b), "%.2g", res->q);
		html_el(f, "td", NULL, tested ? b : "-");
		if (res->base)
			fmt_verdict(text, sizeof(text), t, res);
		html_el(f, "td", cls ? cls : strcmp(res->verdict, "same") == 0 ? NULL : "few",
			res->base ? text : res->verdict);
	}
	fputs("</tr>\n", f);
}

void compare_write_html(FILE *f, const struct table *t)
{
	char text[1024];
	fprintf(f, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>iopaths compare</title>"
		   "<style>%s</style></head><body>\n<h1>iopaths compare</h1>\n<ul>\n", style);
	for (int i = 0; i < t->nruns; i++) {
		snprintf(text, sizeof(text), "%s: %s (host %s, kernel %s, %s)%s", t->runs[i].name, t->runs[i].dir,
			 t->runs[i].host, t->runs[i].kernel, t->runs[i].fs, i == 0 ? ", the base" : "");
		html_el(f, "li", NULL, text);
		fputc('\n', f);
	}
	fputs("</ul>\n<p>Hmean: the harmonic mean of every repetition's MiB/s, with its change against the base, "
	      "between stars when the verdict is a change. Change: across the worker processes (one value each, the "
	      "median of its repetitions), with a 95% bootstrap interval that draws workers, then repetitions. "
	      "Verdict: faster or slower when Welch's t on the workers' log medians (paired in an ABBA sitting), "
	      "corrected by Benjamini-Hochberg over the table, gives q at most 0.05 and the interval lies wholly "
	      "beyond the noise threshold; same when the interval lies wholly inside it; else cannot tell, with the "
	      "smallest change this test would find 80% of the time (mde). No verdict: a side has one worker.</p>\n"
	      "<table>\n<tr>", f);
	for (const char *const *h = (const char *const[]){ "strategy", "sink", "cache", "file_bytes", "block_bytes",
							   "consume", NULL }; *h; h++)
		html_el(f, "th", NULL, *h);
	for (int j = 0; j < t->nruns; j++) {
		static const char *const base_cols[] = { "Hmean MiB/s", "CoeffVar %", "min", "max", "n" };
		static const char *const run_cols[] = { "change [95% CI]", "mde", "p", "q", "verdict" };
		for (int k = 0; k < 5; k++) {
			snprintf(text, sizeof(text), "%s %s", t->runs[j].name, base_cols[k]);
			html_el(f, "th", NULL, text);
		}
		for (int k = 0; j > 0 && k < 5; k++) {
			snprintf(text, sizeof(text), "%s %s", t->runs[j].name, run_cols[k]);
			html_el(f, "th", NULL, text);
		}
	}
	fputs("</tr>\n", f);
	for (size_t c = 0; c < t->ncells; c++)
		html_cell_row(f, t, c);
	fputs("</table>\n<h2>Gmean by strategy</h2>\n<table>\n<tr><th>strategy</th>", f);
	for (int j = 1; j < t->nruns; j++) {
		snprintf(text, sizeof(text), "%s: geometric mean of Hmean ratios to the base", t->runs[j].name);
		html_el(f, "th", NULL, text);
	}
	fputs("</tr>\n", f);
	const struct result **g = groups_of(t);
	for (size_t l = 0; l < t->ngroups; l++) {
		fputs("<tr>", f);
		html_el(f, "td", "k", t->group_label[l]);
		for (int j = 1; j < t->nruns; j++) {
			fmt_gmean(text, sizeof(text), g[l * (size_t)t->nruns + (size_t)j]);
			html_el(f, "td", NULL, text);
		}
		fputs("</tr>\n", f);
	}
	free(g);
	fputs("</table>\n", f);
	fmt_counts(text, sizeof(text), t);
	html_el(f, "p", NULL, text);
	fmt_chance(text, sizeof(text), t);
	html_el(f, "p", NULL, text);
	fputs("\n</body></html>\n", f);
}
