/* iopaths serve while the file changes under a response (issue 18): a body
 * never carries one byte more than its Content-Length, whatever the file
 * does while it is in flight, and a body the file can no longer complete
 * ends the connection.
 *
 * The reproduction, for every strategy that serves: two pipelined
 * requests, `GET /g` (8 MiB) then `GET /f4k` (Connection: close), by a
 * client with a 4 KiB receive buffer.  Once the first body's first bytes are
 * in, and before the client reads on, a third request is sent (the server,
 * writing, does not read it) and the file is changed:
 *   grow:    a planted response (`HTTP/1.1 200 OK`, `X-Injected: yes`,
 *            body `EVIL!`) appended, again and again, past the 8 MiB;
 *   shrink:  truncated to 6 MiB;
 *   replace: a file of planted responses renamed over it.
 * The server cannot have reached 6 MiB by then (its socket's send queue
 * holds at most tcp_wmem's 4 MiB, the client's a few KiB; the sizes grow
 * with a larger tcp_wmem), so the change always comes while the body is in
 * flight, on any machine load.  grow and replace: exactly the 8 MiB of the
 * file as it was, then the real f4k response, then a FIN; shrink: a prefix
 * of the file of at most its 6 MiB, then a FIN (a reset could lose bytes
 * sent) and no response after it.  No timing is asserted; a hang fails
 * after 30 s. */
#include "helpers.h"

#include "datafile.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SEED 0x6e0717ULL
#define MIB (1u << 20)
#define F4K 4096
#define RCVBUF 4096

static const char planted[] = "HTTP/1.1 200 OK\r\nX-Injected: yes\r\nContent-Length: 5\r\n"
			      "Connection: keep-alive\r\n\r\nEVIL!";

static unsigned size;           /* the served file: twice what a socket's send queue holds */
static unsigned shrunk;         /* shrink: past what the server can have sent, on a 2 MiB (folio) boundary */
static unsigned char *content;  /* `size` bytes: g is all of it, f4k its first 4 KiB */
static char root[1100];
static pid_t live = -1;        /* the server a failed test left running: killed by its teardown */

enum change { GROW, SHRINK, REPLACE };

struct cell {
	const char *strategy;
	enum change change;
};

static void write_file(const char *name, const unsigned char *p, size_t n)
{
	char path[1200], tmp[1300];
	snprintf(path, sizeof(path), "%s/%s", root, name);
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	for (size_t off = 0; off < n;) {
		ssize_t w = write(fd, p + off, n - off);
		assert_true(w > 0);
		off += (size_t)w;
	}
	assert_int_equal(close(fd), 0);
	assert_int_equal(rename(tmp, path), 0);
}

/* Planted responses, one after another, `n` bytes of them. */
static unsigned char *planted_bytes(size_t n)
{
	unsigned char *p = malloc(n);
	assert_non_null(p);
	for (size_t off = 0; off < n; off += sizeof(planted) - 1)
		memcpy(p + off, planted, n - off < sizeof(planted) - 1 ? n - off : sizeof(planted) - 1);
	return p;
}

static int group_setup(void **state)
{
	work_in_tmp(state);
	/* a send queue holds at most tcp_wmem's largest size (4 MiB by default) */
	unsigned long wmin, wdef, wmax = 0;
	FILE *f = fopen("/proc/sys/net/ipv4/tcp_wmem", "r");
	if (!f || fscanf(f, "%lu %lu %lu", &wmin, &wdef, &wmax) != 3 || wmax < 4 * MIB)
		wmax = 4 * MIB;
	if (f)
		fclose(f);
	if (wmax > 64 * MIB)
		fail_msg("tcp_wmem allows send queues of %lu bytes: too large to fill here", wmax);
	unsigned queue = (unsigned)((wmax + 2 * MIB - 1) / (2 * MIB) * (2 * MIB));
	size = 2 * queue;
	shrunk = queue + queue / 2 / (2 * MIB) * (2 * MIB); /* 6 MiB of 8 */
	content = malloc(size);
	assert_non_null(content);
	data_fill(SEED, 0, content, size);
	snprintf(root, sizeof(root), "%s/root", work);
	assert_int_equal(mkdir(root, 0755), 0);
	write_file("f4k", content, F4K);
	return 0;
}

static int group_teardown(void **state)
{
	free(content);
	return work_remove(state);
}

static int kill_live(void **state)
{
	(void)state;
	kill_and_reap(&live);
	return 0;
}

/* Starts `iopaths serve --port 0` and reads its one line for the port. */
static unsigned server_start(const char *strategy)
{
	const char *argv[] = { iopaths_bin(), "serve", "--strategy", strategy, "--port", "0", "--root", root, NULL };
	char line[512];
	live = spawn_first_line(argv, line, sizeof(line));
	static const char at[] = "iopaths serve: listening on http://127.0.0.1:";
	unsigned port;
	const char *l = strstr(line, at);
	if (!l || sscanf(l + strlen(at), "%u/ ", &port) != 1)
		fail_msg("no listening line: '%s'", line);
	return port;
}

static void server_done(void)
{
	kill(live, SIGTERM);
	int st = 0;
	for (int i = 0; i < 2000 && waitpid(live, &st, WNOHANG) == 0; i++)
		usleep(10000);
	if (waitpid(live, &st, WNOHANG) == 0) /* still running after 20 s */
		fail_msg("the server did not stop after SIGTERM");
	live = -1;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		fail_msg("the server ended with status 0x%x after SIGTERM", st);
}

struct client {
	int fd;
	int reset;  /* the connection ended with a reset, not a FIN */
	size_t len; /* bytes in buf not yet taken */
	char buf[8192];
};

static void client_open(struct client *c, unsigned port)
{
	c->len = 0;
	c->reset = 0;
	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(c->fd >= 0);
	int rcv = RCVBUF; /* before connect: the window stays small */
	assert_int_equal(setsockopt(c->fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv)), 0);
	struct timeval tv = { .tv_sec = 30 }; /* a hang fails the test, not the suite */
	setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(c->fd, (struct sockaddr *)&a, sizeof(a)) != 0)
		fail_msg("connect to port %u: %s", port, strerror(errno));
}

/* More bytes into buf; 0 at the end of the connection (EOF or a reset). */
static size_t fill(struct client *c)
{
	for (;;) {
		ssize_t r = recv(c->fd, c->buf + c->len, sizeof(c->buf) - c->len, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && errno == ECONNRESET) {
			c->reset = 1;
			return 0;
		}
		if (r < 0)
			fail_msg("the connection stays open, silent for 30 s (recv: %s)", strerror(errno));
		c->len += (size_t)r;
		return (size_t)r;
	}
}

/* One response head: its status and Content-Length; 0, or -1 at the end of the connection. */
static int read_head(struct client *c, char *head, size_t hlen, long long *length)
{
	char *end;
	while (!(end = memmem(c->buf, c->len, "\r\n\r\n", 4))) {
		if (c->len == sizeof(c->buf))
			fail_msg("a response head longer than %zu bytes", sizeof(c->buf));
		if (fill(c) == 0)
			return -1;
	}
	size_t n = (size_t)(end - c->buf) + 4;
	snprintf(head, hlen, "%.*s", (int)(n < hlen ? n : hlen - 1), c->buf);
	const char *cl = strcasestr(head, "\r\nContent-Length: ");
	*length = cl ? strtoll(cl + 18, NULL, 10) : -1;
	c->len -= n;
	memmove(c->buf, c->buf + n, c->len);
	return 0;
}

/* At most 60 bytes at p, for a message: a non-printing byte (CR, LF, the
 * file's binary) as '.', so the log stays text. */
static const char *shown(const char *p, size_t n)
{
	static char out[61];
	size_t k = 0;
	for (; k < n && k < sizeof(out) - 1; k++)
		out[k] = p[k] >= 0x20 && p[k] < 0x7f ? p[k] : '.';
	out[k] = '\0';
	return out;
}

/* Up to n bytes of body, each checked against want; the count before the end of the connection. */
static size_t read_body(struct client *c, const unsigned char *want, size_t n, const char *what)
{
	size_t got = 0;
	while (got < n) {
		if (c->len == 0 && fill(c) == 0)
			break;
		size_t k = c->len < n - got ? c->len : n - got;
		if (memcmp(c->buf, want + got, k) != 0)
			fail_msg("%s: the body differs from the file within bytes %zu..%zu: '%s'", what, got, got + k,
				 shown(c->buf, k));
		got += k;
		c->len -= k;
		memmove(c->buf, c->buf + k, c->len);
	}
	return got;
}

/* The server ends the connection with nothing more, by a FIN: a reset could
 * have thrown away bytes it had sent. */
static void expect_end(struct client *c, const char *what)
{
	while (fill(c) > 0)
		if (c->len == sizeof(c->buf))
			break;
	if (c->len)
		fail_msg("%s: %zu bytes after the end: '%s'", what, c->len, shown(c->buf, c->len));
	if (c->reset)
		fail_msg("%s: the connection ended with a reset, not a FIN", what);
}

static void change_file(enum change change)
{
	char path[1200];
	snprintf(path, sizeof(path), "%s/g", root);
	if (change == GROW) {
		unsigned char *more = planted_bytes(MIB);
		int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
		assert_true(fd >= 0);
		for (size_t off = 0; off < MIB;) {
			ssize_t w = write(fd, more + off, MIB - off);
			assert_true(w > 0);
			off += (size_t)w;
		}
		assert_int_equal(close(fd), 0);
		free(more);
	} else if (change == SHRINK) {
		assert_int_equal(truncate(path, shrunk), 0);
	} else {
		unsigned char *other = planted_bytes(size + MIB);
		write_file("g", other, size + MIB);
		free(other);
	}
}

static void served_while_the_file_changes(void **state)
{
	const struct cell *cell = *state;
	static const char *const names[] = { "grow", "shrink", "replace" };
	char what[64];
	snprintf(what, sizeof(what), "%s, %s", cell->strategy, names[cell->change]);
	write_file("g", content, size);
	unsigned port = server_start(cell->strategy);
	struct client *c = malloc(sizeof(*c));
	assert_non_null(c);
	client_open(c, port);
	static const char reqs[] = "GET /g HTTP/1.1\r\nHost: t\r\n\r\n"
				   "GET /f4k HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
	assert_int_equal(send(c->fd, reqs, sizeof(reqs) - 1, MSG_NOSIGNAL), (ssize_t)sizeof(reqs) - 1);

	char head[1024];
	long long length;
	if (read_head(c, head, sizeof(head), &length) != 0 || strncmp(head, "HTTP/1.1 200 ", 13) != 0 ||
	    length != size)
		fail_msg("%s: want 200 with %u bytes first, got '%s'", what, size, shown(head, strlen(head)));
	size_t got = read_body(c, content, 1, what); /* the first bytes are in: the file changes now */
	static const char third[] = "GET /f4k HTTP/1.1\r\nHost: t\r\n\r\n"; /* unread by the server, */
	assert_int_equal(send(c->fd, third, sizeof(third) - 1, MSG_NOSIGNAL), /* which is writing */
			 (ssize_t)sizeof(third) - 1);
	change_file(cell->change);
	got += read_body(c, content + got, size - got, what);

	if (cell->change == SHRINK) {
		if (got > shrunk) /* the server had sent at most a send queue and some when the file was cut */
			fail_msg("%s: %zu bytes of a file cut to %u while they were sent", what, got, shrunk);
		expect_end(c, what); /* no f4k: the connection ended with the short body */
	} else {
		if (got != size)
			fail_msg("%s: %zu of %u bytes of the file as it was opened", what, got, size);
		if (read_head(c, head, sizeof(head), &length) != 0)
			fail_msg("%s: the connection ended before the second response", what);
		if (strstr(head, "X-Injected"))
			fail_msg("%s: the appended bytes were taken for the second response: '%s'", what,
				 shown(head, strlen(head)));
		if (strncmp(head, "HTTP/1.1 200 ", 13) != 0 || length != F4K)
			fail_msg("%s: want 200 with 4096 bytes second, got '%s'", what, shown(head, strlen(head)));
		if (read_body(c, content, F4K, what) != F4K)
			fail_msg("%s: the second body is short", what);
		expect_end(c, what); /* Connection: close */
	}
	close(c->fd);
	free(c);
	server_done();
}

#define CELL(s, ch, name) { s " " name, served_while_the_file_changes, NULL, kill_live, &(struct cell){ s, ch } }
#define EACH_CHANGE(s) CELL(s, GROW, "grows"), CELL(s, SHRINK, "shrinks"), CELL(s, REPLACE, "is replaced")

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	const struct CMUnitTest tests[] = {
		EACH_CHANGE("read-write"),
		EACH_CHANGE("mmap-send"),
		EACH_CHANGE("sendfile"),
		EACH_CHANGE("splice"),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
