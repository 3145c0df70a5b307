#include "cell.h"

#include "units.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct dim dims[NDIMS] = {
#define DIM(id, column, kind, names, nnames, dflt, sinks, label, planned) \
	[D_##id] = { column, kind, names, nnames, dflt, sinks, label, planned },
#include "dimensions.def"
#undef DIM
};

size_t option_count(const struct strategy *s)
{
	size_t n = 0;
	while (n < MAX_OPTIONS && s->options[n].name)
		n++;
	return n;
}

int option_index(const struct strategy *s, const char *name)
{
	for (size_t i = 0; i < option_count(s); i++)
		if (strcmp(s->options[i].name, name) == 0)
			return (int)i;
	return -1;
}

static size_t names_count(const char *const *names)
{
	size_t n = 0;
	while (names && names[n])
		n++;
	return n;
}

/* The number of `text` among names, or of its bytes when there are no names. */
static int value_parse(const char *const *names, size_t nnames, const char *text, uint64_t *v)
{
	if (!names)
		return parse_size(text, v);
	for (size_t i = 0; i < nnames; i++)
		if (strcmp(names[i], text) == 0) {
			*v = i;
			return 0;
		}
	return -1;
}

static void value_text(const char *const *names, size_t nnames, uint64_t v, char *out, size_t len)
{
	if (names && v < nnames)
		snprintf(out, len, "%s", names[v]);
	else
		snprintf(out, len, "%llu", (unsigned long long)v);
}

int option_parse(const struct strategy_option *o, const char *text, uint64_t *v)
{
	if (value_parse(o->values, names_count(o->values), text, v) != 0)
		return -1;
	return o->values || (*v >= o->min && *v <= o->max) ? 0 : -1;
}

void option_text(const struct strategy_option *o, uint64_t v, char *out, size_t len)
{
	value_text(o->values, names_count(o->values), v, out, len);
}

void option_takes(const struct strategy_option *o, char *out, size_t len)
{
	if (!o->values) {
		char lo[32], hi[32];
		format_size(o->min, lo, sizeof(lo));
		format_size(o->max, hi, sizeof(hi));
		snprintf(out, len, "a size from %s to %s", lo, hi);
		return;
	}
	snprintf(out, len, "one of ");
	for (size_t i = 0; o->values[i]; i++)
		snprintf(out + strlen(out), len - strlen(out), "%s%s", i ? ", " : "", o->values[i]);
}

int dim_parse(enum dim_id d, const char *text, uint64_t *v)
{
	static const char *const flag[] = { "0", "1" };
	const struct dim *m = &dims[d];
	if (m->kind == DIM_FLAG)
		return value_parse(flag, 2, text, v);
	return m->kind == DIM_STRATEGY ? -1 : value_parse(m->names, m->nnames, text, v);
}

void key_init(struct cell_key *k, const struct strategy *s, enum sink sink)
{
	memset(k, 0, sizeof(*k));
	for (int d = 0; d < NDIMS; d++)
		k->dim[d] = dims[d].dflt;
	for (size_t i = 0; i < strategy_count; i++)
		if (strategies[i] == s)
			k->dim[D_STRATEGY] = i;
	k->dim[D_SINK] = (uint64_t)__builtin_ctz(sink);
	for (size_t i = 0; i < option_count(s); i++)
		k->opt[i] = s->options[i].dflt;
}

void job_take_key(struct job *j, const struct strategy *s, const struct cell_key *k)
{
	j->strategy = s;
	for (size_t i = 0; i < option_count(s); i++)
		j->opt[i] = k ? k->opt[i] : s->options[i].dflt;
	j->fsync = k && (int)k->dim[D_FSYNC];
	j->pattern = k ? (enum pattern)k->dim[D_PATTERN] : PATTERN_SEQ;
	j->io_bytes = k ? k->dim[D_IO_BYTES] : 0;
	j->threads = k ? (unsigned)k->dim[D_THREADS] : 1;
}

const struct strategy *key_strategy(const struct cell_key *k)
{
	return strategies[k->dim[D_STRATEGY]];
}

enum sink key_sink(const struct cell_key *k)
{
	return (enum sink)(1u << k->dim[D_SINK]);
}

const char *key_name(const struct cell_key *k, enum dim_id d)
{
	return dims[d].names[k->dim[d]];
}

/* The option columns: each name once, in strategies.def order. */
static const char *option_columns[64];
static size_t noption_columns = (size_t)-1;

size_t key_columns(void)
{
	if (noption_columns == (size_t)-1) {
		noption_columns = 0;
		for (size_t i = 0; i < strategy_count; i++)
			for (size_t o = 0; o < option_count(strategies[i]); o++) {
				const char *name = strategies[i]->options[o].name;
				size_t c = 0;
				while (c < noption_columns && strcmp(option_columns[c], name) != 0)
					c++;
				if (c == noption_columns && c < sizeof(option_columns) / sizeof(option_columns[0]))
					option_columns[noption_columns++] = name;
			}
	}
	return NDIMS + noption_columns;
}

const char *key_column(size_t i)
{
	return i < NDIMS ? dims[i].column : option_columns[i - NDIMS];
}

int key_text(const struct cell_key *k, size_t i, char *out, size_t len)
{
	const struct strategy *s = key_strategy(k);
	*out = '\0';
	if (i >= NDIMS) {
		int o = option_index(s, key_column(i));
		if (o >= 0)
			option_text(&s->options[o], k->opt[o], out, len);
		return o >= 0;
	}
	const struct dim *m = &dims[i];
	if (!(m->sinks & key_sink(k)))
		return 0;
	if (m->kind == DIM_STRATEGY)
		snprintf(out, len, "%s", s->name);
	else
		value_text(m->names, m->nnames, k->dim[i], out, len);
	return 1;
}

void key_default_text(size_t i, const struct strategy *s, enum sink sink, char *out, size_t len)
{
	*out = '\0';
	if (i >= NDIMS) {
		int o = s ? option_index(s, key_column(i)) : -1;
		if (o >= 0)
			option_text(&s->options[o], s->options[o].dflt, out, len);
	} else if (dims[i].sinks & sink) {
		value_text(dims[i].names, dims[i].nnames, dims[i].dflt, out, len);
	}
}

int key_same(const struct cell_key *a, const struct cell_key *b, enum dim_id except)
{
	for (int d = 0; d < NDIMS; d++)
		if (d != (int)except && a->dim[d] != b->dim[d])
			return 0;
	return memcmp(a->opt, b->opt, sizeof(a->opt)) == 0;
}

/* One part of a label: "name=value", or a flag's bare name; "" when its rule hides it. */
static void label_part(char *parts, size_t len, enum label_rule rule, const char *name, const char *value,
		       int is_default, int is_flag)
{
	if (rule == LABEL_NEVER || (rule == LABEL_CHANGED && is_default))
		return;
	size_t used = strlen(parts);
	snprintf(parts + used, len - used, "%s%s%s%s", used ? "," : "", name, is_flag ? "" : "=",
		 is_flag ? "" : value);
}

void key_label(const struct cell_key *k, char *out, size_t len)
{
	const struct strategy *s = key_strategy(k);
	char parts[256] = "", value[64];
	for (size_t o = 0; o < option_count(s); o++) {
		option_text(&s->options[o], k->opt[o], value, sizeof(value));
		label_part(parts, sizeof(parts), s->options[o].label, s->options[o].name, value,
			   k->opt[o] == s->options[o].dflt, 0);
	}
	for (int d = 0; d < NDIMS; d++)
		if (key_text(k, (size_t)d, value, sizeof(value)))
			label_part(parts, sizeof(parts), dims[d].label, dims[d].column, value,
				   k->dim[d] == dims[d].dflt, dims[d].kind == DIM_FLAG);
	snprintf(out, len, parts[0] ? "%s[%s]" : "%s", s->name, parts);
}
