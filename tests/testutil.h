/* testutil: models built by hand for the engine and theory tests, so those
 * tests do not depend on the scenario reader. */
#ifndef BORDERSIM_TESTUTIL_H
#define BORDERSIM_TESTUTIL_H

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dist.h"
#include "model.h"
#include "results.h"
#include "util.h"

static inline void tu_route(struct route *r, size_t n, const int *dest, const double *p)
{
	r->n = n;
	r->dest = xmalloc(n * sizeof *r->dest);
	r->cum = xmalloc(n * sizeof *r->cum);
	double c = 0;
	for (size_t i = 0; i < n; i++) {
		r->dest[i] = dest[i];
		c += p ? p[i] : 1.0;
		r->cum[i] = i + 1 == n ? 1.0 : c;
	}
}

static inline void tu_model(struct model *m, size_t nstream, size_t nstage, double days,
                            double warmup_days, unsigned reps, uint64_t seed)
{
	memset(m, 0, sizeof *m);
	m->name = xstrdup("test");
	m->days = days;
	m->warmup_days = warmup_days;
	m->replications = reps;
	m->seed = seed;
	m->nstream = nstream;
	m->nstage = nstage;
	m->stream = xcalloc(nstream, sizeof *m->stream);
	m->stage = xcalloc(nstage, sizeof *m->stage);
}

/* A flat stream named name, per_day arrivals, first stage `to`. */
static inline void tu_stream(struct model *m, size_t i, const char *name, double per_day, int to)
{
	struct model_stream *s = &m->stream[i];
	s->name = xstrdup(name);
	s->per_day = per_day;
	for (int h = 0; h < MODEL_HOURS; h++)
		s->weight[h] = 1.0 / MODEL_HOURS;
	tu_route(&s->route, 1, &to, NULL);
}

/* A stage with constant servers and a service given as text. */
static inline void tu_stage(struct model *m, size_t i, const char *name, int servers,
                            const char *service)
{
	struct model_stage *st = &m->stage[i];
	st->name = xstrdup(name);
	for (int h = 0; h < MODEL_HOURS; h++)
		st->servers[h] = servers;
	st->capacity = MODEL_UNLIMITED;
	st->flush_above = MODEL_UNLIMITED;
	st->rated_capacity = MODEL_UNLIMITED;
	char err[256];
	if (dist_parse(&st->service, service, err, sizeof err) != 0)
		abort();
	int exit_ = ROUTE_EXIT;
	tu_route(&st->next, 1, &exit_, NULL);
}

/* Stream 0 of m arrives in groups: sizes size[i] with shares p[i] (n > 0), or
 * the distribution dist (n == 0) whose rounded draws have the mean `mean`
 * (as the compiler finds it), each member spread by spread. */
static inline void tu_batch(struct model *m, size_t n, const int *size, const double *p,
                            const char *dist, double mean, const char *spread)
{
	struct model_stream *s = &m->stream[0];
	char err[256];
	s->batched = 1;
	s->nbatch = n;
	s->batch = xcalloc(n ? n : 1, sizeof *s->batch);
	s->bcum = xcalloc(n ? n : 1, sizeof *s->bcum);
	double c = 0;
	for (size_t i = 0; i < n; i++) {
		s->batch[i] = size[i];
		c += p[i];
		s->bcum[i] = i + 1 == n ? 1.0 : c;
		s->batch_mean += size[i] * p[i];
	}
	if (!n) {
		if (dist_parse_quantity(&s->batch_dist, dist, err, sizeof err) != 0)
			abort();
		s->batch_mean = mean;
	}
	if (dist_parse(&s->spread, spread, err, sizeof err) != 0)
		abort();
	s->spread_zero = s->spread.kind == DIST_FIXED && s->spread.p[0] == 0;
}

/* The value of scope/name/metric in r; NAN when absent. */
static inline double tu_metric(const struct results *r, const char *scope, const char *name,
                               const char *metric)
{
	for (size_t i = 0; i < r->nmetric; i++)
		if (!strcmp(r->metric[i].scope, scope) && !strcmp(r->metric[i].name, name) &&
		    !strcmp(r->metric[i].metric, metric))
			return r->metric[i].value;
	return NAN;
}

#endif
