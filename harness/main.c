/* iopaths: the command line.  Parses and checks everything before it creates
 * anything, so bad input costs one line on stderr, status 2, and no files. */
#include "caption.h"
#include "cli.h"
#include "compare.h"
#include "demo_run.h"
#include "explain.h"
#include "floor.h"
#include "power.h"
#include "pressure_cmd.h"
#include "query.h"
#include "report.h"
#include "run.h"
#include "server.h"
#include "tabulate.h"
#include "term.h"
#include "strategy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_main[] =
	"usage: iopaths COMMAND [OPTIONS]\n"
	"\n"
	"Measures the ways Linux moves a file's bytes, on the same verified bytes.\n"
	"\n"
	"commands:\n"
	"  list    the strategies, the sinks they deliver to, and what they do\n"
	"  explain STRATEGY  where its bytes go, its copies and crossings, a prediction\n"
	"  run     run a sweep of strategies x file sizes, write CSV into a new folder\n"
	"  query   print one column of a results CSV, for scripts\n"
	"  compare OUT RUN_A RUN_B...  runs against a base run: faster, slower, same\n"
	"  pressure RUN  the mmap cliff of a --duration run: RUN/pressure.csv from\n"
	"          RUN/timeseries.csv\n"
	"  report RUN PLOTS  write RUN/index.html: figures, summary, meta\n"
	"  caption RUN [OPTIONS]  a paragraph about a run, from its numbers: ranking,\n"
	"          key ratio with its interval, agreement with the textbook\n"
	"  demo [NAME...|all]  the seed's lessons as experiments: a prediction,\n"
	"          what the kernel did, a verdict; demos.csv\n"
	"  serve --strategy S  a static-file HTTP server whose bodies move by S\n"
	"  tabulate OUT.csv COL,...  key=value lines into a CSV file, for scripts\n"
	"  power OUT_DIR COMPARE.csv  how many planted changes (run --plant-ns) compare\n"
	"          found, per band of expected change: power.csv\n"
	"  floor OUT.csv AA_COMPARE.csv...  the noise floor per cell from make aa's\n"
	"          A/A comparisons, for compare --floor\n"
	"  help    this text\n"
	"\n"
	"`iopaths COMMAND --help` tells more.\n";

static const char usage_list[] =
	"usage: iopaths list\n"
	"\n"
	"Prints every strategy: its name, its op (read: out of the data file; write:\n"
	"into a file), how many times the CPU copies each byte on the way, a summary,\n"
	"the strategy x sink matrix (x: supported), and the options strategies declare.\n";

static const char usage_explain[] =
	"usage: iopaths explain STRATEGY [--size SIZE] [--block SIZE] [--pipe-size SIZE]\n"
	"\n"
	"Where the strategy's bytes go, how often the CPU copies them, how many\n"
	"user/kernel crossings it makes, what the seed article says of it, and its\n"
	"predicted syscalls per pass and per MiB for SIZE (default 64M) and the\n"
	"block sizes (default 128K, 1M).  `iopaths run --explain` puts the predictions\n"
	"beside what was measured.\n";

static int cmd_list(int argc, char **argv)
{
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(usage_list, stdout);
		return 0;
	}
	if (argc > 1)
		usage_error("list: unexpected argument '%s'", argv[1]);
	printf("%-19s %-5s %-10s %s\n", "strategy", "op", "cpu_copies", "summary");
	for (size_t i = 0; i < strategy_count; i++) {
		const struct strategy *s = strategies[i];
		char op[16];
		snprintf(op, sizeof(op), "%s%s", op_names[s->op], s->named_only ? "*" : "");
		printf("%-19s %-5s %-10u %s\n", s->name, op, s->cpu_copies, s->summary);
	}
	printf("* named-only: runs only when --strategy names it, never by default\n");
	printf("\n%-19s", "strategy x sink");
	for (int k = 0; k < NSINKS; k++)
		printf(" %-7s", sink_names[k]);
	putchar('\n');
	for (size_t i = 0; i < strategy_count; i++) {
		printf("%-19s", strategies[i]->name);
		for (int k = 0; k < NSINKS; k++)
			printf(" %-7s", strategies[i]->sinks & (1u << k) ? "x" : ".");
		putchar('\n');
	}
	printf("\nstrategy options (--variant STRATEGY.OPTION=A,B; each value its own row and CSV column)\n");
	for (size_t i = 0; i < strategy_count; i++) {
		char indent[64];
		snprintf(indent, sizeof(indent), "%-19s ", strategies[i]->name);
		print_options(stdout, strategies[i], indent);
	}
	return 0;
}

static char *joined_command_line(int argc, char **argv)
{
	size_t len = 1;
	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	char *s = calloc(1, len);
	if (!s)
		abort();
	for (int i = 0; i < argc; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2)
		usage_error("no command given");
	const char *cmd = argv[1];
	/* The commands that read a results folder, which may be a stranger's:
	 * nothing they print (a label, a host name, a file name in a message)
	 * reaches the terminal as a control byte.  query's stdout is data for
	 * scripts, to be matched again as given: filtered only on a terminal. */
	static const char *const readers[] = { "explain", "compare", "pressure", "report", "caption", "tabulate", "power", "floor", NULL };
	int guard = strcmp(cmd, "query") == 0 ? TERM_STDERR | (isatty(STDOUT_FILENO) ? TERM_STDOUT : 0) : 0;
	for (const char *const *r = readers; *r; r++)
		if (strcmp(cmd, *r) == 0)
			guard = TERM_STDOUT | TERM_STDERR;
	if (guard && term_guard(guard) != 0) {
		perror("iopaths: cannot filter the terminal's output");
		return 1;
	}
	if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
		fputs(usage_main, stdout);
		return 0;
	}
	if (strcmp(cmd, "list") == 0)
		return cmd_list(argc - 1, argv + 1);
	if (strcmp(cmd, "explain") == 0)
		return cmd_explain(argc - 1, argv + 1, usage_explain);
	if (strcmp(cmd, "compare") == 0)
		return cmd_compare(argc - 1, argv + 1);
	if (strcmp(cmd, "pressure") == 0)
		return cmd_pressure(argc - 1, argv + 1);
	if (strcmp(cmd, "report") == 0)
		return cmd_report(argc - 1, argv + 1);
	if (strcmp(cmd, "caption") == 0)
		return cmd_caption(argc - 1, argv + 1);
	if (strcmp(cmd, "demo") == 0)
		return cmd_demo(argc - 1, argv + 1);
	if (strcmp(cmd, "serve") == 0)
		return cmd_serve(argc - 1, argv + 1);
	if (strcmp(cmd, "query") == 0)
		return cmd_query(argc - 1, argv + 1);
	if (strcmp(cmd, "power") == 0)
		return cmd_power(argc - 1, argv + 1);
	if (strcmp(cmd, "floor") == 0)
		return cmd_floor(argc - 1, argv + 1);
	if (strcmp(cmd, "tabulate") == 0)
		return cmd_tabulate(argc - 1, argv + 1);
	if (strcmp(cmd, "run") == 0) {
		char *command_line = joined_command_line(argc, argv);
		int rc = cmd_run(argc - 1, argv + 1, command_line);
		free(command_line);
		return rc;
	}
	usage_error("unknown command '%s'", cmd);
}
