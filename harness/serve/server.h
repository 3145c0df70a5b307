/* `iopaths serve`: a static-file HTTP/1.1 server whose every response body is
 * moved by a strategy's own move() from benches/, the code `iopaths run`
 * measures.  Non-blocking sockets, one epoll per worker thread. */
#ifndef IOPATHS_SERVE_SERVER_H
#define IOPATHS_SERVE_SERVER_H

#include "strategy.h"

#include <stddef.h>

/* After an error's response: our side shut down, what the client still sends
 * is read and dropped for at most this long, then the connection is closed. */
#define SERVE_LINGER_MS 2000

struct serve_opts {
	const struct strategy *strategy; /* read-write, mmap-send, sendfile or splice */
	int root_fd;                     /* --root, O_PATH | O_DIRECTORY */
	unsigned workers;                /* threads, each with its own epoll, on one listener */
	size_t block;                    /* --block: bytes per call for the block-wise paths */
	unsigned max_connections;        /* open at once, over all workers; past it: 503, close */
	unsigned idle_ms;                /* a kept-alive connection with no request in it */
	unsigned header_ms;              /* a request's first byte to its end */
	unsigned send_ms;                /* a response that moves no byte for this long */
	unsigned grace_ms;               /* after SIGINT/SIGTERM: in-flight responses finish within it */
};

/* The listening socket the workers share, bound to addr:port (0: a free one)
 * without SO_REUSEPORT, so that the port is this server's alone: the fd, with
 * the port bound in *bound_port; < 0 with a one-line reason in err: -2 when it
 * is the address or port asked for (not an address, not this machine's, in
 * use, not allowed), -1 otherwise. */
int serve_listen(const char *addr, unsigned port, unsigned *bound_port, char *err, size_t errlen);

/* Runs the workers on the listener (which it closes) until SIGINT or SIGTERM
 * (which the caller has blocked in every thread), then drains: 0, or -1 with
 * a reason in err. */
int serve_run(const struct serve_opts *o, int listen_fd, char *err, size_t errlen);

int cmd_serve(int argc, char **argv);

#endif
