#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

int out_dir_check(const char *dir, char *err, size_t errlen)
{
	struct stat st;
	if (lstat(dir, &st) != 0) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	if (S_ISLNK(st.st_mode)) {
		snprintf(err, errlen, "%s is a symbolic link; not writing through it", dir);
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s is not a directory", dir);
		return -1;
	}
	if (st.st_uid != geteuid() && st.st_uid != 0) {
		snprintf(err, errlen, "%s belongs to another user; not writing into it", dir);
		return -1;
	}
	if ((st.st_mode & S_IWOTH) && !(st.st_mode & S_ISVTX)) {
		snprintf(err, errlen, "%s is writable by anyone; not writing into it", dir);
		return -1;
	}
	return 0;
}

int out_file_open(struct out_file *o, const char *dir, const char *name)
{
	memset(o, 0, sizeof(*o));
	if (snprintf(o->final, sizeof(o->final), "%s/%s", dir, name) >= (int)sizeof(o->final) ||
	    snprintf(o->tmp, sizeof(o->tmp), "%s/.%s.XXXXXX", dir, name) >= (int)sizeof(o->tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	int fd = mkostemp(o->tmp, O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fchmod(fd, 0644) != 0 || !(o->f = fdopen(fd, "w"))) {
		int e = errno;
		close(fd);
		unlink(o->tmp);
		errno = e;
		return -1;
	}
	return 0;
}

int out_file_commit(struct out_file *o)
{
	int rc = 0, e = 0;
	if (fflush(o->f) != 0 || ferror(o->f)) {
		rc = -1;
		e = errno ? errno : EIO;
	}
	if (fclose(o->f) != 0 && rc == 0) {
		rc = -1;
		e = errno;
	}
	o->f = NULL;
	if (rc == 0 && rename(o->tmp, o->final) != 0) {
		rc = -1;
		e = errno;
	}
	if (rc != 0) {
		unlink(o->tmp);
		errno = e;
	}
	return rc;
}

void out_file_abort(struct out_file *o)
{
	if (o->f)
		fclose(o->f);
	o->f = NULL;
	unlink(o->tmp);
}

void out_default_folder(char *out, size_t len, const char *kind)
{
	struct utsname u;
	char host[256] = "host", stamp[32], name[512];
	time_t t = time(NULL);
	struct tm tm;

	gethostname(host, sizeof(host));
	host[sizeof(host) - 1] = '\0';
	if (uname(&u) != 0)
		snprintf(u.release, sizeof(u.release), "unknown");
	localtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	snprintf(name, sizeof(name), "results/%s-%s%s%s-%s", host, u.release, kind ? "-" : "", kind ? kind : "", stamp);
	snprintf(out, len, "%s", name);
	struct stat st;
	for (int i = 2; lstat(out, &st) == 0; i++) /* two runs in one second must not share a folder */
		snprintf(out, len, "%s-%d", name, i);
}
