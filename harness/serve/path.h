/* The file a request names, under --root and nowhere else. */
#ifndef IOPATHS_SERVE_PATH_H
#define IOPATHS_SERVE_PATH_H

#include <sys/stat.h>

/* Opens the regular file that the decoded request path names under the root
 * (root_fd: the --root folder, O_PATH|O_DIRECTORY).  The fd (O_RDONLY |
 * O_CLOEXEC), its stat in *st; or minus a status: 404 (no such file), 403
 * (outside the root by "..", an absolute or a symlink's way; a directory, a
 * device, a FIFO, a socket; the root itself ("/"); a control character in
 * the path); 503 (out of fds or memory: EMFILE, ENFILE, ENOMEM), 500 (any
 * other error).  The fd is blocking (opened O_NONBLOCK so that a FIFO cannot
 * hang the open, which is cleared before it is returned).
 * Resolution is the kernel's (openat2 RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS),
 * not string matching. */
int serve_path_open(int root_fd, const char *path, struct stat *st);

#endif
