/* Sizes on the command line and in tables: binary suffixes, 1K = 1024. */
#ifndef IOPATHS_UNITS_H
#define IOPATHS_UNITS_H

#include <stddef.h>
#include <stdint.h>

#define SIZE_MAX_BYTES ((uint64_t)INT64_MAX) /* what off_t can address */

/* "4097", "4K", "64k", "1M", "3G", "12B".  0 on success; -1 on junk or overflow. */
int parse_size(const char *text, uint64_t *bytes);

/* A size list "4K,64K,1M": fills out[] (up to max), returns the count or -1,
 * with the offending item copied to bad[badlen]. */
int parse_size_list(const char *text, uint64_t *out, size_t max, char *bad, size_t badlen);

/* Exact short form for tables: "4K", "1M", "4097". */
void format_size(uint64_t bytes, char *out, size_t outlen);
/* The same size in words for sentences: "64 KiB", "1 MiB", "4097 B". */
void format_size_words(uint64_t bytes, char *out, size_t outlen);

/* Human form for messages: "1.00 GiB", "512 B". */
void format_bytes(uint64_t bytes, char *out, size_t outlen);

/* "1h02m", "3m05s", "42s". */
void format_duration(double seconds, char *out, size_t outlen);

#endif
