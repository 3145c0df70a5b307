#include "infile.h"

#include "term.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int in_open(const char *path, char *err, size_t errlen)
{
	char shown[512];
	/* O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused
	 * below, by fstat, before a byte is read. */
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		int e = errno;
		struct stat st;
		term_clean(shown, sizeof(shown), path);
		if (e == ELOOP && lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
			snprintf(err, errlen, "%s is not a regular file but a symbolic link; not reading through it", shown);
		else
			snprintf(err, errlen, "%s: %s", shown, strerror(e));
		errno = e;
		return -1;
	}
	struct stat st;
	int e = 0;
	if (fstat(fd, &st) != 0)
		e = errno;
	else if (!S_ISREG(st.st_mode))
		e = EINVAL;
	else {
		int flags = fcntl(fd, F_GETFL);
		if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0)
			e = errno;
	}
	if (e) {
		term_clean(shown, sizeof(shown), path);
		if (e == EINVAL)
			snprintf(err, errlen, "%s is not a regular file but a %s; not reading it", shown,
				 S_ISFIFO(st.st_mode) ? "FIFO" : S_ISDIR(st.st_mode) ? "directory"
					 : S_ISSOCK(st.st_mode)                      ? "socket"
					 : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "device"
										      : "special file");
		else
			snprintf(err, errlen, "%s: %s", shown, strerror(e));
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

FILE *in_fopen(const char *path, char *err, size_t errlen)
{
	int fd = in_open(path, err, errlen);
	if (fd < 0)
		return NULL;
	FILE *f = fdopen(fd, "r");
	if (!f) {
		int e = errno;
		char shown[512];
		term_clean(shown, sizeof(shown), path);
		snprintf(err, errlen, "%s: %s", shown, strerror(e));
		close(fd);
		errno = e;
	}
	return f;
}
