/* use-after-munmap: the pitfall of touching memory after munmap.  The
 * address no longer belongs to any mapping, so the access faults and the
 * kernel sends SIGSEGV with si_code SEGV_MAPERR ("no mapping here", not
 * SEGV_ACCERR, "mapped but not allowed") and si_addr the touched address. */
#include "demo.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

struct plan {
	int fd;
	uintptr_t *touched; /* in ctx->shared: the address the child touched */
};

/* The child maps, reads, unmaps, then reads the same address again. */
static int toucher(struct demo_ctx *ctx, void *arg)
{
	struct plan *p = arg;
	volatile char *map = mmap(NULL, 4 * ctx->page, PROT_READ, MAP_SHARED, p->fd, 0);
	if (map == MAP_FAILED)
		return 10;
	char first = map[ctx->page]; /* fine: mapped */
	if (munmap((void *)map, 4 * ctx->page) != 0)
		return 11;
	*p->touched = (uintptr_t)&map[ctx->page + 123];
	first += map[ctx->page + 123]; /* the pitfall: the mapping is gone */
	return first == 0 ? 12 : 13;   /* not reached when the kernel does as taught */
}

static int run(struct demo_ctx *ctx)
{
	char path[PATH_MAX];
	struct plan p = { .touched = ctx->shared };
	if ((p.fd = demo_file(ctx, "unmapped", 4 * ctx->page, 'x', path)) < 0)
		return -1;
	struct demo_end end;
	int rc = demo_child(ctx, toucher, &p, &end);
	close(p.fd);
	if (rc != 0)
		return -1;
	if (end.exited && end.code >= 10 && end.code <= 11) {
		errno = 0; /* the child's errno is not ours */
		return demo_cannot(ctx, "the child could not %s", end.code == 10 ? "mmap" : "munmap");
	}
	char how[128];
	demo_end_text(&end, how, sizeof(how));
	demo_observe(ctx, "The child touched %#lx after munmap and ended with %s.", (unsigned long)*p.touched, how);
	demo_detail(ctx, "end=%s", how);
	demo_detail(ctx, "touched=%#lx", (unsigned long)*p.touched);
	if (demo_check(ctx, end.sig == SIGSEGV, "the child ended with %s, not SIGSEGV", how)) {
		demo_check(ctx, end.si_code == SEGV_MAPERR, "si_code %d, not SEGV_MAPERR", end.si_code);
		demo_check(ctx, end.addr == *p.touched, "si_addr %#lx, not the touched %#lx", (unsigned long)end.addr,
			   (unsigned long)*p.touched);
	}
	return 0;
}

const struct demo demo_use_after_munmap = {
	.name = "use-after-munmap",
	.summary = "touching a page after munmap",
	.prediction = "SIGSEGV with si_code SEGV_MAPERR (no mapping at that address), si_addr the touched address",
	.run = run,
};
