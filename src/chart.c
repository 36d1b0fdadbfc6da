/* chart: hourly.svg and sweep.svg, written as SVG text by hand.
 *
 * No library: an SVG of lines, circles and text is a page of fprintf, and a
 * dependency would buy nothing a test does not already check. Every coordinate
 * is printed "%.2f", so the same data give the same bytes. Each plotted point is
 * a <circle> that carries its data in data-* attributes, formatted as the CSV
 * files format them (table_format_number): a reader or a test can check the
 * picture against hourly.csv or sweep.csv without measuring pixels.
 *
 * Text from users (scenario, stage, key and window names) goes through
 * put_text, which escapes XML's five special characters and replaces what XML
 * 1.0 cannot carry (control characters, invalid UTF-8) with U+FFFD, so no name
 * can make the document ill-formed. Values that are not finite are never
 * plotted: they leave a gap, as an empty cell does in the CSV. */
#include "chart.h"

#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"
#include "util.h"

#define MAXTICK 24
#define MAXPANEL 6                   /* hourly.svg: the busiest stages when more */
#define REPLACEMENT "\xEF\xBF\xBD"   /* U+FFFD */

/* ---- text ---- */

/* The length of the valid UTF-8 sequence at s that XML 1.0 allows (not a
 * surrogate, not U+FFFE or U+FFFF, not overlong), or 0. s[0] >= 0x80. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC0 ? 2 : 0;
	if (n == 0 || s[0] > 0xF4)
		return 0;
	unsigned long cp = s[0] & (0x7F >> n);
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3F);
	}
	static const unsigned long least[] = { 0, 0, 0x80, 0x800, 0x10000 };
	if (cp < least[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) ||
	    cp == 0xFFFE || cp == 0xFFFF)
		return 0;
	return n;
}

/* Writes s (NULL: nothing) as XML character data, good in text and in quoted
 * attributes; tab and line ends as references, so attributes keep them. */
static void put_text(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	while (*p) {
		size_t n = 1;
		switch (*p) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		case '\t': case '\n': case '\r': fprintf(f, "&#%d;", *p); break;
		default:
			if (*p < 0x20)
				fputs(REPLACEMENT, f);
			else if (*p < 0x80)
				putc(*p, f);
			else if ((n = utf8_len(p)) > 0)
				fwrite(p, 1, n, f);
			else
				fputs(REPLACEMENT, f), n = 1;
		}
		p += n;
	}
}

/* A data value as the CSV files write it ("" for NaN). */
static void put_value(FILE *f, double v)
{
	char buf[32];
	table_format_number(buf, sizeof buf, v);
	fputs(buf, f);
}

/* <text> at (x, y) with a class and an anchor; s is escaped. */
static void put_label(FILE *f, double x, double y, const char *cls, const char *anchor,
                      const char *s)
{
	fprintf(f, "<text class=\"%s\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"%s\">", cls, x, y,
	        anchor);
	put_text(f, s);
	fputs("</text>\n", f);
}

/* A vertical axis title, turned to read upwards, centred on (x, y). */
static void put_vlabel(FILE *f, double x, double y, const char *cls, const char *s)
{
	fprintf(f, "<text class=\"%s\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\" "
	        "transform=\"rotate(-90 %.2f %.2f)\">", cls, x, y, x, y);
	put_text(f, s);
	fputs("</text>\n", f);
}

/* ---- the document ---- */

static const char style[] =
	"<style>\n"
	"text{font-family:sans-serif;font-size:12px;fill:#222}\n"
	".title{font-size:18px;font-weight:bold}\n"
	".sub{fill:#555}\n"
	".ptitle{font-size:13px;font-weight:bold}\n"
	".tick{font-size:11px;fill:#444}\n"
	".tq{font-size:11px;fill:#1f77b4}\n"
	".tw{font-size:11px;fill:#c62828}\n"
	".frame{fill:none;stroke:#444;stroke-width:1}\n"
	".grid{stroke:#e4e4e4;stroke-width:1}\n"
	".day{stroke:#c8c8c8;stroke-width:1}\n"
	".mark{stroke:#444;stroke-width:1}\n"
	".lq{fill:none;stroke:#1f77b4;stroke-width:1.6}\n"
	".lw{fill:none;stroke:#c62828;stroke-width:1.6;stroke-dasharray:6 3}\n"
	".q,.pt{fill:#1f77b4}\n"
	".w{fill:#c62828}\n"
	".bar{fill:none;stroke:#1f77b4;stroke-width:1.2}\n"
	".window{fill:#f59e0b;fill-opacity:0.2}\n"
	".wlabel{font-size:10px;fill:#8a5200}\n"
	".note{fill:#777;font-style:italic}\n"
	"</style>\n";

static void doc_begin(FILE *f, double w, double h, const char *title)
{
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%.0f\" "
	        "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\">\n", w, h, w, h);
	fputs("<title>", f);
	put_text(f, title);
	fputs("</title>\n", f);
	fputs(style, f);
	fprintf(f, "<rect x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\" fill=\"#fff\"/>\n", w, h);
}

/* Closes the document; -1 (errno set) when any write failed. */
static int doc_end(FILE *f)
{
	fputs("</svg>\n", f);
	fflush(f);
	if (!ferror(f))
		return 0;
	if (errno == 0)
		errno = EIO;
	return -1;
}

/* ---- axes ---- */

struct axis {
	double lo, hi;               /* the range drawn: finite, lo < hi */
	size_t ntick;
	double tick[MAXTICK];
	int decimals;                /* tick labels "%.*f"; -1: "%.*g" with digits */
	int digits;
};

/* The plot area, in pixels; data are drawn pad px inside its box, so that
 * points at the ends of a range do not sit on the box. */
struct frame {
	double x, y, w, h;
	double pad;
};

/* Where v lies from lo (0) to hi (1), clamped. When hi - lo overflows, the
 * halves of the three are used instead. */
static double axis_frac(const struct axis *a, double v)
{
	double d = a->hi - a->lo, t;
	if (isfinite(d))
		t = d > 0 ? (v - a->lo) / d : 0.5;
	else
		t = (v / 2 - a->lo / 2) / (a->hi / 2 - a->lo / 2);
	return t < 0 ? 0 : t > 1 ? 1 : t;
}

static double frame_x(const struct frame *fr, const struct axis *a, double v)
{
	return fr->x + fr->pad + (fr->w - 2 * fr->pad) * axis_frac(a, v);
}

static double frame_y(const struct frame *fr, const struct axis *a, double v)
{
	return fr->y + fr->pad + (fr->h - 2 * fr->pad) * (1 - axis_frac(a, v));
}

/* A step of 1, 2 or 5 times a power of ten giving about n intervals over
 * [lo, hi]; NaN when there is none (range too small or too large). */
static double nice_step(double lo, double hi, int n)
{
	double raw = (hi / 2 - lo / 2) / n * 2;
	if (!(raw > 0) || !isfinite(raw))
		return NAN;
	double mag = pow(10, floor(log10(raw)));
	double r = raw / mag;
	double step = (r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10) * mag;
	return step > 0 && isfinite(step) ? step : NAN;
}

/* Ticks at multiples of a nice step, the range widened to the outer ticks.
 * Returns -1 when the step or the widened range is not usable. */
static int axis_nice(struct axis *a, double lo, double hi, int n)
{
	double step = nice_step(lo, hi, n);
	double k0 = floor(lo / step), k1 = ceil(hi / step);
	double a0 = k0 * step, b0 = k1 * step;
	if (!isfinite(a0) || !isfinite(b0) || !(a0 < b0) || !(k1 - k0 <= MAXTICK - 1))
		return -1;
	a->lo = a0;
	a->hi = b0;
	a->ntick = (size_t)(k1 - k0) + 1;
	for (size_t i = 0; i < a->ntick; i++)
		a->tick[i] = (k0 + (double)i) * step;
	double mag = fmax(fabs(a0), fabs(b0));
	int dec = (int)-floor(log10(step));
	a->decimals = mag < 1e15 && step >= 1e-10 ? (dec > 0 ? dec : 0) : -1;
	a->digits = (int)ceil(log10(mag / step)) + 2;
	a->digits = a->digits < 3 ? 3 : a->digits > 17 ? 17 : a->digits;
	return 0;
}

/* Fits an axis over [lo, hi] (finite; widened when equal) with about n
 * intervals: nice ticks when the numbers allow, else n even ticks. */
static void axis_fit(struct axis *a, double lo, double hi, int n)
{
	if (!(lo < hi)) {   /* one value: widen by a tenth of it, or by 1 around 0 */
		double d = fabs(lo) > 0 ? fabs(lo) / 10 : 1;
		double l = lo - d, h = hi + d;
		if (!isfinite(h))
			h = hi, l = lo - 2 * d;
		if (!isfinite(l))
			l = lo, h = hi + 2 * d;
		lo = l;
		hi = h;
	}
	if (axis_nice(a, lo, hi, n) == 0)
		return;
	a->lo = lo;
	a->hi = hi;
	a->ntick = (size_t)n + 1;
	for (size_t i = 0; i < a->ntick; i++) {
		double t = (double)i / n;
		a->tick[i] = lo * (1 - t) + hi * t;
	}
	a->decimals = -1;
	a->digits = 6;
}

static void tick_label(char *buf, size_t len, const struct axis *a, double v)
{
	v = v == 0 ? 0 : v;   /* no "-0" */
	if (a->decimals >= 0)
		snprintf(buf, len, "%.*f", a->decimals, v);
	else
		snprintf(buf, len, "%.*g", a->digits, v);
}

/* A y axis on the left or right side of fr: tick marks and labels, and
 * gridlines from the left one. */
static void put_y_axis(FILE *f, const struct frame *fr, const struct axis *a, int right,
                       const char *cls)
{
	double x = right ? fr->x + fr->w : fr->x, out = right ? 4 : -4;
	for (size_t i = 0; i < a->ntick; i++) {
		double y = frame_y(fr, a, a->tick[i]);
		char buf[64];
		tick_label(buf, sizeof buf, a, a->tick[i]);
		if (!right)
			fprintf(f, "<line class=\"grid\" x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" "
			        "y2=\"%.2f\"/>\n", fr->x, y, fr->x + fr->w, y);
		fprintf(f, "<line class=\"mark\" x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\"/>\n",
		        x, y, x + out, y);
		put_label(f, x + 1.5 * out, y + 4, cls, right ? "start" : "end", buf);
	}
}

/* The plot's box. */
static void put_frame(FILE *f, const struct frame *fr)
{
	fprintf(f, "<rect class=\"frame\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\"/>\n",
	        fr->x, fr->y, fr->w, fr->h);
}

/* ---- hourly.svg ---- */

/* Layout, in pixels. */
enum {
	HW = 960, HML = 80, HMR = 80,     /* width, left and right margins */
	HTOP = 96,                        /* title, subtitle and legend above the panels */
	HPANEL = 228, HPLOT = 150,        /* a panel's block; its plot's height */
	HPTOP = 24,                       /* from a panel's top to its plot */
};

/* The plotted data: the mean over replications by shown stage and hour. */
struct hourly {
	size_t nstage;        /* stages shown */
	size_t *stage;        /* their indices in the model, in model order */
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

/* Each stage's mean queue_mean over every hour and replication defining it;
 * -inf for a stage with none, so that it ranks last. */
static double *busyness(const struct model *m, const struct results *rep, size_t nrep)
{
	double *sum = xcalloc(m->nstage ? m->nstage : 1, sizeof *sum);
	size_t *n = xcalloc(m->nstage ? m->nstage : 1, sizeof *n);
	for (size_t r = 0; r < nrep; r++)
		for (size_t i = 0; i < rep[r].nhour; i++) {
			const struct hour_row *h = &rep[r].hour[i];
			assert(h->stage < m->nstage);
			if (isfinite(h->queue_mean)) {
				sum[h->stage] += h->queue_mean;
				n[h->stage]++;
			}
		}
	for (size_t s = 0; s < m->nstage; s++)
		sum[s] = n[s] ? sum[s] / (double)n[s] : -INFINITY;
	free(n);
	return sum;
}

/* The stages to show, in model order: all of them, or the MAXPANEL busiest
 * (a tie goes to the earlier stage). */
static void select_stages(struct hourly *d, const struct model *m, const struct results *rep,
                          size_t nrep)
{
	d->stage = xcalloc(m->nstage ? m->nstage : 1, sizeof *d->stage);
	double *busy = busyness(m, rep, nrep);
	/* The MAXPANEL busiest, ties to the earlier stage, kept in stage order:
	 * a stage is shown when it beats the weakest of the best so far, so the
	 * work is stages x MAXPANEL, not stages squared. */
	for (size_t s = 0; s < m->nstage; s++) {
		if (d->nstage < MAXPANEL) {
			d->stage[d->nstage++] = s;
			continue;
		}
		size_t weak = 0;   /* the place of the weakest shown */
		for (size_t i = 1; i < d->nstage; i++) {
			size_t a = d->stage[i], b = d->stage[weak];
			if (busy[a] < busy[b] || (busy[a] == busy[b] && a > b))
				weak = i;
		}
		if (!(busy[s] > busy[d->stage[weak]]))
			continue;
		memmove(&d->stage[weak], &d->stage[weak + 1],
		        (d->nstage - weak - 1) * sizeof *d->stage);
		d->stage[d->nstage - 1] = s;
	}
	free(busy);
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
                        size_t nrep)
{
	memset(d, 0, sizeof *d);
	select_stages(d, m, rep, nrep);
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
	free(d->stage);
}

/* An axis from 0 (or from below, for negative values) over the finite ones. */
static void fit_from_zero(struct axis *a, const double *v, size_t n)
{
	double lo = 0, hi = 0;
	for (size_t i = 0; i < n; i++)
		if (isfinite(v[i])) {
			lo = fmin(lo, v[i]);
			hi = fmax(hi, v[i]);
		}
	axis_fit(a, lo, hi > lo ? hi : lo + 1, 4);
}

static double hour_x(const struct frame *fr, double extent, double t)
{
	return fr->x + fr->w * t / extent;
}

/* Tick labels every 1, 2, 3, 6 or 12 hours on short periods, whole days
 * beyond, at least 44 px apart; a gridline at every day when days are at
 * least 3 px apart. */
static void put_hour_axis(FILE *f, const struct frame *fr, double extent)
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
		double x = hour_x(fr, extent, k * step);
		char buf[32];
		snprintf(buf, sizeof buf, "%.0f", k * step);
		fprintf(f, "<line class=\"mark\" x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\"/>\n",
		        x, fr->y + fr->h, x, fr->y + fr->h + 4);
		put_label(f, x, fr->y + fr->h + 16, "tick", "middle", buf);
	}
	put_label(f, fr->x + fr->w / 2, fr->y + fr->h + 34, "sub", "middle",
	          "hour of reported period (gridlines: days)");
}

/* Each window clipped to [0, extent] hours: a rect with its label. Windows
 * wholly outside, empty or undefined are left out. */
static void put_windows(FILE *f, const struct model *m, const struct frame *fr, double extent)
{
	for (size_t i = 0; m->window && i < m->nwindow; i++) {
		const struct model_window *w = &m->window[i];
		if (isnan(w->start) || isnan(w->end))
			continue;
		double a = fmax(w->start / 60, 0), b = fmin(w->end / 60, extent);
		if (!(a < b))
			continue;
		double x0 = hour_x(fr, extent, a), x1 = hour_x(fr, extent, b);
		fprintf(f, "<rect class=\"window\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" "
		        "height=\"%.2f\" data-start=\"%.2f\" data-end=\"%.2f\" data-label=\"",
		        x0, fr->y, x1 - x0, fr->h, a, b);
		put_text(f, w->label);
		fputs("\"><title>", f);
		put_text(f, w->label);
		fputs("</title></rect>\n", f);
		put_label(f, x0 + 3, fr->y + 11, "wlabel", "start", w->label);
	}
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
static void put_hseries(FILE *f, const struct frame *fr, const struct axis *a,
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
		fprintf(f, "%.2f %.2f", hour_x(fr, d->extent, k + 0.5), frame_y(fr, a, s->v[k]));
		open = 1;
	}
	if (open)
		fputs("\"/>\n", f);
	double r = d->nhour <= 7 * MODEL_HOURS ? 2 : 1.2;
	for (size_t k = 0; k < d->nhour; k++) {
		if (!isfinite(s->v[k]))
			continue;
		fprintf(f, "<circle class=\"%s\" cx=\"%.2f\" cy=\"%.2f\" r=\"%.1f\" data-stage=\"",
		        s->point, hour_x(fr, d->extent, k + 0.5), frame_y(fr, a, s->v[k]), r);
		put_text(f, stage);
		fprintf(f, "\" data-series=\"%s\" data-day=\"%zu\" data-hour=\"%zu\" data-n=\"%u\" "
		        "data-value=\"", s->name, k / MODEL_HOURS + 1, k % MODEL_HOURS, s->n[k]);
		put_value(f, s->v[k]);
		fputs("\"/>\n", f);
	}
}

static void put_hourly_panel(FILE *f, const struct model *m, const struct hourly *d, size_t i,
                             double top)
{
	const char *name = m->stage[d->stage[i]].name;
	struct frame fr = { HML, top + HPTOP, HW - HML - HMR, HPLOT, 0 };
	const double *q = d->queue + i * d->nhour, *w = d->wait + i * d->nhour;
	struct axis aq, aw;
	fit_from_zero(&aq, q, d->nhour);
	fit_from_zero(&aw, w, d->nhour);
	fputs("<g class=\"panel\" data-stage=\"", f);
	put_text(f, name);
	fputs("\">\n", f);
	put_label(f, fr.x, top + 14, "ptitle", "start", name);
	put_windows(f, m, &fr, d->extent);
	put_y_axis(f, &fr, &aq, 0, "tq");
	put_y_axis(f, &fr, &aw, 1, "tw");
	put_hour_axis(f, &fr, d->extent);
	put_frame(f, &fr);
	put_vlabel(f, fr.x - 64, fr.y + fr.h / 2, "tq", "queue (waiting)");
	put_vlabel(f, fr.x + fr.w + 68, fr.y + fr.h / 2, "tw", "p95 wait (min)");
	const struct hseries sq = { "queue_mean", "lq", "q", q, d->nqueue + i * d->nhour };
	const struct hseries sw = { "wait_p95", "lw", "w", w, d->nwait + i * d->nhour };
	put_hseries(f, &fr, &aq, d, &sq, name);
	put_hseries(f, &fr, &aw, d, &sw, name);
	fputs("</g>\n", f);
}

/* Title, what is shown, and the legend. */
static void put_hourly_head(FILE *f, const struct model *m, const struct hourly *d, size_t nrep)
{
	put_label(f, HML, 28, "title", "start", m->name);
	const char *reps = nrep == 1 ? "replication" : "replications";
	char *sub = d->nstage < m->nstage
		? xasprintf("queue length and p95 wait by hour, mean over %zu %s; the %zu busiest "
		            "of %zu stages by mean queue", nrep, reps, d->nstage, m->nstage)
		: xasprintf("queue length and p95 wait by hour, mean over %zu %s", nrep, reps);
	put_label(f, HML, 48, "sub", "start", sub);
	free(sub);
	double y = 72;
	fprintf(f, "<g class=\"legend\">\n<path class=\"lq\" d=\"M%d %.2fH%d\"/>\n", HML, y - 4,
	        HML + 28);
	put_label(f, HML + 34, y, "tq", "start", "queue length (waiting, left axis)");
	fprintf(f, "<path class=\"lw\" d=\"M%d %.2fH%d\"/>\n", HML + 260, y - 4, HML + 288);
	put_label(f, HML + 294, y, "tw", "start", "p95 wait (min, right axis)");
	if (m->nwindow > 0) {
		fprintf(f, "<rect class=\"window\" x=\"%d\" y=\"%.2f\" width=\"20\" height=\"12\"/>\n",
		        HML + 500, y - 10);
		put_label(f, HML + 526, y, "sub", "start", "surge or closure window");
	}
	fputs("</g>\n", f);
}

int chart_hourly(FILE *f, const struct model *m, const struct results *rep, size_t nrep)
{
	struct hourly d;
	hourly_init(&d, m, rep, nrep);
	doc_begin(f, HW, HTOP + (double)(d.nstage ? d.nstage : 1) * HPANEL, m->name);
	put_hourly_head(f, m, &d, nrep);
	if (d.nstage == 0)
		put_label(f, HML, HTOP + 30, "note", "start", "no stages to show");
	else if (d.nhour == 0)
		put_label(f, HML + 600, 28, "note", "start", "no hourly data");
	for (size_t i = 0; i < d.nstage; i++)
		put_hourly_panel(f, m, &d, i, HTOP + (double)i * HPANEL);
	hourly_release(&d);
	return doc_end(f);
}

/* ---- sweep.svg ---- */

enum {
	SPW = 330, SPH = 250,             /* a panel's block */
	SML = 76, SMR = 20, SPTOP = 30,   /* its plot's margins */
	SPLOT = 160,                      /* its plot's height */
	STOP = 70, SLEFT = 10,            /* above and left of the grid */
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
static void fit_series(struct axis *a, const struct chart_series *s, const struct xorder *o,
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
	axis_fit(a, lo, hi, 4);
}

static void put_x_axis(FILE *f, const struct frame *fr, const struct axis *a, const char *key)
{
	for (size_t i = 0; i < a->ntick; i++) {
		double x = frame_x(fr, a, a->tick[i]);
		char buf[64];
		tick_label(buf, sizeof buf, a, a->tick[i]);
		fprintf(f, "<line class=\"grid\" x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\"/>\n",
		        x, fr->y, x, fr->y + fr->h);
		fprintf(f, "<line class=\"mark\" x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\"/>\n",
		        x, fr->y + fr->h, x, fr->y + fr->h + 4);
		put_label(f, x, fr->y + fr->h + 16, "tick", "middle", buf);
	}
	put_label(f, fr->x + fr->w / 2, fr->y + fr->h + 34, "sub", "middle", key);
}

/* The 95% interval at point i as a bar with caps, when both ends are finite. */
static void put_bar(FILE *f, const struct frame *fr, const struct axis *ay, double x,
                    const struct chart_series *s, size_t i)
{
	double lo = at(s->lo, i), hi = at(s->hi, i);
	if (!isfinite(lo) || !isfinite(hi))
		return;
	double y0 = frame_y(fr, ay, lo), y1 = frame_y(fr, ay, hi);
	fprintf(f, "<path class=\"bar\" d=\"M%.2f %.2fV%.2fM%.2f %.2fH%.2fM%.2f %.2fH%.2f\"/>\n",
	        x, y0, y1, x - 4, y0, x + 4, x - 4, y1, x + 4);
}

static void put_point(FILE *f, double x, double y, const struct chart_series *s, size_t i,
                      double xv)
{
	fprintf(f, "<circle class=\"pt\" cx=\"%.2f\" cy=\"%.2f\" r=\"3\" data-series=\"", x, y);
	put_text(f, s->name);
	fputs("\" data-x=\"", f);
	put_value(f, xv);
	fputs("\" data-value=\"", f);
	put_value(f, s->mean[i]);
	fputs("\" data-lo=\"", f);
	put_value(f, at(s->lo, i));
	fputs("\" data-hi=\"", f);
	put_value(f, at(s->hi, i));
	fputs("\"/>\n", f);
}

/* The mean as a line in x order, broken where it is not defined, then the
 * bars and points. */
static void put_sweep_data(FILE *f, const struct frame *fr, const struct axis *ax,
                           const struct axis *ay, const struct chart_series *s,
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
		        frame_x(fr, ax, o[j].x), frame_y(fr, ay, v));
		open = 1;
	}
	if (open)
		fputs("\"/>\n", f);
	for (size_t j = 0; j < n; j++) {
		size_t i = o[j].i;
		if (!isfinite(s->mean[i]))
			continue;
		double x = frame_x(fr, ax, o[j].x);
		put_bar(f, fr, ay, x, s, i);
		put_point(f, x, frame_y(fr, ay, s->mean[i]), s, i, o[j].x);
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
	put_text(f, head);
	fputs("</text>\n", f);
	free(head);
}

static void put_sweep_panel(FILE *f, const struct chart_series *s, const struct axis *ax,
                            const char *key, const struct xorder *o, size_t n, double left,
                            double top)
{
	struct frame fr = { left + SML, top + SPTOP, SPW - SML - SMR, SPLOT, 8 };
	struct axis ay;
	assert(n == 0 || s->mean);
	fit_series(&ay, s, o, n);
	fputs("<g class=\"panel\" data-series=\"", f);
	put_text(f, s->name);
	fputs("\">\n", f);
	put_sweep_title(f, s, left + 8, top + 16);
	put_y_axis(f, &fr, &ay, 0, "tick");
	put_x_axis(f, &fr, ax, key);
	put_frame(f, &fr);
	put_vlabel(f, fr.x - 54, fr.y + fr.h / 2, "sub", s->unit);
	put_sweep_data(f, &fr, ax, &ay, s, o, n);
	fputs("</g>\n", f);
}

/* Panels a row: 1 or 2 side by side, 4 as 2 x 2, otherwise rows of 3. */
static size_t sweep_columns(size_t nseries)
{
	return nseries <= 2 ? (nseries ? nseries : 1) : nseries == 4 ? 2 : 3;
}

int chart_sweep(FILE *f, const char *scenario, const char *key, size_t npoint, const double *x,
                size_t nseries, const struct chart_series *series)
{
	assert(npoint == 0 || x);
	struct xorder *o = xmalloc((npoint ? npoint : 1) * sizeof *o);
	size_t n = sort_points(o, npoint, x);
	struct axis ax;
	axis_fit(&ax, n ? o[0].x : 0, n ? o[n - 1].x : 1, 4);
	size_t ncol = sweep_columns(nseries), nrow = nseries ? (nseries + ncol - 1) / ncol : 1;
	char *title = xasprintf("%s: sweep over %s", scenario ? scenario : "", key ? key : "");
	doc_begin(f, SLEFT * 2 + (double)ncol * SPW, STOP + (double)nrow * SPH, title);
	put_label(f, SLEFT + 8, 28, "title", "start", title);
	free(title);
	put_label(f, SLEFT + 8, 48, "sub", "start",
	          "mean over replications at each value; bars: 95% confidence interval");
	if (nseries == 0 || n == 0)
		put_label(f, SLEFT + 8, STOP + 20, "note", "start",
		          nseries == 0 ? "no metrics to show" : "no points to show");
	for (size_t k = 0; k < nseries; k++)
		put_sweep_panel(f, &series[k], &ax, key, o, n, SLEFT + (double)(k % ncol) * SPW,
		                STOP + (double)(k / ncol) * SPH);
	free(o);
	return doc_end(f);
}
