/* target: what `bordersim staff` staffs to, and what `bordersim run` measures
 * its waits against — the [target.NAME] sections of a scenario and the
 * --target KIND.NAME.METRIC=LIMIT arguments, as a limit per stage and metric.
 *
 * A target names stages (stages, groups, ports, port_groups as a closure
 * does), a metric (wait_mean, wait_p95) and a limit (minutes). Where several
 * targets name one stage with one metric, the smaller limit holds; a stage
 * with both metrics must meet both. A limit is one duration, or 24, one a
 * clock hour (the smaller holds hour by hour). Stages with servers = unlimited are left
 * out (nothing to staff). */
#ifndef BORDERSIM_TARGET_H
#define BORDERSIM_TARGET_H

#include <stddef.h>

struct model;
struct scenario;

enum target_metric { TARGET_WAIT_MEAN, TARGET_WAIT_P95, TARGET_NMETRIC };

/* A limit may differ by clock hour (model.h's MODEL_HOURS). */
#define TARGET_HOURS 24

/* One [target.NAME] section or --target argument, as read. */
struct target_def {
	char *name;                        /* NAME, or option_K for a --target */
	int metric;                        /* enum target_metric */
	double limit[TARGET_HOURS];        /* minutes, by clock hour */
	size_t *stage, nstage;             /* the stages it limits (not unlimited), in
	                                      model order */
};

struct target_set {
	size_t nstage;
	/* by stage, metric and clock hour: minutes, or NaN for none (a stage
	 * with a metric's target has a limit in every hour) */
	double (*limit)[TARGET_NMETRIC][TARGET_HOURS];
	char *ini;                         /* the --target arguments as [target.NAME]
	                                      sections, for staffing.ini; "" when none */
	struct target_def *def;            /* the sections, then the arguments */
	size_t ndef;
};

/* The metric's name as staffing.csv and the keys write it. */
const char *target_metric_name(enum target_metric k);

/* Reads the targets of sc (compiled into m) and the ncli --target arguments
 * into t. Returns 0; EX_USAGE for an argument not of the form
 * KIND.NAME.METRIC=LIMIT; EX_DATAERR for an unknown stage, group, port or
 * metric, a bad limit (the nearest name suggested), a target with no stage
 * to staff, a targeted stage that a [staffing.NAME] section also scales, or
 * no target at all. The message names FILE:LINE and the key, or the
 * argument. t needs target_release either way. */
int target_read(struct target_set *t, struct model *m, const struct scenario *sc,
                const char *const *cli, size_t ncli, char *err, size_t errlen);

/* target_read for run (and the charts): the scenario's sections only, and
 * none of a scenario without targets, a target of unlimited stages only
 * (nothing to staff, nothing to measure: its nstage is 0) and a targeted
 * stage that a [staffing.NAME] section scales is refused (a run measures
 * the staffing it is given: a shortfall scales the targeted stages on
 * purpose). t->ndef is 0 when there are none. */
int target_read_run(struct target_set *t, struct model *m, const struct scenario *sc,
                    char *err, size_t errlen);

/* Whether stage i has a target. */
int target_has(const struct target_set *t, size_t i);
/* Stage i's limit of the metric in clock hour h (minutes), NaN for none. */
double target_limit(const struct target_set *t, size_t i, int metric, int h);
/* Stage i's limit of the metric if it is the same in every hour, else NaN. */
double target_limit_flat(const struct target_set *t, size_t i, int metric);

void target_release(struct target_set *t);

#endif
