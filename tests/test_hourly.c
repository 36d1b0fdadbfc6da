/* test_hourly: the stages hourly.csv holds — --hourly's form, its names
 * (stages, stage groups, ports, port groups) with the nearest suggested, the
 * rows every stage would make against the engine's, and the rule that keeps
 * the charted stages above HOURLY_ROWS_MAX. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <cmocka.h>

#include "engine.h"
#include "hourly.h"
#include "panels.h"
#include "scenario.h"
#include "testutil.h"

#define TWO "tests/data/ports/two.ini"

/* tests/data/ports/two.ini: ports north, south (catalog) and extra, a
 * booth each; north in port groups land and east, south in land and west,
 * extra in east. The model orders the stages extra, south, north. */
static void load_two(struct scenario *sc, struct model *m, const char *days, const char *warm)
{
	char err[UTIL_ERRLEN];
	scenario_init(sc);
	assert_int_equal(scenario_load(sc, TWO, err, sizeof err), 0);
	scenario_put(sc, "scenario", "days", days);
	scenario_put(sc, "scenario", "warmup_days", warm);
	scenario_put(sc, "scenario", "replications", "2");
	memset(m, 0, sizeof *m);
	int rc = model_compile(m, sc, err, sizeof err);
	if (rc)
		print_error("%s\n", err);
	assert_int_equal(rc, 0);
}

static long stage_named(const struct model *m, const char *name)
{
	for (size_t i = 0; i < m->nstage; i++)
		if (strcmp(m->stage[i].name, name) == 0)
			return (long)i;
	return -1;
}

/* The names of the stages p keeps, in model order, separated by blanks. */
static char *kept(const struct hourly_plan *p, const struct model *m)
{
	char *s = xstrdup("");
	for (size_t i = 0; i < m->nstage; i++) {
		if (p->keep && !p->keep[i])
			continue;
		char *t = xasprintf("%s%s%s", s, *s ? " " : "", m->stage[i].name);
		free(s);
		s = t;
	}
	return s;
}

static void option_form(void **state)
{
	char err[512];
	assert_int_equal(hourly_check_option("all", err, sizeof err), 0);
	assert_int_equal(hourly_check_option(" all ", err, sizeof err), 0);
	assert_int_equal(hourly_check_option("a,b c", err, sizeof err), 0);
	assert_int_equal(hourly_check_option("", err, sizeof err), EX_USAGE);
	assert_string_equal(err, "--hourly '': an empty name; give all, or stages, groups, ports or "
	                         "port groups separated by commas");
	assert_int_equal(hourly_check_option("a,,b", err, sizeof err), EX_USAGE);
	assert_non_null(strstr(err, "--hourly 'a,,b': an empty name"));
	assert_int_equal(hourly_check_option(" , ", err, sizeof err), EX_USAGE);
	assert_int_equal(hourly_check_option("a,", err, sizeof err), EX_USAGE);
	assert_int_equal(hourly_check_option("all,a", err, sizeof err), EX_USAGE);
	assert_string_equal(err, "--hourly 'all,a': 'all' with other names; give all alone, or "
	                         "the names alone");
}

/* Each kind of name; a name of several kinds, or named twice, counts once;
 * a list that covers every stage is every stage (no filter). */
static void plan_names(void **state)
{
	struct scenario sc;
	struct model m;
	struct hourly_plan p;
	char err[512];
	load_two(&sc, &m, "1", "0");
	free(m.stage[stage_named(&m, "south/booth")].group);
	m.stage[stage_named(&m, "south/booth")].group = xstrdup("primaries");
	static const char *const cases[][2] = {
		{ "north/booth", "north/booth" },
		{ "south", "south/booth" },                 /* a port */
		{ "east", "extra/booth north/booth" },      /* a port group */
		{ "primaries", "south/booth" },             /* a stage group */
		{ "west, north/booth,west", "south/booth north/booth" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		assert_int_equal(hourly_plan_init(&p, &m, cases[i][0], err, sizeof err), 0);
		char *got = kept(&p, &m);
		assert_string_equal(got, cases[i][1]);
		assert_non_null(p.keep);
		assert_int_equal(p.nkeep, 1 + (strchr(cases[i][1], ' ') != NULL));
		assert_int_equal(p.charted, 0);
		free(got);
		hourly_plan_release(&p);
	}
	assert_int_equal(hourly_plan_init(&p, &m, "land,extra", err, sizeof err), 0);
	assert_null(p.keep);
	assert_int_equal(p.nkeep, m.nstage);
	hourly_plan_release(&p);
	assert_int_equal(hourly_plan_init(&p, &m, "all", err, sizeof err), 0);
	assert_null(p.keep);
	hourly_plan_release(&p);
	assert_int_equal(hourly_plan_init(&p, &m, "north,nrth", err, sizeof err), EX_DATAERR);
	assert_string_equal(err, "--hourly 'north,nrth': no stage, group, port or port group 'nrth' "
	                         "in 'two'; did you mean 'north'?");
	hourly_plan_release(&p);
	assert_int_equal(hourly_plan_init(&p, &m, "primries", err, sizeof err), EX_DATAERR);
	assert_non_null(strstr(err, "did you mean 'primaries'?"));
	hourly_plan_release(&p);
	assert_int_equal(hourly_plan_init(&p, &m, "zzzzzz", err, sizeof err), EX_DATAERR);
	assert_null(strstr(err, "did you mean"));
	hourly_plan_release(&p);
	model_release(&m);
	scenario_release(&sc);
}

/* hourly_rows is what the engine makes: every clock hour of the reported
 * days, the first and last split where the warm-up and the horizon end. */
static void rows_as_the_engine(void **state)
{
	static const char *const horizon[][3] = {
		{ "1", "0", "24" },          /* a stage's rows in a replication */
		{ "0.5", "0.3", "13" },      /* 7.2 h to 19.2 h: 7.2-8, 8-9, ..., 19-19.2 */
		{ "30h", "0.25", "30" },
		{ "0.01", "0", "1" },
		{ "2", "0.5", "48" },
	};
	for (size_t k = 0; k < sizeof horizon / sizeof *horizon; k++) {
		struct scenario sc;
		struct model m;
		char err[UTIL_ERRLEN];
		load_two(&sc, &m, horizon[k][0], horizon[k][1]);
		size_t made = 0;
		for (unsigned r = 1; r <= m.replications; r++) {
			struct results res;
			results_init(&res);
			assert_int_equal(engine_run(&m, r, &res, NULL, err, sizeof err), 0);
			made += res.nhour;
			results_release(&res);
		}
		assert_int_equal(m.replications, 2);
		assert_int_equal(m.nstage, 3);
		assert_true(hourly_rows(&m) == (double)made);
		assert_true(made == 2 * 3 * strtoul(horizon[k][2], NULL, 10));
		model_release(&m);
		scenario_release(&sc);
	}
}

/* Above HOURLY_ROWS_MAX the default keeps what hourly.svg charts, chosen
 * once the results are in; at it, every stage; a model whose charted
 * stages are all of them keeps all. */
static void rule_keeps_the_charted(void **state)
{
	struct model m;
	struct hourly_plan p;
	char err[512];
	const size_t nstage = 8;
	/* 8 stages x 24 hours x reps: 2604.1666 replications make 500,000 */
	tu_model(&m, 0, nstage, 1, 0, 2604, 1);
	for (size_t s = 0; s < nstage; s++) {
		char name[16];
		snprintf(name, sizeof name, "s%zu", s);
		tu_stage(&m, s, name, 1, "fixed(1min)");
	}
	assert_true(hourly_rows(&m) == 2604.0 * 24 * 8);
	assert_int_equal(hourly_plan_init(&p, &m, NULL, err, sizeof err), 0);
	assert_int_equal(p.charted, 0);                    /* 499,968 rows */
	hourly_plan_chart(&p, &m, NULL, 0, NULL);
	assert_null(p.keep);
	hourly_plan_release(&p);
	/* 5 x 12,500 x 8 = 500,000: a warm-up of 22.5 min, so that the reported
	 * days (whole hours cannot be a whole number of days) are exact */
	m.replications = 5;
	m.warmup_days = 1.0 / 64;
	m.days = 520.8125;                                   /* to 12,499 h 52.5 min */
	assert_true(hourly_rows(&m) == HOURLY_ROWS_MAX);
	assert_int_equal(hourly_plan_init(&p, &m, NULL, err, sizeof err), 0);
	assert_int_equal(p.charted, 0);
	hourly_plan_release(&p);
	m.days = 520.84375;                                  /* 45 min more: 12,501 */
	assert_true(hourly_rows(&m) == HOURLY_ROWS_MAX + 5 * 8);
	assert_int_equal(hourly_plan_init(&p, &m, NULL, err, sizeof err), 0);
	assert_int_equal(p.charted, 1);
	assert_null(p.keep);                                /* not chosen yet */

	/* the charted stages: the six longest p95 waits of the run */
	struct results r;
	results_init(&r);
	const double wait[] = { 5, 1, 7, 2, 8, 3, 6, 4 };
	for (size_t s = 0; s < nstage; s++)
		results_add(&r, "stage", m.stage[s].name, "wait_p95", "min", wait[s]);
	size_t chosen[PANELS_MAX];
	assert_int_equal(panels_choose(&m, &r, 1, NULL, chosen, NULL), 6);
	hourly_plan_chart(&p, &m, &r, 1, NULL);
	assert_int_equal(p.charted, 1);
	assert_int_equal(p.nkeep, 6);
	char *got = kept(&p, &m);
	assert_string_equal(got, "s0 s2 s4 s5 s6 s7");       /* s1 and s3 the shortest */
	free(got);
	hourly_plan_release(&p);
	/* --chart's stages when it names them */
	assert_int_equal(hourly_plan_init(&p, &m, NULL, err, sizeof err), 0);
	hourly_plan_chart(&p, &m, &r, 1, "s5,s1");
	got = kept(&p, &m);
	assert_string_equal(got, "s1 s5");
	free(got);
	hourly_plan_release(&p);
	/* a named list stays as named above the rule */
	assert_int_equal(hourly_plan_init(&p, &m, "s1", err, sizeof err), 0);
	assert_int_equal(p.charted, 0);
	hourly_plan_chart(&p, &m, &r, 1, NULL);
	assert_int_equal(p.nkeep, 1);
	hourly_plan_release(&p);
	results_release(&r);

	/* six stages or fewer: the chart shows them all, so the file has all */
	m.nstage = 6;
	m.days = 1e6;
	assert_int_equal(hourly_plan_init(&p, &m, NULL, err, sizeof err), 0);
	assert_int_equal(p.charted, 1);
	hourly_plan_chart(&p, &m, NULL, 0, NULL);
	assert_int_equal(p.charted, 0);
	assert_null(p.keep);
	assert_int_equal(p.nkeep, 6);
	hourly_plan_release(&p);
	m.nstage = nstage;
	model_release(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(option_form),
		cmocka_unit_test(plan_names),
		cmocka_unit_test(rows_as_the_engine),
		cmocka_unit_test(rule_keeps_the_charted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
