/* test_svg: the charts' primitives — tick labels a reader can take in,
 * grouped numbers, escaping, text widths and axes. */
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "svg.h"
#include "util.h"

/* The tick labels of an axis fitted over [lo, hi] with n intervals, joined
 * by spaces. */
static char *ticks(double lo, double hi, int n)
{
	struct svg_axis a;
	svg_axis_fit(&a, lo, hi, n);
	char *s = xstrdup("");
	for (size_t i = 0; i < a.ntick; i++) {
		char buf[64];
		svg_tick_label(buf, sizeof buf, &a, a.tick[i]);
		char *t = xasprintf("%s%s%s", s, i ? " " : "", buf);
		free(s);
		s = t;
	}
	return s;
}

static void assert_ticks(double lo, double hi, int n, const char *want)
{
	char *got = ticks(lo, hi, n);
	assert_string_equal(got, want);
	free(got);
}

/* Short labels: separators below 100,000, SI-short above, no trailing zeros,
 * no "-0", decimals as the step needs. */
static void tick_labels(void **state)
{
	assert_ticks(0, 5.9e6, 4, "0 2M 4M 6M");
	assert_ticks(0, 5.9e6, 8, "0 1M 2M 3M 4M 5M 6M");
	assert_ticks(0, 2.4e6, 5, "0 500k 1M 1.5M 2M 2.5M");
	assert_ticks(0, 12000, 4, "0 5,000 10,000 15,000");
	assert_ticks(0, 250000, 4, "0 100k 200k 300k");
	assert_ticks(0, 7.3e10, 4, "0 20G 40G 60G 80G");
	assert_ticks(0, 0.25, 5, "0.00 0.05 0.10 0.15 0.20 0.25");
	assert_ticks(0, 0.25, 4, "0.0 0.1 0.2 0.3");
	assert_ticks(-3000, 3000, 4, "-4,000 -2,000 0 2,000 4,000");
	assert_ticks(-1.5e6, 0, 3, "-1.5M -1M -500k 0");
	/* Labels stay short however large the numbers: at most 6 characters
	 * from 1e5 to 1e15 (e.g. "12.5G"). */
	for (double top = 1e5; top < 1e15; top *= 3.7) {
		char *s = ticks(0, top, 4), *save = NULL;
		for (char *w = strtok_r(s, " ", &save); w; w = strtok_r(NULL, " ", &save))
			if (strlen(w) > 6)
				fail_msg("tick label '%s' for a range up to %g", w, top);
		free(s);
	}
}

static void grouped(void **state)
{
	char buf[64];
	static const struct { double v; int dec; const char *want; } c[] = {
		{ 0, 0, "0" }, { 999, 0, "999" }, { 1000, 0, "1,000" }, { 1234567.891, 2, "1,234,567.89" },
		{ -1234.5, 1, "-1,234.5" }, { -0.0001, 2, "0.00" }, { 73575900500, 0, "73,575,900,500" },
		{ 123456, 0, "123,456" }, { 12.345, 1, "12.3" },
	};
	for (size_t i = 0; i < NELEM(c); i++) {
		svg_format_grouped(buf, sizeof buf, c[i].v, c[i].dec);
		assert_string_equal(buf, c[i].want);
	}
	svg_format_grouped(buf, sizeof buf, NAN, 2);
	assert_string_equal(buf, "");
	svg_format_grouped(buf, sizeof buf, 1e300, 0);
	assert_string_equal(buf, "1e+300");
}

static char *escaped(const char *s)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	assert_non_null(f);
	svg_text(f, s);
	fclose(f);
	return out;
}

static void text_escaped(void **state)
{
	static const struct { const char *in, *want; } c[] = {
		{ "a<b>&\"c'd", "a&lt;b&gt;&amp;&quot;c&apos;d" },
		{ "bad\xff", "bad\xef\xbf\xbd" },
		{ "ctl\x01", "ctl\xef\xbf\xbd" },
		{ "tab\t", "tab&#9;" },
		{ "\xc3\xb1", "\xc3\xb1" },
		{ "\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },   /* a surrogate */
	};
	for (size_t i = 0; i < NELEM(c); i++) {
		char *got = escaped(c[i].in);
		assert_string_equal(got, c[i].want);
		free(got);
	}
}

/* Widths count characters, not bytes, and err wide. */
static void text_width(void **state)
{
	assert_true(svg_text_width("abc", 10) == 18);
	assert_true(svg_text_width("\xc3\xb1\xc3\xb1", 10) == 12);
	assert_true(svg_text_width(NULL, 10) == 0);
}

/* Axes cover their range with ticks inside, and a constant widens. */
static void axes(void **state)
{
	struct svg_axis a;
	svg_axis_fit(&a, 3, 97, 4);
	assert_true(a.lo <= 3 && a.hi >= 97 && a.ntick >= 2);
	assert_true(a.step == 20 || a.step == 25 || a.step == 50);
	svg_axis_fit(&a, 5, 5, 4);
	assert_true(a.lo < 5 && a.hi > 5);
	svg_axis_fit(&a, -DBL_MAX, DBL_MAX, 4);
	assert_true(isnan(a.step) && a.ntick == 5);
	struct svg_frame fr = { 10, 20, 100, 50, 0 };
	svg_axis_fit(&a, 0, 10, 5);
	assert_true(svg_frame_x(&fr, &a, 0) == 10 && svg_frame_x(&fr, &a, 10) == 110);
	assert_true(svg_frame_y(&fr, &a, 0) == 70 && svg_frame_y(&fr, &a, 10) == 20);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tick_labels),
		cmocka_unit_test(grouped),
		cmocka_unit_test(text_escaped),
		cmocka_unit_test(text_width),
		cmocka_unit_test(axes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
