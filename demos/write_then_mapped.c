/* write-then-mapped: write() into a file that is already mapped.  write()
 * copies into the page cache's page, and a MAP_SHARED mapping maps that very
 * page: the bytes are there at once.  A MAP_PRIVATE mapping maps the same
 * page too, until the process writes into it: then the page is copied and the
 * mapping points at the copy, which no later write() reaches.  POSIX leaves
 * unspecified whether a private mapping sees later changes to the file; this
 * is Linux's answer, page by page. */
#include "demo.h"

#include <limits.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static const char by_write[] = "written by write()";
static const char by_store[] = "stored through MAP_PRIVATE";
#define AT 64 /* where in each page write() puts its bytes: past the store's */

/* What the child saw after write(), in ctx->shared. */
struct seen {
	int shared[2];  /* the write()'s bytes in the MAP_SHARED mapping, page 0 and 1 */
	int private[2]; /* in the MAP_PRIVATE one: page 0 only read, page 1 written first */
	int own_kept;   /* page 1 still has the child's own store */
};

static int has(const char *at, const char *what)
{
	return memcmp(at, what, strlen(what)) == 0;
}

static int child(struct demo_ctx *ctx, void *arg)
{
	int fd = *(int *)arg;
	struct seen *s = ctx->shared;
	size_t len = 2 * ctx->page;
	char *shared = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	char *private = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (shared == MAP_FAILED || private == MAP_FAILED)
		return 10;
	volatile char sum = 0;
	for (size_t off = 0; off < len; off += ctx->page)
		sum += shared[off] + private[off]; /* every page mapped: the page cache's */
	memcpy(private + ctx->page, by_store, strlen(by_store)); /* page 1: copied, now our own */

	for (size_t off = AT; off < len; off += ctx->page) /* then write() into both pages */
		if (demo_pwrite(fd, by_write, strlen(by_write), off) != 0)
			return 11;

	for (int i = 0; i < 2; i++) {
		s->shared[i] = has(shared + i * ctx->page + AT, by_write);
		s->private[i] = has(private + i * ctx->page + AT, by_write);
	}
	s->own_kept = has(private + ctx->page, by_store);
	return 0;
}

static int run(struct demo_ctx *ctx)
{
	char path[PATH_MAX];
	int fd = demo_file(ctx, "written", 2 * ctx->page, '.', path);
	if (fd < 0)
		return -1;
	struct demo_end end;
	int rc = demo_child(ctx, child, &fd, &end);
	close(fd);
	if (rc != 0)
		return -1;
	if (demo_child_ok(ctx, &end) != 0)
		return -1;
	struct seen *s = ctx->shared;
	const char *yn[] = { "no", "yes" };
	demo_observe(ctx, "After write() into both pages, the MAP_SHARED mapping showed it: page 0 %s, page 1 %s;",
		     yn[s->shared[0]], yn[s->shared[1]]);
	demo_observe(ctx, "the MAP_PRIVATE mapping: page 0 (only read) %s, page 1 (written through the mapping first) %s, "
			  "where the mapping's own store %s.",
		     yn[s->private[0]], yn[s->private[1]], s->own_kept ? "stayed" : "was gone");
	demo_detail(ctx, "shared_page0_sees_write=%d", s->shared[0]);
	demo_detail(ctx, "shared_page1_sees_write=%d", s->shared[1]);
	demo_detail(ctx, "private_read_page_sees_write=%d", s->private[0]);
	demo_detail(ctx, "private_copied_page_sees_write=%d", s->private[1]);
	demo_detail(ctx, "private_copied_page_keeps_store=%d", s->own_kept);
	demo_check(ctx, s->shared[0] && s->shared[1], "the MAP_SHARED mapping did not show the write() (page 0 %s, page 1 %s)",
		   yn[s->shared[0]], yn[s->shared[1]]);
	demo_check(ctx, s->private[0], "the MAP_PRIVATE page only read did not show the write()");
	demo_check(ctx, !s->private[1], "the MAP_PRIVATE page already written through the mapping showed the write()");
	demo_check(ctx, s->own_kept, "the MAP_PRIVATE page lost the mapping's own store");
	return 0;
}

const struct demo demo_write_then_mapped = {
	.name = "write-then-mapped",
	.summary = "a write() into a mapped file: seen by MAP_SHARED, and by MAP_PRIVATE only in pages not yet copied",
	.prediction = "a MAP_SHARED mapping shows the write() at once (one page cache); POSIX leaves MAP_PRIVATE "
		      "unspecified, and Linux shows it in a page only read so far but not in a page already written "
		      "through the mapping (that page is the process's own copy)",
	.run = run,
};
