/* cli_sweep: the sweep command (cli.h): every point of a grid of varied keys
 * on the same replication seeds, in one pool so the threads stay busy across
 * points, each point summarised and freed as soon as its last replication is
 * in; sweep.csv streams out. */
#include "cli_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "batch.h"
#include "headline.h"
#include "merge.h"
#include "model.h"
#include "opts.h"
#include "progress.h"
#include "reps.h"
#include "report.h"
#include "results.h"
#include "scenario.h"
#include "stop.h"
#include "util.h"

/* ---- sweep ---- */

/* A sweep in the making: the points run here (every point, or a shard's),
 * their models and results, and each point's summary rows once it is done. */
struct sweep {
	const struct opts *o;
	struct batch_sweep out;
	size_t n;                   /* points run here */
	size_t *point;              /* their index in the grid */
	struct model *model;        /* compiled, n of them */
	struct results **res;       /* by point; freed as each point is summarised */
	char **line;                /* by point: its line on stdout (headline.h) */
};

static void sweep_release(struct sweep *sw)
{
	for (size_t j = 0; j < sw->n; j++) {
		if (sw->res)
			reps_results_free(sw->res[j], sw->model[j].replications);
		if (sw->line)
			free(sw->line[j]);
		model_release(&sw->model[j]);
	}
	free(sw->line);
	free(sw->res);
	free(sw->model);
	free(sw->point);
	batch_sweep_release(&sw->out);
}

/* "KEY=VALUE, KEY=VALUE" of point i. */
static char *point_text(const struct batch_grid *g, size_t i)
{
	char *s = xstrdup("");
	for (size_t a = 0; a < g->naxis; a++) {
		char *t = xasprintf("%s%s%s=%s", s, a ? ", " : "", g->axis[a].key,
		                    batch_grid_value(g, i, a));
		free(s);
		s = t;
	}
	return s;
}

/* The axis whose --vary set made entry e in point i, or g->naxis when none
 * did (a file's entry, a --set of the user's, none at all). */
static size_t vary_axis(const struct batch_grid *g, size_t i, const struct scenario_entry *e)
{
	if (!e || e->line != 0 || strcmp(e->origin, "--set") != 0)
		return g->naxis;
	size_t n = strlen(e->section);
	for (size_t a = 0; a < g->naxis; a++) {
		const char *k = g->axis[a].key;
		if (strncmp(k, e->section, n) == 0 && k[n] == '.' && strcmp(k + n + 1, e->key) == 0 &&
		    strcmp(e->value, batch_grid_value(g, i, a)) == 0)
			return a;
	}
	return g->naxis;
}

/* Rewrites a message about point i to name the --vary argument: a fault at
 * the value axis a set (f->problem past the place the message opens with)
 * is named as such; anything else (a == g->naxis) gets the point. */
static void vary_message(char *err, size_t errlen, const struct batch_grid *g, size_t i,
                         size_t a, const struct scenario_fault *f)
{
	char *orig = xstrdup(err);
	if (a < g->naxis) {
		size_t n = strlen(orig);
		snprintf(err, errlen, "--vary '%s': value '%s': %s", g->axis[a].arg,
		         batch_grid_value(g, i, a), orig + (f->problem < n ? f->problem : n));
	} else {
		char *where = point_text(g, i);
		snprintf(err, errlen, "--vary point %zu of %zu (%s): %s", i + 1, g->npoint, where,
		         orig);
		free(where);
	}
	free(orig);
}

/* Each varied key names a key of a section the scenario has. */
static int vary_names(const struct scenario *sc, const struct batch_grid *g, char *err,
                      size_t errlen)
{
	char msg[UTIL_ERRLEN];
	for (size_t a = 0; a < g->naxis; a++)
		if (scenario_check_name(sc, g->axis[a].key, msg, sizeof msg))
			return util_err(err, errlen, EX_DATAERR, "--vary '%s': %s", g->axis[a].arg, msg);
	return 0;
}

/* The scenario of point i — the base, then each varied key as a --set —
 * compiled into m (which needs model_release either way). */
static int load_point(struct model *m, const struct opts *o, const struct batch_grid *g,
                      size_t i, char *err, size_t errlen)
{
	struct scenario sc;
	scenario_init(&sc);
	memset(m, 0, sizeof *m);
	int status = cli_load_scenario(&sc, o->arg[0], o, err, errlen);
	if (status == 0)
		status = vary_names(&sc, g, err, errlen);
	struct scenario_fault f;
	for (size_t a = 0; a < g->naxis && status == 0; a++) {
		char *set = xasprintf("%s=%s", g->axis[a].key, batch_grid_value(g, i, a));
		if ((status = scenario_set_fault(&sc, set, &f, err, errlen)) != 0)
			vary_message(err, errlen, g, i, a, &f);
		free(set);
	}
	if (status == 0 && (status = model_compile_fault(m, &sc, &f, err, errlen)) != 0)
		vary_message(err, errlen, g, i, vary_axis(g, i, f.entry), &f);
	scenario_release(&sc);
	return status;
}

/* The base scenario: scenario.ini's bytes and the name. */
static int sweep_base(struct sweep *sw, char *err, size_t errlen)
{
	struct scenario sc;
	scenario_init(&sc);
	int status = cli_load_scenario(&sc, sw->o->arg[0], sw->o, err, errlen);
	if (status == 0) {
		cli_ini_text(&sc, &sw->out.ini);
		sw->out.name = xstrdup(scenario_get(&sc, "scenario", "name")->value);
	}
	scenario_release(&sc);
	return status;
}

/* Every point is made and compiled before any runs, so a bad value anywhere
 * in the grid fails at once; the models of the points run here are kept. */
static int sweep_points(struct sweep *sw, char *err, size_t errlen)
{
	const struct batch_grid *g = &sw->out.grid;
	size_t cap = 0;
	for (size_t i = 0; i < g->npoint; i++)
		cap += (size_t)batch_shard_has(sw->out.shard_k, sw->out.shard_n, i);
	sw->point = xcalloc(cap ? cap : 1, sizeof *sw->point);
	sw->model = xcalloc(cap ? cap : 1, sizeof *sw->model);
	for (size_t i = 0; i < g->npoint; i++) {
		struct model m;
		int status = load_point(&m, sw->o, g, i, err, errlen);
		if (status == 0 && i == 0) {
			sw->out.replications = m.replications;
			sw->out.seed = m.seed;
		}
		if (status || !batch_shard_has(sw->out.shard_k, sw->out.shard_n, i)) {
			model_release(&m);
			if (status)
				return status;
			continue;
		}
		sw->point[sw->n] = i;
		sw->model[sw->n++] = m;
	}
	return 0;
}

static int sweep_prepare(struct sweep *sw, char *err, size_t errlen)
{
	const struct opts *o = sw->o;
	int status = 0;
	if (o->nvary == 0)
		return util_err(err, errlen, EX_USAGE, "'sweep' needs at least one --vary "
		                "KEY=VALUES");
	for (size_t i = 0; i < o->nvary && status == 0; i++)
		status = batch_grid_add(&sw->out.grid, o->vary[i], err, errlen);
	if (status == 0 && o->shard)
		status = batch_shard_parse(o->shard, &sw->out.shard_k, &sw->out.shard_n, err,
		                           errlen);
	if (status == 0)
		status = sweep_base(sw, err, errlen);
	if (status == 0)
		status = sweep_points(sw, err, errlen);
	return status;
}

/* A point's last replication is in: its summary rows stream out (in point
 * order, batch_sweep_point), then its results go. */
static void sweep_point_done(void *ctx, size_t j)
{
	struct sweep *sw = ctx;
	const struct batch_grid *g = &sw->out.grid;
	struct table rows = { 0 };
	const char **lead = xmalloc((g->naxis ? g->naxis : 1) * sizeof *lead);
	for (size_t a = 0; a < g->naxis; a++)
		lead[a] = batch_grid_value(g, sw->point[j], a);
	report_summary_rows(&rows, sw->model[j].name, sw->model[j].days, lead, g->naxis, sw->res[j],
	                    sw->model[j].replications);
	char *where = point_text(g, sw->point[j]);
	sw->line[j] = headline_sweep_line(where, &rows, g->naxis);
	free(where);
	reps_results_free(sw->res[j], sw->model[j].replications);
	sw->res[j] = NULL;
	free(lead);
	batch_sweep_point(&sw->out, j, &rows);
}

static int sweep_run(struct sweep *sw, struct progress *pr, char *err, size_t errlen)
{
	size_t ntask = 0, cap = 0;
	for (size_t j = 0; j < sw->n; j++)
		cap += sw->model[j].replications;
	struct reps_task *task = xmalloc((cap ? cap : 1) * sizeof *task);
	sw->res = xcalloc(sw->n ? sw->n : 1, sizeof *sw->res);
	sw->line = xcalloc(sw->n ? sw->n : 1, sizeof *sw->line);
	for (size_t j = 0; j < sw->n; j++) {
		sw->res[j] = reps_results_new(sw->model[j].replications);
		reps_add(task, &ntask, &sw->model[j], sw->res[j], j);
	}
	unsigned long threads = sw->o->threads ? sw->o->threads : cli_default_threads();
	reps_share_entities(sw->model, sw->n, ntask, threads);
	struct reps p = { .task = task, .ntask = ntask, .ngroup = sw->n, .pr = pr, .by_group = 1,
		          .group_done = sweep_point_done, .ctx = sw };
	int status = batch_sweep_open(&sw->out, err, errlen);
	if (status == 0)
		status = reps_run(&p, threads, err, errlen);
	free(task);
	return status;
}

static void say_sweep_done(const struct sweep *sw, const char *dir, double secs)
{
	const struct batch_sweep *s = &sw->out;
	char shard[64] = "";
	if (s->shard_n)
		snprintf(shard, sizeof shard, "shard %u/%u, %zu of ", s->shard_k, s->shard_n, sw->n);
	cli_say("%s: %s%zu point%s x %u replication%s, %.1f s -> %s%s", s->name, shard,
	    s->grid.npoint, s->grid.npoint == 1 ? "" : "s", s->replications,
	    s->replications == 1 ? "" : "s", secs, dir, cli_slash(dir));
}

/* The windows of the first point's model, then a line a point, in order. */
static int show_sweep(const struct sweep *sw, char *err, size_t errlen)
{
	if (sw->n)
		headline_warnings(stderr, &sw->model[0], NULL, 0);
	for (size_t j = 0; j < sw->n; j++)
		fputs(sw->line[j], stdout);
	return cli_stdout_written(err, errlen);
}

int cli_sweep(const struct opts *o)
{
	struct sweep sw = { .o = o };
	struct progress pr;
	struct table manifest = { 0 };
	char *dir = NULL, err[UTIL_ERRLEN] = "";
	int status;

	batch_sweep_init(&sw.out);
	progress_init(&pr, stderr, !o->quiet && isatty(STDERR_FILENO));
	if ((status = sweep_prepare(&sw, err, sizeof err)) != 0)
		goto out;
	progress_count(&pr, sw.out.name, "points", sw.n);
	if ((status = sweep_run(&sw, &pr, err, sizeof err)) != 0)
		goto out;
	dir = o->out ? xstrdup(o->out) : xasprintf("output/%s", sw.out.name);
	if (sw.out.shard_n)
		merge_manifest(&manifest, &sw.out);
	status = batch_sweep_write(dir, &sw.out, sw.out.shard_n ? &manifest : NULL, &stop_signal,
	                           err, sizeof err);
	if (status == 0 && !o->quiet) {
		say_sweep_done(&sw, dir, progress_elapsed(&pr));
		status = show_sweep(&sw, err, sizeof err);
	}
out:
	if (status)
		status = cli_fail(status, err);
	free(dir);
	table_release(&manifest);
	sweep_release(&sw);
	return status;
}

