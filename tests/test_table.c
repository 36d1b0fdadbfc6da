/* test_table: CSV in memory — the number format, RFC 4180 quoting written
 * and read back, malformed CSV refused at its line, and summary.csv's columns
 * by name. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <cmocka.h>

#include "table.h"
#include "util.h"
#include "testfiles.h"

/* *state: a fresh folder for the tests' files. */
static int setup(void **state)
{
	char *root = xstrdup("/tmp/test_table.XXXXXX");
	*state = root;
	return mkdtemp(root) ? 0 : -1;
}

static int teardown(void **state)
{
	rm_rf(*state);
	free(*state);
	return 0;
}

/* ---- number formats ---- */

static void check_number(double v, const char *want)
{
	char buf[32];
	table_format_number(buf, sizeof buf, v);
	if (strcmp(buf, want) != 0)
		fail_msg("table_format_number(%.17g) = '%s', expected '%s'", v, buf, want);
}

static void number_formats(void **state)
{
	(void)state;
	check_number(0.0, "0");
	check_number(-0.0, "0");
	check_number(42, "42");
	check_number(-7, "-7");
	check_number(1e14, "100000000000000");
	check_number(999999999999999.0, "999999999999999");
	check_number(1e15, "1e+15");
	check_number(-1e15, "-1e+15");
	check_number(0.5, "0.5");
	check_number(1.0 / 3.0, "0.3333333333");
	check_number(2.5e-7, "2.5e-07");
	check_number(1234567.891, "1234567.891");
	check_number(123456789012.5, "1.23456789e+11");
	check_number(NAN, "");
	check_number(INFINITY, "");
	check_number(-INFINITY, "");
}

/* ---- tables ---- */

static void table_round_trip(void **state)
{
	const char *root = *state;
	struct table t = { 0 }, u = { 0 }, back;
	const char *r0[] = { "a", "b,c", "say \"hi\"" }, *r1[] = { " edge", NULL, "x\ny" };
	table_add(&t, r0, 3);
	table_add(&u, r1, 3);
	table_append(&t, &u);
	assert_int_equal(u.nrow, 0);
	assert_int_equal(t.nrow, 2);
	char *path = xasprintf("%s/t.csv", root), err[256];
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(table_write(f, &t), 0);
	assert_int_equal(fclose(f), 0);
	char *raw = read_all(path);
	assert_string_equal(raw, "a,\"b,c\",\"say \"\"hi\"\"\"\n\" edge\",,\"x\ny\"\n");
	assert_int_equal(table_read_csv(path, &back, err, sizeof err), 0);
	assert_int_equal(back.nrow, 2);
	for (size_t i = 0; i < 2; i++)
		for (size_t k = 0; k < 3; k++)
			assert_string_equal(back.row[i][k], t.row[i][k]);
	assert_string_equal(back.row[1][1], "");
	table_release(&back);
	table_release(&t);
	free(raw);
	free(path);
}

/* Malformed CSV is refused with the line of the fault and what it is, also
 * past the reader's first block of 8 KiB. */
static void read_csv_names_the_line(void **state)
{
	const char *root = *state;
	static const struct {
		const char *tail;
		int line;
		const char *what;
	} cases[] = {
		{ "a,b\nc,d\"e\n", 3, "a quote inside a field that does not start with one" },
		{ "a,b\n\"c\"x,d\n", 3, "'x' after the closing quote of a field" },
		{ "a,b\n\"c,\nd\n", 4, "the file ends inside a quoted field" },
	};
	char *path = xasprintf("%s/bad.csv", root), err[256];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		for (int more = 0; more <= 1000; more += 1000) {
			/* a header line, more good lines, then the case */
			FILE *f = fopen(path, "w");
			assert_non_null(f);
			fputs("h1,h2\n", f);
			for (int k = 0; k < more; k++)
				fprintf(f, "%d,row\n", k);
			fputs(cases[i].tail, f);
			assert_int_equal(fclose(f), 0);
			struct table t;
			assert_int_equal(table_read_csv(path, &t, err, sizeof err), EX_DATAERR);
			table_release(&t);
			char *want = xasprintf("%s:%d: malformed CSV: %s", path, cases[i].line + more,
			                       cases[i].what);
			assert_non_null(strstr(err, want));
			free(want);
		}
	}
	free(path);
}


/* ---- summary.csv's columns ---- */

/* Each column's index names the column at that place in the header, as
 * summary.csv is read back by merge and sweep.svg. */
static void summary_columns_named(void **state)
{
	(void)state;
	static const struct {
		enum table_summary_col col;
		const char *name;
	} want[] = {
		{ TABLE_SUMMARY_SCENARIO, "scenario" },  { TABLE_SUMMARY_SCOPE, "scope" },
		{ TABLE_SUMMARY_NAME, "name" },          { TABLE_SUMMARY_METRIC, "metric" },
		{ TABLE_SUMMARY_UNIT, "unit" },          { TABLE_SUMMARY_MEAN, "mean" },
		{ TABLE_SUMMARY_STDDEV, "stddev" },      { TABLE_SUMMARY_CI95_LOW, "ci95_low" },
		{ TABLE_SUMMARY_CI95_HIGH, "ci95_high" }, { TABLE_SUMMARY_MIN, "min" },
		{ TABLE_SUMMARY_MAX, "max" },            { TABLE_SUMMARY_REPLICATIONS, "replications" },
		{ TABLE_SUMMARY_DAYS, "days" },
	};
	assert_int_equal(TABLE_SUMMARY_NCOL, NELEM(want));
	for (size_t i = 0; i < NELEM(want); i++) {
		assert_int_equal(want[i].col, i);
		assert_non_null(table_summary_head[i]);
		assert_string_equal(table_summary_head[want[i].col], want[i].name);
	}
}

/* Columns appended: the header gets the names, every other row the values. */
static void columns_appended(void **state)
{
	(void)state;
	struct table t = { 0 };
	const char *head[] = { "a", "b" }, *row[] = { "1", "2" };
	table_add(&t, head, 2);
	table_add(&t, row, 2);
	table_add(&t, row, 1);
	const char *more_head[] = { "base", "scenario" }, *more[] = { "x", NULL };
	table_add_columns(&t, more_head, more, 2);
	assert_int_equal(t.ncol[0], 4);
	assert_int_equal(t.ncol[1], 4);
	assert_int_equal(t.ncol[2], 3);
	assert_string_equal(t.row[0][2], "base");
	assert_string_equal(t.row[0][3], "scenario");
	assert_string_equal(t.row[1][1], "2");
	assert_string_equal(t.row[1][2], "x");
	assert_string_equal(t.row[1][3], "");
	assert_string_equal(t.row[2][1], "x");
	table_release(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(number_formats),
		cmocka_unit_test_setup_teardown(table_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(read_csv_names_the_line, setup, teardown),
		cmocka_unit_test(summary_columns_named),
		cmocka_unit_test(columns_appended),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
