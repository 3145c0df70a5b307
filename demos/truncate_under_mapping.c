/* truncate-under-mapping: the file shrinks (ftruncate) while it is mapped.
 * The mapping keeps its length, but only the pages that still hold file
 * bytes have anything behind them: a page wholly past the new end is no
 * page of the file, and touching it is SIGBUS (BUS_ADRERR), not SIGSEGV.
 * The last page is partly file: the bytes before the new end read as they
 * were, the rest of that page reads as zeros, and a store there lands in
 * the page cache's page but never in the file (the file ends before it).
 * Writeback zeroes that tail again; on tmpfs nothing is written back (the
 * page is the file's only copy), so that last part is not checked there. */
#include "demo.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static const char tail_note[] = "past the end";

struct seen {
	uint64_t kept_right;  /* bytes before the new end that still read 'x' */
	uint64_t tail_zero;   /* bytes after it, in the same page, that read 0 */
	uintptr_t touched;    /* the address touched in the first page wholly past the end */
};

struct plan {
	int fd;
	uint64_t cut;       /* the new size: one page and a half */
	struct seen *seen;  /* in ctx->shared */
};

/* The child maps 4 pages, reads them all, cuts the file under its own
 * mapping, looks, writes into the tail, then touches page 2. */
static int toucher(struct demo_ctx *ctx, void *arg)
{
	struct plan *p = arg;
	volatile char *map = mmap(NULL, 4 * ctx->page, PROT_READ | PROT_WRITE, MAP_SHARED, p->fd, 0);
	if (map == MAP_FAILED)
		return 10;
	char sum = 0;
	for (size_t i = 0; i < 4; i++)
		sum += map[i * ctx->page]; /* every page mapped in before the cut */
	if (ftruncate(p->fd, (off_t)p->cut) != 0)
		return 11;
	for (uint64_t i = 0; i < p->cut; i++) /* still the file's bytes */
		p->seen->kept_right += map[i] == 'x';
	for (uint64_t i = p->cut; i < 2 * ctx->page; i++) /* the partial page's tail */
		p->seen->tail_zero += map[i] == 0;
	for (size_t i = 0; i < sizeof(tail_note); i++) /* a store past EOF, inside the last page */
		map[p->cut + 100 + i] = tail_note[i];
	p->seen->touched = (uintptr_t)&map[2 * ctx->page + 123];
	sum += map[2 * ctx->page + 123]; /* the pitfall: a page with no file behind it */
	return sum == 0 ? 12 : 13;       /* not reached when the kernel does as taught */
}

/* read() of the whole file: how many bytes it returned, how many were 'x'. */
static int64_t read_all(int fd, size_t cap, int64_t *right)
{
	char buf[4096];
	int64_t total = 0;
	*right = 0;
	while ((size_t)total < cap) {
		ssize_t got = pread(fd, buf, sizeof(buf), (off_t)total);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return -1;
		if (got == 0)
			break; /* EOF */
		for (ssize_t i = 0; i < got; i++)
			*right += buf[i] == 'x';
		total += got;
	}
	return total;
}

/* What a new mapping of the file shows where the child wrote past EOF:
 * 1 when every byte there is zero, 0 when not, -1 when it could not map. */
static int tail_zeros(struct demo_ctx *ctx, const struct plan *p)
{
	const char *map = mmap(NULL, 2 * ctx->page, PROT_READ, MAP_SHARED, p->fd, 0);
	if (map == MAP_FAILED)
		return -1;
	int zeros = 1;
	for (uint64_t i = p->cut; i < 2 * ctx->page; i++)
		zeros &= map[i] == 0;
	munmap((void *)map, 2 * ctx->page);
	return zeros;
}

static int run(struct demo_ctx *ctx)
{
	char path[PATH_MAX];
	struct plan p = { .cut = ctx->page + ctx->page / 2, .seen = ctx->shared };
	if ((p.fd = demo_file(ctx, "shrinking", 4 * ctx->page, 'x', path)) < 0)
		return -1;
	struct demo_end end;
	if (demo_child(ctx, toucher, &p, &end) != 0) {
		close(p.fd);
		return -1;
	}
	if (end.exited && end.code >= 10 && end.code <= 11) {
		close(p.fd);
		errno = 0; /* the child's errno is the child's */
		return demo_cannot(ctx, "the child could not %s", end.code == 10 ? "mmap" : "ftruncate");
	}

	/* The file, after the child is gone: its size, and what read() returns. */
	struct stat st;
	int64_t right, got = read_all(p.fd, 4 * ctx->page, &right);
	if (fstat(p.fd, &st) != 0 || got < 0) {
		close(p.fd);
		return demo_cannot(ctx, "fstat or pread");
	}
	/* A new mapping before any writeback: the page cache's page is the one
	 * the child wrote into.  Then the page written back (fsync), and mapped
	 * again: writeback zeroes what lies past EOF, and writes only up to it. */
	int before_sync = tail_zeros(ctx, &p);
	if (before_sync < 0 || fsync(p.fd) != 0) {
		close(p.fd);
		return demo_cannot(ctx, "mmap or fsync");
	}
	int after_sync = tail_zeros(ctx, &p);
	const char *no_writeback = demo_no_writeback(p.fd); /* tmpfs: the page is the file, nothing zeroes it */
	close(p.fd);
	if (after_sync < 0)
		return demo_cannot(ctx, "mmap");

	char how[128];
	demo_end_text(&end, how, sizeof(how));
	uint64_t tail = 2 * ctx->page - p.cut;
	demo_observe(ctx, "The file was cut from 4 pages to %llu bytes under a 4-page mapping.", (unsigned long long)p.cut);
	demo_observe(ctx, "After the cut, %llu of the %llu bytes before the new end read as before and %llu of the %llu "
			  "bytes after it, in the last page, read 0.",
		     (unsigned long long)p.seen->kept_right, (unsigned long long)p.cut,
		     (unsigned long long)p.seen->tail_zero, (unsigned long long)tail);
	demo_observe(ctx, "Touching %#lx (page 2, wholly past the end) ended the child with %s.",
		     (unsigned long)p.seen->touched, how);
	demo_observe(ctx, "After its store into the tail the file still had %lld bytes, read() returned %lld (%lld right);",
		     (long long)st.st_size, (long long)got, (long long)right);
	if (no_writeback)
		demo_observe(ctx, "a new mapping showed the tail %s, and after fsync %s: no writeback ever zeroes it (%s).",
			     before_sync ? "zeros" : "still holding the store (the cached page)",
			     after_sync ? "zeros" : "still", no_writeback);
	else
		demo_observe(ctx, "a new mapping showed the tail %s before writeback and %s after fsync.",
			     before_sync ? "zeros" : "still holding the store (the cached page)",
			     after_sync ? "zeros" : "not zeros");
	demo_detail(ctx, "new_size=%llu B", (unsigned long long)p.cut);
	demo_detail(ctx, "end=%s", how);
	demo_detail(ctx, "touched=%#lx", (unsigned long)p.seen->touched);
	demo_detail(ctx, "kept_bytes_right=%llu/%llu", (unsigned long long)p.seen->kept_right, (unsigned long long)p.cut);
	demo_detail(ctx, "tail_bytes_zero=%llu/%llu", (unsigned long long)p.seen->tail_zero, (unsigned long long)tail);
	demo_detail(ctx, "size_after_tail_write=%lld B", (long long)st.st_size);
	demo_detail(ctx, "read_bytes=%lld B", (long long)got);
	demo_detail(ctx, "read_bytes_right=%lld B", (long long)right);
	demo_detail(ctx, "tail_zero_remapped_before_writeback=%d", before_sync);
	if (no_writeback)
		demo_detail(ctx, "tail_zero_remapped_after_fsync=NA (%s; seen %d)", no_writeback, after_sync);
	else
		demo_detail(ctx, "tail_zero_remapped_after_fsync=%d", after_sync);

	if (demo_check(ctx, end.sig == SIGBUS, "touching page 2 ended the child with %s, not SIGBUS", how)) {
		demo_check(ctx, end.si_code == BUS_ADRERR, "si_code %d, not BUS_ADRERR", end.si_code);
		demo_check(ctx, end.addr == p.seen->touched, "si_addr %#lx, not the touched %#lx", (unsigned long)end.addr,
			   (unsigned long)p.seen->touched);
	}
	demo_check(ctx, p.seen->kept_right == p.cut, "%llu of the %llu bytes before the new end read wrong",
		   (unsigned long long)(p.cut - p.seen->kept_right), (unsigned long long)p.cut);
	demo_check(ctx, p.seen->tail_zero == tail, "%llu of the %llu bytes past the new end, in its last page, were not 0",
		   (unsigned long long)(tail - p.seen->tail_zero), (unsigned long long)tail);
	demo_check(ctx, (uint64_t)st.st_size == p.cut, "the file grew to %lld bytes after the store past its end",
		   (long long)st.st_size);
	demo_check(ctx, got == (int64_t)p.cut, "read() returned %lld bytes, not the %llu the file has", (long long)got,
		   (unsigned long long)p.cut);
	demo_check(ctx, right == got, "%lld of the bytes read() returned were not the 'x' the file was made of",
		   (long long)(got - right));
	if (!no_writeback) /* on tmpfs there is no writeback to zero the tail: nothing to check */
		demo_check(ctx, after_sync, "the store past the end was still there after writeback");
	return 0;
}

const struct demo demo_truncate_under_mapping = {
	.name = "truncate-under-mapping",
	.summary = "the file shrinks while mapped: past the new end, SIGBUS; in the last page's tail, zeros",
	.prediction = "touching a page wholly past the new end is SIGBUS (BUS_ADRERR) at that address; the bytes before "
		      "the end read as before; the rest of the last page reads 0, and a store there never reaches the "
		      "file (same size, read() returns nothing past the end, zeros again once written back)",
	.run = run,
};
