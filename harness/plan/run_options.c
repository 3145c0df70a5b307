#include "run_options.h"

#include "cli.h"
#include "memcg.h"
#include "units.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#define MAX_BLOCK (1ULL << 30)

static const char usage_head[] =
	"usage: iopaths run [OPTIONS]\n"
	"\n"
	"Creates one data file per size in --dir, moves it with every strategy\n"
	"--warmup + --reps times, checks every byte that arrived, and writes\n"
	"runs.csv, summary.csv and meta.csv into --out.\n"
	"\n"
	"options:\n";

static const char usage_tail[] =
	"\n"
	"Lists take each item once, with no empty item (',a', 'a,,b' and 'a,a' are\n"
	"refused; so are two sizes that are equal, like 4K,4096).  Numbers are digits\n"
	"only (--min-sample-ms may have a point): no blank, sign or exponent (' 5',\n"
	"'+5', '-5' and '1e3' are refused).\n"
	"--out and --dir must not be empty.\n"
	"\n"
	"exit status: 0 done, 1 a transfer failed or did not verify, 2 bad input,\n"
	"130 interrupted (finished rows and a summary of them are kept).\n";

/* ---- parsers: one per option, text as given ---- */

static void parse_strategy(struct run_args *a, const char *text)
{
	struct choice *ch = a->ch;
	char *copy, *items[MAX_ITEMS + 1];
	size_t count = split_list("--strategy", text, &copy, items, MAX_ITEMS + 1);
	for (size_t k = 0; k < count; k++) {
		const struct strategy *s = strategy_find(items[k]);
		if (!s)
			usage_error("--strategy: unknown strategy '%s' (`iopaths list` names them)", items[k]);
		for (size_t i = 0; i < ch->nstrategies; i++) /* named by an earlier --strategy */
			if (ch->strategies[i] == s)
				usage_error("--strategy: '%s' named twice", items[k]);
		if (ch->nstrategies == MAX_ITEMS)
			usage_error("--strategy: more than %d strategies", MAX_ITEMS);
		ch->strategies[ch->nstrategies++] = s;
	}
	free(copy);
}

static void parse_sink(struct run_args *a, const char *text)
{
	a->ch->sinks = name_mask("--sink", "a sink: process, unix, tcp, file, null", text, sink_names, NSINKS);
}

static void parse_op(struct run_args *a, const char *text)
{
	a->ch->op = (enum op_choice)name_index("--op", "read, write or both", text, op_choice_names, 3);
}

static void parse_sizes(struct run_args *a, const char *text)
{
	struct run_config *cfg = a->cfg;
	char *copy, *items[MAX_ITEMS + 1];
	size_t n = split_list("--sizes", text, &copy, items, MAX_ITEMS + 1);
	for (size_t i = 0; i < n; i++) {
		if (i == MAX_ITEMS || parse_size(items[i], &cfg->sizes[i]) != 0)
			usage_error("--sizes: '%s' is not a size (digits with an optional B, K, M or G; "
				    "at most %d sizes, each below 8 EiB)", items[i], MAX_ITEMS);
		for (size_t k = 0; k < i; k++)
			if (cfg->sizes[k] == cfg->sizes[i])
				usage_error("--sizes: '%s' and '%s' are the same size", items[k], items[i]);
	}
	cfg->nsizes = n;
	free(copy);
}

static void parse_block(struct run_args *a, const char *text)
{
	uint64_t block;
	if (parse_size(text, &block) != 0 || block == 0 || block > MAX_BLOCK)
		usage_error("--block: '%s' is not a size from 1 B to 1G", text);
	a->cfg->block = (size_t)block;
}

static void parse_reps(struct run_args *a, const char *text)
{
	a->cfg->reps = (unsigned)parse_number("--reps", text, 1, 1000000, 0);
}

static void parse_warmup(struct run_args *a, const char *text)
{
	a->cfg->warmup = (unsigned)parse_number("--warmup", text, 0, 1000000, 0);
}

static void parse_cache(struct run_args *a, const char *text)
{
	static const char *const states[] = { "hot", "cold", "both" };
	int k = name_index("--cache", "hot, cold or both", text, states, 3);
	a->cfg->caches[0] = k == 1 ? CACHE_COLD : CACHE_HOT;
	a->cfg->caches[1] = CACHE_COLD;
	a->cfg->ncaches = k == 2 ? 2 : 1;
}

static void parse_drop_caches(struct run_args *a, const char *text)
{
	(void)text;
	a->cfg->drop_caches = 1;
}

static void parse_consume(struct run_args *a, const char *text)
{
	a->cfg->consume = (enum consume_mode)name_index("--consume", "checksum, touch or none", text, consume_names, 3);
}

static void parse_min_sample_ms(struct run_args *a, const char *text)
{
	/* Digits and at most one point: strtod alone takes blanks, signs, hex, "nan". */
	const char *p = text + strspn(text, "0123456789");
	p += *p == '.';
	p += strspn(p, "0123456789");
	int plain = *p == '\0' && strpbrk(text, "0123456789");
	a->cfg->min_sample_ms = plain ? strtod(text, NULL) : -1;
	if (!(a->cfg->min_sample_ms >= 0 && a->cfg->min_sample_ms <= 60000))
		usage_error("--min-sample-ms: '%s' is not a number of milliseconds from 0 to 60000", text);
}

/* Seconds: digits and at most one point; -1 for anything else. */
static double seconds_of(const char *text)
{
	const char *p = text + strspn(text, "0123456789");
	p += *p == '.';
	p += strspn(p, "0123456789");
	return *p == '\0' && strpbrk(text, "0123456789") ? strtod(text, NULL) : -1;
}

static void parse_mem_limit(struct run_args *a, const char *text)
{
	uint64_t limit;
	if (parse_size(text, &limit) != 0 || limit < MEMCG_MIN_LIMIT)
		usage_error("--mem-limit: '%s' is not a size of at least 4M", text);
	a->cfg->mem_limit = limit;
}

static void parse_duration(struct run_args *a, const char *text)
{
	double s = seconds_of(text);
	if (!(s > 0 && s <= 86400))
		usage_error("--duration: '%s' is not a number of seconds above 0, at most 86400", text);
	a->cfg->duration_s = s;
}

static void parse_interval(struct run_args *a, const char *text)
{
	double s = seconds_of(text);
	if (!(s >= 0.1 && s <= 60))
		usage_error("--interval: '%s' is not a number of seconds from 0.1 to 60", text);
	a->cfg->interval_s = s;
}

static void parse_pin(struct run_args *a, const char *text)
{
	a->pin = strcmp(text, "none") == 0 ? PIN_NONE : (int)parse_number("--pin", text, 0, 1000000, 0);
}

/* A strategy option's values, as --flag LIST gave them. */
static void variant_values(struct run_args *a, const char *flag, const struct strategy *only, const char *name,
			   const char *text)
{
	char *copy, *items[MAX_VARIANT_VALUES + 1], err[256];
	size_t n = split_list(flag, text, &copy, items, MAX_VARIANT_VALUES + 1);
	if (plan_variant(a->ch, flag, only, name, items, n, err, sizeof(err)) != 0)
		usage_error("%s", err);
	free(copy);
}

static void parse_pipe_size(struct run_args *a, const char *text) /* splice's option */
{
	char err[256], *one = (char *)text;
	if (plan_variant(a->ch, "--pipe-size", NULL, "pipe_size", &one, 1, err, sizeof(err)) != 0)
		usage_error("%s", err);
}

static void parse_msync(struct run_args *a, const char *text) /* mmap-shared-write's option */
{
	variant_values(a, "--msync", NULL, "msync", text);
}

static void parse_pattern(struct run_args *a, const char *text) /* the dimension pattern */
{
	variant_values(a, "--pattern", NULL, "pattern", text);
}

static void parse_threads(struct run_args *a, const char *text) /* the dimension threads */
{
	char *copy, *items[MAX_VARIANT_VALUES + 1];
	size_t n = split_list("--threads", text, &copy, items, MAX_VARIANT_VALUES + 1);
	for (size_t i = 0; i < n; i++)
		parse_number("--threads", items[i], 1, MAX_THREADS, 0);
	free(copy);
	variant_values(a, "--threads", NULL, "threads", text);
}

static void parse_io_size(struct run_args *a, const char *text)
{
	uint64_t io;
	if (parse_size(text, &io) != 0 || io == 0 || io > MAX_BLOCK)
		usage_error("--io-size: '%s' is not a size from 1 B to 1G", text);
	a->cfg->io_size = io;
}

static void record_pattern(const struct run_args *a, char *out, size_t len)
{
	plan_variant_text(a->ch, "pattern", out, len);
}

static void record_threads(const struct run_args *a, char *out, size_t len)
{
	plan_variant_text(a->ch, "threads", out, len);
}

static void record_io_size(const struct run_args *a, char *out, size_t len)
{
	snprintf(out, len, "%llu", (unsigned long long)(a->cfg->io_size ? a->cfg->io_size : a->cfg->block));
}

static void parse_qd(struct run_args *a, const char *text) /* io-uring's option */
{
	variant_values(a, "--qd", NULL, "qd", text);
}

/* --variant [STRATEGY.]OPTION=A,B */
static void parse_variant(struct run_args *a, const char *text)
{
	char name[64];
	const char *eq = strchr(text, '='), *dot = memchr(text, '.', eq ? (size_t)(eq - text) : 0);
	const struct strategy *only = NULL;
	if (!eq || eq == text || (size_t)(eq - text) >= sizeof(name))
		usage_error("--variant: '%s' is not [STRATEGY.]OPTION=VALUES", text);
	snprintf(name, sizeof(name), "%.*s", (int)(eq - text), text);
	if (dot) {
		name[dot - text] = '\0';
		if (!(only = strategy_find(name)))
			usage_error("--variant: unknown strategy '%s' (`iopaths list` names them)", name);
		snprintf(name, sizeof(name), "%.*s", (int)(eq - dot - 1), dot + 1);
	}
	variant_values(a, "--variant", only, name, eq + 1);
}

static void parse_fsync(struct run_args *a, const char *text)
{
	a->ch->fsync = !text ? FSYNC_ON
			     : (enum fsync_choice)name_index("--fsync", "on, off or both", text, fsync_choice_names, 3);
}

static void parse_explain(struct run_args *a, const char *text)
{
	(void)text;
	a->ch->explain = 1;
}

static void parse_folder(const char *flag, char *out, size_t len, const char *text)
{
	if (!*text)
		usage_error("%s: an empty name; name a folder", flag);
	if (strlen(text) >= len - 64)
		usage_error("%s: a name longer than %zu bytes", flag, len - 64);
	snprintf(out, len, "%s", text);
}

static void parse_dir(struct run_args *a, const char *text)
{
	parse_folder("--dir", a->cfg->dir, sizeof(a->cfg->dir), text);
}

static void parse_out(struct run_args *a, const char *text)
{
	parse_folder("--out", a->cfg->out, sizeof(a->cfg->out), text);
}

static void parse_keep(struct run_args *a, const char *text)
{
	(void)text;
	a->cfg->keep = 1;
}

static void parse_plant_ns(struct run_args *a, const char *text)
{
	a->cfg->plant_ns = parse_number("--plant-ns", text, 0, 100000000, 0);
}

static void parse_seed(struct run_args *a, const char *text)
{
	a->cfg->seed = parse_number("--seed", text, 0, UINT64_MAX, 1);
}

static void parse_workers(struct run_args *a, const char *text)
{
	a->cfg->workers = (unsigned)parse_number("--workers", text, 1, MAX_WORKERS, 0);
}

static void parse_warmup_workers(struct run_args *a, const char *text)
{
	a->cfg->warmup_workers = (unsigned)parse_number("--warmup-workers", text, 0, 1, 0);
}

static void parse_turns(struct run_args *a, const char *text)
{
	const char *comma = strchr(text, ',');
	if (!comma || comma == text || !comma[1] || strchr(comma + 1, ',') || strlen(text) >= sizeof(a->cfg->turns))
		usage_error("--turns: '%s' is not IN,OUT (two paths, no comma in either)", text);
	snprintf(a->cfg->turns, sizeof(a->cfg->turns), "%s", text);
}

/* ---- what meta.csv records of them ---- */

static void record_cache(const struct run_args *a, char *out, size_t len)
{
	snprintf(out, len, "%s", a->cfg->ncaches == 2 ? "both" : cache_names[a->cfg->caches[0]]);
}

static void record_consume(const struct run_args *a, char *out, size_t len)
{
	snprintf(out, len, "%s", consume_names[a->cfg->consume]);
}

static void record_min_sample_ms(const struct run_args *a, char *out, size_t len)
{
	snprintf(out, len, "%g", a->cfg->min_sample_ms);
}

static void record_op(const struct run_args *a, char *out, size_t len)
{
	snprintf(out, len, "%s", op_choice_names[a->ch->op == OPS_UNNAMED ? OPS_READ : a->ch->op]);
}

static void record_pipe_size(const struct run_args *a, char *out, size_t len)
{
	plan_variant_text(a->ch, "pipe_size", out, len);
}

static void record_msync(const struct run_args *a, char *out, size_t len)
{
	plan_variant_text(a->ch, "msync", out, len);
}

static void record_qd(const struct run_args *a, char *out, size_t len)
{
	plan_variant_text(a->ch, "qd", out, len);
}

static void record_fsync(const struct run_args *a, char *out, size_t len)
{
	snprintf(out, len, "%s", fsync_choice_names[a->ch->fsync]);
}

static void record_block(const struct run_args *a, char *out, size_t len)
{
	snprintf(out, len, "%zu", a->cfg->block);
}

static void record_reps(const struct run_args *a, char *out, size_t len)
{
	snprintf(out, len, "%u", a->cfg->reps);
}

static void record_warmup(const struct run_args *a, char *out, size_t len)
{
	snprintf(out, len, "%u", a->cfg->warmup);
}

static void record_mem_limit(const struct run_args *a, char *out, size_t len)
{
	snprintf(out, len, "%llu", (unsigned long long)a->cfg->mem_limit);
}

static void record_duration(const struct run_args *a, char *out, size_t len)
{
	snprintf(out, len, "%g", a->cfg->duration_s);
}

static void record_interval(const struct run_args *a, char *out, size_t len)
{
	snprintf(out, len, "%g", a->cfg->interval_s);
}

static void record_workers(const struct run_args *a, char *out, size_t len)
{
	snprintf(out, len, "%u", a->cfg->workers);
}

static void record_warmup_workers(const struct run_args *a, char *out, size_t len)
{
	snprintf(out, len, "%u", a->cfg->warmup_workers);
}

static void record_plant_ns(const struct run_args *a, char *out, size_t len)
{
	snprintf(out, len, "%llu", (unsigned long long)a->cfg->plant_ns);
}

static void record_seed(const struct run_args *a, char *out, size_t len)
{
	snprintf(out, len, "%llu", (unsigned long long)a->cfg->seed);
}

/* ---- the table ---- */

#define NO no_argument
#define ARG required_argument
#define OPT optional_argument

const struct run_option run_options[] = {
	{ "strategy", ARG, "A,B", "strategies to run (see `iopaths list`)",
	  "all strategies of --op but the named-only ones (iopaths list)", 0, NULL,
	  parse_strategy, NULL },
	{ "sink", ARG, "A,B", "sinks: process, unix, tcp, file, null; unsupported pairs are skipped and listed, or "
	  "refused when one strategy and one sink are named", "every sink each strategy supports", 0, NULL,
	  parse_sink, NULL },
	{ "op", ARG, "OP", "read (out of the data file), write (into a file) or both: which strategies run by "
	  "default", "read", 0, "op", parse_op, record_op },
	{ "sizes", ARG, "LIST", "file sizes, B/K/M/G suffixes, 1K = 1024", "4K,16K,64K,256K,1M,4M,16M,64M,256M,1G",
	  1, NULL, parse_sizes, NULL },
	{ "block", ARG, "SIZE", "bytes per call for block-wise paths, 1 B to 1G", "128K", 1, "block_bytes",
	  parse_block, record_block },
	{ "reps", ARG, "N", "recorded repetitions per strategy and size, at least 1", "5", 1, "reps", parse_reps,
	  record_reps },
	{ "warmup", ARG, "N", "unrecorded repetitions before them", "1", 1, "warmup", parse_warmup, record_warmup },
	{ "cache", ARG, "STATE", "page cache before every timed region: hot (file read fully), cold (evicted: fsync "
	  "+ fadvise DONTNEED), or both", "hot", 1, "cache", parse_cache, record_cache },
	{ "drop-caches", NO, NULL, "cold: also sync and echo 3 > /proc/sys/vm/drop_caches (root)", "off", 0, NULL,
	  parse_drop_caches, NULL },
	{ "consume", ARG, "MODE", "what happens to the bytes that arrive: checksum (every byte read and verified), "
	  "touch (one byte per page), none (nothing; refused for paths that never copy, e.g. mmap)", "checksum", 1,
	  "consume_mode", parse_consume, record_consume },
	{ "min-sample-ms", ARG, "MS", "repeat the file within one sample until it lasts MS milliseconds; values "
	  "are then per pass (cold: 1 pass)", "10", 1, "min_sample_ms", parse_min_sample_ms, record_min_sample_ms },
	{ "pin", ARG, "CPU|none", "pin the measuring thread to CPU; socket receivers run on the others",
	  "the last CPU, when there are several", 0, NULL, parse_pin, NULL },
	{ "pipe-size", ARG, "SIZE", "pipe size for splice, F_SETPIPE_SZ: splice's option pipe_size", "1M", 0,
	  "pipe_size", parse_pipe_size, record_pipe_size },
	{ "msync", ARG, "LIST", "mmap-shared-write: sync (MS_SYNC), async (MS_ASYNC), none, or several, each its "
	  "own row: its option msync", "sync", 0, "msync", parse_msync, record_msync },
	{ "qd", ARG, "LIST", "io-uring: reads in flight at once, 1 to 1024, or several, each its own row: its "
	  "option qd", "1", 0, "qd", parse_qd, record_qd },
	{ "variant", ARG, "[STRATEGY.]OPTION=LIST", "values of a strategy's option, each its own row (`iopaths "
	  "list` shows them); --msync L is --variant msync=L, --pipe-size S is --variant pipe_size=S",
	  "each option's default", 0, NULL, parse_variant, NULL },
	{ "pattern", ARG, "LIST", "the order a pass visits the file in: seq (file order) or random (every "
	  "--io-size span once, in an order drawn from --seed for each sample), or both, each its own row: the "
	  "column pattern", "seq", 0, "pattern", parse_pattern, record_pattern },
	{ "io-size", ARG, "SIZE", "the span random visits at a time, 1 B to 1G (seq: the share of a thread is "
	  "whole spans of it): the column io_bytes", "--block", 0, "io_bytes", parse_io_size, record_io_size },
	{ "threads", ARG, "LIST", "threads that share each pass, 1 to 64, each its own row: the column threads; "
	  "above 1 only into the process sink, and not for paths that follow one fd position (read)", "1", 0,
	  "threads", parse_threads, record_threads },
	{ "fsync", OPT, "[=WHEN]", "fsync the file sink inside the timed region, every pass: on (what --fsync alone "
	  "means), off, or both (write strategies without msync run with and without it; others without)", "off",
	  0, "fsync", parse_fsync, record_fsync },
	{ "explain", NO, NULL, "after the run, predicted and measured syscalls side by side", "off", 0, NULL,
	  parse_explain, NULL },
	{ "mem-limit", ARG, "SIZE", "run the measured work in a memory cgroup of this limit and no swap, at least "
	  "4M (root; cgroup v1 or v2): made under this process's cgroup, joined after each data file is made, "
	  "removed at the end, on error and on Ctrl-C", "off", 0, "mem_limit_bytes", parse_mem_limit,
	  record_mem_limit },
	{ "duration", ARG, "SEC", "time-series mode: each cell runs its access pattern for SEC seconds instead of "
	  "counted passes, writing timeseries.csv (needs --pattern random, --cache cold, --sink process; --reps and "
	  "--warmup do not apply)", "off", 0, "duration_s", parse_duration, record_duration },
	{ "interval", ARG, "SEC", "with --duration: one timeseries.csv row per SEC seconds, 0.1 to 60, a point "
	  "allowed", "1", 1, "interval_s", parse_interval, record_interval },
	{ "plant-ns", ARG, "N", "a planted slowdown of known size, for `make power`: a busy-wait of N ns, 0 to "
	  "100000000, each time a strategy hands moved bytes to the harness (every read, send, completion or "
	  "block copied), timed; its measured cost is in meta.csv (plant_wait_ns) and the moves per pass in "
	  "runs.csv (moves_per_pass)", "0", 1, "plant_ns", parse_plant_ns, record_plant_ns },
	{ "dir", ARG, "DIR", "where data files go; created if missing", "/var/tmp/iopaths-data", 1, NULL,
	  parse_dir, NULL },
	{ "out", ARG, "DIR", "results folder; must not exist", "results/HOST-KERNEL-DATE", 0, NULL, parse_out,
	  NULL },
	{ "keep", NO, NULL, "keep the data files (else the ones this run made are removed)", "off", 0, NULL,
	  parse_keep, NULL },
	{ "seed", ARG, "N", "seed of the data content, decimal or 0x hex", "1096309", 1, "seed", parse_seed,
	  record_seed },
	{ "workers", ARG, "K", "fresh worker processes, one after another, 1 to 1000: each is this binary again "
	  "(its own address-space layout) and sweeps every cell in its own order of the sizes and, in each "
	  "repetition, of the cells, drawn from a seed of its own (meta worker_seeds, from --seed); runs.csv's "
	  "column worker says whose a row is. 1: the sweep in this process, in a rotating order", "1", 1, "workers",
	  parse_workers, record_workers },
	{ "warmup-workers", ARG, "N", "0 or 1: a worker run first and discarded (a cold machine's first sweep)",
	  "0", 1, "warmup_workers", parse_warmup_workers, record_warmup_workers },
	{ "turns", ARG, "IN,OUT", "two FIFOs for scripts/abba.sh: before each worker read a line 'SIDE SLOT' from "
	  "IN, after it write 'SIDE WORKER STATUS' to OUT, so that two runs' workers take turns in one sitting "
	  "(meta worker_order abba:SIDE:SLOTS)", "off", 0, NULL, parse_turns, NULL },
};
const size_t run_option_count = sizeof(run_options) / sizeof(run_options[0]);

/* "  --flag ARG" then the help wrapped at 79 columns, indented 19. */
void run_options_help(FILE *f)
{
	fputs(usage_head, f);
	for (size_t i = 0; i < run_option_count; i++) {
		const struct run_option *o = &run_options[i];
		char text[1024];
		int col = fprintf(f, "  --%s%s%s", o->flag, o->arg && o->has_arg != OPT ? " " : "", o->arg ? o->arg : "");
		if (o->dflt)
			snprintf(text, sizeof(text), "%s (default: %s)", o->help, o->dflt);
		else
			snprintf(text, sizeof(text), "%s", o->help);
		col += fprintf(f, "%*s", col < 18 ? 19 - col : 2, "");
		int first = 1;
		for (char *w = strtok(text, " "); w; w = strtok(NULL, " "), first = 0) {
			if (!first && col + 1 + (int)strlen(w) > 79)
				col = fprintf(f, "\n%19s", "") - 1;
			else if (!first)
				col += fprintf(f, " ");
			col += fprintf(f, "%s", w);
		}
		fputc('\n', f);
	}
	fputs("  --help           this text\n", f);
	fputs(usage_tail, f);
}

void run_options_parse(struct run_args *a, int argc, char **argv)
{
	struct option longs[sizeof(run_options) / sizeof(run_options[0]) + 2];
	for (size_t i = 0; i < run_option_count; i++) {
		longs[i] = (struct option){ run_options[i].flag, run_options[i].has_arg, NULL, (int)i + 1 };
		if (run_options[i].dflt_parsed)
			run_options[i].parse(a, run_options[i].dflt);
	}
	longs[run_option_count] = (struct option){ "help", no_argument, NULL, 'h' };
	longs[run_option_count + 1] = (struct option){ 0 };

	opterr = 0;
	optind = 1;
	for (int opt; (opt = getopt_long(argc, argv, ":h", longs, NULL)) != -1;) {
		if (opt == 'h') {
			run_options_help(stdout);
			exit(0);
		}
		if (opt == ':')
			usage_error("run: %s needs a value", argv[optind - 1]);
		if (opt < 1 || (size_t)opt > run_option_count)
			usage_error("run: unknown option '%s'", argv[optind - 1]);
		run_options[opt - 1].parse(a, optarg);
	}
	if (optind < argc)
		usage_error("run: unexpected argument '%s'", argv[optind]);

	char err[1024];
	if (plan_pairs(a->cfg, a->ch, err, sizeof(err)) != 0)
		usage_error("%s", err);
	uint64_t io = a->cfg->io_size ? a->cfg->io_size : a->cfg->block;
	for (size_t i = 0; i < a->cfg->npairs; i++) {
		a->cfg->pairs[i].dim[D_IO_BYTES] = io;
		/* A random order is 8 bytes a span, made before each sample: at most
		 * RANDOM_ORDER_MAX_SPANS of them (1 GiB), or a tiny --io-size on a
		 * large file would fill memory. */
		for (size_t z = 0; z < a->cfg->nsizes && a->cfg->pairs[i].dim[D_PATTERN] == PATTERN_RANDOM; z++)
			if ((a->cfg->sizes[z] + io - 1) / io > RANDOM_ORDER_MAX_SPANS)
				usage_error("--pattern random: a %llu-byte file in --io-size %llu spans is more than %llu "
					    "spans to shuffle; raise --io-size", (unsigned long long)a->cfg->sizes[z],
					    (unsigned long long)io, (unsigned long long)RANDOM_ORDER_MAX_SPANS);
	}
	/* --duration: endless random spans from a cold cache into this process,
	 * one timed region per cell (driver_duration.c). */
	if (a->cfg->duration_s > 0) {
		for (size_t i = 0; i < a->cfg->npairs; i++) {
			if (a->cfg->pairs[i].dim[D_PATTERN] != PATTERN_RANDOM)
				usage_error("--duration needs --pattern random (endless random spans)");
			if (key_sink(&a->cfg->pairs[i]) != SINK_PROCESS)
				usage_error("--duration needs --sink process");
		}
		if (a->cfg->ncaches != 1 || a->cfg->caches[0] != CACHE_COLD)
			usage_error("--duration needs --cache cold (each cell starts from an evicted file)");
		if (a->cfg->interval_s > a->cfg->duration_s)
			usage_error("--interval %g is longer than --duration %g", a->cfg->interval_s, a->cfg->duration_s);
		a->cfg->reps = 1; /* one timed region a cell: no repetitions, no warm-up */
		a->cfg->warmup = 0;
	}
	if ((a->cfg->workers > 1 || a->cfg->warmup_workers || a->cfg->turns[0]) &&
	    (a->cfg->duration_s > 0 || a->cfg->mem_limit))
		usage_error("--workers, --warmup-workers and --turns do not go with --duration or --mem-limit (yet)");
	if (a->cfg->drop_caches && !cache_can_drop())
		usage_error("--drop-caches: /proc/sys/vm/drop_caches is not writable (it needs root)");
	if (a->cfg->drop_caches && a->cfg->caches[a->cfg->ncaches - 1] != CACHE_COLD)
		usage_error("--drop-caches goes with --cache cold or both");
}

void run_options_record(struct meta *m, const struct run_args *a)
{
	char value[MAX_VARIANT_VALUES * 32];
	for (size_t i = 0; i < run_option_count; i++)
		if (run_options[i].meta_key) {
			run_options[i].record(a, value, sizeof(value));
			meta_set(m, run_options[i].meta_key, "%s", value);
		}
}
