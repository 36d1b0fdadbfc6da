/* opts: the words of a command line into a command's options and arguments.
 *
 * Options may stand before or after the positional arguments, "--" ends them;
 * "--name value", "--name=value", "-j4", "-j 4", "-qj4". -r, -s and --set are
 * kept in the order typed, so the last one naming a key wins. */
#ifndef BORDERSIM_OPTS_H
#define BORDERSIM_OPTS_H

#include <stddef.h>

/* The options, as bits of what a command takes. */
enum {
	OPTS_OUT = 1 << 0,
	OPTS_REPS = 1 << 1,
	OPTS_SEED = 1 << 2,
	OPTS_THREADS = 1 << 3,
	OPTS_SET = 1 << 4,
	OPTS_QUIET = 1 << 5,
	OPTS_MARKDOWN = 1 << 6,
	OPTS_HELP = 1 << 7,
	OPTS_VARY = 1 << 8,
	OPTS_SHARD = 1 << 9,
	OPTS_CHART = 1 << 10,
	OPTS_TARGET = 1 << 11,
	OPTS_BLOCK = 1 << 12,
	OPTS_HOURLY = 1 << 13,
};

/* A scenario assignment from the command line: --set text, or -r/-s as a
 * scenario key and its value. */
struct opts_assign {
	const char *set;        /* the --set argument as typed; NULL for -r/-s */
	const char *key;        /* "replications" or "seed" */
	char *value;            /* owned, for -r/-s */
};

/* A command line, parsed. The strings point into argv; opts_release frees
 * the rest. */
struct opts {
	const char *command;
	const char **arg;       /* positional arguments: scenario files, folders */
	size_t narg;
	const char *out;
	const char *shard;
	unsigned long threads;
	int quiet, markdown, help;
	struct opts_assign *assign;
	size_t nassign;
	const char **vary;      /* --vary arguments in order */
	size_t nvary;
	const char *chart;      /* --chart: the chart panels' names; NULL: the default */
	const char **target;    /* --target arguments in order (staff) */
	size_t ntarget;
	int block;              /* --block: hours a block, dividing 24; 0: not given */
	const char *hourly;     /* --hourly: all, or names (hourly.h); NULL: the default */
};

/* What a command takes. */
struct opts_command {
	const char *name;
	int allowed;            /* OPTS_* it takes */
	size_t min_args, max_args;
	const char *args;       /* what the arguments are, for messages */
};

/* Parses argv[2..argc-1] (argv[1] names cmd) into o, which starts zeroed
 * with o->command set. Returns 0, or EX_USAGE with the message in err (an
 * unknown option, one cmd does not take, a missing or bad value, too many or
 * too few arguments; too few is no error with --help). -j takes a whole
 * number from 1 to 1000000000; --block a whole number of hours that divides 24,
 * with or without "h"; --hourly all or a list of names (hourly_check_option,
 * the names checked once a model has them); -r and -s one of any size, as a scenario
 * key's value, leading zeros dropped, the key checking its range. o needs
 * opts_release either way. */
int opts_parse(struct opts *o, const struct opts_command *cmd, int argc, char **argv, char *err,
               size_t errlen);

void opts_release(struct opts *o);

#endif
