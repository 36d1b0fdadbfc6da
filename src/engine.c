/* engine: one replication of a staffed queueing network.
 *
 * Three kinds of event drive it: a stream's next arrival, a service
 * completion, and a boundary — every clock hour, the end of the warm-up and the
 * end of the horizon. Statistics are gathered per stage for the current
 * interval between boundaries only (counts, time integrals, a wait histogram);
 * a boundary closes the interval into an hourly row and into the run totals,
 * so the hot path updates one set of accumulators and memory does not grow
 * with the number of entities simulated.
 *
 * Shift semantics: at each clock hour a stage's scheduled servers become
 * servers[hour]. When the count rises the new servers take from the queue at
 * once; when it falls, idle servers leave at once and busy ones finish the
 * entity in hand, then go off duty (no preemption). So the servers on duty are
 * always max(scheduled, busy), and utilisation is busy server-time over
 * on-duty server-time. */
#include "engine.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "calendar.h"
#include "dist.h"
#include "histo.h"
#include "rng.h"
#include "util.h"

#define NPRIO 10
#define CHUNK 4096

struct entity {
	double t_system;         /* arrival in the system */
	double t_queue;          /* joined the current stage */
	struct entity *next;     /* queue link, or free-list link */
	struct stage_rt *stage;  /* where it is being served */
	unsigned stream;
	unsigned prio;
};

struct interval {            /* one stage between two boundaries */
	double start;
	double q_area, busy_area, duty_area;
	long arrivals, served, blocked, q_max;
	struct histo wait;
};

struct stage_rt {
	const struct model_stage *def;
	struct rng *svc, *route;
	long target, on_duty, busy, nq;
	struct { struct entity *head, *tail; } q[NPRIO];
	unsigned mask;           /* bit p set when q[p] is not empty */
	double t_last;           /* integrals are up to date to here */
	struct interval cur;
	/* run totals, from the intervals inside the reporting window */
	double q_area, busy_area, duty_area;
	long arrivals, served, blocked, q_max;
	struct histo wait;
};

struct stream_rt {
	const struct model_stream *def;
	struct rng *arr, *route;
	double rate[MODEL_HOURS];   /* arrivals per minute, by clock hour */
	int flat;                   /* the same rate every hour */
	long arrivals, completed;
	struct histo tis;
};

struct engine {
	const struct model *m;
	double now, warm, end;
	int done;
	struct calendar cal;
	struct stage_rt *stage;
	struct stream_rt *stream;
	struct entity *free_list;
	struct entity **chunks;
	size_t nchunk;
	struct results *out;
	uint64_t events, visits;
};

/* ---- entities ---------------------------------------------------------- */

static struct entity *entity_new(struct engine *e)
{
	if (!e->free_list) {
		struct entity *c = xmalloc(CHUNK * sizeof *c);
		e->chunks = xrealloc(e->chunks, (e->nchunk + 1) * sizeof *e->chunks);
		e->chunks[e->nchunk++] = c;
		for (size_t i = 0; i < CHUNK; i++) {
			c[i].next = e->free_list;
			e->free_list = &c[i];
		}
	}
	struct entity *x = e->free_list;
	e->free_list = x->next;
	return x;
}

static void entity_free(struct engine *e, struct entity *x)
{
	x->next = e->free_list;
	e->free_list = x;
}

/* ---- stage statistics --------------------------------------------------- */

static inline void advance(struct stage_rt *st, double now)
{
	double dt = now - st->t_last;
	st->cur.q_area += (double)st->nq * dt;
	st->cur.busy_area += (double)st->busy * dt;
	st->cur.duty_area += (double)st->on_duty * dt;
	st->t_last = now;
}

static void interval_reset(struct stage_rt *st, double now)
{
	struct interval *c = &st->cur;
	c->start = now;
	c->q_area = c->busy_area = c->duty_area = 0;
	c->arrivals = c->served = c->blocked = 0;
	c->q_max = st->nq;
	histo_reset(&c->wait);
}

/* Closes the current interval of every stage at now; reports it when it lies
 * inside the reporting window. */
static void close_intervals(struct engine *e, double now)
{
	for (size_t i = 0; i < e->m->nstage; i++) {
		struct stage_rt *st = &e->stage[i];
		struct interval *c = &st->cur;
		advance(st, now);
		if (c->start >= e->warm && now > c->start) {
			struct hour_row *h = results_add_hour(e->out);
			double span = now - c->start;
			h->day = (unsigned)floor((c->start - e->warm) / 1440.0) + 1;
			h->hour = (unsigned)fmod(floor(c->start / 60.0), 24.0);
			h->stage = (unsigned)i;
			h->arrivals = (double)c->arrivals;
			h->departures = (double)c->served;
			h->servers = (double)st->target;
			h->queue_mean = c->q_area / span;
			h->queue_max = (double)c->q_max;
			h->wait_mean = histo_mean(&c->wait);
			h->wait_p95 = histo_quantile(&c->wait, 0.95);
			h->utilization = c->duty_area > 0 ? c->busy_area / c->duty_area : NAN;
			st->q_area += c->q_area;
			st->busy_area += c->busy_area;
			st->duty_area += c->duty_area;
			st->arrivals += c->arrivals;
			st->served += c->served;
			st->blocked += c->blocked;
			if (c->q_max > st->q_max)
				st->q_max = c->q_max;
			histo_merge(&st->wait, &c->wait);
		}
		interval_reset(st, now);
	}
}

/* ---- queues and servers ------------------------------------------------- */

static void ev_depart(void *ctx, void *subject);

static void start_service(struct engine *e, struct stage_rt *st, struct entity *x)
{
	histo_add(&st->cur.wait, e->now - x->t_queue);
	st->busy++;
	x->stage = st;
	double t = e->now + dist_draw(&st->def->service, st->svc);
	calendar_push(&e->cal, t, ev_depart, x);
}

static void enqueue(struct stage_rt *st, struct entity *x)
{
	unsigned p = x->prio;
	x->next = NULL;
	if (st->q[p].tail)
		st->q[p].tail->next = x;
	else
		st->q[p].head = x;
	st->q[p].tail = x;
	st->mask |= 1u << p;
	if (++st->nq > st->cur.q_max)
		st->cur.q_max = st->nq;
}

static struct entity *dequeue(struct stage_rt *st)
{
	unsigned p = 31u - (unsigned)__builtin_clz(st->mask);
	struct entity *x = st->q[p].head;
	st->q[p].head = x->next;
	if (!x->next) {
		st->q[p].tail = NULL;
		st->mask &= ~(1u << p);
	}
	st->nq--;
	return x;
}

/* Free servers take waiting entities, highest priority first. */
static void fill_servers(struct engine *e, struct stage_rt *st)
{
	while (st->busy < st->on_duty && st->nq > 0)
		start_service(e, st, dequeue(st));
}

static void set_servers(struct engine *e, struct stage_rt *st, long target)
{
	advance(st, e->now);
	st->target = target;
	st->on_duty = target > st->busy ? target : st->busy;
	fill_servers(e, st);
}

static int route_pick(const struct route *r, struct rng *g)
{
	if (r->n == 1)
		return r->dest[0];
	double u = rng_uniform(g);
	for (size_t i = 0; i + 1 < r->n; i++)
		if (u < r->cum[i])
			return r->dest[i];
	return r->dest[r->n - 1];
}

static void deliver(struct engine *e, struct entity *x, int dest);

static void stage_arrive(struct engine *e, struct stage_rt *st, struct entity *x)
{
	e->visits++;
	advance(st, e->now);
	st->cur.arrivals++;
	x->t_queue = e->now;
	if (st->busy < st->on_duty) {
		start_service(e, st, x);
	} else if (st->def->capacity != MODEL_UNLIMITED && st->nq >= st->def->capacity) {
		st->cur.blocked++;
		entity_free(e, x);
	} else {
		enqueue(st, x);
	}
}

static void deliver(struct engine *e, struct entity *x, int dest)
{
	if (dest != ROUTE_EXIT) {
		stage_arrive(e, &e->stage[dest], x);
		return;
	}
	struct stream_rt *s = &e->stream[x->stream];
	s->completed++;
	histo_add(&s->tis, e->now - x->t_system);
	entity_free(e, x);
}

static void ev_depart(void *ctx, void *subject)
{
	struct engine *e = ctx;
	struct entity *x = subject;
	struct stage_rt *st = x->stage;
	advance(st, e->now);
	st->busy--;
	st->cur.served++;
	if (st->on_duty > st->target)
		st->on_duty--;           /* a server past its shift goes home */
	else if (st->nq > 0)
		start_service(e, st, dequeue(st));
	deliver(e, x, route_pick(&st->def->next, st->route));
}

/* ---- arrivals ----------------------------------------------------------- */

/* The first arrival after t of a Poisson process whose rate is constant within
 * each clock hour, by inverting the integrated rate: one exponential draw,
 * spent hour by hour. Exact, with no thinning and no bias at hour edges. */
static double next_arrival(struct stream_rt *s, double t)
{
	double need = rng_exponential(s->arr, 1.0);
	if (s->flat)
		return t + need / s->rate[0];
	for (;;) {
		double h = floor(t / 60.0);
		double r = s->rate[(long)h % MODEL_HOURS];
		double edge = (h + 1.0) * 60.0;
		if (r > 0 && t + need / r < edge)
			return t + need / r;
		need -= r * (edge - t);
		if (need < 0)
			need = 0;        /* rounding at the edge */
		t = edge;
	}
}

static void ev_arrival(void *ctx, void *subject)
{
	struct engine *e = ctx;
	struct stream_rt *s = subject;
	double t = next_arrival(s, e->now);
	if (t < e->end)
		calendar_push(&e->cal, t, ev_arrival, s);
	struct entity *x = entity_new(e);
	x->t_system = e->now;
	x->stream = (unsigned)(s - e->stream);
	x->prio = (unsigned)s->def->priority;
	s->arrivals++;
	deliver(e, x, route_pick(&s->def->route, s->route));
}

/* ---- boundaries --------------------------------------------------------- */

static double next_boundary(const struct engine *e, double t)
{
	double b = (floor(t / 60.0) + 1.0) * 60.0;
	if (e->warm > t && e->warm < b)
		b = e->warm;
	if (e->end < b)
		b = e->end;
	return b;
}

static void ev_boundary(void *ctx, void *subject)
{
	struct engine *e = ctx;
	double now = e->now;
	close_intervals(e, now);
	if (now == e->warm) {
		for (size_t i = 0; i < e->m->nstream; i++) {
			struct stream_rt *s = &e->stream[i];
			s->arrivals = s->completed = 0;
			histo_reset(&s->tis);
		}
	}
	if (now >= e->end) {
		e->done = 1;
		return;
	}
	if (fmod(now, 60.0) == 0) {
		int hour = (int)fmod(now / 60.0, 24.0);
		for (size_t i = 0; i < e->m->nstage; i++)
			set_servers(e, &e->stage[i], e->stage[i].def->servers[hour]);
	}
	calendar_push(&e->cal, next_boundary(e, now), ev_boundary, NULL);
}

/* ---- set-up, results, tear-down ----------------------------------------- */

static struct rng *purpose_rng(const struct engine *e, unsigned rep, const char *kind,
                               const char *name, const char *what)
{
	char *p = xasprintf("%s.%s.%s", kind, name, what);
	struct rng *r = rng_new(e->m->seed, rep, p);
	free(p);
	return r;
}

static void setup(struct engine *e, const struct model *m, unsigned rep, struct results *out)
{
	memset(e, 0, sizeof *e);
	e->m = m;
	e->out = out;
	e->warm = m->warmup_days * 1440.0;
	e->end = e->warm + m->days * 1440.0;
	calendar_init(&e->cal);
	e->stage = xcalloc(m->nstage, sizeof *e->stage);
	e->stream = xcalloc(m->nstream, sizeof *e->stream);
	for (size_t i = 0; i < m->nstage; i++) {
		struct stage_rt *st = &e->stage[i];
		st->def = &m->stage[i];
		st->svc = purpose_rng(e, rep, "stage", st->def->name, "service");
		st->route = purpose_rng(e, rep, "stage", st->def->name, "route");
		st->target = st->on_duty = st->def->servers[0];
		histo_init(&st->cur.wait);
		histo_init(&st->wait);
		interval_reset(st, 0);
	}
	for (size_t i = 0; i < m->nstream; i++) {
		struct stream_rt *s = &e->stream[i];
		s->def = &m->stream[i];
		s->arr = purpose_rng(e, rep, "stream", s->def->name, "arrivals");
		s->route = purpose_rng(e, rep, "stream", s->def->name, "route");
		s->flat = 1;
		for (int h = 0; h < MODEL_HOURS; h++) {
			s->rate[h] = s->def->per_day * s->def->weight[h] / 60.0;
			s->flat &= s->rate[h] == s->rate[0];
		}
		histo_init(&s->tis);
		if (s->def->per_day > 0) {
			double t = next_arrival(s, 0);
			if (t < e->end)
				calendar_push(&e->cal, t, ev_arrival, s);
		}
	}
	calendar_push(&e->cal, next_boundary(e, 0), ev_boundary, NULL);
}

static void collect(struct engine *e)
{
	const struct model *m = e->m;
	struct results *out = e->out;
	double span = e->end - e->warm;
	for (size_t i = 0; i < m->nstage; i++) {
		struct stage_rt *st = &e->stage[i];
		const char *n = st->def->name;
		results_add(out, "stage", n, "arrivals", "count", (double)st->arrivals);
		results_add(out, "stage", n, "served", "count", (double)st->served);
		results_add(out, "stage", n, "blocked", "count", (double)st->blocked);
		results_add(out, "stage", n, "wait_mean", "min", histo_mean(&st->wait));
		results_add(out, "stage", n, "wait_p50", "min", histo_quantile(&st->wait, 0.50));
		results_add(out, "stage", n, "wait_p95", "min", histo_quantile(&st->wait, 0.95));
		results_add(out, "stage", n, "wait_p99", "min", histo_quantile(&st->wait, 0.99));
		results_add(out, "stage", n, "wait_max", "min", st->wait.count ? st->wait.max : NAN);
		results_add(out, "stage", n, "queue_mean", "count", st->q_area / span);
		results_add(out, "stage", n, "queue_max", "count", (double)st->q_max);
		results_add(out, "stage", n, "utilization", "fraction",
		            st->duty_area > 0 ? st->busy_area / st->duty_area : NAN);
		results_add(out, "stage", n, "backlog_end", "count", (double)(st->nq + st->busy));
	}
	for (size_t i = 0; i < m->nstream; i++) {
		struct stream_rt *s = &e->stream[i];
		const char *n = s->def->name;
		results_add(out, "stream", n, "arrivals", "count", (double)s->arrivals);
		results_add(out, "stream", n, "persons", "count", (double)s->arrivals);
		results_add(out, "stream", n, "completed", "count", (double)s->completed);
		results_add(out, "stream", n, "time_in_system_mean", "min", histo_mean(&s->tis));
		results_add(out, "stream", n, "time_in_system_p95", "min",
		            histo_quantile(&s->tis, 0.95));
	}
	out->events = e->events;
	out->visits = e->visits;
}

static void teardown(struct engine *e)
{
	for (size_t i = 0; e->stage && i < e->m->nstage; i++) {
		rng_free(e->stage[i].svc);
		rng_free(e->stage[i].route);
	}
	for (size_t i = 0; e->stream && i < e->m->nstream; i++) {
		rng_free(e->stream[i].arr);
		rng_free(e->stream[i].route);
	}
	for (size_t i = 0; i < e->nchunk; i++)
		free(e->chunks[i]);
	free(e->chunks);
	free(e->stage);
	free(e->stream);
	calendar_release(&e->cal);
}

int engine_run(const struct model *m, unsigned rep, struct results *out,
               const volatile sig_atomic_t *stop, char *err, size_t errlen)
{
	if (!(m->days > 0) || !(m->warmup_days >= 0))
		return util_err(err, errlen, EX_SOFTWARE, "engine: model has no horizon");
	struct engine *e = xmalloc(sizeof *e);
	setup(e, m, rep, out);
	out->replication = rep;
	out->seed = m->seed;
	struct calendar_event ev;
	int stopped = 0;
	while (!e->done && calendar_pop(&e->cal, &ev)) {
		assert(ev.time >= e->now);
		e->now = ev.time;
		if ((++e->events & 0xfff) == 0 && stop && *stop) {
			stopped = 1;
			break;
		}
		ev.fn(e, ev.subject);
	}
	if (!stopped)
		collect(e);
	teardown(e);
	free(e);
	return stopped ? ENGINE_STOPPED : 0;
}
