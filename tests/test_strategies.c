/* Every strategy delivers exactly the file's bytes, at awkward sizes and
 * block sizes; and a file that does not match is caught. */
#include "helpers.h"

#include "checksum.h"
#include "datafile.h"
#include "measure.h"
#include "sink.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define SEED 0x5eedULL

static const uint64_t sizes[] = { 0, 1, 4095, 4096, 4097, (1 << 20) + 13, 8 << 20, 64 << 20 };

/* Every size for the process sink (issue 2's list); 0, 1, 4097, 8 MiB elsewhere. */
static int size_applies(uint64_t size, enum sink sink)
{
	if (sink == SINK_PROCESS)
		return size != 8 << 20;
	return size == 0 || size == 1 || size == 4097 || size == 8 << 20;
}


static void prepare(struct job *j, const struct strategy *s, enum sink sink, const struct datafile *d,
		    const unsigned char *to_write, size_t block, struct expected *want)
{
	char err[PATH_MAX + 256];
	struct job_opts o = { .block = block, .dir = work,
			      .sender_cpu = -1, .write_bytes = to_write,
			      .write_checksum = data_checksum(SEED ^ WRITE_SEED_XOR, d->size) };
	if (job_prepare(j, s, sink, d, &o, want, err, sizeof(err)) != 0)
		fail_msg("%s to %s: %s", s->name, sink_names[__builtin_ctz(sink)], err);
}

/* Runs one pair on file d in every consume mode that applies, one pass and
 * (where the sink allows) three passes per sample, on the same job. */
static void verify_pair(const struct strategy *s, enum sink sink, const struct datafile *d,
			const unsigned char *to_write, size_t block)
{
	struct job j;
	struct expected want;
	struct sample smp;
	char err[PATH_MAX + 256];

	struct job asked = { .fd = -1, .out = -1, .block = block, .strategy = s };
	for (int o = 0; o < MAX_OPTIONS && s->options[o].name; o++)
		asked.opt[o] = s->options[o].dflt; /* prepare()'s job has the defaults too */
	if (s->refuse && s->refuse(&asked, work, 0, err, sizeof(err)) != 0)
		return; /* refused before any sweep (O_DIRECT and a --block of 4097) */
	prepare(&j, s, sink, d, to_write, block, &want);
	for (int mode = CONSUME_CHECKSUM; mode <= CONSUME_NONE; mode++) {
		if (mode == CONSUME_NONE && s->cpu_copies == 0)
			continue; /* refused by the CLI: nothing would touch the bytes */
		job_ctx.consume = (enum consume_mode)mode;
		for (unsigned iters = 1; iters <= (sink == SINK_FILE ? 1u : 3u); iters += 2) {
			if (measure_once(&job_ctx, s, &j, &want, iters, 0, &smp, err, sizeof(err)) != 0)
				fail_msg("%s to %s at %llu bytes, block %zu, %s, %u passes: %s", s->name,
					 sink_names[__builtin_ctz(sink)], (unsigned long long)d->size, block,
					 consume_names[mode], iters, err);
			int checksummed = sink == SINK_FILE ||
					  ((sink == SINK_PROCESS || (sink & SINK_SOCKETS)) && mode == CONSUME_CHECKSUM);
			assert_int_equal(smp.verified, checksummed);
			assert_int_equal(smp.iters, iters);
			assert_true(smp.c[C_WALL_NS] >= 0);
			if (s->op == OP_WRITE && sink == SINK_PROCESS)
				assert_true(smp.file_unchanged == 1);
		}
	}
	job_ctx.consume = CONSUME_CHECKSUM;
	job_release(&j, s);
}

static void every_pair_verifies_at_every_size(void **state)
{
	(void)state;
	char err[PATH_MAX + 256];
	for (size_t z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
		struct datafile d;
		if (datafile_make(&d, work, sizes[z], SEED, NULL, err, sizeof(err)) != 0)
			fail_msg("%s", err);
		assert_int_equal(d.created, 1);
		unsigned char *to_write = malloc(sizes[z] ? sizes[z] : 1);
		assert_non_null(to_write);
		data_fill(SEED ^ WRITE_SEED_XOR, 0, to_write, sizes[z]);
		for (size_t i = 0; i < strategy_count; i++)
			for (int k = 0; k < NSINKS; k++) {
				enum sink sink = (enum sink)(1u << k);
				if (!(strategies[i]->sinks & sink) || !size_applies(sizes[z], sink))
					continue;
				verify_pair(strategies[i], sink, &d, to_write, 128 << 10);
				if (sizes[z] <= (1 << 20) + 13)
					verify_pair(strategies[i], sink, &d, to_write, 4097); /* blocks across pages */
			}
		free(to_write);
		datafile_remove(&d);
		assert_int_equal(dir_entries(work), 0); /* file sinks removed their files too */
	}
}

/* A sender that puts one byte too many on the socket: the file, then a byte. */
static int move_one_too_many(struct job *j)
{
	off_t off = 0;
	while ((uint64_t)off < j->size)
		if (sendfile(j->out, j->fd, &off, j->size - (uint64_t)off) < 0 && !io_retry(j))
			return job_fail(j, "sendfile");
	return write_all(j, "!", 1);
}

static void extra_bytes_on_a_socket_fail_verification(void **state)
{
	(void)state;
	const struct strategy rogue = { .name = "one-too-many", .sinks = SINK_SOCKETS, .move = move_one_too_many };
	char err[PATH_MAX + 256];
	struct datafile d;
	assert_int_equal(datafile_make(&d, work, 8192, SEED, NULL, err, sizeof(err)), 0);
	for (enum sink sink = SINK_UNIX; sink <= SINK_TCP; sink <<= 1) {
		struct job j;
		struct expected want;
		struct sample smp;
		prepare(&j, &rogue, sink, &d, NULL, 4096, &want);
		int rc = measure_once(&job_ctx, &rogue, &j, &want, 1, 0, &smp, err, sizeof(err));
		if (rc == 0) /* the extra byte may land after the check: then the next sample catches it */
			rc = measure_once(&job_ctx, &rogue, &j, &want, 1, 0, &smp, err, sizeof(err));
		assert_int_equal(rc, -1);
		if (!strstr(err, "bytes"))
			fail_msg("%s: unclear error: %s", sink_names[__builtin_ctz(sink)], err);
		job_release(&j, &rogue);
	}
	datafile_remove(&d);
}

/* Socket options that keep the measurement honest and every wait bounded. */
static void socket_sinks_have_no_nagle_and_a_send_bound(void **state)
{
	(void)state;
	char err[PATH_MAX + 256];
	struct datafile d;
	assert_int_equal(datafile_make(&d, work, 4096, SEED, NULL, err, sizeof(err)), 0);
	for (enum sink sink = SINK_UNIX; sink <= SINK_TCP; sink <<= 1) {
		struct job j;
		struct expected want;
		struct timeval tv;
		int nodelay = 0;
		socklen_t len = sizeof(tv);
		prepare(&j, strategy_find("sendfile"), sink, &d, NULL, 4096, &want);
		assert_int_equal(getsockopt(j.out, SOL_SOCKET, SO_SNDTIMEO, &tv, &len), 0);
		assert_int_equal(tv.tv_sec, 30);
		if (sink == SINK_TCP) {
			len = sizeof(nodelay);
			assert_int_equal(getsockopt(j.out, IPPROTO_TCP, TCP_NODELAY, &nodelay, &len), 0);
			assert_int_equal(nodelay, 1); /* else a delayed ACK (~40 ms) ends every pass */
		}
		job_release(&j, strategy_find("sendfile"));
	}
	datafile_remove(&d);
}

/* A receiver that dies is a clear error within seconds, never a hang or a SIGPIPE. */
static void a_dead_receiver_is_an_error_not_a_hang(void **state)
{
	(void)state;
	char err[PATH_MAX + 256];
	struct datafile d;
	assert_int_equal(datafile_make(&d, work, 8 << 20, SEED, NULL, err, sizeof(err)), 0);
	static const char *const names[] = { "read-write", "mmap-send", "sendfile", "splice" };
	for (size_t i = 0; i < 4; i++)
		for (enum sink sink = SINK_UNIX; sink <= SINK_TCP; sink <<= 1) {
			const struct strategy *s = strategy_find(names[i]);
			struct job j;
			struct expected want;
			struct sample smp;
			prepare(&j, s, sink, &d, NULL, 128 << 10, &want);
			sink_kill_receiver(&j);
			time_t start = time(NULL);
			assert_int_equal(measure_once(&job_ctx, s, &j, &want, 1, 0, &smp, err, sizeof(err)), -1);
			assert_true(time(NULL) - start < 10);
			if (!strstr(err, "Broken pipe") && !strstr(err, "receiver") && !strstr(err, "reset"))
				fail_msg("%s to %s: unclear error: %s", names[i], sink_names[__builtin_ctz(sink)], err);
			job_release(&j, s);
		}
	datafile_remove(&d);
}

static void a_changed_byte_fails_verification(void **state)
{
	(void)state;
	char err[PATH_MAX + 256];
	struct datafile d;
	struct sample smp;
	assert_int_equal(datafile_make(&d, work, (1 << 20) + 13, SEED, NULL, err, sizeof(err)), 0);
	int fd = open(d.path, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, "\x42", 1, 777777), 1);
	close(fd);
	for (size_t i = 0; i < strategy_count; i++) {
		const struct strategy *s = strategies[i];
		if (s->op != OP_READ)
			continue; /* they write their own bytes: a wrong file is not theirs to catch */
		for (int k = 0; k < NSINKS; k++) {
			enum sink sink = (enum sink)(1u << k);
			struct job j;
			struct expected want;
			if (!(s->sinks & sink) || !sink_ops_of(sink)->verify)
				continue; /* a sink that keeps nothing (/dev/null) has nothing to check */
			prepare(&j, s, sink, &d, NULL, 64 << 10, &want);
			assert_int_equal(measure_once(&job_ctx, s, &j, &want, 1, 0, &smp, err, sizeof(err)), -1);
			if (!strstr(err, "do not match"))
				fail_msg("%s to %s: %s", s->name, sink_names[k], err);
			if (sink != SINK_FILE) { /* in a multi-pass sample, too */
				job_release(&j, s);
				prepare(&j, s, sink, &d, NULL, 64 << 10, &want);
				assert_int_equal(measure_once(&job_ctx, s, &j, &want, 4, 0, &smp, err, sizeof(err)), -1);
				assert_non_null(strstr(err, "do not match"));
			}
			job_release(&j, s);
		}
	}
	datafile_remove(&d);
}

static void checksum_ignores_how_the_stream_is_cut(void **state)
{
	(void)state;
	size_t n = 100003;
	unsigned char *buf = malloc(n);
	assert_non_null(buf);
	data_fill(SEED, 0, buf, n);
	uint64_t whole = checksum_of(buf, n);
	assert_int_equal(whole, data_checksum(SEED, n));
	srand(1);
	for (int trial = 0; trial < 50; trial++) {
		struct checksum c;
		checksum_init(&c);
		for (size_t off = 0; off < n;) {
			size_t take = (size_t)rand() % 300 + (trial % 3 == 0 ? 0 : 1);
			if (take > n - off)
				take = n - off;
			checksum_update(&c, buf + off, take);
			off += take;
		}
		assert_int_equal(checksum_final(&c), whole);
	}
	/* Swapping two 64-byte blocks, or adding a zero byte, changes it. */
	unsigned char tmp[64];
	memcpy(tmp, buf, 64);
	memcpy(buf, buf + 64, 64);
	memcpy(buf + 64, tmp, 64);
	assert_int_not_equal(checksum_of(buf, n), whole);
	unsigned char zeros[2] = { 0, 0 };
	assert_int_not_equal(checksum_of(zeros, 1), checksum_of(zeros, 2));
	free(buf);
}

static void data_files_are_reused_never_overwritten(void **state)
{
	(void)state;
	char here[PATH_MAX], err[PATH_MAX + 256], other[PATH_MAX + 64];
	struct datafile a, b;
	tmpdir_make(here, sizeof(here));

	/* Content is a function of (seed, offset): the middle of a file equals a fill at that offset. */
	unsigned char x[64], y[64];
	data_fill(SEED, 4096, x, 64);
	unsigned char *whole = malloc(8192);
	data_fill(SEED, 0, whole, 8192);
	memcpy(y, whole + 4096, 64);
	assert_memory_equal(x, y, 64);
	free(whole);

	assert_int_equal(datafile_make(&a, here, 5000, SEED, NULL, err, sizeof(err)), 0);
	assert_int_equal(datafile_make(&b, here, 5000, SEED, NULL, err, sizeof(err)), 0);
	assert_int_equal(b.created, 0); /* reused, so not ours to remove */
	assert_int_equal(b.checksum, a.checksum);
	datafile_remove(&b);
	assert_int_equal(access(a.path, F_OK), 0);
	datafile_remove(&a);
	assert_int_equal(access(a.path, F_OK), -1);

	/* A file of our name but another size is someone else's: refused, untouched. */
	snprintf(other, sizeof(other), "%s/iopaths-5000-%016llx.dat", here, (unsigned long long)SEED);
	FILE *f = fopen(other, "w");
	fputs("not ours", f);
	fclose(f);
	assert_int_equal(datafile_make(&a, here, 5000, SEED, NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not touching it"));
	char *text = slurp(other);
	assert_string_equal(text, "not ours");
	free(text);
	tmpdir_remove(here);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(checksum_ignores_how_the_stream_is_cut),
		cmocka_unit_test(data_files_are_reused_never_overwritten),
		cmocka_unit_test(every_pair_verifies_at_every_size),
		cmocka_unit_test(a_changed_byte_fails_verification),
		cmocka_unit_test(a_dead_receiver_is_an_error_not_a_hang),
		cmocka_unit_test(socket_sinks_have_no_nagle_and_a_send_bound),
		cmocka_unit_test(extra_bytes_on_a_socket_fail_verification),
	};
	return cmocka_run_group_tests(tests, work_and_ctx_open, work_and_ctx_close);
}
