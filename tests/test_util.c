/* test_util: the escaping of text for the terminal (util_escape). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "util.h"

static void assert_escaped(const char *text, const char *want)
{
	char *got = util_escape(text);
	assert_string_equal(got, want);
	free(got);
}

/* Control characters become \xHH; printable ASCII stays as it is. */
static void test_controls(void **state)
{
	assert_escaped("", "");
	assert_escaped("stage.primary.servers: got 'ten'", "stage.primary.servers: got 'ten'");
	assert_escaped("1\x1b[31mred", "1\\x1b[31mred");
	assert_escaped("a\tb\nc\rd", "a\\x09b\\x0ac\\x0dd");
	assert_escaped("\x01\x1f\x7f", "\\x01\\x1f\\x7f");
	assert_escaped("back\\slash ~", "back\\slash ~");
}

/* Valid UTF-8 is kept, whatever the script; a byte that is not part of a
 * valid sequence is escaped alone, and what follows it is read afresh. */
static void test_utf8(void **state)
{
	assert_escaped("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x9a\xa2",
	               "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x9a\xa2");
	assert_escaped("\xff", "\\xff");
	assert_escaped("\xc3", "\\xc3");                       /* cut short at the end */
	assert_escaped("\xc3(", "\\xc3(");                     /* continuation missing */
	assert_escaped("\xc0\xaf", "\\xc0\\xaf");               /* overlong '/' */
	assert_escaped("\xe0\x80\xaf", "\\xe0\\x80\\xaf");      /* overlong */
	assert_escaped("\xed\xa0\x80", "\\xed\\xa0\\x80");      /* a surrogate */
	assert_escaped("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80"); /* past U+10FFFF */
	assert_escaped("\xc2\x9b[31m", "\\xc2\\x9b[31m");     /* U+009B, a CSI */
	assert_escaped("\xc2\xa0", "\xc2\xa0");                 /* U+00A0 is no control */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_controls),
		cmocka_unit_test(test_utf8),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
