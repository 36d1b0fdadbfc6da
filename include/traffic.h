/* traffic: the traffic equations of a model's routing network.
 *
 * What the model compiler needs to know of the routes as a whole, before a
 * run: the expected visits to each stage, the run's expected events (checked
 * against the event budget), and that every stage can reach exit. Each reads
 * the model only; arrays are the caller's. */
#ifndef BORDERSIM_TRAFFIC_H
#define BORDERSIM_TRAFFIC_H

#include <stddef.h>

struct model;

/* Expected visits to each stage a day into v (nstage values): the traffic
 * equations v = a + v P, a the streams' arrivals a day (surges at their
 * height), P the routing probabilities. Solved exactly, in time linear in
 * stages and routes: stages in route order, each routing loop at once by LU
 * decomposition, a loop of more than 1,500 stages by pushing visits round it
 * until what is unsettled is below 1e-13 of what flows in. Stages that nothing reaches get 0.
 * Solving may stop once the visits a day pass cap. Returns 0; 1 when they
 * passed cap (v then holds lower bounds); -1 when the visits of a loop cannot
 * be computed (it is closed, or too nearly so), naming one of its stages in
 * *stage. */
int traffic_visits(const struct model *m, double cap, double *v, size_t *stage);

/* The visits to each stage at each clock hour's rate, as visits a day, into
 * v[h * nstage + i] (MODEL_HOURS x nstage values): traffic_visits with each
 * stream's arrivals at its profile's rate for the hour, without surges, a
 * group's members moved into the hours their spread takes them to. Returns
 * as traffic_visits. */
int traffic_hours(const struct model *m, double *v, size_t *stage);

/* The run's expected events into *events: an arrival and a departure for
 * each visit of each day of each replication, visits from traffic_visits
 * (capped at m->max_events). Surges count at their height, so the estimate
 * errs high. Returns what traffic_visits returns, with the stage it names in
 * *stage. */
int traffic_events(const struct model *m, double *events, size_t *stage);

/* Whether every stage can reach exit along routes of positive probability:
 * 0, or -1 with the first stage that cannot in *stage. */
int traffic_exits(const struct model *m, size_t *stage);

#endif
