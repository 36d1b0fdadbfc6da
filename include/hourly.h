/* hourly: which stages' rows hourly.csv holds.
 *
 * hourly.csv has a row a replication, reported hour and stage: a national
 * day of 10 replications is 429,360 rows, a two-week surge millions. So by
 * default it holds every stage unless that would be more than
 * HOURLY_ROWS_MAX rows; then only the stages hourly.svg charts. --hourly
 * says otherwise: "all" (every stage), or names of stages, stage groups,
 * ports and port groups. The choice is about the file only: the model, the
 * results in memory, the charts and scenario.ini are the same whatever it
 * is. */
#ifndef BORDERSIM_HOURLY_H
#define BORDERSIM_HOURLY_H

#include <stddef.h>

#include "model.h"
#include "results.h"

/* The most rows hourly.csv holds by default (docs/outputs.md). */
#define HOURLY_ROWS_MAX 500000

/* What hourly.csv holds, for one run of one model. */
struct hourly_plan {
	double rows;            /* the rows every stage would make */
	int charted;            /* by the rule: the charted stages, chosen once the
	                           results are in (hourly_plan_chart) */
	unsigned char *keep;    /* by stage, 1 for the stages written; NULL: every
	                           stage (or, while charted, not chosen yet) */
	size_t nkeep;           /* stages kept (m->nstage when keep is NULL) */
};

/* Checks --hourly's text before any scenario is read: "all" alone, or names
 * separated by commas or blanks. Returns 0, or EX_USAGE with the message in
 * err for an empty list, an empty name or "all" among names. */
int hourly_check_option(const char *text, char *err, size_t errlen);

/* The rows hourly.csv would hold with every stage of m: replications x the
 * reported intervals of a stage (one a clock hour, split where the warm-up
 * ends) x stages, as the engine makes them. */
double hourly_rows(const struct model *m);

/* Plans hourly.csv for m and --hourly's text (NULL: not given; checked by
 * hourly_check_option). Names are matched as stages, stage groups, ports
 * and port groups (portmap_mark), their stages' rows kept. Returns 0, or
 * EX_DATAERR naming the option and the name, with the nearest name ("--hourly
 * 'primry': no stage, group, port or port group 'primry' in 'two_stage';
 * did you mean 'primary'?"). p needs hourly_plan_release either way. */
int hourly_plan_init(struct hourly_plan *p, const struct model *m, const char *text, char *err,
                     size_t errlen);

/* Once the results are in: a charted plan keeps the stages hourly.svg shows
 * (panels_choose of chart, the --chart list or NULL), or every stage when
 * those are all of them (p->charted is then cleared). */
void hourly_plan_chart(struct hourly_plan *p, const struct model *m, const struct results *rep,
                       size_t nrep, const char *chart);

void hourly_plan_release(struct hourly_plan *p);

#endif
