/* Every strategy delivers exactly the file's bytes, at awkward sizes and
 * block sizes; and a file that does not match is caught. */
#include "helpers.h"

#include "checksum.h"
#include "datafile.h"
#include "measure.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SEED 0x5eedULL

static const uint64_t sizes[] = { 0, 1, 4095, 4096, 4097, (1 << 20) + 13, 64 << 20 };

static struct measure_ctx ctx;

/* Runs strategy s on file d as one sample of 1 pass, then one of 3 passes
 * (the same job, as the sweep reuses it), in every consume mode that applies. */
static void verify_strategy(const struct strategy *s, const struct datafile *d, size_t block)
{
	struct job j;
	struct sample smp;
	char err[PATH_MAX + 256];

	if (job_prepare(&j, s, d, block, err, sizeof(err)) != 0)
		fail_msg("%s: %s", s->name, err);
	for (int mode = CONSUME_CHECKSUM; mode <= CONSUME_NONE; mode++) {
		if (mode == CONSUME_NONE && s->cpu_copies == 0)
			continue; /* refused by the CLI: nothing would touch the bytes */
		ctx.consume = (enum consume_mode)mode;
		for (unsigned iters = 1; iters <= 3; iters += 2) {
			if (measure_once(&ctx, s, &j, d->checksum, iters, 0, &smp, err, sizeof(err)) != 0)
				fail_msg("%s at %llu bytes, block %zu, %s, %u passes: %s", s->name,
					 (unsigned long long)d->size, block, consume_names[mode], iters, err);
			assert_int_equal(smp.verified, mode == CONSUME_CHECKSUM);
			assert_int_equal(j.consumer.passes_ok, iters);
			assert_int_equal(smp.iters, iters);
			assert_true(smp.c[C_WALL_NS] >= 0);
		}
	}
	ctx.consume = CONSUME_CHECKSUM;
	job_release(&j, s);
}

static void every_strategy_verifies_at_every_size(void **state)
{
	(void)state;
	char dir[PATH_MAX], err[PATH_MAX + 256];
	tmpdir_make(dir, sizeof(dir));
	for (size_t z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
		struct datafile d;
		if (datafile_make(&d, dir, sizes[z], SEED, NULL, err, sizeof(err)) != 0)
			fail_msg("%s", err);
		assert_int_equal(d.created, 1);
		for (size_t i = 0; i < strategy_count; i++) {
			verify_strategy(strategies[i], &d, 128 << 10);
			if (sizes[z] <= (1 << 20) + 13)
				verify_strategy(strategies[i], &d, 4097); /* blocks that straddle pages */
		}
		datafile_remove(&d);
		assert_int_equal(dir_entries(dir), 0);
	}
	tmpdir_remove(dir);
}

static void a_changed_byte_fails_verification(void **state)
{
	(void)state;
	char dir[PATH_MAX], err[PATH_MAX + 256];
	struct datafile d;
	struct sample smp;
	tmpdir_make(dir, sizeof(dir));
	assert_int_equal(datafile_make(&d, dir, (1 << 20) + 13, SEED, NULL, err, sizeof(err)), 0);
	int fd = open(d.path, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, "\x42", 1, 777777), 1);
	close(fd);
	for (size_t i = 0; i < strategy_count; i++) {
		struct job j;
		assert_int_equal(job_prepare(&j, strategies[i], &d, 64 << 10, err, sizeof(err)), 0);
		assert_int_equal(measure_once(&ctx, strategies[i], &j, d.checksum, 1, 0, &smp, err, sizeof(err)), -1);
		assert_non_null(strstr(err, "do not match"));
		/* In a multi-pass sample, too. */
		assert_int_equal(measure_once(&ctx, strategies[i], &j, d.checksum, 4, 0, &smp, err, sizeof(err)), -1);
		assert_non_null(strstr(err, "do not match"));
		job_release(&j, strategies[i]);
	}
	datafile_remove(&d);
	tmpdir_remove(dir);
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
	char dir[PATH_MAX], err[PATH_MAX + 256], other[PATH_MAX + 64];
	struct datafile a, b;
	tmpdir_make(dir, sizeof(dir));

	/* Content is a function of (seed, offset): the middle of a file equals a fill at that offset. */
	unsigned char x[64], y[64];
	data_fill(SEED, 4096, x, 64);
	unsigned char *whole = malloc(8192);
	data_fill(SEED, 0, whole, 8192);
	memcpy(y, whole + 4096, 64);
	assert_memory_equal(x, y, 64);
	free(whole);

	assert_int_equal(datafile_make(&a, dir, 5000, SEED, NULL, err, sizeof(err)), 0);
	assert_int_equal(datafile_make(&b, dir, 5000, SEED, NULL, err, sizeof(err)), 0);
	assert_int_equal(b.created, 0); /* reused, so not ours to remove */
	assert_int_equal(b.checksum, a.checksum);
	datafile_remove(&b);
	assert_int_equal(access(a.path, F_OK), 0);
	datafile_remove(&a);
	assert_int_equal(access(a.path, F_OK), -1);

	/* A file of our name but another size is someone else's: refused, untouched. */
	snprintf(other, sizeof(other), "%s/iopaths-5000-%016llx.dat", dir, (unsigned long long)SEED);
	FILE *f = fopen(other, "w");
	fputs("not ours", f);
	fclose(f);
	assert_int_equal(datafile_make(&a, dir, 5000, SEED, NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not touching it"));
	char *text = slurp(other);
	assert_string_equal(text, "not ours");
	free(text);
	tmpdir_remove(dir);
}

static int open_ctx(void **state)
{
	(void)state;
	measure_ctx_open(&ctx, CONSUME_CHECKSUM);
	return 0;
}

static int close_ctx(void **state)
{
	(void)state;
	measure_ctx_close(&ctx);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(checksum_ignores_how_the_stream_is_cut),
		cmocka_unit_test(data_files_are_reused_never_overwritten),
		cmocka_unit_test(every_strategy_verifies_at_every_size),
		cmocka_unit_test(a_changed_byte_fails_verification),
	};
	return cmocka_run_group_tests(tests, open_ctx, close_ctx);
}
