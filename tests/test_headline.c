/* test_headline: the text run, compare and sweep print, and the warnings of a
 * run: numbers for reading, the tables' choice and order of rows, and which
 * stages and windows are warned about. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "headline.h"
#include "util.h"
#include "testassert.h"

static void assert_has(const char *hay, const char *needle)
{
	if (!hay || !strstr(hay, needle))
		fail_msg("'%s' does not contain '%s'", hay ? hay : "(null)", needle);
}

static void check_number(double v, const char *want)
{
	char buf[40];
	headline_number(buf, sizeof buf, v);
	if (strcmp(buf, want) != 0)
		fail_msg("headline_number(%.17g) = '%s', expected '%s'", v, buf, want);
}

static void numbers(void **state)
{
	(void)state;
	check_number(1079552, "1,079,552");
	check_number(1079552.4, "1,079,552");
	check_number(9183563250.0, "9,183,563,250");
	check_number(999.6, "1,000");
	check_number(135, "135");
	check_number(16.24, "16.2");
	check_number(2, "2");
	check_number(0.0937, "0.0937");
	check_number(0, "0");
	check_number(-0.0, "0");
	check_number(-1234.4, "-1,234");
	check_number(NAN, "-");
	check_number(INFINITY, "-");
}

/* What f received, as a string: run fn over a memory stream. */
#define CAPTURE(buf, call)                                   \
	do {                                                     \
		size_t len_ = 0;                                     \
		FILE *f = open_memstream(&(buf), &len_);             \
		assert_non_null(f);                                  \
		call;                                                \
		assert_int_equal(fclose(f), 0);                      \
	} while (0)

/* A model of two stages (booth: 1 server; annex: unlimited), 2 days, and a
 * window; results of three replications. */
struct fix {
	struct model m;
	struct results rep[3];
};

static void fix_make(struct fix *x, double backlog, double window_start)
{
	memset(x, 0, sizeof *x);
	x->m.name = "syn";
	x->m.days = 2;
	x->m.nstage = 2;
	x->m.stage = xcalloc(2, sizeof *x->m.stage);
	x->m.stage[0].name = "booth";
	x->m.stage[1].name = "annex";
	x->m.stage[1].unlimited = 1;
	for (int h = 0; h < MODEL_HOURS; h++)
		x->m.stage[0].servers[h] = 1;
	x->m.stage[0].service.mean = 6;   /* one server: 10 an hour at most */
	x->m.nwindow = 1;
	x->m.window = xcalloc(1, sizeof *x->m.window);
	x->m.window[0] = (struct model_window){ window_start, window_start + 600, "surge rush" };
	for (unsigned r = 0; r < 3; r++) {
		struct results *res = &x->rep[r];
		results_init(res);
		/* booth: 480 served in 48 h, 10 an hour */
		results_add(res, "stage", "booth", "served", "count", 480);
		results_add(res, "stage", "booth", "wait_p95", "min", 30 + r);
		results_add(res, "stage", "booth", "backlog_end", "count", backlog);
		results_add(res, "stage", "annex", "served", "count", 10);
		results_add(res, "stage", "annex", "wait_p95", "min", 90 + r);
		results_add(res, "stage", "annex", "backlog_end", "count", 5000);
	}
}

static void fix_free(struct fix *x)
{
	for (unsigned r = 0; r < 3; r++)
		results_release(&x->rep[r]);
	free(x->m.stage);
	free(x->m.window);
}

/* Overloaded: 12 left less the 1 server on duty is 11 waiting, above the 10
 * an hour its one server of 6 minutes can serve; 11 left is 10 waiting, not
 * above. The annex (unlimited)
 * is never warned about. A window starting after the 2 days is outside; one
 * ending after them runs past; one within is quiet. */
static void warnings(void **state)
{
	(void)state;
	struct fix x;
	char *out = NULL;
	fix_make(&x, 12, 3000);
	CAPTURE(out, assert_int_equal(headline_warnings(f, &x.m, x.rep, 3), 2));
	assert_has(out, "bordersim: warning: syn: stage 'booth' ends the horizon overloaded: "
	                "12 left at it (mean of 3 replications), more than it can serve in an hour "
	                "with its most servers (10)\n");
	assert_has(out, "bordersim: warning: syn: surge rush lies outside the simulated time: "
	                "it starts 2.08 days into the 2 reported days and changes nothing\n");
	assert_null(strstr(out, "annex"));
	free(out);
	fix_free(&x);

	fix_make(&x, 11, 2500);
	CAPTURE(out, assert_int_equal(headline_warnings(f, &x.m, x.rep, 3), 1));
	assert_has(out, "surge rush runs past the simulated time: it ends 2.15 days into");
	free(out);
	fix_free(&x);

	fix_make(&x, 11, 0);
	CAPTURE(out, assert_int_equal(headline_warnings(f, &x.m, x.rep, 3), 0));
	assert_string_equal(out, "");
	free(out);
	/* Without results (a sweep's model before it runs): only the windows. */
	x.m.window[0].start = 5000;
	CAPTURE(out, assert_int_equal(headline_warnings(f, &x.m, NULL, 0), 1));
	free(out);
	fix_free(&x);
}

/* Without national figures: the stages by mean p95 wait, longest first, each
 * mean with its interval. */
static void run_stages(void **state)
{
	(void)state;
	struct fix x;
	char *out = NULL;
	fix_make(&x, 0, 0);
	CAPTURE(out, headline_run(f, &x.m, x.rep, 3));
	assert_has(out, "syn: 3 replications of 2 days; mean and 95% interval\n");
	const char *annex = strstr(out, "\nannex "), *booth = strstr(out, "\nbooth ");
	assert_non_null(annex);
	assert_non_null(booth);
	assert_true(annex < booth);
	/* 30, 31, 32: mean 31, t(0.975, 2) = 4.303, sd 1: 31 -+ 2.48 */
	assert_has(booth, "31  [28.5, 33.5]");
	free(out);
	fix_free(&x);
}

/* compare: only rows whose interval excludes 0, the largest relative change
 * first; from 0 counts as the largest. */
static void compare_rows(void **state)
{
	(void)state;
	static const char *const head[] = { "scope", "name", "metric", "unit", "base_mean",
		                            "scenario_mean", "diff_mean", "diff_ci95_low",
		                            "diff_ci95_high", "replications", "base", "scenario" };
	static const char *const rows[][12] = {
		{ "stage", "a", "wait_mean", "min", "10", "11", "1", "0.5", "1.5", "5", "b", "s" },
		{ "stage", "a", "served", "count", "100", "150", "50", "-1", "101", "5", "b", "s" },
		{ "stage", "a", "wait_p95", "min", "20", "10", "-10", "-12", "-8", "5", "b", "s" },
		{ "stage", "a", "blocked", "count", "0", "3", "3", "1", "5", "5", "b", "s" },
	};
	struct table t = { 0 };
	table_add(&t, head, 12);
	for (size_t i = 0; i < 4; i++)
		table_add(&t, rows[i], 12);
	char *out = NULL;
	CAPTURE(out, headline_compare(f, &t, "b", "s"));
	assert_has(out, "s vs b: 3 of 4 figures differ");
	const char *blocked = strstr(out, "stage a blocked"), *p95 = strstr(out, "stage a wait_p95");
	const char *mean = strstr(out, "stage a wait_mean");
	assert_non_null(blocked);
	assert_non_null(p95);
	assert_non_null(mean);
	assert_true(blocked < p95 && p95 < mean);
	assert_null(strstr(out, "served"));
	assert_has(out, "-50.0%");
	assert_has(out, "from 0");
	free(out);
	table_release(&t);
}

/* A sweep point's line: the national waits where there are national rows,
 * else the stage with the longest mean p95. */
static void sweep_lines(void **state)
{
	(void)state;
	struct table t = { 0 };
	const char *a[] = { "4", "syn", "stage", "a", "wait_p95", "min", "12", "1", "10", "14",
		            "9", "15", "5", "1" };
	const char *b[] = { "4", "syn", "stage", "b", "wait_p95", "min", "40", "1", "35", "45",
		            "30", "50", "5", "1" };
	table_add(&t, a, NELEM(a));
	table_add(&t, b, NELEM(b));
	char *line = headline_sweep_line("k=4", &t, 1);
	assert_string_equal(line, "k=4; longest p95 wait: b 40  [35, 45] min\n");
	free(line);
	const char *n[] = { "4", "syn", "national", "all", "traveler_wait_p95", "min", "58.4", "1",
		            "57.4", "59.4", "57", "60", "5", "1" };
	table_add(&t, n, NELEM(n));
	line = headline_sweep_line("k=4", &t, 1);
	assert_string_equal(line, "k=4; traveler_wait_p95 58.4  [57.4, 59.4] min\n");
	free(line);
	table_release(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(numbers),
		cmocka_unit_test(warnings),
		cmocka_unit_test(run_stages),
		cmocka_unit_test(compare_rows),
		cmocka_unit_test(sweep_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
