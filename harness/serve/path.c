/* The file a request names, under --root and nowhere else (path.h).
 *
 * The kernel resolves the path: openat2(2) with RESOLVE_BENEATH refuses (EXDEV)
 * every way out of the root while the path is walked: "..", an absolute path
 * ("//etc/passwd" is "/etc/passwd" once the leading '/' is stripped), and any
 * symlink whose target leaves the root or is absolute, even an absolute one
 * that points back inside (RESOLVE_IN_ROOT would take those relative to the
 * root instead; refusing them is the stricter choice).  Symlinks whose
 * relative target stays inside the root are followed.  RESOLVE_NO_MAGICLINKS
 * refuses /proc/PID/fd-style links.  No string matching of "..": the answer is
 * the kernel's, for every spelling.
 *
 * The file is opened O_NONBLOCK so that a FIFO does not block the open, then
 * fstat'd: only a regular file is served (a directory, the root itself ("/")
 * included, a device, a FIFO, a socket: 403), and O_NONBLOCK is cleared again
 * before the fd is handed out.  Statuses: 404 no such file (ENOENT, ENOTDIR, a
 * name too long to exist); 403 refused (EXDEV, ELOOP, EACCES, EPERM, ENXIO,
 * not a regular file, a control character in the path); 503 out of fds or
 * memory (EMFILE, ENFILE, ENOMEM, EAGAIN retried and still racing); 500
 * anything else.  Every error path closes what it opened. */
#include "path.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

static int status_of(int err)
{
	switch (err) {
	case ENOENT:
	case ENOTDIR:
	case ENAMETOOLONG:
		return -404;
	case EXDEV:
	case ELOOP:
	case EACCES:
	case EPERM:
	case ENXIO:
	case ENODEV:
		return -403;
	case EMFILE:
	case ENFILE:
	case ENOMEM:
	case EAGAIN:
		return -503;
	default:
		return -500;
	}
}

int serve_path_open(int root_fd, const char *path, struct stat *st)
{
	if (path[0] == '/')
		path++;
	if (path[0] == '\0')
		return -403; /* the root: a directory, and no listings */
	for (const char *p = path; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p == 0x7f)
			return -403;

	struct open_how how = {
		.flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
	};
	long fd;
	int races = 0;
	do
		fd = syscall(SYS_openat2, root_fd, path, &how, sizeof(how));
	/* EAGAIN: a rename raced the walk of a ".."; the man page says retry */
	while (fd < 0 && (errno == EINTR || (errno == EAGAIN && ++races < 8)));
	if (fd < 0)
		return status_of(errno);

	int status = 0;
	int flags;
	if (fstat((int)fd, st) != 0)
		status = -500;
	else if (!S_ISREG(st->st_mode))
		status = -403;
	else if ((flags = fcntl((int)fd, F_GETFL)) < 0 ||
		 fcntl((int)fd, F_SETFL, flags & ~O_NONBLOCK) != 0)
		status = -500;
	if (status != 0) {
		close((int)fd);
		return status;
	}
	return (int)fd;
}
