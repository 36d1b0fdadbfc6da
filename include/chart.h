/* chart: self-contained SVG charts — a run's hours and a sweep's points.
 *
 * Plain SVG 1.1 with inline styles, no scripts and no external files, so a
 * chart opens in any browser. Values plotted are exactly those written to the
 * CSV files (the same replication means), so a test can check one against the
 * other. Each function writes one whole document to f and returns 0, or -1 on
 * a write error (errno set). f is the caller's: flushed, not closed.
 *
 * Each plotted point is a <circle> carrying its data as the CSV files write
 * numbers (table_format_number): in hourly.svg data-stage, data-series
 * ("queue_mean" or "wait_p95"), data-day (from 1), data-hour (0-23), data-n
 * (replications that defined it) and data-value; in sweep.svg data-series,
 * data-x, data-value, data-lo and data-hi ("" when undefined). A window is a
 * <rect class="window"> per panel with data-start and data-end, in hours,
 * clipped to the plotted hours; a target a <line class="target"> with
 * data-limit (minutes). Values that are not finite are not plotted:
 * the line breaks there. Names are escaped for XML; bytes that are not UTF-8
 * become U+FFFD. Coordinates are printed "%.2f", so the same input gives the
 * same bytes. */
#ifndef BORDERSIM_CHART_H
#define BORDERSIM_CHART_H

#include <stddef.h>
#include <stdio.h>

#include "model.h"
#include "panels.h"
#include "results.h"

/* How hourly.svg chooses and marks its panels. A zeroed one: the default. */
struct chart_hourly_opts {
	/* --chart: a comma list of stage names, group names (their stages) and
	 * port names (stages named "PORT/..."); NULL or "": the default panels,
	 * the stages with the longest p95 waits (summary.csv's wait_p95 over the
	 * run, mean over replications) and the custody stages. */
	const char *panels;
	/* By stage index, a limit on the p95 wait in minutes drawn as a target
	 * line on the wait axis (NaN: none); NULL: no targets. */
	const double *target;
};

/* hourly.svg: a panel a chosen stage (o, NULL for the default), the queue
 * length and the p95 wait by reported hour — the mean over replications of
 * hourly.csv's queue_mean and wait_p95 — with the model's windows (surges,
 * closures) shaded and labelled so that no two labels overlap, an x axis in
 * days and clock time, the units above the axes, tick labels with thousands
 * separators or SI-short ("5.9M"), target lines where o gives them, and a
 * legend. The panels are panels_choose's; unknown --chart names are passed over
 * (panels_check first). */
int chart_hourly(FILE *f, const struct model *m, const struct results *rep, size_t nrep,
                 const struct chart_hourly_opts *o);

/* One plotted metric of a sweep: its values at each point, with the 95%
 * interval (lo, hi may be NULL). */
struct chart_series {
	const char *name;     /* e.g. "stage primary wait_p95" */
	const char *unit;     /* e.g. "min" */
	const double *mean, *lo, *hi;
};

/* sweep.svg: each series against the varied key (one panel per series, x =
 * the key's values), with 95% interval bars; the panels that vary most
 * across the points first (range over largest magnitude), the series whose
 * means are the same at every point (or nowhere defined) left out and named
 * in a note — unless no series varies: then all are shown, in order. */
int chart_sweep(FILE *f, const char *scenario, const char *key, size_t npoint, const double *x,
                size_t nseries, const struct chart_series *series);

#endif
