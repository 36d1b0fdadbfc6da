/* test_national: the shipped scenarios. The baseline reproduces the seed
 * document's typical day, and every surge moves its headline figure the way
 * its name says.
 *
 * Baseline: the mean of R replications must lie within the band of
 * each figure (1.5% for travelers, 5% for the others), widened by the
 * Student-t 95% half-width of that mean — the interval says how far the mean
 * of R replications may honestly stray from the long-run value.
 *
 * Surges: each runs against the baseline on the same seeds and replication
 * numbers (common random numbers) and the difference must have the right sign
 * in every replication, not only on average. Where custody plays no part the
 * warm-up is shortened to one day in both runs alike. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <gsl/gsl_cdf.h>
#include <pthread.h>
#include <stdio.h>

#include "engine.h"
#include "scenario.h"
#include "testutil.h"

#define MAXR 8

struct job {
	const struct model *m;
	unsigned rep;
	struct results r;
	int rc;
};

static void *run_job(void *arg)
{
	struct job *j = arg;
	char err[256];
	results_init(&j->r);
	j->rc = engine_run(j->m, j->rep, &j->r, NULL, err, sizeof err);
	return NULL;
}

/* Runs replications 1..R of file (with "key=value" overrides, NULL-ended)
 * two at a time into out[]. The results' names point into m, which the
 * caller releases after them. */
static void run_model(const char *file, const char *const *set, unsigned R, struct results *out,
                      struct model *mp)
{
	struct scenario sc;
	struct model m;
	char err[512];
	scenario_init(&sc);
	if (scenario_load(&sc, file, err, sizeof err) != 0)
		fail_msg("%s", err);
	for (; set && *set; set++)
		if (scenario_set(&sc, *set, err, sizeof err) != 0)
			fail_msg("%s", err);
	if (model_compile(&m, &sc, err, sizeof err) != 0)
		fail_msg("%s", err);
	struct job jobs[MAXR];
	for (unsigned i = 0; i < R; i += 2) {
		pthread_t t[2];
		unsigned n = R - i < 2 ? R - i : 2;
		for (unsigned k = 0; k < n; k++) {
			jobs[i + k] = (struct job){ .m = &m, .rep = i + k + 1 };
			pthread_create(&t[k], NULL, run_job, &jobs[i + k]);
		}
		for (unsigned k = 0; k < n; k++) {
			pthread_join(t[k], NULL);
			assert_int_equal(jobs[i + k].rc, 0);
			out[i + k] = jobs[i + k].r;
		}
	}
	*mp = m;
	scenario_release(&sc);
}

/* The same, for national figures only (their names are literals). */
static void run_file(const char *file, const char *const *set, unsigned R, struct results *out)
{
	struct model m;
	run_model(file, set, R, out, &m);
	model_release(&m);
}

static void release_all(struct results *r, unsigned R)
{
	for (unsigned i = 0; i < R; i++)
		results_release(&r[i]);
}

static double national(const struct results *r, const char *metric)
{
	double v = tu_metric(r, "national", "all", metric);
	if (isnan(v))
		fail_msg("no national metric %s", metric);
	return v;
}

/* ---- the baseline ------------------------------------------------------- */

struct figure {
	const char *metric;
	double target, band;   /* band: relative */
	int at_least;          /* the seed says "more than" */
};

static void test_baseline_reproduces_the_typical_day(void **state)
{
	static const struct figure fig[] = {
		{ "travelers_processed", 1079552, 0.015, 0 },
		{ "travelers_air", 349729, 0.015, 0 },
		{ "travelers_sea", 85335, 0.015, 0 },
		{ "travelers_land", 644488, 0.015, 0 },
		{ "containers_processed", 90000, 0.05, 1 },
		{ "apprehensions", 6000, 0.05, 0 },
		{ "drugs_seized_lb", 3000, 0.05, 0 },
		{ "pests_intercepted", 200, 0.05, 1 },
		{ "ag_inspections", 5000, 0.05, 1 },
		{ "import_value_usd", 9.2e9, 0.05, 0 },
	};
	enum { R = 4 };
	struct results r[R];
	run_file("scenarios/baseline.ini", NULL, R, r);
	double t = gsl_cdf_tdist_Pinv(0.975, R - 1);
	for (size_t f = 0; f < sizeof fig / sizeof fig[0]; f++) {
		double sum = 0, sumsq = 0;
		for (unsigned i = 0; i < R; i++) {
			double v = national(&r[i], fig[f].metric);
			sum += v;
			sumsq += v * v;
		}
		double mean = sum / R, sd = sqrt(fmax(0, (sumsq - R * mean * mean) / (R - 1)));
		double half = t * sd / sqrt(R), band = fig[f].band * fig[f].target;
		print_message("  %-22s %14.1f +- %10.1f   target %s%.0f\n", fig[f].metric, mean, half,
		              fig[f].at_least ? "more than " : "", fig[f].target);
		if (fig[f].at_least) {
			/* above the figure, and not absurdly so */
			assert_true(mean + half >= fig[f].target);
			assert_true(mean - half <= fig[f].target * 1.2);
		} else {
			assert_true(fabs(mean - fig[f].target) <= band + half);
		}
	}
	/* custody reached its steady state: over 72 h for some, peak near the
	 * flow times the mean stay (6,000 a day x 39 h / 24 h = 9,750) */
	for (unsigned i = 0; i < R; i++) {
		assert_true(national(&r[i], "custody_peak") > 9000);
		assert_true(national(&r[i], "custody_peak") < 12000);
		assert_true(fabs(national(&r[i], "custody_time_mean") / 60 - 39) < 2.5);
	}
	/* The waits by mode make up the national wait: their means weighted by
	 * the travelers of each mode give it back, and the national p95 lies
	 * within the modes' p95s. */
	static const char *const mode[] = { "air", "sea", "land" };
	for (unsigned i = 0; i < R; i++) {
		double sum = 0, persons = 0, lo = INFINITY, hi = 0;
		for (size_t k = 0; k < 3; k++) {
			char wm[64], wp[64], tr[64];
			snprintf(wm, sizeof wm, "traveler_wait_mean_%s", mode[k]);
			snprintf(wp, sizeof wp, "traveler_wait_p95_%s", mode[k]);
			snprintf(tr, sizeof tr, "travelers_%s", mode[k]);
			sum += national(&r[i], wm) * national(&r[i], tr);
			persons += national(&r[i], tr);
			lo = fmin(lo, national(&r[i], wp));
			hi = fmax(hi, national(&r[i], wp));
		}
		double all = national(&r[i], "traveler_wait_mean");
		if (i == 0)
			print_message("  traveler_wait_mean %.3f min; by mode, weighted: %.3f\n", all,
			              sum / persons);
		assert_true(fabs(sum / persons - all) <= 1e-9 * all);
		assert_true(national(&r[i], "traveler_wait_p95") >= lo);
		assert_true(national(&r[i], "traveler_wait_p95") <= hi);
	}
	release_all(r, R);
}

/* ---- the surges ----------------------------------------------------------- */

enum dir { DOWN = -1, UP = 1 };

struct effect {
	const char *metric;
	enum dir dir;
	double factor;         /* for UP: surge >= factor x base (0: just more) */
};

/* Runs base and surge on the same seeds with the same overrides and checks
 * each effect in every replication. */
static void check_surge(const char *file, const char *const *set, const struct effect *fx,
                        size_t nfx)
{
	enum { R = 2 };
	struct results base[R], surge[R];
	run_file("scenarios/baseline.ini", set, R, base);
	run_file(file, set, R, surge);
	for (size_t k = 0; k < nfx; k++)
		for (unsigned i = 0; i < R; i++) {
			double b = national(&base[i], fx[k].metric), s = national(&surge[i], fx[k].metric);
			print_message("  %s rep %u: %s %.4g -> %.4g\n", file, i + 1, fx[k].metric, b, s);
			if (fx[k].dir == UP)
				assert_true(s > b && s >= fx[k].factor * b);
			else
				assert_true(s < b);
		}
	release_all(base, R);
	release_all(surge, R);
}

static void test_migrant_surge(void **state)
{
	static const char *const set[] = { "scenario.days=5", NULL };
	static const struct effect fx[] = {
		{ "custody_peak", UP, 1.3 },
		{ "custody_time_mean", UP, 0 },
		{ "apprehensions", UP, 1.2 },
	};
	check_surge("scenarios/migrant_surge.ini", set, fx, 3);
}

static const char *const short_warmup[] = { "scenario.warmup_days=1", NULL };
static const char *const short_2d[] = { "scenario.warmup_days=1", "scenario.days=2", NULL };
static const char *const short_5d[] = { "scenario.warmup_days=1", "scenario.days=5", NULL };

static void test_holiday_peak(void **state)
{
	static const struct effect fx[] = {
		{ "traveler_wait_p95", UP, 1.2 },
		{ "travelers_processed", UP, 0 },
	};
	check_surge("scenarios/holiday_peak.ini", short_5d, fx, 2);
}

static void test_cargo_surge(void **state)
{
	static const struct effect fx[] = { { "containers_processed", UP, 1.05 } };
	check_surge("scenarios/cargo_surge.ini", short_5d, fx, 1);
}

static void test_staffing_shortfall(void **state)
{
	static const struct effect fx[] = {
		{ "traveler_wait_mean", UP, 1.2 },
		{ "traveler_wait_p95", UP, 1.2 },
	};
	check_surge("scenarios/staffing_shortfall.ini", short_2d, fx, 2);
}

static void test_nii_expansion(void **state)
{
	static const struct effect fx[] = {
		{ "nii_scans", UP, 2.5 },
		{ "drugs_seized_lb", UP, 0 },
	};
	check_surge("scenarios/nii_expansion.ini", short_2d, fx, 2);
}

static void test_trusted_traveler_expansion(void **state)
{
	static const struct effect fx[] = { { "traveler_wait_mean", DOWN, 0 } };
	check_surge("scenarios/trusted_traveler_expansion.ini", short_2d, fx, 1);
}

static void test_biometric_air(void **state)
{
	static const struct effect fx[] = { { "traveler_wait_mean", DOWN, 0 } };
	check_surge("scenarios/biometric_air.ini", short_2d, fx, 1);
}

/* The closure lowers travelers processed; Port Houston's gate queue, the
 * containers of the 36 hours it is closed (1,696 a day: MARAD 2012's 619,000
 * TEU a year), has cleared by the end: on the last day the queue never
 * passes 50, as on a usual day, and the backlog at the horizon is small. */
static void test_hurricane_closure(void **state)
{
	static const struct effect fx[] = {
		{ "travelers_processed", DOWN, 0 },
		{ "containers_processed", DOWN, 0 },
	};
	check_surge("scenarios/hurricane_closure.ini", short_2d, fx, 2);

	enum { R = 2 };
	struct results r[R];
	struct model m;
	run_model("scenarios/hurricane_closure.ini", short_warmup, R, r, &m);
	size_t gate = m.nstage;
	for (size_t i = 0; i < m.nstage; i++)
		if (strcmp(m.stage[i].name, "houston/rpm") == 0)
			gate = i;
	assert_true(gate < m.nstage);
	for (unsigned i = 0; i < R; i++) {
		double peak = tu_metric(&r[i], "stage", "houston/rpm", "queue_max");
		double left = tu_metric(&r[i], "stage", "houston/rpm", "backlog_end");
		print_message("  houston/rpm rep %u: queue max %.0f, at the end %.0f\n", i + 1, peak,
		              left);
		assert_true(peak > 0.8 * 1.5 * 619000 / 365);
		assert_true(left < 50);
		double last_day = -1;
		for (size_t h = 0; h < r[i].nhour; h++) {
			const struct hour_row *row = &r[i].hour[h];
			if (row->stage == gate && row->day == 6)
				last_day = fmax(last_day, row->queue_max);
		}
		assert_true(last_day >= 0 && last_day < 50);
	}
	release_all(r, R);
	model_release(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_baseline_reproduces_the_typical_day),
		cmocka_unit_test(test_migrant_surge),
		cmocka_unit_test(test_holiday_peak),
		cmocka_unit_test(test_cargo_surge),
		cmocka_unit_test(test_staffing_shortfall),
		cmocka_unit_test(test_hurricane_closure),
		cmocka_unit_test(test_nii_expansion),
		cmocka_unit_test(test_trusted_traveler_expansion),
		cmocka_unit_test(test_biometric_air),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
