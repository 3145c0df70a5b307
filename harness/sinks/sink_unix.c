/* unix: an AF_UNIX stream socketpair, drained by a receiver thread. */
#include "receiver.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

static int unix_open(struct job *j, const struct sink_opts *o, char *err, size_t errlen)
{
	int fds[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
		snprintf(err, errlen, "socketpair: %s", strerror(errno));
		return -1;
	}
	return receiver_start(j, fds[0], fds[1], o, err, errlen);
}

const struct sink_ops sink_unix = {
	.name = "unix",
	.bit = SINK_UNIX,
	.open = unix_open,
	RECEIVER_HOOKS,
};
