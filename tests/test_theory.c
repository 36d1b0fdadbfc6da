/* test_theory: the engine against queueing theory.
 *
 * Each check runs R independent replications with fixed seeds, forms the
 * replication means of an estimator and asks whether the closed-form value lies
 * in their Student-t interval at 99.9% (so a correct engine fails a given
 * check with probability 0.001; the seeds are fixed, so the outcome is
 * repeatable). Replications are long next to the relaxation time of each queue
 * and start after a warm-up, so the bias left is far below the interval. A
 * quantile read from the histogram may be off by its bucket width (0.8%), so
 * quantile checks widen the interval by exactly that much and no more. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <gsl/gsl_cdf.h>
#include <stdio.h>

#include "engine.h"
#include "testutil.h"

#define HISTO_ERR (1.0 / 128)   /* histo.h: half a bucket, relative */

struct estimate {
	double mean, half;      /* replication mean and 99.9% half-width */
};

/* The replications of one model, run once and checked many ways. */
struct run {
	const struct model *m;
	struct results *r;
};

static struct run run(const struct model *m)
{
	struct run x = { m, xcalloc(m->replications, sizeof *x.r) };
	for (unsigned rep = 1; rep <= m->replications; rep++) {
		char err[256];
		results_init(&x.r[rep - 1]);
		assert_int_equal(engine_run(m, rep, &x.r[rep - 1], NULL, err, sizeof err), 0);
	}
	return x;
}

static void run_release(struct run *x)
{
	for (unsigned i = 0; i < x->m->replications; i++)
		results_release(&x->r[i]);
	free(x->r);
}

typedef double (*extract_fn)(const struct results *r, const void *arg);

static struct estimate estimate(const struct run *x, extract_fn f, const void *arg)
{
	unsigned R = x->m->replications;
	double sum = 0, sumsq = 0;
	for (unsigned i = 0; i < R; i++) {
		double v = f(&x->r[i], arg);
		assert_false(isnan(v));
		sum += v;
		sumsq += v * v;
	}
	double mean = sum / R;
	double var = (sumsq - R * mean * mean) / (R - 1);
	double t = gsl_cdf_tdist_Pinv(0.9995, R - 1);
	return (struct estimate){ mean, t * sqrt(var > 0 ? var : 0) / sqrt(R) };
}

struct key {
	const char *scope, *name, *metric;
};

static double metric_of(const struct results *r, const void *arg)
{
	const struct key *k = arg;
	return tu_metric(r, k->scope, k->name, k->metric);
}

/* Asserts that theory lies within the interval widened by rel * theory. */
static void check(const struct run *x, const char *scope, const char *name,
                  const char *metric, double theory, double rel)
{
	struct key k = { scope, name, metric };
	struct estimate e = estimate(x, metric_of, &k);
	double tol = e.half + rel * fabs(theory);
	print_message("  %-8s %-10s %-22s theory %10.5f  sim %10.5f +- %.5f\n", scope, name,
	              metric, theory, e.mean, tol);
	assert_true(fabs(e.mean - theory) <= tol);
}

/* ---- closed forms -------------------------------------------------------- */

/* Erlang B by the stable recursion B(k) = a B(k-1) / (k + a B(k-1)). */
static double erlang_b(int c, double a)
{
	double b = 1;
	for (int k = 1; k <= c; k++)
		b = a * b / (k + a * b);
	return b;
}

/* Erlang C: probability of waiting in M/M/c with offered load a < c. */
static double erlang_c(int c, double a)
{
	double b = erlang_b(c, a);
	return c * b / (c - a * (1 - b));
}

struct mmc {
	double wq, lq, rho, p95;
};

/* M/M/c with arrival rate lambda and mean service s: mean wait, mean queue,
 * utilisation and the 95th percentile of the wait, from
 * P(W > t) = C exp(-(c/s - lambda) t). */
static struct mmc mmc(int c, double lambda, double s)
{
	double a = lambda * s, C = erlang_c(c, a), theta = c / s - lambda;
	struct mmc r = { C / theta, lambda * C / theta, a / c, 0 };
	r.p95 = C > 0.05 ? log(C / 0.05) / theta : 0;
	return r;
}

/* ---- models ---------------------------------------------------------------- */

/* One stream at lambda per minute into one stage. */
static void single(struct model *m, double lambda, int servers, const char *service,
                   double days, unsigned reps)
{
	tu_model(m, 1, 1, days, 2, reps, 20261129);
	tu_stream(m, 0, "arrivals", lambda * 1440, 0);
	tu_stage(m, 0, "queue", servers, service);
}

static void test_mm1(void **state)
{
	struct model m;
	single(&m, 0.8, 1, "exponential(mean=1min)", 100, 30);
	struct run x = run(&m);
	struct mmc t = mmc(1, 0.8, 1);
	assert_true(fabs(t.wq - 4.0) < 1e-12);   /* rho/(mu - lambda) */
	check(&x, "stage", "queue", "wait_mean", t.wq, 0);
	check(&x, "stage", "queue", "queue_mean", t.lq, 0);
	check(&x, "stage", "queue", "utilization", t.rho, 0);
	check(&x, "stage", "queue", "wait_p95", t.p95, HISTO_ERR);
	check(&x, "stream", "arrivals", "time_in_system_mean", t.wq + 1, 0);
	run_release(&x);
	model_release(&m);
}

static void test_mmc_erlang_c_small(void **state)
{
	struct model m;
	single(&m, 4.5, 5, "exponential(mean=1min)", 40, 30);   /* rho 0.9 */
	struct run x = run(&m);
	struct mmc t = mmc(5, 4.5, 1);
	check(&x, "stage", "queue", "wait_mean", t.wq, 0);
	check(&x, "stage", "queue", "queue_mean", t.lq, 0);
	check(&x, "stage", "queue", "utilization", t.rho, 0);
	check(&x, "stage", "queue", "wait_p95", t.p95, HISTO_ERR);
	run_release(&x);
	model_release(&m);
}

static void test_mmc_erlang_c_large(void **state)
{
	struct model m;
	single(&m, 8.7, 20, "exponential(mean=2min)", 20, 30);   /* rho 0.87 */
	struct run x = run(&m);
	struct mmc t = mmc(20, 8.7, 2);
	check(&x, "stage", "queue", "wait_mean", t.wq, 0);
	check(&x, "stage", "queue", "queue_mean", t.lq, 0);
	check(&x, "stage", "queue", "utilization", t.rho, 0);
	check(&x, "stage", "queue", "wait_p95", t.p95, HISTO_ERR);
	run_release(&x);
	model_release(&m);
}

/* Pollaczek-Khinchine: Wq = lambda E[S^2] / (2 (1 - rho)). */
static double pk(double lambda, double mean, double var)
{
	return lambda * (var + mean * mean) / (2 * (1 - lambda * mean));
}

static void test_md1(void **state)
{
	struct model m;
	single(&m, 0.85, 1, "fixed(1min)", 100, 30);
	struct run x = run(&m);
	double wq = pk(0.85, 1, 0);
	assert_true(fabs(wq - 0.85 / 0.3) < 1e-12);
	check(&x, "stage", "queue", "wait_mean", wq, 0);
	check(&x, "stage", "queue", "queue_mean", 0.85 * wq, 0);
	check(&x, "stage", "queue", "utilization", 0.85, 0);
	run_release(&x);
	model_release(&m);
}

static void test_mg1_gamma(void **state)
{
	struct model m;
	single(&m, 0.8, 1, "gamma(mean=1min, cv=0.5)", 100, 30);
	struct run x = run(&m);
	check(&x, "stage", "queue", "wait_mean", pk(0.8, 1, 0.25), 0);
	run_release(&x);
	model_release(&m);
}

static double blocked_share(const struct results *r, const void *arg)
{
	const char *stage = arg;
	return tu_metric(r, "stage", stage, "blocked") / tu_metric(r, "stage", stage, "arrivals");
}

/* M/M/c/c: capacity 0, so an arrival finding every server busy is lost. */
static void test_erlang_b(void **state)
{
	struct model m;
	single(&m, 8, 10, "exponential(mean=1min)", 20, 30);
	m.stage[0].capacity = 0;
	struct run x = run(&m);
	double b = erlang_b(10, 8);
	struct estimate e = estimate(&x, blocked_share, "queue");
	print_message("  Erlang B(10, 8) = %.5f, simulated %.5f +- %.5f\n", b, e.mean, e.half);
	assert_true(fabs(e.mean - b) <= e.half);
	check(&x, "stage", "queue", "utilization", 8 * (1 - b) / 10, 0);
	check(&x, "stage", "queue", "wait_max", 0, 0);
	run_release(&x);
	model_release(&m);
}

/* Little's law, L = lambda W, at a stage: per replication, the time-average
 * queue minus (entries to the queue per minute) x (mean wait). Entities that
 * wait across the window's two edges make it nonzero in a replication, but in
 * a stationary queue those at the start and those at the end balance, so its
 * expectation is zero. */
struct little_arg {
	const struct model *m;
	const char *stage;
};

static double little_gap(const struct results *r, const void *arg)
{
	const struct little_arg *a = arg;
	double span = a->m->days * 1440;
	double entered = tu_metric(r, "stage", a->stage, "arrivals") -
	                 tu_metric(r, "stage", a->stage, "blocked");
	return tu_metric(r, "stage", a->stage, "queue_mean") -
	       entered / span * tu_metric(r, "stage", a->stage, "wait_mean");
}

/* Jackson network: arrivals -> a (M/M/3); 30% on to b (M/M/2), and 20% of b's
 * output back to a. Product form: each station behaves as an M/M/c queue fed
 * at its traffic-equation rate, lambda_a = lambda / (1 - 0.3 * 0.2). */
static void jackson(struct model *m)
{
	tu_model(m, 1, 2, 40, 2, 30, 7);
	tu_stream(m, 0, "arrivals", 2.2 * 1440, 0);
	tu_stage(m, 0, "a", 3, "exponential(mean=1min)");
	tu_stage(m, 1, "b", 2, "exponential(mean=2min)");
	route_release(&m->stage[0].next);
	route_release(&m->stage[1].next);
	int to_a[] = { 1, ROUTE_EXIT }, to_b[] = { 0, ROUTE_EXIT };
	double pa[] = { 0.3, 0.7 }, pb[] = { 0.2, 0.8 };
	tu_route(&m->stage[0].next, 2, to_a, pa);
	tu_route(&m->stage[1].next, 2, to_b, pb);
}

static void test_jackson_network(void **state)
{
	struct model m;
	jackson(&m);
	struct run x = run(&m);
	double la = 2.2 / (1 - 0.3 * 0.2), lb = 0.3 * la;
	struct mmc a = mmc(3, la, 1), b = mmc(2, lb, 2);
	check(&x, "stage", "a", "wait_mean", a.wq, 0);
	check(&x, "stage", "b", "wait_mean", b.wq, 0);
	check(&x, "stage", "a", "utilization", a.rho, 0);
	check(&x, "stage", "b", "utilization", b.rho, 0);
	/* Time in system by Little's law on the whole network: the mean number
	 * present over the external arrival rate. */
	double l = a.lq + la * 1 + b.lq + lb * 2;
	check(&x, "stream", "arrivals", "time_in_system_mean", l / 2.2, 0);
	run_release(&x);
	model_release(&m);
}

static void test_little_every_stage(void **state)
{
	struct model m;
	jackson(&m);
	m.stage[1].capacity = 3;       /* blocking too: entries exclude the blocked */
	struct run x = run(&m);
	for (size_t i = 0; i < m.nstage; i++) {
		struct little_arg a = { &m, m.stage[i].name };
		struct estimate e = estimate(&x, little_gap, &a);
		print_message("  Little at %s: Lq - lambda Wq = %.6f +- %.6f\n", a.stage, e.mean,
		              e.half);
		assert_true(fabs(e.mean) <= e.half);
	}
	run_release(&x);
	model_release(&m);
}

/* Two classes at one exponential server, non-preemptive priority (Cobham):
 * W_high = W0 / (1 - rho_high), W_low = W0 / ((1 - rho_high)(1 - rho)), with
 * W0 = sum lambda_i E[S^2] / 2 = rho * s for exponential service of mean s. */
static void test_priority_cobham(void **state)
{
	struct model m;
	tu_model(&m, 2, 1, 100, 2, 30, 99);
	tu_stream(&m, 0, "high", 0.3 * 1440, 0);
	tu_stream(&m, 1, "low", 0.5 * 1440, 0);
	m.stream[0].priority = 1;
	tu_stage(&m, 0, "queue", 1, "exponential(mean=1min)");
	struct run x = run(&m);
	double w0 = 0.8, wh = w0 / (1 - 0.3), wl = w0 / ((1 - 0.3) * (1 - 0.8));
	check(&x, "stream", "high", "time_in_system_mean", wh + 1, 0);
	check(&x, "stream", "low", "time_in_system_mean", wl + 1, 0);
	check(&x, "stage", "queue", "wait_mean", (0.3 * wh + 0.5 * wl) / 0.8, 0);
	run_release(&x);
	model_release(&m);
}

/* ---- group arrivals --------------------------------------------------------- */

/* M^X/M/1 with groups of fixed size b (Gross and Harris, Fundamentals of
 * Queueing Theory, 4th ed., sec. 3.1, M^[X]/M/1; the M^X/G/1 mean wait of a
 * random customer is the special case S exponential):
 *   Wq = lambda E[X] E[S^2] / (2 (1 - rho)) + (E[X^2] - E[X]) E[S] / (2 E[X] (1 - rho))
 * the first term the wait for the work found in the system, the second the
 * wait behind the members of one's own group served first. With E[S] = 1/mu,
 * E[S^2] = 2/mu^2, rho = lambda b / mu and X = b:
 *   Wq = (rho + (b - 1) / 2) / (mu (1 - rho)),
 * which is M/M/1's rho / (mu (1 - rho)) at b = 1, and gives L = lambda b (Wq
 * + 1/mu) = rho (b + 1) / (2 (1 - rho)), Gross and Harris's L for fixed
 * batches. b = 3, mu = 1/min, rho = 0.7: Wq = 1.7 / 0.3 = 5.667 min (an
 * independent Lindley-recursion simulation of 1.2 million customers gave
 * 5.62). Members reach the queue together, in the order they were made. */
static void test_mx_m_1(void **state)
{
	const int b = 3;
	const double p = 1, mu = 1, rho = 0.7, lambda = rho * mu / b;
	struct model m;
	single(&m, lambda * b, 1, "exponential(mean=1min)", 100, 30);
	tu_batch(&m, 1, &b, &p, NULL, 0, "fixed(0s)");
	struct run x = run(&m);
	double wq = (rho + (b - 1) / 2.0) / (mu * (1 - rho));
	assert_true(fabs(wq - 1.7 / 0.3) < 1e-12);
	check(&x, "stage", "queue", "wait_mean", wq, 0);
	check(&x, "stage", "queue", "utilization", rho, 0);
	check(&x, "stage", "queue", "queue_mean", lambda * b * wq, 0);
	check(&x, "stream", "arrivals", "time_in_system_mean", wq + 1 / mu, 0);
	run_release(&x);
	model_release(&m);
}

/* b = 1 is M/M/1 exactly, draw for draw: sizes and spreads have generators
 * of their own, so the arrivals and services are drawn as without groups;
 * only a batched stream reports groups. */
static void test_mx_m_1_single_is_mm1(void **state)
{
	const int b = 1;
	const double p = 1;
	struct model a, g;
	single(&a, 0.8, 1, "exponential(mean=1min)", 5, 3);
	single(&g, 0.8, 1, "exponential(mean=1min)", 5, 3);
	tu_batch(&g, 1, &b, &p, NULL, 0, "fixed(0s)");
	struct run x = run(&a), y = run(&g);
	for (unsigned i = 0; i < 3; i++) {
		assert_true(tu_metric(&x.r[i], "stage", "queue", "wait_mean") ==
		            tu_metric(&y.r[i], "stage", "queue", "wait_mean"));
		assert_true(tu_metric(&y.r[i], "stream", "arrivals", "groups") ==
		            tu_metric(&y.r[i], "stream", "arrivals", "arrivals"));
		assert_true(isnan(tu_metric(&x.r[i], "stream", "arrivals", "groups")));
	}
	run_release(&x);
	run_release(&y);
	model_release(&a);
	model_release(&g);
}

/* Spreads: through a stage that takes no time and has servers to spare, a
 * member's time in the system is its spread. fixed(7min) gives exactly 7;
 * uniform(0min, 10min) a mean of 5 within the interval. */
static void test_spread(void **state)
{
	const int b = 4;
	const double p = 1;
	struct model m;
	single(&m, 200.0 / 1440, 100000, "fixed(0s)", 2, 20);
	tu_batch(&m, 1, &b, &p, NULL, 0, "fixed(7min)");
	struct run x = run(&m);
	for (unsigned i = 0; i < 20; i++) {
		assert_true(fabs(tu_metric(&x.r[i], "stream", "arrivals", "time_in_system_mean") - 7) <
		            1e-9);
		assert_true(tu_metric(&x.r[i], "stage", "queue", "wait_mean") == 0);
	}
	run_release(&x);
	model_release(&m);
	single(&m, 2000.0 / 1440, 100000, "fixed(0s)", 2, 20);
	tu_batch(&m, 1, &b, &p, NULL, 0, "uniform(0min, 10min)");
	x = run(&m);
	check(&x, "stream", "arrivals", "time_in_system_mean", 5, 0);
	run_release(&x);
	model_release(&m);
}

/* per_day counts members, in shares and in a distribution's groups: the
 * members a day are per_day, the groups per_day / mean size. exponential(1.2)
 * drawn and rounded to a whole number of at least 1 has the mean
 * 1 + sum_k P(X >= k + 0.5) = 1 + e^(-1.5/1.2) / (1 - e^(-1/1.2)) = 1.5067,
 * not 1.2: groups at per_day / 1.2 would bring a quarter more members. */
static void test_batch_per_day(void **state)
{
	const int size[] = { 150, 250, 350 };
	const double share[] = { 0.3, 0.5, 0.2 }, per_day = 20000, days = 3;
	const double em = 1 + exp(-1.5 / 1.2) / (1 - exp(-1 / 1.2));
	struct model m;
	single(&m, per_day / 1440, 1000, "fixed(1min)", days, 40);
	tu_batch(&m, 3, size, share, NULL, 0, "fixed(0s)");
	assert_true(fabs(m.stream[0].batch_mean - 240) < 1e-9);
	struct run x = run(&m);
	check(&x, "stream", "arrivals", "arrivals", per_day * days, 0);
	check(&x, "stream", "arrivals", "groups", per_day * days / 240, 0);
	run_release(&x);
	model_release(&m);
	single(&m, per_day / 1440, 1000, "fixed(1min)", days, 40);
	tu_batch(&m, 0, NULL, NULL, "exponential(1.2)", em, "fixed(0s)");
	x = run(&m);
	check(&x, "stream", "arrivals", "arrivals", per_day * days, 0);
	check(&x, "stream", "arrivals", "groups", per_day * days / em, 0);
	run_release(&x);
	model_release(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mm1),
		cmocka_unit_test(test_mmc_erlang_c_small),
		cmocka_unit_test(test_mmc_erlang_c_large),
		cmocka_unit_test(test_md1),
		cmocka_unit_test(test_mg1_gamma),
		cmocka_unit_test(test_erlang_b),
		cmocka_unit_test(test_jackson_network),
		cmocka_unit_test(test_little_every_stage),
		cmocka_unit_test(test_priority_cobham),
		cmocka_unit_test(test_mx_m_1),
		cmocka_unit_test(test_mx_m_1_single_is_mm1),
		cmocka_unit_test(test_spread),
		cmocka_unit_test(test_batch_per_day),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
