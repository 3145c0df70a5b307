#include "vmstat.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

const char *const vm_counter_names[VM_NCOUNTERS] = {
	[VM_PGFAULT] = "pgfault", [VM_PGMAJFAULT] = "pgmajfault", [VM_PGSCAN] = "pgscan",
	[VM_PGSTEAL] = "pgsteal", [VM_WORKINGSET_REFAULT_FILE] = "workingset_refault_file",
	[VM_THP_FAULT_ALLOC] = "thp_fault_alloc",
};

void vmstat_open(struct vmstat_reader *r)
{
	memset(r->text, 0, sizeof(r->text));
	r->fd = open("/proc/vmstat", O_RDONLY | O_CLOEXEC);
}

void vmstat_close(struct vmstat_reader *r)
{
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
}

void vmstat_snap(struct vmstat_reader *r, struct vmstat_snapshot *out)
{
	ssize_t n = -1;
	if (r->fd >= 0)
		do /* seq_file fills the whole buffer up to the end of the text in one call */
			n = pread(r->fd, r->text, sizeof(r->text), 0);
		while (n < 0 && errno == EINTR);
	vmstat_parse(r->text, n > 0 ? (size_t)n : 0, out);
}

/* A running total that is present once one of its parts is. */
struct total {
	uint64_t sum;
	int seen;
};

static void add(struct total *t, uint64_t v)
{
	t->sum += v;
	t->seen = 1;
}

static int is(const char *name, size_t len, const char *want)
{
	return len == strlen(want) && memcmp(name, want, len) == 0;
}

static int starts(const char *name, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);
	return len > n && memcmp(name, prefix, n) == 0;
}

static void set(struct vmstat_snapshot *out, enum vm_counter k, uint64_t v)
{
	out->value[k] = v;
	out->present |= 1u << k;
}

void vmstat_parse(const char *text, size_t len, struct vmstat_snapshot *out)
{
	struct total scan_type = { 0 }, scan_reclaimer = { 0 }, steal_type = { 0 }, steal_reclaimer = { 0 };
	const char *end = text + len;

	memset(out, 0, sizeof(*out));
	for (const char *line = text; line < end;) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		if (!nl)
			break; /* cut short: not a whole line */
		const char *space = memchr(line, ' ', (size_t)(nl - line));
		const char *digit = space ? space + 1 : nl;
		uint64_t v = 0;
		int digits = 0;
		for (; digit < nl && *digit >= '0' && *digit <= '9'; digit++, digits++)
			v = v * 10 + (uint64_t)(*digit - '0');
		if (space && digits > 0 && digit == nl) {
			size_t n = (size_t)(space - line);
			if (is(line, n, "pgfault"))
				set(out, VM_PGFAULT, v);
			else if (is(line, n, "pgmajfault"))
				set(out, VM_PGMAJFAULT, v);
			else if (is(line, n, "workingset_refault_file"))
				set(out, VM_WORKINGSET_REFAULT_FILE, v);
			else if (is(line, n, "thp_fault_alloc"))
				set(out, VM_THP_FAULT_ALLOC, v);
			else if (is(line, n, "pgscan_anon") || is(line, n, "pgscan_file"))
				add(&scan_type, v);
			else if (is(line, n, "pgsteal_anon") || is(line, n, "pgsteal_file"))
				add(&steal_type, v);
			else if (starts(line, n, "pgscan_") && !is(line, n, "pgscan_direct_throttle"))
				add(&scan_reclaimer, v);
			else if (starts(line, n, "pgsteal_"))
				add(&steal_reclaimer, v);
		}
		line = nl + 1;
	}
	/* By type or by reclaimer: the same pages counted two ways, so one of them. */
	if (scan_type.seen || scan_reclaimer.seen)
		set(out, VM_PGSCAN, scan_type.seen ? scan_type.sum : scan_reclaimer.sum);
	if (steal_type.seen || steal_reclaimer.seen)
		set(out, VM_PGSTEAL, steal_type.seen ? steal_type.sum : steal_reclaimer.sum);
}

void vmstat_delta(const struct vmstat_snapshot *before, const struct vmstat_snapshot *after,
		  double out[VM_NCOUNTERS])
{
	for (int k = 0; k < VM_NCOUNTERS; k++)
		out[k] = (before->present & after->present & (1u << k)) ? (double)(after->value[k] - before->value[k])
									: NAN;
}
