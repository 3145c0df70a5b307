#include "diskstats.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* A small sysfs file's first line, without its newline; -1 when unreadable. */
static int read_line(const char *path, char *out, size_t len)
{
	FILE *f = fopen(path, "re");
	if (!f)
		return -1;
	int ok = fgets(out, (int)len, f) != NULL;
	fclose(f);
	if (!ok)
		return -1;
	out[strcspn(out, "\n")] = '\0';
	return 0;
}

/* The kernel's name of maj:min (the link /sys/dev/block/M:m ends in it). */
static void dev_name(unsigned maj, unsigned min, char *out, size_t len)
{
	char link[64], target[PATH_MAX];
	snprintf(link, sizeof(link), "/sys/dev/block/%u:%u", maj, min);
	ssize_t n = readlink(link, target, sizeof(target) - 1);
	if (n <= 0) {
		snprintf(out, len, "%u:%u", maj, min);
		return;
	}
	target[n] = '\0';
	char *base = strrchr(target, '/');
	base = base ? base + 1 : target;
	size_t k = strlen(base) < len - 1 ? strlen(base) : len - 1;
	memcpy(out, base, k);
	out[k] = '\0';
}

/* The block device a mount at the longest prefix of `real` names, from
 * /proc/self/mountinfo; 0 with *rdev, or -1. */
static int mount_source_dev(const char *real, dev_t *rdev)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return -1;
	char line[4096], best[PATH_MAX] = "";
	size_t best_len = 0;
	int found = -1;
	while (fgets(line, sizeof(line), f)) {
		char point[PATH_MAX], source[PATH_MAX];
		const char *dash = strstr(line, " - ");
		/* id parent maj:min root point ...  - fstype source options */
		if (!dash || sscanf(line, "%*s %*s %*s %*s %4095s", point) != 1 ||
		    sscanf(dash + 3, "%*s %4095s", source) != 1)
			continue;
		size_t n = strlen(point);
		int prefix = strcmp(point, "/") == 0 ||
			     (strncmp(real, point, n) == 0 && (real[n] == '/' || real[n] == '\0'));
		if (prefix && (n > best_len || found < 0)) {
			best_len = n;
			snprintf(best, sizeof(best), "%s", source);
			found = 0;
		}
	}
	fclose(f);
	struct stat st;
	if (found != 0 || stat(best, &st) != 0 || !S_ISBLK(st.st_mode))
		return -1;
	*rdev = st.st_rdev;
	return 0;
}

static long read_ahead_of(unsigned maj, unsigned min)
{
	char path[96], line[64];
	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/queue/read_ahead_kb", maj, min);
	if (read_line(path, line, sizeof(line)) != 0) { /* a partition: its disk's */
		snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/../queue/read_ahead_kb", maj, min);
		if (read_line(path, line, sizeof(line)) != 0)
			return -1;
	}
	return strtol(line, NULL, 10);
}

int diskdev_find(const char *dir, struct diskdev *d)
{
	struct stat st;
	char real[PATH_MAX];
	memset(d, 0, sizeof(*d));
	d->loop_dio = -1;
	d->read_ahead_kb = -1;
	if (stat(dir, &st) != 0 || !realpath(dir, real)) {
		snprintf(d->why, sizeof(d->why), "%s: %s", dir, strerror(errno));
		return 0;
	}
	dev_t dev = st.st_dev;
	if (major(dev) == 0 && mount_source_dev(real, &dev) != 0) {
		snprintf(d->why, sizeof(d->why), "%s is on no block device (device %u:%u; tmpfs or a network "
			 "filesystem): no device reads counted", dir, major(st.st_dev), minor(st.st_dev));
		return 0;
	}
	d->found = 1;
	d->maj = major(dev);
	d->min = minor(dev);
	dev_name(d->maj, d->min, d->name, sizeof(d->name));
	d->read_ahead_kb = read_ahead_of(d->maj, d->min);

	char path[96], backing[PATH_MAX];
	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/loop/backing_file", d->maj, d->min);
	if (read_line(path, backing, sizeof(backing)) == 0) {
		char line[32];
		snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/loop/dio", d->maj, d->min);
		if (read_line(path, line, sizeof(line)) == 0)
			d->loop_dio = atoi(line);
		struct stat bs;
		if (stat(backing, &bs) == 0 && major(bs.st_dev) != 0) {
			d->backing = 1;
			d->bmaj = major(bs.st_dev);
			d->bmin = minor(bs.st_dev);
			dev_name(d->bmaj, d->bmin, d->bname, sizeof(d->bname));
		} else {
			snprintf(d->why, sizeof(d->why), "loop device %s: its backing file is on no block device "
				 "that can be found", d->name);
		}
	}
	return 0;
}

void diskstats_open(struct diskstats_reader *r)
{
	memset(r->text, 0, sizeof(r->text)); /* touched now: reading never faults */
	r->fd = open("/proc/diskstats", O_RDONLY | O_CLOEXEC);
}

void diskstats_close(struct diskstats_reader *r)
{
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
}

double diskstats_parse(const char *text, unsigned maj, unsigned min)
{
	for (const char *p = text; p && *p;) {
		unsigned a, b;
		unsigned long long reads, merged, sectors;
		if (sscanf(p, " %u %u %*s %llu %llu %llu", &a, &b, &reads, &merged, &sectors) == 5 && a == maj &&
		    b == min)
			return (double)sectors;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NAN;
}

void diskstats_read(struct diskstats_reader *r, const struct diskdev *d, double *sectors, double *bsectors)
{
	*sectors = *bsectors = NAN;
	if (r->fd < 0 || !d->found)
		return;
	size_t got = 0;
	for (;;) {
		ssize_t n = pread(r->fd, r->text + got, sizeof(r->text) - 1 - got, (off_t)got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
		if (got == sizeof(r->text) - 1)
			break;
	}
	r->text[got] = '\0';
	*sectors = diskstats_parse(r->text, d->maj, d->min);
	if (d->backing)
		*bsectors = diskstats_parse(r->text, d->bmaj, d->bmin);
}

void diskdev_record(const struct diskdev *d, struct meta *m)
{
	if (!d->found) {
		meta_set(m, "dev", "%s", "");
		meta_set(m, "dev_why", "%s", d->why);
		return;
	}
	meta_set(m, "dev", "%s %u:%u", d->name, d->maj, d->min);
	meta_set(m, "dev_read_ahead_kb", "%ld", d->read_ahead_kb);
	meta_set(m, "dev_backing", d->backing ? "%s %u:%u" : "", d->bname, d->bmaj, d->bmin);
	if (d->loop_dio >= 0)
		meta_set(m, "dev_loop_dio", "%d", d->loop_dio);
	if (d->why[0])
		meta_set(m, "dev_why", "%s", d->why);
	meta_set(m, "dev_caveat", "diskstats count every reader of the device, not only this run");
}
