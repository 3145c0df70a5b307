/* The receiver thread the socket sinks share (sink_unix.c, sink_tcp.c): it
 * drains the far end of a connected stream, cuts what arrives back into
 * passes, and checksums each one, in this process, so the counters include
 * its work.  Its hooks are the sink's arm, drain, verify and close. */
#ifndef IOPATHS_RECEIVER_H
#define IOPATHS_RECEIVER_H

#include "sink.h"

/* Takes over both ends of a connected stream socket, `sender` as j->out
 * (given a 30 s send bound) and `peer` for a new thread to drain: both are
 * closed by receiver_close, whatever happens here. */
int receiver_start(struct job *j, int sender, int peer, const struct sink_opts *o, char *err, size_t errlen);

int receiver_arm(struct job *j, enum consume_mode mode, uint64_t expected, char *err, size_t errlen);
int receiver_drain(struct job *j, unsigned passes, char *err, size_t errlen);
int receiver_verify(struct job *j, const struct sink_check *c, struct sample *out, char *err, size_t errlen);
void receiver_close(struct job *j);

/* The sink_ops hooks of a sink that a receiver drains. */
#define RECEIVER_HOOKS .arm = receiver_arm, .drain = receiver_drain, .verify = receiver_verify, .close = receiver_close

#endif
