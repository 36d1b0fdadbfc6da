/* test_model: compiling scenarios into models — defaults, every value type,
 * routes, and each class of error with its file:line and key — and the
 * shipped baseline's stability (offered load below 0.95 in every hour). */
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
#include <unistd.h>

#include "keys.h"
#include "model.h"
#include "traffic.h"
#include "scenario.h"
#include "util.h"

static char tmpdir[] = "/tmp/bordersim-test-model-XXXXXX";
static char *made[64];
static size_t nmade;
static char err[1024];
static struct scenario sc;
static struct model m;

/* A small network: the stream on lines 1-3, the stage on lines 4-5. */
#define NET                        \
	"[stream.car]\n"           \
	"per_day = 100\n"          \
	"route = primary\n"        \
	"[stage.primary]\n"        \
	"service = fixed(1min)\n"

static void assert_contains(const char *hay, const char *needle)
{
	if (!hay || !strstr(hay, needle)) {
		print_error("'%s' does not contain '%s'\n", hay ? hay : "(null)", needle);
		fail();
	}
}

static int setup(void **state)
{
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	while (nmade) {
		unlink(made[--nmade]);
		free(made[nmade]);
	}
	return rmdir(tmpdir);
}

/* Releases what the last test compiled; safe after a failed compile. */
static int release(void **state)
{
	model_release(&m);
	scenario_release(&sc);
	return 0;
}

static const char *tfile(const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", tmpdir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	for (size_t i = 0; i < nmade; i++)
		if (strcmp(made[i], path) == 0) {
			free(path);
			return made[i];
		}
	assert_true(nmade < sizeof made / sizeof made[0]);
	made[nmade++] = path;
	return path;
}

/* Loads text as x.ini (which must read), then compiles it. */
static int compile_text(const char *text)
{
	model_release(&m);
	scenario_release(&sc);
	scenario_init(&sc);
	err[0] = '\0';
	assert_int_equal(scenario_load(&sc, tfile("x.ini", text), err, sizeof err), 0);
	return model_compile(&m, &sc, err, sizeof err);
}

/* Compiles NET followed by more; expects EX_DATAERR with "TMP/x.ini:LINE: rest". */
static void assert_fails(const char *text, int line, const char *rest)
{
	assert_int_equal(compile_text(text), EX_DATAERR);
	char *want = xasprintf("%s/x.ini:%d: %s", tmpdir, line, rest);
	assert_string_equal(err, want);
	free(want);
}

/* ---- values ------------------------------------------------------------- */

static void test_defaults(void **state)
{
	assert_int_equal(compile_text(NET), 0);
	assert_string_equal(m.name, "x");
	assert_true(m.days == 1 && m.warmup_days == 0);
	assert_int_equal(m.replications, 10);
	assert_true(m.seed == 1);
	assert_int_equal(m.nstream, 1);
	assert_int_equal(m.nstage, 1);
	assert_string_equal(m.stream[0].name, "car");
	assert_true(m.stream[0].per_day == 100);
	assert_int_equal(m.stream[0].priority, 0);
	for (int h = 0; h < MODEL_HOURS; h++)
		assert_true(m.stream[0].weight[h] == 1.0 / 24);
	assert_int_equal(m.stream[0].route.n, 1);
	assert_int_equal(m.stream[0].route.dest[0], 0);
	assert_true(m.stream[0].route.cum[0] == 1.0);
	const struct model_stage *st = &m.stage[0];
	assert_string_equal(st->name, "primary");
	for (int h = 0; h < MODEL_HOURS; h++)
		assert_int_equal(st->servers[h], 1);
	assert_int_equal(st->capacity, MODEL_UNLIMITED);
	assert_int_equal(st->service.kind, DIST_FIXED);
	assert_true(st->service.mean == 1.0);
	assert_int_equal(st->next.n, 1);
	assert_int_equal(st->next.dest[0], ROUTE_EXIT);
}

static void test_scenario_values(void **state)
{
	assert_int_equal(compile_text("[scenario]\nname = run-7\ndays = 36h\nwarmup_days = 0.5\n"
	                              "replications = 3\nseed = 18446744073709551615\n" NET), 0);
	assert_string_equal(m.name, "run-7");
	assert_true(m.days == 1.5 && m.warmup_days == 0.5);
	assert_int_equal(m.replications, 3);
	assert_true(m.seed == UINT64_MAX);

	assert_fails("[scenario]\ndays = 0\n" NET, 2,
	             "scenario.days: expected a number of days greater than 0, got '0'");
	assert_fails("[scenario]\ndays = -2\n" NET, 2,
	             "scenario.days: expected a number of days greater than 0, got '-2'");
	assert_fails("[scenario]\ndays = nan\n" NET, 2,
	             "scenario.days: expected a number of days greater than 0, got 'nan'");
	assert_fails("[scenario]\nwarmup_days = -1\n" NET, 2,
	             "scenario.warmup_days: expected a number of days of at least 0, got '-1'");
	assert_fails("[scenario]\n\nreplications = 0\n" NET, 3,
	             "scenario.replications: expected a whole number from 1 to 100000, got '0'");
	assert_fails("[scenario]\nseed = 18446744073709551616\n" NET, 2,
	             "scenario.seed: expected a whole number from 0 to 18446744073709551615, "
	             "got '18446744073709551616'");
	assert_fails("[scenario]\nseed = -1\n" NET, 2,
	             "scenario.seed: expected a whole number from 0 to 18446744073709551615, "
	             "got '-1'");
	assert_fails("[scenario]\nname =\n" NET, 2,
	             "scenario.name: expected a name for the output folder, without '/', got ''");
}

static void test_servers_one_or_24(void **state)
{
	assert_int_equal(compile_text(NET "servers = 4\n"), 0);
	for (int h = 0; h < MODEL_HOURS; h++)
		assert_int_equal(m.stage[0].servers[h], 4);
	assert_int_equal(compile_text(NET "servers = 0 0 0 0 0 1, 2, 3 4 5 6 7 8 9 10 11 12 13 "
	                              "14 15 16 17 18 19\n"), 0);
	for (int h = 0; h < MODEL_HOURS; h++)
		assert_int_equal(m.stage[0].servers[h], h < 5 ? 0 : h - 4);
	assert_fails(NET "servers = ten\n", 6,
	             "stage.primary.servers: expected a whole number from 0 to 100000, 24 of them, "
	             "or unlimited or auto, got 'ten'");
	assert_fails(NET "servers = 2.5\n", 6,
	             "stage.primary.servers: expected a whole number from 0 to 100000, 24 of them, "
	             "or unlimited or auto, got '2.5'");
	assert_fails(NET "servers = -1\n", 6,
	             "stage.primary.servers: expected a whole number from 0 to 100000, 24 of them, "
	             "or unlimited or auto, got '-1'");
	assert_fails(NET "servers = 1 2 3\n", 6,
	             "stage.primary.servers: expected a whole number from 0 to 100000, 24 of them, "
	             "or unlimited or auto, got 3");
	assert_fails(NET "servers = 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 x\n", 6,
	             "stage.primary.servers: hour 23: expected a whole number of servers from 0 "
	             "to 100000, got 'x'");
	assert_fails(NET "servers = 1,,2\n", 6,
	             "stage.primary.servers: empty item in the list '1,,2'");
}

static void test_capacity(void **state)
{
	assert_int_equal(compile_text(NET "capacity = unlimited\n"), 0);
	assert_int_equal(m.stage[0].capacity, MODEL_UNLIMITED);
	assert_int_equal(compile_text(NET "capacity = 25\n"), 0);
	assert_int_equal(m.stage[0].capacity, 25);
	assert_int_equal(compile_text(NET "capacity = 0\n"), 0);
	assert_int_equal(m.stage[0].capacity, 0);
	assert_fails(NET "capacity = lots\n", 6, "stage.primary.capacity: expected a whole number "
	             "from 0 to 1000000000, or unlimited, got 'lots'");
	assert_fails(NET "capacity = -3\n", 6, "stage.primary.capacity: expected a whole number "
	             "from 0 to 1000000000, or unlimited, got '-3'");
}

static void test_profile(void **state)
{
	assert_int_equal(compile_text(NET "[stream.car]\nprofile = 1 1 1 1 1 1 1 1 1 1 1 1,"
	                              " 3,3, 3 3 3 3 3 3 3 3 3 3\n"), 0);
	double sum = 0;
	for (int h = 0; h < MODEL_HOURS; h++) {
		assert_true(fabs(m.stream[0].weight[h] - (h < 12 ? 1.0 : 3.0) / 48) < 1e-15);
		sum += m.stream[0].weight[h];
	}
	assert_true(fabs(sum - 1) < 1e-12);
	/* over continuation lines */
	assert_int_equal(compile_text(NET "[stream.car]\nprofile =\n  0 0 0 0 0 0\n  0 0 2 0 0 0\n"
	                              "  0 0 0 0 0 0\n  0 0 0 0 0 0\n"), 0);
	assert_true(m.stream[0].weight[8] == 1.0 && m.stream[0].weight[7] == 0);

	assert_fails(NET "[stream.car]\nprofile = 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1\n",
	             7, "stream.car.profile: expected flat, or 24 weights of at least 0, got 23");
	/* each weight finite, their sum not (found by tests/fuzz/fuzz_scenario.c) */
	assert_fails(NET "[stream.car]\nprofile = 1e308 1e308 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 "
	             "1 1\n", 7, "stream.car.profile: the 24 weights add up to more than "
	             "1.79769e+308: use smaller weights");
	assert_fails(NET "[stream.car]\nprofile = flatt\n", 7,
	             "stream.car.profile: expected flat, or 24 weights of at least 0, got 'flatt'");
	assert_fails(NET "[stream.car]\nprofile = 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n",
	             7, "stream.car.profile: all 24 weights are 0, but per_day is 100: give some "
	             "hour a positive weight");
	assert_fails(NET "[stream.car]\nprofile = 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 -1\n",
	             7, "stream.car.profile: hour 23: expected a weight of at least 0, got '-1'");
	assert_fails(NET "[stream.car]\nprofile = 1 1 1 1 1 inf 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1\n",
	             7, "stream.car.profile: hour 5: expected a weight of at least 0, got 'inf'");
	/* no arrivals: all zeros is allowed */
	assert_int_equal(compile_text(NET "[stream.car]\nper_day = 0\nprofile = 0 0 0 0 0 0 0 0 0 "
	                              "0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"), 0);
	assert_true(m.stream[0].per_day == 0);
}

static void test_stream_values(void **state)
{
	assert_int_equal(compile_text(NET "[stream.car]\npriority = 9\nper_day = 12.5\n"), 0);
	assert_int_equal(m.stream[0].priority, 9);
	assert_true(m.stream[0].per_day == 12.5);
	assert_fails(NET "[stream.car]\npriority = 10\n", 7,
	             "stream.car.priority: expected a whole number from 0 to 9, got '10'");
	static const char *const bad[] = { "nan", "inf", "-1", "lots", "1e999" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *text = xasprintf(NET "[stream.car]\nper_day = %s\n", bad[i]);
		char *rest = xasprintf("stream.car.per_day: expected a number of arrivals of at "
		                       "least 0, got '%s'", bad[i]);
		assert_fails(text, 7, rest);
		free(rest);
		free(text);
	}
}

static void test_service(void **state)
{
	assert_int_equal(compile_text(NET "service = lognormal(mean=90s, cv=0.6)\n"), 0);
	assert_int_equal(m.stage[0].service.kind, DIST_LOGNORMAL);
	assert_true(fabs(m.stage[0].service.mean - 1.5) < 1e-12);
	char *prefix = xasprintf("%s/x.ini:6: stage.primary.service: ", tmpdir);
	assert_int_equal(compile_text(NET "service = exponential(mean=5)\n"), EX_DATAERR);
	assert_true(strncmp(err, prefix, strlen(prefix)) == 0);
	assert_contains(err, "unit");
	assert_int_equal(compile_text(NET "service = weibull(1min, 2)\n"), EX_DATAERR);
	assert_true(strncmp(err, prefix, strlen(prefix)) == 0);
	assert_contains(err, "unknown distribution 'weibull'");
	free(prefix);
}

/* ---- routes ------------------------------------------------------------- */

/* Three stages b, c, d for model_parse_route. */
static void hand_model(struct model *hm)
{
	static const char *const names[] = { "secondary", "agriculture", "nii" };
	memset(hm, 0, sizeof *hm);
	hm->nstage = 3;
	hm->stage = xcalloc(3, sizeof *hm->stage);
	for (size_t i = 0; i < 3; i++)
		hm->stage[i].name = xstrdup(names[i]);
}

static void assert_route(const struct model *hm, const char *text, size_t n, const int *dest,
                         const double *cum)
{
	struct route r;
	err[0] = '\0';
	if (model_parse_route(&r, text, hm, err, sizeof err) != 0) {
		print_error("route '%s': %s\n", text, err);
		fail();
	}
	assert_int_equal(r.n, n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(r.dest[i], dest[i]);
		assert_true(fabs(r.cum[i] - cum[i]) < 1e-12);
	}
	assert_true(r.cum[n - 1] == 1.0);
	route_release(&r);
	assert_null(r.dest);
	assert_int_equal(r.n, 0);
}

static void assert_route_fails(const struct model *hm, const char *text, const char *msg)
{
	struct route r;
	assert_int_equal(model_parse_route(&r, text, hm, err, sizeof err), -1);
	assert_string_equal(err, msg);
	assert_null(r.dest);
	assert_null(r.cum);
	route_release(&r);
}

static void test_parse_route(void **state)
{
	struct model hm;
	hand_model(&hm);
	assert_route(&hm, "exit", 1, (int[]){ ROUTE_EXIT }, (double[]){ 1 });
	assert_route(&hm, " nii ", 1, (int[]){ 2 }, (double[]){ 1 });
	assert_route(&hm, "secondary:0.2, agriculture : 0.3, exit", 3, (int[]){ 0, 1, ROUTE_EXIT },
	             (double[]){ 0.2, 0.5, 1 });
	/* the remainder may come first */
	assert_route(&hm, "exit, secondary:0.25", 2, (int[]){ ROUTE_EXIT, 0 },
	             (double[]){ 0.75, 1 });
	assert_route(&hm, "secondary:0.5,nii:0.5,exit", 3, (int[]){ 0, 2, ROUTE_EXIT },
	             (double[]){ 0.5, 1, 1 });
	assert_route(&hm, "secondary:0.3333333333,nii:0.3333333333,exit:0.3333333334", 3,
	             (int[]){ 0, 2, ROUTE_EXIT }, (double[]){ 0.3333333333, 0.6666666666, 1 });
	assert_route(&hm, "secondary:1", 1, (int[]){ 0 }, (double[]){ 1 });

	assert_route_fails(&hm, "secondary:0.5,exit:0.4",
	                   "probabilities add up to 0.9, not 1, in 'secondary:0.5,exit:0.4'");
	assert_route_fails(&hm, "secondary:0.5", "probabilities add up to 0.5, not 1, in "
	                   "'secondary:0.5'");
	assert_route_fails(&hm, "secondary:0.7,nii:0.5,exit",
	                   "probabilities add up to 1.2, more than 1, in 'secondary:0.7,nii:0.5,exit'");
	assert_route_fails(&hm, "secondary,exit", "more than one destination without a "
	                   "probability in 'secondary,exit'; only one may take the remainder");
	assert_route_fails(&hm, "secondry:0.1,exit", "unknown stage 'secondry'; did you mean "
	                   "'secondary'?");
	assert_route_fails(&hm, "customs", "unknown stage 'customs'");
	assert_route_fails(&hm, "nii:0.5,nii:0.5", "'nii' appears twice in 'nii:0.5,nii:0.5'");
	assert_route_fails(&hm, "exit:0.5,exit", "'exit' appears twice in 'exit:0.5,exit'");
	assert_route_fails(&hm, "nii:1.5", "probability of 'nii': expected a number from 0 to 1, "
	                   "got '1.5'");
	assert_route_fails(&hm, "nii:-0.1,exit", "probability of 'nii': expected a number from 0 "
	                   "to 1, got '-0.1'");
	assert_route_fails(&hm, "nii:nan,exit", "probability of 'nii': expected a number from 0 "
	                   "to 1, got 'nan'");
	assert_route_fails(&hm, "nii:,exit", "probability of 'nii': expected a number from 0 to "
	                   "1, got ''");
	assert_route_fails(&hm, ":0.5,exit", "missing stage name in ':0.5'");
	assert_route_fails(&hm, "", "expected 'exit', a stage, or a list such as "
	                   "'secondary:0.2,exit', got ''");
	assert_route_fails(&hm, "nii:0.5,,exit", "expected 'exit', a stage, or a list such as "
	                   "'secondary:0.2,exit', got 'nii:0.5,,exit'");
	model_release(&hm);
}

static void test_routes_in_files(void **state)
{
	/* a route may name a stage that appears later */
	assert_int_equal(compile_text("[stream.car]\nper_day = 1\nroute = a:0.25, b\n"
	                              "[stage.a]\nservice = fixed(1s)\nnext = b:0.5, exit\n"
	                              "[stage.b]\nservice = fixed(1s)\n"), 0);
	assert_int_equal(m.stream[0].route.dest[1], 1);
	assert_true(m.stream[0].route.cum[0] == 0.25);
	assert_int_equal(m.stage[0].next.dest[0], 1);
	assert_fails(NET "next = secondry:0.1, exit\n[stage.secondary]\nservice = fixed(1s)\n", 6,
	             "stage.primary.next: unknown stage 'secondry'; did you mean 'secondary'?");
	assert_fails(NET "next = primary:0.5, exit:0.4\n", 6,
	             "stage.primary.next: probabilities add up to 0.9, not 1, in "
	             "'primary:0.5, exit:0.4'");
	assert_fails(NET "next = primary:0.1, primary:0.2, exit\n", 6,
	             "stage.primary.next: 'primary' appears twice in 'primary:0.1, primary:0.2, "
	             "exit'");
	assert_fails("[stream.car]\nper_day = 1\nroute = primry\n[stage.primary]\n"
	             "service = fixed(1s)\n", 3,
	             "stream.car.route: unknown stage 'primry'; did you mean 'primary'?");
	/* a loop with no way out */
	assert_fails(NET "next = primary\n", 6, "stage.primary.next: arrivals at 'primary' can "
	             "never leave: no route from it reaches exit");
	assert_fails("[stream.car]\nper_day = 1\nroute = a\n[stage.a]\nservice = fixed(1s)\n"
	             "next = b\n[stage.b]\nservice = fixed(1s)\nnext = a:1, exit:0\n", 6,
	             "stage.a.next: arrivals at 'a' can never leave: no route from it reaches "
	             "exit");
	/* a loop with a way out is fine */
	assert_int_equal(compile_text("[stream.car]\nper_day = 1\nroute = a\n[stage.a]\n"
	                              "service = fixed(1s)\nnext = b\n[stage.b]\n"
	                              "service = fixed(1s)\nnext = a:0.5, exit\n"), 0);
}

/* ---- structure ---------------------------------------------------------- */

static void test_required_and_empty(void **state)
{
	assert_fails("[stream.car]\n\nper_day = 1\n[stage.a]\nservice = fixed(1s)\n", 3,
	             "stream.car.route: required key missing from [stream.car]");
	assert_fails("[stream.car]\nroute = a\n[stage.a]\nservice = fixed(1s)\n", 2,
	             "stream.car.per_day: required key missing from [stream.car]");
	assert_fails(NET "[stage.b]\n; first key of b below\nservers = 2\n", 8,
	             "stage.b.service: required key missing from [stage.b]: give service or per_hour");

	char *want = xasprintf("%s/x.ini: no streams: a scenario needs at least one "
	                       "[stream.NAME] section", tmpdir);
	assert_int_equal(compile_text("[scenario]\ndays = 1\n[stage.a]\nservice = fixed(1s)\n"),
	                 EX_DATAERR);
	assert_string_equal(err, want);
	free(want);
	want = xasprintf("%s/x.ini: no stages: a scenario needs at least one [stage.NAME] section",
	                 tmpdir);
	assert_int_equal(compile_text("[stream.car]\nper_day = 1\nroute = exit\n"), EX_DATAERR);
	assert_string_equal(err, want);
	free(want);
}

static void test_order_of_first_appearance(void **state)
{
	assert_int_equal(compile_text("[stage.z]\nservice = fixed(1s)\n"
	                              "[stream.b]\nper_day = 1\nroute = z\n"
	                              "[stage.a]\nservice = fixed(1s)\n"
	                              "[stream.a]\nper_day = 2\nroute = a\n"
	                              "[stage.z]\nservers = 2\n"), 0);
	assert_int_equal(m.nstage, 2);
	assert_string_equal(m.stage[0].name, "z");
	assert_int_equal(m.stage[0].servers[0], 2);
	assert_string_equal(m.stage[1].name, "a");
	assert_string_equal(m.stream[0].name, "b");
	assert_string_equal(m.stream[1].name, "a");
	assert_int_equal(m.stream[1].route.dest[0], 1);
}

static void test_set_messages(void **state)
{
	assert_int_equal(compile_text(NET), 0);
	assert_int_equal(scenario_set(&sc, "stage.primary.servers=ten", err, sizeof err), 0);
	model_release(&m);
	assert_int_equal(model_compile(&m, &sc, err, sizeof err), EX_DATAERR);
	assert_string_equal(err, "--set 'stage.primary.servers=ten': stage.primary.servers: "
	                    "expected a whole number from 0 to 100000, 24 of them, or unlimited or auto, "
	                    "got 'ten'");

	assert_int_equal(scenario_set(&sc, "stage.primary.servers=3", err, sizeof err), 0);
	assert_int_equal(scenario_set(&sc, "stage.extra.servers=2", err, sizeof err), EX_DATAERR);
	assert_string_equal(err, "--set 'stage.extra.servers=2': stage.extra: no such section in "
	                    "the scenario; --set and --vary change the sections its files define, "
	                    "they add none");
	scenario_put(&sc, "stage.extra", "servers", "2");
	model_release(&m);
	assert_int_equal(model_compile(&m, &sc, err, sizeof err), EX_DATAERR);
	assert_string_equal(err, "--set 'stage.extra.servers=2': stage.extra.service: required "
	                    "key missing from [stage.extra]: give service or per_hour");

	assert_int_equal(scenario_set(&sc, "stage.extra.service=fixed(2min)", err, sizeof err), 0);
	assert_int_equal(scenario_set(&sc, "stage.primary.next=extra:0.1,exit", err, sizeof err), 0);
	model_release(&m);
	assert_int_equal(model_compile(&m, &sc, err, sizeof err), 0);
	assert_int_equal(m.nstage, 2);
	assert_int_equal(m.stage[0].servers[12], 3);
	assert_int_equal(m.stage[0].next.dest[0], 1);
}

/* model_compile_fault names the entry whose place opens the message and
 * where the problem starts after it: a --set's, a file's, none. */
static void test_compile_fault(void **state)
{
	struct scenario_fault f;
	assert_int_equal(compile_text(NET), 0);
	assert_int_equal(scenario_set(&sc, "stage.primary.servers=ten", err, sizeof err), 0);
	model_release(&m);
	assert_int_equal(model_compile_fault(&m, &sc, &f, err, sizeof err), EX_DATAERR);
	assert_ptr_equal(f.entry, scenario_get(&sc, "stage.primary", "servers"));
	assert_string_equal(err + f.problem, "stage.primary.servers: expected a whole number "
	                    "from 0 to 100000, 24 of them, or unlimited or auto, got 'ten'");

	/* required, missing: blamed on the first entry of its section */
	scenario_put(&sc, "stage.primary", "servers", "2");
	scenario_put(&sc, "stage.extra", "servers", "2");
	model_release(&m);
	assert_int_equal(model_compile_fault(&m, &sc, &f, err, sizeof err), EX_DATAERR);
	assert_ptr_equal(f.entry, scenario_get(&sc, "stage.extra", "servers"));
	assert_string_equal(err + f.problem, "stage.extra.service: required key missing from "
	                    "[stage.extra]: give service or per_hour");

	assert_int_equal(compile_text(NET "servers = 0x\n"), EX_DATAERR);
	model_release(&m);
	assert_int_equal(model_compile_fault(&m, &sc, &f, err, sizeof err), EX_DATAERR);
	assert_non_null(f.entry);
	assert_int_equal(f.entry->line, 6);
	assert_string_equal(f.entry->key, "servers");
	char *where = xasprintf("%s/x.ini:6: ", tmpdir);
	assert_int_equal(f.problem, strlen(where));
	assert_memory_equal(err, where, f.problem);
	free(where);

	assert_int_equal(compile_text("[stage.primary]\nservice = fixed(1min)\n"), EX_DATAERR);
	model_release(&m);
	assert_int_equal(model_compile_fault(&m, &sc, &f, err, sizeof err), EX_DATAERR);
	assert_null(f.entry);
	assert_int_equal(f.problem, 0);
}

/* scenario_put does not check names; the compiler does. */
static void test_put_bad_name(void **state)
{
	assert_int_equal(compile_text(NET), 0);
	scenario_put(&sc, "stage.a b", "service", "fixed(1s)");
	model_release(&m);
	assert_int_equal(model_compile(&m, &sc, err, sizeof err), EX_DATAERR);
	assert_string_equal(err, "--set 'stage.a b.service=fixed(1s)': stage.a b.service: bad "
	                    "name 'a b'");
}

static void test_release_is_safe(void **state)
{
	struct model z;
	memset(&z, 0, sizeof z);
	model_release(&z);
	model_release(&z);
	/* a compile that fails half-way leaves a model model_release frees */
	assert_fails(NET "[stage.b]\nservice = fixed(1s)\nnext = nowhere\n", 8,
	             "stage.b.next: unknown stage 'nowhere'");
	assert_int_equal(m.nstage, 2);
	model_release(&m);
	assert_null(m.stage);
	assert_null(m.name);
	model_release(&m);
}

/* ---- the shipped baseline ----------------------------------------------- */

/* Arrivals an hour at each stage in clock hour h: streams' routes, then
 * stages' routes to a fixed point (the network has no cycles, so a pass
 * per stage settles it). */
static void offered(const struct model *bm, int h, double *lambda)
{
	for (size_t s = 0; s < bm->nstage; s++)
		lambda[s] = 0;
	for (size_t pass = 0; pass <= bm->nstage; pass++) {
		double *next = xcalloc(bm->nstage, sizeof *next);
		for (size_t i = 0; i < bm->nstream; i++) {
			const struct route *r = &bm->stream[i].route;
			double rate = bm->stream[i].per_day * bm->stream[i].weight[h];
			for (size_t k = 0; k < r->n; k++)
				if (r->dest[k] != ROUTE_EXIT)
					next[r->dest[k]] += rate * (r->cum[k] - (k ? r->cum[k - 1] : 0));
		}
		for (size_t s = 0; s < bm->nstage; s++) {
			const struct route *r = &bm->stage[s].next;
			for (size_t k = 0; k < r->n; k++)
				if (r->dest[k] != ROUTE_EXIT)
					next[r->dest[k]] += lambda[s] * (r->cum[k] - (k ? r->cum[k - 1] : 0));
		}
		memcpy(lambda, next, bm->nstage * sizeof *next);
		free(next);
	}
}

/* The national baseline staffs each port's stages by square-root staffing of
 * each hour's load (servers = auto). Over the day the load, computed here on
 * its own (without the spread of group members, which moves a cruise ship's
 * passengers into later hours: hence the day, not each hour or shift), stays
 * below the server-hours at every stage, so every queue clears. Delay stages
 * (unlimited servers) cannot overflow. */
static void test_baseline_is_stable(void **state)
{
	model_release(&m);
	scenario_release(&sc);
	scenario_init(&sc);
	assert_int_equal(scenario_load(&sc, "scenarios/baseline.ini", err, sizeof err), 0);
	assert_int_equal(model_compile(&m, &sc, err, sizeof err), 0);
	assert_string_equal(m.name, "baseline");
	assert_true(m.days == 1 && m.warmup_days == 7);
	assert_int_equal(m.replications, 10);
	assert_true(m.nstream >= 300 && m.nstage >= 1000 && m.nport >= 114 + 20 && m.national);
	double *lambda = xcalloc(m.nstage, sizeof *lambda);
	double *load = xcalloc(m.nstage, sizeof *load), *cap = xcalloc(m.nstage, sizeof *cap);
	for (int h = 0; h < MODEL_HOURS; h++) {
		offered(&m, h, lambda);
		for (size_t s = 0; s < m.nstage; s++) {
			load[s] += lambda[s] * m.stage[s].service.mean / 60.0;
			cap[s] += m.stage[s].servers[h];
		}
	}
	for (size_t s = 0; s < m.nstage; s++)
		if (!m.stage[s].unlimited && !(load[s] < cap[s])) {
			print_error("stage %s: load %.1f server-hours a day on %.0f\n", m.stage[s].name,
			            load[s], cap[s]);
			fail();
		}
	free(lambda);
	free(load);
	free(cap);
}

/* ---- domain keys ------------------------------------------------------------ */

static void test_domain_values(void **state)
{
	assert_int_equal(compile_text(NET
		"servers = 7 7 7 7 7 7 7 7 7 7 7 7 7 7 7 7 7 7 7 7 7 7 7 2\n"
		"kind = nii\n"
		"group = ports\n"
		"targeting = 0.8\n"
		"[stream.car]\n"
		"persons = 1:0.5, 2:0.3, 3:0.2\n"
		"counts_as = travelers_land\n"
		"value = 1200\n"
		"group = land\n"
		"[stage.hold]\n"
		"servers = unlimited\n"
		"kind = custody\n"
		"rated_capacity = 500\n"
		"service = lognormal(mean=39h, cv=1)\n"
		"[stage.scan]\n"
		"per_hour = 80\n"
		"flush_above = 30\n"
		"[find.drugs]\n"
		"stages = primary, scan\n"
		"probability = 0.01\n"
		"concentration = 3\n"
		"amount = lognormal(mean=12, cv=2)\n"
		"unit = lb\n"
		"counts_as = drugs\n"
		"[staffing.short]\n"
		"group = ports\n"
		"factor = 0.85\n"), 0);
	const struct model_stage *p = &m.stage[0], *hold = &m.stage[1], *scan = &m.stage[2];
	assert_int_equal(p->servers[0], 6);            /* 7 x 0.85 = 5.95 */
	assert_int_equal(p->servers[23], 2);           /* 1.7 */
	assert_int_equal(p->kind, STAGE_NII);
	assert_true(p->targeting == 0.8);
	assert_int_equal(hold->unlimited, 1);
	assert_int_equal(hold->kind, STAGE_CUSTODY);
	assert_int_equal(hold->rated_capacity, 500);
	assert_true(fabs(scan->service.mean - 0.75) < 1e-12);   /* 60/80 min */
	assert_true(scan->service.var == 0);
	assert_int_equal(scan->flush_above, 30);
	assert_int_equal(m.stream[0].npersons, 3);
	assert_true(fabs(m.stream[0].persons_mean - 1.7) < 1e-12);
	assert_int_equal(m.stream[0].counts, COUNTS_TRAVELERS_LAND);
	assert_true(m.stream[0].value == 1200);
	assert_string_equal(m.stream[0].group, "land");
	assert_int_equal(m.nfind, 1);
	assert_int_equal(m.find[0].nstage, 2);
	assert_int_equal(m.find[0].stage[1], 2);
	assert_true(m.find[0].amount.mean == 12);
	assert_string_equal(m.find[0].unit, "lb");
	assert_int_equal(m.find[0].counts, FIND_DRUGS);
	assert_true(m.uses_risk && m.national);
}

static void test_surge_and_closure(void **state)
{
	assert_int_equal(compile_text("[scenario]\nwarmup_days = 2\n" NET
		"[stream.car]\ngroup = land\n"
		"[stream.bus]\nper_day = 10\nroute = primary\ngroup = land\n"
		"[stream.plane]\nper_day = 10\nroute = primary\n"
		"[surge.holiday]\ngroup = land\nfactor = 1.5\nstart = 1d\nramp_up = 12h\n"
		"duration = 2d\nramp_down = 6h\n"
		"[closure.storm]\nstages = primary\nstart = 30h\nduration = 36h\n"), 0);
	assert_int_equal(m.stream[0].nsurge, 1);
	assert_int_equal(m.stream[1].nsurge, 1);
	assert_int_equal(m.stream[2].nsurge, 0);
	const struct model_surge *sg = &m.stream[1].surge[0];
	double w = 2 * 1440;
	assert_true(sg->factor == 1.5);
	assert_true(sg->t0 == w + 1440 && sg->t1 == w + 1440 + 720);
	assert_true(sg->t2 == sg->t1 + 2880 && sg->t3 == sg->t2 + 360);
	assert_int_equal(m.stage[0].nclosure, 1);
	assert_true(m.stage[0].closure[0].start == w + 1800);
	assert_true(m.stage[0].closure[0].end == w + 1800 + 2160);
	assert_int_equal(m.nwindow, 2);
	assert_string_equal(m.window[0].label, "surge holiday");
	assert_true(m.window[0].start == 1440 && m.window[0].end == 1440 + 720 + 2880 + 360);
	assert_string_equal(m.window[1].label, "closure storm");
}

/* Groups: the three forms of batch, the spread, and a stream without either
 * left as it was (not batched: no groups metric, no extra generators). A
 * spread adds one event a member to the estimate of the run's events. */
static void test_batch_values(void **state)
{
	assert_int_equal(compile_text(NET), 0);
	assert_false(m.stream[0].batched);
	double plain = m.est_events;
	assert_int_equal(compile_text(NET "[stream.car]\nbatch = 150:0.3, 250:0.5, 350:0.2\n"), 0);
	const struct model_stream *s = &m.stream[0];
	assert_true(s->batched && s->spread_zero);
	assert_int_equal(s->nbatch, 3);
	assert_int_equal(s->batch[2], 350);
	assert_true(fabs(s->batch_mean - 240) < 1e-12);
	assert_true(m.est_events == plain);
	assert_int_equal(compile_text(NET "[stream.car]\nbatch = 40\n"), 0);
	assert_true(m.stream[0].nbatch == 1 && m.stream[0].batch_mean == 40);
	/* a mean: the whole numbers either side, in the shares that make it */
	assert_int_equal(compile_text(NET "[stream.car]\nbatch = 14.8\n"), 0);
	s = &m.stream[0];
	assert_true(s->nbatch == 2 && s->batch[0] == 14 && s->batch[1] == 15);
	assert_true(fabs(s->batch_mean - 14.8) < 1e-12);
	assert_true(fabs(s->bcum[0] - 0.2) < 1e-12);
	assert_int_equal(compile_text(NET "[stream.car]\npersons = 1.89\n"), 0);
	assert_true(m.stream[0].npersons == 2 && fabs(m.stream[0].persons_mean - 1.89) < 1e-12);
	assert_int_equal(compile_text(NET "[stream.car]\nbatch = uniform(100, 300)\n"
	                              "batch_spread = uniform(0min, 20min)\n"), 0);
	s = &m.stream[0];
	assert_true(s->batched && !s->spread_zero);
	assert_int_equal(s->nbatch, 0);
	assert_int_equal(s->batch_dist.kind, DIST_UNIFORM);
	assert_true(fabs(s->batch_mean - 200) < 1e-9);   /* symmetric about 200 */
	assert_true(fabs(s->spread.mean - 10) < 1e-12);
	/* 100 visits a day of two events, plus 100 spread members of one */
	assert_true(fabs(m.est_events - plain * 1.5) < 1e-9 * plain);
	assert_int_equal(compile_text(NET "[stream.car]\nbatch = fixed(0.2)\n"), 0);
	assert_true(m.stream[0].batch_mean == 1);   /* rounded up to one member */
	assert_int_equal(compile_text(NET "[stream.car]\nbatch = fixed(2.5)\n"), 0);
	assert_true(m.stream[0].batch_mean == 3);   /* halves round up */
	/* the mean of the rounded draws, 1 + sum_k P(X >= k + 0.5), not the mean */
	assert_int_equal(compile_text(NET "[stream.car]\nbatch = exponential(1.2)\n"), 0);
	assert_true(fabs(m.stream[0].batch_mean - (1 + exp(-1.5 / 1.2) / (1 - exp(-1 / 1.2)))) <
	            1e-12);
	assert_int_equal(compile_text(NET "[stream.car]\nbatch = triangular(0, 0, 3)\n"), 0);
	/* P(X >= x) = (3 - x)^2 / 9 at x = 1.5, 2.5: 1 + (1.5^2 + 0.5^2) / 9 */
	assert_true(fabs(m.stream[0].batch_mean - (1 + 2.5 / 9)) < 1e-12);
	assert_int_equal(compile_text(NET "[stream.car]\nbatch_spread = fixed(5min)\n"), 0);
	assert_true(m.stream[0].batched && m.stream[0].batch_mean == 1);
}

/* The compile of text fails at line 7 with a message containing rest. */
static void assert_fails_with(const char *text, const char *rest)
{
	assert_int_equal(compile_text(text), EX_DATAERR);
	char *want = xasprintf("%s/x.ini:7: %s", tmpdir, rest);
	assert_contains(err, want);
	free(want);
}

static void test_batch_errors(void **state)
{
	assert_fails(NET "[stream.car]\nbatch = 0\n", 7,
	             "stream.car.batch: expected a whole number from 1 to 1000000, shares such as "
	             "150:0.6, 250:0.4, a mean such as 14.8, or a distribution, got '0'");
	assert_fails_with(NET "[stream.car]\nbatch = 0.5\n", "stream.car.batch: expected a whole");
	assert_fails_with(NET "[stream.car]\nbatch = 1000001\n", "stream.car.batch: expected a whole");
	assert_fails(NET "[stream.car]\nbatch = 150:0.3, 250:0.5\n", 7,
	             "stream.car.batch: shares of batch add up to 0.8, not 1, in '150:0.3, 250:0.5'");
	assert_fails_with(NET "[stream.car]\nbatch = 150:0.3, 0:0.7\n",
	                  "stream.car.batch: expected a whole");
	assert_fails_with(NET "[stream.car]\nbatch = lognormal(mean=-3, cv=1)\n",
	                  "stream.car.batch: lognormal parameter 'mean': expected a number from 0");
	assert_fails(NET "[stream.car]\nbatch = lognormal(mean=2e6, cv=0.5)\n", 7,
	             "stream.car.batch: a group's mean size must be at most 1e+06, but "
	             "'lognormal(mean=2e6, cv=0.5)' has a mean of 2e+06");
	assert_fails_with(NET "[stream.car]\nbatch = uniform(1min, 2min)\n",
	                  "stream.car.batch: uniform parameter 'a': expected a finite number");
	assert_fails(NET "[stream.car]\nbatch_spread = uniform(0, 20)\n", 7,
	             "stream.car.batch_spread: uniform parameter 'a': missing unit in '0': durations "
	             "need s, min, h or d");
	assert_fails_with(NET "[stream.car]\nbatch_spread = 10min\n",
	                  "stream.car.batch_spread: unknown distribution");
}

static void test_domain_errors(void **state)
{
	assert_fails(NET "per_hour = 10\n", 6,
	             "stage.primary.per_hour: give service or per_hour, not both");
	assert_fails(NET "kind = customs\n", 6,
	             "stage.primary.kind: expected one of inspection, nii, agriculture, custody, "
	             "checkpoint, got 'customs'");
	assert_fails(NET "[stream.car]\npersons = 1:0.5, 2:0.3\n", 7,
	             "stream.car.persons: shares of persons add up to 0.8, not 1, in "
	             "'1:0.5, 2:0.3'");
	assert_fails(NET "[surge.s]\nfactor = 2\nduration = 1d\n", 7,
	             "surge.s.streams: give streams, group, ports or port_groups");
	assert_fails(NET "[surge.s]\ngroup = sea\nfactor = 2\nduration = 1d\n", 7,
	             "surge.s.group: no stream is in group 'sea'");
	assert_fails(NET "[surge.s]\nstreams = truck\nfactor = 2\nduration = 1d\n", 7,
	             "surge.s.streams: unknown stream 'truck'");
	assert_fails(NET "[closure.c]\nstages = primary\nstart = 1d\n", 7,
	             "closure.c.duration: required key missing from [closure.c]");
	assert_fails(NET "[closure.c]\nstages = primary\nduration = 5\n", 8,
	             "closure.c.duration: missing unit in '5': durations need s, min, h or d");
	assert_fails(NET "[find.f]\nstages = nowhere\nprobability = 0.1\n", 7,
	             "find.f.stages: unknown stage 'nowhere'");
	assert_fails(NET "[find.f]\nstages = primary\nprobability = 1.5\n", 8,
	             "find.f.probability: expected a number from 0 to 1, got '1.5'");
	assert_fails(NET "[find.f]\nstages = primary\nprobability = 0.1\namount = fixed(2lb)\n",
	             9, "find.f.amount: fixed parameter 'value': expected a finite number, got "
	             "'2lb'");
}

/* The event budget: the estimate is 2 x visits a day x days x replications,
 * visits from the traffic equations (here 100 a day at primary, 20% of them
 * on to secondary, and 30% of secondary's back to primary), and a run over
 * the budget is refused with the estimate in the message. */
static void test_event_budget(void **state)
{
	static const char text[] =
		"[scenario]\ndays = 10\nwarmup_days = 2\nreplications = 3\n"
		"[stream.car]\nper_day = 100\nroute = primary\n"
		"[stage.primary]\nservice = fixed(1min)\nnext = secondary:0.2, exit\n"
		"[stage.secondary]\nservice = fixed(1min)\nnext = primary:0.3, exit\n";
	assert_int_equal(compile_text(text), 0);
	/* v1 = 100 + 0.3 v2, v2 = 0.2 v1: v1 = 100 / 0.94 */
	double v1 = 100 / 0.94, v2 = 0.2 * v1;
	double expect = 2 * (v1 + v2) * 12 * 3;
	assert_true(fabs(m.est_events - expect) < 1e-6 * expect);
	char *over = xasprintf("%s[scenario]\nmax_events = 5000\n", text);
	assert_int_equal(compile_text(over), EX_DATAERR);
	free(over);
	assert_contains(err, "scenario.max_events: the run would take about 9.19e+03 events");
	assert_contains(err, "over the budget of scenario.max_events = 5e+03");
	/* Each clock hour is at least one event: a long horizon without arrivals
	 * is refused too (found by tests/fuzz/fuzz_scenario.c). */
	assert_fails(NET "[stream.car]\nper_day = 0\n[scenario]\ndays = 1e300\n", 9,
	             "scenario.days: the run would step through about 2.4e+302 clock hours, each "
	             "at least one event (10 replications of 1e+300 days and 0 days of warm-up), "
	             "over the budget of scenario.max_events = 1e+10; shorten the run or raise "
	             "the budget");
	assert_int_equal(compile_text(NET "[stream.car]\nper_day = 0\n[scenario]\ndays = 1e6\n"
	                              "replications = 1\n"), 0);
}

/* ---- the key table and the messages ------------------------------------- */

/* A network with a section of every kind, each valid: every key of the table
 * has a section to be set in. stage.rate runs by per_hour. */
#define EVERY_KIND                                                               \
	NET "group = g\n"                                                        \
	"[stage.rate]\nper_hour = 10\n"                                          \
	"[find.drugs]\nstages = primary\nprobability = 0.1\n"                    \
	"[surge.s]\nstreams = car\nfactor = 2\nduration = 1h\n"                  \
	"[closure.c]\nstages = primary\nduration = 1h\n"                         \
	"[staffing.t]\nstages = primary\nfactor = 1\n"                        \
	"[target.w]\nstages = primary\nmetric = wait_mean\nlimit = 5min\n"

/* The section a row's key is tried in. */
static const char *row_section(const struct key_def *d)
{
	static const char *const at[][2] = {
		{ "scenario", "scenario" }, { "stream", "stream.car" }, { "stage", "stage.primary" },
		{ "find", "find.drugs" }, { "surge", "surge.s" }, { "closure", "closure.c" },
		{ "staffing", "staffing.t" }, { "target", "target.w" },
	};
	if (d == keys_row(KEYS_STAGE_PER_HOUR))
		return "stage.rate";
	for (size_t i = 0; i < sizeof at / sizeof at[0]; i++)
		if (strcmp(at[i][0], d->kind) == 0)
			return at[i][1];
	fail();
	return NULL;
}

/* The row's cell of values in `keys --markdown`, as a new string. */
static char *printed_values(const struct key_def *d)
{
	char *buf = NULL, *cell = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	keys_print(f, 1);
	assert_int_equal(fclose(f), 0);
	char *open = xasprintf("| `%s` | ", keys_full_name(d));
	const char *row = strstr(buf, open);
	assert_non_null(row);
	row += strlen(open);
	cell = xasprintf("%.*s", (int)(strstr(row, " | ") - row), row);
	free(open);
	free(buf);
	return cell;
}

/* Compiles EVERY_KIND with d's key set to value (24 times for a profile):
 * refused, the message quoting the bounds that `keys` prints for the row. */
static void assert_refused_with_bounds(const struct key_def *d, const char *value)
{
	char bounds[96], *cell = printed_values(d), *text;
	keys_bounds(d, bounds, sizeof bounds);
	assert_true(*bounds);
	assert_contains(cell, bounds);
	if (d->type == KEY_PROFILE)
		text = xasprintf("%s 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1", value);
	else
		text = xasprintf("%s", value);
	assert_int_equal(compile_text(EVERY_KIND), 0);
	scenario_put(&sc, row_section(d), d->name, text);
	model_release(&m);
	assert_int_equal(model_compile(&m, &sc, err, sizeof err), EX_DATAERR);
	assert_contains(err, d->name);
	assert_contains(err, bounds);
	if (d->type != KEY_PROFILE)   /* a profile's message is about one hour's weight */
		assert_contains(err, cell);
	free(text);
	free(cell);
}

/* Every numeric key, just outside each of its bounds, is refused with the
 * bounds `keys` prints for it. */
static void test_numeric_messages_quote_the_table(void **state)
{
	size_t n, tried = 0;
	const struct key_def *t = keys_table(&n);
	char v[64];
	for (size_t i = 0; i < n; i++) {
		const struct key_def *d = &t[i];
		double step = keys_whole(d) ? 1 : 0;
		if (d->lo == -KEYS_NONE && d->hi == KEYS_NONE)
			continue;
		if (d->lo != -KEYS_NONE) {
			double x = d->open & KEYS_LO_OPEN ? d->lo :
			           step ? d->lo - step : nextafter(d->lo, -INFINITY);
			snprintf(v, sizeof v, "%.17g", x);
			assert_refused_with_bounds(d, v);
			tried++;
		}
		if (d->hi != KEYS_NONE) {
			double x = d->open & KEYS_HI_OPEN ? d->hi :
			           step ? d->hi + step : nextafter(d->hi, INFINITY);
			snprintf(v, sizeof v, "%.17g", x);
			if (d->type == KEY_SEED)   /* 2^64, in full */
				snprintf(v, sizeof v, "18446744073709551616");
			assert_refused_with_bounds(d, v);
			tried++;
		}
	}
	assert_true(tried >= 25);
}

/* Every choice key refuses a word not its own, listing the row's words as
 * `keys` prints them. */
static void test_choice_messages_list_the_table(void **state)
{
	size_t n, tried = 0;
	const struct key_def *t = keys_table(&n);
	for (size_t i = 0; i < n; i++) {
		const struct key_def *d = &t[i];
		if (d->type != KEY_CHOICE)
			continue;
		char *cell = printed_values(d);
		for (size_t k = 0; d->choices[k]; k++)
			assert_contains(cell, d->choices[k]);
		assert_int_equal(compile_text(EVERY_KIND), 0);
		scenario_put(&sc, row_section(d), d->name, "zzz");
		model_release(&m);
		assert_int_equal(model_compile(&m, &sc, err, sizeof err), EX_DATAERR);
		char *want = xasprintf("expected %s, got 'zzz'", cell);
		assert_contains(err, want);
		free(want);
		free(cell);
		tried++;
	}
	assert_int_equal(tried, 6);
}

/* A subnormal value is the number it is, within the row's bounds; one too
 * close to 0 to hold is refused saying so, not as below a bound it meets. */
static void test_tiny_numbers(void **state)
{
	assert_int_equal(compile_text(NET "[stream.car]\nper_day = 4.9e-324\n[scenario]\n"
	                              "days = 4.9e-324\n"), 0);
	assert_true(m.stream[0].per_day > 0 && m.days > 0);
	assert_fails(NET "[stream.car]\nper_day = 1e-400\n", 7, "stream.car.per_day: '1e-400' is "
	             "too close to 0 to hold: write 0, or a number of at least 4.9e-324 in size");
	assert_fails(NET "[stream.car]\nprofile = 1 1 1 1 1 1 1 1 1 1 1 1e-400 1 1 1 1 1 1 1 1 1 1 "
	             "1 1\n", 7, "stream.car.profile: hour 11: '1e-400' is too close to 0 to hold: "
	             "write 0, or a number of at least 4.9e-324 in size");
	assert_fails(NET "[stream.car]\nper_day = -4.9e-324\n", 7, "stream.car.per_day: expected a "
	             "number of arrivals of at least 0, got '-4.9e-324'");
}

/* A chain of 12,000 stages named out of order, s12000 first, each routing
 * to the next and the last to exit: routes resolve to the right stages
 * through the sorted index, every stage reaches exit, and the estimate is
 * exact (12,000 visits of each arrival). Passes over every stage until
 * nothing changed stopped at 10,000 and counted too few. */
static void test_long_chain(void **state)
{
	enum { N = 12000 };
	char section[32], next[32];
	model_release(&m);
	scenario_release(&sc);
	scenario_init(&sc);
	scenario_put(&sc, "scenario", "replications", "1");
	scenario_put(&sc, "stream.car", "per_day", "100");
	scenario_put(&sc, "stream.car", "route", "s1");
	for (int k = N; k >= 1; k--) {
		snprintf(section, sizeof section, "stage.s%d", k);
		snprintf(next, sizeof next, "s%d", k + 1);
		scenario_put(&sc, section, "service", "fixed(1s)");
		scenario_put(&sc, section, "next", k == N ? "exit" : next);
	}
	assert_int_equal(model_compile(&m, &sc, err, sizeof err), 0);
	assert_int_equal(m.nstage, N);
	/* stage index i is s(N - i); its next is s(N - i + 1), index i - 1 */
	assert_int_equal(m.stream[0].route.dest[0], N - 1);
	assert_int_equal(m.stage[0].next.dest[0], ROUTE_EXIT);
	for (int i = 1; i < N; i++)
		assert_int_equal(m.stage[i].next.dest[0], i - 1);
	assert_true(fabs(m.est_events - 2.0 * 100 * N) < 1e-6 * m.est_events);

	/* one stage of the chain sent back to the first: none can leave */
	scenario_put(&sc, "stage.s1", "next", "s2");
	scenario_put(&sc, "stage.s12000", "next", "s1");
	model_release(&m);
	assert_int_equal(model_compile(&m, &sc, err, sizeof err), EX_DATAERR);
	assert_contains(err, "arrivals at 's12000' can never leave");
}

/* A chain of n stages s0 .. s(n-1), 100 arrivals a day at s0; the last
 * stage's route is last. */
static char *chain_text(size_t n, const char *last)
{
	size_t cap = 64 + n * 64, len = 0;
	char *t = xmalloc(cap);
	len += (size_t)snprintf(t + len, cap - len,
	                        "[scenario]\nreplications = 1\n[stream.car]\nper_day = 100\n"
	                        "route = s0\n");
	for (size_t i = 0; i < n; i++) {
		len += (size_t)snprintf(t + len, cap - len, "[stage.s%zu]\nservice = fixed(1s)\n", i);
		if (i + 1 < n)
			len += (size_t)snprintf(t + len, cap - len, "next = s%zu\n", i + 1);
		else
			len += (size_t)snprintf(t + len, cap - len, "next = %s\n", last);
	}
	return t;
}

/* The traffic equations solved exactly: a tandem with a rework loop visits
 * each stage 1/(1-p) times an arrival; a stage routing back to itself, and a
 * loop of more stages than LU takes, the same; what leaves a loop flows on. */
static void test_traffic_exact(void **state)
{
	double v[4];
	size_t at = 99;
	assert_int_equal(compile_text(NET "next = check\n[stage.check]\nservice = fixed(1min)\n"
	                              "next = primary:0.25, after:0.5, exit\n"
	                              "[stage.after]\nservice = fixed(1min)\nnext = after:0.9, exit\n"),
	                 0);
	assert_int_equal(traffic_visits(&m, INFINITY, v, &at), 0);
	/* primary = 100 + 0.25 check, check = primary: both 100 / 0.75 */
	assert_true(fabs(v[0] - 100 / 0.75) < 1e-9);
	assert_true(fabs(v[1] - 100 / 0.75) < 1e-9);
	/* after = 0.5 check / (1 - 0.9) */
	assert_true(fabs(v[2] - 0.5 * 100 / 0.75 / 0.1) < 1e-9);
	/* The budget's estimate: 2 events a visit, days x replications of them. */
	assert_true(fabs(m.est_events - 2 * (v[0] + v[1] + v[2]) * (m.days + m.warmup_days) *
	                                   m.replications) < 1e-6);
	/* A loop of 2,000 stages, half of what reaches its end going round again:
	 * every stage is visited twice an arrival. */
	char *t = chain_text(2000, "s0:0.5, exit");
	assert_int_equal(compile_text(t), 0);
	free(t);
	double *big = xmalloc(2000 * sizeof *big);
	assert_int_equal(traffic_visits(&m, INFINITY, big, &at), 0);
	for (size_t i = 0; i < 2000; i++)
		assert_true(fabs(big[i] - 200) < 200e-9);
	free(big);
}

/* Long networks are solved in linear time: a chain of 30,000 stages, and
 * one of 30,000 whose end routes back to its start. */
static void test_traffic_long(void **state)
{
	char *t = chain_text(30000, "exit");
	assert_int_equal(compile_text(t), 0);
	free(t);
	assert_true(fabs(m.est_events - 2 * 100 * 30000 * (m.days + m.warmup_days)) < 1e-3);
	t = chain_text(30000, "s0:0.75, exit");
	assert_int_equal(compile_text(t), 0);
	free(t);
	double want = 2 * 400 * 30000 * (m.days + m.warmup_days);
	assert_true(fabs(m.est_events - want) < 1e-9 * want);
}

/* The budget cannot be escaped by a loop that is all but closed: the
 * 1e12 expected visits an arrival are refused up front, whether the loop is
 * one stage, two, or longer than LU takes; a closed one is refused as never
 * leaving, and the solver names it. */
static void test_traffic_near_singular(void **state)
{
	assert_fails(NET "next = primary:0.999999999999, exit\n", 2,
	             "stream.car.per_day: the run would take about 2e+15 events (10 replications "
	             "of 1 days and 0 days of warm-up), over the budget of scenario.max_events = "
	             "1e+10; shorten the run or raise the budget");
	assert_fails(NET "next = check\n[stage.check]\nservice = fixed(1min)\n"
	             "next = primary:0.999999999999, exit\n", 2,
	             "stream.car.per_day: the run would take about 4e+15 events (10 replications "
	             "of 1 days and 0 days of warm-up), over the budget of scenario.max_events = "
	             "1e+10; shorten the run or raise the budget");
	char *t = chain_text(3000, "s0:0.999999999999, exit");
	assert_int_equal(compile_text(t), EX_DATAERR);
	free(t);
	assert_contains(err, "over the budget of scenario.max_events = 1e+10");
	assert_fails(NET "next = check\n[stage.check]\nservice = fixed(1min)\nnext = primary\n", 6,
	             "stage.primary.next: arrivals at 'primary' can never leave: no route from it "
	             "reaches exit");
	/* The solver by itself: the closed loop has no finite visits. */
	struct route *r = &m.stage[1].next;
	assert_int_equal(r->dest[0], 0);
	double v[2];
	size_t at = 99;
	assert_int_equal(traffic_visits(&m, INFINITY, v, &at), -1);
	assert_true(at == 0 || at == 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_defaults, release),
		cmocka_unit_test_teardown(test_scenario_values, release),
		cmocka_unit_test_teardown(test_servers_one_or_24, release),
		cmocka_unit_test_teardown(test_capacity, release),
		cmocka_unit_test_teardown(test_profile, release),
		cmocka_unit_test_teardown(test_stream_values, release),
		cmocka_unit_test_teardown(test_service, release),
		cmocka_unit_test(test_parse_route),
		cmocka_unit_test_teardown(test_routes_in_files, release),
		cmocka_unit_test_teardown(test_required_and_empty, release),
		cmocka_unit_test_teardown(test_order_of_first_appearance, release),
		cmocka_unit_test_teardown(test_set_messages, release),
		cmocka_unit_test_teardown(test_put_bad_name, release),
		cmocka_unit_test_teardown(test_compile_fault, release),
		cmocka_unit_test_teardown(test_release_is_safe, release),
		cmocka_unit_test_teardown(test_baseline_is_stable, release),
		cmocka_unit_test_teardown(test_domain_values, release),
		cmocka_unit_test_teardown(test_surge_and_closure, release),
		cmocka_unit_test_teardown(test_domain_errors, release),
		cmocka_unit_test_teardown(test_event_budget, release),
		cmocka_unit_test_teardown(test_numeric_messages_quote_the_table, release),
		cmocka_unit_test_teardown(test_choice_messages_list_the_table, release),
		cmocka_unit_test_teardown(test_tiny_numbers, release),
		cmocka_unit_test_teardown(test_long_chain, release),
		cmocka_unit_test_teardown(test_traffic_exact, release),
		cmocka_unit_test_teardown(test_traffic_long, release),
		cmocka_unit_test_teardown(test_traffic_near_singular, release),
		cmocka_unit_test_teardown(test_batch_values, release),
		cmocka_unit_test_teardown(test_batch_errors, release),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
