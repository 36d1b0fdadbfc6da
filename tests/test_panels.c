/* test_panels: which stages hourly.svg draws — the default ranking by p95
 * wait with custody kept, and --chart lists of stages, groups and ports,
 * checked with messages that name the list and the nearest name. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <cmocka.h>

#include "panels.h"
#include "testutil.h"

static void model_named(struct model *m, const char *const *names, size_t n)
{
	tu_model(m, 0, n, 1, 0, 1, 1);
	free(m->name);
	m->name = xstrdup("scn");
	for (size_t s = 0; s < n; s++)
		tu_stage(m, s, names[s], 1, "fixed(1min)");
}

/* One replication whose stage s has the run p95 wait wait[s] (NaN: none). */
static void with_waits(struct results *r, const struct model *m, const double *wait)
{
	results_init(r);
	for (size_t s = 0; s < m->nstage; s++)
		results_add(r, "stage", m->stage[s].name, "wait_p95", "min", wait[s]);
	results_add(r, "national", "all", "wait_p95", "min", 1e9);   /* not a stage */
}

static void assert_panels(const size_t *got, size_t n, const size_t *want, size_t nwant)
{
	assert_int_equal(n, nwant);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(got[i], want[i]);
}

/* Few stages: all, in model order. */
static void default_all_when_few(void **state)
{
	static const char *const names[] = { "a", "b", "c" };
	struct model m;
	model_named(&m, names, 3);
	struct results r;
	with_waits(&r, &m, (const double[]){ 1, 9, 5 });
	size_t stage[PANELS_MAX], matched = 0;
	size_t n = panels_choose(&m, &r, 1, NULL, stage, &matched);
	assert_panels(stage, n, (const size_t[]){ 0, 1, 2 }, 3);
	assert_int_equal(matched, 3);
	results_release(&r);
	model_release(&m);
}

/* Many stages: the longest waits first; a stage with no wait last; two
 * custody stages kept however short their waits, a third not. */
static void default_longest_waits_and_custody(void **state)
{
	static const char *const names[] = { "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8" };
	struct model m;
	model_named(&m, names, 9);
	m.stage[6].kind = m.stage[7].kind = m.stage[8].kind = STAGE_CUSTODY;
	struct results r[2];
	const double w0[] = { 10, 50, NAN, 30, 40, 20, 1, 3, 2 };
	const double w1[] = { 10, 50, NAN, 30, 40, 20, 1, 3, 0 };
	with_waits(&r[0], &m, w0);
	with_waits(&r[1], &m, w1);
	size_t stage[PANELS_MAX];
	size_t n = panels_choose(&m, r, 2, "", stage, NULL);
	/* s1 50, s4 40, s3 30, s5 20, then custody s7 (3) and s6 (1; s8's mean
	 * is 1 too, and the tie goes to the earlier stage); s0 (10) gives way. */
	assert_panels(stage, n, (const size_t[]){ 1, 4, 3, 5, 7, 6 }, 6);
	/* Without custody stages: the six longest, s2 (no wait) left out. */
	m.stage[6].kind = m.stage[7].kind = m.stage[8].kind = STAGE_INSPECTION;
	n = panels_choose(&m, r, 2, NULL, stage, NULL);
	assert_panels(stage, n, (const size_t[]){ 1, 4, 3, 5, 0, 7 }, 6);
	results_release(&r[0]);
	results_release(&r[1]);
	model_release(&m);
}

/* A list: stages, groups and ports in the order named, each stage once,
 * blanks ignored, a port only by its "PORT/" prefix. */
static void chosen_lists(void **state)
{
	static const char *const names[] = { "lar/pov", "lar/truck", "laredo/pov", "air", "sea" };
	struct model m;
	model_named(&m, names, 5);
	m.stage[3].group = xstrdup("entry");
	m.stage[4].group = xstrdup("entry");
	size_t stage[PANELS_MAX], matched;
	size_t n = panels_choose(&m, NULL, 0, " sea , lar, entry", stage, &matched);
	assert_panels(stage, n, (const size_t[]){ 4, 0, 1, 3 }, 4);
	assert_int_equal(matched, 4);
	n = panels_choose(&m, NULL, 0, "lar/truck,nothing,,laredo", stage, NULL);
	assert_panels(stage, n, (const size_t[]){ 1, 2 }, 2);
	model_release(&m);
}

/* More than PANELS_MAX matched: the first PANELS_MAX, and the count. */
static void chosen_capped(void **state)
{
	struct model m;
	tu_model(&m, 0, PANELS_MAX + 5, 1, 0, 1, 1);
	for (size_t s = 0; s < m.nstage; s++) {
		char name[32];
		snprintf(name, sizeof name, "big/s%zu", s);
		tu_stage(&m, s, name, 1, "fixed(1min)");
	}
	size_t stage[PANELS_MAX], matched;
	size_t n = panels_choose(&m, NULL, 0, "big", stage, &matched);
	assert_int_equal(n, PANELS_MAX);
	assert_int_equal(matched, PANELS_MAX + 5);
	assert_int_equal(stage[PANELS_MAX - 1], PANELS_MAX - 1);
	model_release(&m);
}

static void check_messages(void **state)
{
	static const char *const names[] = { "primary", "secondary", "sy/pov" };
	struct model m;
	model_named(&m, names, 3);
	m.stage[1].group = xstrdup("inspection");
	char err[256];
	assert_int_equal(panels_check(&m, "primary,inspection, sy", err, sizeof err), 0);
	assert_int_equal(panels_check(&m, "primry", err, sizeof err), EX_DATAERR);
	assert_string_equal(err, "--chart 'primry': no stage, group or port 'primry' in 'scn'; "
	                         "did you mean 'primary'?");
	assert_int_equal(panels_check(&m, "primary,zzzzzzzz", err, sizeof err), EX_DATAERR);
	assert_string_equal(err, "--chart 'primary,zzzzzzzz': no stage, group or port "
	                         "'zzzzzzzz' in 'scn'");
	assert_int_equal(panels_check(&m, "inspectoin", err, sizeof err), EX_DATAERR);
	assert_non_null(strstr(err, "did you mean 'inspection'?"));
	assert_int_equal(panels_check(&m, "s", err, sizeof err), EX_DATAERR);   /* not "sy/" */
	assert_int_equal(panels_check(&m, "primary,", err, sizeof err), EX_DATAERR);
	assert_non_null(strstr(err, "an empty name"));
	assert_int_equal(panels_check(&m, "", err, sizeof err), EX_DATAERR);
	model_release(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(default_all_when_few),
		cmocka_unit_test(default_longest_waits_and_custody),
		cmocka_unit_test(chosen_lists),
		cmocka_unit_test(chosen_capped),
		cmocka_unit_test(check_messages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
