/* Opening a file iopaths reads from a results folder, which may come from a
 * stranger: only a regular file, never through a symbolic link at its name,
 * and never blocking on the open (a FIFO or a device planted at the name
 * would hang the reader, or read what is not a results file).  Every reader
 * of a results folder opens through here. */
#ifndef IOPATHS_INFILE_H
#define IOPATHS_INFILE_H

#include <stddef.h>
#include <stdio.h>

/* A read-only descriptor (O_CLOEXEC, blocking) on path when it is a regular
 * file and its last component is not a symbolic link; -1 with one line in
 * err naming the file ("... is not a regular file but a symbolic link; not
 * reading through it", "... but a FIFO ...", or the open's error).  errno is kept. */
int in_open(const char *path, char *err, size_t errlen);

/* The same as a stdio stream ("r"); NULL with one line in err. */
FILE *in_fopen(const char *path, char *err, size_t errlen);

#endif
