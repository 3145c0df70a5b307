/* Files iopaths writes for people: created under a private temporary name
 * (mkstemp: O_CREAT|O_EXCL, so never through a planted symlink) in a folder
 * that was checked, and renamed into place only when complete, so a reader
 * sees the whole file or none.  rename() replaces whatever stands at the final
 * name, a planted symlink included, and never writes through it. */
#ifndef IOPATHS_OUTFILE_H
#define IOPATHS_OUTFILE_H

#include <limits.h>
#include <stdio.h>

struct out_file {
	FILE *f;
	char tmp[PATH_MAX];
	char final[PATH_MAX];
};

/* 0 when dir is a real directory (not a symlink) owned by this user or root,
 * and not writable by others unless sticky; -1 with a one-line reason. */
int out_dir_check(const char *dir, char *err, size_t errlen);

/* A results folder's default name, not yet taken:
 * results/HOST-KERNEL[-KIND]-YYYYmmdd-HHMMSS, with -2, -3... when two are made
 * in one second.  kind: NULL, or "demos" and the like. */
void out_default_folder(char *out, size_t len, const char *kind);

/* Opens a new temporary for dir/name; 0, or -1 with errno. */
int out_file_open(struct out_file *o, const char *dir, const char *name);

/* Flushes, closes and renames the temporary to dir/name; 0, or -1 with errno
 * (the temporary is removed either way). */
int out_file_commit(struct out_file *o);

/* Closes and removes the temporary; the final name is not touched. */
void out_file_abort(struct out_file *o);

#endif
