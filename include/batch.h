/* batch: sweeps, shards and comparisons — the grid of `--vary`, the selection
 * and manifest of `--shard`, `merge`, sweep.svg's choice of series, and the
 * paired differences of `compare`.
 *
 * A sweep's output is held as one table of strings (sweep.csv, header first),
 * and everything written from it — sweep.csv, sweep.svg, a shard's manifest —
 * is computed from those strings. A merge reads the shards' tables back and
 * joins them, so it writes the very bytes an unsharded sweep writes. */
#ifndef BORDERSIM_BATCH_H
#define BORDERSIM_BATCH_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "chart.h"
#include "outdir.h"
#include "results.h"
#include "table.h"

/* ---- the grid ---- */

/* One varied key and its values, formatted as they are written to the
 * scenario and to sweep.csv. */
struct batch_axis {
	char *key;          /* "stage.primary.servers" */
	char *arg;          /* the --vary argument as typed, for messages */
	char **value;
	size_t nvalue;
};

/* Every point of the axes' product; point i counts with the last axis fastest
 * (the first --vary varies slowest). */
struct batch_grid {
	struct batch_axis *axis;
	size_t naxis, npoint;
};

#define BATCH_MAX_POINTS 1000000

void batch_grid_init(struct batch_grid *g);
void batch_grid_release(struct batch_grid *g);

/* Parses a --vary argument, KEY=VALUES, and adds it as the next axis. VALUES
 * is a comma list (commas inside parentheses do not split: "gamma(1min,0.5)")
 * or START:STOP:STEP, numbers, both ends included, STOP a whole number of
 * steps from START; range values are written with %.10g. Returns 0, or
 * EX_USAGE with a message quoting the argument: no '=', no values, an empty
 * or repeated value, a bad range, a key varied twice, more than
 * BATCH_MAX_POINTS points. Keys and values are checked against the scenario
 * later, when each point is made. */
int batch_grid_add(struct batch_grid *g, const char *arg, char *err, size_t errlen);

/* The value of axis a at point i (borrowed from the grid). */
const char *batch_grid_value(const struct batch_grid *g, size_t i, size_t a);

/* ---- shards ---- */

/* Parses "K/N" (1 <= K <= N <= BATCH_MAX_POINTS, digits only). Returns 0 or
 * EX_USAGE with a message quoting the text. */
int batch_shard_parse(const char *text, unsigned *k, unsigned *n, char *err, size_t errlen);

/* Whether shard K of N runs point i: i % N == K - 1. N == 0 means no shards:
 * every point. */
int batch_shard_has(unsigned k, unsigned n, size_t i);

/* 64-bit FNV-1a: the fingerprint of a shard's scenario.ini and sweep.csv. */
uint64_t batch_hash(const void *data, size_t len);

/* ---- a sweep's output ---- */

struct batch_sweep {
	char *name;                 /* scenario.name of the base scenario */
	struct batch_grid grid;
	struct outdir_text ini;     /* the base effective scenario.ini */
	unsigned replications;      /* of the base scenario */
	uint64_t seed;
	unsigned shard_k, shard_n;  /* 0, 0 for the whole grid */
	struct table table;         /* sweep.csv: header, then rows in grid order */
};

void batch_sweep_init(struct batch_sweep *s);
void batch_sweep_release(struct batch_sweep *s);

/* Appends sweep.csv's header to s->table: the varied keys, then summary.csv's
 * columns. */
void batch_sweep_head(struct batch_sweep *s);

/* Writes the folder: sweep.csv and scenario.ini; for a shard also the
 * manifest shard.csv, for a whole sweep over one numeric key sweep.svg; the
 * folder is of outdir_kind_sweep, and that kind's files not written now (a
 * shard's manifest after a whole sweep) are removed. As outdir_write:
 * 0, OUTDIR_STOPPED or EX_CANTCREAT. */
int batch_sweep_write(const char *dir, const struct batch_sweep *s,
                      const volatile sig_atomic_t *stop, char *err, size_t errlen);

/* Reads the shard folders dir[0..ndir-1], checks that they are all N shards of
 * one sweep, each once and complete, and joins them into s (initialised by
 * the caller) as the whole sweep. Returns 0, EX_NOINPUT when a file cannot be
 * opened, or EX_DATAERR naming the folder and what is wrong: shards of
 * different sweeps, a shard missing or given twice, a file malformed,
 * truncated or changed since it was written. */
int batch_merge(struct batch_sweep *s, const char *const *dir, size_t ndir, char *err,
                size_t errlen);

/* sweep.svg's series, read from a whole sweep's table: every `national`
 * metric when there is one, else wait_p95 and utilization of the stages (at
 * most 6, the busiest by mean queue at the middle point, busiest first). The
 * values are the table's strings read back, so a merged sweep plots the same
 * numbers. */
struct batch_chart {
	size_t npoint, nseries;
	double *x;                        /* the key's values */
	struct chart_series *series;
	char **names;                     /* owned names of the series */
	double *values;                   /* mean, lo, hi of every series */
};

/* Fills c and returns 1 when s gets a chart (a whole sweep, one key, numeric
 * values, at least one series); else returns 0. c needs batch_chart_release
 * either way. */
int batch_chart_build(struct batch_chart *c, const struct batch_sweep *s);
void batch_chart_release(struct batch_chart *c);

/* ---- compare ---- */

#define BATCH_COMPARE_NCOL 10
extern const char *const batch_compare_head[BATCH_COMPARE_NCOL];

/* Appends compare.csv's header and one row per metric of base that scen also
 * has (same scope, name and metric), in base's order. base[r] and scen[r] are
 * replication r + 1 of each; pairs where either value is undefined are left
 * out, and the means, the difference scen - base and its Student-t 95%
 * interval are over the pairs left. */
void batch_compare_rows(struct table *t, const struct results *base,
                        const struct results *scen, size_t nrep);

#endif
