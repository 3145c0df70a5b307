/* HTTP/1.0 and 1.1 request parsing for `iopaths serve` (http.h).
 *
 * Strict where RFC 9112 allows a choice, so that what this parser accepts is
 * small and the same for every byte split:
 * - lines end in CRLF only: a bare LF or a CR not followed by LF is 400; NUL
 *   anywhere is 400, as is any other control character (HTAB is allowed only
 *   in header values);
 * - the request line is exactly METHOD SP target SP HTTP/d.d: extra or
 *   leading spaces and tabs are 400; empty lines (CRLF) before it are
 *   ignored (RFC 9112 2.2: a client may send one after a request), as many
 *   as the head's limit holds, for they count in it (a bare LF is 400 there
 *   too);
 * - methods are case-sensitive: "GET" and "HEAD" only; any other token
 *   ("POST", "get", "OPTIONS") is 501, a method that is not a token is 400;
 * - "HTTP/1.0" and "HTTP/1.1" only: another well-formed version ("HTTP/1.2",
 *   "HTTP/2.0", "HTTP/0.9") is 505, and so is a request line with no version
 *   at all (HTTP/0.9's "GET /path"); a malformed one ("HTTP/1.10", "http/1.1")
 *   is 400;
 * - the target is origin-form only: it starts with '/'; the absolute form
 *   ("http://host/x"), "*" and anything else are 400; a '#' (fragment) is 400;
 *   characters outside 0x21-0x7E are 400; the query ("?...") is dropped; %XX
 *   is decoded once (no double decoding), %00 and a '%' not followed by two
 *   hex digits are 400; a decoded path that does not fit in PATH_MAX is 414;
 * - headers: name ':' OWS value OWS; a name that is not a token, whitespace
 *   before the ':', no ':', a line starting with SP or HTAB (obs-fold) are
 *   400; Transfer-Encoding is 400 (no bodies); Content-Length is 400 unless
 *   it is one header of digits whose value is 0; two Host headers are 400, and
 *   so is none in HTTP/1.1; more than HTTP_MAX_HEADERS header lines are 431;
 * - the request line without its CRLF may be HTTP_MAX_REQUEST_LINE bytes: one
 *   more is 414, as soon as it has arrived without a CRLF; the whole head (the
 *   request line, the headers and the empty line, CRLFs included) may be
 *   HTTP_MAX_HEADER_BYTES bytes: one more is 431, also before the end arrives.
 *
 * The bytes are read in order and the first fault found is the answer, so a
 * prefix of a request answers 0 or what the whole of it answers.  That is
 * what lets http_parse_next go on from where it stopped: each byte is looked
 * at once (a CR at the end of what has come, twice), and each line is parsed
 * once, when its CRLF has come, so a head that arrives a byte a read costs
 * O(n), not the O(n^2) of parsing it again from its first byte on each read
 * (the fault of an earlier version: 26 us a byte of CPU for a 16 KiB head
 * dripped a byte a send). */
#include "http.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

/* RFC 9110 tchar: the characters of a token (methods, header names). */
static int is_tchar(unsigned char c)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return 1;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static int hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The line that starts at buf[start], looked at from p->scan on: its end (the
 * index of its CR) in *end.  1: whole; 0: not whole yet (p->scan: where the
 * next call goes on); < 0: minus a status.  max_line: the most bytes the line
 * may have without its CRLF. */
static int line_end(struct http_parser *p, const char *buf, size_t len, size_t start, size_t max_line,
		    size_t *end)
{
	size_t i;
	for (i = p->scan; i < len; i++) {
		unsigned char c = (unsigned char)buf[i];
		p->looked++;
		if (i >= HTTP_MAX_HEADER_BYTES)
			return -431;
		if (c == '\r') {
			if (i + 1 == len)
				break; /* its LF may come next: this CR is looked at again */
			if (buf[i + 1] != '\n')
				return -400; /* bare CR */
			if (i + 1 >= HTTP_MAX_HEADER_BYTES)
				return -431;
			*end = i;
			return 1;
		}
		if (c == '\n' || c == '\0')
			return -400; /* bare LF, NUL */
		if (i - start >= max_line)
			return -414; /* only the request line has a limit of its own */
	}
	p->scan = i;
	return 0;
}

/* The target buf[0, n) (origin-form) decoded into path: 0 or minus a status. */
static int decode_target(const char *t, size_t n, char *path, size_t size)
{
	size_t out = 0;
	if (n == 0 || t[0] != '/')
		return -400; /* "*", the absolute form, "%2F..", ... */
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)t[i] <= 0x20 || (unsigned char)t[i] >= 0x7f || t[i] == '#')
			return -400; /* control characters, obs-text, a fragment */
	for (size_t i = 0; i < n && t[i] != '?'; i++) {
		unsigned char c = (unsigned char)t[i];
		if (c == '%') {
			int hi = i + 2 < n ? hex_value((unsigned char)t[i + 1]) : -1;
			int lo = i + 2 < n ? hex_value((unsigned char)t[i + 2]) : -1;
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				return -400; /* %zz, %0, %00 */
			c = (unsigned char)(hi * 16 + lo);
			i += 2;
		}
		if (out + 1 >= size)
			return -414;
		path[out++] = (char)c;
	}
	path[out] = '\0';
	return 0;
}

/* The request line buf[0, n): 0 or minus a status. */
static int parse_request_line(const char *buf, size_t n, struct http_request *req)
{
	const char *sp1 = memchr(buf, ' ', n);
	if (!sp1 || sp1 == buf)
		return -400; /* no space at all; an empty method */
	size_t mlen = (size_t)(sp1 - buf);
	for (size_t i = 0; i < mlen; i++)
		if (!is_tchar((unsigned char)buf[i]))
			return -400;
	const char *target = sp1 + 1;
	size_t rest = n - mlen - 1;
	const char *sp2 = memchr(target, ' ', rest);
	size_t tlen = sp2 ? (size_t)(sp2 - target) : rest;
	if (tlen == 0)
		return -400; /* two spaces after the method */
	if (!sp2)
		return -505; /* HTTP/0.9: "GET /path" */
	const char *v = sp2 + 1;
	size_t vlen = rest - tlen - 1;
	if (vlen != 8 || memcmp(v, "HTTP/", 5) != 0 || v[6] != '.' ||
	    v[5] < '0' || v[5] > '9' || v[7] < '0' || v[7] > '9')
		return -400; /* "HTTP/1.10", "http/1.1", a trailing space, ... */
	if (v[5] != '1' || (v[7] != '0' && v[7] != '1'))
		return -505;
	req->minor = v[7] - '0';
	if (mlen == 3 && memcmp(buf, "GET", 3) == 0)
		req->method = HTTP_GET;
	else if (mlen == 4 && memcmp(buf, "HEAD", 4) == 0)
		req->method = HTTP_HEAD;
	else
		return -501;
	return decode_target(target, tlen, req->path, sizeof(req->path));
}

static int name_is(const char *name, size_t n, const char *want)
{
	return n == strlen(want) && strncasecmp(name, want, n) == 0;
}

/* The elements of a Connection value: "close" and "keep-alive", any case. */
static void connection_tokens(const char *v, size_t n, struct http_parser *h)
{
	size_t i = 0;
	while (i < n) {
		while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
			i++;
		size_t start = i;
		while (i < n && v[i] != ',' && v[i] != ' ' && v[i] != '\t')
			i++;
		if (name_is(v + start, i - start, "close"))
			h->close = 1;
		else if (name_is(v + start, i - start, "keep-alive"))
			h->keep_alive = 1;
		while (i < n && v[i] != ',')
			i++; /* "token junk," : the junk is not a token of its own */
	}
}

/* One header line buf[0, n): 0 or minus a status. */
static int parse_header(const char *buf, size_t n, struct http_parser *h)
{
	size_t name_len = 0;
	while (name_len < n && is_tchar((unsigned char)buf[name_len]))
		name_len++;
	if (name_len == 0 || name_len == n || buf[name_len] != ':')
		return -400; /* obs-fold, no name, no ':', a space before it */
	const char *v = buf + name_len + 1;
	size_t vlen = n - name_len - 1;
	for (size_t i = 0; i < vlen; i++) {
		unsigned char c = (unsigned char)v[i];
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return -400;
	}
	while (vlen > 0 && (v[0] == ' ' || v[0] == '\t'))
		v++, vlen--;
	while (vlen > 0 && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
		vlen--;

	if (name_is(buf, name_len, "Host")) {
		if (++h->hosts > 1)
			return -400;
	} else if (name_is(buf, name_len, "Content-Length")) {
		if (++h->lengths > 1 || vlen == 0)
			return -400;
		for (size_t i = 0; i < vlen; i++)
			if (v[i] != '0')
				return -400; /* a digit other than 0: a body; junk; a sign */
	} else if (name_is(buf, name_len, "Transfer-Encoding")) {
		return -400;
	} else if (name_is(buf, name_len, "Connection")) {
		connection_tokens(v, vlen, h);
	}
	return 0;
}

void http_parser_reset(struct http_parser *p)
{
	p->at = p->scan = 0;
	p->in_headers = 0;
	p->headers = p->hosts = p->lengths = p->close = p->keep_alive = 0;
}

long http_parse_next(struct http_parser *p, const char *buf, size_t len)
{
	size_t end;
	int rc;
	while (!p->in_headers) {
		rc = line_end(p, buf, len, p->at, HTTP_MAX_REQUEST_LINE, &end);
		if (rc <= 0)
			return rc;
		if (end > p->at) {
			rc = parse_request_line(buf + p->at, end - p->at, &p->req);
			if (rc < 0)
				return rc;
			p->in_headers = 1;
		} /* else an empty line before the request line: ignored */
		p->at = p->scan = end + 2;
	}
	for (;;) {
		rc = line_end(p, buf, len, p->at, SIZE_MAX, &end);
		if (rc <= 0)
			return rc;
		if (end == p->at)
			break; /* the empty line */
		if (++p->headers > HTTP_MAX_HEADERS)
			return -431;
		rc = parse_header(buf + p->at, end - p->at, p);
		if (rc < 0)
			return rc;
		p->at = p->scan = end + 2;
	}
	struct http_request *req = &p->req;
	if (req->minor == 1 && p->hosts == 0)
		return -400;
	req->keep_alive = req->minor == 1 ? !p->close : p->keep_alive && !p->close;
	return (long)(end + 2);
}

long http_parse(const char *buf, size_t len, struct http_request *req)
{
	struct http_parser p;
	p.looked = 0;
	http_parser_reset(&p);
	long rc = http_parse_next(&p, buf, len);
	if (rc > 0)
		*req = p.req;
	return rc;
}

const char *http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 408: return "Request Timeout";
	case 414: return "URI Too Long";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	case 505: return "HTTP Version Not Supported";
	default: return "Error";
	}
}
