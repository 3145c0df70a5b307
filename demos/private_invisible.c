/* private-invisible: one process writes through a MAP_PRIVATE mapping.  Its
 * first store into each page faults, and the kernel copies the page cache's
 * page into a new anonymous page of the writer's own (copy-on-write); the
 * store lands in the copy.  Another process's mapping, shared or private, and
 * read() still look at the page cache, and so does the file once the writer
 * is gone: the copies die with it, msync or not. */
#include "demo.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGES 16
static const char message[] = "written through MAP_PRIVATE";

/* What the children tell the parent, in ctx->shared. */
struct board {
	int ready;      /* 1: the writer has written; 2: the reader has looked */
	int own;        /* pages where the writer sees its own message */
	long faults;    /* the writer's minor faults while it wrote */
	int in_shared;  /* pages where the reader saw the message: its MAP_SHARED mapping, */
	int in_private; /* its MAP_PRIVATE mapping, */
	int by_read;    /* read() */
};

struct plan {
	int fd;
	size_t len;
	struct board *b;
};

static int has_message(const char *at)
{
	return memcmp(at, message, sizeof(message)) == 0;
}

/* Reads every page (each now maps the page cache's page, read-only), then
 * writes the message into each, counting the faults: one copy per page. */
static int write_privately(struct demo_ctx *ctx, struct plan *p)
{
	char *map = mmap(NULL, p->len, PROT_READ | PROT_WRITE, MAP_PRIVATE, p->fd, 0);
	if (map == MAP_FAILED)
		return 10;
	volatile char sum = 0;
	for (size_t off = 0; off < p->len; off += ctx->page)
		sum += map[off];
	long before, after, major;
	demo_faults(&before, &major);
	for (size_t off = 0; off < p->len; off += ctx->page)
		memcpy(map + off, message, sizeof(message)); /* fault, copy, store into the copy */
	demo_faults(&after, &major);
	p->b->faults = after - before;
	for (size_t off = 0; off < p->len; off += ctx->page)
		p->b->own += has_message(map + off);
	return msync(map, p->len, MS_SYNC) == 0 ? 0 : 11; /* no way to the file, even so */
}

/* Child 1: writes, lets the reader look while its copies are alive, exits. */
static int writer(struct demo_ctx *ctx, void *arg)
{
	struct plan *p = arg;
	int rc = write_privately(ctx, p);
	__atomic_store_n(&p->b->ready, 1, __ATOMIC_RELEASE);
	while (__atomic_load_n(&p->b->ready, __ATOMIC_ACQUIRE) != 2)
		usleep(1000);
	return rc;
}

/* Child 2: its own MAP_SHARED and MAP_PRIVATE mappings, and read(). */
static int look(struct demo_ctx *ctx, struct plan *p)
{
	char *shared = mmap(NULL, p->len, PROT_READ, MAP_SHARED, p->fd, 0);
	char *private = mmap(NULL, p->len, PROT_READ, MAP_PRIVATE, p->fd, 0);
	char buf[sizeof(message)];
	if (shared == MAP_FAILED || private == MAP_FAILED)
		return 10;
	for (size_t off = 0; off < p->len; off += ctx->page) {
		if (demo_pread(p->fd, buf, sizeof(buf), off) != 0)
			return 11;
		p->b->in_shared += has_message(shared + off);
		p->b->in_private += has_message(private + off);
		p->b->by_read += has_message(buf);
	}
	return 0;
}

static int reader(struct demo_ctx *ctx, void *arg)
{
	struct plan *p = arg;
	while (__atomic_load_n(&p->b->ready, __ATOMIC_ACQUIRE) != 1)
		usleep(1000);
	int rc = look(ctx, p);
	__atomic_store_n(&p->b->ready, 2, __ATOMIC_RELEASE);
	return rc;
}

/* The parent, after both have exited: file bytes that are not the fill. */
static int count_changed(struct demo_ctx *ctx, struct plan *p, uint64_t *changed)
{
	char *page = malloc(ctx->page);
	if (!page)
		return -1;
	*changed = 0;
	for (size_t off = 0; off < p->len; off += ctx->page) {
		if (demo_pread(p->fd, page, ctx->page, off) != 0) {
			free(page);
			return -1;
		}
		for (size_t i = 0; i < ctx->page; i++)
			*changed += page[i] != '.';
	}
	free(page);
	return 0;
}

static int run(struct demo_ctx *ctx)
{
	char path[PATH_MAX];
	struct plan p = { .len = PAGES * ctx->page, .b = ctx->shared };
	if ((p.fd = demo_file(ctx, "private", p.len, '.', path)) < 0)
		return -1;
	pid_t w = demo_spawn(ctx, writer, &p), r = w < 0 ? -1 : demo_spawn(ctx, reader, &p);
	struct demo_end we, re;
	uint64_t changed;
	if (r < 0 || demo_wait(ctx, r, &re) != 0 || demo_wait(ctx, w, &we) != 0 || !we.exited || we.code ||
	    !re.exited || re.code) {
		close(p.fd);
		errno = 0; /* the children's errno is not ours */
		return demo_cannot(ctx, "the writer or the reader failed");
	}
	if (count_changed(ctx, &p, &changed) != 0) {
		close(p.fd);
		return demo_cannot(ctx, "reading the file back");
	}
	close(p.fd);
	struct board *b = p.b;
	demo_observe(ctx, "The writer saw its message in %d of %d pages, after %ld minor faults.", b->own, PAGES,
		     b->faults);
	demo_observe(ctx, "While it was alive, the other process saw it in %d pages of its MAP_SHARED mapping, "
			  "%d of its MAP_PRIVATE mapping, %d by read();", b->in_shared, b->in_private, b->by_read);
	demo_observe(ctx, "after it exited (msync called), %llu bytes of the file had changed.",
		     (unsigned long long)changed);
	demo_detail(ctx, "pages_written=%d", PAGES);
	demo_detail(ctx, "writer_sees_own=%d", b->own);
	demo_detail(ctx, "cow_faults=%ld", b->faults);
	demo_detail(ctx, "seen_in_shared=%d", b->in_shared);
	demo_detail(ctx, "seen_in_private=%d", b->in_private);
	demo_detail(ctx, "seen_by_read=%d", b->by_read);
	demo_detail(ctx, "file_bytes_changed=%llu", (unsigned long long)changed);
	demo_check(ctx, b->own == PAGES, "the writer saw its message in %d pages, not %d", b->own, PAGES);
	demo_check(ctx, b->faults >= PAGES && b->faults <= PAGES + PAGES / 4,
		   "%ld minor faults for %d pages written, not about one a page", b->faults, PAGES);
	demo_check(ctx, b->in_shared == 0, "the other process's MAP_SHARED mapping showed %d written pages", b->in_shared);
	demo_check(ctx, b->in_private == 0, "the other process's MAP_PRIVATE mapping showed %d written pages",
		   b->in_private);
	demo_check(ctx, b->by_read == 0, "read() returned %d written pages", b->by_read);
	demo_check(ctx, changed == 0, "%llu bytes of the file changed", (unsigned long long)changed);
	return 0;
}

const struct demo demo_private_invisible = {
	.name = "private-invisible",
	.summary = "a write through MAP_PRIVATE is the writer's own copy: no other process, read() or the file sees it",
	.prediction = "each page written takes one copy-on-write fault; no other process (MAP_SHARED or MAP_PRIVATE) "
		      "and no read() sees the bytes, and the file is unchanged after the writer exits",
	.run = run,
};
