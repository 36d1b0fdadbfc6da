/* test_batch: sweeps, shards and comparisons without running a model — the
 * --vary grammar and grid order, --shard parsing and selection, the
 * fingerprint, sweep.svg's choice of series from streamed points, and paired
 * differences (test_merge.c: merge); and that a real sweep's memory does not
 * grow with its points beyond a stated bound. */
#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <unistd.h>

#include <cmocka.h>

#include "batch.h"
#include "cli.h"
#include "report.h"
#include "scenario.h"
#include "results.h"
#include "util.h"
#include "testfiles.h"
#include "testsweep.h"

/* ---- helpers ---- */

/* The values of the one axis of a grid made from arg, joined by '|'. */
static char *axis_values(const char *arg)
{
	struct batch_grid g;
	char err[256];
	batch_grid_init(&g);
	if (batch_grid_add(&g, arg, err, sizeof err) != 0)
		fail_msg("'%s': %s", arg, err);
	char *s = xstrdup("");
	for (size_t i = 0; i < g.axis[0].nvalue; i++) {
		char *t = xasprintf("%s%s%s", s, i ? "|" : "", g.axis[0].value[i]);
		free(s);
		s = t;
	}
	assert_int_equal(g.npoint, g.axis[0].nvalue);
	batch_grid_release(&g);
	return s;
}

static void check_values(const char *arg, const char *want)
{
	char *got = axis_values(arg);
	if (strcmp(got, want) != 0)
		fail_msg("--vary '%s' gave '%s', expected '%s'", arg, got, want);
	free(got);
}

/* batch_grid_add fails with EX_USAGE and a message holding want. */
static void check_bad(const char *arg, const char *want)
{
	struct batch_grid g;
	char err[512] = "";
	batch_grid_init(&g);
	int status = batch_grid_add(&g, arg, err, sizeof err);
	if (status != EX_USAGE || !strstr(err, want) || !strstr(err, "--vary '"))
		fail_msg("--vary '%s': status %d, message '%s', expected 64 and '%s'", arg, status,
		         err, want);
	assert_int_equal(g.naxis, 0);
	batch_grid_release(&g);
}

/* ---- the grid ---- */

static void vary_lists(void **state)
{
	(void)state;
	check_values("stage.a.servers=1,1.5,2", "1|1.5|2");
	check_values("stage.a.servers= 4 , 5 ", "4|5");
	check_values("stage.a.servers=7", "7");
	check_values("stage.a.service=gamma(1min, 0.5),fixed(30s)", "gamma(1min, 0.5)|fixed(30s)");
	check_values("stage.a.next=b:0.2", "b:0.2");                 /* one colon: a value */
	check_values("stage.a.servers=1:2:1,5", "1:2:1|5");           /* a list, not a range */
	/* A ';' anywhere: the points split at semicolons only, commas stay in a value. */
	check_values("stage.a.next=b:0.2,exit;b:0.4,exit", "b:0.2,exit|b:0.4,exit");
	check_values("stream.t.persons= 1:0.6, 2:0.4 ; 1:0.5, 2:0.5 ", "1:0.6, 2:0.4|1:0.5, 2:0.5");
	check_values("stage.a.next=b:0.2,exit;", "b:0.2,exit");       /* one point */
	check_values("x.y.z=1:3:1;", "1:3:1");                        /* a value, not a range */
}

static void vary_ranges(void **state)
{
	(void)state;
	check_values("stage.a.servers=1:3:0.5", "1|1.5|2|2.5|3");
	check_values("x.y.z=0.1:0.3:0.1", "0.1|0.2|0.3");
	check_values("x.y.z=0:1:0.1", "0|0.1|0.2|0.3|0.4|0.5|0.6|0.7|0.8|0.9|1");
	check_values("x.y.z=5:1:-2", "5|3|1");
	check_values("x.y.z=2:2:1", "2");
	check_values("x.y.z=-1:1:1", "-1|0|1");
	check_values("x.y.z=1e3:3e3:1e3", "1000|2000|3000");
	check_values("x.y.z= 1 : 2 : 0.25 ", "1|1.25|1.5|1.75|2");
}

static void vary_bad_forms(void **state)
{
	(void)state;
	check_bad("stage.a.servers", "expected KEY=VALUES");
	check_bad("=1,2", "expected KEY=VALUES");
	check_bad("stage.a.servers=", "no values");
	check_bad("stage.a.servers=  ", "no values");
	check_bad("stage.a.servers=1,,2", "empty value");
	check_bad("stage.a.servers=1,", "empty value");
	check_bad("stage.a.servers=1,2,1", "value '1' given twice");
	check_bad("stage.a.next=b:0.2,exit;;exit", "empty value");
	check_bad(";", "expected KEY=VALUES");
	check_bad("stage.a.next=;", "empty value");
	check_bad("stage.a.next=b,exit;exit,b ; b,exit", "value 'b,exit' given twice");
	check_bad("stage.a.service=gamma(1min,0.5", "unbalanced parentheses");
	check_bad("stage.a.service=fixed(1s)),x", "unbalanced parentheses");
	check_bad("stage.a.servers=1:2:0.3", "not START plus a whole number of STEPs");
	check_bad("stage.a.servers=1:3:0", "does not lead");
	check_bad("stage.a.servers=1:3:-1", "does not lead");
	check_bad("stage.a.servers=3:1:1", "does not lead");
	check_bad("stage.a.servers=a:b:c", "START:STOP:STEP with numbers, got 'a'");
	check_bad("stage.a.servers=1:5:x", "got 'x'");
	check_bad("stage.a.servers=1::1", "got ''");
	check_bad("stage.a.servers=1:nan:1", "got 'nan'");
	check_bad("stage.a.servers=0:2000000:1", "more than");
}

static void vary_grid_order(void **state)
{
	(void)state;
	struct batch_grid g;
	char err[256];
	batch_grid_init(&g);
	assert_int_equal(batch_grid_add(&g, "a.x.k=1,2", err, sizeof err), 0);
	assert_int_equal(batch_grid_add(&g, "b.y.k=p,q,r", err, sizeof err), 0);
	assert_int_equal(g.naxis, 2);
	assert_int_equal(g.npoint, 6);
	assert_string_equal(g.axis[0].key, "a.x.k");
	assert_string_equal(g.axis[1].arg, "b.y.k=p,q,r");
	const char *want[6][2] = { { "1", "p" }, { "1", "q" }, { "1", "r" },
		                   { "2", "p" }, { "2", "q" }, { "2", "r" } };
	for (size_t i = 0; i < 6; i++)
		for (size_t a = 0; a < 2; a++)
			assert_string_equal(batch_grid_value(&g, i, a), want[i][a]);
	assert_int_equal(batch_grid_add(&g, "a.x.k=3", err, sizeof err), EX_USAGE);
	assert_non_null(strstr(err, "a.x.k is varied twice"));
	assert_int_equal(batch_grid_add(&g, "c.z.k=0:999999:1", err, sizeof err), EX_USAGE);
	assert_non_null(strstr(err, "more than 1000000 points"));
	assert_int_equal(g.naxis, 2);
	batch_grid_release(&g);
}

/* ---- shards ---- */

static void shard_parsing(void **state)
{
	(void)state;
	unsigned k = 0, n = 0;
	char err[256];
	assert_int_equal(batch_shard_parse("2/3", &k, &n, err, sizeof err), 0);
	assert_int_equal(k, 2);
	assert_int_equal(n, 3);
	assert_int_equal(batch_shard_parse("1/1", &k, &n, err, sizeof err), 0);
	const char *bad[] = { "3", "0/2", "3/2", "a/b", "1/0", "/2", "1/", "+1/2", "1/2/3",
		              " 1/2", "1/2 ", "-1/2", "", "1/9999999999" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err[0] = '\0';
		if (batch_shard_parse(bad[i], &k, &n, err, sizeof err) != EX_USAGE)
			fail_msg("--shard '%s' accepted", bad[i]);
		assert_non_null(strstr(err, "--shard '"));
		assert_non_null(strstr(err, "K/N"));
	}
}

static void shard_selection(void **state)
{
	(void)state;
	/* Every point in exactly one of N shards; K takes i % N == K - 1. */
	for (unsigned n = 1; n <= 5; n++)
		for (size_t i = 0; i < 17; i++) {
			unsigned owners = 0;
			for (unsigned k = 1; k <= n; k++)
				owners += (unsigned)batch_shard_has(k, n, i);
			assert_int_equal(owners, 1);
			assert_true(batch_shard_has((unsigned)(i % n) + 1, n, i));
		}
	assert_true(batch_shard_has(1, 3, 0));
	assert_true(batch_shard_has(1, 3, 9));
	assert_false(batch_shard_has(1, 3, 10));
	assert_true(batch_shard_has(2, 3, 10));
	assert_true(batch_shard_has(0, 0, 10));   /* no shards: every point */
}

static void fingerprint(void **state)
{
	(void)state;
	/* Published FNV-1a 64 test vectors. */
	assert_true(batch_hash("", 0) == 0xcbf29ce484222325ULL);
	assert_true(batch_hash("a", 1) == 0xaf63dc4c8601ec8cULL);
	assert_true(batch_hash("foobar", 6) == 0x85944171f73967e8ULL);
}

static double cell_value(const char *s)
{
	return *s ? strtod(s, NULL) : NAN;
}

/* ---- sweep.svg's series ---- */

static void chart_stages(void **state)
{
	(void)state;
	struct batch_sweep s;
	struct batch_chart c;
	make_sweep(&s, "stage.a.servers=1:5:1", 0, 0, 0);
	assert_int_equal(batch_chart_build(&c, &s), 1);
	assert_int_equal(c.npoint, 5);
	assert_int_equal(c.nseries, 12);
	const char *want[] = { "s3", "s6", "s1", "s4", "s7", "s2,x" };
	for (size_t k = 0; k < 6; k++) {
		char *w = xasprintf("stage %s wait_p95", want[k]);
		char *u = xasprintf("stage %s utilization", want[k]);
		assert_string_equal(c.series[2 * k].name, w);
		assert_string_equal(c.series[2 * k + 1].name, u);
		assert_string_equal(c.series[2 * k].unit, "min");
		assert_string_equal(c.series[2 * k + 1].unit, "fraction");
		free(w);
		free(u);
	}
	for (size_t i = 0; i < 5; i++) {
		assert_true(c.x[i] == (double)(i + 1));
		/* s3's wait_p95 as the table's strings say: 30 + i/3 at 10 digits */
		char num[32];
		table_format_number(num, sizeof num, 30.0 + (double)i / 3);
		assert_true(c.series[0].mean[i] == strtod(num, NULL));
		table_format_number(num, sizeof num, 30.0 + (double)i / 3 - 0.25);
		assert_true(c.series[0].lo[i] == strtod(num, NULL));
		assert_true(c.series[0].hi[i] > c.series[0].mean[i]);
	}
	batch_chart_release(&c);
	batch_sweep_release(&s);
}

static void chart_national_and_none(void **state)
{
	(void)state;
	struct batch_sweep s;
	struct batch_chart c;
	make_sweep(&s, "stage.a.servers=1,2,3", 0, 0, 1);
	assert_int_equal(batch_chart_build(&c, &s), 1);
	assert_int_equal(c.nseries, 2);
	assert_string_equal(c.series[0].name, "travelers_processed");
	assert_string_equal(c.series[1].name, "custody_peak");
	assert_true(c.series[1].mean[2] == 200);
	batch_chart_release(&c);
	batch_sweep_release(&s);

	make_sweep(&s, "stage.a.service=fixed(1s),fixed(2s)", 0, 0, 0);   /* not numbers */
	assert_int_equal(batch_chart_build(&c, &s), 0);
	batch_chart_release(&c);
	batch_sweep_release(&s);
	make_sweep(&s, "stage.a.servers=1:6:1", 2, 3, 0);                   /* a shard */
	assert_int_equal(batch_chart_build(&c, &s), 0);
	batch_chart_release(&c);
	batch_sweep_release(&s);
}

/* ---- sweep.csv streamed ---- */

/* sweep.csv as streamed so far, in memory. */
static char *streamed(const struct batch_sweep *s, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	assert_non_null(f);
	assert_int_equal(batch_sweep_csv(f, s), 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

/* Points handed over in any order stream out in point order, held only
 * until the points before them are in; sweep.csv, its fingerprint and the
 * chart are those of the points in order. */
static void stream_any_order(void **state)
{
	(void)state;
	struct batch_sweep a, b;
	struct batch_chart ca, cb;
	char err[256];
	make_sweep(&a, "stage.a.servers=1:9:1", 0, 0, 0);
	batch_sweep_init(&b);
	assert_int_equal(batch_grid_add(&b.grid, "stage.a.servers=1:9:1", err, sizeof err), 0);
	b.name = xstrdup("syn");
	assert_int_equal(batch_sweep_open(&b, err, sizeof err), 0);
	const size_t order[] = { 3, 1, 2, 8, 0, 4, 7, 6, 5 };
	size_t len0;
	free(streamed(&b, &len0));                       /* the header alone */
	for (size_t k = 0; k < NELEM(order); k++) {
		add_point(&b, order[k], order[k], 0);
		size_t len;
		free(streamed(&b, &len));
		assert_int_equal(len == len0, k < 4);        /* nothing until point 0 is in */
	}
	size_t la, lb;
	char *ta = streamed(&a, &la), *tb = streamed(&b, &lb);
	assert_int_equal(la, lb);
	assert_memory_equal(ta, tb, la);
	assert_true(a.csv_hash == batch_hash(ta, la) && b.csv_hash == a.csv_hash);
	assert_int_equal(b.nrow, 9 * 3 * NSTAGE);
	assert_int_equal(batch_chart_build(&ca, &a), 1);
	assert_int_equal(batch_chart_build(&cb, &b), 1);
	assert_int_equal(ca.nseries, cb.nseries);
	for (size_t k = 0; k < ca.nseries; k++) {
		assert_string_equal(ca.series[k].name, cb.series[k].name);
		assert_memory_equal(ca.series[k].mean, cb.series[k].mean, 9 * sizeof(double));
		assert_memory_equal(ca.series[k].hi, cb.series[k].hi, 9 * sizeof(double));
	}
	free(ta);
	free(tb);
	batch_chart_release(&ca);
	batch_chart_release(&cb);
	batch_sweep_release(&a);
	batch_sweep_release(&b);
}

/* ---- compare ---- */

static void put(struct results *r, const char *name, const char *metric, double v)
{
	results_add(r, "stage", name, metric, "min", v);
}

static void compare_pairs(void **state)
{
	(void)state;
	struct results base[3], scen[3];
	const double b_a[] = { 1, 2, 3 }, b_b[] = { 1, 2, NAN }, s_b[] = { 2, 4, 6 };
	for (int r = 0; r < 3; r++) {
		results_init(&base[r]);
		results_init(&scen[r]);
		put(&base[r], "a", "wait_mean", b_a[r]);
		put(&base[r], "b", "wait_mean", b_b[r]);
		put(&base[r], "c", "only_base", 1);
		put(&scen[r], "d", "only_scen", 1);     /* another order */
		put(&scen[r], "b", "wait_mean", s_b[r]);
		put(&scen[r], "a", "wait_mean", b_a[r]);
	}
	struct table t = { 0 };
	batch_compare_rows(&t, base, scen, 3);
	assert_int_equal(t.nrow, 3);
	assert_int_equal(t.ncol[0], BATCH_COMPARE_NCOL);
	assert_string_equal(t.row[0][4], "base_mean");
	assert_string_equal(t.row[0][9], "replications");
	char **a = t.row[1], **b = t.row[2];
	assert_string_equal(a[1], "a");
	assert_string_equal(a[4], "2");
	assert_string_equal(a[5], "2");
	assert_string_equal(a[6], "0");      /* unchanged: exactly zero, */
	assert_string_equal(a[7], "0");      /* and so is its interval */
	assert_string_equal(a[8], "0");
	assert_string_equal(a[9], "3");
	assert_string_equal(b[1], "b");      /* the pair with NaN is left out */
	assert_string_equal(b[4], "1.5");
	assert_string_equal(b[5], "3");
	assert_string_equal(b[6], "1.5");
	assert_string_equal(b[9], "2");
	/* d = 1, 2: sd 0.7071067812, t(0.975, 1) = 12.70620474 */
	double half = 12.70620474 * 0.7071067812 / sqrt(2.0);
	assert_true(fabs(cell_value(b[7]) - (1.5 - half)) < 1e-6);
	assert_true(fabs(cell_value(b[8]) - (1.5 + half)) < 1e-6);
	table_release(&t);
	for (int r = 0; r < 3; r++) {
		results_release(&base[r]);
		results_release(&scen[r]);
	}
}

/* ---- memory a point ---- */

/* Measured: about 3.2 KB a point with one thread, 5.5 KB under the
 * sanitizers (a compiled model is kept for every point, with its line for the
 * screen and its series for sweep.svg and report.html; the rows of sweep.csv
 * stream out). Rows kept until the end cost some 16 KB a point more, which
 * this bound catches. One thread: with two, the results of the points in hand
 * at the peak vary with the threads' timing by a few KB a point on a loaded
 * machine. */
#define POINT_KB_MAX 8

static const char *self;     /* this program, run again for a fresh process */

/* The peak resident size, in KB, of a sweep of npoint tiny points of
 * two_stage.ini, run by this program started afresh ("--peak-of": main). */
static long sweep_peak_kb(const char *root, size_t npoint)
{
	int fd[2];
	char buf[64] = "";
	assert_int_equal(pipe(fd), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char vary[64], *out = xasprintf("%s/%zu", root, npoint);
		snprintf(vary, sizeof vary, "stream.travelers.per_day=1:%zu:1", npoint);
		char *argv[] = { (char *)self, "--peak-of", "bordersim", "sweep",
			         "tests/data/e2e/two_stage.ini", "--vary", vary, "-r", "1", "-j", "1",
			         "--set", "scenario.days=0.1", "--set", "scenario.warmup_days=0", "-q",
			         "-o", out, NULL };
		/* Under AddressSanitizer freed blocks wait in a quarantine and every
		 * block has redzones: without the quarantine and with the smallest
		 * redzones the child measures what the program holds, not the
		 * sanitizer (about 3 KB a point then). Options given later win. */
		const char *asan = getenv("ASAN_OPTIONS");
		char *opts = xasprintf("%s%squarantine_size_mb=0:thread_local_quarantine_size_kb=0:"
		                       "malloc_context_size=0:redzone=16", asan ? asan : "",
		                       asan && *asan ? ":" : "");
		setenv("ASAN_OPTIONS", opts, 1);
		dup2(fd[1], STDOUT_FILENO);
		execv(self, argv);
		_exit(127);
	}
	close(fd[1]);
	ssize_t n = read(fd[0], buf, sizeof buf - 1);
	close(fd[0]);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_true(n > 0);
	return atol(buf);
}

static void sweep_memory_per_point(void **state)
{
	(void)state;
	char root[] = "/tmp/test_batch.XXXXXX";
	assert_non_null(mkdtemp(root));
	long small = sweep_peak_kb(root, 1000), large = sweep_peak_kb(root, 4000);
	rm_rf(root);
	print_message("peak %ld KB at 1000 points, %ld KB at 4000: %.2f KB a point\n", small,
	              large, (double)(large - small) / 3000);
	assert_true(large - small < 3000 * POINT_KB_MAX);
}

/* With "--peak-of bordersim ARGS": runs the program's command line and
 * prints its peak resident size in KB: VmHWM, which begins anew at exec,
 * where getrusage's ru_maxrss keeps the peak of the process before it. */
int main(int argc, char **argv)
{
	self = argv[0];
	if (argc > 2 && strcmp(argv[1], "--peak-of") == 0) {
		int rc = cli_main(argc - 2, argv + 2);
		char line[256];
		FILE *f = fopen("/proc/self/status", "r");
		while (f && fgets(line, sizeof line, f))
			if (strncmp(line, "VmHWM:", 6) == 0)
				printf("%ld\n", atol(line + 6));
		if (f)
			fclose(f);
		return rc;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(vary_lists),
		cmocka_unit_test(vary_ranges),
		cmocka_unit_test(vary_bad_forms),
		cmocka_unit_test(vary_grid_order),
		cmocka_unit_test(shard_parsing),
		cmocka_unit_test(shard_selection),
		cmocka_unit_test(fingerprint),
		cmocka_unit_test(chart_stages),
		cmocka_unit_test(chart_national_and_none),
		cmocka_unit_test(stream_any_order),
		cmocka_unit_test(compare_pairs),
		cmocka_unit_test(sweep_memory_per_point),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
