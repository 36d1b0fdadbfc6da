/* cli: the bordersim command line — commands, options, messages, exit statuses.
 *
 * Options are parsed by hand from one table rather than with getopt_long: the
 * table also says which command takes which option, options may stand before
 * or after the scenario whatever POSIXLY_CORRECT says, and -r, -s and --set
 * are kept in the order typed, so the last one naming a key wins.
 *
 * Replications run on a pool of threads that take the next replication number
 * from a shared counter; results are stored by index, so the files written are
 * the same bytes for every -j. The calling thread works in the pool too, so a
 * thread that cannot be started only makes the run slower. */
#include "cli.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"
#include "keys.h"
#include "model.h"
#include "report.h"
#include "results.h"
#include "scenario.h"
#include "util.h"

#define CLI_VERSION "0.1.0"
#define ERRLEN 2048

enum {
	OPT_OUT = 1 << 0,
	OPT_REPS = 1 << 1,
	OPT_SEED = 1 << 2,
	OPT_THREADS = 1 << 3,
	OPT_SET = 1 << 4,
	OPT_QUIET = 1 << 5,
	OPT_MARKDOWN = 1 << 6,
	OPT_HELP = 1 << 7,
};

static const struct option_def {
	char short_name;        /* 0 when none */
	const char *long_name;  /* NULL when none */
	int flag;               /* OPT_* */
	int has_arg;
} option_defs[] = {
	{ 'o', NULL, OPT_OUT, 1 },
	{ 'r', "reps", OPT_REPS, 1 },
	{ 's', "seed", OPT_SEED, 1 },
	{ 'j', "threads", OPT_THREADS, 1 },
	{ 0, "set", OPT_SET, 1 },
	{ 'q', "quiet", OPT_QUIET, 0 },
	{ 0, "markdown", OPT_MARKDOWN, 0 },
	{ 'h', "help", OPT_HELP, 0 },
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* A scenario assignment from the command line: --set text, or -r/-s as a
 * scenario key and its value. */
struct assign {
	const char *set;        /* the --set argument as typed; NULL for -r/-s */
	const char *key;        /* "replications" or "seed" */
	char *value;            /* owned, for -r/-s */
};

struct opts {
	const char *command;
	const char *scenario;
	const char *out;
	unsigned long threads;
	int quiet, markdown, help;
	struct assign *assign;
	size_t nassign;
};

static const char usage_text[] =
	"usage: bordersim COMMAND [ARGS] [OPTIONS]\n"
	"\n"
	"commands:\n"
	"  run SCENARIO [options]      run the scenario's replications, write its output folder\n"
	"  check SCENARIO [--set ...]  read and validate a scenario, print the effective\n"
	"                              parameters as INI, run nothing\n"
	"  keys [--markdown]           every scenario key: default, unit, meaning\n"
	"  help, --help, -h            this help\n"
	"  --version                   the version\n"
	"\n"
	"options (before or after SCENARIO):\n"
	"  -o DIR                output folder (run; default output/NAME, NAME = scenario.name)\n"
	"  -r, --reps N          replications, as --set scenario.replications=N (run, check)\n"
	"  -s, --seed N          seed, as --set scenario.seed=N (run, check)\n"
	"  -j, --threads N       threads running replications (run; default: all cores)\n"
	"  --set KEY=VALUE       override any scenario key, e.g. --set stage.primary.servers=4;\n"
	"                        repeatable, applied in order (run, check)\n"
	"  -q, --quiet           no messages on stderr except errors (run, check)\n"
	"  --markdown            the key table as the README's Markdown (keys)\n"
	"\n"
	"output folder: summary.csv, replications.csv, hourly.csv, scenario.ini\n"
	"\n"
	"exit status: 0 done, 64 usage error, 65 bad scenario or input data,\n"
	"66 input file cannot be opened, 70 internal error, 73 output cannot be created\n";

/* ---- messages ---- */

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("bordersim: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static void hint(void)
{
	fputs("try 'bordersim --help'\n", stderr);
}

/* Prints a module's message; usage errors get the hint. Returns status. */
static int fail(int status, const char *err)
{
	say("%s", err);
	if (status == EX_USAGE)
		hint();
	return status;
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
	char msg[ERRLEN];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return fail(EX_USAGE, msg);
}

/* Flushes stdout; a failed write is an output that could not be made. */
static int finish_stdout(void)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		say("cannot write standard output: %s", strerror(errno));
		return EX_CANTCREAT;
	}
	return 0;
}

/* ---- options ---- */

static void opts_release(struct opts *o)
{
	for (size_t i = 0; i < o->nassign; i++)
		free(o->assign[i].value);
	free(o->assign);
	memset(o, 0, sizeof *o);
}

static void add_assign(struct opts *o, const char *set, const char *key, char *value)
{
	o->assign = xrealloc(o->assign, (o->nassign + 1) * sizeof *o->assign);
	o->assign[o->nassign++] = (struct assign){ set, key, value };
}

/* A whole number in [lo, hi], digits only. */
static int parse_count(const char *s, unsigned long long lo, unsigned long long hi,
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

static int numeric_option(struct opts *o, const struct option_def *d, const char *shown,
                          const char *v)
{
	unsigned long long lo = d->flag == OPT_SEED ? 0 : 1;
	unsigned long long hi = d->flag == OPT_SEED ? UINT64_MAX : 1000000000ULL;
	unsigned long long n;
	if (parse_count(v, lo, hi, &n) != 0)
		return usage_error("option '%s' expects a whole number from %llu to %llu, got '%s'",
		                   shown, lo, hi, v);
	if (d->flag == OPT_THREADS)
		o->threads = (unsigned long)n;
	else
		add_assign(o, NULL, d->flag == OPT_SEED ? "seed" : "replications",
		           xasprintf("%llu", n));
	return 0;
}

/* Records one option; shown is how the user spelled it, for messages. */
static int apply_option(struct opts *o, const struct option_def *d, const char *shown,
                        const char *v)
{
	switch (d->flag) {
	case OPT_OUT: o->out = v; return 0;
	case OPT_SET: add_assign(o, v, NULL, NULL); return 0;
	case OPT_QUIET: o->quiet = 1; return 0;
	case OPT_MARKDOWN: o->markdown = 1; return 0;
	case OPT_HELP: o->help = 1; return 0;
	default: return numeric_option(o, d, shown, v);
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
static int long_option(struct opts *o, int allowed, int argc, char **argv, int *i)
{
	const char *arg = argv[*i] + 2;
	const char *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
	const struct option_def *d = find_long(arg, len);
	char shown[64];
	snprintf(shown, sizeof shown, "--%.*s", (int)len, arg);
	if (!d)
		return usage_error("unknown option '%s'", shown);
	if (!(d->flag & allowed))
		return usage_error("option '%s' does not apply to '%s'", shown, o->command);
	if (!d->has_arg && eq)
		return usage_error("option '%s' takes no value", shown);
	const char *v = eq ? eq + 1 : NULL;
	if (d->has_arg && !v) {
		if (*i + 1 >= argc)
			return usage_error("option '%s' needs a value", shown);
		v = argv[++*i];
	}
	return apply_option(o, d, shown, v);
}

/* "-q", "-j4", "-j 4", "-qj4"; *i advances past a value. */
static int short_options(struct opts *o, int allowed, int argc, char **argv, int *i)
{
	for (const char *c = argv[*i] + 1; *c; c++) {
		const struct option_def *d = find_short(*c);
		char shown[3] = { '-', *c, '\0' };
		if (!d)
			return usage_error("unknown option '%s'", shown);
		if (!(d->flag & allowed))
			return usage_error("option '%s' does not apply to '%s'", shown, o->command);
		if (!d->has_arg) {
			apply_option(o, d, shown, NULL);
			continue;
		}
		const char *v = c[1] ? c + 1 : NULL;
		if (!v) {
			if (*i + 1 >= argc)
				return usage_error("option '%s' needs a value", shown);
			v = argv[++*i];
		}
		return apply_option(o, d, shown, v);
	}
	return 0;
}

/* ---- commands ---- */

static int cmd_run(const struct opts *o);
static int cmd_check(const struct opts *o);
static int cmd_keys(const struct opts *o);
static int cmd_help(const struct opts *o);

static const struct command {
	const char *name;
	int allowed;            /* OPT_* it takes */
	int takes_scenario;
	int (*run)(const struct opts *o);
} commands[] = {
	{ "run", OPT_OUT | OPT_REPS | OPT_SEED | OPT_THREADS | OPT_SET | OPT_QUIET | OPT_HELP, 1,
	  cmd_run },
	{ "check", OPT_REPS | OPT_SEED | OPT_SET | OPT_QUIET | OPT_HELP, 1, cmd_check },
	{ "keys", OPT_MARKDOWN | OPT_HELP, 0, cmd_keys },
	{ "help", OPT_HELP, 0, cmd_help },
};

static int parse_args(struct opts *o, const struct command *cmd, int argc, char **argv)
{
	int only_args = 0;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		int status = 0;
		if (!only_args && strcmp(a, "--") == 0)
			only_args = 1;
		else if (!only_args && a[0] == '-' && a[1] == '-')
			status = long_option(o, cmd->allowed, argc, argv, &i);
		else if (!only_args && a[0] == '-' && a[1] != '\0')
			status = short_options(o, cmd->allowed, argc, argv, &i);
		else if (cmd->takes_scenario && !o->scenario)
			o->scenario = a;
		else
			status = usage_error("unexpected argument '%s'", a);
		if (status)
			return status;
	}
	if (cmd->takes_scenario && !o->scenario && !o->help)
		return usage_error("'%s' needs a SCENARIO file", cmd->name);
	return 0;
}

static unsigned long default_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (unsigned long)n : 1;
}

/* The scenario's file name without folder and ".ini", for an unnamed scenario. */
static char *default_name(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t n = strlen(base);
	if (n > 4 && strcmp(base + n - 4, ".ini") == 0)
		n -= 4;
	return n ? xasprintf("%.*s", (int)n, base) : xstrdup("scenario");
}

/* Reads the scenario, names it if unnamed, applies -r, -s and --set in order. */
static int load_scenario(struct scenario *sc, const struct opts *o, char *err, size_t errlen)
{
	int status = scenario_load(sc, o->scenario, err, errlen);
	if (status)
		return status;
	if (!scenario_get(sc, "scenario", "name")) {
		char *name = default_name(o->scenario);
		scenario_put(sc, "scenario", "name", name);
		free(name);
	}
	for (size_t i = 0; i < o->nassign && status == 0; i++) {
		const struct assign *a = &o->assign[i];
		if (a->set)
			status = scenario_set(sc, a->set, err, errlen);
		else
			scenario_put(sc, "scenario", a->key, a->value);
	}
	return status;
}

/* Loads and compiles; *compiled says whether m needs model_release. */
static int prepare(struct scenario *sc, struct model *m, int *compiled, const struct opts *o,
                   char *err, size_t errlen)
{
	int status = load_scenario(sc, o, err, errlen);
	if (status)
		return status;
	*compiled = 1;
	return model_compile(m, sc, err, errlen);
}

/* ---- the replication pool ---- */

struct pool {
	const struct model *m;
	struct results *res;
	unsigned n, next, done;
	int progress;
	pthread_mutex_t lock;
	unsigned fail_idx;      /* lowest failing replication index, when fail_status */
	int fail_status;
	char fail_err[ERRLEN];
};

/* Takes the next replication index, or n when none is left or one failed. */
static unsigned pool_take(struct pool *p)
{
	pthread_mutex_lock(&p->lock);
	unsigned i = p->next < p->n && p->fail_status == 0 ? p->next++ : p->n;
	pthread_mutex_unlock(&p->lock);
	return i;
}

/* Records a finished replication. Of several failures the lowest index is
 * kept: every lower index was taken before it and runs to the end, so the
 * message does not depend on thread timing. */
static void pool_finish(struct pool *p, unsigned i, int status, const char *err)
{
	pthread_mutex_lock(&p->lock);
	if (status && (p->fail_status == 0 || i < p->fail_idx)) {
		p->fail_status = status;
		p->fail_idx = i;
		snprintf(p->fail_err, sizeof p->fail_err, "%s", err);
	}
	p->done++;
	if (p->progress)
		fprintf(stderr, "\rbordersim: %s: %u/%u replications", p->m->name, p->done, p->n);
	pthread_mutex_unlock(&p->lock);
}

static void *pool_work(void *arg)
{
	struct pool *p = arg;
	char err[ERRLEN];
	for (unsigned i; (i = pool_take(p)) < p->n;) {
		snprintf(err, sizeof err, "replication %u failed", i + 1);
		int status = engine_run(p->m, i + 1, &p->res[i], NULL, err, sizeof err);
		pool_finish(p, i, status, err);
	}
	return NULL;
}

static int run_replications(const struct model *m, struct results *res, unsigned long threads,
                            int progress, char *err, size_t errlen)
{
	struct pool p = { .m = m, .res = res, .n = m->replications, .progress = progress };
	pthread_mutex_init(&p.lock, NULL);
	size_t nthread = threads < p.n ? threads : p.n;
	size_t helpers = nthread > 1 ? nthread - 1 : 0, started = 0;
	pthread_t *tid = xmalloc((helpers ? helpers : 1) * sizeof *tid);
	while (started < helpers && pthread_create(&tid[started], NULL, pool_work, &p) == 0)
		started++;
	pool_work(&p);
	for (size_t k = 0; k < started; k++)
		pthread_join(tid[k], NULL);
	free(tid);
	pthread_mutex_destroy(&p.lock);
	if (progress)
		fputs("\r\033[K", stderr);
	if (p.fail_status)
		return util_err(err, errlen, p.fail_status, "%s", p.fail_err);
	return 0;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + 1e-9 * (double)(t.tv_nsec - t0->tv_nsec);
}

static void say_done(const struct model *m, const char *dir, double secs)
{
	size_t n = strlen(dir);
	say("%s: %u replication%s, %zu stage%s, %.1f s -> %s%s", m->name, m->replications,
	    m->replications == 1 ? "" : "s", m->nstage, m->nstage == 1 ? "" : "s", secs, dir,
	    n && dir[n - 1] == '/' ? "" : "/");
}

static int cmd_run(const struct opts *o)
{
	struct scenario sc;
	struct model m;
	struct results *res = NULL;
	char *dir = NULL, err[ERRLEN] = "";
	int compiled = 0, status;
	int progress = !o->quiet && isatty(STDERR_FILENO);
	unsigned long threads = o->threads ? o->threads : default_threads();
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	scenario_init(&sc);
	memset(&m, 0, sizeof m);
	if ((status = prepare(&sc, &m, &compiled, o, err, sizeof err)) != 0)
		goto out;
	res = xcalloc(m.replications, sizeof *res);
	for (unsigned i = 0; i < m.replications; i++)
		results_init(&res[i]);
	if ((status = run_replications(&m, res, threads, progress, err, sizeof err)) != 0)
		goto out;
	dir = o->out ? xstrdup(o->out) : xasprintf("output/%s", m.name);
	if ((status = report_write(dir, &m, &sc, res, m.replications, err, sizeof err)) != 0)
		goto out;
	if (!o->quiet)
		say_done(&m, dir, seconds_since(&t0));
out:
	if (status)
		fail(status, err);
	if (res)
		for (unsigned i = 0; i < m.replications; i++)
			results_release(&res[i]);
	free(res);
	free(dir);
	if (compiled)
		model_release(&m);
	scenario_release(&sc);
	return status;
}

static int cmd_check(const struct opts *o)
{
	struct scenario sc;
	struct model m;
	char err[ERRLEN] = "";
	int compiled = 0, status;

	scenario_init(&sc);
	memset(&m, 0, sizeof m);
	if ((status = prepare(&sc, &m, &compiled, o, err, sizeof err)) != 0) {
		fail(status, err);
		goto out;
	}
	scenario_write(&sc, stdout);
	status = finish_stdout();
out:
	if (compiled)
		model_release(&m);
	scenario_release(&sc);
	return status;
}

static int cmd_keys(const struct opts *o)
{
	keys_print(stdout, o->markdown);
	return finish_stdout();
}

static int cmd_help(const struct opts *o)
{
	(void)o;
	fputs(usage_text, stdout);
	return finish_stdout();
}

int cli_main(int argc, char **argv)
{
	if (argc < 2)
		return usage_error("missing command");
	const char *a = argv[1];
	if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
		return cmd_help(NULL);
	if (strcmp(a, "--version") == 0) {
		puts("bordersim " CLI_VERSION);
		return finish_stdout();
	}
	const struct command *cmd = NULL;
	for (size_t i = 0; i < NELEM(commands) && !cmd; i++)
		if (strcmp(a, commands[i].name) == 0)
			cmd = &commands[i];
	if (!cmd)
		return usage_error("unknown %s '%s'", a[0] == '-' ? "option" : "command", a);

	struct opts o = { .command = cmd->name };
	int status = parse_args(&o, cmd, argc, argv);
	if (status == 0)
		status = o.help ? cmd_help(&o) : cmd->run(&o);
	opts_release(&o);
	return status;
}
