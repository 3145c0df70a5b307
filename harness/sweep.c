#include "sweep.h"

#include "datafile.h"
#include "measure.h"
#include "results.h"
#include "units.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
	stop_signal = sig;
}

void install_stop_handlers(void)
{
	/* No SA_RESTART: a blocking call returns EINTR, and the sweep notices. */
	struct sigaction sa = { .sa_handler = on_stop };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

/* Progress on a terminal: work is counted in bytes moved plus a fixed cost per
 * repetition, so the ETA is not fooled by many tiny files before a big one. */
struct progress {
	int on;
	double start, done, total;
	unsigned steps_done, steps_total;
};

#define STEP_COST (256.0 * 1024)

static void progress_step(struct progress *p, const char *strategy, uint64_t size, unsigned rep,
			  const struct run_config *cfg)
{
	char label[32], eta[32];

	p->steps_done++;
	p->done += (double)size + STEP_COST;
	if (!p->on)
		return;
	double elapsed = now_s() - p->start;
	format_size(size, label, sizeof(label));
	format_duration(p->done > 0 ? elapsed / p->done * (p->total - p->done) : 0, eta, sizeof(eta));
	fprintf(stderr, "\r\033[K[%u/%u] %s %s rep %u/%u%s  ETA %s", p->steps_done, p->steps_total,
		strategy, label, rep < cfg->warmup ? rep + 1 : rep - cfg->warmup + 1,
		rep < cfg->warmup ? cfg->warmup : cfg->reps, rep < cfg->warmup ? " (warm-up)" : "", eta);
}

/* Hot cache: read the whole file once, untimed, so every page is resident. */
static int warm_cache(const struct datafile *d, char *err, size_t errlen)
{
	static char buf[1 << 20];
	FILE *f = fopen(d->path, "rb");
	if (!f) {
		snprintf(err, errlen, "%s: %s", d->path, strerror(errno));
		return -1;
	}
	while (fread(buf, 1, sizeof(buf), f) == sizeof(buf))
		;
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		snprintf(err, errlen, "%s: read error while warming the cache", d->path);
		return -1;
	}
	return 0;
}

struct sweep {
	const struct run_config *cfg;
	struct cell *cells; /* [size][strategy] */
	struct csv_out runs;
	struct progress progress;
	char err[PATH_MAX + 512];
};

static struct cell *cell_at(struct sweep *sw, size_t z, size_t k)
{
	return &sw->cells[z * sw->cfg->nstrategies + k];
}

/* All strategies on one file, repetitions interleaved with a rotating order,
 * so drift over time (other load, thermal) spreads over every strategy alike. */
static int sweep_one_size(struct sweep *sw, size_t z, const struct datafile *d)
{
	const struct run_config *cfg = sw->cfg;
	struct job *jobs = calloc(cfg->nstrategies, sizeof(*jobs));
	size_t prepared = 0;
	int rc = 0;

	if (!jobs)
		abort();
	for (; prepared < cfg->nstrategies; prepared++)
		if (job_prepare(&jobs[prepared], cfg->strategies[prepared], d, cfg->block, sw->err,
				sizeof(sw->err)) != 0) {
			rc = 1;
			break;
		}
	for (unsigned rep = 0; rc == 0 && rep < cfg->warmup + cfg->reps; rep++)
		for (size_t i = 0; rc == 0 && i < cfg->nstrategies; i++) {
			size_t k = (i + rep) % cfg->nstrategies;
			struct sample s;
			if (stop_signal) {
				rc = 130;
				break;
			}
			if (measure_once(cfg->strategies[k], &jobs[k], d->checksum, &s, sw->err,
					 sizeof(sw->err)) != 0) {
				rc = stop_signal ? 130 : 1;
				break;
			}
			if (rep >= cfg->warmup &&
			    runs_record(&sw->runs, cell_at(sw, z, k), rep - cfg->warmup, &s) != 0) {
				snprintf(sw->err, sizeof(sw->err), "writing runs.csv: %s", strerror(errno));
				rc = 1;
			}
			progress_step(&sw->progress, cfg->strategies[k]->name, d->size, rep, cfg);
		}
	for (size_t k = 0; k < prepared; k++)
		job_release(&jobs[k], cfg->strategies[k]);
	free(jobs);
	return rc;
}

static int output_path(char *path, size_t len, const char *dir, const char *name)
{
	return snprintf(path, len, "%s/%s", dir, name) < (int)len ? 0 : -1;
}

int sweep_run(const struct run_config *cfg, struct meta *meta)
{
	struct sweep sw = { .cfg = cfg };
	char path[PATH_MAX + 32];
	int rc = 0;

	sw.cells = calloc(cfg->nsizes * cfg->nstrategies, sizeof(*sw.cells));
	if (!sw.cells)
		abort();
	for (size_t z = 0; z < cfg->nsizes; z++)
		for (size_t k = 0; k < cfg->nstrategies; k++)
			*cell_at(&sw, z, k) = (struct cell){ .strategy = cfg->strategies[k], .sink = "process",
				.cache = cfg->cache, .file_bytes = cfg->sizes[z], .block_bytes = cfg->block };

	sw.progress.on = isatty(STDERR_FILENO);
	sw.progress.start = now_s();
	sw.progress.steps_total = (unsigned)(cfg->nsizes * cfg->nstrategies * (cfg->warmup + cfg->reps));
	for (size_t z = 0; z < cfg->nsizes; z++)
		sw.progress.total += ((double)cfg->sizes[z] + STEP_COST) * cfg->nstrategies *
				     (cfg->warmup + cfg->reps);

	output_path(path, sizeof(path), cfg->out, "meta.csv");
	meta_set(meta, "status", "running");
	if (meta_write(meta, path) != 0) {
		fprintf(stderr, "iopaths: %s: %s\n", path, strerror(errno));
		cells_free(sw.cells, cfg->nsizes * cfg->nstrategies);
		return 1;
	}
	output_path(path, sizeof(path), cfg->out, "runs.csv");
	if (runs_open(&sw.runs, path) != 0) {
		fprintf(stderr, "iopaths: %s: %s\n", path, strerror(errno));
		cells_free(sw.cells, cfg->nsizes * cfg->nstrategies);
		return 1;
	}

	for (size_t z = 0; rc == 0 && z < cfg->nsizes; z++) {
		struct datafile d;
		if (datafile_make(&d, cfg->dir, cfg->sizes[z], cfg->seed, &stop_signal, sw.err,
				  sizeof(sw.err)) != 0) {
			rc = stop_signal ? 130 : 1;
			break;
		}
		if (warm_cache(&d, sw.err, sizeof(sw.err)) != 0)
			rc = 1;
		else
			rc = sweep_one_size(&sw, z, &d);
		if (!cfg->keep)
			datafile_remove(&d);
	}
	if (sw.progress.on)
		fprintf(stderr, "\r\033[K");
	if (csv_out_close(&sw.runs) != 0 && rc == 0) {
		snprintf(sw.err, sizeof(sw.err), "writing runs.csv failed");
		rc = 1;
	}

	output_path(path, sizeof(path), cfg->out, "summary.csv");
	if (summary_write(path, sw.cells, cfg->nsizes * cfg->nstrategies) != 0) {
		fprintf(stderr, "iopaths: %s: %s\n", path, strerror(errno));
		if (rc == 0)
			rc = 1;
	}
	meta_set(meta, "status", "%s", rc == 0 ? "complete" : rc == 130 ? "interrupted" : "failed");
	meta_set(meta, "interrupted", "%d", rc == 130);
	if (rc == 130)
		meta_set(meta, "interrupted_by", "%s", strsignal(stop_signal));
	if (rc == 1)
		meta_set(meta, "error", "%s", sw.err);
	output_path(path, sizeof(path), cfg->out, "meta.csv");
	if (meta_write(meta, path) != 0)
		fprintf(stderr, "iopaths: %s: %s\n", path, strerror(errno));

	if (rc == 1)
		fprintf(stderr, "iopaths: %s\n", sw.err);
	else if (rc == 130)
		fprintf(stderr, "iopaths: interrupted by %s; finished rows kept in %s\n",
			strsignal(stop_signal), cfg->out);
	print_table(stdout, sw.cells, cfg->nsizes * cfg->nstrategies, cfg->sizes, cfg->nsizes);
	cells_free(sw.cells, cfg->nsizes * cfg->nstrategies);
	return rc;
}
