/* merge: a shard's manifest (shard.csv) and `bordersim merge`, which checks
 * the shard folders of a sweep and joins them into the whole sweep. */
#ifndef BORDERSIM_MERGE_H
#define BORDERSIM_MERGE_H

#include <stddef.h>

#include "batch.h"
#include "table.h"

/* Appends to t (zeroed or empty) the manifest of shard s once its every point
 * has streamed (batch_sweep_point): what must agree between shards (the
 * scenario's name, the fingerprint of its scenario.ini, replications, seed,
 * N, the grid) and what the shard holds (K, its row count, the fingerprint of
 * its sweep.csv), then an `end` row. t is the caller's to release. */
void merge_manifest(struct table *t, const struct batch_sweep *s);

/* Reads the shard folders dir[0..ndir-1], checks that they are all N shards of
 * one sweep, each once and complete, and streams them into s (initialised by
 * the caller) as the whole sweep, ready for batch_sweep_write. Returns 0,
 * EX_NOINPUT when a file cannot be opened, EX_CANTCREAT when the temporary
 * file cannot be made (batch_sweep_open), or EX_DATAERR naming the folder and
 * what is wrong: shards of different sweeps, a shard missing or given twice,
 * a file malformed, truncated or changed since it was written. */
int merge_run(struct batch_sweep *s, const char *const *dir, size_t ndir, char *err,
              size_t errlen);

#endif
