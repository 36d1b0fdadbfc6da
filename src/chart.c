/* chart: hourly.svg and sweep.svg, drawn with svg's primitives.
 *
 * Each plotted point is a <circle> that carries its data in data-* attributes,
 * formatted as the CSV files format them (table_format_number): a reader or a
 * test can check the picture against hourly.csv or sweep.csv without
 * measuring pixels. Values that are not finite are never plotted: they leave
 * a gap, as an empty cell does in the CSV.
 *
 * What a chart shows is chosen for a briefing: hourly.svg's default panels
 * are the stages with the longest p95 waits (where a planner looks first)
 * and the custody stages (whose population is the story of a migrant surge),
 * and sweep.svg leads with the metrics that move. */
#include "chart.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "svg.h"
#include "util.h"

/* ---- hourly.svg ---- */

/* Layout, in pixels. */
enum {
	HW = 960, HML = 80, HMR = 80,     /* width, left and right margins */
	HTOP = 96,                        /* title, subtitle and legend above the panels */
	HPANEL = 252, HPLOT = 150,        /* a panel's block; its plot's height */
	HPTOP = 40,                       /* from a panel's top to its plot: title, units */
	HWROWS = 4,                       /* rows of window labels before they share one */
};

/* The plotted data: the mean over replications by shown stage and hour. */
struct hourly {
	size_t nstage;        /* stages shown */
	size_t stage[PANELS_MAX];   /* their indices in the model, in the order shown */
	size_t matched;       /* stages chosen, before the PANELS_MAX cap */
	size_t nhour;         /* reported hours with a slot: the last row's + 1 */
	double extent;        /* hours on the x axis */
	double *queue, *wait; /* [i * nhour + k], shown stage i, hour k; NaN: none */
	unsigned *nqueue, *nwait;   /* replications that defined each value */
};

static size_t hour_index(const struct hour_row *h)
{
	assert(h->day >= 1 && h->hour < MODEL_HOURS);
	return (size_t)(h->day - 1) * MODEL_HOURS + h->hour;
}

static size_t count_hours(const struct results *rep, size_t nrep)
{
	size_t n = 0;
	for (size_t r = 0; r < nrep; r++)
		for (size_t i = 0; i < rep[r].nhour; i++) {
			size_t k = hour_index(&rep[r].hour[i]) + 1;
			n = k > n ? k : n;
		}
	return n;
}

/* Running means, mean += (x - mean) / k, as GSL's gsl_stats_mean computes
 * the means of summary.csv: values near DBL_MAX do not overflow a sum, and no
 * wider type is needed (valgrind, for one, has no 80-bit long double). */
static void hourly_means(struct hourly *d, const struct model *m, const struct results *rep,
                         size_t nrep)
{
	size_t cells = d->nstage * d->nhour;
	long *row = xmalloc((m->nstage ? m->nstage : 1) * sizeof *row);   /* stage -> shown */
	for (size_t c = 0; c < cells; c++)
		d->queue[c] = d->wait[c] = 0;
	for (size_t s = 0; s < m->nstage; s++)
		row[s] = -1;
	for (size_t i = 0; i < d->nstage; i++)
		row[d->stage[i]] = (long)i;
	for (size_t r = 0; r < nrep; r++)
		for (size_t i = 0; i < rep[r].nhour; i++) {
			const struct hour_row *h = &rep[r].hour[i];
			if (row[h->stage] < 0)
				continue;
			size_t c = (size_t)row[h->stage] * d->nhour + hour_index(h);
			if (isfinite(h->queue_mean))
				d->queue[c] += (h->queue_mean - d->queue[c]) / (double)++d->nqueue[c];
			if (isfinite(h->wait_p95))
				d->wait[c] += (h->wait_p95 - d->wait[c]) / (double)++d->nwait[c];
		}
	for (size_t c = 0; c < cells; c++) {
		if (!d->nqueue[c])
			d->queue[c] = NAN;
		if (!d->nwait[c])
			d->wait[c] = NAN;
	}
	free(row);
}

static void hourly_init(struct hourly *d, const struct model *m, const struct results *rep,
                        size_t nrep, const char *panels)
{
	memset(d, 0, sizeof *d);
	d->nstage = panels_choose(m, rep, nrep, panels, d->stage, &d->matched);
	d->nhour = count_hours(rep, nrep);
	d->extent = d->nhour ? (double)d->nhour : MODEL_HOURS;
	size_t cells = d->nstage * d->nhour > 0 ? d->nstage * d->nhour : 1;
	d->queue = xcalloc(cells, sizeof *d->queue);
	d->wait = xcalloc(cells, sizeof *d->wait);
	d->nqueue = xcalloc(cells, sizeof *d->nqueue);
	d->nwait = xcalloc(cells, sizeof *d->nwait);
	hourly_means(d, m, rep, nrep);
}

static void hourly_release(struct hourly *d)
{
	free(d->nwait);
	free(d->nqueue);
	free(d->wait);
	free(d->queue);
}

/* An axis from 0 (or from below, for negative values) over the finite ones
 * and also (when finite) over extra, a target's limit. */
static void fit_from_zero(struct svg_axis *a, const double *v, size_t n, double extra)
{
	double lo = isfinite(extra) ? fmin(0, extra) : 0, hi = isfinite(extra) ? fmax(0, extra) : 0;
	for (size_t i = 0; i < n; i++)
		if (isfinite(v[i])) {
			lo = fmin(lo, v[i]);
			hi = fmax(hi, v[i]);
		}
	svg_axis_fit(a, lo, hi > lo ? hi : lo + 1, 4);
}

static double hour_x(const struct svg_frame *fr, double extent, double t)
{
	return fr->x + fr->w * t / extent;
}

/* "day D HH:MM" for t hours into the reported period. */
static void clock_text(char *buf, size_t len, double t)
{
	double min = floor(t * 60 + 0.5);
	double day = floor(min / (MODEL_HOURS * 60));
	double in = min - day * MODEL_HOURS * 60;
	snprintf(buf, len, "day %.0f %02.0f:%02.0f", day + 1, floor(in / 60), fmod(in, 60));
}

/* Ticks every 1, 2, 3, 6 or 12 hours labelled with the clock ("06:00") and,
 * under each midnight, the day ("day 2"); beyond, whole days labelled "day
 * D", at least 44 px apart. A gridline at every day when days are at least
 * 3 px apart. */
static void put_hour_axis(FILE *f, const struct svg_frame *fr, double extent)
{
	static const double small[] = { 1, 2, 3, 6, 12 };
	double px = fr->w / extent, step = 0;
	for (size_t i = 0; i < NELEM(small) && step == 0; i++)
		step = small[i] * px >= 44 ? small[i] : 0;
	if (step == 0)
		step = MODEL_HOURS * ceil(44 / (MODEL_HOURS * px));
	for (double t = MODEL_HOURS; t < extent && MODEL_HOURS * px >= 3; t += MODEL_HOURS)
		fprintf(f, "<line class=\"day\" x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\"/>\n",
		        hour_x(fr, extent, t), fr->y, hour_x(fr, extent, t), fr->y + fr->h);
	for (double k = 0; k * step <= extent + 1e-9; k++) {
		double t = k * step, x = hour_x(fr, extent, t);
		double hour = fmod(t, MODEL_HOURS), day = floor(t / MODEL_HOURS) + 1;
		char clock[32], dayname[32];
		snprintf(clock, sizeof clock, "%02.0f:00", hour);
		snprintf(dayname, sizeof dayname, "day %.0f", day);
		fprintf(f, "<line class=\"mark\" x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\"/>\n",
		        x, fr->y + fr->h, x, fr->y + fr->h + 4);
		if (step < MODEL_HOURS)
			svg_label(f, x, fr->y + fr->h + 16, "tick", "middle", clock);
		if (hour == 0 && t < extent)
			svg_label(f, x, fr->y + fr->h + (step < MODEL_HOURS ? 30 : 16), "tick",
			          step < MODEL_HOURS ? "start" : "middle", dayname);
	}
}

/* A window clipped to the plotted hours: [a, b), and its label's width. */
struct wspan {
	size_t i;                    /* in m->window */
	double a, b, x, width;       /* hours; the label's left end and width, px */
};

static int wspan_cmp(const void *p, const void *q)
{
	const struct wspan *u = p, *v = q;
	return u->a < v->a ? -1 : u->a > v->a ? 1 : u->i < v->i ? -1 : u->i > v->i;
}

/* The windows clipped to [0, extent] hours, in order of start; those wholly
 * outside, empty or undefined left out. Returns how many. */
static size_t window_spans(struct wspan *sp, const struct model *m, const struct svg_frame *fr,
                           double extent)
{
	size_t n = 0;
	for (size_t i = 0; m->window && i < m->nwindow; i++) {
		const struct model_window *w = &m->window[i];
		if (isnan(w->start) || isnan(w->end))
			continue;
		double a = fmax(w->start / 60, 0), b = fmin(w->end / 60, extent);
		if (a < b)
			sp[n++] = (struct wspan){ i, a, b, hour_x(fr, extent, a) + 3,
			                          svg_text_width(w->label, 10) };
	}
	qsort(sp, n, sizeof *sp, wspan_cmp);
	return n;
}

/* The row (0 at the top) of a window label that starts at x and is width px
 * wide: the first whose last label ends 6 px before x; when all HWROWS are
 * taken, the one that ends first. end[] holds each row's right end. */
static size_t label_row(double *end, double x, double width)
{
	size_t row = 0;
	while (row < HWROWS && end[row] + 6 > x)
		row++;
	if (row == HWROWS)
		for (size_t r = row = 0; r < HWROWS; r++)
			row = end[r] < end[row] ? r : row;
	end[row] = x + width;
	return row;
}

/* Each window clipped to [0, extent] hours: a rect, and its label in the
 * first row where it clears the labels before it, so two never overlap while
 * rows last. The rect's tooltip gives the window's times. */
static void put_windows(FILE *f, const struct model *m, const struct svg_frame *fr, double extent)
{
	struct wspan *sp = xmalloc((m->nwindow ? m->nwindow : 1) * sizeof *sp);
	size_t n = window_spans(sp, m, fr, extent);
	double end[HWROWS];
	for (size_t r = 0; r < HWROWS; r++)
		end[r] = -INFINITY;
	for (size_t k = 0; k < n; k++) {
		const struct model_window *w = &m->window[sp[k].i];
		double x0 = hour_x(fr, extent, sp[k].a), x1 = hour_x(fr, extent, sp[k].b);
		char from[40], to[40];
		clock_text(from, sizeof from, sp[k].a);
		clock_text(to, sizeof to, sp[k].b);
		fprintf(f, "<rect class=\"window\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" "
		        "height=\"%.2f\" data-start=\"%.2f\" data-end=\"%.2f\" data-label=\"",
		        x0, fr->y, x1 - x0, fr->h, sp[k].a, sp[k].b);
		svg_text(f, w->label);
		fputs("\"><title>", f);
		svg_text(f, w->label);
		fprintf(f, ": %s to %s</title></rect>\n", from, to);
		size_t row = label_row(end, sp[k].x, sp[k].width);
		svg_label(f, sp[k].x, fr->y + 11 + 11 * (double)row, "wlabel", "start", w->label);
	}
	free(sp);
}

/* A target: a line across the plot at limit on the axis a, labelled; none
 * when limit is not finite. */
static void put_target(FILE *f, const struct svg_frame *fr, const struct svg_axis *a,
                       double limit)
{
	if (!isfinite(limit))
		return;
	double y = svg_frame_y(fr, a, limit);
	char buf[64], text[80];
	svg_tick_label(buf, sizeof buf, a, limit);
	snprintf(text, sizeof text, "target %s min", buf);
	fprintf(f, "<line class=\"target\" x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" "
	        "data-limit=\"", fr->x, y, fr->x + fr->w, y);
	svg_value(f, limit);
	fputs("\"/>\n", f);
	svg_label(f, fr->x + fr->w - 4, y - 3, "tlabel", "end", text);
}

/* One series of a panel. */
struct hseries {
	const char *name;            /* the hourly.csv column */
	const char *line, *point;    /* classes */
	const double *v;             /* nhour values */
	const unsigned *n;           /* replications behind each */
};

/* The series as a line broken at gaps, then a circle carrying the data at
 * each defined hour (at the middle of the hour). */
static void put_hseries(FILE *f, const struct svg_frame *fr, const struct svg_axis *a,
                        const struct hourly *d, const struct hseries *s, const char *stage)
{
	int open = 0;
	for (size_t k = 0; k < d->nhour; k++) {
		if (!isfinite(s->v[k])) {
			if (open)
				fputs("\"/>\n", f);
			open = 0;
			continue;
		}
		if (!open)
			fprintf(f, "<path class=\"%s\" d=\"M", s->line);
		else
			putc('L', f);
		fprintf(f, "%.2f %.2f", hour_x(fr, d->extent, k + 0.5), svg_frame_y(fr, a, s->v[k]));
		open = 1;
	}
	if (open)
		fputs("\"/>\n", f);
	double r = d->nhour <= 7 * MODEL_HOURS ? 2 : 1.2;
	for (size_t k = 0; k < d->nhour; k++) {
		if (!isfinite(s->v[k]))
			continue;
		fprintf(f, "<circle class=\"%s\" cx=\"%.2f\" cy=\"%.2f\" r=\"%.1f\" data-stage=\"",
		        s->point, hour_x(fr, d->extent, k + 0.5), svg_frame_y(fr, a, s->v[k]), r);
		svg_text(f, stage);
		fprintf(f, "\" data-series=\"%s\" data-day=\"%zu\" data-hour=\"%zu\" data-n=\"%u\" "
		        "data-value=\"", s->name, k / MODEL_HOURS + 1, k % MODEL_HOURS, s->n[k]);
		svg_value(f, s->v[k]);
		fputs("\"/>\n", f);
	}
}

static void put_hourly_panel(FILE *f, const struct model *m, const struct hourly *d, size_t i,
                             double top, const double *target)
{
	const char *name = m->stage[d->stage[i]].name;
	struct svg_frame fr = { HML, top + HPTOP, HW - HML - HMR, HPLOT, 0 };
	const double *q = d->queue + i * d->nhour, *w = d->wait + i * d->nhour;
	double limit = target ? target[d->stage[i]] : NAN;
	struct svg_axis aq, aw;
	fit_from_zero(&aq, q, d->nhour, NAN);
	fit_from_zero(&aw, w, d->nhour, limit);
	fputs("<g class=\"panel\" data-stage=\"", f);
	svg_text(f, name);
	fputs("\">\n", f);
	svg_label(f, fr.x, top + 14, "ptitle", "start", name);
	put_windows(f, m, &fr, d->extent);
	svg_y_axis(f, &fr, &aq, 0, "tq");
	svg_y_axis(f, &fr, &aw, 1, "tw");
	put_hour_axis(f, &fr, d->extent);
	svg_box(f, &fr);
	put_target(f, &fr, &aw, limit);
	/* The units above the axes, where long tick labels cannot reach them. */
	svg_label(f, fr.x, fr.y - 6, "tq", "start", "queue (waiting)");
	svg_label(f, fr.x + fr.w, fr.y - 6, "tw", "end", "p95 wait (min)");
	const struct hseries sq = { "queue_mean", "lq", "q", q, d->nqueue + i * d->nhour };
	const struct hseries sw = { "wait_p95", "lw", "w", w, d->nwait + i * d->nhour };
	put_hseries(f, &fr, &aq, d, &sq, name);
	put_hseries(f, &fr, &aw, d, &sw, name);
	fputs("</g>\n", f);
}

/* Title, what is shown, and the legend. */
static void put_hourly_head(FILE *f, const struct model *m, const struct hourly *d, size_t nrep,
                            int chosen)
{
	svg_label(f, HML, 28, "title", "start", m->name);
	const char *reps = nrep == 1 ? "replication" : "replications";
	int custody = 0;
	for (size_t i = 0; i < d->nstage; i++)
		custody |= m->stage[d->stage[i]].kind == STAGE_CUSTODY;
	char *sub = !chosen && d->nstage < m->nstage
		? xasprintf("queue length and p95 wait by hour, mean over %zu %s; %zu of %zu stages: "
		            "the longest p95 waits%s", nrep, reps, d->nstage, m->nstage,
		            custody ? ", and custody" : "")
		: d->nstage < d->matched
		? xasprintf("queue length and p95 wait by hour, mean over %zu %s; the first %zu of "
		            "%zu stages chosen", nrep, reps, d->nstage, d->matched)
		: xasprintf("queue length and p95 wait by hour, mean over %zu %s", nrep, reps);
	svg_label(f, HML, 48, "sub", "start", sub);
	free(sub);
	double y = 72;
	fprintf(f, "<g class=\"legend\">\n<path class=\"lq\" d=\"M%d %.2fH%d\"/>\n", HML, y - 4,
	        HML + 28);
	svg_label(f, HML + 34, y, "tq", "start", "queue length (waiting, left axis)");
	fprintf(f, "<path class=\"lw\" d=\"M%d %.2fH%d\"/>\n", HML + 260, y - 4, HML + 288);
	svg_label(f, HML + 294, y, "tw", "start", "p95 wait (min, right axis)");
	if (m->nwindow > 0) {
		fprintf(f, "<rect class=\"window\" x=\"%d\" y=\"%.2f\" width=\"20\" height=\"12\"/>\n",
		        HML + 500, y - 10);
		svg_label(f, HML + 526, y, "sub", "start", "surge or closure window");
	}
	fputs("</g>\n", f);
}

int chart_hourly(FILE *f, const struct model *m, const struct results *rep, size_t nrep,
                 const struct chart_hourly_opts *o)
{
	static const struct chart_hourly_opts none = { NULL, NULL };
	o = o ? o : &none;
	int chosen = o->panels && *o->panels;
	struct hourly d;
	hourly_init(&d, m, rep, nrep, o->panels);
	svg_begin(f, HW, HTOP + (double)(d.nstage ? d.nstage : 1) * HPANEL, m->name);
	put_hourly_head(f, m, &d, nrep, chosen);
	if (d.nstage == 0)
		svg_label(f, HML, HTOP + 30, "note", "start", "no stages to show");
	else if (d.nhour == 0)
		svg_label(f, HML + 600, 28, "note", "start", "no hourly data");
	for (size_t i = 0; i < d.nstage; i++)
		put_hourly_panel(f, m, &d, i, HTOP + (double)i * HPANEL, o->target);
	hourly_release(&d);
	return svg_end(f);
}

/* ---- sweep.svg ---- */

enum {
	SPW = 330, SPH = 250,             /* a panel's block */
	SML = 76, SMR = 20, SPTOP = 30,   /* its plot's margins */
	SPLOT = 160,                      /* its plot's height */
	STOP = 82, SLEFT = 10,            /* above and left of the grid */
	SNAMED = 4,                       /* flat series named in the note, at most */
};

/* A point's place in x order. */
struct xorder {
	double x;
	size_t i;
};

static int xorder_cmp(const void *a, const void *b)
{
	const struct xorder *p = a, *q = b;
	return p->x < q->x ? -1 : p->x > q->x ? 1 : p->i < q->i ? -1 : p->i > q->i;
}

/* The points with a finite x, sorted by x; returns how many. */
static size_t sort_points(struct xorder *o, size_t npoint, const double *x)
{
	size_t n = 0;
	for (size_t i = 0; i < npoint; i++)
		if (isfinite(x[i]))
			o[n++] = (struct xorder){ x[i], i };
	qsort(o, n, sizeof *o, xorder_cmp);
	return n;
}

static double at(const double *v, size_t i)
{
	return v ? v[i] : NAN;
}

/* The y range: every finite mean, and the finite interval ends around one. */
static void fit_series(struct svg_axis *a, const struct chart_series *s, const struct xorder *o,
                       size_t n)
{
	double lo = INFINITY, hi = -INFINITY;
	for (size_t j = 0; j < n; j++) {
		size_t i = o[j].i;
		if (!isfinite(s->mean[i]))
			continue;
		const double v[] = { s->mean[i], at(s->lo, i), at(s->hi, i) };
		for (size_t k = 0; k < 3; k++)
			if (isfinite(v[k]))
				lo = fmin(lo, v[k]), hi = fmax(hi, v[k]);
	}
	if (lo > hi)
		lo = 0, hi = 1;
	svg_axis_fit(a, lo, hi, 4);
}

static void put_x_axis(FILE *f, const struct svg_frame *fr, const struct svg_axis *a, const char *key)
{
	for (size_t i = 0; i < a->ntick; i++) {
		double x = svg_frame_x(fr, a, a->tick[i]);
		char buf[64];
		svg_tick_label(buf, sizeof buf, a, a->tick[i]);
		fprintf(f, "<line class=\"grid\" x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\"/>\n",
		        x, fr->y, x, fr->y + fr->h);
		fprintf(f, "<line class=\"mark\" x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\"/>\n",
		        x, fr->y + fr->h, x, fr->y + fr->h + 4);
		svg_label(f, x, fr->y + fr->h + 16, "tick", "middle", buf);
	}
	svg_label(f, fr->x + fr->w / 2, fr->y + fr->h + 34, "sub", "middle", key);
}

/* The 95% interval at point i as a bar with caps, when both ends are finite. */
static void put_bar(FILE *f, const struct svg_frame *fr, const struct svg_axis *ay, double x,
                    const struct chart_series *s, size_t i)
{
	double lo = at(s->lo, i), hi = at(s->hi, i);
	if (!isfinite(lo) || !isfinite(hi))
		return;
	double y0 = svg_frame_y(fr, ay, lo), y1 = svg_frame_y(fr, ay, hi);
	fprintf(f, "<path class=\"bar\" d=\"M%.2f %.2fV%.2fM%.2f %.2fH%.2fM%.2f %.2fH%.2f\"/>\n",
	        x, y0, y1, x - 4, y0, x + 4, x - 4, y1, x + 4);
}

static void put_point(FILE *f, double x, double y, const struct chart_series *s, size_t i,
                      double xv)
{
	fprintf(f, "<circle class=\"pt\" cx=\"%.2f\" cy=\"%.2f\" r=\"3\" data-series=\"", x, y);
	svg_text(f, s->name);
	fputs("\" data-x=\"", f);
	svg_value(f, xv);
	fputs("\" data-value=\"", f);
	svg_value(f, s->mean[i]);
	fputs("\" data-lo=\"", f);
	svg_value(f, at(s->lo, i));
	fputs("\" data-hi=\"", f);
	svg_value(f, at(s->hi, i));
	fputs("\"/>\n", f);
}

/* The mean as a line in x order, broken where it is not defined, then the
 * bars and points. */
static void put_sweep_data(FILE *f, const struct svg_frame *fr, const struct svg_axis *ax,
                           const struct svg_axis *ay, const struct chart_series *s,
                           const struct xorder *o, size_t n)
{
	int open = 0;
	for (size_t j = 0; j < n; j++) {
		double v = s->mean[o[j].i];
		if (!isfinite(v)) {
			if (open)
				fputs("\"/>\n", f);
			open = 0;
			continue;
		}
		fprintf(f, open ? "L%.2f %.2f" : "<path class=\"lq\" d=\"M%.2f %.2f",
		        svg_frame_x(fr, ax, o[j].x), svg_frame_y(fr, ay, v));
		open = 1;
	}
	if (open)
		fputs("\"/>\n", f);
	for (size_t j = 0; j < n; j++) {
		size_t i = o[j].i;
		if (!isfinite(s->mean[i]))
			continue;
		double x = svg_frame_x(fr, ax, o[j].x);
		put_bar(f, fr, ay, x, s, i);
		put_point(f, x, svg_frame_y(fr, ay, s->mean[i]), s, i, o[j].x);
	}
}

/* "name (unit)" over the panel, in a smaller font when long (about 7.5 px a
 * character at 13 px), so that it stays over its own panel. */
static void put_sweep_title(FILE *f, const struct chart_series *s, double x, double y)
{
	char *head = xasprintf("%s (%s)", s->name ? s->name : "", s->unit ? s->unit : "");
	double fit = (SPW - 16) / 7.5, len = (double)strlen(head);
	double size = len > fit ? fmax(9, 13 * fit / len) : 13;
	fprintf(f, "<text class=\"ptitle\" x=\"%.2f\" y=\"%.2f\" style=\"font-size:%.1fpx\">", x, y,
	        size);
	svg_text(f, head);
	fputs("</text>\n", f);
	free(head);
}

static void put_sweep_panel(FILE *f, const struct chart_series *s, const struct svg_axis *ax,
                            const char *key, const struct xorder *o, size_t n, double left,
                            double top)
{
	struct svg_frame fr = { left + SML, top + SPTOP, SPW - SML - SMR, SPLOT, 8 };
	struct svg_axis ay;
	assert(n == 0 || s->mean);
	fit_series(&ay, s, o, n);
	fputs("<g class=\"panel\" data-series=\"", f);
	svg_text(f, s->name);
	fputs("\">\n", f);
	put_sweep_title(f, s, left + 8, top + 16);
	svg_y_axis(f, &fr, &ay, 0, "tick");
	put_x_axis(f, &fr, ax, key);
	svg_box(f, &fr);
	put_sweep_data(f, &fr, ax, &ay, s, o, n);
	fputs("</g>\n", f);
}

/* Panels a row: 1 or 2 side by side, 4 as 2 x 2, otherwise rows of 3. */
static size_t sweep_columns(size_t nseries)
{
	return nseries <= 2 ? (nseries ? nseries : 1) : nseries == 4 ? 2 : 3;
}

/* A series and how much it varies across the points. */
struct varied {
	double by;
	size_t k;
};

/* The spread of s's finite means over the points, relative to their
 * largest magnitude, so that minutes and counts compare: 0 when they are
 * all equal or none is defined. */
static double variation(const struct chart_series *s, const struct xorder *o, size_t n)
{
	double lo = INFINITY, hi = -INFINITY;
	for (size_t j = 0; j < n; j++) {
		double v = s->mean[o[j].i];
		if (isfinite(v))
			lo = fmin(lo, v), hi = fmax(hi, v);
	}
	if (!(lo < hi))
		return 0;
	double d = hi / 2 - lo / 2, mag = fmax(fabs(lo), fabs(hi)) / 2;
	return d / mag;
}

static int varied_cmp(const void *a, const void *b)
{
	const struct varied *p = a, *q = b;
	return p->by > q->by ? -1 : p->by < q->by ? 1 : p->k < q->k ? -1 : p->k > q->k;
}

/* The series that vary, most first, into v; returns how many. */
static size_t order_series(struct varied *v, size_t nseries, const struct chart_series *series,
                           const struct xorder *o, size_t n)
{
	size_t nv = 0;
	for (size_t k = 0; k < nseries; k++) {
		assert(n == 0 || series[k].mean);
		double by = n ? variation(&series[k], o, n) : 0;
		if (by > 0)
			v[nv++] = (struct varied){ by, k };
	}
	qsort(v, nv, sizeof *v, varied_cmp);
	return nv;
}

/* Names the series left out as flat (up to SNAMED of them). */
static void put_flat_note(FILE *f, size_t nseries, const struct chart_series *series,
                          const struct varied *v, size_t nv)
{
	char *text = xasprintf("not shown, the same at every point: ");
	size_t named = 0;
	for (size_t k = 0; k < nseries; k++) {
		int shown = 0;
		for (size_t j = 0; j < nv && !shown; j++)
			shown = v[j].k == k;
		if (shown || named++ >= SNAMED)
			continue;
		char *t = xasprintf("%s%s%s", text, named > 1 ? ", " : "",
		                    series[k].name ? series[k].name : "");
		free(text);
		text = t;
	}
	if (named > SNAMED) {
		char *t = xasprintf("%s and %zu more", text, named - SNAMED);
		free(text);
		text = t;
	}
	svg_label(f, SLEFT + 8, 66, "note", "start", text);
	free(text);
}

int chart_sweep(FILE *f, const char *scenario, const char *key, size_t npoint, const double *x,
                size_t nseries, const struct chart_series *series)
{
	assert(npoint == 0 || x);
	struct xorder *o = xmalloc((npoint ? npoint : 1) * sizeof *o);
	struct varied *v = xmalloc((nseries ? nseries : 1) * sizeof *v);
	size_t n = sort_points(o, npoint, x);
	size_t nv = order_series(v, nseries, series, o, n);
	int all_flat = nv == 0;
	for (size_t k = 0; all_flat && k < nseries; k++)   /* nothing varies: show it all */
		v[nv++] = (struct varied){ 0, k };
	struct svg_axis ax;
	svg_axis_fit(&ax, n ? o[0].x : 0, n ? o[n - 1].x : 1, 4);
	size_t ncol = sweep_columns(nv), nrow = nv ? (nv + ncol - 1) / ncol : 1;
	char *title = xasprintf("%s: sweep over %s", scenario ? scenario : "", key ? key : "");
	svg_begin(f, SLEFT * 2 + (double)ncol * SPW, STOP + (double)nrow * SPH, title);
	svg_label(f, SLEFT + 8, 28, "title", "start", title);
	free(title);
	svg_label(f, SLEFT + 8, 48, "sub", "start",
	          "mean over replications at each value; bars: 95% confidence interval; "
	          "the metrics that vary most first");
	if (nseries == 0 || n == 0)
		svg_label(f, SLEFT + 8, STOP + 20, "note", "start",
		          nseries == 0 ? "no metrics to show" : "no points to show");
	else if (all_flat)
		svg_label(f, SLEFT + 8, 66, "note", "start", "every metric is the same at every point");
	else if (nv < nseries)
		put_flat_note(f, nseries, series, v, nv);
	for (size_t j = 0; j < nv; j++)
		put_sweep_panel(f, &series[v[j].k], &ax, key, o, n, SLEFT + (double)(j % ncol) * SPW,
		                STOP + (double)(j / ncol) * SPH);
	free(v);
	free(o);
	return svg_end(f);
}
