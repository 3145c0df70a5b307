/* shared-visible: one process writes through a MAP_SHARED mapping; another
 * sees the bytes at once, through its own mapping and through read(), with
 * no msync.  There is one copy of the page, in the page cache, and both
 * mappings point at it; read() copies from that same page. */
#include "demo.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static const char message[] = "written through MAP_SHARED";

struct files {
	int fd;
	int *ready; /* in ctx->shared: the writer has written, the reader may look */
	int *seen;  /* in ctx->shared: [0] own mapping, [1] read() */
};

/* Child 1: map the file shared, write, tell the reader, stay alive (the
 * mapping stays, nothing is synced) until the reader has looked. */
static int writer(struct demo_ctx *ctx, void *arg)
{
	struct files *f = arg;
	char *map = mmap(NULL, ctx->page, PROT_READ | PROT_WRITE, MAP_SHARED, f->fd, 0);
	if (map == MAP_FAILED)
		return 10;
	memcpy(map, message, sizeof(message)); /* a store into the page cache's page */
	__atomic_store_n(f->ready, 1, __ATOMIC_RELEASE);
	while (__atomic_load_n(f->ready, __ATOMIC_ACQUIRE) != 2)
		usleep(1000);
	return 0;
}

/* Child 2: its own mapping of the same file, and read() on its own fd. */
static int reader(struct demo_ctx *ctx, void *arg)
{
	struct files *f = arg;
	while (__atomic_load_n(f->ready, __ATOMIC_ACQUIRE) != 1)
		usleep(1000);
	char *map = mmap(NULL, ctx->page, PROT_READ, MAP_SHARED, f->fd, 0);
	char buf[sizeof(message)];
	if (map == MAP_FAILED || pread(f->fd, buf, sizeof(buf), 0) != (ssize_t)sizeof(buf))
		return 10;
	f->seen[0] = memcmp(map, message, sizeof(message)) == 0;
	f->seen[1] = memcmp(buf, message, sizeof(message)) == 0;
	__atomic_store_n(f->ready, 2, __ATOMIC_RELEASE);
	return 0;
}

static int run(struct demo_ctx *ctx)
{
	char path[PATH_MAX];
	struct files f = { .ready = ctx->shared, .seen = (int *)ctx->shared + 1 };
	if ((f.fd = demo_file(ctx, "shared", ctx->page, '.', path)) < 0)
		return -1;
	pid_t w = demo_spawn(ctx, writer, &f), r = w < 0 ? -1 : demo_spawn(ctx, reader, &f);
	struct demo_end we, re;
	if (r < 0 || demo_wait(ctx, r, &re) != 0 || demo_wait(ctx, w, &we) != 0 || !we.exited || we.code ||
	    !re.exited || re.code) {
		close(f.fd);
		errno = 0; /* the child's errno is not ours */
		return demo_cannot(ctx, "the writer or the reader failed");
	}
	close(f.fd);
	demo_observe(ctx, "The other process saw the bytes through its own mapping: %s; through read(): %s; no msync was called.",
		     f.seen[0] ? "yes" : "no", f.seen[1] ? "yes" : "no");
	demo_detail(ctx, "seen_in_mapping=%d", f.seen[0]);
	demo_detail(ctx, "seen_by_read=%d", f.seen[1]);
	demo_check(ctx, f.seen[0], "the other process's mapping did not show the write");
	demo_check(ctx, f.seen[1], "read() did not return the written bytes");
	return 0;
}

const struct demo demo_shared_visible = {
	.name = "shared-visible",
	.summary = "a write through MAP_SHARED is seen at once by another process's mapping and by read()",
	.prediction = "another process sees the bytes at once, through its own mapping and through read(), "
		      "without msync: both map the one page in the page cache",
	.run = run,
};
