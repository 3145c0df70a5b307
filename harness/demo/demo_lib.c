/* What every demo shares: forking a child and catching what it dies of,
 * making a file, checking a prediction.  See demo.h. */
#include "demo.h"
#include "demo_run.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DEMO(x) &x,
const struct demo *const demos[] = {
#include "demos.def"
};
#undef DEMO
const size_t demo_count = sizeof(demos) / sizeof(demos[0]);

const struct demo *demo_find(const char *name)
{
	for (size_t i = 0; i < demo_count; i++)
		if (strcmp(demos[i]->name, name) == 0)
			return demos[i];
	return NULL;
}

/* ---- text ---- */

static void append(char *buf, size_t cap, const char *sep, const char *fmt, va_list ap)
{
	size_t used = strlen(buf);
	if (used && used + strlen(sep) < cap) {
		strcpy(buf + used, sep);
		used += strlen(sep);
	}
	if (used < cap)
		vsnprintf(buf + used, cap - used, fmt, ap);
}

int demo_check(struct demo_ctx *ctx, int ok, const char *fmt, ...)
{
	ctx->checks++;
	if (!ok) {
		ctx->failed++;
		va_list ap;
		va_start(ap, fmt);
		append(ctx->differed, sizeof(ctx->differed), "; ", fmt, ap);
		va_end(ap);
	}
	return ok;
}

void demo_observe(struct demo_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	append(ctx->observed, sizeof(ctx->observed), " ", fmt, ap);
	va_end(ap);
}

void demo_detail(struct demo_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	append(ctx->details, sizeof(ctx->details), "; ", fmt, ap);
	va_end(ap);
}

int demo_cannot(struct demo_ctx *ctx, const char *fmt, ...)
{
	int e = errno;
	char what[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (!ctx->cannot[0]) /* the first reason is the one that matters */
		snprintf(ctx->cannot, sizeof(ctx->cannot), e ? "%s: %s" : "%s", what, strerror(e));
	return -1;
}

int demo_verdict(const struct demo_ctx *ctx, int ran, char *out, size_t len)
{
	if (ran && ctx->checks == 0) { /* a demo that checked nothing showed nothing */
		snprintf(out, len, "could not run: the demo checked nothing");
		return 0;
	}
	if (!ran)
		snprintf(out, len, "could not run: %s", ctx->cannot[0] ? ctx->cannot : "no reason given");
	else if (ctx->failed)
		snprintf(out, len, "differs: %s", ctx->differed);
	else
		snprintf(out, len, "as taught");
	return ran;
}

/* ---- children ---- */

/* Each child's end of the story: a pipe its fault handler writes siginfo
 * into before it dies.  The table also lets Ctrl-C kill every child. */
#define MAX_CHILDREN 256
static struct {
	pid_t pid;
	int fd; /* read end of the child's siginfo pipe */
} children[MAX_CHILDREN];
static int fault_fd = -1; /* in a child: the write end */

struct fault_note {
	int sig, code;
	uintptr_t addr;
};

/* In the child, on SIGSEGV/SIGBUS/...: note what the kernel said, then
 * return; SA_RESETHAND put the default action back, so the faulting
 * instruction runs again and the child dies of the very same signal. */
static void on_fault(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	struct fault_note n = { sig, si->si_code, (uintptr_t)si->si_addr };
	if (write(fault_fd, &n, sizeof(n)) < 0) {
		/* nothing to be done in a handler; the parent sees the signal anyway */
	}
	if (si->si_code <= 0) /* sent by kill() or raise(), not a fault: die of it now */
		raise(sig);
}

void demo_kill_children(void)
{
	for (int i = 0; i < MAX_CHILDREN; i++)
		if (children[i].pid > 0)
			kill(children[i].pid, SIGKILL);
}

pid_t demo_spawn(struct demo_ctx *ctx, int (*fn)(struct demo_ctx *, void *), void *arg)
{
	int slot = -1;
	for (int i = 0; i < MAX_CHILDREN && slot < 0; i++)
		if (children[i].pid == 0)
			slot = i;
	if (slot < 0) {
		errno = EAGAIN;
		demo_cannot(ctx, "more than %d children at once", MAX_CHILDREN);
		return -1;
	}
	int p[2];
	if (pipe2(p, O_CLOEXEC) != 0) {
		demo_cannot(ctx, "pipe");
		return -1;
	}
	fflush(NULL); /* or the child's exit would print the parent's buffered text again */
	pid_t pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		demo_cannot(ctx, "fork");
		return -1;
	}
	if (pid == 0) {
		close(p[0]);
		fault_fd = p[1];
		struct sigaction sa = { .sa_sigaction = on_fault, .sa_flags = SA_SIGINFO | SA_RESETHAND | SA_NODEFER };
		sigemptyset(&sa.sa_mask);
		for (const int *s = (const int[]){ SIGSEGV, SIGBUS, SIGFPE, SIGILL, 0 }; *s; s++)
			sigaction(*s, &sa, NULL);
		signal(SIGINT, SIG_DFL); /* the parent's Ctrl-C handling is the parent's */
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		signal(SIGALRM, SIG_DFL);
		_exit(fn(ctx, arg) & 0xff);
	}
	close(p[1]);
	children[slot].pid = pid;
	children[slot].fd = p[0];
	return pid;
}

int demo_wait(struct demo_ctx *ctx, pid_t pid, struct demo_end *end)
{
	memset(end, 0, sizeof(*end));
	int slot = -1;
	for (int i = 0; i < MAX_CHILDREN && slot < 0; i++)
		if (children[i].pid == pid)
			slot = i;
	int status;
	pid_t got;
	while ((got = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
		;
	if (slot >= 0) {
		struct fault_note n;
		/* the note of the signal it died of, not of one it survived */
		if (got == pid && WIFSIGNALED(status) && read(children[slot].fd, &n, sizeof(n)) == (ssize_t)sizeof(n) &&
		    n.sig == WTERMSIG(status)) {
			end->si_code = n.code;
			end->addr = n.addr;
		}
		close(children[slot].fd);
		children[slot].pid = 0;
	}
	if (got != pid)
		return demo_cannot(ctx, "waitpid");
	if (WIFEXITED(status)) {
		end->exited = 1;
		end->code = WEXITSTATUS(status);
	} else if (WIFSIGNALED(status)) {
		end->sig = WTERMSIG(status);
	}
	return 0;
}

int demo_child(struct demo_ctx *ctx, int (*fn)(struct demo_ctx *, void *), void *arg, struct demo_end *end)
{
	pid_t pid = demo_spawn(ctx, fn, arg);
	if (pid < 0)
		return -1;
	return demo_wait(ctx, pid, end);
}

static const char *code_name(int sig, int code)
{
	if (sig == SIGSEGV)
		switch (code) {
		case SEGV_MAPERR: return "SEGV_MAPERR";
		case SEGV_ACCERR: return "SEGV_ACCERR";
		}
	if (sig == SIGBUS)
		switch (code) {
		case BUS_ADRALN: return "BUS_ADRALN";
		case BUS_ADRERR: return "BUS_ADRERR";
		case BUS_OBJERR: return "BUS_OBJERR";
		}
	return NULL;
}

void demo_end_text(const struct demo_end *end, char *out, size_t len)
{
	if (end->exited) {
		snprintf(out, len, "exit %d", end->code);
		return;
	}
	const char *code = code_name(end->sig, end->si_code);
	if (code)
		snprintf(out, len, "SIG%s (%s) at %#lx", sigabbrev_np(end->sig), code, (unsigned long)end->addr);
	else
		snprintf(out, len, "SIG%s", sigabbrev_np(end->sig) ? sigabbrev_np(end->sig) : "?");
}

int demo_child_ok(struct demo_ctx *ctx, const struct demo_end *end)
{
	if (end->exited && end->code == 0)
		return 0;
	char how[128];
	demo_end_text(end, how, sizeof(how));
	errno = 0; /* the child's failure, not a call of ours */
	return demo_cannot(ctx, "the child ended with %s", how);
}

/* ---- files and numbers ---- */

int demo_file(struct demo_ctx *ctx, const char *name, uint64_t size, int fill, char *path)
{
	snprintf(path, PATH_MAX, "%s/%s", ctx->dir, name);
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return demo_cannot(ctx, "create %s", name);
	char block[65536];
	memset(block, fill, sizeof(block));
	for (uint64_t done = 0; done < size;) {
		size_t n = size - done < sizeof(block) ? (size_t)(size - done) : sizeof(block);
		ssize_t w = write(fd, block, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			close(fd);
			return demo_cannot(ctx, "write %s", name);
		}
		done += (uint64_t)w; /* a short write goes on from where it stopped */
	}
	return fd;
}

int demo_pread(int fd, void *buf, size_t len, uint64_t off)
{
	for (size_t done = 0; done < len;) {
		ssize_t r = pread(fd, (char *)buf + done, len - done, (off_t)(off + done));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r == 0)
				errno = ENODATA;
			return -1;
		}
		done += (size_t)r;
	}
	return 0;
}

int demo_pwrite(int fd, const void *buf, size_t len, uint64_t off)
{
	for (size_t done = 0; done < len;) {
		ssize_t w = pwrite(fd, (const char *)buf + done, len - done, (off_t)(off + done));
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = EIO;
			return -1;
		}
		done += (size_t)w;
	}
	return 0;
}

const char *demo_no_writeback(int fd)
{
	struct statfs fs;
	if (fstatfs(fd, &fs) != 0)
		return NULL; /* not known to be a memory filesystem: checked as a disk */
	if (fs.f_type == TMPFS_MAGIC)
		return "--dir is on tmpfs: no disk behind the pages, nothing is written back";
	if (fs.f_type == RAMFS_MAGIC)
		return "--dir is on ramfs: no disk behind the pages, nothing is written back";
	return NULL;
}

void demo_faults(long *minor, long *major)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	*minor = ru.ru_minflt;
	*major = ru.ru_majflt;
}

uint64_t demo_now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}
