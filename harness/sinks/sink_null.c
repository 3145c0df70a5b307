/* null: /dev/null.  Nothing arrives anywhere, so nothing is verified. */
#include "sink.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

static int null_open(struct job *j, const struct sink_opts *o, char *err, size_t errlen)
{
	(void)o;
	j->out = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (j->out < 0) {
		snprintf(err, errlen, "/dev/null: %s", strerror(errno));
		return -1;
	}
	return 0;
}

const struct sink_ops sink_null = {
	.name = "null",
	.bit = SINK_NULL,
	.open = null_open,
};
