/* threads-and-a-mutex: 4 workers add 1 to one counter in a MAP_SHARED file
 * mapping, as fast as they can, for a fixed time.  `counter++` is a load,
 * an add and a store: two workers that load the same value both store
 * value + 1, and one update is lost; a worker preempted between its load and
 * its store writes back a value that is stale by everything the others did
 * meanwhile.  A mutex living in the mapping (PTHREAD_PROCESS_SHARED when the
 * workers are processes) or an atomic add (__atomic_fetch_add: one locked
 * instruction) makes each increment whole.
 *
 * Six cells: threads (4, in one forked child) and processes (4 forked
 * children sharing the parent's mapping), each with no lock, a mutex,
 * atomics.  Every worker counts its own increments in a local variable; the
 * lost updates are the sum of those minus the counter read back from the
 * mapping.  A time window, not a fixed count: a worker that ran alone (the
 * other CPU busy) would finish a fixed count inside one time slice and race
 * nobody; in a window the workers are preempted again and again.  The
 * no-lock window is the longest: with one CPU free, a loss needs a worker
 * preempted between its load and its store, which is rare (pinned to one CPU
 * here, 3 in 260 such cells of 400 ms lost nothing; on two CPUs, none). */
#include "demo.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define WORKERS 4                        /* more than this machine's 2 CPUs is fine */
#define BATCH 4096                       /* increments between two looks at the clock */

enum how { NO_LOCK, MUTEX, ATOMIC };
static const char *const how_name[] = { "no_lock", "mutex", "atomic" };
static const uint64_t window_ms[] = { [NO_LOCK] = 400, [MUTEX] = 100, [ATOMIC] = 100 };
enum who { THREADS, PROCESSES };
static const char *const who_name[] = { "threads", "processes" };

/* The lesson's data: the first page of the file, as every worker sees it
 * through its mapping. */
struct board {
	pthread_mutex_t lock;
	uint64_t counter __attribute__((aligned(64))); /* alone on its cache line */
};

/* The bookkeeping, in ctx->shared (not the file): whatever happens to the
 * counter, the gate opens and each worker's own count comes back. */
struct tally {
	uint64_t ready, go, deadline;          /* the start gate: all workers begin together */
	uint64_t finished;                     /* workers past their loop */
	uint64_t done[WORKERS];                /* each worker's own count of its increments */
	uint64_t start[WORKERS], end[WORKERS]; /* each worker's loop, in monotonic ns */
};

struct cell {
	struct board *b;
	struct tally *t;
	enum how how;
	int id; /* which worker */
};

/* One worker: wait at the gate, then add 1 the cell's way until the deadline. */
static void count(const struct cell *c)
{
	struct board *b = c->b;
	struct tally *t = c->t;
	enum how how = c->how;
	__atomic_add_fetch(&t->ready, 1, __ATOMIC_SEQ_CST);
	while (!__atomic_load_n(&t->go, __ATOMIC_ACQUIRE))
		sched_yield();
	uint64_t done = 0, start = demo_now_ns(), now;
	do {
		for (int i = 0; i < BATCH; i++) {
			if (how == NO_LOCK) {
				/* counter++ spelled out: a load, then a store of load + 1.  Another
				 * worker's store between the two is overwritten: lost. */
				uint64_t seen = __atomic_load_n(&b->counter, __ATOMIC_RELAXED);
				__atomic_store_n(&b->counter, seen + 1, __ATOMIC_RELAXED);
			} else if (how == MUTEX) {
				pthread_mutex_lock(&b->lock); /* no other worker between load and store */
				b->counter++;
				pthread_mutex_unlock(&b->lock);
			} else {
				__atomic_fetch_add(&b->counter, 1, __ATOMIC_RELAXED); /* lock xadd: one step */
			}
		}
		done += BATCH;
	} while ((now = demo_now_ns()) < t->deadline);
	t->done[c->id] = done;
	t->start[c->id] = start;
	t->end[c->id] = now;
	__atomic_add_fetch(&t->finished, 1, __ATOMIC_RELEASE);
}

/* Opens the gate once all n workers wait at it (or after 5 s, so that a
 * worker that never came cannot hang the demo). */
static void open_gate(struct tally *t, int n, uint64_t window_ns)
{
	uint64_t give_up = demo_now_ns() + 5000000000u;
	while (__atomic_load_n(&t->ready, __ATOMIC_ACQUIRE) < (uint64_t)n && demo_now_ns() < give_up)
		usleep(100);
	t->deadline = demo_now_ns() + window_ns;
	__atomic_store_n(&t->go, 1, __ATOMIC_RELEASE);
}

/* A process worker: it inherited the parent's MAP_SHARED mapping. */
static int process_worker(struct demo_ctx *ctx, void *arg)
{
	(void)ctx;
	count(arg);
	return 0;
}

static void *thread_worker(void *arg)
{
	count(arg);
	return NULL;
}

/* The child that runs the threads: WORKERS threads in one process, one mapping. */
static int threads_child(struct demo_ctx *ctx, void *arg)
{
	(void)ctx;
	const struct cell *base = arg;
	struct cell cells[WORKERS];
	pthread_t t[WORKERS];
	int made = 0;
	for (; made < WORKERS; made++) {
		cells[made] = *base;
		cells[made].id = made;
		if (pthread_create(&t[made], NULL, thread_worker, &cells[made]) != 0)
			break;
	}
	open_gate(base->t, made, window_ms[base->how] * 1000000);
	for (int i = 0; i < made; i++)
		pthread_join(t[i], NULL);
	return made == WORKERS ? 0 : 10;
}

/* What one cell left. */
struct result {
	uint64_t done;    /* increments the workers made */
	int64_t lost;     /* done minus the counter */
	double ns;        /* per increment: the cell's wall time over done */
	char ended[160];  /* "" when every worker ended well, else how they did not */
};

#define HANG_NS ((uint64_t)10000000000) /* a worker not done 10 s after the gate is stuck */

/* Have all n children ended?  Looked at, not reaped (WNOWAIT): demo_wait does that. */
static int all_ended(const pid_t *pid, int n)
{
	for (int i = 0; i < n; i++) {
		siginfo_t si = { 0 };
		if (waitid(P_PID, (id_t)pid[i], &si, WEXITED | WNOHANG | WNOWAIT) != 0 || si.si_pid == 0)
			return 0;
	}
	return 1;
}

/* One cell: a fresh counter and mutex, the workers, what they left. */
static int run_cell(struct demo_ctx *ctx, struct board *b, enum who who, enum how how, struct result *r)
{
	pthread_mutexattr_t attr;
	int e = pthread_mutexattr_init(&attr);
	if (!e) {
		e = pthread_mutexattr_setpshared(&attr, who == PROCESSES ? PTHREAD_PROCESS_SHARED : PTHREAD_PROCESS_PRIVATE);
		if (!e)
			e = pthread_mutex_init(&b->lock, &attr);
		pthread_mutexattr_destroy(&attr);
	}
	if (e) {
		errno = e; /* pthread functions return the error */
		return demo_cannot(ctx, "pthread mutex init");
	}
	b->counter = 0;
	struct tally *t = ctx->shared;
	memset(t, 0, sizeof(*t));

	struct cell c = { .b = b, .t = t, .how = how };
	struct demo_end end[WORKERS];
	pid_t pid[WORKERS];
	int n = who == THREADS ? 1 : WORKERS, spawned = 0;
	for (; spawned < n; spawned++) {
		c.id = spawned;
		pid[spawned] = demo_spawn(ctx, who == THREADS ? threads_child : process_worker, &c);
		if (pid[spawned] < 0)
			break;
	}
	if (who == PROCESSES)
		open_gate(t, spawned, window_ms[how] * 1000000);
	/* A worker stuck for good (a lock never released, a wakeup that never
	 * comes) is killed and reported, rather than hanging the demo. */
	uint64_t give_up = demo_now_ns() + HANG_NS;
	while (!all_ended(pid, spawned) && demo_now_ns() < give_up)
		usleep(5000);
	uint64_t stuck = 0;
	if (!all_ended(pid, spawned)) {
		stuck = WORKERS - __atomic_load_n(&t->finished, __ATOMIC_ACQUIRE);
		for (int i = 0; i < spawned; i++)
			kill(pid[i], SIGKILL); /* those that ended are zombies: no harm */
	}
	int waited = 0;
	for (int i = 0; i < spawned; i++)
		waited += demo_wait(ctx, pid[i], &end[i]) == 0;
	pthread_mutex_destroy(&b->lock);
	if (spawned < n || waited < spawned)
		return -1; /* demo_cannot has said why */

	/* How the children ended: by themselves (a crash), or killed for being stuck. */
	int crashed = 0, killed = 0;
	char how_ended[64] = "";
	for (int i = 0; i < n; i++) {
		if (end[i].exited && end[i].code == 10) {
			errno = 0; /* the child's failure, not this process's */
			return demo_cannot(ctx, "the threads' child could not create %d threads", WORKERS);
		}
		if (end[i].exited && end[i].code == 0)
			continue;
		if (stuck && end[i].sig == SIGKILL) {
			killed++;
		} else if (crashed++ == 0) {
			demo_end_text(&end[i], how_ended, sizeof(how_ended));
		}
	}
	r->ended[0] = '\0';
	if (crashed && who == THREADS)
		snprintf(r->ended, sizeof(r->ended), "the threads' process ended with %s", how_ended);
	else if (crashed)
		snprintf(r->ended, sizeof(r->ended), "%d of %d workers ended with %s", crashed, WORKERS, how_ended);
	if (killed) {
		size_t len = strlen(r->ended);
		snprintf(r->ended + len, sizeof(r->ended) - len, "%s%llu of %d %s stuck, killed after %llu s",
			 len ? "; " : "", (unsigned long long)(who == THREADS ? stuck : (uint64_t)killed), WORKERS,
			 who_name[who], (unsigned long long)(HANG_NS / 1000000000));
	}
	uint64_t first = UINT64_MAX, last = 0;
	r->done = 0;
	for (int i = 0; i < WORKERS; i++) {
		r->done += t->done[i];
		first = t->start[i] < first ? t->start[i] : first;
		last = t->end[i] > last ? t->end[i] : last;
	}
	r->lost = (int64_t)(r->done - b->counter);
	r->ns = r->done && last > first ? (double)(last - first) / (double)r->done : 0;
	return 0;
}

static int run(struct demo_ctx *ctx)
{
	char path[PATH_MAX];
	int fd = demo_file(ctx, "counters", ctx->page, 0, path);
	if (fd < 0)
		return -1;
	struct board *b = mmap(NULL, ctx->page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (b == MAP_FAILED)
		return demo_cannot(ctx, "mmap");

	struct result r[2][3];
	for (int who = THREADS; who <= PROCESSES; who++)
		for (int how = NO_LOCK; how <= ATOMIC; how++)
			if (run_cell(ctx, b, who, how, &r[who][how]) != 0) {
				munmap(b, ctx->page);
				return -1;
			}
	munmap(b, ctx->page);

	demo_observe(ctx, "%d workers added 1 to a counter in a MAP_SHARED file mapping for %llu ms without a lock, "
		     "%llu ms with a mutex, %llu ms with atomics.", WORKERS, (unsigned long long)window_ms[NO_LOCK],
		     (unsigned long long)window_ms[MUTEX], (unsigned long long)window_ms[ATOMIC]);
	for (int how = NO_LOCK; how <= ATOMIC; how++) {
		char said[2][200];
		for (int who = THREADS; who <= PROCESSES; who++) {
			const struct result *x = &r[who][how];
			if (x->ended[0])
				snprintf(said[who], sizeof(said[who]), "%s: %s", who_name[who], x->ended);
			else
				snprintf(said[who], sizeof(said[who]), "%s lost %lld of %llu increments (%.1f ns each)",
					 who_name[who], (long long)x->lost, (unsigned long long)x->done, x->ns);
		}
		demo_observe(ctx, "%s: %s, %s.", how == NO_LOCK ? "No lock" : how == MUTEX ? "A mutex" : "Atomics",
			     said[THREADS], said[PROCESSES]);
	}
	demo_detail(ctx, "workers=%d", WORKERS);
	for (int how = NO_LOCK; how <= ATOMIC; how++)
		demo_detail(ctx, "%s_window=%llu ms", how_name[how], (unsigned long long)window_ms[how]);
	for (int who = THREADS; who <= PROCESSES; who++)
		for (int how = NO_LOCK; how <= ATOMIC; how++) {
			const char *w = who_name[who], *h = how_name[how];
			demo_detail(ctx, "%s_%s_increments=%llu", w, h, (unsigned long long)r[who][how].done);
			demo_detail(ctx, "%s_%s_lost=%lld", w, h, (long long)r[who][how].lost);
			demo_detail(ctx, "%s_%s_ns_per_increment=%.1f", w, h, r[who][how].ns);
		}

	for (int who = THREADS; who <= PROCESSES; who++)
		for (int how = NO_LOCK; how <= ATOMIC; how++) {
			const struct result *x = &r[who][how];
			if (!demo_check(ctx, !x->ended[0], "%s with %s: %s", who_name[who],
					how == NO_LOCK ? "no lock" : how == MUTEX ? "a mutex" : "atomics", x->ended))
				continue;
			if (how == NO_LOCK)
				demo_check(ctx, x->lost > 0, "%s with no lock: no update was lost in %llu increments by %d workers",
					   who_name[who], (unsigned long long)x->done, WORKERS);
			else
				demo_check(ctx, x->lost == 0, "%s with %s: %lld of %llu updates were lost", who_name[who],
					   how == MUTEX ? "a mutex" : "atomics", (long long)x->lost,
					   (unsigned long long)x->done);
		}
	return 0;
}

const struct demo demo_threads_and_a_mutex = {
	.name = "threads-and-a-mutex",
	.summary = "4 threads, then 4 processes, add to a counter in a MAP_SHARED mapping: no lock, a mutex, atomics",
	.prediction = "without a lock, workers adding to a shared counter lose updates; with a mutex in the mapping "
		      "(PTHREAD_PROCESS_SHARED across processes) or with atomic adds, none are lost",
	.run = run,
};
