#include "plan.h"

#include <stdio.h>
#include <string.h>

const char *const op_choice_names[3] = { "read", "write", "both" };
const char *const fsync_choice_names[3] = { "off", "on", "both" };

static int planned_dim(const char *name)
{
	for (int d = 0; d < NDIMS; d++)
		if (dims[d].planned && strcmp(dims[d].column, name) == 0)
			return d;
	return -1;
}

/* Checks one value for option `name` of s (or the planned dimension): 0, or -1 with a message. */
static int check_value(const struct strategy *s, const char *flag, const char *name, const char *value,
		       char *err, size_t errlen)
{
	uint64_t v;
	char takes[160];
	int d = planned_dim(name);
	if (d >= 0) {
		if (dim_parse((enum dim_id)d, value, &v) == 0 && (d != D_THREADS || (v >= 1 && v <= MAX_THREADS)))
			return 0;
		snprintf(err, errlen, "%s: '%s' is not a value of %s", flag, value, name);
		return -1;
	}
	const struct strategy_option *o = &s->options[option_index(s, name)];
	if (option_parse(o, value, &v) == 0)
		return 0;
	option_takes(o, takes, sizeof(takes));
	snprintf(err, errlen, "%s: '%s' is not %s", flag, value, takes);
	return -1;
}

int plan_variant(struct choice *ch, const char *flag, const struct strategy *only, const char *name,
		 char *const *values, size_t n, char *err, size_t errlen)
{
	int declared = planned_dim(name) >= 0 && !only;
	for (size_t i = 0; i < strategy_count && !declared; i++) {
		const struct strategy *s = strategies[i];
		int o = option_index(s, name);
		if (o < 0 || (only && s != only))
			continue;
		if (s->options[o].label == LABEL_NEVER && n != 1) {
			snprintf(err, errlen, "%s: %s takes one value per run", flag, name);
			return -1;
		}
		for (size_t v = 0; v < n; v++)
			if (check_value(s, flag, name, values[v], err, errlen) != 0)
				return -1;
		declared = 1;
	}
	for (size_t v = 0; v < n && declared && planned_dim(name) >= 0; v++)
		if (check_value(NULL, flag, name, values[v], err, errlen) != 0)
			return -1;
	if (!declared) {
		if (only)
			snprintf(err, errlen, "%s: %s has no option '%s' (`iopaths list` shows options)", flag,
				 only->name, name);
		else
			snprintf(err, errlen, "%s: no strategy has an option '%s' (`iopaths list` shows options)",
				 flag, name);
		return -1;
	}
	if (ch->nvariants == MAX_VARIANT_CHOICES || n > MAX_VARIANT_VALUES || strlen(name) >= 32) {
		snprintf(err, errlen, "%s: more than %d variants or %d values", flag, MAX_VARIANT_CHOICES,
			 MAX_VARIANT_VALUES);
		return -1;
	}
	struct variant_choice *c = &ch->variants[ch->nvariants++];
	c->only = only;
	snprintf(c->name, sizeof(c->name), "%s", name);
	for (c->n = 0; c->n < n; c->n++)
		if (snprintf(c->values[c->n], sizeof(c->values[0]), "%s", values[c->n]) >= (int)sizeof(c->values[0])) {
			snprintf(err, errlen, "%s: '%s' is too long", flag, values[c->n]);
			ch->nvariants--;
			return -1;
		}
	return 0;
}

/* The last choice for option `name` of s (s NULL: for the dimension); NULL: none. */
static const struct variant_choice *chosen(const struct choice *ch, const struct strategy *s, const char *name)
{
	const struct variant_choice *found = NULL;
	for (size_t i = 0; i < ch->nvariants; i++)
		if (strcmp(ch->variants[i].name, name) == 0 && (!ch->variants[i].only || ch->variants[i].only == s))
			found = &ch->variants[i];
	return found;
}

void plan_variant_text(const struct choice *ch, const char *name, char *out, size_t len)
{
	const struct strategy *s = NULL;
	for (size_t i = 0; i < strategy_count && !s; i++)
		if (option_index(strategies[i], name) >= 0)
			s = strategies[i];
	*out = '\0';
	int d = planned_dim(name);
	if (!s && d >= 0) { /* a planned dimension: the values as named, or its default */
		const struct variant_choice *c = chosen(ch, NULL, name);
		struct cell_key k;
		key_init(&k, strategies[0], SINK_PROCESS);
		if (!c)
			key_text(&k, (size_t)d, out, len);
		for (size_t i = 0; c && i < c->n; i++)
			snprintf(out + strlen(out), len - strlen(out), "%s%s", i ? "," : "", c->values[i]);
		return;
	}
	if (!s)
		return;
	const struct strategy_option *o = &s->options[option_index(s, name)];
	const struct variant_choice *c = chosen(ch, NULL, name);
	char text[32];
	uint64_t v = o->dflt;
	for (size_t i = 0; i == 0 || (c && i < c->n); i++) {
		if (c && option_parse(o, c->values[i], &v) != 0)
			v = o->dflt;
		option_text(o, v, text, sizeof(text));
		snprintf(out + strlen(out), len - strlen(out), "%s%s", i ? "," : "", text);
	}
}

/* One thing a pair varies in, and the values it takes. */
struct axis {
	uint64_t *slot; /* in the key */
	uint64_t v[MAX_VARIANT_VALUES];
	size_t n;
};

/* The values chosen, or the default; named values in the order they are declared. */
static void axis_values(struct axis *a, const struct variant_choice *c, uint64_t dflt, int named,
			int (*parse)(const void *what, const char *text, uint64_t *v), const void *what)
{
	a->n = 0;
	if (!c)
		a->v[a->n++] = dflt;
	for (size_t i = 0; c && i < c->n; i++) {
		uint64_t v;
		parse(what, c->values[i], &v); /* checked by plan_variant */
		size_t at = a->n;
		while (named && at > 0 && a->v[at - 1] > v) {
			a->v[at] = a->v[at - 1];
			at--;
		}
		a->v[at] = v;
		a->n++;
	}
}

static int parse_option(const void *o, const char *text, uint64_t *v)
{
	return option_parse(o, text, v);
}

static int parse_dim(const void *d, const char *text, uint64_t *v)
{
	return dim_parse((enum dim_id)((const struct dim *)d - dims), text, v);
}

/* --fsync on the file sink: both ways only for writes whose own options do
 * not decide when their bytes reach the disk (msync). */
static void fsync_values(struct axis *a, const struct choice *ch, const struct strategy *s, enum sink sink)
{
	int persists = 0;
	for (size_t o = 0; o < option_count(s); o++)
		persists |= s->options[o].persists;
	a->n = 1;
	a->v[0] = sink == SINK_FILE && ch->fsync == FSYNC_ON;
	if (sink == SINK_FILE && ch->fsync == FSYNC_BOTH && s->op == OP_WRITE && !persists)
		a->v[a->n++] = 1;
}

/* Why a cell cannot run as its key says; NULL: it can. */
static const char *refusal(const struct cell_key *k)
{
	const struct strategy *s = key_strategy(k);
	enum sink sink = key_sink(k);
	if (k->dim[D_PATTERN] == PATTERN_RANDOM && (sink & SINK_SOCKETS))
		return "--pattern random: a socket carries one stream, which its receiver checks in file order; "
		       "random order needs the process, file or null sink";
	if (k->dim[D_THREADS] > 1 && sink != SINK_PROCESS)
		return "--threads above 1: threads share a pass only into the process sink (a consumer each); "
		       "a file sink or a socket is one position or one stream";
	if (k->dim[D_THREADS] > 1 && s->unthreaded)
		return s->unthreaded;
	return NULL;
}

/* A pair for every combination of the axes' values, the last axis fastest.
 * A combination that cannot run (refusal) is refused when it is what the
 * command line named alone, and otherwise skipped and listed. */
static int add_variants(struct run_config *cfg, struct choice *ch, const struct strategy *s, enum sink sink,
			int alone, char *err, size_t errlen)
{
	struct cell_key key;
	struct axis axes[MAX_OPTIONS + NDIMS];
	size_t naxes = 0, at[MAX_OPTIONS + NDIMS] = { 0 };
	key_init(&key, s, sink);
	for (size_t o = 0; o < option_count(s); o++) {
		axes[naxes].slot = &key.opt[o];
		axis_values(&axes[naxes++], chosen(ch, s, s->options[o].name), s->options[o].dflt,
			    s->options[o].values != NULL, parse_option, &s->options[o]);
	}
	for (int d = 0; d < NDIMS; d++)
		if (dims[d].planned) {
			axes[naxes].slot = &key.dim[d];
			axis_values(&axes[naxes++], chosen(ch, NULL, dims[d].column), dims[d].dflt,
				    dims[d].kind != DIM_BYTES, parse_dim, &dims[d]);
		}
	axes[naxes].slot = &key.dim[D_FSYNC];
	fsync_values(&axes[naxes++], ch, s, sink);
	for (;;) {
		for (size_t a = 0; a < naxes; a++)
			*axes[a].slot = axes[a].v[at[a]];
		const char *why = refusal(&key);
		if (why && alone) {
			snprintf(err, errlen, "%s: %s", s->name, why);
			return -1;
		} else if (why) {
			char label[64];
			size_t len = strlen(ch->skipped);
			key_label(&key, label, sizeof(label));
			snprintf(ch->skipped + len, sizeof(ch->skipped) - len, "%s%s>%s", len ? ", " : "", label,
				 sink_names[__builtin_ctz(sink)]);
			snprintf(ch->refused, sizeof(ch->refused), "%s: %s", s->name, why);
		} else if (cfg->npairs == MAX_PAIRS) {
			snprintf(err, errlen, "more than %d strategy, sink and variant combinations", MAX_PAIRS);
			return -1;
		} else {
			cfg->pairs[cfg->npairs++] = key;
		}
		size_t a = naxes;
		while (a > 0 && ++at[a - 1] == axes[a - 1].n)
			at[--a] = 0;
		if (a == 0)
			return 0;
	}
}

/* A pair that cannot run is refused when it is the only one named, and
 * otherwise skipped and listed, so a sweep over several strategies and
 * sinks just works. */
int plan_pairs(struct run_config *cfg, struct choice *ch, char *err, size_t errlen)
{
	if (ch->nstrategies == 0) {
		enum op_choice op = ch->op == OPS_UNNAMED ? OPS_READ : ch->op;
		for (size_t i = 0; i < strategy_count && i < MAX_ITEMS; i++)
			if ((op == OPS_BOTH || (int)strategies[i]->op == (int)op) && !strategies[i]->named_only)
				ch->strategies[ch->nstrategies++] = strategies[i];
	} else if (ch->op == OPS_READ || ch->op == OPS_WRITE) {
		for (size_t i = 0; i < ch->nstrategies; i++)
			if ((int)ch->strategies[i]->op != (int)ch->op) {
				snprintf(err, errlen, "--op %s: %s is a %s strategy", op_choice_names[ch->op],
					 ch->strategies[i]->name, op_names[ch->strategies[i]->op]);
				return -1;
			}
	}
	for (size_t i = 0; i < ch->nstrategies; i++) {
		const struct strategy *s = ch->strategies[i];
		unsigned want = ch->sinks ? ch->sinks : s->sinks;
		for (int k = 0; k < NSINKS; k++) {
			if (!(want & (1u << k)))
				continue;
			if (s->sinks & (1u << k)) {
				int alone = ch->nstrategies == 1 &&
					    (__builtin_popcount(ch->sinks) == 1 || __builtin_popcount(s->sinks) == 1);
				if (add_variants(cfg, ch, s, (enum sink)(1u << k), alone, err, errlen) != 0)
					return -1;
				continue;
			}
			if (ch->nstrategies == 1 && __builtin_popcount(ch->sinks) == 1) {
				snprintf(err, errlen, "%s cannot deliver to the %s sink (`iopaths list` shows which can)",
					 s->name, sink_names[k]);
				return -1;
			}
			size_t len = strlen(ch->skipped);
			snprintf(ch->skipped + len, sizeof(ch->skipped) - len, "%s%s>%s", len ? ", " : "", s->name,
				 sink_names[k]);
		}
	}
	if (cfg->npairs == 0 && ch->refused[0]) {
		snprintf(err, errlen, "%s", ch->refused);
		return -1;
	}
	if (cfg->npairs == 0) {
		snprintf(err, errlen, "no strategy named can deliver to a sink named (`iopaths list` shows which can)");
		return -1;
	}
	for (size_t i = 0; i < cfg->npairs; i++)
		if (cfg->consume == CONSUME_NONE && key_strategy(&cfg->pairs[i])->cpu_copies == 0) {
			snprintf(err, errlen, "--consume none: %s never copies the bytes, so nothing would touch them "
				 "and the run would measure nothing; use touch", key_strategy(&cfg->pairs[i])->name);
			return -1;
		}
	return 0;
}
