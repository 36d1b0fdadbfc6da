/* test_html: report.html from tables built by hand — the headline table,
 * ports sorted by p95 wait (a hand-made table of scope port rows), the
 * stages with the longest waits when there are no ports, a compare's
 * differences, names escaped, charts inlined, and nothing fetched. Every
 * page is checked by xmllint's HTML parser (its only complaint allowed: the
 * SVG and HTML5 tags it does not know). */
#include <errno.h>
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

#include "html.h"
#include "table.h"
#include "util.h"

/* A summary row: scope, name, metric, unit, mean, lo, hi. */
static void add_row(struct table *t, const char *scope, const char *name, const char *metric,
                    const char *unit, const char *mean, const char *lo, const char *hi)
{
	const char *f[TABLE_SUMMARY_NCOL] = {
		"scn", scope, name, metric, unit, mean, "1", lo, hi, "0", "9", "10",
	};
	table_add(t, f, TABLE_SUMMARY_NCOL);
}

static void summary_head(struct table *t)
{
	table_add(t, table_summary_head, TABLE_SUMMARY_NCOL);
}

/* The page for p, checked well-formed (xmllint --html) and self-contained:
 * no src or href that fetches, no script. */
static char *page(const struct html_page *p)
{
	char path[] = "/tmp/test_html.XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w+");
	assert_non_null(f);
	assert_int_equal(html_write(f, p), 0);
	long n = (fseek(f, 0, SEEK_END), ftell(f));
	rewind(f);
	char *s = xmalloc((size_t)n + 1);
	assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
	s[n] = '\0';
	fclose(f);
	if (system("command -v xmllint >/dev/null 2>&1") != 0)
		fail_msg("xmllint not found: install libxml2-utils (make deps) to run the html tests");
	/* xmllint's HTML 4 parser knows neither SVG nor <figure>: those tags
	 * are not errors here, anything else is. */
	char *cmd = xasprintf("xmllint --html --noout '%s' 2>&1 | grep 'error :' | "
	                      "grep -v 'error : Tag [a-z]* invalid' | grep -q . && exit 1; exit 0",
	                      path);
	int rc = system(cmd);
	free(cmd);
	if (rc != 0)
		fail_msg("xmllint --html: %s has errors", path);
	unlink(path);
	static const char *const fetch[] = { "src=", "href=", "<script", "url(", "@import" };
	for (size_t i = 0; i < NELEM(fetch); i++)
		for (const char *q = s; *q; q++)
			if (strncasecmp(q, fetch[i], strlen(fetch[i])) == 0)
				fail_msg("'%s' in a page that must fetch nothing", fetch[i]);
	return s;
}

/* Where s occurs in page, failing when it does not. */
static const char *at(const char *page_text, const char *s)
{
	const char *p = strstr(page_text, s);
	if (!p)
		fail_msg("'%s' not in the page", s);
	return p;
}

static void headline_and_ports(void **state)
{
	struct table t = { 0 };
	summary_head(&t);
	add_row(&t, "stage", "laredo/pov", "wait_p95", "min", "99", "90", "108");
	add_row(&t, "national", "all", "travelers_processed", "persons", "1076400.7", "1070000",
	        "1082801");
	add_row(&t, "national", "all", "traveler_wait_p95", "min", "58.26", "57.5", "59");
	add_row(&t, "port", "laredo", "traveler_wait_p95", "min", "41.5", "40", "43");
	add_row(&t, "port", "san_ysidro", "traveler_wait_p95", "min", "118", "110", "126");
	add_row(&t, "port", "san_ysidro", "travelers_processed", "persons", "70000", "69000",
	        "71000");
	add_row(&t, "port", "el_paso", "traveler_wait_p95", "min", "", "", "");
	add_row(&t, "port", "calexico", "traveler_wait_p95", "min", "62", "60", "64");
	add_row(&t, "port", "calexico", "travelers_processed", "persons", "12345.6", "12000",
	        "12700");
	add_row(&t, "port", "laredo", "travelers_processed", "persons", "33000", "32000", "34000");
	add_row(&t, "port", "houston_sea", "containers_processed", "count", "5000", "4900", "5100");
	const struct html_page p = { "run", "national <day>", 1, 10, 42, NULL, &t, NULL, NULL, 0, NULL };
	char *s = page(&p);
	at(s, "<title>national &lt;day&gt; &mdash; bordersim</title>");
	at(s, "<h1>national &lt;day&gt;</h1>");
	at(s, "run &middot; 1 day reported &middot; 10 replications &middot; seed 42");
	/* The headline: national rows, mean and interval, thousands grouped. */
	const char *nat = at(s, "National figures");
	at(nat, "<td>travelers_processed</td><td>persons</td><td class=\"n\">1,076,401</td>"
	        "<td class=\"n\">1,070,000 to 1,082,801</td>");
	at(nat, "<td>traveler_wait_p95</td><td>min</td><td class=\"n\">58.3</td>"
	        "<td class=\"n\">57.5 to 59</td>");
	/* Ports by p95 wait, longest first, the undefined last; the stage table
	 * gives way to them. */
	const char *ports = at(s, "Ports by p95 wait");
	const char *sy = at(ports, "<td>san_ysidro</td>"), *ca = at(ports, "<td>calexico</td>");
	const char *la = at(ports, "<td>laredo</td>"), *ep = at(ports, "<td>el_paso</td>");
	assert_true(sy < ca && ca < la && la < ep);   /* el_paso's wait is undefined */
	at(sy, "<td>san_ysidro</td><td class=\"n\">118</td><td class=\"n\">110 to 126</td>"
	       "<td class=\"n\">70,000</td>");
	at(ca, "<td class=\"n\">12,346</td>");
	at(ports, "<th class=\"n\">travelers</th>");
	assert_null(strstr(ports, "truck p95"));   /* no port has it */
	/* A port with no traveler figure to sort by comes last, with its own. */
	const char *ho = at(ports, "<td>houston_sea</td>");
	assert_true(ep < ho);
	at(ho, "<td class=\"n\"></td><td class=\"n\"></td><td class=\"n\"></td>"
	       "<td class=\"n\">5,000</td>");
	assert_null(strstr(s, "Stages with the longest"));
	assert_null(strstr(s, "Charts"));
	free(s);
	table_release(&t);
}

/* No ports: the stages with the longest p95 waits, at most HTML_TOP; no
 * national rows: no headline. */
static void stages_when_no_ports(void **state)
{
	struct table t = { 0 };
	summary_head(&t);
	for (int i = 0; i < 20; i++) {
		char name[32], v[32];
		snprintf(name, sizeof name, "st%02d", i);
		snprintf(v, sizeof v, "%d", (i * 7) % 20);
		add_row(&t, "stage", name, "wait_p95", "min", v, "", "");
		add_row(&t, "stage", name, "utilization", "fraction", "0.5", "0.4", "0.6");
	}
	const struct html_page p = { "run", "s", NAN, 1, 1, NULL, &t, NULL, NULL, 0, NULL };
	char *s = page(&p);
	assert_null(strstr(s, "National figures"));
	assert_null(strstr(s, "reported"));
	const char *st = at(s, "Stages with the longest p95 waits");
	/* (i * 7) % 20 = 19 at i = 17, 18 at i = 14, 17 at i = 11 */
	const char *a = at(st, "<td>st17</td>"), *b = at(st, "<td>st14</td>");
	const char *c = at(st, "<td>st11</td>");
	assert_true(a < b && b < c);
	size_t rows = 0;
	for (const char *q = strstr(st, "<tr><td>"); q; q = strstr(q + 1, "<tr><td>"))
		rows++;
	assert_int_equal(rows, HTML_TOP);
	at(st, "<th class=\"n\">utilization</th>");
	assert_null(strstr(st, "mean wait"));
	free(s);
	table_release(&t);
}

static void compare_differences(void **state)
{
	struct table t = { 0 };
	table_add(&t, (const char *const[]){ "scope", "name", "metric", "unit", "base_mean",
	                                     "scenario_mean", "diff_mean", "diff_ci95_low",
	                                     "diff_ci95_high", "replications" }, 10);
	static const char *const rows[][10] = {
		{ "national", "all", "traveler_wait_p95", "min", "50", "60", "10", "8", "12", "5" },
		{ "stage", "a", "wait_p95", "min", "10", "11", "1", "-1", "3", "5" },
		{ "stage", "b", "wait_p95", "min", "10", "30", "20", "15", "25", "5" },
		{ "stage", "c<&>", "served", "count", "1000", "900", "-100", "-120", "-80", "5" },
	};
	for (size_t i = 0; i < NELEM(rows); i++)
		table_add(&t, rows[i], 10);
	const struct html_page p = { "compare", "x vs y", 2, 5, 7, NULL, NULL, &t, NULL, 0, NULL };
	char *s = page(&p);
	const char *nat = at(s, "National figures: scenario against base");
	at(nat, "<td>traveler_wait_p95</td><td>min</td><td class=\"n\">50</td>"
	        "<td class=\"n\">60</td><td class=\"n\">10</td><td class=\"n\">8 to 12</td>");
	const char *d = at(s, "Largest differences whose 95% interval excludes 0");
	const char *b = at(d, "<td>b</td>"), *c = at(d, "<td>c&lt;&amp;&gt;</td>");
	assert_true(b < c);   /* +200% before -10% */
	assert_null(strstr(d, "<td>a</td>"));   /* its interval holds 0 */
	free(s);
	table_release(&t);
}

/* Charts are inlined without their XML declaration, captions escaped. */
static void charts_inlined(void **state)
{
	static const char svg[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\">"
		"<path d=\"M0 0L10 10\"/></svg>\n";
	struct html_chart c[2] = { { "one & two", NULL, 0 }, { "second", NULL, 0 } };
	c[0].svg = xstrdup(svg);
	c[0].len = strlen(svg);
	c[1].svg = xstrdup(svg + strlen("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
	c[1].len = strlen(c[1].svg);
	const struct html_page p = { "sweep", "s", NAN, 3, 1, "3 points over k", NULL, NULL, c, 2,
		                     NULL };
	char *s = page(&p);
	assert_null(strstr(s, "<?xml"));
	const char *ch = at(s, "<h2>Charts</h2>");
	const char *f1 = at(ch, "<figure class=\"chart\">\n<svg xmlns");
	const char *cap = at(f1, "<figcaption>one &amp; two</figcaption>");
	at(cap, "<figcaption>second</figcaption>");
	at(s, "<p class=\"facts\">3 points over k</p>");
	at(s, "@media print");
	html_chart_release(&c[0]);
	html_chart_release(&c[1]);
	free(s);
}

static int write_text(FILE *f, const void *ctx)
{
	fputs(ctx, f);
	return ferror(f) ? -1 : 0;
}

static int write_fails(FILE *f, const void *ctx)
{
	errno = ENOSPC;
	return -1;
}

static void chart_render(void **state)
{
	struct html_chart c;
	assert_int_equal(html_chart_render(&c, "cap", write_text, "<svg/>"), 0);
	assert_int_equal(c.len, 6);
	assert_memory_equal(c.svg, "<svg/>", 6);
	html_chart_release(&c);
	assert_int_equal(html_chart_render(&c, "cap", write_fails, NULL), -1);
	html_chart_release(&c);
	FILE *f = fopen("/dev/full", "w");
	assert_non_null(f);
	const struct html_page p = { "run", "s", 1, 1, 1, NULL, NULL, NULL, NULL, 0, NULL };
	errno = 0;
	assert_int_equal(html_write(f, &p), -1);
	assert_int_equal(errno, ENOSPC);
	fclose(f);
}

/* A run's targets: the table as given, a row a target, its text escaped. */
static void targets_panel(void **state)
{
	struct table t = { 0 };
	const char *head[] = { "target", "metric", "limit min", "stages", "hours met",
		               "worst excess min", "at" };
	const char *row[] = { "booths", "wait_p95", "15", "1", "18 / 24", "+41.4",
		              "a<b, hour 11" };
	table_add(&t, head, NELEM(head));
	table_add(&t, row, NELEM(row));
	const struct html_page p = { "run", "s", 1, 1, 1, NULL, NULL, NULL, NULL, 0, &t };
	char *s = page(&p);
	assert_non_null(strstr(s, "<h2>Targets"));
	assert_non_null(strstr(s, "<th class=\"n\">hours met</th>"));
	assert_non_null(strstr(s, "<td>booths</td><td>wait_p95</td><td class=\"n\">15</td>"));
	assert_non_null(strstr(s, "<td class=\"n\">18 / 24</td><td class=\"n\">+41.4</td>"
	                          "<td>a&lt;b, hour 11</td></tr>"));
	free(s);
	const struct html_page none = { "run", "s", 1, 1, 1, NULL, NULL, NULL, NULL, 0, NULL };
	s = page(&none);
	assert_null(strstr(s, "Targets"));
	free(s);
	table_release(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(headline_and_ports),
		cmocka_unit_test(stages_when_no_ports),
		cmocka_unit_test(compare_differences),
		cmocka_unit_test(charts_inlined),
		cmocka_unit_test(chart_render),
		cmocka_unit_test(targets_panel),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
