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

/* 0 when dir is a real directory owned by this user or root, not writable by
 * others unless sticky, and so is every folder on its path (from / for an
 * absolute path, else from the working folder), none of them a symbolic
 * link: walked one component at a time, a link never followed.  -1 with a
 * one-line reason naming the component. */
int out_dir_check(const char *dir, char *err, size_t errlen);

/* Makes dir (its last component, mode 0755) beneath its parent once the
 * parent passed out_dir_check's walk, then checks dir; a dir that exists is
 * checked alone.  *made: 1 when this call made it.  0, or -1 with one line. */
int out_dir_make(const char *dir, int *made, char *err, size_t errlen);

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
