/* chart: self-contained SVG charts — a run's hours and a sweep's points.
 *
 * Plain SVG 1.1 with inline styles, no scripts and no external files, so a
 * chart opens in any browser. Values plotted are exactly those written to the
 * CSV files (the same replication means), so a test can check one against the
 * other. Each function writes one whole document to f and returns 0, or -1 on
 * a write error (errno set). */
#ifndef BORDERSIM_CHART_H
#define BORDERSIM_CHART_H

#include <stddef.h>
#include <stdio.h>

#include "model.h"
#include "results.h"

/* hourly.svg: for each stage (the busiest ones, by mean queue, when there are
 * more than fit), the queue length and the p95 wait by reported hour — the
 * mean over replications of hourly.csv's queue_mean and wait_p95 — with the
 * model's windows (surges, closures) shaded, axes labelled with units and a
 * legend. */
int chart_hourly(FILE *f, const struct model *m, const struct results *rep, size_t nrep);

/* One plotted metric of a sweep: its values at each point, with the 95%
 * interval (lo, hi may be NULL). */
struct chart_series {
	const char *name;     /* e.g. "stage primary wait_p95" */
	const char *unit;     /* e.g. "min" */
	const double *mean, *lo, *hi;
};

/* sweep.svg: each series against the varied key (one panel per series, x =
 * the key's values), with 95% interval bars. */
int chart_sweep(FILE *f, const char *scenario, const char *key, size_t npoint, const double *x,
                size_t nseries, const struct chart_series *series);

#endif
