/* test_staff: bordersim staff's answer against Erlang C, and in a day with
 * a peak, against fresh seeds.
 *
 * Stationary M/M/c: for each (arrival rate, mean service, metric) the test
 * finds by Erlang C the smallest c* meeting a limit placed at the geometric
 * mean of the metric at c* - 1 and at c*, so that the limit lies a factor
 * sqrt(W(c*-1)/W(c*)) (at least 1.34 here) from either; staff must answer
 * c* in every hour. That the gap is wide enough next to the noise is checked,
 * not assumed: at the answer, each hour's 95% interval over the replications
 * lies below the limit. The p95 cases have hundreds of waits an hour: the
 * metric is the mean of each day's hourly p95 (as hourly.csv has it), which
 * at a few dozen waits an hour lies below the p95 of the waits pooled
 * (docs/staffing.md). A day with a peak: staffed on one seed, then run on a
 * fresh seed, no hour's metric exceeds its limit by more than its 95%
 * interval's half-width; and one server fewer in any hour makes some hour
 * miss on the staffing seed (the removal staff tried and refused) and, on
 * the fresh seed, some hour's mean exceed the limit (by more than its
 * half-width for most hours, not all: where the hour's metric lies near the
 * limit, one server is within the noise of 20 replications). Seeds are
 * fixed, so the outcome is repeatable. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>

#include "engine.h"
#include "model.h"
#include "progress.h"
#include "results.h"
#include "scenario.h"
#include "staff.h"
#include "target.h"
#include "targetmet.h"
#include "testtmp.h"

/* A scenario read, compiled, targeted and staffed. */
struct solved {
	struct scenario sc;
	struct model m;
	struct target_set t;
	struct staff s;
	struct progress pr;
};

/* A scenario of text read and compiled. */
static void compile(struct scenario *sc, struct model *m, const char *text)
{
	char err[512] = "";
	scenario_init(sc);
	if (scenario_load(sc, tfile("c.ini", text), err, sizeof err) != 0 ||
	    model_compile(m, sc, err, sizeof err) != 0)
		fail_msg("%s", err);
}

static void solve(struct solved *x, const char *text, int block)
{
	char err[512] = "";
	memset(x, 0, sizeof *x);
	progress_init(&x->pr, stderr, 0);
	compile(&x->sc, &x->m, text);
	if (target_read(&x->t, &x->m, &x->sc, NULL, 0, err, sizeof err) != 0)
		fail_msg("%s", err);
	x->s = (struct staff){ .m = &x->m, .t = &x->t, .block = block, .threads = 2, .pr = &x->pr };
	if (staff_solve(&x->s, 1, err, sizeof err) != 0)
		fail_msg("%s", err);
}

static void solved_release(struct solved *x)
{
	staff_release(&x->s);
	target_release(&x->t);
	model_release(&x->m);
	scenario_release(&x->sc);
}

/* ---- Erlang C ---- */

/* Probability of waiting in M/M/c at offered load a < c (Erlang B by its
 * recursion, then C). */
static double erlang_c(int c, double a)
{
	double b = 1;
	for (int k = 1; k <= c; k++)
		b = a * b / (k + a * b);
	return c * b / (c - a * (1 - b));
}

/* The mean wait, or the 95th percentile of the wait (P(W > t) = C e^{-(c mu
 * - lambda) t}), in minutes; rates a minute. */
static double mmc_wait(int c, double lambda, double mu, int p95)
{
	double C = erlang_c(c, lambda / mu), r = c * mu - lambda;
	if (!p95)
		return C / r;
	return C <= 0.05 ? 0 : log(C / 0.05) / r;
}

/* One replication's metric at a stage's clock hour, as staff measures it:
 * the wait mean weighted by departures, or the days' mean p95. */
static double rep_hour(const struct results *r, unsigned stage, unsigned hour, int p95)
{
	double sum = 0, w = 0;
	for (size_t k = 0; k < r->nhour; k++) {
		const struct hour_row *h = &r->hour[k];
		if (h->stage != stage || h->hour != hour)
			continue;
		double v = p95 ? h->wait_p95 : h->wait_mean;
		if (isnan(v))
			continue;
		sum += p95 ? v : v * h->departures;
		w += p95 ? 1 : h->departures;
	}
	return w > 0 ? sum / w : NAN;
}

/* The mean over replications of an hour's metric and its 95% half-width. */
static void hour_interval(const struct results *r, unsigned n, unsigned stage, unsigned hour,
                          int p95, double *mean, double *half)
{
	double s = 0, ss = 0;
	for (unsigned i = 0; i < n; i++) {
		double v = rep_hour(&r[i], stage, hour, p95);
		assert_false(isnan(v));
		s += v;
		ss += v * v;
	}
	*mean = s / n;
	double var = (ss - n * *mean * *mean) / (n - 1);
	*half = gsl_cdf_tdist_Pinv(0.975, n - 1) * sqrt(var > 0 ? var : 0) / sqrt(n);
}

struct mmc_case {
	double lambda, mean;   /* arrivals a minute, mean service in minutes */
	int p95, answer;       /* the metric; c* by Erlang C (checked) */
};

static void check_mmc(const struct mmc_case *k)
{
	double mu = 1 / k->mean, a = k->lambda * k->mean;
	double hi = mmc_wait(k->answer - 1, k->lambda, mu, k->p95);
	double lo = mmc_wait(k->answer, k->lambda, mu, k->p95);
	double limit = sqrt(hi * lo);
	/* c* is the smallest c > a meeting limit, and the gap is wide */
	assert_true(k->answer - 1 > a);
	for (int c = (int)floor(a) + 1; c < k->answer; c++)
		assert_true(mmc_wait(c, k->lambda, mu, k->p95) > limit);
	assert_true(lo > 0 && hi / lo >= 1.8);
	char text[1024];
	snprintf(text, sizeof text,
	         "[scenario]\ndays = 20\nwarmup_days = 1\nreplications = 10\nseed = 3\n"
	         "[stream.s]\nper_day = %.6f\nroute = q\n"
	         "[stage.q]\nservers = 1\nservice = exponential(mean=%.6fmin)\n"
	         "[target.t]\nstages = q\nmetric = %s\nlimit = %.6fmin\n",
	         k->lambda * 1440, k->mean, k->p95 ? "wait_p95" : "wait_mean", limit);
	struct solved x;
	solve(&x, text, 24);
	for (unsigned h = 0; h < MODEL_HOURS; h++) {
		double mean, half;
		assert_int_equal(x.m.stage[0].servers[h], k->answer);
		assert_true(x.s.hour[0][h].met);
		hour_interval(x.s.res, x.m.replications, 0, h, k->p95, &mean, &half);
		assert_true(mean + half < limit);
	}
	solved_release(&x);
}

static void test_mmc_erlang_c(void **state)
{
	static const struct mmc_case cases[] = {
		{ 4, 1, 0, 6 },         /* a = 4, mean wait */
		{ 2, 3, 0, 8 },         /* a = 6, mean wait, slow service */
		{ 8, 1, 1, 10 },        /* a = 8, p95 */
		{ 16, 1, 1, 18 },       /* a = 16, p95 */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		check_mmc(&cases[i]);
}

/* A limit a clock hour: a stationary M/M/c stage (a = 4) whose mean-wait
 * limit lies between Erlang C's for 5 and 6 servers in the morning and
 * between 6 and 7 from noon gets 6 servers, then 7; the staffing.csv row of
 * each hour carries that hour's limit. */
static void test_hourly_limits(void **state)
{
	const double lambda = 4, mu = 1;
	double am = sqrt(mmc_wait(5, lambda, mu, 0) * mmc_wait(6, lambda, mu, 0));
	double pm = sqrt(mmc_wait(6, lambda, mu, 0) * mmc_wait(7, lambda, mu, 0));
	char text[2048], lim[600] = "";
	for (int h = 0; h < MODEL_HOURS; h++)
		snprintf(lim + strlen(lim), sizeof lim - strlen(lim), "%s%.6fmin%s",
		         h == 12 ? "\n  " : "", h < 12 ? am : pm, h < MODEL_HOURS - 1 ? " " : "");
	snprintf(text, sizeof text,
	         "[scenario]\ndays = 20\nwarmup_days = 1\nreplications = 10\nseed = 3\n"
	         "[stream.s]\nper_day = %.6f\nroute = q\n"
	         "[stage.q]\nservers = 1\nservice = exponential(mean=1min)\n"
	         "[target.t]\nstages = q\nmetric = wait_mean\nlimit = %s\n", lambda * 1440, lim);
	struct solved x;
	solve(&x, text, 1);
	for (unsigned h = 0; h < MODEL_HOURS; h++) {
		double mean, half, limit = h < 12 ? am : pm;
		assert_int_equal(x.m.stage[0].servers[h], h < 12 ? 6 : 7);
		assert_true(x.s.hour[0][h].met);
		assert_true(fabs(target_limit(&x.t, 0, TARGET_WAIT_MEAN, (int)h) - limit) < 1e-6);
		hour_interval(x.s.res, x.m.replications, 0, h, 0, &mean, &half);
		assert_true(mean + half < limit);
	}
	solved_release(&x);
}

/* ---- a day with a peak ---- */

static const char peak[] =
	"[scenario]\ndays = 3\nwarmup_days = 1\nreplications = 10\nseed = 5\n"
	"[stream.cars]\nper_day = 3000\n"
	"profile = 1 1 1 1 1 2 4 8 10 10 8 6 5 5 6 7 8 7 5 4 3 2 1 1\nroute = booth\n"
	"[stage.booth]\nservers = 4\nservice = exponential(mean=3min)\n"
	"[target.t]\nstages = booth\nmetric = wait_p95\nlimit = 12min\n";

/* The staffed model's replications on seed, n of them. */
static struct results *run_seed(struct model *m, uint64_t seed, unsigned n)
{
	struct results *r = xcalloc(n, sizeof *r);
	uint64_t was = m->seed;
	m->seed = seed;
	for (unsigned i = 0; i < n; i++) {
		char err[256];
		results_init(&r[i]);
		assert_int_equal(engine_run(m, i + 1, &r[i], NULL, err, sizeof err), 0);
	}
	m->seed = was;
	return r;
}

static void free_runs(struct results *r, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		results_release(&r[i]);
	free(r);
}

/* The most any hour's mean exceeds limit by (negative: all below), and
 * whether some hour exceeds it by more than its half-width. */
static double worst(const struct results *r, unsigned n, double limit, int *beyond_ci)
{
	double most = -HUGE_VAL;
	*beyond_ci = 0;
	for (unsigned h = 0; h < MODEL_HOURS; h++) {
		double mean, half;
		hour_interval(r, n, 0, h, 1, &mean, &half);
		most = fmax(most, mean - limit);
		*beyond_ci |= mean - limit > half;
	}
	return most;
}

static void test_peak_fresh_seed(void **state)
{
	const double limit = 12;
	const unsigned fresh = 20;
	struct solved x;
	solve(&x, peak, 1);
	int beyond;
	for (int h = 0; h < MODEL_HOURS; h++)
		assert_true(x.s.hour[0][h].met);
	/* the staffed day on a fresh seed: no hour misses by more than its interval */
	struct results *r = run_seed(&x.m, 1234567, fresh);
	worst(r, fresh, limit, &beyond);
	assert_false(beyond);
	free_runs(r, fresh);
	/* one fewer in any hour: some hour misses, on both seeds */
	for (int h = 0; h < MODEL_HOURS; h++) {
		struct model_stage *st = &x.m.stage[0];
		if (st->servers[h] <= st->min_servers)
			continue;
		st->servers[h]--;
		r = run_seed(&x.m, x.m.seed, x.m.replications);
		if (worst(r, x.m.replications, limit, &beyond) <= 0)
			fail_msg("hour %d with %d servers meets the target on the staffing seed", h,
			         st->servers[h]);
		free_runs(r, x.m.replications);
		r = run_seed(&x.m, 1234567, fresh);
		if (worst(r, fresh, limit, &beyond) <= 0)
			fail_msg("hour %d with %d servers meets the target on a fresh seed", h,
			         st->servers[h]);
		free_runs(r, fresh);
		st->servers[h]++;
	}
	solved_release(&x);
}

/* staffing.add: officers added every hour after the factor, kept from 0 to
 * max_servers. */
static void test_staffing_add(void **state)
{
	struct scenario sc;
	struct model m;
	compile(&sc, &m, "[stream.s]\nper_day = 100\nroute = q\n"
	        "[stage.q]\nservers = 0 1 2 3 4 5 6 7 8 9 10 11 12 "
	        "13 14 15 16 17 18 19 20 21 22 23\n"
	        "service = exponential(mean=1min)\nmax_servers = 20\n"
	        "[staffing.more]\nstages = q\nfactor = 2\nadd = 3\n"
	        "[staffing.fewer]\nstages = q\nadd = -5\n");
	for (int h = 0; h < MODEL_HOURS; h++) {
		int want = 2 * h + 3 > 20 ? 20 : 2 * h + 3;
		want = want - 5 < 0 ? 0 : want - 5;
		assert_int_equal(m.stage[0].servers[h], want);
	}
	model_release(&m);
	scenario_release(&sc);
}

/* staffing.servers = auto: the stages named are staffed by the square-root
 * rule on the scenario's loads in place of their schedule, before add; a
 * stage not named keeps its schedule. */
static void test_staffing_auto(void **state)
{
	char err[512];
	struct scenario sc;
	struct model m;
	scenario_init(&sc);
	assert_int_equal(scenario_load(&sc, tfile("a.ini",
		"[stream.s]\nper_day = 2880\nroute = q\n"
		"[stage.q]\nservers = 3\nservice = exponential(mean=5min)\nbeta = 1\nnext = r\n"
		"[stage.r]\nservers = 3\nservice = exponential(mean=1min)\n"
		"[staffing.more]\nstages = q\nservers = auto\nadd = 1\n"), err, sizeof err), 0);
	assert_int_equal(model_compile(&m, &sc, err, sizeof err), 0);
	/* 2 a minute for 5 minutes: 10 erlangs, ceil(10 + sqrt(10)) = 14, + 1 */
	for (int h = 0; h < MODEL_HOURS; h++) {
		assert_int_equal(m.stage[0].servers[h], 15);
		assert_int_equal(m.stage[1].servers[h], 3);
	}
	model_release(&m);
	scenario_release(&sc);
}

/* ---- the hour metric (targetmet), on rows made by hand ---- */

static void add_row(struct results *r, unsigned day, unsigned hour, double arrivals,
                    double departures, double servers, double mean, double p95, double util)
{
	struct hour_row *h = results_add_hour(r);
	*h = (struct hour_row){ .day = day, .hour = hour, .stage = 0, .arrivals = arrivals,
		                .departures = departures, .servers = servers, .wait_mean = mean,
		                .wait_p95 = p95, .utilization = util };
}

static void test_hour_metric(void **state)
{
	char err[512] = "";
	struct scenario sc;
	struct model m;
	struct target_set t = { 0 };
	/* 2 servers but at 8:00, none; a staffing section scales the targeted
	 * stage, which run reads (staff refuses it) */
	compile(&sc, &m, "[stream.s]\nper_day = 100\nroute = q\n"
	        "[stage.q]\nservers = 4 4 4 4 4 4 4 4 0 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4\n"
	        "service = exponential(mean=1min)\n"
	        "[staffing.half]\nstages = q\nfactor = 0.5\n"
	        "[target.t]\nstages = q\nmetric = wait_mean\nlimit = 2min\n");
	assert_int_equal(target_read(&t, &m, &sc, NULL, 0, err, sizeof err), 65);
	target_release(&t);
	if (target_read_run(&t, &m, &sc, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_int_equal(t.ndef, 1);
	assert_int_equal(t.def[0].nstage, 1);
	struct results r[2];
	results_init(&r[0]);
	results_init(&r[1]);
	/* 5:00: replication 1's mean wait weighted by departures over its days
	 * (2 x 10 + 4 x 30) / 40 = 3.5, its p95 (6 + 8) / 2 = 7; replication 2's
	 * 1 and 3; their means 2.25 and 5 */
	add_row(&r[0], 1, 5, 12, 10, 2, 2, 6, 0.5);
	add_row(&r[0], 2, 5, 33, 30, 2, 4, 8, 0.7);
	add_row(&r[1], 1, 5, 5, 5, 2, 1, 3, 0.2);
	/* 6:00: arrivals and no service start with servers on duty: starved */
	add_row(&r[0], 1, 6, 5, 0, 2, NAN, NAN, 1);
	add_row(&r[1], 1, 6, 4, 4, 2, 1, 1, 0.9);
	/* 7:00: arrivals in a closure's hour (none on duty): not starved */
	add_row(&r[0], 1, 7, 3, 0, 0, NAN, NAN, NAN);
	/* 8:00: arrivals and none scheduled: starved */
	add_row(&r[1], 1, 8, 2, 0, 0, NAN, NAN, NAN);
	struct targetmet_hour (*o)[MODEL_HOURS] = xcalloc(1, sizeof *o);
	targetmet_measure(&m, &t, r, 2, o);
	assert_float_equal(o[0][5].wait_mean, 2.25, 1e-12);
	assert_float_equal(o[0][5].wait_p95, 5, 1e-12);
	assert_float_equal(o[0][5].utilization, (0.6 + 0.2) / 2, 1e-12);
	assert_false(o[0][5].starved);
	assert_float_equal(targetmet_excess(&o[0][5], TARGET_WAIT_MEAN, 2), 0.25, 1e-12);
	assert_false(targetmet_within(targetmet_stage_excess(&t, 0, 5, &o[0][5])));
	assert_true(targetmet_within(targetmet_excess(&o[0][5], TARGET_WAIT_MEAN, 2.25)));
	assert_true(o[0][6].starved);
	assert_float_equal(o[0][6].wait_mean, 1, 1e-12);
	assert_true(isinf(targetmet_stage_excess(&t, 0, 6, &o[0][6])));
	assert_false(targetmet_within(targetmet_stage_excess(&t, 0, 6, &o[0][6])));
	assert_false(o[0][7].starved);
	assert_true(isnan(o[0][7].wait_mean));
	assert_true(targetmet_within(targetmet_stage_excess(&t, 0, 7, &o[0][7])));
	assert_true(o[0][8].starved);
	/* an hour without rows: no value, not starved, nothing to miss */
	assert_true(isnan(o[0][0].wait_p95) && !o[0][0].starved);
	assert_true(targetmet_within(targetmet_stage_excess(&t, 0, 0, &o[0][0])));
	free(o);
	results_release(&r[0]);
	results_release(&r[1]);
	target_release(&t);
	model_release(&m);
	scenario_release(&sc);
}

/* An hour in which some were turned away (blocked at capacity, flushed
 * unscreened) misses whatever its waits: a queue kept short that way does
 * not meet a wait target. */
static void test_turned_away(void **state)
{
	char err[512] = "";
	struct scenario sc;
	struct model m;
	struct target_set t = { 0 };
	compile(&sc, &m, "[stream.s]\nper_day = 100\nroute = q\n"
	        "[stage.q]\nservers = 2\nservice = exponential(mean=1min)\n"
	        "[target.t]\nstages = q\nmetric = wait_p95\nlimit = 15min\n");
	if (target_read_run(&t, &m, &sc, err, sizeof err) != 0)
		fail_msg("%s", err);
	struct results r[1];
	results_init(&r[0]);
	add_row(&r[0], 1, 3, 10, 10, 2, 1, 2, 0.5);
	add_row(&r[0], 1, 4, 10, 9, 2, 1, 2, 0.5);
	r[0].hour[r[0].nhour - 1].turned_away = 1;
	struct targetmet_hour (*o)[MODEL_HOURS] = xcalloc(1, sizeof *o);
	targetmet_measure(&m, &t, r, 1, o);
	assert_true(targetmet_within(targetmet_excess(&o[0][3], TARGET_WAIT_P95, 15)));
	assert_true(o[0][4].turned);
	assert_false(o[0][4].starved);
	assert_true(isinf(targetmet_excess(&o[0][4], TARGET_WAIT_P95, 15)));
	assert_false(targetmet_within(targetmet_stage_excess(&t, 0, 4, &o[0][4])));
	free(o);
	results_release(&r[0]);
	target_release(&t);
	model_release(&m);
	scenario_release(&sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_staffing_add),
		cmocka_unit_test(test_staffing_auto),
		cmocka_unit_test(test_hour_metric),
		cmocka_unit_test(test_turned_away),
		cmocka_unit_test(test_mmc_erlang_c),
		cmocka_unit_test(test_hourly_limits),
		cmocka_unit_test(test_peak_fresh_seed),
	};
	return cmocka_run_group_tests(tests, tmp_setup, tmp_teardown);
}
