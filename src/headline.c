/* headline: key results as aligned text, and a run's warnings.
 *
 * The run's table is computed from the replications' results as summary.csv
 * is (summary_compute, bounded by results_unit_range), so the screen and the
 * file never disagree; compare's and a sweep's lines are read from the rows
 * their files are written from. */
#include "headline.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "summary.h"
#include "util.h"

/* v to sig significant digits (at least its whole part), the whole part
 * grouped by thousands. */
static void format_sig(char *buf, size_t len, double v, int sig)
{
	if (!isfinite(v)) {
		snprintf(buf, len, "-");
		return;
	}
	if (fabs(v) < 1) {
		snprintf(buf, len, "%.*g", sig, v == 0 ? 0.0 : v);
		return;
	}
	int whole = (int)floor(log10(fabs(v))) + 1, dec = sig > whole ? sig - whole : 0;
	if (v == floor(v))
		dec = 0;     /* a count reads as one: 15, not 15.0 */
	char digits[64];
	snprintf(digits, sizeof digits, "%.*f", dec, fabs(v));
	size_t n = strcspn(digits, "."), k = 0;
	if (v < 0 && k + 1 < len)
		buf[k++] = '-';
	for (size_t i = 0; digits[i] && k + 2 < len; i++) {
		if (i > 0 && i < n && (n - i) % 3 == 0)
			buf[k++] = ',';
		buf[k++] = digits[i];
	}
	buf[k] = '\0';
}

void headline_number(char *buf, size_t len, double v)
{
	format_sig(buf, len, v, 3);
}

/* ---- a run ---- */

/* The summary of metric i of the replications, bounded to its unit's range. */
static void metric_summary(const struct results *rep, size_t nrep, size_t i, struct summary *s)
{
	double *x = xmalloc(nrep * sizeof *x), lo, hi;
	for (size_t r = 0; r < nrep; r++)
		x[r] = i < rep[r].nmetric ? rep[r].metric[i].value : NAN;
	summary_compute(s, x, nrep);
	results_unit_range(rep[0].metric[i].unit, &lo, &hi);
	summary_bound(s, lo, hi);
	free(x);
}

/* The stage figures headline reads, and where each stage's are among a
 * replication's metrics (collect adds a stage's metrics together, so one pass
 * finds them all: a model may have tens of thousands of stages). */
enum { F_P95, F_MEAN, F_UTIL, F_BACKLOG, F_SERVED, NFIG };
static const char *const fig_metric[NFIG] = { "wait_p95", "wait_mean", "utilization",
	                                      "backlog_end", "served" };

struct stage_figs {
	const char *name;
	long at[NFIG];          /* metric index, -1 when absent */
};

/* The stages of r's metrics, in their order, into *out; returns how many. */
static size_t stage_figs(const struct results *r, struct stage_figs **out)
{
	size_t n = 0, cap = 0;
	*out = NULL;
	for (size_t i = 0; i < r->nmetric; i++) {
		const struct metric *mt = &r->metric[i];
		if (strcmp(mt->scope, "stage") != 0)
			continue;
		if (n == 0 || strcmp((*out)[n - 1].name, mt->name) != 0) {
			if (n == cap)
				*out = xrealloc(*out, (cap = cap ? 2 * cap : 16) * sizeof **out);
			(*out)[n].name = mt->name;
			for (size_t k = 0; k < NFIG; k++)
				(*out)[n].at[k] = -1;
			n++;
		}
		for (size_t k = 0; k < NFIG; k++)
			if (strcmp(mt->metric, fig_metric[k]) == 0)
				(*out)[n - 1].at[k] = (long)i;
	}
	return n;
}

/* The bounded summary of metric at (-1: none, all NaN). */
static void fig_summary(const struct results *rep, size_t nrep, long at, struct summary *s)
{
	*s = (struct summary){ .mean = NAN, .ci_low = NAN, .ci_high = NAN };
	if (at >= 0)
		metric_summary(rep, nrep, (size_t)at, s);
}

/* "1,079,552  [1,075,001, 1,084,103]" into buf: three significant digits,
 * more when the interval's ends would read the same though they differ. */
static void mean_and_interval(char *buf, size_t len, const struct summary *s)
{
	char m[40], lo[40], hi[40];
	for (int sig = 3; sig <= 8; sig++) {
		format_sig(m, sizeof m, s->mean, sig);
		format_sig(lo, sizeof lo, s->ci_low, sig);
		format_sig(hi, sizeof hi, s->ci_high, sig);
		if (strcmp(lo, hi) != 0 || !(s->ci_low < s->ci_high))
			break;
	}
	if (isfinite(s->ci_low))
		snprintf(buf, len, "%s  [%s, %s]", m, lo, hi);
	else
		snprintf(buf, len, "%s", m);
}

static void run_title(FILE *f, const struct model *m, size_t nrep)
{
	char days[40], *name = util_escape(m->name);
	headline_number(days, sizeof days, m->days);
	fprintf(f, "%s: %zu replication%s of %s day%s; mean and 95%% interval\n", name, nrep,
	        nrep == 1 ? "" : "s", days, m->days == 1 ? "" : "s");
	free(name);
}

void headline_aligned(FILE *f, struct table *t)
{
	size_t ncol = 0;
	for (size_t r = 0; r < t->nrow; r++)
		ncol = t->ncol[r] > ncol ? t->ncol[r] : ncol;
	size_t *w = xcalloc(ncol ? ncol : 1, sizeof *w);
	for (size_t r = 0; r < t->nrow; r++)
		for (size_t c = 0; c < t->ncol[r]; c++)
			w[c] = strlen(t->row[r][c]) > w[c] ? strlen(t->row[r][c]) : w[c];
	for (size_t r = 0; r < t->nrow; r++)
		for (size_t c = 0; c < t->ncol[r]; c++) {
			if (c + 1 < t->ncol[r])
				fprintf(f, "%-*s  ", (int)w[c], t->row[r][c]);
			else
				fprintf(f, "%s\n", t->row[r][c]);
		}
	free(w);
	table_release(t);
}

static void run_national(FILE *f, const struct results *rep, size_t nrep)
{
	const struct results *r0 = &rep[0];
	struct table t = { 0 };
	const char *head[] = { "national figure", "mean  [95% interval]", "unit" };
	table_add(&t, head, NELEM(head));
	for (size_t i = 0; i < r0->nmetric; i++) {
		if (strcmp(r0->metric[i].scope, "national") != 0)
			continue;
		struct summary s;
		char text[128];
		metric_summary(rep, nrep, i, &s);
		mean_and_interval(text, sizeof text, &s);
		const char *row[] = { r0->metric[i].metric, text, r0->metric[i].unit };
		table_add(&t, row, NELEM(row));
	}
	headline_aligned(f, &t);
}

struct stage_pick {
	size_t stage;
	double p95;
};

static int by_p95_desc(const void *a, const void *b)
{
	const struct stage_pick *x = a, *y = b;
	double p = isnan(x->p95) ? -INFINITY : x->p95, q = isnan(y->p95) ? -INFINITY : y->p95;
	if (p != q)
		return p < q ? 1 : -1;
	return (x->stage > y->stage) - (x->stage < y->stage);
}

static void run_stages(FILE *f, const struct results *rep, size_t nrep)
{
	struct stage_figs *st;
	size_t ns = stage_figs(&rep[0], &st);
	struct stage_pick *p = xcalloc(ns ? ns : 1, sizeof *p);
	for (size_t i = 0; i < ns; i++) {
		struct summary s;
		fig_summary(rep, nrep, st[i].at[F_P95], &s);
		p[i] = (struct stage_pick){ i, s.mean };
	}
	qsort(p, ns, sizeof *p, by_p95_desc);
	size_t n = ns < HEADLINE_STAGES ? ns : HEADLINE_STAGES;
	fprintf(f, "the %zu stage%s with the longest p95 waits (of %zu), mean  [95%% interval]:\n",
	        n, n == 1 ? "" : "s", ns);
	struct table t = { 0 };
	const char *head[] = { "stage", "wait_p95 min", "wait_mean min", "utilization",
		               "backlog_end" };
	table_add(&t, head, NELEM(head));
	for (size_t j = 0; j < n; j++) {
		const struct stage_figs *sf = &st[p[j].stage];
		char text[F_SERVED][128];
		for (size_t c = 0; c < F_SERVED; c++) {
			struct summary s;
			fig_summary(rep, nrep, sf->at[c], &s);
			mean_and_interval(text[c], sizeof text[c], &s);
		}
		const char *row[] = { sf->name, text[F_P95], text[F_MEAN], text[F_UTIL],
			              text[F_BACKLOG] };
		table_add(&t, row, NELEM(row));
	}
	headline_aligned(f, &t);
	free(p);
	free(st);
}

void headline_run(FILE *f, const struct model *m, const struct results *rep, size_t nrep)
{
	if (nrep == 0)
		return;
	run_title(f, m, nrep);
	if (m->national)
		run_national(f, rep, nrep);
	else
		run_stages(f, rep, nrep);
}

/* ---- compare ---- */

/* The column of t's header named name, or -1. */
static long column(const struct table *t, const char *name)
{
	for (size_t c = 0; t->nrow && c < t->ncol[0]; c++)
		if (!strcmp(t->row[0][c], name))
			return (long)c;
	return -1;
}

/* A cell as a number; NaN when empty or not one. */
static double cell(const char *s)
{
	char *end;
	double v = strtod(s, &end);
	return *s && *end == '\0' ? v : NAN;
}

struct diff_pick {
	size_t row;
	double rel;     /* |diff| / |base|; infinite where the base is 0 */
};

static int by_rel_desc(const void *a, const void *b)
{
	const struct diff_pick *x = a, *y = b;
	if (x->rel != y->rel)
		return x->rel < y->rel ? 1 : -1;
	return (x->row > y->row) - (x->row < y->row);
}

enum { C_SCOPE, C_NAME, C_METRIC, C_UNIT, C_BASE, C_SCEN, C_DIFF, C_LO, C_HI, NC };

void headline_compare(FILE *f, const struct table *t, const char *base, const char *scenario)
{
	static const char *const name[NC] = { "scope", "name", "metric", "unit", "base_mean",
		                              "scenario_mean", "diff_mean", "diff_ci95_low",
		                              "diff_ci95_high" };
	long c[NC];
	for (size_t k = 0; k < NC; k++)
		if ((c[k] = column(t, name[k])) < 0)
			return;
	struct diff_pick *p = xcalloc(t->nrow ? t->nrow : 1, sizeof *p);
	size_t n = 0;
	for (size_t r = 1; r < t->nrow; r++) {
		char **row = t->row[r];
		double lo = cell(row[c[C_LO]]), hi = cell(row[c[C_HI]]);
		double b = cell(row[c[C_BASE]]), d = cell(row[c[C_DIFF]]);
		if (!(lo > 0 || hi < 0))
			continue;
		p[n].row = r;
		p[n++].rel = b != 0 ? fabs(d / b) : INFINITY;
	}
	qsort(p, n, sizeof *p, by_rel_desc);
	char *bn = util_escape(base), *sn = util_escape(scenario);
	fprintf(f, "%s vs %s: %zu of %zu figures differ (the 95%% interval of the paired "
	        "difference excludes 0)%s\n", sn, bn, n, t->nrow ? t->nrow - 1 : 0,
	        n > HEADLINE_DIFFS ? "; the largest, relative to the base:" : "");
	struct table out = { 0 };
	const char *head[] = { "figure", "base", "scenario", "difference  [95% interval]",
		               "change" };
	table_add(&out, head, NELEM(head));
	for (size_t j = 0; j < n && j < HEADLINE_DIFFS; j++) {
		char **row = t->row[p[j].row], fig[160], v[2][40], diff[128], rel[40];
		struct summary d = { .mean = cell(row[c[C_DIFF]]), .ci_low = cell(row[c[C_LO]]),
			             .ci_high = cell(row[c[C_HI]]) };
		snprintf(fig, sizeof fig, "%s %s %s", row[c[C_SCOPE]], row[c[C_NAME]],
		         row[c[C_METRIC]]);
		headline_number(v[0], sizeof v[0], cell(row[c[C_BASE]]));
		headline_number(v[1], sizeof v[1], cell(row[c[C_SCEN]]));
		mean_and_interval(diff, sizeof diff - 48, &d);
		snprintf(diff + strlen(diff), sizeof diff - strlen(diff), " %s", row[c[C_UNIT]]);
		if (isinf(p[j].rel))
			snprintf(rel, sizeof rel, "from 0");
		else
			snprintf(rel, sizeof rel, "%+.1f%%", 100 * d.mean / fabs(cell(row[c[C_BASE]])));
		const char *line[] = { fig, v[0], v[1], diff, rel };
		table_add(&out, line, NELEM(line));
	}
	if (n)
		headline_aligned(f, &out);
	else
		table_release(&out);
	free(bn);
	free(sn);
	free(p);
}

/* ---- a sweep point ---- */

/* Appends ", METRIC MEAN [LO, HI] UNIT" of summary row r to *line. */
static void append_figure(char **line, char *const *r, const char *label)
{
	struct summary s = { .mean = cell(r[TABLE_SUMMARY_MEAN]),
		             .ci_low = cell(r[TABLE_SUMMARY_CI95_LOW]),
		             .ci_high = cell(r[TABLE_SUMMARY_CI95_HIGH]) };
	char text[128];
	mean_and_interval(text, sizeof text, &s);
	char *t = xasprintf("%s; %s %s %s", *line, label, text, r[TABLE_SUMMARY_UNIT]);
	free(*line);
	*line = t;
}

char *headline_sweep_line(const char *point, const struct table *rows, size_t nlead)
{
	static const char *const nat[] = { "travelers_processed", "traveler_wait_mean",
		                           "traveler_wait_p95" };
	char *line = xstrdup(point);
	long best = -1;
	double best_p95 = -INFINITY;
	int national = 0;
	for (size_t i = 0; i < rows->nrow; i++) {
		char *const *r = rows->row[i] + nlead;
		if (rows->ncol[i] < nlead + TABLE_SUMMARY_NCOL)
			continue;
		if (!strcmp(r[TABLE_SUMMARY_SCOPE], "national")) {
			for (size_t k = 0; k < NELEM(nat); k++)
				if (!strcmp(r[TABLE_SUMMARY_METRIC], nat[k]))
					append_figure(&line, r, nat[k]);
			national = 1;
		} else if (!strcmp(r[TABLE_SUMMARY_SCOPE], "stage") &&
		           !strcmp(r[TABLE_SUMMARY_METRIC], "wait_p95")) {
			double v = cell(r[TABLE_SUMMARY_MEAN]);
			if (v > best_p95) {
				best_p95 = v;
				best = (long)i;
			}
		}
	}
	if (!national && best >= 0) {
		char *const *r = rows->row[best] + nlead;
		char *label = xasprintf("longest p95 wait: %s", r[TABLE_SUMMARY_NAME]);
		append_figure(&line, r, label);
		free(label);
	}
	char *t = xasprintf("%s\n", line);
	free(line);
	return t;
}

/* ---- warnings ---- */

/* Stages that end overloaded: the backlog at the end, less the servers on
 * duty in the last hour (at most that many are in service), is more than the
 * stage can serve in an hour with its most servers of the day (the end of a
 * busy evening is not an overload; a queue an hour's full work long is).
 * Infinite-server stages (custody) hold people by design and are left out. */
static size_t warn_overloaded(FILE *f, const char *name, const struct model *m,
                              const struct results *rep, size_t nrep)
{
	double end = (m->warmup_days + m->days) * 1440.0;
	int last = (int)fmod(floor((end - 1e-9) / 60.0), 24.0);
	struct stage_figs *st;
	size_t ns = stage_figs(&rep[0], &st), n = 0;
	for (size_t i = 0, j = 0; i < m->nstage; i++) {
		const struct model_stage *sd = &m->stage[i];
		/* the stages come in model order; search only when they do not */
		if (j >= ns || strcmp(st[j].name, sd->name) != 0)
			for (j = 0; j < ns && strcmp(st[j].name, sd->name) != 0; j++)
				;
		if (j >= ns || sd->unlimited)
			continue;
		struct summary left;
		fig_summary(rep, nrep, st[j].at[F_BACKLOG], &left);
		int most = 0;
		for (int h = 0; h < MODEL_HOURS; h++)
			most = sd->servers[h] > most ? sd->servers[h] : most;
		double hourly = sd->service.mean > 0 ? most * 60.0 / sd->service.mean : HUGE_VAL;
		double waiting = left.mean - sd->servers[last < 0 ? 0 : last];
		j++;
		if (!(waiting >= 1 && waiting > hourly))
			continue;
		char a[40], b[40];
		headline_number(a, sizeof a, left.mean);
		headline_number(b, sizeof b, hourly);
		fprintf(f, "bordersim: warning: %s: stage '%s' ends the horizon overloaded: %s left "
		        "at it (mean of %zu replication%s), more than it can serve in an hour with its "
		        "most servers (%s)\n", name, sd->name, a, nrep, nrep == 1 ? "" : "s", b);
		n++;
	}
	free(st);
	return n;
}

/* Windows that lie wholly or partly outside the reported days (the warm-up
 * is simulated, but a window is placed from the end of it). */
static size_t warn_windows(FILE *f, const char *name, const struct model *m)
{
	double horizon = m->days * 1440.0;
	size_t n = 0;
	for (size_t i = 0; i < m->nwindow; i++) {
		const struct model_window *w = &m->window[i];
		char s[40], e[40], h[40];
		headline_number(s, sizeof s, w->start / 1440.0);
		headline_number(e, sizeof e, w->end / 1440.0);
		headline_number(h, sizeof h, m->days);
		if (w->start >= horizon)
			fprintf(f, "bordersim: warning: %s: %s lies outside the simulated time: it "
			        "starts %s days into the %s reported days and changes nothing\n", name,
			        w->label, s, h);
		else if (w->end > horizon)
			fprintf(f, "bordersim: warning: %s: %s runs past the simulated time: it ends "
			        "%s days into the %s reported days; its end is not simulated\n", name,
			        w->label, e, h);
		else
			continue;
		n++;
	}
	return n;
}

size_t headline_warnings(FILE *f, const struct model *m, const struct results *rep, size_t nrep)
{
	char *name = util_escape(m->name);
	size_t n = warn_windows(f, name, m);
	if (nrep)
		n += warn_overloaded(f, name, m, rep, nrep);
	free(name);
	return n;
}
