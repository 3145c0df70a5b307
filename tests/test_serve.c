/* iopaths serve through its socket: build/iopaths serve --port 0 on a folder
 * of known files, a small client here.  Every body is checked byte for byte;
 * no timing is asserted but the timeouts' bounds, and those generously. */
#include "helpers.h"

#include "datafile.h"
#include "http.h"
#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
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

#define SEED 0x5e77eULL
#define BIG (64u << 20)

static const struct file {
	const char *name;
	size_t size;
} files[] = { { "f0", 0 }, { "f1", 1 }, { "f4k", 4096 }, { "f1m1", (1u << 20) + 1 }, { "f64m", BIG } };
enum { F0, F1, F4K, F1M1, F64M, NFILES };

static unsigned char *content; /* BIG bytes: every file is its first `size` bytes */
static char root[1100];

struct server {
	pid_t pid;
	unsigned port;
};
static pid_t live = -1; /* the server a failed test left running: killed by its teardown */

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int group_setup(void **state)
{
	work_in_tmp(state);
	content = malloc(BIG);
	assert_non_null(content);
	data_fill(SEED, 0, content, BIG);
	snprintf(root, sizeof(root), "%s/root", work);
	assert_int_equal(mkdir(root, 0755), 0);
	for (int i = 0; i < NFILES; i++) {
		char p[1200];
		snprintf(p, sizeof(p), "%s/%s", root, files[i].name);
		int fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0644);
		assert_true(fd >= 0);
		for (size_t off = 0; off < files[i].size;) {
			ssize_t n = write(fd, content + off, files[i].size - off);
			assert_true(n > 0);
			off += (size_t)n;
		}
		assert_int_equal(close(fd), 0);
	}
	char p[1200];
	snprintf(p, sizeof(p), "%s/sub", root);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/out", root); /* a symlink that leads outside the root */
	assert_int_equal(symlink("/etc/passwd", p), 0);
	snprintf(p, sizeof(p), "%s/secret", work); /* beside the root, not in it */
	int fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0644);
	assert_true(fd >= 0);
	close(fd);
	return 0;
}

static int group_teardown(void **state)
{
	free(content);
	return work_remove(state);
}

/* Starts the server and reads its one line for the port. */
static struct server server_start(const char *strategy, const char *const *extra)
{
	const char *argv[32] = { iopaths_bin(), "serve", "--strategy", strategy, "--port", "0", "--root", root,
				 "--header-timeout", "1" };
	size_t n = 10;
	for (; extra && *extra && n < 30; extra++)
		argv[n++] = *extra;
	argv[n] = NULL;
	char line[512];
	pid_t pid = spawn_first_line(argv, line, sizeof(line));
	struct server s = { .pid = pid };
	live = pid;
	char want[256];
	snprintf(want, sizeof(want), "(strategy %s, root ", strategy);
	const char *at = strstr(line, "iopaths serve: listening on http://127.0.0.1:");
	if (!at || sscanf(at + strlen("iopaths serve: listening on http://127.0.0.1:"), "%u/ ", &s.port) != 1 ||
	    !strstr(line, want) || !(strstr(line, " workers)\n") || strstr(line, " 1 worker)\n"))) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		fail_msg("no listening line: '%s'", line);
	}
	return s;
}

/* The exit status after `sig`, waiting at most `secs`; -1: still running (killed). */
static int server_stop(struct server *s, int sig, double secs)
{
	if (sig)
		kill(s->pid, sig);
	double end = now_s() + secs;
	int st;
	for (;;) {
		pid_t r = waitpid(s->pid, &st, WNOHANG);
		if (r == s->pid) {
			live = -1;
			return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		}
		if (now_s() > end) {
			kill(s->pid, SIGKILL);
			waitpid(s->pid, NULL, 0);
			live = -1;
			return -1;
		}
		usleep(10000);
	}
}

static int kill_live(void **state)
{
	(void)state;
	kill_and_reap(&live);
	return 0;
}

static void server_done(struct server *s)
{
	int rc = server_stop(s, SIGTERM, 20);
	if (rc != 0)
		fail_msg("the server exited %d after SIGTERM", rc);
}

struct client {
	int fd;
	size_t len;
	char buf[1 << 16];
};

static void client_open(struct client *c, unsigned port)
{
	c->len = 0;
	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(c->fd >= 0);
	struct timeval tv = { .tv_sec = 30 }; /* a hang fails the test, not the suite */
	setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(c->fd, (struct sockaddr *)&a, sizeof(a)) != 0)
		fail_msg("connect to port %u: %s", port, strerror(errno));
}

static void client_close(struct client *c)
{
	close(c->fd);
	c->fd = -1;
}

static void send_text(struct client *c, const char *text, size_t n)
{
	for (size_t off = 0; off < n;) {
		ssize_t w = send(c->fd, text + off, n - off, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			fail_msg("send: %s", strerror(errno));
		off += (size_t)w;
	}
}

static void send_str(struct client *c, const char *text)
{
	send_text(c, text, strlen(text));
}

/* More bytes into the buffer; 0 at EOF (a reset counts as EOF), -1 on a timeout. */
static ssize_t fill(struct client *c)
{
	if (c->len == sizeof(c->buf))
		fail_msg("a response head longer than %zu bytes", sizeof(c->buf));
	for (;;) {
		ssize_t r = recv(c->fd, c->buf + c->len, sizeof(c->buf) - c->len, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && errno == ECONNRESET)
			return 0;
		if (r < 0)
			return -1;
		c->len += (size_t)r;
		return r;
	}
}

struct response {
	int status;
	long long length; /* Content-Length, -1 when absent */
	int close;        /* Connection: close */
	char head[1024];
};

/* One response head; 0, or -1 when the connection ends before one. */
static int read_head(struct client *c, struct response *r)
{
	char *end;
	while (!(end = memmem(c->buf, c->len, "\r\n\r\n", 4))) {
		ssize_t n = fill(c);
		if (n < 0)
			fail_msg("no response within 30 s");
		if (n == 0)
			return -1;
	}
	size_t hl = (size_t)(end - c->buf) + 4;
	snprintf(r->head, sizeof(r->head), "%.*s", (int)(hl < sizeof(r->head) ? hl : sizeof(r->head) - 1), c->buf);
	if (sscanf(r->head, "HTTP/1.1 %d ", &r->status) != 1)
		fail_msg("not a status line: %s", r->head);
	const char *cl = strcasestr(r->head, "\r\nContent-Length: ");
	r->length = cl ? strtoll(cl + 18, NULL, 10) : -1;
	r->close = strcasestr(r->head, "\r\nConnection: close\r\n") != NULL;
	c->len -= hl;
	memmove(c->buf, c->buf + hl, c->len);
	return 0;
}

/* n body bytes, compared with want as they come; the count that arrived. */
static size_t read_body(struct client *c, const unsigned char *want, size_t n)
{
	size_t got = 0;
	unsigned char chunk[1 << 16];
	while (got < n) {
		size_t k;
		if (c->len) {
			k = c->len < n - got ? c->len : n - got;
			memcpy(chunk, c->buf, k);
			c->len -= k;
			memmove(c->buf, c->buf + k, c->len);
		} else {
			size_t ask = n - got < sizeof(chunk) ? n - got : sizeof(chunk);
			ssize_t r = recv(c->fd, chunk, ask, 0);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				return got;
			k = (size_t)r;
		}
		if (want && memcmp(chunk, want + got, k) != 0)
			fail_msg("the body differs from the file within bytes %zu..%zu", got, got + k);
		got += k;
	}
	return got;
}

/* The connection is closed by the server: EOF (or a reset) with nothing more. */
static void expect_closed(struct client *c)
{
	ssize_t n;
	while ((n = fill(c)) > 0)
		;
	if (n < 0)
		fail_msg("the connection stays open");
	if (c->len)
		fail_msg("%zu bytes after the response", c->len);
}

static void request(struct client *c, const char *method, const char *path, const char *extra)
{
	char req[512];
	snprintf(req, sizeof(req), "%s /%s HTTP/1.1\r\nHost: test\r\n%s\r\n", method, path, extra ? extra : "");
	send_str(c, req);
}

/* A whole 200 for file i, checked; the response returned. */
static struct response expect_file(struct client *c, int i, int head_only)
{
	struct response r;
	if (read_head(c, &r) != 0)
		fail_msg("%s: the connection closed before a response", files[i].name);
	if (r.status != 200 || r.length != (long long)files[i].size)
		fail_msg("%s: want 200 with %zu bytes, got: %s", files[i].name, files[i].size, r.head);
	if (!head_only) {
		size_t got = read_body(c, content, files[i].size);
		if (got != files[i].size)
			fail_msg("%s: %zu of %zu bytes", files[i].name, got, files[i].size);
	}
	return r;
}

static void get_one(unsigned port, int i)
{
	struct client c;
	client_open(&c, port);
	request(&c, "GET", files[i].name, NULL);
	expect_file(&c, i, 0);
	client_close(&c);
}

/* GET of every size, HEAD, keep-alive, pipelining, Range ignored, HTTP/1.0. */
static void get_head_keepalive_pipelined(void **state)
{
	const char *strategy = *state;
	struct server s = server_start(strategy, NULL);
	struct client c;
	for (int i = 0; i < NFILES; i++) {
		client_open(&c, s.port);
		request(&c, "GET", files[i].name, NULL);
		struct response r = expect_file(&c, i, 0);
		char server_header[64];
		snprintf(server_header, sizeof(server_header), "\r\nServer: iopaths/%s\r\n", strategy);
		if (!strstr(r.head, server_header) || r.close)
			fail_msg("want %s and keep-alive: %s", server_header, r.head);
		/* HEAD on the same connection: the same length, no body (the next response follows at once) */
		request(&c, "HEAD", files[i].name, NULL);
		expect_file(&c, i, 1);
		request(&c, "GET", files[F1].name, NULL);
		expect_file(&c, F1, 0);
		client_close(&c);
	}
	/* keep-alive: three in turn on one connection */
	client_open(&c, s.port);
	for (int k = 0; k < 3; k++) {
		request(&c, "GET", files[F1M1].name, NULL);
		expect_file(&c, F1M1, 0);
	}
	/* pipelined: three at once, answered in order */
	char req[1024];
	snprintf(req, sizeof(req),
		 "GET /f4k HTTP/1.1\r\nHost: t\r\n\r\nGET /f1m1 HTTP/1.1\r\nHost: t\r\n\r\nGET /f1 HTTP/1.1\r\nHost: t\r\n\r\n");
	send_str(&c, req);
	expect_file(&c, F4K, 0);
	expect_file(&c, F1M1, 0);
	expect_file(&c, F1, 0);
	/* Range is not supported: 200 with the whole file */
	request(&c, "GET", files[F1M1].name, "Range: bytes=0-99\r\n");
	expect_file(&c, F1M1, 0);
	/* Connection: close is honoured */
	request(&c, "GET", files[F4K].name, "Connection: close\r\n");
	struct response r = expect_file(&c, F4K, 0);
	if (!r.close)
		fail_msg("no Connection: close: %s", r.head);
	expect_closed(&c);
	client_close(&c);
	/* HTTP/1.0 without keep-alive: closed after the response */
	client_open(&c, s.port);
	send_str(&c, "GET /f1m1 HTTP/1.0\r\n\r\n");
	expect_file(&c, F1M1, 0);
	expect_closed(&c);
	client_close(&c);
	/* HTTP/1.0 with keep-alive: kept */
	client_open(&c, s.port);
	send_str(&c, "GET /f4k HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
	expect_file(&c, F4K, 0);
	send_str(&c, "GET /f1 HTTP/1.0\r\n\r\n");
	expect_file(&c, F1, 0);
	expect_closed(&c);
	client_close(&c);
	server_done(&s);
}

/* A half request is closed after --header-timeout (1 s); a slow reader holds
 * no one else up and gets every byte in place (the strategy's moves resumed);
 * a client that resets mid-body costs the others nothing. */
static void slow_and_reset_clients(void **state)
{
	const char *strategy = *state;
	const char *extra[] = { "--send-timeout", "2", NULL };
	struct server s = server_start(strategy, extra);

	struct client half;
	client_open(&half, s.port);
	send_str(&half, "GET /f4k HTTP/1.1\r\nHo");
	double t0 = now_s();
	expect_closed(&half);
	double took = now_s() - t0;
	if (took < 0.5 || took > 10)
		fail_msg("a half request was closed after %.1f s, not about 1 s", took);
	client_close(&half);

	/* a client stalls on 64 MiB; others are served meanwhile */
	struct client stall;
	client_open(&stall, s.port);
	request(&stall, "GET", files[F64M].name, NULL);
	usleep(300000);
	get_one(s.port, F1M1);
	get_one(s.port, F4K);
	/* within the send timeout it may go on, and gets every byte in place */
	struct response r;
	if (read_head(&stall, &r) != 0 || r.status != 200)
		fail_msg("the stalled client got no 200");
	size_t got = read_body(&stall, content, 1 << 20);
	usleep(300000);
	got += read_body(&stall, content + got, files[F64M].size - got);
	if (got != files[F64M].size)
		fail_msg("a slow reader got %zu of %zu bytes", got, files[F64M].size);
	client_close(&stall);

	/* resets mid-body: the others go on */
	for (int k = 0; k < 3; k++) {
		struct client rst;
		client_open(&rst, s.port);
		request(&rst, "GET", files[F64M].name, NULL);
		if (read_head(&rst, &r) != 0 || r.status != 200)
			fail_msg("no 200 before the reset");
		read_body(&rst, content, 100000 * (size_t)(k + 1));
		struct linger lg = { .l_onoff = 1, .l_linger = 0 };
		setsockopt(rst.fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		client_close(&rst);
		get_one(s.port, F1M1);
	}
	get_one(s.port, F64M);
	server_done(&s);
}

/* A client that stops reading for good is dropped after --send-timeout
 * (2 s, at most twice that), and holds no one else up meanwhile; one that
 * stops for 1.5 s (under the timeout) is not: the server's timer, the same for
 * every strategy (the resumed moves are each strategy's, in
 * slow_and_reset_clients). */
static void a_stalled_client_is_dropped(void **state)
{
	const char *strategy = *state;
	const char *extra[] = { "--send-timeout", "2", NULL };
	struct server s = server_start(strategy, extra);
	struct client stall;
	struct response r;
	size_t got;
	struct client pause;
	client_open(&stall, s.port);
	request(&stall, "GET", files[F64M].name, NULL);
	client_open(&pause, s.port);
	request(&pause, "GET", files[F64M].name, NULL);
	double t0 = now_s();
	usleep(1500000);
	if (read_head(&pause, &r) != 0 || r.status != 200)
		fail_msg("the paused client got no 200");
	got = read_body(&pause, content, files[F64M].size);
	if (got != files[F64M].size)
		fail_msg("a client that read nothing for 1.5 s (--send-timeout 2) got %zu of %zu bytes", got,
			 files[F64M].size);
	client_close(&pause);
	double left = 6 - (now_s() - t0);
	if (left > 0)
		usleep((useconds_t)(left * 1e6));
	get_one(s.port, F4K);
	if (read_head(&stall, &r) != 0 || r.status != 200)
		fail_msg("the stalled client got no 200");
	got = read_body(&stall, content, files[F64M].size);
	if (got >= files[F64M].size)
		fail_msg("a client that read nothing for 6 s got the whole body: no send timeout");
	client_close(&stall);

	server_done(&s);
}

#define CONNS 50
#define ROUNDS 20

/* 1000 requests over 50 open connections, every body verified. */
static void a_thousand_requests_over_fifty_connections(void **state)
{
	const char *strategy = *state;
	const char *extra[] = { "--workers", "1", NULL };
	struct server s = server_start(strategy, extra);
	struct client *c = calloc(CONNS, sizeof(*c));
	assert_non_null(c);
	for (int k = 0; k < CONNS; k++)
		client_open(&c[k], s.port);
	static const int mix[] = { F0, F1, F4K, F1M1, F4K, F1 };
	for (int round = 0; round < ROUNDS; round++) {
		for (int k = 0; k < CONNS; k++)
			request(&c[k], "GET", files[mix[(k + round) % 6]].name, NULL);
		for (int k = 0; k < CONNS; k++)
			expect_file(&c[k], mix[(k + round) % 6], 0);
	}
	for (int k = 0; k < CONNS; k++)
		client_close(&c[k]);
	free(c);
	server_done(&s);
}

/* SIGTERM while a body moves: the body is finished, and the server exits 0. */
static void sigterm_during_a_transfer(void **state)
{
	const char *strategy = *state;
	struct server s = server_start(strategy, NULL);
	struct client c;
	client_open(&c, s.port);
	struct client idle;
	client_open(&idle, s.port);
	request(&c, "GET", files[F64M].name, NULL);
	struct response r;
	if (read_head(&c, &r) != 0 || r.status != 200)
		fail_msg("no 200");
	size_t got = read_body(&c, content, 1 << 20);
	kill(s.pid, SIGTERM);
	got += read_body(&c, content + got, files[F64M].size - got);
	if (got != files[F64M].size)
		fail_msg("the body in flight at SIGTERM: %zu of %zu bytes", got, files[F64M].size);
	expect_closed(&idle); /* an idle connection is closed at once */
	int rc = server_stop(&s, 0, 20);
	if (rc != 0)
		fail_msg("the server exited %d after SIGTERM", rc);
	client_close(&c);
	client_close(&idle);
}

/* The status line of one raw request, and the connection closed after it. */
static void expect_refused(unsigned port, const char *req, size_t len, int lo, int hi)
{
	struct client c;
	client_open(&c, port);
	send_text(&c, req, len);
	struct response r;
	if (read_head(&c, &r) != 0)
		fail_msg("no response to %.60s", req);
	if (r.status < lo || r.status > hi || !r.close)
		fail_msg("want %d..%d and Connection: close for '%.60s', got: %s", lo, hi, req, r.head);
	if (r.length < 0 || read_body(&c, NULL, (size_t)r.length) != (size_t)r.length)
		fail_msg("the error's body is short");
	expect_closed(&c);
	client_close(&c);
}

static void traversal_and_malformed_requests_through_the_socket(void **state)
{
	(void)state;
	struct server s = server_start("sendfile", NULL);
	static const char *const outside[] = {
		"GET /../secret HTTP/1.1\r\nHost: t\r\n\r\n",
		"GET /%2e%2e/secret HTTP/1.1\r\nHost: t\r\n\r\n",
		"GET /sub/../../secret HTTP/1.1\r\nHost: t\r\n\r\n",
		"GET /out HTTP/1.1\r\nHost: t\r\n\r\n",
		"GET /sub HTTP/1.1\r\nHost: t\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: t\r\n\r\n",
		"GET /%2Fetc%2Fpasswd HTTP/1.1\r\nHost: t\r\n\r\n",
	};
	for (size_t k = 0; k < sizeof(outside) / sizeof(outside[0]); k++)
		expect_refused(s.port, outside[k], strlen(outside[k]), 403, 404);
	const char *missing = "GET /nothing-here HTTP/1.1\r\nHost: t\r\n\r\n";
	expect_refused(s.port, missing, strlen(missing), 404, 404);
	/* HEAD of an error: its Content-Length, no body, then the end (a body
	 * would be read as the next response) */
	static const char *const heads[] = { "HEAD /nothing-here HTTP/1.1\r\nHost: t\r\n\r\n",
					     "HEAD /sub HTTP/1.1\r\nHost: t\r\n\r\n" };
	for (int k = 0; k < 2; k++) {
		struct client c;
		struct response r;
		client_open(&c, s.port);
		send_str(&c, heads[k]);
		if (read_head(&c, &r) != 0 || r.status != (k ? 403 : 404) || !r.close || r.length <= 0)
			fail_msg("%.20s: want %d with a Content-Length and Connection: close: %s", heads[k], k ? 403 : 404,
				 r.head);
		expect_closed(&c);
		client_close(&c);
	}
	const char *brew = "BREW /f4k HTTP/1.1\r\nHost: t\r\n\r\n";
	expect_refused(s.port, brew, strlen(brew), 501, 501);
	const char *v2 = "GET /f4k HTTP/2.0\r\nHost: t\r\n\r\n";
	expect_refused(s.port, v2, strlen(v2), 505, 505);
	static const char nul[] = "GET /f4k HTTP/1.1\r\nHost: t\0x\r\n\r\n";
	expect_refused(s.port, nul, sizeof(nul) - 1, 400, 400);
	/* a request line of 9000 bytes: 414 */
	size_t n = 9000;
	char *big = malloc(40000);
	assert_non_null(big);
	memcpy(big, "GET /", 5);
	memset(big + 5, 'a', n);
	memcpy(big + 5 + n, " HTTP/1.1\r\nHost: t\r\n\r\n", 22);
	expect_refused(s.port, big, 5 + n + 22, 414, 414);
	/* 20000 bytes of headers: 431 */
	int len = snprintf(big, 40000, "GET /f4k HTTP/1.1\r\nHost: t\r\n");
	for (int k = 0; k < 200; k++)
		len += snprintf(big + len, 40000 - (size_t)len, "X-Filler-%03d: %090d\r\n", k, 0);
	len += snprintf(big + len, 40000 - (size_t)len, "\r\n");
	expect_refused(s.port, big, (size_t)len, 431, 431);
	free(big);
	/* the server still serves */
	get_one(s.port, F1M1);
	server_done(&s);
}

/* Two workers share --max-connections: past it, 503 and closed; a closed
 * connection makes room again. */
static void two_workers_and_the_connection_limit(void **state)
{
	(void)state;
	const char *extra[] = { "--workers", "2", "--max-connections", "3", NULL };
	struct server s = server_start("sendfile", extra);
	struct client c[3];
	for (int k = 0; k < 3; k++) {
		client_open(&c[k], s.port);
		request(&c[k], "GET", files[F1M1].name, NULL);
		expect_file(&c[k], F1M1, 0);
	}
	const char *get = "GET /f4k HTTP/1.1\r\nHost: t\r\n\r\n";
	expect_refused(s.port, get, strlen(get), 503, 503);
	client_close(&c[0]);
	int served = 0;
	for (int tries = 0; tries < 100 && !served; tries++) {
		struct client d;
		struct response r;
		client_open(&d, s.port);
		request(&d, "GET", files[F4K].name, NULL);
		if (read_head(&d, &r) == 0 && r.status == 200)
			served = read_body(&d, content, files[F4K].size) == files[F4K].size;
		client_close(&d);
		if (!served)
			usleep(100000);
	}
	if (!served)
		fail_msg("no room after a connection closed");
	client_close(&c[1]);
	client_close(&c[2]);
	server_done(&s);
}

/* ---- issue 18: the listener, the limits at their edges, every timeout, the stop ---- */

/* Runs iopaths with argv, stderr into errf, waiting at most secs for its exit:
 * its status, or -1 when it was still running (then killed). */
static int run_bounded(const char *const *args, const char *errf, double secs)
{
	const char *argv[32] = { iopaths_bin() };
	size_t n = 1;
	for (; args[n - 1] && n < 31; n++)
		argv[n] = args[n - 1];
	argv[n] = NULL;
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fe = open(errf, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int fo = open("/dev/null", O_WRONLY);
		if (fe < 0 || fo < 0 || dup2(fo, 1) < 0 || dup2(fe, 2) < 0)
			_exit(127);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	struct server s = { .pid = pid };
	pid_t keep = live;
	live = pid;
	int rc = server_stop(&s, 0, secs);
	live = keep;
	return rc;
}

/* The whole of errf is one line. */
static void expect_one_line(const char *errf, const char *what, int rc)
{
	char *e = slurp(errf);
	assert_non_null(e);
	if (!*e || strchr(e, '\n') != e + strlen(e) - 1)
		fail_msg("%s: exit %d, stderr not one line: '%s'", what, rc, e);
	free(e);
}

/* A second server on the port the first one holds: refused with one line and
 * status 2 (not a second listener that takes half the clients: it would serve
 * another root, where every file is missing); the first answers every request. */
static void a_second_server_on_the_port_is_refused(void **state)
{
	(void)state;
	const char *extra[] = { "--workers", "2", NULL };
	struct server s = server_start("sendfile", extra);
	char other[1200], port[16], errf[1200];
	snprintf(other, sizeof(other), "%s/empty-root", work);
	if (mkdir(other, 0755) != 0 && errno != EEXIST)
		fail_msg("mkdir %s: %s", other, strerror(errno));
	snprintf(port, sizeof(port), "%u", s.port);
	snprintf(errf, sizeof(errf), "%s/second.err", work);
	for (int workers = 1; workers <= 2; workers++) {
		const char *w = workers == 1 ? "1" : "2";
		const char *second[] = { "serve", "--strategy", "read-write", "--port", port, "--root", other,
					 "--workers", w, NULL };
		int rc = run_bounded(second, errf, 10);
		if (rc != 2) {
			char *e = slurp(errf);
			fail_msg("a second server on port %s (--workers %s): exit %d (-1: still running), stderr '%s'",
				 port, w, rc, e ? e : "");
		}
		expect_one_line(errf, "a second server", rc);
		char *e = slurp(errf);
		assert_non_null(e);
		if (!strstr(e, port))
			fail_msg("the refusal does not name the port: '%s'", e);
		free(e);
	}
	/* every request answered by the first, each on a new connection (the
	 * kernel would spread those over two listeners) */
	for (int k = 0; k < 40; k++)
		get_one(s.port, k % 2 ? F4K : F1);
	server_done(&s);
}

/* RFC 9112 2.2: empty lines (CRLF) before a request line are ignored, the
 * first request's and a pipelined one's. */
static void blank_lines_before_a_request_are_ignored(void **state)
{
	(void)state;
	struct server s = server_start("sendfile", NULL);
	struct client c;
	client_open(&c, s.port);
	send_str(&c, "\r\nGET /f1 HTTP/1.1\r\nHost: t\r\n\r\n\r\nGET /f4k HTTP/1.1\r\nHost: t\r\n\r\n"
		     "\r\n\r\nHEAD /f1m1 HTTP/1.1\r\nHost: t\r\n\r\n");
	expect_file(&c, F1, 0);
	expect_file(&c, F4K, 0);
	expect_file(&c, F1M1, 1);
	/* and one that comes after a response, in its own segment */
	send_str(&c, "\r\n");
	usleep(50000);
	request(&c, "GET", files[F1].name, "Connection: close\r\n");
	expect_file(&c, F1, 0);
	expect_closed(&c);
	client_close(&c);
	server_done(&s);
}

/* A head of 16 KiB sent one byte a send(), inside --header-timeout: the same
 * request as sent whole (the server resumes its parse; test_serve_parse counts
 * the bytes it looks at), and the connection goes on. */
static void a_head_dripped_a_byte_at_a_time_is_the_same_request(void **state)
{
	(void)state;
	const char *extra[] = { "--header-timeout", "60", NULL };
	struct server s = server_start("read-write", extra);
	char *head = malloc(HTTP_MAX_HEADER_BYTES + 1);
	assert_non_null(head);
	int n = snprintf(head, HTTP_MAX_HEADER_BYTES, "GET /f4k?drip HTTP/1.1\r\nHost: t\r\nX-Pad: ");
	size_t pad = HTTP_MAX_HEADER_BYTES - (size_t)n - 4;
	memset(head + n, 'p', pad);
	memcpy(head + n + pad, "\r\n\r\n", 4);
	struct client c;
	client_open(&c, s.port);
	int one = 1;
	setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	for (size_t k = 0; k < HTTP_MAX_HEADER_BYTES; k++)
		send_text(&c, head + k, 1);
	expect_file(&c, F4K, 0);
	request(&c, "GET", files[F1].name, NULL);
	expect_file(&c, F1, 0);
	client_close(&c);
	free(head);
	server_done(&s);
}

/* The status of one request sent whole on a new connection (the body read and
 * checked for a 200 of /f4k; an error must close). */
static int status_of_request(unsigned port, const char *req, size_t len)
{
	struct client c;
	client_open(&c, port);
	send_text(&c, req, len);
	struct response r;
	if (read_head(&c, &r) != 0)
		fail_msg("no response to a request of %zu bytes", len);
	if (r.status == 200) {
		if (r.length != (long long)files[F4K].size || read_body(&c, content, files[F4K].size) != files[F4K].size)
			fail_msg("a 200 that is not /f4k: %s", r.head);
		if (r.close)
			fail_msg("a 200 with Connection: close: %s", r.head);
	} else {
		if (!r.close || r.length < 0 || read_body(&c, NULL, (size_t)r.length) != (size_t)r.length)
			fail_msg("an error without Connection: close or its whole body: %s", r.head);
		expect_closed(&c);
	}
	client_close(&c);
	return r.status;
}

/* Every limit at n-1, n and n+1 through the socket: the request line
 * (HTTP_MAX_REQUEST_LINE, without its CRLF), the head (HTTP_MAX_HEADER_BYTES,
 * every CRLF counted), the decoded path (PATH_MAX with its NUL: a longer name
 * than the kernel takes is 404, a path that does not fit is 414), the header
 * lines (HTTP_MAX_HEADERS, Host among them).  The connection limit is
 * two_workers_and_the_connection_limit's. */
static void every_limit_at_n_minus_1_n_and_n_plus_1(void **state)
{
	(void)state;
	struct server s = server_start("sendfile", NULL);
	char *b = malloc(3 * HTTP_MAX_HEADER_BYTES);
	assert_non_null(b);
	for (int d = -1; d <= 1; d++) {
		/* "GET /f4k?qqq HTTP/1.1" of HTTP_MAX_REQUEST_LINE + d bytes */
		size_t line = (size_t)(HTTP_MAX_REQUEST_LINE + d);
		size_t q = line - strlen("GET /f4k? HTTP/1.1");
		memcpy(b, "GET /f4k?", 9);
		memset(b + 9, 'q', q);
		int n = sprintf(b + 9 + q, " HTTP/1.1\r\nHost: t\r\n\r\n");
		int st = status_of_request(s.port, b, 9 + q + (size_t)n);
		if (st != (d <= 0 ? 200 : 414))
			fail_msg("a request line of %zu bytes (limit %d): %d", line, HTTP_MAX_REQUEST_LINE, st);

		/* a head of HTTP_MAX_HEADER_BYTES + d bytes */
		size_t head = (size_t)(HTTP_MAX_HEADER_BYTES + d);
		int h = sprintf(b, "GET /f4k HTTP/1.1\r\nHost: t\r\nX-Pad: ");
		size_t pad = head - (size_t)h - 4;
		memset(b + h, 'v', pad);
		memcpy(b + h + pad, "\r\n\r\n", 4);
		st = status_of_request(s.port, b, head);
		if (st != (d <= 0 ? 200 : 431))
			fail_msg("a head of %zu bytes (limit %d): %d", head, HTTP_MAX_HEADER_BYTES, st);

		/* a decoded path of PATH_MAX - 1 + d bytes, '%61' ('a') among them */
		size_t plen = (size_t)(PATH_MAX - 1 + d);
		memcpy(b, "GET /%61", 8);
		memset(b + 8, 'a', plen - 2);
		n = sprintf(b + 8 + plen - 2, " HTTP/1.1\r\nHost: t\r\n\r\n");
		st = status_of_request(s.port, b, 8 + plen - 2 + (size_t)n);
		if (st != (d <= 0 ? 404 : 414))
			fail_msg("a decoded path of %zu bytes (PATH_MAX %d): %d", plen, PATH_MAX, st);

		/* HTTP_MAX_HEADERS + d header lines */
		int lines = HTTP_MAX_HEADERS + d;
		h = sprintf(b, "GET /f4k HTTP/1.1\r\nHost: t\r\n");
		for (int k = 1; k < lines; k++)
			h += sprintf(b + h, "X-%d: v\r\n", k);
		h += sprintf(b + h, "\r\n");
		st = status_of_request(s.port, b, (size_t)h);
		if (st != (d <= 0 ? 200 : 431))
			fail_msg("%d header lines (limit %d): %d", lines, HTTP_MAX_HEADERS, st);
	}
	free(b);
	server_done(&s);
}

/* Every state a connection can be in, at once, with its own timeout:
 * --idle-timeout 2 and --header-timeout 4 (the idle one the shorter, so that a
 * state that takes the other's timeout is seen by a bound of its own side, and
 * a lower bound cannot be met early by a loaded machine), the linger after an
 * error SERVE_LINGER_MS.  Each must be closed no sooner than its timeout after
 * the last thing the client did that could start it, and well before the
 * other timeout or three times its own. */
enum { T_NEW, T_HEAD, T_HEAD_TRICKLED, T_KEPT_HEAD, T_PIPELINED_HEAD, T_KEPT_IDLE, T_LINGER, T_COUNT };
static void every_connection_state_times_out_at_its_bound(void **state)
{
	(void)state;
	static const char *const name[T_COUNT] = {
		"a new connection with no byte", "a head begun", "a head begun and trickled a byte a second",
		"a head begun after a whole response on a kept-alive connection",
		"a head pipelined behind a request", "a kept-alive connection idle after its response",
		"an error's lingering close, the client trickling",
	};
	const double idle = 2, header = 4, linger = SERVE_LINGER_MS / 1000.0;
	/* [lo, hi): the bounds after t0 */
	const double lo[T_COUNT] = { idle, header, header, header, header, idle, linger };
	const double hi[T_COUNT] = { header, 3 * header, 3 * header, 3 * header, 3 * header, header, 3 * linger };
	const char *extra[] = { "--idle-timeout", "2", "--header-timeout", "4", NULL };
	struct server s = server_start("splice", extra);
	struct client *c = calloc(T_COUNT, sizeof(*c));
	assert_non_null(c);
	double t0[T_COUNT], closed[T_COUNT];
	double start = now_s(); /* before the server can have accepted one */
	for (int k = 0; k < T_COUNT; k++) {
		client_open(&c[k], s.port);
		closed[k] = -1;
	}
	t0[T_NEW] = start;
	/* the kept-alive ones get a response first, and then wait half a
	 * second, so that a timer that was not restarted shows */
	request(&c[T_KEPT_HEAD], "GET", files[F4K].name, NULL);
	expect_file(&c[T_KEPT_HEAD], F4K, 0);
	t0[T_LINGER] = now_s();
	send_str(&c[T_LINGER], "GET /f4k HTTP/1.1\r\n\r\n"); /* no Host: 400 */
	struct response r;
	if (read_head(&c[T_LINGER], &r) != 0 || r.status != 400 || !r.close || r.length < 0 ||
	    read_body(&c[T_LINGER], NULL, (size_t)r.length) != (size_t)r.length)
		fail_msg("no whole 400 with Connection: close: %s", r.head);
	usleep(500000); /* 1.5 s short of the idle timeout: room for a loaded machine */
	t0[T_KEPT_IDLE] = now_s();
	request(&c[T_KEPT_IDLE], "GET", files[F4K].name, NULL);
	expect_file(&c[T_KEPT_IDLE], F4K, 0);
	t0[T_HEAD] = t0[T_HEAD_TRICKLED] = t0[T_KEPT_HEAD] = t0[T_PIPELINED_HEAD] = now_s();
	send_str(&c[T_HEAD], "GET /f4k HTTP/1.1\r\nHo");
	send_str(&c[T_HEAD_TRICKLED], "GET /f4k HTTP/1.1\r\nX");
	send_str(&c[T_KEPT_HEAD], "GET /f4k HTTP/1.1\r\nHo");
	send_str(&c[T_PIPELINED_HEAD], "GET /f1 HTTP/1.1\r\nHost: t\r\n\r\nGET /f4k HTTP/1.1\r\nHo");
	expect_file(&c[T_PIPELINED_HEAD], F1, 0);

	double last_trickle = now_s();
	for (int open = T_COUNT; open > 0;) {
		double now = now_s();
		if (now - start > 3 * header + 5)
			break;
		if (now - last_trickle >= 0.25) { /* never a whole line: the timer must not restart */
			static const int trickled[] = { T_HEAD_TRICKLED, T_LINGER };
			for (int i = 0; i < 2; i++) {
				int k = trickled[i];
				if (closed[k] < 0 && send(c[k].fd, "x", 1, MSG_NOSIGNAL | MSG_DONTWAIT) < 0 &&
				    errno != EAGAIN && errno != EINTR) {
					closed[k] = now - t0[k]; /* the reset came back */
					open--;
				}
			}
			last_trickle = now;
		}
		/* the lingering one has had the server's FIN since its 400: it is
		 * closed when a trickled byte is answered by a reset */
		struct pollfd pf[T_COUNT];
		for (int k = 0; k < T_COUNT; k++)
			pf[k] = (struct pollfd){ .fd = closed[k] < 0 ? c[k].fd : -1,
						 .events = k == T_LINGER ? 0 : POLLIN };
		if (poll(pf, T_COUNT, 50) < 0 && errno != EINTR)
			fail_msg("poll: %s", strerror(errno));
		for (int k = 0; k < T_COUNT; k++) {
			if (closed[k] >= 0 || !(pf[k].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			char junk[4096];
			ssize_t n = recv(c[k].fd, junk, sizeof(junk), MSG_DONTWAIT);
			if (n > 0)
				fail_msg("%s: %zd bytes where none were due: '%.*s'", name[k], n, (int)n, junk);
			if ((n == 0 && k != T_LINGER) || (n < 0 && errno != EAGAIN && errno != EINTR)) {
				closed[k] = now_s() - t0[k];
				open--;
			}
		}
	}
	for (int k = 0; k < T_COUNT; k++) {
		if (closed[k] < 0)
			fail_msg("%s: still open after %.1f s (its bound: %.1f s)", name[k], now_s() - t0[k], lo[k]);
		if (closed[k] < lo[k] || closed[k] >= hi[k])
			fail_msg("%s: closed after %.2f s, want %.1f s to %.1f s", name[k], closed[k], lo[k], hi[k]);
		client_close(&c[k]);
	}
	free(c);
	server_done(&s);
}

/* SIGINT while a body moves on a connection with two more requests pipelined:
 * the body goes out whole (its Content-Length's bytes, then the next status
 * line); a response made after the stop says Connection: close and the
 * connection ends after its body, no response promising keep-alive is
 * followed by a close, and a kept-alive idle connection and a half head are
 * closed with no response.  The server exits 0. */
static void while_stopping_no_response_promises_what_is_not_done(void **state)
{
	const char *strategy = *state;
	struct server s = server_start(strategy, NULL);
	struct client c, idle, half;
	client_open(&c, s.port);
	client_open(&idle, s.port);
	client_open(&half, s.port);
	request(&idle, "GET", files[F1].name, NULL);
	expect_file(&idle, F1, 0);
	send_str(&half, "GET /f4k HTTP/1.1\r\nHo");
	send_str(&c, "GET /f64m HTTP/1.1\r\nHost: t\r\n\r\nGET /f4k HTTP/1.1\r\nHost: t\r\n\r\n"
		     "GET /f1 HTTP/1.1\r\nHost: t\r\n\r\n");
	struct response r;
	if (read_head(&c, &r) != 0 || r.status != 200 || r.length != (long long)files[F64M].size)
		fail_msg("no 200 for /f64m: %s", r.head);
	int promised = !r.close;
	size_t got = read_body(&c, content, 1 << 20);
	kill(s.pid, SIGINT);
	/* while the body waits: the port is closed at once, and the idle
	 * connection and the half head with it (not at the end of the 5 s grace) */
	int refused = 0;
	for (double end = now_s() + 3; !refused && now_s() < end;) {
		int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		assert_true(fd >= 0);
		struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)s.port) };
		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		refused = connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0 && errno == ECONNREFUSED;
		close(fd);
		if (!refused)
			usleep(50000);
	}
	if (!refused)
		fail_msg("a connection is still taken 3 s after SIGINT");
	struct client *quiet[] = { &idle, &half };
	for (int q = 0; q < 2; q++) {
		struct pollfd pf = { .fd = quiet[q]->fd, .events = POLLIN };
		if (poll(&pf, 1, 3000) != 1)
			fail_msg("%s still open 3 s after SIGINT", q ? "a half head" : "an idle connection");
	}
	got += read_body(&c, content + got, files[F64M].size - got);
	if (got != files[F64M].size)
		fail_msg("the body in flight at SIGINT: %zu of %zu bytes", got, files[F64M].size);
	/* after it: the next response, or (it said close) the end */
	int k = 0;
	while (promised) {
		static const int next[] = { F4K, F1 };
		if (k == 2)
			fail_msg("a third response after a keep-alive one, while stopping");
		if (read_head(&c, &r) != 0)
			fail_msg("a response promised keep-alive while stopping and the connection was then closed "
				 "with a request pending");
		if (r.status != 200 || r.length != (long long)files[next[k]].size ||
		    read_body(&c, content, files[next[k]].size) != files[next[k]].size)
			fail_msg("response %d while stopping: %s", k + 2, r.head);
		if (!r.close)
			fail_msg("a response made after SIGINT promises keep-alive: %s", r.head);
		promised = !r.close;
		k++;
	}
	expect_closed(&c);
	expect_closed(&idle);
	expect_closed(&half);
	int rc = server_stop(&s, 0, 20);
	if (rc != 0)
		fail_msg("the server exited %d after SIGINT", rc);
	client_close(&c);
	client_close(&idle);
	client_close(&half);
}

/* Bad input: one line on stderr, status 2; --help: 0. */
static void bad_command_lines_exit_2(void **state)
{
	(void)state;
	char a_file[1200];
	snprintf(a_file, sizeof(a_file), "%s/root/f1", work);
	static const char *const bad[][8] = {
		{ "serve", NULL },
		{ "serve", "--strategy", "read", NULL },
		{ "serve", "--strategy", "sendfile", "--port", "65536", NULL },
		{ "serve", "--strategy", "sendfile", "--workers", "0", NULL },
		{ "serve", "--strategy", "sendfile", "--root", "/nonexistent-iopaths", NULL },
		{ "serve", "--strategy", "sendfile", "--block", "1Q", NULL },
		{ "serve", "--strategy", "sendfile", "--frobnicate", "1", NULL },
		{ "serve", "--strategy", "sendfile", "--port", NULL },
		{ "serve", "--strategy", "sendfile", "--bind", "1.2.3.4.5", NULL },
		{ "serve", "--strategy", "sendfile", "--bind", "localhost", NULL },
		{ "serve", "--strategy", "sendfile", "--bind", "", NULL },
		{ "serve", "--strategy", "sendfile", "--bind", "::1::2", NULL },
		{ "serve", "--strategy", "sendfile", "--bind", "192.0.2.1", "--port", "0", NULL }, /* not this machine's */
		{ "serve", "--strategy", "sendfile", "--port", "-1", NULL },
		{ "serve", "--strategy", "sendfile", "--port", "80x", NULL },
		{ "serve", "--strategy", "sendfile", "--workers", "257", NULL },
		{ "serve", "--strategy", "sendfile", "--max-connections", "0", NULL },
		{ "serve", "--strategy", "sendfile", "--idle-timeout", "0", NULL },
		{ "serve", "--strategy", "sendfile", "--header-timeout", "0", NULL },
		{ "serve", "--strategy", "sendfile", "--send-timeout", "0", NULL },
		{ "serve", "--strategy", "sendfile", "--idle-timeout", "86401", NULL },
		{ "serve", "--strategy", "sendfile", "--header-timeout", "1.5", NULL },
		{ "serve", "--strategy", "sendfile", "--block", "511", NULL },
		{ "serve", "--strategy", "sendfile", "--block", "65M", NULL },
		{ "serve", "--strategy", "sendfile", "--root", "", NULL },
		{ "serve", "--strategy", "sendfile", "stray", NULL },
		{ "serve", "--strategy", NULL },
		{ "serve", "--strategy=", NULL },
		{ "serve", "--port", "0", NULL },
	};
	char errf[1200];
	snprintf(errf, sizeof(errf), "%s/err", work);
	size_t nbad = sizeof(bad) / sizeof(bad[0]);
	for (size_t k = 0; k <= nbad; k++) {
		const char *root_file[] = { "serve", "--strategy", "sendfile", "--root", a_file, NULL };
		const char *const *args = k < nbad ? bad[k] : root_file;
		int rc = run_bounded(args, errf, 10);
		char *e = slurp(errf);
		assert_non_null(e);
		if (rc != 2 || !*e || strchr(e, '\n') != e + strlen(e) - 1) {
			char line[512] = "";
			for (int i = 1; args[i]; i++)
				snprintf(line + strlen(line), sizeof(line) - strlen(line), " '%s'", args[i]);
			fail_msg("serve%s: exit %d (-1: still running), stderr '%s'", line, rc, e);
		}
		free(e);
	}
	const char *help[] = { "serve", "--help", NULL };
	char outf[1200];
	snprintf(outf, sizeof(outf), "%s/out", work);
	assert_int_equal(run_iopaths(work, outf, errf, help), 0);
	char *o = slurp(outf);
	assert_non_null(o);
	assert_non_null(strstr(o, "Range is not supported"));
	free(o);
}

#define ONE(test, s) cmocka_unit_test_prestate_setup_teardown(test, NULL, kill_live, s)
#define EACH(test) ONE(test, "read-write"), ONE(test, "mmap-send"), ONE(test, "sendfile"), ONE(test, "splice")

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bad_command_lines_exit_2),
		ONE(a_second_server_on_the_port_is_refused, NULL),
		ONE(blank_lines_before_a_request_are_ignored, NULL),
		ONE(a_head_dripped_a_byte_at_a_time_is_the_same_request, NULL),
		ONE(every_limit_at_n_minus_1_n_and_n_plus_1, NULL),
		ONE(every_connection_state_times_out_at_its_bound, NULL),
		ONE(while_stopping_no_response_promises_what_is_not_done, "sendfile"),
		ONE(while_stopping_no_response_promises_what_is_not_done, "read-write"),
		ONE(traversal_and_malformed_requests_through_the_socket, NULL),
		ONE(two_workers_and_the_connection_limit, NULL),
		EACH(get_head_keepalive_pipelined),
		EACH(a_thousand_requests_over_fifty_connections),
		EACH(slow_and_reset_clients),
		ONE(a_stalled_client_is_dropped, "sendfile"),
		EACH(sigterm_during_a_transfer),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
