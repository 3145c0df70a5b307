/* `iopaths serve`: the workers, their connections, and how a response's body
 * is moved by the strategy's own move() from benches/.
 *
 * Workers.  --workers N threads, each with its own epoll, all waiting on one
 * listening socket, in every epoll with EPOLLEXCLUSIVE: a new connection
 * wakes one waiting worker (no thundering herd), and the port is this
 * server's alone.  Listeners of their own bound with SO_REUSEPORT, as an
 * earlier version had, let the kernel spread connections without a shared
 * accept queue, but they let any process of the same user bind the port as
 * well and take a share of the clients, silently (issue 18: a second
 * `iopaths serve` on the port "listened" and answered 19 requests of 40 from
 * its own root); without it, a second bind is EADDRINUSE.  The listener is
 * closed by the last worker to stop.  A connection stays with
 * the worker that accepted it; that a busy worker delays its own queue is
 * acceptable because no worker ever waits: every socket is non-blocking and
 * every move yields on a full socket.
 *
 * A response.  Its head is sent with send(MSG_MORE) so a small body goes out
 * in the same segment; its body is a struct job as measure.c prepares one
 * (the file's fd and size, --block, this worker's buffer, out = the client
 * socket, sink tcp, the strategy's option defaults, a seq span cursor at 0)
 * with yield_on_full set: when the socket is full, io_retry() makes move()
 * fail with would_block set and the cursor (span_at) where the bytes
 * stopped; on EPOLLOUT the worker calls move() again and it goes on from
 * there (read-write seeks to the cursor, write_all records a short write,
 * splice first sends what it left in its pipe, sendfile and mmap-send start
 * at the cursor).  pass_begin/pass_end run once per response.
 *
 * setup/teardown run once per connection, not per response: of the four,
 * only splice has a setup (a pipe of --pipe-size, 1 MiB by default), and a
 * pipe2 + F_SETPIPE_SZ + two closes per response cost small files more than
 * their body does (measured with wrk -c16 on 2 CPUs: 4 KiB, 53 500 requests/s
 * per connection against 35 700 per response; 64 KiB, 34 600 against
 * 28 100); the pipe is empty after every whole response,
 * and a connection closed mid-response takes its pipe (and whatever was left
 * in it) along.  The block buffer is the worker's, shared by its
 * connections: read-write fills and empties it within one move(), and a
 * resumed move reads its block again from the file, at the cursor.
 *
 * Files and mappings are not cached.  Each response opens its file
 * (serve_path_open: openat2 beneath the root, then fstat) and closes it
 * after: the open fd pins the inode, so a file replaced (renamed over) while
 * it is being sent is sent whole from the old inode and the next request
 * gets the new one; nothing is ever served stale.  A cache keyed by path
 * would need a stat per request to revalidate, which costs what the open
 * costs.  mmap-send maps the file in each move() and unmaps it before
 * returning, as in `iopaths run` (its mapping is its move's own; moving it
 * into pass_begin would make --threads share one mapping and change what
 * run measures): a resumed move maps again, which is cheap (the pages are
 * in the page cache; only the ones sent are touched).  A file written in
 * place while it is sent can still be torn, as with any server, but a body
 * never carries a byte past its Content-Length: the size fstat gave is the
 * job's, and span_next hands out no byte past it, so a file that grew under
 * a response is sent as long as it was (issue 18).  One that shrank is seen
 * in the move (read-write reads 0 before the size, sendfile and splice move
 * 0, mmap-send's send faults: EFAULT): the client gets the bytes sent, then
 * a FIN, and no other response on that connection, not even to requests it
 * had pipelined (they are read and dropped, so the end is a FIN and not a
 * reset): a body shorter than its Content-Length, then the end, which
 * RFC 9112 section 8 calls an incomplete message.  One line on stderr.
 *
 * Bounds.  A request's head is at most HTTP_MAX_HEADER_BYTES (http_parse
 * answers 414/431); it is parsed as it comes (the connection keeps its
 * http_parser: each byte is looked at once however the head is split).
 * Timeouts, by the state a connection is in (sweep()): reading, no byte of a
 * request yet (a new connection, or a kept-alive one after its response):
 * --idle-timeout from the accept or the response's end; reading, a request
 * begun: --header-timeout from its first byte (from the response's end for
 * one pipelined behind it), however the rest trickles in; a response that
 * gets no EPOLLOUT and whose send queue (SIOCOUTQ) does not shrink (the
 * client reads nothing) for --send-timeout is dropped;
 * at most --max-connections are open (over all workers), past that a new
 * one gets 503 and is closed.  An error answer ends with Connection: close,
 * a shutdown of our side and a lingering read (SERVE_LINGER_MS from the
 * shutdown, whatever the client still sends), so that the client reads the
 * status before it sees a reset.  Stopping (SIGINT, SIGTERM): the listener
 * is closed, every connection not in a response is closed at once, a
 * response in flight has --grace to finish, and a request already buffered
 * behind it is answered with Connection: close, so no response promises
 * keep-alive after the stop. */
#include "server.h"

#include "http.h"
#include "measure.h"
#include "path.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/sockios.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define SWEEP_MS 100           /* how often the timeouts are looked at */
#define MAX_RESPONSES_A_TURN 32 /* then the next ready connection's turn */
#define ACCEPT_PAUSE_MS 100    /* out of fds: the listener rests */

enum conn_state {
	C_READING, /* reading a request, or idle between them */
	C_WRITING, /* a response's head and body */
	C_LINGER,  /* our side shut down: reading until EOF, then closed */
};

struct conn {
	int fd;
	enum conn_state st;
	uint32_t events;       /* what epoll waits for */
	int partial;           /* C_READING: a request has begun */
	int close_after;       /* the response ends the connection */
	int body;              /* the response's body is moving */
	int job_ready;         /* the strategy's setup ran */
	int outq;              /* C_WRITING: bytes in the socket's send queue when last looked (SIOCOUTQ) */
	uint64_t since;        /* ms: the idle start, a request's first byte, the last EPOLLOUT, the linger start */
	size_t in_len, head_len, head_sent;
	struct http_parser parser; /* the request in in[0, in_len), parsed so far */
	struct job job;
	char head[512];
	char in[HTTP_MAX_HEADER_BYTES + 1]; /* one byte more than a head may take: a full buffer is 431 */
	struct conn *prev, *next;
};

struct worker {
	const struct serve_opts *o;
	int ep, lfd, stop_fd;
	int listening;         /* the listener is in the epoll */
	uint64_t accept_at;    /* ms: when a paused listener comes back */
	void *buf;             /* --block bytes, for read-write (see above) */
	struct conn *conns;
	int stopping;
	uint64_t stop_deadline;
	time_t date_sec;
	char date[40];
};

static atomic_uint open_conns;
static atomic_int worker_failed;
static atomic_uint listener_refs; /* serve_run's and every listening worker's: the last one closes it */

static void listener_put(int lfd)
{
	if (atomic_fetch_sub(&listener_refs, 1) == 1)
		close(lfd);
}

/* The shared listener in this worker's epoll: EPOLLEXCLUSIVE wakes one waiter. */
static int listener_add(struct worker *w)
{
	struct epoll_event e = { .events = EPOLLIN | EPOLLEXCLUSIVE, .data.ptr = &w->lfd };
	return epoll_ctl(w->ep, EPOLL_CTL_ADD, w->lfd, &e);
}

static uint64_t now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

/* The Date header, formatted once a second. */
static const char *http_date(struct worker *w)
{
	time_t t = time(NULL);
	if (t != w->date_sec) {
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(w->date, sizeof(w->date), "%a, %d %b %Y %H:%M:%S GMT", &tm);
		w->date_sec = t;
	}
	return w->date;
}

static void set_events(struct worker *w, struct conn *c, uint32_t ev)
{
	if (c->events == ev)
		return;
	struct epoll_event e = { .events = ev, .data.ptr = c };
	if (epoll_ctl(w->ep, EPOLL_CTL_MOD, c->fd, &e) == 0)
		c->events = ev;
}

/* The body's end, whole or not: pass_end, the file closed. */
static void body_end(struct conn *c)
{
	struct job *j = &c->job;
	if (!c->body)
		return;
	if (j->strategy->pass_end)
		j->strategy->pass_end(j);
	close(j->fd);
	j->fd = -1;
	c->body = 0;
}

static void conn_close(struct worker *w, struct conn *c)
{
	body_end(c);
	if (c->job_ready && c->job.strategy->teardown)
		c->job.strategy->teardown(&c->job);
	epoll_ctl(w->ep, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	if (c->prev)
		c->prev->next = c->next;
	else
		w->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	free(c);
	atomic_fetch_sub(&open_conns, 1);
}

/* A new connection past the limit: a 503 if the socket takes it, then closed. */
static void refuse_busy(struct worker *w, int fd)
{
	char msg[256];
	int n = snprintf(msg, sizeof(msg),
			 "HTTP/1.1 503 Service Unavailable\r\nServer: iopaths/%s\r\nContent-Type: text/plain\r\n"
			 "Content-Length: 24\r\nConnection: close\r\n\r\n503 Service Unavailable\n",
			 w->o->strategy->name);
	if (send(fd, msg, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT) < 0) {
		/* nothing to do: it is closed either way */
	}
	close(fd);
}

static void conn_new(struct worker *w, int fd)
{
	if (atomic_fetch_add(&open_conns, 1) >= w->o->max_connections) {
		atomic_fetch_sub(&open_conns, 1);
		refuse_busy(w, fd);
		return;
	}
	struct conn *c = calloc(1, sizeof(*c));
	if (!c) {
		atomic_fetch_sub(&open_conns, 1);
		close(fd);
		return;
	}
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)); /* pipelined small answers: no Nagle wait */
	c->fd = fd;
	c->since = now_ms();
	struct job *j = &c->job;
	const struct strategy *s = w->o->strategy;
	j->fd = -1;
	j->out = fd;
	j->sink = SINK_TCP;
	j->strategy = s;
	j->block = w->o->block;
	j->buf = w->buf;
	for (int i = 0; i < MAX_OPTIONS && s->options[i].name; i++)
		j->opt[i] = s->options[i].dflt;
	j->yield_on_full = 1;
	c->next = w->conns;
	if (w->conns)
		w->conns->prev = c;
	w->conns = c;
	struct epoll_event e = { .events = EPOLLIN, .data.ptr = c };
	if (epoll_ctl(w->ep, EPOLL_CTL_ADD, fd, &e) != 0) {
		conn_close(w, c);
		return;
	}
	c->events = EPOLLIN;
	if (s->setup) {
		if (s->setup(j) != 0) {
			fprintf(stderr, "iopaths serve: %s setup: %s: %s\n", s->name, j->failed_call,
				strerror(j->failed_errno));
			conn_close(w, c);
			return;
		}
	}
	c->job_ready = 1;
}

static void accept_all(struct worker *w)
{
	for (;;) {
		int fd = accept4(w->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd >= 0) {
			conn_new(w, fd);
			continue;
		}
		if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO)
			continue;
		if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
			/* the queue stays full and level-triggered epoll would spin: rest a while */
			epoll_ctl(w->ep, EPOLL_CTL_DEL, w->lfd, NULL);
			w->listening = 0;
			w->accept_at = now_ms() + ACCEPT_PAUSE_MS;
		}
		return; /* EAGAIN: all taken */
	}
}

/* An error answer: a short text body, Connection: close. */
static void respond_error(struct worker *w, struct conn *c, int status, int head_only)
{
	char body[64];
	int blen = snprintf(body, sizeof(body), "%d %s\n", status, http_reason(status));
	int n = snprintf(c->head, sizeof(c->head),
			 "HTTP/1.1 %d %s\r\nServer: iopaths/%s\r\nDate: %s\r\nContent-Type: text/plain\r\n"
			 "Content-Length: %d\r\nConnection: close\r\n\r\n%s",
			 status, http_reason(status), w->o->strategy->name, http_date(w), blen, head_only ? "" : body);
	c->head_len = n > 0 && (size_t)n < sizeof(c->head) ? (size_t)n : 0;
	c->head_sent = 0;
	c->body = 0;
	c->close_after = 1;
	c->st = C_WRITING;
	c->since = now_ms();
}

/* The answer to a parsed request: 200 with the file, or 403/404. */
static void respond(struct worker *w, struct conn *c, const struct http_request *req)
{
	struct stat st;
	int fd = serve_path_open(w->o->root_fd, req->path, &st);
	if (fd < 0) {
		respond_error(w, c, fd < -99 && fd > -600 ? -fd : 500, req->method == HTTP_HEAD);
		return;
	}
	c->close_after = !req->keep_alive || w->stopping;
	int n = snprintf(c->head, sizeof(c->head),
			 "HTTP/1.1 200 OK\r\nServer: iopaths/%s\r\nDate: %s\r\n"
			 "Content-Type: application/octet-stream\r\nContent-Length: %llu\r\nConnection: %s\r\n\r\n",
			 w->o->strategy->name, http_date(w), (unsigned long long)st.st_size,
			 c->close_after ? "close" : "keep-alive");
	c->head_len = (size_t)n;
	c->head_sent = 0;
	c->st = C_WRITING;
	c->since = now_ms();
	if (req->method == HTTP_HEAD || st.st_size == 0) {
		close(fd);
		return;
	}
	struct job *j = &c->job;
	j->fd = fd;
	j->size = (uint64_t)st.st_size;
	span_plan(j, PATTERN_SEQ, 0, 1);
	span_pass_start(j); /* the cursor at 0 */
	j->failed_call = NULL;
	c->body = 1;
	if (j->strategy->pass_begin && j->strategy->pass_begin(j) != 0) {
		close(fd);
		j->fd = -1;
		c->body = 0;
		c->close_after = 1; /* the head promised a body that will not come */
		c->head_len = 0;
	}
}

/* A body the file cannot complete (it shrank under the response, or a read
 * failed): its Content-Length cannot be kept, so the connection ends after
 * the bytes sent, with a FIN (conn_linger), and carries no other response.
 * One line says why.  -2 for conn_write. */
static int body_short(struct conn *c)
{
	struct job *j = &c->job;
	struct stat st;
	if (fstat(j->fd, &st) == 0 && (uint64_t)st.st_size < j->size)
		fprintf(stderr, "iopaths serve: a file shrank from %llu to %llu bytes under its response: %llu sent, "
			"then the connection closed\n", (unsigned long long)j->size, (unsigned long long)st.st_size,
			(unsigned long long)j->span_at);
	else if (j->failed_call)
		fprintf(stderr, "iopaths serve: %s: %s: %s\n", j->strategy->name, j->failed_call,
			strerror(j->failed_errno));
	body_end(c);
	return -2;
}

/* 1: the response is out; 0: the socket is full (wait for EPOLLOUT); -1: the connection is lost;
 * -2: the body is short (body_short). */
static int conn_write(struct conn *c)
{
	while (c->head_sent < c->head_len) {
		ssize_t n = send(c->fd, c->head + c->head_sent, c->head_len - c->head_sent,
				 MSG_NOSIGNAL | (c->body ? MSG_MORE : 0));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
		}
		c->head_sent += (size_t)n;
	}
	if (!c->body)
		return 1;
	struct job *j = &c->job;
	j->would_block = 0;
	if (j->strategy->move(j) != 0) {
		if (j->would_block)
			return 0;
		int e = j->failed_errno;
		return e == EPIPE || e == ECONNRESET || e == ETIMEDOUT ? -1 : body_short(c);
	}
	if (j->span_at != j->size) /* the file ended before the Content-Length (read-write's read of 0) */
		return body_short(c);
	body_end(c);
	return 1;
}

/* Our side is done: FIN, then read what the client still sends until its EOF. */
static void conn_linger(struct worker *w, struct conn *c)
{
	if (shutdown(c->fd, SHUT_WR) != 0) {
		conn_close(w, c);
		return;
	}
	c->st = C_LINGER;
	c->since = now_ms();
	set_events(w, c, EPOLLIN);
}

/* Reads and discards; 1 when the connection was closed. */
static int linger_read(struct worker *w, struct conn *c)
{
	char scratch[4096];
	for (;;) {
		ssize_t n = recv(c->fd, scratch, sizeof(scratch), 0);
		if (n > 0)
			continue;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		conn_close(w, c);
		return 1;
	}
}

/* Everything a connection can do now: answer what is buffered, read more. */
static void conn_run(struct worker *w, struct conn *c)
{
	if (c->st == C_LINGER) {
		linger_read(w, c);
		return;
	}
	int drained = 0; /* a recv came back short: the socket is empty, epoll says when it is not */
	for (int turns = 0;;) {
		if (c->st == C_WRITING) {
			int r = conn_write(c);
			if (r == -2) { /* a short body: what was sent, then the end */
				conn_linger(w, c);
				return;
			}
			if (r < 0) {
				conn_close(w, c);
				return;
			}
			if (r == 0) {
				set_events(w, c, EPOLLOUT);
				return;
			}
			if (c->close_after) {
				conn_linger(w, c);
				return;
			}
			c->st = C_READING;
			c->partial = c->in_len > 0; /* a pipelined request already begun */
			c->since = now_ms();
			if (w->stopping && !c->partial) {
				conn_close(w, c);
				return;
			}
			if (++turns >= MAX_RESPONSES_A_TURN) {
				/* the socket is writable: EPOLLOUT brings this one back after the others */
				set_events(w, c, EPOLLOUT);
				return;
			}
		}
		long n = http_parse_next(&c->parser, c->in, c->in_len);
		if (n > 0) {
			c->in_len -= (size_t)n;
			memmove(c->in, c->in + n, c->in_len);
			respond(w, c, &c->parser.req);
			http_parser_reset(&c->parser); /* the next request starts at in[0] */
			continue;
		}
		if (n < 0) {
			respond_error(w, c, (int)-n, 0);
			continue;
		}
		if (c->in_len >= sizeof(c->in)) {
			respond_error(w, c, 431, 0);
			continue;
		}
		if (drained) { /* a head dripped a byte a segment: one recv a byte, not two */
			set_events(w, c, EPOLLIN);
			return;
		}
		size_t room = sizeof(c->in) - c->in_len;
		ssize_t got = recv(c->fd, c->in + c->in_len, room, 0);
		if (got > 0) {
			if (c->in_len == 0) { /* a request begins: the header timeout runs */
				c->partial = 1;
				c->since = now_ms();
			}
			c->in_len += (size_t)got;
			drained = (size_t)got < room;
			continue;
		}
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			set_events(w, c, EPOLLIN);
			return;
		}
		conn_close(w, c); /* EOF or an error: whatever was half-sent is dropped */
		return;
	}
}

/* Closes what has waited too long; on stop, what is not in flight. */
static void sweep(struct worker *w, uint64_t now)
{
	const struct serve_opts *o = w->o;
	for (struct conn *c = w->conns, *next; c; c = next) {
		next = c->next;
		uint64_t limit;
		switch (c->st) {
		case C_READING:
			limit = c->partial ? o->header_ms : o->idle_ms;
			/* stopping: closed, unless it yielded its turn (EPOLLOUT) with
			 * requests read behind a response that promised keep-alive */
			if (w->stopping && !(c->partial && c->events == EPOLLOUT))
				limit = 0;
			break;
		case C_WRITING:
			limit = o->send_ms;
			int q;
			if (now - c->since >= limit && ioctl(c->fd, SIOCOUTQ, &q) == 0 && q != c->outq) {
				c->outq = q; /* the client took some (no EPOLLOUT yet: a slow reader): not stalled */
				c->since = now;
			}
			break;
		default:
			limit = w->stopping ? 0 : SERVE_LINGER_MS;
			break;
		}
		if (now - c->since >= limit || (w->stopping && now >= w->stop_deadline))
			conn_close(w, c);
	}
	if (!w->listening && !w->stopping && now >= w->accept_at && listener_add(w) == 0)
		w->listening = 1;
}

static void stop_accepting(struct worker *w)
{
	w->stopping = 1;
	w->stop_deadline = now_ms() + w->o->grace_ms;
	if (w->listening)
		epoll_ctl(w->ep, EPOLL_CTL_DEL, w->lfd, NULL);
	w->listening = 0;
	listener_put(w->lfd); /* no other worker has it in its epoll once the last one is here */
	w->lfd = -1;
	epoll_ctl(w->ep, EPOLL_CTL_DEL, w->stop_fd, NULL);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct epoll_event ev[64];
	uint64_t swept = now_ms();
	for (;;) {
		if (w->stopping && !w->conns)
			break;
		int n = epoll_wait(w->ep, ev, 64, w->conns || !w->listening ? SWEEP_MS : -1);
		if (n < 0 && errno != EINTR) {
			perror("iopaths serve: epoll_wait");
			atomic_store(&worker_failed, 1);
			kill(getpid(), SIGTERM);
			if (!w->stopping)
				stop_accepting(w);
			break;
		}
		for (int i = 0; i < n; i++) {
			void *p = ev[i].data.ptr;
			if (p == &w->lfd)
				accept_all(w);
			else if (p == &w->stop_fd)
				stop_accepting(w);
			else {
				struct conn *c = p;
				if (c->st == C_WRITING && (ev[i].events & EPOLLOUT))
					c->since = now_ms(); /* the client took some: not stalled */
				conn_run(w, c);
			}
		}
		uint64_t now = now_ms();
		if (now - swept >= SWEEP_MS || w->stopping) {
			sweep(w, now);
			swept = now;
		}
	}
	while (w->conns)
		conn_close(w, w->conns);
	return NULL;
}

int serve_listen(const char *addr, unsigned port, unsigned *bound_port, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t len;
	memset(&ss, 0, sizeof(ss));
	struct sockaddr_in *v4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&ss;
	if (inet_pton(AF_INET, addr, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)port);
		len = sizeof(*v4);
	} else if (inet_pton(AF_INET6, addr, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)port);
		len = sizeof(*v6);
	} else {
		snprintf(err, errlen, "--bind %s: not an IPv4 or IPv6 address", addr);
		return -2;
	}
	/* SO_REUSEADDR: a restart binds while the last run's connections are in
	 * TIME_WAIT; it never lets a second socket listen on the port. */
	int one = 1, fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    bind(fd, (struct sockaddr *)&ss, len) != 0 || listen(fd, SOMAXCONN) != 0) {
		int e = errno;
		if (e == EADDRINUSE)
			snprintf(err, errlen, "%s port %u: in use (another server listens there)", addr, port);
		else
			snprintf(err, errlen, "%s port %u: %s", addr, port, strerror(e));
		if (fd >= 0)
			close(fd);
		/* the address and port asked for: not this machine's, taken, or not ours to take */
		return e == EADDRINUSE || e == EADDRNOTAVAIL || e == EACCES ? -2 : -1;
	}
	struct sockaddr_storage got;
	socklen_t glen = sizeof(got);
	if (getsockname(fd, (struct sockaddr *)&got, &glen) != 0) {
		snprintf(err, errlen, "getsockname: %s", strerror(errno));
		close(fd);
		return -1;
	}
	*bound_port = ntohs(got.ss_family == AF_INET ? ((struct sockaddr_in *)&got)->sin_port
						     : ((struct sockaddr_in6 *)&got)->sin6_port);
	return fd;
}

int serve_run(const struct serve_opts *o, int listen_fd, char *err, size_t errlen)
{
	struct worker *ws = calloc(o->workers, sizeof(*ws));
	pthread_t *tid = calloc(o->workers, sizeof(*tid));
	int stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK), rc = 0;
	unsigned started = 0;
	atomic_store(&listener_refs, 1); /* this thread's, dropped once the workers run */
	if (!ws || !tid || stop_fd < 0) {
		snprintf(err, errlen, "%s: %s", stop_fd < 0 ? "eventfd" : "calloc", strerror(errno));
		rc = -1;
		goto out;
	}
	for (unsigned i = 0; i < o->workers; i++) {
		struct worker *w = &ws[i];
		w->o = o;
		w->lfd = listen_fd;
		w->stop_fd = stop_fd;
		w->ep = epoll_create1(EPOLL_CLOEXEC);
		w->buf = block_buffer(o->block);
		struct epoll_event es = { .events = EPOLLIN, .data.ptr = &w->stop_fd };
		if (w->ep < 0 || !w->buf || listener_add(w) != 0 || epoll_ctl(w->ep, EPOLL_CTL_ADD, stop_fd, &es) != 0) {
			snprintf(err, errlen, "worker %u: %s", i, strerror(errno));
			rc = -1;
			goto stop;
		}
		w->listening = 1;
		atomic_fetch_add(&listener_refs, 1);
		int e = pthread_create(&tid[i], NULL, worker_main, w);
		if (e != 0) {
			atomic_fetch_sub(&listener_refs, 1);
			snprintf(err, errlen, "pthread_create: %s", strerror(e));
			rc = -1;
			goto stop;
		}
		started++;
	}
	listener_put(listen_fd);
	listen_fd = -1;
	/* SIGINT and SIGTERM are blocked in every thread: this one takes them. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	int sig;
	while (sigwait(&set, &sig) != 0)
		;
stop: {
	uint64_t one = 1; /* level-triggered and never read: every worker sees it */
	if (write(stop_fd, &one, sizeof(one)) != sizeof(one) && started) {
		/* cannot happen on an eventfd at 0; the workers would stay: */
		abort();
	}
}
	for (unsigned i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	if (rc == 0 && atomic_load(&worker_failed)) {
		snprintf(err, errlen, "a worker failed");
		rc = -1;
	}
	for (unsigned i = 0; i < o->workers; i++) {
		if (ws[i].ep > 0)
			close(ws[i].ep);
		if (ws[i].buf)
			munmap(ws[i].buf, o->block);
	}
out:
	if (listen_fd >= 0)
		listener_put(listen_fd); /* a worker could not start: this thread's reference, after theirs */
	if (stop_fd >= 0)
		close(stop_fd);
	free(ws);
	free(tid);
	return rc;
}
