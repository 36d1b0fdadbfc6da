/* test_report: a run's output folder from synthetic results — the five files
 * read back (summary, replications, hourly rows, scenario.ini, the chart),
 * hourly rows formatted ahead on the replications' threads written as the
 * same bytes, hourly rows of some stages only, summary rows behind a sweep's
 * lead columns, and a stop that writes nothing. How the folder is written (all or nothing, its guards) is
 * test_outdir's; the CSV and number format are test_table's. */
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "model.h"
#include "outdir.h"
#include "report.h"
#include "results.h"
#include "scenario.h"
#include "table.h"
#include "util.h"
#include "testfiles.h"

/* ---- a synthetic run ---- */

struct fixture {
	char root[64];
	struct model m;
	struct scenario sc;
	struct results rep[2];
};

static void add_hours(struct results *r, unsigned rep)
{
	for (unsigned st = 0; st < 2; st++) {
		struct hour_row *h = results_add_hour(r);
		h->day = 1;
		h->hour = 0;
		h->stage = st;
		h->arrivals = 10 + rep;
		h->departures = 9;
		h->servers = 3;
		h->queue_mean = 0.25;
		h->queue_max = 2;
		h->wait_mean = st == 1 ? NAN : 1.5;
		h->wait_p95 = 4;
		h->utilization = 0.5;
		h->population_mean = 3.75;
		h->elapsed_hour = 5;
	}
}

static int setup(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof *fx);
	strcpy(fx->root, "/tmp/test_report.XXXXXX");
	if (!mkdtemp(fx->root))
		return -1;
	fx->m.name = xstrdup("syn");
	fx->m.days = 1;
	fx->m.nstage = 2;
	fx->m.stage = xcalloc(2, sizeof *fx->m.stage);
	fx->m.stage[0].name = xstrdup("a,b");
	fx->m.stage[1].name = xstrdup("plain");
	scenario_init(&fx->sc);
	scenario_put(&fx->sc, "scenario", "name", "syn");
	scenario_put(&fx->sc, "scenario", "seed", "7");

	const double arrivals[2] = { 100, 110 }, wait[2] = { 1.5, NAN }, util[2] = { 0.25, 0.75 };
	for (unsigned r = 0; r < 2; r++) {
		struct results *res = &fx->rep[r];
		results_init(res);
		res->replication = r + 1;
		res->seed = 7;
		results_add(res, "stage", "a,b", "arrivals", "count", arrivals[r]);
		results_add(res, "stage", "a,b", "wait_mean", "min", wait[r]);
		results_add(res, "stage", "plain", "utilization", "share", util[r]);
		results_add(res, "stream", "say \"hi\"", "completed", "count", -0.0);
		add_hours(res, r);
	}
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	rm_rf(fx->root);
	for (unsigned r = 0; r < 2; r++)
		results_release(&fx->rep[r]);
	scenario_release(&fx->sc);
	free(fx->m.stage[0].name);
	free(fx->m.stage[1].name);
	free(fx->m.stage);
	free(fx->m.name);
	free(fx);
	return 0;
}

static int write_to(struct fixture *fx, const char *dir, char *err, size_t errlen)
{
	return report_write(dir, &fx->m, &fx->sc, fx->rep, NULL, 2, NULL, err, errlen);
}


/* ---- the files ---- */

static struct table read_table(const char *dir, const char *name)
{
	struct table t;
	char err[256];
	char *path = xasprintf("%s/%s", dir, name);
	int status = table_read_csv(path, &t, err, sizeof err);
	if (status)
		fail_msg("%s", err);
	free(path);
	return t;
}

static void assert_header(const struct table *t, const char *want)
{
	assert_true(t->nrow > 0);
	char *got = xstrdup("");
	for (size_t k = 0; k < t->ncol[0]; k++) {
		char *s = xasprintf("%s%s%s", got, k ? "," : "", t->row[0][k]);
		free(got);
		got = s;
	}
	assert_string_equal(got, want);
	free(got);
}

static void summary_file(void **state)
{
	struct fixture *fx = *state;
	char err[512] = "", *dir = xasprintf("%s/out", fx->root);
	assert_int_equal(write_to(fx, dir, err, sizeof err), 0);

	struct table t = read_table(dir, "summary.csv");
	assert_header(&t, "scenario,scope,name,metric,unit,mean,stddev,ci95_low,ci95_high,min,max,"
	                  "replications,days");
	assert_int_equal(t.nrow, 5);
	for (size_t i = 0; i < t.nrow; i++)
		assert_int_equal(t.ncol[i], 13);
	char **r = t.row[1];   /* arrivals 100, 110: sd 7.071067812, t(0.975,1) 12.706205 */
	assert_string_equal(r[0], "syn");
	assert_string_equal(r[2], "a,b");
	assert_string_equal(r[3], "arrivals");
	assert_string_equal(r[5], "105");
	assert_string_equal(r[6], "7.071067812");
	assert_true(fabs(atof(r[7]) - (105 - 12.706205 * 5)) < 1e-4);
	assert_true(fabs(atof(r[8]) - (105 + 12.706205 * 5)) < 1e-4);
	assert_string_equal(r[9], "100");
	assert_string_equal(r[10], "110");
	assert_string_equal(r[11], "2");
	assert_string_equal(r[12], "1");
	r = t.row[2];          /* wait_mean 1.5 and NaN: one value */
	assert_string_equal(r[3], "wait_mean");
	assert_string_equal(r[5], "1.5");
	assert_string_equal(r[6], "");
	assert_string_equal(r[7], "");
	assert_string_equal(r[8], "");
	assert_string_equal(r[9], "1.5");
	assert_string_equal(r[11], "1");
	assert_string_equal(t.row[3][5], "0.5");
	assert_string_equal(t.row[4][2], "say \"hi\"");
	assert_string_equal(t.row[4][5], "0");
	table_release(&t);

	char *path = xasprintf("%s/summary.csv", dir), *raw = read_all(path);
	assert_non_null(raw);
	assert_non_null(strstr(raw, "\nsyn,stage,\"a,b\",arrivals,count,105,7.071067812,"));
	assert_non_null(strstr(raw, "\nsyn,stage,\"a,b\",wait_mean,min,1.5,,,,1.5,1.5,1,1\n"));
	assert_non_null(strstr(raw, ",\"say \"\"hi\"\"\","));
	assert_null(strchr(raw, '\r'));
	free(raw);
	free(path);
	free(dir);
}

static void replications_and_hourly_files(void **state)
{
	struct fixture *fx = *state;
	char err[512] = "", *dir = xasprintf("%s/out/", fx->root);   /* trailing slash */
	assert_int_equal(write_to(fx, dir, err, sizeof err), 0);

	struct table t = read_table(dir, "replications.csv");
	assert_header(&t, "scenario,replication,seed,scope,name,metric,unit,value,days");
	assert_int_equal(t.nrow, 1 + 2 * 4);
	assert_string_equal(t.row[1][1], "1");
	assert_string_equal(t.row[5][1], "2");
	assert_string_equal(t.row[5][2], "7");
	assert_string_equal(t.row[5][7], "110");
	assert_string_equal(t.row[6][5], "wait_mean");
	assert_string_equal(t.row[6][7], "");   /* NaN */
	assert_string_equal(t.row[6][8], "1");  /* days */
	table_release(&t);

	t = read_table(dir, "hourly.csv");
	assert_header(&t, "scenario,replication,day,hour,stage,arrivals,departures,servers,"
	                  "queue_mean,queue_max,wait_mean,wait_p95,utilization,population_mean,"
	                  "elapsed_hour");
	assert_int_equal(t.nrow, 1 + 2 * 2);
	assert_int_equal(t.ncol[4], 15);
	assert_string_equal(t.row[3][13], "3.75");
	assert_string_equal(t.row[3][14], "5");
	assert_string_equal(t.row[1][4], "a,b");
	assert_string_equal(t.row[2][4], "plain");
	assert_string_equal(t.row[2][10], "");
	assert_string_equal(t.row[3][1], "2");
	assert_string_equal(t.row[3][5], "11");
	assert_string_equal(t.row[3][8], "0.25");
	table_release(&t);

	char *ini = xasprintf("%sscenario.ini", dir), *text = read_all(ini);
	assert_non_null(text);
	assert_non_null(strstr(text, "[scenario]"));
	assert_non_null(strstr(text, "syn"));
	free(text);
	free(ini);
	char *names = listing(dir);
	assert_string_equal(names, "hourly.csv hourly.svg replications.csv report.html scenario.ini "
	                           "summary.csv");
	free(names);
	char *svg = xasprintf("%shourly.svg", dir);
	text = read_all(svg);
	assert_non_null(text);
	assert_non_null(strstr(text, "<svg"));
	free(text);
	free(svg);
	free(dir);
}


/* ---- summary rows ---- */

static void summary_rows_with_lead(void **state)
{
	struct fixture *fx = *state;
	struct table t = { 0 };
	const char *lead[] = { "4", "1.5" };
	report_summary_rows(&t, "syn", 1.5, lead, 2, fx->rep, 2);
	assert_int_equal(t.nrow, 4);
	assert_int_equal(t.ncol[0], 2 + TABLE_SUMMARY_NCOL);
	assert_string_equal(t.row[0][0], "4");
	assert_string_equal(t.row[0][1], "1.5");
	assert_string_equal(t.row[0][2], "syn");
	assert_string_equal(t.row[0][4], "a,b");
	assert_string_equal(t.row[0][7], "105");
	assert_string_equal(t.row[0][13], "2");
	assert_string_equal(t.row[1][13], "1");      /* wait_mean: one defined */
	assert_string_equal(table_summary_head[0], "scenario");
	assert_string_equal(t.row[0][14], "1.5");     /* days, appended last */
	assert_string_equal(table_summary_head[TABLE_SUMMARY_NCOL - 1], "days");
	table_release(&t);
}

/* ---- a stop ---- */

static void run_files_stop(void **state)
{
	struct fixture *fx = *state;
	char err[256] = "", *dir = xasprintf("%s/run", fx->root);
	volatile sig_atomic_t stop = 1;
	assert_int_equal(report_write(dir, &fx->m, &fx->sc, fx->rep, NULL, 2, &stop, err,
	                              sizeof err), OUTDIR_STOPPED);
	assert_true(access(dir, F_OK) != 0);
	free(dir);
}


/* ---- hourly rows formatted ahead ---- */

/* Rows formatted on the replications' threads are written as the very bytes
 * report_write formats itself, also when only some replications have them. */
static void rendered_hourly_same_bytes(void **state)
{
	struct fixture *fx = *state;
	char err[512] = "";
	char *plain = xasprintf("%s/plain", fx->root), *ahead = xasprintf("%s/ahead", fx->root);
	char *some = xasprintf("%s/some", fx->root);
	struct report_hourly *h = report_hourly_new(2);
	assert_null(h[0].text);
	assert_int_equal(report_write(plain, &fx->m, &fx->sc, fx->rep, h, 2, NULL, err, sizeof err),
	                 0);
	report_render_hourly(&fx->m, &fx->rep[1], NULL, &h[1]);
	assert_non_null(h[1].text);
	assert_int_equal(h[1].len, strlen(h[1].text));
	assert_string_equal(h[1].text, "syn,2,1,0,\"a,b\",11,9,3,0.25,2,1.5,4,0.5,3.75,5\n"
	                               "syn,2,1,0,plain,11,9,3,0.25,2,,4,0.5,3.75,5\n");
	assert_int_equal(report_write(some, &fx->m, &fx->sc, fx->rep, h, 2, NULL, err, sizeof err),
	                 0);
	report_render_hourly(&fx->m, &fx->rep[0], NULL, &h[0]);
	report_render_hourly(&fx->m, &fx->rep[1], NULL, &h[1]);    /* replaces what it held */
	assert_int_equal(report_write(ahead, &fx->m, &fx->sc, fx->rep, h, 2, NULL, err, sizeof err),
	                 0);
	char *p = xasprintf("%s/hourly.csv", plain), *a = xasprintf("%s/hourly.csv", ahead);
	char *s = xasprintf("%s/hourly.csv", some);
	char *tp = read_all(p), *ta = read_all(a), *ts = read_all(s);
	assert_non_null(tp);
	assert_non_null(strstr(tp, h[1].text));
	assert_string_equal(ta, tp);
	assert_string_equal(ts, tp);
	free(tp);
	free(ta);
	free(ts);
	free(p);
	free(a);
	free(s);
	report_hourly_free(h, 2);
	free(some);
	free(ahead);
	free(plain);
}

/* hourly.csv of the kept stages only: the rows of a complete file whose
 * stage is kept, in order, formatted ahead or not; the other files are the
 * complete run's. */
static void kept_hourly_rows(void **state)
{
	struct fixture *fx = *state;
	char err[512] = "";
	const unsigned char keep[2] = { 0, 1 };
	char *all = xasprintf("%s/all", fx->root), *kept = xasprintf("%s/kept", fx->root);
	char *ahead = xasprintf("%s/ahead", fx->root);
	struct report_hourly *h = report_hourly_new(2);
	assert_int_equal(report_write(all, &fx->m, &fx->sc, fx->rep, NULL, 2, NULL, err, sizeof err),
	                 0);
	assert_int_equal(report_write_chart(kept, &fx->m, &fx->sc, fx->rep, NULL, 2, NULL, keep,
	                                    NULL, err, sizeof err), 0);
	for (int r = 0; r < 2; r++)
		report_render_hourly(&fx->m, &fx->rep[r], keep, &h[r]);
	assert_string_equal(h[1].text, "syn,2,1,0,plain,11,9,3,0.25,2,,4,0.5,3.75,5\n");
	assert_int_equal(report_write_chart(ahead, &fx->m, &fx->sc, fx->rep, h, 2, NULL, keep,
	                                    NULL, err, sizeof err), 0);
	char *fa = xasprintf("%s/hourly.csv", all), *fk = xasprintf("%s/hourly.csv", kept);
	char *fh = xasprintf("%s/hourly.csv", ahead);
	char *ta = read_all(fa), *tk = read_all(fk), *th = read_all(fh);
	/* the complete file less the lines of stage "a,b" */
	char *want = xstrdup("");
	for (char *line = ta, *end; line && *line; line = end) {
		end = strchr(line, '\n');
		end = end ? end + 1 : line + strlen(line);
		char *one = xasprintf("%.*s", (int)(end - line), line);
		if (!strstr(one, ",\"a,b\",")) {
			char *t = xasprintf("%s%s", want, one);
			free(want);
			want = t;
		}
		free(one);
	}
	assert_non_null(strstr(ta, "\"a,b\""));
	assert_null(strstr(tk, "\"a,b\""));
	assert_string_equal(tk, want);
	assert_string_equal(th, want);
	static const char *const same[] = { "summary.csv", "replications.csv", "hourly.svg",
		                             "scenario.ini" };
	for (size_t i = 0; i < sizeof same / sizeof *same; i++) {
		char *x = xasprintf("%s/%s", all, same[i]), *y = xasprintf("%s/%s", kept, same[i]);
		char *tx = read_all(x), *ty = read_all(y);
		assert_non_null(tx);
		assert_string_equal(tx, ty);
		free(tx);
		free(ty);
		free(x);
		free(y);
	}
	free(want);
	free(ta);
	free(tk);
	free(th);
	free(fa);
	free(fk);
	free(fh);
	report_hourly_free(h, 2);
	free(ahead);
	free(kept);
	free(all);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(summary_file, setup, teardown),
		cmocka_unit_test_setup_teardown(replications_and_hourly_files, setup, teardown),
		cmocka_unit_test_setup_teardown(summary_rows_with_lead, setup, teardown),
		cmocka_unit_test_setup_teardown(run_files_stop, setup, teardown),
		cmocka_unit_test_setup_teardown(rendered_hourly_same_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(kept_hourly_rows, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
