/* test_parse: numbers, whole numbers, durations, lists and key rows' values as
 * scenario files write them.
 *
 * Each parser takes the whole text, blanks around it ignored; anything else
 * — trailing words, NaN, infinities, hexadecimal, an empty value, a duration
 * without its unit — is refused with a message that quotes the text. On
 * refusal the output is left untouched. A key row's value keeps to the row's
 * bounds and words (keys.h). */
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "keys.h"
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

/* Lists: blanks and/or commas between items, no empty item; or items at
 * commas as written, empty ones skipped. */
static void words_and_items(void **state)
{
	struct parse_words ws;
	char err[256] = "";
	assert_int_equal(parse_words(&ws, " a, b c ,d ", err, sizeof err), 0);
	assert_int_equal(ws.n, 4);
	assert_string_equal(ws.w[0], "a");
	assert_string_equal(ws.w[3], "d");
	parse_words_release(&ws);
	assert_int_equal(ws.n, 0);
	assert_null(ws.w);
	assert_int_equal(parse_words(&ws, "   ", err, sizeof err), 0);
	assert_int_equal(ws.n, 0);
	parse_words_release(&ws);
	assert_int_equal(parse_words(&ws, "a,,b", err, sizeof err), -1);
	assert_string_equal(err, "empty item in the list 'a,,b'");
	assert_int_equal(ws.n, 0);
	assert_int_equal(parse_words(&ws, "a, b,", err, sizeof err), -1);
	assert_string_equal(err, "empty item in the list 'a, b,'");
	assert_int_equal(parse_words(&ws, ",a", err, sizeof err), -1);
	parse_items(&ws, ",a :1,, b,");
	assert_int_equal(ws.n, 2);
	assert_string_equal(ws.w[0], "a :1");
	assert_string_equal(ws.w[1], " b");
	parse_words_release(&ws);
	parse_items(&ws, "");
	assert_int_equal(ws.n, 0);
	parse_words_release(&ws);
}

static void seeds_and_words(void **state)
{
	static const char *const kinds[] = { "inspection", "nii", "custody", NULL };
	uint64_t seed = 7;
	assert_int_equal(parse_seed(" 18446744073709551615 ", &seed), 0);
	assert_true(seed == UINT64_MAX);
	assert_int_equal(parse_seed("0", &seed), 0);
	assert_true(seed == 0);
	seed = 7;
	assert_int_equal(parse_seed("18446744073709551616", &seed), -1);
	assert_int_equal(parse_seed("-1", &seed), -1);
	assert_int_equal(parse_seed("+1", &seed), -1);
	assert_int_equal(parse_seed("1.5", &seed), -1);
	assert_int_equal(parse_seed("", &seed), -1);
	assert_true(seed == 7);
	assert_int_equal(parse_choice(" nii ", kinds), 1);
	assert_int_equal(parse_choice("custody", kinds), 2);
	assert_int_equal(parse_choice("NII", kinds), -1);
	assert_int_equal(parse_choice("", kinds), -1);
	assert_true(parse_is_word("\tflat ", "flat"));
	assert_false(parse_is_word("flatter", "flat"));
}

/* A number within a row's bounds; days also as a duration. */
static void row_values(void **state)
{
	const struct key_def *days = keys_row(KEYS_SCENARIO_DAYS);
	const struct key_def *servers = keys_row(KEYS_STAGE_SERVERS);
	double v = SENTINEL;
	char err[256] = "";
	assert_int_equal(parse_value(days, "2.5", &v, err, sizeof err), 0);
	assert_true(v == 2.5);
	assert_int_equal(parse_value(days, "36h", &v, err, sizeof err), 0);
	assert_true(v == 1.5);
	assert_int_equal(parse_value(days, "0", &v, err, sizeof err), -1);
	assert_int_equal(parse_value(days, "0s", &v, err, sizeof err), -1);
	assert_int_equal(parse_value(servers, "12", &v, err, sizeof err), 0);
	assert_true(v == 12);
	v = SENTINEL;
	assert_int_equal(parse_value(servers, "1.5", &v, err, sizeof err), -1);
	assert_int_equal(parse_value(servers, "100001", &v, err, sizeof err), -1);
	assert_int_equal(parse_value(servers, "8h", &v, err, sizeof err), -1);
	assert_true(v == SENTINEL);
	assert_int_equal(parse_value(servers, "1e-400", &v, err, sizeof err), -2);
	assert_contains(err, "too close to 0");
	parse_expected(servers, "x", 1, err, sizeof err);
	assert_string_equal(err, "expected a whole number from 0 to 100000, 24 of them, or "
	                    "unlimited or auto, got 'x'");
	parse_expected(keys_row(KEYS_STREAM_PROFILE), "1 2", 2, err, sizeof err);
	assert_string_equal(err, "expected flat, or 24 weights of at least 0, got 2");
}

static void profiles(void **state)
{
	const struct key_def *d = keys_row(KEYS_STREAM_PROFILE);
	double w[24];
	char err[256] = "", text[256] = "";
	assert_int_equal(parse_profile(d, " flat ", 10, w, 24, err, sizeof err), 0);
	assert_true(w[0] == 1.0 / 24 && w[23] == 1.0 / 24);
	for (int h = 0; h < 24; h++)
		strcat(text, h == 6 ? "3 " : "1 ");
	assert_int_equal(parse_profile(d, text, 10, w, 24, err, sizeof err), 0);
	assert_true(fabs(w[6] - 3.0 / 26) < 1e-15 && fabs(w[0] - 1.0 / 26) < 1e-15);
	assert_int_equal(parse_profile(d, "1 2 3", 10, w, 24, err, sizeof err), -1);
	assert_string_equal(err, "expected flat, or 24 weights of at least 0, got 3");
	assert_int_equal(parse_profile(d, "1,,2", 10, w, 24, err, sizeof err), -1);
	assert_string_equal(err, "empty item in the list '1,,2'");
	text[0] = '\0';
	for (int h = 0; h < 24; h++)
		strcat(text, h == 5 ? "-1 " : "0 ");
	assert_int_equal(parse_profile(d, text, 10, w, 24, err, sizeof err), -1);
	assert_string_equal(err, "hour 5: expected a weight of at least 0, got '-1'");
	text[0] = '\0';
	for (int h = 0; h < 24; h++)
		strcat(text, "0 ");
	assert_int_equal(parse_profile(d, text, 10, w, 24, err, sizeof err), -1);
	assert_string_equal(err, "all 24 weights are 0, but per_day is 10: give some hour a "
	                    "positive weight");
	assert_int_equal(parse_profile(d, text, 0, w, 24, err, sizeof err), 0);
	assert_true(w[3] == 1.0 / 24);
	text[0] = '\0';
	for (int h = 0; h < 24; h++)
		strcat(text, "1e308 ");
	assert_int_equal(parse_profile(d, text, 10, w, 24, err, sizeof err), -1);
	assert_contains(err, "the 24 weights add up to more than");
	assert_int_equal(parse_profile(d, "1 1e-400", 10, w, 2, err, sizeof err), -1);
	assert_contains(err, "hour 1: '1e-400' is too close to 0");
}

static void servers_by_hour(void **state)
{
	const struct key_def *d = keys_row(KEYS_STAGE_SERVERS);
	int s[24], unlimited = 5;
	char err[256] = "", text[256] = "";
	assert_int_equal(parse_servers(d, " 7 ", s, 24, &unlimited, err, sizeof err), 0);
	assert_int_equal(unlimited, 0);
	assert_int_equal(s[0], 7);
	assert_int_equal(s[23], 7);
	assert_int_equal(parse_servers(d, "unlimited", s, 24, &unlimited, err, sizeof err), 0);
	assert_int_equal(unlimited, 1);
	assert_int_equal(s[12], 0);
	for (int h = 0; h < 24; h++)
		strcat(text, h < 8 ? "2 " : "4,");
	text[strlen(text) - 1] = '\0';
	assert_int_equal(parse_servers(d, text, s, 24, &unlimited, err, sizeof err), 0);
	assert_int_equal(s[7], 2);
	assert_int_equal(s[8], 4);
	assert_int_equal(parse_servers(d, "1 2", s, 24, &unlimited, err, sizeof err), -1);
	assert_string_equal(err, "expected a whole number from 0 to 100000, 24 of them, or "
	                    "unlimited or auto, got 2");
	assert_int_equal(parse_servers(d, "2.5", s, 24, &unlimited, err, sizeof err), -1);
	assert_string_equal(err, "expected a whole number from 0 to 100000, 24 of them, or "
	                    "unlimited or auto, got '2.5'");
	text[0] = '\0';
	for (int h = 0; h < 24; h++)
		strcat(text, h == 9 ? "x " : "1 ");
	assert_int_equal(parse_servers(d, text, s, 24, &unlimited, err, sizeof err), -1);
	assert_string_equal(err, "hour 9: expected a whole number of servers from 0 to 100000, "
	                    "got 'x'");
}

static void persons_shares(void **state)
{
	const struct key_def *d = keys_row(KEYS_STREAM_PERSONS);
	size_t n;
	int *value;
	double *cum, mean;
	char err[256] = "";
	assert_int_equal(parse_persons(d, " 3 ", 1e-9, &n, &value, &cum, &mean, err, sizeof err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(value[0], 3);
	assert_true(cum[0] == 1.0 && mean == 3);
	free(value);
	free(cum);
	assert_int_equal(parse_persons(d, "1:0.5, 2 : 0.3,4:0.2", 1e-9, &n, &value, &cum, &mean,
	                               err, sizeof err), 0);
	assert_int_equal(n, 3);
	assert_int_equal(value[2], 4);
	assert_true(cum[0] == 0.5 && cum[1] == 0.8 && cum[2] == 1.0);
	assert_true(fabs(mean - 1.9) < 1e-12);
	free(value);
	free(cum);
	assert_int_equal(parse_persons(d, "1:0.5, 2:0.4", 1e-9, &n, &value, &cum, &mean, err,
	                               sizeof err), -1);
	assert_string_equal(err, "shares of persons add up to 0.9, not 1, in '1:0.5, 2:0.4'");
	free(value);
	free(cum);
	assert_int_equal(parse_persons(d, "1, 2", 1e-9, &n, &value, &cum, &mean, err, sizeof err),
	                 -1);
	assert_string_equal(err, "expected a whole number from 0 to 1000, or shares such as "
	                    "1:0.6, 2:0.4, or a mean such as 1.89, got '1, 2'");
	free(value);
	free(cum);
	assert_int_equal(parse_persons(d, "1:1.5", 1e-9, &n, &value, &cum, &mean, err, sizeof err),
	                 -1);
	assert_contains(err, "got '1:1.5'");
	free(value);
	free(cum);
	assert_int_equal(parse_persons(d, " , ", 1e-9, &n, &value, &cum, &mean, err, sizeof err),
	                 -1);
	assert_int_equal(n, 2);
	free(value);
	free(cum);
	assert_int_equal(parse_persons(d, ",", 1e-9, &n, &value, &cum, &mean, err, sizeof err), -1);
	assert_int_equal(n, 0);
	assert_string_equal(err, "shares of persons add up to 0, not 1, in ','");
	free(value);
	free(cum);
}

/* One duration for every hour, or one a clock hour; any other count, or a
 * bad item (named by its hour), refused. */
static void durations_hourly(void **state)
{
	double m[24];
	char err[256], text[512] = "";
	assert_int_equal(parse_durations("30min", m, 24, err, sizeof err), 0);
	for (int h = 0; h < 24; h++)
		assert_true(m[h] == 30);
	for (int h = 0; h < 24; h++)
		snprintf(text + strlen(text), sizeof text - strlen(text), "%dmin%s", h + 1,
		         h % 2 ? ", " : " ");
	text[strlen(text) - 2] = '\0';
	assert_int_equal(parse_durations(text, m, 24, err, sizeof err), 0);
	for (int h = 0; h < 24; h++)
		assert_true(m[h] == h + 1);
	assert_int_equal(parse_durations("1min 2min", m, 24, err, sizeof err), -1);
	assert_non_null(strstr(err, "expected a duration, or 24, one a clock hour, got 2"));
	text[strlen(text) - 4] = 'x';   /* "24min" -> "2xmin": hour 23 */
	assert_int_equal(parse_durations(text, m, 24, err, sizeof err), -1);
	assert_non_null(strstr(err, "hour 23: "));
	assert_int_equal(parse_durations("30", m, 24, err, sizeof err), -1);
	assert_non_null(strstr(err, "missing unit"));
	assert_int_equal(parse_durations("", m, 24, err, sizeof err), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(number_valid),
		cmocka_unit_test(durations_hourly),
		cmocka_unit_test(number_invalid),
		cmocka_unit_test(int_ranges),
		cmocka_unit_test(int_extremes),
		cmocka_unit_test(duration_valid),
		cmocka_unit_test(duration_invalid),
		cmocka_unit_test(trim),
		cmocka_unit_test(number_tiny),
		cmocka_unit_test(words_and_items),
		cmocka_unit_test(seeds_and_words),
		cmocka_unit_test(row_values),
		cmocka_unit_test(profiles),
		cmocka_unit_test(servers_by_hour),
		cmocka_unit_test(persons_shares),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
