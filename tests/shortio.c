/* LD_PRELOAD shim for tests only (build/tests/shortio.so): every transfer
 * call of a path (read, write, pread, pwrite, send, sendfile, splice,
 * copy_file_range) on a socket, a pipe, /dev/null or an iopaths data or sink
 * file moves at most 1000 to 3000 bytes, and every EINTR_EVERY-th such call
 * fails with EINTR before moving anything.  Real kernels do both (a socket
 * buffer fills, a signal arrives), but rarely at test sizes; under the shim
 * every strategy's loop over short transfers runs at a few KiB.  Other fds
 * (perf counters, /proc, the CSV files) are left alone.
 *
 * IOPATHS_SHORTIO_REPORT=FILE: at exit, "shortened N interrupted M" is
 * appended there, so a test can tell the shim was really in the way.
 * Not for ASan builds: ASan must be the first library loaded. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <unistd.h>

#define SHORT_MOST 3000 /* not a page, not a block: every loop sees odd pieces */
#define EINTR_EVERY 5

static unsigned long shortened, interrupted, calls;

/* A path's fd: a socket, a pipe, /dev/null, or iopaths-*.dat (data or sink file). */
static int in_the_way(int fd)
{
	char link[64], target[4096];
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, target, sizeof(target) - 1);
	if (n <= 0)
		return 0;
	target[n] = '\0';
	if (strncmp(target, "socket:", 7) == 0 || strncmp(target, "pipe:", 5) == 0 ||
	    strcmp(target, "/dev/null") == 0)
		return 1;
	const char *base = strrchr(target, '/');
	return base && strncmp(base, "/iopaths-", 9) == 0 && n > 4 && strcmp(target + n - 4, ".dat") == 0;
}

/* 1: fail this call with EINTR; else *len is cut to SHORT_MOST. */
static int get_in_the_way(int fd_a, int fd_b, size_t *len)
{
	if (!in_the_way(fd_a) && (fd_b < 0 || !in_the_way(fd_b)))
		return 0;
	unsigned long call = __atomic_add_fetch(&calls, 1, __ATOMIC_RELAXED);
	if (call % EINTR_EVERY == 0) {
		__atomic_add_fetch(&interrupted, 1, __ATOMIC_RELAXED);
		errno = EINTR;
		return 1;
	}
	size_t most = SHORT_MOST - call % 3 * 1000; /* 3000, 2000, 1000: a splice out of a pipe falls short too */
	if (*len > most) {
		*len = most;
		__atomic_add_fetch(&shortened, 1, __ATOMIC_RELAXED);
	}
	return 0;
}

static void *real(const char *name)
{
	void *f = dlsym(RTLD_NEXT, name);
	if (!f)
		abort();
	return f;
}

__attribute__((destructor)) static void report(void)
{
	/* Only iopaths itself reports: the programs it starts (systemd-detect-virt
	 * for meta.csv) inherit LD_PRELOAD too, and move none of the test's bytes. */
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = '\0';
	const char *base = strrchr(exe, '/');
	if (!base || strcmp(base, "/iopaths") != 0)
		return;
	const char *path = getenv("IOPATHS_SHORTIO_REPORT");
	FILE *f = path ? fopen(path, "a") : NULL;
	if (f) {
		fprintf(f, "shortened %lu interrupted %lu\n", shortened, interrupted);
		fclose(f);
	}
}

ssize_t read(int fd, void *buf, size_t len)
{
	static ssize_t (*f)(int, void *, size_t);
	if (!f)
		f = real("read");
	if (get_in_the_way(fd, -1, &len))
		return -1;
	return f(fd, buf, len);
}

ssize_t write(int fd, const void *buf, size_t len)
{
	static ssize_t (*f)(int, const void *, size_t);
	if (!f)
		f = real("write");
	if (get_in_the_way(fd, -1, &len))
		return -1;
	return f(fd, buf, len);
}

ssize_t pread(int fd, void *buf, size_t len, off_t off)
{
	static ssize_t (*f)(int, void *, size_t, off_t);
	if (!f)
		f = real("pread");
	if (get_in_the_way(fd, -1, &len))
		return -1;
	return f(fd, buf, len, off);
}

ssize_t pread64(int fd, void *buf, size_t len, off_t off) __attribute__((alias("pread")));

ssize_t pwrite(int fd, const void *buf, size_t len, off_t off)
{
	static ssize_t (*f)(int, const void *, size_t, off_t);
	if (!f)
		f = real("pwrite");
	if (get_in_the_way(fd, -1, &len))
		return -1;
	return f(fd, buf, len, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t len, off_t off) __attribute__((alias("pwrite")));

ssize_t send(int fd, const void *buf, size_t len, int flags)
{
	static ssize_t (*f)(int, const void *, size_t, int);
	if (!f)
		f = real("send");
	if (get_in_the_way(fd, -1, &len))
		return -1;
	return f(fd, buf, len, flags);
}

ssize_t sendfile(int out, int in, off_t *off, size_t len)
{
	static ssize_t (*f)(int, int, off_t *, size_t);
	if (!f)
		f = real("sendfile");
	if (get_in_the_way(out, in, &len))
		return -1;
	return f(out, in, off, len);
}

ssize_t sendfile64(int out, int in, off_t *off, size_t len) __attribute__((alias("sendfile")));

ssize_t splice(int in, loff_t *in_off, int out, loff_t *out_off, size_t len, unsigned flags)
{
	static ssize_t (*f)(int, loff_t *, int, loff_t *, size_t, unsigned);
	if (!f)
		f = real("splice");
	if (get_in_the_way(in, out, &len))
		return -1;
	return f(in, in_off, out, out_off, len, flags);
}

ssize_t copy_file_range(int in, loff_t *in_off, int out, loff_t *out_off, size_t len, unsigned flags)
{
	static ssize_t (*f)(int, loff_t *, int, loff_t *, size_t, unsigned);
	if (!f)
		f = real("copy_file_range");
	if (get_in_the_way(in, out, &len))
		return -1;
	return f(in, in_off, out, out_off, len, flags);
}
