/* Size parsing and formatting: suffixes, overflow, junk. */
#include "helpers.h"

#include "units.h"

#include <string.h>

static void parses_plain_and_suffixed_sizes(void **state)
{
	(void)state;
	static const struct { const char *text; uint64_t bytes; } ok[] = {
		{ "0", 0 }, { "1", 1 }, { "4097", 4097 }, { "12B", 12 }, { "12b", 12 },
		{ "4K", 4096 }, { "4k", 4096 }, { "1M", 1048576 }, { "64m", 67108864 },
		{ "3G", 3221225472ULL }, { "0K", 0 },
		{ "9223372036854775807", 9223372036854775807ULL }, /* INT64_MAX: off_t's limit */
		{ "8589934591G", 8589934591ULL << 30 },
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		uint64_t v = 12345;
		assert_int_equal(parse_size(ok[i].text, &v), 0);
		assert_int_equal(v, ok[i].bytes);
	}
}

static void rejects_junk_and_overflow(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", "K", "-1", "+4", " 4K", "4K ", "1.5M", "4KB", "4KiB", "0x10", "4T", "1e6", "abc", "4,",
		"9223372036854775808",   /* INT64_MAX + 1 */
		"18446744073709551616",  /* 2^64: wraps a naive parser */
		"8589934592G",           /* 2^63 exactly */
		"99999999999999999999999G",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint64_t v = 7;
		if (parse_size(bad[i], &v) != -1)
			fail_msg("accepted '%s'", bad[i]);
		assert_int_equal(v, 7); /* untouched on failure */
	}
}

static void parses_lists_and_names_the_bad_item(void **state)
{
	(void)state;
	uint64_t v[8];
	char bad[64];
	assert_int_equal(parse_size_list("0,1,4097,1M,64M", v, 8, bad, sizeof(bad)), 5);
	assert_int_equal(v[3], 1 << 20);
	assert_int_equal(v[4], 64 << 20);
	assert_int_equal(parse_size_list("4K,12Q,1M", v, 8, bad, sizeof(bad)), -1);
	assert_string_equal(bad, "12Q");
	assert_int_equal(parse_size_list("4K,,1M", v, 8, bad, sizeof(bad)), -1);
	assert_int_equal(parse_size_list(",4K", v, 8, bad, sizeof(bad)), -1);
	assert_int_equal(parse_size_list("4K,", v, 8, bad, sizeof(bad)), -1);
	assert_int_equal(parse_size_list("", v, 8, bad, sizeof(bad)), -1);
	assert_int_equal(parse_size_list("1,2,3", v, 2, bad, sizeof(bad)), -1); /* too many */
}

static void formats_sizes_durations_and_bytes(void **state)
{
	(void)state;
	char s[32];
	format_size(0, s, sizeof(s));           assert_string_equal(s, "0");
	format_size(4096, s, sizeof(s));        assert_string_equal(s, "4K");
	format_size(4097, s, sizeof(s));        assert_string_equal(s, "4097");
	format_size(1 << 20, s, sizeof(s));     assert_string_equal(s, "1M");
	format_size(3ULL << 30, s, sizeof(s));  assert_string_equal(s, "3G");
	format_size(1536, s, sizeof(s));        assert_string_equal(s, "1536");
	format_size_words(0, s, sizeof(s));     assert_string_equal(s, "0 B");
	format_size_words(65536, s, sizeof(s)); assert_string_equal(s, "64 KiB");
	format_size_words(4097, s, sizeof(s));  assert_string_equal(s, "4097 B");
	format_size_words(1 << 20, s, sizeof(s)); assert_string_equal(s, "1 MiB");
	format_size_words(3ULL << 30, s, sizeof(s)); assert_string_equal(s, "3 GiB");
	format_bytes(512, s, sizeof(s));        assert_string_equal(s, "512 B");
	format_bytes(1536, s, sizeof(s));       assert_string_equal(s, "1.50 KiB");
	format_bytes(1ULL << 30, s, sizeof(s)); assert_string_equal(s, "1.00 GiB");
	format_duration(42, s, sizeof(s));      assert_string_equal(s, "42s");
	format_duration(185, s, sizeof(s));     assert_string_equal(s, "3m05s");
	format_duration(3720, s, sizeof(s));    assert_string_equal(s, "1h02m");
	format_duration(-3, s, sizeof(s));      assert_string_equal(s, "0s");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_plain_and_suffixed_sizes),
		cmocka_unit_test(rejects_junk_and_overflow),
		cmocka_unit_test(parses_lists_and_names_the_bad_item),
		cmocka_unit_test(formats_sizes_durations_and_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
