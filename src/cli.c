/* cli: the bordersim command line — commands, messages, exit statuses.
 *
 * Each command says which options it takes (opts.h parses them); -r, -s and
 * --set are applied to a scenario in the order typed, so the last one naming
 * a key wins.
 *
 * Replications run on the pool (reps.h, pool.h), a task a model and a
 * replication number, results stored by index, so the files written are the
 * same bytes for every -j. A sweep puts every (point, replication) of its
 * grid into one pool, so the threads stay busy across points, and a point's
 * results are summarised and freed as soon as its last replication is in.
 * While a command runs or writes, a signal that would end the program asks
 * it to stop (stop.h): it removes what it had begun to write and exits with
 * 128 + the signal's number. */
#include "cli.h"
#include "cli_priv.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "batch.h"
#include "headline.h"
#include "hourly.h"
#include "merge.h"
#include "keys.h"
#include "model.h"
#include "outdir.h"
#include "opts.h"
#include "panels.h"
#include "progress.h"
#include "reps.h"
#include "report.h"
#include "results.h"
#include "scenario.h"
#include "staff.h"
#include "stop.h"
#include "target.h"
#include "targetmet.h"
#include "util.h"

#define CLI_VERSION "0.1.0"

static const char usage_text[] =
	"usage: bordersim COMMAND [ARGS] [OPTIONS]\n"
	"\n"
	"commands:\n"
	"  run SCENARIO [options]      run the scenario's replications, write its output folder\n"
	"  sweep SCENARIO --vary KEY=VALUES ... [options]\n"
	"                              run every point of the grid of varied keys, all on\n"
	"                              the same replication seeds; write sweep.csv\n"
	"  compare BASE SCENARIO [options]\n"
	"                              run both on common random numbers (BASE's seed and\n"
	"                              replications); write paired differences to compare.csv\n"
	"  merge DIR... -o DIR         join the folders of sweep shards into the whole sweep\n"
	"  staff SCENARIO [--target KEY=LIMIT ...] [--block Nh] [options]\n"
	"                              the fewest servers each hour that meet the targets;\n"
	"                              write staffing.csv, staffing.ini and the staffed run\n"
	"  check SCENARIO [--set ...]  read and validate a scenario, print the effective\n"
	"                              parameters as INI, run nothing\n"
	"  keys [WORD] [--markdown]    every scenario key (or those whose name contains WORD):\n"
	"                              values, default, unit, meaning\n"
	"  help, --help, -h            this help\n"
	"  --version                   the version\n"
	"\n"
	"options (before or after the arguments):\n"
	"  -o DIR                output folder (default output/NAME, NAME = scenario.name;\n"
	"                        compare: output/NAME-vs-BASENAME; merge: required)\n"
	"  -r, --reps N          replications, as --set scenario.replications=N\n"
	"  -s, --seed N          seed, as --set scenario.seed=N\n"
	"  -j, --threads N       threads running replications (default: all cores)\n"
	"  --set KEY=VALUE       override any scenario key, e.g. --set stage.primary.servers=4;\n"
	"                        repeatable, applied in order (to both scenarios in compare)\n"
	"  --vary KEY=VALUES     (sweep) a varied key: a comma list 1,1.5,2 or START:STOP:STEP\n"
	"                        with both ends included, or values that are lists split\n"
	"                        at ';' (a:0.1,exit;a:0.2,exit); several make a grid, the\n"
	"                        first varying slowest\n"
	"  --shard K/N           (sweep) run only points i with i % N = K-1 (K from 1), and\n"
	"                        write the manifest shard.csv for merge\n"
	"  --chart NAME,...      (run, compare) the panels of hourly.svg and report.html:\n"
	"                        stages, groups (their stages) and ports (their stages\n"
	"                        PORT/...); default: the longest p95 waits and custody\n"
	"  --hourly all|NAME,... (run, staff) the stages hourly.csv holds: all, or stages,\n"
	"                        groups, ports and port groups; default: every stage up\n"
	"                        to 500,000 rows, else the charted stages\n"
	"  --target KIND.NAME.METRIC=LIMIT\n"
	"                        (staff) a target beside the [target.NAME] sections: KIND\n"
	"                        stage, group, port or port_group; METRIC wait_mean or\n"
	"                        wait_p95; e.g. group.land_primary.wait_p95=30min\n"
	"  --block Nh            (staff) one staffing for each block of N hours (N divides\n"
	"                        24, e.g. 8h shifts); default 1h\n"
	"  -q, --quiet           no results on stdout, no messages or warnings on stderr\n"
	"                        except errors; no progress line\n"
	"  --markdown            the key table as Markdown, as in docs/scenarios.md\n"
	"\n"
	"output folder: run: summary.csv, replications.csv, hourly.csv, scenario.ini,\n"
	"hourly.svg, targets.csv (a scenario with targets); sweep: sweep.csv,\n"
	"scenario.ini, sweep.svg (one key) or shard.csv (a shard); compare: compare.csv,\n"
	"base.ini, scenario.ini; staff: a run's and staffing.csv, staffing.ini;\n"
	"each: report.html\n"
	"\n"
	"exit status: 0 done, 64 usage error, 65 bad scenario or input data,\n"
	"66 input file cannot be opened, 70 internal error, 73 output cannot be created,\n"
	"130 interrupted (SIGINT), 143 terminated (SIGTERM), 128+N another signal N\n";

/* ---- messages ---- */

/* Every message is escaped (util_escape): it may quote a scenario's text. */
void cli_say(const char *fmt, ...)
{
	char msg[UTIL_ERRLEN + 512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	char *shown = util_escape(msg);
	fprintf(stderr, "bordersim: %s\n", shown);
	free(shown);
}

static void hint(void)
{
	fputs("try 'bordersim --help'\n", stderr);
}

/* Prints a module's message, or "interrupted" for a stop; usage errors get
 * the hint. Returns the exit status. A failure after a signal came is the
 * signal's doing, whatever the module says: a signal breaks a blocking call
 * (opening a FIFO that has no writer, a read from a slow disk) with EINTR,
 * since the handler is installed without SA_RESTART, so the module reports
 * "Interrupted system call" where the user asked to stop. */
int cli_fail(int status, const char *err)
{
	if (status == STOPPED || stop_signal) {
		cli_say("interrupted");
		return 128 + (stop_signal ? stop_signal : SIGINT);
	}
	cli_say("%s", err);
	if (status == EX_USAGE)
		hint();
	return status;
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
	char msg[UTIL_ERRLEN];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return cli_fail(EX_USAGE, msg);
}

/* Flushes stdout; a failed write is an output that could not be made
 * (EX_CANTCREAT, the message in err). */
int cli_stdout_written(char *err, size_t errlen)
{
	if (fflush(stdout) != 0 || ferror(stdout))
		return util_err(err, errlen, EX_CANTCREAT, "cannot write standard output: %s",
		                strerror(errno));
	return 0;
}

/* The same, the message said. */
static int finish_stdout(void)
{
	char err[UTIL_ERRLEN];
	int status = cli_stdout_written(err, sizeof err);
	if (status)
		cli_say("%s", err);
	return status;
}

/* ---- commands ---- */

static int cmd_run(const struct opts *o);
static int cmd_compare(const struct opts *o);
static int cmd_merge(const struct opts *o);
static int cmd_check(const struct opts *o);
static int cmd_keys(const struct opts *o);
static int cmd_help(const struct opts *o);
static int cmd_staff(const struct opts *o);

#define RUNNING (OPTS_OUT | OPTS_REPS | OPTS_SEED | OPTS_THREADS | OPTS_SET | OPTS_QUIET | \
                 OPTS_HELP)

static const struct command {
	struct opts_command takes;
	int (*run)(const struct opts *o);
} commands[] = {
	{ { "run", RUNNING | OPTS_CHART | OPTS_HOURLY, 1, 1, "a SCENARIO file" }, cmd_run },
	{ { "sweep", RUNNING | OPTS_VARY | OPTS_SHARD, 1, 1, "a SCENARIO file" }, cli_sweep },
	{ { "compare", RUNNING | OPTS_CHART, 2, 2, "two scenario files, BASE and SCENARIO" },
	  cmd_compare },
	{ { "staff", RUNNING | OPTS_TARGET | OPTS_BLOCK | OPTS_HOURLY, 1, 1, "a SCENARIO file" },
	  cmd_staff },
	{ { "merge", OPTS_OUT | OPTS_QUIET | OPTS_HELP, 1, SIZE_MAX, "the shard folders, DIR..." },
	  cmd_merge },
	{ { "check", OPTS_REPS | OPTS_SEED | OPTS_SET | OPTS_QUIET | OPTS_HELP, 1, 1,
	    "a SCENARIO file" }, cmd_check },
	{ { "keys", OPTS_MARKDOWN | OPTS_HELP, 0, 1, "" }, cmd_keys },
	{ { "help", OPTS_HELP, 0, 0, "" }, cmd_help },
};

unsigned long cli_default_threads(void)
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

/* Reads a scenario, names it after its file unless the file itself names it
 * (a name from a file it includes is the other scenario's), applies -r, -s
 * and --set in order. */
int cli_load_scenario(struct scenario *sc, const char *path, const struct opts *o,
                      char *err, size_t errlen)
{
	int status = scenario_load(sc, path, err, errlen);
	if (status)
		return status;
	if (!scenario_named_by_top(sc)) {
		char *name = default_name(path);
		scenario_put(sc, "scenario", "name", name);
		free(name);
	}
	for (size_t i = 0; i < o->nassign && status == 0; i++) {
		const struct opts_assign *a = &o->assign[i];
		if (a->set)
			status = scenario_set(sc, a->set, err, errlen);
		else
			scenario_put_option(sc, "scenario", a->key, a->value,
			                    strcmp(a->key, "seed") == 0 ? "-s" : "-r");
	}
	return status;
}

/* Loads and compiles; *compiled says whether m needs model_release. */
static int prepare(struct scenario *sc, struct model *m, int *compiled, const char *path,
                   const struct opts *o, char *err, size_t errlen)
{
	int status = cli_load_scenario(sc, path, o, err, errlen);
	if (status)
		return status;
	*compiled = 1;
	return model_compile(m, sc, err, errlen);
}

/* The effective scenario as scenario.ini's bytes. */
void cli_ini_text(const struct scenario *sc, struct outdir_text *t)
{
	FILE *f = open_memstream(&t->text, &t->len);
	if (!f)
		util_out_of_memory();
	scenario_write(sc, f);
	if (fclose(f) != 0)
		util_out_of_memory();
}

/* "DIR/" for messages, with one slash. */
const char *cli_slash(const char *dir)
{
	size_t n = strlen(dir);
	return n && dir[n - 1] == '/' ? "" : "/";
}

/* ---- run ---- */

static void say_done(const struct model *m, const char *dir, double secs)
{
	cli_say("%s: %u replication%s, %zu stage%s, %.1f s -> %s%s", m->name, m->replications,
	    m->replications == 1 ? "" : "s", m->nstage, m->nstage == 1 ? "" : "s", secs, dir,
	    cli_slash(dir));
}

/* One note when the rule left stages out of hourly.csv, and how to have them. */
static void say_hourly(const struct model *m, const struct hourly_plan *hp)
{
	char all[40], rows[40];
	if (!hp->charted)
		return;
	headline_number(all, sizeof all, (double)m->nstage);
	headline_number(rows, sizeof rows, hp->rows);
	cli_say("note: hourly.csv holds the %zu charted stage%s of %s (every stage would be %s rows); "
	    "--hourly all writes them all", hp->nkeep, hp->nkeep == 1 ? "" : "s", all, rows);
}

/* The warnings on stderr, the key results on stdout (not under -q), then
 * the targets' table when the scenario has targets. */
static int show_run(const struct model *m, const struct results *res,
                    const struct targetmet_run *tr, char *err, size_t errlen)
{
	headline_warnings(stderr, m, res, m->replications);
	headline_run(stdout, m, res, m->replications);
	if (tr->t->ndef)
		targetmet_print(stdout, tr);
	return cli_stdout_written(err, errlen);
}

/* The run's hours measured against its targets, when it has any. */
static void run_targets(struct targetmet_run *tr, const struct results *res)
{
	const struct model *m = tr->m;
	if (!tr->t->ndef)
		return;
	tr->hour = xcalloc(m->nstage ? m->nstage : 1, sizeof *tr->hour);
	targetmet_measure(m, tr->t, res, m->replications, tr->hour);
}

static int cmd_run(const struct opts *o)
{
	struct scenario sc;
	struct model m;
	struct results *res = NULL;
	struct report_hourly *hourly = NULL;
	struct reps_task *task = NULL;
	struct hourly_plan hp = { 0 };
	struct progress pr;
	struct target_set t = { 0 };
	struct targetmet_run tr = { &m, &t, NULL };
	char *dir = NULL, err[UTIL_ERRLEN] = "";
	int compiled = 0, status;
	size_t ntask = 0;
	unsigned long threads = o->threads ? o->threads : cli_default_threads();

	progress_init(&pr, stderr, !o->quiet && isatty(STDERR_FILENO));
	scenario_init(&sc);
	memset(&m, 0, sizeof m);
	if ((status = prepare(&sc, &m, &compiled, o->arg[0], o, err, sizeof err)) != 0 ||
	    (status = target_read_run(&t, &m, &sc, err, sizeof err)) != 0)
		goto out;
	if (o->chart && (status = panels_check(&m, o->chart, err, sizeof err)) != 0)
		goto out;
	if ((status = hourly_plan_init(&hp, &m, o->hourly, err, sizeof err)) != 0)
		goto out;
	res = reps_results_new(m.replications);
	/* the charted stages are known once the run is done: their few rows are
	 * formatted then, not every stage's on the threads */
	hourly = hp.charted ? NULL : report_hourly_new(m.replications);
	task = xmalloc(m.replications * sizeof *task);
	reps_add(task, &ntask, &m, res, 0);
	progress_count(&pr, m.name, "replications", ntask);
	reps_share_entities(&m, 1, ntask, threads);
	struct reps p = { .task = task, .ntask = ntask, .ngroup = 1, .pr = &pr,
	                  .hourly = hourly, .hourly_keep = hp.keep };
	if ((status = reps_run(&p, threads, err, sizeof err)) != 0)
		goto out;
	hourly_plan_chart(&hp, &m, res, m.replications, o->chart);
	dir = o->out ? xstrdup(o->out) : xasprintf("output/%s", m.name);
	run_targets(&tr, res);
	const struct outdir_file more[] = { { "targets.csv", targetmet_write_csv, &tr } };
	status = report_write_more(dir, &m, &sc, res, hourly, m.replications, o->chart, hp.keep,
	                           t.ndef ? &tr : NULL, more, t.ndef ? NELEM(more) : 0,
	                           &outdir_kind_run, &stop_signal, err, sizeof err);
	if (status == 0 && !o->quiet) {
		say_hourly(&m, &hp);
		say_done(&m, dir, progress_elapsed(&pr));
		status = show_run(&m, res, &tr, err, sizeof err);
	}
out:
	if (status)
		status = cli_fail(status, err);
	free(tr.hour);
	target_release(&t);
	reps_results_free(res, compiled ? m.replications : 0);
	report_hourly_free(hourly, compiled ? m.replications : 0);
	hourly_plan_release(&hp);
	free(task);
	free(dir);
	if (compiled)
		model_release(&m);
	scenario_release(&sc);
	return status;
}

/* ---- compare ---- */

/* BASE (0) and SCENARIO (1). */
struct compare {
	struct scenario sc[2];
	struct model m[2];
	int compiled[2];
	struct results *res[2];
	struct target_set t[2];           /* their [target.NAME] sections */
	struct targetmet_run tr[2];       /* and their hours against them */
};

/* The value of scenario.KEY in sc, or the key's default. */
static const char *value_or_default(const struct scenario *sc, const char *key)
{
	const struct scenario_entry *e = scenario_get(sc, "scenario", key);
	const struct key_def *d = keys_find("scenario", key);
	return e ? e->value : d && d->def ? d->def : "";
}

/* Common random numbers need one seed and one set of replication numbers:
 * SCENARIO takes BASE's (after -r, -s and --set, which apply to both). */
static void compare_common(struct compare *c, const struct opts *o)
{
	char seed[32], reps[32];
	snprintf(seed, sizeof seed, "%" PRIu64, c->m[0].seed);
	snprintf(reps, sizeof reps, "%u", c->m[0].replications);
	if (!o->quiet && (strcmp(value_or_default(&c->sc[1], "seed"), seed) != 0 ||
	                  strcmp(value_or_default(&c->sc[1], "replications"), reps) != 0))
		cli_say("note: '%s' runs with the seed (%s) and replications (%s) of '%s', for common "
		    "random numbers", o->arg[1], seed, reps, o->arg[0]);
	scenario_put(&c->sc[1], "scenario", "seed", seed);
	scenario_put(&c->sc[1], "scenario", "replications", reps);
}

static int compare_prepare(struct compare *c, const struct opts *o, char *err, size_t errlen)
{
	int status = prepare(&c->sc[0], &c->m[0], &c->compiled[0], o->arg[0], o, err, errlen);
	if (status == 0)
		status = cli_load_scenario(&c->sc[1], o->arg[1], o, err, errlen);
	if (status)
		return status;
	compare_common(c, o);
	c->compiled[1] = 1;
	status = model_compile(&c->m[1], &c->sc[1], err, errlen);
	/* --chart names stages of BASE, or else of SCENARIO (one may add stages). */
	if (status == 0 && o->chart && (status = panels_check(&c->m[0], o->chart, err, errlen)))
		status = panels_check(&c->m[1], o->chart, NULL, 0) ? status : 0;
	for (int k = 0; k < 2 && status == 0; k++)
		status = target_read_run(&c->t[k], &c->m[k], &c->sc[k], err, errlen);
	if (status == 0 && c->m[0].days != c->m[1].days)
		status = util_err(err, errlen, EX_DATAERR, "'%s' reports %.10g day%s and '%s' %.10g: "
		                  "their totals are not comparable; give both the same scenario.days "
		                  "(e.g. --set scenario.days=%.10g)", o->arg[0], c->m[0].days,
		                  c->m[0].days == 1 ? "" : "s", o->arg[1], c->m[1].days,
		                  c->m[1].days);
	return status;
}

static void compare_release(struct compare *c)
{
	for (int k = 0; k < 2; k++) {
		free(c->tr[k].hour);
		target_release(&c->t[k]);
		reps_results_free(c->res[k], c->res[k] ? c->m[k].replications : 0);
		if (c->compiled[k])
			model_release(&c->m[k]);
		scenario_release(&c->sc[k]);
	}
}

/* compare.csv's rows, their names appended as base,scenario so that the
 * files of several comparisons read side by side. */
static void compare_table(const struct compare *c, struct table *t)
{
	static const char *const head[] = { "base", "scenario" };
	const char *names[] = { c->m[0].name, c->m[1].name };
	batch_compare_rows(t, c->res[0], c->res[1], c->m[0].replications);
	table_add_columns(t, head, names, NELEM(head));
}

static int compare_write(const struct compare *c, const struct table *t, const char *dir,
                         const char *chart, char *err, size_t errlen)
{
	struct outdir_text ini[2] = { { 0 } };
	const struct report_compare page = { { &c->m[0], &c->m[1] }, { c->res[0], c->res[1] },
	                                     c->m[0].replications, t, chart };
	for (int k = 0; k < 2; k++)
		cli_ini_text(&c->sc[k], &ini[k]);
	const struct outdir_file files[] = {
		{ "compare.csv", table_write, t },
		{ "base.ini", outdir_text_write, &ini[0] },
		{ "scenario.ini", outdir_text_write, &ini[1] },
		{ "report.html", report_compare_html, &page },
	};
	int status = outdir_write(dir, files, NELEM(files), &outdir_kind_compare,
	                                &stop_signal, err, errlen);
	for (int k = 0; k < 2; k++)
		free(ini[k].text);
	return status;
}

/* Both scenarios' warnings, then the differences. */
static int show_compare(const struct compare *c, const struct table *t, char *err,
                        size_t errlen)
{
	for (int k = 0; k < 2; k++)
		headline_warnings(stderr, &c->m[k], c->res[k], c->m[k].replications);
	headline_compare(stdout, t, c->m[0].name, c->m[1].name);
	if (c->t[0].ndef || c->t[1].ndef)
		targetmet_print_compare(stdout, c->tr);
	return cli_stdout_written(err, errlen);
}

static int cmd_compare(const struct opts *o)
{
	struct compare c;
	struct table t = { 0 };
	struct reps_task *task = NULL;
	struct progress pr;
	char *dir = NULL, *label = NULL, err[UTIL_ERRLEN] = "";
	size_t ntask = 0;
	unsigned long threads = o->threads ? o->threads : cli_default_threads();
	int status;

	memset(&c, 0, sizeof c);
	scenario_init(&c.sc[0]);
	scenario_init(&c.sc[1]);
	progress_init(&pr, stderr, !o->quiet && isatty(STDERR_FILENO));
	if ((status = compare_prepare(&c, o, err, sizeof err)) != 0)
		goto out;
	task = xmalloc(2 * (size_t)c.m[0].replications * sizeof *task);
	for (int k = 0; k < 2; k++) {
		c.res[k] = reps_results_new(c.m[k].replications);
		reps_add(task, &ntask, &c.m[k], c.res[k], 0);
	}
	label = xasprintf("%s vs %s", c.m[1].name, c.m[0].name);
	progress_count(&pr, label, "replications", ntask);
	reps_share_entities(c.m, 2, ntask, threads);
	struct reps p = { .task = task, .ntask = ntask, .ngroup = 1, .pr = &pr };
	if ((status = reps_run(&p, threads, err, sizeof err)) != 0)
		goto out;
	dir = o->out ? xstrdup(o->out) : xasprintf("output/%s-vs-%s", c.m[1].name, c.m[0].name);
	compare_table(&c, &t);
	for (int k = 0; k < 2; k++) {
		c.tr[k] = (struct targetmet_run){ &c.m[k], &c.t[k], NULL };
		run_targets(&c.tr[k], c.res[k]);
	}
	status = compare_write(&c, &t, dir, o->chart, err, sizeof err);
	if (status == 0 && !o->quiet) {
		cli_say("%s: %u paired replications, %.1f s -> %s%s", label, c.m[0].replications,
		    progress_elapsed(&pr), dir, cli_slash(dir));
		status = show_compare(&c, &t, err, sizeof err);
	}
out:
	if (status)
		status = cli_fail(status, err);
	free(task);
	free(label);
	free(dir);
	table_release(&t);
	compare_release(&c);
	return status;
}

/* ---- merge ---- */

static int cmd_merge(const struct opts *o)
{
	struct batch_sweep s;
	char err[UTIL_ERRLEN] = "";
	int status;

	if (!o->out)
		return usage_error("'merge' needs -o DIR, the folder to write the whole sweep to");
	batch_sweep_init(&s);
	status = merge_run(&s, o->arg, o->narg, err, sizeof err);
	/* Writing the whole sweep over one of its shards would replace the shard
	 * just read: refused, whatever path names the same folder. */
	struct stat so, sa;
	if (status == 0 && stat(o->out, &so) == 0)
		for (size_t i = 0; i < o->narg && status == 0; i++)
			if (stat(o->arg[i], &sa) == 0 && sa.st_dev == so.st_dev && sa.st_ino == so.st_ino)
				status = util_err(err, sizeof err, EX_USAGE, "-o '%s' is the shard folder "
				                  "'%s': merge into a new folder", o->out, o->arg[i]);
	if (status == 0)
		status = batch_sweep_write(o->out, &s, NULL, &stop_signal, err, sizeof err);
	if (status == 0 && !o->quiet)
		cli_say("%s: %zu shards merged, %zu points -> %s%s", s.name, o->narg, s.grid.npoint,
		    o->out, cli_slash(o->out));
	if (status)
		status = cli_fail(status, err);
	batch_sweep_release(&s);
	return status;
}

/* ---- check, keys, help ---- */

static int cmd_check(const struct opts *o)
{
	struct scenario sc;
	struct model m;
	char err[UTIL_ERRLEN] = "";
	int compiled = 0, status;

	scenario_init(&sc);
	memset(&m, 0, sizeof m);
	if ((status = prepare(&sc, &m, &compiled, o->arg[0], o, err, sizeof err)) != 0) {
		status = cli_fail(status, err);
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

/* All keys, or those whose name contains the one argument. */
static int cmd_keys(const struct opts *o)
{
	const char *filter = o->narg ? o->arg[0] : NULL;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		util_out_of_memory();
	size_t n = keys_print_matching(f, o->markdown, filter);
	if (fclose(f) != 0)
		util_out_of_memory();
	int status = 0;
	if (n == 0 && filter)
		status = usage_error("no key name contains '%s'; 'bordersim keys' lists them all",
		                     filter);
	else
		fwrite(text, 1, len, stdout);
	free(text);
	return status ? status : finish_stdout();
}

static int cmd_help(const struct opts *o)
{
	(void)o;
	fputs(usage_text, stdout);
	return finish_stdout();
}

/* Commands that run or write catch the signals while they do. */
/* ---- staff ---- */

static int cmd_staff(const struct opts *o)
{
	struct scenario sc;
	struct model m;
	struct target_set t = { 0 };
	struct staff s = { 0 };
	struct hourly_plan hp = { 0 };
	struct progress pr;
	char *dir = NULL, err[UTIL_ERRLEN] = "";
	int compiled = 0, status;
	unsigned long threads = o->threads ? o->threads : cli_default_threads();

	progress_init(&pr, stderr, !o->quiet && isatty(STDERR_FILENO));
	scenario_init(&sc);
	memset(&m, 0, sizeof m);
	if ((status = prepare(&sc, &m, &compiled, o->arg[0], o, err, sizeof err)) != 0 ||
	    (status = hourly_plan_init(&hp, &m, o->hourly, err, sizeof err)) != 0 ||
	    (status = target_read(&t, &m, &sc, o->target, o->ntarget, err, sizeof err)) != 0)
		goto out;
	reps_share_entities(&m, 1, m.replications, threads);
	s = (struct staff){ .m = &m, .t = &t, .block = o->block ? o->block : 1,
	                    .threads = threads, .pr = &pr };
	if ((status = staff_solve(&s, o->quiet, err, sizeof err)) != 0)
		goto out;
	hourly_plan_chart(&hp, &m, s.res, m.replications, NULL);
	dir = o->out ? xstrdup(o->out) : xasprintf("output/%s", m.name);
	const struct outdir_file more[] = { { "staffing.csv", staff_write_csv, &s },
		                            { "staffing.ini", staff_write_ini, &s } };
	/* staff's folder has staffing.csv: its report.html has no Targets panel */
	status = report_write_more(dir, &m, &sc, s.res, NULL, m.replications, NULL, hp.keep, NULL,
	                           more, NELEM(more), &outdir_kind_staff, &stop_signal, err,
	                           sizeof err);
	if (status == 0 && !o->quiet) {
		staff_print_hours(stdout, &s);
		say_hourly(&m, &hp);
		cli_say("%s: staffed in %zu simulations of %u replication%s, %.1f s -> %s%s", m.name,
		    s.passes, m.replications, m.replications == 1 ? "" : "s",
		    progress_elapsed(&pr), dir, cli_slash(dir));
		status = finish_stdout();
	}
out:
	if (status)
		status = cli_fail(status, err);
	if (compiled)
		staff_release(&s);
	target_release(&t);
	hourly_plan_release(&hp);
	free(dir);
	if (compiled)
		model_release(&m);
	scenario_release(&sc);
	return status;
}

static int catches_signals(const struct command *cmd)
{
	return cmd->run == cmd_run || cmd->run == cli_sweep || cmd->run == cmd_compare ||
	       cmd->run == cmd_merge || cmd->run == cmd_staff;
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
		if (strcmp(a, commands[i].takes.name) == 0)
			cmd = &commands[i];
	if (!cmd)
		return usage_error("unknown %s '%s'", a[0] == '-' ? "option" : "command", a);

	struct opts o = { .command = cmd->takes.name };
	struct stop_save saved;
	char err[UTIL_ERRLEN];
	int status = opts_parse(&o, &cmd->takes, argc, argv, err, sizeof err);
	if (status) {
		status = cli_fail(status, err);
	} else if (o.help) {
		status = cmd_help(&o);
	} else {
		int sigs = catches_signals(cmd);
		if (sigs)
			stop_catch(&saved);
		status = cmd->run(&o);
		if (sigs)
			stop_restore(&saved);
	}
	opts_release(&o);
	return status;
}
