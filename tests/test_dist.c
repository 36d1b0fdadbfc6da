/* test_dist: service-time distributions — the text they are written in, the
 * moments they claim and the draws they make.
 *
 * Every distribution is parsed with positional and named parameters, units
 * s/min/h/d and blanks; its d->mean and d->var are checked against the closed
 * forms worked from the written parameters; 200,000 draws are checked against
 * d->mean and d->var. Statistical tolerances are 4 standard errors of the
 * statistic, from the theoretical distribution:
 *   sample mean                  se = sqrt(var / n)
 *   sample variance (n-1 form)   se = sqrt((mu4 - var^2 (n-3)/(n-1)) / n)
 *   a proportion p               se = sqrt(p (1-p) / n)
 * with mu4 = var^2 * kurtosis, the kurtosis (fourth standardised moment) of
 * each family being:
 *   exponential 9;  uniform 9/5;  triangular 12/5 (any a, mode, b);
 *   gamma and erlang with shape k: 3 + 6/k;
 *   lognormal with w = 1 + cv^2: w^4 + 2 w^3 + 3 w^2 - 3.
 * At n = 200,000 the statistics are near normal (the heaviest tail here,
 * gamma with cv 2, has kurtosis 27: the sample variance's own skewness is
 * still small at this n), so a correct sampler fails a 4-se check with
 * probability about 6e-5; the seeds are fixed, so each check is deterministic. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "dist.h"
#include "rng.h"
#include "testassert.h"


/* Relative closeness (1e-12) for values computed two ways in floating point. */
#define assert_close(a, b) assert_close_((a), (b), #a, __FILE__, __LINE__)

static void assert_close_(double a, double b, const char *expr, const char *file, int line)
{
	assert_near_(a, b, 1e-12 * fabs(b), expr, file, line);
}

#define assert_contains(s, sub) assert_contains_((s), (sub), __FILE__, __LINE__)

static void assert_contains_(const char *s, const char *sub, const char *file, int line)
{
	if (!strstr(s, sub)) {
		print_error("message '%s' does not contain '%s'\n", s, sub);
		_fail(file, line);
	}
}

static void parse_ok(struct dist *d, const char *text)
{
	char err[512] = "";
	int rc = dist_parse(d, text, err, sizeof err);
	if (rc != 0)
		print_error("dist_parse('%s'): %s\n", text, err);
	assert_int_equal(rc, 0);
}

/* ---- parsing ------------------------------------------------------------ */

static void parse_every_distribution(void **state)
{
	(void)state;
	const struct {
		const char *text;
		enum dist_kind kind;
		double p[3];          /* minutes, or plain numbers for cv and k */
	} c[] = {
		{ "exponential(5min)", DIST_EXPONENTIAL, { 5 } },
		{ "exponential(mean=90s)", DIST_EXPONENTIAL, { 1.5 } },
		{ "exponential( mean = 2 h )", DIST_EXPONENTIAL, { 120 } },
		{ "  exponential (1d)  ", DIST_EXPONENTIAL, { 1440 } },
		{ "fixed(2.5min)", DIST_FIXED, { 2.5 } },
		{ "fixed(value=30s)", DIST_FIXED, { 0.5 } },
		{ "fixed(0s)", DIST_FIXED, { 0 } },
		{ "uniform(1min, 4min)", DIST_UNIFORM, { 1, 4 } },
		{ "uniform(a=60s,b=0.5h)", DIST_UNIFORM, { 1, 30 } },
		{ "uniform(b=4min, a=1min)", DIST_UNIFORM, { 1, 4 } },
		{ "uniform(3min, 3min)", DIST_UNIFORM, { 3, 3 } },
		{ "triangular(1min, 2min, 6min)", DIST_TRIANGULAR, { 1, 2, 6 } },
		{ "triangular(b=6min, mode=2min, a=1min)", DIST_TRIANGULAR, { 1, 2, 6 } },
		{ "triangular(1min, mode=120s, b=0.1h)", DIST_TRIANGULAR, { 1, 2, 6 } },
		{ "\ttriangular ( a = 1 min , mode = 2min , b = 6min )\n", DIST_TRIANGULAR, { 1, 2, 6 } },
		{ "triangular(0s, 0s, 1min)", DIST_TRIANGULAR, { 0, 0, 1 } },
		{ "lognormal(2min, 0.5)", DIST_LOGNORMAL, { 2, 0.5 } },
		{ "lognormal(mean=90s, cv=0.6)", DIST_LOGNORMAL, { 1.5, 0.6 } },
		{ "lognormal(cv = 0.6 , mean = 1.5min)", DIST_LOGNORMAL, { 1.5, 0.6 } },
		{ "gamma(3min, 0.7)", DIST_GAMMA, { 3, 0.7 } },
		{ "gamma(mean=1h, cv=2)", DIST_GAMMA, { 60, 2 } },
		{ "erlang(3, 6min)", DIST_ERLANG, { 3, 6 } },
		{ "erlang(k=3, mean=6min)", DIST_ERLANG, { 3, 6 } },
		{ "erlang(mean=0.25h, k=5)", DIST_ERLANG, { 5, 15 } },
		{ "erlang(2, mean=1d)", DIST_ERLANG, { 2, 1440 } },
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		struct dist d;
		parse_ok(&d, c[i].text);
		assert_int_equal(d.kind, c[i].kind);
		for (int k = 0; k < 3; k++)
			assert_close(d.p[k], c[i].p[k]);
	}
}

/* d->mean and d->var against the closed forms, worked here from the
 * parameters as written; and the derived generator parameters q. */
static void moments_match_closed_forms(void **state)
{
	(void)state;
	struct dist d;

	parse_ok(&d, "exponential(mean=4min)");
	assert_close(d.mean, 4);
	assert_close(d.var, 16);                     /* mean^2 */

	parse_ok(&d, "fixed(value=7min)");
	assert_close(d.mean, 7);
	assert_true(d.var == 0);

	parse_ok(&d, "uniform(a=2min, b=8min)");
	assert_close(d.mean, 5);
	assert_close(d.var, 36.0 / 12);              /* (b-a)^2/12 */

	parse_ok(&d, "triangular(a=1min, mode=2min, b=6min)");
	assert_close(d.mean, 3);                     /* (a+mode+b)/3 */
	/* (a^2+c^2+b^2 - ac - ab - cb)/18 = (1+4+36-2-6-12)/18 */
	assert_close(d.var, 21.0 / 18);

	parse_ok(&d, "lognormal(mean=2min, cv=0.5)");
	assert_close(d.mean, 2);
	assert_close(d.var, 1);                      /* (mean cv)^2 */
	/* X = exp(N(zeta, sigma^2)): mean exp(zeta + sigma^2/2), cv^2 = e^(sigma^2) - 1 */
	assert_close(exp(d.q[0] + d.q[1] * d.q[1] / 2), 2);
	assert_close(expm1(d.q[1] * d.q[1]), 0.25);

	parse_ok(&d, "gamma(mean=3min, cv=0.7)");
	assert_close(d.mean, 3);
	assert_close(d.var, 2.1 * 2.1);              /* (mean cv)^2 */
	/* shape k, scale theta: mean k theta, variance k theta^2 */
	assert_close(d.q[0] * d.q[1], 3);
	assert_close(d.q[0] * d.q[1] * d.q[1], 2.1 * 2.1);

	parse_ok(&d, "erlang(k=3, mean=6min)");
	assert_close(d.mean, 6);
	assert_close(d.var, 12);                     /* mean^2/k */
	assert_close(d.q[0], 3);
	assert_close(d.q[0] * d.q[1], 6);
}

/* ---- draws -------------------------------------------------------------- */

struct draw_case {
	const char *text;
	double mean, var;   /* closed forms, worked by hand from the parameters */
	double kurtosis;    /* mu4 / var^2 */
	double lo, hi;      /* support */
};

static void check_draws(const struct draw_case *c, unsigned purpose)
{
	enum { N = 200000 };
	struct dist d;
	char name[64];
	parse_ok(&d, c->text);
	assert_close(d.mean, c->mean);
	assert_close(d.var, c->var);
	snprintf(name, sizeof name, "test.dist.%u", purpose);
	struct rng *r = rng_new(12345, 0, name);
	double n = 0, mean = 0, m2 = 0;
	for (int i = 0; i < N; i++) {
		double x = dist_draw(&d, r);
		if (!(x >= c->lo && x <= c->hi)) {
			print_error("%s: draw %.17g outside [%g, %g]\n", c->text, x, c->lo, c->hi);
			fail();
		}
		n += 1;
		double dx = x - mean;
		mean += dx / n;
		m2 += dx * (x - mean);
	}
	double var = m2 / (n - 1);
	double mu4 = c->kurtosis * d.var * d.var;
	double mean_tol = 4 * sqrt(d.var / n);
	double var_tol = 4 * sqrt((mu4 - d.var * d.var * (n - 3) / (n - 1)) / n);
	if (!(fabs(mean - d.mean) <= mean_tol) || !(fabs(var - d.var) <= var_tol))
		print_error("%s: mean %.6g (want %.6g +- %.3g), var %.6g (want %.6g +- %.3g)\n",
		            c->text, mean, d.mean, mean_tol, var, d.var, var_tol);
	assert_near(mean, d.mean, mean_tol);
	assert_near(var, d.var, var_tol);
	rng_free(r);
}

static double lognormal_kurtosis(double cv)
{
	double w = 1 + cv * cv;
	return w * w * w * w + 2 * w * w * w + 3 * w * w - 3;
}

static void draws_match_moments(void **state)
{
	(void)state;
	const struct draw_case c[] = {
		{ "exponential(1.5min)", 1.5, 2.25, 9, 0, INFINITY },
		{ "uniform(1min, 4min)", 2.5, 0.75, 9.0 / 5, 1, 4 },
		{ "triangular(1min, 2min, 6min)", 3, 21.0 / 18, 12.0 / 5, 1, 6 },
		{ "triangular(0min, 4min, 4min)", 8.0 / 3, 16.0 / 18, 12.0 / 5, 0, 4 },
		{ "lognormal(2min, 0.5)", 2, 1, lognormal_kurtosis(0.5), 0, INFINITY },
		{ "gamma(3min, 0.7)", 3, 2.1 * 2.1, 3 + 6 * 0.49, 0, INFINITY },
		/* shape 1/4 < 1: GSL's other gamma algorithm */
		{ "gamma(1min, 2)", 1, 4, 3 + 6 * 4.0, 0, INFINITY },
		{ "erlang(3, 6min)", 6, 12, 3 + 6.0 / 3, 0, INFINITY },
		{ "erlang(1, 2min)", 2, 4, 9, 0, INFINITY },
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
		check_draws(&c[i], (unsigned)i);
}

static void fixed_draws_are_constant(void **state)
{
	(void)state;
	struct dist d;
	parse_ok(&d, "fixed(45s)");
	struct rng *r = rng_new(1, 0, "test.dist.fixed");
	for (int i = 0; i < 1000; i++)
		assert_true(dist_draw(&d, r) == 0.75);
	rng_free(r);

	parse_ok(&d, "uniform(2min, 2min)");
	r = rng_new(1, 0, "test.dist.degenerate");
	for (int i = 0; i < 1000; i++)
		assert_true(dist_draw(&d, r) == 2.0);
	rng_free(r);
}

/* The triangular inverse CDF has two branches; P(X <= mode) = (mode-a)/(b-a),
 * and P(X <= x) = (x-a)^2 / ((b-a)(mode-a)) below the mode. */
static void triangular_cdf(void **state)
{
	(void)state;
	enum { N = 200000 };
	struct dist d;
	parse_ok(&d, "triangular(1min, 2min, 6min)");
	struct rng *r = rng_new(5, 0, "test.dist.triangular_cdf");
	double below_mode = 0, below_15 = 0, above_5 = 0;
	for (int i = 0; i < N; i++) {
		double x = dist_draw(&d, r);
		below_mode += x <= 2;
		below_15 += x <= 1.5;
		above_5 += x > 5;
	}
	double p_mode = 1.0 / 5;
	double p_15 = 0.25 / 5;                        /* (0.5)^2 / (5 * 1) */
	double p_5 = 1.0 / (5 * 4);                    /* (b-x)^2 / ((b-a)(b-mode)) */
	assert_near(below_mode / N, p_mode, 4 * sqrt(p_mode * (1 - p_mode) / N));
	assert_near(below_15 / N, p_15, 4 * sqrt(p_15 * (1 - p_15) / N));
	assert_near(above_5 / N, p_5, 4 * sqrt(p_5 * (1 - p_5) / N));
	rng_free(r);
}

/* ---- errors ------------------------------------------------------------- */

static void parse_fails(const char *text, const char *const *want)
{
	struct dist d;
	char err[512] = "";
	int rc = dist_parse(&d, text, err, sizeof err);
	if (rc != -1)
		print_error("dist_parse('%s') returned %d, expected -1\n", text, rc);
	assert_int_equal(rc, -1);
	for (; *want; want++)
		assert_contains(err, *want);
}

#define FAILS(text, ...) parse_fails((text), (const char *const[]){ __VA_ARGS__, NULL })

static void unknown_distribution_lists_known(void **state)
{
	(void)state;
	FAILS("weibull(1min, 2)", "unknown distribution 'weibull'", "exponential(mean)",
	      "fixed(value)", "uniform(a,b)", "triangular(a,mode,b)", "lognormal(mean,cv)",
	      "gamma(mean,cv)", "erlang(k,mean)");
	FAILS("Exponential(5min)", "unknown distribution 'Exponential'");
	FAILS("(5min)", "unknown distribution");
	FAILS("", "unknown distribution");
}

static void errors_name_the_problem(void **state)
{
	(void)state;
	/* units */
	FAILS("exponential(mean=5)", "exponential parameter 'mean'", "missing unit");
	FAILS("uniform(1, 2min)", "uniform parameter 'a'", "missing unit");
	FAILS("exponential(5 parsecs)", "unknown unit 'parsecs'");
	/* parameter names and counts */
	FAILS("exponential(average=5min)", "exponential has no parameter 'average'",
	      "it takes mean");
	FAILS("triangular(a=1min, peak=2min, b=3min)", "no parameter 'peak'",
	      "it takes a, mode, b");
	FAILS("uniform(a=1min)", "uniform: missing parameter 'b'");
	FAILS("exponential()", "missing parameter 'mean'");
	FAILS("erlang(k=2)", "missing parameter 'mean'");
	FAILS("uniform(a=1min, a=2min)", "parameter 'a' given twice");
	FAILS("uniform(1min, a=2min)", "parameter 'a' given twice");
	FAILS("uniform(a=1min, 2min)", "positional parameter follows a named one");
	/* not a number */
	FAILS("exponential(nan min)", "exponential parameter 'mean'");
	FAILS("exponential(inf s)", "exponential parameter 'mean'");
	FAILS("lognormal(1min, cv=nan)", "lognormal parameter 'cv'", "finite number");
	FAILS("gamma(1min, inf)", "gamma parameter 'cv'", "finite number");
	FAILS("gamma(1min, 1e999)", "gamma parameter 'cv'", "finite number");
	FAILS("gamma(1min, 0x10)", "gamma parameter 'cv'", "finite number");
	FAILS("gamma(1min, 0.5 0.6)", "gamma parameter 'cv'", "finite number");
	/* ranges */
	FAILS("exponential(-5min)", "negative duration");
	FAILS("exponential(0s)", "exponential: mean must be greater than 0");
	FAILS("lognormal(0min, 0.5)", "lognormal: mean must be greater than 0");
	FAILS("gamma(0min, 0.5)", "gamma: mean must be greater than 0");
	FAILS("erlang(2, 0min)", "erlang: mean must be greater than 0");
	FAILS("uniform(5min, 1min)", "uniform: needs a <= b");
	FAILS("uniform(a=2min, b=119s)", "uniform: needs a <= b");
	FAILS("triangular(1min, 5min, 3min)", "triangular: needs a <= mode <= b");
	FAILS("triangular(2min, 1min, 3min)", "triangular: needs a <= mode <= b");
	FAILS("triangular(1min, 1min, 1min)", "a < b");
	FAILS("lognormal(1min, 0)", "lognormal: cv must be greater than 0");
	FAILS("lognormal(1min, -0.5)", "cv must be greater than 0");
	FAILS("gamma(mean=1min, cv=0)", "gamma: cv must be greater than 0");
	FAILS("erlang(2.5, 3min)", "erlang parameter 'k'", "whole number");
	FAILS("erlang(k=2min, mean=3min)", "erlang parameter 'k'", "whole number");
	FAILS("erlang(0, 3min)", "erlang parameter 'k'", "from 1 to");
	FAILS("erlang(-2, 3min)", "erlang parameter 'k'");
}

static void too_many_parameters(void **state)
{
	(void)state;
	struct dist d;
	char err[256];
	assert_int_equal(dist_parse(&d, "exponential(1min, 2min)", err, sizeof err), -1);
	assert_string_equal(err, "exponential takes 1 parameter");
	assert_int_equal(dist_parse(&d, "uniform(1min, 2min, 3min)", err, sizeof err), -1);
	assert_string_equal(err, "uniform takes 2 parameters");
	assert_int_equal(dist_parse(&d, "triangular(1min, 2min, 3min, 4min)", err, sizeof err), -1);
	assert_string_equal(err, "triangular takes 3 parameters");
}

static void missing_parentheses(void **state)
{
	(void)state;
	FAILS("exponential", "expected exponential(...)", "parentheses");
	FAILS("exponential(5min", "expected exponential(...)", "parentheses", "'exponential(5min'");
	FAILS("uniform (1min, 2min", "expected uniform(...)");
}

/* A message longer than the buffer is cut, terminated, and nothing is written
 * past the buffer — also on the path that appends the parameter list. */
static void small_error_buffer(void **state)
{
	(void)state;
	const char *texts[] = { "triangular(a=1min, peak=2min, b=3min)", "weibull(1, 2)",
	                        "exponential(mean=5)" };
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		struct dist d;
		char buf[24];
		memset(buf, 'x', sizeof buf);
		assert_int_equal(dist_parse(&d, texts[i], buf, 16), -1);
		assert_true(memchr(buf, '\0', 16) != NULL);
		for (size_t k = 16; k < sizeof buf; k++)
			assert_int_equal(buf[k], 'x');
	}
}

/* An empty parameter is a mistake in the scenario, not something to skip:
 * "uniform(1min,,4min)" should not read as uniform(1min, 4min). */
static void empty_parameter_refused(void **state)
{
	(void)state;
	const char *texts[] = { "uniform(1min,,4min)", "exponential(5min,)", "exponential(,5min)",
	                        "uniform(1min, ,4min)" };
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		struct dist d;
		char err[256] = "";
		int rc = dist_parse(&d, texts[i], err, sizeof err);
		if (rc != -1)
			print_error("dist_parse('%s') accepted an empty parameter\n", texts[i]);
		assert_int_equal(rc, -1);
	}
}

/* Parameters so large (or a cv so small) that a draw, the mean or the
 * variance would not be finite are refused; the bounds themselves parse.
 * Found by tests/fuzz/fuzz_dist.c. */
static void extreme_parameters_refused(void **state)
{
	(void)state;
	struct dist d;
	char err[256];
	FAILS("uniform(0s, 2e307min)", "uniform parameter 'b'", "too long", "at most 1e+12 min");
	FAILS("exponential(1e300d)", "exponential parameter 'mean'", "too long");
	FAILS("triangular(0s, 1e200h, 1e300h)", "triangular parameter 'mode'", "too long");
	FAILS("lognormal(mean=1e13min, cv=100)", "lognormal parameter 'mean'", "too long");
	FAILS("gamma(mean=1min, cv=1e-200)", "gamma: cv must be at least 1e-06");
	FAILS("lognormal(1min, 1e-7)", "lognormal: cv must be at least 1e-06");
	assert_int_equal(dist_parse(&d, "lognormal(mean=1e12min, cv=100)", err, sizeof err), 0);
	assert_int_equal(dist_parse(&d, "gamma(mean=1min, cv=1e-6)", err, sizeof err), 0);
	assert_int_equal(dist_parse_quantity(&d, "exponential(1e12)", err, sizeof err), 0);
	assert_int_equal(dist_parse_quantity(&d, "exponential(1.1e12)", err, sizeof err), -1);
	assert_string_equal(err, "exponential parameter 'mean': expected a number from 0 to "
	                    "1e+12, got '1.1e12'");
}

/* P(X >= x) against closed forms at points where each is known. */
static struct dist parsed(const char *text)
{
	struct dist d;
	char err[256];
	assert_int_equal(dist_parse_quantity(&d, text, err, sizeof err), 0);
	return d;
}

static void at_least_closed_forms(void **state)
{
	struct dist d = parsed("fixed(2)");
	assert_true(dist_at_least(&d, 2) == 1 && dist_at_least(&d, 2.1) == 0);
	d = parsed("uniform(1, 3)");
	assert_true(dist_at_least(&d, 0) == 1 && dist_at_least(&d, 2) == 0.5);
	assert_true(dist_at_least(&d, 3.5) == 0);
	d = parsed("triangular(0, 1, 2)");
	assert_true(fabs(dist_at_least(&d, 1) - 0.5) < 1e-15);
	assert_true(fabs(dist_at_least(&d, 0.5) - 0.875) < 1e-15);
	assert_true(fabs(dist_at_least(&d, 1.5) - 0.125) < 1e-15);
	d = parsed("exponential(2)");
	assert_true(fabs(dist_at_least(&d, 3) - exp(-1.5)) < 1e-15);
	d = parsed("gamma(mean=2, cv=1)");       /* exponential */
	assert_true(fabs(dist_at_least(&d, 3) - exp(-1.5)) < 1e-12);
	d = parsed("erlang(k=2, mean=2)");       /* P = (1 + x) e^-x, rate 1 */
	assert_true(fabs(dist_at_least(&d, 3) - 4 * exp(-3)) < 1e-12);
	d = parsed("lognormal(mean=5, cv=0.5)"); /* half above the median e^zeta */
	assert_true(fabs(dist_at_least(&d, exp(d.q[0])) - 0.5) < 1e-12);
	assert_true(dist_at_least(&d, 0) == 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_every_distribution),
		cmocka_unit_test(moments_match_closed_forms),
		cmocka_unit_test(draws_match_moments),
		cmocka_unit_test(fixed_draws_are_constant),
		cmocka_unit_test(triangular_cdf),
		cmocka_unit_test(unknown_distribution_lists_known),
		cmocka_unit_test(errors_name_the_problem),
		cmocka_unit_test(too_many_parameters),
		cmocka_unit_test(missing_parentheses),
		cmocka_unit_test(small_error_buffer),
		cmocka_unit_test(empty_parameter_refused),
		cmocka_unit_test(extreme_parameters_refused),
		cmocka_unit_test(at_least_closed_forms),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
