/* targetmet: a run's hours against its targets (targetmet.h). */
#include "targetmet.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "headline.h"
#include "results.h"
#include "table.h"
#include "util.h"

/* Sums over one replication's days, by stage and hour. */
struct tally {
	double wsum, dep, p95, np95, util, nutil;
	int bad;      /* arrivals, and no service started in the hour (not closed) */
	int turned;   /* some blocked at capacity or flushed unscreened */
};

/* One replication's hour rows of the targeted stages into day (by stage and
 * hour, zeroed by the caller). */
static void tally_days(const struct model *m, const struct target_set *t,
                       const struct results *r, struct tally *day)
{
	for (size_t k = 0; k < r->nhour; k++) {
		const struct hour_row *h = &r->hour[k];
		struct tally *d = &day[h->stage * MODEL_HOURS + h->hour];
		if (!target_has(t, h->stage))
			continue;
		d->turned |= h->turned_away > 0;
		if (isnan(h->wait_mean)) {
			/* arrivals and no service start: every server busy all
			 * hour, or none staffed; not a closure's hour */
			int staffed = m->stage[h->stage].servers[h->hour] > 0;
			d->bad |= h->arrivals > 0 && (!staffed || h->servers > 0);
		} else {
			d->wsum += h->wait_mean * h->departures;
			d->dep += h->departures;
		}
		if (!isnan(h->wait_p95)) {
			d->p95 += h->wait_p95;
			d->np95++;
		}
		if (!isnan(h->utilization)) {
			d->util += h->utilization;
			d->nutil++;
		}
	}
}

void targetmet_measure(const struct model *m, const struct target_set *t,
                       const struct results *res, size_t nrep,
                       struct targetmet_hour (*out)[MODEL_HOURS])
{
	size_t n = m->nstage * MODEL_HOURS;
	struct tally *day = xmalloc((n ? n : 1) * sizeof *day), *all = xcalloc(n ? n : 1, sizeof *all);
	for (size_t r = 0; r < nrep; r++) {
		memset(day, 0, n * sizeof *day);
		tally_days(m, t, &res[r], day);
		for (size_t k = 0; k < n; k++) {
			struct tally *d = &day[k], *a = &all[k];
			a->bad |= d->bad;
			a->turned |= d->turned;
			if (d->dep > 0) {
				a->wsum += d->wsum / d->dep;
				a->dep++;
			}
			if (d->np95 > 0) {
				a->p95 += d->p95 / d->np95;
				a->np95++;
			}
			if (d->nutil > 0) {
				a->util += d->util / d->nutil;
				a->nutil++;
			}
		}
	}
	for (size_t i = 0; i < m->nstage; i++) {
		for (int h = 0; h < MODEL_HOURS && target_has(t, i); h++) {
			const struct tally *a = &all[i * MODEL_HOURS + (size_t)h];
			struct targetmet_hour *o = &out[i][h];
			o->wait_mean = a->dep > 0 ? a->wsum / a->dep : NAN;
			o->wait_p95 = a->np95 > 0 ? a->p95 / a->np95 : NAN;
			o->utilization = a->nutil > 0 ? a->util / a->nutil : NAN;
			o->starved = a->bad;
			o->turned = a->turned;
		}
	}
	free(day);
	free(all);
}

/* The hour's value of a metric. */
static double value_of(const struct targetmet_hour *o, int metric)
{
	return metric == TARGET_WAIT_MEAN ? o->wait_mean : o->wait_p95;
}

double targetmet_excess(const struct targetmet_hour *o, int metric, double limit)
{
	double v = value_of(o, metric);
	if (o->starved || o->turned)
		return HUGE_VAL;
	return isnan(limit) || isnan(v) ? -HUGE_VAL : v - limit;
}

double targetmet_stage_excess(const struct target_set *t, size_t i, int h,
                              const struct targetmet_hour *o)
{
	double e = -HUGE_VAL;
	for (int k = 0; k < TARGET_NMETRIC; k++)
		e = fmax(e, targetmet_excess(o, k, target_limit(t, i, k, h)));
	return e;
}

int targetmet_within(double excess)
{
	return excess <= 1e-9;
}

/* ---- targets.csv ---- */

int targetmet_write_csv(FILE *f, const void *ctx)
{
	const struct targetmet_run *r = ctx;
	static const char *const head[] = { "stage", "hour", "servers", "wait_mean", "wait_p95",
		                            "utilization", "target_metric", "target_limit", "met" };
	table_write_row(f, head, NELEM(head));
	for (size_t i = 0; i < r->m->nstage; i++) {
		for (int h = 0; h < MODEL_HOURS && target_has(r->t, i); h++) {
			const struct targetmet_hour *o = &r->hour[i][h];
			for (int k = 0; k < TARGET_NMETRIC; k++) {
				double lim = target_limit(r->t, i, k, h);
				if (isnan(lim))
					continue;
				char v[6][32];
				snprintf(v[0], sizeof v[0], "%d", h);
				snprintf(v[1], sizeof v[1], "%d", r->m->stage[i].servers[h]);
				table_format_number(v[2], sizeof v[2], o->wait_mean);
				table_format_number(v[3], sizeof v[3], o->wait_p95);
				table_format_number(v[4], sizeof v[4], o->utilization);
				table_format_number(v[5], sizeof v[5], lim);
				const char *row[] = { r->m->stage[i].name, v[0], v[1], v[2], v[3], v[4],
					              target_metric_name((enum target_metric)k), v[5],
					              targetmet_within(targetmet_excess(o, k, lim)) ? "yes"
					                                                              : "no" };
				table_write_row(f, row, NELEM(row));
			}
		}
	}
	return ferror(f) ? -1 : 0;
}

/* ---- the targets table (stdout, report.html) ---- */

/* A target's stage-hours: those with traffic (a service started, or arrivals
 * found none), those of them met, and the worst excess with where. */
struct tally_def {
	size_t traffic, met;
	double worst;
	size_t stage;
	int hour;
};

static void tally_def(const struct targetmet_run *r, const struct target_def *d,
                      struct tally_def *x)
{
	*x = (struct tally_def){ .worst = -HUGE_VAL, .hour = -1 };
	for (size_t j = 0; j < d->nstage; j++) {
		size_t i = d->stage[j];
		for (int h = 0; h < MODEL_HOURS; h++) {
			const struct targetmet_hour *o = &r->hour[i][h];
			double e = targetmet_excess(o, d->metric, d->limit[h]);
			if (!o->starved && !o->turned && isnan(value_of(o, d->metric)))
				continue;
			x->traffic++;
			x->met += (size_t)targetmet_within(e);
			if (x->hour < 0 || e > x->worst) {
				x->worst = e;
				x->stage = i;
				x->hour = h;
			}
		}
	}
}

/* The limit as read, "by hour" when it differs by hour. */
static void limit_text(char *buf, size_t len, const double *limit)
{
	for (int h = 1; h < TARGET_HOURS; h++) {
		if (!(limit[h] == limit[0])) {
			snprintf(buf, len, "by hour");
			return;
		}
	}
	headline_number(buf, len, limit[0]);
}

/* A target's cells: its hours met of those with traffic, its worst excess
 * ("+12.3", "-4.5", "no service", "turned away", "-" without traffic) and
 * where. */
struct def_cells {
	char met[64], worst[64], at[320];
};

static void def_cells(const struct targetmet_run *r, const struct target_def *d,
                      struct def_cells *c)
{
	struct tally_def x;
	char num[40];
	tally_def(r, d, &x);
	snprintf(c->met, sizeof c->met, "%zu / %zu", x.met, x.traffic);
	if (x.hour < 0) {
		snprintf(c->worst, sizeof c->worst, "-");
		snprintf(c->at, sizeof c->at, "-");
		return;
	}
	headline_number(num, sizeof num, x.worst);
	const struct targetmet_hour *o = &r->hour[x.stage][x.hour];
	snprintf(c->worst, sizeof c->worst, "%s%s",
	         !isinf(x.worst) ? (x.worst > 0 ? "+" : "") : o->starved ? "no service" : "turned away",
	         isinf(x.worst) ? "" : num);
	snprintf(c->at, sizeof c->at, "%s, hour %d", r->m->stage[x.stage].name, x.hour);
}

void targetmet_rows(const struct targetmet_run *r, struct table *t)
{
	const char *head[] = { "target", "metric", "limit min", "stages", "hours met",
		               "worst excess min", "at" };
	table_add(t, head, NELEM(head));
	for (size_t k = 0; k < r->t->ndef; k++) {
		const struct target_def *d = &r->t->def[k];
		struct def_cells c;
		char lim[40], ns[32];
		def_cells(r, d, &c);
		limit_text(lim, sizeof lim, d->limit);
		snprintf(ns, sizeof ns, "%zu", d->nstage);
		const char *row[] = { d->name, target_metric_name((enum target_metric)d->metric), lim,
			              ns, c.met, c.worst, c.at };
		table_add(t, row, NELEM(row));
	}
}

void targetmet_print(FILE *f, const struct targetmet_run *r)
{
	struct table t = { 0 };
	fprintf(f, "targets: the stage-hours with traffic that met the limit, and the worst "
	        "excess over it:\n");
	targetmet_rows(r, &t);
	headline_aligned(f, &t);
}

/* ---- compare ---- */

/* The target of side r named name, or NULL. */
static const struct target_def *def_named(const struct targetmet_run *r, const char *name)
{
	for (size_t k = 0; k < r->t->ndef; k++)
		if (strcmp(r->t->def[k].name, name) == 0)
			return &r->t->def[k];
	return NULL;
}

/* A row of the compare table: the target as one side has it, each side's
 * cells ("-" for a side without it). */
static void compare_row(const struct targetmet_run *side, const struct target_def *d,
                        struct table *t)
{
	struct def_cells c[2];
	char lim[40];
	for (int k = 0; k < 2; k++) {
		const struct target_def *dk = def_named(&side[k], d->name);
		if (dk) {
			def_cells(&side[k], dk, &c[k]);
		} else {
			snprintf(c[k].met, sizeof c[k].met, "-");
			snprintf(c[k].worst, sizeof c[k].worst, "-");
		}
	}
	limit_text(lim, sizeof lim, d->limit);
	const char *row[] = { d->name, target_metric_name((enum target_metric)d->metric), lim,
		              c[0].met, c[1].met, c[0].worst, c[1].worst };
	table_add(t, row, NELEM(row));
}

void targetmet_print_compare(FILE *f, const struct targetmet_run *side)
{
	struct table t = { 0 };
	const char *head[] = { "target", "metric", "limit min", "base met", "scenario met",
		               "base worst", "scenario worst" };
	fprintf(f, "targets, base vs scenario: stage-hours with traffic that met the limit; "
	        "worst excess (min):\n");
	table_add(&t, head, NELEM(head));
	for (size_t k = 0; k < side[0].t->ndef; k++)
		compare_row(side, &side[0].t->def[k], &t);
	for (size_t k = 0; k < side[1].t->ndef; k++)
		if (!def_named(&side[0], side[1].t->def[k].name))
			compare_row(side, &side[1].t->def[k], &t);
	headline_aligned(f, &t);
}
