#include "explain.h"

#include "stats.h"
#include "units.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static double predict(const struct strategy *s, uint64_t size, size_t block, size_t pipe_size,
		      enum msync_mode msync, int fsync_file)
{
	struct job j = { .size = size, .block = block, .pipe_size = pipe_size, .msync = msync };
	return s->predict_syscalls(&j) + fsync_file;
}

double predicted_syscalls(const struct cell *c, size_t pipe_size)
{
	enum msync_mode msync = MSYNC_SYNC;
	for (int m = 0; m < 3; m++)
		if (strcmp(c->msync, msync_names[m]) == 0)
			msync = (enum msync_mode)m;
	return predict(c->strategy, c->file_bytes, c->block_bytes, pipe_size, msync,
		       c->fsync && strcmp(c->sink, "file") == 0);
}

int cmd_explain(int argc, char **argv, const char *usage)
{
	uint64_t size = 64 << 20, pipe_size = 1 << 20, blocks[2] = { 128 << 10, 1 << 20 };
	int nblocks = 2;
	const struct strategy *s = NULL;

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
		} else if (strcmp(argv[i], "--pipe-size") == 0) {
			into = &pipe_size;
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

	printf("%s: %s\n\n", s->name, s->summary);
	printf("  op            %s\n", op_names[s->op]);
	printf("  sinks        ");
	for (int k = 0; k < NSINKS; k++)
		if (s->sinks & (1u << k))
			printf(" %s", sink_names[k]);
	printf("\n  data path     %s\n", s->path);
	printf("  CPU copies    %u\n", s->cpu_copies);
	printf("  crossings     %s\n", s->crossings);
	printf("  seed article  %s\n\n", s->seed);
	char sz[32], bl[32];
	format_size(size, sz, sizeof(sz));
	for (int b = 0; b < nblocks; b++) {
		format_size(blocks[b], bl, sizeof(bl));
		double n = predict(s, size, (size_t)blocks[b], (size_t)pipe_size, MSYNC_SYNC, 0);
		printf("  prediction    %s file, %s blocks: %.0f syscalls per pass, %.3g per MiB\n", sz, bl, n,
		       size ? n / ((double)size / (1 << 20)) : 0);
	}
	printf("\n  check it:     iopaths run --strategy %s --sizes %s --explain\n", s->name, sz);
	return 0;
}

void print_explain(FILE *f, const struct cell *cells, size_t ncells, size_t pipe_size)
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
		double measured = n ? stats_median(v, n) : NAN, predicted = predicted_syscalls(c, pipe_size);
		double mib = (double)c->file_bytes / (1 << 20);
		free(v);
		format_size(c->file_bytes, sz, sizeof(sz));
		char name[64];
		cell_label(c, name, sizeof(name));
		fprintf(f, "%-30s %-7s %-5s %9s %10.0f %10.1f %12.3g %12.3g\n", name, c->sink, c->cache,
			sz, predicted, measured, mib > 0 ? predicted / mib : NAN, mib > 0 ? measured / mib : NAN);
	}
	fprintf(f, "(measured: the raw_syscalls:sys_enter tracepoint on the sending thread; empty without root)\n");
}
