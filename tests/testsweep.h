/* testsweep: a synthetic sweep streamed point by point without running a
 * model, for the tests of batch and merge. Include after <cmocka.h>. */
#ifndef BORDERSIM_TESTSWEEP_H
#define BORDERSIM_TESTSWEEP_H

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "batch.h"
#include "report.h"
#include "util.h"

#define NSTAGE 8

/* Stage st's mean queue at point i: the busiest order at every point is
 * s3, s6, s1, s4, s7, s2, s5, s0 (st * 5 % 8 = 0 5 2 7 4 1 6 3), except that
 * s5's is undefined and so counts as the least busy. */
static inline double queue_of(unsigned st, size_t i)
{
	return st == 5 ? NAN : (double)(st * 5 % NSTAGE) + 0.5 * (double)i;
}

static inline void add_metric(struct table *t, const char *lead, const char *scope,
                       const char *name, const char *metric, const char *unit, double mean)
{
	char num[4][32];
	table_format_number(num[0], 32, mean);
	table_format_number(num[1], 32, 0.5);
	table_format_number(num[2], 32, mean - 0.25);
	table_format_number(num[3], 32, mean + 1.0 / 3.0);
	const char *row[] = { lead, "syn", scope, name, metric, unit, num[0], num[1], num[2],
		              num[3], num[0], num[0], "5", "1" };
	table_add(t, row, sizeof row / sizeof row[0]);
}

/* Point i's rows streamed as point j of s. */
static inline void add_point(struct batch_sweep *s, size_t j, size_t i, int national)
{
	struct table t = { 0 };
	const char *lead = batch_grid_value(&s->grid, i, 0);
	for (unsigned st = 0; st < NSTAGE; st++) {
		char name[16];
		snprintf(name, sizeof name, st == 2 ? "s%u,x" : "s%u", st);
		add_metric(&t, lead, "stage", name, "queue_mean", "count", queue_of(st, i));
		add_metric(&t, lead, "stage", name, "wait_p95", "min", 10.0 * st + (double)i / 3);
		add_metric(&t, lead, "stage", name, "utilization", "fraction", 0.1 * st);
	}
	if (national) {
		add_metric(&t, lead, "national", "all", "travelers_processed", "count", 1e6 + (double)i);
		add_metric(&t, lead, "national", "all", "custody_peak", "count", 100.0 * (double)i);
	}
	batch_sweep_point(s, j, &t);
}

/* A sweep of npoint points over stage.a.servers=FIRST..; shard k of n (0, 0
 * for the whole). */
static inline void make_sweep(struct batch_sweep *s, const char *arg, unsigned k, unsigned n,
                       int national)
{
	char err[256];
	batch_sweep_init(s);
	if (batch_grid_add(&s->grid, arg, err, sizeof err) != 0)
		fail_msg("%s", err);
	s->name = xstrdup("syn");
	s->ini.text = xstrdup("; effective scenario\n\n[scenario]\nname = syn\nseed = 7\n");
	s->ini.len = strlen(s->ini.text);
	s->replications = 5;
	s->seed = 7;
	s->shard_k = k;
	s->shard_n = n;
	if (batch_sweep_open(s, err, sizeof err) != 0)
		fail_msg("%s", err);
	for (size_t i = 0, j = 0; i < s->grid.npoint; i++)
		if (batch_shard_has(k, n, i))
			add_point(s, j++, i, national);
}

#endif
