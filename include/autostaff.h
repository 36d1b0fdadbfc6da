/* autostaff: servers = auto, square-root staffing hour by hour.
 *
 * For each clock hour, a stage's offered load a (erlangs) is the visits the
 * traffic equations give at that hour's arrival rates (streams at their
 * profile's rate, surges left out: staffing is planned for the usual day),
 * times the mean service. The hour gets ceil(a + beta sqrt(a)) servers, none
 * when a is 0, then at least min_servers and at most max_servers. The rule
 * stands for a staffing model until servers are staffed to a target. */
#ifndef BORDERSIM_AUTOSTAFF_H
#define BORDERSIM_AUTOSTAFF_H

#include <stddef.h>

struct model;

/* Servers by square-root staffing for one hour's offered load. */
int autostaff_servers(double load, double beta, long min_servers, long max_servers);

/* Each clock hour's offered load of every stage in erlangs, load[h * nstage
 * + i], as a new array; NULL when the traffic equations cannot be solved (a
 * closed loop), naming one of its stages in *stage. */
double *autostaff_loads(const struct model *m, size_t *stage);

/* Sets the servers of every stage with servers = auto. Returns 0, or -1
 * when the traffic equations cannot be solved (a closed loop), naming one of
 * its stages in *stage. */
int autostaff_apply(struct model *m, size_t *stage);

#endif
