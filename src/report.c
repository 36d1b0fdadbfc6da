/* report: a run's output folder.
 *
 * Each file has a writer here that outdir calls with the file open; the
 * writers format numbers and quote fields through table, so a run's files and
 * a sweep's read the same way. hourly.csv is the largest file and most of its
 * cost is formatting, so its rows may come formatted (report_render_hourly,
 * called on the replication's thread) and are then only copied. */
#include "report.h"

#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "html.h"
#include "outdir.h"
#include "scenario.h"
#include "summary.h"
#include "target.h"
#include "targetmet.h"
#include "util.h"

/* What a run's file writers need. */
struct job {
	const struct model *m;
	const struct scenario *sc;
	const struct results *rep;
	const struct report_hourly *hourly;   /* by replication, or NULL */
	size_t nrep;
	const volatile sig_atomic_t *stop;
	const char *chart;                    /* --chart list, or NULL */
	const unsigned char *keep;            /* hourly.csv's stages; NULL: all */
	const struct targetmet_run *targets;  /* report.html's Targets panel, or NULL */
};

/* ---- summary rows ---- */

static int same_metric(const struct metric *a, const struct metric *b)
{
	return strcmp(a->scope, b->scope) == 0 && strcmp(a->name, b->name) == 0 &&
	       strcmp(a->metric, b->metric) == 0 && strcmp(a->unit, b->unit) == 0;
}

/* The lead fields, then the summary.csv fields of one metric. */
static void add_summary_row(struct table *t, const char *scenario, const char *days,
                            const char *const *lead, size_t nlead, const struct metric *mt,
                            const struct summary *s)
{
	const double v[] = { s->mean, s->stddev, s->ci_low, s->ci_high, s->min, s->max };
	char num[NELEM(v)][32], n[32];
	for (size_t i = 0; i < NELEM(v); i++)
		table_format_number(num[i], sizeof num[i], v[i]);
	snprintf(n, sizeof n, "%zu", s->n);
	const char *tail[TABLE_SUMMARY_NCOL] = {
		scenario, mt->scope, mt->name, mt->metric, mt->unit,
		num[0], num[1], num[2], num[3], num[4], num[5], n, days,
	};
	const char **field = xmalloc((nlead + TABLE_SUMMARY_NCOL) * sizeof *field);
	for (size_t i = 0; i < nlead; i++)
		field[i] = lead[i];
	memcpy(field + nlead, tail, sizeof tail);
	table_add(t, field, nlead + TABLE_SUMMARY_NCOL);
	free(field);
}

void report_summary_rows(struct table *t, const char *scenario, double days,
                         const char *const *lead, size_t nlead, const struct results *rep,
                         size_t nrep)
{
	if (nrep == 0)
		return;
	char d[32];
	table_format_number(d, sizeof d, days);
	double *x = xmalloc(nrep * sizeof *x);
	const struct results *r0 = &rep[0];
	for (size_t i = 0; i < r0->nmetric; i++) {
		for (size_t r = 0; r < nrep; r++) {
			/* The engine appends metrics in one fixed order for a model. */
			assert(rep[r].nmetric == r0->nmetric);
			assert(same_metric(&rep[r].metric[i], &r0->metric[i]));
			x[r] = rep[r].metric[i].value;
		}
		struct summary s;
		double lo, hi;
		summary_compute(&s, x, nrep);
		results_unit_range(r0->metric[i].unit, &lo, &hi);
		summary_bound(&s, lo, hi);
		add_summary_row(t, scenario, d, lead, nlead, &r0->metric[i], &s);
	}
	free(x);
}

/* ---- a run's files ---- */

static int write_summary(FILE *f, const void *ctx)
{
	const struct job *j = ctx;
	struct table t = { 0 };
	table_add(&t, table_summary_head, TABLE_SUMMARY_NCOL);
	report_summary_rows(&t, j->m->name, j->m->days, NULL, 0, j->rep, j->nrep);
	int rc = table_write(f, &t);
	table_release(&t);
	return rc;
}

/* A long writer gives up at a replication boundary once stop is set. */
static int interrupted(const struct job *j)
{
	if (!j->stop || !*j->stop)
		return 0;
	errno = EINTR;
	return 1;
}

static int write_replications(FILE *f, const void *ctx)
{
	const struct job *j = ctx;
	static const char *const head[] = {
		"scenario", "replication", "seed", "scope", "name", "metric", "unit", "value", "days",
	};
	char days[32];
	table_format_number(days, sizeof days, j->m->days);
	table_write_row(f, head, NELEM(head));
	for (size_t r = 0; r < j->nrep && !ferror(f); r++) {
		const struct results *res = &j->rep[r];
		char rep[32], seed[32], val[32];
		if (interrupted(j))
			return -1;
		snprintf(rep, sizeof rep, "%u", res->replication);
		snprintf(seed, sizeof seed, "%" PRIu64, res->seed);
		for (size_t i = 0; i < res->nmetric; i++) {
			const struct metric *mt = &res->metric[i];
			table_format_number(val, sizeof val, mt->value);
			const char *field[] = {
				j->m->name, rep, seed, mt->scope, mt->name, mt->metric, mt->unit, val,
				days,
			};
			table_write_row(f, field, NELEM(field));
		}
	}
	return ferror(f) ? -1 : 0;
}

static void put_hour_row(FILE *f, const struct job *j, const struct results *res,
                         const struct hour_row *h)
{
	assert(h->stage < j->m->nstage);
	const double v[] = { h->arrivals,  h->departures, h->servers,     h->queue_mean,
		             h->queue_max, h->wait_mean,  h->wait_p95,    h->utilization,
		             h->population_mean, (double)h->elapsed_hour };
	char rep[32], day[32], hour[32], num[NELEM(v)][32];
	snprintf(rep, sizeof rep, "%u", res->replication);
	snprintf(day, sizeof day, "%u", h->day);
	snprintf(hour, sizeof hour, "%u", h->hour);
	for (size_t i = 0; i < NELEM(v); i++)
		table_format_number(num[i], sizeof num[i], v[i]);
	const char *field[] = {
		j->m->name, rep, day, hour, j->m->stage[h->stage].name,
		num[0], num[1], num[2], num[3], num[4], num[5], num[6], num[7], num[8], num[9],
	};
	table_write_row(f, field, NELEM(field));
}

/* A replication's rows of the stages j keeps, in the engine's order. */
static void put_hour_rows(FILE *f, const struct job *j, const struct results *res)
{
	for (size_t i = 0; i < res->nhour; i++)
		if (!j->keep || j->keep[res->hour[i].stage])
			put_hour_row(f, j, res, &res->hour[i]);
}

static int write_hourly(FILE *f, const void *ctx)
{
	const struct job *j = ctx;
	static const char *const head[] = {
		"scenario", "replication", "day", "hour", "stage", "arrivals", "departures",
		"servers", "queue_mean", "queue_max", "wait_mean", "wait_p95", "utilization",
		"population_mean", "elapsed_hour",
	};
	table_write_row(f, head, NELEM(head));
	for (size_t r = 0; r < j->nrep && !ferror(f); r++) {
		const struct results *res = &j->rep[r];
		if (interrupted(j))
			return -1;
		if (j->hourly && j->hourly[r].text) {
			fwrite(j->hourly[r].text, 1, j->hourly[r].len, f);
			continue;
		}
		put_hour_rows(f, j, res);
	}
	return ferror(f) ? -1 : 0;
}

struct report_hourly *report_hourly_new(size_t n)
{
	return xcalloc(n ? n : 1, sizeof(struct report_hourly));
}

void report_hourly_free(struct report_hourly *h, size_t n)
{
	for (size_t i = 0; h && i < n; i++)
		free(h[i].text);
	free(h);
}

void report_render_hourly(const struct model *m, const struct results *r,
                          const unsigned char *keep, struct report_hourly *out)
{
	struct job j = { .m = m, .rep = r, .nrep = 1, .keep = keep };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return;                  /* report_write formats the rows itself */
	put_hour_rows(f, &j, r);
	if (fclose(f) != 0) {
		free(buf);
		return;
	}
	free(out->text);
	out->text = buf;
	out->len = len;
}

static int write_ini(FILE *f, const void *ctx)
{
	const struct job *j = ctx;
	return scenario_write(j->sc, f);
}

/* The p95-wait limits of the scenario's [target.NAME] sections by stage (NaN
 * for none, or one that differs by hour), for the charts' target lines; NULL
 * when it has none. */
static double *target_lines(const struct model *m, const struct scenario *sc)
{
	struct target_set t = { 0 };
	char err[UTIL_ERRLEN];
	double *line = NULL;
	int any = 0;
	for (size_t i = 0; i < sc->n && !any; i++)
		any = strncmp(sc->entry[i].section, "target.", 7) == 0;
	/* reading targets reads the model's names only: m is not changed */
	if (any && target_read_run(&t, (struct model *)m, sc, err, sizeof err) == 0) {
		line = xmalloc((m->nstage ? m->nstage : 1) * sizeof *line);
		for (size_t i = 0; i < m->nstage; i++)
			line[i] = target_limit_flat(&t, i, TARGET_WAIT_P95);
	}
	target_release(&t);
	return line;
}

static int write_hourly_svg(FILE *f, const void *ctx)
{
	const struct job *j = ctx;
	double *line = target_lines(j->m, j->sc);
	const struct chart_hourly_opts o = { j->chart, line };
	int rc = chart_hourly(f, j->m, j->rep, j->nrep, &o);
	free(line);
	return rc;
}

/* ---- report.html ---- */

static int write_html(FILE *f, const void *ctx)
{
	const struct job *j = ctx;
	struct table t = { 0 };
	struct html_chart c;
	table_add(&t, table_summary_head, TABLE_SUMMARY_NCOL);
	report_summary_rows(&t, j->m->name, j->m->days, NULL, 0, j->rep, j->nrep);
	struct table targets = { 0 };
	if (j->targets)
		targetmet_rows(j->targets, &targets);
	int any = targets.nrow > 0;
	int rc = html_chart_render(&c, "hourly.svg: queue length and p95 wait by hour",
	                           write_hourly_svg, j);
	const struct html_page p = { "run", j->m->name, j->m->days, j->m->replications,
	                             j->m->seed, NULL, &t, NULL, &c, 1, any ? &targets : NULL };
	if (rc == 0)
		rc = html_write(f, &p);
	html_chart_release(&c);
	table_release(&t);
	table_release(&targets);
	return rc;
}

/* The hourly chart of one side of a compare, as its scenario's name. */
struct side {
	const struct report_compare *c;
	int k;
};

static int write_side_svg(FILE *f, const void *ctx)
{
	const struct side *s = ctx;
	const struct chart_hourly_opts o = { s->c->chart, NULL };
	return chart_hourly(f, s->c->m[s->k], s->c->rep[s->k], s->c->nrep, &o);
}

int report_compare_html(FILE *f, const void *ctx)
{
	const struct report_compare *c = ctx;
	struct html_chart ch[2] = { { 0 } };
	const struct side side[2] = { { c, 0 }, { c, 1 } };
	char *cap[2], *name = xasprintf("%s vs %s", c->m[1]->name, c->m[0]->name);
	int rc = 0;
	for (int k = 0; k < 2; k++) {
		cap[k] = xasprintf("%s: %s, queue length and p95 wait by hour", k ? "scenario" : "base",
		                   c->m[k]->name);
		if (rc == 0)
			rc = html_chart_render(&ch[k], cap[k], write_side_svg, &side[k]);
	}
	const struct html_page p = { "compare", name, c->m[0]->days, c->m[0]->replications,
	                             c->m[0]->seed, NULL, NULL, c->compare, ch, 2, NULL };
	if (rc == 0)
		rc = html_write(f, &p);
	for (int k = 0; k < 2; k++) {
		html_chart_release(&ch[k]);
		free(cap[k]);
	}
	free(name);
	return rc;
}

int report_write(const char *dir, const struct model *m, const struct scenario *sc,
                 const struct results *rep, const struct report_hourly *hourly, size_t nrep,
                 const volatile sig_atomic_t *stop, char *err, size_t errlen)
{
	return report_write_chart(dir, m, sc, rep, hourly, nrep, NULL, NULL, stop, err, errlen);
}

int report_write_chart(const char *dir, const struct model *m, const struct scenario *sc,
                       const struct results *rep, const struct report_hourly *hourly,
                       size_t nrep, const char *chart, const unsigned char *keep,
                       const volatile sig_atomic_t *stop, char *err, size_t errlen)
{
	return report_write_more(dir, m, sc, rep, hourly, nrep, chart, keep, NULL, NULL, 0,
	                         &outdir_kind_run, stop, err, errlen);
}

int report_write_more(const char *dir, const struct model *m, const struct scenario *sc,
                      const struct results *rep, const struct report_hourly *hourly,
                      size_t nrep, const char *chart, const unsigned char *keep,
                      const struct targetmet_run *targets,
                      const struct outdir_file *more, size_t nmore,
                      const struct outdir_kind *kind, const volatile sig_atomic_t *stop,
                      char *err, size_t errlen)
{
	const struct job j = { m, sc, rep, hourly, nrep, stop, chart, keep, targets };
	struct outdir_file files[16] = {
		{ "summary.csv", write_summary, &j },
		{ "replications.csv", write_replications, &j },
		{ "hourly.csv", write_hourly, &j },
		{ "scenario.ini", write_ini, &j },
		{ "hourly.svg", write_hourly_svg, &j },
		{ "report.html", write_html, &j },
	};
	size_t n = 6;
	for (size_t i = 0; i < nmore && n < NELEM(files); i++)
		files[n++] = more[i];
	return outdir_write(dir, files, n, kind, stop, err, errlen);
}
