/* html: report.html, one self-contained page a planner opens or prints.
 *
 * Inline CSS (with @media print for A4 and Letter), the SVG charts inlined,
 * no script, nothing fetched: the page reads the same from a folder copied
 * onto a laptop without a network. It shows what the page's tables hold — the
 * national headline figures (mean and 95% interval), the ports sorted by p95
 * wait where summary rows of scope port exist, otherwise the stages with the
 * longest p95 waits; for a compare, the largest differences whose interval
 * excludes 0 — and the charts. Every text from users is escaped. */
#ifndef BORDERSIM_HTML_H
#define BORDERSIM_HTML_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "table.h"

/* The rows shown in the stage and difference tables, at most. */
#define HTML_TOP 12

/* A chart to inline: an SVG document's bytes (its XML declaration, if any,
 * is dropped) and a caption. */
struct html_chart {
	const char *caption;
	char *svg;
	size_t len;
};

/* Renders a chart into c (caption borrowed): write (an outdir_file writer,
 * e.g. one calling chart_hourly) called with a memory stream and ctx.
 * Returns 0, or -1 (errno set) when write fails or memory runs out. c needs
 * html_chart_release either way. */
int html_chart_render(struct html_chart *c, const char *caption,
                      int (*write)(FILE *f, const void *ctx), const void *ctx);
void html_chart_release(struct html_chart *c);

/* What a page shows; the tables are borrowed. */
struct html_page {
	const char *command;            /* "run", "compare", "sweep" */
	const char *name;               /* the scenario's ("SCENARIO vs BASE" for compare) */
	double days;                    /* reported days; NaN: not shown */
	unsigned replications;
	uint64_t seed;
	const char *note;               /* a line under the facts (a sweep's grid); NULL: none */
	/* summary.csv as written: its header row first (lead columns of a sweep
	 * are not expected). NULL or empty: no headline, port or stage tables. */
	const struct table *summary;
	/* compare.csv as written, header first; NULL: none. */
	const struct table *compare;
	const struct html_chart *chart;
	size_t nchart;
	/* a run's targets table (targetmet.h), header first; NULL: none */
	const struct table *targets;
};

/* Writes the page to f (the caller's: flushed, not closed). Returns 0, or -1
 * on a write error (errno set). */
int html_write(FILE *f, const struct html_page *p);

/* An outdir_file writer for a const struct html_page *. */
int html_write_file(FILE *f, const void *page);

#endif
