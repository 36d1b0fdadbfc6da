/* results: what one replication produced — named metrics and hourly rows.
 *
 * The engine appends metrics in a fixed order (the same for every replication
 * of a model), so the report can line replications up index by index. Metric
 * scope, name, metric and unit strings are borrowed: they point into the model
 * or are literals, and must outlive the result. A value of NaN means "not
 * defined in this replication" (a wait mean with nobody served) and is written
 * as an empty cell. */
#ifndef BORDERSIM_RESULTS_H
#define BORDERSIM_RESULTS_H

#include <stddef.h>
#include <stdint.h>

struct metric {
	const char *scope, *name, *metric, *unit;
	double value;
};

struct hour_row {
	unsigned day;        /* reported day, from 1 */
	unsigned hour;       /* clock hour, 0-23 */
	unsigned stage;      /* index into model stages */
	double arrivals, departures, servers;
	double queue_mean, queue_max;
	double wait_mean, wait_p95, utilization;
	double population_mean;  /* waiting or in service, averaged over the interval */
	double turned_away;      /* blocked at capacity or flushed unscreened (not in
	                            hourly.csv; staff's and targets' "met") */
	unsigned elapsed_hour;   /* whole hours since the reported period began */
};

struct results {
	unsigned replication;      /* from 1 */
	uint64_t seed;             /* the scenario seed */
	struct metric *metric;
	size_t nmetric, capmetric;
	struct hour_row *hour;
	size_t nhour, caphour;
	uint64_t events;           /* events dispatched */
	uint64_t visits;           /* entity arrivals at stages */
};

void results_init(struct results *r);
void results_release(struct results *r);
void results_add(struct results *r, const char *scope, const char *name, const char *metric,
                 const char *unit, double value);
struct hour_row *results_add_hour(struct results *r);

/* The range a metric of this unit can take, for bounding its intervals:
 * [0, 1] for a "fraction" (utilisation, shares), [0, inf) for every other
 * unit (counts, persons, minutes, pounds, dollars: nothing is negative). */
void results_unit_range(const char *unit, double *lo, double *hi);

#endif
