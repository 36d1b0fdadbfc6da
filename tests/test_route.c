/* test_route: routes parsed against a table of names that is not a model,
 * through route_names' two look-ups, and route_p.
 *
 * The model's own routes (stage_by_name, every message) are checked in
 * test_model.c through model_parse_route. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "route.h"

static const char *const stages[] = { "primary", "secondary", "kennel" };
static int finds, names;

static long find(const void *ctx, const char *name)
{
	const char *const *s = ctx;
	finds++;
	for (long i = 0; i < 3; i++)
		if (strcmp(s[i], name) == 0)
			return i;
	return -1;
}

static const char *name_of(const void *ctx, size_t i)
{
	names++;
	return ((const char *const *)ctx)[i];
}

static const struct route_names table = { 3, find, name_of, stages };

static void parsed(void **state)
{
	struct route r;
	char err[256] = "";
	finds = names = 0;
	assert_int_equal(route_parse(&r, " kennel:0.25, exit , primary:0.5", &table, err,
	                             sizeof err), 0);
	assert_int_equal(r.n, 3);
	assert_int_equal(r.dest[0], 2);
	assert_int_equal(r.dest[1], ROUTE_EXIT);
	assert_int_equal(r.dest[2], 0);
	assert_true(r.cum[0] == 0.25 && r.cum[1] == 0.5 && r.cum[2] == 1.0);
	assert_true(route_p(&r, 0) == 0.25 && route_p(&r, 1) == 0.25 && route_p(&r, 2) == 0.5);
	assert_int_equal(finds, 2);   /* "exit" is no stage's name */
	assert_int_equal(names, 0);   /* names only on a failing path */
	route_release(&r);
	assert_int_equal(r.n, 0);
	assert_null(r.dest);
	assert_null(r.cum);
	route_release(&r);   /* twice is harmless */
}

static void refused(void **state)
{
	struct route r;
	char err[256] = "";
	names = 0;
	assert_int_equal(route_parse(&r, "secondry", &table, err, sizeof err), -1);
	assert_string_equal(err, "unknown stage 'secondry'; did you mean 'secondary'?");
	assert_int_equal(names, 3);
	assert_int_equal(r.n, 0);
	assert_null(r.dest);
	assert_int_equal(route_parse(&r, "quarantine", &table, err, sizeof err), -1);
	assert_string_equal(err, "unknown stage 'quarantine'");
	assert_int_equal(route_parse(&r, "kennel:0.5, kennel", &table, err, sizeof err), -1);
	assert_string_equal(err, "'kennel' appears twice in 'kennel:0.5, kennel'");
	assert_int_equal(route_parse(&r, "kennel, exit", &table, err, sizeof err), -1);
	assert_string_equal(err, "more than one destination without a probability in "
	                    "'kennel, exit'; only one may take the remainder");
	assert_int_equal(route_parse(&r, "kennel:0.5, exit:0.5000000001", &table, err,
	                             sizeof err), 0);
	route_release(&r);
	assert_int_equal(route_parse(&r, "exit:0.999999998", &table, err, sizeof err), -1);
	assert_string_equal(err, "probabilities add up to 0.999999998, not 1, in "
	                    "'exit:0.999999998'");
	assert_int_equal(route_parse(&r, ",exit", &table, err, sizeof err), -1);
	assert_string_equal(err, "expected 'exit', a stage, or a list such as "
	                    "'secondary:0.2,exit', got ',exit'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parsed),
		cmocka_unit_test(refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
