/* test_inifile: the INI file reader, through a handler that records what it
 * is handed: lines and their numbers, continuation lines, includes (paths,
 * cycles, depth, size), what is not a regular file, read errors, line ends,
 * and the handler's refusals named at FILE:LINE. scenario's own checks
 * (known sections and keys) are in test_scenario.c. Files are written to a
 * temporary folder so each test shows its input next to its expectation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sysexits.h>
#include <unistd.h>

#include "inifile.h"
#include "testtmp.h"
#include "util.h"

#define DATA "tests/data/scenario"

static char err[1024];
static const char *last;   /* the file read_text wrote */

/* What the handler was given, in order; a continuation line joins the value
 * of the last record of its key. */
struct rec {
	char *section, *key, *value, *origin;
	int line;
};
static struct rec rec[64];
static size_t nrec;
static int sections;   /* headers the handler was shown */

static void rec_clear(void)
{
	for (size_t i = 0; i < nrec; i++) {
		free(rec[i].section);
		free(rec[i].key);
		free(rec[i].value);
		free(rec[i].origin);
	}
	nrec = 0;
	sections = 0;
}

/* Sections starting "bad" are refused. */
static int on_section(void *ctx, const char *section, char *msg, size_t len)
{
	sections++;
	if (strncmp(section, "bad", 3) != 0)
		return 0;
	snprintf(msg, len, "unknown section");
	return -1;
}

static int on_is_key(const char *name)
{
	return strcmp(name, "servers") == 0 || strcmp(name, "days") == 0;
}

/* Keys outside a section and keys starting "bad" are refused. */
static int on_key(void *ctx, const char *section, const char *key, const char *value,
                  const char *path, int line, char *msg, size_t len)
{
	if (!*section) {
		snprintf(msg, len, "%s: key outside any section", key);
		return -1;
	}
	if (strncmp(key, "bad", 3) == 0) {
		snprintf(msg, len, "%s.%s: refused", section, key);
		return -1;
	}
	assert_true(nrec < sizeof rec / sizeof rec[0]);
	rec[nrec++] = (struct rec){ xstrdup(section), xstrdup(key), xstrdup(value), xstrdup(path),
	                            line };
	return 0;
}

static struct rec *rec_find(const char *section, const char *key)
{
	for (size_t i = nrec; i-- > 0;)
		if (strcmp(rec[i].section, section) == 0 && strcmp(rec[i].key, key) == 0)
			return &rec[i];
	return NULL;
}

static int on_more(void *ctx, const char *section, const char *key, const char *value)
{
	struct rec *r = rec_find(section, key);
	if (!r)
		return -1;
	char *joined = *r->value ? xasprintf("%s %s", r->value, value) : xstrdup(value);
	free(r->value);
	r->value = joined;
	return 0;
}

static struct inifile_handler to = {
	.ctx = NULL, .depth_max = 32, .bytes_max = 16u << 20, .section = on_section,
	.is_key = on_is_key, .key = on_key, .more = on_more,
};

static int teardown(void **state)
{
	rec_clear();
	return tmp_teardown(state);
}

/* Reads path afresh (limits back to the defaults unless a test set them);
 * returns the status. */
static int read_path(const char *path)
{
	rec_clear();
	err[0] = '\0';
	return inifile_read(path, &to, err, sizeof err);
}

/* Reads text written as tmpdir/name. */
static int read_text(const char *name, const char *text)
{
	last = tfile(name, text);
	return read_path(last);
}

/* The message expected for a problem at name:line, as "TMP/name:line: rest". */
static void assert_err(const char *name, int line, const char *rest)
{
	char *want = xasprintf("%s/%s:%d: %s", tmpdir, name, line, rest);
	assert_string_equal(err, want);
	free(want);
}

static void assert_rec(size_t i, const char *section, const char *key, const char *value,
                       const char *origin, int line)
{
	assert_true(i < nrec);
	assert_string_equal(rec[i].section, section);
	assert_string_equal(rec[i].key, key);
	assert_string_equal(rec[i].value, value);
	assert_string_equal(rec[i].origin, origin);
	assert_int_equal(rec[i].line, line);
}

static const struct rec *rec_get(const char *section, const char *key)
{
	return rec_find(section, key);
}

/* ---- the handler -------------------------------------------------------- */

/* Every header goes by the handler, an empty section too; keys come with
 * their file and line (after a BOM, comments and CRLF); a refusal is named
 * at its line, and nothing after it is read. */
static void test_handler_sees_lines(void **state)
{
	assert_int_equal(read_text("lines.ini",
	                           "\xEF\xBB\xBF; a BOM first, CRLF line ends\r\n"
	                           "[empty]\r\n"
	                           "# hash comment\r\n"
	                           "[stage.a]\r\n"
	                           "days = 2 ; inline comment\r\n"
	                           "name = a#b\r\n"
	                           "servers = 1 2\r\n"
	                           "  3 ; a comment\r\n"), 0);
	assert_int_equal(sections, 2);
	assert_int_equal(nrec, 3);
	assert_rec(0, "stage.a", "days", "2", last, 5);
	assert_rec(1, "stage.a", "name", "a#b", last, 6);
	assert_rec(2, "stage.a", "servers", "1 2 3", last, 7);

	assert_int_equal(read_text("badsec.ini", "[a]\nx = 1\n[bad.b]\ny = 2\n"), EX_DATAERR);
	assert_err("badsec.ini", 3, "[bad.b]: unknown section");
	assert_int_equal(nrec, 1);
	assert_int_equal(read_text("badkey.ini", "[a]\nx = 1\nbad_y = 2\nz = 3\n"), EX_DATAERR);
	assert_err("badkey.ini", 3, "a.bad_y: refused");
	assert_int_equal(nrec, 1);
	assert_int_equal(read_text("outside.ini", "; x\ndays = 1\n[a]\n"), EX_DATAERR);
	assert_err("outside.ini", 2, "days: key outside any section");
}

/* An indented "name =" is a key only when is_key knows name (or it is
 * include); otherwise it continues the value above. */
static void test_looks_like_key(void **state)
{
	assert_true(inifile_looks_like_key("servers = 2", on_is_key));
	assert_true(inifile_looks_like_key("days\t= 2", on_is_key));
	assert_true(inifile_looks_like_key("include=x.ini", on_is_key));
	assert_false(inifile_looks_like_key("servers2 = 2", on_is_key));
	assert_false(inifile_looks_like_key("servers 2", on_is_key));
	assert_false(inifile_looks_like_key("x = servers", on_is_key));
	assert_false(inifile_looks_like_key("= 2", on_is_key));

	assert_int_equal(read_text("indother.ini", "[a]\nx = 1\n  other = 2\n"), 0);
	assert_rec(0, "a", "x", "1 other = 2", last, 2);
	assert_int_equal(read_text("inddays.ini", "[a]\nx = 1\n  days = 2\n"), EX_DATAERR);
	assert_err("inddays.ini", 3, "indented 'days = 2' would continue the value above: remove "
	           "the indentation to make it a key");
}

/* The limits are the handler's: depth_max includes below the top file,
 * bytes_max for a file by its size and for all the files read together. */
static void test_handler_limits(void **state)
{
	tfile("d2.ini", "[a]\nx = 2\n");
	tfile("d1.ini", "include = d2.ini\n");
	to.depth_max = 2;
	assert_int_equal(read_text("d0.ini", "include = d1.ini\n"), 0);
	assert_rec(0, "a", "x", "2", made[nmade - 3], 2);
	to.depth_max = 1;
	assert_int_equal(read_text("d0.ini", "include = d1.ini\n"), EX_DATAERR);
	assert_err("d1.ini", 1, "include: includes nested more than 1 deep: 'd2.ini' is one too "
	           "many");

	to.bytes_max = 24;
	const char *text = "[a]\nx = 0123456789abcdefghij\n";
	assert_int_equal(read_text("big.ini", text), EX_DATAERR);
	char *want = xasprintf("%s: too large: %zu bytes; a scenario and its includes may hold "
	                       "0 MiB", last, strlen(text));
	assert_string_equal(err, want);
	free(want);
	tfile("half.ini", "[a]\nx = 0123456789\n");
	assert_int_equal(read_text("twice.ini", "include = half.ini\n"), EX_DATAERR);
	assert_err("half.ini", 2, "too large: more than 0 MiB read; a scenario and its includes "
	           "may hold 0 MiB");
}

/* Puts the limits back after test_handler_limits, passed or failed. */
static int limits_reset(void **state)
{
	to.depth_max = 32;
	to.bytes_max = 16u << 20;
	return 0;
}

/* ---- reading ------------------------------------------------------------ */

static void test_continuation_refused(void **state)
{
	assert_int_equal(read_text("blank.ini",
	                           "[stream.car]\n"
	                           "per_day = 1\n"
	                           "\n"
	                           "   2\n"), EX_DATAERR);
	assert_err("blank.ini", 4, "unexpected indentation: only the continuation lines of a "
	           "value may be indented");

	assert_int_equal(read_text("indkey.ini",
	                           "[stage.a]\n"
	                           "service = fixed(1min)\n"
	                           "  servers = 2\n"), EX_DATAERR);
	assert_err("indkey.ini", 3, "indented 'servers = 2' would continue the value above: "
	           "remove the indentation to make it a key");

	assert_int_equal(read_text("indfirst.ini", "[stage.a]\n  servers = 2\n"), EX_DATAERR);
	assert_err("indfirst.ini", 2, "unexpected indentation: only the continuation lines of a "
	           "value may be indented");

	assert_int_equal(read_text("indsec.ini",
	                           "[stage.a]\nservers = 2\n  [stage.b]\n"), EX_DATAERR);
	assert_err("indsec.ini", 3, "indented section header '[stage.b]': remove the indentation");
}

static void test_syntax_errors(void **state)
{
	assert_int_equal(read_text("syntax.ini", "[scenario]\ndays = 1\nbad line\n"),
	                 EX_DATAERR);
	assert_err("syntax.ini", 3, "syntax error: expected 'key = value' or '[section]', got "
	           "'bad line'");

	assert_int_equal(read_text("noname.ini", "[scenario]\n= 4\n"), EX_DATAERR);
	assert_err("noname.ini", 2, "syntax error: missing key name before '='");
}

static void test_line_too_long(void **state)
{
	/* inih's buffer is 200 bytes: 198 characters, '\n' and '\0' */
	char ok[199], bad[200];
	memset(ok, 'x', sizeof ok);
	memcpy(ok, "name = ", 7);
	ok[198] = '\0';
	memcpy(bad, ok, 198);
	bad[198] = 'x';
	bad[199] = '\0';
	char *text = xasprintf("[scenario]\n%s\n", ok);
	assert_int_equal(read_text("long.ini", text), 0);
	assert_int_equal(strlen(rec_get("scenario", "name")->value), 191);
	free(text);

	text = xasprintf("[scenario]\ndays = 1\n%s\n", bad);
	assert_int_equal(read_text("long.ini", text), EX_DATAERR);
	assert_err("long.ini", 3, "line too long (199 characters, at most 198): break a long value "
	           "over indented continuation lines");
	/* the rest of the line must not have been read as a line of its own */
	assert_null(rec_get("scenario", "name"));
	free(text);

	/* CRLF does not count against the limit */
	text = xasprintf("[scenario]\r\n%s\r\n", ok);
	assert_int_equal(read_text("long.ini", text), 0);
	free(text);
}

static void test_include_errors(void **state)
{
	tfile("cyc_a.ini", "include = cyc_b.ini\n[scenario]\ndays = 1\n");
	tfile("cyc_b.ini", "; b\ninclude = cyc_a.ini\n");
	char *a = xasprintf("%s/cyc_a.ini", tmpdir), *want = NULL;
	assert_int_equal(read_path(a), EX_DATAERR);
	want = xasprintf("%s/cyc_b.ini:2: include: include cycle %s/cyc_a.ini -> %s/cyc_b.ini -> "
	                 "%s/cyc_a.ini", tmpdir, tmpdir, tmpdir, tmpdir);
	assert_string_equal(err, want);
	free(want);
	free(a);

	assert_int_equal(read_text("self.ini", "include = self.ini\n"), EX_DATAERR);
	assert_contains(err, "self.ini:1: include: include cycle ");

	assert_int_equal(read_text("missing.ini", "; first\ninclude = nope.ini\n"), EX_DATAERR);
	want = xasprintf("%s/missing.ini:2: include: cannot open '%s/nope.ini': No such file or "
	                 "directory", tmpdir, tmpdir);
	assert_string_equal(err, want);
	free(want);

	assert_int_equal(read_text("late.ini", "[scenario]\ninclude = x.ini\n"), EX_DATAERR);
	assert_err("late.ini", 2, "include: must come before the first section");

	/* an error inside an included file names that file and line */
	tfile("bad_inc.ini", "[scenario]\n\nbad_key = 3\n");
	assert_int_equal(read_text("inc_top.ini", "include = bad_inc.ini\n"), EX_DATAERR);
	assert_err("bad_inc.ini", 3, "scenario.bad_key: refused");
}

static void test_include_from_subfolder(void **state)
{
	tdir("sub");
	tfile("sub/inner.ini", "[scenario]\nseed = 3\n");
	tfile("sub/outer.ini", "include = inner.ini\n[scenario]\ndays = 2\n");
	assert_int_equal(read_text("diamond.ini", "include = sub/outer.ini\n"
	                           "include = sub/inner.ini\n"), 0);
	assert_int_equal(nrec, 3);
	char *inner = xasprintf("%s/sub/inner.ini", tmpdir);
	char *outer = xasprintf("%s/sub/outer.ini", tmpdir);
	assert_rec(0, "scenario", "seed", "3", inner, 2);
	assert_rec(1, "scenario", "days", "2", outer, 3);
	assert_rec(2, "scenario", "seed", "3", inner, 2);
	free(outer);
	free(inner);
}

static void test_missing_top_file(void **state)
{
	assert_int_equal(read_path(DATA "/no-such.ini"), EX_NOINPUT);
	assert_string_equal(err, "cannot open '" DATA "/no-such.ini': No such file or directory");

	assert_int_equal(read_path(DATA), EX_NOINPUT);
	assert_contains(err, "cannot read '" DATA "': ");
}

/* What is not a regular file is refused before it is read: as the top file
 * 66, as an include 65 at the include line. Neither a FIFO without a writer
 * nor an endless device holds the reader. */
static void test_not_regular_files(void **state)
{
	char *fifo = xasprintf("%s/fifo.ini", tmpdir), *want;
	assert_int_equal(mkfifo(fifo, 0600), 0);
	made[nmade++] = fifo;
	tdir("folder.ini");

	assert_int_equal(read_path(fifo), EX_NOINPUT);
	want = xasprintf("cannot read '%s': a FIFO, not a regular file", fifo);
	assert_string_equal(err, want);
	free(want);
	assert_int_equal(read_path("/dev/zero"), EX_NOINPUT);
	assert_string_equal(err, "cannot read '/dev/zero': a character device, not a regular file");

	assert_int_equal(read_text("inc_zero.ini", "; x\ninclude = /dev/zero\n"), EX_DATAERR);
	assert_err("inc_zero.ini", 2, "include: cannot read '/dev/zero': a character device, not "
	           "a regular file");
	assert_int_equal(read_text("inc_fifo.ini", "include = fifo.ini\n"), EX_DATAERR);
	want = xasprintf("include: cannot read '%s': a FIFO, not a regular file", fifo);
	assert_err("inc_fifo.ini", 1, want);
	free(want);
	assert_int_equal(read_text("inc_dir.ini", "include = folder.ini\n"), EX_DATAERR);
	want = xasprintf("include: cannot read '%s/folder.ini': Is a directory", tmpdir);
	assert_err("inc_dir.ini", 1, want);
	free(want);
}

/* A read error is an error, never the end of the file: /proc/self/mem is a
 * regular file whose first page cannot be read (EIO). */
static void test_read_error(void **state)
{
	assert_int_equal(read_text("inc_mem.ini", "include = /proc/self/mem\n"), EX_DATAERR);
	assert_err("inc_mem.ini", 1, "include: cannot read '/proc/self/mem': Input/output error");
	assert_int_equal(read_path("/proc/self/mem"), EX_NOINPUT);
	assert_string_equal(err, "cannot read '/proc/self/mem': Input/output error");
}

/* Line ends: LF and CRLF read alike; a CR alone (old Mac files, or a stray
 * one) is refused at its line, never read as one long line. */
static void test_cr_line_ends(void **state)
{
	assert_int_equal(read_text("cr.ini", "[scenario]\rdays = 2\rseed = 3\r"), EX_DATAERR);
	assert_err("cr.ini", 1, "a carriage return (CR) not followed by a line feed: save the file "
	           "with LF or CRLF line ends");
	assert_int_equal(read_text("cr_mid.ini", "[scenario]\r\ndays = 2\r\nseed = 3\r4\n"),
	                 EX_DATAERR);
	assert_err("cr_mid.ini", 3, "a carriage return (CR) not followed by a line feed: save the "
	           "file with LF or CRLF line ends");
	assert_int_equal(read_text("cr_end.ini", "[scenario]\ndays = 2\r"), EX_DATAERR);
	assert_err("cr_end.ini", 2, "a carriage return (CR) not followed by a line feed: save the "
	           "file with LF or CRLF line ends");
	assert_int_equal(read_text("crlf_last.ini", "[scenario]\r\ndays = 2\r\n\r\n"
	                           "[stage.a]\r\nservers = 1 2 3\r\n  4\r\nnext = exit"), 0);
	assert_rec(0, "scenario", "days", "2", last, 2);
	assert_rec(1, "stage.a", "servers", "1 2 3 4", last, 5);
	assert_rec(2, "stage.a", "next", "exit", last, 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_handler_sees_lines),
		cmocka_unit_test(test_looks_like_key),
		cmocka_unit_test_teardown(test_handler_limits, limits_reset),
		cmocka_unit_test(test_continuation_refused),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_line_too_long),
		cmocka_unit_test(test_include_errors),
		cmocka_unit_test(test_include_from_subfolder),
		cmocka_unit_test(test_missing_top_file),
		cmocka_unit_test(test_not_regular_files),
		cmocka_unit_test(test_read_error),
		cmocka_unit_test(test_cr_line_ends),
	};
	return cmocka_run_group_tests(tests, tmp_setup, teardown);
}
