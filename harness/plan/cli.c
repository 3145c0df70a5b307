#include "cli.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void usage_error(const char *fmt, ...)
{
	va_list ap;
	fputs("iopaths: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (see --help)\n", stderr);
	exit(EXIT_USAGE);
}

size_t split_list(const char *opt, const char *text, char **copy, char **items, size_t max)
{
	size_t n = 0;
	if (!*text || text[0] == ',' || text[strlen(text) - 1] == ',' || strstr(text, ",,"))
		usage_error("%s: empty item in '%s'", opt, text);
	*copy = strdup(text);
	if (!*copy)
		abort();
	char *save = NULL;
	for (char *item = strtok_r(*copy, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		for (size_t i = 0; i < n; i++)
			if (strcmp(items[i], item) == 0)
				usage_error("%s: '%s' named twice", opt, item);
		if (n == max)
			usage_error("%s: more than %zu items", opt, max);
		items[n++] = item;
	}
	return n;
}

int name_index(const char *opt, const char *what, const char *text, const char *const *names, int n)
{
	int k = 0;
	while (k < n && strcmp(names[k], text) != 0)
		k++;
	if (k == n)
		usage_error("%s: '%s' is not %s", opt, text, what);
	return k;
}

unsigned name_mask(const char *opt, const char *what, const char *text, const char *const *names, int n)
{
	char *copy, *items[32];
	size_t count = split_list(opt, text, &copy, items, 32);
	unsigned mask = 0;
	for (size_t i = 0; i < count; i++)
		mask |= 1u << name_index(opt, what, items[i], names, n);
	free(copy);
	return mask;
}

uint64_t parse_number(const char *opt, const char *text, uint64_t min, uint64_t max, int hex_ok)
{
	const char *p = text;
	unsigned base = 10;
	uint64_t v = 0;
	if (hex_ok && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	int ok = *p != '\0';
	for (; ok && *p; p++) {
		unsigned d = isdigit((unsigned char)*p) ? (unsigned)(*p - '0')
			   : base == 16 && isxdigit((unsigned char)*p) ? (unsigned)(tolower((unsigned char)*p) - 'a' + 10)
			   : base;
		ok = d < base && !__builtin_mul_overflow(v, base, &v) && !__builtin_add_overflow(v, d, &v);
	}
	if (!ok || v < min || v > max)
		usage_error("%s: '%s' is not a whole number from %llu to %llu", opt, text, (unsigned long long)min,
			    (unsigned long long)max);
	return v;
}
