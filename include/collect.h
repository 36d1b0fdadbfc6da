/* collect: a replication's statistics into results rows, for the engine.
 *
 * Private to engine.c (through engine_rt.h, the run-time state both share):
 * nothing else calls it. Rows are added to e->out, which the engine's caller
 * owns; nothing here is kept. */
#ifndef BORDERSIM_COLLECT_H
#define BORDERSIM_COLLECT_H

#include "engine_rt.h"

/* Adds the hourly row of stage st for its current interval, which ends at
 * now (after the warm-up, and longer than nothing). */
void collect_hour(struct engine *e, struct stage_rt *st, double now);

/* Adds the rows of a finished replication: every stage, stream and find, and
 * the national figures when the model is national; and the event and visit
 * counts. */
void collect_run(struct engine *e);

#endif
