/* test_opts: a command line into options: both spellings of each option, the
 * order of -r, -s and --set, positional arguments anywhere and after "--",
 * and each usage error with its message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sysexits.h>

#include <cmocka.h>

#include "opts.h"
#include "util.h"

#define RUNNING (OPTS_OUT | OPTS_REPS | OPTS_SEED | OPTS_THREADS | OPTS_SET | OPTS_QUIET | \
                 OPTS_HELP)

static const struct opts_command run = { "run", RUNNING, 1, 1, "a SCENARIO file" };
static const struct opts_command sweep = { "sweep", RUNNING | OPTS_VARY | OPTS_SHARD, 1, 1,
                                           "a SCENARIO file" };
static const struct opts_command merge = { "merge", OPTS_OUT | OPTS_QUIET | OPTS_HELP, 1,
                                           SIZE_MAX, "the shard folders, DIR..." };

static char err[UTIL_ERRLEN];

/* Parses the words (NULL-ended) after "bordersim CMD". */
static int parse(struct opts *o, const struct opts_command *cmd, const char *const *words)
{
	char *argv[32] = { "bordersim", (char *)cmd->name };
	int argc = 2;
	for (; *words; words++)
		argv[argc++] = (char *)*words;
	memset(o, 0, sizeof *o);
	o->command = cmd->name;
	err[0] = '\0';
	return opts_parse(o, cmd, argc, argv, err, sizeof err);
}

static void both_spellings(void **state)
{
	(void)state;
	struct opts o;
	const char *w[] = { "-qj4", "-o", "out", "x.ini", "--threads=2", "--set", "a.b=1", NULL };
	assert_int_equal(parse(&o, &run, w), 0);
	assert_int_equal(o.narg, 1);
	assert_string_equal(o.arg[0], "x.ini");
	assert_string_equal(o.out, "out");
	assert_int_equal(o.quiet, 1);
	assert_int_equal(o.threads, 2);
	assert_int_equal(o.nassign, 1);
	assert_string_equal(o.assign[0].set, "a.b=1");
	opts_release(&o);

	const char *v[] = { "x.ini", "--vary", "k=1,2", "--vary=j=3", "--shard", "1/2", "-j", "7",
	                    NULL };
	assert_int_equal(parse(&o, &sweep, v), 0);
	assert_int_equal(o.nvary, 2);
	assert_string_equal(o.vary[0], "k=1,2");
	assert_string_equal(o.vary[1], "j=3");
	assert_string_equal(o.shard, "1/2");
	assert_int_equal(o.threads, 7);
	opts_release(&o);
}

/* -r, -s and --set in the order typed, -r and -s as keys without leading zeros. */
static void assignments_in_order(void **state)
{
	(void)state;
	struct opts o;
	const char *w[] = { "--set", "scenario.seed=1", "-r", "007", "x.ini", "--seed", "0",
	                    "--reps=12", NULL };
	assert_int_equal(parse(&o, &run, w), 0);
	assert_int_equal(o.nassign, 4);
	assert_string_equal(o.assign[0].set, "scenario.seed=1");
	assert_null(o.assign[1].set);
	assert_string_equal(o.assign[1].key, "replications");
	assert_string_equal(o.assign[1].value, "7");
	assert_string_equal(o.assign[2].key, "seed");
	assert_string_equal(o.assign[2].value, "0");
	assert_string_equal(o.assign[3].value, "12");
	opts_release(&o);
}

/* After "--" every word is an argument; a lone "-" is one. */
static void arguments_after_dashes(void **state)
{
	(void)state;
	struct opts o;
	const char *w[] = { "a", "-q", "--", "-b", "-", NULL };
	assert_int_equal(parse(&o, &merge, w), 0);
	assert_int_equal(o.narg, 3);
	assert_string_equal(o.arg[1], "-b");
	assert_string_equal(o.arg[2], "-");
	assert_int_equal(o.quiet, 1);
	opts_release(&o);
}

static void usage_errors(void **state)
{
	(void)state;
	static const struct {
		const struct opts_command *cmd;
		const char *w[4];
		const char *msg;
	} cases[] = {
		{ &run, { "x.ini", "--bogus" }, "unknown option '--bogus'" },
		{ &run, { "-qx" }, "unknown option '-x'" },
		{ &run, { "--vary", "k=1" }, "option '--vary' does not apply to 'run'" },
		{ &merge, { "-j2" }, "option '-j' does not apply to 'merge'" },
		{ &run, { "--quiet=1" }, "option '--quiet' takes no value" },
		{ &run, { "x.ini", "-o" }, "option '-o' needs a value" },
		{ &run, { "x.ini", "--set" }, "option '--set' needs a value" },
		{ &run, { "-j", "0" }, "option '-j' expects a whole number from 1 to 1000000000, "
		  "got '0'" },
		{ &run, { "--threads=1000000001" }, "option '--threads' expects a whole number from "
		  "1 to 1000000000, got '1000000001'" },
		{ &run, { "-r", "" }, "option '-r' expects a whole number, got ''" },
		{ &run, { "--seed=-1" }, "option '--seed' expects a whole number, got '-1'" },
		{ &run, { "a", "b" }, "unexpected argument 'b'" },
		{ &run, { "-q" }, "'run' needs a SCENARIO file" },
		{ &merge, { 0 }, "'merge' needs the shard folders, DIR..." },
	};
	for (size_t i = 0; i < NELEM(cases); i++) {
		struct opts o;
		assert_int_equal(parse(&o, cases[i].cmd, cases[i].w), EX_USAGE);
		assert_string_equal(err, cases[i].msg);
		opts_release(&o);
	}
}

/* --help needs no arguments. */
static void help_without_arguments(void **state)
{
	(void)state;
	struct opts o;
	const char *w[] = { "-h", NULL };
	assert_int_equal(parse(&o, &run, w), 0);
	assert_int_equal(o.help, 1);
	assert_int_equal(o.narg, 0);
	opts_release(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(both_spellings),
		cmocka_unit_test(assignments_in_order),
		cmocka_unit_test(arguments_after_dashes),
		cmocka_unit_test(usage_errors),
		cmocka_unit_test(help_without_arguments),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
