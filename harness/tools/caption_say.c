/* The sentences of `iopaths caption`.  Each says only what its numbers carry:
 * medians rank, the exact test decides, and where it cannot the sentence says so. */
#include "caption_run.h"
#include "units.h"

#include "twosample.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 3 significant digits, no exponent, no trailing zeros: 17200, 5.05, 0.3, 0. */
static void fmt3(char *out, size_t len, double v)
{
	if (v == 0 || !isfinite(v)) {
		snprintf(out, len, "%s", v == 0 ? "0" : "?");
		return;
	}
	int e = (int)floor(log10(fabs(v)));
	if (e >= 2) {
		double scale = pow(10, e - 2);
		snprintf(out, len, "%.0f", round(v / scale) * scale);
		return;
	}
	snprintf(out, len, "%.*f", 2 - e, v);
	if (strchr(out, '.')) {
		char *p = out + strlen(out) - 1;
		while (*p == '0')
			*p-- = '\0';
		if (*p == '.')
			*p = '\0';
	}
}

enum unit { U_COUNT, U_MIBPS, U_TIME, U_FAULTS, U_CALLS, U_PERCENT };

static int ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);
	return n >= t && strcmp(s + n - t, tail) == 0;
}

static enum unit unit_of(const char *col)
{
	static const char *const faults[] = { "pf", "pf_min", "pf_maj", "minflt", "majflt", "pgfault", "pgmajfault" };
	if (strcmp(col, "mibps") == 0)
		return U_MIBPS;
	if (ends_with(col, "_ns"))
		return U_TIME;
	for (size_t i = 0; i < sizeof(faults) / sizeof(faults[0]); i++)
		if (strcmp(col, faults[i]) == 0)
			return U_FAULTS;
	if (ends_with(col, "syscalls"))
		return U_CALLS;
	if (ends_with(col, "_pct"))
		return U_PERCENT;
	return U_COUNT;
}

/* A median with its unit: "17200 MiB/s", "5.05 ms", "0 faults", "3 calls per MiB". */
static void value_text(const char *col, double v, int per_mib, char *out, size_t len)
{
	char num[48];
	const char *unit = "";
	switch (unit_of(col)) {
	case U_MIBPS: unit = " MiB/s"; break;
	case U_FAULTS: unit = v == 1 ? " fault" : " faults"; break;
	case U_CALLS: unit = v == 1 ? " call" : " calls"; break;
	case U_PERCENT: unit = "%"; break;
	case U_COUNT: break;
	case U_TIME: {
		/* ns in, the unit that keeps 1 to 3 digits before the point out; zero as "0 ms" */
		double a = fabs(v), scale = a == 0 ? 1 : a < 1e3 ? 1 : a < 1e6 ? 1e3 : a < 1e9 ? 1e6 : 1e9;
		unit = a == 0 ? " ms" : scale == 1 ? " ns" : scale == 1e3 ? " µs" : scale == 1e6 ? " ms" : " s";
		v /= scale;
		break;
	}
	}
	fmt3(num, sizeof(num), v);
	snprintf(out, len, "%s%s%s", num, unit, per_mib ? " per MiB" : "");
}

/* What the metric is, for "Measured: ..." and "X has 2× the ... of Y". */
static void metric_words(const char *col, int per_mib, char *out, size_t len)
{
	static const char *const words[][2] = {
		{ "mibps", "throughput" },         { "wall_ns", "wall time" },
		{ "user_ns", "user CPU time" },    { "sys_ns", "system CPU time" },
		{ "task_clock_ns", "CPU time (task-clock)" },
		{ "sender_user_ns", "sending thread's user CPU time" },
		{ "sender_sys_ns", "sending thread's system CPU time" },
		{ "pf", "page faults" },           { "pf_min", "minor page faults" },
		{ "pf_maj", "major page faults" }, { "minflt", "minor faults" },
		{ "majflt", "major faults" },      { "syscalls", "syscalls" },
		{ "sender_syscalls", "sending thread's syscalls" },
	};
	const char *w = col;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(col, words[i][0]) == 0)
			w = words[i][1];
	snprintf(out, len, "%s%s", w, unit_of(col) == U_MIBPS ? "" : per_mib ? " per MiB" : " per pass");
}

/* Evidence: "31 page faults", "5.05 ms user", "0.9 ms system". */
static void evidence_text(const char *col, const char *value, char *out, size_t len)
{
	static const char *const names[][2] = {
		{ "pf", "page faults" },   { "pf_min", "minor faults" },      { "pf_maj", "major faults" },
		{ "minflt", "minor faults" }, { "majflt", "major faults" },  { "user_ns", "user" },
		{ "sys_ns", "system" },    { "wall_ns", "wall" },             { "task_clock_ns", "CPU (task-clock)" },
		{ "sender_user_ns", "sender user" }, { "sender_sys_ns", "sender system" },
		{ "syscalls", "syscalls" }, { "sender_syscalls", "sender syscalls" },
	};
	const char *name = col;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(col, names[i][0]) == 0)
			name = names[i][1];
	char *end;
	double v = strtod(value, &end);
	if (caption_is_flag(col) || !*value || *end) {
		const char *word = strcmp(value, "1") == 0 && caption_is_flag(col) ? "yes"
				   : strcmp(value, "0") == 0 && caption_is_flag(col) ? "no"
				   : *value					      ? value
										      : "not measured";
		snprintf(out, len, "%s %s", name, word);
		return;
	}
	char num[64];
	enum unit u = unit_of(col);
	if (u == U_FAULTS || u == U_CALLS || u == U_COUNT) {
		fmt3(num, sizeof(num), v);
		snprintf(out, len, "%s %s", num, name);
	} else {
		value_text(col, v, 0, num, sizeof(num));
		snprintf(out, len, "%s %s", num, name);
	}
}

/* The finite samples of a series, with their workers. */
static size_t finite_samples(const struct series *s, double *out, int *workers)
{
	size_t n = 0;
	for (size_t i = 0; i < s->nsamples; i++)
		if (isfinite(s->samples[i])) {
			workers[n] = s->workers[i];
			out[n++] = s->samples[i];
		}
	return n;
}

/* run against base with compare's test: the worker process as the unit
 * (twosample_workers), the verdict by compare's rule at its default noise
 * threshold, p itself standing for q (one test).  The test is on logs: with a
 * value <= 0 on either side (read's zero faults) every value is moved up by
 * the same amount first, which keeps the order and the sign of the change
 * but makes the ratio meaningless: *ratio_ok says whether it means anything. */
static enum worker_verdict pair_test(const struct series *run, const struct series *base, struct worker_test *t,
				     int *ratio_ok)
{
	double *x = malloc((base->nsamples + 1) * sizeof(*x)), *y = malloc((run->nsamples + 1) * sizeof(*y));
	int *wx = malloc((base->nsamples + 1) * sizeof(*wx)), *wy = malloc((run->nsamples + 1) * sizeof(*wy));
	if (!x || !y || !wx || !wy)
		abort();
	size_t m = finite_samples(base, x, wx), n = finite_samples(run, y, wy);
	double low = INFINITY;
	for (size_t i = 0; i < m; i++)
		low = fmin(low, x[i]);
	for (size_t i = 0; i < n; i++)
		low = fmin(low, y[i]);
	*ratio_ok = !(low <= 0);
	if (!*ratio_ok) {
		for (size_t i = 0; i < m; i++)
			x[i] += 1 - low;
		for (size_t i = 0; i < n; i++)
			y[i] += 1 - low;
	}
	twosample_workers(x, wx, m, y, wy, n, 0, CAPTION_ALPHA, CAPTION_NOISE_PCT, t);
	free(x);
	free(y);
	free(wx);
	free(wy);
	return twosample_verdict(t, t->p, CAPTION_ALPHA, CAPTION_NOISE_PCT);
}

static int verdict_is_difference(enum worker_verdict v)
{
	return v == WV_FASTER || v == WV_SLOWER;
}

/* Why a pair gets no verdict, or what the verdict rests on. */
static void verdict_text(enum worker_verdict v, const struct worker_test *t, char *out, size_t len)
{
	char p[32], mde[32];
	snprintf(p, sizeof(p), "%.2g", t->p);
	fmt3(mde, sizeof(mde), 100 * expm1(t->mde));
	if (v == WV_ONE_WORKER)
		snprintf(out, len,
			 "a side has one worker process (%zu and %zu), whose repetitions cannot tell a difference from "
			 "that process's luck: no verdict",
			 t->ka, t->kb);
	else if (verdict_is_difference(v))
		snprintf(out, len,
			 "a difference beyond the ±%g%% noise threshold (t test across %zu and %zu worker processes, "
			 "p = %s)",
			 CAPTION_NOISE_PCT, t->ka, t->kb, p);
	else if (v == WV_SAME)
		snprintf(out, len, "the same within ±%g%% (%zu and %zu worker processes)", CAPTION_NOISE_PCT, t->ka,
			 t->kb);
	else
		snprintf(out, len,
			 "the two cannot be told apart (p = %s across %zu and %zu worker processes; the smallest "
			 "change this run would find 4 times in 5 is %s%%)",
			 p, t->ka, t->kb, mde);
}

struct out {
	FILE *f;
	const struct run *r;
	const char *label_a, *label_b; /* --expect's, as labels */
	int several_blocks;
	int pairs_seen; /* rankings holding both --expect series */
};

static const char *label(const struct out *o, const struct series *s)
{
	return caption_field(s, o->r->c_label);
}

static int better(const struct run *r, double a, double b)
{
	return r->a->higher_better ? a > b : a < b;
}

/* The key ratio: x the series with the larger median, y the other. */
static void say_ratio(struct out *o, const struct series *x, const struct series *y)
{
	const struct caption_args *a = o->r->a;
	char words[128], vx[64], vy[64], verdict[256];
	struct worker_test t;
	int ratio_ok;
	metric_words(a->metric, a->per_mib, words, sizeof(words));
	value_text(a->metric, x->median, a->per_mib, vx, sizeof(vx));
	value_text(a->metric, y->median, a->per_mib, vy, sizeof(vy));
	if (x->median == 0) {
		fprintf(o->f, " %s and %s both take none (%s).", label(o, x), label(o, y), vx);
		return;
	}
	enum worker_verdict v = pair_test(x, y, &t, &ratio_ok);
	verdict_text(v, &t, verdict, sizeof(verdict));
	if (y->median == 0) {
		fprintf(o->f, " %s takes none; %s takes %s: %s.", label(o, y), label(o, x), vx, verdict);
		return;
	}
	char r[32], lo[32], hi[32];
	if (!ratio_ok || !t.tested) {
		fmt3(r, sizeof(r), x->median / y->median);
		fprintf(o->f, " %s's median %s is %s× %s's%s: %s.", label(o, x), words, r, label(o, y),
			ratio_ok ? "" : " (some repetitions are 0, so no interval)", verdict);
		return;
	}
	fmt3(r, sizeof(r), exp(t.est));
	fmt3(lo, sizeof(lo), exp(t.lo));
	fmt3(hi, sizeof(hi), exp(t.hi));
	fprintf(o->f, " %s's %s over %s's, worker process by worker process: %s× (95%% interval %s× to %s×): %s.",
		label(o, x), words, label(o, y), r, lo, hi, verdict);
}

static void say_evidence(struct out *o, const struct series *s)
{
	const struct run *r = o->r;
	fprintf(o->f, "%s: ", label(o, s));
	for (size_t i = 0; i < r->a->nevidence; i++) {
		char text[160];
		evidence_text(r->a->evidence[i], caption_field(s, r->c_evidence[i]), text, sizeof(text));
		fprintf(o->f, "%s%s", i ? ", " : "", text);
	}
}

static void say_expect(struct out *o, const struct series *sa, const struct series *sb)
{
	const struct caption_args *a = o->r->a;
	struct worker_test t;
	int ratio_ok;
	enum worker_verdict v = pair_test(sa, sb, &t, &ratio_ok); /* est > 0: A's values are larger */
	/* The prediction in the figure's words when given, else in ours; then the pair it is about. */
	if (a->textbook) {
		size_t n = strlen(a->textbook);
		while (n > 0 && (a->textbook[n - 1] == '.' || a->textbook[n - 1] == ' '))
			n--;
		fprintf(o->f, " %.*s: %s over %s", (int)n, a->textbook, label(o, sa), label(o, sb));
	} else {
		fprintf(o->f, " The textbook expects %s to beat %s", label(o, sa), label(o, sb));
	}
	if (!verdict_is_difference(v)) {
		char why[256];
		verdict_text(v, &t, why, sizeof(why));
		fprintf(o->f, v == WV_SAME ? "; this run finds no order: %s." : "; this run cannot tell which leads: %s.", why);
		return;
	}
	/* A difference: its direction from the change across workers, whose sign
	 * the shift of moved values keeps. */
	int a_larger = t.est > 0;
	int a_wins = a->higher_better ? a_larger : !a_larger;
	if (a_wins) {
		fprintf(o->f, "; this run agrees on the order: %s beats %s, beyond the ±%g%% noise threshold (the order is what is tested, not the prediction's figures).", label(o, sa), label(o, sb), CAPTION_NOISE_PCT);
		return;
	}
	fprintf(o->f, "; this run shows the opposite order: %s beats %s, beyond the ±%g%% noise threshold.", label(o, sb),
		label(o, sa), CAPTION_NOISE_PCT);
	if (a->nevidence) {
		fprintf(o->f, " The run holds, as medians per pass: ");
		say_evidence(o, sa);
		fprintf(o->f, "; ");
		say_evidence(o, sb);
		fprintf(o->f, ".");
	}
}

static void say_show(struct out *o, const struct series *s)
{
	const struct run *r = o->r;
	for (size_t i = 0; i < r->a->nshow; i++) {
		const char *col = r->a->show[i], *v = caption_field(s, r->c_show[i]);
		char text[96];
		if (caption_is_flag(col)) {
			size_t ones = s->ones[i], zeros = s->zeros[i];
			const char *word = ones && zeros ? "some"
					   : ones	 ? "yes"
					   : zeros	 ? "no"
					   : strcmp(v, "1") == 0 ? "yes"
					   : strcmp(v, "0") == 0 ? "no"
								 : "not measured";
			snprintf(text, sizeof(text), "%s", word);
		} else {
			char *end;
			double d = strtod(v, &end);
			if (*v && !*end)
				value_text(col, d, 0, text, sizeof(text));
			else
				snprintf(text, sizeof(text), "%s", *v ? v : "not measured");
		}
		fprintf(o->f, "%s%s: %s", i ? ", " : " (", col, text);
	}
	if (r->a->nshow)
		fputc(')', o->f);
}

static int by_rank(const void *pa, const void *pb, void *arg)
{
	const struct run *r = arg;
	const struct series *a = *(const struct series *const *)pa, *b = *(const struct series *const *)pb;
	if (better(r, a->median, b->median))
		return -1;
	if (better(r, b->median, a->median))
		return 1;
	return (a->order > b->order) - (a->order < b->order);
}

static int same_group(const struct run *r, const struct series *a, const struct series *b)
{
	return strcmp(caption_field(a, r->c_cache), caption_field(b, r->c_cache)) == 0 &&
	       strcmp(caption_field(a, r->c_sink), caption_field(b, r->c_sink)) == 0 &&
	       strcmp(caption_field(a, r->c_block), caption_field(b, r->c_block)) == 0;
}

/* One ranking: the group of g at one size, then its ratio and the textbook's. */
static void say_ranking(struct out *o, const struct series *g, uint64_t bytes)
{
	const struct run *r = o->r;
	const struct series **ranked = malloc((r->n + 1) * sizeof(*ranked));
	size_t n = 0;
	if (!ranked)
		abort();
	for (size_t i = 0; i < r->n; i++)
		if (r->s[i].keep && r->s[i].bytes == bytes && same_group(r, &r->s[i], g))
			ranked[n++] = &r->s[i];
	qsort_r(ranked, n, sizeof(*ranked), by_rank, (void *)r);
	char size[32], block[32] = "", cache[64];
	format_size_words(bytes, size, sizeof(size));
	if (o->several_blocks) {
		uint64_t b = strtoull(caption_field(g, r->c_block), NULL, 10);
		format_size_words(b, block, sizeof(block));
	}
	snprintf(cache, sizeof(cache), "%s", caption_field(g, r->c_cache));
	if (cache[0] >= 'a' && cache[0] <= 'z')
		cache[0] = (char)(cache[0] - 'a' + 'A');
	fprintf(o->f, " %s cache, %s sink, %s files%s%s, %s: ", cache, caption_field(g, r->c_sink), size,
		*block ? ", blocks of " : "", block, n > 1 ? "best first" : "one series");
	for (size_t i = 0; i < n; i++) {
		char v[64];
		value_text(r->a->metric, ranked[i]->median, r->a->per_mib, v, sizeof(v));
		if (i)
			fputs(ranked[i]->median == ranked[i - 1]->median ? " = " : "; ", o->f);
		fprintf(o->f, "%s %s", label(o, ranked[i]), v);
		say_show(o, ranked[i]);
	}
	fputc('.', o->f);
	const struct series *sa = NULL, *sb = NULL;
	for (size_t i = 0; i < n && o->label_a; i++) {
		if (strcmp(label(o, ranked[i]), o->label_a) == 0)
			sa = ranked[i];
		if (strcmp(label(o, ranked[i]), o->label_b) == 0)
			sb = ranked[i];
	}
	if (sa && sb) {
		o->pairs_seen++;
		if (sa->median >= sb->median)
			say_ratio(o, sa, sb);
		else
			say_ratio(o, sb, sa);
		say_expect(o, sa, sb);
	} else if (n > 1) {
		const struct series *best = ranked[0], *worst = ranked[n - 1];
		if (best->median >= worst->median)
			say_ratio(o, best, worst);
		else
			say_ratio(o, worst, best);
	}
	free(ranked);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/* The sizes of g's group that --at picks; how many. */
static size_t sizes_at(const struct run *r, const struct series *g, uint64_t *out)
{
	uint64_t *all = malloc((r->n + 1) * sizeof(*all));
	size_t n = 0, k = 0;
	if (!all)
		abort();
	for (size_t i = 0; i < r->n; i++) {
		const struct series *s = &r->s[i];
		if (!s->keep || !same_group(r, s, g))
			continue;
		size_t j = 0;
		while (j < n && all[j] != s->bytes)
			j++;
		if (j == n)
			all[n++] = s->bytes;
	}
	qsort(all, n, sizeof(*all), cmp_u64);
	switch (r->a->at) {
	case AT_LARGEST:
		out[k++] = all[n - 1];
		break;
	case AT_SMALL:
		out[k] = all[0];
		for (size_t i = 0; i < n; i++)
			if (all[i] == 1u << 20)
				out[k] = all[i];
		k++;
		break;
	case AT_BYTES:
		for (size_t i = 0; i < n; i++)
			if (all[i] == r->a->at_bytes)
				out[k++] = all[i];
		break;
	case AT_EACH:
		/* Spread over the range, ends included. */
		for (size_t i = 0; i < n && i < CAPTION_AT_EACH_MAX; i++) {
			size_t pick = n <= CAPTION_AT_EACH_MAX ? i : i * (n - 1) / (CAPTION_AT_EACH_MAX - 1);
			out[k++] = all[pick];
		}
		break;
	}
	free(all);
	return k;
}

/* "what a", "whats a and b", "whats a, b and c": the distinct values of
 * column col among the kept rows, or their sizes. */
static void say_distinct(struct out *o, const char *what, int col, int sizes)
{
	const struct run *r = o->r;
	const char **seen = malloc((r->n + 1) * sizeof(*seen));
	uint64_t *bytes = malloc((r->n + 1) * sizeof(*bytes));
	size_t n = 0;
	if (!seen || !bytes)
		abort();
	for (size_t i = 0; i < r->n; i++) {
		const struct series *s = &r->s[i];
		if (!s->keep)
			continue;
		size_t j = 0;
		while (j < n && (sizes ? bytes[j] != s->bytes : strcmp(seen[j], caption_field(s, col)) != 0))
			j++;
		if (j == n) {
			seen[n] = caption_field(s, col);
			bytes[n++] = s->bytes;
		}
	}
	if (sizes)
		qsort(bytes, n, sizeof(*bytes), cmp_u64);
	fprintf(o->f, "%s%s ", what, n > 1 ? "s" : "");
	for (size_t i = 0; i < n; i++) {
		char text[32];
		if (sizes)
			format_size_words(bytes[i], text, sizeof(text));
		fprintf(o->f, "%s%s", i == 0 ? "" : i + 1 == n ? " and " : ", ", sizes ? text : seen[i]);
	}
	free(seen);
	free(bytes);
}

/* How many worker processes a series' repetitions came from. */
static size_t distinct_workers(const struct series *s)
{
	size_t k = 0;
	for (size_t i = 0; i < s->nsamples; i++) {
		size_t j = 0;
		while (j < i && s->workers[j] != s->workers[i])
			j++;
		k += j == i;
	}
	return k;
}

static void say_measured(struct out *o)
{
	const struct run *r = o->r;
	const struct caption_args *a = r->a;
	char words[128];
	long nmin = -1, nmax = -1;
	size_t series = 0;
	for (size_t i = 0; i < r->n; i++) {
		if (!r->s[i].keep)
			continue;
		long n = strtol(caption_field(&r->s[i], r->c_n), NULL, 10);
		nmin = nmin < 0 || n < nmin ? n : nmin;
		nmax = n > nmax ? n : nmax;
		series++;
	}
	metric_words(a->metric, a->per_mib, words, sizeof(words));
	fprintf(o->f, "Measured: %s%s (%s is better), the median of ", words,
		unit_of(a->metric) == U_MIBPS ? " in MiB/s" : "", a->higher_better ? "higher" : "lower");
	if (nmin == nmax)
		fprintf(o->f, "n = %ld repetitions", nmin);
	else
		fprintf(o->f, "n = %ld to %ld repetitions", nmin, nmax);
	/* ... in how many worker processes: the unit every verdict here is tested on */
	size_t kmin = SIZE_MAX, kmax = 0;
	for (size_t i = 0; i < r->n; i++)
		if (r->s[i].keep) {
			size_t k = distinct_workers(&r->s[i]);
			kmin = k < kmin ? k : kmin;
			kmax = k > kmax ? k : kmax;
		}
	if (kmax <= 1)
		fprintf(o->f, " in one worker process");
	else if (kmin == kmax)
		fprintf(o->f, " in %zu worker processes", kmax);
	else
		fprintf(o->f, " in %zu to %zu worker processes", kmin, kmax);
	fprintf(o->f, " per series; ");
	say_distinct(o, "cache state", r->c_cache, 0);
	fprintf(o->f, "; ");
	say_distinct(o, "sink", r->c_sink, 0);
	fprintf(o->f, "; ");
	say_distinct(o, "file size", r->c_bytes, 1);
	fprintf(o->f, ".");
}

/* Every byte as given, but control characters (a hand-edited CSV's newline)
 * as blanks: the caption is one paragraph. */
static void print_paragraph(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++)
		putchar((unsigned char)text[i] < 0x20 || text[i] == 0x7f ? ' ' : text[i]);
	putchar('\n');
}

/* --across cache: each hot series at one size against the same series cold
 * (same label, sink and block): both medians, and the ratio of the better
 * over the worse with its interval and verdict. */
static size_t say_hot_against_cold(struct out *o, const struct series *h)
{
	const struct run *r = o->r;
	const struct series *c = NULL;
	for (size_t i = 0; i < r->n && !c; i++) {
		const struct series *s = &r->s[i];
		if (s->keep && s->bytes == h->bytes && strcmp(caption_field(s, r->c_cache), "cold") == 0 &&
		    strcmp(label(o, s), label(o, h)) == 0 &&
		    strcmp(caption_field(s, r->c_sink), caption_field(h, r->c_sink)) == 0 &&
		    strcmp(caption_field(s, r->c_block), caption_field(h, r->c_block)) == 0)
			c = s;
	}
	if (!c)
		return 0;
	char size[32], vh[64], vc[64], verdict[256], ratio[32];
	format_size_words(h->bytes, size, sizeof(size));
	value_text(r->a->metric, h->median, r->a->per_mib, vh, sizeof(vh));
	value_text(r->a->metric, c->median, r->a->per_mib, vc, sizeof(vc));
	fprintf(o->f, " %s, %s sink, %s files: hot %s, cold %s", label(o, h), caption_field(h, r->c_sink), size, vh, vc);
	const struct series *x = h->median >= c->median ? h : c, *y = x == h ? c : h;
	struct worker_test t;
	int ratio_ok;
	enum worker_verdict v = pair_test(x, y, &t, &ratio_ok);
	verdict_text(v, &t, verdict, sizeof(verdict));
	if (!ratio_ok || y->median == 0) {
		fprintf(o->f, ": %s.", verdict);
		return 1;
	}
	if (!t.tested) {
		fmt3(ratio, sizeof(ratio), x->median / y->median);
		fprintf(o->f, "; %s over %s, medians %s×: %s.", x == h ? "hot" : "cold", x == h ? "cold" : "hot", ratio,
			verdict);
		return 1;
	}
	char lo[32], hi[32];
	fmt3(ratio, sizeof(ratio), exp(t.est));
	fmt3(lo, sizeof(lo), exp(t.lo));
	fmt3(hi, sizeof(hi), exp(t.hi));
	fprintf(o->f, "; %s over %s, worker process by worker process, %s× (95%% interval %s× to %s×)", x == h ? "hot" : "cold",
		x == h ? "cold" : "hot", ratio, lo, hi);
	fprintf(o->f, ": %s.", verdict);
	return 1;
}

int caption_say(const struct run *r, char *err, size_t errlen)
{
	const struct caption_args *a = r->a;
	struct out o = { .r = r };
	size_t kept = 0;
	for (size_t i = 0; i < r->n; i++)
		kept += r->s[i].keep;
	for (size_t i = 0; i < a->nlabels; i++) {
		int found = 0;
		for (size_t k = 0; k < r->n && !found; k++)
			found = r->s[k].keep && (strcmp(caption_field(&r->s[k], r->c_label), a->labels[i]) == 0 ||
						 strcmp(caption_field(&r->s[k], r->c_strategy), a->labels[i]) == 0);
		if (!found) {
			snprintf(err, errlen, "%s: no series '%s' among the rows asked for", a->dir, a->labels[i]);
			return 1;
		}
	}
	if (kept == 0) {
		snprintf(err, errlen, "%s: no row with a %s median among the rows asked for", a->dir, a->metric);
		return 1;
	}
	if (a->expect_a) {
		char why[400];
		if (!(o.label_a = caption_label_of(r, a->expect_a, why, sizeof(why))) ||
		    !(o.label_b = caption_label_of(r, a->expect_b, why, sizeof(why)))) {
			snprintf(err, errlen, "%s: --expect: %s", a->dir, why);
			return 1;
		}
	}
	const struct series *first = NULL;
	for (size_t i = 0; i < r->n; i++)
		if (r->s[i].keep) {
			if (!first)
				first = &r->s[i];
			else if (strcmp(caption_field(first, r->c_block), caption_field(&r->s[i], r->c_block)) != 0)
				o.several_blocks = 1;
		}
	char *text = NULL;
	size_t len = 0;
	if (!(o.f = open_memstream(&text, &len)))
		abort();
	say_measured(&o);
	size_t rankings = 0;
	for (size_t i = 0; i < r->n; i++) {
		const struct series *g = &r->s[i];
		size_t j = 0;
		while (j < i && !(r->s[j].keep && same_group(r, &r->s[j], g)))
			j++;
		if (!g->keep || j < i)
			continue; /* not kept, or its group was said */
		uint64_t sizes[CAPTION_AT_EACH_MAX];
		size_t nsizes = sizes_at(r, g, sizes);
		for (size_t z = 0; z < nsizes && !a->across_cache; z++, rankings++)
			say_ranking(&o, g, sizes[z]);
		for (size_t z = 0; z < nsizes && a->across_cache; z++)
			for (size_t k = 0; k < r->n; k++)
				if (r->s[k].keep && r->s[k].bytes == sizes[z] && same_group(r, &r->s[k], g) &&
				    strcmp(caption_field(g, r->c_cache), "hot") == 0)
					rankings += say_hot_against_cold(&o, &r->s[k]);
	}
	fclose(o.f);
	int rc = 0;
	if (rankings == 0 && a->across_cache) {
		snprintf(err, errlen, "%s: --across cache: no series measured both hot and cold at the size asked", a->dir);
		rc = 1;
	} else if (rankings == 0) {
		char size[32];
		format_size_words(a->at_bytes, size, sizeof(size));
		snprintf(err, errlen, "%s: no series measured at %s among the rows asked for", a->dir, size);
		rc = 1;
	} else if (a->expect_a && o.pairs_seen == 0) {
		snprintf(err, errlen, "%s: --expect: %s and %s are never measured together at the size asked", a->dir,
			 o.label_a, o.label_b);
		rc = 1;
	} else {
		print_paragraph(text, len);
	}
	free(text);
	return rc;
}
