/* `iopaths serve`'s request parser (http.c) and path resolver (path.c): the
 * malformed requests and their statuses, the well-formed ones, pipelining and
 * byte-by-byte arrival; traversal attempts against a real folder with
 * symlinks in and out of it, a FIFO, a socket and a device. */
#include "helpers.h"

#include "http.h"
#include "path.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

/* http_parse on an exact-length heap copy, so that ASan sees a read past len. */
static long parse(const char *buf, size_t len, struct http_request *req)
{
	char *copy = malloc(len ? len : 1);
	assert_non_null(copy);
	memcpy(copy, buf, len);
	long rc = http_parse(copy, len, req);
	free(copy);
	return rc;
}

/* A buffer of n bytes: head, then fill repeated, then tail (no NUL counted). */
static char *build(const char *head, char fill, size_t n_fill, const char *tail, size_t *len)
{
	size_t h = strlen(head), t = strlen(tail);
	char *b = malloc(h + n_fill + t + 1);
	assert_non_null(b);
	memcpy(b, head, h);
	memset(b + h, fill, n_fill);
	memcpy(b + h + n_fill, tail, t + 1);
	*len = h + n_fill + t;
	return b;
}

/* The request fed to one http_parser a byte a call (each call's buffer an
 * exact-length heap copy of the bytes so far): at every length the answer is
 * http_parse's on those bytes (check_every_prefix) or, for a long head, at
 * the end only; the request then the same; the bytes looked at returned. */
static size_t parse_dripped(const char *buf, size_t len, int check_every_prefix)
{
	struct http_parser p;
	memset(&p, 0, sizeof(p));
	http_parser_reset(&p);
	struct http_request whole;
	long want = parse(buf, len, &whole), rc = 0;
	char *copy = malloc(len ? len : 1);
	assert_non_null(copy);
	size_t k;
	for (k = 1; k <= len && rc == 0; k++) {
		memcpy(copy + k - 1, buf + k - 1, 1);
		char *exact = malloc(k);
		assert_non_null(exact);
		memcpy(exact, copy, k);
		rc = http_parse_next(&p, exact, k);
		free(exact);
		if (check_every_prefix) {
			struct http_request req;
			long one_shot = parse(buf, k, &req);
			if (rc != one_shot)
				fail_msg("'%.40s' at %zu of %zu bytes: %ld dripped, %ld at once", buf, k, len, rc, one_shot);
		}
	}
	if (rc != want)
		fail_msg("'%.40s' (%zu bytes) dripped: %ld, at once %ld", buf, len, rc, want);
	if (rc > 0 && (p.req.method != whole.method || strcmp(p.req.path, whole.path) != 0 ||
		       p.req.minor != whole.minor || p.req.keep_alive != whole.keep_alive))
		fail_msg("'%.40s' dripped: another request", buf);
	free(copy);
	return p.looked;
}

/* ---- well-formed requests ---- */

static void parses_get_and_head_in_1_0_and_1_1(void **state)
{
	(void)state;
	static const struct {
		const char *req;
		enum http_method method;
		const char *path;
		int minor, keep_alive;
	} ok[] = {
		{ "GET /file HTTP/1.1\r\nHost: h\r\n\r\n", HTTP_GET, "/file", 1, 1 },
		{ "HEAD /file HTTP/1.1\r\nHost: h\r\n\r\n", HTTP_HEAD, "/file", 1, 1 },
		{ "GET /file HTTP/1.0\r\n\r\n", HTTP_GET, "/file", 0, 0 },
		{ "HEAD / HTTP/1.0\r\nHost: h\r\n\r\n", HTTP_HEAD, "/", 0, 0 },
		/* Connection: tokens, any case, comma lists, several headers */
		{ "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", HTTP_GET, "/", 1, 0 },
		{ "GET / HTTP/1.1\r\nHost: h\r\nconnection:CLOSE\r\n\r\n", HTTP_GET, "/", 1, 0 },
		{ "GET / HTTP/1.1\r\nHost: h\r\nConnection: keep-alive\r\n\r\n", HTTP_GET, "/", 1, 1 },
		{ "GET / HTTP/1.1\r\nHost: h\r\nConnection: Keep-Alive, Upgrade\r\n\r\n", HTTP_GET, "/", 1, 1 },
		{ "GET / HTTP/1.1\r\nHost: h\r\nConnection: upgrade,close\r\n\r\n", HTTP_GET, "/", 1, 0 },
		{ "GET / HTTP/1.1\r\nHost: h\r\nConnection: keep-alive\r\nConnection: close\r\n\r\n", HTTP_GET, "/", 1, 0 },
		{ "GET / HTTP/1.1\r\nHost: h\r\nConnection: closed\r\n\r\n", HTTP_GET, "/", 1, 1 },
		{ "GET / HTTP/1.1\r\nHost: h\r\nConnection: \t close \t\r\n\r\n", HTTP_GET, "/", 1, 0 },
		{ "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", HTTP_GET, "/", 0, 1 },
		{ "GET / HTTP/1.0\r\nConnection: Keep-Alive, Upgrade\r\n\r\n", HTTP_GET, "/", 0, 1 },
		{ "GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n", HTTP_GET, "/", 0, 0 },
		{ "GET / HTTP/1.0\r\nConnection: ,,keep-alive,\r\n\r\n", HTTP_GET, "/", 0, 1 },
		{ "GET / HTTP/1.0\r\nKeep-Alive: timeout=5\r\n\r\n", HTTP_GET, "/", 0, 0 },
		/* the query dropped, %XX decoded once */
		{ "GET /file?x=1&y=/../..%zz HTTP/1.1\r\nHost: h\r\n\r\n", HTTP_GET, "/file", 1, 1 },
		{ "GET /a%20b%2Fc%41%7e HTTP/1.1\r\nHost: h\r\n\r\n", HTTP_GET, "/a b/cA~", 1, 1 },
		{ "GET /%e2%82%AC HTTP/1.1\r\nHost: h\r\n\r\n", HTTP_GET, "/\xe2\x82\xac", 1, 1 },
		{ "GET /%2525 HTTP/1.1\r\nHost: h\r\n\r\n", HTTP_GET, "/%25", 1, 1 },
		{ "GET /? HTTP/1.1\r\nHost: h\r\n\r\n", HTTP_GET, "/", 1, 1 },
		{ "GET /a\\b HTTP/1.1\r\nHost: h\r\n\r\n", HTTP_GET, "/a\\b", 1, 1 },
		/* headers that change nothing: Content-Length 0, an empty Host, Range
		 * (not supported: the whole file is served), OWS, obs-text in a value */
		{ "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n", HTTP_GET, "/", 1, 1 },
		{ "GET / HTTP/1.1\r\nContent-Length:000\r\nHost: h\r\n\r\n", HTTP_GET, "/", 1, 1 },
		{ "GET / HTTP/1.1\r\nHost:\r\n\r\n", HTTP_GET, "/", 1, 1 },
		{ "GET / HTTP/1.1\r\nhOsT: h\r\nRange: bytes=0-1\r\n\r\n", HTTP_GET, "/", 1, 1 },
		{ "GET / HTTP/1.1\r\nHost:h\r\nX-A:  a\tb \xff\r\n\r\n", HTTP_GET, "/", 1, 1 },
		/* empty lines before the request line: ignored (RFC 9112 2.2), counted */
		{ "\r\nGET /e HTTP/1.1\r\nHost: h\r\n\r\n", HTTP_GET, "/e", 1, 1 },
		{ "\r\n\r\n\r\nHEAD /e HTTP/1.0\r\n\r\n", HTTP_HEAD, "/e", 0, 0 },
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		struct http_request req;
		memset(&req, 0x55, sizeof(req));
		size_t len = strlen(ok[i].req);
		long rc = parse(ok[i].req, len, &req);
		if (rc != (long)len)
			fail_msg("case %zu '%s': %ld, want %zu", i, ok[i].req, rc, len);
		assert_int_equal(req.method, ok[i].method);
		assert_string_equal(req.path, ok[i].path);
		assert_int_equal(req.minor, ok[i].minor);
		if (req.keep_alive != ok[i].keep_alive)
			fail_msg("case %zu '%s': keep_alive %d", i, ok[i].req, req.keep_alive);
		parse_dripped(ok[i].req, len, 1);
	}
}

static void pipelined_requests_parse_one_after_another(void **state)
{
	(void)state;
	static const char a[] = "GET /a HTTP/1.1\r\nHost: h\r\n\r\n";
	static const char b[] = "HEAD /b?q HTTP/1.0\r\nConnection: keep-alive\r\n\r\n";
	static const char c[] = "GET /c HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n";
	static const char all[] = "GET /a HTTP/1.1\r\nHost: h\r\n\r\n"
				  "HEAD /b?q HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
				  "GET /c HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"
				  "GET /d HTT";
	struct http_request req;
	size_t at = 0, len = sizeof(all) - 1;

	assert_int_equal(parse(all + at, len - at, &req), sizeof(a) - 1);
	assert_string_equal(req.path, "/a");
	assert_int_equal(req.method, HTTP_GET);
	at += sizeof(a) - 1;
	assert_int_equal(parse(all + at, len - at, &req), sizeof(b) - 1);
	assert_string_equal(req.path, "/b");
	assert_int_equal(req.method, HTTP_HEAD);
	assert_int_equal(req.minor, 0);
	assert_int_equal(req.keep_alive, 1);
	at += sizeof(b) - 1;
	assert_int_equal(parse(all + at, len - at, &req), sizeof(c) - 1);
	assert_string_equal(req.path, "/c");
	assert_int_equal(req.keep_alive, 0);
	at += sizeof(c) - 1;
	assert_int_equal(parse(all + at, len - at, &req), 0); /* the fourth is not whole yet */

	/* an empty line after a request, before the next: part of the next */
	static const char blank[] = "GET /a HTTP/1.1\r\nHost: h\r\n\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n";
	assert_int_equal(parse(blank, sizeof(blank) - 1, &req), sizeof(a) - 1);
	assert_int_equal(parse(blank + sizeof(a) - 1, sizeof(blank) - sizeof(a), &req), sizeof(blank) - sizeof(a));
	assert_string_equal(req.path, "/b");

	/* a bad request after a good one: the good one first, then the status */
	static const char bad[] = "GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /x HTTP/1.1\nHost: h\n\n";
	assert_int_equal(parse(bad, sizeof(bad) - 1, &req), sizeof(a) - 1);
	assert_int_equal(parse(bad + sizeof(a) - 1, sizeof(bad) - sizeof(a), &req), -400);
}

static void a_request_arriving_byte_by_byte_is_0_until_whole(void **state)
{
	(void)state;
	static const char req_text[] = "GET /sub/file%32?q=1 HTTP/1.1\r\nHost: localhost:8080\r\n"
				       "User-Agent: t\r\nConnection: close\r\n\r\nGET /next";
	size_t whole = sizeof(req_text) - 1 - strlen("GET /next");
	struct http_request req;
	for (size_t k = 0; k < whole; k++)
		if (parse(req_text, k, &req) != 0)
			fail_msg("%zu of %zu bytes: %ld, want 0", k, whole, parse(req_text, k, &req));
	for (size_t k = whole; k < sizeof(req_text); k++) {
		memset(&req, 0, sizeof(req));
		assert_int_equal(parse(req_text, k, &req), (long)whole);
		assert_string_equal(req.path, "/sub/file2");
		assert_int_equal(req.method, HTTP_GET);
		assert_int_equal(req.minor, 1);
		assert_int_equal(req.keep_alive, 0);
	}
}

static void the_limits_are_exact_and_hold_before_the_end_arrives(void **state)
{
	(void)state;
	struct http_request req;
	size_t len;
	char *b;

	/* a request line of exactly HTTP_MAX_REQUEST_LINE bytes (the query is
	 * long), and one byte less */
	size_t pad = HTTP_MAX_REQUEST_LINE - strlen("GET /x? HTTP/1.0");
	for (size_t less = 0; less <= 1; less++) {
		b = build("GET /x?", 'q', pad - less, " HTTP/1.0\r\n\r\n", &len);
		assert_int_equal(parse(b, len, &req), (long)len);
		assert_string_equal(req.path, "/x");
		free(b);
	}
	/* empty lines before it are not in the request line's limit */
	b = build("\r\n\r\nGET /x?", 'q', pad, " HTTP/1.0\r\n\r\n", &len);
	assert_int_equal(parse(b, len, &req), (long)len);
	free(b);
	/* one byte more: 414, with its CRLF or before it */
	b = build("GET /x?", 'q', pad + 1, " HTTP/1.0\r\n\r\n", &len);
	assert_int_equal(parse(b, len, &req), -414);
	assert_int_equal(parse(b, HTTP_MAX_REQUEST_LINE + 1, &req), -414);
	assert_int_equal(parse(b, HTTP_MAX_REQUEST_LINE, &req), 0);
	free(b);
	/* no CRLF at all, and a line that ends in CR just at the limit */
	b = build("GET /", 'a', 3 * HTTP_MAX_REQUEST_LINE, "", &len);
	assert_int_equal(parse(b, len, &req), -414);
	assert_int_equal(parse(b, HTTP_MAX_REQUEST_LINE + 1, &req), -414);
	assert_int_equal(parse(b, HTTP_MAX_REQUEST_LINE, &req), 0);
	b[HTTP_MAX_REQUEST_LINE] = '\r';
	assert_int_equal(parse(b, HTTP_MAX_REQUEST_LINE + 1, &req), 0);
	free(b);
	/* a path that does not fit PATH_MAX decoded: 414 */
	b = build("GET /", 'a', PATH_MAX, " HTTP/1.0\r\n\r\n", &len);
	assert_int_equal(parse(b, len, &req), -414);
	free(b);
	b = build("GET /", 'a', PATH_MAX - 1, " HTTP/1.0\r\n\r\n", &len); /* PATH_MAX bytes and no room for the NUL */
	assert_int_equal(parse(b, len, &req), -414);
	free(b);
	for (size_t less = 2; less <= 3; less++) { /* PATH_MAX - 1 bytes and its NUL: fits; one less */
		b = build("GET /", 'a', PATH_MAX - less, " HTTP/1.0\r\n\r\n", &len);
		assert_int_equal(parse(b, len, &req), (long)len);
		assert_int_equal(strlen(req.path), PATH_MAX + 1 - less);
		free(b);
	}
	b = build("GET /%61", 'a', PATH_MAX - 3, " HTTP/1.0\r\n\r\n", &len); /* decoded: PATH_MAX - 1 */
	assert_int_equal(parse(b, len, &req), (long)len);
	free(b);
	b = build("GET /%61", 'a', PATH_MAX - 2, " HTTP/1.0\r\n\r\n", &len);
	assert_int_equal(parse(b, len, &req), -414);
	free(b);

	/* a head of exactly HTTP_MAX_HEADER_BYTES bytes, then one more: 431 */
	static const char head[] = "GET / HTTP/1.1\r\nHost: h\r\nX: ";
	pad = HTTP_MAX_HEADER_BYTES - strlen(head) - strlen("\r\n\r\n");
	b = build(head, 'v', pad, "\r\n\r\n", &len);
	assert_int_equal(len, HTTP_MAX_HEADER_BYTES);
	assert_int_equal(parse(b, len, &req), (long)len);
	free(b);
	b = build(head, 'v', pad - 1, "\r\n\r\n", &len);
	assert_int_equal(parse(b, len, &req), (long)len);
	free(b);
	/* empty lines before the request line count in the head */
	b = malloc(HTTP_MAX_HEADER_BYTES + 64);
	assert_non_null(b);
	for (size_t k = 0; k < HTTP_MAX_HEADER_BYTES; k += 2)
		memcpy(b + k, "\r\n", 2);
	memcpy(b + HTTP_MAX_HEADER_BYTES, "GET / HTTP/1.0\r\n\r\n", 18);
	assert_int_equal(parse(b, HTTP_MAX_HEADER_BYTES, &req), 0);
	assert_int_equal(parse(b, HTTP_MAX_HEADER_BYTES + 18, &req), -431);
	memcpy(b + HTTP_MAX_HEADER_BYTES - 18, "GET / HTTP/1.0\r\n\r\n", 18); /* exactly the limit */
	assert_int_equal(parse(b, HTTP_MAX_HEADER_BYTES, &req), HTTP_MAX_HEADER_BYTES);
	free(b);
	/* HTTP_MAX_HEADERS header lines, one less, one more (Host among them) */
	for (int d = -1; d <= 1; d++) {
		char many[4096];
		int n = sprintf(many, "GET / HTTP/1.1\r\nHost: h\r\n");
		for (int k = 1; k < HTTP_MAX_HEADERS + d; k++)
			n += sprintf(many + n, "X-%d: v\r\n", k);
		n += sprintf(many + n, "\r\n");
		long rc = parse(many, (size_t)n, &req);
		if (rc != (d <= 0 ? n : -431))
			fail_msg("%d header lines (limit %d): %ld", HTTP_MAX_HEADERS + d, HTTP_MAX_HEADERS, rc);
		parse_dripped(many, (size_t)n, 0);
	}
	b = build(head, 'v', pad + 1, "\r\n\r\n", &len);
	assert_int_equal(parse(b, len, &req), -431);
	assert_int_equal(parse(b, HTTP_MAX_HEADER_BYTES, &req), 0);
	free(b);
	/* a head that never ends: 431 as soon as it is one byte too long */
	b = build(head, 'v', 2 * HTTP_MAX_HEADER_BYTES, "", &len);
	assert_int_equal(parse(b, HTTP_MAX_HEADER_BYTES + 1, &req), -431);
	assert_int_equal(parse(b, HTTP_MAX_HEADER_BYTES, &req), 0);
	assert_int_equal(parse(b, len, &req), -431);
	free(b);
	/* many short headers, one long header name */
	size_t n = 0;
	b = malloc(2 * HTTP_MAX_HEADER_BYTES);
	assert_non_null(b);
	n += (size_t)sprintf(b, "GET / HTTP/1.1\r\nHost: h\r\n");
	while (n < HTTP_MAX_HEADER_BYTES + 100)
		n += (size_t)sprintf(b + n, "X-Header-%zu: v\r\n", n);
	n += (size_t)sprintf(b + n, "\r\n");
	assert_int_equal(parse(b, n, &req), -431);
	free(b);
	b = build("GET / HTTP/1.1\r\nHost: h\r\nX", 'n', 20000, ": v\r\n\r\n", &len);
	assert_int_equal(parse(b, len, &req), -431);
	free(b);
}

/* A head that arrives a byte a call costs what its length does: each byte
 * looked at once (a CR at the end of what has come, twice), not the head
 * parsed again from its start on each read (O(n^2): 16 KiB dripped a byte a
 * send cost 0.43 s of the server's CPU).  For a long line, for many lines,
 * for a long request line, for empty lines first; and it is the same request. */
static void a_head_dripped_a_byte_a_call_is_looked_at_once(void **state)
{
	(void)state;
	size_t len;
	static const char head[] = "GET /x HTTP/1.1\r\nHost: h\r\nX: ";
	char *b = build(head, 'v', HTTP_MAX_HEADER_BYTES - strlen(head) - 4, "\r\n\r\n", &len);
	size_t looked = parse_dripped(b, len, 0);
	if (looked >= 2 * len)
		fail_msg("a head of %zu bytes with one long line, dripped: %zu bytes looked at", len, looked);
	free(b);

	char *many = malloc(HTTP_MAX_HEADER_BYTES);
	assert_non_null(many);
	int n = sprintf(many, "GET /x HTTP/1.1\r\nHost: h\r\n");
	for (int k = 1; k < HTTP_MAX_HEADERS; k++)
		n += sprintf(many + n, "X-Header-%03d: %0140d\r\n", k, k);
	n += sprintf(many + n, "\r\n");
	assert_true(n < HTTP_MAX_HEADER_BYTES);
	looked = parse_dripped(many, (size_t)n, 0);
	if (looked >= 2 * (size_t)n)
		fail_msg("a head of %d bytes in %d lines, dripped: %zu bytes looked at", n, HTTP_MAX_HEADERS, looked);
	free(many);

	b = build("\r\n\r\nGET /x?", 'q', HTTP_MAX_REQUEST_LINE - strlen("GET /x? HTTP/1.0"), " HTTP/1.0\r\n\r\n",
		  &len);
	looked = parse_dripped(b, len, 0);
	if (looked >= 2 * len)
		fail_msg("a request line of %zu bytes, dripped: %zu bytes looked at", len, looked);
	free(b);

	/* and a refusal: 431 once the head is one byte too long, at the same cost */
	b = build(head, 'v', 2 * HTTP_MAX_HEADER_BYTES, "", &len);
	looked = parse_dripped(b, len, 0);
	if (looked >= 2 * HTTP_MAX_HEADER_BYTES)
		fail_msg("a head that never ends, dripped: %zu bytes looked at", looked);
	free(b);
}

/* ---- malformed requests ---- */

#define M(text, status) { text, sizeof(text) - 1, status }
#define OK11 " HTTP/1.1\r\nHost: h\r\n\r\n"
#define HEAD11 "GET / HTTP/1.1\r\nHost: h\r\n"

static const struct bad_case {
	const char *req;
	size_t len;
	long status;
} bad_requests[] = {
	/* methods: case-sensitive, GET and HEAD only */
	M("POST /" OK11, -501),
	M("PUT /" OK11, -501),
	M("DELETE /" OK11, -501),
	M("OPTIONS *" OK11, -501),
	M("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", -505),
	M("get /" OK11, -501),
	M("Get /" OK11, -501),
	M("GETS /" OK11, -501),
	M(" GET /" OK11, -400),          /* empty method */
	M("G(T /" OK11, -400),           /* not a token */
	M("GET\r\n\r\n", -400),          /* no target */
	M("\nGET /" OK11, -400),         /* an empty line first, a bare LF */
	M("\r\n\nGET /" OK11, -400),
	M("\r\rGET /" OK11, -400),
	M("\r\n \r\nGET /" OK11, -400),  /* a line of a space is not empty */
	M("\r\n\r\n" OK11, -400),       /* an empty line, then no method */
	/* line ends */
	M("GET / HTTP/1.1\nHost: h\n\n", -400),
	M("GET / HTTP/1.1\r\nHost: h\n\r\n", -400),
	M("GET / HTTP/1.1\r\nHost: h\r\n\n", -400),
	M("GET / HTTP/1.1\rHost: h\r\n\r\n", -400),
	M("GET / HTTP/1.1\r\nHost: h\r\r\n\r\n", -400),
	M("GET / HTTP/1.1\r\nHost: h\r\n\rX", -400),
	/* NUL and control characters */
	M("GET /a\0b" OK11, -400),
	M("\0GET /" OK11, -400),
	M(HEAD11 "X: a\0b\r\n\r\n", -400),
	M(HEAD11 "X\0: b\r\n\r\n", -400),
	M("GET /a\x01" "b" OK11, -400),
	M("GET /a\x7f" OK11, -400),
	M("GET /a\x80" OK11, -400),
	M("GET /a\tb" OK11, -400),
	M(HEAD11 "X: a\x01" "b\r\n\r\n", -400),
	M(HEAD11 "X: a\x7f\r\n\r\n", -400),
	M(HEAD11 "X\x1b: a\r\n\r\n", -400),
	/* request line shape */
	M("GET  /" OK11, -400),
	M("GET /  HTTP/1.1\r\nHost: h\r\n\r\n", -400),
	M("GET / HTTP/1.1 \r\nHost: h\r\n\r\n", -400),
	M("GET\t/\tHTTP/1.1\r\nHost: h\r\n\r\n", -400),
	M("GET /a b" OK11, -400),
	/* versions */
	M("GET /\r\n", -505),             /* HTTP/0.9 */
	M("GET /index.html\r\n\r\n", -505),
	M("GET / HTTP/0.9\r\n\r\n", -505),
	M("GET /" " HTTP/2.0\r\nHost: h\r\n\r\n", -505),
	M("GET / HTTP/1.2\r\nHost: h\r\n\r\n", -505),
	M("GET / HTTP/3.0\r\nHost: h\r\n\r\n", -505),
	M("GET / HTTP/1.10\r\nHost: h\r\n\r\n", -400),
	M("GET / HTTP/1\r\nHost: h\r\n\r\n", -400),
	M("GET / HTTP/2\r\nHost: h\r\n\r\n", -400),
	M("GET / http/1.1\r\nHost: h\r\n\r\n", -400),
	M("GET / HTTP/1.x\r\nHost: h\r\n\r\n", -400),
	/* targets */
	M("GET *" OK11, -400),
	M("GET index.html" OK11, -400),
	M("GET %2F..%2Fx" OK11, -400),
	M("GET http://h/file" OK11, -400), /* absolute form: refused */
	M("GET /a#frag" OK11, -400),
	M("GET /%zz" OK11, -400),
	M("GET /%0" OK11, -400),
	M("GET /%" OK11, -400),
	M("GET /%4g" OK11, -400),
	M("GET /%00" OK11, -400),
	M("GET /..%00" OK11, -400),
	M("GET /a%00.html" OK11, -400),
	/* bodies: Content-Length other than one 0, Transfer-Encoding */
	M(HEAD11 "Content-Length: 99999999999999999999\r\n\r\n", -400),
	M(HEAD11 "Content-Length: 18446744073709551616\r\n\r\n", -400),
	M(HEAD11 "Content-Length: 1\r\n\r\n", -400),
	M(HEAD11 "Content-Length: -1\r\n\r\n", -400),
	M(HEAD11 "Content-Length: +0\r\n\r\n", -400),
	M(HEAD11 "Content-Length: 0abc\r\n\r\n", -400),
	M(HEAD11 "Content-Length: 0x0\r\n\r\n", -400),
	M(HEAD11 "Content-Length: 0 0\r\n\r\n", -400),
	M(HEAD11 "Content-Length: 0, 0\r\n\r\n", -400),
	M(HEAD11 "Content-Length:\r\n\r\n", -400),
	M(HEAD11 "Content-Length: 0\r\nContent-Length: 0\r\n\r\n", -400),
	M(HEAD11 "Content-Length: 0\r\ncontent-length: 5\r\n\r\n", -400),
	M(HEAD11 "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n", -400),
	M(HEAD11 "transfer-encoding: identity\r\n\r\n", -400),
	/* Host */
	M("GET / HTTP/1.1\r\n\r\n", -400),
	M("GET / HTTP/1.1\r\nX-Host: h\r\n\r\n", -400),
	M(HEAD11 "Host: i\r\n\r\n", -400),
	M("GET / HTTP/1.0\r\nHost: a\r\nHOST: b\r\n\r\n", -400),
	/* header lines */
	M(HEAD11 "X-Foo bar\r\n\r\n", -400),
	M(HEAD11 "X-Foo : bar\r\n\r\n", -400),
	M(HEAD11 "X-Foo\t: bar\r\n\r\n", -400),
	M("GET / HTTP/1.1\r\nHost : h\r\n\r\n", -400),
	M(HEAD11 ": bar\r\n\r\n", -400),
	M(HEAD11 "X-Foo: a\r\n b\r\n\r\n", -400),  /* obs-fold */
	M(HEAD11 "X-Foo: a\r\n\tb\r\n\r\n", -400),
	M("GET / HTTP/1.1\r\n Host: h\r\n\r\n", -400),
	M(HEAD11 "X(Foo): a\r\n\r\n", -400),
	M(HEAD11 "X-Foo\r\n\r\n", -400),
};

static void malformed_requests_get_their_exact_status(void **state)
{
	(void)state;
	size_t n = sizeof(bad_requests) / sizeof(bad_requests[0]);
	assert_true(n >= 30);
	for (size_t i = 0; i < n; i++) {
		const struct bad_case *c = &bad_requests[i];
		struct http_request req;
		long rc = parse(c->req, c->len, &req);
		if (rc != c->status)
			fail_msg("case %zu '%s': %ld, want %ld", i, c->req, rc, c->status);
		/* every prefix: not whole yet, or already the same answer */
		for (size_t k = 0; k < c->len; k++) {
			long p = parse(c->req, k, &req);
			if (p != 0 && p != c->status)
				fail_msg("case %zu '%s', %zu bytes: %ld, want 0 or %ld", i, c->req, k, p,
					 c->status);
		}
		parse_dripped(c->req, c->len, 1);
	}
}

static void reasons_name_every_status_the_server_sends(void **state)
{
	(void)state;
	static const struct { int status; const char *reason; } r[] = {
		{ 200, "OK" }, { 400, "Bad Request" }, { 403, "Forbidden" }, { 404, "Not Found" },
		{ 408, "Request Timeout" }, { 414, "URI Too Long" },
		{ 431, "Request Header Fields Too Large" }, { 500, "Internal Server Error" },
		{ 501, "Not Implemented" }, { 503, "Service Unavailable" },
		{ 505, "HTTP Version Not Supported" }, { 299, "Error" }, { -1, "Error" },
	};
	for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++)
		assert_string_equal(http_reason(r[i].status), r[i].reason);
}

/* ---- paths: a root with files, symlinks in and out, a FIFO, a socket ---- */

static char base[1024];
static char root[1100];
static int root_fd = -1;

static void put(const char *rel, const char *text)
{
	char p[PATH_MAX];
	snprintf(p, sizeof(p), "%s/%s", base, rel);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
}

static void link_as(const char *target, const char *rel)
{
	char p[PATH_MAX];
	snprintf(p, sizeof(p), "%s/%s", base, rel);
	if (symlink(target, p) != 0)
		fail_msg("symlink %s: %s", p, strerror(errno));
}

static void folder(const char *rel)
{
	char p[PATH_MAX];
	snprintf(p, sizeof(p), "%s/%s", base, rel);
	assert_int_equal(mkdir(p, 0755), 0);
}

static int have_device;

/* base/x and base/outside/secret: what an escape would reach.  base/root:
 * file, sub/file2, a, symlinks, fifo, sock and (as root) null, a device. */
static int tree_make(void **state)
{
	(void)state;
	char p[PATH_MAX];
	tmpdir_make(base, sizeof(base));
	snprintf(root, sizeof(root), "%s/root", base);
	folder("root");
	folder("root/sub");
	folder("root/a");
	folder("outside");
	put("x", "outside x\n");
	put("outside/secret", "secret\n");
	put("root/file", "hello\n");
	put("root/sub/file2", "world\n");
	link_as("file", "root/inside-link");
	link_as("sub", "root/sub-link");
	link_as(".", "root/self-link");
	link_as("../file", "root/sub/up-link");
	link_as("../outside", "root/link-out");
	link_as("../x", "root/rel-out");
	link_as("../../x", "root/sub/rel-out2");
	link_as("..", "root/dotdot-link");
	link_as("/dev/null", "root/dev-link");
	link_as("/proc/self/root/etc/passwd", "root/proc-link");
	link_as("loop-b", "root/loop-a");
	link_as("loop-a", "root/loop-b");
	snprintf(p, sizeof(p), "%s/outside/secret", base);
	link_as(p, "root/abs-link");
	snprintf(p, sizeof(p), "%s/root/file", base);
	link_as(p, "root/abs-inside");
	snprintf(p, sizeof(p), "%s/root/fifo", base);
	assert_int_equal(mkfifo(p, 0644), 0);

	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int n = snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/root/sock", base);
	assert_true(n > 0 && (size_t)n < sizeof(sa.sun_path));
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(s >= 0);
	assert_int_equal(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(close(s), 0);

	snprintf(p, sizeof(p), "%s/root/null", base);
	have_device = mknod(p, S_IFCHR | 0666, makedev(1, 3)) == 0; /* as root only */

	root_fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	assert_true(root_fd >= 0);
	return 0;
}

static int tree_remove(void **state)
{
	(void)state;
	assert_int_equal(close(root_fd), 0);
	tmpdir_remove(base);
	return 0;
}

/* serve_path_open(path): want < 0, that status, nothing opened and no fd left
 * behind; want 0, a blocking, close-on-exec, read-only fd of the regular file
 * holding content. */
static void expect_open(const char *path, int want, const char *content)
{
	int fds_before = dir_entries("/proc/self/fd");
	struct stat st;
	int fd = serve_path_open(root_fd, path, &st);
	if (fd >= 0 && want < 0) {
		char got[64] = "";
		ssize_t n = read(fd, got, sizeof(got) - 1);
		close(fd);
		fail_msg("'%s' opened (%zd bytes: '%s'), want %d", path, n, got, want);
	}
	if (want < 0) {
		if (fd != want)
			fail_msg("'%s': %d, want %d", path, fd, want);
		assert_int_equal(dir_entries("/proc/self/fd"), fds_before);
		return;
	}
	if (fd < 0)
		fail_msg("'%s': %d, want it opened", path, fd);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_size, strlen(content));
	int fl = fcntl(fd, F_GETFL);
	assert_int_equal(fl & O_ACCMODE, O_RDONLY);
	assert_int_equal(fl & O_NONBLOCK, 0);
	assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	char got[64] = "";
	assert_int_equal(read(fd, got, sizeof(got) - 1), strlen(content));
	assert_string_equal(got, content);
	assert_int_equal(close(fd), 0);
	assert_int_equal(dir_entries("/proc/self/fd"), fds_before);
}

static char *repeat(const char *head, const char *unit, int times, const char *tail)
{
	size_t n = strlen(head) + strlen(unit) * (size_t)times + strlen(tail) + 1;
	char *s = malloc(n);
	assert_non_null(s);
	strcpy(s, head);
	for (int i = 0; i < times; i++)
		strcat(s, unit);
	strcat(s, tail);
	return s;
}

struct path_case {
	const char *path;
	int status; /* 0: opened, holding content */
	const char *content;
};

/* Decoded paths, as serve_path_open gets them. */
static const struct path_case decoded_paths[] = {
	{ "/../x", -403, NULL },
	{ "/a/../../x", -403, NULL },
	{ "/../root/file", -403, NULL },   /* out and back in: still out once */
	{ "//etc/passwd", -403, NULL },    /* absolute once the first '/' is gone */
	{ "//file", -403, NULL },
	{ "/./../x", -403, NULL },
	{ "/sub/../../x", -403, NULL },
	{ "/sub/./../../x", -403, NULL },
	{ "/sub-link/../../x", -403, NULL },
	{ "/link-out/secret", -403, NULL },
	{ "/rel-out", -403, NULL },
	{ "/sub/rel-out2", -403, NULL },
	{ "/dotdot-link/x", -403, NULL },
	{ "/abs-link", -403, NULL },
	{ "/abs-inside", -403, NULL },     /* absolute symlinks: refused even into the root */
	{ "/dev-link", -403, NULL },
	{ "/proc-link", -403, NULL },
	{ "/loop-a", -403, NULL },
	{ "/fifo", -403, NULL },
	{ "/sock", -403, NULL },
	{ "/sub", -403, NULL },
	{ "/sub/", -403, NULL },
	{ "/sub-link", -403, NULL },
	{ "/", -403, NULL },
	{ "", -403, NULL },
	{ "/.", -403, NULL },
	{ "/a\nb", -403, NULL },
	{ "/file\r", -403, NULL },
	{ "/\x1b[31m", -403, NULL },
	{ "/x\x7f", -403, NULL },
	{ "/..\\x", -404, NULL },          /* a backslash is a name's byte */
	{ "/%2e%2e/x", -404, NULL },       /* decoded once: a name with % in it */
	{ "/%2F..%2Fx", -404, NULL },
	{ "/..;/x", -404, NULL },
	{ "/...", -404, NULL },
	{ "/nope", -404, NULL },
	{ "/sub/nope", -404, NULL },
	{ "/file/", -404, NULL },
	{ "/file/..", -404, NULL },
	{ "/file", 0, "hello\n" },
	{ "file", 0, "hello\n" },
	{ "/sub/file2", 0, "world\n" },
	{ "/inside-link", 0, "hello\n" },
	{ "/sub-link/file2", 0, "world\n" },
	{ "/sub-link/../file", 0, "hello\n" },
	{ "/sub/up-link", 0, "hello\n" },
	{ "/self-link/self-link/file", 0, "hello\n" },
	{ "/sub/../file", 0, "hello\n" },
	{ "/./a/.././file", 0, "hello\n" },
};

static void decoded_traversals_are_refused_by_the_kernel(void **state)
{
	(void)state;
	assert_true(sizeof(decoded_paths) / sizeof(decoded_paths[0]) >= 20);
	alarm(20); /* a FIFO opened blocking would hang: fail instead */
	for (size_t i = 0; i < sizeof(decoded_paths) / sizeof(decoded_paths[0]); i++)
		expect_open(decoded_paths[i].path, decoded_paths[i].status, decoded_paths[i].content);

	char *s = repeat("/", "../", 200, "x");
	expect_open(s, -403, NULL);
	free(s);
	s = repeat("/sub/", "../", 40, "etc/passwd");
	expect_open(s, -403, NULL);
	free(s);
	s = repeat("/", "sub/../", 500, "file"); /* long, but inside */
	expect_open(s, 0, "hello\n");
	free(s);
	s = repeat("/", "a", 300, ""); /* a name longer than NAME_MAX */
	expect_open(s, -404, NULL);
	free(s);
	if (have_device)
		expect_open("/null", -403, NULL);
	else
		print_message("not root: no device node made, /null not tried\n");
	alarm(0);
}

/* Raw request targets, through http_parse, then serve_path_open. */
static const struct path_case raw_targets[] = {
	{ "/../x", -403, NULL },
	{ "/a/../../x", -403, NULL },
	{ "/%2e%2e/x", -403, NULL },
	{ "/%2E%2E/x", -403, NULL },
	{ "/%2e%2e%2fx", -403, NULL },
	{ "/..%2F..%2Fx", -403, NULL },
	{ "/sub%2f..%2f..%2fx", -403, NULL },
	{ "/.%2e/x", -403, NULL },
	{ "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", -403, NULL },
	{ "//etc/passwd", -403, NULL },
	{ "/%2fetc/passwd", -403, NULL },
	{ "/./../x", -403, NULL },
	{ "/sub/../../x", -403, NULL },
	{ "/sub/./../../x", -403, NULL },
	{ "/link-out/secret", -403, NULL },
	{ "/abs-link", -403, NULL },
	{ "/dev-link", -403, NULL },
	{ "/proc-link", -403, NULL },
	{ "/dotdot-link/x", -403, NULL },
	{ "/loop-a", -403, NULL },
	{ "/fifo", -403, NULL },
	{ "/sock", -403, NULL },
	{ "/sub", -403, NULL },
	{ "/", -403, NULL },
	{ "/?../../x", -403, NULL },
	{ "/a%0ab", -403, NULL },            /* a decoded control character */
	{ "/%1b[31m", -403, NULL },
	{ "/..%00", -400, NULL },
	{ "/%00../x", -400, NULL },
	{ "%2F..%2Fx", -400, NULL },
	{ "../x", -400, NULL },
	{ "http://h/../x", -400, NULL },
	{ "/file#/../../x", -400, NULL },
	{ "/..\\x", -404, NULL },
	{ "/..%5cx", -404, NULL },
	{ "/%252e%252e/x", -404, NULL },     /* decoded once only */
	{ "/%c0%ae%c0%ae/x", -404, NULL },   /* overlong UTF-8 is bytes, not dots */
	{ "/..;/x", -404, NULL },
	{ "/file", 0, "hello\n" },
	{ "/fil%65", 0, "hello\n" },
	{ "/file?../../x", 0, "hello\n" },
	{ "/sub/file2", 0, "world\n" },
	{ "/sub%2ffile2", 0, "world\n" },
	{ "/inside-link", 0, "hello\n" },
	{ "/sub/up-link", 0, "hello\n" },
};

static void raw_targets_are_parsed_then_refused(void **state)
{
	(void)state;
	size_t n = sizeof(raw_targets) / sizeof(raw_targets[0]);
	assert_true(n >= 20);
	alarm(20);
	char line[PATH_MAX + 64];
	struct http_request req;
	for (size_t i = 0; i < n + 1; i++) {
		char *long_chain = NULL;
		const struct path_case *c = &raw_targets[i < n ? i : 0];
		const char *target = c->path;
		int want = c->status;
		if (i == n) { /* very long: 400 times "%2e%2e/" */
			target = long_chain = repeat("/", "%2e%2e/", 400, "x");
			want = -403;
		}
		int len = snprintf(line, sizeof(line), "GET %s HTTP/1.1\r\nHost: h\r\n\r\n", target);
		assert_true(len > 0 && (size_t)len < sizeof(line));
		long rc = parse(line, (size_t)len, &req);
		if (rc < 0) {
			if (rc != want)
				fail_msg("'%s': parsed to %ld, want %d", target, rc, want);
		} else {
			assert_int_equal(rc, len);
			if (want == -400)
				fail_msg("'%s': parsed to '%s', want 400", target, req.path);
			expect_open(req.path, want, c->content);
		}
		free(long_chain);
	}
	alarm(0);
}

int main(void)
{
	const struct CMUnitTest parser[] = {
		cmocka_unit_test(parses_get_and_head_in_1_0_and_1_1),
		cmocka_unit_test(pipelined_requests_parse_one_after_another),
		cmocka_unit_test(a_request_arriving_byte_by_byte_is_0_until_whole),
		cmocka_unit_test(the_limits_are_exact_and_hold_before_the_end_arrives),
		cmocka_unit_test(a_head_dripped_a_byte_a_call_is_looked_at_once),
		cmocka_unit_test(malformed_requests_get_their_exact_status),
		cmocka_unit_test(reasons_name_every_status_the_server_sends),
	};
	const struct CMUnitTest paths[] = {
		cmocka_unit_test(decoded_traversals_are_refused_by_the_kernel),
		cmocka_unit_test(raw_targets_are_parsed_then_refused),
	};
	int failed = cmocka_run_group_tests(parser, NULL, NULL);
	return failed + cmocka_run_group_tests(paths, tree_make, tree_remove);
}
