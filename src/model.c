/* model: a scenario's key/values compiled and validated into a model.
 *
 * Each key is read once, from the scenario or else from the key table's
 * default, and parsed by its row's type within the row's bounds and choices
 * (keys.h; no bound or word list is written here); a problem is reported at
 * the entry that gave the value ("x.ini:12: stage.primary.servers: ..."), or
 * at the first entry of its section when a required key is missing. Names are resolved in
 * two passes: every stage is named first, so a route may name a stage that
 * appears later in the file. The model is complete only when compile returns
 * 0; on an error it holds what was built so far, which model_release frees. */
#include "model.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <gsl/gsl_linalg.h>

#include "keys.h"
#include "parse.h"
#include "scenario.h"
#include "util.h"

#define MODEL_ROUTE_TOL 1e-9
#define MSG 512

struct compile {
	const struct scenario *sc;
	struct model *m;
	char *err;
	size_t errlen;
	struct scenario_fault *fault;   /* NULL when not asked for */
};

/* One key's value: the entry it came from (NULL for a default) and its text. */
struct value {
	const struct scenario_entry *e;
	const char *section, *key, *text;
};

/* ---- messages ------------------------------------------------------------- */

static const char *scenario_label(const struct scenario *sc)
{
	return sc->path ? sc->path : "scenario";
}

static int value_fail(const struct compile *c, const struct value *v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* "WHERE: section.key: problem", WHERE from the value's entry. */
static int value_fail(const struct compile *c, const struct value *v, const char *fmt, ...)
{
	char where[512], msg[MSG];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (v->e)
		scenario_where(v->e, where, sizeof where);
	else   /* a default from the key table: a bug, but say which */
		snprintf(where, sizeof where, "%s: default", scenario_label(c->sc));
	if (c->fault)
		*c->fault = (struct scenario_fault){ v->e, strlen(where) + 2 };
	return util_err(c->err, c->errlen, EX_DATAERR, "%s: %s.%s: %s", where, v->section, v->key,
	                msg);
}

static const struct scenario_entry *first_of_section(const struct scenario *sc,
                                                     const char *section)
{
	return scenario_section_first(sc, section);
}

/* Fills v with section.key's value or default; a required key that is
 * missing is reported at the first entry of its section. */
static int value_get(const struct compile *c, const char *kind, const char *section,
                     const char *key, struct value *v)
{
	const struct key_def *d = keys_find(kind, key);
	assert(d);
	v->section = section;
	v->key = key;
	v->e = scenario_get(c->sc, section, key);
	v->text = v->e ? v->e->value : d->def;
	if (v->text)
		return 0;
	const struct scenario_entry *first = first_of_section(c->sc, section);
	char where[512];
	if (first)
		scenario_where(first, where, sizeof where);
	else
		snprintf(where, sizeof where, "%s", scenario_label(c->sc));
	if (c->fault)
		*c->fault = (struct scenario_fault){ first, strlen(where) + 2 };
	return util_err(c->err, c->errlen, EX_DATAERR, "%s: %s.%s: required key missing from [%s]",
	                where, section, key, section);
}

/* Fills v with the value of row id in section (NULL: the row's kind, for
 * [scenario]), or the row's default. */
static int value_at(const struct compile *c, enum keys_id id, const char *section,
                    struct value *v)
{
	const struct key_def *d = keys_row(id);
	return value_get(c, d->kind, section ? section : d->kind, d->name, v);
}

/* What comes before a row's values in "expected ...": "one of ..." and
 * "flat, or 24 weights ..." take no article. */
static const char *article(const struct key_def *d)
{
	return d->type == KEY_CHOICE || d->type == KEY_PROFILE ? "" : "a ";
}

/* "expected a VALUES, got 'TEXT'", VALUES as `keys` prints the row's. */
static int value_expected(const struct compile *c, const struct value *v,
                          const struct key_def *d)
{
	char values[256];
	return value_fail(c, v, "expected %s%s, got '%s'", article(d),
	                  keys_values(d, values, sizeof values), v->text);
}

/* ---- values --------------------------------------------------------------- */

/* A number of the row's type within its bounds: KEY_DAYS also takes a
 * duration ("36h"), rows of whole numbers only whole numbers. Returns -1 for
 * a value outside the row's rule, -2 for a number too close to 0 to hold
 * (then msg, of MSG bytes, says so). */
static int number_of(const struct key_def *d, const char *text, double *out, char *msg)
{
	double v, minutes;
	char sub[MSG];
	int rc = parse_number(text, &v, msg, MSG);
	if (rc == -2)
		return -2;
	if (rc < 0) {
		if (d->type != KEY_DAYS || parse_duration(text, &minutes, sub, sizeof sub) < 0)
			return -1;
		v = minutes / 1440.0;
	}
	if ((keys_whole(d) && v != floor(v)) || !keys_in_bounds(d, v))
		return -1;
	*out = v;
	return 0;
}

static int get_number(const struct compile *c, enum keys_id id, const char *section,
                      double *out)
{
	struct value v;
	char msg[MSG];
	if (value_at(c, id, section, &v))
		return EX_DATAERR;
	int rc = number_of(keys_row(id), v.text, out, msg);
	if (rc == -2)
		return value_fail(c, &v, "%s", msg);
	if (rc < 0)
		return value_expected(c, &v, keys_row(id));
	return 0;
}

/* A whole number from 0 to 2^64 - 1, which no double holds exactly. */
static int get_seed(const struct compile *c, uint64_t *out)
{
	struct value v;
	char *t, *end;
	if (value_at(c, KEYS_SCENARIO_SEED, NULL, &v))
		return EX_DATAERR;
	t = parse_trim(v.text);
	errno = 0;
	unsigned long long n = isdigit((unsigned char)t[0]) ? strtoull(t, &end, 10) : 0;
	int bad = !isdigit((unsigned char)t[0]) || errno == ERANGE || *end != '\0';
	free(t);
	if (bad)
		return value_expected(c, &v, keys_row(KEYS_SCENARIO_SEED));
	*out = (uint64_t)n;
	return 0;
}

/* One of the row's words, as its index (the model's enum follows the row). */
static int get_choice(const struct compile *c, enum keys_id id, const char *section, int *out)
{
	const struct key_def *d = keys_row(id);
	struct value v;
	if (value_at(c, id, section, &v))
		return EX_DATAERR;
	char *t = parse_trim(v.text);
	int found = -1;
	for (int i = 0; d->choices[i] && found < 0; i++)
		if (strcmp(t, d->choices[i]) == 0)
			found = i;
	free(t);
	if (found < 0)
		return value_expected(c, &v, d);
	*out = found;
	return 0;
}

static int is_word(const char *text, const char *word)
{
	char *t = parse_trim(text);
	int same = strcmp(t, word) == 0;
	free(t);
	return same;
}

/* A whole number, or the row's word for no limit (MODEL_UNLIMITED). */
static int get_capacity(const struct compile *c, enum keys_id id, const char *section,
                        long *out)
{
	const struct key_def *d = keys_row(id);
	struct value v;
	double x;
	if (value_at(c, id, section, &v))
		return EX_DATAERR;
	if (is_word(v.text, d->choices[0])) {
		*out = MODEL_UNLIMITED;
		return 0;
	}
	char msg[MSG];
	int rc = number_of(d, v.text, &x, msg);
	if (rc == -2)
		return value_fail(c, &v, "%s", msg);
	if (rc < 0)
		return value_expected(c, &v, d);
	*out = (long)x;
	return 0;
}

/* Reads a value of some syntax into dst; -1 with a message in msg (of MSG
 * bytes) otherwise. m gives the stages and streams a value may name. */
typedef int (*value_reader)(const struct model *m, const char *text, void *dst, char *msg);

/* Row id's value in section, read by read into dst; a refusal is reported at
 * the value. */
static int get_with(const struct compile *c, enum keys_id id, const char *section,
                    value_reader read, void *dst)
{
	struct value v;
	char msg[MSG];
	if (value_at(c, id, section, &v))
		return EX_DATAERR;
	if (read(c->m, v.text, dst, msg) < 0)
		return value_fail(c, &v, "%s", msg);
	return 0;
}

static int read_duration(const struct model *m, const char *text, void *minutes, char *msg)
{
	return parse_duration(text, minutes, msg, MSG);
}

/* A name of letters, digits, '_' and '-'; "none" gives NULL where the row's
 * default is "none" (a group), and is refused elsewhere (a unit). */
static int get_name(const struct compile *c, enum keys_id id, const char *section, char **out)
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

/* Items of a list separated by commas and/or blanks ("1, 2 3,4"). */
struct words {
	char **w;
	size_t n;
};

static void words_release(struct words *ws)
{
	for (size_t i = 0; i < ws->n; i++)
		free(ws->w[i]);
	free(ws->w);
	ws->w = NULL;
	ws->n = 0;
}

static int words_split(struct words *ws, const char *text, char *msg)
{
	const char *p = text;
	ws->w = NULL;
	ws->n = 0;
	while (isspace((unsigned char)*p))
		p++;
	while (*p) {
		const char *start = p;
		while (*p && *p != ',' && !isspace((unsigned char)*p))
			p++;
		if (p == start) {
			snprintf(msg, MSG, "empty item in the list '%s'", text);
			return -1;
		}
		ws->w = xrealloc(ws->w, (ws->n + 1) * sizeof *ws->w);
		ws->w[ws->n] = xmalloc((size_t)(p - start) + 1);
		memcpy(ws->w[ws->n], start, (size_t)(p - start));
		ws->w[ws->n++][p - start] = '\0';
		while (isspace((unsigned char)*p))
			p++;
		if (*p == ',') {
			p++;
			while (isspace((unsigned char)*p))
				p++;
			if (!*p || *p == ',') {
				snprintf(msg, MSG, "empty item in the list '%s'", text);
				return -1;
			}
		}
	}
	return 0;
}

/* "expected a VALUES, got ..." into msg, for what the row takes. */
static void expected_msg(const struct key_def *d, const char *got, size_t n, char *msg)
{
	char values[256];
	keys_values(d, values, sizeof values);
	if (n > 1)
		snprintf(msg, MSG, "expected %s%s, got %zu", article(d), values, n);
	else
		snprintf(msg, MSG, "expected %s%s, got '%s'", article(d), values, got);
}

/* Item h of a list of numbers refused by number_of with rc: "hour H:
 * expected ... BOUNDS", or "hour H: " and what msg holds for rc -2. */
static void hour_msg(const struct key_def *d, const char *noun, int h, const char *got, int rc,
                     char *msg)
{
	char b[MSG];
	if (rc == -2) {
		snprintf(b, sizeof b, "%s", msg);
		snprintf(msg, MSG, "hour %d: %.400s", h, b);
		return;
	}
	snprintf(msg, MSG, "hour %d: expected %s %s, got '%s'", h, noun,
	         keys_bounds(d, b, sizeof b), got);
}

/* Fills weight[] from the row's word ("flat") or 24 weights within the
 * row's bounds, normalised to sum 1. */
static int read_profile(const struct model *m, const char *text, void *stream, char *msg)
{
	const struct key_def *d = keys_row(KEYS_STREAM_PROFILE);
	double per_day = ((struct model_stream *)stream)->per_day;
	double *weight = ((struct model_stream *)stream)->weight;
	struct words ws;
	double sum = 0;
	int rc = -1;
	if (is_word(text, d->choices[0])) {
		for (int h = 0; h < MODEL_HOURS; h++)
			weight[h] = 1.0 / MODEL_HOURS;
		return 0;
	}
	if (words_split(&ws, text, msg) < 0)
		goto out;
	if (ws.n != MODEL_HOURS) {
		expected_msg(d, ws.n ? ws.w[0] : text, ws.n, msg);
		goto out;
	}
	for (int h = 0; h < MODEL_HOURS; h++) {
		int bad = number_of(d, ws.w[h], &weight[h], msg);
		if (bad < 0) {
			hour_msg(d, "a weight", h, ws.w[h], bad, msg);
			goto out;
		}
		sum += weight[h];
	}
	if (!isfinite(sum)) {   /* each weight is finite, but 24 of them may not add up */
		snprintf(msg, MSG, "the 24 weights add up to more than %g: use smaller weights",
		         DBL_MAX);
		goto out;
	}
	if (!(sum > 0) && per_day > 0) {
		snprintf(msg, MSG, "all 24 weights are 0, but per_day is %g: give some hour a "
		         "positive weight", per_day);
		goto out;
	}
	for (int h = 0; h < MODEL_HOURS; h++)
		weight[h] = sum > 0 ? weight[h] / sum : 1.0 / MODEL_HOURS;
	rc = 0;
out:
	words_release(&ws);
	return rc;
}

/* Fills servers[] from one whole number, or 24 of them by clock hour, within
 * the row's bounds; sets *unlimited for the row's word ("unlimited"). */
static int read_servers(const struct model *m, const char *text, void *stage, char *msg)
{
	const struct key_def *d = keys_row(KEYS_STAGE_SERVERS);
	int *servers = ((struct model_stage *)stage)->servers;
	int *unlimited = &((struct model_stage *)stage)->unlimited;
	struct words ws;
	double v;
	int rc = -1;
	*unlimited = is_word(text, d->choices[0]);
	if (*unlimited) {
		for (int h = 0; h < MODEL_HOURS; h++)
			servers[h] = 0;
		return 0;
	}
	if (words_split(&ws, text, msg) < 0)
		goto out;
	if (ws.n == 1 && number_of(d, ws.w[0], &v, msg) == 0) {
		for (int h = 0; h < MODEL_HOURS; h++)
			servers[h] = (int)v;
		rc = 0;
	} else if (ws.n == MODEL_HOURS) {
		for (int h = 0; h < MODEL_HOURS; h++) {
			if (number_of(d, ws.w[h], &v, msg) < 0) {
				hour_msg(d, "a whole number of servers", h, ws.w[h], -1, msg);
				goto out;
			}
			servers[h] = (int)v;
		}
		rc = 0;
	} else {
		expected_msg(d, text, ws.n, msg);
	}
out:
	words_release(&ws);
	return rc;
}

/* ---- routes --------------------------------------------------------------- */

void route_release(struct route *r)
{
	free(r->dest);
	free(r->cum);
	memset(r, 0, sizeof *r);
}

static int stage_order(const void *a, const void *b)
{
	const struct model_stage *const *x = a, *const *y = b;
	return strcmp((*x)->name, (*y)->name);
}

static int stage_named(const void *name, const void *stage)
{
	const struct model_stage *const *s = stage;
	return strcmp(name, (*s)->name);
}

/* Sorts the stages by name into m->stage_by_name, so that resolving the
 * routes of n stages takes n log n, not n squared. */
static void stage_index(struct model *m)
{
	m->stage_by_name = xcalloc(m->nstage ? m->nstage : 1, sizeof *m->stage_by_name);
	for (size_t i = 0; i < m->nstage; i++)
		m->stage_by_name[i] = &m->stage[i];
	qsort(m->stage_by_name, m->nstage, sizeof *m->stage_by_name, stage_order);
}

/* The index of the stage named name, or -1: by m->stage_by_name when the
 * model has it (a model made by hand in a test may not). */
static long stage_find(const struct model *m, const char *name)
{
	if (!m->stage_by_name) {
		for (size_t i = 0; i < m->nstage; i++)
			if (strcmp(m->stage[i].name, name) == 0)
				return (long)i;
		return -1;
	}
	const struct model_stage *const *s = bsearch(name, m->stage_by_name, m->nstage,
	                                             sizeof *m->stage_by_name, stage_named);
	return s ? *s - m->stage : -1;
}

/* The stage index for name, ROUTE_EXIT for "exit", or -2 with a message
 * naming the nearest stage (a scan, on this failing path only). */
static int route_dest(const struct model *m, const char *name, char *msg)
{
	const char *near = NULL;
	size_t best = (size_t)-1;
	if (strcmp(name, "exit") == 0)
		return ROUTE_EXIT;
	long found = stage_find(m, name);
	if (found >= 0)
		return (int)found;
	for (size_t i = 0; i < m->nstage; i++) {
		size_t d = keys_distance(name, m->stage[i].name);
		if (d < best) {
			best = d;
			near = m->stage[i].name;
		}
	}
	if (near && keys_near(best, name))
		snprintf(msg, MSG, "unknown stage '%s'; did you mean '%s'?", name, near);
	else
		snprintf(msg, MSG, "unknown stage '%s'", name);
	return -2;
}

/* Parses one "name" or "name:p" item into dest and p (NAN when none). */
static int route_item(const struct model *m, const char *item, int *dest, double *p, char *msg)
{
	const char *colon = strchr(item, ':');
	char *name = colon ? xmalloc((size_t)(colon - item) + 1) : NULL;
	char *trimmed = NULL, *ptext = NULL;
	int rc = -1;
	if (colon) {
		memcpy(name, item, (size_t)(colon - item));
		name[colon - item] = '\0';
	}
	trimmed = parse_trim(colon ? name : item);
	*p = NAN;
	if (!*trimmed) {
		snprintf(msg, MSG, "missing stage name in '%s'", item);
		goto out;
	}
	*dest = route_dest(m, trimmed, msg);
	if (*dest == -2)
		goto out;
	if (colon) {
		char sub[MSG];
		ptext = parse_trim(colon + 1);
		if (parse_number(ptext, p, sub, sizeof sub) < 0 || *p < 0 || *p > 1) {
			snprintf(msg, MSG, "probability of '%s': expected a number from 0 to 1, got '%s'",
			         trimmed, ptext);
			goto out;
		}
	}
	rc = 0;
out:
	free(ptext);
	free(trimmed);
	free(name);
	return rc;
}

/* Checks the probabilities p[] (one may be NAN: the remainder) and turns
 * them into r->cum. */
static int route_cumulate(struct route *r, double *p, const char *text, char *msg)
{
	double sum = 0;
	size_t rest = r->n;
	for (size_t i = 0; i < r->n; i++) {
		if (isnan(p[i]) && rest != r->n) {
			snprintf(msg, MSG, "more than one destination without a probability in '%s'; "
			         "only one may take the remainder", text);
			return -1;
		}
		if (isnan(p[i]))
			rest = i;
		else
			sum += p[i];
	}
	if (rest != r->n) {
		if (sum > 1 + MODEL_ROUTE_TOL) {
			snprintf(msg, MSG, "probabilities add up to %.10g, more than 1, in '%s'", sum, text);
			return -1;
		}
		p[rest] = sum < 1 ? 1 - sum : 0;
	} else if (fabs(sum - 1) > MODEL_ROUTE_TOL) {
		snprintf(msg, MSG, "probabilities add up to %.10g, not 1, in '%s'", sum, text);
		return -1;
	}
	double c = 0;
	for (size_t i = 0; i < r->n; i++) {
		c += p[i];
		r->cum[i] = i + 1 == r->n ? 1.0 : (c < 1 ? c : 1.0);
	}
	return 0;
}

static int route_build(struct route *r, const char *text, const struct model *m, char *msg)
{
	struct words items = { NULL, 0 };
	double *p = NULL;
	int rc = -1;
	char *save = NULL, *copy = xstrdup(text);
	for (char *it = strtok_r(copy, ",", &save); it; it = strtok_r(NULL, ",", &save)) {
		items.w = xrealloc(items.w, (items.n + 1) * sizeof *items.w);
		items.w[items.n++] = xstrdup(it);
	}
	if (items.n == 0 || strstr(text, ",,") || text[strlen(text) - 1] == ',' || text[0] == ',') {
		snprintf(msg, MSG, "expected 'exit', a stage, or a list such as 'secondary:0.2,exit', "
		         "got '%s'", text);
		goto out;
	}
	r->n = items.n;
	r->dest = xcalloc(r->n, sizeof *r->dest);
	r->cum = xcalloc(r->n, sizeof *r->cum);
	p = xcalloc(r->n, sizeof *p);
	for (size_t i = 0; i < r->n; i++) {
		if (route_item(m, items.w[i], &r->dest[i], &p[i], msg) < 0)
			goto out;
		for (size_t j = 0; j < i; j++) {
			if (r->dest[j] == r->dest[i]) {
				snprintf(msg, MSG, "'%s' appears twice in '%s'", r->dest[i] == ROUTE_EXIT ?
				         "exit" : m->stage[r->dest[i]].name, text);
				goto out;
			}
		}
	}
	rc = route_cumulate(r, p, text, msg);
out:
	free(p);
	free(copy);
	words_release(&items);
	return rc;
}

int model_parse_route(struct route *r, const char *text, const struct model *m, char *err,
                      size_t errlen)
{
	char msg[MSG];
	char *t = parse_trim(text);
	memset(r, 0, sizeof *r);
	int rc = route_build(r, t, m, msg);
	free(t);
	if (rc < 0) {
		route_release(r);
		return util_err(err, errlen, -1, "%s", msg);
	}
	return 0;
}

/* ---- compiling ------------------------------------------------------------ */

static int compile_name(struct compile *c)
{
	const struct key_def *d = keys_row(KEYS_SCENARIO_NAME);
	const struct scenario_entry *e = scenario_get(c->sc, d->kind, d->name);
	struct value v = { e, d->kind, d->name, e ? e->value : NULL };
	if (e) {
		if (!*e->value || strchr(e->value, '/') || !strcmp(e->value, ".") ||
		    !strcmp(e->value, ".."))
			return value_fail(c, &v, "expected a name for the output folder, without '/', "
			                  "got '%s'", e->value);
		c->m->name = xstrdup(e->value);
		return 0;
	}
	/* The CLI puts the file's name in; a library caller may not have. */
	const char *path = c->sc->path ? c->sc->path : "scenario.ini";
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	size_t n = strlen(base);
	if (n > 4 && strcmp(base + n - 4, ".ini") == 0)
		n -= 4;
	c->m->name = xasprintf("%.*s", (int)n, base);
	return 0;
}

/* Each scenario key has a default, so value_get cannot fail for them. */
static int compile_scenario(struct compile *c)
{
	struct model *m = c->m;
	double reps;
	if (compile_name(c) || get_number(c, KEYS_SCENARIO_DAYS, NULL, &m->days) ||
	    get_number(c, KEYS_SCENARIO_WARMUP_DAYS, NULL, &m->warmup_days) ||
	    get_number(c, KEYS_SCENARIO_REPLICATIONS, NULL, &reps) || get_seed(c, &m->seed) ||
	    get_number(c, KEYS_SCENARIO_MAX_EVENTS, NULL, &m->max_events) ||
	    get_number(c, KEYS_SCENARIO_MAX_ENTITIES, NULL, &m->max_entities))
		return EX_DATAERR;
	m->replications = (unsigned)reps;
	return 0;
}

static int section_is(const char *section, const char *kind)
{
	size_t n = strlen(kind);
	return strncmp(section, kind, n) == 0 && section[n] == '.' && section[n + 1];
}

/* Names every stream and stage, in order of first appearance. */
static int compile_names(struct compile *c)
{
	const struct scenario *sc = c->sc;
	struct model *m = c->m;
	m->stream = xcalloc(sc->n, sizeof *m->stream);
	m->stage = xcalloc(sc->n, sizeof *m->stage);
	m->find = xcalloc(sc->n, sizeof *m->find);
	for (size_t i = 0; i < sc->n; i++) {
		const char *s = sc->entry[i].section;
		if (first_of_section(sc, s) != &sc->entry[i])
			continue;
		if (section_is(s, "stream"))
			m->stream[m->nstream++].name = xstrdup(s + strlen("stream."));
		else if (section_is(s, "stage"))
			m->stage[m->nstage++].name = xstrdup(s + strlen("stage."));
		else if (section_is(s, "find"))
			m->find[m->nfind++].name = xstrdup(s + strlen("find."));
		else if (!section_is(s, "surge") && !section_is(s, "closure") &&
		         !section_is(s, "staffing"))
			continue;
		if (m->nstream > MODEL_MAX_NODES || m->nstage > MODEL_MAX_NODES) {
			struct value v = { &sc->entry[i], s, sc->entry[i].key, sc->entry[i].value };
			return value_fail(c, &v, "more than %d %s: at most %d of each", MODEL_MAX_NODES,
			                  m->nstage > MODEL_MAX_NODES ? "stages" : "streams",
			                  MODEL_MAX_NODES);
		}
		/* the reader checks names; scenario_put does not */
		const char *name = strchr(s, '.') + 1;
		if (!scenario_name_valid(name) || strcmp(s, "stage.exit") == 0) {
			struct value v = { &sc->entry[i], s, sc->entry[i].key, sc->entry[i].value };
			return value_fail(c, &v, "bad name '%s'", name);
		}
	}
	if (m->nstream == 0)
		return util_err(c->err, c->errlen, EX_DATAERR, "%s: no streams: a scenario needs at "
		                "least one [stream.NAME] section", scenario_label(sc));
	if (m->nstage == 0)
		return util_err(c->err, c->errlen, EX_DATAERR, "%s: no stages: a scenario needs at "
		                "least one [stage.NAME] section", scenario_label(sc));
	/* Sized for every entry until counted: trimmed, a sweep keeps one model a point. */
	m->stream = xrealloc(m->stream, (m->nstream ? m->nstream : 1) * sizeof *m->stream);
	m->stage = xrealloc(m->stage, (m->nstage ? m->nstage : 1) * sizeof *m->stage);
	m->find = xrealloc(m->find, (m->nfind ? m->nfind : 1) * sizeof *m->find);
	stage_index(m);
	return 0;
}

static int read_route(const struct model *m, const char *text, void *route, char *msg)
{
	return model_parse_route(route, text, m, msg, MSG);
}

/* service, or per_hour: exactly one of the two. */
static int compile_service(struct compile *c, const char *section, struct model_stage *st)
{
	const struct key_def *rate_row = keys_row(KEYS_STAGE_PER_HOUR);
	struct value sv, pv;
	char msg[MSG];
	double rate;
	if (value_at(c, KEYS_STAGE_SERVICE, section, &sv) ||
	    value_at(c, KEYS_STAGE_PER_HOUR, section, &pv))
		return EX_DATAERR;
	if (sv.e && pv.e)
		return value_fail(c, &pv, "give %s or %s, not both", sv.key, pv.key);
	if (pv.e) {
		int rc = number_of(rate_row, pv.text, &rate, msg);
		if (rc == -2)
			return value_fail(c, &pv, "%s", msg);
		if (rc < 0)
			return value_expected(c, &pv, rate_row);
		char *fixed = xasprintf("fixed(%.17gmin)", 60.0 / rate);
		rc = dist_parse(&st->service, fixed, msg, sizeof msg);
		free(fixed);
		return rc < 0 ? value_fail(c, &pv, "%s", msg) : 0;
	}
	if (!sv.e) {
		const struct scenario_entry *first = first_of_section(c->sc, section);
		struct value at = { first, section, sv.key, NULL };
		return value_fail(c, &at, "required key missing from [%s]: give %s or %s", section,
		                  sv.key, pv.key);
	}
	if (dist_parse(&st->service, sv.text, msg, sizeof msg) < 0)
		return value_fail(c, &sv, "%s", msg);
	return 0;
}

/* One whole number of persons, or shares of them ("1:0.5, 2:0.3, 3:0.2"),
 * each number within the row's bounds. */
static int read_persons(const struct model *m, const char *text, void *stream, char *msg)
{
	struct model_stream *s = stream;
	const struct key_def *d = keys_row(KEYS_STREAM_PERSONS);
	struct words ws = { NULL, 0 };
	char *copy = xstrdup(text), *save = NULL;
	double sum = 0;
	int rc = -1;
	for (char *it = strtok_r(copy, ",", &save); it; it = strtok_r(NULL, ",", &save)) {
		ws.w = xrealloc(ws.w, (ws.n + 1) * sizeof *ws.w);
		ws.w[ws.n++] = parse_trim(it);
	}
	s->npersons = ws.n;
	s->persons = xcalloc(ws.n, sizeof *s->persons);
	s->pcum = xcalloc(ws.n, sizeof *s->pcum);
	s->persons_mean = 0;
	for (size_t i = 0; i < ws.n; i++) {
		char *colon = strchr(ws.w[i], ':'), sub[MSG];
		double n, p = 1;
		if (colon)
			*colon = '\0';
		if (number_of(d, ws.w[i], &n, sub) < 0 ||
		    (colon && (parse_number(colon + 1, &p, sub, sizeof sub) < 0 || p < 0 || p > 1)) ||
		    (!colon && ws.n > 1)) {
			expected_msg(d, text, 1, msg);
			goto out;
		}
		sum += p;
		s->persons[i] = (int)n;
		s->pcum[i] = i + 1 == ws.n ? 1.0 : sum;
		s->persons_mean += n * p;
	}
	if (ws.n == 0 || fabs(sum - 1) > MODEL_ROUTE_TOL) {
		snprintf(msg, MSG, "shares of persons add up to %.10g, not 1, in '%s'", sum, text);
		goto out;
	}
	rc = 0;
out:
	free(copy);
	words_release(&ws);
	return rc;
}

/* The stage's keys, each read by its row's type, in the order of the rows
 * that say what is missing first. */
static int compile_stage(struct compile *c, struct model_stage *st)
{
	char *section = xasprintf("stage.%s", st->name);
	int kind = 0, rc;
	st->capacity = MODEL_UNLIMITED;
	rc = get_with(c, KEYS_STAGE_SERVERS, section, read_servers, st) ||
	     compile_service(c, section, st) ||
	     get_choice(c, KEYS_STAGE_KIND, section, &kind) ||
	     get_capacity(c, KEYS_STAGE_FLUSH_ABOVE, section, &st->flush_above) ||
	     get_capacity(c, KEYS_STAGE_RATED_CAPACITY, section, &st->rated_capacity) ||
	     get_number(c, KEYS_STAGE_TARGETING, section, &st->targeting) ||
	     get_name(c, KEYS_STAGE_GROUP, section, &st->group) ||
	     get_capacity(c, KEYS_STAGE_CAPACITY, section, &st->capacity) ||
	     get_with(c, KEYS_STAGE_NEXT, section, read_route, &st->next);
	st->kind = (enum model_stage_kind)kind;
	free(section);
	return rc ? EX_DATAERR : 0;
}

static int compile_stream(struct compile *c, struct model_stream *s)
{
	char *section = xasprintf("stream.%s", s->name);
	double priority = 0;
	int counts = 0, rc;
	rc = get_number(c, KEYS_STREAM_PER_DAY, section, &s->per_day) ||
	     get_with(c, KEYS_STREAM_PROFILE, section, read_profile, s) ||
	     get_number(c, KEYS_STREAM_PRIORITY, section, &priority) ||
	     get_with(c, KEYS_STREAM_ROUTE, section, read_route, &s->route) ||
	     get_with(c, KEYS_STREAM_PERSONS, section, read_persons, s) ||
	     get_choice(c, KEYS_STREAM_COUNTS_AS, section, &counts) ||
	     get_number(c, KEYS_STREAM_VALUE, section, &s->value) ||
	     get_name(c, KEYS_STREAM_GROUP, section, &s->group);
	s->priority = (int)priority;
	s->counts = (enum model_counts)counts;
	free(section);
	return rc ? EX_DATAERR : 0;
}

/* ---- finds, surges, closures, staffing ------------------------------------ */

/* Resolves a list of names ("a, b") against the stages (streams = 0) or the
 * streams (streams = 1) into a new array of indices. */
static int resolve_list(const struct model *m, const char *text, int streams, int **idx,
                        size_t *n, char *msg)
{
	struct words ws;
	int rc = -1;
	*idx = NULL;
	*n = 0;
	if (words_split(&ws, text, msg) < 0)
		return -1;
	*idx = xcalloc(ws.n ? ws.n : 1, sizeof **idx);
	for (size_t i = 0; i < ws.n; i++) {
		size_t count = streams ? m->nstream : m->nstage, k;
		for (k = 0; k < count; k++)
			if (!strcmp(ws.w[i], streams ? m->stream[k].name : m->stage[k].name))
				break;
		if (k == count) {
			snprintf(msg, MSG, "unknown %s '%s'", streams ? "stream" : "stage", ws.w[i]);
			goto out;
		}
		for (size_t j = 0; j < *n; j++)
			if ((*idx)[j] == (int)k) {
				snprintf(msg, MSG, "'%s' appears twice in '%s'", ws.w[i], text);
				goto out;
			}
		(*idx)[(*n)++] = (int)k;
	}
	rc = 0;
out:
	if (rc < 0) {
		free(*idx);
		*idx = NULL;
		*n = 0;
	}
	words_release(&ws);
	return rc;
}

/* The find's stages: a list of at least one stage. */
static int read_find_stages(const struct model *m, const char *text, void *find, char *msg)
{
	struct model_find *f = find;
	if (resolve_list(m, text, 0, &f->stage, &f->nstage, msg) < 0)
		return -1;
	if (f->nstage == 0) {
		snprintf(msg, MSG, "expected a list of stages");
		return -1;
	}
	return 0;
}

static int read_amount(const struct model *m, const char *text, void *amount, char *msg)
{
	return dist_parse_quantity(amount, text, msg, MSG);
}

static int compile_find(struct compile *c, struct model_find *f)
{
	char *section = xasprintf("find.%s", f->name);
	int counts = 0, rc;
	rc = get_with(c, KEYS_FIND_STAGES, section, read_find_stages, f) ||
	     get_number(c, KEYS_FIND_PROBABILITY, section, &f->probability) ||
	     get_number(c, KEYS_FIND_CONCENTRATION, section, &f->concentration) ||
	     get_with(c, KEYS_FIND_AMOUNT, section, read_amount, &f->amount) ||
	     get_name(c, KEYS_FIND_UNIT, section, &f->unit) ||
	     get_choice(c, KEYS_FIND_COUNTS_AS, section, &counts);
	f->counts = counts;
	free(section);
	return rc ? EX_DATAERR : 0;
}

/* The targets of a surge, closure or staffing section: its `streams` or
 * `stages` list and its `group`, as a 0/1 mark per stream or stage. */
static int compile_targets(struct compile *c, enum keys_id list_id, enum keys_id group_id,
                           const char *section, int streams, int *mark)
{
	struct value lv, gv;
	struct words groups = { NULL, 0 };
	char msg[MSG];
	const char *group;
	int *idx = NULL, rc = EX_DATAERR, any = 0;
	size_t n = 0, count = streams ? c->m->nstream : c->m->nstage;
	const char *list = keys_row(list_id)->name;
	if (value_at(c, list_id, section, &lv) || value_at(c, group_id, section, &gv))
		goto out;
	if (lv.e && resolve_list(c->m, lv.text, streams, &idx, &n, msg) < 0) {
		rc = value_fail(c, &lv, "%s", msg);
		goto out;
	}
	if (gv.e && words_split(&groups, gv.text, msg) < 0) {
		rc = value_fail(c, &gv, "%s", msg);
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		mark[idx[i]] = any = 1;
	for (size_t k = 0; k < groups.n; k++) {
		int found = 0;
		group = groups.w[k];
		for (size_t i = 0; i < count; i++) {
			const char *g = streams ? c->m->stream[i].group : c->m->stage[i].group;
			if (g && strcmp(g, group) == 0)
				mark[i] = any = found = 1;
		}
		if (!found) {
			rc = value_fail(c, &gv, "no %s is in group '%s'", streams ? "stream" : "stage",
			                group);
			goto out;
		}
	}
	if (!any) {
		const struct scenario_entry *first = first_of_section(c->sc, section);
		struct value at = { lv.e ? lv.e : first, section, list, NULL };
		rc = value_fail(c, &at, "give %s or %s", list, gv.key);
		goto out;
	}
	rc = 0;
out:
	words_release(&groups);
	free(idx);
	return rc;
}

static void add_window(struct model *m, double start, double end, const char *kind,
                       const char *name)
{
	m->window = xrealloc(m->window, (m->nwindow + 1) * sizeof *m->window);
	m->window[m->nwindow++] = (struct model_window){ start, end,
	                                                 xasprintf("%s %s", kind, name) };
}

static int compile_surge(struct compile *c, const char *section)
{
	struct model *m = c->m;
	struct model_surge sg;
	double start, up, dur, down;
	int *mark = xcalloc(m->nstream, sizeof *mark), rc = EX_DATAERR;
	if (compile_targets(c, KEYS_SURGE_STREAMS, KEYS_SURGE_GROUP, section, 1, mark) ||
	    get_number(c, KEYS_SURGE_FACTOR, section, &sg.factor) ||
	    get_with(c, KEYS_SURGE_START, section, read_duration, &start) ||
	    get_with(c, KEYS_SURGE_RAMP_UP, section, read_duration, &up) ||
	    get_with(c, KEYS_SURGE_DURATION, section, read_duration, &dur) ||
	    get_with(c, KEYS_SURGE_RAMP_DOWN, section, read_duration, &down))
		goto out;
	double w = m->warmup_days * 1440.0;
	sg.t0 = w + start;
	sg.t1 = sg.t0 + up;
	sg.t2 = sg.t1 + dur;
	sg.t3 = sg.t2 + down;
	for (size_t i = 0; i < m->nstream; i++) {
		struct model_stream *s = &m->stream[i];
		if (!mark[i])
			continue;
		s->surge = xrealloc(s->surge, (s->nsurge + 1) * sizeof *s->surge);
		s->surge[s->nsurge++] = sg;
	}
	add_window(m, start, start + up + dur + down, "surge", strchr(section, '.') + 1);
	rc = 0;
out:
	free(mark);
	return rc;
}

static int compile_closure(struct compile *c, const char *section)
{
	struct model *m = c->m;
	double start, dur, w = m->warmup_days * 1440.0;
	int *mark = xcalloc(m->nstage, sizeof *mark), rc = EX_DATAERR;
	if (compile_targets(c, KEYS_CLOSURE_STAGES, KEYS_CLOSURE_GROUP, section, 0, mark) ||
	    get_with(c, KEYS_CLOSURE_START, section, read_duration, &start) ||
	    get_with(c, KEYS_CLOSURE_DURATION, section, read_duration, &dur))
		goto out;
	for (size_t i = 0; i < m->nstage; i++) {
		struct model_stage *st = &m->stage[i];
		if (!mark[i])
			continue;
		st->closure = xrealloc(st->closure, (st->nclosure + 1) * sizeof *st->closure);
		st->closure[st->nclosure++] = (struct model_closure){ w + start, w + start + dur };
	}
	add_window(m, start, start + dur, "closure", strchr(section, '.') + 1);
	rc = 0;
out:
	free(mark);
	return rc;
}

/* A staffed hour stays within the servers row's upper bound. */
static int compile_staffing(struct compile *c, const char *section)
{
	struct model *m = c->m;
	double f, most = keys_row(KEYS_STAGE_SERVERS)->hi;
	int *mark = xcalloc(m->nstage, sizeof *mark), rc = EX_DATAERR;
	if (compile_targets(c, KEYS_STAFFING_STAGES, KEYS_STAFFING_GROUP, section, 0, mark) ||
	    get_number(c, KEYS_STAFFING_FACTOR, section, &f))
		goto out;
	for (size_t i = 0; i < m->nstage; i++) {
		struct model_stage *st = &m->stage[i];
		if (!mark[i] || st->unlimited)
			continue;
		for (int h = 0; h < MODEL_HOURS; h++) {
			double x = floor(st->servers[h] * f + 0.5);
			st->servers[h] = x > most ? (int)most : (int)x;
		}
	}
	rc = 0;
out:
	free(mark);
	return rc;
}

/* Surges, closures and staffing sections, in order of first appearance (so
 * two staffing factors on a stage compound in file order). */
static int compile_events(struct compile *c)
{
	const struct scenario *sc = c->sc;
	int rc = 0;
	for (size_t i = 0; i < sc->n && !rc; i++) {
		const char *s = sc->entry[i].section;
		if (first_of_section(sc, s) != &sc->entry[i])
			continue;
		if (section_is(s, "surge"))
			rc = compile_surge(c, s);
		else if (section_is(s, "closure"))
			rc = compile_closure(c, s);
		else if (section_is(s, "staffing"))
			rc = compile_staffing(c, s);
	}
	return rc;
}

/* ---- traffic equations ------------------------------------------------------ */

/* A routing loop of up to this many stages is solved by dense LU (8 bytes a
 * pair of its stages: 18 MB and well under a second at the limit); a larger
 * one by pushing visits round it until they settle. */
#define TRAFFIC_DENSE_MAX 1500
/* Pushes (a stage passing its unsettled visits on) before a large loop is
 * declared not to settle: about a second. */
#define TRAFFIC_PUSH_MAX 200000000.0
/* A large loop has settled when its unsettled visits are this share of what
 * flows into it: each unsettled visit would make about as many more as one
 * arriving does, so the visits are then within this share. */
#define TRAFFIC_SETTLED 1e-13

static double route_p(const struct route *r, size_t k)
{
	return r->cum[k] - (k ? r->cum[k - 1] : 0);
}

/* The strongly connected components of the routing graph (routes of
 * positive probability), by Tarjan's algorithm on explicit stacks: a chain
 * of 65,535 stages would overflow the call stack. comp[i] gets stage i's
 * component, numbered so that every route leads to the same component or a
 * later one (Tarjan closes them sinks first, hence the renumbering). Returns
 * the count. Linear in stages plus routes. */
static size_t traffic_components(const struct model *m, size_t *comp)
{
	const size_t none = (size_t)-1, n = m->nstage;
	size_t *index = xmalloc(n * sizeof *index), *low = xmalloc(n * sizeof *low);
	size_t *stack = xmalloc(n * sizeof *stack), *frame = xmalloc(n * sizeof *frame);
	size_t *edge = xmalloc(n * sizeof *edge), next = 0, ncomp = 0, sp = 0, top = 0;
	char *on = xcalloc(n, 1);
	for (size_t i = 0; i < n; i++)
		index[i] = none;
	for (size_t root = 0; root < n; root++) {
		if (index[root] != none)
			continue;
		index[root] = low[root] = next++;
		stack[sp++] = root;
		on[root] = 1;
		frame[top] = root;
		edge[top++] = 0;
		while (top) {
			size_t i = frame[top - 1];
			const struct route *r = &m->stage[i].next;
			if (edge[top - 1] < r->n) {
				size_t k = edge[top - 1]++;
				if (r->dest[k] == ROUTE_EXIT || !(route_p(r, k) > 0))
					continue;
				size_t j = (size_t)r->dest[k];
				if (index[j] == none) {
					index[j] = low[j] = next++;
					stack[sp++] = j;
					on[j] = 1;
					frame[top] = j;
					edge[top++] = 0;
				} else if (on[j] && index[j] < low[i]) {
					low[i] = index[j];
				}
				continue;
			}
			top--;
			if (top && low[i] < low[frame[top - 1]])
				low[frame[top - 1]] = low[i];
			if (low[i] != index[i])
				continue;
			size_t j;
			do {
				j = stack[--sp];
				on[j] = 0;
				comp[j] = ncomp;
			} while (j != i);
			ncomp++;
		}
	}
	for (size_t i = 0; i < n; i++)
		comp[i] = ncomp - 1 - comp[i];
	free(index);
	free(low);
	free(stack);
	free(frame);
	free(edge);
	free(on);
	return ncomp;
}

/* 1 - p(i -> i), summed over the other routes so that a stage that almost
 * always routes back to itself keeps its small remainder exactly. */
static double traffic_leave(const struct route *r, size_t i)
{
	double leave = 0;
	for (size_t k = 0; k < r->n; k++)
		if (r->dest[k] != (int)i)
			leave += route_p(r, k);
	return leave;
}

/* Solves v = b + v P over the k stages member[] of one routing loop, b being
 * what v holds for them on entry, by LU decomposition of (I - P)^T. pos maps
 * a member to its row. Returns 0, or -1 when (I - P) is singular to working
 * precision. */
static int traffic_dense(const struct model *m, const size_t *member, size_t k,
                         const size_t *comp, size_t *pos, double *v)
{
	gsl_matrix *a = gsl_matrix_calloc(k, k);
	gsl_vector *b = gsl_vector_alloc(k), *x = gsl_vector_alloc(k);
	gsl_permutation *perm = gsl_permutation_alloc(k);
	int sign, rc = -1;
	if (!a || !b || !x || !perm)
		util_out_of_memory();
	for (size_t l = 0; l < k; l++)
		pos[member[l]] = l;
	for (size_t l = 0; l < k; l++) {
		size_t i = member[l];
		const struct route *r = &m->stage[i].next;
		gsl_vector_set(b, l, v[i]);
		gsl_matrix_set(a, l, l, traffic_leave(r, i));
		for (size_t e = 0; e < r->n; e++) {
			int j = r->dest[e];
			if (j != ROUTE_EXIT && j != (int)i && comp[j] == comp[i])
				*gsl_matrix_ptr(a, pos[j], l) -= route_p(r, e);
		}
	}
	if (gsl_linalg_LU_decomp(a, perm, &sign))
		goto out;
	for (size_t l = 0; l < k; l++)   /* singular: LU_solve would call GSL's error handler */
		if (gsl_matrix_get(a, l, l) == 0)
			goto out;
	if (gsl_linalg_LU_solve(a, perm, b, x))
		goto out;
	for (size_t l = 0; l < k; l++)
		if (!(gsl_vector_get(x, l) >= 0 && isfinite(gsl_vector_get(x, l))))
			goto out;
	for (size_t l = 0; l < k; l++)
		v[member[l]] = gsl_vector_get(x, l);
	rc = 0;
out:
	gsl_permutation_free(perm);
	gsl_vector_free(x);
	gsl_vector_free(b);
	gsl_matrix_free(a);
	return rc;
}

/* A loop too large for LU: each member in turn adds its unsettled visits to
 * its own and passes them on along its routes inside the loop, until what
 * is unsettled is a negligible share of what flows in (v only grows, so it is
 * a lower bound throughout) or the visits pass cap. Returns 0, 1 when over cap, or -1 when
 * they did not settle within TRAFFIC_PUSH_MAX pushes. */
static int traffic_push(const struct model *m, const size_t *member, size_t k,
                        const size_t *comp, double cap, double *v, double *r)
{
	double pushes = 0, total = 0, unsettled = 0, inflow;
	for (size_t l = 0; l < k; l++) {
		r[member[l]] = v[member[l]];
		unsettled += v[member[l]];
		v[member[l]] = 0;
	}
	inflow = unsettled;
	while (unsettled > TRAFFIC_SETTLED * inflow) {
		if (total > cap)
			return 1;
		if (pushes > TRAFFIC_PUSH_MAX)
			return -1;
		unsettled = 0;
		for (size_t l = 0; l < k; l++) {
			size_t i = member[l];
			const struct route *rt = &m->stage[i].next;
			double x = r[i];
			r[i] = 0;
			v[i] += x;
			total += x;
			for (size_t e = 0; e < rt->n; e++) {
				int j = rt->dest[e];
				if (j != ROUTE_EXIT && comp[j] == comp[i])
					r[j] += x * route_p(rt, e);
			}
			pushes += 1 + (double)rt->n;
		}
		for (size_t l = 0; l < k; l++)
			unsettled += r[member[l]];
	}
	return 0;
}

int model_visits(const struct model *m, double cap, double *v, size_t *stage)
{
	size_t n = m->nstage, *comp = xmalloc(n * sizeof *comp);
	size_t *start = NULL, *member = xmalloc(n * sizeof *member);
	double *scratch = xcalloc(n, sizeof *scratch), total = 0;
	size_t *pos = xmalloc(n * sizeof *pos), ncomp = traffic_components(m, comp);
	int rc = 0;
	/* Members grouped by component, components in route order. */
	start = xcalloc(ncomp + 1, sizeof *start);
	for (size_t i = 0; i < n; i++)
		start[comp[i] + 1]++;
	for (size_t c = 0; c < ncomp; c++)
		start[c + 1] += start[c];
	memset(pos, 0, ncomp * sizeof *pos);
	for (size_t i = 0; i < n; i++)
		member[start[comp[i]] + pos[comp[i]]++] = i;
	for (size_t i = 0; i < n; i++)
		v[i] = 0;
	for (size_t i = 0; i < m->nstream; i++) {
		const struct model_stream *s = &m->stream[i];
		double a = s->per_day;
		for (size_t k = 0; k < s->nsurge; k++)
			a *= fmax(1, s->surge[k].factor);
		for (size_t k = 0; k < s->route.n; k++)
			if (s->route.dest[k] != ROUTE_EXIT)
				v[s->route.dest[k]] += a * route_p(&s->route, k);
	}
	for (size_t c = 0; c < ncomp && rc == 0; c++) {
		const size_t *mem = member + start[c];
		size_t k = start[c + 1] - start[c];
		if (k == 1 && v[mem[0]] > 0)
			v[mem[0]] /= traffic_leave(&m->stage[mem[0]].next, mem[0]);
		else if (k <= TRAFFIC_DENSE_MAX)
			rc = traffic_dense(m, mem, k, comp, pos, v);
		else
			rc = traffic_push(m, mem, k, comp, cap - total, v, scratch);
		if (k == 1 && !(isfinite(v[mem[0]])))
			rc = -1;
		if (rc)
			*stage = mem[0];
		/* What leaves the loop flows into later ones. */
		for (size_t l = 0; l < k && rc == 0; l++) {
			const struct route *r = &m->stage[mem[l]].next;
			total += v[mem[l]];
			for (size_t e = 0; e < r->n; e++)
				if (r->dest[e] != ROUTE_EXIT && comp[r->dest[e]] != c)
					v[r->dest[e]] += v[mem[l]] * route_p(r, e);
		}
	}
	free(start);
	free(pos);
	free(scratch);
	free(member);
	free(comp);
	return rc;
}

/* The run's expected events: an arrival and a departure for each visit of
 * each day of each replication, visits from the traffic equations. Surges
 * count at their height, so the estimate errs high. Returns what
 * model_visits returns, with the stage it names in *stage. */
static int expected_events(struct model *m, size_t *stage)
{
	double *v = xmalloc((m->nstage ? m->nstage : 1) * sizeof *v), total = 0;
	double per_visit = 2 * (m->days + m->warmup_days) * m->replications;
	int rc = model_visits(m, m->max_events / per_visit, v, stage);
	for (size_t i = 0; i < m->nstage; i++)
		total += v[i];
	m->est_events = total * per_visit;
	free(v);
	return rc;
}

/* The stream with the most arrivals a day that the scenario sets, or -1. */
static long busiest_stream(const struct compile *c)
{
	long best = -1;
	char section[64];
	for (size_t i = 0; i < c->m->nstream; i++) {
		snprintf(section, sizeof section, "stream.%s", c->m->stream[i].name);
		if (scenario_get(c->sc, section, "per_day") &&
		    (best < 0 || c->m->stream[i].per_day > c->m->stream[best].per_day))
			best = (long)i;
	}
	return best;
}

/* Which setting to name when a run is over budget, at its own file:line:
 * scenario.max_events when the scenario sets it; else the horizon or volume
 * key given by --set, the change that tipped the run over; else, when one
 * replication of one day is over the budget by itself, the busiest stream's
 * per_day; else scenario.days, scenario.replications or that stream's
 * per_day, the first the scenario sets; else the first entry of all. The
 * stream's section name goes in section (of len bytes). */
static int budget_blame(struct compile *c, struct value *v, char *section, size_t len)
{
	static const char *const horizon[] = { "days", "warmup_days", "replications" };
	const struct model *m = c->m;
	if (value_get(c, "scenario", "scenario", "max_events", v))
		return EX_DATAERR;
	if (v->e)
		return 0;
	for (size_t k = 0; k < sizeof horizon / sizeof *horizon; k++) {
		if (value_get(c, "scenario", "scenario", horizon[k], v))
			return EX_DATAERR;
		if (v->e && v->e->line == 0)
			return 0;
	}
	for (size_t i = 0; i < m->nstream; i++) {
		snprintf(section, len, "stream.%s", m->stream[i].name);
		if (value_get(c, "stream", section, "per_day", v))
			return EX_DATAERR;
		if (v->e && v->e->line == 0)
			return 0;
	}
	long busiest = busiest_stream(c);
	double per_rep_day = m->est_events / (m->replications * (m->days + m->warmup_days));
	if (busiest >= 0 && !(per_rep_day <= m->max_events)) {
		snprintf(section, len, "stream.%s", m->stream[busiest].name);
		return value_get(c, "stream", section, "per_day", v);
	}
	if (value_get(c, "scenario", "scenario", "days", v))
		return EX_DATAERR;
	if (v->e)
		return 0;
	if (value_get(c, "scenario", "scenario", "replications", v))
		return EX_DATAERR;
	if (v->e)
		return 0;
	if (busiest >= 0) {
		snprintf(section, len, "stream.%s", m->stream[busiest].name);
		return value_get(c, "stream", section, "per_day", v);
	}
	const struct scenario_entry *first = c->sc->n ? &c->sc->entry[0] : NULL;
	*v = (struct value){ first, "scenario", "max_events", NULL };
	return 0;
}

/* Refuses a run that would take longer than its budget, before it starts.
 * Every clock hour of every replication is at least one event, the engine's
 * hour boundary, however few the arrivals: a horizon of 1e300 days with no
 * arrivals would otherwise pass and never end. Within the budget (at most
 * 1e18) the engine's hour count also stays far inside a long. */
static int compile_budget(struct compile *c)
{
	struct model *m = c->m;
	struct value v;
	double hours = 24 * (m->days + m->warmup_days) * m->replications;
	size_t at;
	if (expected_events(m, &at) < 0) {
		char *sec = xasprintf("stage.%s", m->stage[at].name);
		int rc = value_get(c, "stage", sec, "next", &v);
		free(sec);
		if (rc)
			return EX_DATAERR;
		return value_fail(c, &v, "arrivals at '%s' would circle its routing loop so long that "
		                  "the run's events cannot be estimated; make leaving the loop "
		                  "likelier", m->stage[at].name);
	}
	if (m->est_events <= m->max_events && hours <= m->max_events)
		return 0;
	char section[64];
	if (budget_blame(c, &v, section, sizeof section))
		return EX_DATAERR;
	if (m->est_events > m->max_events)
		return value_fail(c, &v, "the run would take about %.3g events (%u replications of "
		                  "%g days and %g days of warm-up), over the budget of "
		                  "scenario.max_events = %.3g; shorten the run or raise the budget",
		                  m->est_events, m->replications, m->days, m->warmup_days,
		                  m->max_events);
	return value_fail(c, &v, "the run would step through about %.3g clock hours, each at "
	                  "least one event (%u replications of %g days and %g days of warm-up), "
	                  "over the budget of scenario.max_events = %.3g; shorten the run or "
	                  "raise the budget", hours, m->replications, m->days, m->warmup_days,
	                  m->max_events);
}

/* What the engine should track beyond the generic network. */
static void compile_flags(struct model *m)
{
	for (size_t i = 0; i < m->nstage; i++) {
		m->uses_risk |= m->stage[i].targeting > 0;
		m->national |= m->stage[i].kind != STAGE_INSPECTION;
	}
	for (size_t i = 0; i < m->nstream; i++)
		m->national |= m->stream[i].counts != COUNTS_NONE;
	for (size_t i = 0; i < m->nfind; i++) {
		m->uses_risk |= m->find[i].concentration > 0;
		m->national = 1;
	}
}

/* Every stage must have a way to exit: otherwise its arrivals circle for
 * ever. Marks the stages from which exit can be reached by walking the routes
 * backwards from exit, each route once (a fixed point over all stages took
 * one pass a stage of a long chain). */
static int compile_exits(struct compile *c)
{
	struct model *m = c->m;
	size_t n = m->nstage, nq = 0, *first = xcalloc(n + 1, sizeof *first), *from, *queue;
	int *out = xcalloc(n, sizeof *out), rc = 0;
	for (size_t i = 0; i < n; i++) {
		const struct route *r = &m->stage[i].next;
		for (size_t k = 0; k < r->n; k++)
			if (r->dest[k] != ROUTE_EXIT && route_p(r, k) > 0)
				first[r->dest[k] + 1]++;
	}
	for (size_t i = 0; i < n; i++)
		first[i + 1] += first[i];
	from = xmalloc((first[n] ? first[n] : 1) * sizeof *from);
	queue = xmalloc((n ? n : 1) * sizeof *queue);
	for (size_t i = 0; i < n; i++) {
		const struct route *r = &m->stage[i].next;
		for (size_t k = 0; k < r->n; k++) {
			if (!(route_p(r, k) > 0))
				continue;
			if (r->dest[k] == ROUTE_EXIT && !out[i])
				out[i] = 1, queue[nq++] = i;
			else if (r->dest[k] != ROUTE_EXIT)
				from[first[r->dest[k]]++] = i;
		}
	}
	for (size_t i = n; i > 0; i--)   /* first[j] now ends j's list: shift back */
		first[i] = first[i - 1];
	first[0] = 0;
	for (size_t q = 0; q < nq; q++)
		for (size_t e = first[queue[q]]; e < first[queue[q] + 1]; e++)
			if (!out[from[e]])
				out[from[e]] = 1, queue[nq++] = from[e];
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (out[i])
			continue;
		char *section = xasprintf("stage.%s", m->stage[i].name);
		struct value v;
		if (value_at(c, KEYS_STAGE_NEXT, section, &v) == 0)
			rc = value_fail(c, &v, "arrivals at '%s' can never leave: no route from it "
			                "reaches exit", m->stage[i].name);
		else
			rc = EX_DATAERR;
		free(section);
	}
	free(queue);
	free(from);
	free(first);
	free(out);
	return rc;
}

int model_compile(struct model *m, const struct scenario *sc, char *err, size_t errlen)
{
	return model_compile_fault(m, sc, NULL, err, errlen);
}

int model_compile_fault(struct model *m, const struct scenario *sc, struct scenario_fault *fault,
                        char *err, size_t errlen)
{
	struct compile c = { sc, m, err, errlen, fault };
	int rc;
	if (fault)
		*fault = (struct scenario_fault){ NULL, 0 };
	memset(m, 0, sizeof *m);
	rc = compile_scenario(&c);
	if (rc)
		return rc;
	rc = compile_names(&c);
	for (size_t i = 0; i < m->nstage && !rc; i++)
		rc = compile_stage(&c, &m->stage[i]);
	for (size_t i = 0; i < m->nstream && !rc; i++)
		rc = compile_stream(&c, &m->stream[i]);
	for (size_t i = 0; i < m->nfind && !rc; i++)
		rc = compile_find(&c, &m->find[i]);
	if (!rc)
		rc = compile_events(&c);
	if (!rc)
		rc = compile_exits(&c);
	if (!rc)
		rc = compile_budget(&c);
	if (!rc)
		compile_flags(m);
	return rc;
}

void model_release(struct model *m)
{
	for (size_t i = 0; m->stream && i < m->nstream; i++) {
		struct model_stream *s = &m->stream[i];
		free(s->name);
		route_release(&s->route);
		free(s->persons);
		free(s->pcum);
		free(s->group);
		free(s->surge);
	}
	for (size_t i = 0; m->stage && i < m->nstage; i++) {
		free(m->stage[i].name);
		route_release(&m->stage[i].next);
		free(m->stage[i].group);
		free(m->stage[i].closure);
	}
	for (size_t i = 0; m->find && i < m->nfind; i++) {
		free(m->find[i].name);
		free(m->find[i].stage);
		free(m->find[i].unit);
	}
	free(m->find);
	for (size_t i = 0; m->window && i < m->nwindow; i++)
		free(m->window[i].label);
	free(m->window);
	free(m->stream);
	free(m->stage);
	free(m->stage_by_name);
	free(m->name);
	memset(m, 0, sizeof *m);
}
