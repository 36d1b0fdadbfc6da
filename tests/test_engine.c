/* test_engine: the engine's mechanisms — staffing by the hour, arrivals by the
 * hour, the warm-up and horizon, capacity, conservation, common random
 * numbers and determinism. Queueing-theory checks are in test_theory.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <unistd.h>

#include "engine.h"
#include "testutil.h"

static void run1(const struct model *m, unsigned rep, struct results *r)
{
	char err[256];
	results_init(r);
	assert_int_equal(engine_run(m, rep, r, NULL, err, sizeof err), 0);
}

/* A saturated stage follows its schedule hour by hour: the servers column is
 * the schedule, every on-duty server is busy (utilisation exactly 1), a closed
 * hour after a closed hour serves nobody, and the departures of an hour match
 * its servers: with fixed 50 s service, s busy servers finish between
 * s * 72 - s and s * 72 + s entities an hour. */
static void test_staffing_schedule(void **state)
{
	static const int sched[MODEL_HOURS] = { 0, 0, 0, 1, 2, 3, 5, 8, 8, 8, 6, 6,
	                                        4, 4, 7, 7, 7, 2, 2, 1, 0, 0, 3, 3 };
	struct model m;
	tu_model(&m, 1, 1, 2, 1, 1, 3);
	tu_stream(&m, 0, "flood", 30000, 0);   /* far more than 8 servers can do */
	tu_stage(&m, 0, "booths", 1, "fixed(50s)");
	memcpy(m.stage[0].servers, sched, sizeof sched);
	struct results r;
	run1(&m, 1, &r);
	assert_int_equal(r.nhour, 48);
	for (size_t i = 0; i < r.nhour; i++) {
		const struct hour_row *h = &r.hour[i];
		int s = sched[h->hour], prev = sched[(h->hour + 23) % 24];
		assert_int_equal(h->hour, i % 24);
		assert_int_equal(h->day, 1 + i / 24);
		assert_true(h->servers == s);
		if (s > 0) {
			assert_true(fabs(h->utilization - 1.0) < 1e-12);
		} else if (prev == 0) {
			assert_true(h->departures == 0);
			assert_true(isnan(h->utilization));
		}
		if (s > 0 && prev <= s) {
			assert_true(h->departures >= 72.0 * s - s);
			assert_true(h->departures <= 72.0 * s + s);
		}
		if (s < prev) {
			/* the excess finish what they hold: at most prev - s more */
			assert_true(h->departures <= 72.0 * s + prev);
		}
	}
	results_release(&r);
	model_release(&m);
}

/* Arrivals by clock hour follow per_day x profile: over D days the mean count
 * of hour h is Poisson with mean per_day w_h, so its average over the days is
 * within 4.5 standard errors sqrt(per_day w_h / D); hours of zero weight get
 * nobody. */
/* The arrivals of r by clock hour, over D days, against expect[h] a day: none
 * where none are expected, else within 4.5 standard errors of a Poisson count
 * of groups of b. */
static void assert_hours(const struct results *r, const double *expect, double D, double b)
{
	double count[MODEL_HOURS] = { 0 };
	for (size_t i = 0; i < r->nhour; i++)
		count[r->hour[i].hour] += r->hour[i].arrivals;
	for (int h = 0; h < MODEL_HOURS; h++) {
		double got = count[h] / D, se = sqrt(b * expect[h] / D);
		if (expect[h] == 0) {
			assert_true(count[h] == 0);
			continue;
		}
		if (fabs(got - expect[h]) > 4.5 * se)
			print_message("hour %d: expected %.3f got %.3f (se %.3f)\n", h, expect[h], got, se);
		assert_true(fabs(got - expect[h]) <= 4.5 * se);
	}
}

static void test_hourly_arrivals_follow_profile(void **state)
{
	static const double w[MODEL_HOURS] = { 0, 0, 1, 1, 2, 4, 8, 12, 10, 6, 5, 5,
	                                       5, 5, 5, 6, 9, 11, 9, 5, 3, 0, 0, 0.5 };
	double total = 0;
	for (int h = 0; h < MODEL_HOURS; h++)
		total += w[h];
	struct model m;
	const double D = 200, per_day = 2400;
	tu_model(&m, 1, 1, D, 0, 1, 11);
	tu_stream(&m, 0, "cars", per_day, 0);
	for (int h = 0; h < MODEL_HOURS; h++)
		m.stream[0].weight[h] = w[h] / total;
	tu_stage(&m, 0, "booths", 50, "exponential(mean=30s)");
	struct results r;
	run1(&m, 1, &r);
	double expect[MODEL_HOURS];
	for (int h = 0; h < MODEL_HOURS; h++)
		expect[h] = per_day * w[h] / total;
	assert_hours(&r, expect, D, 1);
	results_release(&r);
	model_release(&m);
}

/* Groups of 4 follow the hourly profile as single arrivals do, with per_day
 * counting members: the members reaching the stage in hour h are per_day x
 * w_h a day (a compound Poisson count: variance 4 x its mean). With a spread
 * of fixed(30min) every member arrives half an hour after its group, so hour
 * h gets the second half of hour h-1's groups and the first half of its own:
 * per_day x (w_{h-1} + w_h) / 2 (hour 0 from the day before: a day of
 * warm-up). A spread of uniform(0min, 60min) splits them the same way: a
 * member of a group at u minutes into hour h-1 reaches hour h with chance
 * u/60, a half on average (the engine draws a group's uniform delays in order,
 * as partial sums of exponentials: this checks they are uniform). */
static void test_groups_follow_profile(void **state)
{
	static const double w[MODEL_HOURS] = { 0, 0, 1, 1, 2, 4, 8, 12, 10, 6, 5, 5,
	                                       5, 5, 5, 6, 9, 11, 9, 5, 3, 0, 0, 0.5 };
	const int b = 4;
	const double one = 1, D = 200, per_day = 4800;
	double total = 0;
	for (int h = 0; h < MODEL_HOURS; h++)
		total += w[h];
	static const char *const spread[] = { "fixed(0s)", "fixed(30min)", "uniform(0min, 60min)" };
	for (int shift = 0; shift <= 2; shift++) {
		struct model m;
		tu_model(&m, 1, 1, D, 1, 1, 13);
		tu_stream(&m, 0, "flights", per_day, 0);
		for (int h = 0; h < MODEL_HOURS; h++)
			m.stream[0].weight[h] = w[h] / total;
		tu_batch(&m, 1, &b, &one, NULL, 0, spread[shift]);
		tu_stage(&m, 0, "hall", 100000, "fixed(0s)");
		struct results r;
		run1(&m, 1, &r);
		double expect[MODEL_HOURS];
		for (int h = 0; h < MODEL_HOURS; h++)
			expect[h] = per_day * (shift ? (w[(h + 23) % 24] + w[h]) / 2 : w[h]) / total;
		assert_hours(&r, expect, D, b);
		/* whole groups: members are 4 times the groups, to the one */
		assert_true(tu_metric(&r, "stream", "flights", "arrivals") ==
		            b * tu_metric(&r, "stream", "flights", "groups"));
		results_release(&r);
		model_release(&m);
	}
}

/* Changing stage b's service leaves every draw of stage a, and of the stream,
 * unchanged: a's figures are identical to the last bit. */
static void test_common_random_numbers(void **state)
{
	struct model m1, m2;
	for (int k = 0; k < 2; k++) {
		struct model *m = k ? &m2 : &m1;
		tu_model(m, 1, 2, 3, 0.5, 1, 5);
		tu_stream(m, 0, "cars", 3000, 0);
		tu_stage(m, 0, "a", 3, "lognormal(mean=1min, cv=0.8)");
		tu_stage(m, 1, "b", 1, k ? "gamma(mean=4min, cv=2)" : "exponential(mean=3min)");
		route_release(&m->stage[0].next);
		int to[] = { 1, ROUTE_EXIT };
		double p[] = { 0.1, 0.9 };
		tu_route(&m->stage[0].next, 2, to, p);
	}
	struct results r1, r2;
	run1(&m1, 1, &r1);
	run1(&m2, 1, &r2);
	assert_int_equal(r1.nmetric, r2.nmetric);
	int differ_b = 0;
	for (size_t i = 0; i < r1.nmetric; i++) {
		const struct metric *a = &r1.metric[i], *b = &r2.metric[i];
		assert_string_equal(a->name, b->name);
		assert_string_equal(a->metric, b->metric);
		if (!strcmp(a->name, "a") || (!strcmp(a->scope, "stream") &&
		                              !strcmp(a->metric, "arrivals")))
			assert_memory_equal(&a->value, &b->value, sizeof(double));
		else if (!strcmp(a->name, "b") && a->value != b->value)
			differ_b = 1;
	}
	assert_true(differ_b);   /* the change did change b */
	results_release(&r1);
	results_release(&r2);
	model_release(&m1);
	model_release(&m2);
}

/* Same model and replication: the same results, bit for bit; another
 * replication: other results. */
static void test_deterministic(void **state)
{
	struct model m;
	tu_model(&m, 1, 1, 1, 0.25, 2, 77);
	tu_stream(&m, 0, "cars", 5000, 0);
	tu_stage(&m, 0, "a", 4, "triangular(20s, 40s, 2min)");
	struct results r1, r2, r3;
	run1(&m, 1, &r1);
	run1(&m, 1, &r2);
	run1(&m, 2, &r3);
	assert_int_equal(r1.nmetric, r2.nmetric);
	assert_memory_equal(r1.metric, r2.metric, r1.nmetric * sizeof *r1.metric);
	assert_int_equal(r1.nhour, r2.nhour);
	assert_memory_equal(r1.hour, r2.hour, r1.nhour * sizeof *r1.hour);
	assert_true(tu_metric(&r1, "stage", "a", "wait_mean") !=
	            tu_metric(&r3, "stage", "a", "wait_mean"));
	results_release(&r1);
	results_release(&r2);
	results_release(&r3);
	model_release(&m);
}

/* Without warm-up every entity is accounted for: arrivals = served + blocked +
 * backlog_end at each stage, and at the stream arrivals = completed + the
 * backlog everywhere + the blocked everywhere. */
static void test_conservation_and_capacity(void **state)
{
	struct model m;
	tu_model(&m, 1, 2, 1.5, 0, 1, 8);
	tu_stream(&m, 0, "trucks", 4000, 0);
	tu_stage(&m, 0, "a", 2, "exponential(mean=1min)");
	tu_stage(&m, 1, "b", 1, "exponential(mean=1min)");
	m.stage[0].capacity = 5;
	m.stage[1].capacity = 2;
	route_release(&m.stage[0].next);
	int to[] = { 1, ROUTE_EXIT };
	double p[] = { 0.5, 0.5 };
	tu_route(&m.stage[0].next, 2, to, p);
	struct results r;
	run1(&m, 1, &r);
	double left = 0, blocked = 0;
	for (int i = 0; i < 2; i++) {
		const char *n = m.stage[i].name;
		double arr = tu_metric(&r, "stage", n, "arrivals");
		double served = tu_metric(&r, "stage", n, "served");
		double blk = tu_metric(&r, "stage", n, "blocked");
		double back = tu_metric(&r, "stage", n, "backlog_end");
		assert_true(arr == served + blk + back);
		assert_true(blk > 0);   /* capacity 5 and 2 at rho > 1 turn people away */
		assert_true(tu_metric(&r, "stage", n, "queue_max") <= m.stage[i].capacity);
		left += back;
		blocked += blk;
	}
	assert_true(tu_metric(&r, "stream", "trucks", "arrivals") ==
	            tu_metric(&r, "stream", "trucks", "completed") + left + blocked);
	results_release(&r);
	model_release(&m);
}

/* A fractional horizon after a fractional warm-up: reported hours run from the
 * warm-up's end to the horizon, the first and last partial, days counted from
 * the warm-up's end; reported arrivals are close to per_day x days. */
static void test_fractional_horizon(void **state)
{
	struct model m;
	tu_model(&m, 1, 1, 1.25, 0.5, 1, 4);
	tu_stream(&m, 0, "walkers", 9600, 0);
	tu_stage(&m, 0, "a", 10, "exponential(mean=30s)");
	struct results r;
	run1(&m, 1, &r);
	/* warm-up ends at 12:00 on day 0; the horizon at 18:00 the next day. */
	assert_int_equal(r.nhour, 30);
	assert_int_equal(r.hour[0].hour, 12);
	assert_int_equal(r.hour[0].day, 1);
	assert_int_equal(r.hour[11].hour, 23);
	assert_int_equal(r.hour[12].hour, 0);
	assert_int_equal(r.hour[24].day, 2);
	assert_int_equal(r.hour[29].hour, 17);
	double arr = tu_metric(&r, "stream", "walkers", "arrivals");
	double expect = 9600 * 1.25;   /* Poisson: sd = sqrt(12000) ~ 110 */
	assert_true(fabs(arr - expect) < 4.5 * sqrt(expect));
	double sum = 0;
	for (size_t i = 0; i < r.nhour; i++)
		sum += r.hour[i].arrivals;
	assert_true(sum == tu_metric(&r, "stage", "a", "arrivals"));
	results_release(&r);
	model_release(&m);
}

/* Partial hours: a horizon ending mid-hour reports that part hour, with its
 * queue mean taken over the part only. The queue of a closed stage grows
 * linearly, so its mean over [t0, t1) is known. */
static void test_closed_stage_backlog(void **state)
{
	struct model m;
	tu_model(&m, 1, 1, 0.5, 0, 1, 2);
	tu_stream(&m, 0, "ships", 2880, 0);    /* 2 a minute */
	tu_stage(&m, 0, "port", 0, "fixed(1min)");
	struct results r;
	run1(&m, 1, &r);
	double arr = tu_metric(&r, "stage", "port", "arrivals");
	assert_true(tu_metric(&r, "stage", "port", "backlog_end") == arr);
	assert_true(tu_metric(&r, "stage", "port", "served") == 0);
	assert_true(isnan(tu_metric(&r, "stage", "port", "wait_mean")));
	assert_true(isnan(tu_metric(&r, "stage", "port", "utilization")));
	/* E[queue mean over 12 h] = 2/min x 360 min = 720; sd well under 20. */
	assert_true(fabs(tu_metric(&r, "stage", "port", "queue_mean") - 720) < 60);
	results_release(&r);
	model_release(&m);
}

/* A raised stop flag ends a long run early with ENGINE_STOPPED. */
static void test_stop_flag(void **state)
{
	struct model m;
	tu_model(&m, 1, 1, 100000, 0, 1, 1);   /* ~1.4e9 customers if it ran */
	tu_stream(&m, 0, "cars", 14400, 0);
	tu_stage(&m, 0, "a", 20, "exponential(mean=1min)");
	volatile sig_atomic_t stop = 1;
	struct results r;
	char err[256];
	results_init(&r);
	assert_int_equal(engine_run(&m, 1, &r, &stop, err, sizeof err), ENGINE_STOPPED);
	assert_int_equal(r.nmetric, 0);
	results_release(&r);
	model_release(&m);
}

/* ---- domain features ------------------------------------------------------ */

/* Flush rule: while more than flush_above wait, arrivals are waved through, so
 * the queue never holds more than flush_above + 1, and every arrival is
 * served, flushed or still there at the end. */
static void test_checkpoint_flush(void **state)
{
	struct model m;
	tu_model(&m, 1, 1, 2, 0, 1, 21);
	tu_stream(&m, 0, "cars", 3 * 1440, 0);          /* 3 a minute into 1 a minute */
	tu_stage(&m, 0, "checkpoint", 1, "fixed(1min)");
	m.stage[0].flush_above = 5;
	m.stage[0].kind = STAGE_CHECKPOINT;
	m.national = 1;
	struct results r;
	run1(&m, 1, &r);
	double arr = tu_metric(&r, "stage", "checkpoint", "arrivals");
	double flushed = tu_metric(&r, "stage", "checkpoint", "flushed");
	assert_true(tu_metric(&r, "stage", "checkpoint", "queue_max") == 6);
	assert_true(flushed > 0.5 * arr);               /* two thirds cannot be served */
	assert_true(arr == tu_metric(&r, "stage", "checkpoint", "served") + flushed +
	                   tu_metric(&r, "stage", "checkpoint", "backlog_end"));
	assert_true(tu_metric(&r, "national", "all", "checkpoint_flushed") == flushed);
	results_release(&r);
	model_release(&m);
}

/* Persons per vehicle: shares 1:0.5, 2:0.3, 3:0.2 have mean 1.7 and standard
 * deviation sqrt(3.5 - 1.7^2) = 0.781; over n vehicles the mean is within 4.5
 * standard errors. Land travelers are the persons of the vehicles processed. */
static void test_persons_per_vehicle(void **state)
{
	struct model m;
	tu_model(&m, 1, 1, 3, 0, 1, 5);
	tu_stream(&m, 0, "cars", 8000, 0);
	struct model_stream *s = &m.stream[0];
	static const int n[] = { 1, 2, 3 };
	static const double cum[] = { 0.5, 0.8, 1.0 };
	s->npersons = 3;
	s->persons = xmalloc(sizeof n);
	s->pcum = xmalloc(sizeof cum);
	memcpy(s->persons, n, sizeof n);
	memcpy(s->pcum, cum, sizeof cum);
	s->counts = COUNTS_TRAVELERS_LAND;
	m.national = 1;
	tu_stage(&m, 0, "booths", 20, "exponential(mean=30s)");
	struct results r;
	run1(&m, 1, &r);
	double cars = tu_metric(&r, "stream", "cars", "arrivals");
	double persons = tu_metric(&r, "stream", "cars", "persons");
	assert_true(fabs(persons / cars - 1.7) < 4.5 * 0.781 / sqrt(cars));
	/* every car left but the few in the booths at the end */
	double land = tu_metric(&r, "national", "all", "travelers_land");
	assert_true(land <= persons && land >= persons - 3 * 20);
	assert_true(tu_metric(&r, "national", "all", "travelers_air") == 0);
	results_release(&r);
	model_release(&m);
}

/* P(N > c) sums for E[(N - c)+] with N Poisson(mean). */
static double poisson_excess(double mean, int c)
{
	double p = exp(-mean), cdf = 0, below = 0;   /* sum of P(N = k), of k P(N = k) */
	for (int k = 0; k <= c; k++) {
		cdf += p;
		below += k * p;
		p *= mean / (k + 1);
	}
	return (mean - below) - c * (1 - cdf);
}

/* Custody as an infinite-server delay: 10 people an hour held exactly 10 h
 * (M/D/infinity), so the population is Poisson with mean 100, the time held
 * is 600 min for everybody, and the population over a rated capacity of 90
 * averages E[(N - 90)+]. Checked over 20 replications with a 99.9% interval. */
static void test_custody(void **state)
{
	struct model m;
	tu_model(&m, 1, 1, 10, 2, 20, 31);
	tu_stream(&m, 0, "apprehended", 240, 0);
	m.stream[0].counts = COUNTS_APPREHENSIONS;
	tu_stage(&m, 0, "custody", 0, "fixed(10h)");
	m.stage[0].unlimited = 1;
	m.stage[0].kind = STAGE_CUSTODY;
	m.stage[0].rated_capacity = 90;
	m.national = 1;
	double pop = 0, pop2 = 0, over = 0, over2 = 0;
	for (unsigned rep = 1; rep <= 20; rep++) {
		struct results r;
		run1(&m, rep, &r);
		double p = tu_metric(&r, "stage", "custody", "population_mean");
		double o = tu_metric(&r, "stage", "custody", "over_capacity_mean");
		pop += p, pop2 += p * p, over += o, over2 += o * o;
		assert_true(tu_metric(&r, "national", "all", "custody_time_mean") == 600);
		assert_true(tu_metric(&r, "national", "all", "custody_over_72h_share") == 0);
		assert_true(tu_metric(&r, "national", "all", "custody_peak") >=
		            tu_metric(&r, "stage", "custody", "population_max"));
		assert_true(isnan(tu_metric(&r, "stage", "custody", "utilization")));
		assert_true(tu_metric(&r, "stage", "custody", "wait_max") == 0);
		results_release(&r);
	}
	double t = 3.883;   /* t(0.9995, 19) */
	double pm = pop / 20, ps = sqrt((pop2 - 20 * pm * pm) / 19);
	double om = over / 20, os = sqrt((over2 - 20 * om * om) / 19);
	double expect = poisson_excess(100, 90);
	print_message("  population %.3f +- %.3f (100); over capacity %.4f +- %.4f (%.4f)\n", pm,
	              t * ps / sqrt(20), om, t * os / sqrt(20), expect);
	assert_true(fabs(pm - 100) <= t * ps / sqrt(20));
	assert_true(fabs(om - expect) <= t * os / sqrt(20));
	model_release(&m);
}

/* Expected arrivals in [a, b] of a flat 100/h stream under a surge from t0:
 * ramp to factor f over [t0, t1], plateau to t2, down to 1 by t3. */
static double surge_integral(const struct model_surge *sg, double a, double b)
{
	double sum = 0, step = (b - a) / 6000;   /* midpoint rule on a piecewise-linear rate */
	for (int i = 0; i < 6000; i++) {
		double t = a + (i + 0.5) * step, f = 1;
		if (t > sg->t0 && t < sg->t1)
			f = 1 + (sg->factor - 1) * (t - sg->t0) / (sg->t1 - sg->t0);
		else if (t >= sg->t1 && t <= sg->t2)
			f = sg->factor;
		else if (t > sg->t2 && t < sg->t3)
			f = sg->factor + (1 - sg->factor) * (t - sg->t2) / (sg->t3 - sg->t2);
		sum += f * step;
	}
	return sum * 100.0 / 60.0;
}

/* The surge ramp against expected arrivals per hour: over R replications the
 * mean count of each hour is within 4.5 standard errors sqrt(expected / R) of
 * the integral of the surged rate over that hour — ramps included. */
static void test_surge_ramp(void **state)
{
	struct model m;
	const unsigned R = 200;
	tu_model(&m, 1, 1, 1, 0, R, 17);
	tu_stream(&m, 0, "cars", 2400, 0);
	struct model_surge sg = { 3, 5 * 60 + 30, 11 * 60, 15 * 60, 20 * 60 + 15 };
	m.stream[0].nsurge = 1;
	m.stream[0].surge = xmalloc(sizeof sg);
	m.stream[0].surge[0] = sg;
	tu_stage(&m, 0, "booths", 100, "exponential(mean=10s)");
	double count[24] = { 0 };
	for (unsigned rep = 1; rep <= R; rep++) {
		struct results r;
		run1(&m, rep, &r);
		for (size_t i = 0; i < r.nhour; i++)
			count[r.hour[i].hour] += r.hour[i].arrivals;
		results_release(&r);
	}
	for (int h = 0; h < 24; h++) {
		double expect = surge_integral(&sg, h * 60.0, (h + 1) * 60.0);
		double got = count[h] / R, se = sqrt(expect / R);
		if (fabs(got - expect) > 4.5 * se)
			print_message("hour %d: expected %.2f got %.2f (se %.2f)\n", h, expect, got, se);
		assert_true(fabs(got - expect) <= 4.5 * se);
	}
	model_release(&m);
}

/* A closure window: no server on duty from 02:00 to 05:00, so nobody is served
 * in hours 3 and 4 (in hour 2 the last services in hand finish), the queue
 * builds, and the backlog is served after the reopening. */
static void test_closure_window(void **state)
{
	struct model m;
	tu_model(&m, 1, 1, 1, 0, 1, 3);
	tu_stream(&m, 0, "ships", 1440, 0);             /* 1 a minute */
	tu_stage(&m, 0, "port", 4, "fixed(30s)");        /* rho 0.125 */
	m.stage[0].nclosure = 1;
	m.stage[0].closure = xmalloc(sizeof *m.stage[0].closure);
	m.stage[0].closure[0] = (struct model_closure){ 120, 300 };
	struct results r;
	run1(&m, 1, &r);
	for (size_t i = 0; i < r.nhour; i++) {
		const struct hour_row *h = &r.hour[i];
		if (h->hour >= 2 && h->hour <= 4)
			assert_true(h->servers == 0);
		else
			assert_true(h->servers == 4);
		if (h->hour == 3 || h->hour == 4)
			assert_true(h->departures == 0);
		if (h->hour == 4)
			assert_true(h->queue_max > 120);          /* ~180 waiting by 05:00 */
		if (h->hour == 5)
			assert_true(h->departures > 150);          /* the backlog served */
		if (h->hour >= 7)
			assert_true(h->queue_max < 20);
	}
	results_release(&r);
	model_release(&m);
}

/* Targeting and finds: with all referral decisions by risk, the share s
 * referred to the scanner are the riskiest, and a find of concentration k
 * is made in a scan of risk u with probability p (k+1) u^k, so the finds per
 * scan are p (1 - (1-s)^(k+1)) / s: scanning more finds more, but less per
 * scan. Checked for s = 0.1 and 0.4 against 4.5 binomial standard errors. */
static void test_targeting_finds(void **state)
{
	double per_scan[2], total[2];
	const double shares[2] = { 0.1, 0.4 }, p = 0.01, k = 3;
	for (int i = 0; i < 2; i++) {
		struct model m;
		tu_model(&m, 1, 2, 20, 0, 1, 8);
		tu_stream(&m, 0, "trucks", 20000, 0);
		tu_stage(&m, 0, "primary", 50, "exponential(mean=1min)");
		tu_stage(&m, 1, "nii", 200, "fixed(1min)");
		route_release(&m.stage[0].next);
		int to[] = { 1, ROUTE_EXIT };
		double sh[] = { shares[i], 1 - shares[i] };
		tu_route(&m.stage[0].next, 2, to, sh);
		m.stage[0].targeting = 1;
		m.stage[1].kind = STAGE_NII;
		m.uses_risk = m.national = 1;
		m.nfind = 1;
		m.find = xcalloc(1, sizeof *m.find);
		m.find[0].name = xstrdup("drugs");
		m.find[0].nstage = 1;
		m.find[0].stage = xmalloc(sizeof(int));
		m.find[0].stage[0] = 1;
		m.find[0].probability = p;
		m.find[0].concentration = k;
		m.find[0].unit = xstrdup("lb");
		m.find[0].counts = FIND_DRUGS;
		char err[128];
		assert_int_equal(dist_parse_quantity(&m.find[0].amount, "fixed(2)", err, sizeof err), 0);
		struct results r;
		run1(&m, 1, &r);
		double scans = tu_metric(&r, "national", "all", "nii_scans");
		double finds = tu_metric(&r, "find", "drugs", "count");
		double q = p * (1 - pow(1 - shares[i], k + 1)) / shares[i];
		print_message("  share %.1f: %g scans, %g finds, %.5f a scan (theory %.5f)\n",
		              shares[i], scans, finds, finds / scans, q);
		assert_true(fabs(finds - q * scans) <= 4.5 * sqrt(scans * q * (1 - q)));
		assert_true(tu_metric(&r, "find", "drugs", "amount") == 2 * finds);
		assert_true(tu_metric(&r, "national", "all", "drugs_seized_lb") == 2 * finds);
		per_scan[i] = finds / scans;
		total[i] = finds;
		results_release(&r);
		model_release(&m);
	}
	assert_true(total[1] > total[0]);          /* more scanning finds more */
	assert_true(per_scan[1] < per_scan[0]);    /* with diminishing returns */
}

/* A queue that outgrows scenario.max_entities ends the run with a message
 * naming the stage, instead of exhausting memory. */
static void test_entity_limit(void **state)
{
	struct model m;
	tu_model(&m, 1, 2, 30, 0, 1, 6);
	tu_stream(&m, 0, "cars", 1440 * 2, 0);          /* 2 a minute */
	tu_stage(&m, 0, "fast", 10, "exponential(mean=1min)");
	tu_stage(&m, 1, "slow", 1, "exponential(mean=1min)");
	route_release(&m.stage[0].next);
	int to = 1;
	tu_route(&m.stage[0].next, 1, &to, NULL);
	m.max_entities = 500;
	struct results r;
	char err[512] = "";
	results_init(&r);
	assert_int_equal(engine_run(&m, 1, &r, NULL, err, sizeof err), EX_DATAERR);
	print_message("  %s\n", err);
	assert_non_null(strstr(err, "scenario.max_entities: more than 500 entities"));
	assert_non_null(strstr(err, "stage 'slow' holds"));
	assert_int_equal(r.nmetric, 0);
	results_release(&r);
	/* The limit is for the whole run: with 4 replications running at once,
	 * each may hold a quarter of it. */
	m.at_once = 4;
	results_init(&r);
	assert_int_equal(engine_run(&m, 1, &r, NULL, err, sizeof err), EX_DATAERR);
	assert_non_null(strstr(err, "scenario.max_entities: more than 125 entities"));
	assert_non_null(strstr(err, "the limit of 500 is for the whole run, shared by the 4 "
	                            "replications running at once"));
	results_release(&r);
	model_release(&m);
}

/* An entity keeps its stage and stream in 16 bits: a model with more stages
 * than that is refused with a message, not run with indices wrapped. */
static void test_too_many_stages(void **state)
{
	struct model m;
	tu_model(&m, 1, MODEL_MAX_NODES + 1, 1, 0, 1, 1);
	tu_stream(&m, 0, "cars", 100, MODEL_MAX_NODES);
	for (size_t i = 0; i <= MODEL_MAX_NODES; i++)
		tu_stage(&m, i, "s", 1, "fixed(1min)");
	struct results r;
	char err[256] = "";
	results_init(&r);
	assert_int_equal(engine_run(&m, 1, &r, NULL, err, sizeof err), EX_DATAERR);
	assert_non_null(strstr(err, "65536 stages and 1 streams: at most 65535 of each"));
	results_release(&r);
	model_release(&m);
}

/* One booth of `servers` (2 minutes each, 720 a day a server) against 20,000
 * arrivals a day for `days`: with one server a backlog of about 19,280 more
 * a day, with 40 none to speak of. */
static void overload_model(struct model *m, int servers, double days)
{
	tu_model(m, 1, 1, days, 0, 1, 12);
	tu_stream(m, 0, "flood", 20000, 0);
	tu_stage(m, 0, "booth", servers, "exponential(mean=2min)");
}

/* Runs that model in a child process; returns the peak resident memory in
 * bytes of the largest child waited for so far (RUSAGE_CHILDREN: call in
 * increasing order of size), and the child's backlog at the end and the hour rows' queue
 * means on the first and last day through a pipe. */
static double overload_peak(int servers, double days, double out[3])
{
	int fd[2];
	assert_int_equal(pipe(fd), 0);
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fd[0]);
		struct model m;
		overload_model(&m, servers, days);
		struct results r;
		char err[256];
		results_init(&r);
		if (engine_run(&m, 1, &r, NULL, err, sizeof err) != 0)
			_exit(1);
		double v[3] = { tu_metric(&r, "stage", "booth", "backlog_end"), 0, 0 };
		for (size_t i = 0; i < r.nhour; i++) {
			if (r.hour[i].day == 1)
				v[1] += r.hour[i].queue_mean / 24;
			if (r.hour[i].day == (unsigned)days)
				v[2] += r.hour[i].queue_mean / 24;
		}
		_exit(write(fd[1], v, sizeof v) == (ssize_t)sizeof v ? 0 : 1);
	}
	close(fd[1]);
	assert_int_equal(read(fd[0], out, 3 * sizeof *out), (ssize_t)(3 * sizeof *out));
	close(fd[0]);
	int status;
	struct rusage ru;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(getrusage(RUSAGE_CHILDREN, &ru), 0);
	return (double)ru.ru_maxrss * 1024;
}

/* A stage whose arrivals outrun its servers for the whole horizon: the run
 * finishes, the backlog grows day by day to arrivals minus departures, and
 * memory grows by one entity's worth for each entity left waiting, against
 * the same horizon with enough servers. (The entity is 72 bytes; the
 * bounds leave room for the sanitizers' and valgrind's bookkeeping, and
 * would catch memory kept per event or per visit: 10 days are 200,000
 * arrivals.) */
static void test_overload_memory(void **state)
{
	double over[3], calm[3];
	double m_calm = overload_peak(40, 10, calm);
	double m_over = overload_peak(1, 10, over);
	double want = (20000.0 - 720.0) * 10;
	print_message("  backlog %.0f (about %.0f); queue %.0f on day 1, %.0f on day 10; "
	              "%.1f MB against %.1f MB: %.1f bytes an entity left waiting\n",
	              over[0], want, over[1], over[2], m_over / 1048576, m_calm / 1048576,
	              (m_over - m_calm) / over[0]);
	assert_true(fabs(over[0] - want) < 0.02 * want);
	assert_true(over[2] > 10 * over[1]);              /* growing all along */
	assert_true(calm[0] < 200);
	double per = (m_over - m_calm) / over[0];
	assert_true(per > 48 && per < 256);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_staffing_schedule),
		cmocka_unit_test(test_hourly_arrivals_follow_profile),
		cmocka_unit_test(test_groups_follow_profile),
		cmocka_unit_test(test_common_random_numbers),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_conservation_and_capacity),
		cmocka_unit_test(test_fractional_horizon),
		cmocka_unit_test(test_closed_stage_backlog),
		cmocka_unit_test(test_stop_flag),
		cmocka_unit_test(test_checkpoint_flush),
		cmocka_unit_test(test_persons_per_vehicle),
		cmocka_unit_test(test_custody),
		cmocka_unit_test(test_surge_ramp),
		cmocka_unit_test(test_closure_window),
		cmocka_unit_test(test_targeting_finds),
		cmocka_unit_test(test_entity_limit),
		cmocka_unit_test(test_overload_memory),
		cmocka_unit_test(test_too_many_stages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
