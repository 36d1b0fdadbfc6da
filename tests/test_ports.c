/* test_ports: kinds of port written once (templates), ports as catalog rows,
 * their figures read at compile time, square-root staffing, port groups, and
 * the common random numbers of ports: no two purposes share a seed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "autostaff.h"
#include "engine.h"
#include "model.h"
#include "rng.h"
#include "scenario.h"
#include "util.h"

#define TWO "tests/data/ports/two.ini"

static struct scenario sc;
static struct model m;
static char err[1024];

static int fresh(void **state)
{
	scenario_init(&sc);
	memset(&m, 0, sizeof m);
	return 0;
}

static int release(void **state)
{
	model_release(&m);
	scenario_release(&sc);
	return 0;
}

static long stage_named(const char *name)
{
	for (size_t i = 0; i < m.nstage; i++)
		if (strcmp(m.stage[i].name, name) == 0)
			return (long)i;
	return -1;
}

static long stream_named(const char *name)
{
	for (size_t i = 0; i < m.nstream; i++)
		if (strcmp(m.stream[i].name, name) == 0)
			return (long)i;
	return -1;
}

static void compile(void)
{
	model_release(&m);
	int rc = model_compile(&m, &sc, err, sizeof err);
	if (rc != 0)
		print_error("%s\n", err);
	assert_int_equal(rc, 0);
}

/* Each catalog row is a [port.NAME] of the kind, each column a key from the
 * catalog's line; the template is written out for each port (rows and the
 * hand-written one), {port} replaced; what the scenario gives wins. */
static void test_expansion(void **state)
{
	assert_int_equal(scenario_load(&sc, TWO, err, sizeof err), 0);
	const struct scenario_entry *e = scenario_get(&sc, "port.south", "cars_per_day");
	assert_non_null(e);
	assert_string_equal(e->value, "2880");
	assert_int_equal(e->line, 3);
	assert_string_equal(scenario_get(&sc, "port.north", "kind")->value, "small");
	assert_string_equal(scenario_get(&sc, "stream.north/cars", "route")->value, "north/booth");
	assert_string_equal(scenario_get(&sc, "stream.extra/cars", "per_day")->value,
	                    "{cars_per_day}");
	assert_string_equal(scenario_get(&sc, "stage.south/booth", "beta")->value, "2");
	assert_string_equal(scenario_get(&sc, "stage.north/booth", "beta")->value, "0.5");
	compile();
	assert_int_equal(m.nport, 3);
	assert_string_equal(m.port[0].name, "extra");   /* the scenario's section came first */
	assert_string_equal(m.port[1].name, "north");
	/* buses only where there are buses (when) */
	assert_true(stream_named("north/buses") < 0 && stream_named("south/buses") >= 0);
	assert_int_equal(m.nstream, 4);
	assert_int_equal(m.nstage, 3);
	for (size_t i = 0; i < m.nstage; i++) {
		const char *p = m.port[m.stage[i].port].name;
		assert_true(strncmp(m.stage[i].name, p, strlen(p)) == 0 &&
		            m.stage[i].name[strlen(p)] == '/');
	}
	assert_int_equal(m.npgroup, 3);   /* east, land, west in order of mention */
	assert_string_equal(m.pgroup[0], "east");
	assert_string_equal(m.pgroup[1], "land");
}

/* {f} is the figure times the kind's scale; {f/g} a ratio; a mean persons
 * or group size; an empty figure the key's default. */
static void test_figures(void **state)
{
	assert_int_equal(scenario_load(&sc, TWO, err, sizeof err), 0);
	compile();
	const struct model_stream *north = &m.stream[stream_named("north/cars")];
	const struct model_stream *bus = &m.stream[stream_named("south/buses")];
	assert_true(north->per_day == 720);          /* 1440 x 0.5 */
	assert_true(fabs(north->persons_mean - 1.5) < 1e-12);
	assert_true(bus->per_day == 150);            /* not scaled */
	assert_true(bus->batched && bus->batch_mean == 15);
	assert_int_equal(m.stage[stage_named("north/booth")].max_servers, MODEL_UNLIMITED);
	assert_int_equal(m.stage[stage_named("south/booth")].max_servers, 3);
	/* --set of a figure after reading */
	assert_int_equal(scenario_set(&sc, "port.north.cars_per_day=100", err, sizeof err), 0);
	compile();
	assert_true(m.stream[stream_named("north/cars")].per_day == 50);
	assert_true(m.stream[stream_named("south/cars")].per_day == 1440);
	assert_int_equal(scenario_set(&sc, "port.north.buses_per_day=2", err, sizeof err), 0);
	assert_int_equal(scenario_set(&sc, "port.north.bus_passengers_per_day=9", err, sizeof err), 0);
	compile();
	assert_true(stream_named("north/buses") >= 0);
	assert_true(m.stream[stream_named("north/buses")].batch_mean == 4.5);
	assert_int_equal(scenario_set(&sc, "port.north.cars_per_dy=1", err, sizeof err), EX_DATAERR);
	assert_non_null(strstr(err, "did you mean 'port.north.cars_per_day'?"));
}

/* Square-root staffing: ceil(a + beta sqrt(a)), none without load, within
 * min and max; each hour of a stage from its own load. */
static void test_autostaff(void **state)
{
	assert_int_equal(autostaff_servers(20, 0.5, 0, MODEL_UNLIMITED), 23);  /* 22.24 */
	assert_int_equal(autostaff_servers(2, 0.5, 0, MODEL_UNLIMITED), 3);    /* 2.71 */
	assert_int_equal(autostaff_servers(16, 1, 0, MODEL_UNLIMITED), 20);    /* exactly 20 */
	assert_int_equal(autostaff_servers(0, 1, 0, MODEL_UNLIMITED), 0);
	assert_int_equal(autostaff_servers(0, 1, 2, MODEL_UNLIMITED), 2);
	assert_int_equal(autostaff_servers(100, 1, 0, 62), 62);
	assert_int_equal(autostaff_servers(1e-6, 0.5, 0, MODEL_UNLIMITED), 1);
	assert_int_equal(scenario_load(&sc, TWO, err, sizeof err), 0);
	compile();
	/* north: 720 cars a day, flat, of 1 min: a = 0.5 erlang every hour,
	 * 0.5 + 0.5 sqrt(0.5) = 0.85: one server */
	const struct model_stage *n = &m.stage[stage_named("north/booth")];
	const struct model_stage *s = &m.stage[stage_named("south/booth")];
	for (int h = 0; h < MODEL_HOURS; h++) {
		assert_int_equal(n->servers[h], 1);
		/* south: 2880 x 0.5 + 150 a day = 1.104 erlangs, beta 2: 4, but 3 booths */
		assert_int_equal(s->servers[h], 3);
	}
	assert_int_equal(scenario_set(&sc, "port.south.booths=", err, sizeof err), 0);
	compile();
	/* 1.104 + 2 sqrt(1.104) = 3.206: 4 (the buses' members spread over no
	 * time: their hour's rate as it is) */
	for (int h = 0; h < MODEL_HOURS; h++)
		assert_int_equal(m.stage[stage_named("south/booth")].servers[h], 4);
}

/* A surge naming a port group takes the streams of its ports only. */
static void test_groups_in_surges(void **state)
{
	assert_int_equal(scenario_load(&sc, TWO, err, sizeof err), 0);
	scenario_put(&sc, "surge.s", "port_groups", "west");
	scenario_put(&sc, "surge.s", "factor", "2");
	scenario_put(&sc, "surge.s", "duration", "1d");
	compile();
	for (size_t i = 0; i < m.nstream; i++)
		assert_int_equal(m.stream[i].nsurge, strncmp(m.stream[i].name, "south/", 6) == 0);
	scenario_put(&sc, "surge.s", "port_groups", "wst");
	model_release(&m);
	assert_int_equal(model_compile(&m, &sc, err, sizeof err), EX_DATAERR);
	assert_non_null(strstr(err, "unknown port group 'wst'; did you mean 'west'?"));
}

struct seeds {
	uint64_t *seed;
	char **name;
	size_t n, cap;
};

static void add_purpose(const char *purpose, void *ctx)
{
	struct seeds *s = ctx;
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 1024;
		s->seed = xrealloc(s->seed, s->cap * sizeof *s->seed);
		s->name = xrealloc(s->name, s->cap * sizeof *s->name);
	}
	s->seed[s->n] = rng_seed_for(1, 1, purpose);
	s->name[s->n++] = xstrdup(purpose);
}

static int by_seed(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/* Common random numbers, port by port, structurally: in the national
 * baseline every purpose has a seed of its own, and every purpose of a
 * port's stage, stream or find is named after it (PORT/NAME), so a change at
 * one port changes no other port's generators. */
static void test_no_two_purposes_share_a_seed(void **state)
{
	assert_int_equal(scenario_load(&sc, "scenarios/baseline.ini", err, sizeof err), 0);
	compile();
	struct seeds s = { NULL, NULL, 0, 0 };
	engine_purposes(&m, add_purpose, &s);
	size_t want = 2 * m.nstage + m.nfind;
	for (size_t i = 0; i < m.nstream; i++)
		want += m.stream[i].batched ? 6 : 4;
	assert_int_equal(s.n, want);
	assert_true(s.n > 5000);
	size_t ported = 0;
	for (size_t i = 0; i < s.n; i++) {
		const char *dot = strchr(s.name[i], '.'), *slash = strchr(s.name[i], '/');
		assert_non_null(slash);   /* the baseline has nothing outside a port */
		ported += slash > dot;
		free(s.name[i]);
	}
	assert_int_equal(ported, s.n);
	qsort(s.seed, s.n, sizeof *s.seed, by_seed);
	for (size_t i = 1; i < s.n; i++)
		assert_true(s.seed[i] != s.seed[i - 1]);
	free(s.seed);
	free(s.name);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_expansion, fresh, release),
		cmocka_unit_test_setup_teardown(test_figures, fresh, release),
		cmocka_unit_test_setup_teardown(test_autostaff, fresh, release),
		cmocka_unit_test_setup_teardown(test_groups_in_surges, fresh, release),
		cmocka_unit_test_setup_teardown(test_no_two_purposes_share_a_seed, fresh, release),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
