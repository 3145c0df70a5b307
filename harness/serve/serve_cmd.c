/* iopaths serve: the command line, the listeners, the signals; server.c does the rest. */
#include "server.h"

#include "cli.h"
#include "units.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static const char usage_serve[] =
	"usage: iopaths serve --strategy read-write|mmap-send|sendfile|splice [--root DIR]\n"
	"                     [--bind ADDR] [--port N] [--workers N] [--block SIZE]\n"
	"                     [--max-connections N] [--idle-timeout S] [--header-timeout S]\n"
	"                     [--send-timeout S]\n"
	"\n"
	"A static-file HTTP/1.1 (and 1.0) server whose every response body is moved\n"
	"by the strategy's own code, the code `iopaths run` measures: GET and HEAD,\n"
	"keep-alive, pipelined requests, Content-Length.  Only regular files under\n"
	"--root are served; anything else is 403 or 404.  Range is not supported: a\n"
	"Range header is ignored and the whole file is sent with 200.  Errors (400,\n"
	"403, 404, 414, 431, 501, 505) carry a short text body and close the\n"
	"connection.  SIGINT/SIGTERM: stop accepting, let the responses in flight\n"
	"finish (5 s at most, then they are closed), exit 0.\n"
	"\n"
	"  --strategy S         how bodies move (required)\n"
	"  --root DIR           the folder served (default: .)\n"
	"  --bind ADDR          an IPv4 or IPv6 address (default: 127.0.0.1)\n"
	"  --port N             0 picks a free port (default: 8080)\n"
	"  --workers N          threads, each with its own epoll, on one listener\n"
	"                       (default: 1)\n"
	"  --block SIZE         bytes per call for read-write and mmap-send (default: 128K)\n"
	"  --max-connections N  open at once; past it a new one gets 503 (default: 1024)\n"
	"  --idle-timeout S     a kept-alive connection with no request (default: 30)\n"
	"  --header-timeout S   a request begun must be whole within it (default: 10)\n"
	"  --send-timeout S     a client that reads nothing for S (to 2S) is dropped\n"
	"                       (default: 30)\n"
	"\n"
	"On start it prints one line, \"iopaths serve: listening on http://ADDR:PORT/\n"
	"(strategy S, root DIR, N workers)\".  Exit 0 after a signal; 2 for bad input,\n"
	"an address not this machine's and a port in use (by another server: the port\n"
	"is one server's alone) or not allowed, with one line; 1 when it fails otherwise.\n";

static const char *const served[] = { "read-write", "mmap-send", "sendfile", "splice" };

int cmd_serve(int argc, char **argv)
{
	const char *strategy = NULL, *root = ".", *bind_addr = "127.0.0.1";
	unsigned port = 8080, workers = 1;
	uint64_t block = 128 << 10;
	struct serve_opts o = { .max_connections = 1024, .idle_ms = 30000, .header_ms = 10000,
				.send_ms = 30000, .grace_ms = 5000 };

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(usage_serve, stdout);
			return 0;
		}
		if (strncmp(a, "--", 2) != 0)
			usage_error("serve: unexpected argument '%s'", a);
		const char *v = strchr(a, '=');
		size_t nlen = v ? (size_t)(v - a) : strlen(a);
		if (v)
			v++;
		else if (i + 1 < argc)
			v = argv[++i];
		else
			usage_error("serve: %s needs a value", a);
#define IS(name) (nlen == strlen(name) && strncmp(a, name, nlen) == 0)
		if (IS("--strategy"))
			strategy = served[name_index("--strategy", "read-write, mmap-send, sendfile or splice", v,
						     served, 4)];
		else if (IS("--root"))
			root = v;
		else if (IS("--bind")) {
			struct in6_addr a6;
			if (inet_pton(AF_INET, v, &a6) != 1 && inet_pton(AF_INET6, v, &a6) != 1)
				usage_error("serve: --bind must be an IPv4 or IPv6 address, not '%s'", v);
			bind_addr = v;
		}
		else if (IS("--port"))
			port = (unsigned)parse_number("--port", v, 0, 65535, 0);
		else if (IS("--workers"))
			workers = (unsigned)parse_number("--workers", v, 1, 256, 0);
		else if (IS("--block")) {
			if (parse_size(v, &block) != 0 || block < 512 || block > (64 << 20))
				usage_error("serve: --block must be a size from 512 to 64M, not '%s'", v);
		} else if (IS("--max-connections"))
			o.max_connections = (unsigned)parse_number("--max-connections", v, 1, 1000000, 0);
		else if (IS("--idle-timeout"))
			o.idle_ms = 1000 * (unsigned)parse_number("--idle-timeout", v, 1, 86400, 0);
		else if (IS("--header-timeout"))
			o.header_ms = 1000 * (unsigned)parse_number("--header-timeout", v, 1, 86400, 0);
		else if (IS("--send-timeout"))
			o.send_ms = 1000 * (unsigned)parse_number("--send-timeout", v, 1, 86400, 0);
		else
			usage_error("serve: unknown option '%.*s'", (int)nlen, a);
#undef IS
	}
	if (!strategy)
		usage_error("serve: --strategy is required (read-write, mmap-send, sendfile or splice)");
	o.strategy = strategy_find(strategy);
	o.workers = workers;
	o.block = (size_t)block;
	o.root_fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (o.root_fd < 0)
		usage_error("serve: --root %s: %s", root, strerror(errno));

	/* Room for the connections: the soft fd limit up to the hard one. */
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	/* A client gone mid-body is EPIPE for that connection, not the end of the server. */
	signal(SIGPIPE, SIG_IGN);
	/* Blocked before any worker starts, so only serve_run's sigwait takes them. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	char err[256];
	unsigned bound;
	int lfd = serve_listen(bind_addr, port, &bound, err, sizeof(err));
	if (lfd < 0) {
		fprintf(stderr, "iopaths serve: cannot listen on %s\n", err);
		close(o.root_fd);
		return lfd == -2 ? EXIT_USAGE : 1;
	}
	char abs_root[PATH_MAX];
	if (!realpath(root, abs_root))
		snprintf(abs_root, sizeof(abs_root), "%s", root);
	int v6 = strchr(bind_addr, ':') != NULL;
	printf("iopaths serve: listening on http://%s%s%s:%u/ (strategy %s, root %s, %u worker%s)\n", v6 ? "[" : "",
	       bind_addr, v6 ? "]" : "", bound, strategy, abs_root, workers, workers == 1 ? "" : "s");
	fflush(stdout);
	int rc = serve_run(&o, lfd, err, sizeof(err));
	if (rc != 0)
		fprintf(stderr, "iopaths serve: %s\n", err);
	close(o.root_fd);
	return rc ? 1 : 0;
}
