/* batch: sweeps, shards and comparisons — the grid of `--vary`, the selection
 * of `--shard`, sweep.csv streamed point by point, sweep.svg's choice of
 * series, and the paired differences of `compare` (merge.h joins shards).
 *
 * Everything a sweep writes — sweep.csv, sweep.svg, a shard's manifest — is
 * computed from the strings of sweep.csv's rows as they stream out, so a
 * merge, which streams the shards' rows read back, writes the very bytes an
 * unsharded sweep writes. */
#ifndef BORDERSIM_BATCH_H
#define BORDERSIM_BATCH_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

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

/* Appends a value (owned by the axis from now on); the array doubles whenever
 * its length reaches a power of two, so a range of a million values is not a
 * million reallocations. */
void batch_axis_push(struct batch_axis *a, char *value);

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

/* The name of a shard's manifest (merge.h builds and reads it). */
#define BATCH_MANIFEST "shard.csv"

struct batch_stream;

/* A sweep as it is written. Its sweep.csv streams out point by point into
 * an unlinked temporary file, so memory does not grow with the points: only
 * points finished before the one due next are held, and of the rest only
 * the few numbers sweep.svg draws (mean, lo, hi of at most a dozen series). */
struct batch_sweep {
	char *name;                 /* scenario.name of the base scenario */
	struct batch_grid grid;
	struct outdir_text ini;     /* the base effective scenario.ini */
	unsigned replications;      /* of the base scenario */
	uint64_t seed;
	unsigned shard_k, shard_n;  /* 0, 0 for the whole grid */
	struct table table;  /* sweep.csv read back (a merge's shard); else empty */
	struct batch_stream *stream;    /* from batch_sweep_open; owned */
	size_t nrow;                /* data rows streamed */
	uint64_t csv_hash;          /* batch_hash of the bytes streamed, header included */
};

void batch_sweep_init(struct batch_sweep *s);
void batch_sweep_release(struct batch_sweep *s);

/* Starts sweep.csv (grid, shard and name set): creates the temporary file
 * with mkstemp in $TMPDIR (else /tmp) and unlinks it at once, so nothing is
 * left behind whatever ends the program, and writes the header — the varied
 * keys, then summary.csv's columns. Returns 0 or EX_CANTCREAT naming the
 * folder. */
int batch_sweep_open(struct batch_sweep *s, char *err, size_t errlen);

/* Point j of the points this sweep runs (its shard's, or all; counted from
 * 0 in grid order) is finished with these rows (summary.csv's, each after
 * the point's values); rows is left empty. Points may come in any order and
 * from several threads at once: each is formatted and streamed out as soon
 * as every point before it is. A write error is kept for batch_sweep_write. */
void batch_sweep_point(struct batch_sweep *s, size_t j, struct table *rows);

/* An outdir_file writer: the bytes of sweep.csv streamed so far (ctx a
 * const struct batch_sweep *). */
int batch_sweep_csv(FILE *f, const void *sweep);

/* Writes the folder once every point is in: sweep.csv and scenario.ini; for
 * a shard also manifest (merge_manifest's table, required then and only
 * then), for a whole sweep over one numeric key sweep.svg; the folder is of
 * outdir_kind_sweep, and that kind's files not written now (a shard's
 * manifest after a whole sweep) are removed. As outdir_write: 0,
 * OUTDIR_STOPPED or EX_CANTCREAT (also when the temporary file could not be
 * written); EX_SOFTWARE when points are missing. */
int batch_sweep_write(const char *dir, const struct batch_sweep *s,
                      const struct table *manifest, const volatile sig_atomic_t *stop,
                      char *err, size_t errlen);

/* sweep.svg's series, gathered as the points stream: every `national` metric
 * of the first point when it has one, else wait_p95 and utilization of the
 * stages (at most 6, the busiest by mean queue at the middle point, busiest
 * first). The values are sweep.csv's strings read back, so a merged sweep
 * plots the same numbers. */
struct batch_chart {
	size_t npoint, nseries;
	double *x;                        /* the key's values */
	struct chart_series *series;      /* values borrowed from the sweep */
	char **names;                     /* owned names of the series */
};

/* Fills c and returns 1 when s gets a chart (a whole sweep with every point
 * streamed, one key, numeric values, at least one series); else returns 0.
 * c needs batch_chart_release either way and lives no longer than s. */
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
