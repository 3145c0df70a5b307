#include "meta.h"

#include "csvio.h"
#include "provenance.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#ifndef IOPATHS_GIT_REVISION
#define IOPATHS_GIT_REVISION "unknown"
#endif
#ifndef IOPATHS_CFLAGS
#define IOPATHS_CFLAGS "unknown"
#endif

void meta_set(struct meta *m, const char *key, const char *fmt, ...)
{
	char *value;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&value, fmt, ap) < 0)
		abort();
	va_end(ap);
	for (size_t i = 0; i < m->count; i++)
		if (strcmp(m->keys[i], key) == 0) {
			free(m->values[i]);
			m->values[i] = value;
			return;
		}
	if (m->count == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 32;
		char **keys = realloc(m->keys, cap * sizeof(*keys));
		if (!keys)
			abort();
		m->keys = keys;
		char **values = realloc(m->values, cap * sizeof(*values));
		if (!values)
			abort();
		m->values = values;
		m->cap = cap;
	}
	char *copy = strdup(key);
	if (!copy)
		abort();
	m->keys[m->count] = copy;
	m->values[m->count++] = value;
}

const char *meta_get(const struct meta *m, const char *key)
{
	for (size_t i = 0; i < m->count; i++)
		if (strcmp(m->keys[i], key) == 0)
			return m->values[i];
	return NULL;
}

void read_line_file(const char *path, char *out, size_t outlen)
{
	FILE *f = fopen(path, "r");
	snprintf(out, outlen, "NA");
	if (!f)
		return;
	if (fgets(out, (int)outlen, f))
		out[strcspn(out, "\n")] = '\0';
	else
		snprintf(out, outlen, "NA");
	fclose(f);
}

void read_choice_file(const char *path, char *out, size_t outlen)
{
	char line[256];
	read_line_file(path, line, sizeof(line));
	char *open = strchr(line, '['), *close = open ? strchr(open, ']') : NULL;
	if (open && close) {
		*close = '\0';
		snprintf(out, outlen, "%s", open + 1);
	} else {
		snprintf(out, outlen, "%s", line);
	}
}

static void cpu_model(char *out, size_t outlen)
{
	char line[512];
	FILE *f = fopen("/proc/cpuinfo", "r");
	snprintf(out, outlen, "NA");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "model name", 10) == 0 && strchr(line, ':')) {
			char *v = strchr(line, ':') + 1;
			v += strspn(v, " \t");
			v[strcspn(v, "\n")] = '\0';
			snprintf(out, outlen, "%s", v);
			break;
		}
	fclose(f);
}

/* mountinfo escapes blanks in paths as \040 and the like. */
static void unescape_octal(char *s)
{
	char *w = s;
	for (char *r = s; *r; r++) {
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '7' && r[2] && r[3]) {
			*w++ = (char)strtol((char[]){ r[1], r[2], r[3], 0 }, NULL, 8);
			r += 3;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
}

int mount_of(const char *dir, struct mount *out)
{
	char real[4096], line[8192];
	size_t best_len = 0;
	FILE *f;

	*out = (struct mount){ "NA", "NA", "NA", "NA" };
	if (!realpath(dir, real) || !(f = fopen("/proc/self/mountinfo", "re")))
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char mnt[4096], opts[512], type[64], source[512], super[512];
		char *dash = strstr(line, " - ");
		if (!dash || sscanf(line, "%*s %*s %*s %*s %4095s %511s", mnt, opts) != 2 ||
		    sscanf(dash + 3, "%63s %511s %511s", type, source, super) != 3)
			continue;
		unescape_octal(mnt);
		size_t len = strlen(mnt);
		int under = strncmp(real, mnt, len) == 0 &&
			    (real[len] == '/' || real[len] == '\0' || strcmp(mnt, "/") == 0);
		if (under && len >= best_len) {
			best_len = len;
			snprintf(out->type, sizeof(out->type), "%s", type);
			snprintf(out->options, sizeof(out->options), "%s,%s", opts, super);
			snprintf(out->point, sizeof(out->point), "%s", mnt);
			unescape_octal(source);
			snprintf(out->source, sizeof(out->source), "%s", source);
		}
	}
	fclose(f);
	return best_len ? 0 : -1;
}

/* The mount holding dir, as meta keys. */
static void filesystem_of(struct meta *m, const char *dir)
{
	struct mount mt;
	mount_of(dir, &mt);
	meta_set(m, "fs_type", "%s", mt.type);
	meta_set(m, "fs_mount_options", "%s", mt.options);
	meta_set(m, "fs_mount_point", "%s", mt.point);
	meta_set(m, "fs_source", "%s", mt.source);
}

/* fault_around_bytes: how many pages a file fault maps at once.  In debugfs,
 * which is often not mounted, or locked down: NA, and why. */
static void fault_around(struct meta *m)
{
	char text[64];
	FILE *f = fopen("/sys/kernel/debug/fault_around_bytes", "r");
	if (!f) {
		meta_set(m, "fault_around_bytes", "NA");
		meta_set(m, "fault_around_bytes_why", "%s", errno == ENOENT ? "debugfs not mounted"
			 : strerror(errno));
		return;
	}
	if (fgets(text, sizeof(text), f)) {
		text[strcspn(text, "\n")] = '\0';
		meta_set(m, "fault_around_bytes", "%s", text);
	} else {
		meta_set(m, "fault_around_bytes", "NA");
		meta_set(m, "fault_around_bytes_why", "unreadable");
	}
	fclose(f);
}

void meta_collect_machine(struct meta *m, const char *dir)
{
	struct utsname u;
	char text[4096], host[256] = "NA"; /* the kernel command line can be 2 KiB and more */

	if (uname(&u) == 0) {
		meta_set(m, "kernel_release", "%s", u.release);
		meta_set(m, "kernel_version", "%s", u.version);
		meta_set(m, "machine", "%s", u.machine);
	}
	if (gethostname(host, sizeof(host)) != 0)
		snprintf(host, sizeof(host), "NA");
	meta_set(m, "hostname", "%s", host);
	cpu_model(text, sizeof(text));
	meta_set(m, "cpu_model", "%s", text);
	meta_set(m, "cores", "%ld", sysconf(_SC_NPROCESSORS_ONLN));
	meta_set(m, "memory_bytes", "%lld",
		 (long long)sysconf(_SC_PHYS_PAGES) * sysconf(_SC_PAGESIZE));
	meta_set(m, "page_size", "%ld", sysconf(_SC_PAGESIZE));
	/* Settings that change what paths cost, each read from its file. */
	static const struct { const char *key, *path; int choice; } settings[] = {
		{ "thp_enabled", "/sys/kernel/mm/transparent_hugepage/enabled", 1 },
		{ "thp_defrag", "/sys/kernel/mm/transparent_hugepage/defrag", 1 },
		{ "thp_shmem_enabled", "/sys/kernel/mm/transparent_hugepage/shmem_enabled", 1 },
		{ "aslr", "/proc/sys/kernel/randomize_va_space", 0 },
		{ "perf_event_paranoid", "/proc/sys/kernel/perf_event_paranoid", 0 },
		{ "clocksource", "/sys/devices/system/clocksource/clocksource0/current_clocksource", 0 },
		/* When and how hard the kernel writes dirty pages back: file sinks and writes. */
		{ "vm_dirty_ratio", "/proc/sys/vm/dirty_ratio", 0 },
		{ "vm_dirty_background_ratio", "/proc/sys/vm/dirty_background_ratio", 0 },
		{ "vm_dirty_bytes", "/proc/sys/vm/dirty_bytes", 0 },
		{ "vm_dirty_background_bytes", "/proc/sys/vm/dirty_background_bytes", 0 },
		{ "vm_dirty_expire_centisecs", "/proc/sys/vm/dirty_expire_centisecs", 0 },
		{ "vm_dirty_writeback_centisecs", "/proc/sys/vm/dirty_writeback_centisecs", 0 },
		{ "kernel_cmdline", "/proc/cmdline", 0 },
	};
	for (size_t i = 0; i < sizeof(settings) / sizeof(settings[0]); i++) {
		if (settings[i].choice) /* "always [madvise] never": the one in brackets */
			read_choice_file(settings[i].path, text, sizeof(text));
		else
			read_line_file(settings[i].path, text, sizeof(text));
		meta_set(m, settings[i].key, "%s", text);
	}
	fault_around(m);
	meta_set(m, "dir", "%s", dir);
	filesystem_of(m, dir);
	provenance_collect(m, dir, meta_get(m, "fs_source"));
	meta_set(m, "compiler", "%s", "gcc-compatible " __VERSION__);
	meta_set(m, "cflags", "%s", IOPATHS_CFLAGS);
	meta_set(m, "git_revision", "%s", IOPATHS_GIT_REVISION);
}

int meta_write(const struct meta *m, const char *path)
{
	struct csv_out w;

	if (csv_out_create_path(&w, path) != 0) /* written whole, renamed into place */
		return -1;
	csv_out_header(&w, (const char *const[]){ "key", "value", NULL });
	for (size_t i = 0; i < m->count; i++) {
		csv_out_str(&w, m->keys[i]);
		csv_out_str(&w, m->values[i]);
		csv_out_end_row(&w);
	}
	return csv_out_close(&w);
}

void meta_free(struct meta *m)
{
	for (size_t i = 0; i < m->count; i++) {
		free(m->keys[i]);
		free(m->values[i]);
	}
	free(m->keys);
	free(m->values);
	memset(m, 0, sizeof(*m));
}
