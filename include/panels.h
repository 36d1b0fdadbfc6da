/* panels: which stages a run's hourly chart shows.
 *
 * Either the user's --chart list (stage names, group names standing for their
 * stages, port names standing for the stages named "PORT/...") or, by
 * default, the stages a planner looks at first: the longest p95 waits of the
 * run, then the custody stages. */
#ifndef BORDERSIM_PANELS_H
#define BORDERSIM_PANELS_H

#include <stddef.h>

#include "model.h"
#include "results.h"

/* The panels drawn by default, and the most drawn from a --chart list. */
#define PANELS_DEFAULT 6
#define PANELS_MAX 24
/* Of the default panels, this many are kept for custody stages (when the
 * model has them). */
#define PANELS_CUSTODY 2

/* Checks a --chart list against m: each comma-separated name (blanks around
 * it ignored) a stage, a group, or a port (the "PORT/" of some stage's
 * name). Returns 0, or EX_DATAERR with a message naming the list and the
 * name, and the nearest stage or group when one is near ("--chart 'primry':
 * no stage, group or port 'primry' in 'two_stage'; did you mean
 * 'primary'?"); an empty name or list is refused the same way. */
int panels_check(const struct model *m, const char *list, char *err, size_t errlen);

/* Fills stage[] (room for PANELS_MAX) with the stages to draw, in the order
 * drawn, and returns how many. list NULL or "": the default — every stage in
 * model order when there are at most PANELS_DEFAULT; else the custody
 * stages (up to PANELS_CUSTODY of them, whatever their waits) and the other
 * stages with the longest p95 waits (the run's wait_p95 metric, mean over the
 * replications defining it), PANELS_DEFAULT in all, longest wait first (ties
 * to the earlier stage, a stage that served nobody last). A list: the stages its names match, in the order
 * of the names (a group's or port's in model order), each once, at most
 * PANELS_MAX; *matched (when not NULL) is set to how many matched before
 * that cap. Unknown names match nothing. */
size_t panels_choose(const struct model *m, const struct results *rep, size_t nrep,
                     const char *list, size_t *stage, size_t *matched);

#endif
