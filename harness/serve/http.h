/* HTTP/1.0 and 1.1 requests for `iopaths serve`: parsed strictly, bounded,
 * every refusal a status code.  Pure functions: no I/O, no allocation. */
#ifndef IOPATHS_HTTP_H
#define IOPATHS_HTTP_H

#include <limits.h>
#include <stddef.h>

#define HTTP_MAX_REQUEST_LINE 8192   /* longer: 414 */
#define HTTP_MAX_HEADER_BYTES 16384  /* request line + headers longer: 431 */
#define HTTP_MAX_HEADERS 100         /* header lines; more: 431 */

enum http_method { HTTP_GET, HTTP_HEAD };

struct http_request {
	enum http_method method;
	char path[PATH_MAX]; /* the target's path, percent-decoded, query dropped; starts with '/' */
	int minor;           /* 0: HTTP/1.0, 1: HTTP/1.1 */
	int keep_alive;      /* after the response: 1.1 unless "Connection: close", 1.0 only with
				"Connection: keep-alive" */
};

/* A request's parse so far, so that a head arriving in pieces is looked at
 * once: http_parse_next goes on from where the last call stopped. */
struct http_parser {
	size_t at;      /* where the line being read starts */
	size_t scan;    /* its first byte not yet looked at */
	int in_headers; /* the request line is parsed (into req) */
	int headers, hosts, lengths, close, keep_alive;
	size_t looked;  /* bytes looked at, over every call since the parser was zeroed (a reset
			   keeps it): for the tests, that a head costs what its length does */
	struct http_request req;
};

/* A parser at the start of a request (looked is kept). */
void http_parser_reset(struct http_parser *p);

/* The request at the start of buf[0, len), where buf holds the bytes of the
 * last call on p (unchanged, at the same offsets) and maybe more: the answer
 * is http_parse's on the same bytes (below), the request in p->req when > 0.
 * After an answer other than 0, reset p before the next request. */
long http_parse_next(struct http_parser *p, const char *buf, size_t len);

/* One request from the start of buf[0, len).
 * > 0: a whole request was parsed into *req; the number of bytes it took
 *      (the next pipelined request starts there); empty lines (CRLF)
 *      before the request line are ignored (RFC 9112 2.2), and counted.
 *   0: not whole yet, read more (len is still within the limits).
 * < 0: minus the status to answer before closing the connection: 400 (bad
 *      syntax: bare LF, NUL, a space in the target, a body on a GET/HEAD, a
 *      bad or duplicate Content-Length, no Host in 1.1, ...), 414, 431,
 *      501 (a method other than GET and HEAD), 505 (not HTTP/1.0 or 1.1,
 *      HTTP/0.9 included).  414 also for a path that does not fit in
 *      PATH_MAX once decoded.  431 also for more than HTTP_MAX_HEADERS
 *      header lines.  http.c lists every choice the parser makes.
 * *req is meaningful only when the answer is > 0. */
long http_parse(const char *buf, size_t len, struct http_request *req);

/* The reason phrase of a status: "OK", "Not Found", ...; "Error" if unknown. */
const char *http_reason(int status);

#endif
