/* test_parse: numbers, whole numbers and durations as scenario files write them.
 *
 * Each parser takes the whole text, blanks around it ignored; anything else
 * — trailing words, NaN, infinities, hexadecimal, an empty value, a duration
 * without its unit — is refused with a message that quotes the text. On
 * refusal the output is left untouched. */
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "parse.h"

#define assert_contains(s, sub) assert_contains_((s), (sub), __FILE__, __LINE__)

static void assert_contains_(const char *s, const char *sub, const char *file, int line)
{
	if (!strstr(s, sub)) {
		print_error("message '%s' does not contain '%s'\n", s, sub);
		_fail(file, line);
	}
}

#define SENTINEL (-12345.0)

static void number_ok(const char *text, double want)
{
	double v = SENTINEL;
	char err[256] = "";
	int rc = parse_number(text, &v, err, sizeof err);
	if (rc != 0 || v != want)
		print_error("parse_number('%s') = %d, %.17g (%s); want %.17g\n", text, rc, v, err, want);
	assert_int_equal(rc, 0);
	assert_true(v == want);
}

static void number_bad(const char *text)
{
	double v = SENTINEL;
	char err[256] = "";
	int rc = parse_number(text, &v, err, sizeof err);
	if (rc != -1)
		print_error("parse_number('%s') accepted: %.17g\n", text, v);
	assert_int_equal(rc, -1);
	assert_true(v == SENTINEL);
	assert_contains(err, "expected a finite number");
}

static void number_valid(void **state)
{
	(void)state;
	number_ok("3.25", 3.25);
	number_ok("0", 0);
	number_ok("42", 42);
	number_ok("-7", -7);
	number_ok("+2", 2);
	number_ok(".5", 0.5);
	number_ok("-.5", -0.5);
	number_ok("1.", 1);
	number_ok("1e3", 1000);
	number_ok("2.5E-2", 0.025);
	number_ok("  -1e3  ", -1000);
	number_ok("\t7\n", 7);
	number_ok("0.1", 0.1);
	number_ok("1e308", 1e308);
	number_ok("007", 7);
}

static void number_invalid(void **state)
{
	(void)state;
	number_bad("");
	number_bad("   ");
	number_bad("3x");
	number_bad("3 4");
	number_bad("3,5");
	number_bad("three");
	number_bad("1..2");
	number_bad("-");
	number_bad(".");
	number_bad("e5");
	number_bad("nan");
	number_bad("NaN");
	number_bad("-nan");
	number_bad("inf");
	number_bad("-inf");
	number_bad("+Infinity");
	number_bad("0x10");
	number_bad("0X1p3");
	number_bad("-0x10");
	number_bad("1e999");      /* overflows to infinity */
	number_bad("-1e999");
	number_bad("5min");

	/* The message quotes the text. */
	char err[256];
	double v;
	assert_int_equal(parse_number("12abc", &v, err, sizeof err), -1);
	assert_string_equal(err, "expected a finite number, got '12abc'");
	/* A NULL or empty buffer is allowed. */
	assert_int_equal(parse_number("x", &v, NULL, 0), -1);
	assert_int_equal(parse_number("x", &v, err, 0), -1);
}

static void int_ranges(void **state)
{
	(void)state;
	long k = 99;
	char err[256] = "";
	assert_int_equal(parse_int("5", 1, 10, &k, err, sizeof err), 0);
	assert_int_equal(k, 5);
	assert_int_equal(parse_int(" 1 ", 1, 10, &k, err, sizeof err), 0);
	assert_int_equal(k, 1);
	assert_int_equal(parse_int("10", 1, 10, &k, err, sizeof err), 0);
	assert_int_equal(k, 10);
	assert_int_equal(parse_int("-3", -5, 5, &k, err, sizeof err), 0);
	assert_int_equal(k, -3);
	assert_int_equal(parse_int("0", 0, 0, &k, err, sizeof err), 0);
	assert_int_equal(k, 0);
	assert_int_equal(parse_int("1000000", 1, 1000000, &k, err, sizeof err), 0);
	assert_int_equal(k, 1000000);

	/* Out of range: the message gives the range and the text. */
	k = 99;
	assert_int_equal(parse_int("0", 1, 10, &k, err, sizeof err), -1);
	assert_string_equal(err, "expected a whole number from 1 to 10, got '0'");
	assert_int_equal(k, 99);
	assert_int_equal(parse_int("11", 1, 10, &k, err, sizeof err), -1);
	assert_contains(err, "from 1 to 10");
	assert_int_equal(parse_int("-6", -5, 5, &k, err, sizeof err), -1);
	assert_contains(err, "from -5 to 5");
	assert_int_equal(parse_int("1e300", 1, 10, &k, err, sizeof err), -1);
	assert_int_equal(k, 99);

	/* Not whole numbers. */
	const char *bad[] = { "2.5", "0.1", "", " ", "five", "3x", "nan", "inf", "0x10", "1 2" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err[0] = '\0';
		if (parse_int(bad[i], -100, 100, &k, err, sizeof err) != -1)
			print_error("parse_int('%s') accepted: %ld\n", bad[i], k);
		assert_int_equal(parse_int(bad[i], -100, 100, &k, err, sizeof err), -1);
		assert_contains(err, "expected a whole number");
		assert_int_equal(k, 99);
	}
}

/* The full range of long: a value beyond it must be refused, not wrapped. */
static void int_extremes(void **state)
{
	(void)state;
	long k = 99;
	char err[256] = "";
	int rc = parse_int("9223372036854775808", 0, LONG_MAX, &k, err, sizeof err);
	if (rc == 0)
		print_error("parse_int('9223372036854775808', 0, LONG_MAX) accepted: %ld\n", k);
	assert_int_equal(rc, -1);
	rc = parse_int("99999999999999999999", 0, LONG_MAX, &k, err, sizeof err);
	assert_int_equal(rc, -1);
	/* If accepted, LONG_MAX itself must come out non-negative. */
	rc = parse_int("9223372036854775807", 0, LONG_MAX, &k, err, sizeof err);
	assert_true(rc == -1 || k > 0);
}

static void duration_ok(const char *text, double want)
{
	double v = SENTINEL;
	char err[256] = "";
	int rc = parse_duration(text, &v, err, sizeof err);
	if (rc != 0 || fabs(v - want) > 1e-12 * fabs(want))
		print_error("parse_duration('%s') = %d, %.17g (%s); want %.17g\n", text, rc, v, err,
		            want);
	assert_int_equal(rc, 0);
	assert_true(fabs(v - want) <= 1e-12 * fabs(want));
}

static void duration_bad(const char *text, const char *want)
{
	double v = SENTINEL;
	char err[256] = "";
	int rc = parse_duration(text, &v, err, sizeof err);
	if (rc != -1)
		print_error("parse_duration('%s') accepted: %.17g\n", text, v);
	assert_int_equal(rc, -1);
	assert_true(v == SENTINEL);
	assert_contains(err, want);
}

static void duration_valid(void **state)
{
	(void)state;
	duration_ok("45s", 0.75);
	duration_ok("90s", 1.5);
	duration_ok("2.5min", 2.5);
	duration_ok("8h", 480);
	duration_ok("3d", 4320);
	duration_ok("1 h", 60);
	duration_ok("  30 s  ", 0.5);
	duration_ok("0.25h", 15);
	duration_ok("1e2min", 100);
	duration_ok(".5d", 720);
	duration_ok("0s", 0);
	duration_ok("0min", 0);
}

static void duration_invalid(void **state)
{
	(void)state;
	duration_bad("5", "missing unit in '5'");
	duration_bad("2.5 ", "missing unit");
	duration_bad("5 parsecs", "unknown unit 'parsecs'");
	duration_bad("5m", "unknown unit 'm'");
	duration_bad("5mins", "unknown unit 'mins'");
	duration_bad("5 H", "unknown unit 'H'");
	duration_bad("5min junk", "unknown unit");
	duration_bad("5 min 3s", "unknown unit");
	duration_bad("-5min", "negative duration '-5min'");
	duration_bad("-0.1s", "negative duration");
	duration_bad("nan min", "expected a duration");
	duration_bad("inf h", "expected a duration");
	duration_bad("min", "expected a duration");
	duration_bad("", "expected a duration");
	duration_bad("0x10min", "expected a duration");
	duration_bad("1e999d", "expected a duration");
	duration_bad("1e308d", "too large");
	/* The messages name the units. */
	duration_bad("5", "s, min, h or d");
	duration_bad("5 yr", "s, min, h or d");
}

static void trim(void **state)
{
	(void)state;
	const struct {
		const char *in, *out;
	} c[] = {
		{ "  a b \t\n", "a b" }, { "x", "x" }, { "", "" }, { " \t ", "" }, { "\na", "a" },
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		char *s = parse_trim(c[i].in);
		assert_string_equal(s, c[i].out);
		free(s);
	}
}

/* A subnormal number (below DBL_MIN in size) is the number it is; one too
 * close to 0 for any double is refused as such, not as "not a number" nor
 * as out of some range. */
static void number_tiny(void **state)
{
	char err[256];
	double v = 1, mins = 1;
	assert_int_equal(parse_number("4.9e-324", &v, err, sizeof err), 0);
	assert_true(v > 0 && v == nextafter(0, 1));
	assert_int_equal(parse_number("-4.9e-324", &v, err, sizeof err), 0);
	assert_true(v < 0);
	assert_int_equal(parse_number("1e-310", &v, err, sizeof err), 0);
	assert_true(v > 0 && v < 1.1e-310 && v > 0.9e-310);
	assert_int_equal(parse_number(" 1e-400 ", &v, err, sizeof err), -2);
	assert_string_equal(err, "' 1e-400 ' is too close to 0 to hold: write 0, or a number of at "
	                    "least 4.9e-324 in size");
	assert_int_equal(parse_number("1e-400x", &v, err, sizeof err), -1);
	assert_int_equal(parse_number("0e-400", &v, err, sizeof err), 0);
	assert_true(v == 0);
	assert_int_equal(parse_duration("1e-400s", &mins, err, sizeof err), -1);
	assert_string_equal(err, "'1e-400s' is too close to 0 to hold: write 0s, or a number of at "
	                    "least 4.9e-324 in size");
	assert_int_equal(parse_duration("1e-310min", &mins, err, sizeof err), 0);
	assert_true(mins > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(number_valid),
		cmocka_unit_test(number_invalid),
		cmocka_unit_test(int_ranges),
		cmocka_unit_test(int_extremes),
		cmocka_unit_test(duration_valid),
		cmocka_unit_test(duration_invalid),
		cmocka_unit_test(trim),
		cmocka_unit_test(number_tiny),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
