#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

/* The folder at fd (met as name) is one to write under: a real directory,
 * this user's or root's, not writable by others unless sticky. */
static int dir_ok(int fd, const char *name, char *err, size_t errlen)
{
	struct stat st;
	if (fstat(fd, &st) != 0) {
		snprintf(err, errlen, "%s: %s", name, strerror(errno));
		return -1;
	}
	if (S_ISLNK(st.st_mode)) {
		snprintf(err, errlen, "%s is a symbolic link; not writing through it", name);
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s is not a directory", name);
		return -1;
	}
	if (st.st_uid != geteuid() && st.st_uid != 0) {
		snprintf(err, errlen, "%s belongs to another user; not writing into it", name);
		return -1;
	}
	if ((st.st_mode & S_IWOTH) && !(st.st_mode & S_ISVTX)) {
		snprintf(err, errlen, "%s is writable by anyone; not writing into it", name);
		return -1;
	}
	return 0;
}

/* Walks dir from / (absolute) or the working folder, one component at a
 * time with openat(O_NOFOLLOW): a symbolic link anywhere is met as itself,
 * never followed, and refused, as is any folder on the way another user
 * could swap (dir_ok).  The last `skip_last` components are not walked.
 * The walked folder's O_PATH descriptor, or -1 with one line in err. */
static int walk(const char *dir, int skip_last, char *err, size_t errlen)
{
	char path[PATH_MAX], shown[PATH_MAX];
	size_t len = strlen(dir);
	if (len == 0 || len >= sizeof(path)) {
		snprintf(err, errlen, "%s: %s", len ? "the output folder's path" : "''", strerror(len ? ENAMETOOLONG : ENOENT));
		return -1;
	}
	memcpy(path, dir, len + 1);
	while (len > 1 && path[len - 1] == '/')
		path[--len] = '\0';
	if (skip_last) {
		char *slash = strrchr(path, '/');
		if (!slash)
			snprintf(path, sizeof(path), ".");
		else if (slash == path)
			path[1] = '\0';
		else
			*slash = '\0';
	}
	int at = open(path[0] == '/' ? "/" : ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (at < 0) {
		snprintf(err, errlen, "%s: %s", path[0] == '/' ? "/" : ".", strerror(errno));
		return -1;
	}
	char *save = NULL;
	size_t shown_len = 0;
	shown[0] = '\0';
	if (path[0] == '/')
		shown[shown_len++] = '/', shown[shown_len] = '\0';
	for (char *c = strtok_r(path, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		shown_len += (size_t)snprintf(shown + shown_len, sizeof(shown) - shown_len, "%s%s",
					      shown_len && shown[shown_len - 1] != '/' ? "/" : "", c);
		if (strcmp(c, ".") == 0)
			continue;
		int fd = openat(at, c, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {
			snprintf(err, errlen, "%s: %s", shown, strerror(errno));
			close(at);
			return -1;
		}
		close(at);
		at = fd;
		if (dir_ok(at, shown, err, errlen) != 0) {
			close(at);
			return -1;
		}
	}
	return at;
}

int out_dir_check(const char *dir, char *err, size_t errlen)
{
	int fd = walk(dir, 0, err, errlen);
	if (fd < 0)
		return -1;
	int rc = dir_ok(fd, dir, err, errlen); /* "." and "/" themselves */
	close(fd);
	return rc;
}

int out_dir_make(const char *dir, int *made, char *err, size_t errlen)
{
	*made = 0;
	int parent = walk(dir, 1, err, errlen);
	if (parent < 0)
		return -1;
	const char *end = dir + strlen(dir), *name;
	while (end > dir + 1 && end[-1] == '/')
		end--;
	for (name = end; name > dir && name[-1] != '/'; name--)
		;
	char last[NAME_MAX + 1];
	if (end - name == 0 || (size_t)(end - name) > NAME_MAX) {
		snprintf(err, errlen, "%s: %s", dir, strerror(end == name ? EINVAL : ENAMETOOLONG));
		close(parent);
		return -1;
	}
	snprintf(last, sizeof(last), "%.*s", (int)(end - name), name);
	/* made beneath the checked descriptor: no path walked again */
	int rc = mkdirat(parent, last, 0755);
	if (rc == 0)
		*made = 1;
	else if (errno != EEXIST) {
		snprintf(err, errlen, "%s cannot be created: %s", dir, strerror(errno));
		close(parent);
		return -1;
	}
	close(parent);
	return out_dir_check(dir, err, errlen);
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
