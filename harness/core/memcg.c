#include "memcg.h"

#include "datafile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static struct memcg *last_made; /* for memcg_leave_global */

/* ---- small file helpers ---- */

/* A small file whole from an open fd, from offset 0 (a control file read
 * again at every sample): NUL-terminated; bytes read, or -1 when fd < 0. */
static ssize_t pread_text(int fd, char *buf, size_t len)
{
	if (fd < 0)
		return -1;
	size_t got = 0;
	while (got + 1 < len) {
		ssize_t n = pread(fd, buf + got, len - 1 - got, (off_t)got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	buf[got] = '\0';
	return (ssize_t)got;
}

/* Reads a small file whole into buf (NUL-terminated); bytes read or -1. */
static ssize_t read_small(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t got = pread_text(fd, buf, len);
	if (fd >= 0)
		close(fd);
	return got;
}

/* Writes text to a cgroup control file: 0 or -1 with errno. */
static int write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	size_t len = strlen(text);
	ssize_t n;
	do
		n = write(fd, text, len);
	while (n < 0 && errno == EINTR);
	int e = errno;
	close(fd);
	if (n < 0 || (size_t)n != len) {
		errno = n < 0 ? e : EIO;
		return -1;
	}
	return 0;
}

static int file_at(char *out, size_t len, const char *dir, const char *name)
{
	return snprintf(out, len, "%s/%s", dir, name) < (int)len ? 0 : -1;
}

static int exists_at(const char *dir, const char *name)
{
	char p[PATH_MAX + 64];
	return file_at(p, sizeof(p), dir, name) == 0 && access(p, F_OK) == 0;
}

/* "max" or a number, as cgroup files hold them; UINT64_MAX for max or absent. */
static uint64_t read_u64_at(const char *dir, const char *name)
{
	char p[PATH_MAX + 64], text[64];
	if (file_at(p, sizeof(p), dir, name) != 0 || read_small(p, text, sizeof(text)) <= 0 ||
	    strncmp(text, "max", 3) == 0)
		return UINT64_MAX;
	return strtoull(text, NULL, 10);
}

static int write_at(const char *dir, const char *name, const char *text)
{
	char p[PATH_MAX + 64];
	if (file_at(p, sizeof(p), dir, name) != 0) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return write_text(p, text);
}

/* Is word in a list separated by blanks or commas? */
static int has_word(const char *list, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = list; (p = strstr(p, word)); p += n)
		if ((p == list || strchr(" ,\n\t", p[-1])) && strchr(" ,\n\t", p[n]))
			return 1;
	return 0;
}

static int lists_memory(const char *dir, const char *file)
{
	char p[PATH_MAX + 64], text[1024];
	return file_at(p, sizeof(p), dir, file) == 0 && read_small(p, text, sizeof(text)) > 0 &&
	       has_word(text, "memory");
}

/* ---- which controller, mounted where, and our cgroup in it ---- */

/* Unescapes mountinfo's octal \040 in place. */
static void unescape(char *s)
{
	char *o = s;
	for (char *p = s; *p; p++, o++)
		if (p[0] == '\\' && p[1] >= '0' && p[1] <= '3' && p[2] >= '0' && p[2] <= '7' && p[3] >= '0' && p[3] <= '7') {
			*o = (char)((p[1] - '0') * 64 + (p[2] - '0') * 8 + (p[3] - '0'));
			p += 3;
		} else {
			*o = *p;
		}
	*o = '\0';
}

/* The mount of a v2 hierarchy with memory, else of a v1 memory hierarchy:
 * version, mount point and the mount's root within the hierarchy. */
static enum memcg_version find_mount(char *mount, size_t len, char *root, size_t rlen)
{
	const char *fake = getenv("IOPATHS_CGROUP_FS");
	if (fake && *fake) {
		char p[PATH_MAX];
		snprintf(root, rlen, "/");
		snprintf(p, sizeof(p), "%s/unified", fake);
		if (lists_memory(p, "cgroup.controllers")) {
			snprintf(mount, len, "%s", p);
			return MEMCG_V2;
		}
		if (lists_memory(fake, "cgroup.controllers")) {
			snprintf(mount, len, "%s", fake);
			return MEMCG_V2;
		}
		snprintf(p, sizeof(p), "%s/memory", fake);
		if (exists_at(p, "memory.limit_in_bytes")) {
			snprintf(mount, len, "%s", p);
			return MEMCG_V1;
		}
		return MEMCG_NONE;
	}
	FILE *f = fopen("/proc/self/mountinfo", "re");
	enum memcg_version v = MEMCG_NONE;
	char line[8192];
	if (!f)
		return MEMCG_NONE;
	while (v != MEMCG_V2 && fgets(line, sizeof(line), f)) {
		/* id parent maj:min root point options [optional...] - type source superoptions */
		char *field[6] = { 0 }, *save = NULL, *dash = strstr(line, " - ");
		if (!dash)
			continue;
		*dash = '\0';
		char *tail = dash + 3;
		int n = 0;
		for (char *w = strtok_r(line, " ", &save); w && n < 6; w = strtok_r(NULL, " ", &save))
			field[n++] = w;
		char *type = strtok_r(tail, " ", &save), *source = strtok_r(NULL, " ", &save);
		char *super = strtok_r(NULL, " \n", &save);
		if (n < 5 || !type || !source || !super)
			continue;
		unescape(field[3]);
		unescape(field[4]);
		if (strcmp(type, "cgroup2") == 0 && lists_memory(field[4], "cgroup.controllers")) {
			v = MEMCG_V2;
		} else if (v == MEMCG_NONE && strcmp(type, "cgroup") == 0 && has_word(super, "memory")) {
			v = MEMCG_V1;
		} else {
			continue;
		}
		snprintf(mount, len, "%s", field[4]);
		snprintf(root, rlen, "%s", field[3]);
	}
	fclose(f);
	return v;
}

/* This process's cgroup in that hierarchy, as a directory. */
static int own_cgroup(enum memcg_version v, const char *mount, const char *root, char *out, size_t len)
{
	const char *fake = getenv("IOPATHS_CGROUP_FS");
	if (fake && *fake)
		return snprintf(out, len, "%s", mount) < (int)len ? 0 : -1;
	FILE *f = fopen("/proc/self/cgroup", "re");
	char line[PATH_MAX + 256];
	int found = -1;
	if (!f)
		return -1;
	while (found != 0 && fgets(line, sizeof(line), f)) {
		/* id:controllers:path */
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2)
			continue;
		*c2 = '\0';
		const char *controllers = c1 + 1, *path = c2 + 1;
		c2[1 + strcspn(c2 + 1, "\n")] = '\0';
		int match = v == MEMCG_V2 ? strncmp(line, "0:", 2) == 0 && *controllers == '\0'
					  : has_word(controllers, "memory");
		if (!match)
			continue;
		/* The mount may show only part of the hierarchy (a container). */
		size_t rl = strlen(root);
		if (strcmp(root, "/") != 0 && strncmp(path, root, rl) == 0 && (path[rl] == '/' || path[rl] == '\0'))
			path += rl;
		found = snprintf(out, len, "%s%s%s", mount, *path == '/' ? "" : "/", strcmp(path, "/") == 0 ? "" : path)
				< (int)len ? 0 : -1;
	}
	fclose(f);
	return found;
}

int memcg_probe(enum memcg_version *v, char *why, size_t len)
{
	char mount[PATH_MAX], root[PATH_MAX];
	*v = find_mount(mount, sizeof(mount), root, sizeof(root));
	if (*v == MEMCG_NONE) {
		snprintf(why, len, "--mem-limit: no memory cgroup controller is usable here (no cgroup2 mount with "
			 "the memory controller, no cgroup v1 memory mount)");
		return -1;
	}
	return 0;
}

/* ---- make, join, leave ---- */

static void set_name(struct memcg *m)
{
	if (snprintf(m->path, sizeof(m->path), "%.*s/iopaths-%d-%s", (int)(sizeof(m->path) - 40), m->base,
		     (int)getpid(), pid_space_tag()) >= (int)sizeof(m->path))
		m->path[0] = '\0';
}

/* v2: a cgroup that hands memory to children cannot hold processes (the
 * no-internal-process rule), so the child goes where memory is enabled for
 * children: our own cgroup when it is, else the root (exempt), enabling it there. */
static int v2_base(struct memcg *m, char *why, size_t len)
{
	if (lists_memory(m->parent, "cgroup.subtree_control")) {
		snprintf(m->base, sizeof(m->base), "%s", m->parent);
		return 0;
	}
	snprintf(m->base, sizeof(m->base), "%s", m->mount);
	if (!lists_memory(m->base, "cgroup.subtree_control") && write_at(m->base, "cgroup.subtree_control", "+memory") != 0) {
		snprintf(why, len, "--mem-limit: cannot enable the memory controller in %s/cgroup.subtree_control: %s",
			 m->base, strerror(errno));
		return -1;
	}
	return 0;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static void close_fds(struct memcg *m)
{
	close_fd(&m->fd_usage);
	close_fd(&m->fd_stat);
	close_fd(&m->fd_events);
}

static int open_at(const char *dir, const char *name)
{
	char p[PATH_MAX + 64];
	return file_at(p, sizeof(p), dir, name) == 0 ? open(p, O_RDONLY | O_CLOEXEC) : -1;
}

/* ---- v1: an OOM fails the run instead of killing it ---- */

/* Writes all of text to an open control file (the limits: opened at make
 * time, so that lifting them under an OOM allocates no file). */
static void write_fd(int fd, const char *text)
{
	size_t len = strlen(text);
	ssize_t n;
	if (fd < 0)
		return;
	do
		n = pwrite(fd, text, len, 0);
	while (n < 0 && errno == EINTR);
}

static void touch_stack(void)
{
	volatile char pages[32 * 1024];
	for (size_t i = 0; i < sizeof(pages); i += 512)
		pages[i] = 0;
}

static void *oom_watch(void *arg)
{
	struct memcg *m = arg;
	/* Made before the process joins: the stack it will use is charged
	 * outside, so the watcher never waits in the OOM it is to end. */
	touch_stack();
	for (;;) {
		struct pollfd p[2] = { { .fd = m->fd_oom_event, .events = POLLIN }, { .fd = m->fd_quit, .events = POLLIN } };
		int n = poll(p, 2, -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || p[1].revents)
			break;
		uint64_t count;
		if (!(p[0].revents & POLLIN) || read(m->fd_oom_event, &count, sizeof(count)) != (ssize_t)sizeof(count))
			continue;
		__atomic_store_n(&m->oom, 1, __ATOMIC_RELAXED);
		if (m->stop)
			__atomic_store_n(m->stop, 1, __ATOMIC_RELAXED);
		/* The faults that wait in the OOM go on (memsw first: it may not be
		 * below the limit), and the movers stop at their next span. */
		write_fd(m->fd_memsw, "-1");
		write_fd(m->fd_limit, "-1");
	}
	return NULL;
}

/* v1 only, best effort: without a notification the killer stays on (a
 * disabled killer that nobody hears of would hang the run). */
static void oom_guard(struct memcg *m)
{
	char p[PATH_MAX + 64], text[64];
	m->fd_oom_event = m->fd_quit = m->fd_limit = m->fd_memsw = -1;
	if (m->v != MEMCG_V1 || m->fd_events < 0)
		return;
	m->fd_oom_event = eventfd(0, EFD_CLOEXEC);
	m->fd_quit = eventfd(0, EFD_CLOEXEC);
	if (file_at(p, sizeof(p), m->path, "memory.limit_in_bytes") == 0)
		m->fd_limit = open(p, O_WRONLY | O_CLOEXEC);
	if (m->swap_limited && file_at(p, sizeof(p), m->path, "memory.memsw.limit_in_bytes") == 0)
		m->fd_memsw = open(p, O_WRONLY | O_CLOEXEC);
	snprintf(text, sizeof(text), "%d %d", m->fd_oom_event, m->fd_events);
	if (m->fd_oom_event < 0 || m->fd_quit < 0 || m->fd_limit < 0 || (m->swap_limited && m->fd_memsw < 0) ||
	    write_at(m->path, "cgroup.event_control", text) != 0 || write_at(m->path, "memory.oom_control", "1") != 0)
		goto off;
	if (pthread_create(&m->watcher, NULL, oom_watch, m) != 0) {
		write_at(m->path, "memory.oom_control", "0");
		goto off;
	}
	m->guarded = 1;
	return;
off:
	close_fd(&m->fd_oom_event);
	close_fd(&m->fd_quit);
	close_fd(&m->fd_limit);
	close_fd(&m->fd_memsw);
}

/* Stops the watcher before the cgroup goes (its removal is told on the eventfd too). */
static void oom_unguard(struct memcg *m)
{
	if (m->guarded) {
		uint64_t one = 1;
		if (write(m->fd_quit, &one, sizeof(one)) == (ssize_t)sizeof(one))
			pthread_join(m->watcher, NULL);
		m->guarded = 0;
	}
	close_fd(&m->fd_oom_event);
	close_fd(&m->fd_quit);
	close_fd(&m->fd_limit);
	close_fd(&m->fd_memsw);
}

int memcg_oom_seen(const struct memcg *m)
{
	return __atomic_load_n(&m->oom, __ATOMIC_RELAXED);
}

int memcg_make(struct memcg *m, uint64_t limit, char *why, size_t len)
{
	char root[PATH_MAX], text[32];
	memset(m, 0, sizeof(*m));
	m->fd_usage = m->fd_stat = m->fd_events = -1;
	m->fd_oom_event = m->fd_quit = m->fd_limit = m->fd_memsw = -1;
	m->swap_limit = UINT64_MAX;
	memset(m->text, ' ', sizeof(m->text)); /* touched now, not in a timed region */
	if (memcg_probe(&m->v, why, len) != 0)
		return -1;
	find_mount(m->mount, sizeof(m->mount), root, sizeof(root));
	if (own_cgroup(m->v, m->mount, root, m->parent, sizeof(m->parent)) != 0) {
		snprintf(why, len, "--mem-limit: this process's memory cgroup is not in /proc/self/cgroup");
		m->v = MEMCG_NONE;
		return -1;
	}
	if (m->v == MEMCG_V2) {
		if (v2_base(m, why, len) != 0)
			return -1;
	} else {
		snprintf(m->base, sizeof(m->base), "%s", m->parent);
	}
	memcg_remove_orphans(m->base);
	set_name(m);
	if (mkdir(m->path, 0755) != 0) {
		int e = errno;
		if (e == EACCES || e == EPERM || e == EROFS)
			snprintf(why, len, "--mem-limit needs root (it makes a memory cgroup under %s): %s", m->base,
				 strerror(e));
		else
			snprintf(why, len, "--mem-limit: cannot make the memory cgroup %s: %s", m->path, strerror(e));
		return -1;
	}
	m->made = 1;
	last_made = m;

	snprintf(text, sizeof(text), "%llu", (unsigned long long)limit);
	int rc = 0;
	const char *file = m->v == MEMCG_V1 ? "memory.limit_in_bytes" : "memory.max";
	if (write_at(m->path, file, text) != 0)
		rc = -1;
	if (rc == 0 && m->v == MEMCG_V1) {
		/* memsw >= limit; both start unlimited, so limit first always works. */
		file = "memory.memsw.limit_in_bytes";
		if (exists_at(m->path, file)) {
			if (write_at(m->path, file, text) != 0)
				rc = -1;
			m->swap_limited = rc == 0;
		} else if (write_at(m->path, (file = "memory.swappiness"), "0") != 0) {
			rc = -1;
		}
	} else if (rc == 0) {
		file = "memory.swap.max";
		if (exists_at(m->path, file)) {
			if (write_at(m->path, file, "0") != 0)
				rc = -1;
			m->swap_limited = rc == 0;
		}
		if (rc == 0 && exists_at(m->path, "memory.zswap.max") && write_at(m->path, (file = "memory.zswap.max"), "0") != 0)
			rc = -1;
	}
	if (rc != 0) {
		snprintf(why, len, "--mem-limit: writing %s to %s/%s: %s", text, m->path, file, strerror(errno));
		memcg_leave(m);
		return -1;
	}
	m->limit = read_u64_at(m->path, m->v == MEMCG_V1 ? "memory.limit_in_bytes" : "memory.max");
	if (m->swap_limited)
		m->swap_limit = read_u64_at(m->path, m->v == MEMCG_V1 ? "memory.memsw.limit_in_bytes" : "memory.swap.max");
	if (!m->swap_limited && m->v == MEMCG_V1) {
		char swaps[4096];
		if (read_small("/proc/swaps", swaps, sizeof(swaps)) > 0 && strchr(swaps, '\n') &&
		    strchr(swaps, '\n')[1] != '\0')
			fprintf(stderr, "iopaths: warning: --mem-limit: swap is on and this kernel has no "
				"memory.memsw.limit_in_bytes: the cgroup's swap is not limited (swappiness 0)\n");
	}
	m->fd_usage = open_at(m->path, m->v == MEMCG_V1 ? "memory.usage_in_bytes" : "memory.current");
	m->fd_stat = open_at(m->path, "memory.stat");
	m->fd_events = open_at(m->path, m->v == MEMCG_V1 ? "memory.oom_control" : "memory.events");
	if (m->fd_usage < 0 || m->fd_stat < 0) {
		snprintf(why, len, "--mem-limit: opening %s's memory files: %s", m->path, strerror(errno));
		memcg_leave(m);
		return -1;
	}
	oom_guard(m);
	return 0;
}

static int move_to(const char *dir)
{
	char pid[24];
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	return write_at(dir, "cgroup.procs", pid);
}

int memcg_join(struct memcg *m, char *why, size_t len)
{
	if (!m->made) {
		snprintf(why, len, "--mem-limit: no memory cgroup was made");
		return -1;
	}
	if (move_to(m->path) != 0) {
		snprintf(why, len, "--mem-limit: joining %s (cgroup.procs): %s", m->path, strerror(errno));
		return -1;
	}
	m->joined = 1;
	return 0;
}

void memcg_step_out(struct memcg *m)
{
	if (m->joined && move_to(m->parent) != 0)
		fprintf(stderr, "iopaths: warning: could not move back to %s: %s\n", m->parent, strerror(errno));
	m->joined = 0;
}

void memcg_leave(struct memcg *m)
{
	if (!m || !m->made)
		return;
	oom_unguard(m);
	memcg_step_out(m);
	close_fds(m);
	/* v1: reclaim what is charged to the now empty child, so the parent is
	 * not handed our page cache.  Best effort. */
	if (m->v == MEMCG_V1)
		write_at(m->path, "memory.force_empty", "0");
	/* A dying thread may still be listed for a moment. */
	int rc = -1;
	for (int i = 0; i < 10 && (rc = rmdir(m->path)) != 0 && errno == EBUSY; i++)
		nanosleep(&(struct timespec){ .tv_nsec = 10 * 1000 * 1000 }, NULL);
	if (rc != 0 && errno != ENOENT)
		fprintf(stderr, "iopaths: warning: could not remove the memory cgroup %s: %s\n", m->path, strerror(errno));
	m->made = 0;
	if (last_made == m)
		last_made = NULL;
}

void memcg_leave_global(void)
{
	memcg_leave(last_made);
}

/* ---- reading ---- */

static double stat_field(const char *text, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (strncmp(p, name, n) == 0 && p[n] == ' ')
			return strtod(p + n + 1, NULL);
	return NAN;
}

void memcg_read(struct memcg *m, struct memcg_stat *s)
{
	char small[256];
	*s = (struct memcg_stat){ NAN, NAN, NAN, NAN, NAN, NAN, NAN };
	if (!m->made)
		return;
	if (pread_text(m->fd_usage, small, sizeof(small)) > 0)
		s->usage = strtod(small, NULL);
	if (pread_text(m->fd_stat, m->text, sizeof(m->text)) > 0) {
		s->file = stat_field(m->text, m->v == MEMCG_V1 ? "cache" : "file");
		s->refault_file = stat_field(m->text, "workingset_refault_file");
		s->pgmajfault = stat_field(m->text, "pgmajfault");
		if (m->v == MEMCG_V2) {
			s->pgscan = stat_field(m->text, "pgscan");
			s->pgsteal = stat_field(m->text, "pgsteal");
		}
	}
	char events[1024];
	if (pread_text(m->fd_events, events, sizeof(events)) > 0)
		s->oom_kill = stat_field(events, "oom_kill");
}

double memcg_peak(const struct memcg *m)
{
	uint64_t v = m->made ? read_u64_at(m->path, m->v == MEMCG_V1 ? "memory.max_usage_in_bytes" : "memory.peak")
			     : UINT64_MAX;
	return v == UINT64_MAX ? NAN : (double)v;
}

/* ---- orphans ---- */

/* The PID of iopaths-PID-TAG when TAG is this PID space's; 0 otherwise. */
static pid_t owner_of(const char *name)
{
	const char *p = name + 8, *tag;
	unsigned long long pid = 0;
	if (strncmp(name, "iopaths-", 8) != 0)
		return 0;
	for (; *p >= '0' && *p <= '9' && p - name < 8 + 10; p++)
		pid = pid * 10 + (unsigned)(*p - '0');
	if (p == name + 8 || *p != '-' || pid == 0 || pid > INT_MAX)
		return 0;
	tag = p + 1;
	return strlen(tag) == 8 && strcmp(tag, pid_space_tag()) == 0 ? (pid_t)pid : 0;
}

int memcg_remove_orphans(const char *dir)
{
	DIR *d = opendir(dir);
	int removed = 0;
	if (!d)
		return 0;
	for (struct dirent *e; (e = readdir(d));) {
		char path[PATH_MAX + 300], procs[256];
		struct stat st;
		pid_t pid = owner_of(e->d_name);
		if (pid == 0 || fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISDIR(st.st_mode))
			continue;
		/* Gone, or this process's own PID (it has made nothing yet). */
		if (pid != getpid() && (kill(pid, 0) == 0 || errno != ESRCH))
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= (int)sizeof(path))
			continue;
		char procs_path[PATH_MAX + 320];
		snprintf(procs_path, sizeof(procs_path), "%s/cgroup.procs", path);
		if (read_small(procs_path, procs, sizeof(procs)) != 0) /* unreadable or not empty: not ours to judge */
			continue;
		if (rmdir(path) == 0) {
			fprintf(stderr, "iopaths: removed memory cgroup %s, left by process %d, which is gone\n", path,
				(int)pid);
			removed++;
		}
	}
	closedir(d);
	return removed;
}

/* ---- meta.csv ---- */

static void limit_text(uint64_t v, char *out, size_t len)
{
	if (v == UINT64_MAX)
		snprintf(out, len, "max");
	else
		snprintf(out, len, "%llu", (unsigned long long)v);
}

void memcg_record(const struct memcg *m, struct meta *meta)
{
	char text[64], swaps[4096];
	int swap_on = read_small("/proc/swaps", swaps, sizeof(swaps)) > 0 && strchr(swaps, '\n') &&
		      strchr(swaps, '\n')[1] != '\0';
	meta_set(meta, "memcg_version", "%s", m->v == MEMCG_V1 ? "v1" : m->v == MEMCG_V2 ? "v2" : "none");
	meta_set(meta, "memcg_path", "%s", m->path);
	meta_set(meta, "memcg_parent", "%s", m->parent);
	limit_text(m->limit, text, sizeof(text));
	meta_set(meta, "memcg_limit_bytes", "%s", text);
	limit_text(m->swap_limit, text, sizeof(text));
	meta_set(meta, m->v == MEMCG_V1 ? "memcg_memsw_limit_bytes" : "memcg_swap_max", "%s",
		 m->swap_limited ? text : "not set (no such file)");
	if (m->v == MEMCG_V1) {
		limit_text(read_u64_at(m->path, "memory.swappiness"), text, sizeof(text));
		meta_set(meta, "memcg_swappiness", "%s", text);
	}
	meta_set(meta, "memcg_swap", "%s", m->swap_limited ? (swap_on ? "on, limited to none in the cgroup" : "off")
			: swap_on ? "not limited (no memsw; swap on)" : "off");
	meta_set(meta, "memcg_oom", "%s", m->guarded ? "fails the run: the OOM killer is off (memory.oom_control), "
		 "iopaths is told of an OOM (cgroup.event_control), stops and lifts the limit to end"
		 : "kills the run (the kernel's OOM killer)");
	meta_set(meta, "memcg_scope", "%s",
		 "the whole process (cgroup.procs) joins after each data file is made and before any job is "
		 "prepared, and steps out while a data file is written: every sample runs inside the cgroup; "
		 "the data file is evicted after joining");
}
