#include "timeseries.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

const char *const timeseries_columns[] = {
	"strategy", "label", "madvise", "qd", "direct", "threads", "io_bytes", "file_bytes", "mem_limit_bytes",
	"cgroup_version", "t_s", "dt_s", "ops", "used_bytes", "mibps", "majflt", "minflt", "mem_bytes",
	"mem_file_bytes", "refault_file", "pgscan", "pgsteal", "scan_scope", "tlb_shootdowns", "tlb_per_s",
	"dev_read_bytes", "backing_read_bytes", "read_amp", "spans_checked", "spans_bad", "oom_kill",
	"proc_read_bytes", "proc_read_amp", "missed_ticks", NULL
};

/* This process's own storage reads (/proc/self/io read_bytes: every thread,
 * readahead and faults included, O_DIRECT too), unlike diskstats, which
 * count every reader of the device. */
static double proc_read_bytes(int fd)
{
	char text[1024];
	ssize_t n;
	if (fd < 0)
		return NAN;
	do
		n = pread(fd, text, sizeof(text) - 1, 0);
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		return NAN;
	text[n] = '\0';
	const char *p = strstr(text, "\nread_bytes:");
	return p ? strtod(p + 12, NULL) : NAN;
}

int timeseries_open(struct timeseries *ts, const char *dir)
{
	char path[PATH_MAX + 32];
	if (snprintf(path, sizeof(path), "%s/timeseries.csv", dir) >= (int)sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (csv_out_open(&ts->out, path) != 0)
		return -1;
	csv_out_header(&ts->out, timeseries_columns);
	if (ts->out.error) {
		csv_out_close(&ts->out);
		return -1;
	}
	ts->open = 1;
	ts->fd_io = open("/proc/self/io", O_RDONLY | O_CLOEXEC);
	/* For the tests: each reading as read, to check every column's delta
	 * against the readings and the readings against the tests' own. */
	const char *log = getenv("IOPATHS_TEST_SAMPLER_LOG");
	ts->fd_log = log && *log ? open(log, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0600) : -1;
	diskstats_open(&ts->ds);
	vmstat_open(&ts->vmstat);
	interrupts_open(&ts->interrupts);
	return 0;
}

int timeseries_close(struct timeseries *ts)
{
	if (!ts->open)
		return 0;
	ts->open = 0;
	if (ts->fd_io >= 0)
		close(ts->fd_io);
	if (ts->fd_log >= 0)
		close(ts->fd_log);
	ts->fd_log = -1;
	diskstats_close(&ts->ds);
	vmstat_close(&ts->vmstat);
	interrupts_close(&ts->interrupts);
	return csv_out_close(&ts->out);
}

/* Everything one wake reads, in this order. */
struct reading {
	double begin, end;      /* CLOCK_MONOTONIC s: when the reading started and ended (the hook's) */
	double t;               /* s since t0 */
	double ops, checked, bad;
	struct rusage ru;
	struct vmstat_snapshot vm;
	double tlb, sectors, bsectors, proc_read;
	struct ts_mem mem;
};

static double mono_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void take(struct timeseries *ts, const struct ts_cell *c, double t0, struct reading *r)
{
	/* This process's reads before the spans' counts: a span counted as used
	 * was read before it was counted, so over a run the reads trail the
	 * bytes used by at most the spans in flight at the first sample. */
	r->begin = mono_s();
	r->proc_read = proc_read_bytes(ts->fd_io);
	r->ops = r->checked = r->bad = 0;
	for (unsigned k = 0; k < c->nmovers; k++) {
		const struct job *j = c->movers[k];
		r->ops += (double)__atomic_load_n(&j->spans_done, __ATOMIC_RELAXED);
		r->checked += (double)__atomic_load_n(&j->consumer.spans_checked, __ATOMIC_RELAXED);
		r->bad += (double)__atomic_load_n(&j->consumer.spans_bad, __ATOMIC_RELAXED);
	}
	r->t = mono_s() - t0;
	getrusage(RUSAGE_SELF, &r->ru);
	vmstat_snap(&ts->vmstat, &r->vm);
	r->tlb = interrupts_tlb(&ts->interrupts);
	diskstats_read(&ts->ds, &ts->dev, &r->sectors, &r->bsectors);
	r->mem = (struct ts_mem){ NAN, NAN, NAN, NAN, NAN, NAN, NAN };
	if (ts->mem_read)
		ts->mem_read(ts->mem_arg, &r->mem);
	r->end = mono_s();
	if (ts->fd_log >= 0) {
		static const int logged[3] = { VM_PGSCAN, VM_PGSTEAL, VM_WORKINGSET_REFAULT_FILE };
		double vm[3];
		for (int k = 0; k < 3; k++)
			vm[k] = r->vm.present >> logged[k] & 1 ? (double)r->vm.value[logged[k]] : NAN;
		dprintf(ts->fd_log, "%u %.9f %.9f %.0f %.0f %.0f %.0f %.17g %.17g %ld %ld %.17g %.17g %.17g %.17g %.17g "
			"%.17g %.17g %.17g %.17g %.17g %.17g\n", ts->cells, r->begin, r->end, r->ops, r->checked, r->bad,
			r->proc_read, r->sectors, r->bsectors, r->ru.ru_majflt, r->ru.ru_minflt, r->tlb, r->mem.usage,
			r->mem.file, r->mem.refault_file, r->mem.pgscan, r->mem.pgsteal, r->mem.oom_kill, vm[0], vm[1],
			vm[2], r->begin - t0);
	}
}

static void write_row(struct timeseries *ts, struct ts_cell *c, const struct reading *a, const struct reading *b,
		      unsigned missed)
{
	struct csv_out *w = &ts->out;
	double dt = b->t - a->t, ops = b->ops - a->ops, used = ops * (double)c->io_bytes;
	double vm[VM_NCOUNTERS];
	vmstat_delta(&a->vm, &b->vm, vm);
	int cgroup_scan = !isnan(b->mem.pgscan);
	double dev = (b->sectors - a->sectors) * 512, bdev = (b->bsectors - a->bsectors) * 512;
	double amp_dev = ts->dev.backing ? bdev : dev;
	double tlb = b->tlb - a->tlb;

	csv_out_str(w, c->strategy);
	csv_out_str(w, c->label);
	csv_out_str(w, c->madvise);
	csv_out_str(w, c->qd);
	csv_out_str(w, c->direct);
	csv_out_u64(w, c->threads);
	csv_out_u64(w, c->io_bytes);
	csv_out_u64(w, c->file_bytes);
	csv_out_u64(w, ts->mem_limit);
	csv_out_str(w, ts->cgroup_version ? ts->cgroup_version : "");
	csv_out_double(w, b->t);
	csv_out_double(w, dt); /* measured: the sampler may wake late, the step is never assumed */
	csv_out_double(w, ops);
	csv_out_double(w, used);
	csv_out_double(w, dt > 0 ? used / 1048576.0 / dt : NAN);
	csv_out_double(w, (double)(b->ru.ru_majflt - a->ru.ru_majflt));
	csv_out_double(w, (double)(b->ru.ru_minflt - a->ru.ru_minflt));
	csv_out_double(w, b->mem.usage);
	csv_out_double(w, b->mem.file);
	csv_out_double(w, !isnan(b->mem.refault_file) ? b->mem.refault_file - a->mem.refault_file
						       : vm[VM_WORKINGSET_REFAULT_FILE]);
	csv_out_double(w, cgroup_scan ? b->mem.pgscan - a->mem.pgscan : vm[VM_PGSCAN]);
	csv_out_double(w, cgroup_scan ? b->mem.pgsteal - a->mem.pgsteal : vm[VM_PGSTEAL]);
	csv_out_str(w, cgroup_scan ? "cgroup" : "system");
	csv_out_double(w, tlb);
	csv_out_double(w, dt > 0 ? tlb / dt : NAN);
	csv_out_double(w, dev);
	csv_out_double(w, bdev);
	csv_out_double(w, used > 0 ? amp_dev / used : NAN);
	csv_out_double(w, b->checked - a->checked);
	csv_out_double(w, b->bad - a->bad);
	csv_out_double(w, b->mem.oom_kill - a->mem.oom_kill);
	double own = b->proc_read - a->proc_read;
	csv_out_double(w, own);
	csv_out_double(w, used > 0 ? own / used : NAN);
	csv_out_u64(w, missed);
	csv_out_end_row(w);

	c->rows++;
	c->ops += ops;
	c->majflt += (double)(b->ru.ru_majflt - a->ru.ru_majflt);
	c->minflt += (double)(b->ru.ru_minflt - a->ru.ru_minflt);
	c->tlb += tlb;
	c->dev_bytes += amp_dev;
	if (!isnan(b->mem.oom_kill))
		c->oom_kill += b->mem.oom_kill - a->mem.oom_kill;
	if (!isnan(b->mem.usage))
		c->mem_peak = isnan(c->mem_peak) ? b->mem.usage : fmax(c->mem_peak, b->mem.usage);
}

static struct sampler {
	struct timeseries *ts;
	struct ts_cell *c;
	double t0;
} sampler; /* one cell at a time */

static void *sampler_main(void *arg)
{
	struct sampler *s = arg;
	struct timeseries *ts = s->ts;
	struct ts_cell *c = s->c;
	struct reading prev, cur;
	take(ts, c, s->t0, &prev);
	prev.t = 0;
	for (double k = 1;;) {
		double target = fmin(k * ts->interval_s, ts->duration_s);
		int stopped = 0;
		for (;;) { /* to the target, in steps short enough to notice a stop signal */
			if (*ts->stop_signal || __atomic_load_n(c->stop, __ATOMIC_RELAXED) ||
			    (ts->stop_other && __atomic_load_n(ts->stop_other, __ATOMIC_RELAXED))) {
				stopped = 1; /* a signal, or the movers failed */
				break;
			}
			double left = target - (mono_s() - s->t0);
			if (left <= 0)
				break;
			double step = fmin(left, 0.05);
			struct timespec d = { (time_t)step, (long)((step - (double)(time_t)step) * 1e9) };
			nanosleep(&d, NULL); /* EINTR: the loop looks again */
		}
		if (stopped) { /* the interval under way is not a whole one: no row */
			c->interrupted = *ts->stop_signal != 0;
			__atomic_store_n(c->stop, 1, __ATOMIC_RELAXED);
			break;
		}
		take(ts, c, s->t0, &cur);
		int last = target >= ts->duration_s || cur.t >= ts->duration_s;
		if (last) /* after the reading: what the movers finish later counts in no row */
			__atomic_store_n(c->stop, 1, __ATOMIC_RELAXED);
		/* The next tick: the first of the grid at least half an interval
		 * from now.  A sampler that woke late (the process stopped, or
		 * starved of CPU) writes one row of the real length, never a row
		 * for each tick it missed; missed_ticks says how many it passed. */
		double next = fmax(k + 1, ceil(cur.t / ts->interval_s + 0.5));
		unsigned missed = last ? (unsigned)fmax(0, floor((cur.t - target) / ts->interval_s))
				       : (unsigned)(next - k - 1);
		if (missed > 0)
			fprintf(stderr, "iopaths: warning: the sampler woke %.2f s late at %.2f s of %s (the process "
				"was stopped or starved of CPU): one row of %.2f s covers it (missed_ticks %u)\n",
				cur.t - target, cur.t, c->label, cur.t - prev.t, missed);
		write_row(ts, c, &prev, &cur, missed);
		c->missed += missed;
		prev = cur;
		if (last)
			break;
		k = next;
	}
	c->wall_s = prev.t;
	return (void *)(intptr_t)(ts->out.error ? EIO : 0);
}

int timeseries_start(struct timeseries *ts, struct ts_cell *c, pthread_t *tid)
{
	c->rows = 0;
	c->interrupted = 0;
	c->wall_s = c->ops = c->majflt = c->minflt = c->tlb = c->dev_bytes = c->oom_kill = 0;
	c->missed = 0;
	c->mem_peak = NAN;
	ts->cells++;
	sampler = (struct sampler){ ts, c, mono_s() };
	return pthread_create(tid, NULL, sampler_main, &sampler);
}

int timeseries_join(pthread_t tid)
{
	void *ret = NULL;
	pthread_join(tid, &ret);
	if (ret) {
		errno = (int)(intptr_t)ret;
		return -1;
	}
	return 0;
}
