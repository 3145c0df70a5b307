/* msync-and-durability: what msync is for.  A store through MAP_SHARED goes
 * into the page cache's page, which belongs to the file, not to the process:
 * a process killed before any msync loses nothing, and read() sees its
 * bytes.  What is not done yet is the disk: the page stays dirty until
 * writeback.  msync(MS_SYNC) writes the dirty pages and waits; MS_ASYNC, by
 * the textbook, starts that write and returns at once.
 *
 * Dirty pages are counted with the file sink's counter (dirty.h: the page
 * frame from /proc/self/pagemap, its dirty bit from /proc/kpageflags), which
 * starts no writeback itself.  It needs root; without it, or on tmpfs (no
 * disk), that part of the demo says NA and is not checked. */
#include "demo.h"
#include "dirty.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGES 4
#define ASYNC_WAIT_MS 1000 /* writeback of 4 pages takes milliseconds once started */

struct plan {
	int fd;
	size_t len;
	int *ready; /* in ctx->shared: 1 when the child has written, -1 when it could not map */
};

/* The child: map, write every page, say so, and wait to be killed.  No
 * msync, no munmap, no exit: SIGKILL ends it mid-life. */
static int writer(struct demo_ctx *ctx, void *arg)
{
	(void)ctx;
	struct plan *p = arg;
	char *map = mmap(NULL, p->len, PROT_READ | PROT_WRITE, MAP_SHARED, p->fd, 0);
	if (map == MAP_FAILED) {
		__atomic_store_n(p->ready, -1, __ATOMIC_RELEASE);
		return 10;
	}
	memset(map, 'k', p->len); /* stores into the page cache's pages */
	__atomic_store_n(p->ready, 1, __ATOMIC_RELEASE);
	for (;;)
		pause();
}

/* Bytes of the file that read() returns as `want`. */
static int64_t bytes_as(int fd, size_t len, char want)
{
	char buf[4096];
	int64_t same = 0;
	for (size_t done = 0; done < len;) {
		size_t n = len - done < sizeof(buf) ? len - done : sizeof(buf);
		ssize_t got = pread(fd, buf, n, (off_t)done);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return got < 0 ? -1 : same; /* EOF early: the rest is missing */
		for (ssize_t i = 0; i < got; i++)
			same += buf[i] == want;
		done += (size_t)got;
	}
	return same;
}

/* Why the dirty pages cannot be counted here, or NULL when they can. */
static const char *cannot_count(int fd, size_t len)
{
	const char *memory = demo_no_writeback(fd);
	if (memory)
		return memory; /* dirty means nothing there */
	if (file_dirty_pages(fd, len) < 0)
		return "counting dirty pages needs root and /proc/kpageflags";
	return NULL;
}

/* The dirty counts, before and after each msync. */
struct counts {
	int64_t kill, before_sync, after_sync, before_async, after_async, async_later;
	int waited_ms;
};

static int persisted(struct demo_ctx *ctx, const struct plan *p, struct counts *c)
{
	c->kill = file_dirty_pages(p->fd, p->len);
	char *map = mmap(NULL, p->len, PROT_READ | PROT_WRITE, MAP_SHARED, p->fd, 0);
	if (map == MAP_FAILED)
		return demo_cannot(ctx, "mmap");
	memset(map, 's', p->len); /* the seed's example: modify, then msync(MS_SYNC) */
	c->before_sync = file_dirty_pages(p->fd, p->len);
	if (msync(map, p->len, MS_SYNC) != 0) {
		munmap(map, p->len);
		return demo_cannot(ctx, "msync(MS_SYNC)");
	}
	c->after_sync = file_dirty_pages(p->fd, p->len);
	memset(map, 'a', p->len); /* fresh data again, then MS_ASYNC */
	c->before_async = file_dirty_pages(p->fd, p->len);
	if (msync(map, p->len, MS_ASYNC) != 0) {
		munmap(map, p->len);
		return demo_cannot(ctx, "msync(MS_ASYNC)");
	}
	c->after_async = c->async_later = file_dirty_pages(p->fd, p->len);
	/* "asynchronous": give the write it started the time to finish */
	for (c->waited_ms = 0; c->async_later > 0 && c->waited_ms < ASYNC_WAIT_MS; c->waited_ms += 20) {
		usleep(20 * 1000);
		c->async_later = file_dirty_pages(p->fd, p->len);
	}
	munmap(map, p->len);
	return 0;
}

static void dirty_expire(char *out, size_t len)
{
	FILE *f = fopen("/proc/sys/vm/dirty_expire_centisecs", "re");
	int cs;
	if (f && fscanf(f, "%d", &cs) == 1)
		snprintf(out, len, "%.2f s", cs / 100.0);
	else
		snprintf(out, len, "NA");
	if (f)
		fclose(f);
}

static int run(struct demo_ctx *ctx)
{
	char path[PATH_MAX];
	struct plan p = { .len = PAGES * ctx->page, .ready = ctx->shared };
	if ((p.fd = demo_file(ctx, "durable", p.len, '.', path)) < 0)
		return -1;
	if (fsync(p.fd) != 0) { /* clean pages to start from: only the child's stores dirty them */
		close(p.fd);
		return demo_cannot(ctx, "fsync");
	}

	/* The child writes and is killed before it could msync. */
	pid_t pid = demo_spawn(ctx, writer, &p);
	if (pid < 0) {
		close(p.fd);
		return -1;
	}
	siginfo_t gone = { 0 }; /* the child ended before it said anything: stop waiting */
	while (__atomic_load_n(p.ready, __ATOMIC_ACQUIRE) == 0 &&
	       waitid(P_PID, (id_t)pid, &gone, WEXITED | WNOHANG | WNOWAIT) == 0 && gone.si_pid == 0)
		usleep(1000);
	struct demo_end end;
	int killed = kill(pid, SIGKILL); /* a child that already ended is a zombie: still there to kill */
	if (killed != 0 || demo_wait(ctx, pid, &end) != 0) {
		close(p.fd);
		return killed != 0 ? demo_cannot(ctx, "kill") : -1;
	}
	if (*p.ready != 1 || end.sig != SIGKILL) {
		char how[128];
		demo_end_text(&end, how, sizeof(how));
		close(p.fd);
		errno = 0; /* not a syscall's failure */
		return demo_cannot(ctx, "the child could not write through its mapping (it ended with %s)", how);
	}
	int64_t seen = bytes_as(p.fd, p.len, 'k');
	if (seen < 0) {
		close(p.fd);
		return demo_cannot(ctx, "pread");
	}
	demo_observe(ctx, "A child wrote %d pages through MAP_SHARED and was killed (SIGKILL) before any msync;", PAGES);
	demo_observe(ctx, "read() then returned its bytes: %lld of %zu.", (long long)seen, p.len);
	demo_detail(ctx, "bytes_seen_after_kill=%lld/%zu B", (long long)seen, p.len);
	demo_check(ctx, seen == (int64_t)p.len, "%lld of the %zu bytes the killed child wrote were not in the file",
		   (long long)p.len - seen, p.len);

	/* The disk: dirty pages before and after each msync. */
	const char *why = cannot_count(p.fd, p.len);
	struct counts c = { 0 };
	if (why) {
		demo_observe(ctx, "Dirty pages not counted (%s).", why);
		demo_detail(ctx, "persisted=NA (%s)", why);
		close(p.fd);
		return 0;
	}
	int rc = persisted(ctx, &p, &c);
	close(p.fd);
	if (rc != 0)
		return -1;
	char expire[32];
	dirty_expire(expire, sizeof(expire));
	demo_observe(ctx, "%lld of %d pages were still dirty then (in the cache, not on disk).", (long long)c.kill, PAGES);
	demo_observe(ctx, "Written again through a mapping: %lld dirty; after msync(MS_SYNC): %lld.",
		     (long long)c.before_sync, (long long)c.after_sync);
	demo_observe(ctx, "Written again: %lld dirty; after msync(MS_ASYNC): %lld at once, %lld after %d ms.",
		     (long long)c.before_async, (long long)c.after_async, (long long)c.async_later, c.waited_ms);
	demo_detail(ctx, "dirty_after_kill=%lld/%d pages", (long long)c.kill, PAGES);
	demo_detail(ctx, "dirty_before_ms_sync=%lld", (long long)c.before_sync);
	demo_detail(ctx, "dirty_after_ms_sync=%lld", (long long)c.after_sync);
	demo_detail(ctx, "dirty_before_ms_async=%lld", (long long)c.before_async);
	demo_detail(ctx, "dirty_after_ms_async=%lld", (long long)c.after_async);
	demo_detail(ctx, "dirty_after_ms_async_waited=%lld after %d ms", (long long)c.async_later, c.waited_ms);
	demo_detail(ctx, "vm_dirty_expire=%s", expire);
	/* A check means something only when there was dirt for msync to write. */
	if (c.before_sync > 0)
		demo_check(ctx, c.after_sync == 0, "%lld pages were still dirty after msync(MS_SYNC) returned",
			   (long long)c.after_sync);
	else
		demo_detail(ctx, "ms_sync_checked=no (the pages were clean before it)");
	if (c.before_async > 0)
		demo_check(ctx, c.async_later == 0,
			   "MS_ASYNC started no write: %lld of %lld pages still dirty %d ms after it (Linux's MS_ASYNC "
			   "starts no I/O, see mm/msync.c: the flusher writes them once vm.dirty_expire_centisecs old, %s)",
			   (long long)c.async_later, (long long)c.before_async, c.waited_ms, expire);
	else
		demo_detail(ctx, "ms_async_checked=no (the pages were clean before it)");
	return 0;
}

const struct demo demo_msync_and_durability = {
	.name = "msync-and-durability",
	.summary = "a process killed before msync loses nothing; msync is for the disk (MS_SYNC, MS_ASYNC)",
	.prediction = "a child killed (SIGKILL) before any msync loses nothing: read() sees its bytes, which are in the "
		      "page cache; msync is for the disk: after MS_SYNC no page is dirty, and MS_ASYNC starts the write "
		      "(\"asynchronous writes\"), so the pages are clean soon after",
	.run = run,
};
