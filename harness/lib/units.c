#include "units.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int parse_size(const char *text, uint64_t *bytes)
{
	const char *p = text;
	uint64_t value = 0, scale = 1;

	if (!isdigit((unsigned char)*p))
		return -1;
	for (; isdigit((unsigned char)*p); p++)
		if (__builtin_mul_overflow(value, 10, &value) ||
		    __builtin_add_overflow(value, (uint64_t)(*p - '0'), &value))
			return -1;
	switch (toupper((unsigned char)*p)) {
	case '\0': break;
	case 'B': p++; break;
	case 'K': scale = 1ULL << 10; p++; break;
	case 'M': scale = 1ULL << 20; p++; break;
	case 'G': scale = 1ULL << 30; p++; break;
	default: return -1;
	}
	if (*p != '\0')
		return -1;
	if (__builtin_mul_overflow(value, scale, &value) || value > SIZE_MAX_BYTES)
		return -1;
	*bytes = value;
	return 0;
}

int parse_size_list(const char *text, uint64_t *out, size_t max, char *bad, size_t badlen)
{
	char *copy = strdup(text), *save = NULL;
	int n = 0;

	if (!copy)
		return -1;
	snprintf(bad, badlen, "%s", text);
	if (*text == '\0' || *text == ',' || text[strlen(text) - 1] == ',' || strstr(text, ",,")) {
		free(copy);
		return -1;
	}
	for (char *item = strtok_r(copy, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		if ((size_t)n == max || parse_size(item, &out[n]) != 0) {
			snprintf(bad, badlen, "%s", item);
			free(copy);
			return -1;
		}
		n++;
	}
	free(copy);
	return n;
}

/* bytes as a whole number of the largest of GiB, MiB, KiB that divides it,
 * with that unit's name from names[] (G, M, K order), or in bytes. */
static void size_in_units(uint64_t bytes, const char *const names[4], char *out, size_t outlen)
{
	for (int i = 0; i < 3; i++) {
		uint64_t unit = 1ULL << (10 * (3 - i));
		if (bytes >= unit && bytes % unit == 0) {
			snprintf(out, outlen, "%llu%s", (unsigned long long)(bytes / unit), names[i]);
			return;
		}
	}
	snprintf(out, outlen, "%llu%s", (unsigned long long)bytes, names[3]);
}

void format_size(uint64_t bytes, char *out, size_t outlen)
{
	size_in_units(bytes, (const char *const[]){ "G", "M", "K", "" }, out, outlen);
}

void format_size_words(uint64_t bytes, char *out, size_t outlen)
{
	size_in_units(bytes, (const char *const[]){ " GiB", " MiB", " KiB", " B" }, out, outlen);
}

void format_bytes(uint64_t bytes, char *out, size_t outlen)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	double v = (double)bytes;
	int u = 0;

	while (v >= 1024 && u < 6) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(out, outlen, "%llu B", (unsigned long long)bytes);
	else
		snprintf(out, outlen, "%.2f %s", v, unit[u]);
}

void format_duration(double seconds, char *out, size_t outlen)
{
	long s = seconds < 0 ? 0 : (long)(seconds + 0.5);
	if (s >= 3600)
		snprintf(out, outlen, "%ldh%02ldm", s / 3600, s % 3600 / 60);
	else if (s >= 60)
		snprintf(out, outlen, "%ldm%02lds", s / 60, s % 60);
	else
		snprintf(out, outlen, "%lds", s);
}
