/* collect: a replication's statistics into results rows.
 *
 * Once a clock hour (or at the warm-up's end or the horizon) an interval of
 * a stage becomes an hourly row; once a replication ends, the run totals of
 * stages, streams, finds and — for the national model — the agency's figures
 * become results rows (replications.csv). Neither is on the engine's hot path, which
 * only updates the accumulators of engine_rt.h that these read. */
#include "collect.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "histo.h"
#include "results.h"
#include "util.h"

void collect_hour(struct engine *e, struct stage_rt *st, double now)
{
	const struct interval *c = &st->cur;
	struct hour_row *h = results_add_hour(e->out);
	double span = now - c->start;
	int unlimited = st->flags & F_UNLIMITED;
	h->day = (unsigned)floor((c->start - e->warm) / 1440.0) + 1;
	h->hour = (unsigned)fmod(floor(c->start / 60.0), 24.0);
	h->stage = (unsigned)(st - e->stage);
	h->arrivals = (double)c->arrivals;
	h->departures = (double)c->served;
	h->servers = unlimited ? NAN : c->sched_area / span;
	h->queue_mean = c->q_area / span;
	h->queue_max = (double)c->q_max;
	h->wait_mean = histo_mean(&c->wait);
	h->wait_p95 = histo_quantile(&c->wait, 0.95);
	h->utilization = !unlimited && c->duty_area > 0 ? c->busy_area / c->duty_area : NAN;
	h->population_mean = (c->q_area + c->busy_area) / span;
	h->turned_away = (double)(c->blocked + c->flushed);
	h->elapsed_hour = (unsigned)floor((c->start - e->warm) / 60.0);
}

static void collect_stage(struct engine *e, struct stage_rt *st, double span)
{
	struct results *out = e->out;
	const char *n = st->def->name;
	int unlimited = st->flags & F_UNLIMITED;
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
	            !unlimited && st->duty_area > 0 ? st->busy_area / st->duty_area : NAN);
	results_add(out, "stage", n, "backlog_end", "count", (double)(st->nq + st->busy));
	if (st->flags & F_FLUSH)
		results_add(out, "stage", n, "flushed", "count", (double)st->flushed);
	if (st->flags & F_DIVERT)
		results_add(out, "stage", n, "diverted", "count", (double)st->diverted);
	if (st->flags & F_CUSTODY) {
		results_add(out, "stage", n, "population_mean", "count",
		            (st->q_area + st->busy_area) / span);
		results_add(out, "stage", n, "population_max", "count", (double)st->pop_max);
		if (st->def->rated_capacity != MODEL_UNLIMITED)
			results_add(out, "stage", n, "over_capacity_mean", "count", st->over_area / span);
	}
}

static void collect_national(struct engine *e)
{
	const struct model *m = e->m;
	struct results *out = e->out;
	const struct national *n = &e->nat;
	double nii = 0, ag = 0, flushed = 0, drugs = 0, pests = 0;
	for (size_t i = 0; i < m->nstage; i++) {
		const struct stage_rt *st = &e->stage[i];
		nii += st->def->kind == STAGE_NII ? (double)st->served : 0;
		ag += st->def->kind == STAGE_AGRICULTURE ? (double)st->served : 0;
		flushed += (double)st->flushed;
	}
	for (size_t i = 0; i < m->nfind; i++) {
		drugs += m->find[i].counts == FIND_DRUGS ? e->find[i].amount : 0;
		pests += m->find[i].counts == FIND_PESTS ? (double)e->find[i].count : 0;
	}
	double air = n->travelers[COUNTS_TRAVELERS_AIR], sea = n->travelers[COUNTS_TRAVELERS_SEA];
	double land = n->travelers[COUNTS_TRAVELERS_LAND];
	const struct histo *ct = &n->custody_time;
	struct histo all;   /* every traveler's wait: the three modes' merged */
	histo_init(&all);
	for (int k = COUNTS_TRAVELERS_AIR; k <= COUNTS_TRAVELERS_LAND; k++)
		histo_merge(&all, &n->traveler_wait[k]);
#define NAT(metric, unit, v) results_add(out, "national", "all", metric, unit, v)
	NAT("travelers_processed", "persons", air + sea + land);
	NAT("travelers_air", "persons", air);
	NAT("travelers_sea", "persons", sea);
	NAT("travelers_land", "persons", land);
	NAT("containers_processed", "count", n->containers);
	NAT("apprehensions", "persons", n->apprehensions);
	NAT("drugs_seized_lb", "lb", drugs);
	NAT("pests_intercepted", "count", pests);
	NAT("ag_inspections", "count", ag);
	NAT("nii_scans", "count", nii);
	NAT("traveler_wait_mean", "min", histo_mean(&all));
	NAT("traveler_wait_p95", "min", histo_quantile(&all, 0.95));
	NAT("custody_peak", "persons", (double)n->custody_peak);
	NAT("custody_time_mean", "min", histo_mean(ct));
	NAT("custody_time_p95", "min", histo_quantile(ct, 0.95));
	NAT("custody_over_72h_share", "fraction",
	    ct->count ? (double)n->custody_over_72h / (double)ct->count : NAN);
	NAT("checkpoint_flushed", "count", flushed);
	NAT("import_value_usd", "USD", n->value);
	static const char *const mode_metric[][2] = {
		[COUNTS_TRAVELERS_AIR] = { "traveler_wait_mean_air", "traveler_wait_p95_air" },
		[COUNTS_TRAVELERS_SEA] = { "traveler_wait_mean_sea", "traveler_wait_p95_sea" },
		[COUNTS_TRAVELERS_LAND] = { "traveler_wait_mean_land", "traveler_wait_p95_land" },
	};
	for (int k = COUNTS_TRAVELERS_AIR; k <= COUNTS_TRAVELERS_LAND; k++) {
		NAT(mode_metric[k][0], "min", histo_mean(&n->traveler_wait[k]));
		NAT(mode_metric[k][1], "min", histo_quantile(&n->traveler_wait[k], 0.95));
	}
#undef NAT
	histo_release(&all);
}

/* What a port (or a port group) has: streams of each measure, and the sums
 * over its stages and streams for one replication. */
struct port_sum {
	int travel, vehicles, pedestrians, buses, trucks, containers, stages, diverts;
	double busy, duty, backlog;
	struct port_rt r;
};

static void port_sum_add(struct port_sum *to, const struct port_sum *from)
{
	to->travel |= from->travel;
	to->vehicles |= from->vehicles;
	to->pedestrians |= from->pedestrians;
	to->buses |= from->buses;
	to->trucks |= from->trucks;
	to->containers |= from->containers;
	to->stages += from->stages;
	to->diverts |= from->diverts;
	to->r.diverted_out += from->r.diverted_out;
	to->r.diverted_in += from->r.diverted_in;
	to->busy += from->busy;
	to->duty += from->duty;
	to->backlog += from->backlog;
	to->r.travelers += from->r.travelers;
	to->r.vehicles += from->r.vehicles;
	to->r.pedestrians += from->r.pedestrians;
	to->r.bus_passengers += from->r.bus_passengers;
	to->r.trucks += from->r.trucks;
	to->r.containers += from->r.containers;
	histo_merge(&to->r.traveler_wait, &from->r.traveler_wait);
	histo_merge(&to->r.truck_wait, &from->r.truck_wait);
}

/* A port's rows: a metric that does not apply to it (no streams of that
 * kind, no stages) is left out rather than written 0. */
static void port_rows(struct results *out, const char *scope, const char *name,
                      const struct port_sum *p)
{
#define PORT(metric, unit, v) results_add(out, scope, name, metric, unit, v)
	if (p->travel)
		PORT("travelers_processed", "persons", p->r.travelers);
	if (p->vehicles)
		PORT("vehicles_processed", "count", p->r.vehicles);
	if (p->pedestrians)
		PORT("pedestrians_processed", "persons", p->r.pedestrians);
	if (p->buses)
		PORT("bus_passengers_processed", "persons", p->r.bus_passengers);
	if (p->trucks)
		PORT("trucks_processed", "count", p->r.trucks);
	if (p->containers)
		PORT("containers_processed", "count", p->r.containers);
	if (p->travel) {
		PORT("traveler_wait_mean", "min", histo_mean(&p->r.traveler_wait));
		PORT("traveler_wait_p95", "min", histo_quantile(&p->r.traveler_wait, 0.95));
	}
	if (p->trucks) {
		PORT("truck_wait_mean", "min", histo_mean(&p->r.truck_wait));
		PORT("truck_wait_p95", "min", histo_quantile(&p->r.truck_wait, 0.95));
	}
	if (p->stages) {
		PORT("officer_hours", "h", p->duty / 60.0);
		PORT("utilization", "fraction", p->duty > 0 ? p->busy / p->duty : NAN);
		PORT("backlog_end", "count", p->backlog);
	}
	if (p->diverts) {
		PORT("diverted_out", "persons", p->r.diverted_out);
		PORT("diverted_in", "persons", p->r.diverted_in);
	}
#undef PORT
}

/* scope = port rows, then scope = port_group rows (sums over their ports). */
static void collect_ports(struct engine *e)
{
	const struct model *m = e->m;
	struct port_sum *ps = xcalloc(m->nport, sizeof *ps);
	for (size_t i = 0; i < m->nport; i++) {
		ps[i].r = e->port[i];   /* borrowed histograms: merged from, not freed */
	}
	for (size_t i = 0; i < m->nstream; i++) {
		const struct model_stream *d = &m->stream[i];
		if (d->port < 0)
			continue;
		struct port_sum *p = &ps[d->port];
		p->travel |= d->counts >= COUNTS_TRAVELERS_AIR && d->counts <= COUNTS_TRAVELERS_LAND;
		p->containers |= d->counts == COUNTS_CONTAINERS;
		p->vehicles |= d->measure == MEASURE_VEHICLES;
		p->pedestrians |= d->measure == MEASURE_PEDESTRIANS;
		p->buses |= d->measure == MEASURE_BUS_PASSENGERS;
		p->trucks |= d->measure == MEASURE_TRUCKS;
	}
	for (size_t i = 0; i < m->nstage; i++) {
		const struct stage_rt *st = &e->stage[i];
		if (st->def->port < 0)
			continue;
		struct port_sum *p = &ps[st->def->port];
		p->stages++;
		/* both ends of a diversion report it */
		for (size_t k = 0; k < st->def->ndivert; k++) {
			int to = m->stream[st->def->divert_to[k]].port;
			p->diverts = 1;
			if (to >= 0)
				ps[to].diverts = 1;
		}
		p->backlog += (double)(st->nq + st->busy);
		if (!(st->flags & F_UNLIMITED)) {
			p->busy += st->busy_area;
			p->duty += st->duty_area;
		}
	}
	for (size_t i = 0; i < m->nport; i++)
		port_rows(e->out, "port", m->port[i].name, &ps[i]);
	for (size_t g = 0; g < m->npgroup; g++) {
		struct port_sum sum;
		memset(&sum, 0, sizeof sum);
		histo_init(&sum.r.traveler_wait);
		histo_init(&sum.r.truck_wait);
		for (size_t i = 0; i < m->nport; i++)
			for (size_t k = 0; k < m->port[i].ngroup; k++)
				if (m->port[i].group[k] == (int)g)
					port_sum_add(&sum, &ps[i]);
		port_rows(e->out, "port_group", m->pgroup[g], &sum);
		histo_release(&sum.r.traveler_wait);
		histo_release(&sum.r.truck_wait);
	}
	free(ps);
}

void collect_run(struct engine *e)
{
	const struct model *m = e->m;
	struct results *out = e->out;
	double span = e->end - e->warm;
	for (size_t i = 0; i < m->nstage; i++)
		collect_stage(e, &e->stage[i], span);
	for (size_t i = 0; i < m->nstream; i++) {
		struct stream_rt *s = &e->stream[i];
		const char *n = s->def->name;
		results_add(out, "stream", n, "arrivals", "count", (double)s->arrivals);
		if (s->def->batched)
			results_add(out, "stream", n, "groups", "count", (double)s->groups);
		results_add(out, "stream", n, "persons", "count", (double)s->persons_in);
		results_add(out, "stream", n, "completed", "count", (double)s->completed);
		results_add(out, "stream", n, "time_in_system_mean", "min", histo_mean(&s->tis));
		results_add(out, "stream", n, "time_in_system_p95", "min",
		            histo_quantile(&s->tis, 0.95));
	}
	for (size_t i = 0; i < m->nfind; i++) {
		const struct find_rt *f = &e->find[i];
		results_add(out, "find", f->def->name, "count", "count", (double)f->count);
		results_add(out, "find", f->def->name, "amount", f->def->unit, f->amount);
	}
	if (m->national)
		collect_national(e);
	if (m->nport)
		collect_ports(e);
	out->events = e->events;
	out->visits = e->visits;
}
