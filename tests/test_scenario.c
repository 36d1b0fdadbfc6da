/* test_scenario: scenario files read into key/values (includes and override
 * order, sections and keys checked against the key table, the scenario's
 * include and size limits), --set, and writing the effective scenario back.
 * The file reader's own rules (lines, continuation, includes, line ends,
 * what is not a regular file) are in test_inifile.c. Fixed files are in
 * tests/data/scenario/ (the tests run from the repository root); files for
 * error cases are written to a temporary folder (testtmp.h). */
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

#include "model.h"
#include "scenario.h"
#include "testtmp.h"
#include "util.h"

#define DATA "tests/data/scenario"

static char err[1024];
static const char *last;   /* the file load_text wrote */

static void assert_lacks(const char *hay, const char *needle)
{
	if (strstr(hay, needle)) {
		print_error("'%s' contains '%s'\n", hay, needle);
		fail();
	}
}

/* Loads text as tmpdir/name into a fresh scenario; returns the status. */
static int load_text(struct scenario *sc, const char *name, const char *text)
{
	scenario_init(sc);
	err[0] = '\0';
	last = tfile(name, text);
	return scenario_load(sc, last, err, sizeof err);
}

/* The message expected for a problem at name:line, as "TMP/name:line: rest". */
static void assert_err(const char *name, int line, const char *rest)
{
	char *want = xasprintf("%s/%s:%d: %s", tmpdir, name, line, rest);
	assert_string_equal(err, want);
	free(want);
}

static void assert_entry(const struct scenario *sc, size_t i, const char *section,
                         const char *key, const char *value, const char *origin, int line)
{
	assert_true(i < sc->n);
	assert_string_equal(sc->entry[i].section, section);
	assert_string_equal(sc->entry[i].key, key);
	assert_string_equal(sc->entry[i].value, value);
	assert_string_equal(sc->entry[i].origin, origin);
	assert_int_equal(sc->entry[i].line, line);
}

/* ---- reading ------------------------------------------------------------ */

static void test_includes_and_override_order(void **state)
{
	struct scenario sc;
	scenario_init(&sc);
	assert_int_equal(scenario_load(&sc, DATA "/top.ini", err, sizeof err), 0);
	assert_string_equal(sc.path, DATA "/top.ini");
	assert_int_equal(sc.n, 10);
	/* first appearance fixes the order, the last value wins with its origin */
	assert_entry(&sc, 0, "scenario", "days", "3", DATA "/top.ini", 8);
	assert_entry(&sc, 1, "scenario", "seed", "7", DATA "/parts/common.ini", 4);
	assert_entry(&sc, 2, "scenario", "replications", "5", DATA "/parts/base.ini", 6);
	assert_entry(&sc, 3, "stream.car", "per_day", "100", DATA "/parts/base.ini", 9);
	assert_entry(&sc, 4, "stream.car", "route", "primary", DATA "/parts/base.ini", 10);
	assert_entry(&sc, 5, "stage.primary", "servers", "3", DATA "/top.ini", 5);
	assert_entry(&sc, 6, "stage.primary", "service", "exponential(mean=1min)",
	             DATA "/parts/base.ini", 14);
	assert_entry(&sc, 7, "stage.primary", "next", "secondary:0.1, exit", DATA "/parts/base.ini",
	             15);
	assert_entry(&sc, 8, "stage.secondary", "service", "fixed(5min)", DATA "/parts/base.ini",
	             18);
	assert_entry(&sc, 9, "stage.tertiary", "service", "fixed(1min)", DATA "/top.ini", 11);
	assert_null(scenario_get(&sc, "", "include"));
	assert_string_equal(scenario_get(&sc, "stage.primary", "servers")->value, "3");
	assert_null(scenario_get(&sc, "stage.primary", "capacity"));
	scenario_release(&sc);
	assert_int_equal(sc.n, 0);
	assert_null(sc.entry);
}

static void test_key_given_twice_last_wins(void **state)
{
	struct scenario sc;
	assert_int_equal(load_text(&sc, "twice.ini",
	                           "[scenario]\n"
	                           "days = 1\n"
	                           "seed = 4\n"
	                           "days = 2\n"), 0);
	assert_int_equal(sc.n, 2);
	assert_entry(&sc, 0, "scenario", "days", "2", last, 4);
	assert_entry(&sc, 1, "scenario", "seed", "4", last, 3);
	scenario_release(&sc);
}

static void test_comments_crlf_bom(void **state)
{
	struct scenario sc;
	assert_int_equal(load_text(&sc, "crlf.ini",
	                           "\xEF\xBB\xBF; a BOM first, CRLF line ends\r\n"
	                           "# hash comment\r\n"
	                           "[scenario]\r\n"
	                           "days = 2 ; inline comment\r\n"
	                           "name = a#b\r\n"
	                           "\r\n"
	                           "seed = 9\r\n"), 0);
	assert_int_equal(sc.n, 3);
	assert_entry(&sc, 0, "scenario", "days", "2", last, 4);
	assert_entry(&sc, 1, "scenario", "name", "a#b", last, 5);
	assert_entry(&sc, 2, "scenario", "seed", "9", last, 7);
	scenario_release(&sc);
	/* with a BOM the first line still counts as line 1 */
	assert_int_equal(load_text(&sc, "bom.ini", "\xEF\xBB\xBF[scenario]\r\ndayz = 2\r\n"),
	                 EX_DATAERR);
	assert_err("bom.ini", 2, "scenario.dayz: unknown key; did you mean 'scenario.days'?");
	scenario_release(&sc);
}

static void test_continuation_lines(void **state)
{
	struct scenario sc;
	assert_int_equal(load_text(&sc, "cont.ini",
	                           "[stream.car]\n"
	                           "profile = 1 2 3   ; night\n"
	                           "    4 5 6     ; morning\n"
	                           "; a comment between continuation lines\n"
	                           "\t7,8\n"
	                           "per_day =\n"
	                           "   100\n"), 0);
	assert_entry(&sc, 0, "stream.car", "profile", "1 2 3 4 5 6 7,8", last, 2);
	assert_entry(&sc, 1, "stream.car", "per_day", "100", last, 6);
	scenario_release(&sc);
}

static void test_unknown_key_with_line(void **state)
{
	struct scenario sc;
	assert_int_equal(load_text(&sc, "unknown.ini",
	                           "; line 1\n"
	                           "[stage.land_primary]\n"
	                           "service = fixed(1min)\n"
	                           "\n"
	                           "servrs = 4\n"), EX_DATAERR);
	assert_err("unknown.ini", 5, "stage.land_primary.servrs: unknown key; did you mean "
	           "'stage.land_primary.servers'?");
	scenario_release(&sc);

	assert_int_equal(load_text(&sc, "far.ini", "[stage.a]\ncolour = red\n"), EX_DATAERR);
	assert_err("far.ini", 2, "stage.a.colour: unknown key");
	scenario_release(&sc);

	/* a key of another section kind: named as in the key table */
	assert_int_equal(load_text(&sc, "other.ini", "[stream.a]\nservers = 2\n"), EX_DATAERR);
	assert_err("other.ini", 2, "stream.a.servers: unknown key; did you mean "
	           "'stage.NAME.servers'?");
	scenario_release(&sc);

	assert_int_equal(load_text(&sc, "outside.ini", "days = 2\n[scenario]\n"), EX_DATAERR);
	assert_err("outside.ini", 1, "days: key outside any section; did you mean "
	           "'scenario.days'?");
	scenario_release(&sc);
}

static void test_bad_sections(void **state)
{
	static const struct {
		const char *header, *msg;
	} cases[] = {
		{ "[stge.primary]", "[stge.primary]: unknown section kind 'stge'; did you mean "
		  "'stage'?" },
		{ "[queue.x]", "[queue.x]: unknown section kind 'queue'; expected [scenario], "
		  "[stream.NAME], [stage.NAME], [find.NAME], [surge.NAME], [closure.NAME] or "
		  "[staffing.NAME]" },
		{ "[stage]", "[stage]: a stage section needs a name, as in [stage.NAME]" },
		{ "[stream.]", "[stream.]: a stream section needs a name, as in [stream.NAME]" },
		{ "[scenario.x]", "[scenario.x]: [scenario] takes no name" },
		{ "[stage.land primary]", "[stage.land primary]: bad name 'land primary': use "
		  "letters, digits, '_' and '-' (and one '/' after a port's name)" },
		{ "[stage.a.b]", "[stage.a.b]: bad name 'a.b': use letters, digits, '_' and '-' (and "
		  "one '/' after a port's name)" },
		{ "[stage.exit]", "[stage.exit]: 'exit' is reserved for leaving the network; name "
		  "the stage otherwise" },
		{ "[stage.a123456789b123456789c123456789d123456789e]", "[stage.a123456789b123456789"
		  "c123456789d123456789e]: name too long: at most 40 characters" },
		{ "[stage.a", "syntax error: section header '[stage.a' needs a closing ']'" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct scenario sc;
		/* an empty section is checked too: the error comes at its header */
		char *text = xasprintf("[scenario]\ndays = 1\n%s\n", cases[i].header);
		assert_int_equal(load_text(&sc, "section.ini", text), EX_DATAERR);
		assert_err("section.ini", 3, cases[i].msg);
		scenario_release(&sc);
		free(text);
	}
}

/* ---- bounded reading ------------------------------------------------------ */

/* A chain of includes: SCENARIO_INCLUDE_DEPTH nested includes read, one
 * more is refused at the include line of the deepest file. */
static void test_include_depth(void **state)
{
	struct scenario sc;
	char name[32], text[128];
	int deep = SCENARIO_INCLUDE_DEPTH + 1;
	for (int k = 0; k <= deep; k++) {
		snprintf(name, sizeof name, "chain%d.ini", k);
		snprintf(text, sizeof text, "include = chain%d.ini\n", k + 1);
		tfile(name, text);
	}
	snprintf(name, sizeof name, "chain%d.ini", SCENARIO_INCLUDE_DEPTH + 1);
	tfile(name, "[scenario]\ndays = 2\n");
	char *top = xasprintf("%s/chain1.ini", tmpdir);
	scenario_init(&sc);
	assert_int_equal(scenario_load(&sc, top, err, sizeof err), 0);
	assert_string_equal(scenario_get(&sc, "scenario", "days")->value, "2");
	scenario_release(&sc);
	free(top);
	top = xasprintf("%s/chain0.ini", tmpdir);
	scenario_init(&sc);
	assert_int_equal(scenario_load(&sc, top, err, sizeof err), EX_DATAERR);
	snprintf(name, sizeof name, "chain%d.ini", SCENARIO_INCLUDE_DEPTH);
	snprintf(text, sizeof text, "include: includes nested more than %d deep: 'chain%d.ini' is "
	         "one too many", SCENARIO_INCLUDE_DEPTH, SCENARIO_INCLUDE_DEPTH + 1);
	assert_err(name, 1, text);
	scenario_release(&sc);
	free(top);
}

/* Sizes: a file over SCENARIO_BYTES_MAX is refused by its size before a
 * byte is read (top file or include); files under it that add up to more,
 * or that grow while read, are refused where the count passes it. */
static void test_size_limit(void **state)
{
	struct scenario sc;
	const char *big = tfile("big.ini", "");
	assert_int_equal(truncate(big, (off_t)SCENARIO_BYTES_MAX + 1), 0);
	scenario_init(&sc);
	assert_int_equal(scenario_load(&sc, big, err, sizeof err), EX_DATAERR);
	char *want = xasprintf("%s: too large: %u bytes; a scenario and its includes may hold "
	                       "16 MiB", big, SCENARIO_BYTES_MAX + 1);
	assert_string_equal(err, want);
	free(want);
	scenario_release(&sc);
	assert_int_equal(load_text(&sc, "inc_big.ini", "include = big.ini\n"), EX_DATAERR);
	want = xasprintf("include: '%s' too large: %u bytes; a scenario and its includes may hold "
	                 "16 MiB", big, SCENARIO_BYTES_MAX + 1);
	assert_err("inc_big.ini", 1, want);
	free(want);
	scenario_release(&sc);

	/* exactly the limit reads; half of it twice and a little more is too much */
	size_t line = 128, lines = SCENARIO_BYTES_MAX / line;
	char *text = xmalloc(SCENARIO_BYTES_MAX + 1);
	for (size_t i = 0; i < lines; i++) {
		memset(text + i * line, ' ', line - 1);
		text[i * line] = ';';
		text[i * line + line - 1] = '\n';
	}
	text[SCENARIO_BYTES_MAX] = '\0';
	tfile("half.ini", text + SCENARIO_BYTES_MAX / 2);
	assert_int_equal(load_text(&sc, "full.ini", text), 0);
	scenario_release(&sc);
	free(text);
	assert_int_equal(load_text(&sc, "twice.ini", "include = half.ini\ninclude = half.ini\n"
	                           "[scenario]\ndays = 1\n"), EX_DATAERR);
	/* the two include lines came first: the count passes at half.ini's last line */
	assert_err("half.ini", (int)(lines / 2), "too large: more than 16 MiB read; a scenario and "
	           "its includes may hold 16 MiB");
	scenario_release(&sc);
}

/* ---- the text means what it says ------------------------------------------ */

/* One header of each section kind, each with a key of its kind. */
static const char *const kinds[][3] = {
	{ "scenario", "days = 1", "seed = 3" },
	{ "stream.t", "per_day = 10", "route = a" },
	{ "stage.a", "servers = 1", "next = exit" },
	{ "find.x", "stages = a", "probability = 0.1" },
	{ "surge.wave", "streams = t", "factor = 3" },
	{ "closure.c", "stages = a", "duration = 1h" },
	{ "staffing.s", "stages = a", "factor = 0.5" },
};

/* Text after a section header on its line is refused, for every kind; a
 * comment and blanks may follow. */
static void test_text_after_header(void **state)
{
	struct scenario sc;
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		char *text = xasprintf("; x\n[%s] %s\n", kinds[i][0], kinds[i][1]);
		char *want = xasprintf("[%s]: text after the section header: '%s'; put it on a line "
		                       "of its own", kinds[i][0], kinds[i][1]);
		assert_int_equal(load_text(&sc, "after.ini", text), EX_DATAERR);
		assert_err("after.ini", 2, want);
		scenario_release(&sc);
		free(want);
		free(text);
		text = xasprintf("[%s]  ; a comment\n%s\n[%s]\t# another\n", kinds[i][0], kinds[i][1],
		                 kinds[i][0]);
		assert_int_equal(load_text(&sc, "after_ok.ini", text), 0);
		assert_int_equal(sc.n, 1);
		scenario_release(&sc);
		free(text);
	}
}

/* An indented key is never glued to the value above, whatever the section
 * kind and whichever kind the key is of; an indented line that is not a key
 * continues the value above in every kind. */
static void test_indented_keys(void **state)
{
	struct scenario sc;
	size_t n = sizeof kinds / sizeof kinds[0];
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < n; j++) {
			char *text = xasprintf("[%s]\n%s\n  %s\n", kinds[i][0], kinds[i][1],
			                       kinds[j][2]);
			char *want = xasprintf("indented '%s' would continue the value above: remove "
			                       "the indentation to make it a key", kinds[j][2]);
			assert_int_equal(load_text(&sc, "indent.ini", text), EX_DATAERR);
			assert_err("indent.ini", 3, want);
			scenario_release(&sc);
			free(want);
			free(text);
		}
		char *text = xasprintf("[%s]\n%s,\n\tmore ; a comment\n", kinds[i][0], kinds[i][1]);
		char *want = xasprintf("%s, more", strchr(kinds[i][1], '=') + 2);
		assert_int_equal(load_text(&sc, "cont.ini", text), 0);
		assert_int_equal(sc.n, 1);
		assert_string_equal(sc.entry[0].value, want);
		scenario_release(&sc);
		free(want);
		free(text);
	}
}

/* The index keeps first-appearance order and finds every key and section
 * among many (it grows past its first tables several times). */
static void test_many_keys(void **state)
{
	struct scenario sc;
	char section[32], value[32];
	scenario_init(&sc);
	for (int i = 0; i < 5000; i++) {
		snprintf(section, sizeof section, "stage.s%d", i);
		snprintf(value, sizeof value, "%d", i);
		scenario_put(&sc, section, "servers", value);
		scenario_put(&sc, section, "next", "exit");
	}
	scenario_put(&sc, "stage.s7", "servers", "70");
	assert_int_equal(sc.n, 10000);
	for (int i = 0; i < 5000; i++) {
		snprintf(section, sizeof section, "stage.s%d", i);
		snprintf(value, sizeof value, "%d", i == 7 ? 70 : i);
		assert_ptr_equal(scenario_get(&sc, section, "servers"), &sc.entry[2 * i]);
		assert_string_equal(sc.entry[2 * i].value, value);
		assert_ptr_equal(scenario_section_first(&sc, section), &sc.entry[2 * i]);
	}
	assert_null(scenario_get(&sc, "stage.s5000", "servers"));
	assert_null(scenario_get(&sc, "stage.s1", "service"));
	assert_null(scenario_section_first(&sc, "stage.s5000"));
	scenario_release(&sc);
	scenario_init(&sc);
	assert_null(scenario_get(&sc, "scenario", "days"));
	assert_null(scenario_section_first(&sc, "scenario"));
	scenario_release(&sc);
}

/* ---- --set -------------------------------------------------------------- */

/* scenario_set_fault says where the problem starts after "--set 'ARG': "
 * and blames no entry: none was made. */
static void test_set_fault(void **state)
{
	struct scenario sc;
	struct scenario_fault f;
	scenario_init(&sc);
	assert_int_equal(scenario_load(&sc, DATA "/top.ini", err, sizeof err), 0);
	assert_int_equal(scenario_set_fault(&sc, "stage.primry.servers=3", &f, err, sizeof err),
	                 EX_DATAERR);
	assert_null(f.entry);
	assert_string_equal(err + f.problem, "stage.primry: no such section in the scenario; did "
	                    "you mean 'stage.primary'?");
	assert_int_equal(scenario_set_fault(&sc, " =3", &f, err, sizeof err), EX_USAGE);
	assert_null(f.entry);
	assert_string_equal(err + f.problem, "expected KEY=VALUE");
	assert_int_equal(scenario_set_fault(&sc, "stage.primary.servers=;3", &f, err, sizeof err),
	                 EX_DATAERR);
	assert_string_equal(err + f.problem, "stage.primary.servers: a value may not hold control "
	                    "characters or a ';' at its start or after a blank");
	assert_int_equal(scenario_set_fault(&sc, "stage.primary.servers=4", &f, err, sizeof err), 0);
	assert_string_equal(scenario_get(&sc, "stage.primary", "servers")->value, "4");
	scenario_release(&sc);
}

/* --set overrides keys and adds keys to sections the files have; a named
 * section they do not have is refused (the nearest named), [scenario] not. */
static void test_set_overrides_and_creates(void **state)
{
	struct scenario sc;
	char where[128];
	scenario_init(&sc);
	assert_int_equal(scenario_load(&sc, DATA "/top.ini", err, sizeof err), 0);
	assert_int_equal(scenario_set(&sc, "stage.primary.servers=4", err, sizeof err), 0);
	assert_int_equal(scenario_set(&sc, " stream.car.per_day = 250 ", err, sizeof err), 0);
	assert_int_equal(scenario_set(&sc, "stage.new_one.service=fixed(2min)", err, sizeof err),
	                 EX_DATAERR);
	assert_string_equal(err, "--set 'stage.new_one.service=fixed(2min)': stage.new_one: no "
	                    "such section in the scenario; --set and --vary change the sections "
	                    "its files define, they add none");
	assert_int_equal(scenario_set(&sc, "stage.primry.service=fixed(3min)", err, sizeof err),
	                 EX_DATAERR);
	assert_string_equal(err, "--set 'stage.primry.service=fixed(3min)': stage.primry: no "
	                    "such section in the scenario; did you mean 'stage.primary'?");
	assert_int_equal(scenario_set(&sc, "stream.primary.per_day=3", err, sizeof err),
	                 EX_DATAERR);
	assert_contains(err, "stream.primary: no such section in the scenario");
	scenario_put(&sc, "stage.new_one", "servers", "1");
	assert_int_equal(scenario_set(&sc, "stage.new_one.service=fixed(2min)", err, sizeof err), 0);
	assert_int_equal(scenario_set(&sc, "scenario.name=a=b", err, sizeof err), 0);
	assert_int_equal(sc.n, 13);
	assert_entry(&sc, 5, "stage.primary", "servers", "4", "--set", 0);
	assert_entry(&sc, 3, "stream.car", "per_day", "250", "--set", 0);
	assert_entry(&sc, 11, "stage.new_one", "service", "fixed(2min)", "--set", 0);
	assert_entry(&sc, 12, "scenario", "name", "a=b", "--set", 0);
	scenario_where(&sc.entry[5], where, sizeof where);
	assert_string_equal(where, "--set 'stage.primary.servers=4'");
	scenario_where(&sc.entry[6], where, sizeof where);
	assert_string_equal(where, DATA "/parts/base.ini:14");
	scenario_put(&sc, "scenario", "replications", "2");
	assert_entry(&sc, 2, "scenario", "replications", "2", "--set", 0);
	scenario_release(&sc);
}

static void test_set_errors(void **state)
{
	struct scenario sc;
	scenario_init(&sc);
	scenario_put(&sc, "stage.a", "servers", "1");
	assert_int_equal(scenario_set(&sc, "foo", err, sizeof err), EX_USAGE);
	assert_string_equal(err, "--set 'foo': expected KEY=VALUE");
	assert_int_equal(scenario_set(&sc, " =3", err, sizeof err), EX_USAGE);
	assert_string_equal(err, "--set ' =3': expected KEY=VALUE");
	assert_int_equal(scenario_set(&sc, "stage.a.servrs=3", err, sizeof err), EX_DATAERR);
	assert_string_equal(err, "--set 'stage.a.servrs=3': stage.a.servrs: unknown key; "
	                    "did you mean 'stage.a.servers'?");
	assert_int_equal(scenario_set(&sc, "days=3", err, sizeof err), EX_DATAERR);
	assert_string_equal(err, "--set 'days=3': days: unknown key; did you mean "
	                    "'scenario.days'?");
	assert_int_equal(scenario_set(&sc, "stge.a.servers=3", err, sizeof err), EX_DATAERR);
	assert_string_equal(err, "--set 'stge.a.servers=3': stge.a: unknown section kind 'stge'; "
	                    "did you mean 'stage'?");
	assert_int_equal(scenario_set(&sc, "stage.exit.servers=3", err, sizeof err), EX_DATAERR);
	assert_contains(err, "'exit' is reserved");
	assert_int_equal(scenario_set(&sc, "stage.a.next=b ;c", err, sizeof err), EX_DATAERR);
	assert_contains(err, "--set 'stage.a.next=b ;c': stage.a.next: a value may not hold");
	assert_int_equal(scenario_set(&sc, "stage.a.next=b\nc", err, sizeof err), EX_DATAERR);
	assert_int_equal(sc.n, 1);
	scenario_release(&sc);
}

/* ---- writing ------------------------------------------------------------ */

static char *written(const struct scenario *sc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(scenario_write(sc, f), 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void test_write_layout(void **state)
{
	struct scenario sc;
	assert_int_equal(load_text(&sc, "layout.ini",
	                           "[stage.a]\nservice = fixed(1min)\n"
	                           "[stream.s]\nper_day = 1\nroute = a\n"
	                           "[scenario]\ndays = 2\n"
	                           "[stage.a]\nservers = 3\n"), 0);
	char *text = written(&sc);
	assert_string_equal(text,
	                    "; effective scenario written by bordersim\n"
	                    "\n[scenario]\ndays = 2\n"
	                    "\n[stage.a]\nservice = fixed(1min)\nservers = 3\n"
	                    "\n[stream.s]\nper_day = 1\nroute = a\n");
	free(text);
	scenario_release(&sc);
}

static void assert_same_route(const struct route *a, const struct route *b)
{
	assert_int_equal(a->n, b->n);
	for (size_t i = 0; i < a->n; i++) {
		assert_int_equal(a->dest[i], b->dest[i]);
		assert_true(a->cum[i] == b->cum[i]);
	}
}

static void assert_same_model(const struct model *a, const struct model *b)
{
	assert_string_equal(a->name, b->name);
	assert_true(a->days == b->days && a->warmup_days == b->warmup_days);
	assert_int_equal(a->replications, b->replications);
	assert_true(a->seed == b->seed);
	assert_int_equal(a->nstream, b->nstream);
	assert_int_equal(a->nstage, b->nstage);
	for (size_t i = 0; i < a->nstream; i++) {
		const struct model_stream *x = &a->stream[i], *y = &b->stream[i];
		assert_string_equal(x->name, y->name);
		assert_true(x->per_day == y->per_day);
		assert_int_equal(x->priority, y->priority);
		assert_memory_equal(x->weight, y->weight, sizeof x->weight);
		assert_same_route(&x->route, &y->route);
	}
	for (size_t i = 0; i < a->nstage; i++) {
		const struct model_stage *x = &a->stage[i], *y = &b->stage[i];
		assert_string_equal(x->name, y->name);
		assert_memory_equal(x->servers, y->servers, sizeof x->servers);
		assert_int_equal(x->capacity, y->capacity);
		assert_int_equal(x->service.kind, y->service.kind);
		assert_memory_equal(x->service.p, y->service.p, sizeof x->service.p);
		assert_true(x->service.mean == y->service.mean);
		assert_same_route(&x->next, &y->next);
	}
}

static void test_write_round_trip(void **state)
{
	struct scenario sc, back;
	struct model m1, m2;
	const char *sets[] = {
		"scenario.name=round trip",
		"stage.primary.capacity=12",
		"stream.car.priority=2",
		/* long and without blanks: written over lines broken after commas */
		"stream.car.profile=0.0416666666,0.0416666666,0.0416666666,0.0416666666,"
		"0.0416666666,0.0416666666,0.0416666666,0.0416666666,0.0416666666,0.0416666666,"
		"0.0416666666,0.0416666666,0.1416666666,0.1416666666,0.1416666666,0.1416666666,"
		"0.1416666666,0.1416666666,0.1416666666,0.1416666666,0.1416666666,0.1416666666,"
		"0.1416666666,0.1416666666",
		"stage.tertiary.servers=1 1 1 1 1 1 2 2 2 2 2 2 3 3 3 3 3 3 4 4 4 4 4 4",
		"stream.truck.per_day=40",
		"stream.truck.route=primary:0.25,tertiary",
	};
	scenario_init(&sc);
	assert_int_equal(scenario_load(&sc, DATA "/top.ini", err, sizeof err), 0);
	scenario_put(&sc, "stream.truck", "per_day", "40");   /* --set adds no section */
	for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++)
		assert_int_equal(scenario_set(&sc, sets[i], err, sizeof err), 0);
	assert_int_equal(model_compile(&m1, &sc, err, sizeof err), 0);

	char *text = written(&sc);
	assert_lacks(text, "include");
	for (const char *line = text; *line; line = strchr(line, '\n') + 1)
		assert_true(strchr(line, '\n') - line <= 78);
	const char *path = tfile("written.ini", text);
	scenario_init(&back);
	assert_int_equal(scenario_load(&back, path, err, sizeof err), 0);
	assert_int_equal(model_compile(&m2, &back, err, sizeof err), 0);
	assert_same_model(&m1, &m2);
	assert_string_equal(m2.name, "round trip");
	assert_int_equal(m2.stream[0].priority, 2);
	assert_int_equal(m2.stage[0].capacity, 12);
	free(text);
	model_release(&m1);
	model_release(&m2);
	scenario_release(&back);
	scenario_release(&sc);
}

/* Writing what was read back from a written file gives the same file. */
static void test_write_is_stable(void **state)
{
	struct scenario sc, back;
	scenario_init(&sc);
	assert_int_equal(scenario_load(&sc, "scenarios/baseline.ini", err, sizeof err), 0);
	scenario_put(&sc, "scenario", "name", "baseline");
	char *text = written(&sc);
	scenario_init(&back);
	assert_int_equal(scenario_load(&back, tfile("stable.ini", text), err, sizeof err), 0);
	char *again = written(&back);
	assert_string_equal(again, text);
	/* the profile, 24 weights with its comment lines below, is one value */
	assert_string_equal(scenario_get(&back, "stream.san_ysidro/pov", "profile")->value,
	                    "1 0.7 0.5 0.5 0.8 1.8 3.6 6.5 6.8 5 4.2 4 4 4 4.3 5 6.2 6.6 "
	                    "6.2 4.6 3.6 2.8 2 1.4");
	free(again);
	free(text);
	scenario_release(&back);
	scenario_release(&sc);
}

/* Values that are awkward to write are written so that they read back
 * (found with tests/fuzz/fuzz_scenario.c): near the reader's limit of 198
 * characters a long word on a continuation line is indented by one blank,
 * a long first word leaves "key = " for a line of its own, and a word that
 * cannot start a line (here '#...') stays with the one before it, after
 * "key=" when it comes first; a value that starts with ';' follows "key=",
 * since after a blank the ';' would start a comment. */
static void test_write_awkward_values(void **state)
{
	char n197[198], n192[193], x96[97];
	memset(n197, 'n', 197);
	n197[197] = '\0';
	memset(n192, 'n', 192);
	n192[192] = '\0';
	memset(x96, 'x', 96);
	x96[96] = '\0';
	char *texts[] = {
		xasprintf("[scenario]\nname = a\n %s\n", n197),
		xasprintf("[scenario]\nname =\n %s\n", n197),
		xasprintf("[scenario]\nname=#%s\n", n192),
		xasprintf("[scenario]\nname = a\n %s #%s\n", x96, x96),
		xasprintf("[scenario]\nname=;x ;y\n[stage.a]\nservers=;\n"),
	};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		struct scenario sc, back;
		assert_int_equal(load_text(&sc, "long.ini", texts[i]), 0);
		char *text = written(&sc);
		for (const char *line = text; *line; line = strchr(line, '\n') + 1)
			assert_true(strchr(line, '\n') - line <= 198);
		assert_int_equal(load_text(&back, "long_back.ini", text), 0);
		assert_int_equal(back.n, sc.n);
		for (size_t k = 0; k < sc.n; k++)
			assert_string_equal(back.entry[k].value, sc.entry[k].value);
		free(text);
		free(texts[i]);
		scenario_release(&back);
		scenario_release(&sc);
	}
	/* Any white space is a blank: a '\r' before a break would be read as
	 * the end of a CRLF line and dropped. A file cannot hold a lone '\r'
	 * (test_cr_line_ends), a value put by the program can. */
	struct scenario sc;
	assert_int_equal(load_text(&sc, "ws.ini", "[scenario]\nname = a\n"), 0);
	scenario_put(&sc, "scenario", "name", "a\r b\vc");
	char *text = written(&sc);
	assert_contains(text, "\nname = a b c\n");
	free(text);
	scenario_release(&sc);
}

/* A --set value is held to what a file's line can carry: a word of 197
 * characters (a line holds 198, one of them the indent) is taken and reads
 * back from the written file; a word of 198 is refused, naming its length. */
static void test_set_long_words(void **state)
{
	char set[300];
	for (int len = 196; len <= 199; len++) {
		struct scenario sc;
		scenario_init(&sc);
		scenario_put(&sc, "stage.a", "next", "exit");   /* --set adds no section */
		int k = snprintf(set, sizeof set, "stage.a.next=b, ");
		memset(set + k, 'w', (size_t)len);
		set[k + len] = '\0';
		int rc = scenario_set(&sc, set, err, sizeof err);
		if (len <= 197) {
			assert_int_equal(rc, 0);
			char *text = written(&sc);
			struct scenario back;
			assert_int_equal(load_text(&back, "long_set.ini", text), 0);
			assert_int_equal(back.n, 1);
			assert_string_equal(back.entry[0].value, sc.entry[0].value);
			scenario_release(&back);
			free(text);
		} else {
			assert_int_equal(rc, EX_DATAERR);
			char want[80];
			snprintf(want, sizeof want, "a word of %d characters; a line of a scenario "
			         "file holds at most 197", len);
			assert_contains(err, want);
			assert_int_equal(sc.n, 1);
		}
		scenario_release(&sc);
	}
}

static void test_write_error(void **state)
{
	struct scenario sc;
	scenario_init(&sc);
	scenario_put(&sc, "scenario", "days", "1");
	FILE *f = fopen("/dev/full", "w");
	if (!f)
		skip();
	assert_int_equal(scenario_write(&sc, f), -1);
	fclose(f);
	scenario_release(&sc);
}

/* Every section kind's keys are keys to the reader: an indented "factor = 2"
 * under a surge is refused like an indented stage key, not read as a
 * continuation of the value above. */
static void test_indented_key_of_any_kind(void **state)
{
	static const char *const keys[] = { "factor = 2", "probability = 0.1", "stages = a",
	                                    "ramp_up = 1h", "counts_as = drugs", "unit = lb" };
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		struct scenario sc;
		char *text = xasprintf("[surge.s]\nstreams = car\n  %s\n", keys[i]);
		assert_int_equal(load_text(&sc, "indany.ini", text), EX_DATAERR);
		char *want = xasprintf("indented '%s' would continue the value above: remove the "
		                       "indentation to make it a key", keys[i]);
		assert_err("indany.ini", 3, want);
		free(want);
		free(text);
		scenario_release(&sc);
	}
}

/* A name as --vary gives it: a known key of a section the scenario has, or
 * of [scenario]; the nearest section of the kind suggested. */
static void test_check_name(void **state)
{
	struct scenario sc;
	scenario_init(&sc);
	assert_int_equal(scenario_load(&sc, DATA "/top.ini", err, sizeof err), 0);
	assert_int_equal(scenario_check_name(&sc, "stage.primary.servers", err, sizeof err), 0);
	assert_int_equal(scenario_check_name(&sc, "scenario.days", err, sizeof err), 0);
	assert_int_equal(scenario_check_name(&sc, "stage.primry.servers", err, sizeof err),
	                 EX_DATAERR);
	assert_string_equal(err, "stage.primry: no such section in the scenario; did you mean "
	                    "'stage.primary'?");
	assert_int_equal(scenario_check_name(&sc, "stage.tertiery.servers", err, sizeof err),
	                 EX_DATAERR);
	assert_contains(err, "did you mean 'stage.tertiary'?");
	assert_int_equal(scenario_check_name(&sc, "surge.wave.factor", err, sizeof err),
	                 EX_DATAERR);
	assert_string_equal(err, "surge.wave: no such section in the scenario; --set and --vary "
	                    "change the sections its files define, they add none");
	assert_int_equal(scenario_check_name(&sc, "stage.primary.servrs", err, sizeof err),
	                 EX_DATAERR);
	assert_string_equal(err, "stage.primary.servrs: unknown key; did you mean "
	                    "'stage.primary.servers'?");
	assert_int_equal(scenario_check_name(&sc, "days", err, sizeof err), EX_DATAERR);
	assert_string_equal(err, "days: unknown key; did you mean 'scenario.days'?");
	scenario_release(&sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_includes_and_override_order),
		cmocka_unit_test(test_key_given_twice_last_wins),
		cmocka_unit_test(test_comments_crlf_bom),
		cmocka_unit_test(test_continuation_lines),
		cmocka_unit_test(test_unknown_key_with_line),
		cmocka_unit_test(test_bad_sections),
		cmocka_unit_test(test_set_overrides_and_creates),
		cmocka_unit_test(test_set_errors),
		cmocka_unit_test(test_write_layout),
		cmocka_unit_test(test_write_round_trip),
		cmocka_unit_test(test_set_long_words),
		cmocka_unit_test(test_write_is_stable),
		cmocka_unit_test(test_write_awkward_values),
		cmocka_unit_test(test_write_error),
		cmocka_unit_test(test_indented_key_of_any_kind),
		cmocka_unit_test(test_check_name),
		cmocka_unit_test(test_include_depth),
		cmocka_unit_test(test_size_limit),
		cmocka_unit_test(test_text_after_header),
		cmocka_unit_test(test_indented_keys),
		cmocka_unit_test(test_many_keys),
		cmocka_unit_test(test_set_fault),
	};
	return cmocka_run_group_tests(tests, tmp_setup, tmp_teardown);
}
