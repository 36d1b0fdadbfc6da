/* headline: a command's key results as plain text for the terminal, and the
 * warnings about a run that finished but should not be trusted as it stands.
 *
 * run, compare and sweep print these on stdout (unless -q): the national
 * figures where the scenario has them, else the stages with the longest p95
 * waits; compare's largest differences whose interval excludes 0; a sweep's
 * key figures, one line a point. Numbers are written for reading, not for
 * scripts (those read the CSV files): thousands separated, three significant
 * digits below 100. Nothing here is kept; the results, model and tables are
 * the caller's. */
#ifndef BORDERSIM_HEADLINE_H
#define BORDERSIM_HEADLINE_H

#include <stddef.h>
#include <stdio.h>

#include "model.h"
#include "results.h"
#include "table.h"

/* How many stages the table of a scenario without national figures shows,
 * and how many differences compare shows at most. */
#define HEADLINE_STAGES 10
#define HEADLINE_DIFFS 12

/* v for reading: "1,079,552" (integral part grouped by thousands, from 100
 * on rounded to a whole number), "12.3", "0.934", "-" for NaN. buf of at
 * least 40 bytes. */
void headline_number(char *buf, size_t len, double v);

/* Writes t's rows as columns two spaces apart, each as wide as its widest
 * cell (the last unpadded), and releases t: the tables above, and others'
 * (the targets of a run, targetmet.h). */
void headline_aligned(FILE *f, struct table *t);

/* The table of a run of m: its national figures, each mean with its 95%
 * interval (bounded as summary.csv's), or when m has none the stages with the
 * longest mean p95 waits. */
void headline_run(FILE *f, const struct model *m, const struct results *rep, size_t nrep);

/* compare.csv's rows (t, its header first) as the differences whose 95%
 * interval excludes 0, the largest relative to the base first. */
void headline_compare(FILE *f, const struct table *t, const char *base, const char *scenario);

/* One line for a sweep point: its varied values (point, "KEY=VALUE, ...")
 * and, from its summary rows (rows, after nlead lead columns), the national
 * traveler waits when there are national rows, else the stage with the
 * longest mean p95 wait. Returns an allocated line ending in '\n'. */
char *headline_sweep_line(const char *point, const struct table *rows, size_t nlead);

/* Writes "bordersim: warning: ..." lines to f: each stage that ends the
 * horizon overloaded (on average over the replications more entities wait at
 * its end than it serves in an average hour), and each surge or closure
 * window that lies wholly or partly outside the simulated time. Returns the
 * number of warnings. */
size_t headline_warnings(FILE *f, const struct model *m, const struct results *rep, size_t nrep);

#endif
