/* --dir's block device and its reads (/proc/diskstats), for --duration's
 * dev_read_bytes and read amplification.  A loop device's backing device is
 * found too (its reads are what the disk did).  System-wide: every reader of
 * the device counts, not only this process. */
#ifndef IOPATHS_DISKSTATS_H
#define IOPATHS_DISKSTATS_H

#include "meta.h"

#include <stddef.h>
#include <stdint.h>

struct diskdev {
	unsigned maj, min, bmaj, bmin; /* the device; the backing one, when backing */
	int found;                     /* 0: no block device (tmpfs); why says so */
	int backing;                   /* 1: a loop device, with a backing device */
	int loop_dio;                  /* the loop device's dio: 0 reads pass the host's page cache; -1 unknown */
	long read_ahead_kb;            /* the device's (a partition: its disk's); -1 unknown */
	char name[32], bname[32];
	char why[160];
};

/* Finds dir's device: stat's st_dev, or (major 0: btrfs, overlay) the block
 * device its mount names; a loop device's backing file's device.  0 with
 * d->found 1; 0 with d->found 0 and d->why when there is none. */
int diskdev_find(const char *dir, struct diskdev *d);

#define DISKSTATS_TEXT_MAX (256 * 1024)
struct diskstats_reader {
	int fd;                          /* -1: no /proc/diskstats */
	char text[DISKSTATS_TEXT_MAX];   /* touched at open */
};
void diskstats_open(struct diskstats_reader *r);
void diskstats_close(struct diskstats_reader *r);
/* Sectors read (512 bytes each, whatever the device's sector size) by the
 * device and by its backing device, cumulative; NaN where not found. */
void diskstats_read(struct diskstats_reader *r, const struct diskdev *d, double *sectors, double *bsectors);
/* Parses one /proc/diskstats text: the sectors-read field of maj:min, or NaN. */
double diskstats_parse(const char *text, unsigned maj, unsigned min);

/* meta.csv: dev, dev_backing, read_ahead_kb, loop_dio, the why. */
void diskdev_record(const struct diskdev *d, struct meta *m);

#endif
