/* model: a scenario's key/values compiled and validated into a model.
 *
 * Section by section, each key read once by value.c (from the scenario or
 * else the key table's default, parsed by its row's type — parse.c, dist.c,
 * route.c — and refused at the entry that gave it). Names are resolved in
 * two passes: every stage is named first, so a route may name a stage that
 * appears later in the file. The routes as a whole — every stage reaches
 * exit, the run's expected events within the budget — are checked by
 * traffic.c. The model is complete only when compile returns 0; on an error
 * it holds what was built so far, which model_release frees. */
#include "model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "autostaff.h"
#include "keys.h"
#include "parse.h"
#include "portmap.h"
#include "route.h"
#include "scenario.h"
#include "traffic.h"
#include "util.h"
#include "value.h"

/* ---- readers of values of several parts ----------------------------------- */

static int read_duration(const struct model *m, const char *text, void *minutes, char *msg,
                         size_t len)
{
	return parse_duration(text, minutes, msg, len);
}

/* One duration, or one a clock hour (a target's limit). */
static int read_durations(const struct model *m, const char *text, void *minutes, char *msg,
                          size_t len)
{
	return parse_durations(text, minutes, MODEL_HOURS, msg, len);
}

static int read_profile(const struct model *m, const char *text, void *stream, char *msg,
                        size_t len)
{
	struct model_stream *s = stream;
	return parse_profile(keys_row(KEYS_STREAM_PROFILE), text, s->per_day, s->weight,
	                     MODEL_HOURS, msg, len);
}

static int read_servers(const struct model *m, const char *text, void *stage, char *msg,
                        size_t len)
{
	struct model_stage *st = stage;
	st->auto_servers = parse_is_word(text, keys_row(KEYS_STAGE_SERVERS)->choices[1]);
	if (st->auto_servers)
		return 0;   /* autostaff.c sets them once the routes are known */
	return parse_servers(keys_row(KEYS_STAGE_SERVERS), text, st->servers, MODEL_HOURS,
	                     &st->unlimited, msg, len);
}

/* Whole numbers by shares (parse_persons), or a mean such as 1.89: the
 * whole numbers either side, in the shares that make it (a port's occupants
 * a vehicle, passengers a bus). */
static int read_counts(const struct key_def *d, const char *text, size_t *n, int **v,
                       double **cum, double *mean, char *msg, size_t len)
{
	double x;
	if (parse_number(text, &x, msg, len) == 0 && x > 1 && x <= d->hi && x != floor(x)) {
		double k = floor(x), f = x - k;
		char *shares = xasprintf("%.0f:%.17g, %.0f:%.17g", k, 1 - f, k + 1, f);
		int rc = parse_persons(d, shares, ROUTE_TOL, n, v, cum, mean, msg, len);
		free(shares);
		return rc;
	}
	return parse_persons(d, text, ROUTE_TOL, n, v, cum, mean, msg, len);
}

static int read_persons(const struct model *m, const char *text, void *stream, char *msg,
                        size_t len)
{
	struct model_stream *s = stream;
	return read_counts(keys_row(KEYS_STREAM_PERSONS), text, &s->npersons, &s->persons,
	                   &s->pcum, &s->persons_mean, msg, len);
}

/* The mean group size of a distribution's draws X as the engine makes them,
 * Y = min(hi, max(1, round(X))): E[Y] = 1 + sum over k from 1 to hi - 1 of
 * P(Y > k) = P(X >= k + 0.5), exactly. The terms fall with k; the sum stops
 * where the rest, each at most the last term, cannot reach 1e-15 of it. */
static double rounded_mean(const struct dist *d, double hi)
{
	double sum = 1;
	for (double k = 1; k < hi; k++) {
		double t = dist_at_least(d, k + 0.5);
		sum += t;
		if (t * (hi - k) < 1e-15 * sum)
			break;
	}
	return sum;
}

/* A group size: a distribution (it has parentheses), drawn and rounded, or
 * one number or shares of numbers as persons are. Groups come at per_day
 * over the mean size, exactly for every form: a distribution's is the mean
 * of its rounded draws. */
static int read_batch(const struct model *m, const char *text, void *stream, char *msg,
                      size_t len)
{
	struct model_stream *s = stream;
	if (strchr(text, '(')) {
		const struct key_def *d = keys_row(KEYS_STREAM_BATCH);
		if (dist_parse_quantity(&s->batch_dist, text, msg, len) < 0)
			return -1;
		s->batch_mean = s->batch_dist.mean;
		if (s->batch_mean > d->hi) {
			snprintf(msg, len, "a group's mean size must be at most %g, but '%s' has a "
			         "mean of %g", d->hi, text, s->batch_mean);
			return -1;
		}
		s->batch_mean = rounded_mean(&s->batch_dist, d->hi);
		return 0;
	}
	return read_counts(keys_row(KEYS_STREAM_BATCH), text, &s->nbatch, &s->batch, &s->bcum,
	                   &s->batch_mean, msg, len);
}

static int read_spread(const struct model *m, const char *text, void *stream, char *msg,
                       size_t len)
{
	struct model_stream *s = stream;
	if (dist_parse(&s->spread, text, msg, len) < 0)
		return -1;
	s->spread_zero = s->spread.kind == DIST_FIXED && s->spread.p[0] == 0;
	return 0;
}

/* ---- names and routes ----------------------------------------------------- */

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
static long stage_find(const void *model, const char *name)
{
	const struct model *m = model;
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

static const char *stage_name(const void *model, size_t i)
{
	return ((const struct model *)model)->stage[i].name;
}

int model_parse_route(struct route *r, const char *text, const struct model *m, char *err,
                      size_t errlen)
{
	struct route_names names = { m->nstage, stage_find, stage_name, m };
	return route_parse(r, text, &names, err, errlen);
}

/* ---- compiling ------------------------------------------------------------ */

static int compile_name(struct value_ctx *c)
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
static int compile_scenario(struct value_ctx *c)
{
	struct model *m = c->m;
	double reps;
	if (compile_name(c) || value_number(c, KEYS_SCENARIO_DAYS, NULL, &m->days) ||
	    value_number(c, KEYS_SCENARIO_WARMUP_DAYS, NULL, &m->warmup_days) ||
	    value_number(c, KEYS_SCENARIO_REPLICATIONS, NULL, &reps) ||
	    value_seed(c, KEYS_SCENARIO_SEED, NULL, &m->seed) ||
	    value_number(c, KEYS_SCENARIO_MAX_EVENTS, NULL, &m->max_events) ||
	    value_number(c, KEYS_SCENARIO_MAX_ENTITIES, NULL, &m->max_entities))
		return EX_DATAERR;
	m->replications = (unsigned)reps;
	return 0;
}

static int section_is(const char *section, const char *kind)
{
	size_t n = strlen(kind);
	return strncmp(section, kind, n) == 0 && section[n] == '.' && section[n + 1];
}

/* The first n bytes of p in a new block; p is freed. */
static void *shrunk(void *p, size_t n)
{
	void *q = xmalloc(n);
	memcpy(q, p, n);
	free(p);
	return q;
}

/* Whether a stream, stage or find section is on: its `when` numbers (port
 * figures) are "always", or one of them is above 0. */
static int section_on(struct value_ctx *c, enum keys_id id, const char *section, int *on)
{
	struct value v;
	struct parse_words ws = { NULL, 0 };
	char msg[UTIL_ERRLEN];
	int rc = value_at(c, id, section, &v);
	*on = 1;
	if (rc || parse_is_word(v.text, "always"))
		return rc;
	if (parse_words(&ws, v.text, msg, sizeof msg) < 0)
		return value_fail(c, &v, "%s", msg);
	*on = 0;
	for (size_t i = 0; i < ws.n && !rc; i++) {
		double x;
		if (!*ws.w[i])
			continue;
		if (parse_number(ws.w[i], &x, msg, sizeof msg) < 0)
			rc = value_fail(c, &v, "expected numbers or always, got '%s'", ws.w[i]);
		else if (x > 0)
			*on = 1;
	}
	parse_words_release(&ws);
	return rc;
}

/* Names every stream and stage, in order of first appearance. */
static int compile_names(struct value_ctx *c)
{
	const struct scenario *sc = c->sc;
	struct model *m = c->m;
	m->stream = xcalloc(sc->n, sizeof *m->stream);
	m->stage = xcalloc(sc->n, sizeof *m->stage);
	m->find = xcalloc(sc->n, sizeof *m->find);
	for (size_t i = 0; i < sc->n; i++) {
		const char *s = sc->entry[i].section;
		if (scenario_section_first(sc, s) != &sc->entry[i])
			continue;
		int on = 1;
		if ((section_is(s, "stream") && section_on(c, KEYS_STREAM_WHEN, s, &on)) ||
		    (section_is(s, "stage") && section_on(c, KEYS_STAGE_WHEN, s, &on)) ||
		    (section_is(s, "find") && section_on(c, KEYS_FIND_WHEN, s, &on)))
			return EX_DATAERR;
		if (!on)
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
		                "least one [stream.NAME] section", value_origin(sc));
	if (m->nstage == 0)
		return util_err(c->err, c->errlen, EX_DATAERR, "%s: no stages: a scenario needs at "
		                "least one [stage.NAME] section", value_origin(sc));
	/* Sized for every entry until counted: trimmed, a sweep keeps one model a point.
	 * Copied rather than shrunk in place, so the large blocks are freed whole for
	 * the next point's model instead of leaving holes too small for it. */
	m->stream = shrunk(m->stream, (m->nstream ? m->nstream : 1) * sizeof *m->stream);
	m->stage = shrunk(m->stage, (m->nstage ? m->nstage : 1) * sizeof *m->stage);
	m->find = shrunk(m->find, (m->nfind ? m->nfind : 1) * sizeof *m->find);
	stage_index(m);
	return 0;
}

static int read_route(const struct model *m, const char *text, void *route, char *msg,
                      size_t len)
{
	return model_parse_route(route, text, m, msg, len);
}

/* service, or per_hour: exactly one of the two. */
static int compile_service(struct value_ctx *c, const char *section, struct model_stage *st)
{
	const struct key_def *rate_row = keys_row(KEYS_STAGE_PER_HOUR);
	struct value sv, pv;
	char msg[UTIL_ERRLEN];
	double rate;
	if (value_at(c, KEYS_STAGE_SERVICE, section, &sv) ||
	    value_at(c, KEYS_STAGE_PER_HOUR, section, &pv))
		return EX_DATAERR;
	if (sv.e && pv.e)
		return value_fail(c, &pv, "give %s or %s, not both", sv.key, pv.key);
	if (pv.e) {
		int rc = parse_value(rate_row, pv.text, &rate, msg, sizeof msg);
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
		const struct scenario_entry *first = scenario_section_first(c->sc, section);
		struct value at = { first, section, sv.key, NULL };
		return value_fail(c, &at, "required key missing from [%s]: give %s or %s", section,
		                  sv.key, pv.key);
	}
	if (dist_parse(&st->service, sv.text, msg, sizeof msg) < 0)
		return value_fail(c, &sv, "%s", msg);
	return 0;
}

/* divert: "stream:share, ..." against the model's streams; the shares add
 * up to at most 1 (the rest stay). */
static int read_divert(const struct model *m, const char *text, void *stage, char *msg,
                       size_t len)
{
	struct model_stage *st = stage;
	struct parse_words ws;
	double sum = 0;
	int rc = -1;
	if (parse_is_word(text, "none"))
		return 0;
	if (parse_words(&ws, text, msg, len) < 0)
		return -1;
	st->divert_to = xcalloc(ws.n ? ws.n : 1, sizeof *st->divert_to);
	st->divert_cum = xcalloc(ws.n ? ws.n : 1, sizeof *st->divert_cum);
	for (size_t i = 0; i < ws.n; i++) {
		char *colon = strrchr(ws.w[i], ':');
		double p;
		size_t k;
		if (!colon || parse_number(colon + 1, &p, msg, len) < 0 || !(p > 0 && p <= 1)) {
			snprintf(msg, len, "expected stream:share with a share above 0 and at most 1, got "
			         "'%s'", ws.w[i]);
			goto out;
		}
		*colon = '\0';
		for (k = 0; k < m->nstream && strcmp(m->stream[k].name, ws.w[i]) != 0; k++)
			;
		if (k == m->nstream) {
			snprintf(msg, len, "unknown stream '%s'", ws.w[i]);
			goto out;
		}
		sum += p;
		st->divert_to[st->ndivert] = (int)k;
		st->divert_cum[st->ndivert++] = sum;
	}
	if (sum > 1 + ROUTE_TOL) {
		snprintf(msg, len, "the shares add up to %g, more than 1", sum);
		goto out;
	}
	rc = 0;
out:
	parse_words_release(&ws);
	return rc;
}

static int read_dist(const struct model *m, const char *text, void *dist, char *msg,
                     size_t len)
{
	return dist_parse(dist, text, msg, len);
}

/* The stage's keys, each read by its row's type, in the order of the rows
 * that say what is missing first. */
static int compile_stage(struct value_ctx *c, struct model_stage *st)
{
	char *section = xasprintf("stage.%s", st->name);
	int kind = 0, rc;
	double least = 0;
	st->capacity = MODEL_UNLIMITED;
	rc = value_with(c, KEYS_STAGE_SERVERS, section, read_servers, st) ||
	     value_number(c, KEYS_STAGE_BETA, section, &st->beta) ||
	     value_capacity(c, KEYS_STAGE_MAX_SERVERS, section, &st->max_servers) ||
	     value_number(c, KEYS_STAGE_MIN_SERVERS, section, &least) ||
	     compile_service(c, section, st) ||
	     value_choice(c, KEYS_STAGE_KIND, section, &kind) ||
	     value_capacity(c, KEYS_STAGE_FLUSH_ABOVE, section, &st->flush_above) ||
	     value_capacity(c, KEYS_STAGE_RATED_CAPACITY, section, &st->rated_capacity) ||
	     value_number(c, KEYS_STAGE_TARGETING, section, &st->targeting) ||
	     value_name(c, KEYS_STAGE_GROUP, section, &st->group) ||
	     value_capacity(c, KEYS_STAGE_CAPACITY, section, &st->capacity) ||
	     value_with(c, KEYS_STAGE_NEXT, section, read_route, &st->next) ||
	     value_with(c, KEYS_STAGE_DIVERT, section, read_divert, st) ||
	     value_capacity(c, KEYS_STAGE_DIVERT_ABOVE, section, &st->divert_above) ||
	     value_with(c, KEYS_STAGE_DIVERT_DELAY, section, read_dist, &st->divert_delay);
	st->kind = (enum model_stage_kind)kind;
	st->min_servers = (long)least;
	free(section);
	return rc ? EX_DATAERR : 0;
}

static int compile_stream(struct value_ctx *c, struct model_stream *s)
{
	char *section = xasprintf("stream.%s", s->name);
	double priority = 0;
	int counts = 0, rc;
	rc = value_number(c, KEYS_STREAM_PER_DAY, section, &s->per_day) ||
	     value_with(c, KEYS_STREAM_PROFILE, section, read_profile, s) ||
	     value_number(c, KEYS_STREAM_PRIORITY, section, &priority) ||
	     value_with(c, KEYS_STREAM_ROUTE, section, read_route, &s->route) ||
	     value_with(c, KEYS_STREAM_PERSONS, section, read_persons, s) ||
	     value_with(c, KEYS_STREAM_BATCH, section, read_batch, s) ||
	     value_with(c, KEYS_STREAM_BATCH_SPREAD, section, read_spread, s) ||
	     value_choice(c, KEYS_STREAM_COUNTS_AS, section, &counts) ||
	     value_choice(c, KEYS_STREAM_MEASURE, section, &s->measure) ||
	     value_number(c, KEYS_STREAM_VALUE, section, &s->value) ||
	     value_name(c, KEYS_STREAM_GROUP, section, &s->group);
	s->batched = scenario_get(c->sc, section, "batch") ||
	             scenario_get(c->sc, section, "batch_spread");
	s->priority = (int)priority;
	s->counts = (enum model_counts)counts;
	free(section);
	return rc ? EX_DATAERR : 0;
}

/* ---- finds, surges, closures, staffing ------------------------------------ */

/* Resolves a list of names ("a, b") against the stages (streams = 0) or the
 * streams (streams = 1) into a new array of indices. */
/* "; did you mean 'NAME'?" naming the stream or stage (or, with groups, the
 * group of one) nearest to typed, or "" when none is near. */
static const char *nearest_hint(const struct model *m, int streams, int groups,
                                const char *typed, char *hint, size_t len)
{
	const char *best = NULL;
	size_t best_d = (size_t)-1, count = streams ? m->nstream : m->nstage;
	for (size_t k = 0; k < count; k++) {
		const char *s = groups ? (streams ? m->stream[k].group : m->stage[k].group)
		                       : (streams ? m->stream[k].name : m->stage[k].name);
		size_t d = s ? keys_distance(typed, s) : (size_t)-1;
		if (d < best_d) {
			best_d = d;
			best = s;
		}
	}
	if (best && keys_near(best_d, typed))
		snprintf(hint, len, "; did you mean '%s'?", best);
	else
		snprintf(hint, len, "%s", "");
	return hint;
}

static int resolve_list(const struct model *m, const char *text, int streams, int **idx,
                        size_t *n, char *msg, size_t len)
{
	struct parse_words ws;
	int rc = -1;
	*idx = NULL;
	*n = 0;
	if (parse_words(&ws, text, msg, len) < 0)
		return -1;
	*idx = xcalloc(ws.n ? ws.n : 1, sizeof **idx);
	for (size_t i = 0; i < ws.n; i++) {
		size_t count = streams ? m->nstream : m->nstage, k;
		for (k = 0; k < count; k++)
			if (!strcmp(ws.w[i], streams ? m->stream[k].name : m->stage[k].name))
				break;
		if (k == count) {
			char hint[128];
			snprintf(msg, len, "unknown %s '%s'%s", streams ? "stream" : "stage", ws.w[i],
			         nearest_hint(m, streams, 0, ws.w[i], hint, sizeof hint));
			goto out;
		}
		for (size_t j = 0; j < *n; j++)
			if ((*idx)[j] == (int)k) {
				snprintf(msg, len, "'%s' appears twice in '%s'", ws.w[i], text);
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
	parse_words_release(&ws);
	return rc;
}

/* The find's stages: a list of at least one stage. */
static int read_find_stages(const struct model *m, const char *text, void *find, char *msg,
                            size_t len)
{
	struct model_find *f = find;
	if (resolve_list(m, text, 0, &f->stage, &f->nstage, msg, len) < 0)
		return -1;
	if (f->nstage == 0) {
		snprintf(msg, len, "expected a list of stages");
		return -1;
	}
	return 0;
}

static int read_amount(const struct model *m, const char *text, void *amount, char *msg,
                       size_t len)
{
	return dist_parse_quantity(amount, text, msg, len);
}

static int compile_find(struct value_ctx *c, struct model_find *f)
{
	char *section = xasprintf("find.%s", f->name);
	int counts = 0, rc;
	rc = value_with(c, KEYS_FIND_STAGES, section, read_find_stages, f) ||
	     value_number(c, KEYS_FIND_PROBABILITY, section, &f->probability) ||
	     value_number(c, KEYS_FIND_CONCENTRATION, section, &f->concentration) ||
	     value_with(c, KEYS_FIND_AMOUNT, section, read_amount, &f->amount) ||
	     value_name(c, KEYS_FIND_UNIT, section, &f->unit) ||
	     value_choice(c, KEYS_FIND_COUNTS_AS, section, &counts);
	f->counts = counts;
	free(section);
	return rc ? EX_DATAERR : 0;
}

/* The targets of a surge, closure or staffing section: its `streams` or
 * `stages` list and its `group`, as a 0/1 mark per stream or stage. */
static int compile_targets(struct value_ctx *c, enum keys_id list_id, enum keys_id group_id,
                           const char *section, int streams, int *mark)
{
	/* each kind's ports and port_groups rows follow its group row */
	enum keys_id ports_id = (enum keys_id)(group_id + 1), pgroups_id = (enum keys_id)(group_id + 2);
	struct value lv, gv;
	struct parse_words groups = { NULL, 0 };
	char msg[UTIL_ERRLEN];
	const char *group;
	int *idx = NULL, rc = EX_DATAERR, any = 0;
	size_t n = 0, count = streams ? c->m->nstream : c->m->nstage;
	const char *list = keys_row(list_id)->name;
	if (value_at(c, list_id, section, &lv) || value_at(c, group_id, section, &gv))
		goto out;
	if (lv.e && resolve_list(c->m, lv.text, streams, &idx, &n, msg, sizeof msg) < 0) {
		rc = value_fail(c, &lv, "%s", msg);
		goto out;
	}
	if (gv.e && parse_words(&groups, gv.text, msg, sizeof msg) < 0) {
		rc = value_fail(c, &gv, "%s", msg);
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		mark[idx[i]] = any = 1;
	if (portmap_targets(c, ports_id, pgroups_id, section, streams, mark, &any))
		goto out;
	for (size_t k = 0; k < groups.n; k++) {
		int found = 0;
		group = groups.w[k];
		for (size_t i = 0; i < count; i++) {
			const char *g = streams ? c->m->stream[i].group : c->m->stage[i].group;
			if (g && strcmp(g, group) == 0)
				mark[i] = any = found = 1;
		}
		if (!found) {
			char hint[128];
			rc = value_fail(c, &gv, "no %s is in group '%s'%s", streams ? "stream" : "stage",
			                group, nearest_hint(c->m, streams, 1, group, hint, sizeof hint));
			goto out;
		}
	}
	if (!any) {
		const struct scenario_entry *first = scenario_section_first(c->sc, section);
		struct value at = { lv.e ? lv.e : first, section, list, NULL };
		rc = value_fail(c, &at, "give %s, %s, ports or port_groups", list, gv.key);
		goto out;
	}
	rc = 0;
out:
	parse_words_release(&groups);
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

static int compile_surge(struct value_ctx *c, const char *section)
{
	struct model *m = c->m;
	struct model_surge sg;
	double start, up, dur, down;
	int *mark = xcalloc(m->nstream, sizeof *mark), rc = EX_DATAERR;
	if (compile_targets(c, KEYS_SURGE_STREAMS, KEYS_SURGE_GROUP, section, 1, mark) ||
	    value_number(c, KEYS_SURGE_FACTOR, section, &sg.factor) ||
	    value_with(c, KEYS_SURGE_START, section, read_duration, &start) ||
	    value_with(c, KEYS_SURGE_RAMP_UP, section, read_duration, &up) ||
	    value_with(c, KEYS_SURGE_DURATION, section, read_duration, &dur) ||
	    value_with(c, KEYS_SURGE_RAMP_DOWN, section, read_duration, &down))
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

static int compile_closure(struct value_ctx *c, const char *section)
{
	struct model *m = c->m;
	double start, dur, w = m->warmup_days * 1440.0;
	int *mark = xcalloc(m->nstage, sizeof *mark), rc = EX_DATAERR;
	if (compile_targets(c, KEYS_CLOSURE_STAGES, KEYS_CLOSURE_GROUP, section, 0, mark) ||
	    value_with(c, KEYS_CLOSURE_START, section, read_duration, &start) ||
	    value_with(c, KEYS_CLOSURE_DURATION, section, read_duration, &dur))
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
static int compile_staffing(struct value_ctx *c, const char *section)
{
	struct model *m = c->m;
	double f, add, most = keys_row(KEYS_STAGE_SERVERS)->hi;
	int *mark = xcalloc(m->nstage, sizeof *mark), rc = EX_DATAERR;
	if (compile_targets(c, KEYS_STAFFING_STAGES, KEYS_STAFFING_GROUP, section, 0, mark) ||
	    value_number(c, KEYS_STAFFING_FACTOR, section, &f) ||
	    value_number(c, KEYS_STAFFING_ADD, section, &add))
		goto out;
	for (size_t i = 0; i < m->nstage; i++) {
		struct model_stage *st = &m->stage[i];
		if (!mark[i] || st->unlimited)
			continue;
		for (int h = 0; h < MODEL_HOURS; h++) {
			double x = fmax(floor(st->servers[h] * f + 0.5) + add, 0);
			if (st->max_servers != MODEL_UNLIMITED && x > (double)st->max_servers)
				x = (double)st->max_servers;
			st->servers[h] = x > most ? (int)most : (int)x;
		}
	}
	rc = 0;
out:
	free(mark);
	return rc;
}

/* A [target.NAME] section (bordersim staff reads it, target.h): checked
 * here so that every command refuses a bad one; nothing of it is kept. */
static int compile_target(struct value_ctx *c, const char *section)
{
	int *mark = xcalloc(c->m->nstage, sizeof *mark), metric, rc = EX_DATAERR;
	double limit[MODEL_HOURS];
	if (!compile_targets(c, KEYS_TARGET_STAGES, KEYS_TARGET_GROUP, section, 0, mark) &&
	    !value_choice(c, KEYS_TARGET_METRIC, section, &metric) &&
	    !value_with(c, KEYS_TARGET_LIMIT, section, read_durations, limit))
		rc = 0;
	free(mark);
	return rc;
}

/* Surges, closures and staffing sections, in order of first appearance (so
 * two staffing factors on a stage compound in file order). */
static int compile_events(struct value_ctx *c)
{
	const struct scenario *sc = c->sc;
	int rc = 0;
	for (size_t i = 0; i < sc->n && !rc; i++) {
		const char *s = sc->entry[i].section;
		if (scenario_section_first(sc, s) != &sc->entry[i])
			continue;
		if (section_is(s, "surge"))
			rc = compile_surge(c, s);
		else if (section_is(s, "closure"))
			rc = compile_closure(c, s);
		else if (section_is(s, "staffing"))
			rc = compile_staffing(c, s);
		else if (section_is(s, "target"))
			rc = compile_target(c, s);
	}
	return rc;
}

/* The stream with the most arrivals a day that the scenario sets, or -1. */
static long busiest_stream(const struct value_ctx *c)
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
static int budget_blame(struct value_ctx *c, struct value *v, char *section, size_t len)
{
	static const char *const horizon[] = { "days", "warmup_days", "replications" };
	const struct model *m = c->m;
	if (value_get(c, "scenario", "scenario", "max_events", v))
		return EX_DATAERR;
	if (v->e)
		return 0;
	for (size_t k = 0; k < NELEM(horizon); k++) {
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
static int compile_budget(struct value_ctx *c)
{
	struct model *m = c->m;
	struct value v;
	double hours = 24 * (m->days + m->warmup_days) * m->replications;
	size_t at;
	if (traffic_events(m, &m->est_events, &at) < 0) {
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

/* A refusal at the `next` of stage at: what is wrong where its routes lead. */
static int next_fail(struct value_ctx *c, size_t at, const char *what)
{
	struct value v;
	char *section = xasprintf("stage.%s", c->m->stage[at].name);
	int rc = value_at(c, KEYS_STAGE_NEXT, section, &v) ? EX_DATAERR :
	         value_fail(c, &v, what, c->m->stage[at].name);
	free(section);
	return rc;
}

/* Every stage must have a way to exit: otherwise its arrivals circle for
 * ever. */
static int compile_exits(struct value_ctx *c)
{
	size_t at;
	if (traffic_exits(c->m, &at) == 0)
		return 0;
	return next_fail(c, at, "arrivals at '%s' can never leave: no route from it reaches exit");
}

/* The stages of the [staffing.NAME] sections with servers = auto, marked
 * auto_servers: staffed by the rule on this scenario's loads in place of
 * their schedules (a scenario that moves load onto stages that a file it
 * includes has staffed). */
static int compile_restaff(struct value_ctx *c)
{
	const struct scenario *sc = c->sc;
	int *mark = xcalloc(c->m->nstage ? c->m->nstage : 1, sizeof *mark), rc = 0;
	for (size_t i = 0; i < sc->n && !rc; i++) {
		const char *s = sc->entry[i].section;
		int rule = 0;
		if (strncmp(s, "staffing.", 9) != 0 || scenario_section_first(sc, s) != &sc->entry[i])
			continue;
		if ((rc = value_choice(c, KEYS_STAFFING_SERVERS, s, &rule)) != 0 || rule == 0)
			continue;
		memset(mark, 0, c->m->nstage * sizeof *mark);
		if ((rc = compile_targets(c, KEYS_STAFFING_STAGES, KEYS_STAFFING_GROUP, s, 0, mark)))
			break;
		for (size_t k = 0; k < c->m->nstage; k++)
			if (mark[k] && !c->m->stage[k].unlimited)
				c->m->stage[k].auto_servers = 1;
	}
	free(mark);
	return rc ? EX_DATAERR : 0;
}

/* servers = auto, once the routes are known (autostaff.h). */
static int compile_auto(struct value_ctx *c)
{
	size_t at;
	if (compile_restaff(c))
		return EX_DATAERR;
	if (autostaff_apply(c->m, &at) == 0)
		return 0;
	return next_fail(c, at, "servers = auto: the visits of the loop through '%s' cannot be "
	                 "computed (it is closed, or too nearly so)");
}

int model_section_stages(struct model *m, const struct scenario *sc, enum keys_id list_id,
                         enum keys_id group_id, const char *section, int *mark, char *err,
                         size_t errlen)
{
	char (*ring)[PORTS_VALUE_MAX] = xmalloc(VALUE_RING * sizeof *ring);
	struct value_ctx c = { sc, m, err, errlen, NULL, ring, 0 };
	int rc = compile_targets(&c, list_id, group_id, section, 0, mark);
	free(ring);
	return rc;
}

int model_compile(struct model *m, const struct scenario *sc, char *err, size_t errlen)
{
	return model_compile_fault(m, sc, NULL, err, errlen);
}

int model_compile_fault(struct model *m, const struct scenario *sc, struct scenario_fault *fault,
                        char *err, size_t errlen)
{
	struct value_ctx c = { sc, m, err, errlen, fault, NULL, 0 };
	int rc;
	if (fault)
		*fault = (struct scenario_fault){ NULL, 0 };
	memset(m, 0, sizeof *m);
	rc = compile_scenario(&c);
	if (!rc)
		rc = compile_names(&c);
	if (!rc)
		rc = portmap_compile(&c);
	for (size_t i = 0; i < m->nstage && !rc; i++)
		rc = compile_stage(&c, &m->stage[i]);
	for (size_t i = 0; i < m->nstream && !rc; i++)
		rc = compile_stream(&c, &m->stream[i]);
	for (size_t i = 0; i < m->nfind && !rc; i++)
		rc = compile_find(&c, &m->find[i]);
	if (!rc)
		rc = compile_exits(&c);
	if (!rc)
		rc = compile_auto(&c);
	if (!rc)
		rc = compile_events(&c);
	if (!rc)
		rc = compile_budget(&c);
	if (!rc)
		compile_flags(m);
	free(c.resolved);
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
		free(s->batch);
		free(s->bcum);
		free(s->group);
		free(s->surge);
	}
	for (size_t i = 0; m->stage && i < m->nstage; i++) {
		free(m->stage[i].name);
		route_release(&m->stage[i].next);
		free(m->stage[i].group);
		free(m->stage[i].closure);
		free(m->stage[i].divert_to);
		free(m->stage[i].divert_cum);
	}
	for (size_t i = 0; m->find && i < m->nfind; i++) {
		free(m->find[i].name);
		free(m->find[i].stage);
		free(m->find[i].unit);
	}
	free(m->find);
	for (size_t i = 0; m->port && i < m->nport; i++) {
		free(m->port[i].name);
		free(m->port[i].group);
	}
	free(m->port);
	for (size_t i = 0; m->pgroup && i < m->npgroup; i++)
		free(m->pgroup[i]);
	free(m->pgroup);
	for (size_t i = 0; m->window && i < m->nwindow; i++)
		free(m->window[i].label);
	free(m->window);
	free(m->stream);
	free(m->stage);
	free(m->stage_by_name);
	free(m->name);
	memset(m, 0, sizeof *m);
}
