/* Why jumping out of this handler is safe enough.
 *
 * siglongjmp out of a SIGBUS handler is the standard way to survive a fault
 * on a mapping (it is how databases that mmap their files do it).  It is not
 * async-signal-safe in general: code interrupted while it holds a lock, or
 * halfway through changing shared state, would be left that way.  Here the
 * jump is taken only when all of these hold:
 *   - the signal came from a fault (si_code > 0), not from kill() or raise():
 *     a synchronous signal, so the interrupted code is the instruction that
 *     touched the page, in the thread that touched it;
 *   - that thread is inside sigbus_guard(), that is, inside the timed passes,
 *     where the code that touches a mapping is the strategy's own loads and
 *     stores: the consumer's checksum loop (ours) and memcpy (which holds no
 *     lock and keeps no state).  No malloc, stdio or lock is ever held there;
 *   - the guard's frame is still live: armed_env points into it and is
 *     put back to the enclosing guard's (or NULL) before the guard returns.
 * What the jump leaves behind is the strategy's half-done pass: its mapping
 * (its file pages released by sigbus_explain when it can tell it is the
 * strategy's, its addresses kept reserved for the strategy to unmap) and a
 * consumer midway through a pass (reset before every sample).  The sample
 * fails, and so does the run, so no number from that state is ever kept.
 *
 * The handler has SA_NODEFER and an empty sa_mask: the signal mask is not
 * changed on entry, so sigsetjmp need not save it (saving costs a syscall in
 * the timed region, which the syscall counter would count) and SIGBUS is not
 * left blocked after the jump (a second fault while blocked would kill). */
#include "sigbus.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static _Thread_local sigjmp_buf *volatile armed_env;
static _Thread_local struct sigbus_fault *volatile armed_fault;

static void on_sigbus(int sig, siginfo_t *si, void *context)
{
	(void)context;
	sigjmp_buf *env = armed_env;
	if (env && si->si_code > 0) {
		armed_fault->addr = si->si_addr;
		armed_fault->code = si->si_code;
		armed_env = NULL;
		siglongjmp(*env, 1);
	}
	/* Not ours to catch: die of it as before, core dump and exit status included. */
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigemptyset(&dfl.sa_mask);
	sigaction(sig, &dfl, NULL);
	raise(sig);
}

void sigbus_install(void)
{
	struct sigaction sa = { .sa_sigaction = on_sigbus, .sa_flags = SA_SIGINFO | SA_NODEFER };
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGBUS, &sa, NULL) != 0)
		fprintf(stderr, "iopaths: warning: no SIGBUS handler (%s): a file that shrinks under a mapping "
			"will kill the run\n", strerror(errno));
}

int sigbus_guard(int (*fn)(void *), void *arg, struct sigbus_fault *fault)
{
	/* A guard inside a guard (crew_pass's, in the driver's): the outer one
	 * is armed again when the inner one ends, either way. */
	sigjmp_buf *outer_env = armed_env;
	struct sigbus_fault *outer_fault = armed_fault;
	sigjmp_buf env;
	if (sigsetjmp(env, 0) != 0) {
		armed_fault = outer_fault;
		armed_env = outer_env;
		return SIGBUS_TRAPPED;
	}
	armed_fault = fault;
	armed_env = &env;
	int rc = fn(arg);
	armed_env = outer_env; /* the enclosing guard, armed again */
	armed_fault = outer_fault;
	return rc;
}

static const char *code_name(int code)
{
	switch (code) {
	case BUS_ADRALN: return "misaligned address";
	case BUS_ADRERR: return "no such address in the file";
	case BUS_OBJERR: return "object error";
#ifdef BUS_MCEERR_AR
	case BUS_MCEERR_AR:
	case BUS_MCEERR_AO: return "hardware memory error";
#endif
	default: return "unknown cause";
	}
}

/* One line of /proc/self/maps. */
struct vma {
	uintptr_t start, end;
	uint64_t pgoff; /* file offset of start */
	unsigned major, minor;
	uint64_t ino;
	char path[PATH_MAX];
};

/* Is the file that v maps the one open as fd?  /proc/self/maps shows the
 * superblock's device, which on btrfs is not the st_dev that fstat shows;
 * then the mapped path, stat'ed, must be the same file. */
static int maps_file(const struct vma *v, int fd, struct stat *now)
{
	struct stat by_path;
	if (fd < 0 || v->ino == 0 || fstat(fd, now) != 0 || (uint64_t)now->st_ino != v->ino)
		return 0;
	if (major(now->st_dev) == v->major && minor(now->st_dev) == v->minor)
		return 1;
	return v->path[0] == '/' && stat(v->path, &by_path) == 0 && by_path.st_dev == now->st_dev &&
	       by_path.st_ino == now->st_ino;
}

/* The mapping that holds addr: the run of adjacent VMAs of one file at
 * consecutive offsets around it (the kernel usually merges them into one). */
static int continues(const struct vma *run, const struct vma *v)
{
	return v->ino != 0 && v->ino == run->ino && v->major == run->major && v->minor == run->minor &&
	       v->start == run->end && v->pgoff == run->pgoff + (run->end - run->start);
}

static int find_mapping(uintptr_t addr, struct vma *found)
{
	FILE *maps = fopen("/proc/self/maps", "re");
	char line[PATH_MAX + 128];
	struct vma run = { 0 }, v;
	int at_line_start = 1, have = 0;
	if (!maps)
		return 0;
	while (fgets(line, sizeof(line), maps)) {
		int starts = at_line_start; /* a long path is read in pieces: parse line starts only */
		at_line_start = strchr(line, '\n') != NULL;
		unsigned long long start, end, pgoff, ino;
		int path_at = 0;
		if (!starts || sscanf(line, "%llx-%llx %*s %llx %x:%x %llu %n", &start, &end, &pgoff, &v.major,
				      &v.minor, &ino, &path_at) < 6)
			continue;
		v.start = (uintptr_t)start;
		v.end = (uintptr_t)end;
		v.pgoff = pgoff;
		v.ino = ino;
		snprintf(v.path, sizeof(v.path), "%s", path_at ? line + path_at : "");
		v.path[strcspn(v.path, "\n")] = '\0';
		if (continues(&run, &v)) {
			run.end = v.end;
		} else {
			if (have)
				break;
			run = v;
		}
		have = have || (addr >= run.start && addr < run.end);
	}
	fclose(maps);
	if (have)
		*found = run;
	return have;
}

void sigbus_explain(const struct sigbus_fault *fault, struct job *j, char *err, size_t errlen)
{
	uintptr_t addr = (uintptr_t)fault->addr;
	struct vma v;
	struct stat now;
	const char *which = NULL;

	if (!find_mapping(addr, &v)) {
		snprintf(err, errlen, "SIGBUS (%s) at address %#" PRIxPTR ", outside any file mapping",
			 code_name(fault->code), addr);
		return;
	}
	if (maps_file(&v, j->fd, &now))
		which = "data file";
	else if (j->sink == SINK_FILE && maps_file(&v, j->out, &now))
		which = "sink file";
	if (!which) {
		snprintf(err, errlen, "SIGBUS (%s) at address %#" PRIxPTR " in a mapping of %s, "
			 "which is neither the data file nor the sink file", code_name(fault->code), addr,
			 v.path[0] ? v.path : "an unnamed file");
		return;
	}
	uint64_t offset = v.pgoff + (addr - v.start);
	uint64_t size_now = (uint64_t)now.st_size;
	if (offset >= size_now)
		snprintf(err, errlen, "the %s shrank under the mapping: SIGBUS at offset %" PRIu64 " of a %" PRIu64
			 "-byte file (file is now %" PRIu64 " bytes)", which, offset, j->size, size_now);
	else
		snprintf(err, errlen, "SIGBUS (%s) at offset %" PRIu64 " of the %s, which still has %" PRIu64
			 " bytes: the page could not be read", code_name(fault->code), offset, which, size_now);

	/* The strategy's mapping is still there: the jump skipped its munmap.
	 * It maps the data or sink file, which the harness itself never keeps
	 * mapped across a pass, so it can only be the strategy's.  Its pages of
	 * the file are let go, but not its addresses: the range becomes an
	 * inaccessible anonymous reservation, so a strategy that still holds the
	 * pointer (a mapping kept in j->state, unmapped in pass_end or teardown)
	 * unmaps the reservation, never memory mapped there since.  One whose
	 * pointer died with its stack frame leaves the reservation: address
	 * space only, in a run that is failing anyway. */
	if (mmap((void *)v.start, v.end - v.start, PROT_NONE, MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		 -1, 0) == MAP_FAILED)
		munmap((void *)v.start, v.end - v.start);
}
