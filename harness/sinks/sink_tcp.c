/* tcp: a TCP connection on 127.0.0.1, drained by a receiver thread. */
#include "receiver.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int tcp_open(struct job *j, const struct sink_opts *o, char *err, size_t errlen)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(addr);
	int l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int a = -1;
	if (l < 0 || c < 0 || bind(l, (struct sockaddr *)&addr, sizeof(addr)) != 0 || listen(l, 1) != 0 ||
	    getsockname(l, (struct sockaddr *)&addr, &len) != 0 ||
	    connect(c, (struct sockaddr *)&addr, sizeof(addr)) != 0 ||
	    (a = accept4(l, NULL, NULL, SOCK_CLOEXEC)) < 0) {
		snprintf(err, errlen, "TCP connection on 127.0.0.1: %s", strerror(errno));
		if (l >= 0)
			close(l);
		if (c >= 0)
			close(c);
		return -1;
	}
	close(l);
	if (receiver_start(j, c, a, o, err, errlen) != 0)
		return -1;
	/* No Nagle, or the last short segment waits for a delayed ACK (40 ms a sample). */
	int one = 1;
	if (setsockopt(j->out, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) != 0) {
		snprintf(err, errlen, "setsockopt: %s", strerror(errno));
		return -1;
	}
	return 0;
}

const struct sink_ops sink_tcp = {
	.name = "tcp",
	.bit = SINK_TCP,
	.open = tcp_open,
	RECEIVER_HOOKS,
};
