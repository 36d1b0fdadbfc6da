/* targetmet: how a run's waits stand against its targets (target.h), by
 * targeted stage and clock hour: the measure `bordersim staff` staffs to,
 * and the targets table and targets.csv of `bordersim run` (docs/staffing.md,
 * "What met means" and "Targets in a run").
 *
 * An hour's wait_mean is, in each replication, the hour's mean wait over the
 * reported days, each day weighted by its departures; its wait_p95 and
 * utilization the mean of the days' values; each then the mean over the
 * replications. An hour in which arrivals came and no service started (none
 * staffed, or every server busy all hour; not a closure's hour) in some
 * replication and day misses, whatever its limit. */
#ifndef BORDERSIM_TARGETMET_H
#define BORDERSIM_TARGETMET_H

#include <stddef.h>
#include <stdio.h>

#include "model.h"
#include "target.h"

struct results;
struct table;

/* One targeted stage's clock hour. */
struct targetmet_hour {
	double wait_mean, wait_p95;  /* minutes; NaN when no service started in it */
	double utilization;          /* NaN when no server was on duty */
	int starved;                 /* arrivals and no service start, some day */
	int turned;                  /* some turned away (blocked at capacity or
	                                flushed unscreened), some day */
};

/* Measures the hours of every stage with a target in t from the replications
 * res[0..nrep-1] of m into out (by stage; other stages' rows untouched). */
void targetmet_measure(const struct model *m, const struct target_set *t,
                       const struct results *res, size_t nrep,
                       struct targetmet_hour (*out)[MODEL_HOURS]);

/* How far the hour's metric exceeds limit (minutes): HUGE_VAL when starved
 * or some were turned away (a queue kept short by turning people away, or
 * waving them through unscreened, does not meet a wait target),
 * -HUGE_VAL when the metric has no value or there is no limit (NaN). */
double targetmet_excess(const struct targetmet_hour *o, int metric, double limit);

/* The most any of stage i's targeted metrics exceeds its hour-h limit by. */
double targetmet_stage_excess(const struct target_set *t, size_t i, int h,
                              const struct targetmet_hour *o);

/* Whether an excess is within the limit (a rounding's tolerance). */
int targetmet_within(double excess);

/* A run measured against its targets (all borrowed). */
struct targetmet_run {
	const struct model *m;
	const struct target_set *t;
	struct targetmet_hour (*hour)[MODEL_HOURS];   /* by stage, the caller's */
};

/* An outdir_file writer (ctx a const struct targetmet_run *): targets.csv,
 * a row per targeted stage, clock hour and targeted metric. */
int targetmet_write_csv(FILE *f, const void *ctx);

/* The targets table: its header, then a row per target (t->def): metric,
 * limit, stages, its stage-hours met of those with traffic and its worst
 * excess, with stage and hour. Appended to t; on f with a title line. */
void targetmet_rows(const struct targetmet_run *r, struct table *t);
void targetmet_print(FILE *f, const struct targetmet_run *r);

/* compare's table of both sides' targets (side[0] BASE, side[1] SCENARIO;
 * either may have none), a row a target name: metric and limit as BASE has
 * them (else SCENARIO), each side's hours met and worst excess, "-" for a
 * side without the target. */
void targetmet_print_compare(FILE *f, const struct targetmet_run *side);

#endif
