/* iopaths: the command line.  Parses and checks everything before it creates
 * anything, so bad input costs one line on stderr, status 2, and no files. */
#include "cache.h"
#include "datafile.h"
#include "meta.h"
#include "outfile.h"
#include "compare.h"
#include "explain.h"
#include "query.h"
#include "report.h"
#include "sink.h"
#include "speed.h"
#include "sweep.h"
#include "units.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#define EXIT_USAGE 2
#define DEFAULT_SIZES "4K,16K,64K,256K,1M,4M,16M,64M,256M,1G"
#define DEFAULT_DIR "/var/tmp/iopaths-data"
#define DEFAULT_SEED 0x10ba75ULL
#define MAX_BLOCK (1ULL << 30)

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
	"  report RUN PLOTS  write RUN/index.html: figures, summary, meta\n"
	"  help    this text\n"
	"\n"
	"`iopaths COMMAND --help` tells more.\n";

static const char usage_list[] =
	"usage: iopaths list\n"
	"\n"
	"Prints every strategy: its name, its op (read: out of the data file; write:\n"
	"into a file), how many times the CPU copies each byte on the way, a summary,\n"
	"and the strategy x sink matrix (x: supported).\n";

static const char usage_explain[] =
	"usage: iopaths explain STRATEGY [--size SIZE] [--block SIZE] [--pipe-size SIZE]\n"
	"\n"
	"Where the strategy's bytes go, how often the CPU copies them, how many\n"
	"user/kernel crossings it makes, what the seed article says of it, and its\n"
	"predicted syscalls per pass and per MiB for SIZE (default 64M) and the\n"
	"block sizes (default 128K, 1M).  `iopaths run --explain` puts the predictions\n"
	"beside what was measured.\n";

static const char usage_run[] =
	"usage: iopaths run [OPTIONS]\n"
	"\n"
	"Creates one data file per size in --dir, moves it with every strategy\n"
	"--warmup + --reps times, checks every byte that arrived, and writes\n"
	"runs.csv, summary.csv and meta.csv into --out.\n"
	"\n"
	"options:\n"
	"  --strategy A,B   strategies to run (default: all of --op; see `iopaths list`)\n"
	"  --sink A,B       sinks: process, unix, tcp, file, null (default: every sink\n"
	"                   each strategy supports); unsupported pairs are skipped and\n"
	"                   listed, or refused when one strategy and one sink are named\n"
	"  --op OP          read (out of the data file), write (into a file) or both;\n"
	"                   picks the default strategies (default: read)\n"
	"  --sizes LIST     file sizes, B/K/M/G suffixes, 1K = 1024\n"
	"                   (default: " DEFAULT_SIZES ")\n"
	"  --block SIZE     bytes per call for block-wise paths, 1 B to 1G (default: 128K)\n"
	"  --reps N         recorded repetitions per strategy and size, >= 1 (default: 5)\n"
	"  --warmup N       unrecorded repetitions before them (default: 1)\n"
	"  --cache STATE    page cache before every timed region: hot (file read fully),\n"
	"                   cold (evicted: fsync + fadvise DONTNEED), or both (default: hot)\n"
	"  --drop-caches    cold: also sync and echo 3 > /proc/sys/vm/drop_caches (root)\n"
	"  --consume MODE   what happens to the bytes that arrive: checksum (every byte\n"
	"                   read and verified), touch (one byte per page), none (nothing;\n"
	"                   refused for paths that never copy, e.g. mmap) (default: checksum)\n"
	"  --min-sample-ms MS  repeat the file within one sample until it lasts MS\n"
	"                   milliseconds; values are then per pass (default: 10; cold: 1 pass)\n"
	"  --pin CPU|none   pin the measuring thread to CPU (default: the last CPU when\n"
	"                   there are several); socket receivers run on the others\n"
	"  --pipe-size SIZE pipe size for splice, F_SETPIPE_SZ (default: 1M)\n"
	"  --msync LIST     mmap-shared-write: sync (MS_SYNC), async (MS_ASYNC), none,\n"
	"                   or several, each its own row (default: sync)\n"
	"  --fsync[=WHEN]   fsync the file sink inside the timed region, every pass:\n"
	"                   on (the default when given), off, or both (write strategies\n"
	"                   without msync run with and without it; others without)\n"
	"  --explain        after the run, predicted and measured syscalls side by side\n"
	"  --dir DIR        where data files go; created if missing\n"
	"                   (default: " DEFAULT_DIR ")\n"
	"  --out DIR        results folder; must not exist\n"
	"                   (default: results/HOST-KERNEL-YYYYmmdd-HHMMSS)\n"
	"  --keep           keep the data files (default: remove the ones this run made)\n"
	"  --seed N         seed of the data content, decimal or 0x hex (default: 1096309)\n"
	"  --help           this text\n"
	"\n"
	"Lists take each item once, with no empty item (',a', 'a,,b' and 'a,a' are\n"
	"refused; so are two sizes that are equal, like 4K,4096).  Numbers are digits\n"
	"only (--min-sample-ms may have a point): no blank, sign or exponent (' 5',\n"
	"'+5', '-5' and '1e3' are refused).\n"
	"--out and --dir must not be empty.\n"
	"\n"
	"exit status: 0 done, 1 a transfer failed or did not verify, 2 bad input,\n"
	"130 interrupted (finished rows and a summary of them are kept).\n";

/* One line, status 2.  Callers clean up what they made before calling. */
static void __attribute__((format(printf, 1, 2), noreturn)) usage_error(const char *fmt, ...)
{
	va_list ap;
	fputs("iopaths: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (see --help)\n", stderr);
	exit(EXIT_USAGE);
}

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
		printf("%-19s %-5s %-10u %s\n", s->name, op_names[s->op], s->cpu_copies, s->summary);
	}
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
	return 0;
}

/* Every list option goes through here: the items of "a,b,c", split in a copy
 * the caller frees.  An empty list, an empty item (",a", "a,,b", "a,") and an
 * item named twice end the program with a usage error. */
static size_t split_list(const char *opt, const char *text, char **copy, char **items, size_t max)
{
	size_t n = 0;
	if (!*text || text[0] == ',' || text[strlen(text) - 1] == ',' || strstr(text, ",,"))
		usage_error("%s: empty item in '%s'", opt, text);
	*copy = strdup(text);
	if (!*copy)
		abort();
	char *save = NULL;
	for (char *item = strtok_r(*copy, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		for (size_t i = 0; i < n; i++)
			if (strcmp(items[i], item) == 0)
				usage_error("%s: '%s' named twice", opt, item);
		if (n == max)
			usage_error("%s: more than %zu items", opt, max);
		items[n++] = item;
	}
	return n;
}

/* "a,b" of the n names: a bit per name given (bit k for names[k]); what is
 * not one of them ends the program with a usage error naming `what`. */
static unsigned name_mask(const char *opt, const char *what, const char *text, const char *const *names, int n)
{
	char *copy, *items[32];
	size_t count = split_list(opt, text, &copy, items, 32);
	unsigned mask = 0;
	for (size_t i = 0; i < count; i++) {
		int k = 0;
		while (k < n && strcmp(names[k], items[i]) != 0)
			k++;
		if (k == n)
			usage_error("%s: '%s' is not a %s", opt, items[i], what);
		mask |= 1u << k;
	}
	free(copy);
	return mask;
}

/* Every whole-number option goes through here: decimal digits only (hex
 * after 0x when hex_ok), from min to max.  strtoul alone takes " 5", "+5" and
 * " -5", the last as 2^64 - 5. */
static uint64_t parse_number(const char *opt, const char *text, uint64_t min, uint64_t max, int hex_ok)
{
	const char *p = text;
	unsigned base = 10;
	uint64_t v = 0;
	if (hex_ok && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	int ok = *p != '\0';
	for (; ok && *p; p++) {
		unsigned d = isdigit((unsigned char)*p) ? (unsigned)(*p - '0')
			   : base == 16 && isxdigit((unsigned char)*p) ? (unsigned)(tolower((unsigned char)*p) - 'a' + 10)
			   : base;
		ok = d < base && !__builtin_mul_overflow(v, base, &v) && !__builtin_add_overflow(v, d, &v);
	}
	if (!ok || v < min || v > max)
		usage_error("%s: '%s' is not a whole number from %llu to %llu", opt, text, (unsigned long long)min,
			    (unsigned long long)max);
	return v;
}

static unsigned parse_count(const char *opt, const char *text, unsigned min)
{
	return (unsigned)parse_number(opt, text, min, 1000000, 0);
}

struct choice { /* what the command line named, before pairs are made */
	const struct strategy *strategies[MAX_ITEMS];
	size_t nstrategies;
	unsigned sinks; /* 0: not named */
	int op;         /* -1: not named; else OP_READ, OP_WRITE, 2 = both */
	int explain;
	unsigned msync; /* bit per enum msync_mode */
	int fsync;      /* 0 off, 1 on, 2 both */
};



static void parse_strategies(struct choice *cfg, const char *text)
{
	char *copy, *items[MAX_ITEMS + 1];
	size_t count = split_list("--strategy", text, &copy, items, MAX_ITEMS + 1);
	for (size_t k = 0; k < count; k++) {
		const char *name = items[k];
		const struct strategy *s = strategy_find(name);
		if (!s)
			usage_error("--strategy: unknown strategy '%s' (`iopaths list` names them)", name);
		for (size_t i = 0; i < cfg->nstrategies; i++) /* named by an earlier --strategy */
			if (cfg->strategies[i] == s)
				usage_error("--strategy: '%s' named twice", name);
		if (cfg->nstrategies == MAX_ITEMS)
			usage_error("--strategy: more than %d strategies", MAX_ITEMS);
		cfg->strategies[cfg->nstrategies++] = s;
	}
	free(copy);
}

/* Every (strategy, sink) pair the command line asks for.  A pair that cannot
 * run is refused when it is the only one named, and otherwise skipped and
 * listed, so that a sweep over several strategies and sinks just works. */
static char skipped[2048];

/* A pair once per --msync mode (if the strategy msyncs) and per --fsync
 * setting (file sink; both only for writes that do not msync). */
static void add_variants(struct run_config *cfg, const struct choice *ch, const struct strategy *s, enum sink sink)
{
	unsigned msyncs = s->uses_msync ? (ch->msync ? ch->msync : 1u << MSYNC_SYNC) : 1u << MSYNC_SYNC;
	int fsync_lo = 0, fsync_hi = 0;
	if (sink == SINK_FILE) {
		fsync_lo = ch->fsync == 1;
		fsync_hi = ch->fsync == 2 && s->op == OP_WRITE && !s->uses_msync ? 1 : ch->fsync == 1;
	}
	for (int m = 0; m < 3; m++)
		for (int f = fsync_lo; (msyncs & (1u << m)) && f <= fsync_hi; f++) {
			if (cfg->npairs == sizeof(cfg->pairs) / sizeof(cfg->pairs[0]))
				usage_error("more than %zu strategy, sink and variant combinations",
					    sizeof(cfg->pairs) / sizeof(cfg->pairs[0]));
			cfg->pairs[cfg->npairs++] = (struct pair){ s, sink, (enum msync_mode)m, f };
		}
}

static void make_pairs(struct run_config *cfg, struct choice *ch)
{
	if (ch->nstrategies == 0) {
		int op = ch->op < 0 ? OP_READ : ch->op;
		for (size_t i = 0; i < strategy_count && i < MAX_ITEMS; i++)
			if (op == 2 || (int)strategies[i]->op == op)
				ch->strategies[ch->nstrategies++] = strategies[i];
	} else if (ch->op == OP_READ || ch->op == OP_WRITE) {
		for (size_t i = 0; i < ch->nstrategies; i++)
			if ((int)ch->strategies[i]->op != ch->op)
				usage_error("--op %s: %s is a %s strategy", op_names[ch->op], ch->strategies[i]->name,
					    op_names[ch->strategies[i]->op]);
	}
	for (size_t i = 0; i < ch->nstrategies; i++) {
		const struct strategy *s = ch->strategies[i];
		unsigned want = ch->sinks ? ch->sinks : s->sinks;
		for (int k = 0; k < NSINKS; k++) {
			if (!(want & (1u << k)))
				continue;
			if (s->sinks & (1u << k)) {
				add_variants(cfg, ch, s, (enum sink)(1u << k));
				continue;
			}
			if (ch->nstrategies == 1 && __builtin_popcount(ch->sinks) == 1)
				usage_error("%s cannot deliver to the %s sink (`iopaths list` shows which can)",
					    s->name, sink_names[k]);
			size_t len = strlen(skipped);
			snprintf(skipped + len, sizeof(skipped) - len, "%s%s>%s", len ? ", " : "", s->name,
				 sink_names[k]);
		}
	}
	if (cfg->npairs == 0)
		usage_error("no strategy named can deliver to a sink named (`iopaths list` shows which can)");
}

static void parse_sizes(struct run_config *cfg, const char *text)
{
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

static void default_out(char *out, size_t len)
{
	struct utsname u;
	char host[256] = "host", stamp[32];
	time_t t = time(NULL);
	struct tm tm;

	gethostname(host, sizeof(host));
	host[sizeof(host) - 1] = '\0';
	if (uname(&u) != 0)
		snprintf(u.release, sizeof(u.release), "unknown");
	localtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	snprintf(out, len, "results/%s-%s-%s", host, u.release, stamp);
	/* Two runs in one second must not share a folder. */
	struct stat st;
	for (int i = 2; lstat(out, &st) == 0; i++)
		snprintf(out, len, "results/%s-%s-%s-%d", host, u.release, stamp, i);
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

static void parse_run(struct run_config *cfg, struct choice *ch, int *pin, int argc, char **argv)
{
	enum { O_STRATEGY = 1, O_SIZES, O_BLOCK, O_REPS, O_WARMUP, O_CACHE, O_DIR, O_OUT, O_KEEP, O_SEED, O_HELP,
	       O_DROP, O_CONSUME, O_MIN_SAMPLE, O_PIN, O_SINK, O_OP, O_PIPE, O_MSYNC, O_FSYNC, O_EXPLAIN };
	static const struct option options[] = {
		{ "strategy", required_argument, NULL, O_STRATEGY },
		{ "sizes", required_argument, NULL, O_SIZES },
		{ "block", required_argument, NULL, O_BLOCK },
		{ "reps", required_argument, NULL, O_REPS },
		{ "warmup", required_argument, NULL, O_WARMUP },
		{ "cache", required_argument, NULL, O_CACHE },
		{ "dir", required_argument, NULL, O_DIR },
		{ "out", required_argument, NULL, O_OUT },
		{ "keep", no_argument, NULL, O_KEEP },
		{ "seed", required_argument, NULL, O_SEED },
		{ "help", no_argument, NULL, O_HELP },
		{ "drop-caches", no_argument, NULL, O_DROP },
		{ "consume", required_argument, NULL, O_CONSUME },
		{ "min-sample-ms", required_argument, NULL, O_MIN_SAMPLE },
		{ "pin", required_argument, NULL, O_PIN },
		{ "sink", required_argument, NULL, O_SINK },
		{ "op", required_argument, NULL, O_OP },
		{ "pipe-size", required_argument, NULL, O_PIPE },
		{ "msync", required_argument, NULL, O_MSYNC },
		{ "fsync", optional_argument, NULL, O_FSYNC },
		{ "explain", no_argument, NULL, O_EXPLAIN },
		{ 0 },
	};
	uint64_t block = 128 << 10;
	int opt;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (opt) {
		case O_STRATEGY: parse_strategies(ch, optarg); break;
		case O_SINK: ch->sinks = name_mask("--sink", "sink: process, unix, tcp, file, null", optarg,
						   sink_names, NSINKS); break;
		case O_OP:
			if (strcmp(optarg, "read") == 0)
				ch->op = OP_READ;
			else if (strcmp(optarg, "write") == 0)
				ch->op = OP_WRITE;
			else if (strcmp(optarg, "both") == 0)
				ch->op = 2;
			else
				usage_error("--op: '%s' is not read, write or both", optarg);
			break;
		case O_PIPE: {
			uint64_t v;
			if (parse_size(optarg, &v) != 0 || v < 4096 || v > (1ULL << 30))
				usage_error("--pipe-size: '%s' is not a size from 4K to 1G", optarg);
			cfg->pipe_size = (size_t)v;
			break;
		}
		case O_MSYNC: ch->msync = name_mask("--msync", "mode: sync, async, none", optarg, msync_names, 3); break;
		case O_FSYNC:
			if (!optarg || strcmp(optarg, "on") == 0)
				ch->fsync = 1;
			else if (strcmp(optarg, "off") == 0)
				ch->fsync = 0;
			else if (strcmp(optarg, "both") == 0)
				ch->fsync = 2;
			else
				usage_error("--fsync: '%s' is not on, off or both", optarg);
			break;
		case O_EXPLAIN: ch->explain = 1; break;
		case O_SIZES: parse_sizes(cfg, optarg); break;
		case O_BLOCK:
			if (parse_size(optarg, &block) != 0 || block == 0 || block > MAX_BLOCK)
				usage_error("--block: '%s' is not a size from 1 B to 1G", optarg);
			break;
		case O_REPS: cfg->reps = parse_count("--reps", optarg, 1); break;
		case O_WARMUP: cfg->warmup = parse_count("--warmup", optarg, 0); break;
		case O_CACHE:
			if (strcmp(optarg, "hot") == 0 || strcmp(optarg, "cold") == 0) {
				cfg->caches[0] = strcmp(optarg, "hot") == 0 ? CACHE_HOT : CACHE_COLD;
				cfg->ncaches = 1;
			} else if (strcmp(optarg, "both") == 0) {
				cfg->caches[0] = CACHE_HOT;
				cfg->caches[1] = CACHE_COLD;
				cfg->ncaches = 2;
			} else {
				usage_error("--cache: '%s' is not hot, cold or both", optarg);
			}
			break;
		case O_DROP: cfg->drop_caches = 1; break;
		case O_CONSUME: {
			size_t m = 0;
			while (m < 3 && strcmp(optarg, consume_names[m]) != 0)
				m++;
			if (m == 3)
				usage_error("--consume: '%s' is not checksum, touch or none", optarg);
			cfg->consume = (enum consume_mode)m;
			break;
		}
		case O_MIN_SAMPLE: {
			/* Digits and at most one point: strtod alone takes blanks, signs, hex, "nan". */
			const char *p = optarg + strspn(optarg, "0123456789");
			p += *p == '.';
			p += strspn(p, "0123456789");
			int plain = *p == '\0' && strpbrk(optarg, "0123456789");
			cfg->min_sample_ms = plain ? strtod(optarg, NULL) : -1;
			if (!(cfg->min_sample_ms >= 0 && cfg->min_sample_ms <= 60000))
				usage_error("--min-sample-ms: '%s' is not a number of milliseconds from 0 to 60000", optarg);
			break;
		}
		case O_PIN:
			if (strcmp(optarg, "none") == 0)
				*pin = -1;
			else
				*pin = (int)parse_count("--pin", optarg, 0);
			break;
		case O_DIR:
		case O_OUT:
			if (!*optarg)
				usage_error("%s: an empty name; name a folder", opt == O_DIR ? "--dir" : "--out");
			if (strlen(optarg) >= sizeof(cfg->out) - 64)
				usage_error("%s: a name longer than %zu bytes", opt == O_DIR ? "--dir" : "--out",
					    sizeof(cfg->out) - 64);
			snprintf(opt == O_DIR ? cfg->dir : cfg->out, sizeof(cfg->out), "%s", optarg);
			break;
		case O_KEEP: cfg->keep = 1; break;
		case O_SEED: cfg->seed = parse_number("--seed", optarg, 0, UINT64_MAX, 1); break;
		case 'h':
		case O_HELP: fputs(usage_run, stdout); exit(0);
		case ':': usage_error("run: %s needs a value", argv[optind - 1]);
		default: usage_error("run: unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		usage_error("run: unexpected argument '%s'", argv[optind]);
	cfg->block = (size_t)block;
	if (cfg->nsizes == 0)
		parse_sizes(cfg, DEFAULT_SIZES);
	make_pairs(cfg, ch);
	if (cfg->consume == CONSUME_NONE)
		for (size_t i = 0; i < cfg->npairs; i++)
			if (cfg->pairs[i].strategy->cpu_copies == 0)
				usage_error("--consume none: %s never copies the bytes, so nothing would touch them "
					    "and the run would measure nothing; use touch", cfg->pairs[i].strategy->name);
	if (cfg->drop_caches && !cache_can_drop())
		usage_error("--drop-caches: /proc/sys/vm/drop_caches is not writable (it needs root)");
	if (cfg->drop_caches && !(cfg->caches[cfg->ncaches - 1] == CACHE_COLD))
		usage_error("--drop-caches goes with --cache cold or both");
}

/* The CPU to pin to: the one asked for, or by default the last allowed CPU
 * when there are several (CPU 0 takes most interrupts).  -1: no pinning. */
static int choose_pin(int asked, char *why, size_t len)
{
	cpu_set_t allowed;
	if (sched_getaffinity(0, sizeof(allowed), &allowed) != 0)
		CPU_ZERO(&allowed);
	if (asked == -1) {
		snprintf(why, len, "none (--pin none)");
		return -1;
	}
	if (asked >= 0) {
		if (asked >= CPU_SETSIZE || !CPU_ISSET(asked, &allowed))
			usage_error("--pin: CPU %d is not one this process may run on", asked);
		snprintf(why, len, "cpu %d (--pin)", asked);
		return asked;
	}
	if (CPU_COUNT(&allowed) < 2) {
		snprintf(why, len, "none (one CPU)");
		return -1;
	}
	for (int c = CPU_SETSIZE - 1; c >= 0; c--)
		if (CPU_ISSET(c, &allowed)) {
			snprintf(why, len, "cpu %d (default: last allowed CPU)", c);
			return c;
		}
	return -1;
}

/* Really creating a file is the only honest test: root passes access() on a
 * read-only mount or sysfs.  The probe is removed at once. */
static int dir_writable(const char *dir)
{
	char probe[PATH_MAX + 32];
	snprintf(probe, sizeof(probe), "%s/.iopaths-probe-XXXXXX", dir);
	int fd = mkstemp(probe);
	if (fd < 0)
		return 0;
	close(fd);
	unlink(probe);
	return 1;
}

/* Checks --out and --dir and creates them; on any failure removes what it
 * created and exits 2.  A --dir it creates is kept, empty, for the next run. */
static void prepare_folders(struct run_config *cfg)
{
	struct stat st;
	int made_dir = 0;

	if (cfg->out[0] == '\0')
		default_out(cfg->out, sizeof(cfg->out));
	else if (lstat(cfg->out, &st) == 0) {
		usage_error("--out %s already exists; results are never overwritten", cfg->out);
	}

	if (stat(cfg->dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode))
			usage_error("--dir %s is not a directory", cfg->dir);
	} else if (mkdir(cfg->dir, 0755) == 0) {
		made_dir = 1;
	} else if (errno != EEXIST) { /* EEXIST: a run started at the same moment made it */
		usage_error("--dir %s cannot be created: %s", cfg->dir, strerror(errno));
	} else if (stat(cfg->dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		usage_error("--dir %s is not a directory", cfg->dir);
	}
	if (!dir_writable(cfg->dir)) {
		int e = errno;
		if (made_dir)
			rmdir(cfg->dir);
		usage_error("--dir %s cannot be written: %s", cfg->dir, strerror(e));
	}

	/* One file at a time unless --keep, and one file sink's copy of the
	 * largest; leave 64 MiB for everything else. */
	uint64_t needed = 0, largest = 0;
	for (size_t z = 0; z < cfg->nsizes; z++) {
		needed = cfg->keep ? needed + cfg->sizes[z]
				   : (cfg->sizes[z] > needed ? cfg->sizes[z] : needed);
		largest = cfg->sizes[z] > largest ? cfg->sizes[z] : largest;
	}
	for (size_t i = 0; i < cfg->npairs; i++)
		if (cfg->pairs[i].sink == SINK_FILE) {
			needed += largest;
			break;
		}
	int64_t avail = free_bytes(cfg->dir);
	if (avail >= 0 && (uint64_t)avail < needed + (64ULL << 20)) {
		if (made_dir)
			rmdir(cfg->dir);
		char need[32], have[32];
		format_bytes(needed, need, sizeof(need));
		format_bytes((uint64_t)avail, have, sizeof(have));
		usage_error("--dir %s has %s free; the data files need %s (plus 64 MiB)", cfg->dir, have, need);
	}

	if (strncmp(cfg->out, "results/", 8) == 0 && mkdir("results", 0755) != 0 && errno != EEXIST) {
		int e = errno;
		if (made_dir)
			rmdir(cfg->dir);
		usage_error("cannot create results/: %s", strerror(e));
	}
	if (mkdir(cfg->out, 0755) != 0) {
		int e = errno;
		if (made_dir)
			rmdir(cfg->dir);
		usage_error("--out %s cannot be created: %s", cfg->out, strerror(e));
	}
	/* The results are written only into a folder checked after it was made
	 * (not swapped for a link, not another user's, not writable by all). */
	char why[PATH_MAX + 128];
	if (out_dir_check(cfg->out, why, sizeof(why)) != 0) {
		rmdir(cfg->out);
		if (made_dir)
			rmdir(cfg->dir);
		usage_error("--out: %s", why);
	}
}

static int cmd_run(int argc, char **argv, char *command_line)
{
	static struct run_config cfg = { .reps = 5, .warmup = 1, .caches = { CACHE_HOT }, .ncaches = 1,
					 .consume = CONSUME_CHECKSUM, .min_sample_ms = 10, .seed = DEFAULT_SEED,
					 .pipe_size = 1 << 20 };
	static struct choice ch = { .op = -1 };
	struct meta meta = { 0 };
	char date[64], pinning[64];
	time_t t = time(NULL);
	int pin = -2; /* -2: default, -1: none */

	snprintf(cfg.dir, sizeof(cfg.dir), "%s", DEFAULT_DIR);
	parse_run(&cfg, &ch, &pin, argc, argv);
	pin = choose_pin(pin, pinning, sizeof(pinning));
	cfg.pin_cpu = pin;
	cfg.explain = ch.explain;
	signal(SIGPIPE, SIG_IGN); /* a dead receiver is an EPIPE error, never a killed harness */
	prepare_folders(&cfg);
	install_stop_handlers();
	cpu_set_t allowed;
	if (sched_getaffinity(0, sizeof(allowed), &allowed) == 0)
		sink_set_receiver_cpus(&allowed);
	if (pin >= 0) {
		cpu_set_t one;
		CPU_ZERO(&one);
		CPU_SET(pin, &one);
		if (sched_setaffinity(0, sizeof(one), &one) != 0)
			snprintf(pinning, sizeof(pinning), "none (sched_setaffinity: %s)", strerror(errno));
	}

	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S%z", localtime(&t));
	meta_set(&meta, "date", "%s", date);
	meta_set(&meta, "command_line", "%s", command_line);
	meta_collect_machine(&meta, cfg.dir);
	meta_set(&meta, "cache", "%s", cfg.ncaches == 2 ? "both" : cache_names[cfg.caches[0]]);
	meta_set(&meta, "cache_eviction", "%s", cfg.caches[cfg.ncaches - 1] != CACHE_COLD ? "none (hot only)"
		 : cfg.drop_caches ? "fsync + posix_fadvise(DONTNEED) + sync + drop_caches=3"
				   : "fsync + posix_fadvise(DONTNEED)");
	meta_set(&meta, "consume_mode", "%s", consume_names[cfg.consume]);
	meta_set(&meta, "min_sample_ms", "%g", cfg.min_sample_ms);
	meta_set(&meta, "pinning", "%s", pinning);
	meta_set(&meta, "op", "%s", ch.op == 2 ? "both" : op_names[ch.op < 0 ? OP_READ : ch.op]);
	meta_set(&meta, "pipe_size", "%zu", cfg.pipe_size);
	char modes[32] = "";
	for (int m = 2; m >= 0; m--)
		if ((ch.msync ? ch.msync : 1u << MSYNC_SYNC) & (1u << m))
			snprintf(modes + strlen(modes), sizeof(modes) - strlen(modes), "%s%s", modes[0] ? "," : "",
				 msync_names[m]);
	meta_set(&meta, "msync", "%s", modes);
	meta_set(&meta, "fsync", "%s", ch.fsync == 2 ? "both" : ch.fsync ? "on" : "off");
	meta_set(&meta, "skipped_pairs", "%s", skipped[0] ? skipped : "none");
	meta_set(&meta, "block_bytes", "%zu", cfg.block);
	meta_set(&meta, "reps", "%u", cfg.reps);
	meta_set(&meta, "warmup", "%u", cfg.warmup);
	meta_set(&meta, "seed", "%llu", (unsigned long long)cfg.seed);
	meta_set(&meta, "consumer", "%s", "checksum: 8-lane 64-bit Fletcher sums over every byte "
		 "(touch: one byte per page; none: bytes counted only)");
	meta_set(&meta, "consumer_mibps", "%.0f", consumer_speed_mibps(cfg.block));
	meta_set(&meta, "memcpy_mibps", "%.0f", memcpy_speed_mibps(cfg.block));

	int rc = sweep_run(&cfg, &meta);
	if (skipped[0])
		fprintf(stderr, "iopaths: skipped pairs no strategy supports: %s\n", skipped);
	fprintf(stderr, "iopaths: results in %s\n", cfg.out);
	meta_free(&meta);
	return rc;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2)
		usage_error("no command given");
	const char *cmd = argv[1];
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
	if (strcmp(cmd, "report") == 0)
		return cmd_report(argc - 1, argv + 1);
	if (strcmp(cmd, "query") == 0)
		return cmd_query(argc - 1, argv + 1);
	if (strcmp(cmd, "run") == 0) {
		char *command_line = joined_command_line(argc, argv);
		int rc = cmd_run(argc - 1, argv + 1, command_line);
		free(command_line);
		return rc;
	}
	usage_error("unknown command '%s'", cmd);
}
