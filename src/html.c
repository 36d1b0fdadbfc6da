/* html: report.html, written by hand as the charts are.
 *
 * The page is built from the tables the folder's CSV files hold (summary.csv,
 * compare.csv), read by column, so it says what the files say and a test can
 * hand it a table. Numbers are rounded for reading (thousands separators,
 * decimals by size); the CSV files keep every digit. The charts are inlined
 * as SVG elements rather than images, so that they print sharp and a browser
 * check can see their paths in the DOM. Their style sheets apply to the whole
 * page, so the page's own classes avoid the charts' names (html_css). */
#include "html.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "svg.h"
#include "util.h"

static const char html_css[] =
	"<style>\n"
	"body{font-family:sans-serif;color:#222;margin:24px auto;max-width:1000px;"
	"padding:0 12px}\n"
	"h1{font-size:22px;margin:0 0 4px}\n"
	"h2{font-size:16px;margin:22px 0 6px}\n"
	"p.facts{color:#555;margin:0 0 6px}\n"
	"table.figures{border-collapse:collapse;font-size:13px;margin:4px 0 10px}\n"
	"table.figures th,table.figures td{padding:3px 8px;border-bottom:1px solid #ddd;"
	"text-align:left}\n"
	"table.figures th{border-bottom:2px solid #999}\n"
	"table.figures .n{text-align:right;font-variant-numeric:tabular-nums}\n"
	"figure.chart{margin:14px 0}\n"
	"figure.chart svg{max-width:100%;height:auto}\n"
	"figure.chart figcaption{font-size:12px;color:#555}\n"
	"@media print{\n"
	"@page{size:auto;margin:12mm}\n"
	"body{margin:0;max-width:none;padding:0;font-size:11px}\n"
	"h2{break-after:avoid}\n"
	"tr,figure.chart{break-inside:avoid}\n"
	"}\n"
	"</style>\n";

/* ---- numbers ---- */

/* A number for reading: thousands separators, decimals by size. */
static void fmt(char *buf, size_t len, double v)
{
	double a = fabs(v);
	int dec = a >= 1000 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
	svg_format_grouped(buf, len, v, a == floor(a) && a < 1e15 ? 0 : dec);
}

static double num(const char *s)
{
	if (!s || !*s)
		return NAN;
	char *end;
	double v = strtod(s, &end);
	return *end ? NAN : v;
}

/* ---- elements ---- */

static void cell(FILE *f, const char *tag, const char *cls, const char *s)
{
	fprintf(f, "<%s%s%s%s>", tag, cls ? " class=\"" : "", cls ? cls : "", cls ? "\"" : "");
	svg_text(f, s);
	fprintf(f, "</%s>", tag);
}

static void num_cell(FILE *f, double v)
{
	char buf[64];
	fmt(buf, sizeof buf, v);
	cell(f, "td", "n", isnan(v) ? "" : buf);
}

/* "lo to hi", or "" when either is undefined. */
static void interval_cell(FILE *f, double lo, double hi)
{
	char a[64], b[64], both[140] = "";
	if (!isnan(lo) && !isnan(hi)) {
		fmt(a, sizeof a, lo);
		fmt(b, sizeof b, hi);
		snprintf(both, sizeof both, "%s to %s", a, b);
	}
	cell(f, "td", "n", both);
}

/* A header row: names, those marked 'n' in kinds right-aligned. */
static void head_row(FILE *f, const char *const *name, size_t n, const char *kinds)
{
	fputs("<table class=\"figures\">\n<thead><tr>", f);
	for (size_t i = 0; i < n; i++)
		cell(f, "th", kinds[i] == 'n' ? "n" : NULL, name[i]);
	fputs("</tr></thead>\n<tbody>\n", f);
}

static void heading(FILE *f, const char *s)
{
	cell(f, "h2", NULL, s);
	putc('\n', f);
}

/* ---- a run's targets ---- */

/* The rows as they come (header first), the counts and excess right-aligned. */
static void targets_table(FILE *f, const struct table *t)
{
	static const char kinds[] = "ttnnnnt";
	if (t->nrow == 0 || t->ncol[0] + 1 != sizeof kinds)
		return;
	heading(f, "Targets: the stage-hours with traffic that met the limit, and the worst "
	        "excess over it");
	head_row(f, (const char *const *)t->row[0], t->ncol[0], kinds);
	for (size_t r = 1; r < t->nrow; r++) {
		fputs("<tr>", f);
		for (size_t c = 0; c < t->ncol[r] && c < t->ncol[0]; c++)
			cell(f, "td", kinds[c] == 'n' ? "n" : NULL, t->row[r][c]);
		fputs("</tr>\n", f);
	}
	fputs("</tbody></table>\n", f);
}

/* ---- summary tables ---- */

/* The data rows of a summary table: those with every column. */
static int summary_row(const struct table *t, size_t r)
{
	return t->ncol[r] >= TABLE_SUMMARY_NCOL &&
	       !(r == 0 && strcmp(t->row[0][TABLE_SUMMARY_SCOPE], "scope") == 0);
}

static const char *col(const struct table *t, size_t r, int c)
{
	return t->row[r][c];
}

static void headline(FILE *f, const struct table *t)
{
	size_t n = 0;
	for (size_t r = 0; r < t->nrow; r++)
		n += summary_row(t, r) && strcmp(col(t, r, TABLE_SUMMARY_SCOPE), "national") == 0;
	if (n == 0)
		return;
	static const char *const head[] = { "figure", "unit", "mean", "95% interval" };
	heading(f, "National figures");
	head_row(f, head, NELEM(head), "ssnn");
	for (size_t r = 0; r < t->nrow; r++) {
		if (!summary_row(t, r) || strcmp(col(t, r, TABLE_SUMMARY_SCOPE), "national") != 0)
			continue;
		fputs("<tr>", f);
		cell(f, "td", NULL, col(t, r, TABLE_SUMMARY_METRIC));
		cell(f, "td", NULL, col(t, r, TABLE_SUMMARY_UNIT));
		num_cell(f, num(col(t, r, TABLE_SUMMARY_MEAN)));
		interval_cell(f, num(col(t, r, TABLE_SUMMARY_CI95_LOW)),
		              num(col(t, r, TABLE_SUMMARY_CI95_HIGH)));
		fputs("</tr>\n", f);
	}
	fputs("</tbody></table>\n", f);
}

/* A row of the ranked tables: one port or stage and the means of the
 * metrics shown (NaN where it has none), the first metric's interval. */
struct ranked {
	const char *name;
	double *v;
	double lo, hi;
};

/* The entities of scope in t with the means of metric[0..nm-1]; returns how
 * many, *out to free (each v too). */
static size_t gather(const struct table *t, const char *scope, const char *const *metric,
                     size_t nm, struct ranked **out)
{
	struct ranked *e = NULL;
	size_t n = 0;
	for (size_t r = 0; r < t->nrow; r++) {
		if (!summary_row(t, r) || strcmp(col(t, r, TABLE_SUMMARY_SCOPE), scope) != 0)
			continue;
		size_t k = 0, i = 0;
		while (k < nm && strcmp(metric[k], col(t, r, TABLE_SUMMARY_METRIC)) != 0)
			k++;
		if (k == nm)
			continue;
		const char *name = col(t, r, TABLE_SUMMARY_NAME);
		while (i < n && strcmp(e[i].name, name) != 0)
			i++;
		if (i == n) {
			e = xrealloc(e, (n + 1) * sizeof *e);
			e[n] = (struct ranked){ name, xmalloc(nm * sizeof(double)), NAN, NAN };
			for (size_t j = 0; j < nm; j++)
				e[n].v[j] = NAN;
			n++;
		}
		e[i].v[k] = num(col(t, r, TABLE_SUMMARY_MEAN));
		if (k == 0) {
			e[i].lo = num(col(t, r, TABLE_SUMMARY_CI95_LOW));
			e[i].hi = num(col(t, r, TABLE_SUMMARY_CI95_HIGH));
		}
	}
	*out = e;
	return n;
}

/* Longest first by the first metric, undefined last, ties by name. */
static int ranked_cmp(const void *a, const void *b)
{
	const struct ranked *p = a, *q = b;
	double x = isnan(p->v[0]) ? -INFINITY : p->v[0], y = isnan(q->v[0]) ? -INFINITY : q->v[0];
	return x > y ? -1 : x < y ? 1 : strcmp(p->name, q->name);
}

/* A ranked table of scope: the first metric with its interval, then the
 * others that some row has; at most max rows. Returns the rows found. */
static size_t ranked_table(FILE *f, const struct table *t, const char *scope, const char *title,
                           const char *const *metric, const char *const *label, size_t nm,
                           size_t max)
{
	struct ranked *e;
	size_t n = gather(t, scope, metric, nm, &e);
	if (n > 0) {
		int *has = xcalloc(nm, sizeof *has);
		const char **head = xmalloc((nm + 2) * sizeof *head);
		char kinds[64];
		size_t nh = 0;
		head[nh] = scope, kinds[nh++] = 's';
		head[nh] = label[0], kinds[nh++] = 'n';
		head[nh] = "95% interval", kinds[nh++] = 'n';
		for (size_t k = 1; k < nm; k++) {
			for (size_t i = 0; i < n && !has[k]; i++)
				has[k] = !isnan(e[i].v[k]);
			if (has[k])
				head[nh] = label[k], kinds[nh++] = 'n';
		}
		qsort(e, n, sizeof *e, ranked_cmp);
		heading(f, title);
		head_row(f, head, nh, kinds);
		for (size_t i = 0; i < n && i < max; i++) {
			fputs("<tr>", f);
			cell(f, "td", NULL, e[i].name);
			num_cell(f, e[i].v[0]);
			interval_cell(f, e[i].lo, e[i].hi);
			for (size_t k = 1; k < nm; k++)
				if (has[k])
					num_cell(f, e[i].v[k]);
			fputs("</tr>\n", f);
		}
		fputs("</tbody></table>\n", f);
		free(head);
		free(has);
	}
	for (size_t i = 0; i < n; i++)
		free(e[i].v);
	free(e);
	return n;
}

/* Ports sorted by p95 wait when the table has port rows, else the stages
 * with the longest p95 waits. */
static void ranked_tables(FILE *f, const struct table *t)
{
	static const char *const port_metric[] = {
		"traveler_wait_p95", "traveler_wait_mean", "truck_wait_p95", "truck_wait_mean",
		"travelers_processed", "trucks_processed", "containers_processed", "utilization",
		"backlog_end",
	};
	static const char *const port_label[] = {
		"traveler p95 wait (min)", "traveler mean wait (min)", "truck p95 wait (min)",
		"truck mean wait (min)", "travelers", "trucks", "containers", "utilization",
		"backlog at end",
	};
	static const char *const stage_metric[] = {
		"wait_p95", "wait_mean", "queue_mean", "utilization", "backlog_end",
	};
	static const char *const stage_label[] = {
		"p95 wait (min)", "mean wait (min)", "mean queue", "utilization", "backlog at end",
	};
	if (ranked_table(f, t, "port", "Ports by p95 wait", port_metric, port_label,
	                 NELEM(port_metric), (size_t)-1) == 0)
		ranked_table(f, t, "stage", "Stages with the longest p95 waits", stage_metric,
		             stage_label, NELEM(stage_metric), HTML_TOP);
}

/* ---- compare ---- */

enum { C_SCOPE, C_NAME, C_METRIC, C_UNIT, C_BASE, C_SCEN, C_DIFF, C_LO, C_HI, C_NCOL };

static int compare_row(const struct table *t, size_t r)
{
	return t->ncol[r] >= C_NCOL && !(r == 0 && strcmp(t->row[0][C_SCOPE], "scope") == 0);
}

/* A difference: its row, and its size relative to the base. */
struct change {
	size_t r;
	double rel;
};

static int change_cmp(const void *a, const void *b)
{
	const struct change *p = a, *q = b;
	return p->rel > q->rel ? -1 : p->rel < q->rel ? 1 : p->r < q->r ? -1 : p->r > q->r;
}

static void compare_line(FILE *f, const struct table *t, size_t r, int named)
{
	fputs("<tr>", f);
	if (named) {
		cell(f, "td", NULL, t->row[r][C_SCOPE]);
		cell(f, "td", NULL, t->row[r][C_NAME]);
	}
	cell(f, "td", NULL, t->row[r][C_METRIC]);
	cell(f, "td", NULL, t->row[r][C_UNIT]);
	for (int c = C_BASE; c <= C_DIFF; c++)
		num_cell(f, num(t->row[r][c]));
	interval_cell(f, num(t->row[r][C_LO]), num(t->row[r][C_HI]));
	fputs("</tr>\n", f);
}

static void compare_tables(FILE *f, const struct table *t)
{
	static const char *const head[] = {
		"scope", "name", "metric", "unit", "base", "scenario", "difference", "95% interval",
	};
	struct change *ch = xmalloc((t->nrow ? t->nrow : 1) * sizeof *ch);
	size_t nnat = 0, n = 0;
	for (size_t r = 0; r < t->nrow; r++) {
		if (!compare_row(t, r))
			continue;
		if (strcmp(t->row[r][C_SCOPE], "national") == 0) {
			nnat++;
			continue;
		}
		double lo = num(t->row[r][C_LO]), hi = num(t->row[r][C_HI]);
		double base = num(t->row[r][C_BASE]), d = num(t->row[r][C_DIFF]);
		if (lo > 0 || hi < 0)   /* the interval excludes 0 */
			ch[n++] = (struct change){ r, fabs(d) / fmax(fabs(base), 1e-9) };
	}
	if (nnat) {
		heading(f, "National figures: scenario against base");
		head_row(f, head + 2, NELEM(head) - 2, "ssnnnn");
		for (size_t r = 0; r < t->nrow; r++)
			if (compare_row(t, r) && strcmp(t->row[r][C_SCOPE], "national") == 0)
				compare_line(f, t, r, 0);
		fputs("</tbody></table>\n", f);
	}
	qsort(ch, n, sizeof *ch, change_cmp);
	heading(f, "Largest differences whose 95% interval excludes 0");
	if (n == 0)
		fputs("<p class=\"facts\">none</p>\n", f);
	else {
		head_row(f, head, NELEM(head), "ssssnnnn");
		for (size_t i = 0; i < n && i < HTML_TOP; i++)
			compare_line(f, t, ch[i].r, 1);
		fputs("</tbody></table>\n", f);
	}
	free(ch);
}

/* ---- the page ---- */

/* The chart without its XML declaration: an element of the page. */
static void put_chart(FILE *f, const struct html_chart *c)
{
	const char *s = c->svg ? c->svg : "";
	size_t len = c->svg ? c->len : 0;
	if (len >= 5 && strncmp(s, "<?xml", 5) == 0) {
		const char *end = memchr(s, '>', len);
		size_t skip = end ? (size_t)(end - s) + 1 : len;
		s += skip, len -= skip;
		while (len && (*s == '\n' || *s == '\r'))
			s++, len--;
	}
	fputs("<figure class=\"chart\">\n", f);
	fwrite(s, 1, len, f);
	fputs("<figcaption>", f);
	svg_text(f, c->caption);
	fputs("</figcaption>\n</figure>\n", f);
}

static void put_facts(FILE *f, const struct html_page *p)
{
	fputs("<p class=\"facts\">", f);
	svg_text(f, p->command);
	if (!isnan(p->days)) {
		char d[64];
		fmt(d, sizeof d, p->days);
		fprintf(f, " &middot; %s day%s reported", d, p->days == 1 ? "" : "s");
	}
	fprintf(f, " &middot; %u replication%s &middot; seed %" PRIu64 "</p>\n", p->replications,
	        p->replications == 1 ? "" : "s", p->seed);
	if (p->note) {
		fputs("<p class=\"facts\">", f);
		svg_text(f, p->note);
		fputs("</p>\n", f);
	}
}

int html_write(FILE *f, const struct html_page *p)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n", f);
	fputs("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>", f);
	svg_text(f, p->name);
	fputs(" &mdash; bordersim</title>\n", f);
	fputs(html_css, f);
	fputs("</head>\n<body>\n<h1>", f);
	svg_text(f, p->name);
	fputs("</h1>\n", f);
	put_facts(f, p);
	if (p->summary) {
		headline(f, p->summary);
		ranked_tables(f, p->summary);
	}
	if (p->compare)
		compare_tables(f, p->compare);
	if (p->targets)
		targets_table(f, p->targets);
	if (p->nchart)
		heading(f, "Charts");
	for (size_t i = 0; i < p->nchart; i++)
		put_chart(f, &p->chart[i]);
	fputs("</body>\n</html>\n", f);
	return svg_flush(f);
}

int html_chart_render(struct html_chart *c, const char *caption,
                      int (*write)(FILE *f, const void *ctx), const void *ctx)
{
	*c = (struct html_chart){ caption, NULL, 0 };
	FILE *m = open_memstream(&c->svg, &c->len);
	if (!m)
		return -1;
	int rc = write(m, ctx);
	if (fclose(m) != 0)
		rc = -1;
	return rc;
}

void html_chart_release(struct html_chart *c)
{
	free(c->svg);
	c->svg = NULL;
	c->len = 0;
}

int html_write_file(FILE *f, const void *page)
{
	return html_write(f, page);
}
