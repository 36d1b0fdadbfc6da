/* engine: one replication of a staffed queueing network.
 *
 * Four kinds of event drive it: a stream's next arrival, a service
 * completion, a boundary — every clock hour, the end of the warm-up and the
 * end of the horizon — and the start or end of a closure. Statistics are
 * gathered per stage for the current interval between boundaries only
 * (counts, time integrals, a wait histogram); a boundary closes the interval
 * into an hourly row and into the run totals, so the hot path updates one set
 * of accumulators and memory does not grow with the number of entities
 * simulated.
 *
 * Shift semantics: at each clock hour a stage's scheduled servers become
 * servers[hour] (0 while a closure is on). When the count rises the new
 * servers take from the queue at once; when it falls, idle servers leave at
 * once and busy ones finish the entity in hand, then go off duty (no
 * preemption). So the servers on duty are always max(scheduled, busy), and
 * utilisation is busy server-time over on-duty server-time.
 *
 * The rows of results (hourly and per run) are written by collect.c, from
 * the run-time state both share in engine_rt.h.
 *
 * Domain features cost the generic network nothing: each is behind a per-stage
 * flag or a per-stream count that a plain M/M/c model leaves at zero. */
#include "engine.h"

#include <assert.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "calendar.h"
#include "collect.h"
#include "dist.h"
#include "engine_rt.h"
#include "histo.h"
#include "rng.h"
#include "util.h"

#define CHUNK 4096
#define UNLIMITED_SERVERS (LONG_MAX / 4)
#define H72 (72 * 60.0)

/* An entity's prio holds its class (0-9) and, above, whether it has turned
 * away from a port once (it does not turn away again). */
#define PRIO_MASK 0xffu
#define DIVERTED 0x100u

struct entity {
	double t_system;         /* arrival in the system */
	double t_queue;          /* joined the current stage */
	double risk;             /* latent risk, uniform over arrivals: finds */
	double rank;             /* risk's rank among arrivals here: targeting */
	double waited;           /* queue time so far, all stages */
	double t_custody;        /* entered custody; < 0 when not held */
	struct entity *next;     /* queue link, or free-list link */
	uint16_t stage;          /* where it is being served */
	uint16_t stream;
	uint16_t prio, persons;
};

/* One cache line an entity: an entity that has waited minutes is cold, and
 * a 72-byte one straddled two lines. Hence at most MODEL_MAX_NODES stages
 * and streams (model.h). */
_Static_assert(sizeof(struct entity) == 64, "an entity is one cache line");

/* ---- entities ---------------------------------------------------------- */

static struct entity *entity_new(struct engine *e)
{
	if (++e->live > e->max_live) {
		e->overflow = 1;
		e->done = 1;         /* the loop stops after this event */
	}
	if (!e->free_list) {
		/* Chunks double from 4 KB to 256 KB: a replication with a few
		 * entities takes a few KB. Fixed 256 KB chunks, freed as each
		 * replication ended, left holes that the rows kept of a finished
		 * sweep point split, so a sweep's memory grew by a chunk a point. */
		size_t n = e->nchunk < 6 ? (size_t)CHUNK >> (6 - e->nchunk) : CHUNK;
		struct entity *c = aligned_alloc(64, n * sizeof *c);
		if (!c)
			util_out_of_memory();
		e->chunks = xrealloc(e->chunks, (e->nchunk + 1) * sizeof *e->chunks);
		e->chunks[e->nchunk++] = c;
		for (size_t i = 0; i < n; i++) {
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
	e->live--;
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
	if (st->flags & F_CUSTODY) {
		long over = st->nq + st->busy - st->def->rated_capacity;
		if (st->def->rated_capacity != MODEL_UNLIMITED && over > 0)
			st->cur.over_area += (double)over * dt;
	}
	st->t_last = now;
}

static void interval_reset(struct stage_rt *st, double now)
{
	struct interval *c = &st->cur;
	c->start = c->t_sched = now;
	c->q_area = c->busy_area = c->duty_area = c->over_area = c->sched_area = 0;
	c->arrivals = c->served = c->blocked = c->flushed = 0;
	c->q_max = st->nq;
	c->pop_max = st->nq + st->busy;
	histo_reset(&c->wait);
}

/* Scheduled server-time, for the hourly servers column. */
static void sched_advance(struct stage_rt *st, double now)
{
	st->cur.sched_area += (double)st->target * (now - st->cur.t_sched);
	st->cur.t_sched = now;
}

static void add_to_totals(struct stage_rt *st)
{
	const struct interval *c = &st->cur;
	st->q_area += c->q_area;
	st->busy_area += c->busy_area;
	st->duty_area += c->duty_area;
	st->over_area += c->over_area;
	st->arrivals += c->arrivals;
	st->served += c->served;
	st->blocked += c->blocked;
	st->flushed += c->flushed;
	if (c->q_max > st->q_max)
		st->q_max = c->q_max;
	if (c->pop_max > st->pop_max)
		st->pop_max = c->pop_max;
	histo_merge(&st->wait, &c->wait);
}

/* Closes the current interval of every stage at now; reports it when it lies
 * inside the reporting window. */
static void close_intervals(struct engine *e, double now)
{
	for (size_t i = 0; i < e->m->nstage; i++) {
		struct stage_rt *st = &e->stage[i];
		advance(st, now);
		sched_advance(st, now);
		if (st->cur.start >= e->warm && now > st->cur.start) {
			collect_hour(e, st, now);
			add_to_totals(st);
		}
		interval_reset(st, now);
	}
}

/* ---- queues and servers ------------------------------------------------- */

static void ev_depart(void *ctx, void *subject);

static void start_service(struct engine *e, struct stage_rt *st, struct entity *x)
{
	double w = e->now - x->t_queue;
	if (e->stats)
		histo_add(&st->cur.wait, w);
	x->waited += w;
	st->busy++;
	x->stage = (uint16_t)(st - e->stage);
	double t = e->now + dist_draw(&st->def->service, st->svc);
	calendar_push(&e->cal, t, ev_depart, x);
}

static void enqueue(struct stage_rt *st, struct entity *x)
{
	unsigned p = x->prio & PRIO_MASK;
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
	if (x->next) {
		/* A long queue's entities are cold by the time they reach its
		 * head; ask for the next one now, a service time before it is
		 * needed. */
		__builtin_prefetch(x->next);
	} else {
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

/* The servers a stage should have now: none while closed. */
static long scheduled(const struct engine *e, const struct stage_rt *st)
{
	if (st->closed)
		return 0;
	if (st->flags & F_UNLIMITED)
		return UNLIMITED_SERVERS;
	return st->def->servers[e->hour];
}

static void set_servers(struct engine *e, struct stage_rt *st)
{
	long target = scheduled(e, st);
	advance(st, e->now);
	sched_advance(st, e->now);
	st->target = target;
	st->on_duty = target > st->busy ? target : st->busy;
	fill_servers(e, st);
}

/* A route's destination. With targeting t, a share t of decisions use the
 * entity's rank in place of a fresh uniform — the riskiest take the first
 * destinations. The shares stay exactly as written as long as rank is uniform
 * over the arrivals at the stage; so after a decision by rank, the rank is
 * re-spread over the chosen destination's interval (the top 5% referred
 * become a uniform population again, ordered as before), while a random
 * decision leaves it as it was. The latent risk that finds use never
 * changes. */
static int pick_dest(const struct route *r, struct rng *g, double targeting,
                      struct entity *x)
{
	if (r->n == 1)
		return r->dest[0];
	/* Written without data-dependent branches: which way an entity goes is
	 * a coin flip no branch predictor can learn, and pick_dest runs for
	 * nearly every event. The destination is the first i with u < cum[i]
	 * (cum ascends), counted instead of searched for. */
	double u = rng_uniform(g);
	int by_rank = 0;
	if (targeting > 0) {
		by_rank = rng_uniform(g) < targeting;
		u = by_rank ? 1.0 - x->rank : u;
	}
	size_t i = 0;
	for (size_t j = 0; j + 1 < r->n; j++)
		i += (size_t)(u >= r->cum[j]);
	if (targeting > 0) {
		double lo = i ? r->cum[i - 1] : 0, hi = r->cum[i];
		double rank = hi > lo ? 1.0 - (u - lo) / (hi - lo) : x->rank;
		x->rank = by_rank ? rank : x->rank;
	}
	return r->dest[i];
}

static void exit_system(struct engine *e, struct entity *x);

/* Custody runs from the first custody stage an entity enters until it leaves
 * the last of a run of them: processing and holding are one stay. */
static void custody_in(struct engine *e, struct stage_rt *st, struct entity *x)
{
	long pop = st->nq + st->busy;
	if (pop > st->cur.pop_max)
		st->cur.pop_max = pop;
	if (x->t_custody >= 0)
		return;
	x->t_custody = e->now;
	if (++e->nat.custody_pop > e->nat.custody_peak)
		e->nat.custody_peak = e->nat.custody_pop;
}

/* The hot path — arrive, leave, deliver — is forced inline: each is called
 * once or twice per entity per stage, and the calls cost 5% of a run. */
#define HOT static inline __attribute__((always_inline))

static int divert(struct engine *e, struct stage_rt *st, struct entity *x);

HOT void stage_arrive(struct engine *e, struct stage_rt *st, struct entity *x)
{
	e->visits++;
	if (e->stats)
		advance(st, e->now);
	if ((st->flags & F_DIVERT) && divert(e, st, x))
		return;
	st->cur.arrivals++;
	x->t_queue = e->now;
	if ((st->flags & F_FLUSH) && st->nq > st->def->flush_above) {
		st->cur.flushed++;           /* waved through unscreened */
		exit_system(e, x);
		return;
	}
	if (st->busy < st->on_duty) {
		start_service(e, st, x);
	} else if (st->def->capacity != MODEL_UNLIMITED && st->nq >= st->def->capacity) {
		st->cur.blocked++;
		if (x->t_custody >= 0)
			e->nat.custody_pop--;    /* turned away from custody to custody */
		entity_free(e, x);
		return;
	} else {
		enqueue(st, x);
	}
	if (st->flags & F_CUSTODY)
		custody_in(e, st, x);
}

/* What a completed arrival adds to its port's figures. */
static void port_exit(struct port_rt *p, const struct model_stream *d, const struct entity *x)
{
	if (d->counts >= COUNTS_TRAVELERS_AIR && d->counts <= COUNTS_TRAVELERS_LAND) {
		p->travelers += x->persons;
		if (x->persons)
			histo_add_n(&p->traveler_wait, x->waited, x->persons);
	} else if (d->counts == COUNTS_CONTAINERS) {
		p->containers++;
	}
	switch (d->measure) {
	case MEASURE_VEHICLES:
		p->vehicles++;
		break;
	case MEASURE_PEDESTRIANS:
		p->pedestrians += x->persons;
		break;
	case MEASURE_BUS_PASSENGERS:
		p->bus_passengers += x->persons;
		break;
	case MEASURE_TRUCKS:
		p->trucks++;
		histo_add(&p->truck_wait, x->waited);
		break;
	default:
		break;
	}
}

static void exit_system(struct engine *e, struct entity *x)
{
	struct stream_rt *s = &e->stream[x->stream];
	const struct model_stream *d = s->def;
	s->completed++;
	if (e->stats)
		histo_add(&s->tis, e->now - x->t_system);
	if (e->m->national) {
		struct national *n = &e->nat;
		if (d->counts >= COUNTS_TRAVELERS_AIR && d->counts <= COUNTS_TRAVELERS_LAND) {
			n->travelers[d->counts] += x->persons;
			if (x->persons && e->stats)
				histo_add_n(&n->traveler_wait[d->counts], x->waited, x->persons);
		} else if (d->counts == COUNTS_CONTAINERS) {
			n->containers++;
		}
		n->value += d->value;
	}
	if (d->port >= 0 && e->stats)
		port_exit(&e->port[d->port], d, x);
	entity_free(e, x);
}

HOT void deliver(struct engine *e, struct entity *x, int dest)
{
	if (dest != ROUTE_EXIT)
		stage_arrive(e, &e->stage[dest], x);
	else
		exit_system(e, x);
}

/* A diverted arrival reaches the other port: it joins that stream's route. */
static void ev_divert(void *ctx, void *subject)
{
	struct engine *e = ctx;
	struct entity *x = subject;
	struct stream_rt *s = &e->stream[x->stream];
	deliver(e, x, pick_dest(&s->def->route, s->route, 0, x));
}

/* While the stage is closed, or more than divert_above wait, an arrival
 * (one that has not turned away before) joins a neighbour's stream with
 * its share: 1 when it went, 0 when it stays. */
static int divert(struct engine *e, struct stage_rt *st, struct entity *x)
{
	const struct model_stage *d = st->def;
	if ((x->prio & DIVERTED) ||
	    !(st->closed || (d->divert_above != MODEL_UNLIMITED && st->nq > d->divert_above)))
		return 0;
	double u = rng_uniform(st->divert);
	size_t k = 0;
	while (k < d->ndivert && u >= d->divert_cum[k])
		k++;
	if (k == d->ndivert)
		return 0;
	if (e->stats) {
		st->diverted++;
		struct stream_rt *from = &e->stream[x->stream];
		if (from->def->port >= 0)
			e->port[from->def->port].diverted_out += x->persons ? x->persons : 1;
	}
	x->stream = (uint16_t)d->divert_to[k];
	x->prio |= DIVERTED;
	struct stream_rt *to = &e->stream[x->stream];
	if (e->stats && to->def->port >= 0)
		e->port[to->def->port].diverted_in += x->persons ? x->persons : 1;
	double delay = dist_draw(&d->divert_delay, st->divert);
	if (delay > 0)
		calendar_push(&e->cal, e->now + delay, ev_divert, x);
	else
		ev_divert(e, x);
	return 1;
}

/* Each find of this stage, drawn for the entity just inspected. */
static void draw_finds(struct engine *e, struct stage_rt *st, const struct entity *x)
{
	for (size_t i = 0; i < st->nfind; i++) {
		struct find_rt *f = &e->find[st->find[i]];
		double p = f->def->probability, k = f->def->concentration;
		if (k > 0)
			p *= (k + 1) * pow(x->risk, k);
		if (rng_uniform(f->draw) < p) {
			f->count++;
			f->amount += dist_draw(&f->def->amount, f->draw);
		}
	}
}

static void custody_out(struct engine *e, struct entity *x)
{
	double held = e->now - x->t_custody;
	if (e->stats)
		histo_add(&e->nat.custody_time, held);
	if (held > H72)
		e->nat.custody_over_72h++;
	e->nat.custody_pop--;
	x->t_custody = -1;
}

static void ev_depart(void *ctx, void *subject)
{
	struct engine *e = ctx;
	struct entity *x = subject;
	struct stage_rt *st = &e->stage[x->stage];
	if (e->stats)
		advance(st, e->now);
	st->busy--;
	st->cur.served++;
	if (st->flags & F_FINDS)
		draw_finds(e, st, x);
	if (st->on_duty > st->target)
		st->on_duty--;           /* a server past its shift goes home */
	else if (st->nq > 0)
		start_service(e, st, dequeue(st));
	int dest = pick_dest(&st->def->next, st->route, st->def->targeting, x);
	if ((st->flags & F_CUSTODY) &&
	    (dest == ROUTE_EXIT || !(e->stage[dest].flags & F_CUSTODY)))
		custody_out(e, x);
	deliver(e, x, dest);
}

/* ---- arrivals ----------------------------------------------------------- */

/* One surge's multiplier at t. */
static double surge_at(const struct model_surge *s, double t)
{
	if (t <= s->t0 || t >= s->t3)
		return 1;
	if (t < s->t1)
		return 1 + (s->factor - 1) * (t - s->t0) / (s->t1 - s->t0);
	if (t <= s->t2)
		return s->factor;
	return s->factor + (1 - s->factor) * (t - s->t2) / (s->t3 - s->t2);
}

static double surge_mult(const struct model_stream *d, double t)
{
	double m = 1;
	for (size_t i = 0; i < d->nsurge; i++)
		m *= surge_at(&d->surge[i], t);
	return m;
}

/* An upper bound of the multiplier over [a, b]: each surge is linear between
 * its breakpoints, so its largest value there is at a, at b, on its plateau
 * or outside it (1). */
static double surge_bound(const struct model_stream *d, double a, double b)
{
	double m = 1;
	for (size_t i = 0; i < d->nsurge; i++) {
		const struct model_surge *s = &d->surge[i];
		double x = fmax(surge_at(s, a), surge_at(s, b));
		if (a <= s->t2 && b >= s->t1)
			x = fmax(x, s->factor);
		if (a < s->t0 || b > s->t3)
			x = fmax(x, 1);
		m *= x;
	}
	return m;
}

/* The first arrival after t of a Poisson process whose rate is constant within
 * each clock hour, by inverting the integrated rate: one exponential draw,
 * spent hour by hour. Exact, with no bias at hour edges. With surges the rate
 * is that times the surge multiplier: candidates come from the hour's rate
 * times a bound of the multiplier over the hour, and each is kept with
 * probability multiplier / bound (thinning, also exact). Returns a time >=
 * limit when nothing arrives before limit. */
static double next_arrival(struct stream_rt *s, double t, double limit)
{
	const struct model_stream *d = s->def;
	if (s->flat && d->nsurge == 0)
		return t + rng_exponential(s->arr, 1.0) / s->rate[0];
	for (;;) {
		double need = rng_exponential(s->arr, 1.0), bound = 1;
		for (;;) {
			if (t >= limit)
				return t;
			/* The stream's clock only moves forward, so the hour last
			 * looked up holds t until t reaches its end. */
			if (!(t < s->edge)) {
				double h = floor(t / 60.0);
				s->edge = (h + 1.0) * 60.0;
				s->hour_rate = s->rate[(long)h % MODEL_HOURS];
			}
			double edge = s->edge;
			bound = d->nsurge ? surge_bound(d, t, edge) : 1;
			double r = s->hour_rate * bound;
			if (r > 0 && t + need / r < edge) {
				t += need / r;
				break;
			}
			need -= r * (edge - t);
			if (need < 0)
				need = 0;        /* rounding at the edge */
			t = edge;
		}
		if (d->nsurge == 0 || rng_uniform(s->arr) * bound < surge_mult(d, t))
			return t;
	}
}

static unsigned draw_persons(struct stream_rt *s)
{
	const struct model_stream *d = s->def;
	if (d->npersons <= 1)
		return d->npersons ? (unsigned)d->persons[0] : 1;
	double u = rng_uniform(s->persons);
	for (size_t i = 0; i + 1 < d->npersons; i++)
		if (u < d->pcum[i])
			return (unsigned)d->persons[i];
	return (unsigned)d->persons[d->npersons - 1];
}

/* A group's size: a share drawn, or the distribution's draw rounded to a
 * whole number from 1 to the key's bound. */
static long draw_batch(struct stream_rt *s)
{
	const struct model_stream *d = s->def;
	if (d->nbatch == 0) {
		double b = round(dist_draw(&d->batch_dist, s->batch));
		return b < 1 ? 1 : b > 1e6 ? 1000000 : (long)b;
	}
	double u = rng_uniform(s->batch);
	for (size_t i = 0; i + 1 < d->nbatch; i++)
		if (u < d->bcum[i])
			return d->batch[i];
	return d->batch[d->nbatch - 1];
}

/* An entity of stream s arriving in the system now. */
static struct entity *arrival_new(struct engine *e, struct stream_rt *s, int counted)
{
	struct entity *x = entity_new(e);
	x->t_system = e->now;
	x->stream = (uint16_t)(s - e->stream);
	x->prio = (unsigned short)s->def->priority;
	x->persons = (unsigned short)draw_persons(s);
	x->risk = x->rank = e->m->uses_risk ? rng_uniform(s->risk) : 0.5;
	x->waited = 0;
	x->t_custody = -1;
	s->arrivals += !counted;
	s->persons_in += x->persons;
	if (s->def->counts == COUNTS_APPREHENSIONS)
		e->nat.apprehensions += x->persons;
	return x;
}

/* A group whose members reach the first stage one by one: their delays
 * drawn when it arrives and sorted, so that one calendar event a group (not
 * one a member) stands for them; each member becomes an entity, in the
 * system from the group's arrival, when it reaches the stage. */
struct group_rt {
	struct stream_rt *s;
	double t0;
	long n, next;
	struct group_rt *prev, *nextg;   /* the engine's groups in flight */
	double at[];                     /* reaching times, ascending */
};

/* Sorts a[0..n) ascending: quicksort on the median of three, insertion
 * sort below 16 (qsort's calls through a comparison took a tenth of a
 * national day). */
static void sort_times(double *a, long n)
{
	while (n > 16) {
		double *l = a, *r = a + n - 1, *mid = a + n / 2, t;
		if (*mid < *l) { t = *mid; *mid = *l; *l = t; }
		if (*r < *l) { t = *r; *r = *l; *l = t; }
		if (*r < *mid) { t = *r; *r = *mid; *mid = t; }
		double pivot = *mid;
		long i = 0, j = n - 1;
		for (;;) {
			while (a[i] < pivot)
				i++;
			while (pivot < a[j])
				j--;
			if (i >= j)
				break;
			t = a[i]; a[i] = a[j]; a[j] = t;
			i++;
			j--;
		}
		/* the smaller side recursively, the larger in the loop */
		if (j + 1 < n - j - 1) {
			sort_times(a, j + 1);
			a += j + 1;
			n -= j + 1;
		} else {
			sort_times(a + j + 1, n - j - 1);
			n = j + 1;
		}
	}
	for (long i = 1; i < n; i++) {
		double v = a[i];
		long k = i;
		for (; k > 0 && a[k - 1] > v; k--)
			a[k] = a[k - 1];
		a[k] = v;
	}
}

static void group_unlink(struct engine *e, struct group_rt *g)
{
	if (g->prev)
		g->prev->nextg = g->nextg;
	else
		e->groups = g->nextg;
	if (g->nextg)
		g->nextg->prev = g->prev;
	free(g);
}

static void ev_member(void *ctx, void *subject)
{
	struct engine *e = ctx;
	struct group_rt *g = subject;
	struct stream_rt *s = g->s;
	struct entity *x = arrival_new(e, s, 1);   /* counted with its group */
	x->t_system = g->t0;
	if (++g->next < g->n)
		calendar_push(&e->cal, g->at[g->next], ev_member, g);
	else
		group_unlink(e, g);
	deliver(e, x, pick_dest(&s->def->route, s->route, 0, x));
}

/* A group arrives: each member is an entity of its own, in the system from
 * now, at the first stage now plus its spread. */
static void group_arrive(struct engine *e, struct stream_rt *s)
{
	const struct model_stream *d = s->def;
	long n = draw_batch(s);
	s->groups++;
	if (d->spread_zero) {
		for (long i = 0; i < n; i++) {
			struct entity *x = arrival_new(e, s, 0);
			deliver(e, x, pick_dest(&d->route, s->route, 0, x));
		}
		return;
	}
	s->arrivals += n;   /* the members arrive with their group */
	struct group_rt *g = xmalloc(sizeof *g + (size_t)n * sizeof g->at[0]);
	*g = (struct group_rt){ s, e->now, n, 0, NULL, e->groups };
	if (d->spread.kind == DIST_UNIFORM) {
		/* n uniform draws in order, without a sort: the partial sums of
		 * n + 1 exponentials over their total are the order statistics of n
		 * uniforms on (0, 1) */
		double a = d->spread.p[0], w = d->spread.p[1] - d->spread.p[0], sum = 0;
		for (long i = 0; i < n; i++)
			g->at[i] = sum += rng_exponential(s->spread, 1);
		sum += rng_exponential(s->spread, 1);
		for (long i = 0; i < n; i++)
			g->at[i] = e->now + a + w * (g->at[i] / sum);
	} else {
		for (long i = 0; i < n; i++)
			g->at[i] = e->now + dist_draw(&d->spread, s->spread);
		sort_times(g->at, n);
	}
	if (e->groups)
		e->groups->prev = g;
	e->groups = g;
	calendar_push(&e->cal, g->at[0], ev_member, g);
}

static void ev_arrival(void *ctx, void *subject)
{
	struct engine *e = ctx;
	struct stream_rt *s = subject;
	double t = next_arrival(s, e->now, e->end);
	if (t < e->end)
		calendar_push(&e->cal, t, ev_arrival, s);
	if (s->def->batched) {
		group_arrive(e, s);
		return;
	}
	struct entity *x = arrival_new(e, s, 0);
	deliver(e, x, pick_dest(&s->def->route, s->route, 0, x));
}

/* ---- boundaries and closures --------------------------------------------- */

static double next_boundary(const struct engine *e, double t)
{
	double b = (floor(t / 60.0) + 1.0) * 60.0;
	if (e->warm > t && e->warm < b)
		b = e->warm;
	if (e->end < b)
		b = e->end;
	return b;
}

/* At the end of the warm-up, everything not kept per stage starts afresh.
 * Nothing of the warm-up is reported, so until then (e->stats 0) the hot
 * paths keep no statistics — no histograms, no time integrals — only the
 * state the run needs (queues, servers, custody population, each entity's
 * waits so far): seven of a national day's eight simulated days. The hourly
 * intervals before the warm-up's end are closed and dropped as before. */
static void reset_at_warm(struct engine *e)
{
	for (size_t i = 0; i < e->m->nstream; i++) {
		struct stream_rt *s = &e->stream[i];
		s->arrivals = s->persons_in = s->completed = s->groups = 0;
		histo_reset(&s->tis);
	}
	for (size_t i = 0; i < e->m->nfind; i++) {
		e->find[i].count = 0;
		e->find[i].amount = 0;
	}
	struct national *n = &e->nat;
	memset(n->travelers, 0, sizeof n->travelers);
	n->containers = n->apprehensions = n->value = 0;
	for (int k = COUNTS_TRAVELERS_AIR; k <= COUNTS_TRAVELERS_LAND; k++)
		histo_reset(&n->traveler_wait[k]);
	histo_reset(&n->custody_time);
	for (size_t i = 0; i < e->m->nport; i++) {
		struct port_rt *p = &e->port[i];
		p->travelers = p->vehicles = p->pedestrians = p->bus_passengers = 0;
		p->trucks = p->containers = p->diverted_out = p->diverted_in = 0;
		histo_reset(&p->traveler_wait);
		histo_reset(&p->truck_wait);
	}
	n->custody_over_72h = 0;
	n->custody_peak = n->custody_pop;
}

static void ev_boundary(void *ctx, void *subject)
{
	struct engine *e = ctx;
	double now = e->now;
	close_intervals(e, now);
	if (now == e->warm) {
		reset_at_warm(e);
		e->stats = 1;
	}
	if (now >= e->end) {
		e->done = 1;
		return;
	}
	if (fmod(now, 60.0) == 0) {
		e->hour = (int)fmod(now / 60.0, 24.0);
		for (size_t i = 0; i < e->m->nstage; i++)
			set_servers(e, &e->stage[i]);
	}
	calendar_push(&e->cal, next_boundary(e, now), ev_boundary, NULL);
}

static void ev_close(void *ctx, void *subject)
{
	struct engine *e = ctx;
	struct stage_rt *st = subject;
	st->closed++;
	set_servers(e, st);
}

static void ev_reopen(void *ctx, void *subject)
{
	struct engine *e = ctx;
	struct stage_rt *st = subject;
	st->closed--;
	set_servers(e, st);
}

/* ---- set-up, results, tear-down ----------------------------------------- */

/* A purpose's name: "KIND.NAME.WHAT", or "KIND.NAME" (a find). */
static char *purpose_name(const char *kind, const char *name, const char *what)
{
	return what ? xasprintf("%s.%s.%s", kind, name, what) : xasprintf("%s.%s", kind, name);
}

static struct rng *purpose_rng(const struct engine *e, unsigned rep, const char *kind,
                               const char *name, const char *what)
{
	char *p = purpose_name(kind, name, what);
	struct rng *r = rng_new(e->m->seed, rep, p);
	free(p);
	return r;
}

static void purpose_call(void (*f)(const char *, void *), void *ctx, const char *kind,
                         const char *name, const char *what)
{
	char *p = purpose_name(kind, name, what);
	f(p, ctx);
	free(p);
}

/* As setup_stage, setup_stream and setup make them. */
void engine_purposes(const struct model *m, void (*f)(const char *purpose, void *ctx), void *ctx)
{
	for (size_t i = 0; i < m->nfind; i++)
		purpose_call(f, ctx, "find", m->find[i].name, NULL);
	for (size_t i = 0; i < m->nstage; i++) {
		purpose_call(f, ctx, "stage", m->stage[i].name, "service");
		purpose_call(f, ctx, "stage", m->stage[i].name, "route");
		if (m->stage[i].ndivert)
			purpose_call(f, ctx, "stage", m->stage[i].name, "divert");
	}
	for (size_t i = 0; i < m->nstream; i++) {
		static const char *const what[] = { "arrivals", "route", "persons", "risk", "batch",
		                                    "spread" };
		for (size_t k = 0; k < (m->stream[i].batched ? 6u : 4u); k++)
			purpose_call(f, ctx, "stream", m->stream[i].name, what[k]);
	}
}

static unsigned stage_flags(const struct model *m, size_t i)
{
	const struct model_stage *d = &m->stage[i];
	unsigned f = 0;
	if (d->flush_above != MODEL_UNLIMITED)
		f |= F_FLUSH;
	if (d->ndivert)
		f |= F_DIVERT;
	if (d->kind == STAGE_CUSTODY)
		f |= F_CUSTODY;
	if (d->unlimited)
		f |= F_UNLIMITED;
	for (size_t k = 0; k < m->nfind; k++)
		for (size_t j = 0; j < m->find[k].nstage; j++)
			if (m->find[k].stage[j] == (int)i)
				f |= F_FINDS;
	return f;
}

static void setup_stage(struct engine *e, unsigned rep, size_t i)
{
	const struct model *m = e->m;
	struct stage_rt *st = &e->stage[i];
	st->def = &m->stage[i];
	st->svc = purpose_rng(e, rep, "stage", st->def->name, "service");
	st->route = purpose_rng(e, rep, "stage", st->def->name, "route");
	if (st->def->ndivert)
		st->divert = purpose_rng(e, rep, "stage", st->def->name, "divert");
	st->flags = stage_flags(m, i);
	st->find = xcalloc(m->nfind ? m->nfind : 1, sizeof *st->find);
	for (size_t k = 0; k < m->nfind; k++)
		for (size_t j = 0; j < m->find[k].nstage; j++)
			if (m->find[k].stage[j] == (int)i)
				st->find[st->nfind++] = (int)k;
	st->target = st->on_duty = scheduled(e, st);
	histo_init(&st->cur.wait);
	histo_init(&st->wait);
	interval_reset(st, 0);
	for (size_t k = 0; k < st->def->nclosure; k++) {
		const struct model_closure *c = &st->def->closure[k];
		if (c->start >= e->end || c->end <= c->start)
			continue;
		calendar_push(&e->cal, c->start, ev_close, st);
		if (c->end < e->end)
			calendar_push(&e->cal, c->end, ev_reopen, st);
	}
}

static void setup_stream(struct engine *e, unsigned rep, size_t i)
{
	struct stream_rt *s = &e->stream[i];
	s->def = &e->m->stream[i];
	s->arr = purpose_rng(e, rep, "stream", s->def->name, "arrivals");
	s->route = purpose_rng(e, rep, "stream", s->def->name, "route");
	s->persons = purpose_rng(e, rep, "stream", s->def->name, "persons");
	s->risk = purpose_rng(e, rep, "stream", s->def->name, "risk");
	double per_day = s->def->per_day;
	if (s->def->batched) {   /* groups: per_day counts their members */
		s->batch = purpose_rng(e, rep, "stream", s->def->name, "batch");
		s->spread = purpose_rng(e, rep, "stream", s->def->name, "spread");
		per_day /= s->def->batch_mean;
	}
	s->flat = 1;
	s->edge = -1;
	for (int h = 0; h < MODEL_HOURS; h++) {
		s->rate[h] = per_day * s->def->weight[h] / 60.0;
		s->flat &= s->rate[h] == s->rate[0];
	}
	histo_init(&s->tis);
	if (s->def->per_day > 0) {
		double t = next_arrival(s, 0, e->end);
		if (t < e->end)
			calendar_push(&e->cal, t, ev_arrival, s);
	}
}

static void setup(struct engine *e, const struct model *m, unsigned rep, struct results *out)
{
	memset(e, 0, sizeof *e);
	e->m = m;
	e->out = out;
	e->warm = m->warmup_days * 1440.0;
	e->end = e->warm + m->days * 1440.0;
	e->stats = e->warm <= 0;
	/* Each of the replications running at once may hold an equal share of
	 * the run's limit: a share fixed in advance keeps the outcome the same
	 * from run to run, where a count shared live would depend on which
	 * thread got ahead. */
	e->max_live = m->max_entities > 0 ? floor(m->max_entities / (m->at_once > 1 ? m->at_once : 1))
	                                  : INFINITY;
	calendar_init(&e->cal);
	for (int k = 0; k < 4; k++)
		histo_init(&e->nat.traveler_wait[k]);
	histo_init(&e->nat.custody_time);
	e->stage = xcalloc(m->nstage, sizeof *e->stage);
	e->stream = xcalloc(m->nstream, sizeof *e->stream);
	e->find = xcalloc(m->nfind ? m->nfind : 1, sizeof *e->find);
	e->port = xcalloc(m->nport ? m->nport : 1, sizeof *e->port);
	for (size_t i = 0; i < m->nport; i++) {
		histo_init(&e->port[i].traveler_wait);
		histo_init(&e->port[i].truck_wait);
	}
	for (size_t i = 0; i < m->nfind; i++) {
		e->find[i].def = &m->find[i];
		e->find[i].draw = purpose_rng(e, rep, "find", m->find[i].name, NULL);
	}
	for (size_t i = 0; i < m->nstage; i++)
		setup_stage(e, rep, i);
	for (size_t i = 0; i < m->nstream; i++)
		setup_stream(e, rep, i);
	calendar_push(&e->cal, next_boundary(e, 0), ev_boundary, NULL);
}

static void teardown(struct engine *e)
{
	for (size_t i = 0; e->stage && i < e->m->nstage; i++) {
		rng_free(e->stage[i].svc);
		rng_free(e->stage[i].route);
		rng_free(e->stage[i].divert);
		free(e->stage[i].find);
		histo_release(&e->stage[i].cur.wait);
		histo_release(&e->stage[i].wait);
	}
	for (size_t i = 0; e->stream && i < e->m->nstream; i++) {
		rng_free(e->stream[i].arr);
		rng_free(e->stream[i].route);
		rng_free(e->stream[i].persons);
		rng_free(e->stream[i].risk);
		rng_free(e->stream[i].batch);
		rng_free(e->stream[i].spread);
		histo_release(&e->stream[i].tis);
	}
	for (int k = 0; k < 4; k++)
		histo_release(&e->nat.traveler_wait[k]);
	histo_release(&e->nat.custody_time);
	for (size_t i = 0; e->find && i < e->m->nfind; i++)
		rng_free(e->find[i].draw);
	for (size_t i = 0; e->port && i < e->m->nport; i++) {
		histo_release(&e->port[i].traveler_wait);
		histo_release(&e->port[i].truck_wait);
	}
	free(e->port);
	while (e->groups)
		group_unlink(e, e->groups);
	for (size_t i = 0; i < e->nchunk; i++)
		free(e->chunks[i]);
	free(e->chunks);
	free(e->stage);
	free(e->stream);
	free(e->find);
	calendar_release(&e->cal);
}

/* The run passed scenario.max_entities: names the stage holding the most,
 * the likeliest cause (a queue growing without bound). */
static int overflow_message(const struct engine *e, char *err, size_t errlen)
{
	const struct stage_rt *worst = NULL;
	for (size_t i = 0; i < e->m->nstage; i++) {
		const struct stage_rt *st = &e->stage[i];
		if (!worst || st->nq + st->busy > worst->nq + worst->busy)
			worst = st;
	}
	unsigned at_once = e->m->at_once > 1 ? e->m->at_once : 1;
	return util_err(err, errlen, EX_DATAERR,
	                "scenario.max_entities: more than %.0f entities present at day %.2f of "
	                "replication %u (the limit of %.0f is for the whole run, shared by the %u "
	                "replication%s running at once); stage '%s' holds %ld of them (%ld "
	                "waiting): its arrivals outrun its servers. Add servers, shorten the run, "
	                "run fewer threads, or raise scenario.max_entities", e->max_live,
	                e->now / 1440.0, e->out->replication, e->m->max_entities, at_once,
	                at_once == 1 ? "" : "s", worst->def->name, worst->nq + worst->busy, worst->nq);
}

int engine_run(const struct model *m, unsigned rep, struct results *out,
               const volatile sig_atomic_t *stop, char *err, size_t errlen)
{
	if (!(m->days > 0) || !(m->warmup_days >= 0))
		return util_err(err, errlen, EX_SOFTWARE, "engine: model has no horizon");
	if (m->nstage > MODEL_MAX_NODES || m->nstream > MODEL_MAX_NODES)
		return util_err(err, errlen, EX_DATAERR, "%s: %zu stages and %zu streams: at most "
		                "%d of each", m->name, m->nstage, m->nstream, MODEL_MAX_NODES);
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
	int rc = stopped ? ENGINE_STOPPED : 0;
	if (e->overflow)
		rc = overflow_message(e, err, errlen);
	else if (!stopped)
		collect_run(e);
	teardown(e);
	free(e);
	return rc;
}
