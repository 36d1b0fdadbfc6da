/* test_keys: the key table, its look-ups, suggestions and prints. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keys.h"

static void assert_contains(const char *hay, const char *needle)
{
	if (!hay || !strstr(hay, needle)) {
		print_error("'%s' does not contain '%s'\n", hay ? hay : "(null)", needle);
		fail();
	}
}

/* What keys_print wrote, as a new string. */
static char *printed(int markdown)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	keys_print(f, markdown);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void test_table_has_the_contract_keys(void **state)
{
	static const char *const want[][2] = {
		{ "scenario", "name" }, { "scenario", "days" }, { "scenario", "warmup_days" },
		{ "scenario", "replications" }, { "scenario", "seed" },
		{ "stream", "per_day" }, { "stream", "profile" }, { "stream", "route" },
		{ "stream", "priority" },
		{ "stage", "servers" }, { "stage", "service" }, { "stage", "next" },
		{ "stage", "capacity" },
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		const struct key_def *d = keys_find(want[i][0], want[i][1]);
		assert_non_null(d);
		assert_string_equal(d->kind, want[i][0]);
		assert_string_equal(d->name, want[i][1]);
	}
	assert_null(keys_find("stage", "per_day"));
	assert_null(keys_find("stream", "servers"));
	assert_null(keys_find("scenario", "include"));
}

static void test_required_keys_have_no_default(void **state)
{
	assert_null(keys_find("stream", "per_day")->def);
	assert_null(keys_find("stream", "route")->def);
	/* service may be replaced by per_hour, so it is not strictly required */
	assert_string_equal(keys_find("stage", "service")->def, "required unless per_hour");
	assert_null(keys_find("find", "probability")->def);
	assert_null(keys_find("surge", "factor")->def);
	assert_string_equal(keys_find("stage", "servers")->def, "1");
	assert_string_equal(keys_find("stage", "next")->def, "exit");
	assert_string_equal(keys_find("stage", "capacity")->def, "unlimited");
	assert_string_equal(keys_find("stream", "profile")->def, "flat");
	assert_string_equal(keys_find("scenario", "replications")->def, "10");
	assert_string_equal(keys_find("scenario", "days")->unit, "d");
	assert_string_equal(keys_find("stream", "per_day")->unit, "arrivals/d");
}

static void test_rows_are_complete(void **state)
{
	size_t n;
	const struct key_def *t = keys_table(&n);
	assert_true(n >= 13);
	for (size_t i = 0; i < n; i++) {
		assert_true(keys_kind_known(t[i].kind));
		assert_true(strlen(t[i].meaning) > 10);
		assert_true(strlen(t[i].type_name) > 0);
		assert_non_null(t[i].unit);
		/* the markdown table must not be broken by a cell */
		assert_null(strchr(t[i].meaning, '|'));
		assert_null(strchr(t[i].type_name, '|'));
		assert_ptr_equal(keys_find(t[i].kind, t[i].name), &t[i]);
	}
}

static void test_kinds(void **state)
{
	assert_true(keys_kind_known("scenario"));
	assert_true(keys_kind_known("stream"));
	assert_true(keys_kind_known("stage"));
	assert_false(keys_kind_known("stages"));
	assert_false(keys_kind_known(""));
	assert_false(keys_kind_named("scenario"));
	assert_true(keys_kind_named("stream"));
	assert_true(keys_kind_named("stage"));
}

static void test_full_names(void **state)
{
	assert_string_equal(keys_full_name(keys_find("stage", "servers")), "stage.NAME.servers");
	assert_string_equal(keys_full_name(keys_find("stream", "per_day")), "stream.NAME.per_day");
	assert_string_equal(keys_full_name(keys_find("scenario", "days")), "scenario.days");
}

static void test_distance(void **state)
{
	assert_int_equal(keys_distance("kitten", "sitting"), 3);
	assert_int_equal(keys_distance("", "abc"), 3);
	assert_int_equal(keys_distance("abc", ""), 3);
	assert_int_equal(keys_distance("servers", "servers"), 0);
	assert_int_equal(keys_distance("servrs", "servers"), 1);
	assert_int_equal(keys_distance("flaw", "lawn"), 2);
	/* near: max(2, len / 3) */
	assert_true(keys_near(2, "ab"));
	assert_false(keys_near(3, "abcdefgh"));      /* 8 / 3 = 2 */
	assert_true(keys_near(3, "abcdefghi"));      /* 9 / 3 = 3 */
	assert_false(keys_near(4, "abcdefghi"));
}

static void test_suggest(void **state)
{
	assert_string_equal(keys_suggest("stage", "servrs"), "stage.NAME.servers");
	assert_string_equal(keys_suggest("stage", "sevice"), "stage.NAME.service");
	assert_string_equal(keys_suggest("scenario", "dys"), "scenario.days");
	assert_string_equal(keys_suggest("scenario", "replication"), "scenario.replications");
	assert_string_equal(keys_suggest("stream", "perday"), "stream.NAME.per_day");
	assert_string_equal(keys_suggest("stge", "servers"), "stage.NAME.servers");
	/* a key of another kind */
	assert_string_equal(keys_suggest("stream", "servers"), "stage.NAME.servers");
	/* no section: the key alone is compared */
	assert_string_equal(keys_suggest("", "days"), "scenario.days");
	assert_string_equal(keys_suggest(NULL, "replicatons"), "scenario.replications");
	assert_null(keys_suggest("stage", "zzzzzzzzzz"));
	assert_null(keys_suggest("scenario", "colour"));
}

static void test_suggest_kind(void **state)
{
	assert_string_equal(keys_suggest_kind("stge"), "stage");
	assert_string_equal(keys_suggest_kind("streams"), "stream");
	assert_string_equal(keys_suggest_kind("scenari"), "scenario");
	assert_null(keys_suggest_kind("queue"));
}

static void test_print_markdown(void **state)
{
	char *md = printed(1);
	size_t n, lines = 0;
	const struct key_def *t = keys_table(&n);
	assert_true(strncmp(md, "| key | values | default | unit | meaning |\n"
	                    "| --- | --- | --- | --- | --- |\n", 76) == 0);
	for (size_t i = 0; i < n; i++) {
		char *cell = NULL;
		size_t len = strlen(keys_full_name(&t[i])) + 8;
		cell = malloc(len);
		snprintf(cell, len, "| `%s` |", keys_full_name(&t[i]));
		assert_contains(md, cell);
		assert_contains(md, t[i].meaning);
		free(cell);
	}
	assert_contains(md, "| `scenario.days` | number of days greater than 0 | 1 | d |");
	assert_contains(md, "| `stage.NAME.servers` |");
	assert_contains(md, "| `stream.NAME.per_day` | number of arrivals of at least 0 | required | "
	                "arrivals/d |");
	for (const char *p = md; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, n + 2);
	free(md);
}

/* The text print fits 100 columns: each key opens a line, its values
 * follow at one column, its meaning comes indented on the next lines. */
static void test_print_text(void **state)
{
	char *txt = printed(0);
	size_t n;
	const struct key_def *t = keys_table(&n);
	assert_true(strncmp(txt, "key ", 4) == 0);
	const char *values = strstr(txt, "values");
	assert_non_null(values);
	size_t col = (size_t)(values - txt);
	for (size_t i = 0; i < n; i++) {
		char *open = NULL;
		size_t len = strlen(keys_full_name(&t[i])) + 2;
		open = malloc(len);
		snprintf(open, len, "\n%s", keys_full_name(&t[i]));
		const char *row = strstr(txt, open);
		assert_non_null(row);
		row++;
		assert_true(row[col - 1] == ' ' && row[col] != ' ');
		free(open);
	}
	for (const char *line = txt; *line; line = strchr(line, '\n') + 1)
		assert_true(strchr(line, '\n') - line <= 100);
	assert_contains(txt, "scenario.days              number of days greater than 0; default 1; "
	                "unit d\n    How many days");
	assert_null(strchr(txt, '|'));
	free(txt);
}

/* A filter keeps the keys whose full name contains it, and only those. */
static void test_print_filtered(void **state)
{
	char *buf = NULL;
	size_t len = 0, n, want = 0;
	const struct key_def *t = keys_table(&n);
	for (size_t i = 0; i < n; i++)
		want += strstr(keys_full_name(&t[i]), "stage.") != NULL;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(keys_print_matching(f, 0, "stage."), want);
	assert_int_equal(fclose(f), 0);
	assert_true(want > 5 && want < n);
	assert_contains(buf, "\nstage.NAME.servers ");
	assert_null(strstr(buf, "\nstream.NAME.per_day"));
	assert_null(strstr(buf, "\nscenario.days"));
	for (const char *line = buf; *line; line = strchr(line, '\n') + 1)
		assert_true(strchr(line, '\n') - line <= 100);
	free(buf);

	buf = NULL;
	f = open_memstream(&buf, &len);
	assert_int_equal(keys_print_matching(f, 1, "no_such_key"), 0);
	assert_int_equal(fclose(f), 0);
	assert_string_equal(buf, "| key | values | default | unit | meaning |\n| --- | --- | --- | --- | --- |\n");
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_has_the_contract_keys),
		cmocka_unit_test(test_required_keys_have_no_default),
		cmocka_unit_test(test_rows_are_complete),
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_full_names),
		cmocka_unit_test(test_distance),
		cmocka_unit_test(test_suggest),
		cmocka_unit_test(test_suggest_kind),
		cmocka_unit_test(test_print_markdown),
		cmocka_unit_test(test_print_text),
		cmocka_unit_test(test_print_filtered),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
