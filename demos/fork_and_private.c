/* fork-and-private: the parent maps a file twice, MAP_SHARED and MAP_PRIVATE,
 * and writes into the private page (now a page of its own), then forks.  The
 * child inherits both mappings.  Its private page is the parent's page, made
 * read-only in both: the child's store faults and the kernel gives the child
 * a copy (copy-on-write), so the parent keeps its bytes.  The shared mapping
 * is the page cache's page in both processes: the parent sees the child's
 * store there. */
#include "demo.h"

#include <limits.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static const char by_parent[] = "the parent's, before fork";
static const char by_child[] = "the child's, after fork";

struct maps {
	char *shared, *private;
	int *inherited; /* in ctx->shared: the child found the parent's private bytes */
	long *faults;   /* in ctx->shared: the child's minor faults on its private store */
};

/* The child: look at the private page, then store into both pages. */
static int child(struct demo_ctx *ctx, void *arg)
{
	(void)ctx;
	struct maps *m = arg;
	*m->inherited = memcmp(m->private, by_parent, sizeof(by_parent)) == 0;
	long before, after, major;
	demo_faults(&before, &major);
	memcpy(m->private, by_child, sizeof(by_child)); /* fault: the child gets a copy */
	demo_faults(&after, &major);
	*m->faults = after - before;
	memcpy(m->shared, by_child, sizeof(by_child)); /* into the page cache's page */
	return 0;
}

static int run(struct demo_ctx *ctx)
{
	char path[PATH_MAX];
	struct maps m = { .inherited = ctx->shared, .faults = (long *)ctx->shared + 1 };
	int fd = demo_file(ctx, "forked", ctx->page, '.', path);
	if (fd < 0)
		return -1;
	m.shared = mmap(NULL, ctx->page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	m.private = mmap(NULL, ctx->page, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	close(fd);
	if (m.shared == MAP_FAILED || m.private == MAP_FAILED) {
		if (m.shared != MAP_FAILED)
			munmap(m.shared, ctx->page);
		if (m.private != MAP_FAILED)
			munmap(m.private, ctx->page);
		return demo_cannot(ctx, "mmap");
	}
	memcpy(m.private, by_parent, sizeof(by_parent)); /* the parent's own page from now on */

	struct demo_end end;
	int rc = demo_child(ctx, child, &m, &end); /* fork; the child writes both, exits */
	int parent_kept = memcmp(m.private, by_parent, sizeof(by_parent)) == 0;
	int shared_seen = memcmp(m.shared, by_child, sizeof(by_child)) == 0;
	munmap(m.shared, ctx->page);
	munmap(m.private, ctx->page);
	if (rc != 0)
		return -1;
	if (demo_child_ok(ctx, &end) != 0)
		return -1;
	demo_observe(ctx, "The child found the parent's bytes in the private page: %s; its store there took %ld minor "
			  "fault%s; it stored into the shared page too.",
		     *m.inherited ? "yes" : "no", *m.faults, *m.faults == 1 ? "" : "s");
	demo_observe(ctx, "After it exited, the parent's private page held %s, its shared page %s.",
		     parent_kept ? "the parent's bytes" : "something else",
		     shared_seen ? "the child's bytes" : "something else");
	demo_detail(ctx, "child_inherited_private=%d", *m.inherited);
	demo_detail(ctx, "child_private_write_faults=%ld", *m.faults);
	demo_detail(ctx, "parent_private_kept=%d", parent_kept);
	demo_detail(ctx, "parent_shared_sees_child=%d", shared_seen);
	demo_check(ctx, *m.inherited, "the child did not find the parent's bytes in the private page");
	demo_check(ctx, *m.faults >= 1, "the child's private store took no fault: no copy was made");
	demo_check(ctx, parent_kept, "the parent's private page no longer held the parent's bytes");
	demo_check(ctx, shared_seen, "the parent's shared page did not show the child's store");
	return 0;
}

const struct demo demo_fork_and_private = {
	.name = "fork-and-private",
	.summary = "after fork, a child's write to a MAP_PRIVATE page is its own copy; to a MAP_SHARED page, it is seen",
	.prediction = "the child's store into the MAP_PRIVATE page faults and goes into its own copy (copy-on-write), "
		      "so the parent keeps its bytes; its store into the MAP_SHARED page is seen by the parent",
	.run = run,
};
