/* permissions-and-alignment: what mmap refuses, and what it allows that
 * bites later.  A shared writable mapping would let stores reach the file,
 * so it needs a descriptor open for writing (EACCES otherwise); a private
 * one never writes the file, so a read-only descriptor is enough.  The file
 * offset must be a whole number of pages and the length more than 0
 * (EINVAL).  A mapping longer than the file is allowed: the pages with no
 * file behind them fail only when touched, with SIGBUS. */
#include "demo.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* One mmap call: 0 when mmap succeeded (the mapping removed again), else
 * the errno it failed with.  *name gets errno's name, "allowed" for 0. */
static int try_map(size_t len, int prot, int flags, int fd, off_t off, const char **name)
{
	void *map = mmap(NULL, len, prot, flags, fd, off);
	int e = map == MAP_FAILED ? errno : 0;
	if (!e)
		munmap(map, len);
	*name = e ? strerrorname_np(e) : "allowed";
	return e;
}

struct plan {
	int fd;             /* O_RDONLY */
	uintptr_t *touched; /* in ctx->shared */
};

/* A 4-page mapping of a 1-page file: page 0 reads, page 2 has no file. */
static int past_eof(struct demo_ctx *ctx, void *arg)
{
	struct plan *p = arg;
	volatile char *map = mmap(NULL, 4 * ctx->page, PROT_READ, MAP_SHARED, p->fd, 0);
	if (map == MAP_FAILED)
		return 10;
	char first = map[0]; /* fine: the file's page */
	*p->touched = (uintptr_t)&map[2 * ctx->page + 5];
	first += map[2 * ctx->page + 5]; /* the pitfall: past EOF */
	return first == 0 ? 12 : 13;     /* not reached when the kernel does as taught */
}

static int run(struct demo_ctx *ctx)
{
	char path[PATH_MAX];
	int rw = demo_file(ctx, "readonly", ctx->page, 'r', path);
	if (rw < 0)
		return -1;
	close(rw);
	struct plan p = { .fd = open(path, O_RDONLY | O_CLOEXEC), .touched = ctx->shared };
	if (p.fd < 0)
		return demo_cannot(ctx, "open O_RDONLY");

	const char *shared_w, *private_w, *odd_off, *zero_len, *odd_len, *long_map;
	int e_shared = try_map(ctx->page, PROT_READ | PROT_WRITE, MAP_SHARED, p.fd, 0, &shared_w);
	int e_private = try_map(ctx->page, PROT_READ | PROT_WRITE, MAP_PRIVATE, p.fd, 0, &private_w);
	int e_off = try_map(ctx->page, PROT_READ, MAP_SHARED, p.fd, (off_t)(ctx->page / 2), &odd_off);
	int e_len = try_map(0, PROT_READ, MAP_SHARED, p.fd, 0, &zero_len);
	/* not in the prediction, though the seed says the length must be
	 * page-aligned: Linux rounds it up to whole pages */
	try_map(ctx->page / 2 + 1, PROT_READ, MAP_SHARED, p.fd, 0, &odd_len);
	int e_long = try_map(4 * ctx->page, PROT_READ, MAP_SHARED, p.fd, 0, &long_map);
	struct demo_end end;
	int rc = demo_child(ctx, past_eof, &p, &end);
	close(p.fd);
	if (rc != 0)
		return -1;
	if (end.exited && end.code == 10) {
		errno = 0; /* the child's errno is the child's */
		return demo_cannot(ctx, "the child could not mmap");
	}
	char how[128];
	demo_end_text(&end, how, sizeof(how));

	demo_observe(ctx, "On a read-only descriptor: PROT_WRITE with MAP_SHARED: %s; with MAP_PRIVATE: %s.", shared_w,
		     private_w);
	demo_observe(ctx, "Offset of half a page: %s; length 0: %s; a length of half a page + 1: %s.", odd_off, zero_len,
		     odd_len);
	demo_observe(ctx, "4 pages of a 1-page file: %s; touching page 2 ended the child with %s.", long_map, how);
	demo_detail(ctx, "rdonly_shared_write=%s", shared_w);
	demo_detail(ctx, "rdonly_private_write=%s", private_w);
	demo_detail(ctx, "offset_half_page=%s", odd_off);
	demo_detail(ctx, "length_0=%s", zero_len);
	demo_detail(ctx, "length_not_page_multiple=%s", odd_len);
	demo_detail(ctx, "map_past_eof=%s", long_map);
	demo_detail(ctx, "touch_past_eof=%s", how);
	demo_detail(ctx, "touched=%#lx", (unsigned long)*p.touched);

	demo_check(ctx, e_shared == EACCES, "MAP_SHARED + PROT_WRITE on an O_RDONLY fd: %s, not EACCES", shared_w);
	demo_check(ctx, e_private == 0, "MAP_PRIVATE + PROT_WRITE on an O_RDONLY fd: %s, not allowed", private_w);
	demo_check(ctx, e_off == EINVAL, "an offset of half a page: %s, not EINVAL", odd_off);
	demo_check(ctx, e_len == EINVAL, "length 0: %s, not EINVAL", zero_len);
	demo_check(ctx, e_long == 0, "a mapping longer than the file: %s, not allowed", long_map);
	if (demo_check(ctx, end.sig == SIGBUS, "touching a page past EOF ended the child with %s, not SIGBUS", how)) {
		demo_check(ctx, end.si_code == BUS_ADRERR, "si_code %d, not BUS_ADRERR", end.si_code);
		demo_check(ctx, end.addr == *p.touched, "si_addr %#lx, not the touched %#lx", (unsigned long)end.addr,
			   (unsigned long)*p.touched);
	}
	return 0;
}

const struct demo demo_permissions_and_alignment = {
	.name = "permissions-and-alignment",
	.summary = "what mmap refuses (EACCES, EINVAL) and what it allows that faults later (SIGBUS past EOF)",
	.prediction = "on an O_RDONLY fd, PROT_WRITE with MAP_SHARED is EACCES but with MAP_PRIVATE allowed; an offset "
		      "that is not a page multiple and length 0 are EINVAL; a mapping past EOF is allowed, and touching "
		      "a page wholly past EOF is SIGBUS (BUS_ADRERR) at that address",
	.run = run,
};
