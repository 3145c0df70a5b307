/* Strings to indexes, by hashing: a reader that meets rows of many distinct
 * keys (a stranger's file may hold a million labels) finds each row's key in
 * constant time, not by a scan of every key before it.  Open addressing,
 * FNV-1a, the table kept at most half full.  The keys are copied. */
#ifndef IOPATHS_STRMAP_H
#define IOPATHS_STRMAP_H

#include <stddef.h>
#include <stdint.h>

#define STRMAP_NONE SIZE_MAX

struct strmap {
	struct strmap_slot {
		char *key; /* NULL: empty */
		size_t value;
	} *slot;
	size_t cap, n; /* cap: 0 or a power of 2 */
};

uint64_t strmap_hash(const char *s, size_t len);
/* value of key (len bytes, any bytes), or STRMAP_NONE */
size_t strmap_find(const struct strmap *m, const char *key, size_t len);
/* key -> value, key not yet in m; aborts when out of memory */
void strmap_add(struct strmap *m, const char *key, size_t len, size_t value);
void strmap_free(struct strmap *m);

/* A key of several strings, unambiguous whatever bytes they hold (each one
 * as its length, ':', its bytes), grown in *buf (malloc'd, freed by the
 * caller); its length. */
size_t strmap_join(char **buf, size_t *cap, const char *const *parts, size_t nparts);

#endif
