/* What mmap-shared and mmap-private share: reading a file through a mapping,
 * with the variants of issue 11 (each an option the strategy declares):
 *
 *   populate=off|on   MAP_POPULATE: the kernel builds every page-table entry in
 *                     mmap, so the reads take no faults (the flag adds no call)
 *   madvise=...       one madvise() after mmap: normal (the kernel's default,
 *                     so no call is made), sequential, random, willneed,
 *                     hugepage
 *   map=per-pass|once per-pass: mapped in pass_begin and unmapped in pass_end,
 *                     both timed; once: mapped in the untimed setup and
 *                     unmapped in teardown, every pass reads the same mapping,
 *                     so a pass times reading through a mapping only
 *   window=SIZE       0: the whole file; else map SIZE bytes, read them,
 *                     unmap, slide to the next window ("map only what you
 *                     need").  Done in move(): every thread maps its own
 *                     windows.  A span that crosses a window's end is moved
 *                     up to it (a short move); span_next hands the rest.
 *
 * Only MAP_SHARED or MAP_PRIVATE differs between the two.  Nobody writes,
 * so a private mapping never copies: every variant means for it what it
 * means for a shared one (MAP_POPULATE on a read-only private mapping maps
 * the page cache's pages, it does not copy them as it would for a writable
 * one). */
#ifndef IOPATHS_MAPPING_H
#define IOPATHS_MAPPING_H

#include "strategy.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

/* The values of the options, in the order their cells are made. */
enum { POPULATE_OFF, POPULATE_ON };
enum { ADVISE_NORMAL, ADVISE_SEQUENTIAL, ADVISE_RANDOM, ADVISE_WILLNEED, ADVISE_HUGEPAGE };
enum { MAP_PER_PASS, MAP_ONCE };

/* The four options, one entry each, for the strategy's .options. */
#define MAPPING_OPTIONS                                                                                        \
	{ "populate", "MAP_POPULATE: mmap builds every page-table entry, the reads take no faults",            \
	  OPTION_VALUES("off", "on"), .dflt = POPULATE_OFF },                                                  \
	{ "madvise", "madvise() after mmap; normal makes no call; hugepage fails the pass where the kernel "   \
		     "refuses it",                                                                             \
	  OPTION_VALUES("normal", "sequential", "random", "willneed", "hugepage"), .dflt = ADVISE_NORMAL },    \
	{ "map", "per-pass: mmap and munmap in every pass, timed; once: mapped in the untimed setup, every "  \
		 "pass reads the same mapping",                                                                \
	  OPTION_VALUES("per-pass", "once"), .dflt = MAP_PER_PASS },                                           \
	{ "window", "0: map the whole file; else map this many bytes at a time, read them, unmap, slide "     \
		    "(at least a page; not with map=once)",                                                    \
	  .dflt = 0, .min = 0, .max = (uint64_t)1 << 40 }

/* The strategy's state, made in setup and shared by every thread of a pass;
 * the options read once there, not in the timed passes. */
struct mapping {
	int flags;       /* MAP_SHARED or MAP_PRIVATE, | MAP_POPULATE with populate=on */
	uint64_t advise; /* the madvise option: ADVISE_NORMAL makes no call */
	int once;        /* map=once */
	uint64_t window; /* 0: the whole file */
	char *map;       /* the whole file's mapping (window 0), or NULL */
	size_t page;
};

static const int advice[] = { [ADVISE_SEQUENTIAL] = MADV_SEQUENTIAL, [ADVISE_RANDOM] = MADV_RANDOM,
			      [ADVISE_WILLNEED] = MADV_WILLNEED, [ADVISE_HUGEPAGE] = MADV_HUGEPAGE };

/* mmap `len` bytes of the file at `off` (a multiple of the page), with the
 * populate and madvise options.  NULL after job_fail. */
static inline char *map_range(struct job *j, const struct mapping *m, uint64_t off, size_t len)
{
	char *p = mmap(NULL, len, PROT_READ, m->flags, j->fd, (off_t)off);
	if (p == MAP_FAILED) {
		job_fail(j, "mmap");
		return NULL;
	}
	if (m->advise != ADVISE_NORMAL && madvise(p, len, advice[m->advise]) != 0) {
		job_fail(j, "madvise"); /* e.g. hugepage without THP: never measured as if it had applied */
		munmap(p, len);
		return NULL;
	}
	return p;
}

/* The whole file's mapping, when this pass (or run) reads through one. */
static inline int map_whole(struct job *j)
{
	struct mapping *m = j->state;
	if (j->size == 0 || m->window != 0)
		return 0;                                     /* mmap cannot map 0 bytes */
	m->map = map_range(j, m, 0, j->size);
	return m->map ? 0 : -1;
}

static inline int unmap_whole(struct job *j)
{
	struct mapping *m = j->state;
	char *map = m->map;
	m->map = NULL;
	if (map && munmap(map, j->size) != 0)
		return job_fail(j, "munmap");
	return 0;
}

/* Untimed: the state; with map=once, the mapping too. */
static inline int mapping_setup(struct job *j, int flags)
{
	struct mapping *m = calloc(1, sizeof(*m));
	if (!m)
		return job_fail(j, "calloc");
	m->flags = flags | (job_option(j, "populate") == POPULATE_ON ? MAP_POPULATE : 0);
	m->advise = job_option(j, "madvise");
	m->once = job_option(j, "map") == MAP_ONCE;
	m->window = job_option(j, "window");
	m->page = (size_t)sysconf(_SC_PAGESIZE);
	j->state = m;
	return m->once ? map_whole(j) : 0;
}

static inline void mapping_teardown(struct job *j)
{
	if (j->state) {
		unmap_whole(j);
		free(j->state);
	}
	j->state = NULL;
}

/* Timed, once per pass, by one thread: map=per-pass maps the whole file here. */
static inline int mapping_pass_begin(struct job *j)
{
	const struct mapping *m = j->state;
	return m->once ? 0 : map_whole(j);
}

static inline int mapping_pass_end(struct job *j)
{
	const struct mapping *m = j->state;
	return m->once ? 0 : unmap_whole(j);
}

/* Timed: read the spans this thread is handed, in any order. */
static inline int mapping_move(struct job *j)
{
	const struct mapping *m = j->state;
	uint64_t window = m->window;
	struct span s;
	if (window == 0) {
		for (; span_next(j, &s, SIZE_MAX); span_moved(j, s.len))
			consume_at(j, s.off, m->map + s.off, s.len); /* faults pull pages in */
		return 0;
	}
	/* This thread's window: the bytes [at, end) mapped from `base`, which
	 * starts at the page that holds `at` (mmap takes whole pages). */
	char *map = NULL;
	uint64_t at = 0, end = 0, base = 0;
	int rc = 0;
	while (rc == 0 && span_next(j, &s, SIZE_MAX)) {
		uint64_t off = (uint64_t)s.off;
		if (!map || off < at || off >= end) {
			if (map && munmap(map, end - base) != 0) {
				map = NULL;
				rc = job_fail(j, "munmap");
				break;
			}
			at = off - off % window;
			end = at + window < j->size ? at + window : j->size;
			base = at - at % m->page;
			if (!(map = map_range(j, m, base, end - base)))
				return -1;
		}
		size_t n = s.len < end - off ? s.len : (size_t)(end - off); /* up to the window's end */
		consume_at(j, s.off, map + (off - base), n);
		span_moved(j, n);
	}
	if (map && munmap(map, end - base) != 0)
		rc = job_fail(j, "munmap");
	return rc;
}

/* The windows one thread maps in a pass.  In order: one per window.  In a
 * random order: one per piece of a span that lies in one window (a span
 * across a window's end is two pieces), since the next span is almost never
 * in the window just read; an order that happens to stay saves one, not
 * predicted (as span_seeks). */
static inline double windows_of(const struct job *j, uint64_t window)
{
	uint64_t io = j->io_bytes ? j->io_bytes : j->block;
	if (j->pattern != PATTERN_RANDOM || !io || j->size <= io || j->size <= window) /* one window: mapped once */
		return blocks_of(j->size, window);
	double n = 0;
	for (uint64_t at = 0; at < j->size; at += io) {
		uint64_t last = (at + io < j->size ? at + io : j->size) - 1;
		n += (double)(last / window - at / window + 1);
	}
	return n;
}

/* --explain: syscalls per pass of one thread. */
static inline double mapping_predict(const struct job *j)
{
	uint64_t window = job_option(j, "window");
	double advise = job_option(j, "madvise") != ADVISE_NORMAL; /* populate is a flag of mmap: no call */
	if (j->size == 0)
		return 0;
	if (window)                                           /* mmap, [madvise,] munmap per window */
		return windows_of(j, window) * (2 + advise);
	return job_option(j, "map") == MAP_ONCE ? 0 : 2 + advise; /* once: all of it in setup */
}

/* What cannot run, refused before anything is made (status 2). */
static inline int mapping_refuse(const struct job *j, const char *dir, int cold, char *why, size_t len)
{
	uint64_t window = job_option(j, "window");
	const char *name = j->strategy->name;
	(void)dir;
	if (cold && job_option(j, "map") == MAP_ONCE) /* eviction skips mapped pages, anyone's */
		snprintf(why, len, "%s: map=once keeps the file's pages mapped, and a mapped page cannot be "
			 "evicted: --cache cold would be hot, for every cell of its size", name);
	else if (window && job_option(j, "map") == MAP_ONCE)
		snprintf(why, len, "%s: map=once maps the whole file once; window=%llu maps a piece at a time "
			 "in every pass: choose one", name, (unsigned long long)window);
	else if (window && window < (uint64_t)sysconf(_SC_PAGESIZE))
		snprintf(why, len, "%s: window=%llu is smaller than a page: mmap maps whole pages", name,
			 (unsigned long long)window);
	else
		return 0;
	return -1;
}

#endif
