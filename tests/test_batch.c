/* test_batch: sweeps, shards and comparisons without running a model — the
 * --vary grammar and grid order, --shard parsing and selection, the
 * fingerprint, sweep.svg's choice of series, paired differences, and merge:
 * shards of a synthetic sweep joined back byte for byte, and every refusal. */
#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include <cmocka.h>

#include "batch.h"
#include "report.h"
#include "scenario.h"
#include "results.h"
#include "util.h"
#include "testfiles.h"

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

/* ---- a synthetic sweep ---- */

#define NSTAGE 8

/* Stage st's mean queue at point i: the busiest order at every point is
 * s3, s6, s1, s4, s7, s2, s5, s0 (st * 5 % 8 = 0 5 2 7 4 1 6 3), except that
 * s5's is undefined and so counts as the least busy. */
static double queue_of(unsigned st, size_t i)
{
	return st == 5 ? NAN : (double)(st * 5 % NSTAGE) + 0.5 * (double)i;
}

static void add_metric(struct batch_sweep *s, const char *lead, const char *scope,
                       const char *name, const char *metric, const char *unit, double mean)
{
	char num[4][32];
	table_format_number(num[0], 32, mean);
	table_format_number(num[1], 32, 0.5);
	table_format_number(num[2], 32, mean - 0.25);
	table_format_number(num[3], 32, mean + 1.0 / 3.0);
	const char *row[] = { lead, "syn", scope, name, metric, unit, num[0], num[1], num[2],
		              num[3], num[0], num[0], "5" };
	table_add(&s->table, row, sizeof row / sizeof row[0]);
}

static void add_point(struct batch_sweep *s, size_t i, int national)
{
	const char *lead = batch_grid_value(&s->grid, i, 0);
	for (unsigned st = 0; st < NSTAGE; st++) {
		char name[16];
		snprintf(name, sizeof name, st == 2 ? "s%u,x" : "s%u", st);
		add_metric(s, lead, "stage", name, "queue_mean", "count", queue_of(st, i));
		add_metric(s, lead, "stage", name, "wait_p95", "min", 10.0 * st + (double)i / 3);
		add_metric(s, lead, "stage", name, "utilization", "fraction", 0.1 * st);
	}
	if (national) {
		add_metric(s, lead, "national", "all", "travelers_processed", "count", 1e6 + (double)i);
		add_metric(s, lead, "national", "all", "custody_peak", "count", 100.0 * (double)i);
	}
}

/* A sweep of npoint points over stage.a.servers=FIRST..; shard k of n (0, 0
 * for the whole). */
static void make_sweep(struct batch_sweep *s, const char *arg, unsigned k, unsigned n,
                       int national)
{
	char err[256];
	batch_sweep_init(s);
	if (batch_grid_add(&s->grid, arg, err, sizeof err) != 0)
		fail_msg("%s", err);
	s->name = xstrdup("syn");
	s->ini.text = xstrdup("; effective scenario\n\n[scenario]\nname = syn\nseed = 7\n");
	s->ini.len = strlen(s->ini.text);
	s->replications = 5;
	s->seed = 7;
	s->shard_k = k;
	s->shard_n = n;
	batch_sweep_head(s);
	for (size_t i = 0; i < s->grid.npoint; i++)
		if (batch_shard_has(k, n, i))
			add_point(s, i, national);
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

/* ---- merge ---- */

#define GRID "stage.a.servers=1:7:1"

struct root {
	char path[64];
};

static int setup(void **state)
{
	struct root *r = xcalloc(1, sizeof *r);
	strcpy(r->path, "/tmp/test_batch.XXXXXX");
	if (!mkdtemp(r->path))
		return -1;
	*state = r;
	return 0;
}

static int teardown(void **state)
{
	struct root *r = *state;
	rm_rf(r->path);
	free(r);
	return 0;
}

/* Writes a sweep of GRID (shard k of n; 0, 0 whole) into root/name. */
static char *write_sweep(const struct root *r, const char *name, const char *grid, unsigned k,
                         unsigned n, uint64_t seed)
{
	struct batch_sweep s;
	char err[512], *dir = xasprintf("%s/%s", r->path, name);
	make_sweep(&s, grid, k, n, 0);
	s.seed = seed;
	if (batch_sweep_write(dir, &s, NULL, err, sizeof err) != 0)
		fail_msg("%s", err);
	batch_sweep_release(&s);
	return dir;
}

static void assert_same_file(const char *a, const char *b, const char *name)
{
	char *pa = xasprintf("%s/%s", a, name), *pb = xasprintf("%s/%s", b, name);
	char *ta = read_all(pa), *tb = read_all(pb);
	if (!ta || !tb || strcmp(ta, tb) != 0)
		fail_msg("%s differs between '%s' and '%s'", name, a, b);
	free(ta);
	free(tb);
	free(pa);
	free(pb);
}

static int exists(const char *dir, const char *name)
{
	struct stat st;
	char *p = xasprintf("%s/%s", dir, name);
	int e = lstat(p, &st) == 0;
	free(p);
	return e;
}

/* merge(dirs) fails with status and a message holding every want. */
static void merge_fails(const char *const *dir, size_t n, int status, const char *want1,
                        const char *want2)
{
	struct batch_sweep s;
	char err[1024] = "";
	batch_sweep_init(&s);
	int got = batch_merge(&s, dir, n, err, sizeof err);
	if (got != status || !strstr(err, want1) || (want2 && !strstr(err, want2)))
		fail_msg("merge: status %d, '%s'; expected %d with '%s' and '%s'", got, err, status,
		         want1, want2 ? want2 : "");
	assert_int_equal(s.table.nrow, 0);
	batch_sweep_release(&s);
}

static void merge_byte_for_byte(void **state)
{
	struct root *r = *state;
	char *whole = write_sweep(r, "whole", GRID, 0, 0, 7);
	char *sh[3];
	for (unsigned k = 1; k <= 3; k++) {
		char name[16];
		snprintf(name, sizeof name, "s%u", k);
		sh[k - 1] = write_sweep(r, name, GRID, k, 3, 7);
		assert_true(exists(sh[k - 1], "shard.csv"));
		assert_false(exists(sh[k - 1], "sweep.svg"));
	}
	assert_true(exists(whole, "sweep.svg"));
	assert_false(exists(whole, "shard.csv"));

	const char *order[] = { sh[2], sh[0], sh[1] };
	struct batch_sweep s;
	char err[512] = "", *merged = xasprintf("%s/merged", r->path);
	batch_sweep_init(&s);
	if (batch_merge(&s, order, 3, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_int_equal(s.grid.npoint, 7);
	assert_int_equal(s.shard_n, 0);
	assert_int_equal(s.table.nrow, 1 + 7 * 3 * NSTAGE);
	assert_int_equal(batch_sweep_write(merged, &s, NULL, err, sizeof err), 0);
	batch_sweep_release(&s);
	assert_same_file(whole, merged, "sweep.csv");
	assert_same_file(whole, merged, "scenario.ini");
	assert_same_file(whole, merged, "sweep.svg");
	assert_false(exists(merged, "shard.csv"));

	/* More shards than points: the empty shards still merge. */
	char *e[9];
	for (unsigned k = 1; k <= 9; k++) {
		char name[16];
		snprintf(name, sizeof name, "e%u", k);
		e[k - 1] = write_sweep(r, name, GRID, k, 9, 7);
	}
	batch_sweep_init(&s);
	assert_int_equal(batch_merge(&s, (const char *const *)e, 9, err, sizeof err), 0);
	char *merged9 = xasprintf("%s/merged9", r->path);
	assert_int_equal(batch_sweep_write(merged9, &s, NULL, err, sizeof err), 0);
	batch_sweep_release(&s);
	assert_same_file(whole, merged9, "sweep.csv");
	for (unsigned k = 0; k < 9; k++)
		free(e[k]);
	free(merged9);
	free(merged);
	for (int k = 0; k < 3; k++)
		free(sh[k]);
	free(whole);
}

static void merge_refuses_other_sweeps(void **state)
{
	struct root *r = *state;
	char *s1 = write_sweep(r, "s1", GRID, 1, 3, 7), *s2 = write_sweep(r, "s2", GRID, 2, 3, 7);
	char *s3 = write_sweep(r, "s3", GRID, 3, 3, 7);
	char *seed8 = write_sweep(r, "seed8", GRID, 2, 3, 8);
	char *grid = write_sweep(r, "grid", "stage.a.servers=2:8:1", 2, 3, 7);
	char *of4 = write_sweep(r, "of4", GRID, 2, 4, 7);

	const char *a[] = { s1, seed8, s3 };
	merge_fails(a, 3, EX_DATAERR, "shards of different sweeps", "seed 8");
	const char *b[] = { s1, grid, s3 };
	merge_fails(b, 3, EX_DATAERR, "shards of different sweeps", "varies stage.a.servers=2,3");
	const char *c[] = { s1, of4, s3 };
	merge_fails(c, 3, EX_DATAERR, "shards of different sweeps", "shard 2/4");

	/* The same scenario name, another scenario.ini: the fingerprint tells. */
	char *ini = xasprintf("%s/scenario.ini", s2);
	write_text(ini, "; effective scenario\n\n[scenario]\nname = syn\nseed = 7\ndays = 2\n");
	const char *d[] = { s1, s2, s3 };
	merge_fails(d, 3, EX_DATAERR, "scenario.ini", "changed or truncated");
	free(ini);
	free(of4);
	free(grid);
	free(seed8);
	free(s3);
	free(s2);
	free(s1);
}

static void merge_refuses_missing_and_twice(void **state)
{
	struct root *r = *state;
	char *s1 = write_sweep(r, "s1", GRID, 1, 3, 7), *s2 = write_sweep(r, "s2", GRID, 2, 3, 7);
	char *s3 = write_sweep(r, "s3", GRID, 3, 3, 7), *again = write_sweep(r, "again", GRID, 2, 3, 7);
	char *whole = write_sweep(r, "whole", GRID, 0, 0, 7);
	const char *a[] = { s1, s3 };
	merge_fails(a, 2, EX_DATAERR, "shard 2/3 is missing", NULL);
	const char *b[] = { s1, s2, again, s3 };
	merge_fails(b, 4, EX_DATAERR, "shard 2/3 given twice", "again");
	const char *c[] = { s1, s2, s2 };
	merge_fails(c, 3, EX_DATAERR, "given twice", NULL);
	const char *d[] = { s1, s2, whole };
	merge_fails(d, 3, EX_NOINPUT, "is not a sweep shard", "shard.csv");
	char *nowhere = xasprintf("%s/nowhere", r->path);
	const char *e[] = { s1, s2, nowhere };
	merge_fails(e, 3, EX_NOINPUT, "nowhere", NULL);
	free(nowhere);
	free(whole);
	free(again);
	free(s3);
	free(s2);
	free(s1);
}

/* Cuts path down to len bytes. */
static void cut(const char *dir, const char *name, long drop)
{
	char *p = xasprintf("%s/%s", dir, name);
	struct stat st;
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(truncate(p, st.st_size - drop), 0);
	free(p);
}

/* The length of the last line of a file, newline included. */
static long last_line(const char *dir, const char *name)
{
	char *p = xasprintf("%s/%s", dir, name), *text = read_all(p);
	size_t n = strlen(text);
	assert_true(n > 1 && text[n - 1] == '\n');
	const char *prev = text + n - 2;
	while (prev > text && *prev != '\n')
		prev--;
	long len = (long)(text + n - prev) - 1;
	free(text);
	free(p);
	return len;
}

static void merge_refuses_truncated(void **state)
{
	struct root *r = *state;
	char *s1 = write_sweep(r, "s1", GRID, 1, 3, 7), *s2 = write_sweep(r, "s2", GRID, 2, 3, 7);
	char *s3 = write_sweep(r, "s3", GRID, 3, 3, 7);
	const char *all[] = { s1, s2, s3 };

	cut(s3, "sweep.csv", last_line(s3, "sweep.csv"));      /* one whole row gone */
	merge_fails(all, 3, EX_DATAERR, "s3/sweep.csv: truncated", "rows");
	free(write_sweep(r, "s3", GRID, 3, 3, 7));
	cut(s3, "sweep.csv", 3);                               /* the last row cut short */
	merge_fails(all, 3, EX_DATAERR, "s3/sweep.csv", NULL);
	free(write_sweep(r, "s3", GRID, 3, 3, 7));
	cut(s3, "sweep.csv", 1);                               /* only the newline gone */
	merge_fails(all, 3, EX_DATAERR, "s3/sweep.csv", "changed or truncated");
	free(write_sweep(r, "s3", GRID, 3, 3, 7));
	cut(s3, "shard.csv", last_line(s3, "shard.csv"));      /* the end row gone */
	merge_fails(all, 3, EX_DATAERR, "s3/shard.csv: malformed or truncated manifest", NULL);
	free(write_sweep(r, "s3", GRID, 3, 3, 7));
	cut(s3, "shard.csv", 40);
	merge_fails(all, 3, EX_DATAERR, "shard.csv", NULL);
	free(write_sweep(r, "s3", GRID, 3, 3, 7));
	cut(s1, "scenario.ini", 2);
	merge_fails(all, 3, EX_DATAERR, "s1/scenario.ini: changed or truncated", NULL);
	free(write_sweep(r, "s1", GRID, 1, 3, 7));

	/* A row of another point where this shard's should be. */
	char *p = xasprintf("%s/sweep.csv", s2), *text = read_all(p);
	char *at = strstr(text, "\n2,syn,");
	assert_non_null(at);
	at[1] = '3';
	write_text(p, text);
	merge_fails(all, 3, EX_DATAERR, "s2/sweep.csv", NULL);
	free(text);
	free(p);

	/* Everything restored: the merge goes through. */
	free(write_sweep(r, "s2", GRID, 2, 3, 7));
	struct batch_sweep s;
	char err[512];
	batch_sweep_init(&s);
	if (batch_merge(&s, all, 3, err, sizeof err) != 0)
		fail_msg("%s", err);
	batch_sweep_release(&s);
	free(s3);
	free(s2);
	free(s1);
}

/* Replaces dir/name by a FIFO (no writer) or by a sparse file of size bytes. */
static void replace(const char *dir, const char *name, long long size)
{
	char *p = xasprintf("%s/%s", dir, name);
	assert_int_equal(unlink(p), 0);
	if (size < 0)
		assert_int_equal(mkfifo(p, 0600), 0);
	else {
		write_text(p, "");
		assert_int_equal(truncate(p, (off_t)size), 0);
	}
	free(p);
}

/* Inputs are bounded: a FIFO or other file that is not regular is refused at
 * once, never waited on; a sweep.csv or shard.csv over TABLE_INPUT_MAX and
 * a scenario.ini over SCENARIO_BYTES_MAX by their size, before a byte is read. */
static void merge_refuses_unbounded(void **state)
{
	struct root *r = *state;
	char *s1 = write_sweep(r, "s1", GRID, 1, 2, 7), *s2 = write_sweep(r, "s2", GRID, 2, 2, 7);
	const char *all[] = { s1, s2 };
	replace(s2, "sweep.csv", -1);
	merge_fails(all, 2, EX_NOINPUT, "s2/sweep.csv': a FIFO, not a regular file", NULL);
	free(write_sweep(r, "s2", GRID, 2, 2, 7));
	replace(s2, "shard.csv", -1);
	merge_fails(all, 2, EX_NOINPUT, "is not a sweep shard", "a FIFO, not a regular file");
	free(write_sweep(r, "s2", GRID, 2, 2, 7));
	replace(s2, "sweep.csv", (long long)TABLE_INPUT_MAX + 1);
	merge_fails(all, 2, EX_DATAERR, "s2/sweep.csv: too large: 1073741825 bytes", "1024 MiB");
	free(write_sweep(r, "s2", GRID, 2, 2, 7));
	replace(s2, "shard.csv", (long long)TABLE_INPUT_MAX + 1);
	merge_fails(all, 2, EX_DATAERR, "s2/shard.csv: too large", NULL);
	free(write_sweep(r, "s2", GRID, 2, 2, 7));
	replace(s1, "scenario.ini", (long long)SCENARIO_BYTES_MAX + 1);
	merge_fails(all, 2, EX_DATAERR, "s1/scenario.ini: too large: 16777217 bytes", "16 MiB");
	free(s2);
	free(s1);
}

int main(void)
{
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
		cmocka_unit_test(compare_pairs),
		cmocka_unit_test_setup_teardown(merge_byte_for_byte, setup, teardown),
		cmocka_unit_test_setup_teardown(merge_refuses_other_sweeps, setup, teardown),
		cmocka_unit_test_setup_teardown(merge_refuses_missing_and_twice, setup, teardown),
		cmocka_unit_test_setup_teardown(merge_refuses_truncated, setup, teardown),
		cmocka_unit_test_setup_teardown(merge_refuses_unbounded, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
