#include "sweep.h"

#include "datafile.h"
#include "diskstats.h"
#include "explain.h"
#include "measure.h"
#include "memcg.h"
#include "plant.h"
#include "results.h"
#include "timeseries.h"
#include "units.h"
#include "worker.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <unistd.h>

volatile sig_atomic_t stop_signal;
static int stop_requested; /* the jobs' stop flag: a pass under way ends at its next span */

static void on_stop(int sig)
{
	stop_signal = sig;
	__atomic_store_n(&stop_requested, 1, __ATOMIC_RELAXED);
}

void install_stop_handlers(void)
{
	/* No SA_RESTART: a blocking call returns EINTR, and the sweep notices. */
	struct sigaction sa = { .sa_handler = on_stop };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);  /* a closed terminal or ssh session */
	sigaction(SIGQUIT, &sa, NULL);
}

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

/* Progress on a terminal: work is counted in bytes moved plus a fixed cost per
 * repetition, so the ETA is not fooled by many tiny files before a big one. */
#define STEP_COST (256.0 * 1024)

void progress_init(struct progress *p, const struct run_config *cfg, unsigned rounds)
{
	memset(p, 0, sizeof(*p));
	p->on = isatty(STDERR_FILENO);
	p->start = now_s();
	for (size_t z = 0; z < cfg->nsizes; z++)
		for (size_t ci = 0; ci < cfg->ncaches; ci++)
			for (size_t k = 0; k < cfg->npairs; k++)
				if (sweep_pair_runs(cfg, k, ci)) {
					p->steps_total += rounds * (cfg->warmup + cfg->reps);
					p->total += rounds * ((double)cfg->sizes[z] + STEP_COST) * (cfg->warmup + cfg->reps);
				}
}

void progress_step(struct progress *p, const char *strategy, uint64_t size, unsigned rep,
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
	fprintf(stderr, "\r\033[K%s[%u/%u] %s %s rep %u/%u%s  ETA %s", p->prefix, p->steps_done, p->steps_total,
		strategy, label, rep < cfg->warmup ? rep + 1 : rep - cfg->warmup + 1,
		rep < cfg->warmup ? cfg->warmup : cfg->reps, rep < cfg->warmup ? " (warm-up)" : "", eta);
}

struct sweep {
	const struct run_config *cfg;
	struct measure_ctx m;
	struct cell *cells; /* [size][cache][strategy] */
	size_t ncells;
	int *cache_warned;  /* [size][cache]: the requested state was missed, and said so */
	unsigned cache_misses;
	struct csv_out runs;
	struct progress progress;
	struct timeseries *ts; /* --duration: timeseries.csv and its readers; NULL otherwise */
	uint64_t order_state;  /* a worker: the random stream its order of sizes and cells comes from */
	unsigned missed_ticks; /* --duration: the sampler's ticks passed over, every cell */
	char err[PATH_MAX + 512];
};

static struct cell *cell_at(struct sweep *sw, size_t z, size_t ci, size_t k)
{
	return &sw->cells[(z * sw->cfg->ncaches + ci) * sw->cfg->npairs + k];
}


/* Bring the file into the requested state just before a sample. */
static int set_cache(struct sweep *sw, struct job *j, enum cache_state cache)
{
	int rc;
	if (cache == CACHE_COLD)
		rc = cache_evict(j->fd, sw->cfg->drop_caches);
	else
		rc = cache_resident_pct(j->fd, j->size) < 100 ? cache_warm(j->fd, j->size, j->buf, j->block) : 0;
	if (rc != 0)
		snprintf(sw->err, sizeof(sw->err), "%s the page cache: %s",
			 cache == CACHE_COLD ? "emptying" : "filling", strerror(errno));
	return rc;
}

/* Say so, once per size and state, when the cache is not what was asked for. */
static void check_cache(struct sweep *sw, size_t z, size_t ci, const struct sample *s, uint64_t size)
{
	enum cache_state cache = sw->cfg->caches[ci];
	int missed = cache == CACHE_HOT ? s->resident_pct < 90 : s->resident_pct > 10;
	char label[32];
	if (!missed || isnan(s->resident_pct))
		return;
	sw->cache_misses++;
	if (sw->cache_warned[z * sw->cfg->ncaches + ci]++)
		return;
	format_size(size, label, sizeof(label));
	fprintf(stderr, "%siopaths: warning: asked for a %s cache at %s, but %.0f%% of the file was resident "
		"before the timed region%s; recorded as resident_pct\n", sw->progress.on ? "\r\033[K" : "",
		cache_names[cache], label, s->resident_pct,
		cache == CACHE_COLD ? " (tmpfs and some filesystems cannot evict)" : "");
}

/* One sample of a cell.  The first one calibrates, as lmbench's benchmp does,
 * but without throwing a sample away: its passes go on until --min-sample-ms
 * has passed, and later samples of the cell repeat that many passes.  A cold
 * cache allows one pass only (the second would be hot), and so does a file
 * sink (each sample writes a new file, checked afterwards). */
static int sample_cell(struct sweep *sw, size_t z, size_t ci, size_t k, struct job *j,
		       const struct expected *want, const struct datafile *d, struct sample *s)
{
	struct cell *cell = cell_at(sw, z, ci, k);
	enum cache_state cache = sw->cfg->caches[ci];
	/* A file sink is emptied before every sample, so its samples are one pass. */
	int one_pass = cache == CACHE_COLD || j->sink == SINK_FILE;
	int calibrating = cell->iters == 0 && !one_pass;

	if (set_cache(sw, j, cache) != 0 ||
	    measure_once(&sw->m, key_strategy(&cell->key), j, want, cell->iters ? cell->iters : 1,
			 calibrating ? sw->cfg->min_sample_ms * 1e6 : 0, s, sw->err, sizeof(sw->err)) != 0)
		return -1;
	cell->iters = s->iters;
	check_cache(sw, z, ci, s, d->size);
	return 0;
}

/* A cold cache is about the data file: write strategies that only write a
 * new file do not read it, so they run hot only. */
int sweep_pair_runs(const struct run_config *cfg, size_t k, size_t ci)
{
	const struct cell_key *p = &cfg->pairs[k];
	return !(cfg->caches[ci] == CACHE_COLD && key_strategy(p)->op == OP_WRITE && key_sink(p) == SINK_FILE);
}

/* What write strategies write at this size: made once, shared by their jobs. */
static unsigned char *write_bytes_for(uint64_t size, uint64_t seed)
{
	if (size == 0)
		return NULL;
	unsigned char *mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (mem == MAP_FAILED)
		return NULL;
	data_fill(seed ^ WRITE_SEED_XOR, 0, mem, size);
	return mem;
}

/* --duration: one cell's time series, from an evicted file; its sample is
 * the cell's whole (driver_duration.c). */
static int duration_cell(struct sweep *sw, size_t z, size_t k, struct job *j, const struct expected *want,
			 const struct datafile *d)
{
	const struct run_config *cfg = sw->cfg;
	struct cell *cell = cell_at(sw, z, 0, k);
	static struct ts_cell tc; /* one cell at a time */
	char text[sizeof(tc.qd)];
	struct sample s;

	memset(&tc, 0, sizeof(tc));
	snprintf(tc.strategy, sizeof(tc.strategy), "%s", key_strategy(&cell->key)->name);
	key_label(&cell->key, tc.label, sizeof(tc.label));
	for (size_t i = 0; i < key_columns(); i++) {
		char *to = strcmp(key_column(i), "madvise") == 0 ? tc.madvise
			   : strcmp(key_column(i), "qd") == 0	 ? tc.qd
			   : strcmp(key_column(i), "direct") == 0 ? tc.direct
								  : NULL;
		if (to && key_text(&cell->key, i, text, sizeof(text)))
			snprintf(to, sizeof(tc.qd), "%s", text);
	}
	tc.threads = j->threads;
	tc.io_bytes = j->io_bytes;
	tc.file_bytes = d->size;
	sw->m.ts = sw->ts;
	sw->m.ts_cell = &tc;
	sw->m.data_seed = cfg->seed;
	sw->m.cell_index = z * cfg->npairs + k;
	if (set_cache(sw, j, CACHE_COLD) != 0)
		return 1;
	double resident = cache_resident_pct(j->fd, j->size);
	int failed = measure_once(&sw->m, key_strategy(&cell->key), j, want, 1, 0, &s, sw->err, sizeof(sw->err));
	sw->missed_ticks += tc.missed;
	if (failed != 0)
		return stop_signal || tc.interrupted ? 130 : 1;
	s.resident_pct = resident;
	cell->iters = 1;
	check_cache(sw, z, 0, &s, d->size);
	s.worker = 1;
	if (runs_record(&sw->runs, cell, 0, &s) != 0) {
		snprintf(sw->err, sizeof(sw->err), "writing runs.csv: %s", strerror(errno));
		return 1;
	}
	return 0;
}

/* The memory cgroup's reading, for the sampler. */
static void memcg_reading(void *arg, struct ts_mem *out)
{
	struct memcg_stat st;
	memcg_read(arg, &st);
	*out = (struct ts_mem){ st.usage, st.file, st.refault_file, st.pgscan, st.pgsteal, st.pgmajfault, st.oom_kill };
}

/* --duration: the driver, timeseries.csv, --dir's device (into meta). */
static int duration_open(struct sweep *sw, struct meta *meta)
{
	const struct run_config *cfg = sw->cfg;
	static struct timeseries ts;
	memset(&ts, 0, sizeof(ts));
	ts.duration_s = cfg->duration_s;
	ts.interval_s = cfg->interval_s;
	ts.stop_signal = &stop_signal;
	ts.stop_other = &stop_requested; /* an OOM (memcg.c) */
	ts.mem_limit = cfg->mem_limit;
	ts.cgroup_version = "";
	if (cfg->memcg) {
		ts.mem_read = memcg_reading;
		ts.mem_arg = cfg->memcg;
		ts.cgroup_version = cfg->memcg->v == MEMCG_V2 ? "v2" : "v1";
	}
	diskdev_find(cfg->dir, &ts.dev);
	diskdev_record(&ts.dev, meta);
	meta_set(meta, "consume_mode", "%s", consume_names[CONSUME_SPANS]);
	meta_set(meta, "span_check", "first and last 8-byte word of every span; every word of 1 span in 64");
	if (measure_ctx_use(&sw->m, "duration") != 0 || timeseries_open(&ts, cfg->out) != 0) {
		fprintf(stderr, "iopaths: %s/timeseries.csv: %s\n", cfg->out, strerror(errno));
		return -1;
	}
	sw->ts = &ts;
	return 0;
}

/* A sample taken: in a worker, to the parent (warm-ups too, for its
 * progress); else a runs.csv row when it is recorded, and the progress. */
static int sample_taken(struct sweep *sw, size_t z, size_t ci, size_t k, unsigned rep, double elapsed_ns,
			struct sample *s, uint64_t size)
{
	const struct run_config *cfg = sw->cfg;
	size_t index = (z * cfg->ncaches + ci) * cfg->npairs + k;
	if (cfg->is_worker) {
		struct wmsg_sample m = { .cell = (uint32_t)index, .rep = rep, .warmup = rep < cfg->warmup,
					 .elapsed_ns = elapsed_ns, .s = *s };
		if (worker_send(cfg->worker_fd, WMSG_SAMPLE, &m, sizeof(m)) != 0) {
			snprintf(sw->err, sizeof(sw->err), "telling the parent a sample: %s", strerror(errno));
			return -1;
		}
		return 0;
	}
	s->worker = 1;
	if (rep >= cfg->warmup && runs_record(&sw->runs, &sw->cells[index], rep - cfg->warmup, s) != 0) {
		snprintf(sw->err, sizeof(sw->err), "writing runs.csv: %s", strerror(errno));
		return -1;
	}
	progress_step(&sw->progress, key_strategy(&cfg->pairs[k])->name, size, rep, cfg);
	return 0;
}

/* All pairs on one file, repetitions interleaved so that drift over time
 * (other load, thermal) spreads over every pair alike: in a rotating order,
 * or in a worker in an order drawn anew for each repetition. */
static int sweep_one_size(struct sweep *sw, size_t z, const struct datafile *d)
{
	const struct run_config *cfg = sw->cfg;
	struct job *jobs = calloc(cfg->npairs, sizeof(*jobs));
	struct expected *want = calloc(cfg->npairs, sizeof(*want));
	struct job_opts o = { .block = cfg->block, .dir = cfg->dir, .io_bytes = cfg->io_size, .order_seed = cfg->seed,
			      .plant_ns = cfg->plant_ns, .sender_cpu = cfg->pin_cpu, .buf = block_buffer(cfg->block) };
	unsigned char *to_write = NULL;
	size_t prepared = 0;
	int rc = 0;

	if (!jobs || !want)
		abort();
	if (!o.buf) {
		snprintf(sw->err, sizeof(sw->err), "mmap of a %zu-byte block buffer: %s", cfg->block, strerror(errno));
		rc = 1;
	}
	for (size_t k = 0; k < cfg->npairs && rc == 0; k++)
		if (key_strategy(&cfg->pairs[k])->op == OP_WRITE && d->size > 0 && !to_write) {
			to_write = write_bytes_for(d->size, cfg->seed);
			if (!to_write) {
				snprintf(sw->err, sizeof(sw->err), "%llu bytes of memory for the write strategies: %s",
					 (unsigned long long)d->size, strerror(errno));
				rc = 1;
			}
		}
	o.write_bytes = to_write;
	if (to_write)
		o.write_checksum = checksum_of(to_write, d->size);
	else
		o.write_checksum = checksum_of(NULL, 0);
	for (; rc == 0 && prepared < cfg->npairs; prepared++) {
		const struct cell_key *p = &cfg->pairs[prepared];
		o.key = p;
		if (job_prepare(&jobs[prepared], key_strategy(p), key_sink(p), d, &o, &want[prepared], sw->err,
				sizeof(sw->err)) != 0) {
			rc = 1;
			break;
		}
		jobs[prepared].stop = &stop_requested; /* the duration driver sets its own */
	}
	if (cfg->duration_s > 0) /* the time-series mode: one timed region a cell */
		for (size_t k = 0; rc == 0 && k < cfg->npairs; k++)
			rc = __atomic_load_n(&stop_requested, __ATOMIC_RELAXED) ? (stop_signal ? 130 : 1)
										: duration_cell(sw, z, k, &jobs[k], &want[k], d);
	size_t *order = calloc(cfg->npairs, sizeof(*order));
	if (!order)
		abort();
	for (size_t ci = 0; rc == 0 && cfg->duration_s == 0 && ci < cfg->ncaches; ci++)
		for (unsigned rep = 0; rc == 0 && rep < cfg->warmup + cfg->reps; rep++)
			for (size_t i = 0; rc == 0 && i < cfg->npairs; i++) {
				if (cfg->is_worker && i == 0)
					worker_shuffle(&sw->order_state, order, cfg->npairs);
				size_t k = cfg->is_worker ? order[i] : (i + rep) % cfg->npairs;
				struct sample s;
				if (!sweep_pair_runs(cfg, k, ci))
					continue;
				if (stop_signal || __atomic_load_n(&stop_requested, __ATOMIC_RELAXED)) {
					rc = stop_signal ? 130 : 1; /* else an OOM, said at the end */
					break;
				}
				double t0 = now_s();
				if (sample_cell(sw, z, ci, k, &jobs[k], &want[k], d, &s) != 0) {
					rc = stop_signal ? 130 : 1;
					break;
				}
				if (sample_taken(sw, z, ci, k, rep, (now_s() - t0) * 1e9, &s, d->size) != 0)
					rc = 1;
			}
	free(order);
	for (size_t k = 0; k < prepared; k++)
		job_release(&jobs[k], key_strategy(&cfg->pairs[k]));
	if (to_write)
		munmap(to_write, d->size);
	if (o.buf)
		munmap(o.buf, cfg->block);
	free(jobs);
	free(want);
	return rc;
}

/* meta.csv key for a perf event's status: perf_page_faults, perf_raw_syscalls_sys_enter. */
static const char *perf_meta_key(int k)
{
	static char key[64];
	snprintf(key, sizeof(key), "perf_%s", perf_event_names[k]);
	for (char *p = key; *p; p++)
		if (*p == '-' || *p == ':')
			*p = '_';
	return key;
}

/* The measured cost of one planted wait into meta, under key: what
 * `iopaths power` multiplies by the moves per pass. */
void sweep_record_plant(uint64_t ns, struct meta *meta, const char *key)
{
	unsigned waits = ns >= 200000 ? 10 : (unsigned)(2000000 / ns); /* a batch lasts about 2 ms */
	meta_set(meta, key, "%.1f", plant_calibrate(ns, PLANT_BATCHES, waits));
	meta_set(meta, "plant_calibration", "the median of %u batches, each the mean of %u back-to-back waits",
		 PLANT_BATCHES, waits);
}

static int output_path(char *path, size_t len, const char *dir, const char *name)
{
	return snprintf(path, len, "%s/%s", dir, name) < (int)len ? 0 : -1;
}

struct cell *sweep_cells(const struct run_config *cfg, size_t *ncells)
{
	*ncells = cfg->nsizes * cfg->ncaches * cfg->npairs;
	struct cell *cells = calloc(*ncells ? *ncells : 1, sizeof(*cells));
	if (!cells)
		abort();
	for (size_t z = 0; z < cfg->nsizes; z++)
		for (size_t ci = 0; ci < cfg->ncaches; ci++)
			for (size_t k = 0; k < cfg->npairs; k++) {
				struct cell *c = &cells[(z * cfg->ncaches + ci) * cfg->npairs + k];
				c->key = cfg->pairs[k];
				c->key.dim[D_FILE_BYTES] = cfg->sizes[z];
				c->key.dim[D_CACHE] = cfg->caches[ci];
				c->key.dim[D_BLOCK_BYTES] = cfg->block;
				c->key.dim[D_CONSUME] = cfg->consume;
			}
	return cells;
}

void sweep_record_calibration(struct meta *meta, const char (*perf_status)[160], double syscall_baseline,
			      double sender_syscall_baseline, double pass_overhead_ns)
{
	for (int k = 0; k < PERF_NCOUNTERS; k++)
		meta_set(meta, perf_meta_key(k), "%s", perf_status[k]);
	meta_set(meta, "perf_syscalls_baseline", "%.0f", syscall_baseline);
	meta_set(meta, "perf_sender_syscalls_baseline", "%.0f", sender_syscall_baseline);
	meta_set(meta, "pass_overhead_ns", "%.1f", pass_overhead_ns);
}

/* Every size in turn: its data file made, its cells swept, the file removed.
 * The exit status; sw->err says why when 1. */
static int sweep_sizes(struct sweep *sw)
{
	const struct run_config *cfg = sw->cfg;
	int rc = 0;

	datafile_remove_orphans(cfg->dir); /* before this run makes any file there */
	if (cfg->memcg)
		cfg->memcg->stop = &stop_requested; /* an OOM stops the run as Ctrl-C does, and fails it */
	size_t *sizes = calloc(cfg->nsizes, sizeof(*sizes));
	if (!sizes)
		abort();
	if (cfg->is_worker) /* a worker's own order of the sizes, then of the cells */
		worker_shuffle(&sw->order_state, sizes, cfg->nsizes);
	else
		for (size_t z = 0; z < cfg->nsizes; z++)
			sizes[z] = z;
	for (size_t zi = 0; rc == 0 && zi < cfg->nsizes; zi++) {
		size_t z = sizes[zi];
		struct datafile d;
		/* --mem-limit: the data file's writes are charged outside the cgroup. */
		if (cfg->memcg)
			memcg_step_out(cfg->memcg);
		if (datafile_make(&d, cfg->dir, cfg->sizes[z], cfg->seed, &stop_signal, sw->err,
				  sizeof(sw->err)) != 0) {
			rc = stop_signal ? 130 : 1;
			break;
		}
		/* Then in, before any job, thread or ring exists; the file's pages
		 * stay charged to whoever read or wrote them, so they are evicted. */
		if (cfg->memcg && (memcg_join(cfg->memcg, sw->err, sizeof(sw->err)) != 0 ||
				   cache_evict(d.fd, cfg->drop_caches) != 0)) {
			if (cfg->memcg->joined)
				snprintf(sw->err, sizeof(sw->err), "emptying the page cache after joining the memory cgroup: %s",
					 strerror(errno));
			rc = 1;
		} else {
			rc = sweep_one_size(sw, z, &d);
		}
		if (cfg->keep)
			datafile_close(&d);
		else
			datafile_remove(&d);
	}
	if (sw->progress.on)
		fprintf(stderr, "\r\033[K");
	if (cfg->memcg && memcg_oom_seen(cfg->memcg) && rc != 130) {
		snprintf(sw->err, sizeof(sw->err), "the memory cgroup ran out of memory at its limit (--mem-limit, %llu "
			 "bytes, no swap): memory that cannot be reclaimed outgrew it; the run was stopped and failed "
			 "(the OOM killer would have killed it)", (unsigned long long)cfg->memcg->limit);
		rc = 1;
	}
	free(sizes);
	return rc;
}

/* In a worker process: the calibration, every sample and the end go to the
 * parent, nothing into the results folder. */
static int worker_sweep(struct sweep *sw)
{
	const struct run_config *cfg = sw->cfg;
	struct wmsg_calibration cal = { .syscall_baseline = sw->m.syscall_baseline,
					.sender_syscall_baseline = sw->m.sender_syscall_baseline,
					.pass_overhead_ns = sw->m.pass_overhead_ns };
	struct wmsg_end end = { 0 };
	memcpy(cal.perf_status, sw->m.perf.status, sizeof(cal.perf_status));
	sw->order_state = cfg->worker_seed;
	if (worker_send(cfg->worker_fd, WMSG_CALIBRATION, &cal, sizeof(cal)) != 0) {
		snprintf(sw->err, sizeof(sw->err), "telling the parent the calibration: %s", strerror(errno));
		end.rc = 1;
	} else {
		end.rc = sweep_sizes(sw);
	}
	end.cache_misses = sw->cache_misses;
	snprintf(end.err, sizeof(end.err), "%s", end.rc == 1 ? sw->err : "");
	if (worker_send(cfg->worker_fd, WMSG_END, &end, sizeof(end)) != 0 && end.rc == 0)
		end.rc = 1; /* the parent, missing the end, fails the run too */
	measure_ctx_close(&sw->m);
	cells_free(sw->cells, sw->ncells);
	free(sw->cache_warned);
	return end.rc;
}

int sweep_run(const struct run_config *cfg, struct meta *meta)
{
	struct sweep sw = { .cfg = cfg };
	char path[PATH_MAX + 32];
	int rc = 0;

	sw.cells = sweep_cells(cfg, &sw.ncells);
	sw.cache_warned = calloc(cfg->nsizes * cfg->ncaches, sizeof(*sw.cache_warned));
	if (!sw.cache_warned)
		abort();

	measure_ctx_open(&sw.m, cfg->consume);
	if (cfg->is_worker)
		return worker_sweep(&sw);
	sweep_record_calibration(meta, (const char (*)[160])sw.m.perf.status, sw.m.syscall_baseline,
				 sw.m.sender_syscall_baseline, sw.m.pass_overhead_ns);
	progress_init(&sw.progress, cfg, 1);
	if (cfg->plant_ns > 0)
		sweep_record_plant(cfg->plant_ns, meta, "plant_wait_ns");

	output_path(path, sizeof(path), cfg->out, "meta.csv");
	meta_set(meta, "status", "running");
	if (meta_write(meta, path) != 0) {
		fprintf(stderr, "iopaths: %s: %s\n", path, strerror(errno));
		rmdir(cfg->out); /* nothing is in it: not left as a results folder */
		rc = 1;
		goto out;
	}
	output_path(path, sizeof(path), cfg->out, "runs.csv");
	if (runs_open(&sw.runs, path) != 0) {
		fprintf(stderr, "iopaths: %s: %s\n", path, strerror(errno));
		rc = 1;
		goto out;
	}

	if (cfg->duration_s > 0 && duration_open(&sw, meta) != 0) {
		rc = 1;
		goto out;
	}
	rc = sweep_sizes(&sw);
	if (sw.ts && timeseries_close(sw.ts) != 0 && rc == 0) {
		snprintf(sw.err, sizeof(sw.err), "writing timeseries.csv failed");
		rc = 1;
	}
	if (csv_out_close(&sw.runs) != 0 && rc == 0) {
		snprintf(sw.err, sizeof(sw.err), "writing runs.csv failed");
		rc = 1;
	}

	output_path(path, sizeof(path), cfg->out, "summary.csv");
	if (summary_write(path, sw.cells, sw.ncells, NAN) != 0) {
		fprintf(stderr, "iopaths: %s: %s\n", path, strerror(errno));
		if (rc == 0)
			rc = 1;
	}
	if (cfg->plant_ns > 0) /* again, after: how much the wait's cost moved while the sweep ran */
		sweep_record_plant(cfg->plant_ns, meta, "plant_wait_ns_end");
	meta_set(meta, "status", "%s", rc == 0 ? "complete" : rc == 130 ? "interrupted" : "failed");
	meta_set(meta, "interrupted", "%d", rc == 130);
	meta_set(meta, "cache_state_misses", "%u", sw.cache_misses);
	if (sw.ts)
		meta_set(meta, "sampler_missed_ticks", "%u", sw.missed_ticks);
	if (rc == 130)
		meta_set(meta, "interrupted_by", "%s", strsignal(stop_signal));
	if (cfg->memcg)
		meta_set(meta, "memcg_peak_bytes", "%.0f", memcg_peak(cfg->memcg));
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
	print_table(stdout, sw.cells, sw.ncells, cfg->sizes, cfg->nsizes);
	if (cfg->explain)
		print_explain(stdout, sw.cells, sw.ncells);
out:
	if (cfg->memcg)
		memcg_leave(cfg->memcg); /* back to our cgroup, and the cgroup removed */
	measure_ctx_close(&sw.m);
	cells_free(sw.cells, sw.ncells);
	free(sw.cache_warned);
	return rc;
}
