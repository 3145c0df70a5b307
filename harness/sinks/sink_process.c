/* process: the bytes go into this process's memory, handed to the job's
 * consumer (consume()), which checks each pass as it ends.  No j->out. */
#include "sink.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Timed: the pass's checksum closed, as every path into memory needs it. */
static int process_after_pass(struct job *j)
{
	consumer_end_pass(&j->consumer);
	return 0;
}

static int process_verify(struct job *j, const struct sink_check *c, struct sample *out, char *err, size_t errlen)
{
	/* The driver failed the sample on a bad pass; every pass must also have
	 * been closed, or the bytes of the unclosed ones were never checked. */
	if (j->consumer.passes_ok != c->passes) {
		snprintf(err, errlen, "%s: the consumer checked %llu of %u passes", c->strategy->name,
			 (unsigned long long)j->consumer.passes_ok, c->passes);
		return -1;
	}
	out->verified = c->consume == CONSUME_CHECKSUM;
	if (c->strategy->op != OP_WRITE)
		return 0;
	/* Written through a private mapping: the file must be untouched.  Its
	 * page cache is the file as every process sees it, and where a leak
	 * would show; reading it leaves the hot cache hot for the others. */
	uint64_t sum;
	if (file_checksum(j->fd, j->size, 0, j->buf, j->block, &sum) != 0) {
		snprintf(err, errlen, "reading back the data file: %s", strerror(errno));
		return -1;
	}
	out->file_unchanged = sum == c->want->source;
	if (sum != c->want->source) {
		snprintf(err, errlen, "%s changed the data file it mapped privately", c->strategy->name);
		return -1;
	}
	return 0;
}

const struct sink_ops sink_process = {
	.name = "process",
	.bit = SINK_PROCESS,
	.after_pass = process_after_pass,
	.verify = process_verify,
};
