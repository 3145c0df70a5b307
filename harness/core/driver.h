/* How a sample is timed: the drivers.
 *
 * A strategy (benches/) says what one pass is: move() moves the whole file
 * once.  A sink (sink.h) says where the bytes go and how they are checked.
 * A driver says how a sample of passes is timed and counted, and fills a
 * struct sample; measure_once() runs the context's driver.  Drivers never
 * touch a strategy's code, and strategies know nothing of drivers.
 *
 * in-process (driver_in_process.c), the only driver today: getrusage, perf
 * and /proc/vmstat around the clock reads, around N passes of move() in this
 * thread under the SIGBUS guard; the sender's syscall counter stops with its
 * passes, then the sink drains (a receiver must hold every byte), then the
 * clocks stop.  Its calibration measures an empty region once per run: the
 * syscall baselines subtracted from every sample, and pass_overhead_ns.
 *
 * A later driver plugs in as one more entry in measure.c's drivers[] and one
 * file, with no change to any strategy.  Issue 13's HTTP server under an
 * external load client (wrk), timed by the client, would implement:
 *   calibrate       NULL, or the client's own floor against an empty
 *                   response; pass_overhead_ns stays NaN.
 *   measure_sample  untimed: arm the sink (a listening socket, opened by its
 *                   own sink_ops), start the server thread(s) and the client
 *                   (fork + exec, its CPUs apart from the server's).  Each
 *                   request is one pass: the server writes the headers, points
 *                   j->out at the connection and runs s->move(j) under
 *                   sigbus_guard(), so every strategy that can send to a
 *                   socket serves files unchanged.  The client's report gives
 *                   the requests completed (out->iters), its duration
 *                   (C_WALL_NS per request) and its latencies (new columns,
 *                   appended); getrusage (RUSAGE_SELF and RUSAGE_CHILDREN),
 *                   perf and vmstat bracket the client's whole run.  Then
 *                   sink_verify: the bytes and responses the client counted. */
#ifndef IOPATHS_DRIVER_H
#define IOPATHS_DRIVER_H

#include "measure.h"

struct driver {
	const char *name;
	/* Untimed, once per run, from measure_ctx_open: what the driver's own
	 * region costs (m->syscall_baseline, m->pass_overhead_ns).  Optional. */
	void (*calibrate)(struct measure_ctx *m);
	/* One sample: measure_once's contract (measure.h). */
	int (*measure_sample)(struct measure_ctx *m, const struct strategy *s, struct job *j,
			      const struct expected *want, unsigned iters, double min_ns, struct sample *out,
			      char *err, size_t errlen);
};

extern const struct driver driver_in_process;
/* duration (driver_duration.c): --duration's time series, one timed region
 * of endless random spans per cell (the movers of --threads, or one with
 * io-uring's qd in flight); the sampler (timeseries.h) writes a row per
 * --interval and stops the movers.  Every span is checked against the
 * file's known content (consumer.h, spans mode).  The sample is the cell's
 * whole: C_WALL_NS is the time the file would take at the cell's rate
 * (wall x file bytes / bytes used), so runs.csv's mibps is used bytes per
 * second. */
extern const struct driver driver_duration;

#endif
