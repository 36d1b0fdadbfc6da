/* value: one key's value for the model compiler — read from the scenario or
 * else from the key table's default, parsed by its row's type within the
 * row's bounds and choices (keys.h, parse.h), and refused at the entry that
 * gave it ("x.ini:12: stage.primary.servers: ..."), or at the first entry of
 * its section when a required key is missing. */
#include "value.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "model.h"
#include "parse.h"
#include "ports.h"
#include "scenario.h"
#include "util.h"

const char *value_origin(const struct scenario *sc)
{
	return sc->path ? sc->path : "scenario";
}

/* "WHERE: section.key: problem", WHERE from the value's entry. */
int value_fail(const struct value_ctx *c, const struct value *v, const char *fmt, ...)
{
	char where[512], msg[UTIL_ERRLEN];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (v->e)
		scenario_where(v->e, where, sizeof where);
	else   /* a default from the key table: a bug, but say which */
		snprintf(where, sizeof where, "%s: default", value_origin(c->sc));
	if (c->fault)
		*c->fault = (struct scenario_fault){ v->e, strlen(where) + 2 };
	return util_err(c->err, c->errlen, EX_DATAERR, "%s: %s.%s: %s", where, v->section, v->key,
	                msg);
}

/* Fills v with section.key's value or default; a required key that is
 * missing is reported at the first entry of its section. */
int value_get(struct value_ctx *c, const char *kind, const char *section,
              const char *key, struct value *v)
{
	const struct key_def *d = keys_find(kind, key);
	assert(d);
	v->section = section;
	v->key = key;
	v->e = scenario_get(c->sc, section, key);
	v->text = v->e ? v->e->value : d->def;
	if (v->e && strchr(v->text, '{')) {
		char msg[UTIL_ERRLEN];
		if (!c->resolved)   /* made when first needed: most scenarios have no ports */
			c->resolved = xmalloc(VALUE_RING * sizeof *c->resolved);
		char *buf = c->resolved[c->ring++ % VALUE_RING];
		if (ports_resolve(c->sc, section, v->text, buf, PORTS_VALUE_MAX, msg, sizeof msg) < 0)
			return value_fail(c, v, "%s", msg);
		v->text = buf;
		const char *p = v->text;
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			v->text = d->def;
	}
	if (v->text)
		return 0;
	const struct scenario_entry *first = scenario_section_first(c->sc, section);
	char where[512];
	if (first)
		scenario_where(first, where, sizeof where);
	else
		snprintf(where, sizeof where, "%s", value_origin(c->sc));
	if (c->fault)
		*c->fault = (struct scenario_fault){ first, strlen(where) + 2 };
	return util_err(c->err, c->errlen, EX_DATAERR, "%s: %s.%s: required key missing from [%s]",
	                where, section, key, section);
}

/* Fills v with the value of row id in section (NULL: the row's kind, for
 * [scenario]), or the row's default. */
int value_at(struct value_ctx *c, enum keys_id id, const char *section,
             struct value *v)
{
	const struct key_def *d = keys_row(id);
	return value_get(c, d->kind, section ? section : d->kind, d->name, v);
}

/* "expected a VALUES, got 'TEXT'", VALUES as `keys` prints the row's. */
int value_expected(const struct value_ctx *c, const struct value *v,
                   const struct key_def *d)
{
	char msg[UTIL_ERRLEN];
	parse_expected(d, v->text, 1, msg, sizeof msg);
	return value_fail(c, v, "%s", msg);
}

int value_number(struct value_ctx *c, enum keys_id id, const char *section,
                 double *out)
{
	struct value v;
	char msg[UTIL_ERRLEN];
	if (value_at(c, id, section, &v))
		return EX_DATAERR;
	int rc = parse_value(keys_row(id), v.text, out, msg, sizeof msg);
	if (rc == -2)
		return value_fail(c, &v, "%s", msg);
	if (rc < 0)
		return value_expected(c, &v, keys_row(id));
	return 0;
}

/* A whole number from 0 to 2^64 - 1, which no double holds exactly. */
int value_seed(struct value_ctx *c, enum keys_id id, const char *section, uint64_t *out)
{
	struct value v;
	if (value_at(c, id, section, &v))
		return EX_DATAERR;
	if (parse_seed(v.text, out) < 0)
		return value_expected(c, &v, keys_row(id));
	return 0;
}

/* One of the row's words, as its index (the model's enum follows the row). */
int value_choice(struct value_ctx *c, enum keys_id id, const char *section, int *out)
{
	const struct key_def *d = keys_row(id);
	struct value v;
	if (value_at(c, id, section, &v))
		return EX_DATAERR;
	int found = parse_choice(v.text, d->choices);
	if (found < 0)
		return value_expected(c, &v, d);
	*out = found;
	return 0;
}

/* A whole number, or the row's word for no limit (MODEL_UNLIMITED). */
int value_capacity(struct value_ctx *c, enum keys_id id, const char *section,
                   long *out)
{
	const struct key_def *d = keys_row(id);
	struct value v;
	double x;
	if (value_at(c, id, section, &v))
		return EX_DATAERR;
	if (parse_is_word(v.text, d->choices[0])) {
		*out = MODEL_UNLIMITED;
		return 0;
	}
	char msg[UTIL_ERRLEN];
	int rc = parse_value(d, v.text, &x, msg, sizeof msg);
	if (rc == -2)
		return value_fail(c, &v, "%s", msg);
	if (rc < 0)
		return value_expected(c, &v, d);
	*out = (long)x;
	return 0;
}

/* Row id's value in section, read by read into dst; a refusal is reported at
 * the value. */
int value_with(struct value_ctx *c, enum keys_id id, const char *section,
               value_reader read, void *dst)
{
	struct value v;
	char msg[UTIL_ERRLEN];
	if (value_at(c, id, section, &v))
		return EX_DATAERR;
	if (read(c->m, v.text, dst, msg, sizeof msg) < 0)
		return value_fail(c, &v, "%s", msg);
	return 0;
}

/* A name of letters, digits, '_' and '-'; "none" gives NULL where the row's
 * default is "none" (a group), and is refused elsewhere (a unit). */
int value_name(struct value_ctx *c, enum keys_id id, const char *section, char **out)
{
	const struct key_def *d = keys_row(id);
	int none_ok = strcmp(d->def, "none") == 0;
	struct value v;
	if (value_at(c, id, section, &v))
		return EX_DATAERR;
	char *t = parse_trim(v.text);
	int none = strcmp(t, "none") == 0;
	if (none && none_ok) {
		free(t);
		*out = NULL;
		return 0;
	}
	if (none || !scenario_name_valid(t)) {
		free(t);
		return value_fail(c, &v, "expected a name of letters, digits, '_' and '-'%s, got "
		                  "'%s'", none_ok ? ", or none" : "", v.text);
	}
	*out = t;
	return 0;
}
