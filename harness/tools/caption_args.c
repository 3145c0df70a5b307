/* `iopaths caption`'s command line: everything is checked before a file is
 * read, so bad usage costs one line and status 2. */
#include "caption_run.h"

#include "cli.h"
#include "units.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_caption[] =
	"usage: iopaths caption RUN_DIR [--metric COL] [--per-mib] [--better higher|lower]\n"
	"           [--where KEY=VALUE[,KEY=VALUE...]] [--at small|largest|each|BYTES]\n"
	"           [--labels L1,L2,...] [--expect A>B] [--textbook TEXT] [--show COL,...]\n"
	"           [--evidence COL,...] [--strategies LIST] [--sinks LIST] [--sizes LIST]\n"
	"           [--across cache]\n"
	"\n"
	"One paragraph of plain text about the run in RUN_DIR (its summary.csv and\n"
	"runs.csv): what was measured; the series ranked by their median COL at one\n"
	"size, one ranking per cache state and sink; the key ratio (the --expect pair,\n"
	"else best against worst) as the Hodges-Lehmann estimate with its interval\n"
	"from the repetitions, and a verdict only where the exact Mann-Whitney test\n"
	"can reach alpha = 0.05 (else \"too few samples\"); with --expect, whether the\n"
	"run agrees with the textbook or shows the opposite, and then the --evidence\n"
	"columns' medians for both series.\n"
	"\n"
	"  --metric COL     a runs.csv column that summary.csv has as COL_median (mibps)\n"
	"  --per-mib        COL divided by the file's size in MiB (faults per MiB)\n"
	"  --better DIR     higher or lower is better (default: higher for mibps only)\n"
	"  --where K=V,...  only rows whose summary.csv column K holds V\n"
	"  --at WHICH       the size ranked: largest (default), small (1 MiB if there,\n"
	"                   else the smallest), each (every size, at most 4), or a size\n"
	"  --labels L,...   only these series (a label, or a strategy: all its labels)\n"
	"  --expect A>B     the textbook says A ranks above B (labels, or strategies\n"
	"                   with one label among the rows)\n"
	"  --textbook TEXT  that prediction in words, quoted in the sentence (needs --expect)\n"
	"  --show COL,...   printed beside each series ranked; 0/1 columns as no/yes\n"
	"                   (\"some\" when the repetitions differ)\n"
	"  --evidence COL,...  medians quoted for both --expect series when the run\n"
	"                   contradicts the textbook (needs --expect)\n"
	"  --across cache   instead of a key ratio between series: each series hot\n"
	"                   against itself cold, as a ratio with its interval and verdict\n"
	"  --strategies, --sinks, --sizes LIST  the subset asked for (a strategy name or\n"
	"                   label; sink names; sizes like 1M)\n"
	"\n"
	"Exit status 0 with the paragraph on stdout; 1, with one line on stderr, when\n"
	"the files or the rows it needs are absent; 2 on bad usage.\n";

static char *keep_copy(struct caption_args *a, const char *text)
{
	if (a->ncopies == sizeof(a->copies) / sizeof(a->copies[0]))
		usage_error("caption: too many options");
	char *c = strdup(text);
	if (!c)
		abort();
	a->copies[a->ncopies++] = c; /* freed by caption_args_free */
	return c;
}

/* Splits at commas outside brackets, so mmap-shared-write[msync=sync,fsync] stays one item. */
static size_t split(struct caption_args *a, const char *opt, const char *text, char **items)
{
	char *copy = keep_copy(a, text), *start = copy;
	size_t n = 0;
	int depth = 0;
	for (char *p = copy;; p++) {
		if (*p == '[')
			depth++;
		else if (*p == ']' && depth > 0)
			depth--;
		if (*p != '\0' && (*p != ',' || depth > 0))
			continue;
		int end = *p == '\0';
		*p = '\0';
		if (!*start)
			usage_error("caption: %s: empty item in '%s'", opt, text);
		if (n == CAPTION_LIST_MAX)
			usage_error("caption: %s: more than %d items", opt, CAPTION_LIST_MAX);
		items[n++] = start;
		if (end)
			break;
		start = p + 1;
	}
	return n;
}

static int is_column_name(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return 0;
	return 1;
}

static void check_columns(const char *opt, char *const *items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_column_name(items[i]))
			usage_error("caption: %s: '%s' is not a column name", opt, items[i]);
}

static const char *value_of(int argc, char **argv, int *i)
{
	if (*i + 1 >= argc)
		usage_error("caption: %s needs a value", argv[*i]);
	return argv[++*i];
}

void caption_parse(int argc, char **argv, struct caption_args *a)
{
	memset(a, 0, sizeof(*a));
	a->metric = "mibps";
	a->higher_better = -1; /* from the metric, below */
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i];
		if (strcmp(o, "--help") == 0 || strcmp(o, "-h") == 0) {
			fputs(usage_caption, stdout);
			caption_args_free(a);
			a->dir = NULL;
			return;
		}
		if (o[0] != '-') {
			if (a->dir)
				usage_error("caption: unexpected argument '%s'", o);
			a->dir = o;
		} else if (strcmp(o, "--metric") == 0) {
			a->metric = value_of(argc, argv, &i);
			if (!is_column_name(a->metric))
				usage_error("caption: --metric: '%s' is not a column name", a->metric);
		} else if (strcmp(o, "--per-mib") == 0) {
			a->per_mib = 1;
		} else if (strcmp(o, "--better") == 0) {
			const char *v = value_of(argc, argv, &i);
			if (strcmp(v, "higher") != 0 && strcmp(v, "lower") != 0)
				usage_error("caption: --better takes higher or lower, not '%s'", v);
			a->higher_better = strcmp(v, "higher") == 0;
		} else if (strcmp(o, "--where") == 0) {
			char *items[CAPTION_LIST_MAX] = { 0 };
			size_t n = split(a, o, value_of(argc, argv, &i), items);
			for (size_t k = 0; k < n; k++) {
				char *eq = strchr(items[k], '=');
				if (!eq || eq == items[k] || a->nwhere == CAPTION_LIST_MAX)
					usage_error("caption: --where: '%s' is not KEY=VALUE", items[k]);
				*eq = '\0';
				if (!is_column_name(items[k]))
					usage_error("caption: --where: '%s' is not a column name", items[k]);
				a->where_key[a->nwhere] = items[k];
				a->where_value[a->nwhere++] = eq + 1;
			}
		} else if (strcmp(o, "--at") == 0) {
			const char *v = value_of(argc, argv, &i);
			if (strcmp(v, "largest") == 0)
				a->at = AT_LARGEST;
			else if (strcmp(v, "small") == 0)
				a->at = AT_SMALL;
			else if (strcmp(v, "each") == 0)
				a->at = AT_EACH;
			else if (parse_size(v, &a->at_bytes) == 0)
				a->at = AT_BYTES;
			else
				usage_error("caption: --at takes small, largest, each or a size, not '%s'", v);
		} else if (strcmp(o, "--labels") == 0) {
			a->nlabels = split(a, o, value_of(argc, argv, &i), a->labels);
		} else if (strcmp(o, "--expect") == 0) {
			const char *v = value_of(argc, argv, &i);
			char *copy = keep_copy(a, v), *gt = strchr(copy, '>');
			if (!gt || gt == copy || !gt[1] || strchr(gt + 1, '>'))
				usage_error("caption: --expect takes A>B, not '%s'", v);
			*gt = '\0';
			a->expect_a = copy;
			a->expect_b = gt + 1;
			if (strcmp(a->expect_a, a->expect_b) == 0)
				usage_error("caption: --expect: '%s' against itself", a->expect_a);
		} else if (strcmp(o, "--across") == 0) {
			const char *v = value_of(argc, argv, &i);
			if (strcmp(v, "cache") != 0)
				usage_error("caption: --across takes cache, not '%s'", v);
			a->across_cache = 1;
		} else if (strcmp(o, "--textbook") == 0) {
			a->textbook = value_of(argc, argv, &i);
		} else if (strcmp(o, "--show") == 0) {
			a->nshow = split(a, o, value_of(argc, argv, &i), a->show);
			check_columns(o, a->show, a->nshow);
		} else if (strcmp(o, "--evidence") == 0) {
			a->nevidence = split(a, o, value_of(argc, argv, &i), a->evidence);
			check_columns(o, a->evidence, a->nevidence);
		} else if (strcmp(o, "--strategies") == 0) {
			a->nstrategies = split(a, o, value_of(argc, argv, &i), a->strategies);
		} else if (strcmp(o, "--sinks") == 0) {
			a->nsinks = split(a, o, value_of(argc, argv, &i), a->sinks);
		} else if (strcmp(o, "--sizes") == 0) {
			char *items[CAPTION_LIST_MAX] = { 0 };
			a->nsizes = split(a, o, value_of(argc, argv, &i), items);
			for (size_t k = 0; k < a->nsizes; k++)
				if (parse_size(items[k], &a->sizes[k]) != 0)
					usage_error("caption: --sizes: '%s' is not a size", items[k]);
		} else {
			usage_error("caption: unknown option '%s'", o);
		}
	}
	if (!a->dir)
		usage_error("caption: needs RUN_DIR");
	if (a->across_cache && a->expect_a)
		usage_error("caption: --across cache compares a series with itself: no --expect");
	if ((a->textbook || a->nevidence) && !a->expect_a)
		usage_error("caption: --textbook and --evidence need --expect");
	if (a->per_mib && strcmp(a->metric, "mibps") == 0)
		usage_error("caption: --per-mib: mibps is already per MiB");
	if (a->higher_better < 0)
		a->higher_better = strcmp(a->metric, "mibps") == 0;
}

void caption_args_free(struct caption_args *a)
{
	for (size_t i = 0; i < a->ncopies; i++)
		free(a->copies[i]);
	a->ncopies = 0;
}
