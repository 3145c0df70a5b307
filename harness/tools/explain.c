#include "explain.h"

#include "stats.h"
#include "units.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double predicted_syscalls(const struct cell_key *k)
{
	const struct strategy *s = key_strategy(k);
	struct job j = { .size = k->dim[D_FILE_BYTES], .block = k->dim[D_BLOCK_BYTES] };
	job_take_key(&j, s, k); /* its options, and the fsync the harness adds to the region */
	return s->predict_syscalls(&j) + (j.fsync && key_sink(k) == SINK_FILE);
}

/* The option --pipe-size, --msync or --NAME spells: -1 when no strategy declares one. */
static int option_named(const struct strategy *s, const char *flag)
{
	char name[64];
	snprintf(name, sizeof(name), "%s", flag + 2);
	for (char *p = name; *p; p++)
		*p = *p == '-' ? '_' : *p;
	return option_index(s, name);
}

/* The strategy that declares the option a flag spells: s if it does, else the first that does. */
static const struct strategy *declarer(const struct strategy *s, const char *flag)
{
	for (size_t i = 0; !(s && option_named(s, flag) >= 0) && i < strategy_count; i++)
		s = strategies[i];
	return s && option_named(s, flag) >= 0 ? s : NULL;
}

/* Each option's values and what it does, for explain and list. */
void print_options(FILE *f, const struct strategy *s, const char *indent)
{
	for (size_t o = 0; o < option_count(s); o++) {
		char takes[160], dflt[32];
		option_takes(&s->options[o], takes, sizeof(takes));
		if (s->options[o].values)
			option_text(&s->options[o], s->options[o].dflt, dflt, sizeof(dflt));
		else
			format_size(s->options[o].dflt, dflt, sizeof(dflt));
		fprintf(f, "%s%s: %s (default %s): %s\n", indent, s->options[o].name, takes, dflt, s->options[o].help);
	}
}

int cmd_explain(int argc, char **argv, const char *usage)
{
	uint64_t size = 64 << 20, blocks[2] = { 128 << 10, 1 << 20 };
	int nblocks = 2;
	const struct strategy *s = NULL;
	char **option_args[MAX_OPTIONS * 4]; /* --NAME VALUE, resolved once the strategy is known */
	size_t noption_args = 0;

	for (int i = 1; i < argc; i++) {
		uint64_t *into = NULL;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(usage, stdout);
			return 0;
		} else if (strcmp(argv[i], "--size") == 0) {
			into = &size;
		} else if (strcmp(argv[i], "--block") == 0) {
			into = &blocks[0];
			nblocks = 1;
		} else if (strncmp(argv[i], "--", 2) == 0 && declarer(NULL, argv[i]) &&
			   noption_args < sizeof(option_args) / sizeof(option_args[0])) {
			option_args[noption_args++] = &argv[i];
			if (++i == argc) {
				fprintf(stderr, "iopaths: explain: %s needs a value (see --help)\n", argv[i - 1]);
				return 2;
			}
		} else if (argv[i][0] == '-' || s) {
			fprintf(stderr, "iopaths: explain: unexpected argument '%s' (see --help)\n", argv[i]);
			return 2;
		} else if (!(s = strategy_find(argv[i]))) {
			fprintf(stderr, "iopaths: explain: unknown strategy '%s' (`iopaths list` names them)\n", argv[i]);
			return 2;
		}
		if (into && (i + 1 >= argc || parse_size(argv[++i], into) != 0 || (into != &size && *into == 0))) {
			fprintf(stderr, "iopaths: explain: %s needs a size (see --help)\n", argv[i - (i + 1 >= argc ? 0 : 1)]);
			return 2;
		}
	}
	if (!s) {
		fprintf(stderr, "iopaths: explain: name a strategy (`iopaths list`)\n");
		return 2;
	}
	struct cell_key key;
	key_init(&key, s, (enum sink)(s->sinks & -s->sinks));
	for (size_t a = 0; a < noption_args; a++) { /* checked even where s lacks it, as the run does */
		const struct strategy *d = declarer(s, option_args[a][0]);
		const struct strategy_option *o = &d->options[option_named(d, option_args[a][0])];
		uint64_t v;
		if (option_parse(o, option_args[a][1], &v) != 0) {
			char takes[160];
			option_takes(o, takes, sizeof(takes));
			fprintf(stderr, "iopaths: explain: %s needs %s (see --help)\n", option_args[a][0], takes);
			return 2;
		}
		if (d == s)
			key.opt[option_named(s, option_args[a][0])] = v;
	}

	printf("%s: %s\n\n", s->name, s->summary);
	printf("  op            %s\n", op_names[s->op]);
	printf("  sinks        ");
	for (int k = 0; k < NSINKS; k++)
		if (s->sinks & (1u << k))
			printf(" %s", sink_names[k]);
	printf("\n  data path     %s\n", s->path);
	printf("  CPU copies    %u\n", s->cpu_copies);
	printf("  crossings     %s\n", s->crossings);
	printf("  seed article  %s\n", s->seed);
	print_options(stdout, s, "  option        ");
	putchar('\n');
	char sz[32], bl[32];
	format_size(size, sz, sizeof(sz));
	for (int b = 0; b < nblocks; b++) {
		format_size(blocks[b], bl, sizeof(bl));
		key.dim[D_FILE_BYTES] = size;
		key.dim[D_BLOCK_BYTES] = blocks[b];
		double n = predicted_syscalls(&key);
		printf("  prediction    %s file, %s blocks: %.0f syscalls per pass, %.3g per MiB\n", sz, bl, n,
		       size ? n / ((double)size / (1 << 20)) : 0);
	}
	printf("\n  check it:     iopaths run --strategy %s --sizes %s --explain\n", s->name, sz);
	return 0;
}

void print_explain(FILE *f, const struct cell *cells, size_t ncells)
{
	char sz[32];
	fprintf(f, "\nsyscalls of the sending thread per pass, predicted and measured (median)\n");
	fprintf(f, "%-30s %-7s %-5s %9s %10s %10s %12s %12s\n", "strategy", "sink", "cache", "size",
		"predicted", "measured", "pred/MiB", "meas/MiB");
	for (size_t i = 0; i < ncells; i++) {
		const struct cell *c = &cells[i];
		if (c->n == 0)
			continue;
		double *v = malloc(c->n * sizeof(*v));
		size_t n = 0;
		if (!v)
			abort();
		for (size_t r = 0; r < c->n; r++)
			if (!isnan(c->samples[r].c[C_SENDER_SYSCALLS]))
				v[n++] = c->samples[r].c[C_SENDER_SYSCALLS];
		double measured = n ? stats_median(v, n) : NAN, predicted = predicted_syscalls(&c->key);
		double mib = (double)cell_bytes(c) / (1 << 20);
		free(v);
		format_size(cell_bytes(c), sz, sizeof(sz));
		char name[64];
		key_label(&c->key, name, sizeof(name));
		fprintf(f, "%-30s %-7s %-5s %9s %10.0f %10.1f %12.3g %12.3g\n", name, key_name(&c->key, D_SINK),
			key_name(&c->key, D_CACHE),
			sz, predicted, measured, mib > 0 ? predicted / mib : NAN, mib > 0 ? measured / mib : NAN);
	}
	fprintf(f, "(measured: the raw_syscalls:sys_enter tracepoint on the sending thread; empty without root)\n");
}
