/* test_chart: hourly.svg and sweep.svg from results built by hand and from a
 * fixed hourly.csv (tests/data/chart/, the tests run from the repository root).
 *
 * Every chart is checked to be well-formed XML by xmllint (libxml2-utils; the
 * tests fail, saying so, when it is missing). The plotted values are read back
 * from the circles' data-* attributes and compared with replication means this
 * file computes on its own, and their pixel positions must be one affine map of
 * the values, so the picture shows what the attributes say. Degenerate inputs
 * (no stages, no hours, NaN everywhere, constant, huge or negative values)
 * must give well-formed documents with no "nan" or "inf" anywhere. */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <cmocka.h>

#include "chart.h"
#include "svg.h"
#include "report.h"
#include "testutil.h"

#define DATA "tests/data/chart"

/* ---- files and XML ---- */

static char *slurp(FILE *f)
{
	long n = (fseek(f, 0, SEEK_END), ftell(f));
	assert_true(n >= 0);
	rewind(f);
	char *s = xmalloc((size_t)n + 1);
	assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
	s[n] = '\0';
	return s;
}

/* Fails the test, saying why, unless xmllint finds path well-formed. */
static void assert_well_formed(const char *path)
{
	if (system("command -v xmllint >/dev/null 2>&1") != 0)
		fail_msg("xmllint not found: install libxml2-utils (make deps) to run the chart tests");
	char *cmd = xasprintf("xmllint --noout '%s'", path);
	int rc = system(cmd);
	free(cmd);
	if (rc != 0)
		fail_msg("xmllint: %s is not well-formed XML", path);
}

/* No "nan" or "inf" in any case: every number written was finite. The fixed
 * text of the charts and the names the tests use contain neither. */
static void assert_all_finite(const char *svg)
{
	const char *bad[] = { "nan", "inf" };
	for (size_t i = 0; i < 2; i++)
		for (const char *p = svg; *p; p++)
			if (strncasecmp(p, bad[i], 3) == 0)
				fail_msg("'%s' in the chart at offset %td: %.60s", bad[i], p - svg, p);
}

enum { HOURLY, SWEEP };

struct sweep_args {
	const char *scenario, *key;
	size_t npoint;
	const double *x;
	size_t nseries;
	const struct chart_series *series;
};

/* Writes a chart to a temporary file, checks it, and returns its text. */
static char *chart_text(int kind, const struct model *m, const struct results *rep, size_t nrep,
                        const struct sweep_args *sw, const struct chart_hourly_opts *o)
{
	char path[] = "/tmp/test_chart.XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w+");
	assert_non_null(f);
	int rc = kind == HOURLY ? chart_hourly(f, m, rep, nrep, o)
	                        : chart_sweep(f, sw->scenario, sw->key, sw->npoint, sw->x,
	                                      sw->nseries, sw->series);
	assert_int_equal(rc, 0);
	char *s = slurp(f);
	fclose(f);
	assert_well_formed(path);
	unlink(path);
	assert_all_finite(s);
	return s;
}

/* ---- reading elements back ---- */

/* The next "<tag " at or after s, or NULL. */
static const char *next_tag(const char *s, const char *tag)
{
	char *open = xasprintf("<%s ", tag);
	const char *p = strstr(s, open);
	free(open);
	return p;
}

static size_t count_tags(const char *s, const char *tag, const char *with)
{
	size_t n = 0;
	for (const char *p = next_tag(s, tag); p; p = next_tag(p + 1, tag)) {
		const char *end = strchr(p, '>');
		char *el = strndup(p, (size_t)(end - p));
		n += with == NULL || strstr(el, with) != NULL;
		free(el);
	}
	return n;
}

/* Undoes the escapes the charts use: the five entities and &#N;. */
static void unescape(char *s)
{
	static const struct { const char *ent; char c; } map[] = {
		{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' }, { "&quot;", '"' }, { "&apos;", '\'' },
	};
	char *w = s;
	for (const char *r = s; *r;) {
		size_t i = 0;
		while (i < 5 && strncmp(r, map[i].ent, strlen(map[i].ent)) != 0)
			i++;
		if (i < 5) {
			*w++ = map[i].c;
			r += strlen(map[i].ent);
		} else if (r[0] == '&' && r[1] == '#') {
			*w++ = (char)strtol(r + 2, (char **)&r, 10);
			r++;   /* ';' */
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
}

/* The unescaped value of attribute name in the element at el (a new string),
 * or NULL when the element has none. */
static char *attr(const char *el, const char *name)
{
	const char *end = strchr(el, '>');
	char *key = xasprintf(" %s=\"", name);
	const char *p = strstr(el, key);
	size_t klen = strlen(key);
	free(key);
	if (!p || p > end)
		return NULL;
	p += klen;
	char *v = strndup(p, strcspn(p, "\""));
	unescape(v);
	return v;
}

static double attr_num(const char *el, const char *name)
{
	char *v = attr(el, name);
	assert_non_null(v);
	double x = strtod(v, NULL);
	free(v);
	return x;
}

/* A plotted point of hourly.svg. */
struct hpoint {
	char *stage, *series, *value;
	unsigned day, hour, n;
	double cx, cy;
};

static size_t read_hpoints(const char *svg, struct hpoint **out)
{
	size_t n = 0;
	*out = NULL;
	for (const char *p = next_tag(svg, "circle"); p; p = next_tag(p + 1, "circle")) {
		*out = xrealloc(*out, (n + 1) * sizeof **out);
		struct hpoint *h = &(*out)[n++];
		h->stage = attr(p, "data-stage");
		h->series = attr(p, "data-series");
		h->value = attr(p, "data-value");
		assert_non_null(h->stage);
		assert_non_null(h->series);
		assert_non_null(h->value);
		h->day = (unsigned)attr_num(p, "data-day");
		h->hour = (unsigned)attr_num(p, "data-hour");
		h->n = (unsigned)attr_num(p, "data-n");
		h->cx = attr_num(p, "cx");
		h->cy = attr_num(p, "cy");
	}
	return n;
}

static void free_hpoints(struct hpoint *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(p[i].stage);
		free(p[i].series);
		free(p[i].value);
	}
	free(p);
}

static const struct hpoint *find_hpoint(const struct hpoint *p, size_t n, const char *stage,
                                        const char *series, unsigned day, unsigned hour)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(p[i].stage, stage) && !strcmp(p[i].series, series) && p[i].day == day &&
		    p[i].hour == hour)
			return &p[i];
	return NULL;
}

/* pos[i] = a + b * v[i] for all i, within 0.01 px (the coordinates' rounding),
 * with b of the given sign: the positions are one linear scale of the values. */
static void assert_affine(const double *v, const double *pos, size_t n, int sign)
{
	size_t lo = 0, hi = 0;
	for (size_t i = 1; i < n; i++) {
		lo = v[i] < v[lo] ? i : lo;
		hi = v[i] > v[hi] ? i : hi;
	}
	if (n < 2 || v[hi] == v[lo]) {
		for (size_t i = 0; i < n; i++)
			assert_true(fabs(pos[i] - pos[0]) < 0.006);
		return;
	}
	double span = pos[hi] - pos[lo];
	assert_true(sign * span > 0);
	for (size_t i = 0; i < n; i++) {
		double want = pos[lo] + span * ((v[i] - v[lo]) / (v[hi] - v[lo]));
		if (fabs(pos[i] - want) > 0.011)
			fail_msg("point %zu: value %g at %.2f px, the scale puts it at %.2f", i, v[i],
			         pos[i], want);
	}
}

/* Every (stage, series) of pts lies on one vertical scale, and the hours on
 * one horizontal scale (x rising with the hour). */
static void assert_hourly_scales(const struct hpoint *pts, size_t n)
{
	double *v = xmalloc((n + 1) * sizeof *v), *pos = xmalloc((n + 1) * sizeof *pos);
	for (size_t i = 0; i < n; i++) {
		size_t k = 0;
		for (size_t j = 0; j < n; j++)
			if (!strcmp(pts[j].stage, pts[i].stage) && !strcmp(pts[j].series, pts[i].series)) {
				v[k] = strtod(pts[j].value, NULL);
				pos[k++] = pts[j].cy;
			}
		assert_affine(v, pos, k, -1);
	}
	for (size_t i = 0; i < n; i++) {
		v[i] = (pts[i].day - 1) * 24.0 + pts[i].hour;
		pos[i] = pts[i].cx;
	}
	assert_affine(v, pos, n, +1);
	free(pos);
	free(v);
}

/* ---- building results ---- */

struct hfun {
	double (*queue)(unsigned rep, size_t stage, size_t k);
	double (*wait)(unsigned rep, size_t stage, size_t k);
};

/* nrep replications of nhour hours for every stage of m, values from fn. */
static struct results *make_results(const struct model *m, size_t nrep, size_t nhour,
                                    const struct hfun *fn)
{
	struct results *rep = xcalloc(nrep ? nrep : 1, sizeof *rep);
	for (size_t r = 0; r < nrep; r++) {
		results_init(&rep[r]);
		rep[r].replication = (unsigned)r + 1;
		for (size_t k = 0; k < nhour; k++)
			for (size_t s = 0; s < m->nstage; s++) {
				struct hour_row *h = results_add_hour(&rep[r]);
				h->day = (unsigned)(k / 24) + 1;
				h->hour = (unsigned)(k % 24);
				h->stage = (unsigned)s;
				h->queue_mean = fn->queue((unsigned)r, s, k);
				h->wait_p95 = fn->wait((unsigned)r, s, k);
			}
	}
	return rep;
}

static void free_results(struct results *rep, size_t nrep)
{
	for (size_t r = 0; r < nrep; r++)
		results_release(&rep[r]);
	free(rep);
}

/* The mean over replications of a column, found by scanning every row (not
 * the chart's way), with how many defined it (a finite value); NaN when none
 * did. */
static double replication_mean(const struct results *rep, size_t nrep, size_t stage, unsigned day,
                               unsigned hour, int wait, unsigned *n)
{
	double sum = 0;
	*n = 0;
	for (size_t r = 0; r < nrep; r++)
		for (size_t i = 0; i < rep[r].nhour; i++) {
			const struct hour_row *h = &rep[r].hour[i];
			double v = wait ? h->wait_p95 : h->queue_mean;
			if (h->stage == stage && h->day == day && h->hour == hour && isfinite(v)) {
				sum += v;
				++*n;
			}
		}
	return *n ? sum / *n : NAN;
}

/* Every stage × hour × series of rep is plotted as its replication mean,
 * formatted as the CSV formats it, or left out when no replication defined
 * it; and nothing else is plotted. Returns the number of points. */
static size_t assert_hourly_values(const char *svg, const struct model *m,
                                   const struct results *rep, size_t nrep, size_t nhour)
{
	struct hpoint *pts;
	size_t npt = read_hpoints(svg, &pts), want = 0;
	static const char *const series[] = { "queue_mean", "wait_p95" };
	for (size_t s = 0; s < m->nstage; s++)
		for (size_t k = 0; k < nhour; k++)
			for (int w = 0; w < 2; w++) {
				unsigned day = (unsigned)(k / 24) + 1, hour = (unsigned)(k % 24), n;
				double mean = replication_mean(rep, nrep, s, day, hour, w, &n);
				const struct hpoint *p =
					find_hpoint(pts, npt, m->stage[s].name, series[w], day, hour);
				if (n == 0) {
					assert_null(p);
					continue;
				}
				want++;
				if (p == NULL)
					fail_msg("no point for %s %s day %u hour %u", m->stage[s].name,
					         series[w], day, hour);
				char buf[32];
				table_format_number(buf, sizeof buf, mean);
				assert_string_equal(p->value, buf);
				assert_int_equal(p->n, n);
			}
	assert_int_equal(npt, want);
	assert_hourly_scales(pts, npt);
	free_hpoints(pts, npt);
	return want;
}

/* ---- hourly.svg ---- */

/* Multiples of 1/8, so every sum and mean is exact in any order. Rep 0 lacks
 * queue at k % 7 == 3; rep 1 lacks wait at k % 5 == 0; no replication has
 * stage 0's wait at hour 7 or stage 1's queue at hour 30 (gaps). */
static double q_two(unsigned r, size_t s, size_t k)
{
	if ((r == 0 && k % 7 == 3) || (s == 1 && k == 30))
		return NAN;
	return (r + 1) * 0.25 + (double)k * 0.5 + (double)s * 10 + (k % 3) * 0.125;
}

static double w_two(unsigned r, size_t s, size_t k)
{
	if ((r == 1 && k % 5 == 0) || (s == 0 && k == 7))
		return NAN;
	return 60.0 - (double)k + r * 1.375 + (double)s;
}

static void model_two(struct model *m, const char *second)
{
	tu_model(m, 0, 2, 2, 1, 3, 1);
	tu_stage(m, 0, "primary", 2, "fixed(1min)");
	tu_stage(m, 1, second, 2, "fixed(1min)");
}

static void hourly_plots_replication_means(void **state)
{
	struct model m;
	model_two(&m, "secondary");
	const struct hfun fn = { q_two, w_two };
	struct results *rep = make_results(&m, 3, 48, &fn);
	char *svg = chart_text(HOURLY, &m, rep, 3, NULL, NULL);
	/* 2 stages x 48 hours x 2 series, less the 4 gaps */
	assert_int_equal(assert_hourly_values(svg, &m, rep, 3, 48), 2 * 48 * 2 - 2);
	assert_non_null(strstr(svg, "<title>test</title>"));
	/* The x axis in days and clock time: 48 hours at 2-hourly ticks. */
	assert_non_null(strstr(svg, ">day 1</text>"));
	assert_non_null(strstr(svg, ">day 2</text>"));
	assert_non_null(strstr(svg, ">06:00</text>"));
	assert_null(strstr(svg, ">day 3</text>"));   /* the end of day 2 starts no day */
	assert_non_null(strstr(svg, "queue (waiting)"));
	assert_non_null(strstr(svg, "p95 wait (min)"));
	assert_int_equal(count_tags(svg, "g", "class=\"panel\""), 2);
	assert_int_equal(count_tags(svg, "path", "class=\"lw\""), 1 + 2 + 1);   /* legend; gap; */
	char *again = chart_text(HOURLY, &m, rep, 3, NULL, NULL);
	assert_string_equal(svg, again);   /* deterministic */
	free(again);
	free(svg);
	free_results(rep, 3);
	model_release(&m);
}

/* ---- hourly.svg against a fixed hourly.csv ---- */

static size_t stage_of(struct model *m, const char *name)
{
	for (size_t s = 0; s < m->nstage; s++)
		if (!strcmp(m->stage[s].name, name))
			return s;
	m->stage = xrealloc(m->stage, (m->nstage + 1) * sizeof *m->stage);
	memset(&m->stage[m->nstage], 0, sizeof *m->stage);
	tu_stage(m, m->nstage, name, 1, "fixed(1min)");
	return m->nstage++;
}

static double cell(const char *s)
{
	return *s ? strtod(s, NULL) : NAN;
}

/* The rows of t (hourly.csv) as results, one per replication number. */
static size_t results_from_csv(struct model *m, const struct table *t, struct results *rep,
                               size_t maxrep)
{
	size_t nrep = 0;
	for (size_t i = 1; i < t->nrow; i++) {
		char **f = t->row[i];
		assert_int_equal(t->ncol[i], 13);
		size_t r = strtoul(f[1], NULL, 10) - 1;
		assert_true(r < maxrep);
		for (; nrep <= r; nrep++)
			results_init(&rep[nrep]);
		struct hour_row *h = results_add_hour(&rep[r]);
		h->day = (unsigned)strtoul(f[2], NULL, 10);
		h->hour = (unsigned)strtoul(f[3], NULL, 10);
		h->stage = (unsigned)stage_of(m, f[4]);
		h->queue_mean = cell(f[8]);
		h->wait_p95 = cell(f[11]);
	}
	return nrep;
}

/* The mean of column col over the rows of stage/day/hour, from the CSV text. */
static double csv_mean(const struct table *t, const char *stage, unsigned day,
                       unsigned hour, size_t col)
{
	double sum = 0;
	unsigned n = 0;
	for (size_t i = 1; i < t->nrow; i++) {
		char **f = t->row[i];
		if (!strcmp(f[4], stage) && strtoul(f[2], NULL, 10) == day &&
		    strtoul(f[3], NULL, 10) == hour && *f[col])
			sum += strtod(f[col], NULL), n++;
	}
	return n ? sum / n : NAN;
}

/* The fixture holds 3 replications, 2 days, 2 stages (one named with a comma,
 * quotes and <&>), empty cells in one replication and in all three. */
static void hourly_matches_csv_file(void **state)
{
	struct table t = { 0 };
	char err[256];
	assert_int_equal(table_read_csv(DATA "/hourly.csv", &t, err, sizeof err), 0);
	struct model m;
	tu_model(&m, 0, 0, 2, 0, 3, 1);
	struct results rep[3];
	size_t nrep = results_from_csv(&m, &t, rep, 3);
	assert_int_equal(nrep, 3);
	assert_int_equal(m.nstage, 2);
	char *svg = chart_text(HOURLY, &m, rep, nrep, NULL, NULL);
	struct hpoint *pts;
	size_t npt = read_hpoints(svg, &pts), want = 0;
	for (size_t s = 0; s < m.nstage; s++)
		for (unsigned k = 0; k < 48; k++)
			for (size_t col = 8; col <= 11; col += 3) {
				const char *series = col == 8 ? "queue_mean" : "wait_p95";
				double mean = csv_mean(&t, m.stage[s].name, k / 24 + 1, k % 24, col);
				const struct hpoint *p =
					find_hpoint(pts, npt, m.stage[s].name, series, k / 24 + 1, k % 24);
				assert_true(isnan(mean) == (p == NULL));
				if (p == NULL)
					continue;
				want++;
				/* the CSV's 10 significant digits, read and averaged again */
				double got = strtod(p->value, NULL);
				assert_true(fabs(got - mean) <= 1e-9 * fmax(1, fabs(mean)));
			}
	assert_int_equal(npt, want);
	assert_int_equal(want, 2 * 48 * 2 - 2 - 1);   /* two queue gaps, one wait gap */
	assert_hourly_scales(pts, npt);
	free_hpoints(pts, npt);
	free(svg);
	for (size_t r = 0; r < nrep; r++)
		results_release(&rep[r]);
	model_release(&m);
	table_release(&t);
}

/* ---- windows ---- */

static void add_window(struct model *m, double start, double end, const char *label)
{
	m->window = xrealloc(m->window, (m->nwindow + 1) * sizeof *m->window);
	m->window[m->nwindow++] = (struct model_window){ start, end, xstrdup(label) };
}

/* A window's rects: how many, and their clipped hours (the same in each). */
static size_t window_rects(const char *svg, const char *label, double *start, double *end)
{
	size_t n = 0;
	for (const char *p = next_tag(svg, "rect"); p; p = next_tag(p + 1, "rect")) {
		char *l = attr(p, "data-label");
		if (l && !strcmp(l, label)) {
			double a = attr_num(p, "data-start"), b = attr_num(p, "data-end");
			assert_true(n == 0 || (a == *start && b == *end));
			*start = a;
			*end = b;
			n++;
		}
		free(l);
	}
	return n;
}

static void windows_shaded_and_clipped(void **state)
{
	struct model m;
	model_two(&m, "secondary");
	const struct hfun fn = { q_two, w_two };
	struct results *rep = make_results(&m, 1, 48, &fn);
	static const struct {
		double start, end;     /* minutes */
		const char *label;
		double a, b;           /* hours shown; a > b: not shown */
	} w[] = {
		{ -120, 180, "surge early", 0, 3 },
		{ 600, 900, "closure <port & 'dock' \"7\">", 10, 15 },
		{ 2820, 4000, "late", 47, 48 },
		{ 0, 2880, "whole", 0, 48 },
		{ 3000, 3500, "after", 1, 0 },
		{ -500, -100, "before", 1, 0 },
		{ 700, 700, "empty", 1, 0 },
		{ NAN, 100, "undefined", 1, 0 },
	};
	size_t nw = sizeof w / sizeof *w;
	for (size_t i = 0; i < nw; i++)
		add_window(&m, w[i].start, w[i].end, w[i].label);
	char *svg = chart_text(HOURLY, &m, rep, 1, NULL, NULL);
	for (size_t i = 0; i < nw; i++) {
		double a = -1, b = -1;
		size_t n = window_rects(svg, w[i].label, &a, &b);
		assert_int_equal(n, w[i].a < w[i].b ? 2 : 0);   /* one in each stage's panel */
		if (n > 0) {
			assert_true(a == w[i].a);
			assert_true(b == w[i].b);
		}
	}
	assert_int_equal(count_tags(svg, "rect", "data-label="), 2 * 4);
	assert_non_null(strstr(svg, "closure &lt;port &amp; &apos;dock&apos; &quot;7&quot;&gt;"));
	assert_non_null(strstr(svg, "surge or closure window"));   /* in the legend */
	free(svg);
	free_results(rep, 1);
	model_release(&m);
}

/* The rect of window "late" lies from hour 47 to 48 on the hours' scale of
 * the points (hour k's point is at k + 0.5). */
static void window_on_the_hour_scale(void **state)
{
	struct model m;
	model_two(&m, "secondary");
	const struct hfun fn = { q_two, w_two };
	struct results *rep = make_results(&m, 2, 48, &fn);
	add_window(&m, 2820, 4000, "late");
	char *svg = chart_text(HOURLY, &m, rep, 2, NULL, NULL);
	struct hpoint *pts;
	size_t npt = read_hpoints(svg, &pts);
	const struct hpoint *p0 = find_hpoint(pts, npt, "primary", "queue_mean", 1, 0);
	const struct hpoint *p1 = find_hpoint(pts, npt, "primary", "queue_mean", 2, 23);
	assert_non_null(p0);
	assert_non_null(p1);
	double px = (p1->cx - p0->cx) / 47, x0 = p0->cx - 0.5 * px;
	const char *r = strstr(svg, "data-label=\"late\"");
	assert_non_null(r);
	while (strncmp(r, "<rect ", 6) != 0)
		r--;
	assert_true(fabs(attr_num(r, "x") - (x0 + 47 * px)) < 0.02);
	assert_true(fabs(attr_num(r, "width") - px) < 0.02);
	free_hpoints(pts, npt);
	free(svg);
	free_results(rep, 2);
	model_release(&m);
}

/* ---- many stages, names from users ---- */

static const double busy_level[8] = { 5, 1, 8, 3, 7, 2, 6, 4 };

static double q_busy(unsigned r, size_t s, size_t k)
{
	return busy_level[s] + r;
}

static double w_one(unsigned r, size_t s, size_t k)
{
	return 1;
}

/* The run's p95 wait of stage s, replication r: stage 4 waits longest. */
static const double p95_level[8] = { 5, 1, 8, 3, 70, 2, 6, 4 };

/* Default panels: the longest p95 waits first, the custody stage kept
 * though its wait is short; the subtitle says how they were chosen. */
static void default_panels_longest_waits(void **state)
{
	struct model m;
	tu_model(&m, 0, 8, 1, 0, 2, 1);
	for (size_t s = 0; s < 8; s++) {
		char name[16];
		snprintf(name, sizeof name, "s%zu", s);
		tu_stage(&m, s, name, 1, "fixed(1min)");
	}
	m.stage[1].kind = STAGE_CUSTODY;
	const struct hfun fn = { q_busy, w_one };
	struct results *rep = make_results(&m, 2, 24, &fn);
	for (size_t r = 0; r < 2; r++)
		for (size_t s = 0; s < 8; s++)
			results_add(&rep[r], "stage", m.stage[s].name, "wait_p95", "min",
			            p95_level[s] + (double)r);
	char *svg = chart_text(HOURLY, &m, rep, 2, NULL, NULL);
	static const char *const shown[] = { "s4", "s2", "s6", "s0", "s7", "s1" };
	const char *p = svg;
	for (size_t i = 0; i < 6; i++) {
		p = strstr(p, "<g class=\"panel\"");
		assert_non_null(p);
		char *stage = attr(p, "data-stage");
		assert_string_equal(stage, shown[i]);   /* longest wait first, custody kept */
		free(stage);
		p++;
	}
	assert_null(strstr(p, "<g class=\"panel\""));
	assert_null(strstr(svg, "data-stage=\"s3\""));
	assert_null(strstr(svg, "data-stage=\"s5\""));
	assert_non_null(strstr(svg, "6 of 8 stages: the longest p95 waits, and custody"));
	free(svg);
	free_results(rep, 2);
	model_release(&m);
}

/* --chart: stages, a group's stages and a port's ("PORT/..."), in the
 * order named, each once; the units sit above the plot. */
static void chosen_panels(void **state)
{
	static const char *const names[] = { "a/x", "a/y", "b/x", "c", "d", "ab/z" };
	struct model m;
	tu_model(&m, 0, 6, 1, 0, 1, 1);
	for (size_t s = 0; s < 6; s++)
		tu_stage(&m, s, names[s], 1, "fixed(1min)");
	m.stage[3].group = xstrdup("g");
	m.stage[5].group = xstrdup("g");
	const struct hfun fn = { q_busy, w_one };
	struct results *rep = make_results(&m, 1, 24, &fn);
	const struct chart_hourly_opts o = { "d, g,a,c", NULL };
	char *svg = chart_text(HOURLY, &m, rep, 1, NULL, &o);
	static const char *const shown[] = { "d", "c", "ab/z", "a/x", "a/y" };
	const char *p = svg;
	for (size_t i = 0; i < NELEM(shown); i++) {
		p = strstr(p, "<g class=\"panel\"");
		assert_non_null(p);
		char *stage = attr(p, "data-stage");
		assert_string_equal(stage, shown[i]);
		free(stage);
		p++;
	}
	assert_null(strstr(p, "<g class=\"panel\""));
	assert_null(strstr(svg, "data-stage=\"b/x\""));   /* "a" is not a prefix of "ab/" */
	/* The unit label's baseline is above the plot's box. */
	const char *box = next_tag(svg, "rect class=\"frame\"");
	const char *unit = strstr(svg, ">queue (waiting)</text>");
	assert_non_null(box);
	assert_non_null(unit);
	while (strncmp(unit, "<text ", 6) != 0)
		unit--;
	assert_true(attr_num(unit, "y") < attr_num(box, "y"));
	free(svg);
	free_results(rep, 1);
	model_release(&m);
}

/* A target line on the wait axis where a limit is given, none elsewhere;
 * the axis reaches the limit though every wait is below it. */
static void target_lines(void **state)
{
	struct model m;
	model_two(&m, "secondary");
	const struct hfun fn = { q_two, w_two };
	struct results *rep = make_results(&m, 2, 24, &fn);
	const double target[] = { 90, NAN };
	const struct chart_hourly_opts o = { NULL, target };
	char *svg = chart_text(HOURLY, &m, rep, 2, NULL, &o);
	assert_int_equal(count_tags(svg, "line", "class=\"target\""), 1);
	const char *line = next_tag(svg, "line class=\"target\"");
	const char *second = strstr(svg, "data-stage=\"secondary\"");
	assert_true(line < second);   /* in the first panel */
	assert_int_equal(attr_num(line, "data-limit"), 90);
	assert_non_null(strstr(svg, ">target 90 min</text>"));
	const char *box = next_tag(svg, "rect class=\"frame\"");
	double y = attr_num(line, "y1"), top = attr_num(box, "y");
	assert_true(y >= top && y <= top + attr_num(box, "height"));
	/* The right axis reaches 90 or more: the top tick's label. */
	assert_non_null(strstr(svg, "text-anchor=\"start\">100</text>"));
	free(svg);
	char *none = chart_text(HOURLY, &m, rep, 2, NULL, NULL);
	assert_int_equal(count_tags(none, "line", "class=\"target\""), 0);
	free(none);
	free_results(rep, 2);
	model_release(&m);
}

/* Window labels starting close together go to different rows; labels that
 * share a row do not overlap (by svg_text_width's estimate). */
static void window_labels_staggered(void **state)
{
	struct model m;
	model_two(&m, "secondary");
	add_window(&m, 60, 600, "surge migrant_wave");
	add_window(&m, 120, 900, "closure hurricane_gulf");
	add_window(&m, 150, 300, "surge third");
	add_window(&m, 1200, 1300, "surge far");
	const struct hfun fn = { q_two, w_two };
	struct results *rep = make_results(&m, 1, 48, &fn);
	char *svg = chart_text(HOURLY, &m, rep, 1, NULL, NULL);
	const char *panel2 = strstr(svg, "data-stage=\"secondary\"");
	double x[8], y[8], w[8];
	size_t n = 0;
	for (const char *p = next_tag(svg, "text class=\"wlabel\""); p && p < panel2;
	     p = next_tag(p + 1, "text class=\"wlabel\"")) {
		assert_true(n < 8);
		x[n] = attr_num(p, "x");
		y[n] = attr_num(p, "y");
		const char *t = strchr(p, '>') + 1;
		char *text = strndup(t, strcspn(t, "<"));
		w[n++] = svg_text_width(text, 10);
		free(text);
	}
	assert_int_equal(n, 4);
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (y[i] == y[j])
				assert_true(x[i] + w[i] <= x[j] || x[j] + w[j] <= x[i]);
	assert_true(y[0] != y[1] && y[1] != y[2] && y[0] != y[2]);
	assert_true(y[3] == y[0]);   /* the far one goes back to the first row */
	free(svg);
	free_results(rep, 1);
	model_release(&m);
}

/* Names with XML's special characters survive as attributes; bytes that are
 * not UTF-8, and control characters, become U+FFFD; good UTF-8 stays. */
static void names_escaped(void **state)
{
	static const char *const names[] = {
		"a<b>&\"c'd", "bad\xff\xfe", "ctl\x01x", "Tijuana\xe2\x80\x93San Ysidro \xc3\xb1",
		"tab\tnl\n",
	};
	static const char *const shown[] = {
		"a<b>&\"c'd", "bad\xef\xbf\xbd\xef\xbf\xbd", "ctl\xef\xbf\xbdx",
		"Tijuana\xe2\x80\x93San Ysidro \xc3\xb1", "tab\tnl\n",
	};
	struct model m;
	tu_model(&m, 0, 5, 1, 0, 1, 1);
	free(m.name);
	m.name = xstrdup("<scenario> & \"more\"");
	for (size_t s = 0; s < 5; s++)
		tu_stage(&m, s, names[s], 1, "fixed(1min)");
	add_window(&m, 60, 120, "<w>\x02");
	const struct hfun fn = { q_busy, w_one };
	struct results *rep = make_results(&m, 1, 3, &fn);
	char *svg = chart_text(HOURLY, &m, rep, 1, NULL, NULL);
	for (size_t s = 0; s < 5; s++) {
		const char *p = strstr(svg, "<g class=\"panel\"");
		for (size_t i = 0; i < s; i++)
			p = strstr(p + 1, "<g class=\"panel\"");
		char *stage = attr(p, "data-stage");
		assert_string_equal(stage, shown[s]);
		free(stage);
	}
	assert_non_null(strstr(svg, "<title>&lt;scenario&gt; &amp; &quot;more&quot;</title>"));
	assert_non_null(strstr(svg, "&lt;w&gt;\xef\xbf\xbd"));
	free(svg);
	free_results(rep, 1);
	model_release(&m);
}

/* ---- degenerate hourly data ---- */

static double v_nan(unsigned r, size_t s, size_t k) { return NAN; }
static double v_zero(unsigned r, size_t s, size_t k) { return 0; }
static double v_five(unsigned r, size_t s, size_t k) { return 5; }
static double v_neg(unsigned r, size_t s, size_t k) { return -3.5 * (double)(k + 1) + r; }
static double v_huge(unsigned r, size_t s, size_t k) { return k % 2 ? DBL_MAX : 1e308; }
static double v_mixed(unsigned r, size_t s, size_t k) { return k % 2 ? DBL_MAX : -DBL_MAX; }
static double v_tiny(unsigned r, size_t s, size_t k) { return k % 2 ? 4.9e-324 : 0; }
static double v_inf(unsigned r, size_t s, size_t k) { return k % 2 ? INFINITY : 2; }

/* Each case: well-formed, nothing that is not finite, and the values plotted
 * are the means (checked by assert_hourly_values, which like the chart
 * leaves out values that are not finite; the sums of the huge case overflow
 * in double, so its points are only counted). */
static void hourly_degenerate(void **state)
{
	static const struct {
		struct hfun fn;
		size_t nrep, nhour;
		int exact;
		size_t points;     /* per stage */
	} c[] = {
		{ { v_nan, v_nan }, 3, 24, 1, 0 },
		{ { v_zero, v_zero }, 2, 24, 1, 48 },
		{ { v_five, v_zero }, 2, 24, 1, 48 },
		{ { v_neg, v_five }, 2, 30, 1, 60 },
		{ { v_five, v_neg }, 1, 1, 1, 2 },
		{ { v_zero, v_zero }, 2, 0, 1, 0 },
		{ { v_tiny, v_zero }, 2, 5, 1, 10 },
		{ { v_inf, v_zero }, 2, 4, 1, 6 },
		{ { v_huge, v_mixed }, 3, 6, 0, 12 },
	};
	for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
		struct model m;
		model_two(&m, "second");
		struct results *rep = make_results(&m, c[i].nrep, c[i].nhour, &c[i].fn);
		char *svg = chart_text(HOURLY, &m, rep, c[i].nrep, NULL, NULL);
		if (c[i].exact)
			assert_int_equal(assert_hourly_values(svg, &m, rep, c[i].nrep, c[i].nhour),
			                 2 * c[i].points);
		else
			assert_int_equal(count_tags(svg, "circle", NULL), 2 * c[i].points);
		free(svg);
		free_results(rep, c[i].nrep);
		model_release(&m);
	}
}

/* The means of values near DBL_MAX do not overflow: 1e308 and DBL_MAX are
 * plotted as themselves. */
static void hourly_huge_means(void **state)
{
	struct model m;
	model_two(&m, "second");
	const struct hfun fn = { v_huge, v_huge };
	struct results *rep = make_results(&m, 3, 2, &fn);
	char *svg = chart_text(HOURLY, &m, rep, 3, NULL, NULL);
	struct hpoint *pts;
	size_t npt = read_hpoints(svg, &pts);
	assert_int_equal(npt, 8);
	char want[32];
	for (size_t i = 0; i < npt; i++) {
		table_format_number(want, sizeof want, pts[i].hour % 2 ? DBL_MAX : 1e308);
		assert_string_equal(pts[i].value, want);
	}
	free_hpoints(pts, npt);
	free(svg);
	free_results(rep, 3);
	model_release(&m);
}

static void hourly_no_stages(void **state)
{
	struct model m;
	tu_model(&m, 0, 0, 1, 0, 1, 1);
	char *svg = chart_text(HOURLY, &m, NULL, 0, NULL, NULL);
	assert_non_null(strstr(svg, "no stages to show"));
	assert_int_equal(count_tags(svg, "g", "class=\"panel\""), 0);
	free(svg);
	model_release(&m);
}

/* ---- sweep.svg ---- */

struct spoint {
	char *series, *x, *value, *lo, *hi;
	double cx, cy;
};

static size_t read_spoints(const char *svg, struct spoint **out)
{
	size_t n = 0;
	*out = NULL;
	for (const char *p = next_tag(svg, "circle"); p; p = next_tag(p + 1, "circle")) {
		*out = xrealloc(*out, (n + 1) * sizeof **out);
		struct spoint *s = &(*out)[n++];
		s->series = attr(p, "data-series");
		s->x = attr(p, "data-x");
		s->value = attr(p, "data-value");
		s->lo = attr(p, "data-lo");
		s->hi = attr(p, "data-hi");
		assert_true(s->series && s->x && s->value && s->lo && s->hi);
		s->cx = attr_num(p, "cx");
		s->cy = attr_num(p, "cy");
	}
	return n;
}

static void free_spoints(struct spoint *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(p[i].series);
		free(p[i].x);
		free(p[i].value);
		free(p[i].lo);
		free(p[i].hi);
	}
	free(p);
}

static void assert_formatted(const char *got, double v)
{
	char buf[32];
	table_format_number(buf, sizeof buf, v);
	assert_string_equal(got, buf);
}

/* Each series' points: one per point with a finite x and mean, carrying the
 * x, mean and interval as the CSV writes them; x and mean on linear scales;
 * the line through the points in x order. Returns the number of bars due. */
static size_t assert_sweep_series(const char *svg, const struct sweep_args *a, size_t k)
{
	const struct chart_series *s = &a->series[k];
	struct spoint *pts;
	size_t npt = read_spoints(svg, &pts), n = 0, bars = 0;
	double *v = xmalloc(2 * (a->npoint + 1) * sizeof *v), *xs = v + a->npoint + 1;
	double *cy = xmalloc(2 * (a->npoint + 1) * sizeof *cy), *cx = cy + a->npoint + 1;
	for (size_t i = 0; i < npt; i++) {
		if (strcmp(pts[i].series, s->name) != 0)
			continue;
		size_t j = 0;   /* the input point with this x */
		while (j < a->npoint && strtod(pts[i].x, NULL) != a->x[j])
			j++;
		assert_true(j < a->npoint);
		assert_formatted(pts[i].value, s->mean[j]);
		assert_formatted(pts[i].lo, s->lo ? s->lo[j] : NAN);
		assert_formatted(pts[i].hi, s->hi ? s->hi[j] : NAN);
		bars += s->lo && s->hi && isfinite(s->lo[j]) && isfinite(s->hi[j]);
		v[n] = s->mean[j], cy[n] = pts[i].cy, xs[n] = a->x[j], cx[n++] = pts[i].cx;
	}
	size_t want = 0;
	for (size_t j = 0; j < a->npoint; j++)
		want += isfinite(a->x[j]) && isfinite(s->mean[j]);
	assert_int_equal(n, want);
	for (size_t i = 1; i < n; i++)
		assert_true(xs[i] > xs[i - 1]);   /* written in x order */
	assert_affine(v, cy, n, -1);
	assert_affine(xs, cx, n, +1);
	free(cy);
	free(v);
	free_spoints(pts, npt);
	return bars;
}

static char *sweep_text(const struct sweep_args *a)
{
	return chart_text(SWEEP, NULL, NULL, 0, a, NULL);
}

static void sweep_plots_points_and_intervals(void **state)
{
	static const double x[] = { 1.5, 1, 2, 3, 2.5 };
	static const double m1[] = { 12.25, 10, 15.5, 30.125, 20 };
	static const double l1[] = { 11, 9, NAN, 28, 18.5 };
	static const double h1[] = { 13.5, 11, 16, 32.25, 21.5 };
	static const double m2[] = { 0.5, 0.25, 0.75, 0.875, 0.8125 };
	static const double m3[] = { 100, NAN, 300, 400, 350 };
	static const double l3[] = { 90, 0, 290, 390, NAN };
	static const double h3[] = { 110, 0, 310, 410, 360 };
	const struct chart_series series[] = {
		{ "stage primary wait_p95", "min", m1, l1, h1 },
		{ "stage <b> & 'c' utilization", "fraction", m2, NULL, NULL },
		{ "national all travelers", "count", m3, l3, h3 },
	};
	const struct sweep_args a = { "base \"x\"", "stage.<p>.servers & more", 5, x, 3, series };
	char *svg = sweep_text(&a);
	size_t bars = 0;
	for (size_t k = 0; k < 3; k++)
		bars += assert_sweep_series(svg, &a, k);
	assert_int_equal(bars, 4 + 0 + 3);
	assert_int_equal(count_tags(svg, "path", "class=\"bar\""), bars);
	assert_int_equal(count_tags(svg, "g", "class=\"panel\""), 3);
	assert_non_null(strstr(svg, "stage.&lt;p&gt;.servers &amp; more"));
	assert_non_null(strstr(svg, "base &quot;x&quot;: sweep over"));
	assert_non_null(strstr(svg, "stage primary wait_p95 (min)"));
	assert_non_null(strstr(svg, "(fraction)</text>"));   /* the unit in the title */
	/* Panels by how much they vary: m3 (0.75), m2 (0.71), m1 (0.67). */
	const char *p1 = strstr(svg, "<g class=\"panel\" data-series=\"national all");
	const char *p2 = strstr(svg, "<g class=\"panel\" data-series=\"stage &lt;b&gt;");
	const char *p3 = strstr(svg, "<g class=\"panel\" data-series=\"stage primary");
	assert_true(p1 && p2 && p3 && p1 < p2 && p2 < p3);
	free(svg);
}

static void sweep_degenerate(void **state)
{
	static const double x1[] = { 2 }, m1[] = { 7 }, l1[] = { 6 }, h1[] = { 8 };
	static const double xn[] = { 1, NAN, 3 }, mn[] = { NAN, 5, NAN };
	static const double xc[] = { 1, 2, 3 }, mc[] = { 4, 4, 4 };
	static const double xh[] = { -DBL_MAX, 0, DBL_MAX }, mh[] = { DBL_MAX, -DBL_MAX, 1e-320 };
	static const double lh[] = { -DBL_MAX, -DBL_MAX, -1 }, hh[] = { DBL_MAX, DBL_MAX, INFINITY };
	static const double xs[] = { 5, 5 }, ms[] = { 1, 2 };
	const struct chart_series one = { "one", "min", m1, l1, h1 };
	const struct chart_series gaps = { "gaps", "min", mn, NULL, mn };
	const struct chart_series flat = { "flat", "count", mc, mc, mc };
	const struct chart_series huge = { "huge", "count", mh, lh, hh };
	const struct chart_series same = { "same", "count", ms, NULL, NULL };
	const struct {
		struct sweep_args a;
		size_t points, bars;
	} c[] = {
		{ { "s", "k", 1, x1, 1, &one }, 1, 1 },
		{ { "s", "k", 3, xn, 1, &gaps }, 0, 0 },
		{ { "s", "k", 3, xc, 1, &flat }, 3, 3 },
		{ { "s", "k", 3, xh, 1, &huge }, 3, 2 },
		{ { "s", "k", 2, xs, 1, &same }, 2, 0 },
		{ { "s", "k", 0, NULL, 1, &one }, 0, 0 },
		{ { "s", "k", 1, x1, 0, NULL }, 0, 0 },
		{ { NULL, NULL, 1, x1, 1, &one }, 1, 1 },
	};
	for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
		char *svg = sweep_text(&c[i].a);
		assert_int_equal(count_tags(svg, "circle", NULL), c[i].points);
		assert_int_equal(count_tags(svg, "path", "class=\"bar\""), c[i].bars);
		if (c[i].a.nseries > 0 && c[i].a.npoint > 0 && i != 3 && i != 4)
			assert_sweep_series(svg, &c[i].a, 0);
		free(svg);
	}
}

/* Series the same at every point are left out and named; the rest keep
 * their panels. */
static void sweep_flat_dropped(void **state)
{
	static const double x[] = { 1, 2, 3 };
	static const double up[] = { 1, 2, 3 }, same[] = { 4, 4, 4 }, none[] = { NAN, NAN, NAN };
	static const double little[] = { 100, 101, 100 };
	const struct chart_series series[] = {
		{ "flat one", "min", same, NULL, NULL },
		{ "little", "min", little, NULL, NULL },
		{ "undefined", "min", none, NULL, NULL },
		{ "rising", "count", up, NULL, NULL },
	};
	const struct sweep_args a = { "s", "k", 3, x, 4, series };
	char *svg = sweep_text(&a);
	assert_int_equal(count_tags(svg, "g", "class=\"panel\""), 2);
	const char *rise = strstr(svg, "data-series=\"rising\"");
	const char *lit = strstr(svg, "data-series=\"little\"");
	assert_true(rise && lit && rise < lit);
	assert_null(strstr(svg, "data-series=\"flat one\""));
	assert_non_null(strstr(svg, "not shown, the same at every point: flat one, undefined"));
	assert_sweep_series(svg, &a, 1);
	assert_sweep_series(svg, &a, 3);
	free(svg);
}

/* ---- write errors ---- */

static void write_error_reported(void **state)
{
	FILE *f = fopen("/dev/full", "w");
	if (f == NULL)
		fail_msg("cannot open /dev/full: %s", strerror(errno));
	struct model m;
	model_two(&m, "second");
	const struct hfun fn = { q_two, w_two };
	struct results *rep = make_results(&m, 2, 24, &fn);
	errno = 0;
	assert_int_equal(chart_hourly(f, &m, rep, 2, NULL), -1);
	assert_int_equal(errno, ENOSPC);
	fclose(f);
	f = fopen("/dev/full", "w");
	assert_non_null(f);
	static const double x[] = { 1 }, y[] = { 2 };
	const struct chart_series s = { "a", "b", y, NULL, NULL };
	errno = 0;
	assert_int_equal(chart_sweep(f, "s", "k", 1, x, 1, &s), -1);
	assert_int_equal(errno, ENOSPC);
	fclose(f);
	free_results(rep, 2);
	model_release(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hourly_plots_replication_means),
		cmocka_unit_test(hourly_matches_csv_file),
		cmocka_unit_test(windows_shaded_and_clipped),
		cmocka_unit_test(window_on_the_hour_scale),
		cmocka_unit_test(default_panels_longest_waits),
		cmocka_unit_test(chosen_panels),
		cmocka_unit_test(target_lines),
		cmocka_unit_test(window_labels_staggered),
		cmocka_unit_test(names_escaped),
		cmocka_unit_test(hourly_degenerate),
		cmocka_unit_test(hourly_huge_means),
		cmocka_unit_test(hourly_no_stages),
		cmocka_unit_test(sweep_plots_points_and_intervals),
		cmocka_unit_test(sweep_degenerate),
		cmocka_unit_test(sweep_flat_dropped),
		cmocka_unit_test(write_error_reported),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
