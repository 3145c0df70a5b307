#include "strmap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint64_t strmap_hash(const char *s, size_t len)
{
	uint64_t h = 14695981039346656037ULL;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/* The slot holding key, or the empty one where it would go.  The key's
 * length is stored before its bytes so that keys may hold NUL. */
static struct strmap_slot *slot_of(const struct strmap *m, const char *key, size_t len)
{
	size_t mask = m->cap - 1, i = (size_t)strmap_hash(key, len) & mask;
	for (;; i = (i + 1) & mask) {
		struct strmap_slot *s = &m->slot[i];
		if (!s->key)
			return s;
		size_t have;
		memcpy(&have, s->key, sizeof(have));
		if (have == len && memcmp(s->key + sizeof(have), key, len) == 0)
			return s;
	}
}

size_t strmap_find(const struct strmap *m, const char *key, size_t len)
{
	if (m->n == 0)
		return STRMAP_NONE;
	const struct strmap_slot *s = slot_of(m, key, len);
	return s->key ? s->value : STRMAP_NONE;
}

static void grow(struct strmap *m)
{
	struct strmap old = *m;
	m->cap = old.cap ? 2 * old.cap : 64;
	if (!(m->slot = calloc(m->cap, sizeof(*m->slot))))
		abort();
	for (size_t i = 0; i < old.cap; i++)
		if (old.slot[i].key) {
			size_t len;
			memcpy(&len, old.slot[i].key, sizeof(len));
			*slot_of(m, old.slot[i].key + sizeof(len), len) = old.slot[i];
		}
	free(old.slot);
}

void strmap_add(struct strmap *m, const char *key, size_t len, size_t value)
{
	if (2 * (m->n + 1) > m->cap)
		grow(m);
	char *copy = malloc(sizeof(len) + len);
	if (!copy)
		abort();
	memcpy(copy, &len, sizeof(len));
	if (len)
		memcpy(copy + sizeof(len), key, len);
	size_t i = (size_t)(slot_of(m, key, len) - m->slot);
	m->slot[i].key = copy;
	m->slot[i].value = value;
	m->n++;
}

void strmap_free(struct strmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->slot[i].key);
	free(m->slot);
	memset(m, 0, sizeof(*m));
}

size_t strmap_join(char **buf, size_t *cap, const char *const *parts, size_t nparts)
{
	size_t need = 1;
	for (size_t k = 0; k < nparts; k++)
		need += strlen(parts[k]) + 24;
	if (need > *cap) {
		char *grown = realloc(*buf, need);
		if (!grown)
			abort();
		*buf = grown;
		*cap = need;
	}
	size_t n = 0;
	for (size_t k = 0; k < nparts; k++) {
		size_t len = strlen(parts[k]);
		n += (size_t)snprintf(*buf + n, *cap - n, "%zu:", len);
		memcpy(*buf + n, parts[k], len);
		n += len;
	}
	(*buf)[n] = '\0';
	return n;
}
