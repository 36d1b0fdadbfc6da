/* test_value: a key's value read from a scenario or the key table's default,
 * parsed by its row and refused where it was written.
 *
 * The scenario is built with scenario_put, so a refusal names the value as
 * --set gives it; test_model.c checks FILE:LINE through whole scenarios. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sysexits.h>

#include <cmocka.h>

#include "model.h"
#include "scenario.h"
#include "value.h"

static struct scenario sc;
static char err[512];
static struct value_ctx ctx = { &sc, NULL, err, sizeof err, NULL, NULL, 0 };

static int setup(void **state)
{
	scenario_init(&sc);
	err[0] = '\0';
	return 0;
}

static int teardown(void **state)
{
	scenario_release(&sc);
	return 0;
}

static void defaults_and_values(void **state)
{
	double days = 0;
	uint64_t seed = 0;
	long cap = 0;
	int kind = -1;
	char *group = (char *)"x";
	assert_string_equal(value_origin(&sc), "scenario");
	assert_int_equal(value_number(&ctx, KEYS_SCENARIO_DAYS, NULL, &days), 0);
	assert_true(days == 1);   /* the table's default */
	scenario_put(&sc, "scenario", "days", "36h");
	scenario_put(&sc, "scenario", "seed", "18446744073709551615");
	scenario_put(&sc, "stage.a", "capacity", " unlimited ");
	scenario_put(&sc, "stage.a", "kind", "custody");
	assert_int_equal(value_number(&ctx, KEYS_SCENARIO_DAYS, NULL, &days), 0);
	assert_true(days == 1.5);
	assert_int_equal(value_seed(&ctx, KEYS_SCENARIO_SEED, NULL, &seed), 0);
	assert_true(seed == UINT64_MAX);
	assert_int_equal(value_capacity(&ctx, KEYS_STAGE_CAPACITY, "stage.a", &cap), 0);
	assert_int_equal(cap, MODEL_UNLIMITED);
	assert_int_equal(value_choice(&ctx, KEYS_STAGE_KIND, "stage.a", &kind), 0);
	assert_int_equal(kind, STAGE_CUSTODY);
	assert_int_equal(value_name(&ctx, KEYS_STAGE_GROUP, "stage.a", &group), 0);
	assert_null(group);   /* default none */
	assert_string_equal(err, "");
}

static void refused_where_written(void **state)
{
	double x;
	char *unit = NULL;
	scenario_put(&sc, "stage.a", "servers", "lots");
	scenario_put(&sc, "find.f", "unit", "none");
	assert_int_equal(value_number(&ctx, KEYS_STAGE_SERVERS, "stage.a", &x), EX_DATAERR);
	assert_string_equal(err, "--set 'stage.a.servers=lots': stage.a.servers: expected a whole "
	                    "number from 0 to 100000, 24 of them, or unlimited or auto, got 'lots'");
	assert_int_equal(value_name(&ctx, KEYS_FIND_UNIT, "find.f", &unit), EX_DATAERR);
	assert_string_equal(err, "--set 'find.f.unit=none': find.f.unit: expected a name of "
	                    "letters, digits, '_' and '-', got 'none'");
	assert_null(unit);
	/* a required key missing is refused at its section's first entry */
	scenario_put(&sc, "stream.s", "value", "2");
	assert_int_equal(value_number(&ctx, KEYS_STREAM_PER_DAY, "stream.s", &x), EX_DATAERR);
	assert_string_equal(err, "--set 'stream.s.value=2': stream.s.per_day: required key "
	                    "missing from [stream.s]");
	assert_int_equal(value_number(&ctx, KEYS_STREAM_PER_DAY, "stream.none", &x), EX_DATAERR);
	assert_string_equal(err, "scenario: stream.none.per_day: required key missing from "
	                    "[stream.none]");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(defaults_and_values, setup, teardown),
		cmocka_unit_test_setup_teardown(refused_where_written, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
