/* opts: options parsed by hand from one table.
 *
 * Not getopt_long: the table also says which command takes which option,
 * options may stand before or after the positional arguments whatever
 * POSIXLY_CORRECT says, and -r, -s and --set stay in order with each other. */
#include "opts.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "hourly.h"
#include "util.h"

static const struct option_def {
	char short_name;        /* 0 when none */
	const char *long_name;  /* NULL when none */
	int flag;               /* OPTS_* */
	int has_arg;
} option_defs[] = {
	{ 'o', NULL, OPTS_OUT, 1 },
	{ 'r', "reps", OPTS_REPS, 1 },
	{ 's', "seed", OPTS_SEED, 1 },
	{ 'j', "threads", OPTS_THREADS, 1 },
	{ 0, "set", OPTS_SET, 1 },
	{ 0, "vary", OPTS_VARY, 1 },
	{ 0, "shard", OPTS_SHARD, 1 },
	{ 0, "chart", OPTS_CHART, 1 },
	{ 0, "target", OPTS_TARGET, 1 },
	{ 0, "block", OPTS_BLOCK, 1 },
	{ 0, "hourly", OPTS_HOURLY, 1 },
	{ 'q', "quiet", OPTS_QUIET, 0 },
	{ 0, "markdown", OPTS_MARKDOWN, 0 },
	{ 'h', "help", OPTS_HELP, 0 },
};

void opts_release(struct opts *o)
{
	for (size_t i = 0; i < o->nassign; i++)
		free(o->assign[i].value);
	free(o->assign);
	free(o->vary);
	free(o->target);
	free(o->arg);
	memset(o, 0, sizeof *o);
}

static void add_assign(struct opts *o, const char *set, const char *key, char *value)
{
	o->assign = xrealloc(o->assign, (o->nassign + 1) * sizeof *o->assign);
	o->assign[o->nassign++] = (struct opts_assign){ set, key, value };
}

static void add_string(const char ***list, size_t *n, const char *s)
{
	*list = xrealloc(*list, (*n + 1) * sizeof **list);
	(*list)[(*n)++] = s;
}

/* A whole number in [lo, hi], digits only. */
static int whole_number(const char *s, unsigned long long lo, unsigned long long hi,
                        unsigned long long *out)
{
	if (*s == '\0' || strspn(s, "0123456789") != strlen(s))
		return -1;
	errno = 0;
	unsigned long long v = strtoull(s, NULL, 10);
	if (errno == ERANGE || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* -r N and -s N are --set scenario.replications=N and --set scenario.seed=N:
 * N must be written as a whole number (else a usage error, 64), and its
 * range is the key's, checked where the key's is (65, the same message).
 * Leading zeros go, so scenario.ini holds the number as usual. */
static int assign_option(struct opts *o, const struct option_def *d, const char *shown,
                         const char *v, char *err, size_t errlen)
{
	if (*v == '\0' || strspn(v, "0123456789") != strlen(v))
		return util_err(err, errlen, EX_USAGE, "option '%s' expects a whole number, got '%s'",
		                shown, v);
	while (v[0] == '0' && v[1] != '\0')
		v++;
	add_assign(o, NULL, d->flag == OPTS_SEED ? "seed" : "replications", xstrdup(v));
	return 0;
}

/* --block N or Nh: hours that divide the day. */
static int block_option(struct opts *o, const char *shown, const char *v, char *err,
                        size_t errlen)
{
	unsigned long long n;
	size_t len = strlen(v);
	char *num = xasprintf("%.*s", (int)(len && v[len - 1] == 'h' ? len - 1 : len), v);
	int bad = whole_number(num, 1, 24, &n) != 0 || 24 % n != 0;
	free(num);
	if (bad)
		return util_err(err, errlen, EX_USAGE, "option '%s' expects hours that divide the "
		                "day (1, 2, 3, 4, 6, 8, 12 or 24, e.g. 8h), got '%s'", shown, v);
	o->block = (int)n;
	return 0;
}

static int numeric_option(struct opts *o, const struct option_def *d, const char *shown,
                          const char *v, char *err, size_t errlen)
{
	unsigned long long n;
	if (d->flag == OPTS_BLOCK)
		return block_option(o, shown, v, err, errlen);
	if (d->flag != OPTS_THREADS)
		return assign_option(o, d, shown, v, err, errlen);
	if (whole_number(v, 1, 1000000000ULL, &n) != 0)
		return util_err(err, errlen, EX_USAGE, "option '%s' expects a whole number from 1 to "
		                "1000000000, got '%s'", shown, v);
	o->threads = (unsigned long)n;
	return 0;
}

/* Records one option; shown is how the user spelled it, for messages. */
static int apply_option(struct opts *o, const struct option_def *d, const char *shown,
                        const char *v, char *err, size_t errlen)
{
	switch (d->flag) {
	case OPTS_OUT: o->out = v; return 0;
	case OPTS_SET: add_assign(o, v, NULL, NULL); return 0;
	case OPTS_VARY: add_string(&o->vary, &o->nvary, v); return 0;
	case OPTS_TARGET: add_string(&o->target, &o->ntarget, v); return 0;
	case OPTS_SHARD: o->shard = v; return 0;
	case OPTS_CHART: o->chart = v; return 0;
	case OPTS_HOURLY: o->hourly = v; return hourly_check_option(v, err, errlen);
	case OPTS_QUIET: o->quiet = 1; return 0;
	case OPTS_MARKDOWN: o->markdown = 1; return 0;
	case OPTS_HELP: o->help = 1; return 0;
	default: return numeric_option(o, d, shown, v, err, errlen);
	}
}

static const struct option_def *find_long(const char *name, size_t len)
{
	for (size_t i = 0; i < NELEM(option_defs); i++) {
		const char *l = option_defs[i].long_name;
		if (l && strlen(l) == len && strncmp(l, name, len) == 0)
			return &option_defs[i];
	}
	return NULL;
}

static const struct option_def *find_short(char c)
{
	for (size_t i = 0; i < NELEM(option_defs); i++)
		if (option_defs[i].short_name == c)
			return &option_defs[i];
	return NULL;
}

/* "--name", "--name=value" or "--name value"; *i advances past a value. */
static int long_option(struct opts *o, int allowed, int argc, char **argv, int *i, char *err,
                       size_t errlen)
{
	const char *arg = argv[*i] + 2;
	const char *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
	const struct option_def *d = find_long(arg, len);
	char shown[64];
	snprintf(shown, sizeof shown, "--%.*s", (int)len, arg);
	if (!d)
		return util_err(err, errlen, EX_USAGE, "unknown option '%s'", shown);
	if (!(d->flag & allowed))
		return util_err(err, errlen, EX_USAGE, "option '%s' does not apply to '%s'", shown,
		                o->command);
	if (!d->has_arg && eq)
		return util_err(err, errlen, EX_USAGE, "option '%s' takes no value", shown);
	const char *v = eq ? eq + 1 : NULL;
	if (d->has_arg && !v) {
		if (*i + 1 >= argc)
			return util_err(err, errlen, EX_USAGE, "option '%s' needs a value", shown);
		v = argv[++*i];
	}
	return apply_option(o, d, shown, v, err, errlen);
}

/* "-q", "-j4", "-j 4", "-qj4"; *i advances past a value. */
static int short_options(struct opts *o, int allowed, int argc, char **argv, int *i,
                         char *err, size_t errlen)
{
	for (const char *c = argv[*i] + 1; *c; c++) {
		const struct option_def *d = find_short(*c);
		char shown[3] = { '-', *c, '\0' };
		if (!d)
			return util_err(err, errlen, EX_USAGE, "unknown option '%s'", shown);
		if (!(d->flag & allowed))
			return util_err(err, errlen, EX_USAGE, "option '%s' does not apply to '%s'", shown,
		                o->command);
		if (!d->has_arg) {
			apply_option(o, d, shown, NULL, err, errlen);
			continue;
		}
		const char *v = c[1] ? c + 1 : NULL;
		if (!v) {
			if (*i + 1 >= argc)
				return util_err(err, errlen, EX_USAGE, "option '%s' needs a value", shown);
			v = argv[++*i];
		}
		return apply_option(o, d, shown, v, err, errlen);
	}
	return 0;
}

int opts_parse(struct opts *o, const struct opts_command *cmd, int argc, char **argv, char *err,
               size_t errlen)
{
	int only_args = 0;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		int status = 0;
		if (!only_args && strcmp(a, "--") == 0)
			only_args = 1;
		else if (!only_args && a[0] == '-' && a[1] == '-')
			status = long_option(o, cmd->allowed, argc, argv, &i, err, errlen);
		else if (!only_args && a[0] == '-' && a[1] != '\0')
			status = short_options(o, cmd->allowed, argc, argv, &i, err, errlen);
		else if (o->narg < cmd->max_args)
			add_string(&o->arg, &o->narg, a);
		else
			status = util_err(err, errlen, EX_USAGE, "unexpected argument '%s'", a);
		if (status)
			return status;
	}
	if (o->narg < cmd->min_args && !o->help)
		return util_err(err, errlen, EX_USAGE, "'%s' needs %s", cmd->name, cmd->args);
	return 0;
}
