/* Verification at the edges: the last bytes of a stream, a byte too many on
 * the first sample, fills of any length and offset, and how much of a file
 * is cached when only part of it is. */
#include "helpers.h"

#include "cache.h"
#include "checksum.h"
#include "datafile.h"
#include "measure.h"

#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SEED 0xed9e5ULL


/* Every byte of the last block and of the tail after it counts, whatever
 * the length and wherever the stream is cut. */
static void checksum_sees_every_byte_of_the_tail(void **state)
{
	(void)state;
	unsigned char buf[3 * CHECKSUM_BLOCK + 17];
	data_fill(SEED, 0, buf, sizeof(buf));
	for (size_t n = 1; n <= sizeof(buf); n++) {
		uint64_t whole = checksum_of(buf, n);
		size_t first = n > CHECKSUM_BLOCK + 8 ? n - CHECKSUM_BLOCK - 8 : 0;
		for (size_t i = first; i < n; i++) {
			struct checksum c;
			buf[i] ^= 0x10;
			uint64_t changed = checksum_of(buf, n);
			checksum_init(&c);
			checksum_update(&c, buf, i); /* cut just before the changed byte */
			checksum_update(&c, buf + i, n - i);
			uint64_t cut = checksum_final(&c);
			buf[i] ^= 0x10;
			if (changed == whole || cut == whole)
				fail_msg("a change at byte %zu of %zu leaves the checksum as it was", i, n);
		}
	}
}

/* data_fill(off, len) is the same bytes as a longer fill from off, cut at
 * len, and as the middle of a fill from an earlier offset; it writes no
 * byte past len. */
static void data_fill_of_any_length_and_offset_agrees(void **state)
{
	(void)state;
	static const uint64_t offsets[] = { 0, 8, 64, 4096, 1 << 20, (1ULL << 32) + 8 };
	unsigned char whole[256], part[256 + 8];
	for (size_t o = 0; o < sizeof(offsets) / sizeof(offsets[0]); o++) {
		data_fill(SEED, offsets[o], whole, sizeof(whole));
		for (size_t len = 0; len <= 200; len++) {
			memset(part, 0xee, sizeof(part));
			data_fill(SEED, offsets[o], part, len);
			if (len && memcmp(part, whole, len) != 0)
				fail_msg("a fill of %zu bytes at %llu is not the start of a longer one", len,
					 (unsigned long long)offsets[o]);
			for (size_t i = len; i < sizeof(part); i++)
				assert_int_equal(part[i], 0xee);
		}
		for (size_t k = 1; k < 16; k++) {
			data_fill(SEED, offsets[o] + 8 * k, part, 101);
			if (memcmp(part, whole + 8 * k, 101) != 0)
				fail_msg("a fill at %llu is not the middle of the fill at %llu",
					 (unsigned long long)(offsets[o] + 8 * k), (unsigned long long)offsets[o]);
		}
	}
	/* The reference checksum is that of the bytes, across its 1 MiB chunks. */
	static const size_t sizes[] = { 7, (1 << 20) - 3, 1 << 20, (1 << 20) + 13, (3 << 20) + 5 };
	for (size_t z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
		unsigned char *buf = malloc(sizes[z]);
		assert_non_null(buf);
		data_fill(SEED, 0, buf, sizes[z]);
		if (checksum_of(buf, sizes[z]) != data_checksum(SEED, sizes[z]))
			fail_msg("data_checksum of %zu bytes is not the checksum of data_fill's bytes", sizes[z]);
		free(buf);
	}
}

/* A data file holds exactly what data_fill says, and its checksum is the reference. */
static void a_data_file_holds_the_fill(void **state)
{
	(void)state;
	char err[PATH_MAX + 256];
	struct datafile d;
	const size_t size = (1 << 20) + 4093;
	assert_int_equal(datafile_make(&d, work, size, SEED, NULL, err, sizeof(err)), 0);
	assert_int_equal(d.checksum, data_checksum(SEED, size));
	char *text = malloc(size + 1), *want = malloc(size);
	assert_non_null(text);
	assert_non_null(want);
	int fd = open(d.path, O_RDONLY);
	assert_true(fd >= 0);
	size_t got = 0;
	for (ssize_t n; (n = read(fd, text + got, size + 1 - got)) > 0;)
		got += (size_t)n;
	close(fd);
	assert_int_equal(got, size);
	data_fill(SEED, 0, want, size);
	assert_memory_equal(text, want, size);
	free(text);
	free(want);
	datafile_remove(&d);
}

static void prepare(struct job *j, const struct strategy *s, enum sink sink, const struct datafile *d,
		    size_t block, struct expected *want)
{
	char err[PATH_MAX + 256];
	struct job_opts o = { .block = block, .dir = work,
			      .sender_cpu = -1 };
	if (job_prepare(j, s, sink, d, &o, want, err, sizeof(err)) != 0)
		fail_msg("%s to %s: %s", s->name, sink_names[__builtin_ctz(sink)], err);
}

/* The file and one byte more, in one call: they reach the peer together. */
static int send_a_byte_too_many(struct job *j)
{
	unsigned char *b = malloc(j->size + 1);
	if (!b)
		abort();
	data_fill(SEED, 0, b, j->size);
	b[j->size] = '!';
	int rc = write_all(j, b, j->size + 1);
	free(b);
	return rc;
}

static int consume_a_byte_too_many(struct job *j)
{
	unsigned char *b = malloc(j->size + 1);
	if (!b)
		abort();
	data_fill(SEED, 0, b, j->size);
	consume(j, b, j->size);
	consume(j, "!", 1);
	free(b);
	return 0;
}

static int consume_a_byte_too_few(struct job *j)
{
	unsigned char *b = malloc(j->size);
	if (!b)
		abort();
	data_fill(SEED, 0, b, j->size);
	consume(j, b, j->size - 1);
	free(b);
	return 0;
}

/* A byte too many fails the very sample that sent it, on every sink that
 * checks, in every consume mode; a byte too few likewise. */
static void a_byte_too_many_fails_the_first_sample(void **state)
{
	(void)state;
	const struct strategy extra_out = { .name = "one-too-many", .sinks = SINK_SOCKETS | SINK_FILE,
					    .move = send_a_byte_too_many };
	const struct strategy extra_in = { .name = "one-too-many", .sinks = SINK_PROCESS,
					   .cpu_copies = 1, .move = consume_a_byte_too_many };
	const struct strategy short_in = { .name = "one-too-few", .sinks = SINK_PROCESS,
					   .cpu_copies = 1, .move = consume_a_byte_too_few };
	char err[PATH_MAX + 256];
	/* 8192 is whole blocks: a file sink's read-back stops at the size, so only its size shows the byte */
	for (uint64_t size = 8192; size <= 8192 + 100; size += 100) {
		struct datafile d;
		assert_int_equal(datafile_make(&d, work, size, SEED, NULL, err, sizeof(err)), 0);
		for (int mode = CONSUME_CHECKSUM; mode <= CONSUME_NONE; mode++) {
			job_ctx.consume = (enum consume_mode)mode;
			for (enum sink sink = SINK_UNIX; sink <= SINK_FILE; sink <<= 1) {
				struct job j;
				struct expected want;
				struct sample smp;
				prepare(&j, &extra_out, sink, &d, 4096, &want);
				if (measure_once(&job_ctx, &extra_out, &j, &want, 1, 0, &smp, err, sizeof(err)) != -1)
					fail_msg("%s, consume %s: a byte too many passed the first sample",
						 sink_names[__builtin_ctz(sink)], consume_names[mode]);
				if (!strstr(err, "bytes"))
					fail_msg("%s: unclear error: %s", sink_names[__builtin_ctz(sink)], err);
				job_release(&j, &extra_out);
			}
			for (const struct strategy *const *s = (const struct strategy *const[]){ &extra_in, &short_in,
												   NULL }; *s; s++) {
				struct job j;
				struct expected want;
				struct sample smp;
				prepare(&j, *s, SINK_PROCESS, &d, 4096, &want);
				if (measure_once(&job_ctx, *s, &j, &want, 1, 0, &smp, err, sizeof(err)) != -1)
					fail_msg("%s in consume mode %s passed", (*s)->name, consume_names[mode]);
				char count[64];
				snprintf(count, sizeof(count), "delivered %llu bytes of a %llu-byte file",
					 (unsigned long long)(d.size + (*s == &extra_in ? 1 : -1)),
					 (unsigned long long)d.size);
				if (!strstr(err, count))
					fail_msg("%s: want \"%s\", got: %s", (*s)->name, count, err);
				job_release(&j, *s);
			}
		}
		job_ctx.consume = CONSUME_CHECKSUM;
		datafile_remove(&d);
	}
}

/* Empty the file's page cache; 0 when this filesystem cannot (tmpfs). */
static int evicted(int fd, uint64_t size)
{
	return cache_evict(fd, 0) == 0 && cache_resident_pct(fd, size) == 0;
}

static void cache_range(int fd, uint64_t from, uint64_t to)
{
	static char buf[1 << 16];
	/* No readahead past the range. */
	assert_int_equal(posix_fadvise(fd, 0, 0, POSIX_FADV_RANDOM), 0);
	for (uint64_t off = from; off < to;) {
		size_t want = to - off < sizeof(buf) ? (size_t)(to - off) : sizeof(buf);
		ssize_t n = pread(fd, buf, want, (off_t)off);
		assert_true(n > 0);
		off += (uint64_t)n;
	}
	assert_int_equal(posix_fadvise(fd, 0, 0, POSIX_FADV_NORMAL), 0);
}

/* resident_pct covers the whole file: half cached is about 50, wherever the
 * half is, also past the first 16 MiB (mincore's vector is read in chunks). */
static void resident_pct_covers_the_whole_file(void **state)
{
	(void)state;
	char err[PATH_MAX + 256];
	struct datafile d;
	const uint64_t size = 24 << 20;
	assert_int_equal(datafile_make(&d, work, size, SEED, NULL, err, sizeof(err)), 0);
	int fd = open(d.path, O_RDONLY);
	assert_true(fd >= 0);
	if (!evicted(fd, size)) {
		print_message("the page cache of %s cannot be emptied (tmpfs?): set IOPATHS_TEST_DATA to a disk\n",
			      work);
		close(fd);
		datafile_remove(&d);
		skip();
	}
	static const struct { uint64_t from, to; double pct; } parts[] = {
		{ 0, 12 << 20, 50 }, { 12 << 20, 24 << 20, 50 }, { 18 << 20, 24 << 20, 25 }, { 0, 6 << 20, 25 },
	};
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		assert_true(evicted(fd, size));
		cache_range(fd, parts[i].from, parts[i].to);
		double pct = cache_resident_pct(fd, size);
		if (!(fabs(pct - parts[i].pct) <= 3))
			fail_msg("[%llu, %llu) of %llu bytes cached: resident_pct %.1f, want %.0f",
				 (unsigned long long)parts[i].from, (unsigned long long)parts[i].to,
				 (unsigned long long)size, pct, parts[i].pct);
	}
	close(fd);

	/* And what a sample records, before its timed region. */
	const struct strategy *rd = strategy_find("read");
	for (size_t i = 0; i < 2; i++) {
		struct job j;
		struct expected want;
		struct sample smp;
		prepare(&j, rd, SINK_PROCESS, &d, 128 << 10, &want);
		assert_true(evicted(j.fd, size));
		cache_range(j.fd, parts[i].from, parts[i].to);
		assert_int_equal(measure_once(&job_ctx, rd, &j, &want, 1, 0, &smp, err, sizeof(err)), 0);
		if (!(fabs(smp.resident_pct - 50) <= 3))
			fail_msg("half the file cached, the sample says resident_pct %.1f", smp.resident_pct);
		job_release(&j, rd);
	}
	datafile_remove(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(checksum_sees_every_byte_of_the_tail),
		cmocka_unit_test(data_fill_of_any_length_and_offset_agrees),
		cmocka_unit_test(a_data_file_holds_the_fill),
		cmocka_unit_test(a_byte_too_many_fails_the_first_sample),
		cmocka_unit_test(resident_pct_covers_the_whole_file),
	};
	return cmocka_run_group_tests(tests, work_and_ctx_open, work_and_ctx_close);
}
