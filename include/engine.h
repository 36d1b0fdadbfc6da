/* engine: one replication of a model.
 *
 * Streams generate arrivals (non-homogeneous Poisson, rate piecewise constant
 * by clock hour), entities queue at stages (FIFO within priority class, highest
 * class first), are served by hourly-staffed servers and routed on. All state
 * lives in one context made and freed inside engine_run, so replications may
 * run on several threads at once. */
#ifndef BORDERSIM_ENGINE_H
#define BORDERSIM_ENGINE_H

#include "model.h"
#include "results.h"

#include <signal.h>

/* Runs replication rep (from 1) of m into out (which must be initialised).
 * stop, when not NULL, is polled every few thousand events: once it is
 * nonzero the run ends early and returns ENGINE_STOPPED (out is then
 * incomplete and must not be reported). Returns 0, ENGINE_STOPPED, or a
 * sysexits status with a message in err. */
#define ENGINE_STOPPED (-1)
int engine_run(const struct model *m, unsigned rep, struct results *out,
               const volatile sig_atomic_t *stop, char *err, size_t errlen);

/* Calls f with the name of every random purpose a replication of m draws
 * from ("stage.NAME.service", "stream.NAME.arrivals", "find.NAME", ...): one
 * generator each, seeded from (seed, replication, name) (rng.h). */
void engine_purposes(const struct model *m, void (*f)(const char *purpose, void *ctx), void *ctx);

#endif
