/* iopaths run: from the command line to a sweep.  The options are read
 * (run_options.c) and the pairs planned (plan.c) before anything is created;
 * then the folders are checked and made, the machine recorded, and the sweep
 * run (sweep.c). */
#include "run.h"
#include "crew.h"

#include "cli.h"
#include "datafile.h"
#include "memcg.h"
#include "outfile.h"
#include "run_options.h"
#include "sink.h"
#include "speed.h"
#include "units.h"
#include "workers.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>


/* The CPU to pin to: the one asked for, or by default the last allowed CPU
 * when there are several (CPU 0 takes most interrupts).  PIN_NONE: no pinning. */
static int choose_pin(int asked, char *why, size_t len)
{
	cpu_set_t allowed;
	if (sched_getaffinity(0, sizeof(allowed), &allowed) != 0)
		CPU_ZERO(&allowed);
	if (asked == PIN_NONE) {
		snprintf(why, len, "none (--pin none)");
		return PIN_NONE;
	}
	if (asked >= 0) {
		if (asked >= CPU_SETSIZE || !CPU_ISSET(asked, &allowed))
			usage_error("--pin: CPU %d is not one this process may run on", asked);
		snprintf(why, len, "cpu %d (--pin)", asked);
		return asked;
	}
	if (CPU_COUNT(&allowed) < 2) {
		snprintf(why, len, "none (one CPU)");
		return PIN_NONE;
	}
	for (int c = CPU_SETSIZE - 1; c >= 0; c--)
		if (CPU_ISSET(c, &allowed)) {
			snprintf(why, len, "cpu %d (default: last allowed CPU)", c);
			return c;
		}
	return PIN_NONE;
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

/* A strategy that cannot run on --dir, with these options or this cache
 * state (O_DIRECT on tmpfs, a --block direct reads cannot take, map=once
 * with a cold cache) refuses the run here, before any file is made.  0, or
 * -1 with one line in why. */
static int strategies_refuse(const struct run_config *cfg, char *why, size_t len)
{
	for (size_t i = 0; i < cfg->npairs; i++) {
		const struct strategy *s = key_strategy(&cfg->pairs[i]);
		struct job j = { .fd = -1, .out = -1, .block = cfg->block };
		job_take_key(&j, s, &cfg->pairs[i]);
		for (size_t c = 0; s->refuse && c < cfg->ncaches; c++)
			if (s->refuse(&j, cfg->dir, cfg->caches[c] == CACHE_COLD, why, len) != 0)
				return -1;
	}
	return 0;
}

/* Checks --out and --dir and creates them; on any failure removes what it
 * created and exits 2.  A --dir it creates is kept, empty, for the next run. */
static void prepare_folders(struct run_config *cfg)
{
	struct stat st;
	int made_dir = 0;

	if (cfg->out[0] == '\0')
		out_default_folder(cfg->out, sizeof(cfg->out), NULL);
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
	char refused[PATH_MAX + 256];
	if (strategies_refuse(cfg, refused, sizeof(refused)) != 0) {
		if (made_dir)
			rmdir(cfg->dir);
		usage_error("%s", refused);
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
		if (key_sink(&cfg->pairs[i]) == SINK_FILE) {
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
	/* A folder that takes mkdir but no file (cgroupfs, a full filesystem):
	 * refused now, and removed, not found out at meta.csv. */
	if (!dir_writable(cfg->out)) {
		int e = errno;
		rmdir(cfg->out); /* made above: not left behind */
		if (made_dir)
			rmdir(cfg->dir);
		usage_error("--out %s: no file can be created in it: %s", cfg->out, strerror(e));
	}
}

/* meta.csv's thread_cpus: where each --threads count's movers run, and a
 * note when there are more of them than CPUs (they go round the set). */
static void record_thread_cpus(const struct run_config *cfg, struct meta *meta, int ncpus)
{
	char all[1024] = "", one[512];
	uint64_t done[MAX_THREADS + 1] = { 0 };
	for (size_t i = 0; i < cfg->npairs; i++) {
		uint64_t n = cfg->pairs[i].dim[D_THREADS];
		if (n < 2 || n > MAX_THREADS || done[n]++)
			continue;
		int shared = crew_placement((unsigned)n, one, sizeof(one));
		if (shared)
			fprintf(stderr, "iopaths: note: --threads %u on %d CPUs: some threads share one (%s)\n",
				(unsigned)n, ncpus, one);
		size_t used = strlen(all);
		if (used < sizeof(all))
			snprintf(all + used, sizeof(all) - used, "%s%s", used ? "; " : "", one);
		used = strlen(all);
		if (shared && used < sizeof(all))
			snprintf(all + used, sizeof(all) - used, " (more threads than the %d CPUs: some share one)", ncpus);
	}
	meta_set(meta, "thread_cpus", "%s", all[0] ? all : "none (one thread)");
}

int cmd_run(int argc, char **argv, const char *command_line)
{
	static struct run_config cfg;
	static struct choice ch = { .op = OPS_UNNAMED };
	struct run_args args = { .cfg = &cfg, .ch = &ch, .pin = PIN_DEFAULT };
	struct meta meta = { 0 };
	char date[64], pinning[64];
	time_t t = time(NULL);

	int skip = worker_child_args(argc, argv, &cfg); /* a worker: the parent's command line follows */
	if (skip) {
		argv[skip] = argv[0];
		argc -= skip;
		argv += skip;
	}
	cfg.argc = argc;
	cfg.argv = argv;
	run_options_parse(&args, argc, argv);
	int parent = !cfg.is_worker && (cfg.workers > 1 || cfg.warmup_workers || cfg.turns[0]);
	int pin = choose_pin(args.pin, pinning, sizeof(pinning));
	cfg.pin_cpu = pin;
	cfg.explain = ch.explain;
	signal(SIGPIPE, SIG_IGN); /* a dead receiver is an EPIPE error, never a killed harness */
	/* --mem-limit: refused (status 2) before anything is made when no memory
	 * controller is usable or we may not make a cgroup; once made, it is
	 * removed at exit whatever the path (the sweep removes it first). */
	static struct memcg memcg;
	if (cfg.mem_limit) {
		char why[PATH_MAX + 256];
		install_stop_handlers(); /* a Ctrl-C from here on ends the run through the sweep */
		if (memcg_make(&memcg, cfg.mem_limit, why, sizeof(why)) != 0)
			usage_error("%s", why);
		atexit(memcg_leave_global);
		cfg.memcg = &memcg;
	}
	if (!cfg.is_worker)
		prepare_folders(&cfg);
	install_stop_handlers();
	cpu_set_t allowed;
	int have_allowed = sched_getaffinity(0, sizeof(allowed), &allowed) == 0;
	if (have_allowed)
		sink_set_receiver_cpus(&allowed);
	if (pin >= 0 && !parent) { /* the parent waits on its workers, on any CPU */
		cpu_set_t one;
		CPU_ZERO(&one);
		CPU_SET(pin, &one);
		if (sched_setaffinity(0, sizeof(one), &one) != 0) {
			snprintf(pinning, sizeof(pinning), "none (sched_setaffinity: %s)", strerror(errno));
			pin = -1;
		}
	}
	if (have_allowed)
		crew_set_cpus(&allowed, pin); /* --threads: the movers spread from the pinned CPU on */

	if (cfg.is_worker)
		return sweep_run(&cfg, NULL); /* its samples to the parent, nothing said here */

	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S%z", localtime(&t));
	meta_set(&meta, "date", "%s", date);
	meta_set(&meta, "command_line", "%s", command_line);
	meta_collect_machine(&meta, cfg.dir);
	run_options_record(&meta, &args);
	if (cfg.memcg)
		memcg_record(cfg.memcg, &meta);
	meta_set(&meta, "cache_eviction", "%s", cfg.caches[cfg.ncaches - 1] != CACHE_COLD ? "none (hot only)"
		 : cfg.drop_caches ? "fsync + posix_fadvise(DONTNEED) + sync + drop_caches=3"
				   : "fsync + posix_fadvise(DONTNEED)");
	meta_set(&meta, "pinning", "%s", pinning);
	record_thread_cpus(&cfg, &meta, have_allowed ? CPU_COUNT(&allowed) : 0);
	meta_set(&meta, "skipped_pairs", "%s", ch.skipped[0] ? ch.skipped : "none");
	meta_set(&meta, "consumer", "%s", "checksum: 8-lane 64-bit Fletcher sums over every byte, "
		 "keyed by offset so any order and any number of threads verify "
		 "(touch: one byte per page; none: bytes counted only)");
	meta_set(&meta, "consumer_mibps", "%.0f", consumer_speed_mibps(cfg.block));
	meta_set(&meta, "memcpy_mibps", "%.0f", memcpy_speed_mibps(cfg.block));

	if (!parent) { /* one worker, this process: as before the workers */
		meta_set(&meta, "worker_seeds", "%s", "none (one worker, this process, in a rotating order)");
		meta_set(&meta, "reps_per_worker", "%u", cfg.reps);
		meta_set(&meta, "worker_order", "%s", "independent");
	}
	int rc = parent ? workers_run(&cfg, &meta) : sweep_run(&cfg, &meta);
	if (ch.skipped[0])
		fprintf(stderr, "iopaths: skipped pairs that cannot run (a sink the strategy lacks, or a pattern or threads refused: see --help): %s\n", ch.skipped);
	if (rc == 0) /* a failure said why, an interruption where its rows are */
		fprintf(stderr, "iopaths: results in %s\n", cfg.out);
	meta_free(&meta);
	return rc;
}
