#include "perf.h"

#include <errno.h>
#include <linux/perf_event.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

const char *const perf_event_names[PERF_NCOUNTERS] = {
	[PERF_PF] = "page-faults", [PERF_PF_MIN] = "minor-faults", [PERF_PF_MAJ] = "major-faults",
	[PERF_CTX] = "context-switches", [PERF_MIGR] = "cpu-migrations", [PERF_TASK_CLOCK] = "task-clock",
	[PERF_CYCLES] = "cycles", [PERF_INSTR] = "instructions", [PERF_CACHE_MISS] = "cache-misses",
	[PERF_DTLB_MISS] = "dTLB-load-misses", [PERF_SYSCALLS] = "raw_syscalls:sys_enter",
	[PERF_SENDER_SYSCALLS] = "raw_syscalls:sys_enter:thread",
};

static const struct { uint32_t type; uint64_t config; } events[PERF_NCOUNTERS] = {
	[PERF_PF] = { PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS },
	[PERF_PF_MIN] = { PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS_MIN },
	[PERF_PF_MAJ] = { PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS_MAJ },
	[PERF_CTX] = { PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES },
	[PERF_MIGR] = { PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_MIGRATIONS },
	[PERF_TASK_CLOCK] = { PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK },
	[PERF_CYCLES] = { PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES },
	[PERF_INSTR] = { PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS },
	[PERF_CACHE_MISS] = { PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_MISSES },
	[PERF_DTLB_MISS] = { PERF_TYPE_HW_CACHE, PERF_COUNT_HW_CACHE_DTLB |
			     (PERF_COUNT_HW_CACHE_OP_READ << 8) | (PERF_COUNT_HW_CACHE_RESULT_MISS << 16) },
	[PERF_SYSCALLS] = { PERF_TYPE_TRACEPOINT, 0 /* id read from tracefs */ },
	[PERF_SENDER_SYSCALLS] = { PERF_TYPE_TRACEPOINT, 0 },
};

static int paranoid(void)
{
	int v = 99;
	FILE *f = fopen("/proc/sys/kernel/perf_event_paranoid", "r");
	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = 99;
		fclose(f);
	}
	return v;
}

/* The tracepoint's id lives in tracefs.  perf mounts tracefs when it is not
 * mounted; as root, so do we, at the same place. */
static long syscall_tracepoint_id(char *why, size_t len)
{
	static const char *const paths[] = {
		"/sys/kernel/tracing/events/raw_syscalls/sys_enter/id",
		"/sys/kernel/debug/tracing/events/raw_syscalls/sys_enter/id",
	};
	for (int attempt = 0; attempt < 2; attempt++) {
		for (size_t i = 0; i < 2; i++) {
			FILE *f = fopen(paths[i], "r");
			long id;
			if (!f)
				continue;
			int ok = fscanf(f, "%ld", &id) == 1;
			fclose(f);
			if (ok)
				return id;
		}
		if (attempt == 0 && (geteuid() != 0 || mount("nodev", "/sys/kernel/tracing", "tracefs", 0, NULL) != 0))
			break;
	}
	snprintf(why, len, "no raw_syscalls tracepoint: tracefs not mounted or not readable");
	return -1;
}

static int open_event(struct perf_set *p, int k, int group_fd)
{
	struct perf_event_attr attr;
	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = events[k].type;
	attr.config = events[k].config;
	attr.disabled = group_fd < 0;   /* the leader starts the group */
	attr.inherit = k != PERF_SENDER_SYSCALLS; /* threads the strategy starts count, but here */
	attr.exclude_kernel = 0;        /* faults inside syscalls count */
	attr.exclude_hv = 1;
	attr.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;

	if (k == PERF_SYSCALLS || k == PERF_SENDER_SYSCALLS) {
		long id = syscall_tracepoint_id(p->status[k], sizeof(p->status[k]));
		if (id < 0)
			return -1;
		attr.config = (uint64_t)id;
	}
	int fd = (int)syscall(SYS_perf_event_open, &attr, 0, -1, group_fd, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0 && group_fd >= 0) /* some kernels refuse a member; stand alone then */
		fd = (int)syscall(SYS_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		if (e == EACCES || e == EPERM)
			snprintf(p->status[k], sizeof(p->status[k]), "denied (%s; perf_event_paranoid=%d)",
				 strerror(e), paranoid());
		else if (e == ENOENT || e == EOPNOTSUPP || e == ENODEV)
			snprintf(p->status[k], sizeof(p->status[k]), "not supported (%s)", strerror(e));
		else
			snprintf(p->status[k], sizeof(p->status[k]), "failed (%s)", strerror(e));
		return -1;
	}
	snprintf(p->status[k], sizeof(p->status[k]), "ok");
	return fd;
}

static void open_group(struct perf_set *p, int first, int last)
{
	int leader = -1;
	for (int k = first; k <= last; k++) {
		p->fd[k] = open_event(p, k, leader);
		if (leader < 0)
			leader = p->fd[k];
	}
}

void perf_open(struct perf_set *p)
{
	for (int k = 0; k < PERF_NCOUNTERS; k++)
		p->fd[k] = -1;
	open_group(p, PERF_PF, PERF_TASK_CLOCK);
	open_group(p, PERF_CYCLES, PERF_DTLB_MISS);
	p->fd[PERF_SYSCALLS] = open_event(p, PERF_SYSCALLS, -1);
	p->fd[PERF_SENDER_SYSCALLS] = open_event(p, PERF_SENDER_SYSCALLS, -1);
}

void perf_close(struct perf_set *p)
{
	for (int k = 0; k < PERF_NCOUNTERS; k++)
		if (p->fd[k] >= 0)
			close(p->fd[k]);
}

/* Every counter individually: costs a few more ioctls than group ioctls, but
 * stays right when a member had to stand alone. */
void perf_start(struct perf_set *p)
{
	for (int k = 0; k < PERF_NCOUNTERS; k++)
		if (p->fd[k] >= 0)
			ioctl(p->fd[k], PERF_EVENT_IOC_RESET, 0);
	for (int k = 0; k < PERF_NCOUNTERS; k++)
		if (p->fd[k] >= 0)
			ioctl(p->fd[k], PERF_EVENT_IOC_ENABLE, 0);
}

/* Reverse order: the syscall counters, enabled last, stop first, so each sees
 * only the disable calls from its own on (the harness subtracts that
 * measured baseline). */
void perf_stop(struct perf_set *p)
{
	for (int k = PERF_NCOUNTERS - 1; k >= 0; k--)
		if (p->fd[k] >= 0)
			ioctl(p->fd[k], PERF_EVENT_IOC_DISABLE, 0);
}

void perf_stop_one(struct perf_set *p, enum perf_counter k)
{
	if (p->fd[k] >= 0)
		ioctl(p->fd[k], PERF_EVENT_IOC_DISABLE, 0);
}

void perf_read(struct perf_set *p, double out[PERF_NCOUNTERS])
{
	for (int k = 0; k < PERF_NCOUNTERS; k++) {
		uint64_t v[3]; /* value, time_enabled, time_running */
		out[k] = NAN;
		if (p->fd[k] < 0 || read(p->fd[k], v, sizeof(v)) != (ssize_t)sizeof(v))
			continue;
		if (v[2] == 0)
			out[k] = v[1] == 0 ? 0 : NAN; /* enabled but never scheduled: unknown */
		else
			out[k] = (double)v[0] * ((double)v[1] / (double)v[2]);
	}
}
