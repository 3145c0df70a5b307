/* iopaths run --workers K: the sweep in K fresh processes, one after another.
 * Each is this binary again (exec of /proc/self/exe: its own address-space
 * layout, which fork alone would not redraw), sweeping every cell in an order
 * drawn from its own seed and telling this process every sample through a
 * pipe (core/worker.h).  This process writes runs.csv (with the worker's
 * number), summary.csv (with the variance components) and meta.csv. */
#include "workers.h"

#include "cli.h"
#include "explain.h"
#include "results.h"
#include "worker.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

struct parent {
	const struct run_config *cfg;
	struct meta *meta;
	struct cell *cells;
	size_t ncells;
	struct csv_out runs;
	struct progress progress;
	int calibrated;        /* the first worker's calibration is in meta */
	unsigned cache_misses;
	double fixed_s, rep_s; /* summed over the recorded workers that ended */
	unsigned costed;
	char err[PATH_MAX + 600];
};

/* One message from worker w; 0, or -1 with p->err set. */
static int take(struct parent *p, unsigned w, const struct wmsg *m, double *rep_ns, struct wmsg_end *end)
{
	const struct run_config *cfg = p->cfg;
	if (m->type == WMSG_CALIBRATION && !p->calibrated) {
		sweep_record_calibration(p->meta, m->u.cal.perf_status, m->u.cal.syscall_baseline,
					 m->u.cal.sender_syscall_baseline, m->u.cal.pass_overhead_ns);
		p->calibrated = 1;
	} else if (m->type == WMSG_SAMPLE) {
		const struct wmsg_sample *s = &m->u.sample;
		if (s->cell >= p->ncells || s->rep >= cfg->warmup + cfg->reps) {
			snprintf(p->err, sizeof(p->err), "worker %u told of a sample that is not in the plan", w);
			return -1;
		}
		struct cell *c = &p->cells[s->cell];
		progress_step(&p->progress, key_strategy(&c->key)->name, cell_bytes(c), s->rep, cfg);
		if (s->warmup || w == 0) /* worker 0: the warm-up worker, discarded */
			return 0;
		struct sample one = s->s;
		one.worker = w;
		*rep_ns += s->elapsed_ns;
		if (runs_record(&p->runs, c, s->rep - cfg->warmup, &one) != 0) {
			snprintf(p->err, sizeof(p->err), "writing runs.csv: %s", strerror(errno));
			return -1;
		}
	} else if (m->type == WMSG_END) {
		*end = m->u.end;
	}
	return 0;
}

/* The command line as cmd_run was given it ("run" and its options), with the
 * worker's part after "run". */
static void exec_worker(unsigned w, uint64_t seed, int fd, int argc, char **argv)
{
	char part[96];
	char **args = calloc((size_t)argc + 4, sizeof(*args));
	if (!args)
		_exit(127);
	snprintf(part, sizeof(part), "%u:%llu:%d", w, (unsigned long long)seed, fd);
	args[0] = (char *)"iopaths";
	args[1] = argv[0];
	args[2] = (char *)WORKER_FLAG;
	args[3] = part;
	for (int i = 1; i < argc; i++)
		args[i + 3] = argv[i];
	execv("/proc/self/exe", args);
	fprintf(stderr, "iopaths: worker %u: exec of /proc/self/exe: %s\n", w, strerror(errno));
	_exit(127);
}

/* Runs worker w to its end: 0, 1 (p->err says why) or 130. */
static int one_worker(struct parent *p, unsigned w)
{
	const struct run_config *cfg = p->cfg;
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) != 0) {
		snprintf(p->err, sizeof(p->err), "worker %u: pipe: %s", w, strerror(errno));
		return 1;
	}
	snprintf(p->progress.prefix, sizeof(p->progress.prefix), "worker %u/%u ", w, cfg->workers);
	double t0 = now_s();
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(p->err, sizeof(p->err), "worker %u: fork: %s", w, strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return 1;
	}
	if (pid == 0) {
		close(fds[0]);
		if (fcntl(fds[1], F_SETFD, 0) != 0)
			_exit(127);
		exec_worker(w, worker_seed(cfg->seed, w), fds[1], cfg->argc, cfg->argv);
	}
	close(fds[1]);

	struct wmsg m;
	struct wmsg_end end = { .rc = -1 };
	double rep_ns = 0;
	int failed = 0, forwarded = 0, r;
	while ((r = worker_receive(fds[0], &m)) != 0) {
		if (r < 0 && errno == EINTR) {
			if (stop_signal && !forwarded++)
				kill(pid, stop_signal); /* a stop signal sent to this process only */
			continue;
		}
		if (r < 0) {
			snprintf(p->err, sizeof(p->err), "worker %u: reading its samples: %s", w, strerror(errno));
			failed = 1;
			kill(pid, SIGTERM);
			break;
		}
		if (!failed && take(p, w, &m, &rep_ns, &end) != 0) {
			failed = 1;
			kill(pid, SIGTERM);
		}
	}
	close(fds[0]);
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			status = 0x7f00;
			break;
		}
	double wall = now_s() - t0;
	p->cache_misses += end.rc >= 0 ? end.cache_misses : 0;
	if (failed)
		return 1;
	if (end.rc < 0) { /* it ended without saying so */
		if (WIFSIGNALED(status))
			snprintf(p->err, sizeof(p->err), "worker %u died of %s before it ended", w,
				 strsignal(WTERMSIG(status)));
		else
			snprintf(p->err, sizeof(p->err), "worker %u exited with status %d before it ended", w,
				 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		return stop_signal && WIFSIGNALED(status) ? 130 : 1;
	}
	if (end.rc == 1)
		snprintf(p->err, sizeof(p->err), "worker %u: %s", w, end.err);
	if (end.rc == 0 && w > 0) {
		p->fixed_s += wall - rep_ns / 1e9;
		p->rep_s += rep_ns / 1e9 / cfg->reps;
		p->costed++;
	}
	return end.rc;
}

/* --turns: one line "SIDE SLOT" read from IN before each worker. */
struct turns {
	int in, out;
	char side[16];
	char slots[512];
};

static int turns_open(struct turns *t, const char *spec, char *err, size_t len)
{
	char in[PATH_MAX], out[PATH_MAX];
	const char *comma = strchr(spec, ',');
	t->in = t->out = -1;
	t->side[0] = t->slots[0] = '\0';
	snprintf(in, sizeof(in), "%.*s", (int)(comma - spec), spec);
	snprintf(out, sizeof(out), "%s", comma + 1);
	if ((t->in = open(in, O_RDONLY | O_CLOEXEC)) < 0 || (t->out = open(out, O_WRONLY | O_CLOEXEC)) < 0) {
		snprintf(err, len, "--turns: %s: %s", t->in < 0 ? in : out, strerror(errno));
		return -1;
	}
	return 0;
}

/* Waits for worker w's turn: 0, 1 (err: the sitting ended or said something
 * else) or 130. */
static int turn_wait(struct turns *t, unsigned w, char *err, size_t len)
{
	char line[64];
	size_t n = 0;
	for (;;) {
		ssize_t r = read(t->in, line + n, 1);
		if (r < 0 && errno == EINTR) {
			if (stop_signal)
				return 130;
			continue;
		}
		if (r <= 0) {
			snprintf(err, len, "--turns: the sitting ended before worker %u's turn", w);
			return 1;
		}
		if (line[n] == '\n' || ++n == sizeof(line) - 1)
			break;
	}
	line[n] = '\0';
	char side[16];
	unsigned slot;
	char extra;
	if (sscanf(line, "%15s %u %c", side, &slot, &extra) != 2 || (t->side[0] && strcmp(side, t->side) != 0)) {
		snprintf(err, len, "--turns: '%s' is not this side's turn (SIDE SLOT)", line);
		return 1;
	}
	snprintf(t->side, sizeof(t->side), "%s", side);
	size_t used = strlen(t->slots);
	snprintf(t->slots + used, sizeof(t->slots) - used, "%s%u", used ? "," : "", slot);
	return 0;
}

static void seeds_text(const struct run_config *cfg, char *out, size_t len)
{
	size_t used = 0;
	out[0] = '\0';
	for (unsigned w = 1; w <= cfg->workers && used < len; w++)
		used += (size_t)snprintf(out + used, len - used, "%s%llu", w > 1 ? " " : "",
					 (unsigned long long)worker_seed(cfg->seed, w));
}

static int meta_path_write(const struct run_config *cfg, struct meta *meta)
{
	char path[PATH_MAX + 32];
	snprintf(path, sizeof(path), "%s/meta.csv", cfg->out);
	if (meta_write(meta, path) != 0) {
		fprintf(stderr, "iopaths: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

int workers_run(const struct run_config *cfg, struct meta *meta)
{
	struct parent p = { .cfg = cfg, .meta = meta };
	struct turns t = { .in = -1, .out = -1 };
	char path[PATH_MAX + 32], seeds[24 * MAX_WORKERS];
	int rc = 0;

	p.cells = sweep_cells(cfg, &p.ncells);
	seeds_text(cfg, seeds, sizeof(seeds));
	meta_set(meta, "worker_seeds", "%s", seeds);
	meta_set(meta, "reps_per_worker", "%u", cfg->reps);
	meta_set(meta, "worker_order", "%s", cfg->turns[0] ? "abba" : "independent");
	if (cfg->plant_ns > 0) /* measured here: the workers' waits are the same code on the same CPUs */
		sweep_record_plant(cfg->plant_ns, meta, "plant_wait_ns");
	meta_set(meta, "status", "running");
	if (meta_path_write(cfg, meta) != 0) {
		rmdir(cfg->out); /* nothing is in it: not left as a results folder */
		cells_free(p.cells, p.ncells);
		return 1;
	}
	snprintf(path, sizeof(path), "%s/runs.csv", cfg->out);
	if (runs_open(&p.runs, path) != 0) {
		fprintf(stderr, "iopaths: %s: %s\n", path, strerror(errno));
		cells_free(p.cells, p.ncells);
		return 1;
	}
	progress_init(&p.progress, cfg, cfg->workers + cfg->warmup_workers);
	if (cfg->turns[0] && turns_open(&t, cfg->turns, p.err, sizeof(p.err)) != 0)
		rc = 1;
	for (unsigned w = cfg->warmup_workers ? 0 : 1; rc == 0 && w <= cfg->workers; w++) {
		if (t.in >= 0 && (rc = turn_wait(&t, w, p.err, sizeof(p.err))) != 0)
			break;
		if (stop_signal) {
			rc = 130;
			break;
		}
		rc = one_worker(&p, w);
		if (t.out >= 0 && dprintf(t.out, "%s %u %d\n", t.side, w, rc) < 0 && rc == 0) {
			snprintf(p.err, sizeof(p.err), "--turns: telling the sitting worker %u ended: %s", w, strerror(errno));
			rc = 1;
		}
	}
	if (p.progress.on)
		fprintf(stderr, "\r\033[K");
	if (t.in >= 0)
		close(t.in);
	if (t.out >= 0)
		close(t.out);
	if (csv_out_close(&p.runs) != 0 && rc == 0) {
		snprintf(p.err, sizeof(p.err), "writing runs.csv failed");
		rc = 1;
	}
	/* Kalibera & Jones's costs: a worker's fixed part (its start, data files,
	 * calibration and warm-up) and one repetition of every cell. */
	double ratio = p.costed && p.rep_s > 0 ? p.fixed_s / p.rep_s : NAN;
	if (p.costed) {
		meta_set(meta, "worker_fixed_s", "%.3f", p.fixed_s / p.costed);
		meta_set(meta, "rep_of_all_cells_s", "%.3f", p.rep_s / p.costed);
	}
	snprintf(path, sizeof(path), "%s/summary.csv", cfg->out);
	if (summary_write(path, p.cells, p.ncells, ratio) != 0) {
		fprintf(stderr, "iopaths: %s: %s\n", path, strerror(errno));
		if (rc == 0)
			rc = 1;
	}
	if (t.side[0])
		meta_set(meta, "worker_order", "abba:%s:%s", t.side, t.slots);
	if (cfg->plant_ns > 0)
		sweep_record_plant(cfg->plant_ns, meta, "plant_wait_ns_end");
	meta_set(meta, "status", "%s", rc == 0 ? "complete" : rc == 130 ? "interrupted" : "failed");
	meta_set(meta, "interrupted", "%d", rc == 130);
	meta_set(meta, "cache_state_misses", "%u", p.cache_misses);
	if (rc == 130)
		meta_set(meta, "interrupted_by", "%s", strsignal(stop_signal ? stop_signal : SIGINT));
	if (rc == 1)
		meta_set(meta, "error", "%s", p.err);
	meta_path_write(cfg, meta);

	if (rc == 1)
		fprintf(stderr, "iopaths: %s\n", p.err);
	else if (rc == 130)
		fprintf(stderr, "iopaths: interrupted by %s; finished rows kept in %s\n",
			strsignal(stop_signal ? stop_signal : SIGINT), cfg->out);
	print_table(stdout, p.cells, p.ncells, cfg->sizes, cfg->nsizes);
	if (cfg->explain)
		print_explain(stdout, p.cells, p.ncells);
	cells_free(p.cells, p.ncells);
	return rc;
}

int worker_child_args(int argc, char **argv, struct run_config *cfg)
{
	if (argc < 3 || strcmp(argv[1], WORKER_FLAG) != 0)
		return 0;
	unsigned w;
	unsigned long long seed;
	int fd, end = 0;
	if (sscanf(argv[2], "%u:%llu:%d%n", &w, &seed, &fd, &end) != 3 || argv[2][end] != '\0' || fd < 0)
		usage_error("%s: '%s' is not WORKER:SEED:FD", WORKER_FLAG, argv[2]);
	cfg->is_worker = 1;
	cfg->worker_seed = seed;
	cfg->worker_fd = fd;
	return 2;
}
