/* staff: the fewest servers, clock hour by clock hour (or block by block),
 * that meet each targeted stage's targets (target.h) — `bordersim staff`.
 *
 * The method (docs/staffing.md): start every targeted stage at the fewest
 * servers that carry each hour's offered load (square-root staffing with
 * beta 0, one above the load); simulate the whole scenario, all its
 * replications on its own seed (so every pass differs only by the staffing:
 * common random numbers); give each block that misses its target
 * max(1, ceil(5% of its servers)) more, up to max_servers, and simulate
 * again until every block meets (or max_servers binds); a block whose
 * excess did not shrink by 2% with its last servers (its waits are the
 * queue the block before it left) gives its rise to the block before it.
 * Then, block by block, take one server from every targeted stage at once,
 * simulate, and keep the removal for each stage all of whose blocks that
 * met still meet and none of whose missing blocks got worse by more than
 * 2%, again for those that kept it until none does; repeat the rise and the
 * removal until no removal holds. A block meets when every hour of it does:
 * the hour's metric, the mean over replications and reported days, is
 * within the limit. */
#ifndef BORDERSIM_STAFF_H
#define BORDERSIM_STAFF_H

#include <signal.h>
#include <stddef.h>
#include <stdio.h>

#include "model.h"
#include "target.h"
#include "targetmet.h"

struct progress;
struct results;

/* Passes of rise, and rounds of rise then removal, before staff gives up
 * (the last state is kept and its misses are reported met = no). */
#define STAFF_MAX_RISES 60
#define STAFF_MAX_ROUNDS 8

/* The answer, by stage and clock hour. */
struct staff_hour {
	int before, after;          /* servers as compiled, as staffed */
	struct targetmet_hour got;  /* the staffed run's waits (targetmet.h) */
	double excess;              /* the most a metric exceeds its limit by (minutes;
	                               HUGE_VAL: no service started; -HUGE_VAL: no wait) */
	int met;                    /* every targeted metric within its limit */
	int capped;                 /* missed with max_servers servers */
};

struct staff {
	struct model *m;            /* the caller's; its servers end as staffed */
	const struct target_set *t;
	int block;                  /* hours a block: divides 24 */
	unsigned long threads;
	struct progress *pr;        /* may be one that draws nothing */
	struct staff_hour (*hour)[MODEL_HOURS];   /* by stage */
	struct results *res;        /* the staffed run's replications (m->replications) */
	size_t passes;              /* simulations of all the replications */
};

/* Staffs s->m to s->t. Returns 0 (s->hour, s->res and s->passes filled; a
 * block that max_servers or the pass limit leaves missing is met = 0, warned
 * on stderr unless quiet), POOL_STOPPED on a signal, or a run's failure with
 * its message. s needs staff_release either way. */
int staff_solve(struct staff *s, int quiet, char *err, size_t errlen);
void staff_release(struct staff *s);

/* outdir_file writers (ctx a const struct staff *): staffing.csv, and
 * staffing.ini (include = scenario.ini, the --target sections, then every
 * targeted stage's servers). */
int staff_write_csv(FILE *f, const void *ctx);
int staff_write_ini(FILE *f, const void *ctx);

/* Officer-hours a day before and after, for every stage group and port that
 * holds a targeted stage, and in all. */
void staff_print_hours(FILE *f, const struct staff *s);

#endif
