#include "term.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

size_t term_byte(unsigned char c, int keep_newlines, char out[4])
{
	static const char hex[] = "0123456789abcdef";
	if ((c >= 0x20 && c != 0x7f) || (keep_newlines && (c == '\n' || c == '\t'))) {
		out[0] = (char)c;
		return 1;
	}
	out[0] = '\\';
	out[1] = 'x';
	out[2] = hex[c >> 4];
	out[3] = hex[c & 15];
	return 4;
}

void term_clean(char *out, size_t len, const char *s)
{
	size_t n = 0;
	if (len == 0)
		return;
	for (; *s; s++) {
		char b[4];
		size_t k = term_byte((unsigned char)*s, 0, b);
		if (n + k >= len)
			break;
		for (size_t i = 0; i < k; i++)
			out[n++] = b[i];
	}
	out[n] = '\0';
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static ssize_t filter_write(void *cookie, const char *buf, size_t size)
{
	int fd = (int)(intptr_t)cookie;
	char out[4096];
	size_t n = 0;
	for (size_t i = 0; i < size; i++) {
		if (n + 4 > sizeof(out)) {
			if (write_all(fd, out, n) != 0)
				return -1;
			n = 0;
		}
		n += term_byte((unsigned char)buf[i], 1, out + n);
	}
	return n && write_all(fd, out, n) != 0 ? -1 : (ssize_t)size;
}

static FILE *filtered(int fd, int mode)
{
	cookie_io_functions_t io = { .write = filter_write };
	FILE *f = fopencookie((void *)(intptr_t)fd, "w", io);
	if (f && setvbuf(f, NULL, mode, BUFSIZ) != 0) {
		fclose(f);
		f = NULL;
	}
	return f;
}

int term_guard(int streams)
{
	FILE *out = NULL, *err = NULL;
	if ((streams & TERM_STDOUT) && !(out = filtered(STDOUT_FILENO, _IOLBF)))
		return -1;
	if ((streams & TERM_STDERR) && !(err = filtered(STDERR_FILENO, _IONBF))) {
		if (out)
			fclose(out);
		return -1;
	}
	if (out) {
		fflush(stdout);
		stdout = out;
	}
	if (err) {
		fflush(stderr);
		stderr = err;
	}
	return 0;
}
