/* `iopaths demo`: the seed's lessons as experiments.  Each demo is one file
 * in demos/, registered in demos/demos.def: a prediction (what the textbook
 * says), and a run() that does the experiment in child processes and checks
 * what the kernel did against the prediction.  The harness prints the
 * prediction first and the observation after, gives the verdict ("as taught"
 * or "differs", with what differed) and writes demos.csv.
 *
 * A demo reads like the seed's examples: mmap, touch, look.  All policy (the
 * private folder, forking, catching the signal a child dies of, the row)
 * lives here. */
#ifndef IOPATHS_DEMO_H
#define IOPATHS_DEMO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct demo_ctx;

struct demo {
	const char *name;       /* shared-visible, use-after-munmap, ... */
	const char *summary;    /* one line, for `iopaths demo --list` */
	const char *prediction; /* the textbook's answer, printed before the run */
	/* The experiment.  0: it ran (the verdict follows from demo_check); -1: it
	 * could not run, with the reason given to demo_cannot. */
	int (*run)(struct demo_ctx *);
};

#define DEMO(x) extern const struct demo x;
#include "demos.def"
#undef DEMO
extern const struct demo *const demos[];
extern const size_t demo_count;
const struct demo *demo_find(const char *name);

/* What a demo has while it runs. */
struct demo_ctx {
	const struct demo *demo;
	const char *dir;   /* a private folder of its own, removed afterwards */
	size_t page;       /* the page size */
	void *shared;      /* DEMO_SHARED_BYTES of MAP_SHARED|MAP_ANONYMOUS memory, zeroed
			      before run(): children write their answers here */
	char observed[1024]; /* what the kernel did, one line per demo_observe */
	char details[2048];  /* the numbers behind it, key=value; */
	char differed[1024]; /* what did not go as taught */
	char cannot[512];    /* why it could not run */
	int checks, failed;
};
#define DEMO_SHARED_BYTES ((size_t)1 << 20)

/* How a child ended: it exited (code) or a signal killed it, with what the
 * kernel put in siginfo for SIGSEGV/SIGBUS/SIGFPE/SIGILL. */
struct demo_end {
	int exited, code;      /* exited: 1 and its exit status */
	int sig;               /* the signal that ended it, or 0 */
	int si_code;           /* SEGV_MAPERR, SEGV_ACCERR, BUS_ADRERR, ... (fault signals only) */
	uintptr_t addr;        /* si_addr: the faulting address (fault signals only) */
};

/* Runs fn(ctx, arg) in a forked child and waits for it: its return value is
 * the exit status; a fault signal is caught (signal, si_code, address kept in
 * *end), then the child dies of it, so the parent sees the real signal.
 * 0, or -1 when fork/wait failed (demo_cannot has been called). */
int demo_child(struct demo_ctx *ctx, int (*fn)(struct demo_ctx *, void *), void *arg, struct demo_end *end);
/* The same without waiting: the child's pid (-1 on failure); wait with demo_wait. */
pid_t demo_spawn(struct demo_ctx *ctx, int (*fn)(struct demo_ctx *, void *), void *arg);
int demo_wait(struct demo_ctx *ctx, pid_t pid, struct demo_end *end);
/* 0 when the child exited 0; else -1 through demo_cannot ("the child ended
 * with SIGSEGV (SEGV_MAPERR) at 0x..."), for a child that is not the lesson. */
int demo_child_ok(struct demo_ctx *ctx, const struct demo_end *end);
/* "exit 0", "SIGBUS (BUS_ADRERR) at 0x7f..", for observations. */
void demo_end_text(const struct demo_end *end, char *out, size_t len);

/* A new file in ctx->dir of `size` bytes, every byte `fill`; its path in
 * path (PATH_MAX).  The open fd (O_RDWR), or -1 (demo_cannot called). */
int demo_file(struct demo_ctx *ctx, const char *name, uint64_t size, int fill, char *path);

/* pread/pwrite of all len bytes at off, going on after EINTR and short
 * transfers.  0, or -1 with errno (ENODATA: the file ended first). */
int demo_pread(int fd, void *buf, size_t len, uint64_t off);
int demo_pwrite(int fd, const void *buf, size_t len, uint64_t off);

/* The prediction checked: when ok is 0, the demo "differs" and what follows
 * is added to differed.  Returns ok. */
int demo_check(struct demo_ctx *ctx, int ok, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Appends a sentence of what the kernel did / a number behind it. */
void demo_observe(struct demo_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void demo_detail(struct demo_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The experiment could not be made (a syscall failed that is not the
 * lesson): the reason, with errno's text when errno is nonzero (set it to 0
 * for a reason that is not this process's failed call).  Returns -1. */
int demo_cannot(struct demo_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Why the file open as fd is never written back (it is on tmpfs or ramfs:
 * no disk behind its pages, which are the file's only copy), in words for a
 * demo's observation and details; NULL when it is written back. */
const char *demo_no_writeback(int fd);

/* Minor and major faults of this process so far (getrusage). */
void demo_faults(long *minor, long *major);
/* Monotonic nanoseconds. */
uint64_t demo_now_ns(void);

#endif
