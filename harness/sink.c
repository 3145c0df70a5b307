#include "sink.h"

#include "cache.h"
#include "datafile.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define RECV_BUF (1u << 20)

struct sink_state {
	enum sink kind;
	int peer; /* the receiver's end */
	pthread_t thread;
	int thread_started;
	int sender_cpu;
	uint64_t size;
	struct consumer consumer; /* the receiver's */
	uint64_t pass_bytes;      /* receiver only */
	uint64_t received;         /* atomic */
	uint64_t target;           /* under lock */
	int failed;                /* atomic: the receiver's errno */
	int closing;               /* atomic: the harness is closing the sink */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned char *buf;
	char path[PATH_MAX];       /* file sink */
};

static cpu_set_t receiver_cpus;

void sink_set_receiver_cpus(const cpu_set_t *allowed)
{
	receiver_cpus = *allowed;
}

static void wake(struct sink_state *st)
{
	pthread_mutex_lock(&st->lock);
	pthread_cond_broadcast(&st->cond);
	pthread_mutex_unlock(&st->lock);
}

/* The target is read under the lock the drain sets it under, so either the
 * drain sees these bytes before it sleeps, or this sees its target and wakes
 * it: no wakeup is missed (two atomics alone could both read the old value). */
static void wake_if_done(struct sink_state *st, uint64_t got)
{
	pthread_mutex_lock(&st->lock);
	if (got >= st->target)
		pthread_cond_broadcast(&st->cond);
	pthread_mutex_unlock(&st->lock);
}

/* Cut the stream back into passes of `size` bytes for the consumer. */
static void feed(struct sink_state *st, const unsigned char *p, size_t n)
{
	while (n > 0) {
		uint64_t left = st->size - st->pass_bytes;
		size_t take = n < left ? n : (size_t)left;
		consumer_take(&st->consumer, p, take);
		st->pass_bytes += take;
		p += take;
		n -= take;
		if (st->pass_bytes == st->size) {
			consumer_end_pass(&st->consumer);
			st->pass_bytes = 0;
		}
	}
}

static void *receive(void *arg)
{
	struct sink_state *st = arg;

	/* On the CPUs the process was allowed before pinning, but the sender's,
	 * like a real peer; where that leaves none, alongside the sender. */
	if (st->sender_cpu >= 0) {
		cpu_set_t others = receiver_cpus;
		CPU_CLR(st->sender_cpu, &others);
		if (CPU_COUNT(&others) > 0)
			sched_setaffinity(0, sizeof(others), &others);
	}
	for (;;) {
		ssize_t n = recv(st->peer, st->buf, RECV_BUF, 0);
		if (n == 0)
			break; /* the sender closed: the end */
		if (n < 0) {
			if (errno == EINTR)
				continue;
			__atomic_store_n(&st->failed, errno, __ATOMIC_RELEASE);
			shutdown(st->peer, SHUT_RDWR); /* the sender sees EPIPE, not a full socket */
			wake(st);
			break;
		}
		feed(st, st->buf, (size_t)n);
		wake_if_done(st, __atomic_add_fetch(&st->received, (uint64_t)n, __ATOMIC_SEQ_CST));
	}
	/* An end the harness did not ask for: say so at once, rather than let
	 * the harness wait out its deadline for bytes that will never come. */
	if (!__atomic_load_n(&st->closing, __ATOMIC_ACQUIRE) && !__atomic_load_n(&st->failed, __ATOMIC_ACQUIRE)) {
		__atomic_store_n(&st->failed, ECONNRESET, __ATOMIC_RELEASE);
		wake(st);
	}
	return NULL;
}

static int socket_pair(struct sink_state *st, int *sender, char *err, size_t errlen)
{
	int fds[2];
	if (st->kind == SINK_UNIX) {
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
			snprintf(err, errlen, "socketpair: %s", strerror(errno));
			return -1;
		}
		*sender = fds[0];
		st->peer = fds[1];
		return 0;
	}
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
	*sender = c;
	st->peer = a;
	return 0;
}

int sink_open(struct job *j, enum sink kind, const struct sink_opts *o, char *err, size_t errlen)
{
	static unsigned serial;
	struct sink_state *st = calloc(1, sizeof(*st));
	if (!st)
		abort();
	st->kind = kind;
	st->peer = -1;
	st->size = j->size;
	st->sender_cpu = o->sender_cpu;
	j->sink = kind;
	j->sink_state = st;
	j->out = -1;

	switch (kind) {
	case SINK_PROCESS:
		return 0;
	case SINK_NULL:
		j->out = open("/dev/null", O_WRONLY | O_CLOEXEC);
		if (j->out < 0) {
			snprintf(err, errlen, "/dev/null: %s", strerror(errno));
			return -1;
		}
		return 0;
	case SINK_FILE:
		/* PID and PID space in the name: a run killed before it removed
		 * this is known by them, and the next run removes it. */
		snprintf(st->path, sizeof(st->path), "%s/iopaths-out-%d-%s-%u.dat", o->dir, (int)getpid(),
			 pid_space_tag(), serial++);
		j->out = open(st->path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (j->out < 0) {
			snprintf(err, errlen, "%s: %s", st->path, strerror(errno));
			st->path[0] = '\0';
			return -1;
		}
		return 0;
	case SINK_UNIX:
	case SINK_TCP:
		break;
	}

	/* A receiver that dies must be an EPIPE error, never a SIGPIPE that kills us. */
	signal(SIGPIPE, SIG_IGN);
	if (socket_pair(st, &j->out, err, errlen) != 0)
		return -1;
	/* Blocking sends return EAGAIN after 30 s, so a receiver that stalls
	 * without dying ends in io_retry's bound, not a hang.  TCP: no Nagle, or
	 * the last short segment waits for a delayed ACK (40 ms a sample). */
	struct timeval bound = { .tv_sec = 30 };
	int one = 1;
	if (setsockopt(j->out, SOL_SOCKET, SO_SNDTIMEO, &bound, sizeof(bound)) != 0 ||
	    (kind == SINK_TCP && setsockopt(j->out, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) != 0)) {
		snprintf(err, errlen, "setsockopt: %s", strerror(errno));
		return -1;
	}
	st->buf = malloc(RECV_BUF);
	if (!st->buf)
		abort();
	pthread_mutex_init(&st->lock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&st->cond, &ca);
	pthread_condattr_destroy(&ca);
	st->target = UINT64_MAX;
	consumer_reset(&st->consumer, CONSUME_CHECKSUM, j->size, 0);

	/* Signals go to the main thread, which stops the sweep. */
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGQUIT);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	int rc = pthread_create(&st->thread, NULL, receive, st);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		snprintf(err, errlen, "starting the receiver thread: %s", strerror(rc));
		return -1;
	}
	st->thread_started = 1;
	return 0;
}

void sink_close(struct job *j)
{
	struct sink_state *st = j->sink_state;
	if (!st)
		return;
	__atomic_store_n(&st->closing, 1, __ATOMIC_RELEASE);
	if (j->out >= 0) {
		if (st->thread_started)
			shutdown(j->out, SHUT_WR); /* the receiver reads EOF and ends */
		close(j->out);
	}
	if (st->thread_started)
		pthread_join(st->thread, NULL);
	if (st->peer >= 0)
		close(st->peer);
	if (st->thread_started) {
		pthread_mutex_destroy(&st->lock);
		pthread_cond_destroy(&st->cond);
	}
	if (st->path[0] && unlink(st->path) != 0)
		fprintf(stderr, "iopaths: warning: could not remove %s: %s\n", st->path, strerror(errno));
	free(st->buf);
	free(st);
	j->sink_state = NULL;
	j->out = -1;
}

void sink_kill_receiver(struct job *j)
{
	struct sink_state *st = j->sink_state;
	if (st && st->peer >= 0)
		shutdown(st->peer, SHUT_RDWR);
}

int sink_arm(struct job *j, enum consume_mode mode, uint64_t expected, char *err, size_t errlen)
{
	struct sink_state *st = j->sink_state;
	if (st->thread_started && st->target != UINT64_MAX &&
	    __atomic_load_n(&st->received, __ATOMIC_SEQ_CST) != st->target) {
		snprintf(err, errlen, "the %s receiver got more bytes after the last sample than it held",
			 sink_names[__builtin_ctz(st->kind)]);
		return -1;
	}
	if (st->kind == SINK_FILE && (ftruncate(j->out, 0) != 0 || lseek(j->out, 0, SEEK_SET) != 0)) {
		snprintf(err, errlen, "emptying %s: %s", st->path, strerror(errno));
		return -1;
	}
	if (st->thread_started) {
		/* The receiver is idle: the last sample was drained in full. */
		consumer_reset(&st->consumer, mode, j->size, expected);
		st->pass_bytes = 0;
		pthread_mutex_lock(&st->lock);
		st->target = UINT64_MAX;
		__atomic_store_n(&st->received, 0, __ATOMIC_SEQ_CST);
		pthread_mutex_unlock(&st->lock);
	}
	return 0;
}

int sink_drain(struct job *j, unsigned passes, char *err, size_t errlen)
{
	struct sink_state *st = j->sink_state;
	if (!st->thread_started)
		return 0;
	uint64_t target = (uint64_t)passes * j->size;
	struct timespec deadline;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	/* 30 s, plus what the slowest path plausibly needs (20 MiB/s). */
	deadline.tv_sec += 30 + (time_t)(target / (20u << 20));

	int rc = 0;
	pthread_mutex_lock(&st->lock);
	st->target = target;
	while (__atomic_load_n(&st->received, __ATOMIC_SEQ_CST) < target &&
	       !__atomic_load_n(&st->failed, __ATOMIC_ACQUIRE) && rc == 0)
		rc = pthread_cond_timedwait(&st->cond, &st->lock, &deadline);
	pthread_mutex_unlock(&st->lock);

	int failed = __atomic_load_n(&st->failed, __ATOMIC_ACQUIRE);
	uint64_t got = __atomic_load_n(&st->received, __ATOMIC_ACQUIRE);
	if (failed) {
		snprintf(err, errlen, "the %s receiver failed: %s", sink_names[__builtin_ctz(st->kind)],
			 failed == ECONNRESET ? "it stopped before all bytes arrived" : strerror(failed));
		return -1;
	}
	if (got < target) {
		snprintf(err, errlen, "the %s receiver got %llu of %llu bytes before its deadline",
			 sink_names[__builtin_ctz(st->kind)], (unsigned long long)got, (unsigned long long)target);
		return -1;
	}
	return 0;
}

int file_checksum(int fd, uint64_t size, int from_disk, void *buf, size_t buflen, uint64_t *sum)
{
	struct checksum c;
	if (from_disk && cache_evict(fd, 0) != 0) /* fsync, then drop the page cache */
		return -1;
	checksum_init(&c);
	for (uint64_t off = 0; off < size;) {
		ssize_t n = pread(fd, buf, buflen, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return -1;
		}
		checksum_update(&c, buf, (size_t)n);
		off += (uint64_t)n;
	}
	*sum = checksum_final(&c);
	return 0;
}

/* How many of the file's pages are dirty, without starting any writeback
 * (posix_fadvise(DONTNEED) would: it writes back before it drops, and for a
 * large file that can make everything look persisted).  Maps the file, reads
 * each page's frame from /proc/self/pagemap and its dirty bit from
 * /proc/kpageflags.  Root only; -1 when it cannot tell. */
#define KPF_DIRTY 4
#define KPF_WRITEBACK 8
#define PAGEMAP_PRESENT (1ULL << 63)
#define PAGEMAP_PFN ((1ULL << 55) - 1)

static int64_t dirty_pages(int fd, uint64_t size)
{
	long page = sysconf(_SC_PAGESIZE);
	uint64_t pages = (size + (uint64_t)page - 1) / (uint64_t)page;
	int pm = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	int kf = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC);
	/* Populating a shared read mapping faults the cached pages in without
	 * dirtying them; pages not in the cache come clean from the disk. */
	char *map = mmap(NULL, size, PROT_READ, MAP_SHARED | MAP_POPULATE, fd, 0);
	int64_t dirty = -1;
	if (pm >= 0 && kf >= 0 && map != MAP_FAILED) {
		uint64_t entries[512];
		dirty = 0;
		for (uint64_t first = 0; first < pages && dirty >= 0; first += 512) {
			size_t n = pages - first < 512 ? (size_t)(pages - first) : 512;
			off_t at = (off_t)(((uintptr_t)map / (uint64_t)page + first) * sizeof(uint64_t));
			if (pread(pm, entries, n * sizeof(uint64_t), at) != (ssize_t)(n * sizeof(uint64_t))) {
				dirty = -1;
				break;
			}
			for (size_t i = 0; i < n; i++) {
				uint64_t flags, pfn = entries[i] & PAGEMAP_PFN;
				if (!(entries[i] & PAGEMAP_PRESENT) || pfn == 0 ||
				    pread(kf, &flags, sizeof(flags), (off_t)(pfn * sizeof(flags))) != sizeof(flags)) {
					dirty = -1; /* not root: the frame numbers read as 0 */
					break;
				}
				/* under writeback is not on disk yet either */
				dirty += ((flags >> KPF_DIRTY) | (flags >> KPF_WRITEBACK)) & 1;
			}
		}
	}
	if (map != MAP_FAILED)
		munmap(map, size);
	if (pm >= 0)
		close(pm);
	if (kf >= 0)
		close(kf);
	return dirty;
}

int sink_verify(struct job *j, unsigned passes, uint64_t expected, int on_disk, double *persisted, int *verified,
		char *err, size_t errlen)
{
	struct sink_state *st = j->sink_state;
	const char *name = sink_names[__builtin_ctz(st->kind)];
	*persisted = NAN;
	*verified = 0;

	if (st->thread_started) {
		struct consumer *c = &st->consumer;
		uint64_t got = __atomic_load_n(&st->received, __ATOMIC_SEQ_CST);
		if (got != (uint64_t)passes * j->size) {
			snprintf(err, errlen, "the %s receiver got %llu bytes for %u passes of %llu", name,
				 (unsigned long long)got, passes, (unsigned long long)j->size);
			return -1;
		}
		if (c->passes_bad || (j->size > 0 && c->passes_ok != passes)) {
			snprintf(err, errlen, "the %s receiver got bytes that do not match the file (%llu of %u passes bad)",
				 name, (unsigned long long)(c->passes_bad + passes - c->passes_ok - c->passes_bad), passes);
			return -1;
		}
		*verified = c->mode == CONSUME_CHECKSUM;
		return 0;
	}
	if (st->kind != SINK_FILE)
		return 0;

	/* Persisted: no page of the file was still dirty after the timed region. */
	if (on_disk && j->size > 0) {
		int64_t dirty = dirty_pages(j->out, j->size);
		*persisted = dirty < 0 ? NAN : dirty == 0;
	}

	struct stat sb;
	uint64_t sum;
	if (fstat(j->out, &sb) != 0 || file_checksum(j->out, j->size, on_disk, j->buf, j->block, &sum) != 0) {
		snprintf(err, errlen, "reading back %s: %s", st->path, strerror(errno));
		return -1;
	}
	if ((uint64_t)sb.st_size != j->size || sum != expected) {
		snprintf(err, errlen, "%s holds %llu bytes that do not match what was sent (%llu bytes)", st->path,
			 (unsigned long long)sb.st_size, (unsigned long long)j->size);
		return -1;
	}
	*verified = 1;
	if (ftruncate(j->out, 0) != 0) { /* give the space back at once */
		snprintf(err, errlen, "emptying %s: %s", st->path, strerror(errno));
		return -1;
	}
	return 0;
}
