/* staff: staffing to a target by simulation on common random numbers
 * (staff.h; the method and its statistics in docs/staffing.md). */
#include "staff.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "autostaff.h"
#include "keys.h"
#include "progress.h"
#include "reps.h"
#include "results.h"
#include "table.h"
#include "traffic.h"
#include "util.h"

/* Servers of a block: c[stage][block]. */
typedef int block_servers[MODEL_HOURS];

static long most_servers(const struct model_stage *st)
{
	long most = (long)keys_row(KEYS_STAGE_SERVERS)->hi;
	return st->max_servers != MODEL_UNLIMITED && st->max_servers < most ? st->max_servers : most;
}

static void set_servers(struct staff *s, block_servers *c)
{
	for (size_t i = 0; i < s->m->nstage; i++)
		if (target_has(s->t, i))
			for (int h = 0; h < MODEL_HOURS; h++)
				s->m->stage[i].servers[h] = c[i][h / s->block];
}

/* Each hour's metrics from s->res (targetmet.h), and how far it misses. */
static void measure(struct staff *s)
{
	const struct model *m = s->m;
	struct targetmet_hour (*got)[MODEL_HOURS] = xcalloc(m->nstage ? m->nstage : 1,
	                                                     sizeof *got);
	targetmet_measure(m, s->t, s->res, m->replications, got);
	for (size_t i = 0; i < m->nstage; i++) {
		for (int h = 0; h < MODEL_HOURS && target_has(s->t, i); h++) {
			struct staff_hour *o = &s->hour[i][h];
			o->got = got[i][h];
			o->excess = targetmet_stage_excess(s->t, i, h, &o->got);
			o->met = targetmet_within(o->excess);
		}
	}
	free(got);
}

/* All the replications of the model as it is staffed now, measured. */
static int simulate(struct staff *s, char *err, size_t errlen)
{
	struct model *m = s->m;
	size_t ntask = 0;
	reps_results_free(s->res, s->res ? m->replications : 0);
	s->res = reps_results_new(m->replications);
	struct reps_task *task = xmalloc(m->replications * sizeof *task);
	reps_add(task, &ntask, m, s->res, 0);
	progress_count(s->pr, m->name, "replications", ntask);
	struct reps p = { .task = task, .ntask = ntask, .ngroup = 1, .pr = s->pr };
	int rc = reps_run(&p, s->threads, err, errlen);
	free(task);
	s->passes++;
	if (rc == 0)
		measure(s);
	return rc;
}

static int block_met(const struct staff *s, size_t i, int b)
{
	for (int h = b * s->block; h < (b + 1) * s->block; h++)
		if (!s->hour[i][h].met)
			return 0;
	return 1;
}

/* The most any hour of a block exceeds its limit by. */
static double block_excess(const struct staff *s, size_t i, int b)
{
	double e = -HUGE_VAL;
	for (int h = b * s->block; h < (b + 1) * s->block; h++)
		e = fmax(e, s->hour[i][h].excess);
	return e;
}

/* Whether a block's excess shrank from was to now by at least 2%. */
static int shrank(double was, double now)
{
	return now < was - 0.02 * fabs(was) || (isinf(was) && !isinf(now));
}

/* max(1, ceil(5%)) more servers for stage i's block b, within max_servers;
 * returns whether it got any. */
static int raise_block(const struct staff *s, block_servers *c, size_t i, int b)
{
	long most = most_servers(&s->m->stage[i]), step = (long)ceil(0.05 * c[i][b]);
	if (c[i][b] >= most)
		return 0;
	step = step > 1 ? step : 1;
	c[i][b] = (int)(c[i][b] + step > most ? most : c[i][b] + step);
	return 1;
}

/* Simulates, and gives every block that misses more servers, until every
 * block meets, max_servers binds or STAFF_MAX_RISES passes have been made;
 * the last simulation is of c as it ends. A block raised in the pass before
 * whose excess did not shrink is missing for the queue the block before it
 * left (a wait counts where its service starts): that block gets the rise. */
static int rise(struct staff *s, block_servers *c, char *err, size_t errlen)
{
	const struct model *m = s->m;
	int nb = MODEL_HOURS / s->block, rc = 0;
	size_t n = m->nstage * (size_t)nb;
	double *was = xmalloc(n * sizeof *was);
	int *raised = xcalloc(n, sizeof *raised), *now = xcalloc(n, sizeof *now);
	for (int pass = 0;; pass++) {
		set_servers(s, c);
		int changed = 0;
		if ((rc = simulate(s, err, errlen)) != 0 || pass == STAFF_MAX_RISES)
			break;
		memset(now, 0, n * sizeof *now);
		for (size_t i = 0; i < m->nstage; i++) {
			for (int b = 0; b < nb && target_has(s->t, i); b++) {
				size_t k = i * (size_t)nb + (size_t)b;
				double e = block_excess(s, i, b);
				int to = b;
				if (!block_met(s, i, b) && raised[k] && !shrank(was[k], e))
					to = (b + nb - 1) % nb;
				if (!block_met(s, i, b) && raise_block(s, c, i, to)) {
					now[i * (size_t)nb + (size_t)to] = changed = 1;
				}
				was[k] = e;
			}
		}
		memcpy(raised, now, n * sizeof *raised);
		if (!changed)
			break;
	}
	free(was);
	free(raised);
	free(now);
	return rc;
}

/* Block by block, every targeted stage whose block met gives up servers at
 * once: 5% of the block's (at least one), and again while that holds; when
 * it does not, the servers come back and half as many are tried, down to
 * one, and never below least (start). A stage's removal holds when every
 * block of it that met before still meets and none that missed got worse by
 * more than 2% (shrank, the other way). The blocks that met are in ok (by
 * the last simulation, of c). *kept counts the removals kept. */
static int remove_pass(struct staff *s, block_servers *c, block_servers *least, size_t *kept,
                       char *err, size_t errlen)
{
	const struct model *m = s->m;
	int nb = MODEL_HOURS / s->block, rc = 0;
	int *ok = xcalloc(m->nstage * (size_t)nb, sizeof *ok), *cut = xcalloc(m->nstage, sizeof *cut);
	int *step = xcalloc(m->nstage, sizeof *step);
	double *was = xcalloc(m->nstage * (size_t)nb, sizeof *was);
	for (size_t i = 0; i < m->nstage; i++) {
		for (int b = 0; b < nb && target_has(s->t, i); b++) {
			ok[i * (size_t)nb + (size_t)b] = block_met(s, i, b);
			was[i * (size_t)nb + (size_t)b] = block_excess(s, i, b);
		}
	}
	*kept = 0;
	for (int b = 0; b < nb && !rc; b++) {
		for (size_t i = 0; i < m->nstage; i++) {
			int on = target_has(s->t, i) && ok[i * (size_t)nb + (size_t)b];
			step[i] = on ? (c[i][b] / 20 > 1 ? c[i][b] / 20 : 1) : 0;
		}
		while (!rc) {
			int any = 0;
			for (size_t i = 0; i < m->nstage; i++) {
				int room = c[i][b] - least[i][b];
				cut[i] = step[i] < room ? step[i] : room > 0 ? room : 0;
				c[i][b] -= cut[i];
				any |= cut[i] > 0;
			}
			if (!any)
				break;
			set_servers(s, c);
			rc = simulate(s, err, errlen);
			for (size_t i = 0; i < m->nstage && !rc; i++) {
				int holds = 1;
				for (int d = 0; d < nb && cut[i]; d++) {
					size_t k = i * (size_t)nb + (size_t)d;
					holds &= ok[k] ? block_met(s, i, d)
					               : !shrank(block_excess(s, i, d), was[k]);
				}
				if (!cut[i]) {
					step[i] = 0;
				} else if (holds) {
					(*kept)++;
				} else {
					c[i][b] += cut[i];
					step[i] = cut[i] / 2;
				}
			}
		}
	}
	free(ok);
	free(cut);
	free(step);
	free(was);
	return rc;
}

/* The start: each block the most, over its hours, of one server above the
 * hour's offered load. And the fewest servers a block may keep: min_servers,
 * and one where the block has offered load (a block whose arrivals the
 * simulations happened not to see must still serve those of other days). */
static int start(struct staff *s, block_servers *c, block_servers *least, char *err,
                 size_t errlen)
{
	const struct model *m = s->m;
	size_t at;
	double *load = autostaff_loads(m, &at);
	if (!load)
		return util_err(err, errlen, EX_DATAERR, "%s: the visits of the loop through '%s' cannot "
		                "be computed (it is closed, or too nearly so)", m->name, m->stage[at].name);
	for (int h = 0; h < MODEL_HOURS; h++) {
		for (size_t i = 0; i < m->nstage; i++) {
			const struct model_stage *st = &m->stage[i];
			if (!target_has(s->t, i))
				continue;
			double a = load[(size_t)h * m->nstage + i];
			int n = autostaff_servers(a > 0 ? floor(a) + 1 : 0, 0, st->min_servers,
			                          most_servers(st));
			int lo = a > 0 && st->min_servers < 1 ? 1 : st->min_servers;
			if (h % s->block == 0 || n > c[i][h / s->block])
				c[i][h / s->block] = n;
			if (h % s->block == 0 || lo > least[i][h / s->block])
				least[i][h / s->block] = lo;
		}
	}
	free(load);
	return 0;
}

static void warn_misses(const struct staff *s)
{
	const struct model *m = s->m;
	for (size_t i = 0; i < m->nstage; i++) {
		for (int b = 0; b < MODEL_HOURS / s->block && target_has(s->t, i); b++) {
			int h0 = b * s->block, h1 = h0 + s->block - 1;
			if (block_met(s, i, b))
				continue;
			const struct staff_hour *o = &s->hour[i][h0];
			if (o->capped)
				fprintf(stderr, "bordersim: warning: stage '%s', hours %d-%d: max_servers = %d "
				        "binds and the target is missed (met = no in staffing.csv)\n",
				        m->stage[i].name, h0, h1, o->after);
			else
				fprintf(stderr, "bordersim: warning: stage '%s', hours %d-%d: the target is "
				        "still missed after %d passes (met = no in staffing.csv)\n",
				        m->stage[i].name, h0, h1, STAFF_MAX_RISES);
		}
	}
}

int staff_solve(struct staff *s, int quiet, char *err, size_t errlen)
{
	struct model *m = s->m;
	block_servers *c = xcalloc(m->nstage, sizeof *c), *least = xcalloc(m->nstage, sizeof *least);
	size_t kept = 0;
	int rc;
	s->hour = xcalloc(m->nstage, sizeof *s->hour);
	for (size_t i = 0; i < m->nstage; i++)
		for (int h = 0; h < MODEL_HOURS; h++)
			s->hour[i][h].before = s->hour[i][h].after = m->stage[i].servers[h];
	rc = start(s, c, least, err, errlen);
	for (int round = 0; round < STAFF_MAX_ROUNDS && !rc; round++) {
		rc = rise(s, c, err, errlen);
		if (!rc)
			rc = remove_pass(s, c, least, &kept, err, errlen);
		if (!kept)
			break;
	}
	if (!rc) {
		set_servers(s, c);
		rc = kept ? rise(s, c, err, errlen) : simulate(s, err, errlen);
	}
	for (size_t i = 0; i < m->nstage && !rc; i++) {
		for (int h = 0; h < MODEL_HOURS && target_has(s->t, i); h++) {
			struct staff_hour *o = &s->hour[i][h];
			o->after = m->stage[i].servers[h];
			o->capped = !block_met(s, i, h / s->block) &&
			            o->after >= most_servers(&m->stage[i]);
		}
	}
	if (!rc && !quiet)
		warn_misses(s);
	free(c);
	free(least);
	return rc;
}

void staff_release(struct staff *s)
{
	reps_results_free(s->res, s->res ? s->m->replications : 0);
	free(s->hour);
	s->res = NULL;
	s->hour = NULL;
}

/* ---- outputs ---- */

int staff_write_csv(FILE *f, const void *ctx)
{
	const struct staff *s = ctx;
	static const char *const head[] = { "stage", "hour", "servers_before", "servers_after",
		                            "wait_mean", "wait_p95", "utilization", "target_metric",
		                            "target_limit", "met" };
	table_write_row(f, head, NELEM(head));
	for (size_t i = 0; i < s->m->nstage; i++) {
		for (int h = 0; h < MODEL_HOURS; h++) {
			const struct staff_hour *o = &s->hour[i][h];
			for (int k = 0; k < TARGET_NMETRIC; k++) {
				if (isnan(target_limit(s->t, i, k, h)))
					continue;
				char v[7][32];
				snprintf(v[0], sizeof v[0], "%d", h);
				snprintf(v[1], sizeof v[1], "%d", o->before);
				snprintf(v[2], sizeof v[2], "%d", o->after);
				table_format_number(v[3], sizeof v[3], o->got.wait_mean);
				table_format_number(v[4], sizeof v[4], o->got.wait_p95);
				table_format_number(v[5], sizeof v[5], o->got.utilization);
				table_format_number(v[6], sizeof v[6], target_limit(s->t, i, k, h));
				const char *row[] = { s->m->stage[i].name, v[0], v[1], v[2], v[3], v[4], v[5],
					              target_metric_name((enum target_metric)k), v[6],
					              block_met(s, i, h / s->block) ? "yes" : "no" };
				table_write_row(f, row, NELEM(row));
			}
		}
	}
	return ferror(f) ? -1 : 0;
}

int staff_write_ini(FILE *f, const void *ctx)
{
	const struct staff *s = ctx;
	/* the name is the staffed scenario's: a file that includes another is
	 * otherwise named after itself */
	fprintf(f, "; bordersim staff: the staffed schedules; bordersim run staffing.ini "
	        "repeats the staffed run\ninclude = scenario.ini\n\n[scenario]\nname = %s\n\n%s",
	        s->m->name, s->t->ini);
	for (size_t i = 0; i < s->m->nstage; i++) {
		if (!target_has(s->t, i))
			continue;
		fprintf(f, "[stage.%s]\nservers =", s->m->stage[i].name);
		for (int h = 0; h < MODEL_HOURS; h++)
			fprintf(f, " %d", s->m->stage[i].servers[h]);
		fputs("\n\n", f);
	}
	return ferror(f) ? -1 : 0;
}

/* Officer-hours a day before and after of the targeted stages that pass. */
static void print_row(FILE *f, const struct staff *s, const char *what, const char *name,
                      int (*pass)(const struct model *m, size_t i, const char *name))
{
	long before = 0, after = 0;
	for (size_t i = 0; i < s->m->nstage; i++) {
		if (!target_has(s->t, i) || !pass(s->m, i, name))
			continue;
		for (int h = 0; h < MODEL_HOURS; h++) {
			before += s->hour[i][h].before;
			after += s->hour[i][h].after;
		}
	}
	char label[128];
	snprintf(label, sizeof label, "%s %s", what, name);
	fprintf(f, "%-40s %10ld %10ld %+10ld\n", label, before, after, after - before);
}

static int in_group(const struct model *m, size_t i, const char *name)
{
	return m->stage[i].group && strcmp(m->stage[i].group, name) == 0;
}

static int in_port(const struct model *m, size_t i, const char *name)
{
	return m->stage[i].port >= 0 && strcmp(m->port[m->stage[i].port].name, name) == 0;
}

static int in_all(const struct model *m, size_t i, const char *name)
{
	return 1;
}

/* Whether a targeted stage before i passes the same test with name. */
static int seen(const struct staff *s, size_t i, const char *name,
                int (*pass)(const struct model *m, size_t i, const char *name))
{
	for (size_t j = 0; j < i; j++)
		if (target_has(s->t, j) && pass(s->m, j, name))
			return 1;
	return 0;
}

void staff_print_hours(FILE *f, const struct staff *s)
{
	const struct model *m = s->m;
	fprintf(f, "%-40s %10s %10s %10s\n", "officer-hours a day of targeted stages", "before",
	        "after", "change");
	for (size_t i = 0; i < m->nstage; i++)
		if (target_has(s->t, i) && m->stage[i].group &&
		    !seen(s, i, m->stage[i].group, in_group))
			print_row(f, s, "group", m->stage[i].group, in_group);
	for (size_t i = 0; i < m->nstage; i++)
		if (target_has(s->t, i) && m->stage[i].port >= 0 &&
		    !seen(s, i, m->port[m->stage[i].port].name, in_port))
			print_row(f, s, "port", m->port[m->stage[i].port].name, in_port);
	print_row(f, s, "all", "targeted stages", in_all);
}
