/* test_progress: the clock's text, and the progress line as written to a
 * file standing in for a terminal: its text, its rate limit, its erasure,
 * and nothing at all when off. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "progress.h"

/* Everything written to f so far, as a string (the caller frees it). */
static char *contents(FILE *f)
{
	fflush(f);
	long n = ftell(f);
	assert_true(n >= 0);
	char *s = calloc((size_t)n + 1, 1);
	assert_non_null(s);
	rewind(f);
	assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
	return s;
}

static void clock_text(void **state)
{
	(void)state;
	static const struct { double s; const char *text; } cases[] = {
		{ 0, "0:00" }, { 0.49, "0:00" }, { 0.5, "0:01" }, { 59.4, "0:59" },
		{ 59.5, "1:00" }, { 754, "12:34" }, { 3599.4, "59:59" }, { 3599.5, "1:00:00" },
		{ 3725, "1:02:05" }, { 36061, "10:01:01" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char buf[32];
		progress_clock(buf, sizeof buf, cases[i].s);
		assert_string_equal(buf, cases[i].text);
	}
	char small[4];
	progress_clock(small, sizeof small, 754);
	assert_string_equal(small, "12:");
}

/* Off (not a terminal, or -q): nothing is written, not even the erasure. */
static void off_writes_nothing(void **state)
{
	(void)state;
	FILE *f = tmpfile();
	assert_non_null(f);
	struct progress pr;
	progress_init(&pr, f, 0);
	progress_count(&pr, "baseline", "replications", 4);
	for (size_t k = 0; k <= 4; k++)
		progress_draw(&pr, k, k, 4);
	progress_end(&pr);
	char *s = contents(f);
	assert_string_equal(s, "");
	free(s);
	fclose(f);
}

/* The first line at once; another within a tenth of a second only for the
 * last task; the end erases the line. */
static void line_drawn_and_erased(void **state)
{
	(void)state;
	FILE *f = tmpfile();
	assert_non_null(f);
	struct progress pr;
	progress_init(&pr, f, 1);
	progress_count(&pr, "baseline", "replications", 4);
	progress_draw(&pr, 0, 0, 4);
	progress_draw(&pr, 1, 1, 4);
	progress_draw(&pr, 4, 4, 4);
	progress_end(&pr);
	char *s = contents(f);
	assert_string_equal(s,
		"\rbordersim: baseline: 0/4 replications, 0:00 elapsed, ? left\033[K"
		"\rbordersim: baseline: 4/4 replications, 0:00 elapsed, 0:00 left\033[K"
		"\r\033[K");
	free(s);
	fclose(f);
}

/* Counting points, the line also counts the replications; the label is
 * shown escaped. */
static void points_and_escaped_label(void **state)
{
	(void)state;
	FILE *f = tmpfile();
	assert_non_null(f);
	struct progress pr;
	progress_init(&pr, f, 1);
	progress_count(&pr, "a\033[2Jb", "points", 3);
	progress_draw(&pr, 1, 5, 12);
	char *s = contents(f);
	assert_non_null(strstr(s, "\rbordersim: a\\x1b[2Jb: 1/3 points (5/12 replications), "));
	assert_null(strstr(s, "\033[2J"));
	free(s);
	fclose(f);
}

/* Nothing drawn, nothing erased. */
static void end_without_line(void **state)
{
	(void)state;
	FILE *f = tmpfile();
	assert_non_null(f);
	struct progress pr;
	progress_init(&pr, f, 1);
	progress_end(&pr);
	char *s = contents(f);
	assert_string_equal(s, "");
	free(s);
	fclose(f);
	assert_true(progress_elapsed(&pr) >= 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(clock_text),
		cmocka_unit_test(off_writes_nothing),
		cmocka_unit_test(line_drawn_and_erased),
		cmocka_unit_test(points_and_escaped_label),
		cmocka_unit_test(end_without_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
