/* panels: the stages hourly.svg draws.
 *
 * The default used to be the six busiest stages by mean queue, in model
 * order: a migrant surge lost its custody panel to busier booths, and a
 * port's problem stages came last. Now the ranking is the figure a planner
 * reads first, the p95 wait, longest first, and custody stages keep a place
 * of their own (their queue today; their population once hourly rows carry
 * it). A --chart list is matched name by name; the work is names x stages,
 * which a list typed by hand keeps small. */
#include "panels.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "keys.h"
#include "util.h"

/* ---- the names of a list ---- */

/* The next name of list from *p (blanks around it dropped) into a new
 * string; NULL at the end. *p moves past the name's comma. */
static char *next_name(const char **p)
{
	const char *s = *p;
	if (!s)
		return NULL;
	const char *comma = strchr(s, ',');
	const char *end = comma ? comma : s + strlen(s);
	*p = comma ? comma + 1 : NULL;
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	return xasprintf("%.*s", (int)(end - s), s);
}

/* Whether stage s is one that name stands for: the stage itself, its group,
 * or its port ("name/" opens the stage's name). */
static int stands_for(const struct model_stage *s, const char *name)
{
	size_t n = strlen(name);
	return strcmp(s->name, name) == 0 || (s->group && strcmp(s->group, name) == 0) ||
	       (strncmp(s->name, name, n) == 0 && s->name[n] == '/');
}

/* The stage or group name nearest to name, or NULL when none is near. */
static const char *nearest(const struct model *m, const char *name)
{
	const char *best = NULL;
	size_t bd = (size_t)-1;
	for (size_t i = 0; i < m->nstage; i++) {
		const char *c[] = { m->stage[i].name, m->stage[i].group };
		for (size_t k = 0; k < NELEM(c); k++) {
			if (!c[k])
				continue;
			size_t d = keys_distance(name, c[k]);
			if (d < bd)
				bd = d, best = c[k];
		}
	}
	return best && keys_near(bd, name) ? best : NULL;
}

int panels_check(const struct model *m, const char *list, char *err, size_t errlen)
{
	int status = 0, any = 0;
	const char *p = list ? list : "";
	char *name;
	while (status == 0 && (name = next_name(&p)) != NULL) {
		size_t hit = 0;
		while (hit < m->nstage && !stands_for(&m->stage[hit], name))
			hit++;
		const char *near = *name ? nearest(m, name) : NULL;
		if (!*name)
			status = util_err(err, errlen, EX_DATAERR, "--chart '%s': an empty name; list "
			                  "stages, groups or ports separated by commas", list);
		else if (hit == m->nstage)
			status = util_err(err, errlen, EX_DATAERR, "--chart '%s': no stage, group or port "
			                  "'%s' in '%s'%s%s%s", list, name, m->name,
			                  near ? "; did you mean '" : "", near ? near : "",
			                  near ? "'?" : "");
		any = 1;
		free(name);
	}
	if (status == 0 && !any)
		status = util_err(err, errlen, EX_DATAERR, "--chart '': an empty name; list stages, "
		                  "groups or ports separated by commas");
	return status;
}

/* ---- the default ---- */

static long stage_index(const struct model *m, const char *name)
{
	if (!m->stage_by_name) {
		for (size_t i = 0; i < m->nstage; i++)
			if (strcmp(m->stage[i].name, name) == 0)
				return (long)i;
		return -1;
	}
	size_t lo = 0, hi = m->nstage;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(m->stage_by_name[mid]->name, name);
		if (c == 0)
			return (long)(m->stage_by_name[mid] - m->stage);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* Each stage's run p95 wait, mean over the replications that define it;
 * -inf for a stage that served nobody, so that it ranks last. */
static double *p95_waits(const struct model *m, const struct results *rep, size_t nrep)
{
	double *mean = xcalloc(m->nstage ? m->nstage : 1, sizeof *mean);
	size_t *n = xcalloc(m->nstage ? m->nstage : 1, sizeof *n);
	for (size_t r = 0; r < nrep; r++)
		for (size_t i = 0; i < rep[r].nmetric; i++) {
			const struct metric *mt = &rep[r].metric[i];
			if (strcmp(mt->scope, "stage") != 0 || strcmp(mt->metric, "wait_p95") != 0 ||
			    !isfinite(mt->value))
				continue;
			long s = stage_index(m, mt->name);
			if (s >= 0)   /* a running mean, as summary.csv's */
				mean[s] += (mt->value - mean[s]) / (double)++n[s];
		}
	for (size_t s = 0; s < m->nstage; s++)
		mean[s] = n[s] ? mean[s] : -INFINITY;
	free(n);
	return mean;
}

/* A stage in the wait ranking: longest first, ties to the earlier stage. */
struct ranked {
	double wait;
	size_t stage;
};

static int by_wait(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	return x->wait > y->wait ? -1 : x->wait < y->wait ? 1 : x->stage < y->stage ? -1
	       : x->stage > y->stage;
}

/* Up to PANELS_CUSTODY custody stages (the longest waits of them) and the
 * other stages with the longest p95 waits, PANELS_DEFAULT in all, shown
 * longest first. */
static size_t choose_default(const struct model *m, const struct results *rep, size_t nrep,
                             size_t *stage)
{
	if (m->nstage <= PANELS_DEFAULT) {
		for (size_t s = 0; s < m->nstage; s++)
			stage[s] = s;
		return m->nstage;
	}
	struct ranked *all = xmalloc(m->nstage * sizeof *all);
	double *wait = p95_waits(m, rep, nrep);
	for (size_t s = 0; s < m->nstage; s++)
		all[s] = (struct ranked){ wait[s], s };
	qsort(all, m->nstage, sizeof *all, by_wait);
	size_t ncust = 0, nother = 0, n = 0;
	for (size_t i = 0; i < m->nstage; i++)
		ncust += m->stage[all[i].stage].kind == STAGE_CUSTODY && ncust < PANELS_CUSTODY;
	for (size_t i = 0, seen = 0; i < m->nstage && n < PANELS_DEFAULT; i++) {
		int custody = m->stage[all[i].stage].kind == STAGE_CUSTODY;
		if (custody ? seen++ < ncust : nother++ < PANELS_DEFAULT - ncust)
			stage[n++] = all[i].stage;
	}
	free(wait);
	free(all);
	return n;
}

size_t panels_choose(const struct model *m, const struct results *rep, size_t nrep,
                     const char *list, size_t *stage, size_t *matched)
{
	if (!list || !*list) {
		size_t n = choose_default(m, rep, nrep, stage);
		if (matched)
			*matched = n;
		return n;
	}
	unsigned char *taken = xcalloc(m->nstage ? m->nstage : 1, 1);
	size_t n = 0, total = 0;
	const char *p = list;
	char *name;
	while ((name = next_name(&p)) != NULL) {
		for (size_t s = 0; *name && s < m->nstage; s++) {
			if (taken[s] || !stands_for(&m->stage[s], name))
				continue;
			taken[s] = 1;
			total++;
			if (n < PANELS_MAX)
				stage[n++] = s;
		}
		free(name);
	}
	free(taken);
	if (matched)
		*matched = total;
	return n;
}
